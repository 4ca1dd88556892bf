"""The public lookup's limits hold across a real deployment (issue 13, finding 3): gunicorn with
four workers, restarted in the middle. Forged X-Forwarded-For values do not reset the per-client
limit, and after a handful of wrong digits a tracking number stops answering — for everybody,
right digits included — in every worker and after the restart (the limits live in the database
cache, shared by the workers and kept across restarts)."""

import http.client
import json
import uuid

import pytest
from django.conf import settings

from tests.fault import processes
from tests.fault.processes import NEED_TYPES_PATH, AppServer, http_request

pytestmark = pytest.mark.fault

# POSTs per client per day (a day: a fixed window renewing during the test would reset the count)
RATE = 8  # 1 submission + 5 wrong guesses + 2 lookups, then 429


def _post(port: int, path: str, body: dict, forwarded: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def test_forged_addresses_and_a_restart_do_not_reset_the_limits(tmp_path, monkeypatch):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("runs in the SQLite pass (the cache is the same table on PostgreSQL)")
    monkeypatch.setattr(processes, "WORKERS", 4)
    server = AppServer(tmp_path, f"sqlite:///{tmp_path / 'hqzt.sqlite3'}")
    server.env.update({"API_PORTAL_RATE": f"{RATE}/d", "PORTAL_TRACK_FAILURES": "5"})
    server.env.pop("TRUSTED_PROXIES", None)
    server.env.pop("CACHE_BACKEND", None)  # the default: the database cache
    station = server.prepare()
    server.start()
    try:
        need_type = json.loads(http_request(server.port, "GET", NEED_TYPES_PATH)[1])[0]["code"]
        status, receipt = _post(
            server.port,
            "/api/v1/portal/submissions/",
            {
                "station": station,
                "enterprise_name": "限流演练企业有限公司",
                "contact_name": "周",
                "contact_phone": "13803567788",
                "need_type": need_type,
                "content": "压力表检定",
                "idempotency_key": str(uuid.uuid4()),
            },
            forwarded="198.51.100.1",
        )
        assert status == 201, receipt
        number = receipt["tracking_number"]

        def lookup(last4: str, n: int) -> int:
            body = {"tracking_number": number, "phone_last4": last4}
            return _post(server.port, "/api/v1/portal/track/", body, f"198.51.100.{n}")[0]

        # Five wrong guesses, each claiming another address, spread over the four workers.
        assert [lookup(f"{n:04d}", n + 2) for n in range(5)] == [404] * 5
        server.kill()
        server.start()
        # After the restart the number still answers "not found", even to the right digits …
        assert lookup("7788", 50) == 404
        assert lookup("7788", 51) == 404
        # … and the client's allowance, counted on its real address, is spent.
        assert lookup("7788", 52) == 429
    finally:
        server.kill()
