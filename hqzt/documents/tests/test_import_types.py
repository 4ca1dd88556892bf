"""A row's type as a person reading the spreadsheet decides it (issues 14 and 16): the smart
intake reads a synonym, another department's matter or a missing type, following ROUTING.md,
and a type cell that names nothing is refused rather than guessed."""

import pytest

from hqzt.documents.ledger_types import need_types, type_fix

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("type_text", "content", "code", "department", "warning"),
    [
        ("标准化服务", "企业标准自我声明", "standardization", None, "「标准化服务」按「标准化」"),
        ("3C认证", "电机产品", "certification", None, "「3C认证」按「认证认可」"),
        ("３Ｃ认证", "电机产品", "certification", None, "按「认证认可」"),
        ("CMA认证", "实验室资质", "testing", None, "按「检验检测」"),
        ("山西精品认证", "申报", "brand", None, "按「品牌培育创建」"),
        ("检定校准", "压力表送检，顺便问安全阀", "metrology", None, "按「计量」"),
        ("锅炉定期检验", "年度检验", "special_equipment", None, "按「特种设备检验」"),
        ("税务", "留抵退税政策怎么申请", "policy", "市税务局", "属于市税务局的职能"),
        ("社保", "稳岗返还政策", "policy", "市人力资源和社会保障局", "其他部门职能范围"),
        ("用地", "新厂区用地预审", "other", "市自然资源局", "按其他部门职能范围、「其他」"),
        ("", "建设工程材料检测", "testing", "市住房和城乡建设局", "需求内容提到"),
        ("", "年报填错了怎么更正", "credit", None, "需求内容提到「年报」，按「企业信用」"),
        ("", "压力表送检，顺便问安全阀", "metrology", None, "按「计量」"),
    ],
)
def test_the_type_follows_the_routing_rules(type_text, content, code, department, warning):
    fix = type_fix(type_text, content, need_types(), None)
    assert fix.need_type.code == code
    assert (fix.department.name if fix.department else None) == department
    assert len(fix.warnings) == 1 and warning in fix.warnings[0], fix.warnings
    # A synonym within market regulation is worth remembering as the type's alias.
    assert fix.aliasable == (bool(type_text) and department is None)


def test_a_type_written_as_named_needs_no_guess():
    fix = type_fix("计量", "地磅检定", need_types(), None)
    assert fix.need_type.code == "metrology" and not fix.warnings


@pytest.mark.parametrize("type_text", ["火箭发射", "你好", "ABC"])
def test_a_type_cell_naming_nothing_is_refused_not_guessed(type_text):
    # Even when the need's own words are clear: the cell says something else, a person asks.
    assert type_fix(type_text, "地磅需要检定", need_types(), None) is None


def test_a_need_without_type_or_meaning_is_imported_as_other_with_a_warning():
    fix = type_fix("", "你好", need_types(), None)
    assert fix.need_type.code == "other"
    assert fix.warnings == ["未填需求类型，也无法从需求内容判断，暂按「其他」导入"]
