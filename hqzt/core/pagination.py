"""Keyset pagination for lists that may hold millions of rows.

OFFSET pagination reads and throws away every skipped row, so page 10,000 of the ledger would scan
half a million rows. A keyset page asks for "rows with id below the last one seen", which an index
answers directly however deep the reader goes. Totals are counted only up to a bound for the same
reason.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZE = 50
COUNT_BOUND = 10_000


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: int | None
    is_first: bool
    total: int
    total_is_bounded: bool

    @property
    def total_display(self) -> str:
        return f"{self.total:,}+" if self.total_is_bounded else str(self.total)


def keyset_paginate(
    queryset: QuerySet,
    params: QueryDict,
    *,
    page_size: int = PAGE_SIZE,
    counted: QuerySet | None = None,
    count_bound: int | None = None,
) -> KeysetPage:
    """Newest first, `?after=<id>` moves on. A malformed cursor starts from the top.

    `counted` (with its `count_bound`) is what a search counts instead of `queryset`: the same
    rows, reached the way that is cheaper for counting (hqzt.core.search.TextSearch)."""
    after_raw = params.get("after", "")
    after = int(after_raw) if after_raw.isdigit() else None
    page_qs = queryset.order_by("-pk")
    if after is not None:
        page_qs = page_qs.filter(pk__lt=after)
    rows = list(page_qs[: page_size + 1])
    has_more = len(rows) > page_size
    items = rows[:page_size]
    counted = queryset.order_by() if counted is None else counted
    count_bound = COUNT_BOUND if count_bound is None else count_bound
    total = counted[: count_bound + 1].count()
    return KeysetPage(
        items=items,
        next_cursor=items[-1].pk if has_more else None,
        is_first=after is None,
        total=min(total, count_bound),
        total_is_bounded=total > count_bound,
    )
