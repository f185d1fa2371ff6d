"""The status engine: where every complaint stands, computed for a whole register at once.

For each row it works out the current stage and milestone, the due date (the
rulebook's period from the event that starts the clock, the agreed extension,
and the working days spent on hold where the rule pauses), the working days
left, a RAG rating, whether and until when the complainant may take the
complaint further, a plain-English next action, a check of the route (statutory
or corporate, consent, the 12-month limit) and anything about the row that does
not make sense. Rows are independent: a muddled row is flagged 'Check' and every
other row is computed as usual.

Everything is numpy over whole columns, so a million rows take about a second;
`timeline` exposes the raw due dates so letters quote exactly what the register
shows. The engine reads a `table.Table` (what `register.validate` makes) or a
pandas DataFrame alike, and never loads pandas itself unless asked for one:
`assess_columns` gives plain arrays (refresh), `assess` and `timeline` DataFrames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

import numpy as np

from . import schema
from .calendar import NaT, WorkingCalendar, add_months_array
from .dates import period_text, to_date
from .dates import short_date as format_day
from .dates import short_dates as format_days
from .register import HOLDS_SHEET
from .rulebook import Rulebook
from .settings import Settings
from .table import Table, factorize, is_missing

if TYPE_CHECKING:
    import pandas as pd

WINDOW_COLUMNS = ("to_stage_2_by", "to_stage_3_by", "to_ombudsman_by")
EMPTY = ""


# --- small vector helpers ------------------------------------------------------


class _Columns:
    """The register's columns as numpy arrays, converted once and sliced per route.

    Dates come back as datetime64[D] (NaT when empty) and text as object arrays
    ('' when empty); `isin` factorises a column once so repeated membership
    tests over a million rows cost integer comparisons, not string ones.
    """

    def __init__(self, table: "Table | pd.DataFrame", rows: np.ndarray | None = None, parent: "_Columns | None" = None):
        self.table = table = Table.of(table)
        self.rows = rows
        self.parent = parent
        self.n = len(table) if rows is None else len(rows)
        self._cache: dict[tuple, np.ndarray] = {}

    def subset(self, rows: np.ndarray) -> "_Columns":
        return _Columns(self.table, rows, self)

    def _get(self, kind: str, key: str, make) -> np.ndarray:
        if (kind, key) not in self._cache:
            if self.parent is not None:
                self._cache[(kind, key)] = self.parent._get(kind, key, make)[self.rows]
            else:
                self._cache[(kind, key)] = make()
        return self._cache[(kind, key)]

    def dates(self, key: str) -> np.ndarray:
        def make():
            if key not in self.table:
                return np.full(self.n, NaT)
            return np.asarray(self.table[key], dtype="datetime64[D]")

        return self._get("date", key, make)

    def text(self, key: str) -> np.ndarray:
        def make():
            if key not in self.table:
                return np.full(self.n, EMPTY, dtype=object)
            # The validated table holds '' for empty text, never NaN.
            return np.asarray(self.table[key], dtype=object)

        return self._get("text", key, make)

    def _codes(self, key: str) -> tuple[np.ndarray, list]:
        if ("codes", key) not in self._cache:
            if self.parent is not None:
                codes, uniques = self.parent._codes(key)
                self._cache[("codes", key)] = codes[self.rows]
            else:
                codes, uniques = factorize(self.text(key))
                self._cache[("codes", key)] = codes
            self._cache[("uniques", key)] = uniques
        return self._cache[("codes", key)], self._cache[("uniques", key)]

    def isin(self, key: str, values) -> np.ndarray:
        codes, uniques = self._codes(key)
        wanted = set(values)
        lookup = np.zeros(len(uniques) + 1, dtype=bool)  # the last entry stands for a missing code (-1)
        lookup[:-1] = [u in wanted for u in uniques]
        return lookup[codes]

    def eq(self, key: str, value: str) -> np.ndarray:
        if ("codes", key) in self._cache or key in self.FACTORISED:
            return self.isin(key, (value,))
        return self.text(key) == value

    # Columns tested against many values: factorised once, then compared as integers.
    FACTORISED = frozenset({"representation_type", "service", "received_from", "procedure", "child_consent", "sufficient_interest",
                            "parental_responsibility", "accepted_out_of_time", "child_legal_status"})


def _has(days: np.ndarray) -> np.ndarray:
    return ~np.isnat(days)


def _before(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a < b where both are dates (NaT compares False)."""
    return _has(a) & _has(b) & (a < b)


def _messages(kinds: np.ndarray, days: np.ndarray, numbers: np.ndarray, render) -> np.ndarray:
    """Build one text per row from (kind, date, number), rendering each distinct triple once.

    A million rows share a few thousand distinct messages, so formatting them
    once and indexing is many times faster than joining strings row by row.
    """
    day_numbers = np.where(np.isnat(days), -1, days.astype("datetime64[D]").astype(np.int64) + 1)
    numbers = np.clip(np.nan_to_num(numbers).astype(np.int64), -(2**15), 2**15) + 2**15
    key = (kinds.astype(np.int64) + 1) << 42 | (day_numbers + 1) << 17 | numbers
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    texts = np.array(
        [render(int(kinds[i]), days[i], int(np.nan_to_num(numbers[i])) - 2**15) for i in first], dtype=object
    )
    return texts[inverse.reshape(-1)]


class _Notes:
    """Messages collected per row, joined with '; ' at the end."""

    def __init__(self, n: int):
        self.parts: list[tuple[np.ndarray, object]] = []
        self.n = n

    def add(self, mask: np.ndarray, message) -> None:
        if mask.any():
            self.parts.append((mask, message))

    def joined(self) -> np.ndarray:
        out = np.full(self.n, EMPTY, dtype=object)
        for mask, message in self.parts:
            text = message[mask] if isinstance(message, np.ndarray) else message
            current = out[mask]
            out[mask] = np.where(current == EMPTY, text, current + "; " + text)
        return out


# --- the timeline: every milestone's due date ----------------------------------


@dataclass
class _Clock:
    """One rulebook's milestones computed over the rows that follow it."""

    due: dict[str, np.ndarray]
    done: dict[str, np.ndarray]
    applies: dict[str, np.ndarray]
    windows: dict[str, np.ndarray]
    held: dict[str, np.ndarray]  # working days on hold added to each milestone's deadline
    starts: dict[str, np.ndarray]  # when each milestone's clock started


def day_zero(received: np.ndarray, book: Rulebook, calendar: WorkingCalendar) -> np.ndarray:
    """Day zero for clocks that run from receipt, as the rulebook counts it (a weekend receipt counts from the next working day, say)."""
    start = received
    if book.weekend_receipt == "next working day":
        start = calendar.roll_forward_array(start)
    if book.day_zero == "day after receipt":
        start = calendar.add_array(start, 1)
    return start


def _receipt(cols: "_Columns", book: Rulebook, calendar: WorkingCalendar) -> np.ndarray:
    """Day zero of stage 1: from receipt, or from the day a deferred complaint was taken up again."""
    received = cols.dates("date_received")
    resumed = cols.dates("deferral_ended")
    later = _has(resumed) & _has(received) & (resumed > received)
    return day_zero(np.where(later, resumed, received), book, calendar)


HOLD_SHEET = HOLDS_SHEET


class Holds:
    """Every hold of every complaint, one per line: the register's own hold columns and the Holds sheet.

    `row` is the complaint's position in the table; `end` is NaT while the hold
    is open. A hold takes off the working days after its first day up to and
    including its last (`calendar.count(start, end)`), like any other count.
    """

    def __init__(self, row: np.ndarray, reason: np.ndarray, start: np.ndarray, end: np.ndarray, n: int):
        self.row = np.asarray(row, dtype=np.int64)
        self.reason = np.asarray(reason, dtype=object)
        self.start = np.asarray(start, dtype="datetime64[D]")
        self.end = np.asarray(end, dtype="datetime64[D]")
        self.n = n

    @classmethod
    def of(cls, table: "Table | pd.DataFrame", holds: "Table | pd.DataFrame | None" = None) -> "Holds":
        """The register's hold columns, plus a Holds sheet's rows matched to complaints by reference."""
        table = Table.of(table)
        holds = Table.of(holds) if holds is not None else None
        n = len(table)
        def dates(frame, key):
            return np.asarray(frame[key], dtype="datetime64[D]") if key in frame else np.full(len(frame), NaT)

        def texts(frame, key):
            return np.asarray(frame[key], dtype=object) if key in frame else np.full(len(frame), EMPTY, dtype=object)

        start, end = dates(table, "on_hold_from"), dates(table, "on_hold_to")
        own = np.flatnonzero(_has(start))
        rows, reasons, starts, ends = [own], [texts(table, "hold_reason")[own]], [start[own]], [end[own]]
        if holds is not None and len(holds) and "reference" in table:
            found = _positions_by_reference(table, np.asarray(holds["reference"], dtype=object))
            h_start, h_end = dates(holds, "on_hold_from"), dates(holds, "on_hold_to")
            ok = (found >= 0) & _has(h_start)
            rows.append(found[ok])
            reasons.append(texts(holds, "hold_reason")[ok])
            starts.append(h_start[ok])
            ends.append(h_end[ok])
        row, reason = np.concatenate(rows), np.concatenate(reasons)
        start, end = np.concatenate(starts), np.concatenate(ends)
        if len(row) > len(own):  # the same hold typed on both sheets counts once
            seen: set = set()
            keys = zip(row.tolist(), start.astype(np.int64).tolist(), np.where(_has(end), end.astype(np.int64), -1).tolist())
            keep = np.fromiter((key not in seen and not seen.add(key) for key in keys), dtype=bool, count=len(row))
            row, reason, start, end = row[keep], reason[keep], start[keep], end[keep]
        return cls(row, reason, start, end, n)

    def subset(self, rows: np.ndarray) -> "Holds":
        where = np.full(self.n, -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        mine = where[self.row] >= 0 if len(self.row) else np.zeros(0, dtype=bool)
        return Holds(where[self.row[mine]], self.reason[mine], self.start[mine], self.end[mine], len(rows))

    def stopping(self, book: Rulebook, milestone_key: str) -> np.ndarray:
        """Which holds stop this milestone's clock under the rulebook (by their reason)."""
        reasons, inverse = np.unique(self.reason.astype(str), return_inverse=True) if len(self.reason) else (np.array([]), np.zeros(0, dtype=np.int64))
        stops = np.array([book.stops(r, milestone_key) for r in reasons], dtype=bool)
        return stops[inverse] if len(reasons) else np.zeros(0, dtype=bool)

    def open_on(self, as_of: np.datetime64) -> np.ndarray:
        return (self.start <= as_of) & (~_has(self.end) | (self.end > as_of))

    def days(self, calendar: WorkingCalendar, which: np.ndarray, lo: np.ndarray, hi: np.ndarray, as_of: np.datetime64) -> np.ndarray:
        """Working days on hold per complaint within (lo, hi], counting overlapping holds once.

        Only the holds in `which` count; an open hold runs to `as_of`.
        """
        out = np.zeros(self.n, dtype=np.int64)
        if not len(self.row) or not which.any():
            return out
        row = self.row[which]
        end = np.where(_has(self.end[which]), np.minimum(self.end[which], as_of), as_of)
        a = np.where(_has(lo[row]), np.maximum(self.start[which], lo[row]), NaT)
        b = np.where(_has(hi[row]), np.minimum(end, hi[row]), NaT)
        ok = _has(a) & _has(b) & (b > a)
        if not ok.any():
            return out
        row, a, b = row[ok], a[ok], b[ok]
        order = np.lexsort((a, row))
        row, a, b = row[order], a[order], b[order]
        starts = np.concatenate([[True], row[1:] != row[:-1]])  # each complaint's first hold
        reach = _running_max(b.astype(np.int64), starts)  # the furthest end so far, per complaint
        before = np.concatenate([[np.iinfo(np.int64).min], reach[:-1]])
        before[starts] = np.iinfo(np.int64).min
        first = np.maximum(a.astype(np.int64), before).astype("datetime64[D]")
        counted = np.where(b > first, calendar.count_array(first, b), 0)
        np.add.at(out, row, np.nan_to_num(counted).astype(np.int64))
        return out


def _running_max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The largest value so far, starting afresh where `starts` is True (the rows come grouped)."""
    if not len(values):
        return values
    group = np.cumsum(starts) - 1
    low = values.min()
    span = int(values.max()) - int(low) + 1
    lifted = (values - low) + group * span  # every group above the one before: one running maximum does them all
    return np.maximum.accumulate(lifted) - group * span + low


def _reference_key(value) -> str | None:
    """A reference as matched: case and spaces ignored (None for a missing one, which matches nothing)."""
    if is_missing(value):
        return None
    return str(value).strip().upper()


def _positions_by_reference(table: "Table | pd.DataFrame", references: np.ndarray) -> np.ndarray:
    """Each reference's row position in the table (-1 when not there); case and spaces ignored."""
    first: dict[str, int] = {}
    for i, key in enumerate(map(_reference_key, np.asarray(Table.of(table)["reference"], dtype=object).tolist())):
        if key is not None and key not in first:
            first[key] = i
    wanted = [_reference_key(v) or "" for v in np.asarray(references, dtype=object).tolist()]
    return np.fromiter((first.get(key, -1) for key in wanted), dtype=np.int64, count=len(wanted))


def _run_clock(cols: _Columns, book: Rulebook, calendar: WorkingCalendar, as_of: np.datetime64, holds: Holds) -> _Clock:
    received = cols.dates("date_received")
    receipt = _receipt(cols, book, calendar)
    entered = {1: _has(received)}
    for window in book.windows:
        if window.requested and window.key.startswith("to_stage_"):
            entered[int(window.key[-1])] = _has(cols.dates(window.requested))

    due: dict[str, np.ndarray] = {}
    done: dict[str, np.ndarray] = {}
    applies: dict[str, np.ndarray] = {}
    held: dict[str, np.ndarray] = {}
    starts: dict[str, np.ndarray] = {}
    for m in book.milestones:
        start = receipt if m.start == "receipt" else cols.dates(m.start)
        for fallback in m.if_missing:
            other = due[fallback[4:]] if fallback.startswith("due:") else cols.dates(fallback)
            start = np.where(_has(start), start, other)
        period = np.full(cols.n, m.period, dtype=np.int64)
        if m.extended is not None and m.extended_if:
            period = np.where(cols.eq(m.extended_if, schema.YES), m.extended, m.period)
        deadline = calendar.add_period_array(start, period, m.unit)
        finished = cols.dates(m.done)
        # A date after the as-of date is a plan (a panel hearing booked ahead), not something done.
        finished = np.where(finished > as_of, NaT, finished)
        stopped = holds.stopping(book, m.key)
        days = np.zeros(cols.n, dtype=np.int64)
        if stopped.any():
            # The working days on hold while this clock ran, from its start to when it was met (or today).
            until = np.where(_has(finished), finished, as_of)
            days = holds.days(calendar, stopped, start, until, as_of)
            deadline = np.where(days > 0, calendar.add_array(deadline, days), deadline)
        applicable = entered.get(m.stage, np.zeros(cols.n, dtype=bool)) & _has(deadline)
        due[m.key] = np.where(applicable, deadline, NaT)
        done[m.key] = finished
        applies[m.key] = applicable
        held[m.key] = days
        starts[m.key] = start

    windows: dict[str, np.ndarray] = {}
    for window in book.windows:
        opened = cols.dates(window.start)
        for other in window.or_later:  # e.g. an adjudication meeting after the letter (seed 004)
            later = cols.dates(other)
            opened = np.where(_has(later) & (~_has(opened) | (later > opened)), later, opened)
        windows[window.key + "_by"] = calendar.add_period_array(opened, window.period, window.unit)
    return _Clock(due, done, applies, windows, held, starts)


def _milestone_keys(settings: Settings) -> list[str]:
    keys: list[str] = []
    for book in settings.rulebooks():
        for m in book.milestones:
            if m.key not in keys:
                keys.append(m.key)
    return keys


def route(table: "Table | pd.DataFrame") -> np.ndarray:
    """The procedure each row follows: as recorded, else the suggested one."""
    return _route(_Columns(table))


def _route(cols: _Columns) -> np.ndarray:
    def make():
        suggested = np.where(cols.isin("service", schema.EXEMPT_SERVICES), schema.CORPORATE, schema.STATUTORY)
        return np.where(cols.eq("procedure", EMPTY), suggested, cols.text("procedure"))

    return cols._get("route", "", make)


def _books(cols: _Columns, settings: Settings, rows_wanted: np.ndarray | None = None):
    """(rulebook, row positions) for every rulebook in use: by procedure, and for
    corporate complaints by the date received (the Code from 1 April 2026)."""
    procedures = _route(cols)
    received = cols.dates("date_received")
    for procedure in (schema.STATUTORY, schema.CORPORATE):
        mask = procedures == procedure
        if rows_wanted is not None:
            mask &= rows_wanted
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        for book, which in settings.rulebooks_by_receipt(procedure, received[rows]):
            if which.any():
                yield book, rows[which]


def _as_holds(table: "Table | pd.DataFrame", holds) -> Holds:
    return holds if isinstance(holds, Holds) else Holds.of(table, holds)


def timeline(table: "Table | pd.DataFrame", settings: Settings, as_of: dt.date, holds: "Table | pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Every milestone's due date and the complainant's windows, per row.

    Columns '<milestone>_due' for every milestone of the council's rulebooks
    (NaT where the row's rulebook has no such milestone or its clock has not
    started) and 'to_stage_2_by', 'to_stage_3_by', 'to_ombudsman_by'. An open
    hold counts up to `as_of`. `holds` is the Holds
    sheet (reference, hold_reason, on_hold_from, on_hold_to), if there is one.
    """
    import pandas as pd

    as_of64 = np.datetime64(as_of, "D")
    cols = _Columns(table)
    n = cols.n
    every_hold = _as_holds(table, holds)
    keys = _milestone_keys(settings)
    out = {f"{k}_due": np.full(n, NaT) for k in keys}
    out.update({w: np.full(n, NaT) for w in WINDOW_COLUMNS})
    for book, rows in _books(cols, settings):
        clock = _run_clock(cols.subset(rows), book, settings.calendar, as_of64, every_hold.subset(rows))
        for key, values in clock.due.items():
            out[f"{key}_due"][rows] = values
        for key, values in clock.windows.items():
            if key in out:
                out[key][rows] = values
    return pd.DataFrame({k: v.astype("datetime64[s]") for k, v in out.items()}, index=_index(table))


def days_on_hold(table: "Table | pd.DataFrame", settings: Settings, as_of: dt.date, holds: "Table | pd.DataFrame | None" = None) -> dict[str, np.ndarray]:
    """Working days on hold added to each milestone's deadline, per row (0 where none): the statistics take them off."""
    as_of64 = np.datetime64(as_of, "D")
    cols = _Columns(table)
    every_hold = _as_holds(table, holds)
    out = {k: np.zeros(cols.n, dtype=np.int64) for k in _milestone_keys(settings)}
    for book, rows in _books(cols, settings):
        clock = _run_clock(cols.subset(rows), book, settings.calendar, as_of64, every_hold.subset(rows))
        for key, values in clock.held.items():
            out[key][rows] = values
    return out


def working_days_taken(
    table: "Table | pd.DataFrame",
    settings: Settings,
    as_of: dt.date,
    starts: np.ndarray,
    ends: np.ndarray,
    milestone_key: str,
    holds: "pd.DataFrame | Holds | None" = None,
) -> np.ndarray:
    """Working days from each start to each end, less the working days on hold in between
    that stop the milestone's statutory clock: the statistics' "time taken", counted as the due dates are."""
    as_of64 = np.datetime64(as_of, "D")
    starts = np.asarray(starts, dtype="datetime64[D]")
    ends = np.asarray(ends, dtype="datetime64[D]")
    calendar = settings.calendar
    taken = calendar.count_array(starts, ends)
    book = settings.rulebook_for(schema.STATUTORY)
    every_hold = _as_holds(table, holds)
    try:
        stopped = every_hold.stopping(book, milestone_key)
    except KeyError:
        return taken
    held = every_hold.days(calendar, stopped, starts, ends, as_of64)
    return np.where(np.isnan(taken), taken, taken - np.where(taken > 0, held, 0))


# --- assessment: the register's calculated columns -------------------------------


def _index(table: "Table | pd.DataFrame") -> "pd.Index":
    """The rows' labels for a DataFrame the engine returns: the sheet rows of a Table, a DataFrame's own index."""
    import pandas as pd

    return pd.Index(table.rows, name="row", dtype=np.int64) if isinstance(table, Table) else table.index


def assess(table: "Table | pd.DataFrame", settings: Settings, as_of: dt.date, row_problems: "Mapping[int, str] | None" = None,
           holds: "Table | pd.DataFrame | None" = None) -> "pd.DataFrame":
    """The calculated columns (schema.CALCULATED_KEYS) for every row, as of a date, as a DataFrame.

    `row_problems` are the reader's messages per sheet row (`ValidatedRegister.row_problems`
    or `row_messages`); `holds` the Holds sheet's rows (`ValidatedRegister.holds`), if the register has one.
    """
    import pandas as pd

    result = assess_columns(table, settings, as_of, row_problems, holds)
    index = _index(table)
    # Object columns as they are: letting pandas infer a string dtype for a million rows costs more than the rest.
    columns = {k: pd.Series(v, index=index, dtype=v.dtype if v.dtype != object else object, copy=False) for k, v in result.items()}
    return pd.DataFrame(columns, index=index)


def assess_columns(
    table: "Table | pd.DataFrame",
    settings: Settings,
    as_of: dt.date,
    row_problems: "Mapping[int, str] | None" = None,
    holds: "Table | pd.DataFrame | None" = None,
) -> dict[str, np.ndarray]:
    """`assess` as one numpy array per calculated column, in the order of schema.CALCULATED_KEYS (no pandas)."""
    cols = _Columns(table)
    table = cols.table
    n = cols.n
    as_of64 = np.datetime64(as_of, "D")
    calendar = settings.calendar
    every_hold = _as_holds(table, holds)
    out = {
        "stage": np.full(n, EMPTY, dtype=object),
        "milestone": np.full(n, EMPTY, dtype=object),
        "due_date": np.full(n, NaT),
        "working_days_left": np.full(n, np.nan),
        "rag": np.full(n, EMPTY, dtype=object),
        "can_escalate": np.full(n, "No", dtype=object),
        "escalate_by": np.full(n, NaT),
        "next_action": np.full(n, EMPTY, dtype=object),
    }
    clockless = _logged_only(cols) | cols.eq("representation_type", schema.REFUSED)  # run no complaint clock
    for book, rows in _books(cols, settings, ~clockless):
        _assess_route(cols.subset(rows), book, calendar, as_of64, settings.amber_days, out, rows, every_hold.subset(rows))

    _other_representations(cols, out)
    _deferred(cols, calendar, as_of64, settings.amber_days, out, clockless)
    withdrawn = cols.dates("withdrawn_date")
    gone = _has(withdrawn) & (withdrawn <= as_of64)
    out["rag"][gone] = "Withdrawn"
    out["due_date"][gone] = NaT
    out["working_days_left"][gone] = np.nan
    out["can_escalate"][gone] = "No"
    out["escalate_by"][gone] = NaT
    out["next_action"][gone] = "None: withdrawn on " + format_days(withdrawn[gone])
    out["milestone"][gone] = EMPTY
    _persistent_review(cols, calendar, as_of64, out)

    problems = _joined_problems(table, as_of, row_problems, holds)
    flagged = problems != EMPTY
    out["rag"][flagged] = "Check"
    first = np.array([p.split("; ")[0] for p in problems[flagged]], dtype=object)
    out["next_action"][flagged] = "Correct the row: " + first if len(first) else first

    result = {key: out[key] for key in ("stage", "milestone")}
    result["due_date"] = out["due_date"].astype("datetime64[s]")
    result["working_days_left"] = out["working_days_left"]
    result["rag"] = out["rag"]
    result["can_escalate"] = out["can_escalate"]
    result["escalate_by"] = out["escalate_by"].astype("datetime64[s]")
    result["next_action"] = out["next_action"]
    result["eligibility"] = _eligibility(cols, settings)
    result["problems"] = problems
    return {key: result[key] for key in schema.CALCULATED_KEYS}


def _assess_route(cols: _Columns, book: Rulebook, calendar: WorkingCalendar, as_of: np.datetime64, amber: int, out: dict, rows: np.ndarray, holds: Holds) -> None:
    n = cols.n
    everyone = np.arange(n)
    clock = _run_clock(cols, book, calendar, as_of, holds)
    milestones = list(book.milestones)
    open_holds = holds.open_on(as_of)
    any_open = np.zeros(n, dtype=bool)
    any_open[holds.row[open_holds]] = True
    # Per milestone: is an open hold stopping its clock (by the hold's reason)?
    stopped_now = np.zeros((len(milestones), n), dtype=bool)
    for i, m in enumerate(milestones):
        which = open_holds & holds.stopping(book, m.key)
        stopped_now[i, holds.row[which]] = True

    # A milestone is superseded once any later one is done (an acknowledgement
    # never recorded does not matter once the response has gone).
    later_done = np.zeros(n, dtype=bool)
    superseded: dict[str, np.ndarray] = {}
    for m in reversed(milestones):
        superseded[m.key] = later_done.copy()
        later_done |= _has(clock.done[m.key])

    current = np.full(n, -1)  # index of the open milestone
    last_done = np.full(n, -1)  # index of the latest finished milestone
    for i, m in enumerate(milestones):
        open_ = clock.applies[m.key] & ~_has(clock.done[m.key]) & ~superseded[m.key] & (current < 0)
        current[open_] = i
        last_done[_has(clock.done[m.key]) & ~superseded[m.key]] = i

    is_open = current >= 0
    on_hold = is_open & stopped_now[np.maximum(current, 0), everyone]  # the open milestone's clock is stopped
    held_running = is_open & any_open & ~on_hold  # on hold, but this clock keeps running (the Code)
    finished = ~is_open & (last_done >= 0)
    shown = np.where(is_open, current, last_done)  # the milestone the row reports on
    has_shown = shown >= 0
    pick = np.where(has_shown, shown, 0)
    due_all = np.stack([clock.due[m.key] for m in milestones])
    done_all = np.stack([clock.done[m.key] for m in milestones])
    due = np.where(has_shown, due_all[pick, everyone], NaT)
    done = np.where(has_shown, done_all[pick, everyone], NaT)
    stages = np.array([f"Stage {m.stage}" for m in milestones], dtype=object)
    labels = np.array([m.label for m in milestones], dtype=object)
    stage = np.where(has_shown, stages[pick], EMPTY)
    label = np.where(has_shown, labels[pick], EMPTY)

    left = np.where(is_open, calendar.count_array(np.full(n, as_of), due), np.nan)
    rag = np.full(n, EMPTY, dtype=object)
    rag[is_open & (left > amber)] = "Green"
    rag[is_open & (left >= 0) & (left <= amber)] = "Amber"
    rag[is_open & (left < 0)] = "Red"
    rag[is_open & on_hold] = "On hold"
    rag[finished] = np.where(_before(due, done), "Late", "Met")[finished]

    # Next action: kind k < len(milestones) is "do milestone k"; the rest are fixed sentences.
    HOLD = len(milestones)
    WINDOW, CLOSED = 2 * len(milestones), 2 * len(milestones) + book.final_stage + 1
    RUNNING = CLOSED + 1  # RUNNING + k: on hold, but milestone k's clock does not stop
    kind = np.full(n, -1)
    kind[is_open] = current[is_open]
    kind[is_open & on_hold] = HOLD + current[is_open & on_hold]
    kind[held_running] = RUNNING + current[held_running]
    when = due.copy()
    number = np.where(is_open & (left < 0), -left, 0)

    # --- escalation: the complainant's next step -------------------------------
    can = np.full(n, "No", dtype=object)
    by = np.full(n, NaT)
    for k in range(1, book.final_stage + 1):
        stage_ms = [m for m in milestones if m.stage == k]
        if not stage_ms:
            continue
        answered = _has(clock.done[stage_ms[-1].key])
        window = book.window(f"to_stage_{k + 1}") if k < book.final_stage else book.window("to_ombudsman")
        if window is None:
            if k == book.final_stage:  # no Ombudsman window: closed once answered
                rag[answered & finished] = "Closed"
                kind[answered & finished] = CLOSED
            continue
        deadline = clock.windows[window.key + "_by"]
        requested = cols.dates(window.requested) if window.requested else np.full(n, NaT)
        waiting = answered & ~_has(requested)
        in_time = waiting & (as_of <= deadline)
        can[in_time] = "To the Ombudsman" if k == book.final_stage else f"To stage {k + 1}"
        by[in_time] = deadline[in_time]
        late_request = answered & _has(requested) & (requested > deadline)
        can[late_request] = "Out of time - discretion"
        by[late_request] = deadline[late_request]
        kind[in_time & finished] = WINDOW + k
        when[in_time & finished] = deadline[in_time & finished]
        closed = waiting & ~(as_of <= deadline) & finished
        rag[closed] = "Closed"
        kind[closed] = CLOSED
        if k == book.final_stage:
            # The final response keeps its Met or Late while the Ombudsman window is open, as every
            # earlier stage does; without a window the complaint is closed once answered.
            final = answered & finished & ~in_time
            rag[final] = "Closed"
            kind[final & (kind < 0)] = CLOSED

    # Statutory stage 1 past its extended maximum with no response: the guidance
    # lets the complainant go straight to stage 2.
    s1 = next((m for m in milestones if m.key == "s1_response"), None)
    if book.procedure == schema.STATUTORY and book.final_stage >= 2 and s1 is not None:
        waiting = np.flatnonzero((current == milestones.index(s1)) & ~on_hold)
        receipt = _receipt(cols, book, calendar)[waiting]
        extended_max = calendar.add_period_array(receipt, s1.extended or s1.period, s1.unit)
        can[waiting[as_of > extended_max]] = "To stage 2 (stage 1 not answered in time)"

    def render(k: int, day, late_by: int) -> str:
        if k < 0:
            return EMPTY
        if k >= RUNNING:
            action = milestones[k - RUNNING].action
            text = f"On hold, but this procedure's clock does not stop: {action[0].lower()}{action[1:]} by {format_day(day)}"
            if late_by > 0:
                text += f" (overdue by {late_by} working day{'s' if late_by != 1 else ''})"
            return text
        if k == CLOSED:
            return "None: closed"
        if k > WINDOW:
            target = "the Ombudsman" if k - WINDOW == book.final_stage else f"stage {k - WINDOW + 1}"
            return f"None: the complainant may go to {target} until {format_day(day)}"
        if k >= HOLD:
            action = milestones[k - HOLD].action
            return f"On hold: review the hold; {action[0].lower()}{action[1:]} by {format_day(day)}"
        text = f"{milestones[k].action} by {format_day(day)}"
        if late_by > 0:
            text += f" (overdue by {late_by} working day{'s' if late_by != 1 else ''})"
        return text

    out["stage"][rows] = stage
    out["milestone"][rows] = label
    out["due_date"][rows] = due
    out["working_days_left"][rows] = left
    out["rag"][rows] = rag
    out["can_escalate"][rows] = can
    out["escalate_by"][rows] = by
    out["next_action"][rows] = _messages(kind, when, number, render)


LOGGED_ONLY = tuple(t for t in schema.OTHER_TYPES if t not in (schema.CASE_CONCERN, "LGO"))


def _logged_only(cols: _Columns) -> np.ndarray:
    """Compliments, requests for information and the like: logged, answered, never escalated."""
    return cols.isin("representation_type", LOGGED_ONLY)


def _other_representations(cols: _Columns, out: dict) -> None:
    """Representations that are not complaints run no complaint clock."""
    refused = cols.eq("representation_type", schema.REFUSED)
    other = _logged_only(cols)
    for mask in (refused, other):
        if not mask.any():
            continue
        out["milestone"][mask] = EMPTY
        out["due_date"][mask] = NaT
        out["working_days_left"][mask] = np.nan
        out["rag"][mask] = "Closed"
        out["can_escalate"][mask] = "No"
        out["escalate_by"][mask] = NaT
    if refused.any():
        reason = cols.text("refusal_reason")[refused]
        out["stage"][refused] = "Refused"
        out["next_action"][refused] = np.where(
            reason == EMPTY, "None: refused (record the refusal reason)", "None: refused (" + reason + ")"
        )
    if other.any():
        codes, uniques = cols._codes("representation_type")
        stages = np.array(list(uniques), dtype=object)
        actions = np.array([f"None: {str(u).lower()} logged" for u in uniques], dtype=object)
        out["stage"][other] = stages[codes[other]]
        out["next_action"][other] = actions[codes[other]]
    concern = cols.eq("representation_type", schema.CASE_CONCERN)
    if concern.any():
        out["stage"][concern] = np.where(out["stage"][concern] == "Stage 1", "Case concern", out["stage"][concern])
        out["can_escalate"][concern & (out["can_escalate"] == "To stage 2")] = "To a formal complaint"


def _overdue(days_left) -> str:
    late = int(-days_left)
    return f" (overdue by {late} working day{'s' if late != 1 else ''})" if late > 0 else ""


def _deferred(cols: _Columns, calendar: WorkingCalendar, as_of: np.datetime64, amber: int, out: dict, clockless: np.ndarray) -> None:
    """Deferred or declined for concurrent proceedings (seed 004): a state of its own, run by its review date.

    No stage 1 clock runs while a complaint is deferred; once 'Deferral ended'
    is recorded, stage 1 runs again from that day (`_receipt`).
    """
    deferred, ended = cols.dates("deferred_on"), cols.dates("deferral_ended")
    now = _has(deferred) & (deferred <= as_of) & ~(_has(ended) & (ended <= as_of)) & ~clockless
    now &= ~_has(cols.dates("s1_response_sent"))  # an accepted, answered complaint is put on hold instead
    if not now.any():
        return
    review = cols.dates("deferral_review_date")[now]
    reason = cols.text("deferral_reason")[now]
    left = calendar.count_array(np.full(len(review), as_of), review)
    why = np.where(reason == EMPTY, "concurrent proceedings", np.char.lower(reason.astype(str)).astype(object))
    rag = np.where(np.isnan(left), "Amber", np.where(left < 0, "Red", np.where(left <= amber, "Amber", "Green")))
    action = np.array(
        [
            f"Deferred ({w}): record a review date" if np.isnan(d) else f"Deferred ({w}): review the deferral by {format_day(r)}{_overdue(d)}"
            for w, r, d in zip(why, review, left)
        ],
        dtype=object,
    )
    out["stage"][now] = "Deferred"
    out["milestone"][now] = "Deferral review"
    out["due_date"][now] = review
    out["working_days_left"][now] = left
    out["rag"][now] = rag
    out["can_escalate"][now] = "No"
    out["escalate_by"][now] = NaT
    out["next_action"][now] = action


def _persistent_review(cols: _Columns, calendar: WorkingCalendar, as_of: np.datetime64, out: dict) -> None:
    """An unreasonably persistent complainant's restriction (seed 004): its review is a next action."""
    decided = cols.dates("persistent_complainant_decided")
    flagged = _has(decided) & (decided <= as_of)
    if not flagged.any():
        return
    review = cols.dates("persistent_complainant_review")[flagged]
    left = calendar.count_array(np.full(len(review), as_of), review)
    review_text = np.array(
        ["record a review date for the restriction on contact (unreasonably persistent complainant)" if np.isnan(d)
         else f"review the restriction on contact (unreasonably persistent complainant) by {format_day(r)}{_overdue(d)}"
         for r, d in zip(review, left)],
        dtype=object,
    )
    current = out["next_action"][flagged]
    nothing = (current == EMPTY) | np.array([str(c).startswith("None:") for c in current], dtype=bool)
    capital = np.array([t[0].upper() + t[1:] for t in review_text], dtype=object)
    out["next_action"][flagged] = np.where(nothing, capital, current + "; " + review_text)


# --- eligibility: route, consent, time limit ------------------------------------


def eligibility(table: "Table | pd.DataFrame", settings: Settings) -> np.ndarray:
    """Plain-English route check per row: who may use the statutory procedure, and the 12-month limit."""
    return _eligibility(_Columns(table), settings)


# Who may make a statutory complaint: Children Act 1989 s26(3), with seed 001 on
# representatives. (category, the reason shown in Eligibility). docs/rules.md.
WHO_MAY_COMPLAIN = {
    "child": "the child (s26(3)(a))",
    "care_leaver": "a care leaver (s24D)",
    "parent": "a parent (s26(3)(b))",
    "pr": "not a parent, but has parental responsibility (s26(3)(c))",
    "foster": "a local authority foster parent (s26(3)(d))",
    "interest": "the council decided they have sufficient interest in the child's welfare (s26(3)(e))",
    "representative": "acting for the child, with the child's consent",
    "advocate": "an advocate acting for the child, with the child's consent",
    "carer": "the person providing the child's care, for a child too young to consent (seed 001)",
}


class _Eligible:
    """The first reason each row may use the statutory procedure (rows keep the first one given), as small codes."""

    KEYS = tuple(WHO_MAY_COMPLAIN)
    TEXTS = np.array(["Statutory: eligible"] + [f"Statutory: eligible - {WHO_MAY_COMPLAIN[k]}" for k in KEYS], dtype=object)

    def __init__(self, n: int):
        self.code = np.zeros(n, dtype=np.int8)

    def add(self, mask: np.ndarray, key: str) -> None:
        self.code[mask & (self.code == 0)] = self.KEYS.index(key) + 1

    @property
    def found(self) -> np.ndarray:
        return self.code != 0

    def texts(self, rows: np.ndarray) -> np.ndarray:
        return self.TEXTS[self.code[rows]]


def _eligibility(cols: _Columns, settings: Settings) -> np.ndarray:
    n = cols.n
    blocking = _Notes(n)  # the route cannot be confirmed until these are dealt with
    info = _Notes(n)  # for the officer to know; the complaint can go ahead
    routes = _route(cols)
    statutory = routes == schema.STATUTORY
    recorded_statutory = cols.eq("procedure", schema.STATUTORY)
    not_recorded = cols.eq("procedure", EMPTY)
    complaint = cols.isin("representation_type", (*schema.COMPLAINT_TYPES, schema.CASE_CONCERN, EMPTY))

    exempt = cols.isin("service", schema.EXEMPT_SERVICES)
    blocking.add(complaint & recorded_statutory & exempt, "Service is outside the statutory procedure: use Corporate")
    blocking.add(complaint & not_recorded, np.where(exempt, "Procedure not recorded: Corporate suggested", "Procedure not recorded: Statutory suggested"))

    # --- who may complain (statutory route) ---
    received = cols.dates("date_received")
    age = _age_years(cols.dates("child_date_of_birth"), received)
    young = settings.young_person_age
    child_cannot_consent = age < young  # False where the age is not known
    pr = cols.eq("parental_responsibility", schema.YES)
    consent_yes, consent_no, consent_blank = (cols.eq("child_consent", v) for v in (schema.YES, schema.NO, EMPTY))
    interest_yes, interest_no = cols.eq("sufficient_interest", schema.YES), cols.eq("sufficient_interest", schema.NO)
    who_blank = cols.eq("received_from", EMPTY)
    considered = statutory & complaint & ~(recorded_statutory & exempt)
    eligible = _Eligible(n)
    child = cols.eq("received_from", schema.YOUNG_PERSON)
    care_leaver = cols.eq("received_from", schema.ADULT_SERVICE_USER) & (
        cols.eq("child_legal_status", "Care Leaver") | cols.eq("service", "Care Leavers")
    )
    parent = cols.isin("received_from", schema.LEGAL_PARENTS)
    eligible.add(considered & child, "child")
    eligible.add(considered & care_leaver, "care_leaver")
    eligible.add(considered & parent, "parent")
    eligible.add(considered & pr & ~child, "pr")
    eligible.add(considered & cols.isin("received_from", schema.LA_FOSTER_PARENTS), "foster")
    eligible.add(considered & interest_yes, "interest")
    info.add(considered & parent & cols.eq("parental_responsibility", schema.NO),
             "No parental responsibility: ask a parent with parental responsibility or the child before sharing details (seed 004, Data Protection)")
    # Everyone else may complain only for the child (an advocate too): with the child's
    # consent, or, for a child too young to give it, as the person caring for the child.
    acting = considered & ~eligible.found & ~who_blank
    advocate = cols.eq("received_from", schema.ADVOCATE)
    can_consent = ~child_cannot_consent
    eligible.add(acting & advocate & consent_yes & can_consent, "advocate")
    eligible.add(acting & ~advocate & consent_yes & can_consent, "representative")
    eligible.add(acting & child_cannot_consent & cols.isin("received_from", schema.CARE_PROVIDERS), "carer")
    acting &= ~eligible.found
    if acting.any():
        blocking.add(acting & interest_no,
                     "The council decided the complainant has no sufficient interest in the child's welfare: write to say no further action will be taken (seed 004), or use Corporate")
        acting &= ~interest_no
        blocking.add(acting & consent_yes & child_cannot_consent, f"Child is under {young}: consent may not be valid, check the child's understanding")
        blocking.add(acting & consent_no,
                     "Child has not consented and the complainant has no parental responsibility: use Corporate or refuse (No PR), unless the council decides they have sufficient interest (s26(3)(e))")
        blocking.add(acting & consent_blank & can_consent, "Needs the child's consent: send the consent request")
        blocking.add(acting & consent_blank & child_cannot_consent,
                     f"Child is under {young} and the complainant has no parental responsibility: only a parent with parental responsibility or the person providing the child's care may complain for them (seed 001); use Corporate or refuse (No PR), unless the council decides they have sufficient interest (s26(3)(e))")
    blocking.add(considered & ~eligible.found & who_blank & recorded_statutory,
                 "Record who made the complaint (Received from) to check they may use the statutory procedure")

    # --- the 12-month limit, its exceptions and refusals (reg 9; seed 004) ---
    events = cols.dates("date_of_events")
    aware = cols.dates("date_became_aware")
    out_of_time = np.zeros(n, dtype=bool)
    limits = []  # (the rows out of time, the rows in time by when they knew, the limit in words), book by book
    for book, rows in _books(cols, settings):
        limit = book.time_limit
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        mask &= complaint & _has(events)
        if mask.any():
            late = mask & _before(settings.calendar.add_period_array(events, limit.amount, limit.unit), received)
            knew = late & _has(aware) & ~_before(settings.calendar.add_period_array(aware, limit.amount, limit.unit), received)
            out_of_time |= late & ~knew
            limits.append((late & ~knew, knew, period_text(limit.amount, limit.unit)))
    for _, knew, words in limits:
        info.add(knew, f"In time: the events were more than {words} before, but the complainant became aware of them only recently (seed 004)")
    if out_of_time.any():
        young_person = cols.eq("received_from", schema.YOUNG_PERSON)
        taken = out_of_time & ~cols.eq("accepted_out_of_time", EMPTY)
        for why in schema.LATE_ACCEPTED_REASONS:
            info.add(taken & cols.eq("accepted_out_of_time", why), f"Out of time, accepted: {why.lower()} (reg 9(2))")
        rest = out_of_time & ~taken
        for late, _, words in limits:
            blocking.add(rest & late & ~young_person, f"Out of time: events more than {words} before receipt; accept only at discretion (record why in Accepted out of time) or refuse (Out of Time)")
        blocking.add(rest & young_person, "Out of time, but from a young person: may still be accepted if they could not complain sooner (seed 004)")
    _earlier_complaint(cols, complaint, blocking, info)
    decided = cols.dates("persistent_complainant_decided")
    info.add(complaint & _has(decided),
             "Restriction on contact (unreasonably persistent complainant) for this complaint only: a new complaint is judged on its merits (seed 004)")

    text = blocking.joined()
    ok = (text == EMPTY) & complaint
    text[ok & statutory] = eligible.texts(ok & statutory)
    text[ok & ~statutory] = "Corporate"
    extra = info.joined()
    has_extra = (extra != EMPTY) & (text != EMPTY)
    text[has_extra] = text[has_extra] + "; " + extra[has_extra]
    return text


def _earlier_complaint(cols: _Columns, complaint: np.ndarray, blocking: _Notes, info: _Notes) -> None:
    """A complaint about a matter already answered (seed 004, 'Complaints outside of remit')."""
    earlier = cols.text("earlier_complaint")
    linked = complaint & (earlier != EMPTY)
    if not linked.any():
        return
    table = cols.table if cols.rows is None else cols.table.take(cols.rows)
    where = _positions_by_reference(table, earlier)
    found = linked & (where >= 0)
    blocking.add(linked & (where < 0), "The earlier complaint is not in the register: check its reference (Earlier complaint)")
    if not found.any():
        return
    pick = np.where(found, where, 0)
    received = cols.dates("date_received")
    last_answer = np.full(cols.n, NaT)
    for key in ("s1_response_sent", "s2_adjudication_sent", "s3_response_sent"):
        sent = cols.dates(key)[pick]
        last_answer = np.where(_has(sent) & (~_has(last_answer) | (sent > last_answer)), sent, last_answer)
    all_three = found & _has(cols.dates("s3_response_sent")[pick])
    answered_long_ago = found & ~all_three & _before(add_months_array(last_answer, 12), received)
    blocking.add(all_three, "The same matter has already been through all three stages: refuse (Already through all three stages)")
    blocking.add(answered_long_ago, "The same matter was answered more than 12 months before: refuse (Answered over 12 months ago)")
    restricted = found & _has(cols.dates("persistent_complainant_decided")[pick])
    info.add(restricted & ~_has(cols.dates("persistent_complainant_decided")),
             "The earlier complaint's restriction on contact does not carry over: judge this complaint on its merits (seed 004)")


def _age_years(dob: np.ndarray, on: np.ndarray) -> np.ndarray:
    valid = _has(dob) & _has(on)
    age = np.full(dob.shape, np.nan)
    if valid.any():
        born_year, born_month, born_day = _year_month_day(dob[valid])
        year, month, day = _year_month_day(on[valid])
        years = year - born_year - ((month < born_month) | ((month == born_month) & (day < born_day)))
        age[valid] = years.astype(float)
    return age


def _year_month_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each date's year, month (1-12) and day of the month, as integers."""
    days = days.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    return year, month, (days - months.astype("datetime64[D]")).astype(np.int64) + 1


# --- rows that do not make sense --------------------------------------------------

SEQUENCE_RULES: tuple[tuple[str, str, str], ...] = (
    # (earlier, later, message when later < earlier)
    ("date_received", "s1_acknowledged", "S1 acknowledged is before Date received"),
    ("date_received", "s1_response_sent", "S1 response sent is before Date received"),
    ("s1_response_sent", "s2_requested", "S2 requested is before S1 response sent"),
    ("s2_requested", "s2_accepted", "S2 accepted is before S2 requested"),
    ("s2_accepted", "s2_statement_agreed", "S2 statement agreed is before S2 accepted"),
    ("s2_requested", "s2_adjudication_sent", "S2 adjudication sent is before S2 requested"),
    ("s2_adjudication_sent", "s3_requested", "S3 requested is before S2 adjudication sent"),
    ("s3_requested", "s3_panel_appointed", "S3 panel appointed is before S3 requested"),
    ("s3_requested", "s3_panel_held", "S3 panel held is before S3 requested"),
    ("s3_panel_held", "s3_panel_report_received", "S3 panel report received is before S3 panel held"),
    ("s3_panel_report_received", "s3_response_sent", "S3 response sent is before S3 panel report received"),
    ("on_hold_from", "on_hold_to", "On hold to is before On hold from"),
    ("date_received", "on_hold_from", "On hold from is before Date received"),
    ("date_received", "withdrawn_date", "Withdrawn date is before Date received"),
    ("date_of_events", "date_received", "Date of events is after Date received"),
)
PREREQUISITES: tuple[tuple[str, str, str], ...] = (
    # (needs, present, message when present without needs)
    ("s1_response_sent", "s2_requested", "Stage 2 requested but no S1 response sent recorded"),
    ("s2_requested", "s2_accepted", "S2 accepted but no S2 requested date"),
    ("s2_requested", "s2_adjudication_sent", "S2 adjudication sent but no S2 requested date"),
    ("s2_adjudication_sent", "s3_requested", "Stage 3 requested but no S2 adjudication sent recorded"),
    ("s3_requested", "s3_panel_held", "S3 panel held but no S3 requested date"),
    ("s3_requested", "s3_response_sent", "S3 response sent but no S3 requested date"),
    ("s3_panel_held", "s3_panel_report_received", "Panel report received but no S3 panel held date"),
    ("on_hold_from", "on_hold_to", "On hold to without On hold from"),
)


def row_problems(table: "Table | pd.DataFrame", as_of: dt.date, holds: "Table | pd.DataFrame | None" = None, sheet: str = "Register") -> list:
    """Every problem the status engine finds in the rows, as `register.Problem`s naming sheet, row and column.

    The one list: `assess` shows these in the Problems column (flagging the row
    Check) and `check` prints them, so the two always name the same problems.
    Dates are not personal, so the cell's date is shown.
    """
    from .register import Problem

    as_of64 = np.datetime64(as_of, "D")
    cols = _Columns(table)
    table = cols.table
    found: list = []
    numbers = table.rows

    def add(mask: np.ndarray, column_key: str, message: str) -> None:
        if not mask.any():
            return
        header = schema.column(column_key).header
        days = cols.dates(column_key)
        for i in np.flatnonzero(mask):
            value = format_day(days[i])
            found.append(Problem(int(numbers[i]), header, message, value, sheet=sheet))

    for earlier, later, message in SEQUENCE_RULES:
        add(_before(cols.dates(later), cols.dates(earlier)), later, message)
    for needs, present, message in PREREQUISITES:
        add(_has(cols.dates(present)) & ~_has(cols.dates(needs)), present, message)
    received = cols.dates("date_received")
    add(_has(received) & (received > as_of64), "date_received", "Date received is after the as-of date")
    if holds is not None and len(holds):
        found.extend(_holds_sheet_problems(table, holds))
    found.sort(key=lambda p: (p.sheet != sheet, p.row))  # stable: each row's problems in the rules' order
    return found


def _holds_sheet_problems(table: Table, holds: "Table | pd.DataFrame") -> list:
    """The Holds sheet's rows that cannot be matched or do not add up (named on the Holds sheet)."""
    from .register import Problem

    out = []
    holds = Table.of(holds)
    references = np.asarray(holds["reference"], dtype=object)
    where = _positions_by_reference(table, references)
    start = np.asarray(holds["on_hold_from"], dtype="datetime64[D]")
    end = np.asarray(holds["on_hold_to"], dtype="datetime64[D]")
    received = np.asarray(table["date_received"], dtype="datetime64[D]") if "date_received" in table else np.full(len(table), NaT)
    got = np.where(where >= 0, received[np.maximum(where, 0)], NaT)
    for i, row in enumerate(holds.rows.tolist()):
        row = int(row)
        if references[i] and where[i] < 0:
            out.append(Problem(row, "Reference", "no complaint on the Register sheet has this reference", str(references[i])[:60], sheet=HOLD_SHEET))
        if _before(end[i : i + 1], start[i : i + 1])[0]:
            out.append(Problem(row, "On hold to", "On hold to is before On hold from", format_day(end[i]), sheet=HOLD_SHEET))
        if _before(start[i : i + 1], got[i : i + 1])[0]:
            out.append(Problem(row, "On hold from", "On hold from is before Date received", format_day(start[i]), sheet=HOLD_SHEET))
    return out


def _positions(table: Table) -> dict[int, int]:
    """Each sheet row's position in the table (the first, should a row be there twice)."""
    position: dict[int, int] = {}
    for i, row in enumerate(table.rows.tolist()):
        position.setdefault(int(row), i)
    return position


def _joined_problems(table: Table, as_of: dt.date, row_messages: "Mapping[int, str] | None", holds: "Table | pd.DataFrame | None") -> np.ndarray:
    """The Problems column: the reader's messages (by sheet row), then the status engine's, per row."""
    n = len(table)
    out = np.full(n, EMPTY, dtype=object)
    position: dict[int, int] = {}
    if hasattr(row_messages, "reindex"):  # a pandas Series over the rows (`row_problems`): lined up by pandas, a million rows at once
        out = row_messages.reindex(table.rows).fillna(EMPTY).to_numpy(dtype=object).copy()
    elif row_messages:  # {sheet row: messages} for the rows with any (`row_messages`)
        position = _positions(table)
        for row, message in row_messages.items():
            i = position.get(int(row), -1)
            if i >= 0 and message is not None and not is_missing(message):
                out[i] = message
    found = row_problems(table, as_of, holds)
    if not found:
        return out
    parts: dict[int, list[str]] = {}
    position = position or _positions(table)
    if found:
        holds = Table.of(holds) if holds is not None else None
        held_at = _positions_by_reference(table, np.asarray(holds["reference"], dtype=object)) if holds is not None and len(holds) else None
        hold_rows = {int(r): i for i, r in enumerate(holds.rows.tolist())} if held_at is not None else {}
        for p in found:
            if p.sheet == HOLD_SHEET:
                i = held_at[hold_rows[p.row]] if p.row in hold_rows else -1
                if i >= 0:
                    parts.setdefault(int(i), []).append(f"{HOLD_SHEET} row {p.row}: {p.message}")
            else:
                i = position.get(p.row, -1)
                if i >= 0:
                    parts.setdefault(int(i), []).append(p.message)  # each message names its columns
    for i, texts in parts.items():
        out[i] = "; ".join(([out[i]] if out[i] != EMPTY else []) + texts)
    return out


# --- one row, for the UDFs and the letters ----------------------------------------


def assess_row(record: dict, settings: Settings, as_of: dt.date, holds: list[dict] | None = None) -> dict:
    """The calculated columns for a single complaint given as {header or key: value}.

    `holds`: the complaint's rows of the Holds sheet, each {header or key: value}
    (the reference may be left out).
    """
    from .register import from_records, validate_holds

    validated = from_records([record])
    sheet = None
    if holds:
        reference = validated.table["reference"].iloc[0]
        headers = [c.header for c in schema.HOLD_COLUMNS]
        rows = []
        for hold in holds:
            norm = {schema.normalise_header(k).replace("_", " "): v for k, v in hold.items()}
            rows.append([norm.get(schema.normalise_header(h), "") or (reference if h == "Reference" else "") for h in headers])
        sheet, _ = validate_holds(headers, rows)
    result = assess(validated.table, settings, as_of, validated.row_problems(), sheet)
    row = result.iloc[0].to_dict()
    for key in ("due_date", "escalate_by"):
        row[key] = to_date(row[key])
    return row
