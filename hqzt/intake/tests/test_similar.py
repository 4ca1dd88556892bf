"""Similar needs on the need page: a probable duplicate of the same enterprise, and archived
needs with similar text and their outcome — found through indexes."""

import datetime

import pytest
from django.urls import reverse

from hqzt.intake.models import SimilarityKey
from hqzt.intake.similar import band_keys, probable_duplicates, similar_archived
from hqzt.needs.models import Channel, Need, Source
from hqzt.needs.selectors import needs_visible_to
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_text(staff_a, station_a, metrology):
    def make(text: str, enterprise):
        sheet = need_register(
            actor=staff_a,
            station=station_a,
            enterprise=enterprise,
            contact_name="王经理",
            contact_phone="13812345678",
            source=Source.INBOUND,
            channel=Channel.objects.get(code="phone"),
            items=[NeedItem(need_type=metrology, content=text)],
        )
        return sheet.needs.get()

    return make


def test_near_identical_texts_share_band_keys_and_unrelated_do_not() -> None:
    a = set(band_keys("厂里地磅检定到期了，请安排上门检定"))
    b = set(band_keys("厂里的地镑检订到期了，请安排上门检定。"))
    c = set(band_keys("想申请高新技术企业认定"))
    assert len(a & b) >= 8
    assert not a & c


def test_only_archived_needs_are_indexed_with_their_station(
    register_text, enterprise_a, drive
) -> None:
    need = register_text("加油机检定到期", enterprise_a)
    assert not SimilarityKey.objects.filter(need=need).exists()
    archived = drive(Status.ARCHIVED)
    keys = SimilarityKey.objects.filter(need=archived)
    assert keys.count() == len(set(band_keys(archived.content)))
    assert set(keys.values_list("station_id", flat=True)) == {archived.station_id}


def test_each_band_key_reads_only_its_newest_needs(drive, staff_a, supervisor, monkeypatch) -> None:
    """A band that tens of thousands of needs share costs PER_KEY rows, not all of them."""
    from hqzt.intake import similar

    old, mid, new = (drive(Status.ARCHIVED) for _ in range(3))
    Need.objects.filter(pk__in=[old.pk, mid.pk, new.pk]).update(content="超市的电子秤要做检定")
    for need in Need.objects.filter(pk__in=[old.pk, mid.pk, new.pk]):
        similar.index_need(need)
    monkeypatch.setattr(similar, "PER_KEY", 2)
    for user in (staff_a, supervisor):
        found = similar_archived("超市电子秤要检定", user)
        assert {s.need.pk for s in found} == {mid.pk, new.pk}


def test_same_enterprise_near_identical_text_is_a_probable_duplicate(
    register_text, enterprise_a, staff_a, station_a
) -> None:
    from hqzt.enterprises.tests.factories import EnterpriseFactory

    first = register_text("厂里地磅检定到期了，请安排上门检定", enterprise_a)
    register_text("想申请高新技术企业认定", enterprise_a)  # same enterprise, unrelated
    other = EnterpriseFactory(name="另一家公司有限公司")
    station_a.enterprises.add(other)
    register_text("厂里地磅检定到期了，请安排上门检定", other)  # same words, other enterprise
    again = register_text("厂里的地镑检订到期了，请安排上门检定。", enterprise_a)
    found = probable_duplicates(again, needs_visible_to(staff_a))
    assert [s.need.pk for s in found] == [first.pk]
    assert found[0].similarity > 0.6


def test_an_old_need_is_not_a_duplicate(register_text, enterprise_a, staff_a) -> None:
    first = register_text("厂里地磅检定到期了，请安排上门检定", enterprise_a)
    again = register_text("厂里地磅检定到期了，请安排上门检定", enterprise_a)
    Need.objects.filter(pk=first.pk).update(
        registered_on=again.registered_on - datetime.timedelta(days=91)
    )
    again.refresh_from_db()
    assert probable_duplicates(again, needs_visible_to(staff_a)) == []


def test_archived_similar_needs_come_with_their_outcome(
    drive, register_text, enterprise_a, staff_a, client_for
) -> None:
    archived = drive(Status.ARCHIVED)  # "电子秤检定第1项", done by 计量科
    Need.objects.filter(pk=archived.pk).update(content="超市的电子秤要做检定，请安排")
    SimilarityKey.objects.filter(need=archived).delete()
    from hqzt.intake.similar import index_need

    index_need(Need.objects.get(pk=archived.pk))
    register_text("想申请高新技术企业认定", enterprise_a)
    new = register_text("我们超市电子秤要检定，怎么安排", enterprise_a)
    found = similar_archived(new.content, staff_a, exclude=new.pk)
    assert [s.need.pk for s in found] == [archived.pk]
    page = client_for(staff_a).get(reverse("needs:detail", args=[new.pk])).text
    assert "以往相似需求的办理结果" in page
    assert "牵头科室：计量科" in page and "已完成检定并出具证书" in page
    assert similar_archived("想申请高新技术企业认定", staff_a) == []


def test_other_stations_needs_are_never_listed(drive, register_text, enterprise_a, staff_b) -> None:
    archived = drive(Status.ARCHIVED)
    assert similar_archived(archived.content, staff_b) == []
