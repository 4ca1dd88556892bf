import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.core.filters import ignored_notice
from hqzt.core.pagination import NEWEST, sort_choice, sort_pair, sort_table, sorted_paginate
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.selectors import enterprise_get_for_user, enterprises_visible_to
from hqzt.records import closing
from hqzt.records.archive import archive_search
from hqzt.records.book_documents import book_docx, book_pdf
from hqzt.records.books import Book, chain_book, enterprise_book, town_book
from hqzt.records.closing import closed_books_visible_to, closing_stations
from hqzt.records.forms import CloseBookForm, PracticeForm
from hqzt.records.models import PracticePhoto
from hqzt.records.practices import (
    may_write,
    practice_get_for_user,
    practice_save,
    practice_stations,
    practices_visible_to,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


BOOK_PAGE = 50  # enterprises per page on screen; the PDF and Word files hold them all


def _respond(
    request: HttpRequest, book: Book, fmt: str | None, file_url: str, pk: int, kind: str
) -> HttpResponse:
    if fmt is None:
        urls = {f: reverse(file_url, args=[pk, f]) for f in ("pdf", "docx")}
        paginator = Paginator(book.sections, BOOK_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        stations = closing_stations(request.user)
        return render(
            request,
            "records/book.html",
            {
                "book": book,
                "urls": urls,
                "page": page,
                "closed": closed_books_visible_to(request.user)
                .filter(kind=kind, subject_id=pk)
                .select_related("station", "closed_by")
                .order_by("-year", "station__name"),
                "close_form": CloseBookForm(stations=stations) if stations.exists() else None,
                "close_url": reverse("records:book_close", args=[kind, pk]),
            },
        )
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
    return _respond(request, book, fmt, "records:enterprise_book_file", pk, "enterprise")


@login_required
def chain(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Chain.objects.select_related("chain_leader"), pk=pk)
    book = chain_book(request.user, obj, enterprises_visible_to(request.user))
    return _respond(request, book, fmt, "records:chain_book_file", pk, "chain")


@login_required
def town(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Town, pk=pk)
    book = town_book(request.user, obj, enterprises_visible_to(request.user))
    return _respond(request, book, fmt, "records:town_book_file", pk, "town")


def _subject(user, kind: str, pk: int):
    if kind == "enterprise":
        return enterprise_get_for_user(user, pk)[0]
    if kind == "chain":
        return get_object_or_404(Chain, pk=pk)
    if kind == "town":
        return get_object_or_404(Town, pk=pk)
    raise Http404("不支持的档案册")


@login_required
@require_POST
def book_close_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Close one station's volume of a book for a past year into a stored PDF."""
    subject = _subject(request.user, kind, pk)
    stations = closing_stations(request.user)
    if not stations.exists():
        raise PermissionDenied("只有本站站长、副站长或上级单位可以封存档案册。")
    form = CloseBookForm(request.POST, stations=stations)
    back = reverse(f"records:{kind}_book", args=[pk])
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        closed = closing.book_close(
            actor=request.user,
            station=form.cleaned_data["station"],
            kind=kind,
            subject=subject,
            year=form.cleaned_data["year"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已封存：{closed}，保存至 {closed.retention_until:%Y-%m-%d}。")
    return redirect(back)


@login_required
def closed_book_file(request: HttpRequest, pk: int) -> FileResponse:
    closed = get_object_or_404(closed_books_visible_to(request.user), pk=pk)
    return FileResponse(
        closed.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{closed.title}（{closed.year}年度）.pdf",
    )


# The archive's orders: each walks an index of (field, id) on needs — need_archived_id for the
# filing time, need_registered_id (the ledger's) for the registration date.
ARCHIVE_SORTS = sort_table(
    NEWEST,
    sort_pair("archived", "归档时间", "archived_at", parse=datetime.datetime.fromisoformat),
    sort_pair("date", "登记日期", "registered_on", parse=datetime.date.fromisoformat),
)


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    needs, facets, form = archive_search(request.user, request.GET)
    if form.ignored:
        messages.warning(request, ignored_notice(form.ignored))
    sort = sort_choice(request.GET, ARCHIVE_SORTS, NEWEST.key)
    page = sorted_paginate(
        needs.select_related("sheet", "enterprise", "station", "archive_category"),
        request.GET,
        sort,
    )
    return render(
        request,
        "records/archive.html",
        {"page": page, "sort": sort, "facets": facets, "filters": form},
    )


# --- 典型案例: good practices (§6.6.3) ------------------------------------------------------------


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = (
        practices_visible_to(request.user)
        .select_related("station", "created_by")
        .order_by("-created_at")[:300]
    )
    return render(
        request,
        "records/practice_list.html",
        {"practices": practices, "can_add": practice_stations(request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    practice = practice_get_for_user(request.user, pk) if pk else None
    stations = practice_stations(request.user)
    if practice is not None:
        stations = stations.filter(pk=practice.station_id)
    if not stations.exists():
        raise PermissionDenied("只有本站站长、副站长或上级单位可以撰写典型案例。")
    initial = None
    if practice is not None:
        initial = {
            "station": practice.station,
            "title": practice.title,
            "summary": practice.summary,
            "need_labels": "、".join(n.label for n in practice.needs.select_related("sheet")),
            "publish": practice.published_at is not None,
        }
    form = PracticeForm(
        request.POST or None, request.FILES or None, stations=stations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = practice_save(
                actor=request.user,
                station=data["station"],
                title=data["title"],
                summary=data["summary"],
                needs=data["needs"],
                photos=data["photos"],
                publish=data["publish"],
                practice=practice,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "典型案例已保存。")
            return redirect("records:practice_detail", pk=practice.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {
            "form": form,
            "title": "修改典型案例" if practice else "撰写典型案例",
            "cancel_url": "records:practice_list",
            "multipart": True,
        },
    )


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = practice_get_for_user(request.user, pk)
    return render(
        request,
        "records/practice_detail.html",
        {
            "practice": practice,
            "photos": practice.photos.all(),
            "needs": practice.needs.select_related("sheet", "need_type"),
            "can_edit": may_write(request.user, practice.station),
        },
    )


@login_required
def practice_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(
        PracticePhoto.objects.filter(practice__in=practices_visible_to(request.user)), pk=pk
    )
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
