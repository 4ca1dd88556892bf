"""Closing an archive book for a year (§6.6.2 统一归档, §6.6.4): the station's records of that
year are rendered once into a PDF that is stored and never rebuilt, with its retention date."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.records.book_documents import book_pdf
from hqzt.records.books import Book, Scope, chain_book, enterprise_book, town_book
from hqzt.records.models import ClosedBook
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_led_by, stations_visible_to

ALREADY_CLOSED = "该服务站这一年度的档案册已经封存。"


def closed_books_visible_to(user: User) -> QuerySet[ClosedBook]:
    """A sealed volume holds the whole station's records of its year, built with the sealing
    chief's scope: it is read by the station's own people (an active membership), those who
    oversee the station, and administrators (§6.6, ADR 0002). A section handler sees only the
    needs dispatched to their sections, so no volume: through one they would read every other
    section's needs (outside probe X1)."""
    if not (user.is_admin or user.is_station_staff or user.is_supervisor):
        return ClosedBook.objects.none()
    return ClosedBook.objects.filter(station__in=stations_visible_to(user).values("pk"))


def closing_stations(user: User) -> QuerySet[Station]:
    """Stations whose books the user may close: their own as chief/deputy, or those they oversee."""
    stations = stations_visible_to(user)
    if user.is_supervisor:
        return stations
    return stations_led_by(user)


def _build(user: User, kind: str, subject, scope: Scope) -> Book:
    if kind == ClosedBook.Kind.ENTERPRISE:
        return enterprise_book(user, subject, scope)
    visible = enterprises_visible_to(user)
    if kind == ClosedBook.Kind.CHAIN:
        return chain_book(user, subject, visible, scope)
    return town_book(user, subject, visible, scope)


@transaction.atomic
def book_close(
    *, actor: User, station: Station, kind: str, subject: Enterprise | Chain | Town, year: int
) -> ClosedBook:
    """Freeze one station's volume of a book for a past year."""
    if not closing_stations(actor).filter(pk=station.pk).exists():
        raise PermissionDenied("只有本站站长、副站长或上级单位可以封存档案册。")
    if kind not in ClosedBook.Kind.values:
        raise ValidationError("档案册类型不正确。")
    today = clock.today()
    if not 2000 <= year < today.year:
        raise ValidationError("只能封存已经结束的年度。")
    if ClosedBook.objects.filter(
        station=station, kind=kind, subject_id=subject.pk, year=year
    ).exists():
        raise ValidationError(ALREADY_CLOSED)
    scope = Scope(station, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    book = _build(actor, kind, subject, scope)
    content = book_pdf(book)
    closed = ClosedBook(
        station=station,
        kind=kind,
        subject_id=subject.pk,
        title=f"{station.name} {book.title}"[:200],
        year=year,
        size=len(content),
        closed_by=actor,
        closed_at=clock.now(),
        retention_until=retention_date(today),
    )
    closed.file.save("book.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            closed.save()
    except IntegrityError as exc:  # closed at the same moment by someone else
        closed.file.delete(save=False)
        raise ValidationError(ALREADY_CLOSED) from exc
    audit_record(actor=actor, action="create", obj=closed)
    return closed
