"""Believable Jincheng names, numbers and codes for the demo data set (deterministic per seed)."""

import random

from hqzt.enterprises.credit_code import ALPHABET, credit_code_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕晓东文博俊杰子涵宇航晨曦佳怡浩然欣怡国庆红梅春生永胜玉兰卫东"
BRANDS = [
    "华晟",
    "鑫源",
    "泰丰",
    "宏达",
    "金鼎",
    "瑞丰",
    "恒信",
    "晋丰",
    "太行",
    "丹河",
    "凤城",
    "珏山",
    "沁河",
    "天泽",
    "福盛",
    "兴旺",
    "晟达",
    "鼎盛",
    "广源",
    "中泰",
    "联创",
    "汇通",
    "长河",
    "宏图",
    "恒达",
    "盛世",
    "同创",
    "鑫盛",
    "嘉禾",
    "华康",
    "明辉",
    "蓝天",
    "九州",
    "晋阳",
    "泽润",
    "新泰",
    "德润",
    "百川",
    "永盛",
    "润丰",
    "锦程",
    "海纳",
    "正和",
    "晶华",
    "博远",
    "凯旋",
    "利民",
    "东升",
    "星辰",
    "天瑞",
    "昌盛",
    "信达",
    "精诚",
    "华兴",
    "金石",
    "瑞祥",
    "旭日",
    "长城",
    "龙腾",
    "泰和",
]
PLACES = {
    "140502": "晋城市",
    "140521": "沁水县",
    "140522": "阳城县",
    "140524": "陵川县",
    "140525": "泽州县",
    "140581": "高平市",
}
ROADS = [
    "凤台街",
    "泽州路",
    "文昌街",
    "黄华街",
    "红星街",
    "建设路",
    "书院街",
    "兰花路",
    "白马寺路",
    "开发区北路",
    "工业园区纬一路",
    "迎宾街",
    "太行路",
    "东环路",
    "西环路",
]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given[:2]


def mobile(rng: random.Random) -> str:
    return rng.choice(
        ["138", "139", "135", "136", "150", "152", "158", "187", "188", "199"]
    ) + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random) -> str:
    return "0356" + rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(6))


def address(rng: random.Random, region_code: str, town: str | None = None) -> str:
    place = PLACES.get(region_code, "晋城市")
    area = town or rng.choice(["经济技术开发区", "金村镇", "北石店镇", "南村镇", "开发区"])
    return f"山西省{place}{area}{rng.choice(ROADS)}{rng.randint(1, 999)}号"


def _org_code_check(body: str) -> str:
    # GB 11714: weights 3,7,9,10,5,8,4,2; letters count as 10..35.
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, region_code: str) -> str:
    """A code that passes GB 32100 (and GB 11714 for the embedded organisation code)."""
    if rng.random() < 0.7:  # codes issued since 2015 start with MA
        body = "MA" + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    org = body + _org_code_check(body)
    if org[-1] not in ALPHABET:  # 'X' is not in the GB 32100 alphabet's subset used here
        return credit_code(rng, region_code)
    first17 = "91" + region_code + org
    return first17 + credit_code_check_char(first17)
