"""`bench/scale.py build`: N needs over ≈200 stations, as the app would have written them.

Stations and users go through the ORM (a few hundred rows). Enterprises, their station links,
tracking sheets and needs — millions of rows — are made by `scale_rows.Table` from the models'
own fields and written by `scale_rows.Loader` with COPY (PostgreSQL) or executemany (SQLite), in
transactions of `LOAD_BATCH` rows, while the tables' secondary indexes and constraints are
dropped (`deferred_indexes`, as a restore loads). Each row is what `save()` writes: an
enterprise's name cleaned by `name_clean`, its n-grams and name key; a need's `search_ngrams`
of its text and its enterprise's name, its phone encrypted and hashed by its fields.
"""

import datetime
import itertools
import sys
import time

from bench.scale import (
    CITY,
    STATIONS,
    SURNAMES,
    TOWNS,
    _progress,
    _station_sizes,
    _statuses,
    content_for,
    enterprise_name,
)

LOAD_BATCH = 50_000
TODAY = datetime.date(2026, 11, 30)
# Every this-many needs, the n-grams made from cached token lists are checked against the app's.
NGRAM_CHECK_EVERY = 1_000


class NeedNgrams:
    """`need_ngrams(content, enterprise_name)` (= `ngrams(content, name)`), as Need.save() sets
    it, from token lists kept per text: ngrams() tokenises each text in turn and keeps a token
    where it first appeared, which is what joining the two lists in order and dropping repeats
    does. A few hundred distinct contents; an enterprise's tokens are made once for a sheet's
    needs."""

    def __init__(self):
        self._contents: dict[str, list[str]] = {}
        self._name: tuple[str, list[str]] = ("", [])
        self.made = 0

    def __call__(self, content: str, name: str) -> str:
        from hqzt.core.search import ngrams
        from hqzt.needs.models.need import need_ngrams

        text = content
        tokens = self._contents.get(text)
        if tokens is None:
            tokens = self._contents[text] = ngrams(text).split()
        if self._name[0] != name:
            self._name = (name, ngrams(name).split())
        made = " ".join(dict.fromkeys(tokens + self._name[1]))
        self.made += 1
        if self.made % NGRAM_CHECK_EVERY == 0 and made != need_ngrams(text, name):
            raise AssertionError(f"n-grams differ from need_ngrams() for {text!r}, {name!r}")
        return made


def build(n: int, seed: int = 18, *, stats: bool = True, workers: int = 2) -> None:
    from django.core.management import call_command

    from hqzt.needs.models import Need

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Need.objects.exists():
        sys.exit("The database already holds needs; build into an empty one.")

    def statistics() -> None:
        from hqzt.dashboard.reconcile import reconcile

        # The statistics page reads NeedStat (ADR 0009): built as `rebuild_stats` would.
        drift = reconcile(fix=True)
        print(f"{drift.rows:,} statistics rows: {time.perf_counter() - started:.0f} s")

    fill(n, seed, started=started, workers=workers, during=statistics if stats else None)


def fill(
    n: int, seed: int = 18, *, started: float | None = None, workers: int = 0, during=None
) -> None:
    """Stations, users, enterprises and `n` needs into a migrated database (tests call this);
    the needs made by `workers` processes on PostgreSQL outside a transaction, else by this one
    (SQLite has one writer at a time). `during()` runs while the n-gram indexes are built."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench.scale_rows import Loader, deferred_indexes
    from hqzt.accounts.models import User
    from hqzt.enterprises.models import Enterprise
    from hqzt.needs.models import Channel, Need, NeedType, TrackingSheet
    from hqzt.org.models import OrgUnit, Section
    from hqzt.stations.counts import enterprise_count_drift
    from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    started = started or time.perf_counter()
    city = OrgUnit.objects.get(region_code=CITY)
    domain, site = DomainKind.objects.first(), SiteKind.objects.first()
    stations = Station.objects.bulk_create(
        Station(
            name=f"{TOWNS[k % len(TOWNS)]}第{k + 1}服务站",
            domain_kind=domain,
            domain_name=TOWNS[k % len(TOWNS)],
            site_kind=site,
            address="晋城市",
            service_content="计量、标准、检验检测、认证认可、知识产权",
            contact_phones="03562221234",
            supervision_phone="03562221234",
            superior_unit=city,
        )
        for k in range(STATIONS)
    )
    supervisor = User.objects.create(
        username="bench-supervisor", full_name="基准监督", role="supervisor", org_unit=city
    )
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{s.pk}", full_name=f"站员{s.pk}", role="station_staff")
        for s in stations
    )
    StationMember.objects.bulk_create(
        StationMember(station=s, user=u, onboarding_trained_on=datetime.date(2024, 1, 1))
        for s, u in zip(stations, staff, strict=True)
    )
    # One hash for everybody: hashing 200 passwords would take minutes.
    User.objects.filter(pk__in=[supervisor.pk, *(u.pk for u in staff)]).update(
        password=make_password("bench-password")
    )
    weights = list(itertools.accumulate(_station_sizes(n, rng)))
    loader = Loader(connection)
    bulk = [Enterprise, Station.enterprises.through, TrackingSheet, Need]
    with deferred_indexes(connection, bulk, during=during) as recreated:
        enterprises = _enterprises(loader, max(STATIONS, int(n * 0.3)), rng, weights, stations)
        print(f"stations, users, enterprises: {time.perf_counter() - started:.0f} s", flush=True)
        world = {
            "stations": stations,
            "staff": staff,
            "types": list(NeedType.objects.values_list("pk", flat=True)),
            "channels": list(Channel.objects.values_list("pk", flat=True)),
            "sections": list(Section.objects.values_list("pk", flat=True)),
            "workers": workers
            if connection.vendor == "postgresql" and not connection.in_atomic_block
            else 0,
        }
        _needs(loader, n, rng, weights, enterprises, world)
        loader.finish()
        counters_from_sheets()
        # The links went in by COPY, past stations/counts.py: counted as rebuild_stats does.
        enterprise_count_drift(fix=True)
        took = time.perf_counter() - started
        print(f"{n:,} needs: {took:.0f} s (writing {loader.seconds:.0f} s)", flush=True)
    print(
        f"indexes and constraints{' with statistics' if during else ''}: "
        f"{time.perf_counter() - started:.0f} s"
    )
    for seconds, sql in sorted(recreated, reverse=True)[:5]:  # the slowest
        print(f"  {seconds:6.1f} s  {sql[:110]}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE: {time.perf_counter() - started:.0f} s", flush=True)


def counters_from_sheets() -> None:
    """Each station's tracking counter of a year at the last serial its sheets use, as
    `numbering.next_serial` leaves it: the next registration takes the next number. (Databases
    built before 2026-12-01 have none, and a registration there fails on the sheets' unique
    key; `measure` sets them before its writes and after it removes them.)"""
    from django.db.models import Max

    from hqzt.needs.models import TrackingCounter, TrackingSheet

    last = TrackingSheet.objects.values_list("station_id", "year").annotate(Max("serial"))
    TrackingCounter.objects.bulk_create(
        [TrackingCounter(station_id=s, year=y, last_serial=serial) for s, y, serial in last],
        update_conflicts=True,
        unique_fields=["station", "year"],
        update_fields=["last_serial"],
    )


class Enterprises:
    """The enterprises written: each one's name by id, and the ids of each station's."""

    def __init__(self, first_id: int):
        self.first_id = first_id
        self.names: list[str] = []
        self.by_station: dict[int, list[int]] = {}

    def name(self, pk: int) -> str:
        return self.names[pk - self.first_id]


def _enterprises(loader, count: int, rng, weights: list[float], stations) -> Enterprises:
    from django.db import connection
    from django.utils import timezone

    from bench.scale_rows import Table
    from hqzt.core.search import ngrams
    from hqzt.core.text import name_clean
    from hqzt.enterprises.models import Enterprise
    from hqzt.enterprises.names import enterprise_name_key
    from hqzt.stations.models import Station

    table = Table(Enterprise, connection)
    links = Table(Station.enterprises.through, connection)
    made = Enterprises(loader.next_id(Enterprise))
    first_link = loader.next_id(Station.enterprises.through)
    for start in range(0, count, LOAD_BATCH):
        table.stamp(timezone.now())
        batch = range(start, min(start + LOAD_BATCH, count))
        owners = rng.choices(range(STATIONS), cum_weights=weights, k=len(batch))
        rows, link_rows = [], []
        for i, owner in zip(batch, owners, strict=True):
            pk = made.first_id + i
            name = name_clean(enterprise_name(rng, i))  # as Enterprise.save() cleans it
            values = {"id": pk, "name": name, "search_ngrams": ngrams(name)}
            rows.append(table.row({**values, "name_key": enterprise_name_key(name)}))
            link = {"id": first_link + i, "station_id": stations[owner].pk, "enterprise_id": pk}
            link_rows.append(links.row(link))
            made.names.append(name)
            made.by_station.setdefault(owner, []).append(pk)
        loader.write(table, rows)
        loader.write(links, link_rows)
    return made


def _needs(loader, n: int, rng, weights: list[float], enterprises: Enterprises, world) -> None:
    """The sheets and needs, planned here in date order (who, when, how many, which number)
    and made and written batch by batch — by `workers` processes with their own connections
    when `world["workers"]`, else here (on SQLite, or inside a test's transaction)."""
    import collections
    import multiprocessing

    from django.db import connections

    from hqzt.needs.models import Need, TrackingSheet

    loader.models += [TrackingSheet, Need]
    plans = _plans(n, rng, weights, enterprises, world, loader)
    _STATE.update(world=world, enterprises=enterprises, seed=rng.random())
    made = 0
    if world["workers"]:
        connections.close_all()  # forked workers open their own
        context = multiprocessing.get_context("fork")
        with context.Pool(world["workers"]) as pool:
            pending: collections.deque = collections.deque()
            for plan in plans:  # a few batches ahead of the writers, not all of them
                pending.append(pool.apply_async(_write_batch, (plan,)))
                while len(pending) > 2 * world["workers"]:
                    count, seconds = pending.popleft().get()
                    made, loader.seconds = made + count, loader.seconds + seconds
                    _progress_line(made)
            for result in pending:
                count, seconds = result.get()
                made, loader.seconds = made + count, loader.seconds + seconds
                _progress_line(made)
    else:
        for plan in plans:
            count, seconds = _write_batch(plan, loader)
            made, loader.seconds = made + count, loader.seconds + seconds
            _progress_line(made)


def _progress_line(made: int) -> None:
    if made % 100_000 < LOAD_BATCH:
        print(f"  {made:,} needs", flush=True)


# What a batch writer needs besides its plan: set before the workers fork, so they share it.
_STATE: dict = {}


def _plans(n: int, rng, weights, enterprises: Enterprises, world, loader):
    """Each batch's sheets: (index, first need id, [(sheet id, station index, size, day, serial,
    enterprise id)]). Registration order is date order, as on a live system: ids grow with
    registered_on, and each station's serials with both."""
    from hqzt.needs.models import Need, TrackingSheet

    sheet_id, need_id = loader.next_id(TrackingSheet), loader.next_id(Need)
    first_day = TODAY - datetime.timedelta(days=3 * 365)
    span = (TODAY - first_day).days
    serials: dict[tuple[int, int], int] = {}
    biggest = max(enterprises.by_station, key=lambda s: len(enterprises.by_station[s]))
    made, index = 0, 0
    while made < n:
        count = min(LOAD_BATCH, n - made)
        sheets, first_need, rows = [], need_id, 0
        while rows < count:
            size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), count - rows)
            owner = rng.choices(range(STATIONS), cum_weights=weights)[0]
            # Each sheet on its own day, evenly over the three years.
            day = first_day + datetime.timedelta(days=((made + rows) * span) // n)
            key = (owner, day.year)
            serials[key] = serials.get(key, 0) + 1
            enterprise = rng.choice(enterprises.by_station.get(owner) or [biggest])
            sheets.append((sheet_id, owner, size, day, serials[key], enterprise))
            sheet_id, need_id, rows = sheet_id + 1, need_id + size, rows + size
        yield index, first_need, sheets
        made, index = made + count, index + 1


def _write_batch(plan, loader=None) -> tuple[int, float]:
    """Make one batch's sheet and need rows (random by the build's seed and the batch's index,
    whichever process makes it) and write them; the needs written and the seconds writing."""
    import random

    from django.db import connection
    from django.utils import timezone

    from bench.scale_rows import Loader, Table
    from hqzt.needs.models import Need, TrackingSheet
    from hqzt.needs.numbering import tracking_number

    index, need_id, specs = plan
    world, enterprises = _STATE["world"], _STATE["enterprises"]
    if "tables" not in _STATE:  # once per process
        _STATE["tables"] = (Table(TrackingSheet, connection), Table(Need, connection))
        _STATE["ngrams"] = NeedNgrams()
    sheets, needs = _STATE["tables"]
    search_ngrams = _STATE["ngrams"]
    loader = loader or Loader(connection)
    rng = random.Random(f"{_STATE['seed']}:{index}")  # noqa: S311 - reproducible data
    now = timezone.now()
    sheets.stamp(now)
    needs.stamp(now)
    sheet_rows, need_rows = [], []
    for sheet_id, owner, size, day, serial, enterprise in specs:
        station, name = world["stations"][owner], enterprises.name(enterprise)
        sheet = {
            "id": sheet_id,
            "tracking_number": tracking_number(day.year, serial),
            "year": day.year,
            "serial": serial,
            "station_id": station.pk,
            "enterprise_id": enterprise,
        }
        sheet_rows.append(sheets.row(sheet))
        status = _statuses((TODAY - day).days, rng)
        for row_number in range(1, size + 1):
            content = content_for(rng)
            need = {
                **_progress(status, day, rng, world["sections"]),
                "id": need_id,
                "sheet_id": sheet_id,
                "row_number": row_number,
                "station_id": station.pk,
                "enterprise_id": enterprise,
                "registered_on": day,
                "contact_name": rng.choice(SURNAMES) + "经理",
                "contact_phone": f"138{rng.randrange(10**8):08d}",
                "need_type_id": rng.choice(world["types"]),
                "content": content,
                "first_contact_id": world["staff"][owner].pk,
                "source": "inbound",
                "channel_id": rng.choice(world["channels"]) if world["channels"] else None,
                "status": status,
                "search_ngrams": search_ngrams(content, name),
            }
            need_rows.append(needs.row(need))
            need_id += 1
    before = loader.seconds
    loader.write(sheets, sheet_rows)
    loader.write(needs, need_rows)
    return len(need_rows), loader.seconds - before
