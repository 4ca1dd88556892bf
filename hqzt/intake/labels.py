"""The label sets the classifier ranks, spelt as the reference data spells them.

Need types are NeedType names; leads are Section names as seeded by org 0002/0003 (ROUTING.md's
short department names — 税务局, 人社局 … — map to the seeded full names here).
"""

TYPES = [
    "计量",
    "标准化",
    "检验检测",
    "认证认可",
    "特种设备检验",
    "产品质量安全",
    "品牌培育创建",
    "知识产权",
    "企业信用",
    "政策咨询",
    "其他",
]
SCOPE_MARKET = "市场监管职能范围"
SCOPE_OTHER = "属于其他部门职能范围"
SCOPES = [SCOPE_MARKET, SCOPE_OTHER]
SIMPLE = "简单易行"
COORDINATED = "需要协调"
COMPLEXITIES = [SIMPLE, COORDINATED]

# Corpus code → (reference name, is another department).
LEADS: dict[str, tuple[str, bool]] = {
    "jl": ("计量科", False),
    "bz": ("标准化科", False),
    "rj": ("认证认可与检验检测科", False),
    "tz": ("特种设备安全监察科", False),
    "zf": ("质量发展科", False),
    "zc": ("知识产权科", False),
    "xy": ("信用监管科", False),
    "sp": ("食品生产监管科", False),
    "jg": ("价格监督检查和反不正当竞争科", False),
    "dj": ("登记注册科", False),
    "zb": ("综合办公室", False),
    "sw": ("市税务局", True),
    "rs": ("市人力资源和社会保障局", True),
    "kj": ("市科学技术局", True),
    "gx": ("市工业和信息化局", True),
    "fg": ("市发展和改革委员会", True),
    "jr": ("市金融办", True),
    "shw": ("市商务局", True),
    "zr": ("市自然资源局", True),
    "st": ("市生态环境局", True),
    "zj": ("市住房和城乡建设局", True),
}
LEAD_NAMES = [name for name, _ in LEADS.values()]
DEPARTMENTS = {name for name, other in LEADS.values() if other}


def scope_of_lead(lead: str) -> str:
    """ROUTING.md rule 3: a need led by another department is outside market regulation."""
    return SCOPE_OTHER if lead in DEPARTMENTS else SCOPE_MARKET
