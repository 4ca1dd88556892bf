"""Where a page's slow requests spend their time: a gunicorn config that logs one JSON line per
request from inside the worker — wall time, the process's CPU time, time in database calls,
time in garbage collection (wall and CPU, full collections counted) and new database
connections — and a summary of such a log (bench/README.md, "Where the slow requests came
from"). On a shared machine a request's wall time alone cannot say why it was slow; this can.

    BENCH_REQUEST_LOG=/tmp/requests.jsonl .venv/bin/python bench/scale.py measure --runs 100
    .venv/bin/python bench/request_log.py /tmp/requests.jsonl

`bench/scale_http.Server` starts gunicorn with this file as its config when BENCH_REQUEST_LOG
is set. The project's gunicorn.conf.py hooks run first, as in a deployment; BENCH_NO_FREEZE=1
leaves them out, for a before/after of the frozen heap (ADR 0013).
"""

import gc
import json
import os
import runpy
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

PROJECT_CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


class RequestLog:
    """The counters of the request in progress in this worker (a sync worker: one at a time)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.reset()

    def reset(self) -> None:
        self.started = time.perf_counter()
        self.cpu_started = time.process_time()
        self.db = self.gc = self.gc_cpu = 0.0
        self.queries = self.full_collections = self.connections = 0
        self._gc_started = self._gc_cpu_started = 0.0

    def on_gc(self, phase: str, info: dict) -> None:
        """gc.callbacks: the time of every collection, and how many were full ones."""
        if phase == "start":
            self._gc_started, self._gc_cpu_started = time.perf_counter(), time.thread_time()
            return
        self.gc += time.perf_counter() - self._gc_started
        self.gc_cpu += time.thread_time() - self._gc_cpu_started
        self.full_collections += info["generation"] == 2

    def on_query(self, execute, sql, params, many, context):
        """An execute_wrapper on the worker's connection: the time of every statement."""
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.db += time.perf_counter() - started
            self.queries += 1

    def on_connection(self, **_kwargs) -> None:
        self.connections += 1

    def record(self, path: str, query: str) -> dict:
        return {
            "pid": os.getpid(),
            "path": path,
            "query": query,
            "wall": _ms(time.perf_counter() - self.started),
            "cpu": _ms(time.process_time() - self.cpu_started),
            "db": _ms(self.db),
            "queries": self.queries,
            "gc": _ms(self.gc),
            "gc_cpu": _ms(self.gc_cpu),
            "full_collections": self.full_collections,
            "connections": self.connections,
        }

    def write(self, path: str, query: str) -> None:
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps(self.record(path, query), ensure_ascii=False) + "\n")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


_log = RequestLog(os.environ.get("BENCH_REQUEST_LOG", os.devnull))
_project = {} if os.environ.get("BENCH_NO_FREEZE") == "1" else runpy.run_path(str(PROJECT_CONFIG))


def post_worker_init(worker) -> None:
    """The project's hook, then the log's callbacks (installed after it, so the freeze's own
    collection is not counted in any request)."""
    if "post_worker_init" in _project:
        _project["post_worker_init"](worker)
    from django.db import connection
    from django.db.backends.signals import connection_created

    gc.callbacks.append(_log.on_gc)
    connection.execute_wrappers.append(_log.on_query)
    connection_created.connect(_log.on_connection, weak=False)


def pre_request(worker, req) -> None:
    _log.reset()


def post_request(worker, req, environ, resp) -> None:
    _log.write(req.path, req.query)


def summary(records: list[dict]) -> list[str]:
    """Per page: wall time p50/p95/max inside the worker, and what the slowest 5 % of its
    requests spent beyond the page's median, split into GC, database and the rest."""
    pages = defaultdict(list)
    for record in records:
        pages[(record["path"], record["query"])].append(record)
    lines = [
        "| page | requests | p50 / p95 / max ms | full GCs | slowest 5 %: with a full GC "
        "| their excess: GC / database / rest ms |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for (path, query), rows in pages.items():
        if len(rows) < 2:
            continue
        walls = sorted(r["wall"] for r in rows)
        median = {key: statistics.median(r[key] for r in rows) for key in ("wall", "gc", "db")}
        slow = sorted(rows, key=lambda r: r["wall"])[-max(1, len(rows) // 20) :]
        gc_excess = statistics.mean(r["gc"] - median["gc"] for r in slow)
        db_excess = statistics.mean(r["db"] - median["db"] for r in slow)
        wall_excess = statistics.mean(r["wall"] - median["wall"] for r in slow)
        p95 = statistics.quantiles(walls, n=20)[-1]
        lines.append(
            f"| {path}{'?' + unquote(query) if query else ''} | {len(rows)} "
            f"| {median['wall']:.0f} / {p95:.0f} / {walls[-1]:.0f} "
            f"| {sum(r['full_collections'] for r in rows)} "
            f"| {sum(r['full_collections'] > 0 for r in slow)} of {len(slow)} "
            f"| {gc_excess:.0f} / {db_excess:.0f} / {wall_excess - gc_excess - db_excess:.0f} |"
        )
    return lines


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as lines:
        print("\n".join(summary([json.loads(line) for line in lines])))
