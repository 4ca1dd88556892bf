"""Benchmark: the archived-similar-need lookup (hqzt/intake/similar.py) against N indexed needs.

    .venv/bin/python bench/similar.py 100000

Builds a throw-away SQLite table shaped like intake_similaritykey (need_id, key; index on key)
with the band keys of N need texts — corpus texts recombined with varied details so buckets
fill as a real ledger's would — then times the lookup query the need page runs (16 keys IN,
grouped by need, best 200) for 200 held-out texts, and prints the median and 95th percentile.
"""

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hqzt.intake.corpus import heldout_samples, training_samples  # noqa: E402
from hqzt.intake.similar import band_keys  # noqa: E402

DETAILS = ["", "，共{n}台", "，{n}号车间", "，急", "，合同编号{n}", "（{n}月）", "，第{n}批"]
LOOKUP = (
    "SELECT need_id, COUNT(*) AS shared FROM keys WHERE key IN ({marks}) "
    "GROUP BY need_id ORDER BY shared DESC LIMIT 200"
)


def main(n: int) -> None:
    rng = random.Random(16)  # noqa: S311 — reproducible test data
    texts = [s.text for s in training_samples()]
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "bench.sqlite3")
        db.execute("CREATE TABLE keys (id INTEGER PRIMARY KEY, need_id INTEGER, key INTEGER)")
        started = time.perf_counter()
        batch = []
        for need_id in range(1, n + 1):
            text = rng.choice(texts) + rng.choice(DETAILS).format(n=rng.randint(1, 999))
            batch.extend((need_id, key) for key in set(band_keys(text)))
            if len(batch) > 50_000:
                db.executemany("INSERT INTO keys (need_id, key) VALUES (?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO keys (need_id, key) VALUES (?, ?)", batch)
        db.execute("CREATE INDEX keys_key ON keys (key)")
        db.commit()
        built = time.perf_counter() - started
        times = []
        for sample in heldout_samples() + heldout_samples()[:55]:
            keys = band_keys(sample.text)
            started = time.perf_counter()
            db.execute(LOOKUP.format(marks=",".join("?" * len(keys))), keys).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows = db.execute("SELECT COUNT(*) FROM keys").fetchone()[0]
        print(
            f"{n:,} needs ({rows:,} keys, built in {built:.0f} s): lookup median "
            f"{statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms"
        )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100000"]:
        main(int(arg))
