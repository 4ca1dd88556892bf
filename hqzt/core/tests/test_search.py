import pytest

from hqzt.core.search import text_filter
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def names():
    for name in [
        "晋城市华晟光电科技有限公司",
        "泽州县巴公机械铸造有限公司",
        "高平市丝麻纺织有限公司",
        "阳城县城东陶瓷有限公司",
        "Jincheng ABC Optics Co",
    ]:
        EnterpriseFactory(name=name)


def _search(term):
    return sorted(
        text_filter(Enterprise.objects.all(), term, "name").values_list("name", flat=True)
    )


def test_one_character_terms_match(names):
    assert _search("巴") == ["泽州县巴公机械铸造有限公司"]
    assert len(_search("城")) == 2  # 晋城市…, 阳城县城东…


def test_two_character_terms_match(names):
    assert _search("巴公") == ["泽州县巴公机械铸造有限公司"]
    assert _search("丝麻") == ["高平市丝麻纺织有限公司"]


def test_longer_terms_need_the_exact_substring(names):
    assert _search("光电科技") == ["晋城市华晟光电科技有限公司"]
    # Both bigrams 城东 and 东陶 exist, but only in that order in one name.
    assert _search("城东陶瓷") == ["阳城县城东陶瓷有限公司"]
    assert _search("陶瓷城东") == []


def test_latin_terms_are_case_insensitive(names):
    assert _search("abc") == ["Jincheng ABC Optics Co"]


def test_blank_term_filters_nothing(names):
    assert len(_search("  ")) == 5


def test_no_match(names):
    assert _search("煤层气") == []
