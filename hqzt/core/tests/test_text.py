"""Bidirectional-override and zero-width characters never reach a stored name (issue 13, 8)."""

import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from hqzt.core.text import INVISIBLE, name_clean

SPOOF = "\u202e司公限有\u202c甲\u200b乙\u2066丙\u2069\ufeff"
HIDDEN = [chr(c) for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@given(st.text(alphabet=st.sampled_from([*HIDDEN, "甲", "a", " ", "\t"]) | st.characters()))
def test_a_clean_name_holds_no_hidden_character_and_cleaning_twice_changes_nothing(raw):
    name = name_clean(raw)
    assert not INVISIBLE.search(name)
    assert name == name.strip() and "  " not in name
    assert name_clean(name) == name


def test_every_listed_character_is_removed():
    assert name_clean("".join(HIDDEN) + "甲乙") == "甲乙"


@pytest.mark.django_db
def test_names_arrive_clean_by_every_path(client, client_for, staff_a, station_a):
    from hqzt.enterprises.models import Enterprise, EnterpriseContact
    from hqzt.needs.models import Need, NeedType

    response = client.post(
        reverse("portal:submit", args=[station_a.pk]),
        {
            "enterprise_name": f"门户{SPOOF}",
            "contact_name": f"孙{SPOOF}",
            "contact_phone": "13903561234",
            "need_type": NeedType.objects.get(code="metrology").pk,
            "content": "检定",
            "key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    response = client.post(
        reverse("api:portal-submit"),
        {
            "station": station_a.pk,
            "enterprise_name": f"接口{SPOOF}",
            "contact_name": f"李{SPOOF}",
            "contact_phone": "13903561234",
            "need_type": "metrology",
            "content": "检定",
            "idempotency_key": str(uuid.uuid4()),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client_for(staff_a).post(
        reverse("enterprises:create"),
        {
            "name": f"网页{SPOOF}",
            "stations": [station_a.pk],
            "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "0",
            "c-0-name": f"王{SPOOF}",
            "c-0-phone": "13903561234",
        },
    )
    assert response.status_code == 302, response.content
    names = [
        *Enterprise.objects.values_list("name", flat=True),
        *EnterpriseContact.objects.values_list("name", flat=True),
        *Need.objects.values_list("contact_name", flat=True),
    ]
    assert len(names) == 6  # three enterprises, a contact, two needs
    assert not any(INVISIBLE.search(n) for n in names), names
    assert "门户司公限有甲乙丙" in names
