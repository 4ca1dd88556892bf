"""`bench/scale.py measure`'s writes (issue 18): the public portal's need submission, a staff
member's registration of a need, and the ledger export through its queue.

Submission and registration are POSTed over HTTP to the same gunicorn server, with the CSRF token
a browser would have (one GET of the form first), each with a new form key or enterprise so that
every POST registers a need: `runs` timed after 3 to warm up. The portal's per-address rate limit
(PORTAL_SUBMIT_RATE, 10/h) would refuse all but the first ten; the bench sets it to
`LIFTED_RATE` for its own server and measuring process only (`scale.py` puts it in the
environment): the limit is still counted on every POST, it just never refuses. The query count
and the floor come from one more POST through the test Client, the floor being the time of the
statements it made (for a write there is no one row query).

The export is the supervisor's whole ledger through the real queued path: a GET of the export
URL queues an `ExportJob` (over `DIRECT_EXPORT_LIMIT` rows), a Huey consumer (`manage.py
run_huey`, production settings, periodic tasks off) started for it runs it, and its time (running
→ done, polled) and the consumer's peak RSS (VmHWM) are set against the floor: the same cells
written by a bare XlsxWriter from a server-side cursor (`export_ledger.floor`), in a fresh process.

Everything written is removed at the end (`Writes.cleanup`): the needs registered, their sheets,
events and keys, the SMS receipts they queued, the export job, its file and notification, so a
later run finds the data `build` made. The audit log keeps its rows (it is append-only by design).
"""

import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIFTED_RATE = "1000000/h"


class Writes:
    """The write cases of one measure run, and what they wrote (to remove it)."""

    def __init__(self, server, connection, runs: int):
        from hqzt.needs.models import Need

        self.server, self.connection, self.runs = server, connection, runs
        from hqzt.notifications.models import OutboundMessage

        last = Need.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.first_new_need = (last or 0) + 1
        last = OutboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.first_new_message = (last or 0) + 1
        self.jobs: list[int] = []

    def portal(self, label: str, station) -> str:
        from django.urls import reverse

        from hqzt.needs.models import NeedType

        path = reverse("portal:submit", args=[station.pk])
        cookie, token = _csrf(self.server, path, {})
        name = station.enterprises.order_by("pk").values_list("name", flat=True).first()
        kind = NeedType.objects.filter(is_active=True).values_list("pk", flat=True).first()

        def form() -> dict:
            key = uuid.uuid4()
            return {
                "csrfmiddlewaretoken": token,
                "enterprise_name": name,
                "contact_name": "王经理",
                "contact_phone": "13812345678",
                "need_type": kind,
                "content": f"希望了解质量开放日活动安排（基准提交 {key.hex[:8]}）",
                "key": str(key),
            }

        return self._case(label, path, {"csrftoken": cookie}, form)

    def register(self, label: str, user, station) -> str:
        from django.test import Client
        from django.urls import reverse

        from hqzt.needs.models import Channel, NeedType

        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        path = reverse("needs:register")
        cookie, token = _csrf(self.server, path, {"sessionid": session})
        enterprises = list(station.enterprises.order_by("pk").values_list("pk", flat=True)[:200])
        kind = NeedType.objects.filter(is_active=True).values_list("pk", flat=True).first()
        channel = Channel.objects.filter(is_active=True).values_list("pk", flat=True).first()
        made = iter(range(10**6))

        def form() -> dict:
            i = next(made)  # another enterprise each time: never a probable duplicate
            return {
                "csrfmiddlewaretoken": token,
                "station": station.pk,
                "enterprise": enterprises[i % len(enterprises)],
                "contact_name": "王经理",
                "contact_phone": "13812345678",
                "source": "inbound",
                "channel": channel,
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "0",
                "items-MIN_NUM_FORMS": "1",
                "items-MAX_NUM_FORMS": "20",
                "items-0-need_type": kind,
                "items-0-content": f"申请参加质量开放日活动（基准登记 {uuid.uuid4().hex[:8]}）",
            }

        return self._case(label, path, {"sessionid": session, "csrftoken": cookie}, form, client)

    def _case(self, label: str, path: str, cookies: dict, form, client=None) -> str:
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench.scale_measure import _ms, _p95, _timed

        def post():
            status, _, body = self.server.request("POST", path, cookies, form())
            if status != 302:
                text = body.decode(errors="replace")[:2000]
                raise SystemExit(f"POST {path}: HTTP {status}, not registered\n{text}")

        for _ in range(3):
            post()
        times = _timed(post, self.runs)
        client = client or Client()
        with CaptureQueriesContext(self.connection) as captured:
            response = client.post(path, form())
        if response.status_code != 302:
            raise SystemExit(f"POST {path}: HTTP {response.status_code} (test Client)")
        floor = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        p50 = statistics.median(times)
        return (
            f"| {label} | {_ms(p50)} | {_ms(_p95(times))} | {_ms(floor)} | {p50 / floor:.1f}× "
            f"| {len(captured.captured_queries)} | 1 need registered |"
        )

    def export(self, user) -> str:
        """The whole ledger of `user` through the queue; its row in the table."""
        from django.test import Client
        from django.urls import reverse

        from hqzt.documents.models import ExportJob

        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        before = ExportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        status, _, _ = self.server.request(
            "GET", reverse("documents:ledger_xlsx"), {"sessionid": session}
        )
        job = ExportJob.objects.filter(pk__gt=before, user=user).order_by("pk").first()
        if status != 302 or job is None:
            raise SystemExit(f"export: HTTP {status}, no job queued (fewer rows than the limit?)")
        self.jobs.append(job.pk)
        # Its log goes nowhere: a pipe nobody reads fills after ≈64 KB and the consumer blocks
        # writing to it — 260 SMS tasks queued by earlier runs did that, and the export never
        # started. A failed export says why in its job row.
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--no-periodic", "--workers", "1"],
            cwd=ROOT, env=self.server.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            seconds = _job_seconds(job)
            peak = _peak_rss_mb(consumer.pid)
        finally:
            consumer.terminate()
            consumer.wait(timeout=60)
        job.refresh_from_db()
        floor = _floor(self.server.env, user.username)
        ratio = seconds / floor["seconds"]
        return (
            f"| ledger export .xlsx, queued, supervisor ({job.row_count:,} rows) "
            f"| {seconds:,.1f} s (one run) | peak RSS {peak:.0f} MB "
            f"| {floor['seconds']:,.1f} s, peak RSS {floor['peak_rss_mb']:.0f} MB | {ratio:.2f}× "
            f"| — | RSS {peak / floor['peak_rss_mb']:.2f}× the floor's |"
        )

    def cleanup(self) -> None:
        """Remove what the write cases made (their statistics go with them, by the signals)."""
        from django.db import transaction

        from hqzt.documents.models import ExportJob
        from hqzt.needs.models import HandlingStep, Need, NeedEvent, SubmissionKey, TrackingSheet
        from hqzt.notifications.models import Notification, OutboundMessage

        with transaction.atomic():
            # The enterprises' SMS receipts (their queued deliveries then find nothing to send).
            OutboundMessage.objects.filter(pk__gte=self.first_new_message).delete()
            needs = Need.objects.filter(pk__gte=self.first_new_need)
            sheets = list(needs.values_list("sheet_id", flat=True).distinct())
            NeedEvent.objects.filter(need__in=needs).delete()
            HandlingStep.objects.filter(need__in=needs).delete()
            for need in needs:
                need.delete()
            SubmissionKey.objects.filter(sheet_id__in=sheets).delete()
            TrackingSheet.objects.filter(pk__in=sheets, needs__isnull=True).delete()
            for job in ExportJob.objects.filter(pk__in=self.jobs):
                if job.file:
                    job.file.delete(save=False)
                Notification.objects.filter(
                    kind="export", url__contains=f"/exports/{job.pk}/"
                ).delete()
                job.delete()


def _csrf(server, path: str, cookies: dict) -> tuple[str, str]:
    """The CSRF cookie and form token a browser gets with the form page."""
    status, headers, body = server.request("GET", path, cookies)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not found:
        raise SystemExit(f"GET {path}: HTTP {status}, no form")
    set_cookies = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"]
    sent = dict(c.split("=", 1) for c in set_cookies)
    return sent.get("csrftoken", cookies.get("csrftoken", "")), found.group(1).decode()


def _job_seconds(job, timeout: float = 6 * 3600) -> float:
    """Polls the job: from when the consumer starts it until it is done."""
    started = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db(fields=["status", "error"])
        if job.status != "queued" and started is None:
            started = time.perf_counter()
        if job.status == "done":
            return time.perf_counter() - started
        if job.status == "failed":
            raise SystemExit(f"export failed: {job.error}")
        time.sleep(0.2)
    raise SystemExit("export not done in time")


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _floor(env: dict, username: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "export_ledger.py"), "--floor", username],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)}
