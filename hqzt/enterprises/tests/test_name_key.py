"""Probe E2: the same-name checks compared names exactly, so a space, a trailing 。, full-width or
lower-case letters or 有限责任公司 registered the firm again. Names are compared on one key
(enterprises/names.py) in the form, the service, the picker, the portal's claims and the register
import; the stored name stays as typed. (Another station registering its own record of a name
stays allowed, ADR 0006: test_enterprise_views.py.)"""

import pytest
from django.urls import reverse

from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.names import enterprise_name_key
from hqzt.enterprises.selectors import REGISTERED_ELSEWHERE, SAME_NAME_AT_STATION
from hqzt.enterprises.services import enterprise_for_claim
from hqzt.enterprises.tests.test_enterprise_views import _post

NAME = "晋城市鑫泰机电设备有限公司"
VARIANTS = [
    "晋城市 鑫泰机电设备有限公司",  # an inner space
    "晋城市鑫泰机电设备有限公 司",
    "晋城市\u3000鑫泰机电设备有限公司",  # an ideographic space
    "晋城市鑫泰机电设备有限公司。",  # trailing punctuation
    "晋城市鑫泰机电设备有限公司.",
    "晋城市鑫泰机电设备有限公司，",
    "晋城市鑫泰机电设备有限责任公司",  # the same legal form written in full
]
LATIN = "晋城ABC智能科技有限公司"
LATIN_VARIANTS = ["晋城ＡＢＣ智能科技有限公司", "晋城abc智能科技有限公司"]  # full width, case


def test_the_key_folds_spacing_width_case_punctuation_and_the_legal_form():
    for variant in VARIANTS:
        assert enterprise_name_key(variant) == enterprise_name_key(NAME), variant
    for variant in LATIN_VARIANTS:
        assert enterprise_name_key(variant) == enterprise_name_key(LATIN), variant
    # Different firms stay different.
    assert enterprise_name_key("晋城市鑫泰机电有限公司") != enterprise_name_key(NAME)
    assert enterprise_name_key("晋城市鑫泰机电设备有限公司（晋城）") != enterprise_name_key(NAME)
    assert enterprise_name_key("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("variant", [*VARIANTS, NAME])
def test_a_variant_of_a_name_the_station_serves_is_refused(client_for, staff_a, station_a, variant):
    client = client_for(staff_a)
    first = client.post(reverse("enterprises:create"), _post(station_a, name=NAME, credit_code=""))
    assert first.status_code == 302
    again = client.post(
        reverse("enterprises:create"), _post(station_a, name=variant, credit_code="")
    )
    assert again.status_code == 200 and SAME_NAME_AT_STATION in again.text
    assert Enterprise.objects.count() == 1
    assert Enterprise.objects.get().name == NAME  # stored as typed


@pytest.mark.django_db
@pytest.mark.parametrize("variant", LATIN_VARIANTS)
def test_full_width_and_lower_case_letters_are_the_same_name(
    client_for, staff_a, station_a, variant
):
    client = client_for(staff_a)
    client.post(reverse("enterprises:create"), _post(station_a, name=LATIN, credit_code=""))
    again = client.post(
        reverse("enterprises:create"), _post(station_a, name=variant, credit_code="")
    )
    assert SAME_NAME_AT_STATION in again.text and Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_a_different_name_is_still_registered(client_for, staff_a, station_a):
    client = client_for(staff_a)
    client.post(reverse("enterprises:create"), _post(station_a, name=NAME, credit_code=""))
    other = client.post(
        reverse("enterprises:create"),
        _post(station_a, name="晋城市鑫泰机电有限公司", credit_code=""),
    )
    assert other.status_code == 302 and Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_editing_an_enterprise_keeps_its_own_name(client_for, staff_a, station_a):
    client = client_for(staff_a)
    client.post(reverse("enterprises:create"), _post(station_a, name=NAME, credit_code=""))
    enterprise = Enterprise.objects.get()
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        _post(station_a, name=VARIANTS[0], credit_code=""),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == VARIANTS[0] and enterprise.name_key == enterprise_name_key(NAME)


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_claim_naming_a_variant_is_filed_under_the_registered_enterprise(
    station_a, enterprise_a, variant
):
    registered = Enterprise.objects.create(name=NAME)
    station_a.enterprises.add(registered)
    found = enterprise_for_claim(station=station_a, name=variant)
    assert (
        found == registered and Enterprise.objects.filter(name_key=registered.name_key).count() == 1
    )


@pytest.mark.django_db
def test_a_claim_naming_a_new_firm_registers_it(station_a):
    enterprise_for_claim(station=station_a, name=NAME)
    created = enterprise_for_claim(station=station_a, name="晋城市另一家新公司有限公司")
    assert created.name == "晋城市另一家新公司有限公司" and Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_the_picker_tells_a_variant_of_a_name_only_another_station_serves(
    client_for, staff_b, station_a, station_b
):
    registered = Enterprise.objects.create(name=NAME)
    station_a.enterprises.add(registered)
    client = client_for(staff_b)
    for term, told in ((VARIANTS[0], True), (VARIANTS[-1], True), ("鑫泰机电", False)):
        response = client.get(reverse("enterprises:pick"), {"station": station_b.pk, "q": term})
        assert (REGISTERED_ELSEWHERE in response.text) is told, term
        assert NAME not in response.text


LOOK_ALIKES = [
    NAME + "\u00ad",  # soft hyphen
    NAME + "\u034f",  # combining grapheme joiner
    "晋城市鑫泰机电\u180e设备有限公司",  # Mongolian vowel separator
    "晋城市鑫泰机电\ufe0f设备有限公司",  # variation selector
    "晋城市鑫泰机电设备有限\U000e0020公司",  # tag space
    NAME + "-",
    NAME + "—",
    "“" + NAME + "”",
]


@pytest.mark.parametrize("variant", LOOK_ALIKES)
def test_invisible_characters_quotes_and_dashes_make_no_new_name(variant):
    """Probe P2-N1: each of these registered the firm again, looking exactly like it."""
    assert enterprise_name_key(variant) == enterprise_name_key(NAME)


def test_dots_and_bracket_styles_are_one():
    dotted = {enterprise_name_key(f"晋城鑫泰{dot}探针科技有限公司") for dot in "·•・"}
    bracketed = {
        enterprise_name_key(f"晋城鑫泰{o}山西{c}科技有限公司")
        for o, c in ["（）", "【】", "〔〕", "[]"]
    }
    assert len(dotted) == 1 and len(bracketed) == 1
    assert enterprise_name_key("晋城鑫泰(山西)科技有限公司") != enterprise_name_key(
        "晋城鑫泰山西科技有限公司"
    )


@pytest.mark.django_db
def test_a_look_alike_is_refused_at_the_station(client_for, staff_a, station_a):
    client = client_for(staff_a)
    client.post(reverse("enterprises:create"), _post(station_a, name=NAME, credit_code=""))
    again = client.post(
        reverse("enterprises:create"), _post(station_a, name=NAME + "\u00ad", credit_code="")
    )
    assert again.status_code == 200 and SAME_NAME_AT_STATION in again.text
    assert Enterprise.objects.count() == 1
