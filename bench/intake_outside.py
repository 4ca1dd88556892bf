"""Benchmark: the need classifier's accuracy on the outside set, texts it was never built from.

    .venv/bin/python bench/intake.py     # scores this set too and rewrites bench/README.md

hqzt/intake/corpus/outside/needs.jsonl was written by someone who had read only ROUTING.md, not the
training corpus (see its README), so it shows how the classifier does on another writer's wording,
where heldout.tsv shows it on the corpus authors' own. The model is trained exactly as
bench/intake.py trains it (train.jsonl only); this file is the only reader of the outside set, which
must never be trained on or tuned to.
"""

import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hqzt.intake import labels  # noqa: E402
from hqzt.intake.corpus import training_samples  # noqa: E402
from hqzt.intake.model import Classifier  # noqa: E402

OUTSIDE = ROOT / "hqzt" / "intake" / "corpus" / "outside" / "needs.jsonl"
BEGIN, END = "<!-- intake-outside:begin -->", "<!-- intake-outside:end -->"
WORST = 20
FIELDS = ("type", "scope", "complexity", "lead")


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split()).replace("|", "/")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def measure() -> str:
    train = training_samples()
    classifier = Classifier.train(train)
    rows = [json.loads(line) for line in OUTSIDE.read_text("utf-8").splitlines() if line.strip()]
    hits: Counter = Counter()
    per_type: Counter = Counter()
    misses = []
    for row in rows:
        got = classifier.suggest(row["text"])
        top = {
            "type": got.type.name,
            "scope": got.scope.name,
            "complexity": got.complexity.name,
            "lead": got.lead.name,
        }
        in_top3 = row["lead"] in [r.name for r in got.leads[:3]]
        wrong = [f for f in FIELDS if top[f] != row[f]]
        for f in FIELDS:
            hits[f] += f not in wrong
        hits["lead3"] += in_top3
        per_type[row["type"], "n"] += 1
        per_type[row["type"], "hit"] += top["type"] == row["type"]
        if wrong:
            # Worst first: a wrong type or a lead missing from the top three weighs most, then
            # how sure the model was of its wrong type.
            weight = 2 * ("type" in wrong) + 2 * (not in_top3) + len(wrong)
            sure = got.type.confidence if "type" in wrong else 0.0
            misses.append((weight, sure, row, top, wrong))
    n = len(rows)

    def pct(key: str) -> str:
        return f"{hits[key] / n:.1%}"

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/intake.py` (outside set): trained on the "
        f"{len(train)} training texts as `bench/intake.py` is, scored on the {n} outside texts.",
        "",
        "| figure | outside set | target |",
        "| --- | ---: | ---: |",
        f"| type top-1 | {pct('type')} | ≥ 90 % |",
        f"| scope | {pct('scope')} | ≥ 95 % |",
        f"| complexity | {pct('complexity')} | ≥ 85 % |",
        f"| lead top-1 | {pct('lead')} | |",
        f"| lead top-3 | {pct('lead3')} | ≥ 95 % |",
        "",
        "Type top-1 per labelled type:",
        "",
        "| type | texts | right | accuracy |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in labels.TYPES:
        total, right = per_type[name, "n"], per_type[name, "hit"]
        if total:
            lines.append(f"| {name} | {total} | {right} | {right / total:.0%} |")
    lines += [
        "",
        f"The {WORST} worst misses (expected → suggested, wrong fields only):",
        "",
        "| text | expected → suggested |",
        "| --- | --- |",
    ]
    misses.sort(key=lambda m: (-m[0], -m[1]))
    for _, _, row, top, wrong in misses[:WORST]:
        diff = "; ".join(f"{row[f]} → {top[f]}" for f in wrong)
        lines.append(f"| {_short(row['text'])} | {diff} |")
    return "\n".join(lines)
