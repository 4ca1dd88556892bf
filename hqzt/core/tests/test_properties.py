"""Property-based tests (issue 13): arbitrary input to the normalisers and the list filters gives a
clear error or a valid value, never a 500 and never a half-valid value that is stored."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hqzt.core.phones import phone_clean, phone_display, phone_mask, phone_search_term
from hqzt.enterprises.credit_code import ALPHABET, credit_code_check_char, credit_code_clean

ASCII_DIGITS = re.compile(r"[0-9]+")
SEPARATORS = st.sampled_from(["", " ", "-", "－", "（", "）", "(", ")", "\u3000"])


def _formatted(digits: str, data) -> str:
    """The digits as people type them: separators anywhere, some digits full-width."""
    out = []
    for ch in digits:
        out.append(data.draw(SEPARATORS))
        full = data.draw(st.booleans())
        out.append(chr(ord(ch) - ord("0") + ord("０")) if full else ch)
    return "".join(out)


# --- phone numbers --------------------------------------------------------------------------------


DIGIT_LIKE = st.text(
    alphabet=st.characters(categories=["Nd"]) | st.sampled_from("0123456789+-() "),
    min_size=10,
    max_size=16,
)


@given(st.text(max_size=40) | DIGIT_LIKE | st.just("13٨١٢٣٤٥٦٧٨"))
def test_any_text_is_a_clean_phone_number_or_a_clear_refusal(raw):
    try:
        number = phone_clean(raw)
    except ValidationError as exc:
        assert "不是有效的电话号码" in exc.messages[0]
        return
    assert ASCII_DIGITS.fullmatch(number), number  # never another script's digits
    assert phone_clean(number) == number
    assert phone_display(number) and phone_mask(number)


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    | st.from_regex(r"0[1-9][0-9]{9}", fullmatch=True),
    st.data(),
)
def test_valid_numbers_survive_any_formatting(digits, data):
    raw = data.draw(st.sampled_from(["", "+86", "0086"])) + _formatted(digits, data)
    if digits.startswith("1"):
        assert phone_clean(raw) == digits
        assert phone_search_term(raw) == digits


@given(st.text(max_size=40) | DIGIT_LIKE)
def test_phone_search_never_fails(raw):
    term = phone_search_term(raw)
    assert term is None or ASCII_DIGITS.fullmatch(term)


# --- credit codes ---------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_any_text_is_a_valid_credit_code_or_a_clear_refusal(raw):
    try:
        code = credit_code_clean(raw)
    except ValidationError as exc:
        assert "统一社会信用代码" in exc.messages[0]
        return
    assert len(code) == 18 and set(code) <= set(ALPHABET)
    assert credit_code_check_char(code[:17]) == code[17]
    assert credit_code_clean(code) == code


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.data())
def test_valid_codes_survive_case_spaces_and_full_width(first17, data):
    code = first17 + credit_code_check_char(first17)
    typed = "".join(
        data.draw(st.sampled_from(["", " "]))
        + (unicodedata.normalize("NFKC", ch).lower() if data.draw(st.booleans()) else ch)
        for ch in code
    )
    assert credit_code_clean(typed) == code


# --- dates in the list filters, and the filters themselves ---------------------------------------

PARAM_NAMES = [
    "q",
    "date_from",
    "date_to",
    "station",
    "need_type",
    "source",
    "channel",
    "status",
    "lead_section",
    "chain",
    "town",
    "archive_category",
    "overdue",
    "measure",
    "size",
    "per_page",
    "year",
    "category",
    "start",
    "after",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(2**63), 2**63).map(str),
    st.dates().map(str),
    st.sampled_from(["registered", "2025-02-30", "9999-12-31", "0", "-1", "1e9", "on", "甲\x00"]),
)
PARAMS = st.dictionaries(st.sampled_from(PARAM_NAMES), VALUES, max_size=6)
LISTS = [
    "needs:ledger",
    "api:needs",
    "enterprises:list",
    "stations:list",
    "records:archive",
    "documents:ledger_xlsx",
]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=PARAMS, view=st.sampled_from(LISTS))
def test_arbitrary_filter_values_never_fail(client, staff_a, enterprise_a, params, view):
    client.force_login(staff_a)
    response = client.get(reverse(view), params)
    assert response.status_code in (200, 302, 400), (view, params, response.status_code)
