"""Benchmark: the need classifier's accuracy on the held-out texts and its speed.

    .venv/bin/python bench/intake.py          # prints the figures and rewrites bench/README.md
    .venv/bin/python bench/intake.py --similar 1000000   # … and times the similar-need lookup

It also scores the outside set (bench/intake_outside.py) and, with --similar N, times the
similar-need lookup at N needs (bench/similar.py, about half an hour at 1M), so one command gives
every figure of issue 16.

Trains on hqzt/intake/corpus/train.jsonl only (never on heldout.tsv), then measures on
heldout.tsv: type top-1, scope, complexity, lead top-1 and top-3, the per-type confusion, needs
per second on one core (one process, one thread) and the model build time.
"""

import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hqzt.intake import labels  # noqa: E402
from hqzt.intake.corpus import heldout_samples, training_samples  # noqa: E402
from hqzt.intake.model import Classifier  # noqa: E402

README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- intake:begin -->", "<!-- intake:end -->"
SHORT = {
    "特种设备检验": "特设",
    "产品质量安全": "产品质量",
    "品牌培育创建": "品牌",
    "认证认可": "认证",
    "检验检测": "检测",
    "知识产权": "知产",
    "企业信用": "信用",
    "政策咨询": "政策",
}


def measure() -> str:
    train = training_samples()
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        classifier = Classifier.train(train)
        builds.append(time.perf_counter() - started)
    heldout = heldout_samples()
    hits = Counter()
    confusion: Counter = Counter()
    for sample in heldout:
        got = classifier.suggest(sample.text)
        hits["type"] += got.type.name == sample.type
        hits["scope"] += got.scope.name == sample.scope
        hits["complexity"] += got.complexity.name == sample.complexity
        hits["lead1"] += got.lead.name == sample.lead
        hits["lead3"] += sample.lead in [r.name for r in got.leads[:3]]
        confusion[sample.type, got.type.name] += 1
    texts = [s.text for s in heldout]
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for text in texts:
            classifier.suggest(text)
        rounds.append(len(texts) / (time.perf_counter() - started))
    n = len(heldout)

    def pct(key: str) -> str:
        return f"{hits[key] / n:.1%}"

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/intake.py` "
        f"(Python {platform.python_version()}, {platform.machine()}, one process): "
        f"{len(train)} training texts, {n} held-out texts.",
        "",
        "| figure | held-out | target |",
        "| --- | ---: | ---: |",
        f"| type top-1 | {pct('type')} | ≥ 90 % |",
        f"| scope | {pct('scope')} | ≥ 95 % |",
        f"| complexity | {pct('complexity')} | ≥ 85 % |",
        f"| lead top-1 | {pct('lead1')} | |",
        f"| lead top-3 | {pct('lead3')} | ≥ 95 % |",
        f"| needs per second (median of 5 runs) | {statistics.median(rounds):,.0f} | ≥ 500 |",
        f"| model build time (median of 3) | {statistics.median(builds):.2f} s | |",
        "",
        "Per-type confusion on the held-out texts (rows: label, columns: suggested type):",
        "",
        "| label \\ suggested | " + " | ".join(SHORT.get(t, t) for t in labels.TYPES) + " |",
        "| --- | " + " | ".join("---:" for _ in labels.TYPES) + " |",
    ]
    for truth in labels.TYPES:
        cells = [str(confusion[truth, got] or "") for got in labels.TYPES]
        lines.append(f"| {truth} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_block(begin: str, end: str, figures: str) -> None:
    """Replace what stands between the markers `begin` and `end` in bench/README.md."""
    text = README.read_text("utf-8")
    if begin in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        README.write_text(f"{head}{begin}\n{figures}\n{end}{tail}", "utf-8")


def main(similar_needs: int | None) -> None:
    """Every classifier figure, held-out and outside set, and the similar-need lookup's."""
    import intake_outside  # bench/ is this script's folder, first on sys.path
    import similar

    figures = measure()
    print(figures)
    write_block(BEGIN, END, figures)
    outside = intake_outside.measure()
    print(outside)
    write_block(intake_outside.BEGIN, intake_outside.END, outside)
    if similar_needs:
        similar.main(similar_needs)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--similar", type=int, metavar="N", help="also time the lookup at N needs")
    main(parser.parse_args().similar)
