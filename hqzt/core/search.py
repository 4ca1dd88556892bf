"""Chinese substring search that stays indexed on PostgreSQL, even for one- and two-character terms.

Chinese has no spaces, and trigram indexes cannot serve terms shorter than three characters, yet
users search for 晋城 or 巴公. Each searchable row therefore stores its text as unigram and bigram
tokens (`search_ngrams`), and PostgreSQL indexes them with a GIN full-text index. A term matches
when all of its bigrams (or its single character) are present; a final substring test removes the
rare row whose bigrams appear in a different order. Tokens are hex-encoded so that PostgreSQL's
text parser treats every character alike, whatever the database's locale.

The index alone is slow for a common term: 检 is in a quarter of a province's needs, so the index
hands back 250,000 rows to be fetched and sorted before the newest 50 are known. A common term is
better found by walking the rows newest first and testing each, which stops after a page. Which
way is cheaper depends on how common the term is *where the user looks* (a station, a filter), so
`text_search` first tests the term against the newest `WINDOW` rows of the filtered queryset and
chooses (ADR 0003):

- common (≥ `COMMON_HITS` in the window): walk newest first; the count walks too, up to its bound;
- uncommon (≥ `UNCOMMON_HITS`): walk for the page, which stays short, but count through the index;
- rare: the index for both; its rows are few.

SQLite, the embedded default, indexes the same tokens in an FTS5 table (`token_index`) and
chooses the same way; without FTS5 it always walks.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, migrations
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

from hqzt.core import token_index

NGRAM_FIELD = token_index.FIELD
_VECTOR = SearchVector(NGRAM_FIELD, config="simple")


def _normalize(text: str) -> str:
    return "".join((text or "").lower().split())


def _token(chars: str) -> str:
    return "x" + chars.encode("utf-8").hex()


def ngrams(*texts: str) -> str:
    """The token string stored beside a row: every character and every adjacent pair."""
    tokens: dict[str, None] = {}
    for text in texts:
        norm = _normalize(text)
        for i, char in enumerate(norm):
            tokens[_token(char)] = None
            if i + 1 < len(norm):
                tokens[_token(norm[i : i + 2])] = None
    return " ".join(tokens)


def _query_tokens(term: str) -> list[str]:
    norm = _normalize(term)
    if len(norm) == 1:
        return [_token(norm)]
    return list(dict.fromkeys(_token(norm[i : i + 2]) for i in range(len(norm) - 1)))


def search_index_operation(table: str) -> migrations.RunPython:
    """A migration operation creating the GIN index of `table` on PostgreSQL (no-op elsewhere)."""
    name = f"{table}_ngram_gin"
    create = (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f"USING gin (to_tsvector('simple'::regconfig, COALESCE(\"{NGRAM_FIELD}\", '')))"
    )
    drop = f'DROP INDEX IF EXISTS "{name}"'

    def run(sql: str):
        def operation(apps, schema_editor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(create), run(drop))


# The newest rows a term is tried on, and how many of them must hold it for walking newest-first
# to beat the index: ≥ 5 in 1,000 (0.5 %) means a page of 50 is found within ~10,000 rows.
WINDOW = 1_000
UNCOMMON_HITS = 5
# ≥ 5 %: a count bounded at 1,000 is reached within ~20,000 rows, cheaper than the index.
COMMON_HITS = 50
COUNT_BOUND = 1_000
# A rare term's matches are read by id, up to this many (more: it is walked after all).
RARE_CAP = 5_000


@dataclass(frozen=True)
class TextSearch:
    """A search's matches, shaped for a newest-first page (`rows`) and for a count bounded at
    `count_bound` (`counted`: slice it, then count; it keeps its order when walking is cheaper)."""

    rows: QuerySet
    counted: QuerySet
    count_bound: int

    @property
    def paging(self) -> dict:
        """sorted_paginate's arguments for counting this search."""
        return {"counted": self.counted, "count_bound": self.count_bound}


def _substring(model: type, term: str, fields: tuple[str, ...]) -> Q:
    """`icontains` as a position test. PostgreSQL guesses a LIKE '%…%' on an expression at half
    a percent of rows and, believing a term rare, sorts every match; it guesses this at a third,
    and walks newest first — which is what `text_search` chose when it asks for this test alone.

    A related row's field (`enterprise__name`) is matched once in its own table (through its
    n-gram index where it has one) and joined by id: testing it on every walked row would cost an
    index lookup per row."""
    needle = Upper(Value(term.strip()))
    substring = Q()
    for field in fields:
        relation, _, name = field.rpartition("__")
        if not relation:
            substring |= Q(GreaterThan(StrIndex(Upper(field), needle), 0))
            continue
        related = model._meta.get_field(relation).related_model
        matching = related._default_manager.all()
        if _token_indexed(related):
            matching = _indexed(matching, term, (name,))
        else:
            matching = matching.filter(_substring(related, term, (name,)))
        substring |= Q(**{f"{relation}__in": matching.values("pk")})
    return substring


def _token_indexed(model: type) -> bool:
    """Whether `model`'s tokens are indexed here: GIN on PostgreSQL, FTS5 on SQLite."""
    if not any(f.name == NGRAM_FIELD for f in model._meta.get_fields()):
        return False
    if connection.vendor == "postgresql":
        return True
    return token_index.present(connection, model._meta.db_table)


def _indexed(queryset: QuerySet, term: str, fields: tuple[str, ...]) -> QuerySet:
    """The n-gram index's candidates, confirmed by the substring test."""
    tokens = _query_tokens(_normalize(term))
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(" & ".join(tokens), search_type="raw", config="simple")
        candidates = queryset.alias(_ngram_vector=_VECTOR).filter(_ngram_vector=tsquery)
    else:
        # The table is the model's; the tokens are a parameter.
        match = RawSQL(  # noqa: S611 # nosec B611
            token_index.match_sql(queryset.model._meta.db_table),
            [token_index.match_expression(tokens)],
        )
        candidates = queryset.filter(pk__in=match)
    return candidates.filter(_substring(queryset.model, term, fields))


def text_search(queryset: QuerySet, term: str, *fields: str) -> TextSearch:
    """Rows of `queryset` whose `fields` contain `term` (case-insensitive), by the cheaper way
    for how common the term is among the newest rows of this very queryset (see above)."""
    if not _normalize(term):
        return TextSearch(queryset, queryset.order_by(), COUNT_BOUND)
    if "\x00" in term:  # no row holds NUL (PostgreSQL refuses it, even as a query parameter)
        none = queryset.none()
        return TextSearch(none, none, COUNT_BOUND)
    match = _substring(queryset.model, term, fields)
    walked = queryset.filter(match)
    if not _token_indexed(queryset.model):
        return TextSearch(walked, walked.order_by("-pk"), COUNT_BOUND)
    hit = Case(When(match, then=Value(1)), default=Value(0), output_field=IntegerField())
    newest = queryset.order_by("-pk").annotate(_hit=hit)[:WINDOW]
    sample = newest.aggregate(rows=Count("pk"), hits=Sum("_hit"))
    if sample["rows"] < WINDOW:  # all of the scope was tried: walking is cheap, count exact
        return TextSearch(walked, walked.order_by(), WINDOW)
    if sample["hits"] >= COMMON_HITS:
        return TextSearch(walked, walked.order_by("-pk"), COUNT_BOUND)
    indexed = _indexed(queryset, term, fields)
    if sample["hits"] >= UNCOMMON_HITS:
        return TextSearch(walked, indexed.order_by(), COUNT_BOUND)
    # Rare: its ids through the index first. Asked for a sorted page directly, PostgreSQL may
    # still walk newest first, testing the index condition on every row (guessing it at 0.5 %).
    ids = list(indexed.order_by().values_list("pk", flat=True)[: RARE_CAP + 1])
    if len(ids) > RARE_CAP:
        return TextSearch(walked, indexed.order_by(), COUNT_BOUND)
    found = queryset.filter(pk__in=ids)
    return TextSearch(found, found.order_by(), COUNT_BOUND)


def text_filter(queryset: QuerySet, term: str, *fields: str) -> QuerySet:
    """Rows whose `fields` contain `term` as a substring (case-insensitive), newest-first
    friendly (see `text_search`)."""
    return text_search(queryset, term, *fields).rows
