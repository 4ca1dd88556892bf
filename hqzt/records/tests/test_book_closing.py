"""§6.6.2: the books hold the related visits, trainings, policies and attachments; every enterprise
(paged on screen, all in the files); a volume is closed for a year into a stored, frozen PDF with
its retention date (§6.6.4)."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.enterprises.tests.factories import ChainFactory, EnterpriseFactory, TownFactory
from hqzt.needs.attachments import attachment_add
from hqzt.needs.states import Status
from hqzt.operations.models import Training, Visit
from hqzt.policies.models import Policy
from hqzt.records.closing import book_close, closed_books_visible_to
from hqzt.records.models import ClosedBook
from hqzt.supervision.conformance import station_checks

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
LAST_YEAR = clock.today().year - 1


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def chain(enterprise_a):
    chain = ChainFactory(name="光机电产业链", chain_leader=enterprise_a)
    enterprise_a.chains.add(chain)
    return chain


# DB1405 §6.6.2
def test_chain_book_holds_visits_trainings_policies_and_attachments(
    client_for, chain, station_a, enterprise_a, staff_a, drive
):
    need = drive(Status.AWAITING_ARCHIVE)
    attachment_add(
        need=need, actor=staff_a, upload=SimpleUploadedFile("检定证书.pdf", b"%PDF-1.4 x")
    )
    Visit.objects.create(
        station=station_a,
        enterprise=enterprise_a,
        planned_on=clock.today(),
        visited_on=clock.today(),
        purpose="了解质量提升需求",
        findings="企业计划扩产",
    )
    training = Training.objects.create(
        station=station_a,
        topic="计量器具管理培训",
        held_on=clock.today(),
        organiser_kind=Training.Organiser.choices[0][0],
        organiser="市计量所",
    )
    training.enterprises.add(enterprise_a)
    policy = Policy.objects.create(
        title="光机电产业链质量提升若干措施", issuer="市局", issued_on="2025-03-01", summary="摘要"
    )
    policy.chains.add(chain)
    client = client_for(staff_a)
    page = client.get(reverse("records:chain_book", args=[chain.pk])).text
    for text in ("了解质量提升需求", "计量器具管理培训", policy.title, "检定证书.pdf"):
        assert text in page
    pdf = _pdf_text(client.get(reverse("records:chain_book_file", args=[chain.pk, "pdf"])).content)
    for text in ("走访记录", "了解质量提升需求", "计量器具管理培训", "检定证书.pdf"):
        assert text in pdf
    docx = Document(
        io.BytesIO(client.get(reverse("records:chain_book_file", args=[chain.pk, "docx"])).content)
    )
    cells = {c.text for t in docx.tables for r in t.rows for c in r.cells}
    assert policy.title in cells and "计量器具管理培训" in cells


def test_a_town_of_many_enterprises_is_paged_on_screen_and_whole_in_the_files(
    client_for, supervisor, station_a
):
    town = TownFactory(name="巴公装备制造专业镇")
    names = [f"巴公企业{i:03d}有限公司" for i in range(230)]
    station_a.enterprises.add(*[EnterpriseFactory(name=name, town=town) for name in names])
    client = client_for(supervisor)
    first = client.get(reverse("records:town_book", args=[town.pk])).text
    assert "共 230 家企业，第 1/5 页" in first
    assert names[0] in first and names[60] not in first
    last = client.get(reverse("records:town_book", args=[town.pk]) + "?page=5").text
    assert names[-1] in last  # nothing silently cut at 200
    docx = Document(
        io.BytesIO(client.get(reverse("records:town_book_file", args=[town.pk, "docx"])).content)
    )
    text = "\n".join(p.text for p in docx.paragraphs)
    assert all(name in text for name in names)


@pytest.fixture
def last_years_need(register):
    with clock.travel(datetime.datetime(LAST_YEAR, 6, 2, 10, tzinfo=TZ)):
        return register()[0]


# DB1405 §6.6.2 §6.6.4
def test_the_chief_closes_last_year_into_a_frozen_pdf_with_its_retention_date(
    client_for, chief_a, station_a, enterprise_a, last_years_need, register
):
    register()  # this year's need stays out of last year's volume
    response = client_for(chief_a).post(
        reverse("records:book_close", args=["enterprise", enterprise_a.pk]),
        {"station": station_a.pk, "year": LAST_YEAR},
    )
    assert response.status_code == 302
    closed = ClosedBook.objects.get()
    assert closed.retention_until == retention_date(clock.today())
    stored = closed.file.read()
    text = _pdf_text(stored)
    assert last_years_need.content in text and f"{LAST_YEAR}年01月01日" in text
    assert last_years_need.sheet.tracking_number in text
    # Frozen: a later change does not reach the stored document.
    last_years_need.content = "后来改过的内容"
    last_years_need.save()
    download = client_for(chief_a).get(reverse("records:closed_book_file", args=[closed.pk]))
    assert b"".join(download.streaming_content) == stored
    page = client_for(chief_a).get(reverse("records:enterprise_book", args=[enterprise_a.pk]))
    assert f"{LAST_YEAR} 年度" in page.text


def test_a_volume_is_closed_once_and_only_for_a_past_year(chief_a, station_a, enterprise_a):
    book_close(
        actor=chief_a, station=station_a, kind="enterprise", subject=enterprise_a, year=LAST_YEAR
    )
    with pytest.raises(ValidationError, match="已经封存"):
        book_close(
            actor=chief_a,
            station=station_a,
            kind="enterprise",
            subject=enterprise_a,
            year=LAST_YEAR,
        )
    with pytest.raises(ValidationError, match="只能封存已经结束的年度"):
        book_close(
            actor=chief_a,
            station=station_a,
            kind="enterprise",
            subject=enterprise_a,
            year=clock.today().year,
        )


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "handler", "county_supervisor"])
def test_who_may_not_close(request, persona, station_a, enterprise_a):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        book_close(
            actor=user, station=station_a, kind="enterprise", subject=enterprise_a, year=LAST_YEAR
        )
    assert not ClosedBook.objects.exists()


def test_closed_volumes_are_scoped(client_for, supervisor, staff_b, station_a, chain):
    closed = book_close(
        actor=supervisor, station=station_a, kind="chain", subject=chain, year=LAST_YEAR
    )
    url = reverse("records:closed_book_file", args=[closed.pk])
    assert client_for(supervisor).get(url).status_code == 200
    assert client_for(staff_b).get(url).status_code == 404
    close = reverse("records:book_close", args=["chain", chain.pk])
    response = client_for(staff_b).post(close, {"station": station_a.pk, "year": LAST_YEAR})
    assert response.status_code == 403
    assert ClosedBook.objects.count() == 1


# DB1405 §6.6.2
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("chief_a", True),
        ("staff_a", True),
        ("supervisor", True),
        ("admin_user", True),
        ("handler", False),  # sees only its sections' needs; a volume holds every section's
        ("staff_b", False),
        ("county_supervisor", False),
    ],
)
def test_who_reads_a_sealed_volume(
    request, client_for, persona, allowed, chief_a, station_a, enterprise_a, last_years_need
):
    closed = book_close(
        actor=chief_a, station=station_a, kind="enterprise", subject=enterprise_a, year=LAST_YEAR
    )
    client = client_for(request.getfixturevalue(persona))
    url = reverse("records:closed_book_file", args=[closed.pk])
    assert client.get(url).status_code == (200 if allowed else 404)
    assert (closed in closed_books_visible_to(request.getfixturevalue(persona))) is allowed


def test_self_check_wants_last_years_volume_closed(chief_a, station_a, enterprise_a, register):
    def check():
        return next(c for c in station_checks(station_a) if c.clause == "6.6.2")

    assert check().passed and "没有需求记录" in check().evidence
    with clock.travel(datetime.datetime(LAST_YEAR, 6, 2, 10, tzinfo=TZ)):
        register()
    assert not check().passed and "尚未封存" in check().evidence
    book_close(
        actor=chief_a, station=station_a, kind="enterprise", subject=enterprise_a, year=LAST_YEAR
    )
    assert check().passed and "已封存 1 册" in check().evidence
