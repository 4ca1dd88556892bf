"""A big confirm runs as a queued job committed in chunks (outside probe L2): the same checks
before anything is written, progress recorded with each chunk, numbering as one transaction would,
a retried or stalled job writing no row twice, and two runs of one job planning once. The pages
(one job per confirm, the job page its uploader's only) are in test_import_job_pages.py.

The thresholds are lowered so that a few rows make a big file (DIRECT_IMPORT_ROWS) and several
chunks (CHUNK_ROWS); huey runs tasks inline in tests (HUEY_IMMEDIATE).
"""

import datetime
import io

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.documents import import_jobs
from hqzt.documents.import_jobs import (
    import_job_fail,
    import_job_run,
    imports_stalled,
    ledger_job_queue,
)
from hqzt.documents.ledger_choices import ImportChoices, choices_dump, choices_load
from hqzt.documents.ledger_commit import LedgerWriter, ledger_import_apply
from hqzt.documents.ledger_import import analyse, import_batch_create
from hqzt.documents.models import ImportBatch
from hqzt.documents.tasks import JOB_BROKEN, imports_resume
from hqzt.documents.tests.test_import import HEADER
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import Need, NeedType, TrackingSheet
from hqzt.notifications.models import Notification

B = ImportBatch.Status


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 2)
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    monkeypatch.setattr(import_jobs, "CHUNK_PAUSE_SECONDS", 0)


def _row(index: int, **cells: str) -> list[str]:
    values = {
        "date": "2025-03-01",
        "enterprise": f"晋城市第{index}机械有限公司",
        "contact": "王经理",
        "phone": "13903561234",
        "type": "计量",
        "content": f"压力表检定{index}",
        "first": "",
        "number": "",
    } | cells
    return [str(index), *values.values()]


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# Six ok rows and one refused: rows 3 and 4 (same enterprise and day, no number) share a sheet
# across the boundary of the first two chunks; row 5 gives its own number; row 6 has no date.
ROWS = [
    _row(1),
    _row(2, number="20250007"),
    _row(3, enterprise="晋城市同单机械有限公司"),
    _row(4, enterprise="晋城市同单机械有限公司", content="安全阀校验"),
    _row(5, number="20250003"),
    _row(6, date="2025-02-30"),
    _row(7),
]


def _batch(station, user, rows=ROWS) -> ImportBatch:
    batch, _ = import_batch_create(
        user=user, station=station, upload=io.BytesIO(_csv(rows)), name="台账.csv", archive=True
    )
    return batch


def _numbers(station) -> list[tuple[str, str, int]]:
    return sorted(
        Need.objects.filter(station=station).values_list(
            "sheet__tracking_number", "enterprise__name", "row_number"
        )
    )


# --- Chunks and numbering -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_ledger_import_writes_in_chunks_what_one_transaction_would(
    station_a, station_b, staff_a, staff_b
):
    ledger_import_apply(
        analysis=analyse(io.BytesIO(_csv(ROWS)), "台账.csv", station_a),
        station=station_a,
        actor=staff_a,
        archive=True,
        file_name="台账.csv",
    )
    batch = _batch(station_b, staff_b)
    assert ledger_job_queue(batch=batch, actor=staff_b)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_total, batch.rows_done) == (B.QUEUED, 6, 0)
    assert not Need.objects.filter(station=station_b).exists()

    import_job_run(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.imported) == (B.DONE, 6, 6)
    assert (
        batch.refused == [{"row": 7, "label": "有误", "reason": batch.refused[0]["reason"]}]
        and "日期「2025-02-30」不存在" in batch.refused[0]["reason"]
    )
    assert batch.applied_at is not None and batch.finished_at is not None
    # The same sheets, numbers and rows as the one-transaction import at the other station; the
    # shared sheet of rows 3 and 4 spans the chunk boundary.
    assert _numbers(station_b) == _numbers(station_a)
    shared = TrackingSheet.objects.get(station=station_b, enterprise__name="晋城市同单机械有限公司")
    assert shared.needs.count() == 2


@pytest.mark.django_db
def test_a_registration_between_chunks_neither_takes_nor_collides_with_the_files_numbers(
    monkeypatch, station_a, staff_a
):
    from hqzt.needs.numbering import next_serial

    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    taken = []
    write = LedgerWriter.write

    def write_then_register(self, outcome):
        taken.append(next_serial(station_a.pk, 2025))  # a live registration meanwhile
        return write(self, outcome)

    monkeypatch.setattr(LedgerWriter, "write", write_then_register)
    import_job_run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == B.DONE and batch.imported == 6
    file_numbers = {number for number, _, _ in _numbers(station_a)}
    assert {"20250003", "20250007"} <= file_numbers
    assert not {f"2025{serial:04d}" for serial in taken} & file_numbers
    assert min(taken) > 7


def _take_number_7(station) -> None:
    other = EnterpriseFactory(name="晋城市别家有限公司")
    TrackingSheet.objects.create(
        tracking_number="20250007", year=2025, serial=7, station=station, enterprise=other
    )


@pytest.mark.django_db
def test_a_number_taken_before_the_job_starts_refuses_that_row_as_the_confirm_would(
    client_for, station_a, staff_a
):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    _take_number_7(station_a)
    import_job_run(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.imported) == (B.DONE, 5)
    assert {"row": 3, "label": "有误", "reason": "跟踪单号 20250007 在本站已用于另一家企业"} in (
        batch.refused
    )
    page = client_for(staff_a).get(reverse("documents:import_job", args=[batch.pk])).text
    assert "已导入 <strong>5</strong> 条需求；以下 2 行未导入" in page


@pytest.mark.django_db
def test_a_number_taken_while_the_job_reads_the_file_fails_it_with_nothing_imported(
    monkeypatch, client_for, station_a, staff_a
):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    read = import_jobs.batch_analysis

    def read_then_register(*args, **kwargs):
        analysis = read(*args, **kwargs)
        _take_number_7(station_a)  # after the job's reading, before its numbering step
        return analysis

    monkeypatch.setattr(import_jobs, "batch_analysis", read_then_register)
    import_job_run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == B.FAILED and batch.rows_done == 0
    assert batch.error == "第 3 行：跟踪单号 20250007 在本站已用于另一家企业，请重新预检后再导入。"
    assert not Need.objects.exists()
    page = client_for(staff_a).get(reverse("documents:import_job", args=[batch.pk])).text
    assert "在本站已用于另一家企业" in page and "已导入 <strong>0</strong>" in page
    note = Notification.objects.get(recipient=staff_a)
    assert "导入未完成" in note.title and note.url.endswith(f"/imports/{batch.pk}/")


# --- Resuming -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_that_crashed_mid_chunk_resumes_after_its_last_chunk_and_imports_no_row_twice(
    monkeypatch, station_a, staff_a
):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    write, calls = LedgerWriter.write, []

    def crash_in_the_second_chunk(self, outcome):
        calls.append(outcome.row)
        if len(calls) == 4:  # the second row of the second chunk: the first is rolled back
            raise RuntimeError("worker died")
        return write(self, outcome)

    monkeypatch.setattr(LedgerWriter, "write", crash_in_the_second_chunk)
    with pytest.raises(RuntimeError):
        import_job_run(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.imported) == (B.RUNNING, 2, 2)
    assert Need.objects.count() == 2

    monkeypatch.setattr(LedgerWriter, "write", write)
    import_job_run(batch.pk)  # the retry
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.imported) == (B.DONE, 6, 6)
    assert Need.objects.count() == 6
    assert sorted(Need.objects.values_list("events__data__row", flat=True)) == [2, 3, 4, 5, 6, 8]
    assert len(batch.refused) == 1  # row 7 only, not the rows of the first chunk


@pytest.mark.django_db
def test_a_stalled_job_is_queued_again_and_finishes(monkeypatch, station_a, staff_a):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)  # queued, but its worker never ran it
    assert imports_stalled() == []
    later = clock.now() + datetime.timedelta(minutes=import_jobs.IMPORT_STALL_MINUTES + 1)
    assert imports_stalled(later) == [batch.pk]
    monkeypatch.setattr(clock, "now", lambda: later)
    imports_resume()
    batch.refresh_from_db()
    assert batch.status == B.DONE and Need.objects.count() == 6
    assert imports_stalled(later + datetime.timedelta(hours=1)) == []


@pytest.mark.django_db
def test_a_second_run_of_the_same_job_writes_nothing(station_a, staff_a):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    import_job_run(batch.pk)
    import_job_run(batch.pk)  # the task delivered twice
    assert Need.objects.count() == 6


@pytest.mark.django_db
def test_a_job_out_of_retries_fails_and_the_user_is_told(station_a, staff_a):
    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    import_job_fail(batch.pk, JOB_BROKEN)
    batch.refresh_from_db()
    assert batch.status == B.FAILED and batch.error == JOB_BROKEN
    import_job_run(batch.pk)
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_the_dry_run_choices_reach_the_queued_job(station_a, staff_a):
    rows = [*ROWS, _row(8, enterprise="晋城市第1机械有限公司", content="压力表检定1")]
    batch = _batch(station_a, staff_a, rows)
    quality = NeedType.objects.exclude(name="计量").filter(is_active=True).first()
    choices = ImportChoices(types={2: quality}, keep={9})
    assert choices_load(choices_dump(choices)) == choices
    ledger_job_queue(batch=batch, actor=staff_a, choices=choices)
    import_job_run(batch.pk)
    assert Need.objects.count() == 7  # row 9 repeats row 2 and is kept
    assert Need.objects.filter(need_type=quality).count() == 1


@pytest.mark.django_db
def test_a_chunk_of_a_run_another_run_overtook_writes_nothing(station_a, staff_a):
    from hqzt.audit.statemachine import transition

    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    transition(ImportBatch.objects.get(pk=batch.pk), "import_start", None)
    slow = import_jobs.LedgerRun(ImportBatch.objects.get(pk=batch.pk))
    slow.start()
    fast = import_jobs.LedgerRun(ImportBatch.objects.get(pk=batch.pk))
    fast.start()  # numbered already: nothing to do
    import_jobs._chunk(fast, fast.batch)
    with pytest.raises(import_jobs.Superseded):
        import_jobs._chunk(slow, slow.batch)
    assert Need.objects.count() == 2
    assert ImportBatch.objects.get(pk=batch.pk).rows_done == 2


@pytest.mark.django_db
def test_two_runs_starting_together_plan_and_number_once(station_a, staff_a):
    from hqzt.audit.statemachine import transition

    batch = _batch(station_a, staff_a)
    ledger_job_queue(batch=batch, actor=staff_a)
    transition(ImportBatch.objects.get(pk=batch.pk), "import_start", None)
    first = import_jobs.LedgerRun(ImportBatch.objects.get(pk=batch.pk))
    second = import_jobs.LedgerRun(ImportBatch.objects.get(pk=batch.pk))
    first.start()
    numbers = ImportBatch.objects.get(pk=batch.pk).plan["numbers"]
    with pytest.raises(import_jobs.Superseded):
        second.start()
    assert ImportBatch.objects.get(pk=batch.pk).plan["numbers"] == numbers
    import_job_run(batch.pk)  # a delivery of a job already running goes on from its state
    assert Need.objects.count() == 6


@pytest.mark.django_db
def test_rows_another_batch_wrote_after_the_plan_are_already_imported(station_a, staff_a):
    """Probe P3-I1: the same file uploaded twice and both confirmed; the second job planned
    before the first wrote, and its next chunk hit the unique import key (an error and a retry
    30 s later). Those rows are now refused as the dry run would refuse them."""
    from hqzt.audit.statemachine import transition

    first, second = _batch(station_a, staff_a), _batch(station_a, staff_a)
    for batch in (first, second):
        ledger_job_queue(batch=batch, actor=staff_a)
    transition(ImportBatch.objects.get(pk=second.pk), "import_start", None)
    late = import_jobs.LedgerRun(ImportBatch.objects.get(pk=second.pk))
    late.start()
    import_job_run(first.pk)
    while late.batch.rows_done < late.batch.rows_total:
        late.batch = import_jobs._chunk(late, late.batch)
    assert late.batch.imported == 0
    labels = [refusal["label"] for refusal in late.batch.refused]
    assert labels.count("已导入过") == 6 and Need.objects.count() == 6
