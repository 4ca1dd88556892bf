"""A ledger mixing rows with and without a 跟踪单号 (probe L1): the numbers the file gives are
reserved before the other rows are numbered, so an unnumbered row never takes a number a later
row gives and the confirm imports what the dry run passed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.documents.import_errors import ImportConflict
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests.test_import import _xlsx
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import Need, TrackingCounter, TrackingSheet

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _row(date, name, phone, kind, content, number):
    return ["", date, name, name[3], phone, kind, content, "", number]


# The probe's G_numbers.xlsx: the station's 2026 counter at 60, the first row without a number,
# the second giving 20260061 — the very serial the first would have taken.
PROBE = [
    _row("2026-11-04", "晋城市戊己化工有限公司", "13811114444", "计量", "流量计校准", ""),
    _row("2026-11-05", "晋城市庚辛纺织有限公司", "13811115555", "标准化", "团体标准", "20260061"),
]


def _numbers(station) -> dict[str, str]:
    return dict(
        TrackingSheet.objects.filter(station=station).values_list(
            "enterprise__name", "tracking_number"
        )
    )


def test_the_probes_file_previews_and_confirms_alike(client_for, staff_a, station_a):
    TrackingCounter.objects.create(station=station_a, year=2026, last_serial=60)
    client = client_for(staff_a)
    upload = _xlsx(PROBE)
    upload.name = "G_numbers.xlsx"
    with clock.travel(NOVEMBER):
        preview = client.post(
            reverse("documents:import_upload"),
            {"station": station_a.pk, "file": upload, "archive": "on"},
        )
        assert "可导入 <strong>2</strong> 行" in preview.text
        batch = ImportBatch.objects.get()
        confirmed = client.post(reverse("documents:import_confirm", args=[batch.pk]))
    assert confirmed.status_code == 302 and Need.objects.count() == 2
    assert _numbers(station_a) == {
        "晋城市庚辛纺织有限公司": "20260061",
        "晋城市戊己化工有限公司": "20260062",
    }
    assert TrackingCounter.objects.get(station=station_a, year=2026).last_serial == 62


def test_a_number_ahead_of_the_counter_is_kept_free_for_its_row(staff_a, station_a):
    """The probe's A_messy.xlsx: 20260301 moves the counter, an unnumbered row follows, then
    20260302 — the unnumbered row takes 20260303."""
    rows = [
        _row("2026-11-01", "晋城市甲一机械有限公司", "13811110001", "计量", "检定", "20260301"),
        _row("2026-11-02", "晋城市乙二机械有限公司", "13811110002", "计量", "校准", ""),
        _row("2026-11-03", "晋城市丙三机械有限公司", "13811110003", "计量", "检测", "20260302"),
    ]
    with clock.travel(NOVEMBER):
        analysis = analyse(_xlsx(rows), "A_messy.xlsx", station_a)
        assert analysis.counts["ok"] == 3
        ledger_import_apply(
            analysis=analysis, station=station_a, actor=staff_a, archive=True, file_name="a"
        )
    assert _numbers(station_a) == {
        "晋城市甲一机械有限公司": "20260301",
        "晋城市乙二机械有限公司": "20260303",
        "晋城市丙三机械有限公司": "20260302",
    }


def test_a_number_the_station_gave_another_enterprise_is_still_refused(staff_a, station_a):
    """Reserving changes nothing for a real clash: that row is refused, nothing is imported."""
    taken = EnterpriseFactory(name="晋城市已登记企业有限公司")
    TrackingSheet.objects.create(
        tracking_number="20260061", year=2026, serial=61, station=station_a, enterprise=taken
    )
    with clock.travel(NOVEMBER):
        analysis = analyse(_xlsx(PROBE), "G_numbers.xlsx", station_a)
        refused = [r for r in analysis.rows if r.status == "rejected"]
        assert [r.row for r in refused] == [5] and "已用于另一家企业" in refused[0].reason
        # Had the number been taken after the dry run, the confirm refuses the whole file.
        TrackingSheet.objects.filter(tracking_number="20260061").delete()
        stale = analyse(_xlsx(PROBE), "G_numbers.xlsx", station_a)
        TrackingSheet.objects.create(
            tracking_number="20260061", year=2026, serial=61, station=station_a, enterprise=taken
        )
        with pytest.raises(ImportConflict, match="跟踪单号 20260061 在本站已用于另一家企业"):
            ledger_import_apply(
                analysis=stale, station=station_a, actor=staff_a, archive=True, file_name="g"
            )
    assert not Need.objects.exists()
