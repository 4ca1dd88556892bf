from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hqzt.core.filters import ignored_notice
from hqzt.core.pagination import keyset_paginate
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.selectors import enterprise_get_for_user, enterprises_visible_to
from hqzt.records.archive import archive_search
from hqzt.records.book_documents import book_docx, book_pdf
from hqzt.records.books import Book, chain_book, enterprise_book, town_book
from hqzt.records.forms import PracticeForm
from hqzt.records.models import PracticePhoto
from hqzt.records.practices import (
    may_write,
    practice_get_for_user,
    practice_save,
    practice_stations,
    practices_visible_to,
)

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
