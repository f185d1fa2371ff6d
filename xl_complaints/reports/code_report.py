"""The Complaint Handling Code's annual complaints performance and service improvement report: the figures.

Corporate complaints only (the Code applies to them from 1 April 2026), over one
reporting year. The counting rules, stated once here and printed in the report:

- complaints, refusals and themes: corporate representations *received* in the year;
- service requests (not complaints: the Service requests sheet): those *received* in the year;
- timeliness: those complaints' acknowledgements and responses, against the
  council's corporate rulebook (5 working days to acknowledge, 10 to answer
  stage 1 from the acknowledgement, 20 for stage 2), counted on the one
  working-day calendar; "within the extended time" is a response after the
  Code's time but within the extension the complainant was told of;
- remedies: those *offered* in the year, for corporate complaints;
- the Ombudsman: decisions *made* in the year; remedies whose comply-by date
  is in the year, as at the year end (or the day the report is made, if sooner);
- actions: those *due* in the year, as at the same date.

The tables are statistics.Table objects, so small numbers are suppressed
exactly as the statutory report suppresses them (`statistics.suppress`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core import category_lists, schema, status

from . import statistics, statistics_reader
from ..core.dates import long_date, to_date
from ..core.learning import ACTIONS, OMBUDSMAN, REMEDIES, REMEDY_KINDS, OMBUDSMAN_DECISIONS, Learning
from ..core.settings import Settings
from ..files.collector import collector_paused
from .statistics import AVERAGE, ITEM, TOTAL, Row, Table

CODE_START = dt.date(2026, 4, 1)

# The Code's requirements for the self-assessment, with what the toolkit measures for each (a table id) or ''.
# The wording is the council's checklist, not the Code's text: councils edit it on the Self-assessment sheet.
REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("The council uses the Code's definition of a complaint and publishes its complaints policy.", ""),
    ("Complaints can be made in person, by telephone, in writing and online; reasonable adjustments are made and recorded.", ""),
    ("A member of the governing body is the Member Responsible for Complaints and receives regular figures.", ""),
    ("Complaints are acknowledged within 5 working days of receipt.", "c2"),
    ("Stage 1 responses are sent within 10 working days of the acknowledgement.", "c3"),
    ("Stage 1 extensions are no more than 10 further working days and the complainant is told why.", "c4"),
    ("Stage 2 requests are acknowledged and answered within 20 working days of the acknowledgement.", "c5"),
    ("Where a complaint is not accepted, the reasons are recorded and explained to the complainant.", "c6"),
    ("Complaints are decided on their merits, and the outcome at each stage is recorded.", "c7"),
    ("Where something went wrong, the council puts it right: apology, explanation, service or payment.", "c9"),
    ("The Ombudsman's decisions are recorded, and its remedies are complied with by the date it sets.", "c12"),
    ("Learning from complaints is turned into actions with an owner and a date, and followed to completion.", "c13"),
    ("Themes in complaints are analysed by service and by the nature of the complaint.", "c14"),
    ("This report, with the governing body's response, is published each year with the self-assessment.", ""),
)


@dataclass
class CodeReport:
    stats: statistics.Statistics
    as_at: dt.date  # what "overdue" is judged against: the year end, or the day the report was made if sooner
    self_assessment: list[dict] = field(default_factory=list)  # Requirement, Measured, Evidence, Commentary

    @property
    def title(self) -> str:
        return f"Annual complaints performance and service improvement report {self.stats.period.label}"


def _in(days, first: dt.date, last: dt.date) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    return ~np.isnat(days) & (days >= np.datetime64(first, "D")) & (days <= np.datetime64(last, "D"))


def _items(pairs, total_label: str, total_key: str = "total") -> list[Row]:
    """Item rows adding up to a total (percentages of the total)."""
    rows = [Row(key, label, ITEM, int(n), parent=total_key, base=total_key) for key, label, n in pairs]
    rows.append(Row(total_key, total_label, TOTAL, int(sum(n for _, _, n in pairs)), base=total_key))
    return rows


def corporate_references(table: pd.DataFrame) -> set[str]:
    """The references on the corporate route (as recorded, or as the status engine suggests)."""
    routes = status.route(table)
    refs = table["reference"].to_numpy(dtype=object)
    return {str(r).upper() for r in refs[routes == schema.CORPORATE] if r}


def build(table: pd.DataFrame, learning: Learning, settings: Settings, year: int, as_of: dt.date,
          self_assessment_rows: list[dict] | None = None, lists=None, holds: pd.DataFrame | None = None) -> CodeReport:
    """The Code report's figures.

    `lists`: the council's Lists sheet (`category_lists.from_rows`), for the themes' rows;
    `holds`: the Holds sheet (`register.validate_holds`), whose holds move the due dates.
    """
    period = statistics.reporting_period(year, settings.year_start_month)
    first, last = period.start, period.end
    as_at = min(last, as_of)
    cal = settings.calendar
    book = settings.rulebook_for(schema.CORPORATE)
    periods = {m.key: m for m in book.milestones}
    routes = status.route(table)
    kind = table["representation_type"].to_numpy(dtype=object)
    received = table["date_received"].to_numpy(dtype="datetime64[D]")
    corporate = routes == schema.CORPORATE
    in_year = corporate & _in(received, first, last)
    complaints = in_year & np.isin(kind, schema.COMPLAINT_TYPES)
    sub = table[complaints]
    when = status.timeline(sub, settings, as_at, holds)
    tables: list[Table] = []

    # c1: what came in
    s2 = int(sub["s2_requested"].notna().sum())
    tables.append(Table("c1", "Corporate complaints received", "Complaints", "complaints received in the year", [
        Row("total", "Complaints received", TOTAL, int(len(sub))),
        Row("s1", "Stage 1 responses sent", ITEM, int(sub["s1_response_sent"].notna().sum())),
        Row("s2", "Asked for stage 2", ITEM, s2),
    ]))

    # c2: acknowledgement
    ack = sub["s1_acknowledged"].to_numpy(dtype="datetime64[D]")
    ack_due = when["s1_acknowledgement_due"].to_numpy(dtype="datetime64[D]")
    has = ~np.isnat(ack)
    on_time = has & (ack <= ack_due)
    tables.append(Table("c2", f"Acknowledged within {periods['s1_acknowledgement'].period} working days", "Acknowledgements",
                        "complaints acknowledged", _items([
                            ("within", f"Within {periods['s1_acknowledgement'].period} working days", int(on_time.sum())),
                            ("later", "Later", int((has & ~on_time).sum())),
                        ], "Acknowledged")))

    tables.append(_timeliness("c3", "Stage 1 responses", sub, when, cal, periods["s1_response"], "s1_acknowledged",
                              "s1_acknowledgement_due", "s1_response_sent", "s1_extended", "s1_response_due"))
    tables.append(_extensions(sub, when, cal, periods))
    tables.append(_timeliness("c5", "Stage 2 responses", sub, when, cal, periods["s2_response"], "s2_accepted",
                              "s2_acknowledgement_due", "s2_adjudication_sent", "s2_extended", "s2_response_due"))

    # c6: refusals by reason
    refused = table[in_year & (kind == schema.REFUSED)]
    reasons = refused["refusal_reason"].replace("", "Not recorded")
    tables.append(Table("c6", "Complaints not accepted, by reason", "Reason", "corporate representations refused",
                        _items([(f"r{i}", r, int((reasons == r).sum())) for i, r in enumerate(category_lists.values("refusal_reason", lists) + ("Not recorded",))
                                if (reasons == r).any() or r != "Not recorded"], "Refused")))

    # c6s: service requests (the Code, section 1: not complaints, but recorded and reviewed), received in the year
    asked = [r for r in learning.service_requests if r["date_received"] and first <= r["date_received"] <= last]
    tables.append(Table("c6s", "Service requests, by type", "Request type", "service requests received in the year",
                        _items([(f"t{i}", t, sum(1 for r in asked if r["request_type"] == t)) for i, t in enumerate(schema.SERVICE_REQUEST_TYPES)], "Service requests")
                        + [Row("resolved", "Answered by the year end", ITEM, sum(1 for r in asked if r["date_resolved"] and r["date_resolved"] <= as_at), base="total"),
                           Row("complained", "Led to a complaint", ITEM, sum(1 for r in asked if r["became_a_complaint"]), base="total")]))

    # c7, c8: outcomes
    for tid, key, label in (("c7", "s1_outcome", "Stage 1"), ("c8", "s2_outcome", "Stage 2")):
        values = sub[key]
        tables.append(Table(tid, f"{label} outcomes", "Outcome", f"{label.lower()} decisions on complaints received in the year",
                            _items([(f"o{i}", o, int((values == o).sum())) for i, o in enumerate(schema.OUTCOMES)], "Decided")))

    corp = corporate_references(table)
    # c9, c10: remedies offered in the year
    remedies = [r for r in learning.remedies if r.reference.upper() in corp and r["date_offered"] and first <= r["date_offered"] <= last]
    tables.append(Table("c9", "Remedies offered", "Remedy", "remedies offered in the year",
                        _items([(f"k{i}", k, sum(1 for r in remedies if r["remedy"] == k)) for i, k in enumerate(REMEDY_KINDS)], "Remedies")))
    money = [r for r in remedies if r["amount"] is not None]
    total = float(sum(r["amount"] for r in money)) if money else None
    tables.append(Table("c10", "Payments offered", "Payments", "financial remedies and time and trouble payments offered in the year", [
        Row("count", "Payments offered", TOTAL, len(money)),
        Row("amount", "Total offered (£)", AVERAGE, total, cases=len(money)),
        Row("paid", "Paid by the year end", ITEM, sum(1 for r in money if r["date_done"] and r["date_done"] <= as_at), base="count"),
    ]))

    # c11, c12: the Ombudsman
    cases = [c for c in learning.ombudsman if c.reference.upper() in corp]
    decided = [c for c in cases if c["decision_date"] and first <= c["decision_date"] <= last and c["decision"]]
    tables.append(Table("c11", "The Ombudsman's decisions", "Decision", "Ombudsman decisions made in the year",
                        _items([(f"d{i}", d, sum(1 for c in decided if c["decision"] == d)) for i, d in enumerate(OMBUDSMAN_DECISIONS)], "Decisions")))
    due = [c for c in cases if c["comply_by"] and first <= c["comply_by"] <= last]
    on_time_c = sum(1 for c in due if c["date_complied"] and c["date_complied"] <= c["comply_by"])
    late_c = sum(1 for c in due if c["date_complied"] and c["date_complied"] > c["comply_by"])
    overdue_c = sum(1 for c in due if not c["date_complied"] and c["comply_by"] < as_at)
    pending_c = len(due) - on_time_c - late_c - overdue_c
    tables.append(Table("c12", "Compliance with the Ombudsman's remedies", "Remedies due", "Ombudsman remedies due in the year",
                        _items([("on_time", "Complied with by the date set", on_time_c), ("late", "Complied with late", late_c),
                                ("overdue", "Not yet complied with: overdue", overdue_c), ("pending", "Not yet due", pending_c)], "Remedies due")))

    # c13: actions due in the year
    actions = [a for a in learning.actions if a.reference.upper() in corp and a["due_date"] and first <= a["due_date"] <= last]
    done_on = sum(1 for a in actions if a["completed_date"] and a["completed_date"] <= a["due_date"])
    done_late = sum(1 for a in actions if a["completed_date"] and a["completed_date"] > a["due_date"])
    overdue = sum(1 for a in actions if not a["completed_date"] and a["due_date"] < as_at)
    tables.append(Table("c13", "Learning actions", "Actions due", "actions due in the year",
                        _items([("on_time", "Done by the due date", done_on), ("late", "Done late", done_late),
                                ("overdue", "Not done: overdue", overdue), ("pending", "Not yet due", len(actions) - done_on - done_late - overdue)],
                               "Actions due")))

    # c14, c15: themes
    for tid, key, label in (("c14", "service", "Service"), ("c15", "nature", "Nature")):
        values = category_lists.values(key, lists)
        col = sub[key].replace("", "Not recorded")
        listed = [v for v in values + ("Not recorded",) if (col == v).any()]
        tables.append(Table(tid, f"Complaints by {label.lower()}", label, "complaints received in the year",
                            _items([(f"v{i}", v, int((col == v).sum())) for i, v in enumerate(listed)], "Complaints")))

    for t in tables:
        statistics._derive(t, False)
    stats = statistics.Statistics(period, statistics.reporting_period(year - 1, settings.year_start_month), as_of,
                                  settings.council_name, settings.department, tables)
    if first < CODE_START:
        stats.notes.append(f"The Code applies to complaints from {long_date(CODE_START)}; this year starts earlier.")
    report = CodeReport(stats, as_at)
    report.self_assessment = self_assessment(report, self_assessment_rows)
    return report


def _timeliness(tid, label, sub, when, cal, milestone, from_key, from_due_key, done_key, extended_key, due_key) -> Table:
    start = sub[from_key].to_numpy(dtype="datetime64[D]")
    start = np.where(np.isnat(start), when[from_due_key].to_numpy(dtype="datetime64[D]"), start)
    sent = sub[done_key].to_numpy(dtype="datetime64[D]")
    code_due = cal.add_array(start, milestone.period)
    allowed = when[due_key].to_numpy(dtype="datetime64[D]")
    has = ~np.isnat(sent)
    within = has & (sent <= code_due)
    extended = has & ~within & (sub[extended_key].to_numpy(dtype=object) == schema.YES) & (sent <= allowed)
    late = has & ~within & ~extended
    return Table(tid, f"{label}: within {milestone.period} working days", "Responses", f"{label.lower()} sent",
                 _items([("within", f"Within {milestone.period} working days", int(within.sum())),
                         ("extended", "Within the extended time", int(extended.sum())),
                         ("late", "Late", int(late.sum()))], "Responses sent"))


def _extensions(sub, when, cal, periods) -> Table:
    rows = []
    for stage, m, from_key, from_due, done_key, ext_key in (
        ("Stage 1", periods["s1_response"], "s1_acknowledged", "s1_acknowledgement_due", "s1_response_sent", "s1_extended"),
        ("Stage 2", periods["s2_response"], "s2_accepted", "s2_acknowledgement_due", "s2_adjudication_sent", "s2_extended"),
    ):
        extended = sub[ext_key].to_numpy(dtype=object) == schema.YES
        start = sub[from_key].to_numpy(dtype="datetime64[D]")
        start = np.where(np.isnat(start), when[from_due].to_numpy(dtype="datetime64[D]"), start)
        sent = sub[done_key].to_numpy(dtype="datetime64[D]")
        answered = extended & ~np.isnat(sent) & ~np.isnat(start)
        extra = np.maximum(cal.count_array(start[answered], sent[answered]) - m.period, 0)
        n = int(answered.sum())
        key = stage[-1]
        rows += [
            Row(f"n{key}", f"{stage}: extensions agreed", ITEM, int(extended.sum())),
            Row(f"avg{key}", f"{stage}: average working days beyond the Code's time", AVERAGE, round(float(extra.mean()), 1) if n else None, cases=n),
            Row(f"max{key}", f"{stage}: longest, in working days", AVERAGE, int(extra.max()) if n else None, cases=n),
        ]
    return Table("c4", "Extensions used, and how long", "Extensions", "complaints whose response time was extended", rows)


def self_assessment(report: CodeReport, rows: list[dict] | None) -> list[dict]:
    """The council's Self-assessment rows (or the toolkit's list), each with what the toolkit measured for it."""
    rows = rows if rows else [{"Requirement": r, "Evidence": "", "Commentary": ""} for r, _ in REQUIREMENTS]
    measures = dict(REQUIREMENTS)
    out = []
    for row in rows:
        measured = measures.get(row.get("Requirement", ""), "")
        out.append({**row, "Measured": headline(report, measured) if measured else ""})
    return out


def headline(report: CodeReport, table_id: str) -> str:
    """One sentence of what the toolkit measured for a requirement (suppressed numbers stay hidden)."""
    t = report.stats.table(table_id)
    marker = report.stats.marker

    def show(r: Row) -> str:
        if r.hidden:
            return marker
        if r.number is None:
            return "none"
        text = f"{r.number:g}" if isinstance(r.number, (int, float)) else str(r.number)
        return text + (f" ({r.percent:.0f}%)" if r.percent is not None and r.role == ITEM else "")

    shown = [r for r in t.rows if r.role == ITEM]
    if table_id in ("c14", "c15"):  # themes: the commonest first
        shown.sort(key=lambda r: -(r.number or 0) if not r.hidden else 0)
    shown = shown[:3]
    total = next((r for r in t.rows if r.role == TOTAL), None)
    parts = [f"{r.label}: {show(r)}" for r in shown]
    if total is not None:
        parts.append(f"of {show(total)} {total.label.lower()}")
    return "; ".join(parts) + "."


# --- reading the register for the report --------------------------------------------------

# The Register's columns the report reads: every input column but the personal ones (names,
# addresses, contact details, a child's date of birth) and the equality monitoring, which it never counts.
READ_KEYS = tuple(c.key for c in schema.INPUT_COLUMNS if not c.sensitive)


@dataclass
class CodeReportInput:
    """What the report is made from: the corporate route's rows, their learning items, the council's sheets."""

    table: pd.DataFrame
    learning: Learning
    settings: Settings
    lists: dict
    self_assessment: list[dict]
    holds: pd.DataFrame | None
    problems: list  # register.Problem: the rows read and their items, by sheet, row and column
    settings_problems: list[str]
    notes: list[str]
    statutory_rows: int  # rows left unread: recorded as Statutory


# What every corporate row is read for, whatever year it was received in: its route and the
# references and dates its Actions, Remedies and Ombudsman cases rows are checked against.
ROUTE_KEYS = ("reference", "date_received", "procedure", "service")


@collector_paused()
def read_for_code_report(path, year: int, settings: Settings | None = None) -> CodeReportInput:
    """Read only what the Code report for `year` counts: the corporate route's rows, and their learning items.

    A row whose Procedure says Statutory is on the statutory route whatever else it
    holds (`status.route`), so it is left unread. Every other row is typed by
    `register.validate` with the council's Lists sheet, as reading the whole register
    types it: its reference, date received, procedure and service (for the route, and
    for its learning items from any year), and, for a row received in the reporting
    year, every column the report or the due dates use. The Actions, Remedies and
    Ombudsman cases rows of the corporate complaints are validated by
    `learning.validate`. Problems are those of the cells read ('xl-complaints check'
    tells every cell's).
    """
    from ..core import learning as learning_sheets
    from ..core.register import validate_holds
    from ..core.register_columns import cells_grid, validate_by_value
    from ..core.settings import settings_from_rows
    from ..files.learning_sheets import read_with_register

    cells, sheets, assessment = read_with_register(path, settings_sheet=settings is None, self_assessment=True)  # one opening of the file
    settings_problems: list[str] = []
    if settings is None:
        settings, settings_problems = settings_from_rows(cells.settings_rows)
    lists = category_lists.from_rows(cells.lists_rows)
    period = statistics.reporting_period(year, settings.year_start_month)
    positions: dict[str, int] = {}
    for i, header in enumerate(cells.headers):
        col = schema.BY_HEADER.get(schema.normalise_header(header))
        if col is not None and col.key in READ_KEYS and col.key not in positions:
            positions[col.key] = i
    grid = cells_grid(cells.body, max(positions.values(), default=0) + 1)
    first_row, header_row = cells.header_row + 1, cells.header_row

    def typed(keys: list[str], rows: np.ndarray):
        sub = np.full((len(grid), len(keys)), None, dtype=object)  # the rows not wanted stay empty: validate skips them
        sub[rows] = grid[np.ix_(np.flatnonzero(rows), [positions[k] for k in keys])]
        return validate_by_value([schema.column(k).header for k in keys], sub, sheet=cells.sheet, first_row=first_row,
                                 header_row=header_row, lists=lists)

    n = len(grid)
    if "procedure" in positions:
        procedure = pd.Series(grid[:, positions["procedure"]], dtype=object)
        statutory = (procedure.map(lambda v: isinstance(v, str)) & procedure.astype(str).str.strip().str.lower().eq(schema.STATUTORY.lower())).to_numpy()
    else:
        statutory = np.zeros(n, dtype=bool)
    route_keys = [k for k in ROUTE_KEYS if k in positions]
    first = typed(route_keys, ~statutory)
    table, problems = first.table[route_keys], list(first.problems)
    received = table["date_received"].to_numpy(dtype="datetime64[D]")
    in_year = _in(received, period.start, period.end)
    wanted = np.zeros(n, dtype=bool)
    wanted[table.index.to_numpy()[in_year] - first_row] = True
    rest = [k for k in READ_KEYS if k in positions and k not in route_keys]
    if rest and wanted.any():  # only the year's rows, numbered from _OFFSET, then given back their own numbers
        at = np.flatnonzero(wanted)
        keys = route_keys + rest
        second = validate_by_value([schema.column(k).header for k in keys], grid[np.ix_(at, [positions[k] for k in keys])],
                                   sheet=cells.sheet, first_row=_OFFSET, header_row=header_row, lists=lists)
        real = first_row + at
        second.table.index = pd.Index(real[second.table.index.to_numpy() - _OFFSET], name="row", dtype=np.int64)
        second.problems = [p if p.row < _OFFSET else dataclasses.replace(p, row=int(real[p.row - _OFFSET])) for p in second.problems]
        full = second.table[rest].reindex(table.index)
        for k in rest:
            if schema.column(k).kind is not schema.Kind.DATE:
                full[k] = full[k].fillna("").astype(object)
        table = pd.concat([table, full], axis=1)
        problems += [p for p in second.problems if p.row != header_row and p.column not in {schema.column(k).header for k in route_keys}]
    # The header's problems: only a column the report reads that the sheet has not got (not the ones left unread on purpose).
    absent = {schema.column(k).header for k in READ_KEYS if k not in positions}
    problems = [p for p in problems if p.row != header_row or p.column in absent]
    for col in schema.INPUT_COLUMNS:  # the columns not read (or not in this register): empty, as validate leaves them
        if col.key not in table.columns:
            table[col.key] = pd.array(np.full(len(table), NaT_s)) if col.kind is schema.Kind.DATE else np.full(len(table), "", dtype=object)
    holds = None
    if cells.holds_rows:
        holds, _ = validate_holds(cells.holds_rows[0], cells.holds_rows[1:])
    refs = table["reference"].astype(str).str.strip().str.upper()
    used: set[str] = set()
    known = set(refs[refs != ""])
    picked: dict[str, list[int]] = {}
    became_refs: set[str] = set()
    for sheet, (headers, sheet_rows, sheet_header) in sheets.items():
        ref_at = next((i for i, h in enumerate(headers) if schema.normalise_header(h) == "reference"), None)
        dated = [i for i, h in enumerate(headers) if schema.normalise_header(h) in _LEARNING_DATES]
        theirs = [str(r[ref_at] or "").strip().upper() if ref_at is not None and ref_at < len(r) else "" for r in sheet_rows]
        if sheet == learning_sheets.SERVICE_REQUESTS:  # not tied to a complaint: every one, as the whole register gives them
            keep = [True] * len(sheet_rows)
            became = next((i for i, h in enumerate(headers) if schema.normalise_header(h) == "became a complaint"), None)
            if became is not None:  # the complaints they became, whatever their procedure, are looked up too
                became_refs.update(str(r[became]).strip().upper() for r in sheet_rows if became < len(r) and r[became] not in (None, ""))
        elif sheet == learning_sheets.OMBUDSMAN:  # every case of the complaints read, so a case reference used twice is found
            keep = [ref in known for ref in theirs]
        else:
            keep = [ref in known and _may_be_in(r, dated, period) for r, ref in zip(sheet_rows, theirs)]
        used.update(ref for ref, k in zip(theirs, keep) if k)
        picked[sheet] = [i for i, k in enumerate(keep) if k]
    used |= became_refs
    references = learning_sheets.register_references(table[refs.isin(used).to_numpy()])  # every item's complaint is there
    if became_refs - set(references) and "reference" in positions:  # a service request that became a statutory complaint
        grid_refs = np.array([str(v).strip().upper() if v is not None else "" for v in grid[:, positions["reference"]]], dtype=object)
        others = statutory & np.isin(grid_refs, list(became_refs - set(references)))
        if others.any():
            for ref, day in learning_sheets.register_references(typed(["reference", "date_received"], others).table).items():
                references.setdefault(ref, day)
    items = learning_sheets.Learning(present=tuple(s for s in learning_sheets.SHEETS if s in sheets))
    for sheet in learning_sheets.SHEETS:
        if sheet not in sheets:
            continue
        headers, sheet_rows, sheet_header = sheets[sheet]
        if sheet == learning_sheets.OMBUDSMAN:  # in place (a problem names another row of the sheet), the rest left empty
            wanted = set(picked[sheet])
            rows_read = [r if i in wanted else [] for i, r in enumerate(sheet_rows)]
            found, found_problems = learning_sheets.validate_sheet(sheet, headers, rows_read, references, sheet_header + 1, sheet_header)
        else:  # only the rows read, numbered from _OFFSET, then given back their own numbers
            found, found_problems = learning_sheets.validate_sheet(sheet, headers, [sheet_rows[i] for i in picked[sheet]], references,
                                                                   _OFFSET, sheet_header)
            real = [sheet_header + 1 + i for i in picked[sheet]]
            for item in found:
                item.row = real[item.row - _OFFSET]
            found_problems = [p if p.row < _OFFSET else dataclasses.replace(p, row=real[p.row - _OFFSET]) for p in found_problems]
        items.items(sheet).extend(found)
        items.problems.extend(found_problems)
    items.problems.sort(key=lambda p: (learning_sheets.SHEETS.index(p.sheet), p.row, p.column))
    problems += items.problems
    return CodeReportInput(table, items, settings, lists, self_assessment_rows(assessment), holds, problems, settings_problems,
                           list(cells.notes), int(statutory.sum()))


NaT_s = np.datetime64("NaT", "s")
_OFFSET = 10**9  # the learning rows read are numbered from here, then given back their sheet's numbers
# The learning sheets' dates by which the report counts an item in the year (remedies offered, decisions made,
# remedies and actions due): a row with none of them in the year, all real dates, is not the year's.
_LEARNING_DATES = {schema.normalise_header(h) for h in ("Date offered", "Decision date", "Comply by", "Due date")}


def _may_be_in(row: list, dated: list[int], period) -> bool:
    """Whether a learning row might be counted in the year: a date in it, or a date cell that is not a real date yet."""
    for i in dated:
        value = row[i] if i < len(row) else None
        if value is None or value == "":
            continue
        if not isinstance(value, dt.date):
            return True  # text, a number: `learning.validate` judges it
        day = value.date() if isinstance(value, dt.datetime) else value
        if period.start <= day <= period.end:
            return True
    return False


def read_self_assessment(path) -> list[dict]:
    """The register's Self-assessment sheet as rows (Requirement, Evidence, Commentary); [] when it has none."""
    from ..files.learning_sheets import SELF_ASSESSMENT, read_cells_of

    return self_assessment_rows(read_cells_of(path, (SELF_ASSESSMENT,)).get(SELF_ASSESSMENT))


def self_assessment_rows(rows: list[list] | None) -> list[dict]:
    """The Self-assessment sheet's cells (from A1; None: no sheet) as rows (Requirement, Evidence, Commentary)."""
    if not rows:
        return []
    at = next((i for i, r in enumerate(rows[:10]) if any(schema.normalise_header(v) == "requirement" for v in r)), None)
    if at is None:
        return []
    headers = [str(h).strip() for h in rows[at]]
    out = []
    for row in rows[at + 1 :]:
        record = {h: ("" if v is None else str(v).strip()) for h, v in zip(headers, row) if h in ("Requirement", "Evidence", "Commentary")}
        if record.get("Requirement"):
            out.append(record)
    return out


def suppressed(report: CodeReport, under: int) -> CodeReport:
    stats = statistics.suppress(report.stats, under)
    out = CodeReport(stats, report.as_at)
    out.self_assessment = self_assessment(out, [{k: v for k, v in r.items() if k != "Measured"} for r in report.self_assessment])
    return out
