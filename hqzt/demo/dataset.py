"""The fixed part of the demo data set: chains, towns, stations, the named demo accounts and the
policies the stations publish."""

CHAINS = [
    (
        "光机电产业链",
        "以光学元件、精密机械和智能装备为主的产业链，依托晋城经济技术开发区光机电产业园。",
        ["光电科技", "精密机械", "光学仪器", "电子科技", "激光技术", "智能装备"],
        "140502",
    ),
    (
        "煤层气产业链",
        "覆盖煤层气勘探、开发、储运、装备与综合利用的全产业链。",
        ["煤层气开发", "燃气设备", "能源技术", "管道工程", "压缩机制造"],
        "140521",
    ),
    (
        "高端装备制造产业链",
        "以煤机装备、液压件、铸锻件为主的装备制造产业链。",
        ["煤机装备", "液压设备", "重工机械", "传动设备"],
        "140525",
    ),
    (
        "新材料产业链",
        "以碳基材料、特种合金和新型建材为主的新材料产业链。",
        ["新材料科技", "碳材料", "合金材料", "新型建材"],
        "140581",
    ),
]

TOWNS = [
    (
        "巴公装备制造专业镇",
        "泽州县",
        "装备制造",
        "巴公镇以铸造、机械加工和装备制造为主，集聚规模以上工业企业数十家。",
        ["机械铸造", "装备制造", "标准件", "精密铸件"],
        "140525",
    ),
    (
        "高平丝麻专业镇",
        "高平市",
        "丝麻纺织",
        "高平丝麻纺织历史悠久，形成从缫丝、织造到服装加工的产业集群。",
        ["丝绸", "纺织", "麻纺织品", "服饰"],
        "140581",
    ),
    (
        "阳城陶瓷专业镇",
        "阳城县",
        "陶瓷琉璃",
        "阳城陶瓷、琉璃制作技艺传承数百年，现有日用陶瓷、建筑陶瓷与琉璃工艺品企业。",
        ["陶瓷", "琉璃工艺", "耐火材料", "建筑陶瓷"],
        "140522",
    ),
    (
        "大阳五金制针专业镇",
        "泽州县",
        "五金制针",
        "大阳镇素有“九州针都”之称，以五金制品、制针和小型机械加工为主。",
        ["五金制品", "制针", "金属制品"],
        "140525",
    ),
]

SERVICE_CONTENT = (
    "提供计量、标准化、检验检测、认证认可、特种设备检验、产品质量安全、品牌培育创建、知识产权、"
    "企业信用等质量技术服务；收集解读惠企政策；听取企业需求并跟踪办理。"
)

# name, domain kind, chain/town or key-enterprise domain, site kind, host, superior unit region code
STATIONS = [
    (
        "光机电产业链惠企直通服务站",
        "chain",
        "光机电产业链",
        "industrial_park",
        "晋城经济技术开发区光机电产业园",
        "140500",
    ),
    (
        "巴公装备制造专业镇惠企直通服务站",
        "town",
        "巴公装备制造专业镇",
        "market_office",
        "泽州县巴公市场监管所",
        "140525",
    ),
    (
        "高平丝麻专业镇惠企直通服务站",
        "town",
        "高平丝麻专业镇",
        "service_center",
        "高平市政务服务中心",
        "140581",
    ),
    (
        "华晟煤机装备集团惠企直通服务站",
        "key_enterprise",
        "煤机装备行业重点企业",
        "leading_enterprise",
        "山西华晟煤机装备集团有限公司",
        "140502",
    ),
    (
        "沁水煤层气产业链惠企直通服务站",
        "chain",
        "煤层气产业链",
        "testing_institution",
        "沁水县综合检验检测中心",
        "140521",
    ),
    (
        "阳城陶瓷专业镇惠企直通服务站",
        "town",
        "阳城陶瓷专业镇",
        "association",
        "阳城县陶瓷行业协会",
        "140522",
    ),
    (
        "陵川商贸集聚区惠企直通服务站",
        "key_enterprise",
        "文旅商贸行业重点企业",
        "commercial_cluster",
        "陵川县商贸物流园",
        "140524",
    ),
]

# username, full name, role, station index (or None), section name (or None), unit region code
ACCOUNTS = [
    ("admin", "系统管理员", "admin", None, None, None),
    ("supervisor", "赵建国", "supervisor", None, None, "140500"),
    ("chief1", "李志强", "chief", 0, None, None),
    ("staff1", "王晓东", "resident_staff", 0, None, None),
    ("staff2", "陈佳怡", "resident_staff", 1, None, None),
    ("handler1", "刘海燕", "section_handler", None, "计量科", None),
    # Further people so that every station is staffed and every role has more than one holder.
    ("supervisor_zz", "郝卫东", "supervisor", None, None, "140525"),
    ("deputy1", "张秀英", "deputy_chief", 0, None, None),
    ("chief2", "郭永胜", "chief", 1, None, None),
    ("chief3", "牛红梅", "chief", 2, None, None),
    ("staff3", "秦宇航", "resident_staff", 2, None, None),
    ("chief4", "卫国庆", "chief", 3, None, None),
    ("staff4", "田子涵", "resident_staff", 3, None, None),
    ("chief5", "吕春生", "chief", 4, None, None),
    ("staff5", "苏晨曦", "resident_staff", 4, None, None),
    ("chief6", "常玉兰", "chief", 5, None, None),
    ("staff6", "原浩然", "resident_staff", 5, None, None),
    ("chief7", "靳文博", "chief", 6, None, None),
    ("staff7", "申欣怡", "resident_staff", 6, None, None),
    ("handler2", "范俊杰", "section_handler", None, "标准化科", None),
    ("handler3", "姬建华", "section_handler", None, "特种设备安全监察科", None),
    ("handler_tax", "宋丽", "section_handler", None, "市税务局", None),
]
# Accounts whose onboarding training is still outstanding (shown as a warning, §5.4.4).
UNTRAINED = {"staff7"}

# The policies in the demo: title, issuer, number, chain names, town names, industries, type codes.
POLICIES = [
    (
        "晋城市支持专精特新中小企业高质量发展若干措施",
        "晋城市人民政府",
        "晋市政发〔2025〕8号",
        [],
        [],
        "",
        ["policy", "brand"],
    ),
    (
        "晋城市质量提升奖励办法",
        "晋城市市场监督管理局",
        "晋市监发〔2025〕21号",
        [],
        [],
        "",
        ["product_quality", "brand"],
    ),
    (
        "光机电产业链链主企业培育方案",
        "晋城市工业和信息化局",
        "晋市工信发〔2025〕5号",
        ["光机电产业链"],
        [],
        "",
        ["policy"],
    ),
    (
        "煤层气产业链质量基础设施“一站式”服务实施方案",
        "晋城市市场监督管理局",
        "晋市监发〔2025〕33号",
        ["煤层气产业链"],
        [],
        "",
        ["metrology", "testing"],
    ),
    (
        "巴公装备制造专业镇计量检定费用减免办法",
        "泽州县市场监督管理局",
        "泽市监发〔2025〕12号",
        [],
        ["巴公装备制造专业镇"],
        "",
        ["metrology"],
    ),
    (
        "高平丝麻专业镇地理标志品牌培育计划",
        "高平市人民政府",
        "高政发〔2025〕17号",
        [],
        ["高平丝麻专业镇"],
        "",
        ["intellectual_property", "brand"],
    ),
    (
        "铸造行业企业标准“领跑者”激励措施",
        "晋城市市场监督管理局",
        "晋市监发〔2025〕40号",
        [],
        [],
        "铸造、机械",
        ["standardization"],
    ),
    (
        "陶瓷琉璃产品质量提升专项行动方案",
        "阳城县市场监督管理局",
        "阳市监发〔2025〕9号",
        [],
        ["阳城陶瓷专业镇"],
        "陶瓷、琉璃",
        ["product_quality"],
    ),
    (
        "小微企业信用修复“一件事”服务指南",
        "晋城市市场监督管理局",
        "晋市监发〔2026〕2号",
        [],
        [],
        "",
        ["credit"],
    ),
    (
        "特种设备安全主体责任落实指引",
        "山西省市场监督管理局",
        "晋市监特设发〔2025〕15号",
        [],
        [],
        "",
        ["special_equipment"],
    ),
]
