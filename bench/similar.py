"""Benchmark: the archived-similar-need lookup (hqzt/intake/similar.py) against N indexed needs.

    .venv/bin/python bench/similar.py 1000000

Builds a throw-away SQLite table shaped like intake_similaritykey (need_id, station_id, key;
index on key, station, need newest first) with the band keys of N archived need texts over 200
stations — corpus texts recombined with varied details, so that every text repeats N/717 times
and its bands are shared by thousands of needs, far more than in a real ledger — then times the
statement the need page runs (similar.candidates_sql: each of the 16 keys reads its PER_KEY
newest rows) with the grouping, for 255 held-out texts, for one station's staff and for a city
supervisor (all stations), and prints the median and 95th percentile of each.
"""

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hqzt.intake.corpus import heldout_samples, training_samples  # noqa: E402
from hqzt.intake.similar import CANDIDATES, band_keys, candidates_sql  # noqa: E402

DETAILS = ["", "，共{n}台", "，{n}号车间", "，急", "，合同编号{n}", "（{n}月）", "，第{n}批"]
STATIONS = 200
INSERT = "INSERT INTO keys (need_id, station_id, key) VALUES (?, ?, ?)"


def _lookup(db: sqlite3.Connection, keys: list[int], stations: list[int] | None) -> list[int]:
    sql, params = candidates_sql(keys, stations, table="keys", quote=lambda name: f'"{name}"')
    shared = Counter(row[0] for row in db.execute(sql.replace("%s", "?"), params))
    return [need_id for need_id, _ in shared.most_common(CANDIDATES)]


def _percentiles(times: list[float]) -> str:
    times = sorted(times)
    return f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms"


def main(n: int) -> None:
    rng = random.Random(16)  # noqa: S311 — reproducible test data
    texts = [s.text for s in training_samples()]
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "bench.sqlite3")
        db.execute(
            "CREATE TABLE keys (id INTEGER PRIMARY KEY, need_id INTEGER, station_id INTEGER, "
            "key INTEGER)"
        )
        started = time.perf_counter()
        batch = []
        for need_id in range(1, n + 1):
            text = rng.choice(texts) + rng.choice(DETAILS).format(n=rng.randint(1, 999))
            station = rng.randint(1, STATIONS)
            batch.extend((need_id, station, key) for key in set(band_keys(text)))
            if len(batch) > 50_000:
                db.executemany(
                    "INSERT INTO keys (need_id, station_id, key) VALUES (?, ?, ?)", batch
                )
                batch.clear()
        db.executemany(INSERT, batch)
        db.execute("CREATE INDEX keys_lookup ON keys (key, station_id, need_id DESC)")
        db.commit()
        built = time.perf_counter() - started
        staff, supervisor = [], []
        for sample in heldout_samples() + heldout_samples()[:55]:
            keys = band_keys(sample.text)
            for times, stations in ((staff, [rng.randint(1, STATIONS)]), (supervisor, None)):
                started = time.perf_counter()
                _lookup(db, keys, stations)
                times.append((time.perf_counter() - started) * 1000)
        rows = db.execute("SELECT COUNT(*) FROM keys").fetchone()[0]
        print(
            f"{n:,} needs ({rows:,} keys, built in {built:.0f} s): one station's staff "
            f"{_percentiles(staff)}; city supervisor {_percentiles(supervisor)}"
        )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100000"]:
        main(int(arg))
