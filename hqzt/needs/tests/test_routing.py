"""Keyword guesses of a need's type and department (ROUTING.md), as the import uses them."""

import pytest

from hqzt.needs.routing import Guess, need_guess


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标准化服务", Guess("standardization", "", "标准")),
        ("计量检定", Guess("metrology", "", "计量")),
        ("3C认证", Guess("certification", "", "3C")),
        ("３Ｃ认证", Guess("certification", "", "3C")),
        ("CMA认证", Guess("testing", "", "CMA")),
        ("山西精品认证", Guess("brand", "", "山西精品")),
        ("压力表送检，顺便问安全阀", Guess("metrology", "", "压力表")),
        ("锅炉定期检验", Guess("special_equipment", "", "锅炉")),
        ("税务", Guess("other", "市税务局", "税务")),
        ("咨询留抵退税政策", Guess("policy", "市税务局", "留抵")),
        ("社保补贴申领", Guess("policy", "市人力资源和社会保障局", "社保")),
        ("新厂区用地预审", Guess("other", "市自然资源局", "用地")),
        ("建设工程材料检测", Guess("testing", "市住房和城乡建设局", "建设工程")),
        ("年报填错了怎么更正", Guess("credit", "", "年报")),
    ],
)
def test_guesses_follow_the_routing_rules(text, expected):
    assert need_guess(text) == expected


def test_no_guess_without_a_known_word():
    assert need_guess("火箭发射") is None
    assert need_guess("") is None
