"""Nothing lost: the app server, a real gunicorn on loopback, is SIGKILLed at random moments
during a burst of portal submissions and restarted; afterwards every acknowledged submission is
stored exactly once under a distinct tracking number, with no half-written rows. On PostgreSQL
the database is also stopped under load (every answer meanwhile is an error) and restarted while
the app keeps running (the app serves again by itself).

Each variant runs in the pass of its database (CI runs the suite on SQLite, then on PostgreSQL).
FAULT_SEED=<n> replays a run's plan: which submissions retry and when the chaos strikes.
"""

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing

import psycopg
import pytest
from django.conf import settings

from tests.fault.burst import Burst
from tests.fault.checks import (
    outage_problems,
    replay_problems,
    snapshot,
    structure_problems,
    submission_problems,
)
from tests.fault.processes import NEED_TYPES_PATH, WORKERS, AppServer, PrivatePostgres, http_request

pytestmark = pytest.mark.fault

SUBMISSIONS = 240
CLIENTS = 6
OUTAGE_SECONDS = 1.5
KILLS = 5


def _database_pass() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite"


def _seed() -> int:
    seed = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(10**6))
    print(f"fault harness seed: {seed} (FAULT_SEED={seed} replays this plan)")
    return seed


def _need_type(server: AppServer) -> str:
    return json.loads(http_request(server.port, "GET", NEED_TYPES_PATH)[1])[0]["code"]


def _run_burst(server: AppServer, chaos: Callable[[Burst], None], seed: int) -> tuple[Burst, list]:
    """The burst under `chaos`, then every acknowledged submission resent once."""
    station = server.prepare()
    server.start()
    burst = Burst(
        server,
        station=station,
        need_type=_need_type(server),
        rng=random.Random(seed),
        size=SUBMISSIONS,
        clients=CLIENTS,
    )
    try:
        burst.run(chaos)
        assert not burst.errors, f"harness thread failed: {burst.errors!r}\n{server.log_tail()}"
        replayed = burst.replay()
    finally:
        server.kill()
    return burst, replayed


def _strike(burst: Burst, rng: random.Random) -> bool:
    """Wait for the next random moment: after 10–30 more acknowledgements and a few milliseconds,
    so faults hit requests at every stage. False when the burst ended first."""
    if not burst.wait_acknowledged(rng.randint(10, 30)):
        return False
    time.sleep(rng.uniform(0, 0.05))
    return True


def _kill_and_restart(burst: Burst, kills: list[float]) -> None:
    burst.server.kill()
    kills.append(time.monotonic())
    burst.server.start()


def _report(burst: Burst, kills: list, started: float, **extra) -> None:
    acknowledged = {a.key for a in burst.attempts if a.acknowledged}
    no_answer = sum(a.status is None for a in burst.attempts)
    errors = sum(a.status is not None and a.status >= 500 for a in burst.attempts)
    print(
        f"{len(burst.planned)} submissions, {len(acknowledged)} acknowledged, "
        f"{len(burst.attempts)} requests ({no_answer} without answer, {errors} HTTP 5xx), "
        f"{len(kills)} SIGKILLs, {time.monotonic() - started:.1f} s",
        *(f"{name}: {value}" for name, value in extra.items()),
    )


def _check(burst: Burst, replayed: list, db, server: AppServer, outages=()) -> None:
    problems = (
        structure_problems(db)
        + submission_problems(db, burst)
        + replay_problems(replayed)
        + outage_problems(burst, list(outages))
    )
    assert not problems, "\n".join(problems[:40]) + f"\n--- server log\n{server.log_tail()}"


def test_sigkill_of_the_app_server_on_sqlite(tmp_path):
    if _database_pass() != "sqlite":
        pytest.skip("runs in the SQLite pass (this pass runs the PostgreSQL variant)")
    started, seed = time.monotonic(), _seed()
    rng = random.Random(seed + 1)
    database = tmp_path / "hqzt.sqlite3"
    server = AppServer(tmp_path, f"sqlite:///{database}")
    kills: list[float] = []

    def chaos(burst: Burst) -> None:
        while len(kills) < KILLS and _strike(burst, rng):
            _kill_and_restart(burst, kills)

    burst, replayed = _run_burst(server, chaos, seed)
    _report(burst, kills, started)
    assert len(kills) == KILLS, "the burst ended before the chaos was done"
    with closing(sqlite3.connect(database)) as connection:
        _check(burst, replayed, snapshot(connection), server)


@pytest.fixture
def private_postgres():
    if _database_pass() != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    bindir = PrivatePostgres.find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
    cluster = PrivatePostgres(bindir)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.destroy()


def test_sigkill_and_database_restarts_on_postgresql(tmp_path, private_postgres):
    started, seed = time.monotonic(), _seed()
    rng = random.Random(seed + 1)
    server = AppServer(tmp_path, private_postgres.url)
    kills: list[float] = []
    outages: list[tuple[float, float]] = []
    recovery: list[int | None] = []

    def database_outage(burst: Burst) -> None:
        """Down under load: requests keep coming and must all fail."""
        private_postgres.stop("immediate")
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        outages.append((down, time.monotonic()))
        private_postgres.start()

    def database_restart(burst: Burst) -> None:
        """Restarted while the app holds its persistent connections: the very next submissions
        must succeed, with no restart of the app."""
        with burst.paused():
            private_postgres.restart()
            recovery.extend(burst.probe().status for _ in range(2 * WORKERS))

    def kill(burst: Burst) -> None:
        _kill_and_restart(burst, kills)

    steps = [kill, database_outage, kill, database_restart, kill]

    def chaos(burst: Burst) -> None:
        while steps and _strike(burst, rng):
            steps.pop(0)(burst)

    burst, replayed = _run_burst(server, chaos, seed)
    _report(burst, kills, started, outages=len(outages), recovery=recovery)
    assert not steps, "the burst ended before the chaos was done"
    assert all(status == 201 for status in recovery), (
        f"after the database restart the app answered {recovery}\n{server.log_tail()}"
    )
    with psycopg.connect(private_postgres.url) as connection:
        _check(burst, replayed, snapshot(connection), server, outages)
