"""典型案例 — a station's good practice (§6.6.3): text, photos and the related needs, written by
the station's chief or deputy (or the superior unit) and published on the portal."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.attachments import MAX_BYTES, sniff_content_type
from hqzt.needs.models import Need
from hqzt.records.models import GoodPractice, PracticePhoto
from hqzt.stations.models import Station
from hqzt.stations.selectors import leads_station, stations_led_by, stations_visible_to

MAX_PHOTOS = 9
PHOTO_TYPES = {"image/png", "image/jpeg"}


def practices_visible_to(user: User) -> QuerySet[GoodPractice]:
    return GoodPractice.objects.filter(station__in=stations_visible_to(user).values("pk"))


def practice_get_for_user(user: User, pk: int) -> GoodPractice:
    practice = practices_visible_to(user).select_related("station", "created_by").filter(pk=pk)
    if not practice:
        raise Http404("案例不存在或无权查看")
    return practice[0]


def practices_published() -> QuerySet[GoodPractice]:
    return (
        GoodPractice.objects.filter(published_at__isnull=False, station__is_active=True)
        .select_related("station")
        .order_by("-published_at")
    )


def may_write(user: User, station: Station) -> bool:
    """The station's chief or deputy, or a supervisor over it (as for need showcases)."""
    if user.is_supervisor:
        return stations_visible_to(user).filter(pk=station.pk).exists()
    return leads_station(user, station.pk)


def practice_stations(user: User) -> QuerySet[Station]:
    stations = stations_visible_to(user)
    if user.is_supervisor:
        return stations
    return stations_led_by(user)


def _photo_check(upload: UploadedFile) -> str:
    if upload.size == 0:
        raise ValidationError("照片是空文件。")
    if upload.size > MAX_BYTES:
        raise ValidationError(f"每张照片不能超过 {MAX_BYTES // 1024 // 1024} MB。")
    content_type = sniff_content_type(upload)
    if content_type not in PHOTO_TYPES:
        raise ValidationError("照片仅支持 JPG、PNG 格式。")
    return content_type


# DB1405 §6.6.3
@transaction.atomic
def practice_save(
    *,
    actor: User,
    station: Station,
    title: str,
    summary: str,
    needs: Iterable[Need] = (),
    photos: Iterable[UploadedFile] = (),
    publish: bool = False,
    practice: GoodPractice | None = None,
) -> GoodPractice:
    """Write (or revise) a good practice; photos are added to those it has."""
    if not may_write(actor, station):
        raise PermissionDenied("只有本站站长、副站长或上级单位可以撰写典型案例。")
    if practice is not None and practice.station_id != station.pk:
        raise ValidationError("案例不能改到其他服务站。")
    title, summary = title.strip(), summary.strip()
    if not title or not summary:
        raise ValidationError("请填写案例标题和经验做法。")
    needs, photos = list(needs), list(photos)
    if any(n.station_id != station.pk for n in needs):
        raise ValidationError("相关需求须是本站的需求。")
    existing = practice.photos.count() if practice is not None else 0
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError(f"每个案例最多 {MAX_PHOTOS} 张照片。")
    types = [_photo_check(p) for p in photos]
    practice = practice or GoodPractice(station=station, created_by=actor)
    practice.title, practice.summary = title[:100], summary
    if publish and practice.published_at is None:
        practice.published_at = clock.now()
    if not publish:
        practice.published_at = None
    practice.save()
    practice.needs.set(needs)
    for upload, content_type in zip(photos, types, strict=True):
        photo = PracticePhoto(practice=practice, content_type=content_type)
        photo.file.save("photo", upload, save=False)
        photo.save()
    return practice
