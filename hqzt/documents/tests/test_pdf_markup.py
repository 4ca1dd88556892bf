"""Markup in any text that reaches a PDF is printed, never interpreted (issue 13, finding 5): no
server file embedded by `<img>`, no live link by `<a>`, no 500 from `<font name=…>` or an unclosed
tag — in every PDF the system makes."""

import io
import pathlib

import pytest
from django.urls import reverse
from pypdf import PdfReader

import hqzt
from hqzt.core.render.pdf import pdf_markup
from hqzt.enterprises.tests.factories import ChainFactory, TownFactory
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db

MARKUP = (  # short enough for a chain's or town's name (100 characters) with its prefix
    '<img src="/etc/hosts"/><a href="https://evil.example">链</a>'
    '<font name="NoFont">字</font><b>未闭\x0b'  # a control character PostgreSQL can store
)

SHORT = '<a href="https://evil.example">甲</a><b>'


def test_control_characters_never_reach_a_paragraph():
    # NUL cannot even be stored on PostgreSQL (the forms refuse it); the helper drops it anyway.
    assert pdf_markup("甲\x00乙\x0b丙\x1b") == "甲乙丙"


def test_every_paragraph_is_made_by_the_one_escaping_helper():
    """ReportLab's Paragraph parses markup: only core/render/pdf.py::para may call it."""
    root = pathlib.Path(hqzt.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "pdf.py"
        and "Paragraph(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.fixture
def marked_up(drive, station_a, enterprise_a):
    """Every free text a PDF prints holds markup: enterprise, station, chain, town, need."""
    chain, town = ChainFactory(name=f"链{MARKUP}"), TownFactory(name=f"镇{MARKUP}")
    enterprise_a.name = f"企业{MARKUP}"
    enterprise_a.address = MARKUP
    enterprise_a.town = town
    enterprise_a.save()
    enterprise_a.chains.add(chain)
    station_a.name = f"站{SHORT}"
    station_a.service_content = MARKUP
    station_a.route_guidance = MARKUP
    station_a.address = MARKUP
    station_a.save()
    need = drive(Status.ARCHIVED)
    need.content = MARKUP
    need.result = MARKUP
    need.save()
    return {"need": need, "chain": chain, "town": town}


def _pdfs(marked_up, station_a, enterprise_a) -> list[tuple[str, str]]:
    need = marked_up["need"]
    return [
        ("staff_a", reverse("documents:ledger_pdf")),
        ("staff_a", reverse("documents:sheet_document", args=[need.sheet_id, "pdf"])),
        ("staff_a", reverse("documents:evaluation_document", args=[need.pk, "pdf"])),
        ("staff_a", reverse("documents:blank_sheet", args=["pdf"])),
        ("staff_a", reverse("documents:blank_evaluation", args=["pdf"])),
        ("staff_a", reverse("records:enterprise_book_file", args=[enterprise_a.pk, "pdf"])),
        ("supervisor", reverse("records:chain_book_file", args=[marked_up["chain"].pk, "pdf"])),
        ("supervisor", reverse("records:town_book_file", args=[marked_up["town"].pk, "pdf"])),
        ("anonymous", reverse("portal:poster", args=[station_a.pk])),
        ("anonymous", reverse("portal:sign", args=[station_a.pk, "pdf"])),
    ]


def test_markup_is_printed_in_every_pdf(
    client, request, marked_up, station_a, enterprise_a, supervisor
):
    for persona, url in _pdfs(marked_up, station_a, enterprise_a):
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        reader = PdfReader(io.BytesIO(body))
        for page in reader.pages:
            assert "/Annots" not in page, f"{url}: a live link"
            images = page.get("/Resources", {}).get("/XObject", {})
            # Only the posters carry an image: their QR code.
            assert len(images) <= (1 if "portal" in url else 0), f"{url}: an embedded image"
        if "blank" not in url:  # blank forms print no record
            text = "".join(page.extract_text() for page in reader.pages)
            assert 'href="https://evil.example"' in text, url
