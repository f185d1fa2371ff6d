"""The quarterly summary for the Member Responsible for Complaints: one or two pages of figures.

The Complaint Handling Code asks that the Member Responsible for Complaints gets
regular figures through the year, not only the annual report. This is that
summary for one quarter of the reporting year, with the quarter before beside it:
complaints received (statutory and corporate), responses sent and whether they
were sent by their due date, the services and natures complained about most,
learning actions due and overdue, and the Ombudsman's cases. Small numbers are
suppressed exactly as in the annual reports (`statistics.suppress`).

Counting rules (also printed on the summary):

* Quarters are of the reporting year (the register's setting 'Reporting year
  starts in month'): with April, quarter 1 is April to June, so 2026-Q3 is
  October to December 2026, the third quarter of 2026/27.
* Complaints: representations of type Complaint, Pre-complaint, Area initiated
  complaint or LGO *received* in the quarter, on their route (the Procedure
  recorded, else the one the register suggests).
* Responses: those *sent* in the quarter; "by the due date" is against the due
  date the register shows for that step (its rulebook, agreed extensions and
  holds), the same date its RAG is judged by.
* Everything is as at the quarter's last day (or the day the summary is made, if
  sooner): anything dated later has not happened yet.
* No names, references or free text: counts only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import category_lists, schema, status
from ..core.dates import MONTHS, as_of_or_today
from ..core.learning import OMBUDSMAN_DECISIONS, Learning
from ..core.settings import Settings
from . import statistics
from .statistics import AVERAGE, HEADING, ITEM, TOTAL, Row, Statistics, Table, long_date

TOP = 5  # the services and natures named; the rest are one row


@dataclass(frozen=True)
class Quarter(statistics.Period):
    number: int = 1
    year_label: str = ""

    @property
    def label(self) -> str:
        """'Quarter 3 2026/27'."""
        return f"Quarter {self.number} {self.year_label}"

    @property
    def months(self) -> str:
        """'October to December 2026'."""
        first, last = MONTHS[self.start.month - 1], MONTHS[self.end.month - 1]
        if self.start.year == self.end.year:
            return f"{first} to {last} {self.end.year}"
        return f"{first} {self.start.year} to {last} {self.end.year}"


def quarter(year: int, number: int, start_month: int = 4) -> Quarter:
    """Quarter `number` (1 to 4) of the reporting year that starts in `year`."""
    if not 1 <= int(number) <= 4:
        raise ValueError(f"A reporting year has quarters 1 to 4, not {number}.")
    period = statistics.reporting_period(year, start_month)
    first_month = (period.start.month - 1 + 3 * (number - 1)) % 12 + 1
    first_year = period.start.year + (period.start.month - 1 + 3 * (number - 1)) // 12
    start = dt.date(first_year, first_month, 1)
    after = dt.date(first_year + (first_month + 2) // 12, (first_month + 2) % 12 + 1, 1)
    return Quarter(year, start, after - dt.timedelta(days=1), number=number, year_label=period.label)


def previous(q: Quarter, start_month: int = 4) -> Quarter:
    return quarter(q.year, q.number - 1, start_month) if q.number > 1 else quarter(q.year - 1, 4, start_month)


_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*Q\s*([1-4])\s*$", re.IGNORECASE)


def parse_quarter(text: str, start_month: int = 4) -> Quarter:
    """'2026-Q3' (also '2026 Q3', '2026q3'): the third quarter of the reporting year starting in 2026."""
    found = _QUARTER.match(str(text or ""))
    if not found:
        raise ValueError("The quarter is the reporting year and the quarter's number, for example 2026-Q3 "
                         "(the third quarter of the year that starts in 2026).")
    return quarter(int(found.group(1)), int(found.group(2)), start_month)


def quarter_containing(day: dt.date, start_month: int = 4) -> Quarter:
    year = statistics.year_containing(day, start_month)
    number = ((day.month - start_month) % 12) // 3 + 1
    return quarter(year, number, start_month)


def last_finished(day: dt.date, start_month: int = 4) -> Quarter:
    """The last quarter that ended before `day` (the default summary)."""
    return previous(quarter_containing(day, start_month), start_month)


# --- the figures -----------------------------------------------------------------------


def _in(days, first: dt.date, last: dt.date) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    return ~np.isnat(days) & (days >= np.datetime64(first, "D")) & (days <= np.datetime64(last, "D"))


def _dates(table: pd.DataFrame, key: str, cutoff: dt.date) -> np.ndarray:
    values = table[key].to_numpy(dtype="datetime64[D]").copy() if key in table.columns else np.full(len(table), np.datetime64("NaT", "D"))
    values[values > np.datetime64(cutoff, "D")] = np.datetime64("NaT", "D")
    return values


def _item_dates(items, key: str, cutoff: dt.date | None = None) -> np.ndarray:
    out = np.array([i[key] for i in items], dtype="datetime64[D]") if items else np.zeros(0, dtype="datetime64[D]")
    if cutoff is not None and len(out):
        out[out > np.datetime64(cutoff, "D")] = np.datetime64("NaT", "D")
    return out


def _rows_of(q: Quarter, table: pd.DataFrame, learning: Learning, settings: Settings, holds, lists) -> dict[str, list[Row]]:
    """Every table's rows for one quarter, as at its last day."""
    at = q.end
    routes = status.route(table)
    kind = table["representation_type"].to_numpy(dtype=object)
    received = _dates(table, "date_received", at)
    got = _in(received, q.start, q.end)
    complaint = np.isin(kind, schema.COMPLAINT_TYPES)
    statutory, corporate = routes == schema.STATUTORY, routes == schema.CORPORATE
    out: dict[str, list[Row]] = {}

    stat_n, corp_n = int((got & complaint & statutory).sum()), int((got & complaint & corporate).sum())
    s2 = _dates(table, "s2_requested", at)
    s3 = _dates(table, "s3_requested", at)
    out["received"] = [
        Row("statutory", "Children's social care (statutory) complaints", ITEM, stat_n, parent="total", base="total"),
        Row("corporate", "Corporate complaints", ITEM, corp_n, parent="total", base="total"),
        Row("total", "All complaints received", TOTAL, stat_n + corp_n, base="total", population="received"),
        Row("others", "Also received", HEADING),
        Row("s2", "Requests for stage 2", ITEM, int(_in(s2, q.start, q.end).sum())),
        Row("s3", "Requests for a stage 3 review panel", ITEM, int(_in(s3, q.start, q.end).sum())),
        Row("refused", "Representations refused", ITEM, int((got & (kind == schema.REFUSED)).sum())),
        Row("compliments", "Compliments", ITEM, int((got & (kind == schema.COMPLIMENT)).sum())),
    ]

    when = status.timeline(table, settings, at, holds)
    rows: list[Row] = []
    for stage, sent_key, due_key, title in (
        (1, "s1_response_sent", "s1_response_due", "Stage 1 responses"),
        (2, "s2_adjudication_sent", "s2_response_due", "Stage 2 responses (adjudications)"),
        (3, "s3_response_sent", "s3_response_due", "Stage 3 responses to the review panel"),
    ):
        sent = _dates(table, sent_key, at)
        due = when[due_key].to_numpy(dtype="datetime64[D]") if due_key in when.columns else np.full(len(table), np.datetime64("NaT", "D"))
        mask = complaint & _in(sent, q.start, q.end)
        on_time = mask & ~np.isnat(due) & (sent <= due)
        late = mask & ~np.isnat(due) & (sent > due)
        total = f"s{stage}:total"
        rows += [
            Row(f"s{stage}", title, HEADING),
            Row(f"s{stage}:on_time", "- sent by the due date", ITEM, int(on_time.sum()), parent=total, base=total),
            Row(f"s{stage}:late", "- sent after it", ITEM, int(late.sum()), parent=total, base=total),
            Row(f"s{stage}:undated", "- no due date worked out (dates missing)", ITEM, int((mask & np.isnat(due)).sum()),
                parent=total, base=total, optional=True),
            Row(total, f"{title} sent", TOTAL, int(mask.sum()), base=total),
        ]
    out["timeliness"] = rows

    for tid, key in (("services", "service"), ("natures", "nature")):
        values = table[key].to_numpy(dtype=object)[got & complaint]
        counts = pd.Series(values, dtype=object).replace("", "Not recorded").value_counts()
        order = [v for v in category_lists.values(key, lists) if v in counts.index] + (["Not recorded"] if "Not recorded" in counts.index else [])
        out[tid] = [Row(v, v, ITEM, int(counts[v]), parent="total", base="total") for v in order]
        out[tid].append(Row("total", "All complaints received", TOTAL, int(len(values)), base="total", population="received"))

    actions = learning.actions
    due = _item_dates(actions, "due_date")
    done = _item_dates(actions, "completed_date", at)
    in_q = _in(due, q.start, q.end)
    finished = ~np.isnat(done)
    overdue_now = ~np.isnat(due) & (due < np.datetime64(at, "D")) & ~finished
    out["actions"] = [
        Row("on_time", "- done by the due date", ITEM, int((in_q & finished & (done <= due)).sum()), parent="total", base="total"),
        Row("late", "- done after it", ITEM, int((in_q & finished & (done > due)).sum()), parent="total", base="total"),
        Row("overdue", "- not done: overdue", ITEM, int((in_q & overdue_now).sum()), parent="total", base="total"),
        Row("open", "- not done: not yet due", ITEM, int((in_q & ~finished & ~overdue_now).sum()), parent="total", base="total"),
        Row("total", "Learning actions due in the quarter", TOTAL, int(in_q.sum()), base="total"),
        Row("all_overdue", "Learning actions overdue at the end of the quarter (due in any quarter)", ITEM, int(overdue_now.sum())),
    ]

    cases = learning.ombudsman
    got_case = _in(_item_dates(cases, "date_received", at), q.start, q.end)
    decided = _in(_item_dates(cases, "decision_date", at), q.start, q.end)
    decisions = np.array([c["decision"] or "" for c in cases], dtype=object)
    comply_by = _item_dates(cases, "comply_by")
    complied = _item_dates(cases, "date_complied", at)
    due_q = _in(comply_by, q.start, q.end)
    remedy_overdue = ~np.isnat(comply_by) & (comply_by < np.datetime64(at, "D")) & np.isnat(complied)
    rows = [Row("enquiries", "Enquiries and complaints received from the Ombudsman", ITEM, int(got_case.sum())),
            Row("decisions", "The Ombudsman's decisions made in the quarter", HEADING)]
    rows += [Row(f"d:{d}", f"- {d}", ITEM, int((decided & (decisions == d)).sum()), parent="decided", base="decided", optional=True)
             for d in OMBUDSMAN_DECISIONS]
    rows.append(Row("d:", "- decision not recorded", ITEM, int((decided & (decisions == "")).sum()), parent="decided", base="decided", optional=True))
    rows.append(Row("decided", "Decisions made", TOTAL, int(decided.sum()), base="decided"))
    rows += [
        Row("remedies", "Remedies the Ombudsman set for the quarter", HEADING),
        Row("r:on_time", "- complied with by the date set", ITEM, int((due_q & ~np.isnat(complied) & (complied <= comply_by)).sum()), parent="due", base="due"),
        Row("r:late", "- complied with late", ITEM, int((due_q & ~np.isnat(complied) & (complied > comply_by)).sum()), parent="due", base="due"),
        Row("r:overdue", "- not yet complied with: overdue", ITEM, int((due_q & remedy_overdue).sum()), parent="due", base="due"),
        Row("r:open", "- not yet due", ITEM, int((due_q & np.isnat(complied) & ~remedy_overdue).sum()), parent="due", base="due"),
        Row("due", "Remedies due in the quarter", TOTAL, int(due_q.sum()), base="due"),
        Row("r:all_overdue", "Remedies overdue at the end of the quarter (due in any quarter)", ITEM, int(remedy_overdue.sum())),
    ]
    out["ombudsman"] = rows
    return out


TABLES = (
    ("received", "Complaints received", "Received in the quarter"),
    ("timeliness", "Responses sent, and on time", "Sent in the quarter"),
    ("services", "Services complained about", "Service"),
    ("natures", "What the complaints were about", "Nature"),
    ("actions", "Learning actions", "Actions"),
    ("ombudsman", "The Ombudsman", "Ombudsman cases"),
)


def build(table: pd.DataFrame, learning: Learning, settings: Settings, q: Quarter, as_of: dt.date | None = None,
          holds: pd.DataFrame | None = None, lists=None) -> Statistics:
    """The quarter's tables, with the quarter before beside it, as at the quarter's end (or `as_of`, if sooner)."""
    as_of = as_of_or_today(as_of)
    if as_of < q.start:
        raise ValueError(f"{q.label} starts on {long_date(q.start)}, after the as-of date {long_date(as_of)}.")
    before = previous(q, settings.year_start_month)
    now_q = Quarter(q.year, q.start, min(q.end, as_of), number=q.number, year_label=q.year_label)
    current = _rows_of(now_q, table, learning, settings, holds, lists)
    past = _rows_of(before, table, learning, settings, holds, lists)
    tables = []
    for tid, title, heading in TABLES:
        rows = current[tid]
        themes = tid in ("services", "natures")
        if themes:  # the previous quarter counted on this quarter's commonest
            rows = _top_rows(rows, past[tid])
        old = {r.key: r for r in past[tid]}
        kept = []
        for r in rows:
            if not themes:
                o = old.get(r.key)
                r.previous = o.number if o is not None else None
            if r.optional and not r.number and not r.previous:
                continue
            kept.append(r)
        t = Table(tid, title, heading, heading, kept)
        statistics._derive(t, True)
        tables.append(t)
    stats = Statistics(q, before, as_of, settings.council_name, settings.department, tables, has_previous=True,
                       figures_at=min(q.end, as_of))
    stats.notes = counting_rules(q, before, stats.at)
    return stats


def _top_rows(rows: list[Row], previous_rows: list[Row]) -> list[Row]:
    """The TOP commonest values this quarter, the rest as one row; the previous quarter's counts for the same rows."""
    items = [r for r in rows if r.role == ITEM]
    total = next(r for r in rows if r.role == TOTAL)
    named = sorted((r for r in items if r.key != "Not recorded"), key=lambda r: -r.number)[:TOP]
    keep = {r.key for r in named}
    rest = sum(r.number for r in items if r.key not in keep)
    out = [Row(r.key, r.label, ITEM, r.number, parent="total", base="total") for r in named]
    out.append(Row("rest", "All others and not recorded", ITEM, rest, parent="total", base="total", optional=True))
    out.append(Row("total", total.label, TOTAL, total.number, base="total", population=total.population))
    if previous_rows:  # the previous quarter counted on this quarter's rows
        old = {r.key: r.number for r in previous_rows if r.role == ITEM}
        old_total = next(r.number for r in previous_rows if r.role == TOTAL)
        for r in out:
            if r.key == "total":
                r.previous = old_total
            elif r.key == "rest":
                r.previous = old_total - sum(old.get(k, 0) for k in keep)
            else:
                r.previous = old.get(r.key, 0)
    return out


def counting_rules(q: Quarter, before: Quarter, at: dt.date) -> list[str]:
    return [
        f"{q.label}: {long_date(q.start)} to {long_date(q.end)}; the previous quarter, {before.label}, {long_date(before.start)} "
        f"to {long_date(before.end)}. Quarters are of the reporting year (the register's setting 'Reporting year starts in month').",
        f"Every figure is as at {long_date(at)} (the previous quarter's as at its own last day): anything dated later is counted as "
        "not having happened yet.",
        "Complaints are representations of type Complaint, Pre-complaint, Area initiated complaint or LGO received in the quarter, "
        "under the procedure recorded (or, where none is recorded, the one the register suggests).",
        "Responses are those sent in the quarter; 'by the due date' is against the due date the register shows for that step "
        "(its rulebook, with agreed extensions and time on hold), the date its RAG is judged by.",
        "Learning actions and the Ombudsman's remedies are counted by the date they were due; those overdue are not done by the end "
        "of the quarter. The Ombudsman's enquiries are counted by the date received and its decisions by the decision date.",
        "The services and natures named are the five most common this quarter; the previous quarter is counted on the same rows.",
        "No names, references or anything typed as free text appear in this summary.",
    ]


def suppressed(stats: Statistics, under: int) -> Statistics:
    return statistics.suppress(stats, under)


def sentences(stats: Statistics) -> list[str]:
    """The headline in words, from the numbers shown (a hidden number is never written out)."""
    out = []

    def n(tid, key, prev=False):
        row = stats.table(tid).get(key)
        return None if row is None else (row.previous if prev else row.number)

    total, stat, corp, old = n("received", "total"), n("received", "statutory"), n("received", "corporate"), n("received", "total", True)
    if total is not None:
        text = f"{total} complaint{'s were' if total != 1 else ' was'} received in {stats.period.label}"
        if old is not None:
            text += f" ({old} in the previous quarter)"
        if stat is not None and corp is not None:
            text += f": {stat} under the children's statutory procedure and {corp} under the corporate procedure"
        out.append(text + ".")
    on_time, sent = n("timeliness", "s1:on_time"), n("timeliness", "s1:total")
    if on_time is not None and sent:
        row = stats.table("timeliness").row("s1:on_time")
        out.append(f"{statistics.percent_text(row.percent)} of the {sent} stage 1 responses sent were sent by their due date.")
    top = [r for r in stats.table("services").rows if r.role == ITEM and r.key != "rest" and r.number and not r.hidden]
    if top and (not stats.suppressed_under or top[0].number >= stats.suppressed_under):
        out.append(f"The service complained about most was {top[0].label} ({top[0].number}).")
    overdue = n("actions", "all_overdue")
    if overdue is not None:
        out.append(f"{overdue or 'No'} learning action{'s were' if overdue != 1 else ' was'} overdue at the end of the quarter.")
    enquiries, decided = n("ombudsman", "enquiries"), n("ombudsman", "decided")
    if enquiries is not None and decided is not None:
        out.append(f"The Ombudsman sent {enquiries or 'no'} new enquir{'ies' if enquiries != 1 else 'y'} and made "
                   f"{decided or 'no'} decision{'s' if decided != 1 else ''} in the quarter.")
    return out


# --- the Word document --------------------------------------------------------------------


def write_word(stats: Statistics, path: str | Path) -> Path:
    """One or two A4 pages: the headline, then each table with the previous quarter beside it."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    from . import statistics_export

    path = Path(path)
    q = stats.period
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(2)
    for name, size in (("Title", 16), ("Heading 1", 11)):
        doc.styles[name].font.size = Pt(size)
        doc.styles[name].paragraph_format.keep_with_next = True
        doc.styles[name].paragraph_format.space_before = Pt(6)
        doc.styles[name].paragraph_format.space_after = Pt(2)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.5)
    statistics_export._footer(section, f"{stats.council}: complaints summary, {q.label}")

    doc.add_heading(f"Complaints summary: {q.label}", level=0)
    doc.add_paragraph(f"{stats.council}, {stats.department}. For the Member Responsible for Complaints. "
                      f"{q.months}; figures as at {long_date(stats.at)}.")
    if stats.suppressed_under:
        doc.add_paragraph(statistics.suppression_note(stats.suppressed_under)).runs[0].italic = True
    for text in sentences(stats):
        doc.add_paragraph(text, style="List Bullet")
    for t in stats.tables:
        doc.add_heading(t.title, level=1)
        _table(doc, stats, t, WD_TABLE_ALIGNMENT, Cm, Pt)
    doc.add_heading("How the figures are counted", level=1)
    for note in stats.notes:
        paragraph = doc.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = Pt(7)
    doc.save(str(path))
    return path


def _table(doc, s: Statistics, t: Table, align, Cm, Pt) -> None:
    """A compact table: the quarter and the one before, with percentages and the change; small type, kept on one page."""
    from .statistics_export import display, display_change, display_percent

    heads = [t.heading, s.period.label, "%", s.previous_period.label, "%", "Change"]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = align.CENTER
    rows = [heads]
    for r in t.rows:
        if r.role == HEADING:
            rows.append([r.label] + [""] * 5)
            continue
        average = r.role == AVERAGE
        rows.append([r.label, display(r.number, r.hidden, s.marker, average, r.unit), display_percent(r.percent),
                     display(r.previous, r.previous_hidden, s.marker, average, r.unit), display_percent(r.previous_percent),
                     display_change(r.change, average, r.unit)])
    for i, values in enumerate(rows):
        cells = table.rows[0].cells if i == 0 else table.add_row().cells
        role = t.rows[i - 1].role if i else HEADING
        for j, (cell, text) in enumerate(zip(cells, values)):
            cell.text = text
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = i < len(rows) - 1  # a table is not split across the pages
            if j:
                paragraph.alignment = 2
            for run in paragraph.runs:
                run.font.size = Pt(8)
                run.bold = role in (HEADING, TOTAL) or i == 0
    widths = [Cm(8.4)] + [Cm(1.8)] * 5
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
