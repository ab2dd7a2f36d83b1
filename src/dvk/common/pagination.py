"""Lists that do not grow with the country: keyset pages and bounded counts.

A page is read by its position in the list's order, not by an offset: the link to the next
page carries the last row's keys (`?after=2024.81234`), the link back the first row's
(`?before=…`). Reading page 4,000 costs what page 1 costs, and no COUNT(*) runs over the
whole scope: `bounded_count` stops at COUNT_CAP ("more than 10,000 models").

The keys are integer columns sorted in one direction (e.g. year then id, both newest
first), so the position is one row comparison, `(year, id) < (2024, 81234)`, which an index
on (…, year, id) serves as a range; the last key must be unique (the id) so that rows with
equal sort keys are neither repeated nor skipped across pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from dvk.common.text import small_int

COUNT_CAP = 10_000
AFTER, BEFORE = "after", "before"


def bounded_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(n, capped): the number of rows of `qs` if at most `cap` (COUNT_CAP), else (cap,
    True). Reads at most cap + 1 index entries whatever the size of the scope."""
    cap = COUNT_CAP if cap is None else cap
    n = qs.order_by().values("pk")[:cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def parse_cursor(value, width: int) -> tuple[int, ...] | None:
    """"2024.81234" → (2024, 81234); anything else (an old link, a typo) → None."""
    parts = str(value or "").strip().split(".")
    numbers = [small_int(p, 0) for p in parts]  # ASCII digits only: '²'.isdigit() is true
    if len(parts) != width or None in numbers:
        return None
    return tuple(numbers)


def cursor_of(obj, keys) -> str:
    return ".".join(str(int(getattr(obj, k))) for k in keys)


@dataclass
class KeysetPage:
    """One page of a keyset list; iterates over its rows like Django's Page."""

    object_list: list
    keys: tuple[str, ...]
    has_next: bool = False
    has_previous: bool = False
    count: int | None = None       # bounded (see count_capped); None when not counted
    count_capped: bool = False
    first_page: bool = True
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def next_cursor(self) -> str | None:
        return cursor_of(self.object_list[-1], self.keys) if self.has_next else None

    @property
    def previous_cursor(self) -> str | None:
        return cursor_of(self.object_list[0], self.keys) if self.has_previous else None

    @property
    def next_query(self) -> dict | None:
        """The GET parameters that change to reach the next page (benchmarks, tests)."""
        return {AFTER: self.next_cursor} if self.has_next else None

    @property
    def paginated(self) -> bool:
        return self.has_next or self.has_previous


def keyset_page(qs: QuerySet, params, *, keys=("year", "id"), descending=True, size=25,
                count=True, cap: int | None = None) -> KeysetPage:
    """The page of `qs` that `params` (GET) points at: `after=` / `before=` a row's keys,
    else the first page (an old `?page=N` link lands there too).

    `qs` must not be ordered by anything else: the page is ordered by `keys` (all
    descending, or all ascending), the last one unique. `cap`: where the count stops
    (COUNT_CAP)."""
    get = params.get if hasattr(params, "get") else dict(params).get
    width = len(keys)
    after, before = parse_cursor(get(AFTER), width), parse_cursor(get(BEFORE), width)
    columns = Tuple(*(F(k) for k in keys))
    forward = [f"-{k}" if descending else k for k in keys]
    backward = [k if descending else f"-{k}" for k in keys]
    past, upto = (TupleLessThan, TupleGreaterThan) if descending else (TupleGreaterThan,
                                                                        TupleLessThan)
    total, capped = bounded_count(qs, cap) if count else (None, False)
    if before is not None and after is None:
        rows = list(qs.filter(upto(columns, before)).order_by(*backward)[:size + 1])
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        # Going back from a page always leaves a page after it (the one we came from).
        return KeysetPage(rows, tuple(keys), has_next=bool(rows), has_previous=has_previous,
                          count=total, count_capped=capped, first_page=not has_previous)
    if after is not None:
        qs = qs.filter(past(columns, after))
    rows = list(qs.order_by(*forward)[:size + 1])
    return KeysetPage(rows[:size], tuple(keys), has_next=len(rows) > size,
                      has_previous=after is not None and bool(rows),
                      count=total, count_capped=capped, first_page=after is None)


def bounded_counts(parts: dict[str, QuerySet], cap: int | None = None
                   ) -> dict[str, tuple[int, bool]]:
    """{name: (n, capped)} of several querysets (a queue's tabs) in ONE query, each read
    no further than cap + 1 rows."""
    cap = COUNT_CAP if cap is None else cap
    if not parts:
        return {}
    selects, params = [], []
    for i, qs in enumerate(parts.values()):
        if qs.query.is_empty():
            selects.append("0")
            continue
        sql, p = qs.order_by().values("pk")[:cap + 1].query.sql_with_params()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS bounded_{i})")
        params.extend(p)
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(selects), params)
        row = cur.fetchone()
    return {name: ((cap, True) if n > cap else (n, False)) for name, n in zip(parts, row)}
