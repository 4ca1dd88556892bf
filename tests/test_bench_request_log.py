"""bench/request_log.py, the per-request log that found issue 18's slow requests: what it
records of one request, and the summary that splits the slowest requests' excess."""

import gc
import json
import runpy
from pathlib import Path

import pytest
from django.db import connection

from bench.request_log import RequestLog, summary

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_request_records_its_database_and_garbage_collection_time(tmp_path):
    log = RequestLog(str(tmp_path / "requests.jsonl"))
    gc.callbacks.append(log.on_gc)
    try:
        with connection.execute_wrapper(log.on_query):
            log.reset()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            gc.collect()
            log.write("/needs/", "q=%E6%A3%80")
    finally:
        gc.callbacks.remove(log.on_gc)
    lines = (tmp_path / "requests.jsonl").read_text().splitlines()
    (record,) = [json.loads(line) for line in lines]
    assert record["path"] == "/needs/" and record["queries"] == 1
    assert record["full_collections"] == 1 and record["gc"] > 0
    assert record["wall"] >= record["db"] > 0


def test_the_summary_attributes_the_slowest_requests_excess():
    quick = {"path": "/home/", "query": "", "wall": 50, "db": 20, "gc": 1, "full_collections": 0}
    slow = {**quick, "wall": 170, "db": 30, "gc": 101, "full_collections": 1}
    (_, _, row) = summary([quick] * 19 + [slow])
    assert row == "| /home/ | 20 | 50 / 164 / 170 | 1 | 1 of 1 | 100 / 10 / 10 |"


@pytest.mark.parametrize(("no_freeze", "project_hooks"), [("", True), ("1", False)])
def test_the_projects_hooks_run_unless_left_out(monkeypatch, no_freeze, project_hooks):
    """The "after" runs gunicorn.conf.py's hook as a deployment does; BENCH_NO_FREEZE=1 the
    "before"."""
    monkeypatch.setenv("BENCH_NO_FREEZE", no_freeze)
    config = runpy.run_path(str(ROOT / "bench" / "request_log.py"))
    assert ("post_worker_init" in config["_project"]) is project_hooks
