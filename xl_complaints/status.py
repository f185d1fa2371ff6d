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
shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .calendar import NaT, WorkingCalendar, to_date
from .rulebook import Rulebook
from .settings import Settings

WINDOW_COLUMNS = ("to_stage_2_by", "to_stage_3_by", "to_ombudsman_by")
EMPTY = ""


# --- small vector helpers ------------------------------------------------------


class _Columns:
    """The register's columns as numpy arrays, converted once and sliced per route.

    Dates come back as datetime64[D] (NaT when empty) and text as object arrays
    ('' when empty); `isin` factorises a column once so repeated membership
    tests over a million rows cost integer comparisons, not string ones.
    """

    def __init__(self, table: pd.DataFrame, rows: np.ndarray | None = None, parent: "_Columns | None" = None):
        self.table = table
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
            if key not in self.table.columns:
                return np.full(self.n, NaT)
            return self.table[key].to_numpy(dtype="datetime64[D]")

        return self._get("date", key, make)

    def text(self, key: str) -> np.ndarray:
        def make():
            if key not in self.table.columns:
                return np.full(self.n, EMPTY, dtype=object)
            # The validated table holds '' for empty text, never NaN.
            return self.table[key].to_numpy(dtype=object)

        return self._get("text", key, make)

    def _codes(self, key: str) -> tuple[np.ndarray, pd.Index]:
        if ("codes", key) not in self._cache:
            if self.parent is not None:
                codes, uniques = self.parent._codes(key)
                self._cache[("codes", key)] = codes[self.rows]
            else:
                codes, uniques = pd.factorize(self.text(key))
                self._cache[("codes", key)] = codes
            self._cache[("uniques", key)] = pd.Index(uniques)
        return self._cache[("codes", key)], self._cache[("uniques", key)]

    def isin(self, key: str, values) -> np.ndarray:
        codes, uniques = self._codes(key)
        wanted = np.flatnonzero(uniques.isin(list(values)))
        return np.isin(codes, wanted)

    def eq(self, key: str, value: str) -> np.ndarray:
        if ("codes", key) in self._cache or key in self.FACTORISED:
            return self.isin(key, (value,))
        return self.text(key) == value

    # Columns tested against many values: factorised once, then compared as integers.
    FACTORISED = frozenset({"representation_type", "service", "received_from", "procedure"})


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


def format_day(day) -> str:
    """'Mon 13 Jun 2022': how the register's Next action column shows a date."""
    day = to_date(day)
    return "" if day is None else f"{day:%a} {day.day} {day:%b %Y}"


def format_days(days: np.ndarray) -> np.ndarray:
    """format_day over a column, formatting each distinct date once."""
    out = np.full(days.shape, EMPTY, dtype=object)
    valid = _has(days)
    if valid.any():
        unique, inverse = np.unique(days[valid], return_inverse=True)
        labels = np.array([format_day(d) for d in unique], dtype=object)
        out[valid] = labels[inverse]
    return out


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


def day_zero(received: np.ndarray, book: Rulebook, calendar: WorkingCalendar) -> np.ndarray:
    """Day zero for clocks that run from receipt, as the rulebook counts it (a weekend receipt counts from the next working day, say)."""
    start = received
    if book.weekend_receipt == "next working day":
        start = calendar.roll_forward_array(start)
    if book.day_zero == "day after receipt":
        start = calendar.add_array(start, 1)
    return start


def _hold_days(cols: _Columns, calendar: WorkingCalendar, as_of: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Working days on hold (up to as_of while the hold is open), the hold's start, and whether it is open."""
    hold_from, hold_to = cols.dates("on_hold_from"), cols.dates("on_hold_to")
    started = _has(hold_from) & (hold_from <= as_of)
    end = np.where(_has(hold_to), np.minimum(hold_to, as_of), as_of)
    days = np.where(started & ~(end < hold_from), calendar.count_array(hold_from, end), 0)
    open_now = started & (~_has(hold_to) | (hold_to > as_of))
    return np.nan_to_num(days).astype(np.int64), hold_from, open_now


def _run_clock(cols: _Columns, book: Rulebook, calendar: WorkingCalendar, as_of: np.datetime64) -> _Clock:
    received = cols.dates("date_received")
    receipt = day_zero(received, book, calendar)
    hold_days, hold_from, _ = _hold_days(cols, calendar, as_of)
    entered = {1: _has(received)}
    for window in book.windows:
        if window.requested and window.key.startswith("to_stage_"):
            entered[int(window.key[-1])] = _has(cols.dates(window.requested))

    due: dict[str, np.ndarray] = {}
    done: dict[str, np.ndarray] = {}
    applies: dict[str, np.ndarray] = {}
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
        if m.pauses_on_hold:
            # Time on hold counts only for the milestone whose clock was running when the hold began.
            paused = _has(hold_from) & _has(start) & (hold_from >= start) & (~_has(finished) | (hold_from <= finished))
            deadline = np.where(paused & (hold_days > 0), calendar.add_array(deadline, np.where(paused, hold_days, 0)), deadline)
        applicable = entered.get(m.stage, np.zeros(cols.n, dtype=bool)) & _has(deadline)
        due[m.key] = np.where(applicable, deadline, NaT)
        done[m.key] = finished
        applies[m.key] = applicable

    windows: dict[str, np.ndarray] = {}
    for window in book.windows:
        opened = cols.dates(window.start)
        windows[window.key + "_by"] = calendar.add_period_array(opened, window.period, window.unit)
    return _Clock(due, done, applies, windows)


def _milestone_keys(settings: Settings) -> list[str]:
    keys: list[str] = []
    for procedure in (schema.STATUTORY, schema.CORPORATE):
        for m in settings.rulebook_for(procedure).milestones:
            if m.key not in keys:
                keys.append(m.key)
    return keys


def route(table: pd.DataFrame) -> np.ndarray:
    """The procedure each row follows: as recorded, else the suggested one."""
    return _route(_Columns(table))


def _route(cols: _Columns) -> np.ndarray:
    def make():
        suggested = np.where(cols.isin("service", schema.EXEMPT_SERVICES), schema.CORPORATE, schema.STATUTORY)
        return np.where(cols.eq("procedure", EMPTY), suggested, cols.text("procedure"))

    return cols._get("route", "", make)


def timeline(table: pd.DataFrame, settings: Settings, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every milestone's due date and the complainant's windows, per row.

    Columns '<milestone>_due' for every milestone of the council's rulebooks
    (NaT where the row's rulebook has no such milestone or its clock has not
    started) and 'to_stage_2_by', 'to_stage_3_by', 'to_ombudsman_by'. An open
    hold counts up to `as_of` (today when not given).
    """
    as_of64 = np.datetime64(as_of or dt.date.today(), "D")
    cols = _Columns(table)
    n = cols.n
    keys = _milestone_keys(settings)
    out = {f"{k}_due": np.full(n, NaT) for k in keys}
    out.update({w: np.full(n, NaT) for w in WINDOW_COLUMNS})
    procedures = _route(cols)
    for procedure in (schema.STATUTORY, schema.CORPORATE):
        rows = np.flatnonzero(procedures == procedure)
        if not len(rows):
            continue
        clock = _run_clock(cols.subset(rows), settings.rulebook_for(procedure), settings.calendar, as_of64)
        for key, values in clock.due.items():
            out[f"{key}_due"][rows] = values
        for key, values in clock.windows.items():
            if key in out:
                out[key][rows] = values
    return pd.DataFrame({k: v.astype("datetime64[s]") for k, v in out.items()}, index=table.index)


def escalation_deadline(settings: Settings, procedure: str, window_key: str, sent: dt.date) -> dt.date | None:
    """The last day to ask for the next stage (or the Ombudsman) after a response sent on `sent`.

    Letters use this for a response being written today, before the register records it.
    """
    window = settings.rulebook_for(procedure).window(window_key)
    if window is None:
        return None
    return settings.calendar.add_calendar(sent, window.period, window.unit)


# --- assessment: the register's calculated columns -------------------------------


def assess(
    table: pd.DataFrame,
    settings: Settings,
    as_of: dt.date,
    row_problems: pd.Series | None = None,
) -> pd.DataFrame:
    """The calculated columns (schema.CALCULATED_KEYS) for every row, as of a date."""
    cols = _Columns(table)
    n = cols.n
    as_of64 = np.datetime64(as_of, "D")
    calendar = settings.calendar
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
    procedures = _route(cols)
    clockless = _logged_only(cols) | cols.eq("representation_type", schema.REFUSED)  # run no complaint clock
    for procedure in (schema.STATUTORY, schema.CORPORATE):
        rows = np.flatnonzero((procedures == procedure) & ~clockless)
        if len(rows):
            _assess_route(cols.subset(rows), settings.rulebook_for(procedure), calendar, as_of64, settings.amber_days, out, rows)

    _other_representations(cols, out)
    withdrawn = cols.dates("withdrawn_date")
    gone = _has(withdrawn) & (withdrawn <= as_of64)
    out["rag"][gone] = "Withdrawn"
    out["due_date"][gone] = NaT
    out["working_days_left"][gone] = np.nan
    out["can_escalate"][gone] = "No"
    out["escalate_by"][gone] = NaT
    out["next_action"][gone] = "None: withdrawn on " + format_days(withdrawn[gone])
    out["milestone"][gone] = EMPTY

    problems = _sequence_problems(cols, as_of64)
    if row_problems is not None:
        extra = row_problems.reindex(table.index).fillna(EMPTY).to_numpy(dtype=object)
        problems = np.where(extra == EMPTY, problems, np.where(problems == EMPTY, extra, extra + "; " + problems))
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
    # Object columns as they are: letting pandas infer a string dtype for a million rows costs more than the rest.
    columns = {k: pd.Series(v, index=table.index, dtype=v.dtype if v.dtype != object else object, copy=False) for k, v in result.items()}
    return pd.DataFrame(columns, index=table.index)[list(schema.CALCULATED_KEYS)]


def _assess_route(cols: _Columns, book: Rulebook, calendar: WorkingCalendar, as_of: np.datetime64, amber: int, out: dict, rows: np.ndarray) -> None:
    n = cols.n
    everyone = np.arange(n)
    clock = _run_clock(cols, book, calendar, as_of)
    milestones = list(book.milestones)
    _, _, on_hold = _hold_days(cols, calendar, as_of)

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
    kind = np.full(n, -1)
    kind[is_open] = current[is_open]
    kind[is_open & on_hold] = HOLD + current[is_open & on_hold]
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
            rag[answered & finished] = "Closed"

    # Statutory stage 1 past its extended maximum with no response: the guidance
    # lets the complainant go straight to stage 2.
    s1 = next((m for m in milestones if m.key == "s1_response"), None)
    if book.procedure == schema.STATUTORY and book.final_stage >= 2 and s1 is not None:
        waiting = np.flatnonzero((current == milestones.index(s1)) & ~on_hold)
        receipt = day_zero(cols.dates("date_received")[waiting], book, calendar)
        extended_max = calendar.add_period_array(receipt, s1.extended or s1.period, s1.unit)
        can[waiting[as_of > extended_max]] = "To stage 2 (stage 1 not answered in time)"

    def render(k: int, day, late_by: int) -> str:
        if k < 0:
            return EMPTY
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


# --- eligibility: route, consent, time limit ------------------------------------


def eligibility(table: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Plain-English route check per row: who may use the statutory procedure, and the 12-month limit."""
    return _eligibility(_Columns(table), settings)


def _eligibility(cols: _Columns, settings: Settings) -> np.ndarray:
    n = cols.n
    notes = _Notes(n)
    routes = _route(cols)
    statutory = routes == schema.STATUTORY
    recorded_statutory = cols.eq("procedure", schema.STATUTORY)
    not_recorded = cols.eq("procedure", EMPTY)
    complaint = cols.isin("representation_type", (*schema.COMPLAINT_TYPES, schema.CASE_CONCERN, EMPTY))

    exempt = cols.isin("service", schema.EXEMPT_SERVICES)
    notes.add(complaint & recorded_statutory & exempt, "Service is outside the statutory procedure: use Corporate")
    notes.add(complaint & not_recorded, np.where(exempt, "Procedure not recorded: Corporate suggested", "Procedure not recorded: Statutory suggested"))

    received = cols.dates("date_received")
    age = _age_years(cols.dates("child_date_of_birth"), received)
    child_cannot_consent = age < settings.young_person_age  # False where the age is not known
    own_right = cols.isin("received_from", (schema.YOUNG_PERSON, "Advocate", *schema.CARERS))
    parent_with_pr = cols.isin("received_from", schema.PARENTS) & cols.eq("parental_responsibility", schema.YES)
    representative = recorded_statutory & complaint & ~own_right & ~parent_with_pr & ~cols.eq("received_from", EMPTY)
    if representative.any():
        consent = cols.text("child_consent")
        young = settings.young_person_age
        notes.add(representative & (consent == schema.YES) & child_cannot_consent, f"Child is under {young}: consent may not be valid, check the child's understanding")
        notes.add(representative & (consent == schema.NO), "Child has not consented and the complainant has no parental responsibility: use Corporate or refuse (No PR)")
        notes.add(representative & (consent == EMPTY) & ~child_cannot_consent, "Needs the child's consent: send the consent request")
        notes.add(representative & (consent == EMPTY) & child_cannot_consent, f"Child is under {young} and the complainant has no parental responsibility: use Corporate or refuse (No PR)")

    events = cols.dates("date_of_events")
    out_of_time = np.zeros(n, dtype=bool)
    limits: dict[tuple[int, str], np.ndarray] = {}
    for proc, rows in ((schema.STATUTORY, statutory), (schema.CORPORATE, ~statutory)):
        limit = settings.rulebook_for(proc).time_limit
        rows = rows & complaint & _has(events)
        if rows.any():
            key = (limit.amount, limit.unit)
            if key not in limits:
                limits[key] = settings.calendar.add_period_array(events, limit.amount, limit.unit)
            out_of_time |= rows & _before(limits[key], received)
    if out_of_time.any():
        young_person = cols.eq("received_from", schema.YOUNG_PERSON)
        notes.add(out_of_time & ~young_person, "Out of time: events more than 12 months before receipt; accept only at discretion")
        notes.add(out_of_time & young_person, "Out of time, but from a young person: may still be accepted")

    text = notes.joined()
    ok = (text == EMPTY) & complaint
    text[ok & statutory] = "Statutory: eligible"
    text[ok & ~statutory] = "Corporate"
    return text


def _age_years(dob: np.ndarray, on: np.ndarray) -> np.ndarray:
    valid = _has(dob) & _has(on)
    age = np.full(dob.shape, np.nan)
    if valid.any():
        born = pd.DatetimeIndex(dob[valid])
        at = pd.DatetimeIndex(on[valid])
        years = at.year - born.year - ((at.month < born.month) | ((at.month == born.month) & (at.day < born.day)))
        age[valid] = np.asarray(years, dtype=float)
    return age


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
    ("s3_panel_held", "s3_panel_report_received", "Panel report received but no S3 panel held date"),
    ("on_hold_from", "on_hold_to", "On hold to without On hold from"),
)


def _sequence_problems(cols: _Columns, as_of: np.datetime64) -> np.ndarray:
    notes = _Notes(cols.n)
    for earlier, later, message in SEQUENCE_RULES:
        notes.add(_before(cols.dates(later), cols.dates(earlier)), message)
    for needs, present, message in PREREQUISITES:
        notes.add(_has(cols.dates(present)) & ~_has(cols.dates(needs)), message)
    received = cols.dates("date_received")
    notes.add(_has(received) & (received > as_of), "Date received is after the as-of date")
    return notes.joined()


# --- one row, for the UDFs and the letters ----------------------------------------


def assess_row(record: dict, settings: Settings, as_of: dt.date) -> dict:
    """The calculated columns for a single complaint given as {header or key: value}."""
    from .register import from_records

    validated = from_records([record])
    result = assess(validated.table, settings, as_of, validated.row_problems())
    row = result.iloc[0].to_dict()
    for key in ("due_date", "escalate_by"):
        row[key] = to_date(row[key])
    return row
