import pytest
from django.core.exceptions import ValidationError

from hqzt.enterprises.credit_code import credit_code_check_char, credit_code_clean

# The example code printed in GB 32100-2015.
STANDARD_EXAMPLE = "91350100M000100Y43"


def test_standard_example_is_valid():
    assert credit_code_clean(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert credit_code_check_char(STANDARD_EXAMPLE[:17]) == "3"


def test_lower_case_spaces_and_full_width_are_normalised():
    assert credit_code_clean("  91350100m000100y43 ") == STANDARD_EXAMPLE
    assert credit_code_clean("9135 0100 M000 100Y 43") == STANDARD_EXAMPLE
    assert credit_code_clean("９１３５０１００Ｍ０００１００Ｙ４３") == STANDARD_EXAMPLE


def test_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as exc:
        credit_code_clean("91350100M000100Y44")
    assert exc.value.code == "check_char"
    assert "校验位错误" in exc.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as exc:
        credit_code_clean(code)
    assert exc.value.code == "length"
    assert "应为18位" in exc.value.messages[0]


def test_letters_outside_the_alphabet_are_refused():
    with pytest.raises(ValidationError) as exc:
        credit_code_clean("91350100M000100O43")
    assert exc.value.code == "charset"
    assert "O" in exc.value.messages[0]


def test_generated_demo_codes_are_valid():
    import random

    from hqzt.demo.names import credit_code

    rng = random.Random(7)
    for _ in range(200):
        code = credit_code(rng, "140525")
        assert credit_code_clean(code) == code
