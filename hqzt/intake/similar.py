"""Similar needs: a probable duplicate (same enterprise, last 90 days, nearly the same words)
and earlier archived needs with similar text and how they ended — the station learns from its
own past.

Both are index lookups, never a scan of the needs table. Duplicates: the enterprise's needs of
the last 90 days (the enterprise foreign-key index; a handful of rows) compared word by word.
Archived needs: MinHash over the text's character bigrams, cut into LSH bands; each band of an
archived need is one row of SimilarityKey (indexed by key, station, need), so a text's 16 band
keys find the needs sharing a band with 16 bounded index reads, and only those few are compared.
"""

import datetime
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import QuerySet

from hqzt.intake.lexicon import normalize

NUM_HASHES = 32
ROWS_PER_BAND = 2  # 16 bands: texts sharing ~30 % of their bigrams meet in a band most times
DUPLICATE_DAYS = 90
DUPLICATE_THRESHOLD = 0.6
SIMILAR_THRESHOLD = 0.25
CANDIDATES = 200
PER_KEY = 300  # the newest needs read for each band key
_PRIME = (1 << 61) - 1
_SALTS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % _PRIME or 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % _PRIME,
    )
    for i in range(NUM_HASHES)
]
_NOT_WORD = re.compile(r"[^\w]+")


def shingles(text: str) -> set[str]:
    """The character bigrams of the normalised text (typos and 俗称 made canonical)."""
    norm = _NOT_WORD.sub("", normalize(text))
    if len(norm) < 2:
        return {norm} if norm else set()
    return {norm[i : i + 2] for i in range(len(norm) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def band_keys(text: str) -> list[int]:
    """The text's LSH band keys (signed 64-bit, as the database stores them)."""
    grams = shingles(text)
    if not grams:
        return []
    hashed = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams]
    signature = [min((a * h + b) % _PRIME for h in hashed) for a, b in _SALTS]
    keys = []
    for band in range(NUM_HASHES // ROWS_PER_BAND):
        rows = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(f"{band}:{rows}".encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, signed=True))
    return keys


def index_need(need) -> None:
    """(Re)writes the band keys of an archived need; only archived needs are looked up."""
    from hqzt.intake.models import SimilarityKey

    SimilarityKey.objects.filter(need=need).delete()
    SimilarityKey.objects.bulk_create(
        SimilarityKey(need=need, station_id=need.station_id, key=key)
        for key in set(band_keys(need.content))
    )


def candidates_sql(
    keys: list[int], stations: list[int] | None, *, table: str, quote: Callable[[str], str]
) -> tuple[str, list[int]]:
    """One statement reading, for each key, its PER_KEY newest rows (bench/similar.py times
    this very statement)."""
    where = f"{quote('key')} = %s"
    if stations is not None:
        where += f" AND {quote('station_id')} IN ({', '.join(['%s'] * len(stations))})"
    # Quoted names, placeholders and integers only are formatted in; keys and stations are
    # parameters.
    parts, params = [], []
    for i, key in enumerate(keys):
        parts.append(
            f"SELECT need_id FROM (SELECT need_id FROM {quote(table)} WHERE {where} "  # noqa: S608 # nosec B608
            f"ORDER BY need_id DESC LIMIT {PER_KEY}) AS band{i}"
        )
        params += [key, *(stations or [])]
    return " UNION ALL ".join(parts), params


def _candidates(keys: list[int], stations: list[int] | None) -> list[int]:
    """The archived needs sharing most band keys with the text, among `stations` (None: all).

    Each key reads only its PER_KEY newest needs, in the order of the (key, station, need)
    index: a band of a common need ("压力表检定") is shared by tens of thousands of needs in a
    city, and grouping them all took 220 ms at 1M needs (bench/similar.py). So the cost is
    bounded by 16 × PER_KEY rows whatever the ledger's size, and the newest are what a station
    learns most from."""
    from hqzt.intake.models import SimilarityKey

    if stations is not None and not stations:
        return []
    connection = connections[router.db_for_read(SimilarityKey)]
    sql, params = candidates_sql(
        keys, stations, table=SimilarityKey._meta.db_table, quote=connection.ops.quote_name
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        shared = Counter(need_id for (need_id,) in cursor.fetchall())
    return [need_id for need_id, _ in shared.most_common(CANDIDATES)]


@dataclass(frozen=True)
class Similar:
    need: object
    similarity: float


def probable_duplicates(need, visible: QuerySet) -> list[Similar]:
    """The enterprise's other needs of the last 90 days that say nearly the same thing."""
    return duplicates_of(
        enterprise_id=need.enterprise_id,
        texts=[need.content],
        on=need.registered_on,
        visible=visible,
        exclude=need.pk,
    )


def duplicates_of(
    *,
    enterprise_id: int,
    texts: list[str],
    on: datetime.date,
    visible: QuerySet,
    exclude: int | None = None,
) -> list[Similar]:
    """The enterprise's needs of the 90 days before `on` that say nearly what one of `texts`
    says (registration checks every item of the sheet it is about to open), most similar first."""
    since = on - datetime.timedelta(days=DUPLICATE_DAYS)
    mine = [shingles(text) for text in texts]
    rows = (
        visible.filter(enterprise_id=enterprise_id, registered_on__gte=since)
        .exclude(pk=exclude)
        .select_related("sheet", "sheet__station")
        .order_by("-id")[:CANDIDATES]
    )
    found = [Similar(n, max(jaccard(m, shingles(n.content)) for m in mine)) for n in rows]
    found = [s for s in found if s.similarity >= DUPLICATE_THRESHOLD]
    return sorted(found, key=lambda s: -s.similarity)


def similar_archived(
    text: str,
    user,
    *,
    exclude: int | None = None,
    limit: int = 5,
    visible: QuerySet | None = None,
    station_ids: list[int] | None = None,
):
    """Archived needs `user` may see with similar text, most similar first, with what became of
    them. A page that has read them already passes `visible` (needs_visible_to) and the
    `station_ids` it was built from (visible_station_ids)."""
    from hqzt.needs.selectors import needs_visible_to, visible_station_ids

    keys = band_keys(text)
    if not keys:
        return []
    if visible is None:
        station_ids = visible_station_ids(user)
        visible = needs_visible_to(user, station_ids=station_ids)
    # A section's staff see needs of every station (what was dispatched to them); the
    # visibility filter below decides for them (station_ids is None), the station filter
    # narrows the others' scan.
    rows = (
        visible.filter(pk__in=_candidates(keys, station_ids), archived_at__isnull=False)
        .exclude(pk=exclude)
        .select_related("sheet", "lead_section", "department", "station")
    )
    mine = shingles(text)
    found = [Similar(n, jaccard(mine, shingles(n.content))) for n in rows]
    found = [s for s in found if s.similarity >= SIMILAR_THRESHOLD]
    return sorted(found, key=lambda s: -s.similarity)[:limit]
