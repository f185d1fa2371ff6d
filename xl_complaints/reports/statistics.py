"""Year-end statistics: every table of the statutory annual report, as data.

The model is the 2016/17 statutory annual report (tables 1a to 9b, advocacy,
learning, the Ombudsman, acknowledgement time), so a council can lift the tables
into its own report. Everything here is pure: a validated register table and the
council's settings in, a `Statistics` object out; the workbook, the Word draft
and the JSON are adapters in `statistics_export`.

Counting rules (also written into every output's notes by `counting_rules`):

* The statutory tables count statutory representations *received* in the
  reporting year; table 2 counts complaints received in the year *or* completed
  in it, stage by stage, as the report's table 2 says, and at stage 1 (by
  default) every statutory representation answered at stage 1 (the report's 33).
* A young person is a row whose 'Received from' is 'Service user (young person)'.
* Times are working days from `settings.calendar` (the same engine as every due
  date), the day of receipt being day zero; an extended complaint is still
  counted from receipt, and working days on hold are taken off exactly as the
  status engine adds them to the due dates (`status.working_days_taken`).
* Nothing personal leaves this module: only counts, percentages and averages.
  Names, addresses and references are never read; a child's date of birth is
  read only to put the child in an age band.

`suppress` hides small counts for publication so no child or family can be
identified, with secondary suppression so a hidden number cannot be worked out
by subtracting the numbers shown from a total shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ..core import category_lists, schema, status
from ..core.schema import (
    CORPORATE,
    NO,
    STATUTORY,
    STATUTORY_TYPES,
    YES,
    YOUNG_PERSON,
)
from ..core.dates import as_of_or_today, long_date
from ..core.settings import TABLE2_STAGE1, Settings

NaT = np.datetime64("NaT", "D")

# The register columns statistics read. No names, addresses, contact details or
# references: statistics never see them.
STATISTICS_KEYS = (
    "date_received",
    "representation_type",
    "procedure",
    "refusal_reason",
    "how_received",
    "received_from",
    "advocate",
    "child_date_of_birth",
    "child_legal_status",
    "service",
    "nature",
    "outcome_sought",
    "s1_acknowledged",
    "s1_response_sent",
    "s1_extended",
    "s1_outcome",
    "s1_actual_outcome",
    "learning_identified",
    "s2_requested",
    "s2_accepted",
    "s2_statement_agreed",
    "s2_adjudication_sent",
    "s2_outcome",
    "s3_requested",
    "s3_panel_held",
    "s3_response_sent",
    "s3_outcome",
    "withdrawn_date",
    "on_hold_from",
    "on_hold_to",
    "hold_reason",
    "deferral_ended",
    "lgsco_referred",
    "lgsco_outcome",
    "s2_investigation_cost",
    "s3_panel_cost",
    "complainant_gender",
    "complainant_age_band",
    "complainant_ethnicity",
    "complainant_disability",
)

# Representations that are complaints at stage 1 (table 2 and the stage outcomes).
# Pre-complaints are not yet complaints; refusals never reach stage 1.
STAGE_COMPLAINT_TYPES = ("Complaint", "Area initiated complaint")

# Roles of a row. Counts are the rows that can be suppressed.
HEADING, ITEM, SUBTOTAL, TOTAL, AVERAGE = "heading", "item", "subtotal", "total", "average"
COUNT_ROLES = (ITEM, SUBTOTAL, TOTAL)

# Table 9a: the report's bands were 'Under 10yrs', '11-16yrs' and '17-18yrs', which
# leave a ten-year-old out; here ten counts with 10-16. Care leavers can complain up
# to 25, hence the last band (shown only when someone is in it).
YOUNG_AGE_BANDS = (("Under 10yrs", 0, 9), ("10-16yrs", 10, 16), ("17-18yrs", 17, 18), ("19yrs and over", 19, 200))

# The report's rows for table 6a and 9b; the schema's extra values show only when used.
REPORT_SERVICES = schema.SERVICES[:18]
REPORT_LEGAL_STATUS = schema.LEGAL_STATUS[:3]
# Values the toolkit added to the report's lists: a row only when used (unless the council's Lists sheet adds them).
TOOLKIT_ADDITIONS = {
    "service": schema.SERVICES[len(REPORT_SERVICES):],
    "child_legal_status": schema.LEGAL_STATUS[len(REPORT_LEGAL_STATUS):],
    "refusal_reason": schema.ADDED_REFUSAL_REASONS,
    "received_from": schema.ADDED_RECEIVED_FROM,
}

DEFAULT_MARKER = "*"


# --- the result ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """'2016/17' for a year from April; '2016' for a calendar year."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}/{str(self.end.year)[-2:]}"


def reporting_period(year: int, start_month: int = 4) -> Period:
    """The reporting year that starts in `start_month` of `year`."""
    if not 1 <= int(start_month) <= 12:
        raise ValueError(f"The reporting year must start in a month from 1 to 12, not {start_month}.")
    start = dt.date(year, start_month, 1)
    end = dt.date(year + 1, start_month, 1) - dt.timedelta(days=1) if start_month > 1 else dt.date(year, 12, 31)
    return Period(year, start, end)


def figures_at(period: Period, as_of: dt.date) -> dt.date:
    """The day a year's figures are as at: its last day, or `as_of` while the year is not over.

    A report made in December for the year to 31 March counts nothing recorded
    after 31 March, so it gives the figures a report made on 1 April gives.
    """
    return min(period.end, as_of)


def year_containing(day: dt.date, start_month: int = 4) -> int:
    """The reporting year (by its first calendar year) that `day` falls in."""
    return day.year if day.month >= start_month else day.year - 1


@dataclass
class Row:
    key: str  # unique within its table
    label: str
    role: str  # heading, item, subtotal, total or average
    number: int | float | None = None  # this year; None when hidden or not applicable
    previous: int | float | None = None  # the previous year
    parent: str | None = None  # the key of the subtotal or total this row adds up into
    base: str | None = None  # the key of the row that is 100% (None: no percentage)
    cases: int | None = None  # averages: how many complaints the average is over
    previous_cases: int | None = None
    population: str | None = None  # rows with the same population hold the same number
    optional: bool = False  # left out when zero in both years
    hidden: bool = False  # suppressed for publication
    previous_hidden: bool = False
    percent: float | None = None
    previous_percent: float | None = None
    change: int | float | None = None  # this year minus the previous year
    unit: str = ""  # '£' for an amount of money (an average-like row: shown, not suppressed as a count)


@dataclass
class Table:
    id: str
    title: str
    heading: str  # the first column's heading, as in the report
    counts: str  # what is counted, in words
    rows: list[Row]
    chart: tuple[str, ...] = ()  # keys of the rows charted
    subset_of: str | None = None  # young people's tables: the all-complainants table

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(f"Table {self.id} has no row '{key}'.")

    def get(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class Statistics:
    period: Period
    previous_period: Period
    as_of: dt.date
    council: str
    department: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    has_previous: bool = False
    suppressed_under: int | None = None
    marker: str = DEFAULT_MARKER
    figures_at: dt.date | None = None  # the year end (or as_of, for a year not yet over)

    @property
    def at(self) -> dt.date:
        """The day every figure is as at: the year end, whatever day the report was made."""
        return self.figures_at or figures_at(self.period, self.as_of)

    @property
    def title(self) -> str:
        return f"Annual Report on Social Care Complaints and Representations {self.period.label}"

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(f"There is no table '{table_id}'.")


# --- the register as arrays ---------------------------------------------------------


class _Coded:
    """A category column as integer codes: 0 for blank, i + 1 for values[i]."""

    def __init__(self, table: pd.DataFrame, key: str, values: tuple[str, ...]):
        self.values = tuple(values)
        if key in table.columns and len(table):
            values = table[key].to_numpy(dtype=object)
            self.codes = pd.Index(self.values, dtype=object).get_indexer(values).astype(np.int64) + 1
        else:
            self.codes = np.zeros(len(table), dtype=np.int64)

    def code(self, value: str) -> int:
        return self.values.index(value) + 1

    def isin(self, values: Iterable[str]) -> np.ndarray:
        return np.isin(self.codes, [self.code(v) for v in values])

    def blank(self) -> np.ndarray:
        return self.codes == 0

    def count(self, mask: np.ndarray) -> dict[str, int]:
        counts = np.bincount(self.codes[mask], minlength=len(self.values) + 1)
        out = {"": int(counts[0])}
        out.update({v: int(c) for v, c in zip(self.values, counts[1:])})
        return out


class _Register:
    """The register's columns as numpy arrays, worked out once for both years."""

    def __init__(self, table: pd.DataFrame, settings: Settings, as_of: dt.date, holds=None, lists=None, actions=None):
        self.n = len(table)
        self.as_of = as_of
        self.lists = dict(lists or {})
        self.calendar = settings.calendar
        cutoff = np.datetime64(as_of, "D")

        def date(key: str, cut: bool = True) -> np.ndarray:
            if key not in table.columns:
                return np.full(self.n, NaT)
            values = table[key].to_numpy(dtype="datetime64[D]").copy()
            if cut:
                values[values > cutoff] = NaT  # not happened yet on the as-of date
            return values

        def coded(key: str, values: tuple[str, ...] | None = None) -> _Coded:
            return _Coded(table, key, values if values is not None else category_lists.values(key, self.lists))

        self.received = date("date_received")
        self.s1_acknowledged = date("s1_acknowledged")
        self.s1_sent = date("s1_response_sent")
        self.s2_requested = date("s2_requested")
        self.s2_accepted = date("s2_accepted")
        self.s2_statement = date("s2_statement_agreed")
        self.s2_sent = date("s2_adjudication_sent")
        self.s3_requested = date("s3_requested")
        self.s3_panel = date("s3_panel_held")
        self.s3_sent = date("s3_response_sent")
        self.withdrawn = date("withdrawn_date")
        self.lgsco = date("lgsco_referred")
        self.child_born = date("child_date_of_birth", cut=False)

        self.type = coded("representation_type")
        self.procedure = coded("procedure")
        self.refusal = coded("refusal_reason")
        self.how = coded("how_received")
        self.received_from = coded("received_from")
        self.advocate = coded("advocate")
        self.legal = coded("child_legal_status")
        self.service = coded("service")
        self.nature = coded("nature")
        self.sought = coded("outcome_sought")
        self.actual = coded("s1_actual_outcome")
        self.s1_extended = coded("s1_extended")
        self.learning = coded("learning_identified")
        self.outcome = {1: coded("s1_outcome"), 2: coded("s2_outcome"), 3: coded("s3_outcome")}
        self.lgsco_outcome = coded("lgsco_outcome")
        self.gender = coded("complainant_gender")
        self.age_band = coded("complainant_age_band")
        self.ethnicity = coded("complainant_ethnicity")
        self.disability = coded("complainant_disability")

        corporate = self.procedure.codes == self.procedure.code(CORPORATE)
        blank_statutory = self.type.blank() & (self.procedure.codes == self.procedure.code(STATUTORY))
        self.corporate = corporate
        self.statutory = (self.type.isin(STATUTORY_TYPES) | blank_statutory) & ~corporate
        self.complaint = (self.type.isin(STAGE_COMPLAINT_TYPES) | blank_statutory) & ~corporate
        self.young = self.received_from.codes == self.received_from.code(YOUNG_PERSON)

        # Working days, from the one calendar.
        rules = _Rules(settings)
        self.rules = rules
        calendar = settings.calendar
        # The status engine's own day zero and holds: a response the register shows as Met is
        # counted within its timescale here too.
        resumed = date("deferral_ended")
        taken_up = np.where(~np.isnat(resumed) & (resumed > self.received), resumed, self.received)
        day_zero = status.day_zero(taken_up, rules.book, calendar)
        held = status.Holds.of(table, holds) if not isinstance(holds, status.Holds) else holds
        self.held = held
        self.s2_cost = _money(table, "s2_investigation_cost")
        self.s3_cost = _money(table, "s3_panel_cost")
        self.actions = _Actions(actions, self.n, cutoff)

        def taken(starts, ends, milestone):
            return status.working_days_taken(table, settings, as_of, starts, ends, milestone, held)

        self.ack_days = calendar.count_array(day_zero, self.s1_acknowledged)
        self.s1_days = taken(day_zero, self.s1_sent, "s1_response")
        clock = self.s2_statement if settings.stage2_clock == "agreed statement" else self.s2_accepted
        self.s2_start = _first(clock, self.s2_accepted, self.s2_requested)
        self.s2_days = taken(self.s2_start, self.s2_sent, "s2_response")
        self.s3_days = taken(self.s3_requested, self.s3_sent, "s3_panel_held")

        self.child_age = _age(self.child_born, self.received)

    def listed(self, key: str) -> tuple[tuple[str, ...], set[str]]:
        """A category column's rows in the council's order, and those shown only when used.

        The council's Lists sheet gives the rows; a default it left off, or a value the
        toolkit added to the report's lists, has a row only when it is used.
        """
        values = category_lists.values(key, self.lists)
        sheet = set(category_lists.on_sheet(key, self.lists))
        return values, {v for v in values if v not in sheet} | set(TOOLKIT_ADDITIONS.get(key, ()))

    @property
    def other_types(self) -> tuple[str, ...]:
        """Table 1a's 'Other' types: every representation type on the list that is not statutory."""
        return tuple(v for v in self.type.values if v not in STATUTORY_TYPES)


def _money(table: pd.DataFrame, key: str) -> np.ndarray:
    """A money column as pounds (NaN when blank or not an amount: `register.validate` reports those)."""
    from ..core.money import parse_money

    if key not in table.columns or not len(table):
        return np.full(len(table), np.nan)
    codes, distinct = pd.factorize(table[key].to_numpy(dtype=object))
    pounds = np.full(len(distinct), np.nan)
    for u, text in enumerate(distinct):
        if text not in ("", None):
            try:
                pounds[u] = float(parse_money(text))
            except ValueError:
                pass
    return np.where(codes >= 0, pounds[np.maximum(codes, 0)], np.nan)


ACTION_KEYS = ("row", "stage", "owning_service", "agreed_date", "due_date", "completed_date")


def actions_table(references, items, keys: list[str] | None = None) -> pd.DataFrame:
    """The Actions sheet's items matched to the register's rows, without references or free text.

    `references`: each register table row's reference, in the table's order; `items`:
    `learning.Learning.actions`. `row` is the complaint's position in the table (items
    pointing at no complaint are left out: `learning.validate` reports them). `keys`, if the caller
    has them: the references as matched, stripped and in capitals.
    """
    own = pd.Index(keys if keys is not None else [str(r or "").strip().upper() for r in references])
    first = ~own.duplicated()
    lookup, positions = own[first], np.flatnonzero(first)
    found = lookup.get_indexer([i.reference.strip().upper() for i in items]) if len(items) else np.zeros(0, dtype=np.int64)
    keep = [k for k, f in enumerate(found) if f >= 0]

    def dates(key):
        return pd.array(np.array([items[k][key] or None for k in keep], dtype="datetime64[D]").astype("datetime64[s]"))

    return pd.DataFrame({
        "row": positions[found[keep]] if keep else np.zeros(0, dtype=np.int64),
        "stage": np.array([items[k]["stage"] or "" for k in keep], dtype=object),
        "owning_service": np.array([items[k]["owning_service"] or "" for k in keep], dtype=object),
        "agreed_date": dates("agreed_date"),
        "due_date": dates("due_date"),
        "completed_date": dates("completed_date"),
    })


class _Actions:
    """The learning actions as arrays: the complaint's row, the stage, the owning service, the dates (cut at as-of)."""

    def __init__(self, frame: pd.DataFrame | None, n: int, cutoff: np.datetime64):
        frame = frame if frame is not None else pd.DataFrame({k: [] for k in ACTION_KEYS})
        self.row = frame["row"].to_numpy(dtype=np.int64)
        ok = (self.row >= 0) & (self.row < n)
        self.row = self.row[ok]
        self.stage = frame["stage"].to_numpy(dtype=object)[ok]
        self.service = frame["owning_service"].to_numpy(dtype=object)[ok]

        def date(key, cut=True):
            values = frame[key].to_numpy(dtype="datetime64[D]")[ok].copy()
            if cut:
                values[values > cutoff] = NaT
            return values

        agreed = date("agreed_date", cut=False)
        self.due = date("due_date", cut=False)  # a due date is a plan, not an event: never cut
        self.completed = date("completed_date")
        # An action is of the year it was agreed in; one with no agreed date, of the year it was due.
        self.dated = np.where(np.isnat(agreed), self.due, agreed)


def _age(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age in whole years on a day (NaN when either date is missing or birth is later)."""
    def parts(days: np.ndarray):
        years = days.astype("datetime64[Y]")
        months = days.astype("datetime64[M]")
        day = (days - months.astype("datetime64[D]")).astype(np.int64)
        month = (months - years.astype("datetime64[M]")).astype(np.int64)
        return years.astype(np.int64), month, day

    by, bm, bd = parts(born)
    oy, om, od = parts(on)
    age = (oy - by - ((om < bm) | ((om == bm) & (od < bd)))).astype(float)
    age[np.isnat(born) | np.isnat(on) | (age < 0)] = np.nan
    return age


def _first(*columns: np.ndarray) -> np.ndarray:
    """The first column's date, else the next one's, and so on."""
    out = columns[0].copy()
    for other in columns[1:]:
        missing = np.isnat(out)
        out[missing] = other[missing]
    return out


class _Rules:
    """The timescales the bands use, from the council's statutory rulebook."""

    def __init__(self, settings: Settings):
        book = settings.rulebook_for(STATUTORY)
        self.book = book
        # Table 2, stage 1: every statutory representation answered at stage 1 (the 2016/17 report's 33,
        # as table 1a, the representation refused after a response included), or complaints only.
        self.stage1_every_answered = settings.table2_stage1 == TABLE2_STAGE1[0]
        self.day_after_receipt = book.day_zero == "day after receipt"

        def period(key: str, default: int, extended: bool = False) -> int:
            try:
                m = book.milestone(key)
            except KeyError:
                return default
            value = m.extended if extended else m.period
            return int(value) if value is not None else default

        self.ack = period("s1_acknowledgement", int(settings.acknowledgement_days))
        self.s1, self.s1_extended = period("s1_response", 10), period("s1_response", 20, extended=True)
        self.s2, self.s2_extended = period("s2_response", 25), period("s2_response", 65, extended=True)
        # Stage 3 end to end: panel within 30, report 5, response 15 = the report's 50.
        try:
            self.s3 = sum(book.milestone(k).period for k in ("s3_panel_held", "s3_panel_report", "s3_response"))
        except KeyError:
            self.s3 = 50


class _Year:
    """One reporting year's selections: who counts in which table."""

    def __init__(self, reg: _Register, period: Period):
        self.reg = reg
        self.period = period
        self.first = np.datetime64(period.start, "D")
        self.last = np.datetime64(min(period.end, reg.as_of), "D")
        self.received = self.during(reg.received)
        self.statutory = self.received & reg.statutory
        self.young = self.statutory & reg.young
        self.refused = self.statutory & (reg.type.codes == reg.type.code(schema.REFUSED))
        self.compliments = self.received & (reg.type.codes == reg.type.code(schema.COMPLIMENT))
        self.completed: dict[int, np.ndarray] = {}  # by stage: the cases table 2 bands

    def during(self, dates: np.ndarray) -> np.ndarray:
        return (dates >= self.first) & (dates <= self.last)


# --- building the tables ----------------------------------------------------------------


def _item(key, label, number, parent="total", base="total", optional=False, population=None) -> Row:
    return Row(key, label, ITEM, int(number), parent=parent, base=base, optional=optional, population=population)


def _total(number, label="Total", key="total", population=None, parent=None, role=TOTAL, base="total") -> Row:
    return Row(key, label, role, int(number), parent=parent, base=base, population=population)


def _categories(
    counts: dict[str, int],
    values: tuple[str, ...],
    total: int,
    *,
    blank_as: str | None = None,
    optional: Iterable[str] = (),
    subset: bool = False,
    population: str | None = None,
    total_label: str = "Total",
) -> list[Row]:
    """One row per category in the report's order, blanks under `blank_as` or 'Not recorded'."""
    optional = set(optional)
    rows = []
    for value in values:
        n = counts.get(value, 0) + (counts.get("", 0) if value == blank_as else 0)
        rows.append(_item(value, value, n, optional=subset or value in optional))
    if blank_as is None:
        rows.append(_item("", "Not recorded", counts.get("", 0), optional=True))
    rows.append(_total(total, total_label, population=population))
    return rows


def _category_table(column: str, key: str, *, young=False, **options) -> Callable[[_Year], list[Row]]:
    """A table of one category column (`column`, the register's `key`), with the council's list as its rows."""
    def build(y: _Year) -> list[Row]:
        mask = y.young if young else y.statutory
        counts = getattr(y.reg, column).count(mask)
        population = "young people" if young else "statutory"
        values, optional = y.reg.listed(key)
        return _categories(counts, values, int(mask.sum()), subset=young, population=population, optional=optional, **options)

    return build


def _table_1a(y: _Year) -> list[Row]:
    reg = y.reg
    statutory = reg.type.count(y.statutory)
    other = reg.type.count(_other_representations(y))
    rows = [Row("statutory", "Statutory", HEADING)]
    for value in STATUTORY_TYPES:
        label = "Pre-complaint (to statutory Stage 1 complaint)" if value == "Pre-complaint" else value
        population = {schema.REFUSED: "refused"}.get(value)
        rows.append(_item(f"statutory:{value}", label, statutory[value], parent="total_statutory", population=population))
    rows.append(_item("statutory:", "Type not recorded", statutory[""], parent="total_statutory", optional=True))
    rows.append(_total(y.statutory.sum(), "Total statutory representations", "total_statutory", "statutory", "total", SUBTOTAL))
    rows.append(Row("other", "Other", HEADING))
    _, optional = reg.listed("representation_type")
    for value in reg.other_types:
        population = {schema.COMPLIMENT: "compliments", "LGO": "lgo"}.get(value)
        rows.append(_item(f"other:{value}", value, other[value], parent="total_other", population=population,
                          optional=value in optional))
    rows.append(_total(other[""] + sum(other[v] for v in reg.other_types), "Total other representations", "total_other", parent="total", role=SUBTOTAL))
    rows.append(_total(y.statutory.sum() + sum(other.values()), "Total representations"))
    return rows


def _other_representations(y: _Year) -> np.ndarray:
    """Table 1a's 'Other': the other types received in the year, never under the corporate procedure."""
    return y.received & y.reg.type.isin(y.reg.other_types) & ~y.reg.corporate


def _table_1b(y: _Year) -> list[Row]:
    counts = y.reg.refusal.count(y.refused)
    values, optional = y.reg.listed("refusal_reason")
    return _categories(counts, values, int(y.refused.sum()), population="refused", total_label="Total statutory refusals",
                       optional=optional)


def _table_4(y: _Year) -> list[Row]:
    counts = y.reg.received_from.count(y.statutory)
    counts["Unknown"] += counts.pop("")
    rows: list[Row] = []
    values, optional = y.reg.listed("received_from")
    grouped = {v for members in schema.RECEIVED_FROM_GROUPS.values() for v in members}
    own = tuple(v for v in values if v not in grouped)  # the council's own: with the miscellaneous ones
    for group, members in schema.RECEIVED_FROM_GROUPS.items():
        if group == "Miscellaneous":
            members = members + own
        if len(members) == 1:
            rows.append(_item(members[0], members[0], counts[members[0]]))
            continue
        rows.append(Row(f"group:{group}", group, HEADING))
        for member in members:
            population = "young people" if member == YOUNG_PERSON else None
            rows.append(_item(member, member, counts[member], parent=f"subtotal:{group}", population=population,
                              optional=member in optional))
        subtotal = sum(counts[m] for m in members)
        rows.append(_total(subtotal, f"Total {group}", f"subtotal:{group}", parent="total", role=SUBTOTAL))
    rows.append(_total(y.statutory.sum(), population="statutory"))
    return rows


def _stage(y: _Year, stage: int) -> list[Row]:
    """Table 2's rows for one stage: bands, the open and closed cases, the average."""
    reg, rules = y.reg, y.reg.rules
    prefix = f"s{stage}"
    if stage == 1:
        counted = reg.complaint
        if rules.stage1_every_answered:
            counted = counted | (reg.statutory & ~np.isnat(reg.s1_sent))
        in_stage = counted & (y.received | y.during(reg.s1_sent))
        days, done = reg.s1_days, ~np.isnat(reg.s1_sent)
        a, b = rules.s1, rules.s1_extended
        bands = [(f"in {a} working days", lambda d: d <= a), (f"in between {a} and {b} working days", lambda d: (d > a) & (d <= b)), (f"in over {b} working days", lambda d: d > b)]
        open_label = "not yet answered"
    elif stage == 2:
        requested = _first(reg.s2_requested, reg.s2_accepted)
        in_stage = reg.complaint & (y.during(requested) | y.during(reg.s2_sent))
        days, done = reg.s2_days, ~np.isnat(reg.s2_sent)
        a, b = rules.s2, rules.s2_extended
        bands = [(f"in {a} working days", lambda d: d <= a), (f"in between {a} and {b} working days", lambda d: (d > a) & (d <= b)), (f"in over {b} working days", lambda d: d > b)]
        open_label = "under investigation"
    else:
        in_stage = reg.complaint & (y.during(reg.s3_requested) | y.during(reg.s3_sent))
        days, done = reg.s3_days, ~np.isnat(reg.s3_sent)
        a = rules.s3
        bands = [(f"in under {a} working days", lambda d: d < a), (f"in {a} working days", lambda d: d == a), (f"in over {a} working days", lambda d: d > a)]
        open_label = "in progress"
    total_key = f"{prefix}:total"
    completed = in_stage & done & (days >= 0)
    y.completed[stage] = completed
    wrong_order = in_stage & done & ~(days >= 0)  # answered before it started, or no start date
    withdrawn = in_stage & ~done & ~np.isnat(reg.withdrawn)
    still_open = in_stage & ~done & np.isnat(reg.withdrawn)
    rows = [Row(prefix, f"Stage {stage}", HEADING), _total(in_stage.sum(), "Total number of complaints", total_key, base=total_key)]
    done_days = days[completed]
    for i, (label, test) in enumerate(bands):
        rows.append(_item(f"{prefix}:band{i + 1}", f"- {label}", int(test(done_days).sum()), parent=total_key, base=total_key))
    if stage == 2:
        accepted = ~np.isnat(reg.s2_accepted) & (reg.s2_accepted <= y.last)
        awaiting = still_open & ~accepted
        rows.append(_item(f"{prefix}:open", f"- {open_label}", (still_open & accepted).sum(), total_key, total_key, optional=True))
        rows.append(_item(f"{prefix}:awaiting", "- awaiting allocation at end of reporting period", awaiting.sum(), total_key, total_key))
    else:
        rows.append(_item(f"{prefix}:open", f"- {open_label}", still_open.sum(), total_key, total_key, optional=True))
    rows.append(_item(f"{prefix}:withdrawn", "- withdrawn", withdrawn.sum(), total_key, total_key, optional=True))
    rows.append(_item(f"{prefix}:check", "- dates missing or in the wrong order", wrong_order.sum(), total_key, total_key, optional=True))
    average = float(done_days.mean()) if len(done_days) else None
    rows.append(Row(f"{prefix}:average", "- average time to complete (working days)", AVERAGE, average, cases=int(completed.sum())))
    return rows


def _table_2(y: _Year) -> list[Row]:
    return _with_extensions(y, _stage(y, 1)) + _stage(y, 2) + _stage(y, 3)


def _with_extensions(y: _Year, rows: list[Row]) -> list[Row]:
    """Under stage 1's middle band, how many had an extension recorded ('S1 extended' is Yes).

    Only those were answered in time 'with an extension'; the summary says so from this row.
    """
    reg, rules = y.reg, y.reg.rules
    days = reg.s1_days
    middle = y.completed[1] & (days > rules.s1) & (days <= rules.s1_extended)
    extended = middle & (reg.s1_extended.codes == reg.s1_extended.code(YES))
    label = f"- of those in between {rules.s1} and {rules.s1_extended}: with an extension recorded"
    row = Row("s1:band2:extended", label, ITEM, int(extended.sum()), base="s1:band2")
    at = next(i for i, r in enumerate(rows) if r.key == "s1:band3") + 1
    return rows[:at] + [row] + rows[at:]


def _young_ages(y: _Year) -> list[Row]:
    age = y.reg.child_age[y.young]
    rows = []
    for label, low, high in YOUNG_AGE_BANDS:
        rows.append(_item(label, label, ((age >= low) & (age <= high)).sum(), optional=label == "19yrs and over"))
    rows.append(_item("", "Not recorded", np.isnan(age).sum(), optional=True))
    rows.append(_total(y.young.sum(), population="young people"))
    return rows


def _yes_no(column: str, labels: tuple[str, str], young: bool) -> Callable[[_Year], list[Row]]:
    def build(y: _Year) -> list[Row]:
        mask = y.young if young else y.statutory
        counts = getattr(y.reg, column).count(mask)
        return [
            _item("yes", labels[0], counts[YES]),
            _item("no", labels[1], counts[NO]),
            _item("", "Not recorded", counts[""], optional=True),
            _total(mask.sum(), population="young people" if young else "statutory"),
        ]

    return build


def _ombudsman_cases(y: _Year) -> tuple[np.ndarray, np.ndarray]:
    """The statutory cases the Ombudsman told the council about in the year: (LGO representations, other complaints).

    One definition: a representation of type LGO counts by its date received (so it is
    table 1a's LGO figure exactly); any other row by its 'LGSCO referred' date. Nothing
    under the corporate procedure.
    """
    reg = y.reg
    lgo = reg.type.codes == reg.type.code("LGO")
    first = y.received & lgo & ~reg.corporate
    later = y.during(reg.lgsco) & ~lgo & ~reg.corporate
    return first, later


def _ombudsman(y: _Year) -> list[Row]:
    reg = y.reg
    first, later = _ombudsman_cases(y)
    mask = first | later
    counts = reg.lgsco_outcome.count(mask)
    rows = [
        Row("route", "How the case reached the council", HEADING),
        _item("route:lgo", "The Ombudsman contacted the council first (LGO in table 1a)", first.sum(), population="lgo"),
        _item("route:complaint", "A complaint already made to the council", later.sum()),
        Row("decision", "The Ombudsman's decision", HEADING),
    ]
    values, optional = reg.listed("lgsco_outcome")
    rows += [_item(v, v, counts[v], parent="decided", optional=v in optional) for v in values]
    rows.append(_item("", "Awaiting the Ombudsman's decision", counts[""], parent="decided", optional=True))
    rows.append(_total(mask.sum(), "Total decisions and cases awaiting one", "decided", population="ombudsman", role=SUBTOTAL))
    rows.append(_total(mask.sum(), "Total cases", population="ombudsman"))
    return rows


def _acknowledgement(y: _Year) -> list[Row]:
    reg, target = y.reg, y.reg.rules.ack
    days = reg.ack_days[y.statutory]
    known = days[days >= 0]
    return [
        _item("within", f"Acknowledged within {target} working days", (known <= target).sum()),
        _item("over", f"Acknowledged in more than {target} working days", (known > target).sum()),
        _item("", "Not recorded", np.isnat(reg.s1_acknowledged[y.statutory]).sum(), optional=True),
        _item("check", "Dates in the wrong order", (days < 0).sum(), optional=True),
        _total(y.statutory.sum(), population="statutory"),
        Row("average", "Average time to acknowledge (working days)", AVERAGE, float(known.mean()) if len(known) else None, cases=len(known)),
    ]


def _compliments(y: _Year) -> list[Row]:
    counts = y.reg.service.count(y.compliments)
    return _categories(counts, y.reg.service.values, int(y.compliments.sum()), subset=True, population="compliments")


def _outcomes(y: _Year) -> list[Row]:
    reg = y.reg
    rows: list[Row] = []
    for stage, sent in ((1, reg.s1_sent), (2, reg.s2_sent), (3, reg.s3_sent)):
        mask = reg.complaint & y.during(sent)
        counts = reg.outcome[stage].count(mask)
        total_key = f"s{stage}:total"
        rows.append(Row(f"s{stage}", f"Stage {stage} (responses sent in the year)", HEADING))
        for value in schema.OUTCOMES:
            rows.append(_item(f"s{stage}:{value}", value, counts[value], parent=total_key, base=total_key))
        rows.append(_item(f"s{stage}:", "Not recorded", counts[""], parent=total_key, base=total_key, optional=True))
        rows.append(_total(mask.sum(), f"Total stage {stage}", total_key, base=total_key))
    return rows


def _year_actions(y: _Year) -> np.ndarray:
    """The learning actions of the year: agreed in it (or, with no agreed date, due in it), for statutory representations."""
    a = y.reg.actions
    return y.during(a.dated) & y.reg.statutory[a.row] if len(a.row) else np.zeros(0, dtype=bool)


def _actions_by_type(y: _Year) -> list[Row]:
    a, reg = y.reg.actions, y.reg
    mine = _year_actions(y)
    codes = reg.type.codes[a.row[mine]]
    rows = [_item(v, v, int((codes == reg.type.code(v)).sum())) for v in STATUTORY_TYPES]
    rows.append(_item("", "Type not recorded", int((codes == 0).sum()), optional=True))
    rows.append(_total(mine.sum(), "Total learning actions", population="actions"))
    return rows


def _actions_by_service(y: _Year) -> list[Row]:
    """By the service that owns the action (the complaint's service where the action names none)."""
    a, reg = y.reg.actions, y.reg
    mine = _year_actions(y)
    owner = a.service[mine].copy()
    labels = np.array(("",) + reg.service.values, dtype=object)
    blank = owner == ""
    owner[blank] = labels[reg.service.codes[a.row[mine][blank]]]
    counts = pd.Series(owner, dtype=object).value_counts().to_dict()
    values, optional = reg.listed("service")
    rows = [_item(v, v, counts.get(v, 0), optional=True) for v in values]
    rows.append(_item("", "Not recorded", counts.get("", 0), optional=True))
    rows.append(_total(mine.sum(), "Total learning actions", population="actions"))
    return rows


def _actions_done(y: _Year) -> list[Row]:
    """What was done, as at the year end: by the due date, late, not done and overdue, not yet due."""
    a = y.reg.actions
    mine = _year_actions(y)
    due, done = a.due[mine], a.completed[mine]
    has_done = ~np.isnat(done)
    on_time = has_done & ~np.isnat(due) & (done <= due)
    late = has_done & ~on_time
    overdue = ~has_done & ~np.isnat(due) & (due < y.last)
    rows = [
        _item("on_time", "Done by the due date", on_time.sum()),
        _item("late", "Done after the due date", late.sum()),
        _item("overdue", "Not done: overdue at the end of the year", overdue.sum()),
        _item("open", "Not done: not yet due", (~has_done & ~overdue).sum()),
        _total(mine.sum(), "Total learning actions", population="actions"),
    ]
    rows.append(Row("stages", "By the stage the action came from", HEADING))
    stage_total = "by_stage"
    for stage in ("Stage 1", "Stage 2", "Stage 3", "Ombudsman"):
        rows.append(_item(f"stage:{stage}", stage, (a.stage[mine] == stage).sum(), parent=stage_total, base=stage_total))
    rows.append(_item("stage:", "Stage not recorded", (a.stage[mine] == "").sum(), parent=stage_total, base=stage_total, optional=True))
    rows.append(_total(mine.sum(), "Total learning actions", stage_total, population="actions", base=stage_total))
    return rows


def _stage2_holds(y: _Year) -> list[Row]:
    """Stage 2 requests put on hold, and why: holds begun in the year from the stage 2 request until the adjudication.

    Every hold counts (the register's own hold columns and the Holds sheet), whatever
    its reason; the rulebook decides which stop the clock, the table says why each began.
    """
    reg = y.reg
    h = reg.held
    row = h.row
    if len(row):
        requested = _first(reg.s2_requested, reg.s2_accepted)[row]
        sent = reg.s2_sent[row]
        at_stage2 = (~np.isnat(requested) & (h.start >= requested) & (np.isnat(sent) | (h.start <= sent))
                     & reg.complaint[row] & y.during(h.start))
    else:
        at_stage2 = np.zeros(0, dtype=bool)
    reasons = h.reason[at_stage2].astype(str) if len(row) else np.zeros(0, dtype=object)
    values, optional = reg.listed("hold_reason")
    rows = [_item(v, v, int((reasons == v).sum()), optional=v in optional) for v in values]
    rows.append(_item("", "Reason not recorded", int((reasons == "").sum()), optional=True))
    rows.append(_total(at_stage2.sum(), "Total holds begun at stage 2"))
    rows.append(_item("requests", "Stage 2 requests put on hold (a request held twice counts once)",
                      len(np.unique(row[at_stage2])), parent=None, base=None))
    ended = at_stage2 & ~np.isnat(h.end) & (h.end <= y.last) if len(row) else at_stage2
    days = reg.calendar.count_array(h.start[ended], h.end[ended]) if ended.any() else np.zeros(0)
    rows.append(Row("average", "Average working days on hold (holds ended by the year end)", AVERAGE,
                    float(np.mean(days)) if len(days) else None, cases=int(ended.sum())))
    return rows


def _costs(y: _Year) -> list[Row]:
    """What the independent stages cost: stage 2 investigations finished in the year, review panels held in it."""
    reg = y.reg
    rows: list[Row] = []
    panel_day = _first(reg.s3_panel, reg.s3_sent)  # a panel by the day it sat (or, not recorded, the response)
    for stage, done, cost, noun, verb in (
        (2, reg.s2_sent, reg.s2_cost, "an investigation", "Stage 2 investigations finished in the year (adjudication sent)"),
        (3, panel_day, reg.s3_cost, "a review panel", "Stage 3 review panels held in the year"),
    ):
        mask = reg.complaint & y.during(done)
        costed = mask & ~np.isnan(cost)
        n = int(costed.sum())
        pounds = cost[costed]
        rows += [
            Row(f"s{stage}", f"Stage {stage}", HEADING),
            _item(f"s{stage}:count", verb, mask.sum(), parent=None, base=None),
            _item(f"s{stage}:costed", "- of which with a cost recorded", costed.sum(), parent=None, base=f"s{stage}:count"),
            Row(f"s{stage}:total", f"- total cost of those (£)", AVERAGE, float(pounds.sum()) if n else None, cases=n, unit="£"),
            Row(f"s{stage}:average", f"- average cost of {noun} (£)", AVERAGE, float(pounds.mean()) if n else None, cases=n, unit="£"),
        ]
    return rows


@dataclass(frozen=True)
class _Spec:
    id: str
    title: str
    heading: str
    counts: str
    build: Callable[[_Year], list[Row]]
    chart: bool = False
    subset_of: str | None = None


STATUTORY_COUNTS = "Statutory representations received in the year"
ACTION_COUNTS = "Learning actions (Actions sheet) for statutory representations, agreed in the year (with no agreed date: due in it)"
YOUNG_COUNTS = "Statutory representations received in the year from young people"


def _specs() -> tuple[_Spec, ...]:
    yp = dict(young=True)
    return (
        _Spec("1a", "Table 1a: Representations received", "Type of representation", "Representations received in the year", _table_1a, chart=True),
        _Spec("1b", "Table 1b: Breakdown of representations received and subsequently refused (subset of Table 1a)", "Refusal reason", "Statutory representations received in the year and refused", _table_1b),
        _Spec("2", "Table 2: Number of complaints received / progressed within reporting period (all complaints received in {label} or completed in {label})", "Stage", "Statutory complaints received in the year or completed in it, at each stage", _table_2, chart=True),
        _Spec("3a", "Table 3a: Method used to make complaints – how received", "Method", STATUTORY_COUNTS, _category_table("how", "how_received"), chart=True),
        _Spec("3b", "Table 3b: Method used to make complaints by young people – how received (subset of table 3a)", "Method", YOUNG_COUNTS, _category_table("how", "how_received", **yp), subset_of="3a"),
        _Spec("4", "Table 4: Who makes complaints - received from", "Received from", STATUTORY_COUNTS, _table_4, chart=True),
        _Spec("5a", "Table 5a: Nature of complaints", "Nature", STATUTORY_COUNTS, _category_table("nature", "nature", blank_as="Unknown"), chart=True),
        _Spec("5b", "Table 5b: Nature of complaints by young people and children (subset of table 5a)", "Nature", YOUNG_COUNTS, _category_table("nature", "nature", blank_as="Unknown", **yp), subset_of="5a"),
        _Spec("6a", "Table 6a: Service complained about", "Service", STATUTORY_COUNTS, _category_table("service", "service", blank_as="Other/Unknown"), chart=True),
        _Spec("6b", "Table 6b: Service complained about by young people (subset of table 6a)", "Service", YOUNG_COUNTS, _category_table("service", "service", blank_as="Other/Unknown", **yp), subset_of="6a"),
        _Spec("7a", "Table 7a: Outcomes sought", "Outcome sought - Statutory Stage 1", STATUTORY_COUNTS, _category_table("sought", "outcome_sought", blank_as="Not Known/Specified"), chart=True),
        _Spec("7b", "Table 7b: Outcomes sought by young people (subset of Table 7a)", "Outcome sought", YOUNG_COUNTS, _category_table("sought", "outcome_sought", blank_as="Not Known/Specified", **yp), subset_of="7a"),
        _Spec("7c", "Table 7c: Actual outcomes to complaints made", "Actual Outcome - Statutory Stage 1", STATUTORY_COUNTS, _category_table("actual", "s1_actual_outcome", blank_as="Not recorded"), chart=True),
        _Spec("7d", "Table 7d: Actual outcomes to complaints made by young people (subset of Table 7c)", "Actual Outcome - Statutory Stage 1", YOUNG_COUNTS, _category_table("actual", "s1_actual_outcome", blank_as="Not recorded", **yp), subset_of="7c"),
        _Spec("8a", "Table 8a: Disability - all complainants", "Disability", STATUTORY_COUNTS, _category_table("disability", "complainant_disability", blank_as="Not Stated")),
        _Spec("8c", "Table 8c: Gender – all complainants", "Gender", STATUTORY_COUNTS, _category_table("gender", "complainant_gender", blank_as="Not Stated")),
        _Spec("8e", "Table 8e: Age - all complainants", "Age", STATUTORY_COUNTS, _category_table("age_band", "complainant_age_band", blank_as="Not Stated")),
        _Spec("8g", "Table 8g: Ethnicity – all complainants", "Ethnicity", STATUTORY_COUNTS, _category_table("ethnicity", "complainant_ethnicity", blank_as="Not Stated")),
        _Spec("8b", "Table 8b: Disability - young people", "Disability: complaints made by young people", YOUNG_COUNTS, _category_table("disability", "complainant_disability", blank_as="Not Stated", **yp), subset_of="8a"),
        _Spec("8d", "Table 8d: Gender - young people", "Gender: complaints made by young people", YOUNG_COUNTS, _category_table("gender", "complainant_gender", blank_as="Not Stated", **yp), subset_of="8c"),
        _Spec("8f", "Table 8f: Age - young people", "Age: complaints made by young people", YOUNG_COUNTS, _category_table("age_band", "complainant_age_band", blank_as="Not Stated", **yp), subset_of="8e"),
        _Spec("8h", "Table 8h: Ethnicity – young people", "Ethnicity: complaints made by young people", YOUNG_COUNTS, _category_table("ethnicity", "complainant_ethnicity", blank_as="Not Stated", **yp), subset_of="8g"),
        _Spec("9a", "Table 9a: Age of young people who make a complaint", "Age Group", "Young people's complaints received in the year, by the child's age on the day of receipt", _young_ages, chart=True),
        _Spec("9b", "Table 9b: Legal status of young people who make a complaint", "Status of YP", YOUNG_COUNTS, _category_table("legal", "child_legal_status", **yp), chart=True),
        _Spec("advocacy", "Advocacy: complaints made by young people", "Advocate", YOUNG_COUNTS, _yes_no("advocate", ("Made with an advocate", "Made without an advocate"), young=True)),
        _Spec("learning", "Learning identified from complaints", "Learning", STATUTORY_COUNTS, _yes_no("learning", ("Learning identified", "No learning identified"), young=False)),
        _Spec("actions_type", "Learning actions by type of representation", "Type of representation", ACTION_COUNTS, _actions_by_type),
        _Spec("actions_service", "Learning actions by service", "Service that owns the action", ACTION_COUNTS, _actions_by_service),
        _Spec("actions_done", "What was done: learning actions at the end of the year", "Learning actions", ACTION_COUNTS, _actions_done),
        _Spec("s2_holds", "Stage 2 requests put on hold, and why", "Reason for the hold", "Holds begun in the year between a statutory complaint's stage 2 request and its adjudication", _stage2_holds),
        _Spec("costs", "The cost of stage 2 investigations and stage 3 review panels", "Stage", "Statutory complaints' investigations finished and review panels held in the year", _costs),
        _Spec("ombudsman", "Referrals to the Local Government and Social Care Ombudsman", "Ombudsman's decision", "Statutory complaints the Ombudsman told the council about in the year", _ombudsman),
        _Spec("acknowledgement", "Acknowledgement (triage) time", "Acknowledgement", STATUTORY_COUNTS, _acknowledgement, chart=True),
        _Spec("compliments", "Compliments received", "Service", "Compliments received in the year", _compliments),
        _Spec("outcomes", "Outcomes at each stage: upheld, partially upheld, not upheld", "Outcome", "Statutory complaints answered in the year, at each stage", _outcomes, chart=True),
    )


SPECS = _specs()
TABLE_IDS = tuple(s.id for s in SPECS)


def build(
    table: pd.DataFrame,
    settings: Settings,
    year: int,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    unreadable_rows: int = 0,
    holds=None,
    lists=None,
    actions: pd.DataFrame | None = None,
) -> Statistics:
    """Every table for the reporting year starting in `year`, with the year before beside it.

    `table` is the validated register (`register.validate(...).table`, or any frame
    with some of its columns). `as_of` is the day the register is read as of
    (default today): anything dated after it has not happened yet.
    `progress` is called with each table's id as it is finished. `holds`: the
    Holds sheet (or a `status.Holds` already matched to the table's rows).
    `lists`: the council's Lists sheet (`category_lists.from_rows`): the tables' rows.
    `actions`: the Actions sheet matched to the table's rows (`actions_table`).
    """
    as_of = as_of_or_today(as_of)
    period = reporting_period(year, settings.year_start_month)
    previous = reporting_period(year - 1, settings.year_start_month)
    if as_of < period.start:
        raise ValueError(
            f"The reporting year {period.label} starts on {long_date(period.start)}, after the as-of date {long_date(as_of)}."
        )
    # Each year as at its own year end: a register read as it stood then.
    reg = _Register(table, settings, figures_at(period, as_of), holds, lists, actions)
    last_reg = _Register(table, settings, figures_at(previous, as_of), holds, lists, actions)
    this_year, last_year = _Year(reg, period), _Year(last_reg, previous)
    has_previous = bool(last_year.received.any())
    tables = []
    for spec in SPECS:
        current = spec.build(this_year)
        before = spec.build(last_year) if has_previous else None
        tables.append(_assemble(spec, period, current, before))
        if progress:
            progress(spec.id)
    stats = Statistics(
        period=period,
        previous_period=previous,
        as_of=as_of,
        council=settings.council_name,
        department=settings.department,
        tables=tables,
        has_previous=has_previous,
        figures_at=figures_at(period, as_of),
    )
    stats.notes = counting_rules(stats, settings, reg.rules, excluded=_excluded(reg, this_year, table), unreadable_rows=unreadable_rows)
    return stats


def _excluded(reg: _Register, y: _Year, table: pd.DataFrame) -> dict[str, int]:
    """What the statutory tables leave out this year, for the notes.

    Undated rows are counted from the register itself: a row received after the
    year end is not undated, just not in this year.
    """
    received = table["date_received"].to_numpy(dtype="datetime64[D]") if "date_received" in table.columns else np.full(len(table), NaT)
    return {
        "corporate": int((y.received & reg.corporate).sum()),
        "untyped": int((y.received & reg.type.blank() & reg.procedure.blank()).sum()),
        "undated": int(np.isnat(received).sum()),
    }


def _assemble(spec: _Spec, period: Period, current: list[Row], before: list[Row] | None) -> Table:
    """Put the previous year beside this one, drop unused optional rows, add percentages."""
    previous = {r.key: r for r in before} if before is not None else {}
    rows = []
    for row in current:
        old = previous.get(row.key)
        if old is not None:
            row.previous, row.previous_cases = old.number, old.cases
        if row.optional and not row.number and not row.previous:
            continue
        rows.append(row)
    kept = {r.key for r in rows}
    for r in rows:  # a dropped optional row is zero: nothing to add up into it
        if r.parent is not None and r.parent not in kept:
            r.parent = None
    table = Table(spec.id, spec.title.format(label=period.label), spec.heading, spec.counts, rows, subset_of=spec.subset_of)
    if spec.chart:
        table.chart = _chart_rows(table)
    _derive(table, before is not None)
    return table


def _chart_rows(table: Table) -> tuple[str, ...]:
    """What a chart shows: the items adding up to the grand total, or stage 1's bands."""
    rows = table.rows
    if table.id == "2":
        return tuple(r.key for r in rows if r.parent == "s1:total")
    if table.id in ("outcomes", "1a"):
        return tuple(r.key for r in rows if r.role == ITEM)
    return tuple(r.key for r in rows if r.parent == "total" and r.role in (ITEM, SUBTOTAL))


def _derive(table: Table, with_previous: bool) -> None:
    """Percentages and changes from the numbers shown (never from hidden ones)."""
    by_key = {r.key: r for r in table.rows}
    for r in table.rows:
        r.percent = _percent(r.number, by_key[r.base].number if r.base in by_key else None)
        r.previous_percent = _percent(r.previous, by_key[r.base].previous if r.base in by_key else None) if with_previous else None
        if with_previous and r.number is not None and r.previous is not None and r.role != HEADING:
            r.change = r.number - r.previous
            if isinstance(r.change, float):
                r.change = round(r.change, 1)
        else:
            r.change = None


def _percent(value, base) -> float | None:
    if value is None or base is None or not base:
        return None
    return 100.0 * value / base


# --- suppression --------------------------------------------------------------------------


Cell = tuple[int, str]  # (table index, row key)


def suppress(stats: Statistics, under: int, marker: str = DEFAULT_MARKER) -> Statistics:
    """Hide counts from 1 to under - 1, and enough others that none can be worked out.

    Primary suppression hides every small count. Secondary suppression then makes
    sure no sum has exactly one hidden number in it (a total and the rows adding up
    to it, and the same number shown in several tables, such as the young people's
    total), choosing the smallest non-zero count first and a total last. Totals
    shown are the real totals. Percentages of a hidden number, or of a hidden
    total, are hidden; so are changes involving a hidden number, and averages over
    fewer than `under` complaints.
    """
    if under is None or under <= 1:
        return stats
    tables = [dataclasses.replace(t, rows=[dataclasses.replace(r) for r in t.rows]) for t in stats.tables]
    columns = ("number", "previous") if stats.has_previous else ("number",)
    for column in columns:
        hidden = hidden_cells(tables, column, under)
        for ti, key in hidden:
            row = tables[ti].row(key)
            setattr(row, column, None)
            setattr(row, "hidden" if column == "number" else "previous_hidden", True)
        cases = "cases" if column == "number" else "previous_cases"
        for t in tables:
            for r in t.rows:
                if r.role == AVERAGE and getattr(r, cases) is not None and 0 < getattr(r, cases) < under:
                    setattr(r, column, None)
                    setattr(r, "hidden" if column == "number" else "previous_hidden", True)
                    setattr(r, cases, None)
    for t in tables:
        _derive(t, stats.has_previous)
    out = dataclasses.replace(stats, tables=tables, suppressed_under=int(under), marker=marker)
    out.notes = [n for n in stats.notes] + [suppression_note(under)]
    return out


def suppression_note(under: int) -> str:
    return (
        f"To protect children and families, numbers from 1 to {under - 1} are shown as {DEFAULT_MARKER}, and so are "
        f"enough other numbers that a hidden number cannot be worked out by subtraction. Totals shown are the real "
        f"totals. Percentages and changes that would reveal a hidden number, and averages over fewer than "
        f"{under} complaints, are not shown."
    )


def constraints(tables: list[Table]) -> list[tuple[Cell, list[Cell]]]:
    """Every published sum: (the total's cell, the cells adding up to it)."""
    out = []
    for ti, t in enumerate(tables):
        children: dict[str, list[Cell]] = {}
        for r in t.rows:
            if r.parent is not None and r.role in COUNT_ROLES:
                children.setdefault(r.parent, []).append((ti, r.key))
        for parent, kids in children.items():
            out.append(((ti, parent), kids))
    return out


def equal_groups(tables: list[Table]) -> list[list[Cell]]:
    """Cells that are the same number in different tables (the young people's total, say)."""
    groups: dict[str, list[Cell]] = {}
    for ti, t in enumerate(tables):
        for r in t.rows:
            if r.population is not None and r.role in COUNT_ROLES:
                groups.setdefault(r.population, []).append((ti, r.key))
    return [cells for cells in groups.values() if len(cells) > 1]


def hidden_cells(tables: list[Table], column: str, under: int) -> set[Cell]:
    """The cells to hide in one column ('number' or 'previous')."""
    value: dict[Cell, int] = {}
    order: dict[Cell, int] = {}
    for ti, t in enumerate(tables):
        for r in t.rows:
            v = getattr(r, column)
            if r.role in COUNT_ROLES and v is not None:
                value[(ti, r.key)] = int(v)
                order[(ti, r.key)] = len(order)
    sums = [(total, kids) for total, kids in constraints(tables) if total in value]
    groups = [[c for c in g if c in value] for g in equal_groups(tables)]
    linked = {c for g in groups for c in g}
    known_zero = _known_zeros(tables, value)
    protected = {c for c in headline_cells(tables) if value.get(c, 0) >= under}  # chosen last, so in practice never
    hidden = {c for c, v in value.items() if 0 < v < under}

    def rank(cell: Cell, total: Cell):
        v = value[cell]
        return (cell in protected, cell == total, cell in known_zero, v == 0, cell in linked, v, order[cell])

    changed = True
    while changed:
        changed = False
        for group in groups:
            if any(c in hidden for c in group) and not all(c in hidden for c in group):
                hidden.update(group)
                changed = True
        for total, kids in sums:
            cells = [total] + [k for k in kids if k in value]
            shown = [c for c in cells if c not in hidden]
            if len(cells) - len(shown) == 1 and shown:
                hidden.add(min(shown, key=lambda c: rank(c, total)))
                changed = True
    return hidden


HEADLINE_POPULATIONS = ("statutory",)


def headline_cells(tables: list[Table]) -> set[Cell]:
    """The headline count (statutory representations received) wherever it is shown.

    Secondary suppression chooses these last (in table 1a, the grand total goes
    before the statutory total), so a headline of at least `under` stays shown.
    """
    return {(ti, r.key) for ti, t in enumerate(tables) for r in t.rows if r.population in HEADLINE_POPULATIONS and r.role in COUNT_ROLES}


def _known_zeros(tables: list[Table], value: dict[Cell, int]) -> set[Cell]:
    """Young people's cells that must be zero because the all-complainants cell is zero.

    Hiding one of these as the second cell would hide nothing.
    """
    index = {t.id: ti for ti, t in enumerate(tables)}
    out = set()
    for ti, t in enumerate(tables):
        if t.subset_of not in index:
            continue
        parent = index[t.subset_of]
        for r in t.rows:
            whole = value.get((parent, r.key))
            if whole == 0 and r.role == ITEM:
                out.add((ti, r.key))
    return out


# --- words ------------------------------------------------------------------------------------


def whole_percent(value: float | None) -> int | None:
    """Percentages as the report prints them: whole numbers, halves rounded up."""
    if value is None:
        return None
    return int(math.floor(value + 0.5 + 1e-9))


def _number(table: Table, key: str, previous: bool = False):
    row = table.get(key)
    if row is None:
        return None
    return row.previous if previous else row.number


def _pct(table: Table, key: str) -> int | None:
    row = table.get(key)
    return whole_percent(row.percent) if row is not None else None


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _top(table: Table, under: int | None = None) -> list[Row]:
    """The most common category (several when tied), ignoring blanks and unknowns.

    In a suppressed table only a count of at least `under` can be the most common:
    a hidden count might otherwise be bigger than the one named.
    """
    items = [
        r
        for r in table.rows
        if r.role == ITEM and r.parent == "total" and r.number and r.key not in ("", "Unknown", "Other/Unknown", "Not Known/Specified", "Not recorded", "Not Stated")
    ]
    if not items:
        return []
    best = max(r.number for r in items)
    if under and best < under:
        return []
    return [r for r in items if r.number == best]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def sentences(stats: Statistics) -> dict[str, list[str]]:
    """Plain sentences about the figures, by table id, and 'summary' for the executive summary.

    Built from the numbers shown, so a hidden number is never written out.
    """
    out: dict[str, list[str]] = {t.id: [] for t in stats.tables}
    label, before = stats.period.label, stats.previous_period.label
    t1 = stats.table("1a")
    total, statutory = _number(t1, "total"), _number(t1, "total_statutory")
    if total is not None:
        text = f"{_plural(total, 'representation')} {'was' if total == 1 else 'were'} received in {label}"
        old = _number(t1, "total", previous=True)
        if old:
            change = whole_percent(abs(100.0 * (total - old) / old))
            direction = "more" if total > old else "fewer"
            text += f", {change}% {direction} than in {before} ({old})" if total != old else f", the same as in {before}"
        text += "."
        if statutory is not None:
            text += f" {statutory} of them {'was a statutory representation' if statutory == 1 else 'were statutory representations'}."
        out["1a"].append(text)
    elif statutory is not None:  # the grand total hidden to protect a small 'Other': the headline still said
        out["1a"].append(f"{_plural(statutory, 'statutory representation')} {'was' if statutory == 1 else 'were'} received in {label}.")

    t2 = stats.table("2")
    out["2"] += _timeliness_sentences(t2, stats.suppressed_under)
    average = t2.row("s1:average")
    if average.number is not None:
        text = f"The average time to complete a statutory stage 1 complaint was {average.number:.1f} working days"
        if average.previous is not None:
            text += f" ({average.previous:.1f} in {before})"
        out["2"].append(text + ".")
    s2_total, awaiting = _number(t2, "s2:total"), _number(t2, "s2:awaiting")
    if s2_total:
        text = f"{_plural(s2_total, 'complaint')} {'was' if s2_total == 1 else 'were'} at stage 2 in {label}"
        if awaiting:
            text += (
                f"; at the end of the year {awaiting} {'was' if awaiting == 1 else 'were'} waiting for an investigating "
                f"officer and independent person to be appointed"
            )
        out["2"].append(text + ".")
    s3_total = _number(t2, "s3:total")
    if s3_total:
        out["2"].append(f"{_plural(s3_total, 'complaint')} {'was' if s3_total == 1 else 'were'} considered by a review panel (stage 3).")

    for table_id, noun in (("3a", "way of making a complaint"), ("5a", "nature of complaint"), ("6a", "service complained about"), ("7a", "outcome sought"), ("7c", "actual outcome")):
        table = stats.table(table_id)
        top = _top(table, stats.suppressed_under)
        if top and all(r.percent is not None for r in top):
            names = _join([r.label for r in top])
            share = ", ".join(f"{whole_percent(r.percent)}%" for r in top)
            verb = "was" if len(top) == 1 else "were"
            out[table_id].append(f"The most common {noun} {verb} {names} ({share}).")

    t4 = stats.table("4")
    groups = [r for r in t4.rows if r.parent == "total" and r.number]
    top = max(groups, key=lambda r: r.number) if groups else None
    if top is not None and top.percent is not None and top.number >= (stats.suppressed_under or 0):
        name = top.label.removeprefix("Total ")
        out["4"].append(f"Most statutory complaints came from the {name} group ({whole_percent(top.percent)}%).")
    young = t4.get(YOUNG_PERSON)
    if young is not None and young.number is not None and young.percent is not None:
        out["4"].append(f"Young people made {young.number} ({whole_percent(young.percent)}%) of the statutory complaints.")

    advocacy = stats.table("advocacy")
    yes, all_young = _number(advocacy, "yes"), _number(advocacy, "total")
    if yes is not None and all_young:
        out["advocacy"].append(f"Of the {all_young} complaints made by young people, {yes} {'was' if yes == 1 else 'were'} made with the help of an advocate.")

    learning = stats.table("learning")
    yes, all_stat = _number(learning, "yes"), _number(learning, "total")
    if yes is not None and all_stat:
        out["learning"].append(f"Learning was identified in {yes} of the {all_stat} statutory representations received.")

    ack = stats.table("acknowledgement")
    avg = ack.row("average")
    target = ack.row("within").label.removeprefix("Acknowledged within ")
    if avg.number is not None:
        text = f"Complaints were acknowledged in {avg.number:.1f} working days on average, against a target of {target}"
        if avg.previous is not None:
            text += f" ({avg.previous:.1f} in {before})"
        out["acknowledgement"].append(text + ".")
    within_pct = _pct(ack, "within")
    if within_pct is not None:
        out["acknowledgement"].append(f"{within_pct}% were acknowledged within the target.")

    omb = stats.table("ombudsman")
    referrals = _number(omb, "total")
    if referrals is not None:
        out["ombudsman"].append(
            f"The Ombudsman told the council of {_plural(referrals, 'statutory case')} in {label}." if referrals else f"The Ombudsman told the council of no statutory cases in {label}."
        )
        first, later = _number(omb, "route:lgo"), _number(omb, "route:complaint")
        if referrals and first is not None and later is not None:
            out["ombudsman"].append(
                f"{first or 'None'} came to the council first from the Ombudsman (the LGO representations of table 1a) and "
                f"{later or 'none'} {'was a complaint' if later in (0, 1) else 'were complaints'} already made to the council."
            )

    comp = _number(stats.table("compliments"), "total")
    if comp is not None:
        out["compliments"].append(f"{_plural(comp, 'compliment')} {'was' if comp == 1 else 'were'} recorded in {label}." if comp else f"No compliments were recorded in {label}.")

    outcomes = stats.table("outcomes")
    s1_answered = _number(outcomes, "s1:total")
    upheld, partly = _number(outcomes, "s1:Upheld"), _number(outcomes, "s1:Partially upheld")
    if s1_answered and upheld is not None and partly is not None:
        share = whole_percent(100.0 * (upheld + partly) / s1_answered)
        out["outcomes"].append(f"Of the {s1_answered} stage 1 responses sent in {label}, {share}% upheld the complaint in full or in part.")

    out["actions_done"] += _action_sentences(stats)
    out["s2_holds"] += _hold_sentences(stats)
    out["costs"] += _cost_sentences(stats)

    out["summary"] = [s for key in ("1a", "2", "4", "acknowledgement", "advocacy", "learning") for s in out[key][:3]]
    return out


def _action_sentences(stats: Statistics) -> list[str]:
    """The learning actions of the year and what became of them, from the numbers shown."""
    t = stats.table("actions_done")
    total = _number(t, "total")
    if total is None:
        return []
    label = stats.period.label
    if not total:
        return [f"No learning actions from statutory complaints were agreed in {label}."]
    out = [f"{_plural(total, 'learning action')} from statutory complaints {'was' if total == 1 else 'were'} agreed in {label}."]
    parts = []
    for key, words in (("on_time", "done by the due date"), ("late", "done after it"), ("overdue", "overdue at the end of the year"),
                       ("open", "not yet due")):
        n = _number(t, key)
        if n is None:
            return out  # a hidden count: no sentence that would let it be worked out
        if n:
            parts.append(f"{n} {words}")
    if parts:
        out.append(f"At the end of the year {_join(parts)}.")
    top = _top(stats.table("actions_service"), stats.suppressed_under)
    if top and all(r.percent is not None for r in top):
        out.append(f"Most actions were for {_join([r.label for r in top])} ({', '.join(f'{whole_percent(r.percent)}%' for r in top)}).")
    return out


def _hold_sentences(stats: Statistics) -> list[str]:
    t = stats.table("s2_holds")
    holds, requests = _number(t, "total"), _number(t, "requests")
    if holds is None or requests is None:
        return []
    if not holds:
        return [f"No stage 2 request was put on hold in {stats.period.label}."]
    text = f"{_plural(requests, 'stage 2 request')} {'was' if requests == 1 else 'were'} put on hold in {stats.period.label}"
    top = _top(t, stats.suppressed_under)
    if top:
        text += f" (the most common reason: {_join([r.label for r in top])})"
    out = [text + "."]
    average = t.row("average")
    if average.number is not None:
        out.append(f"A hold that ended lasted {average.number:.1f} working days on average.")
    return out


def _cost_sentences(stats: Statistics) -> list[str]:
    t = stats.table("costs")
    out = []
    for stage, noun in ((2, "stage 2 investigations"), (3, "stage 3 review panels")):
        count, costed = _number(t, f"s{stage}:count"), _number(t, f"s{stage}:costed")
        total, average = _number(t, f"s{stage}:total"), _number(t, f"s{stage}:average")
        if count is None or costed is None:
            continue
        if not count:
            out.append(f"There were no {noun} in {stats.period.label}.")
            continue
        if total is None or average is None:
            continue
        which = f"The {costed} {noun}" if costed == count else f"The {costed} of the {count} {noun} with a cost recorded"
        out.append(f"{which} cost £{total:,.0f} in all, £{average:,.0f} each on average.")
    return out


def percent_text(value: float | None) -> str:
    """'30%'; '<1%' for a share that is not nothing but rounds to 0, '>99%' for one that rounds to 100."""
    if value is None:
        return ""
    if 0 < value < 0.5:
        return "<1%"
    if 99.5 <= value < 100:
        return ">99%"
    return f"{whole_percent(value)}%"


def _timeliness_sentences(t2: Table, under: int | None) -> list[str]:
    """Stage 1 timeliness in words, each share from the numbers it is about.

    'Within the upper limit' is the first two bands together; 'with an extension' is
    said only of the answers that have one recorded.
    """
    out: list[str] = []
    total = _number(t2, "s1:total")
    first, middle, late = (_number(t2, f"s1:band{i}") for i in (1, 2, 3))
    if not total or first is None:
        return out
    target = t2.row("s1:band1").label.removeprefix("- in ")
    upper = t2.row("s1:band3").label.removeprefix("- in over ")
    between = t2.row("s1:band2").label.removeprefix("- in ")
    out.append(f"{percent_text(100.0 * first / total)} of statutory stage 1 complaints were answered within {target}.")
    if middle is None:
        return out
    text = f"{percent_text(100.0 * (first + middle) / total)} were answered within the upper limit of {upper}"
    if late is not None:
        text += f", and {percent_text(100.0 * late / total)} took longer" if late else ", and none took longer"
    out.append(text + ".")
    extended = _number(t2, "s1:band2:extended")
    if middle and extended is not None:
        if extended == middle:
            out.append(f"All {middle} answered in {between} had an extension recorded.")
        elif extended == 0:
            out.append(f"None of the {middle} answered in {between} had an extension recorded.")
        else:
            text = f"{extended} of the {middle} answered in {between} had an extension recorded"
            if not under or middle - extended >= under:
                rest = middle - extended
                text += f"; {rest} had none and {'was' if rest == 1 else 'were'} late"
            out.append(text + ".")
    return out


def counting_rules(stats: Statistics, settings: Settings, rules: _Rules, excluded: dict[str, int], unreadable_rows: int = 0) -> list[str]:
    """The notes every output carries: how each number was counted."""
    p, q = stats.period, stats.previous_period
    stage2_from = "the agreed statement of complaint (or the accepted request until it is agreed)" if settings.stage2_clock == "agreed statement" else "the accepted request"
    day_zero = "the day after receipt is day zero" if rules.day_after_receipt else "the day of receipt is day zero"
    notes = [
        f"Reporting year {p.label}: {long_date(p.start)} to {long_date(p.end)} (the register's setting 'Reporting year starts in month' is {settings.year_start_month}).",
        f"Every figure is as at {long_date(stats.at)}"
        + (f", the end of the year ({q.label}'s as at {long_date(q.end)}), whatever day the report is made: the register was read on "
           f"{long_date(stats.as_of)}, and anything it dates after the year end (a response sent, a request accepted, a complaint "
           "withdrawn) is counted as not having happened yet, so a report made later in the year gives the same figures."
           if stats.at == p.end else
           f": the year is not over, and anything dated after that day is counted as not having happened yet."),
        "Tables 1a, 1b, 3 to 9, advocacy, learning and acknowledgement count statutory representations received in the year: "
        "representation type Complaint, Pre-complaint, Area initiated complaint or Refused, not under the corporate procedure.",
        "Table 1a's 'Other' counts representations of the other types received in the year, also not under the corporate "
        "procedure: nothing recorded under the corporate procedure is counted in any table.",
        "The Ombudsman: table 1a's 'LGO' counts representations of type LGO received in the year (the Ombudsman contacting the "
        "council first). The Ombudsman table counts every statutory case the Ombudsman told the council about in the year: those "
        "same LGO representations, by their date received, and the complaints already on the register with an 'LGSCO referred' "
        "date in the year. So the Ombudsman table's first row is always table 1a's LGO figure.",
        "Table 2 counts statutory complaints (type Complaint or Area initiated complaint) received in the year or completed in it, "
        + ("and at stage 1 also every other statutory representation answered at stage 1 (a pre-complaint, or a representation "
           "refused after a stage 1 response), by default (the register's setting 'Table 2 stage 1 counts'), "
           if rules.stage1_every_answered else "and at stage 1 complaints only (the register's setting 'Table 2 stage 1 counts'), ")
        + "stage by stage: stage 1 by the date received or the date of the stage 1 response; stage 2 by the date stage 2 was "
        "requested or the date of the adjudication; stage 3 by the date the review panel was requested or the date of the "
        "council's response. A complaint can therefore appear in two years' table 2, and table 2's totals can differ from table 1a's.",
        "A young person is a complainant recorded as 'Service user (young person)' in 'Received from'. Table 9a's ages are the "
        "child's age on the day the complaint was received, from the child's date of birth; a ten-year-old is counted in "
        "10-16yrs (the usual bands, under 10 and 11-16, leave age 10 out).",
        f"Times are working days (Monday to Friday, less bank holidays for {settings.region} and the council's closure days), "
        f"counted as the register counts them (the working days after the start, up to and including the end; in Excel "
        f"NETWORKDAYS(start + 1, end)): {day_zero}, and a complaint received at a weekend or on a bank holiday "
        "counts from the next working day (a deferred complaint from the day it was taken up again). An extended complaint is still "
        "counted from receipt. Working days on hold are taken off, exactly as the register adds them to the due dates: the holds "
        "recorded on the register and on its Holds sheet, for the reasons the statutory rulebook says stop the clock.",
        f"Average time to complete: the mean of those times for the complaints answered by {long_date(stats.at)}. Stage 1 runs "
        f"from receipt to the stage 1 response; stage 2 from {stage2_from} to the adjudication; stage 3 from the request for "
        "a review panel to the council's response to the panel's report.",
        f"Bands: stage 1 within {rules.s1} working days (the statutory timescale), {rules.s1 + 1} to {rules.s1_extended} "
        f"(allowed with an extension) and over {rules.s1_extended}; stage 2 within {rules.s2}, {rules.s2 + 1} to "
        f"{rules.s2_extended} and over {rules.s2_extended}; stage 3 under {rules.s3}, exactly {rules.s3} and over {rules.s3} "
        "working days. Table 2's 'with an extension recorded' counts, of stage 1's middle band, those whose "
        "'S1 extended' is Yes: only they were answered in time with an extension. 'Awaiting allocation' is a stage 2 request not "
        "accepted by the end of the year.",
        f"Acknowledgement time is counted from receipt to the date the acknowledgement was sent; the target is {rules.ack} working days.",
        "Learning actions are the rows of the register's Actions sheet for statutory representations (of any year), counted in the "
        "year they were agreed (an action with no agreed date, in the year it was due): by the complaint's type of representation, "
        "by the service that owns the action (the complaint's service where the action names none), and by what was done by the "
        "end of the year. An action done after the year end is counted as not done.",
        "Stage 2 holds: every hold (on the register's hold columns or its Holds sheet) that began in the year on or after a "
        "statutory complaint's stage 2 request (or acceptance) and before its adjudication was sent, by the reason recorded; a "
        "request held twice is one request. The average is over the holds that had ended by the end of the year, in working days.",
        "Costs: the register's 'S2 investigation cost' of the statutory complaints whose adjudication was sent in the year, and "
        "its 'S3 panel cost' of those whose review panel sat in the year (or, with no panel date, whose response was sent in it). "
        "Totals and averages are over the costs recorded; a cost that is not an amount of money is reported by 'xl-complaints "
        "check' and not counted.",
        "Blank answers are counted as the report's own 'Unknown', 'Not Stated', 'Other/Unknown' or 'Not Known/Specified' row "
        "where it has one, and otherwise in a 'Not recorded' row. A row the report has not got (such as a service added to "
        "the register's list) is shown only when it is used.",
        f"The previous year ({q.label}) is worked out from the same register by the same rules; 'Change' is {p.label} less {q.label}."
        if stats.has_previous
        else f"The register holds nothing received in {q.label}, so no previous year is shown.",
        "No names, addresses, references or dates of birth appear in these statistics.",
    ]
    if excluded.get("corporate"):
        notes.append(f"{_plural(excluded['corporate'], 'complaint')} received in {p.label} under the corporate procedure {'is' if excluded['corporate'] == 1 else 'are'} not counted.")
    if excluded.get("untyped"):
        notes.append(f"{_plural(excluded['untyped'], 'row')} received in {p.label} {'has' if excluded['untyped'] == 1 else 'have'} no representation type and no procedure, and {'is' if excluded['untyped'] == 1 else 'are'} not counted.")
    if excluded.get("undated"):
        notes.append(f"{_plural(excluded['undated'], 'row')} of the register {'has' if excluded['undated'] == 1 else 'have'} no date received and {'is' if excluded['undated'] == 1 else 'are'} not counted in any year.")
    if unreadable_rows:
        notes.append(f"{_plural(unreadable_rows, 'row')} of the register {'has' if unreadable_rows == 1 else 'have'} cells that could not be read; those cells are counted as blank.")
    return notes


# --- as data ---------------------------------------------------------------------------------


def as_dict(stats: Statistics) -> dict:
    """Every table as plain JSON-ready data; hidden numbers are the marker string."""

    def cell(value, hidden: bool):
        if hidden:
            return stats.marker
        if isinstance(value, float):
            return round(value, 1)
        return value

    def pct(value):
        return None if value is None else round(value, 1)

    tables = []
    for t in stats.tables:
        rows = []
        for r in t.rows:
            item = {"key": r.key, "label": r.label, "role": r.role}
            if r.unit:
                item["unit"] = r.unit
            if r.role != HEADING:
                item["number"] = cell(r.number, r.hidden)
                item["percent"] = pct(r.percent)
                if stats.has_previous:
                    item["previous"] = cell(r.previous, r.previous_hidden)
                    item["previous_percent"] = pct(r.previous_percent)
                    item["change"] = cell(r.change, False)
                if r.role == AVERAGE:
                    item["cases"] = r.cases
                    if stats.has_previous:
                        item["previous_cases"] = r.previous_cases
            if r.parent:
                item["adds_up_to"] = r.parent
            rows.append(item)
        tables.append({"id": t.id, "title": t.title, "heading": t.heading, "counts": t.counts, "rows": rows})
    return {
        "title": stats.title,
        "council": stats.council,
        "department": stats.department,
        "year": stats.period.label,
        "period": {"start": stats.period.start.isoformat(), "end": stats.period.end.isoformat()},
        "previous_year": stats.previous_period.label if stats.has_previous else None,
        "as_of": stats.as_of.isoformat(),
        "figures_at": stats.at.isoformat(),
        "suppressed_under": stats.suppressed_under,
        "marker": stats.marker if stats.suppressed_under else None,
        "notes": list(stats.notes),
        "sentences": sentences(stats),
        "tables": tables,
    }
