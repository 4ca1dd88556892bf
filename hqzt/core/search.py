"""Chinese substring search that stays indexed on PostgreSQL, even for one- and two-character terms.

Chinese has no spaces, and trigram indexes cannot serve terms shorter than three characters, yet
users search for 晋城 or 巴公. Each searchable row therefore stores its text as unigram and bigram
tokens (`search_ngrams`), and PostgreSQL indexes them with a GIN full-text index. A term matches
when all of its bigrams (or its single character) are present; a final substring test removes the
rare row whose bigrams appear in a different order. Tokens are hex-encoded so that PostgreSQL's
text parser treats every character alike, whatever the database's locale.

SQLite, the single-city embedded default, scans with LIKE, which is fast at that size.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, migrations
from django.db.models import Q, QuerySet

NGRAM_FIELD = "search_ngrams"
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


def text_filter(queryset: QuerySet, term: str, *fields: str) -> QuerySet:
    """Rows whose `fields` contain `term` as a substring (case-insensitive)."""
    norm = _normalize(term)
    if not norm:
        return queryset
    substring = Q()
    for field in fields:
        substring |= Q(**{f"{field}__icontains": term.strip()})
    if connection.vendor != "postgresql":
        return queryset.filter(substring)
    tsquery = SearchQuery(" & ".join(_query_tokens(norm)), search_type="raw", config="simple")
    return queryset.alias(_ngram_vector=_VECTOR).filter(_ngram_vector=tsquery).filter(substring)
