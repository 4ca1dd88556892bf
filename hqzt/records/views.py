from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from hqzt.core.filters import ignored_notice
from hqzt.core.pagination import keyset_paginate
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.selectors import enterprise_get_for_user, enterprises_visible_to
from hqzt.records.archive import archive_search
from hqzt.records.book_documents import book_docx, book_pdf
from hqzt.records.books import Book, chain_book, enterprise_book, town_book

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _respond(
    request: HttpRequest, book: Book, fmt: str | None, file_url: str, pk: int
) -> HttpResponse:
    if fmt is None:
        urls = {f: reverse(file_url, args=[pk, f]) for f in ("pdf", "docx")}
        return render(request, "records/book.html", {"book": book, "urls": urls})
    if fmt not in ("pdf", "docx"):
        raise Http404("不支持的格式")
    content = book_pdf(book) if fmt == "pdf" else book_docx(book)
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(book.title)}.{fmt}"
    return response


@login_required
def enterprise(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    obj, _ = enterprise_get_for_user(request.user, pk)
    book = enterprise_book(request.user, obj)
    return _respond(request, book, fmt, "records:enterprise_book_file", pk)


@login_required
def chain(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Chain.objects.select_related("chain_leader"), pk=pk)
    book = chain_book(request.user, obj, enterprises_visible_to(request.user))
    return _respond(request, book, fmt, "records:chain_book_file", pk)


@login_required
def town(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Town, pk=pk)
    book = town_book(request.user, obj, enterprises_visible_to(request.user))
    return _respond(request, book, fmt, "records:town_book_file", pk)


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    needs, facets, form = archive_search(request.user, request.GET)
    if form.ignored:
        messages.warning(request, ignored_notice(form.ignored))
    page = keyset_paginate(
        needs.select_related("sheet", "enterprise", "station", "archive_category"), request.GET
    )
    return render(
        request, "records/archive.html", {"page": page, "facets": facets, "filters": form}
    )
