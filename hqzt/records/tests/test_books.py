import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from hqzt.enterprises.tests.factories import ChainFactory
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


# DB1405 §6.6.2
def test_enterprise_book_on_screen_pdf_and_word(client_for, drive, staff_a, enterprise_a):
    need = drive(Status.AWAITING_ARCHIVE)
    client = client_for(staff_a)
    page = client.get(reverse("records:enterprise_book", args=[enterprise_a.pk])).text
    assert "一企一册" in page and need.content in page and "满意" in page
    pdf = client.get(reverse("records:enterprise_book_file", args=[enterprise_a.pk, "pdf"])).content
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert enterprise_a.name in text and need.content in text and "满意率" in text
    font = reader.pages[0]["/Resources"]["/Font"]
    assert any("NotoSansSC" in str(f.get_object()["/BaseFont"]) for f in font.values())
    docx = client.get(
        reverse("records:enterprise_book_file", args=[enterprise_a.pk, "docx"])
    ).content
    document = Document(io.BytesIO(docx))
    assert document.tables[1].rows[1].cells[3].text == need.content
    assert "服务档案" in document.paragraphs[0].text


def test_books_follow_scope(client_for, staff_b, enterprise_a, enterprise_b, drive):
    drive(Status.REGISTERED)
    client = client_for(staff_b)
    assert client.get(reverse("records:enterprise_book", args=[enterprise_a.pk])).status_code == 404
    chain = ChainFactory(chain_leader=enterprise_a)
    enterprise_a.chains.add(chain)
    enterprise_b.chains.add(chain)
    page = client.get(reverse("records:chain_book", args=[chain.pk])).text
    assert enterprise_b.name in page and enterprise_a.name not in page


# DB1405 §6.6.2
def test_chain_book_puts_the_leader_first(client_for, supervisor, enterprise_a, enterprise_b):
    chain = ChainFactory(chain_leader=enterprise_b)
    enterprise_a.chains.add(chain)
    enterprise_b.chains.add(chain)
    page = client_for(supervisor).get(reverse("records:chain_book", args=[chain.pk])).text
    assert page.index(enterprise_b.name) < page.index(enterprise_a.name)
    assert "链主企业" in page
