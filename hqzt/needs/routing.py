"""What a need is about, guessed from its words by the keywords of the routing rules
(/work/shared/ROUTING.md) — until a smart intake classifier exists, the one place that does it.

Used where a person would fix a station's spreadsheet by reading it: a type written as a synonym
(标准化服务, 3C认证), another department's matter (税务, 社保, 用地), a row without a type. Every
guess says which word decided it, so the import can show it as a warning the user may change.
"""

import re
import unicodedata
from dataclasses import dataclass

# Market-regulation types and the words that name them. Where two types' words meet in one text
# the one mentioned first wins (ROUTING: "压力表送检，顺便问安全阀" is 计量); the lists put the
# boundary words of ROUTING.md with the type they belong to (CMA → 检验检测, 山西精品 → 品牌).
TYPE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "metrology": (
        "计量",
        "检定",
        "校准",
        "压力表",
        "电子秤",
        "加油机",
        "加气机",
        "计价器",
        "地磅",
        "流量计",
        "热量表",
        "衡器",
        "净含量",
        "定量包装",
    ),
    "special_equipment": (
        "特种设备",
        "特设",
        "安全阀",
        "压力容器",
        "锅炉",
        "电梯",
        "起重",
        "索道",
        "游乐设施",
        "叉车",
        "场内机动车",
        "厂内机动车",
        "压力管道",
        "气瓶",
        "作业人员证",
    ),
    "testing": (
        "CMA",
        "资质认定",
        "检验检测",
        "检测",
        "检验",
        "送检",
        "化验",
        "仲裁检验",
        "能力验证",
    ),
    "brand": ("山西精品", "品牌", "质量奖", "卓越绩效", "老字号", "质量诚信"),
    "certification": (
        "3C",
        "CCC",
        "ISO",
        "IATF",
        "HACCP",
        "体系认证",
        "有机产品",
        "认证",
        "认可",
    ),
    "standardization": (
        "标准",
        "标委会",
        "商品条码",
        "条码",
        "标签",
        "领跑者",
        "良好行为",
    ),
    "product_quality": (
        "产品质量",
        "质量安全",
        "监督抽查",
        "抽检",
        "抽查",
        "不合格",
        "召回",
        "生产许可",
        "复检",
        "质量诊断",
    ),
    "intellectual_property": ("知识产权", "专利", "商标", "地理标志", "版权"),
    "credit": ("信用", "年报", "年检", "经营异常", "异常名录", "失信", "双随机"),
    "policy": ("政策", "补贴", "奖补", "减免", "扶持", "首席质量官"),
}

# Other departments' matters (ROUTING.md "外部门的 lead 对应"): the department and its words.
# Such a need is of another department's scope; its type is 政策咨询 when it asks about a policy
# or subsidy, else the market-regulation subject it names, else 其他 (approvals, filings), as in
# ROUTING rule 3 and its boundary cases.
DEPARTMENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "市税务局": ("税务", "税收", "纳税", "退税", "留抵", "加计扣除", "残保金", "发票", "涉税"),
    "市人力资源和社会保障局": (
        "社保",
        "人社",
        "稳岗",
        "技能补贴",
        "招聘",
        "用工",
        "农民工工资",
        "养老保险",
        "失业保险",
    ),
    "市科学技术局": ("高企", "高新技术企业", "科技计划", "科技项目", "科技局"),
    "市工业和信息化局": ("专精特新", "技改", "单项冠军", "工信"),
    "市发展和改革委员会": ("项目备案", "煤层气", "发改"),
    "市商务局": ("出口信保", "外贸", "商务局", "三晋老字号", "中华老字号"),
    "市自然资源局": ("用地", "土地", "标准地", "自然资源", "不动产"),
    "市生态环境局": ("环评", "排污", "环境监测", "环保"),
    "市住房和城乡建设局": ("施工许可", "建设工程", "住建"),
}
POLICY_WORDS = ("政策", "补贴", "奖补", "减免", "退税", "返还", "扶持", "咨询", "申报")


@dataclass(frozen=True)
class Guess:
    type_code: str
    department: str  # another department's name, "" within market regulation
    word: str  # the word that decided it


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def _first(text: str, table: dict[str, tuple[str, ...]]) -> tuple[int, str, str] | None:
    """(position, key, word) of the keyword that appears first in `text`."""
    found = [
        (match.start(), -len(word), key, word)
        for key, words in table.items()
        for word in words
        if (match := re.search(re.escape(_normal(word)), text))
    ]
    if not found:
        return None
    position, _, key, word = min(found)
    return position, key, word


def need_guess(text: str, context: str = "") -> Guess | None:
    """The type (and another department, if it is theirs) that `text` most likely means.

    `context` (the need itself, when `text` is a type cell) only says whether another
    department's matter asks about a policy: 税务 with "留抵退税政策怎么申请" is 政策咨询.
    """
    normal = _normal(text)
    department = _first(normal, DEPARTMENT_KEYWORDS)
    matched = _first(normal, TYPE_KEYWORDS)
    if department is not None:
        _, name, word = department
        if any(w in normal or w in _normal(context) for w in POLICY_WORDS):
            return Guess("policy", name, word)
        # 建设工程材料检测 is still about testing, only another department's (ROUTING.md).
        return Guess(matched[1] if matched else "other", name, word)
    if matched is None:
        return None
    _, code, word = matched
    return Guess(code, "", word)
