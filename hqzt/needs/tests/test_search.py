"""The ledger's text search (ADR 0003): the same needs, newest first, whichever way
hqzt.core.search chooses to find them — walking newest-first, walking with an index count, or
through the n-gram index — and a count that stops at its bound."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from hqzt.core import search
from hqzt.core.pagination import sorted_paginate
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.models import Channel, Need, NeedType, Source
from hqzt.needs.services.registration import NeedItem, need_register

pytestmark = pytest.mark.django_db

TEXTS = [
    "电子天平需要周期检定",  # 检 / 检定 common
    "压力表检定到期",
    "产品出厂检验报告",
    "铬铁产品质量抽查",  # 铬铁 rare
    "企业标准自我声明公开",
    "申请周期检定服务",
]

# (WINDOW, UNCOMMON_HITS, COMMON_HITS): each way of finding the rows, and the small scope.
WAYS = {
    "walk": (3, 0, 0),
    "walk, index count": (3, 0, 10**6),
    "index": (3, 10**6, 10**6),
    "small scope": (10**6, 0, 0),
}


@pytest.fixture(params=list(WAYS))
def way(request, monkeypatch):
    window, uncommon, common = WAYS[request.param]
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "UNCOMMON_HITS", uncommon)
    monkeypatch.setattr(search, "COMMON_HITS", common)
    return request.param


def _register(actor, station, enterprise, texts, day):
    sheet = need_register(
        actor=actor,
        station=station,
        enterprise=enterprise,
        contact_name="王经理",
        contact_phone="13812345678",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[
            NeedItem(need_type=NeedType.objects.get(code="metrology"), content=text)
            for text in texts
        ],
    )
    Need.objects.filter(sheet=sheet).update(registered_on=day)
    return list(sheet.needs.order_by("row_number"))


@pytest.fixture
def ledger(staff_a, staff_b, station_a, station_b, enterprise_a, enterprise_b):
    """Two sheets at station A (older, then newer) and one at station B."""
    day = datetime.date(2026, 1, 5)
    older = _register(staff_a, station_a, enterprise_a, TEXTS, day)
    newer = _register(staff_a, station_a, enterprise_a, TEXTS[:3], day)
    other = _register(staff_b, station_b, enterprise_b, TEXTS, day)
    return {"older": older, "newer": newer, "other": other}


def _found(user, term, **params):
    needs, form = ledger_filter(user, {"q": term, **params})
    page = sorted_paginate(needs, QueryDict(""), **form.search.paging)
    return [n.pk for n in page.items], page


def _expected(needs, needle):
    return sorted((n.pk for n in needs if needle in n.content), reverse=True)


@pytest.mark.parametrize("term", ["检", "检定", "周期检定", "铬铁", "没有的词"])
def test_every_way_finds_the_same_needs_newest_first(way, ledger, supervisor, term):
    found, page = _found(supervisor, term)
    assert found == _expected(ledger["newer"] + ledger["older"] + ledger["other"], term)
    assert page.total == len(found) and not page.total_is_bounded


@pytest.mark.parametrize("term", ["检", "检定", "铬铁"])
def test_station_staff_find_only_their_stations_needs(way, ledger, staff_b, term):
    found, _ = _found(staff_b, term)
    assert found == _expected(ledger["other"], term)


def test_the_enterprise_name_is_searched_too(way, ledger, staff_a):
    found, _ = _found(staff_a, "甲站服务")
    assert len(found) == len(TEXTS) + 3


def test_the_count_stops_at_its_bound(way, monkeypatch, ledger, supervisor):
    monkeypatch.setattr(search, "COUNT_BOUND", 2)
    needs, form = ledger_filter(supervisor, {"q": "检"})
    bound = form.search.count_bound
    page = sorted_paginate(needs, QueryDict(""), **form.search.paging)
    assert page.total == min(bound, 11) and page.total_is_bounded == (bound < 11)


def test_the_ledger_page_shows_the_matches_and_their_count(client_for, ledger, staff_a):
    text = client_for(staff_a).get(reverse("needs:ledger"), {"q": "铬铁"}).text
    assert "铬铁产品质量抽查" in text and "共 1 条" in text
    assert "电子天平需要周期检定" not in text


def test_the_api_searches_the_same_way(client_for, ledger, staff_a):
    data = client_for(staff_a).get(reverse("api:needs"), {"q": "检定"}).json()
    found = [row["id"] for row in data["results"]]
    assert found == _expected(ledger["newer"] + ledger["older"], "检定")


# Outside probe 2, S1: the tokens held the first 300 characters of a need's content, the walk and
# the substring test all of it, so a term past the 300th character was found only by walking.
FILLER = "企业希望了解相关政策和办理流程，请服务站协助对接。" * 20


@pytest.mark.parametrize("term", ["锅炉", "锅", "炉检验"])
def test_a_term_past_the_300th_character_is_found_every_way(
    way, ledger, supervisor, staff_b, station_b, enterprise_b, term
):
    day = datetime.date(2026, 1, 5)
    long = _register(staff_b, station_b, enterprise_b, [FILLER[:1990] + "锅炉检验"], day)
    found, page = _found(supervisor, term)
    assert found == [long[0].pk] and page.total == 1


# S2: the tokens held the enterprise's name as it was when the need was saved.
def test_a_renamed_enterprise_is_found_by_its_new_name_every_way(
    way, ledger, staff_a, enterprise_a
):
    enterprise_a.name = "鑫泰隆耀精密铸造有限公司"
    enterprise_a.save()
    ours = sorted((n.pk for n in ledger["newer"] + ledger["older"]), reverse=True)
    for term in ("鑫泰隆耀", "隆耀", "耀"):
        assert _found(staff_a, term)[0] == ours, term
    assert _found(staff_a, "甲站服务")[0] == []


def test_a_rename_retokenises_its_needs_in_batches_and_nothing_else(
    monkeypatch, ledger, enterprise_a
):
    from hqzt.needs import search_text
    from hqzt.needs.models.need import need_ngrams

    monkeypatch.setattr(search_text, "BATCH", 2)
    others = {n.pk: n.search_ngrams for n in ledger["other"]}
    enterprise_a.name = "鑫泰隆耀精密铸造有限公司"
    enterprise_a.save()
    for need in Need.objects.filter(enterprise=enterprise_a):
        assert need.search_ngrams == need_ngrams(need.content, "鑫泰隆耀精密铸造有限公司")
    assert {n.pk: n.search_ngrams for n in Need.objects.filter(pk__in=others)} == others


def test_the_migration_rebuilds_stale_tokens_in_batches(ledger, enterprise_a):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from hqzt.needs.models.need import need_ngrams

    rebuild = importlib.import_module(
        "hqzt.needs.migrations.0021_search_tokens_of_whole_content"
    ).rebuild
    need = ledger["older"][0]
    Need.objects.filter(pk=need.pk).update(content=FILLER + "锅炉", search_ngrams="stale")
    Need.objects.filter(pk=ledger["other"][0].pk).update(search_ngrams="")
    editor = SimpleNamespace(connection=connection)
    assert rebuild(apps, editor, batch=2) == 2
    assert rebuild(apps, editor, batch=2) == 0  # idempotent
    for row in Need.objects.select_related("enterprise"):
        assert row.search_ngrams == need_ngrams(row.content, row.enterprise.name)
