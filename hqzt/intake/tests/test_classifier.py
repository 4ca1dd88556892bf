"""The classifier honours ROUTING.md (docs/routing.md) on its boundary cases, on texts that are
not in the corpus, and gives confidences and deciding words."""

import pytest

from hqzt.intake import labels
from hqzt.intake.corpus import heldout_samples, training_samples
from hqzt.intake.model import Classifier
from hqzt.intake.services import DEFAULT_MODEL, suggest


@pytest.mark.parametrize(
    ("text", "type_name", "lead"),
    [
        # 计量 and 特种设备: the main request decides.
        ("车间十几块压力表要拿去检定，顺便问一下安全阀的事", "计量", "计量科"),
        ("锅炉上的安全阀该校验了，顺便问问压力表", "特种设备检验", "特种设备安全监察科"),
        ("物流园地镑要年度检订", "计量", "计量科"),
        ("货梯到了定期检验的时间", "特种设备检验", "特种设备安全监察科"),
        # 检验检测 and 认证认可: CMA is testing even when called 认证; 3C is certification.
        ("公司化验室准备办CMA认证，要什么条件", "检验检测", "认证认可与检验检测科"),
        ("我们生产的充电器卖之前要不要做3c", "认证认可", "认证认可与检验检测科"),
        ("建筑工地的砂石和钢筋检测找哪家", "检验检测", "市住房和城乡建设局"),
        # Food standards are 标准化 led by 食品生产监管科; other labels by 标准化科.
        ("糖果里的色素按GB2760能加多少", "标准化", "食品生产监管科"),
        ("电动工具说明书的标签要符合什么标准", "标准化", "标准化科"),
        # 地理标志 is 知识产权; 老字号 is 品牌 led by 商务局; 山西精品 is 品牌.
        ("我们的老陈醋能不能在瓶子上印地理标志", "知识产权", "知识产权科"),
        ("百年烧饼铺想评三晋老字号", "品牌培育创建", "市商务局"),
        ("山西精品认证今年什么时候报名", "品牌培育创建", "质量发展科"),
        # Unregistered packaging copied: 其他, 反不正当竞争.
        (
            "我们没注册商标，别人照着我们的包装做，顾客分不清",
            "其他",
            "价格监督检查和反不正当竞争科",
        ),
        # 年检 means 年报 for an enterprise.
        ("公司年检截止到几号，在公示系统填吗", "企业信用", "信用监管科"),
        ("营业执造上的法人要换", "其他", "登记注册科"),
        # Other departments' matters.
        ("研发费用加计扣除怎么享受", "政策咨询", "市税务局"),
        ("稳岗返还什么时候发", "政策咨询", "市人力资源和社会保障局"),
        ("想申请银行贷款的贴息", "政策咨询", "市金融办"),
    ],
)
def test_routing_boundaries(text: str, type_name: str, lead: str) -> None:
    got = suggest(text)
    assert got.type.name == type_name, got.as_names()
    assert lead in [r.name for r in got.leads[:3]], got.as_names()


@pytest.mark.parametrize(
    "text", ["增值税留抵退税怎么办", "厂房扩建要办施工许可", "专精特新怎么申报"]
)
def test_another_departments_matter_is_outside_scope_and_coordinated(text: str) -> None:
    got = suggest(text)
    assert got.lead.name in labels.DEPARTMENTS
    assert got.scope.name == labels.SCOPE_OTHER
    assert got.complexity.name == labels.COORDINATED


def test_complexity_follows_the_request() -> None:
    assert suggest("电子秤检定周期是多久").complexity.name == labels.SIMPLE
    assert suggest("电子秤不准被投诉了，请尽快派人上门检定").complexity.name == labels.COORDINATED


def test_confidence_and_deciding_words_are_given() -> None:
    got = suggest("加油机检定到期了")
    for ranked in (got.types, got.scopes, got.complexities, got.leads):
        confidences = [r.confidence for r in ranked]
        assert confidences == sorted(confidences, reverse=True)
        assert 0 < confidences[0] <= 1
        assert sum(confidences) == pytest.approx(1, abs=0.01)
    assert len(got.types) == len(labels.TYPES) and len(got.leads) == len(labels.LEAD_NAMES)
    assert "加油机" in got.words
    assert got.lead_words


def test_empty_text_still_answers() -> None:
    got = suggest("")
    assert got.type.name in labels.TYPES and got.words == []


def test_committed_default_model_is_the_corpus_model(tmp_path) -> None:
    """The committed default is what build_intake_model makes from the corpus (not stale)."""
    built = Classifier.train(training_samples())
    default = Classifier.load(DEFAULT_MODEL)
    for sample in heldout_samples()[:40]:
        assert built.suggest(sample.text) == default.suggest(sample.text)


def test_heldout_targets_are_met() -> None:
    """Guards the bench figures (bench/intake.py) against a regression."""
    classifier = Classifier.train(training_samples())
    samples = heldout_samples()
    hits = {"type": 0, "scope": 0, "complexity": 0, "lead3": 0}
    for sample in samples:
        got = classifier.suggest(sample.text)
        hits["type"] += got.type.name == sample.type
        hits["scope"] += got.scope.name == sample.scope
        hits["complexity"] += got.complexity.name == sample.complexity
        hits["lead3"] += sample.lead in [r.name for r in got.leads[:3]]
    n = len(samples)
    assert hits["type"] / n >= 0.90
    assert hits["scope"] / n >= 0.95
    assert hits["complexity"] / n >= 0.85
    assert hits["lead3"] / n >= 0.95


def test_heldout_texts_are_not_in_the_training_set() -> None:
    train = {s.text for s in training_samples()}
    assert not train & {s.text for s in heldout_samples()}
    assert len(train) >= 600
