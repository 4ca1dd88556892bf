"""Renders corpus/cores.py into corpus/train.jsonl: each core in three voices, some with the
typos and 俗称 people really write. Deterministic, so the committed file can be regenerated:

    python hqzt/intake/corpus/render.py
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLLOQUIAL = [
    "你好，{c}？",
    "师傅，我们厂{c}，这个咋整",
    "请问一下，{c}",
    "老板让我来问问：{c}",
    "在吗？{c}",
    "我们是开小店的，{c}",
    "想咨询个事，{c}，谢谢",
]
FORMAL = [
    "尊敬的服务站：我公司{c}，特此咨询，请予答复。",
    "关于有关事项的函：我单位{c}。请贵站予以办理为盼。",
    "市场监管局领导：您好！本公司{c}，望答复。",
    "XX有限公司：我司{c}，联系人王经理。",
    "致惠企服务站：我厂{c}，敬请回复。",
]
SHORTHAND = [
    "企业来电，{c}",
    "{c}（现场）",
    "走访记录：{c}",
    "{c}，需回复",
    "微信留言：{c}",
    "12345转：{c}",
]
# 俗称 and typos (ROUTING.md's examples and the like).
TYPOS = [
    ("检定", "检订"),
    ("地磅", "地镑"),
    ("营业执照", "营业执造"),
    ("3C", "3c"),
    ("年报", "年检"),
    ("认证", "认正"),
    ("压力表", "压力标"),
    ("电梯", "电悌"),
    ("商标", "商表"),
    ("ISO9001", "iso9001"),
]


def render(seed: int = 16) -> list[dict]:
    import sys

    sys.path.insert(0, str(HERE))
    from cores import CORES

    rng = random.Random(seed)  # noqa: S311  # nosec B311 # reproducible rendering, not security
    rows = []
    for type_name, lead, complexity, core in CORES:
        for voice, templates in (
            ("colloquial", COLLOQUIAL),
            ("formal", FORMAL),
            ("shorthand", SHORTHAND),
        ):
            text = rng.choice(templates).format(c=core)
            if voice == "shorthand" or rng.random() < 0.3:
                for right, wrong in TYPOS:
                    if right in text and rng.random() < 0.6:
                        text = text.replace(right, wrong)
            rows.append(
                {
                    "text": text,
                    "type": type_name,
                    "lead": lead,
                    "complexity": complexity,
                    "voice": voice,
                }
            )
    return rows


if __name__ == "__main__":
    with (HERE / "train.jsonl").open("w", encoding="utf-8") as out:
        for row in render():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
