"""Several app servers (issue 18, docs/deploy.md): two gunicorn servers on loopback ports, one
PostgreSQL database and one Redis, configured as a province deploys them. Whatever one server
counted or stored holds on the other: a login, a rate limit, an idempotency key. The daily
deadline scan started twice at once — as two queue consumers' schedulers would — does its work
once.

Runs in the PostgreSQL pass with Redis at CLUSTER_REDIS_URL (default redis://127.0.0.1:6379/15;
.ci/run starts one), whose database it empties first: the portal's counters of 127.0.0.1 from an
earlier run would otherwise still be counting. Without PostgreSQL or Redis it is skipped — in CI a
missing Redis fails it instead.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from urllib.parse import urlencode

import psycopg
import pytest
import redis
from django.conf import settings
from psycopg import sql

from tests.fault import processes
from tests.fault.processes import BASE_DIR, NEED_TYPES_PATH, AppServer, http_request

pytestmark = pytest.mark.cluster

# Portal POSTs per client per day (a day: a fixed window renewing mid-test would reset the count):
RATE = 6  # two submissions, four lookups, then 429 everywhere
USERNAME = "cluster_supervisor"
PASSWORD = "Cluster-Passw0rd!"
FULL_NAME = "多服务器演练监督员"
NEEDS = 4


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis not reachable at {url} ({error}); start redis-server to run this test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def cluster_database():
    """A database of its own on the suite's PostgreSQL server, dropped afterwards: the servers
    must see each other's commits, which the suite's test transactions would hide."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    name = f"hqzt_cluster_{secrets.token_hex(4)}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = f"{params['user']}:{params.get('password', '')}@" if params["user"] else ""
    yield f"postgres://{auth}{params['host']}:{params['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def servers(tmp_path, monkeypatch, cluster_database, redis_url):
    """Servers A and B: their own ports and data folders, one database, one Redis, and the secrets
    every server of a deployment must share (SECRET_KEY signs the logins)."""
    monkeypatch.setattr(processes, "WORKERS", 2)
    pair = []
    for name in ("a", "b"):
        workdir = tmp_path / name
        workdir.mkdir()
        server = AppServer(workdir, cluster_database)
        server.env.update({"REDIS_URL": redis_url, "API_PORTAL_RATE": f"{RATE}/d"})
        # Pages need the collected static files' manifest; one collection serves both servers.
        server.env["STATIC_ROOT"] = str(tmp_path / "static")
        server.env.pop("CACHE_BACKEND", None)  # the default with REDIS_URL: redis
        server.env.pop("TRUSTED_PROXIES", None)
        pair.append(server)
    a, b = pair
    b.env.update({k: a.env[k] for k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")})
    try:
        yield a, b
    finally:
        for server in pair:
            server.kill()


def _prepare(a: AppServer) -> int:
    """Migrate, collect static files, clear what an earlier run left in Redis under our names,
    create a supervisor and a station."""
    a.manage("migrate", "--noinput", "-v", "0")
    a.manage("collectstatic", "--noinput", "-v", "0")
    out = a.manage(
        "shell",
        "-c",
        "from django.core.cache import cache; cache.clear(); "
        "from huey.contrib.djhuey import HUEY; HUEY.flush_locks('deadline-scan'); "
        "from hqzt.accounts.tests.factories import UserFactory; "
        "from hqzt.org.models import OrgUnit; "
        f"UserFactory(username={USERNAME!r}, password={PASSWORD!r}, full_name={FULL_NAME!r}, "
        "role='supervisor', "
        "org_unit=OrgUnit.objects.get(region_code='140500')); "
        "from hqzt.stations.tests.factories import StationFactory; "
        "print(StationFactory(name='多服务器演练服务站').pk)",
    )
    return int(out.split()[-1])


class Browser:
    """Cookies kept across servers, as one browser behind one balancer address keeps them."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                key, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[key.strip()] = value.strip('"')
            return response.status, response.getheader("Location") or "", response.read()
        finally:
            conn.close()


def _portal_post(port: int, path: str, body: dict) -> tuple[int, dict]:
    status, content = http_request(port, "POST", path, body)
    return status, json.loads(content or b"{}")


def _login_on_a_holds_on_b(a: AppServer, b: AppServer) -> None:
    browser = Browser()
    status, _, page = browser.request(b.port, "GET", "/home/")
    assert status == 302  # not logged in yet
    status, _, page = browser.request(a.port, "GET", "/accounts/login/")
    assert status == 200, page[:2000]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    status, location, _ = browser.request(a.port, "POST", "/accounts/login/", form)
    assert status == 302 and "/accounts/login/" not in location, location
    status, location, page = browser.request(b.port, "GET", "/home/")
    assert status == 200, (status, location)
    assert FULL_NAME.encode() in page  # B's page greets the user who logged in on A
    # Logged out on B: the session is gone on A as well.
    status, _, page = browser.request(b.port, "GET", "/home/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    browser.request(b.port, "POST", "/accounts/logout/", {"csrfmiddlewaretoken": token})
    status, location, _ = browser.request(a.port, "GET", "/home/")
    assert status == 302 and "/accounts/login/" in location


def _submission(station: int, need_type: str, key: str) -> dict:
    return {
        "station": station,
        "enterprise_name": "多服务器演练企业有限公司",
        "contact_name": "周",
        "contact_phone": "13803567788",
        "need_type": need_type,
        "content": "压力表检定",
        "idempotency_key": key,
    }


def _key_and_limit_hold_across(a: AppServer, b: AppServer, station: int) -> None:
    need_type = json.loads(http_request(a.port, "GET", NEED_TYPES_PATH)[1])[0]["code"]
    body = _submission(station, need_type, str(uuid.uuid4()))
    status_a, receipt_a = _portal_post(a.port, "/api/v1/portal/submissions/", body)
    status_b, receipt_b = _portal_post(b.port, "/api/v1/portal/submissions/", body)
    assert (status_a, status_b) == (201, 200), (receipt_a, receipt_b)
    assert receipt_b["tracking_number"] == receipt_a["tracking_number"]
    # Two POSTs counted so far; four more lookups alternate between the servers, then both refuse.
    lookup = {"tracking_number": receipt_a["tracking_number"], "phone_last4": "0000"}
    answers = [
        _portal_post(server.port, "/api/v1/portal/track/", lookup)[0] for server in (a, b, a, b)
    ]
    assert answers == [404] * 4
    assert _portal_post(a.port, "/api/v1/portal/track/", lookup)[0] == 429
    assert _portal_post(b.port, "/api/v1/portal/track/", lookup)[0] == 429


SCAN = """
import datetime
from huey.exceptions import TaskLockedException
from hqzt.core import clock
from hqzt.needs.tasks import daily_deadline_scan
with clock.travel(datetime.datetime(2099, 6, 1, 1, tzinfo=datetime.UTC)):
    try:
        daily_deadline_scan.call_local()
        print("ran")
    except TaskLockedException:
        print("locked")
"""

COUNT = (
    "from hqzt.needs.models import Need, NeedEvent; "
    "print(Need.objects.filter(due_on__isnull=False).count(), "
    "NeedEvent.objects.filter(action='overdue').count(), "
    "Need.objects.filter(overdue_notified_on__isnull=False).count())"
)


REGISTER = """
import uuid
from hqzt.needs.intake import Submission, submission_receive
from hqzt.needs.models import NeedType
from hqzt.stations.models import Station
station = Station.objects.get(pk={station})
for i in range({count}):
    submission_receive(
        Submission(station=station, enterprise_name=f"演练企业{{i}}有限公司", contact_name="周",
                   contact_phone="13803567788", need_type=NeedType.objects.get(code="{need_type}"),
                   content="压力表检定", channel_code="miniprogram"),
        key=f"cluster:{{uuid.uuid4()}}",
    )
"""


def _scan_twice_at_once_works_once(a: AppServer, b: AppServer, station: int) -> None:
    """Both consumers' schedulers fire at 08:30: the scan runs in both at once (each with its own
    server's settings); the queue's lock in Redis and the scan's own row locks leave one overdue
    notice per need."""
    need_type = json.loads(http_request(a.port, "GET", NEED_TYPES_PATH)[1])[0]["code"]
    script = REGISTER.format(station=station, count=NEEDS, need_type=need_type)
    a.manage("shell", "-c", script)
    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", SCAN],
            cwd=BASE_DIR,
            env=server.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for server in (a, b)
    ]
    try:
        results = [run.communicate(timeout=180) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err[-3000:]
    # "locked": the other started while this one ran; "ran" twice: one finished first.
    outcomes = sorted(out.split()[-1] for out, _ in results)
    print("deadline scans:", outcomes)
    assert outcomes in (["locked", "ran"], ["ran", "ran"])
    due, notices, notified = map(int, a.manage("shell", "-c", COUNT).split()[-3:])
    assert due == NEEDS + 1  # the portal submission above and the four registered here
    assert notices == notified == due


def test_two_app_servers_share_logins_limits_keys_and_the_scheduled_scan(servers):
    a, b = servers
    station = _prepare(a)
    a.start()
    b.start()
    _login_on_a_holds_on_b(a, b)
    _key_and_limit_hold_across(a, b, station)
    _scan_twice_at_once_works_once(a, b, station)
