"""What "nothing lost" means, checked by reading the server's database directly (plain SQL, not
the application's models, so a bug in the app cannot hide itself).

A portal submission is complete when it has: a tracking sheet with exactly one key, exactly one
need (row 1, same station and enterprise as the sheet) with exactly one "submit" event, the
enterprise row, and the station–enterprise link. Tracking numbers are the year and a serial that
runs 1…n without gaps per station and year, with that station's counter of the year at n.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from tests.fault.burst import Attempt, Burst

KEY = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Snapshot:
    keys: list[tuple]  # (key, sheet_id)
    sheets: dict[int, tuple]  # id -> (tracking_number, year, serial, station_id, enterprise_id)
    needs: list[tuple]  # (id, sheet_id, row_number, station_id, enterprise_id, content)
    events: list[tuple]  # (need_id, action)
    counters: dict[tuple, int]  # (station_id, year) -> last_serial
    links: set[tuple]  # (station_id, enterprise_id)
    enterprises: dict[int, str]  # id -> name


def snapshot(connection) -> Snapshot:
    """Everything the checks need, from a DB-API connection (sqlite3 or psycopg)."""

    def rows(sql: str) -> list[tuple]:
        return [tuple(row) for row in connection.execute(sql).fetchall()]

    return Snapshot(
        keys=rows("SELECT key, sheet_id FROM needs_submissionkey"),
        sheets={
            row[0]: row[1:]
            for row in rows(
                "SELECT id, tracking_number, year, serial, station_id, enterprise_id "
                "FROM needs_trackingsheet"
            )
        },
        needs=rows(
            "SELECT id, sheet_id, row_number, station_id, enterprise_id, content FROM needs_need"
        ),
        events=rows("SELECT need_id, action FROM needs_needevent"),
        counters={
            (station, year): last
            for station, year, last in rows(
                "SELECT station_id, year, last_serial FROM needs_trackingcounter"
            )
        },
        links=set(rows("SELECT station_id, enterprise_id FROM stations_station_enterprises")),
        enterprises=dict(rows("SELECT id, name FROM enterprises_enterprise")),
    )


def structure_problems(db: Snapshot) -> list[str]:
    """Half-written or orphaned rows, and numbering that is not unique and gapless."""
    problems = []
    keys_of = Counter(sheet_id for _, sheet_id in db.keys)
    needs_of = defaultdict(list)
    for need in db.needs:
        needs_of[need[1]].append(need)
    submits = Counter(need_id for need_id, action in db.events if action == "submit")
    need_ids = {need[0] for need in db.needs}
    problems += [f"key {key} → missing sheet {sid}" for key, sid in db.keys if sid not in db.sheets]
    problems += [f"need {n[0]} → missing sheet {n[1]}" for n in db.needs if n[1] not in db.sheets]
    problems += [f"event of missing need {nid}" for nid, _ in db.events if nid not in need_ids]
    for sheet_id, (number, _, _, station, enterprise) in db.sheets.items():
        needs = needs_of[sheet_id]
        if keys_of[sheet_id] != 1:
            problems.append(f"sheet {number}: {keys_of[sheet_id]} submission keys")
        if len(needs) != 1:
            problems.append(f"sheet {number}: {len(needs)} needs")
        for need_id, _, row, need_station, need_enterprise, _ in needs:
            if (row, need_station, need_enterprise) != (1, station, enterprise):
                problems.append(f"sheet {number}: need {need_id} does not match its sheet")
            if submits[need_id] != 1:
                problems.append(f"sheet {number}: need {need_id} has {submits[need_id]} events")
        if enterprise not in db.enterprises:
            problems.append(f"sheet {number}: enterprise {enterprise} missing")
        if (station, enterprise) not in db.links:
            problems.append(f"sheet {number}: enterprise not linked to the station")
    numbers = [(sheet[3], sheet[0]) for sheet in db.sheets.values()]
    if len(set(numbers)) != len(numbers):
        problems.append("tracking numbers are not distinct within a station")
    serials = defaultdict(list)
    for number, year, serial, station, _ in db.sheets.values():
        serials[station, year].append(serial)
        if number != f"{year}{serial:04d}":
            problems.append(f"tracking number {number} is not {year} + {serial}")
    for (station, year), taken in serials.items():
        if sorted(taken) != list(range(1, len(taken) + 1)):
            problems.append(f"station {station}, {year}: serials are not 1…{len(taken)} in a row")
        if db.counters.get((station, year)) != len(taken):
            problems.append(
                f"station {station}, {year}: counter at {db.counters.get((station, year))}, "
                f"{len(taken)} sheets"
            )
    names = Counter(db.enterprises.values())
    problems += [f"enterprise {name!r} stored {n} times" for name, n in names.items() if n > 1]
    return problems


def submission_problems(db: Snapshot, burst: Burst) -> list[str]:
    """Every acknowledged submission stored once under the number it was given; every retrying
    client got its answer in the end; nothing stored that nobody sent."""
    problems = []
    planned = {item.key: item for item in burst.planned}
    sheet_of_key = {key.removeprefix("portal:"): sid for key, sid in db.keys}
    stored = Counter()
    for need in db.needs:
        found = KEY.findall(need[5])
        if len(found) != 1 or found[0] not in planned:
            problems.append(f"need {need[0]} was not sent by the harness: {need[5]!r}")
            continue
        stored[found[0]] += 1
        if db.sheets.get(need[1]) and sheet_of_key.get(found[0]) != need[1]:
            problems.append(f"submission {found[0]}: its key points at another sheet")
    answers: dict[str, set[str]] = defaultdict(set)
    for attempt in burst.attempts:
        if attempt.acknowledged:
            answers[attempt.key].add(attempt.tracking_number)
        elif attempt.status is not None and attempt.status < 500:
            problems.append(f"submission {attempt.key}: HTTP {attempt.status} {attempt.detail}")
    for key, item in planned.items():
        if stored[key] > 1:
            problems.append(f"submission {key} stored {stored[key]} times")
        numbers = answers.get(key, set())
        if len(numbers) > 1:
            problems.append(f"submission {key} acknowledged with several numbers {numbers}")
        if numbers and key not in sheet_of_key:
            problems.append(f"submission {key} acknowledged as {numbers} but not stored")
        elif numbers and {db.sheets[sheet_of_key[key]][0]} != numbers:
            problems.append(f"submission {key} acknowledged as {numbers}, stored differently")
        if item.retry and not numbers:
            problems.append(f"submission {key}: the retrying client never got an answer")
    return problems


def replay_problems(replayed: list[tuple[Attempt, Attempt]]) -> list[str]:
    """Resending an acknowledged submission answers 200 with the number first given."""
    return [
        f"replay of {first.key}: HTTP {again.status} {again.tracking_number or again.detail}, "
        f"first answer {first.tracking_number}"
        for first, again in replayed
        if again.status != 200 or again.tracking_number != first.tracking_number
    ]


def outage_problems(burst: Burst, outages: list[tuple[float, float]]) -> list[str]:
    """While the database is down no request may be acknowledged."""
    problems = []
    for down, up in outages:
        inside = [a for a in burst.attempts if a.started >= down and a.ended <= up]
        if not inside:
            problems.append("no request was answered during the database outage")
        problems += [
            f"acknowledged during the outage: {a.key} as {a.tracking_number}"
            for a in inside
            if a.acknowledged
        ]
    return problems
