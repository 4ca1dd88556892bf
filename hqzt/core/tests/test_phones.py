import pytest
from django.core.exceptions import ValidationError

from hqzt.core.phones import phone_clean, phone_display, phone_list_clean, phone_mask


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812341234", "13812341234"),
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("１３８１２３４１２３４", "13812341234"),
        ("0356-2221234", "03562221234"),
        ("（0356）2221234", "03562221234"),
        ("12345", "12345"),
    ],
)
def test_numbers_are_normalised(raw, expected):
    assert phone_clean(raw) == expected


@pytest.mark.parametrize("raw", ["1381234", "23812341234", "abc", "0356-12", ""])
def test_implausible_numbers_are_refused_in_chinese(raw):
    with pytest.raises(ValidationError) as exc:
        phone_clean(raw)
    assert "不是有效的电话号码" in exc.value.messages[0]


def test_lists_accept_chinese_separators():
    assert phone_list_clean("0356-2221234、13812341234") == "03562221234、13812341234"
    assert phone_list_clean("0356-2221234，13812341234") == "03562221234、13812341234"


def test_mask_and_display():
    assert phone_mask("13812341234") == "138****1234"
    assert phone_mask("") == ""
    assert phone_display("03562221234") == "0356-2221234"
    assert phone_display("01062221234") == "010-62221234"
    assert phone_display("13812341234") == "13812341234"
