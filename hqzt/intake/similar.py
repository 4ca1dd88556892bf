"""Similar needs: a probable duplicate (same enterprise, last 90 days, nearly the same words)
and earlier archived needs with similar text and how they ended — the station learns from its
own past.

Both are index lookups, never a scan of the needs table. Duplicates: the enterprise's needs of
the last 90 days (the enterprise foreign-key index; a handful of rows) compared word by word.
Archived needs: MinHash over the text's character bigrams, cut into LSH bands; each band is one
row of SimilarityKey (indexed), so a text's 16 band keys find the needs sharing any band with
one indexed `IN` lookup, and only those few are compared.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from hqzt.intake.lexicon import normalize

NUM_HASHES = 32
ROWS_PER_BAND = 2  # 16 bands: texts sharing ~30 % of their bigrams meet in a band most times
DUPLICATE_DAYS = 90
DUPLICATE_THRESHOLD = 0.6
SIMILAR_THRESHOLD = 0.25
CANDIDATES = 200
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
    """(Re)writes the need's band keys."""
    from hqzt.intake.models import SimilarityKey

    SimilarityKey.objects.filter(need=need).delete()
    SimilarityKey.objects.bulk_create(
        SimilarityKey(need=need, key=key) for key in set(band_keys(need.content))
    )


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


def similar_archived(text: str, visible: QuerySet, *, exclude: int | None = None, limit: int = 5):
    """Archived needs with similar text, most similar first, with what became of them."""
    from hqzt.intake.models import SimilarityKey

    keys = band_keys(text)
    if not keys:
        return []
    candidate_ids = [
        row["need_id"]
        for row in SimilarityKey.objects.filter(key__in=keys)
        .values("need_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")[:CANDIDATES]
    ]
    rows = (
        visible.filter(pk__in=candidate_ids, archived_at__isnull=False)
        .exclude(pk=exclude)
        .select_related("sheet", "lead_section", "department", "station")
    )
    mine = shingles(text)
    found = [Similar(n, jaccard(mine, shingles(n.content))) for n in rows]
    found = [s for s in found if s.similarity >= SIMILAR_THRESHOLD]
    return sorted(found, key=lambda s: -s.similarity)[:limit]
