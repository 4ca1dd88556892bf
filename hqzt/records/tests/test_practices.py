"""典型案例 as a station's good practice (§6.6.3): text, photos, related needs; who may write it,
who sees it, what the portal shows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.needs.states import Status
from hqzt.records.models import GoodPractice
from hqzt.records.practices import MAX_PHOTOS, practice_save

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _png(name="p.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


# DB1405 §6.6.3
def test_chief_writes_a_practice_with_photos_and_needs_and_publishes_it(
    client_for, chief_a, station_a, drive, client
):
    needs = [drive(Status.ARCHIVED), drive(Status.ARCHIVED)]
    response = client_for(chief_a).post(
        reverse("records:practice_create"),
        {
            "station": station_a.pk,
            "title": "计量器具季度集中检定",
            "summary": "联合检定机构按季度进园区集中检定，企业不再分散送检。",
            "need_labels": "、".join(n.label for n in needs),
            "photos": [_png("a.png"), _png("b.png")],
            "publish": "on",
        },
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert set(practice.needs.all()) == set(needs) and practice.photos.count() == 2
    assert practice.published_at is not None
    portal = client.get(reverse("portal:cases")).text
    assert "计量器具季度集中检定" in portal and "联合检定机构" in portal
    photo = practice.photos.first()
    response = client.get(reverse("portal:practice_photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_an_unpublished_practice_is_not_on_the_portal(client, chief_a, station_a):
    practice = practice_save(
        actor=chief_a, station=station_a, title="草稿案例", summary="做法", photos=[_png()]
    )
    assert "草稿案例" not in client.get(reverse("portal:cases")).text
    url = reverse("portal:practice_photo", args=[practice.photos.get().pk])
    assert client.get(url).status_code == 404


def test_only_images_are_accepted_as_photos(chief_a, station_a):
    pdf = SimpleUploadedFile("x.png", b"%PDF-1.4 fake", content_type="image/png")
    with pytest.raises(ValidationError, match="照片仅支持 JPG、PNG 格式"):
        practice_save(actor=chief_a, station=station_a, title="案例", summary="做法", photos=[pdf])
    with pytest.raises(ValidationError, match=f"最多 {MAX_PHOTOS} 张照片"):
        practice_save(
            actor=chief_a,
            station=station_a,
            title="案例",
            summary="做法",
            photos=[_png() for _ in range(MAX_PHOTOS + 1)],
        )
    assert not GoodPractice.objects.exists()


def test_a_need_of_another_station_and_empty_text_are_refused(
    supervisor, chief_a, station_a, station_b, drive
):
    need_of_a = drive(Status.ARCHIVED)
    with pytest.raises(ValidationError, match="相关需求须是本站的需求"):
        practice_save(
            actor=supervisor, station=station_b, title="案例", summary="做法", needs=[need_of_a]
        )
    with pytest.raises(ValidationError, match="请填写案例标题和经验做法"):
        practice_save(actor=chief_a, station=station_a, title=" ", summary="做法")


@pytest.mark.parametrize("persona", ["staff_a", "handler", "staff_b"])
def test_resident_staff_handlers_and_other_stations_may_not_write(
    client_for, request, persona, station_a
):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("records:practice_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        practice_save(actor=user, station=station_a, title="案例", summary="做法")


def test_a_supervisor_over_the_station_may_write(supervisor, county_supervisor, station_a):
    assert practice_save(actor=supervisor, station=station_a, title="案例", summary="做法")
    with pytest.raises(PermissionDenied):
        practice_save(actor=county_supervisor, station=station_a, title="案例", summary="做法")


def test_staff_pages_are_scoped(client_for, chief_a, staff_a, staff_b, station_a):
    practice = practice_save(
        actor=chief_a, station=station_a, title="甲站经验", summary="做法", photos=[_png()]
    )
    detail = reverse("records:practice_detail", args=[practice.pk])
    photo = reverse("records:practice_photo", args=[practice.photos.get().pk])
    assert client_for(staff_a).get(detail).status_code == 200
    assert client_for(staff_a).get(photo).status_code == 200
    assert "甲站经验" in client_for(staff_a).get(reverse("records:practice_list")).text
    for url in (detail, photo, reverse("records:practice_edit", args=[practice.pk])):
        assert client_for(staff_b).get(url).status_code == 404
    assert "甲站经验" not in client_for(staff_b).get(reverse("records:practice_list")).text
    # Resident staff of the station read it but do not edit it.
    edit = reverse("records:practice_edit", args=[practice.pk])
    assert client_for(staff_a).post(edit, {"title": "改"}).status_code == 403
