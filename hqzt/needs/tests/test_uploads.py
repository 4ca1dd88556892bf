"""Uploads (issue 13, finding 7): the stored name's extension comes from the detected type, an
OOXML zip bomb is refused before it is opened, an oversized body is refused before it is read."""

import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.needs.attachments import attachment_name
from hqzt.needs.models import Attachment, Need, NeedType

pytestmark = pytest.mark.django_db


def _portal(client, station, *files):
    return client.post(
        reverse("portal:submit", args=[station.pk]),
        {
            "enterprise_name": "晋城市上传测试有限公司",
            "contact_name": "孙",
            "contact_phone": "13903561234",
            "need_type": NeedType.objects.get(code="metrology").pk,
            "content": "附件",
            "key": str(uuid.uuid4()),
            "attachments": list(files),
        },
    )


@pytest.mark.parametrize("name", ["报告.html", "报告.exe", "报告.svg", "报告"])
def test_a_pdf_is_stored_and_served_as_pdf_whatever_its_name(
    client, client_for, station_a, staff_a, name
):
    _portal(client, station_a, SimpleUploadedFile(name, b"%PDF-1.4 <html><script>"))
    attachment = Attachment.objects.get()
    assert attachment.original_name == "报告.pdf"
    station_a.enterprises.add(Need.objects.get().enterprise)
    response = client_for(staff_a).get(reverse("needs:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    assert ".html" not in response["Content-Disposition"]


def test_names_keep_their_stem_and_take_the_detected_extension():
    assert attachment_name("现场照片.PNG.exe", "image/png") == "现场照片.PNG.png"
    assert attachment_name("", "application/pdf") == "附件.pdf"
    assert attachment_name("台账.xls", "application/msword") == "台账.xls"
    assert attachment_name("a/b\\c.svg", "image/jpeg") == "a_b_c.jpg"
    assert len(attachment_name("长" * 300 + ".pdf", "application/pdf")) == 200


def _ooxml(member_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * member_bytes)
    return buffer.getvalue()


def test_an_ooxml_zip_bomb_is_refused(client, station_a, client_for, staff_a):
    bomb = _ooxml(30 * 1024 * 1024)  # ~30 KB that would become 30 MB
    assert len(bomb) < 100 * 1024
    response = _portal(client, station_a, SimpleUploadedFile("bomb.docx", bomb))
    assert "解压后过大" in response.text and not Need.objects.exists()
    upload = client_for(staff_a).post(
        reverse("documents:import_upload"),
        {"station": station_a.pk, "file": SimpleUploadedFile("ledger.xlsx", bomb)},
    )
    assert "解压后过大" in upload.text


def test_an_ordinary_docx_still_passes(client, station_a):
    _portal(client, station_a, SimpleUploadedFile("说明.docx", _ooxml(2000)))
    assert Attachment.objects.get().original_name == "说明.docx"


@pytest.mark.parametrize("url", ["/portal/stations/1/submit/", "/api/v1/portal/submit/"])
def test_an_oversized_body_is_refused_before_it_is_read(client, settings, url):
    """The test client's payload refuses to be read past its one byte: reading the declared
    50 MB (as Django does for uploaded files) would fail the test."""
    response = client.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "不能超过 31 MB" in response.content.decode()
