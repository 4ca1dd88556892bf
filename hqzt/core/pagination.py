"""Keyset pagination for lists that may hold millions of rows — the one pager of every list.

OFFSET pagination reads and throws away every skipped row, so page 10,000 of the ledger would scan
half a million rows. A keyset page asks for "rows after the last one seen" in the list's order,
which an index answers directly however deep the reader goes; numbered pages are offered only as
far as a bounded OFFSET reaches. Totals are counted only up to a bound for the same reason.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from hqzt.core.text import CONTROL, as_id

PAGE_SIZE = 50
COUNT_BOUND = 10_000


PAGE_SIZES = (20, 50, 100)
# Page numbers are links to an OFFSET from the top, offered only this far down: an OFFSET reads
# and drops every row before it, so beyond this the pages go on by keyset (下一页/上一页) alone.
OFFSET_LIMIT = 1_000


@dataclass(frozen=True)
class Sort:
    """One whitelisted ordering of a list: `field` (None: by id alone), then id in the same
    direction so that the order is total. A `nullable` field sorts its blanks last. Each sort
    must be served by an index on (field, id) — see the model's Meta.indexes."""

    key: str
    label: str
    field: str | None = None
    descending: bool = True
    nullable: bool = False
    parse: Any = None  # text → field value (a cursor's first half)

    def order(self, *, backwards: bool = False) -> list[Any]:
        desc = self.descending != backwards
        pk = "-pk" if desc else "pk"
        if self.field is None:
            return [pk]
        column = F(self.field)
        if not self.nullable:
            return [column.desc() if desc else column.asc(), pk]
        # Blanks last going forwards, so first going backwards: each is a scan of the
        # (field, id) index in one direction (PostgreSQL's btree keeps NULLs last).
        blanks = {"nulls_first": True} if backwards else {"nulls_last": True}
        return [column.desc(**blanks) if desc else column.asc(**blanks), pk]

    def cursor(self, row: Any) -> str:
        if self.field is None:
            return str(row.pk)
        value = getattr(row, self.field)
        if value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        return f"{value}_{row.pk}"

    def read_cursor(self, text: str) -> tuple[Any, int] | None:
        """(value, id) from a cursor, None if malformed (the page then starts at the top)."""
        if self.field is None:
            pk = as_id(text)
            return None if pk is None else (None, pk)
        value, sep, pk_text = text.rpartition("_")
        pk = as_id(pk_text)
        if pk is None or not sep:
            return None
        if value == "":
            return (None, pk) if self.nullable else None
        try:
            return _comparable(self.parse(value)), pk
        except (ValueError, OverflowError):
            return None

    def beyond(self, value: Any, pk: int, *, backwards: bool = False) -> Q:
        """The rows after (value, pk) in this order, or before it when `backwards`."""
        desc = self.descending != backwards
        op = "lt" if desc else "gt"
        if self.field is None:
            return Q(**{f"pk__{op}": pk})
        f = self.field
        if value is None:  # among the blanks, which come last
            within = Q(**{f"{f}__isnull": True, f"pk__{op}": pk})
            return within | Q(**{f"{f}__isnull": False}) if backwards else within
        found = Q(**{f"{f}__{op}": value}) | Q(**{f: value, f"pk__{op}": pk})
        if self.nullable and not backwards:
            found |= Q(**{f"{f}__isnull": True})
        return found


def _comparable(value: Any) -> Any:
    """A cursor's value as the database can compare it, or ValueError/OverflowError (outside probe
    2, H1/H2): a datetime is made aware and taken to UTC as the database adapters do — near the
    ends of the range (0001-01-01 in Asia/Shanghai, 9999-12-31 at -14:00) that overflows, which
    the adapter would raise mid-query as a 500 — and text with control characters (PostgreSQL
    refuses NUL in any text parameter) cannot be a value any row holds."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(datetime.UTC)
    if isinstance(value, str) and CONTROL.search(value):
        raise ValueError("control character in a cursor")
    return value


# Every list without a sort choice: newest first, served by the primary key.
NEWEST = Sort("new", "最新在前")


def sort_pair(
    key: str, label: str, field: str | None = None, *, parse: Any = None, nullable: bool = False
) -> tuple[Sort, Sort]:
    """A sortable column's two orders: `key` ascending, `-key` descending (the column head's
    link toggles between them, {% sort_th %}). Text fields parse their cursor with `str`."""
    return (
        Sort(key, f"{label}（升序）", field, descending=False, nullable=nullable, parse=parse),
        Sort(f"-{key}", f"{label}（降序）", field, nullable=nullable, parse=parse),
    )


def sort_table(*sorts: Sort | tuple[Sort, ...]) -> dict[str, Sort]:
    """A list's whitelist of orders by key, from single sorts and sort_pair()s."""
    flat = [s for item in sorts for s in (item if isinstance(item, tuple) else (item,))]
    return {s.key: s for s in flat}


def sort_choice(params: Mapping[str, Any], sorts: Mapping[str, Sort], default: str) -> Sort:
    """The order asked for by `?sort=` if it is one of the list's `sorts`, else `default`: a
    mistyped or outdated link shows the list in its usual order rather than failing."""
    return sorts.get(params.get("sort", ""), sorts[default])


@dataclass(frozen=True)
class SortedPage:
    items: list[Any]
    next_cursor: str | None
    prev_cursor: str | None
    start: int  # rows before this page, where known (序号 goes on from it)
    page_size: int
    total: int
    total_is_bounded: bool

    @property
    def is_first(self) -> bool:
        return self.prev_cursor is None

    @property
    def total_display(self) -> str:
        return _shown(self.total, bounded=self.total_is_bounded)

    @property
    def sizes(self) -> tuple[int, ...]:
        return PAGE_SIZES

    @property
    def next_start(self) -> int:
        """The 序号 before the next page's first row."""
        return self.start + len(self.items)

    @property
    def number(self) -> int | None:
        """第 N 页, when this page starts on a page boundary."""
        return self.start // self.page_size + 1 if self.start % self.page_size == 0 else None

    @property
    def numbers(self) -> list[int]:
        """The page numbers to link (reachable by a bounded OFFSET)."""
        reachable = min(self.total, OFFSET_LIMIT + self.page_size)
        return list(range(1, -(-reachable // self.page_size) + 1))

    @property
    def links(self) -> list[tuple[int, int] | None]:
        """(number, start) of the page numbers to show — the first, the last reachable and two
        either side of this one — with None where numbers are left out (…)."""
        numbers = self.numbers
        if len(numbers) < 2:
            return []
        current = self.number or 0
        shown = [n for n in numbers if n in (1, numbers[-1]) or abs(n - current) <= 2]
        links: list[tuple[int, int] | None] = []
        for n in shown:
            if links and links[-1] is not None and n - links[-1][0] > 1:
                links.append(None)
            links.append((n, (n - 1) * self.page_size))
        return links

    @property
    def more_than_numbered(self) -> bool:
        return self.total_is_bounded or self.total > OFFSET_LIMIT + self.page_size


def count_to_bound(counted: QuerySet | Sequence[QuerySet], bound: int = COUNT_BOUND) -> int:
    """The rows of `counted` — a queryset, or disjoint parts whose sum it is, each cheaper to
    count than their union — counted no further than one past `bound`: a figure over a
    province's register must not read every row of it on each page view."""
    parts = [counted] if isinstance(counted, QuerySet) else counted
    total = 0
    for part in parts:  # each part counted no further than the bound still allows
        total += part[: bound + 1 - total].count()
        if total > bound:
            break
    return total


def bounded_count(counted: QuerySet | Sequence[QuerySet], bound: int = COUNT_BOUND) -> str:
    """How many rows (count_to_bound), as shown: "10,000+" beyond `bound`."""
    total = count_to_bound(counted, bound)
    return _shown(min(total, bound), bounded=total > bound)


def _shown(total: int, *, bounded: bool) -> str:
    return f"{total:,}+" if bounded else str(total)


def page_size_of(params: QueryDict, default: int = PAGE_SIZE) -> int:
    """The page size asked for, if it is one of PAGE_SIZES. The parameter is `per_page`: `size`
    is the enterprise list's 规模 filter."""
    raw = params.get("per_page", "")
    size = as_id(raw)
    return size if size in PAGE_SIZES else default


def sorted_paginate(
    queryset: QuerySet,
    params: QueryDict,
    sort: Sort = NEWEST,
    *,
    page_size: int | None = None,
    counted: QuerySet | Sequence[QuerySet] | None = None,
    count_bound: int | None = None,
) -> SortedPage:
    """A page in `sort`'s order: `?after=<cursor>` goes on, `?before=<cursor>` goes back, and
    with no cursor `?start=<n>` (≤ OFFSET_LIMIT, else the top) jumps to a numbered page. A
    malformed cursor starts from the top. The total is counted up to a bound, over `counted`
    (the queryset itself by default; or disjoint parts whose sum it is, each cheaper to count
    than their union). The page size is the reader's `?size=` choice unless the caller fixes one."""
    page_size = page_size_of(params) if page_size is None else page_size
    start_raw = params.get("start", "")
    start = as_id(start_raw) or 0
    after = sort.read_cursor(params.get("after", ""))
    before = None if after else sort.read_cursor(params.get("before", ""))
    if after:
        rows = list(queryset.filter(sort.beyond(*after)).order_by(*sort.order())[: page_size + 1])
        more_before, more_after = True, len(rows) > page_size
        items = rows[:page_size]
    elif before:
        rows = list(
            queryset.filter(sort.beyond(*before, backwards=True)).order_by(
                *sort.order(backwards=True)
            )[: page_size + 1]
        )
        more_before, more_after = len(rows) > page_size, True
        items = rows[:page_size][::-1]
        start = max(start - page_size, 0) if more_before else 0
    else:
        start = start if start <= OFFSET_LIMIT else 0
        rows = list(queryset.order_by(*sort.order())[start : start + page_size + 1])
        more_before, more_after = start > 0, len(rows) > page_size
        items = rows[:page_size]
    count_bound = COUNT_BOUND if count_bound is None else count_bound
    total = count_to_bound(queryset.order_by() if counted is None else counted, count_bound)
    return SortedPage(
        items=items,
        next_cursor=sort.cursor(items[-1]) if more_after and items else None,
        prev_cursor=sort.cursor(items[0]) if more_before and items else None,
        start=start,
        page_size=page_size,
        total=min(total, count_bound),
        total_is_bounded=total > count_bound,
    )
