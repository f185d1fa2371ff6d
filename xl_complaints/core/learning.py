"""Actions, remedies and Ombudsman cases: what the register's one-row-per-complaint cannot hold.

A complaint may lead to several learning actions, several remedies and an
Ombudsman enquiry with its own deadlines, so each is a sheet of its own, one
row per item, tied to the complaint by its Reference. This module is the pure
core: the sheets' columns (marked for sensitivity like schema.py's), the
validation of their cells (one `register.Problem` per bad cell, naming sheet,
row and column, never the value) and the deadlines every item carries, each
with a RAG rating worked out as the register's milestones are: with the one
working-day calendar and the as-of date.

Reading the sheets from a file is `files.learning_sheets`' (the open workbook's,
`excel`'s): this module is handed their cells. A register without these sheets
still works: they are simply empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from operator import itemgetter

from . import schema
from .dates import parse_date
from .money import parse_money
from .register import Problem, cell_problem
from .schema import Column, Kind, Sensitivity
from .settings import Settings

ACTIONS, REMEDIES, OMBUDSMAN, SERVICE_REQUESTS = "Actions", "Remedies", "Ombudsman cases", "Service requests"
SHEETS = (ACTIONS, REMEDIES, OMBUDSMAN, SERVICE_REQUESTS)
HEADER_SEARCH_ROWS = 10

STAGES = ("Stage 1", "Stage 2", "Stage 3", "Ombudsman")
REMEDY_KINDS = (
    "Apology",
    "Explanation",
    "Service provided",
    "Financial remedy",
    "Time and trouble payment",
)
MONEY_REMEDIES = ("Financial remedy", "Time and trouble payment")
# The Ombudsman's decisions (LGSCO decision statements); "Fault causing injustice" is where a remedy follows.
OMBUDSMAN_DECISIONS = (
    "Premature",
    "Not investigated",
    "Closed after initial enquiries",
    "No fault",
    "Fault",
    "Fault causing injustice",
    "Withdrawn",
)


@dataclass(frozen=True)
class SheetColumn(Column):
    """A column of one of the learning sheets: a register Column, plus whether it holds money."""

    money: bool = False
    required: bool = False

    @property
    def expected(self) -> str:
        if self.money:
            return "an amount of money in pounds, e.g. 250 or 250.00"
        return super().expected


REF = Kind.REFERENCE
D, C, Y, T = Kind.DATE, Kind.CATEGORY, Kind.YESNO, Kind.TEXT
FREE = Sensitivity.PERSONAL  # free text may name anyone: never echoed, never reported row by row

ACTION_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("Reference", REF, required=True, note="The complaint's Reference on the Register"),
    SheetColumn("Stage", C, STAGES, note="The stage (or the Ombudsman) the action came from"),
    SheetColumn("Ombudsman reference", REF, note="The LGSCO's case reference, when the action came from the Ombudsman"),
    SheetColumn("Action", T, sensitivity=FREE, note="What will be done (free text: never copied into reports)"),
    SheetColumn("Owning service", C, schema.SERVICES),
    SheetColumn("Owning manager", T, sensitivity=FREE),
    SheetColumn("Agreed date", D, note="The day the action was agreed"),
    SheetColumn("Due date", D, required=True, note="The day it must be done by"),
    SheetColumn("Completed date", D, note="The day it was done; leave empty until then"),
    SheetColumn("Evidence", T, sensitivity=FREE, note="Where the proof that it was done is kept (free text)"),
)

REMEDY_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("Reference", REF, required=True, note="The complaint's Reference on the Register"),
    SheetColumn("Stage", C, STAGES),
    SheetColumn("Remedy", C, REMEDY_KINDS, required=True),
    SheetColumn("Amount", T, money=True, note="Pounds, for a financial remedy or a time and trouble payment"),
    SheetColumn("Date offered", D),
    SheetColumn("Date done", D, note="The day the apology was sent, the service given or the payment made"),
)

OMBUDSMAN_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("Reference", REF, required=True, note="The complaint's Reference on the Register"),
    SheetColumn("Ombudsman reference", REF, required=True, note="The LGSCO's case reference, e.g. 25-012-345"),
    SheetColumn("Date received", D, required=True, note="The day the Ombudsman's enquiry reached the council"),
    SheetColumn("Response due", D, note="The date the Ombudsman set for the council's response"),
    SheetColumn("Response sent", D),
    SheetColumn("Decision", C, OMBUDSMAN_DECISIONS),
    SheetColumn("Decision date", D),
    SheetColumn("Remedy agreed", Y, schema.YN, note="Yes when the Ombudsman's decision asks the council for a remedy"),
    SheetColumn("Comply by", D, note="The date the Ombudsman set for the remedy to be done"),
    SheetColumn("Date complied", D, note="The day the council told the Ombudsman the remedy was done"),
)

# Service requests are not complaints (the Code, section 1), so they are not Register rows: each has
# its own reference, and the complaint's Reference only if the person later complained about the response.
SERVICE_REQUEST_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("Request reference", REF, required=True, note="The service request's own reference, e.g. SR-2026-0001"),
    SheetColumn("Date received", D, required=True, note="The day the request reached the council"),
    SheetColumn("How received", C, schema.HOW_RECEIVED),
    SheetColumn("Service", C, schema.SERVICES, note="The service asked to act"),
    SheetColumn("Request type", C, schema.SERVICE_REQUEST_TYPES, required=True,
                note="Why this is a service request, not a complaint (the Complaint Handling Code, section 1)"),
    SheetColumn("Request", T, sensitivity=FREE, note="What was asked for (free text: never copied into reports)"),
    SheetColumn("Date resolved", D, note="The day the service answered or acted; leave empty until then"),
    SheetColumn("Became a complaint", REF, note="The Register Reference of the complaint, if the person complained about the response"),
)

COLUMNS: dict[str, tuple[SheetColumn, ...]] = {ACTIONS: ACTION_COLUMNS, REMEDIES: REMEDY_COLUMNS, OMBUDSMAN: OMBUDSMAN_COLUMNS,
                                                SERVICE_REQUESTS: SERVICE_REQUEST_COLUMNS}
# The column that names each row (found by sheets_from_cells on the header row), and whose value may not repeat.
KEY_COLUMN = {ACTIONS: "reference", REMEDIES: "reference", OMBUDSMAN: "reference", SERVICE_REQUESTS: "request_reference"}
UNIQUE = {OMBUDSMAN: "ombudsman_reference", SERVICE_REQUESTS: "request_reference"}

# (sheet, earlier column, later column, what is wrong): dates that must come in this order.
ORDER_RULES: tuple[tuple[str, str, str, str], ...] = (
    (ACTIONS, "agreed_date", "due_date", "is before the agreed date"),
    (ACTIONS, "agreed_date", "completed_date", "is before the agreed date"),
    (REMEDIES, "date_offered", "date_done", "is before the date offered"),
    (OMBUDSMAN, "date_received", "response_due", "is before the Ombudsman's enquiry was received"),
    (OMBUDSMAN, "date_received", "response_sent", "is before the Ombudsman's enquiry was received"),
    (OMBUDSMAN, "date_received", "decision_date", "is before the Ombudsman's enquiry was received"),
    (OMBUDSMAN, "decision_date", "comply_by", "is before the Ombudsman's decision"),
    (OMBUDSMAN, "decision_date", "date_complied", "is before the Ombudsman's decision"),
    (SERVICE_REQUESTS, "date_received", "date_resolved", "is before the request was received"),
)
# Dates that cannot come before the complaint itself was received.
AFTER_RECEIPT = {ACTIONS: ("agreed_date", "due_date", "completed_date"), REMEDIES: ("date_offered", "date_done"), OMBUDSMAN: ("date_received",),
                 SERVICE_REQUESTS: ()}


@dataclass
class Item:
    """One row of a learning sheet, typed: dates as datetime.date or None, text '' when empty."""

    sheet: str
    row: int  # the sheet's row number
    values: dict[str, object]

    def __getitem__(self, key: str):
        return self.values.get(key)

    @property
    def reference(self) -> str:
        return str(self.values.get("reference") or "")


@dataclass
class Learning:
    """The three sheets, validated: their items and every problem found."""

    actions: list[Item] = field(default_factory=list)
    remedies: list[Item] = field(default_factory=list)
    ombudsman: list[Item] = field(default_factory=list)
    service_requests: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    present: tuple[str, ...] = ()  # the sheets the workbook has

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def items(self, sheet: str) -> list[Item]:
        return {ACTIONS: self.actions, REMEDIES: self.remedies, OMBUDSMAN: self.ombudsman, SERVICE_REQUESTS: self.service_requests}[sheet]


# --- validating -----------------------------------------------------------------------


def validate_sheet(sheet: str, headers: list, rows: list[list], references: dict[str, dt.date | None], first_row: int = 2, header_row: int = 1) -> tuple[list[Item], list[Problem]]:
    """Type one learning sheet's cells and collect its problems.

    `references` maps each Register reference (upper case) to the complaint's
    date received, so an item pointing at no complaint, or dated before the
    complaint, is found.
    """
    columns = COLUMNS[sheet]
    problems: list[Problem] = []
    at: dict[str, int] = {}
    by_header = {schema.normalise_header(c.header): c for c in columns}
    for i, text in enumerate(headers):
        col = by_header.get(schema.normalise_header(text))
        if col is not None and col.key not in at:
            at[col.key] = i
    for col in columns:
        if col.key not in at and col.required:
            problems.append(Problem(header_row, col.header, "the column is missing: add it back to the header row", sheet=sheet))
    if any(p.row == header_row for p in problems):
        return [], problems
    items: list[Item] = []
    seen: dict[str, int] = {}
    unique = UNIQUE.get(sheet)
    keys, positions = list(at), list(at.values())
    whole = itemgetter(*positions) if len(positions) > 1 else (lambda r: (r[positions[0]],))
    width = max(positions) + 1 if positions else 0
    memo: dict = {}  # (column, the cell's type, the cell) -> (typed, its problems): dates and lists repeat down a sheet
    for offset, raw in enumerate(rows):
        row = first_row + offset
        found = whole(raw) if len(raw) >= width else tuple(raw[i] if i < len(raw) else None for i in positions)
        cells = dict(zip(keys, found))
        if all(_blank(v) for v in found):
            continue
        values: dict[str, object] = {}
        for col in columns:
            values[col.key] = _typed_once(col, cells.get(col.key), row, sheet, problems, memo)
        item = Item(sheet, row, values)
        _check_item(item, references, problems)
        if unique and item[unique]:
            key = str(item[unique]).upper()
            if key in seen:
                col = _col(sheet, unique)
                named = "the Ombudsman reference" if sheet == OMBUDSMAN else "the request reference"
                problems.append(cell_problem(col, row, f"{named} is used again on row {seen[key]}", item[unique], sheet=sheet))
            else:
                seen[key] = row
        items.append(item)
    return items, problems


def _col(sheet: str, key: str) -> SheetColumn:
    return next(c for c in COLUMNS[sheet] if c.key == key)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)


def _typed_once(col: SheetColumn, value, row: int, sheet: str, problems: list[Problem], memo: dict):
    """`_typed`, each distinct cell of a column judged once (its problems are the same on every row but for the row)."""
    try:
        key = (col.key, value.__class__, value)
        hit = memo.get(key)
    except TypeError:  # unhashable: judged on its own
        return _typed(col, value, row, sheet, problems)
    if hit is None:
        said: list[Problem] = []
        hit = memo[key] = (_typed(col, value, row, sheet, said), said)
    typed, said = hit
    if said:
        problems.extend(p if p.row == row else dataclasses.replace(p, row=row) for p in said)
    return typed


def _typed(col: SheetColumn, value, row: int, sheet: str, problems: list[Problem]):
    """One cell in its type, or empty with a problem (worded without the value, except a reference)."""
    if _blank(value):
        if col.required:
            problems.append(cell_problem(col, row, f"is empty: every row needs {col.expected}", sheet=sheet))
        return None if col.kind is Kind.DATE or col.money else ""
    if col.money:
        try:
            return parse_money(value)
        except ValueError:
            problems.append(cell_problem(col, row, f"is not an amount of money: type {col.expected}", sheet=sheet))
            return None
    if col.kind is Kind.DATE:
        try:
            return parse_date(value)
        except ValueError as err:
            problems.append(cell_problem(col, row, getattr(err, "plain", "is not a date"), sheet=sheet))
            return None
    text = _text(value)
    if col.kind in (Kind.CATEGORY, Kind.YESNO):
        lookup = {v.lower(): v for v in col.values}
        if col.kind is Kind.YESNO:
            lookup.update({"y": "Yes", "n": "No"})
        found = lookup.get(" ".join(text.split()).lower())
        if found is None:
            shown = f" ({', '.join(col.values)})" if len(col.values) <= 8 else " (pick one from the cell's dropdown)"
            problems.append(cell_problem(col, row, f"is not one of the values on the list{shown}", sheet=sheet))
            return ""
        return found
    return text


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _check_item(item: Item, references: dict[str, dt.date | None], problems: list[Problem]) -> None:
    sheet, row = item.sheet, item.row
    ref = item.reference
    received = None
    if ref:
        if ref.upper() not in references:
            problems.append(cell_problem(_col(sheet, "reference"), row, "no complaint on the Register has this reference", ref, sheet=sheet))
        else:
            received = references[ref.upper()]
    for rule_sheet, first, later, wrong in ORDER_RULES:
        if rule_sheet == sheet and item[first] and item[later] and item[later] < item[first]:
            problems.append(cell_problem(_col(sheet, later), row, wrong, sheet=sheet))
    if received is not None:
        for key in AFTER_RECEIPT[sheet]:
            if item[key] and item[key] < received:
                problems.append(cell_problem(_col(sheet, key), row, "is before the complaint was received", sheet=sheet))
    if sheet == REMEDIES and item["remedy"] in MONEY_REMEDIES and item["amount"] is None and not any(p.row == row and p.column == "Amount" and p.sheet == sheet for p in problems):
        problems.append(cell_problem(_col(sheet, "amount"), row, "is empty: a payment needs its amount", sheet=sheet, severity="warning"))
    if sheet == SERVICE_REQUESTS and item["became_a_complaint"]:
        complaint = str(item["became_a_complaint"])
        col = _col(sheet, "became_a_complaint")
        if complaint.upper() not in references:
            problems.append(cell_problem(col, row, "no complaint on the Register has this reference", complaint, sheet=sheet))
        elif item["date_received"] and references[complaint.upper()] and references[complaint.upper()] < item["date_received"]:
            problems.append(cell_problem(col, row, "this complaint was received before the service request", complaint, sheet=sheet))
    if sheet == OMBUDSMAN and item["remedy_agreed"] == schema.YES and item["comply_by"] is None:
        problems.append(cell_problem(_col(sheet, "comply_by"), row, "is empty: an agreed remedy needs the date the Ombudsman set", sheet=sheet, severity="warning"))


def validate(sheets: dict[str, tuple[list, list[list], int]], register_table) -> Learning:
    """Validate whichever learning sheets there are: {sheet: (headers, rows, header_row)}.

    `register_table` is the validated Register (for the references and dates received).
    """
    references = register_references(register_table)
    out = Learning(present=tuple(s for s in SHEETS if s in sheets))
    for sheet in SHEETS:
        if sheet not in sheets:
            continue
        headers, rows, header_row = sheets[sheet]
        items, problems = validate_sheet(sheet, headers, rows, references, header_row + 1, header_row)
        out.items(sheet).extend(items)
        out.problems.extend(problems)
    out.problems.sort(key=lambda p: (SHEETS.index(p.sheet), p.row, p.column))
    return out


def register_references(table) -> dict[str, dt.date | None]:
    """Each Register reference (upper case) and the complaint's date received."""
    refs: dict[str, dt.date | None] = {}
    for ref, received in zip(table["reference"].tolist(), table["date_received"].tolist()):
        if ref:
            day = None if received is None or received != received else received
            refs.setdefault(str(ref).upper(), day.date() if hasattr(day, "date") else day)
    return refs


def from_records(sheet: str, records: list[dict]) -> tuple[list, list[list]]:
    """Headers and rows for a sheet from dicts keyed by header (tests, the sample)."""
    headers = [c.header for c in COLUMNS[sheet]]
    return headers, [[r.get(h) for h in headers] for r in records]


# --- reading the sheets ----------------------------------------------------------------


def sheets_from_cells(cells: dict[str, list[list]]) -> dict[str, tuple[list, list[list], int]]:
    """{sheet: its cells from A1} -> {sheet: (headers, rows, header_row)}, the header row being the
    first of the top rows with the sheet's key heading (Reference, or Request reference): one reading
    for a file and for the open workbook. Rows that are lists already are kept, not copied."""
    found: dict[str, tuple[list, list[list], int]] = {}
    for sheet, rows in cells.items():
        rows = rows or []
        if not all(r.__class__ is list for r in rows):
            rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]
        first = schema.normalise_header(_col(sheet, KEY_COLUMN[sheet]).header)
        header_at = next(
            (i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(schema.normalise_header(v) == first for v in r)),
            None,
        )
        if header_at is None:
            found[sheet] = ([], [], 1)
            continue
        found[sheet] = (list(rows[header_at]), rows[header_at + 1 :], header_at + 1)
    return found


# --- deadlines and their RAG ----------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One dated step an item must meet: what reminders and the reports count. Names no person."""

    sheet: str
    row: int
    reference: str
    step: str  # e.g. "Action due", "Ombudsman response due"
    due: dt.date
    done: dt.date | None
    rag: str
    days_left: int | None  # working days from the as-of date; None once done
    key: str  # stable identity: sheet, reference and step (with the Ombudsman reference or row)


def rag_for(due: dt.date, done: dt.date | None, as_of: dt.date, settings: Settings) -> tuple[str, int | None]:
    """The milestones' RAG for a deadline: Met or Late once done, else Red, Amber or Green by working days left."""
    if done is not None:
        return ("Late" if done > due else "Met"), None
    left = settings.calendar.count(as_of, due)
    if left < 0:
        return "Red", left
    if left <= settings.amber_days:
        return "Amber", left
    return "Green", left


def deadlines(learning: Learning, settings: Settings, as_of: dt.date) -> list[Deadline]:
    """Every dated step of every action and Ombudsman case, with its RAG as of `as_of`."""
    out: list[Deadline] = []

    def add(item: Item, step: str, due, done, ident: str) -> None:
        if due is None:
            return
        rag, left = rag_for(due, done, as_of, settings)
        out.append(Deadline(item.sheet, item.row, item.reference, step, due, done, rag, left, f"{item.sheet}|{item.reference.upper()}|{step}|{ident}"))

    seen: dict[str, int] = {}
    for item in learning.actions:  # the nth action of a complaint keeps its identity when rows above it move
        n = seen[item.reference.upper()] = seen.get(item.reference.upper(), 0) + 1
        add(item, f"{item['stage']} action due" if item["stage"] else "Action due", item["due_date"], item["completed_date"], f"action {n}")
    for item in learning.ombudsman:
        ident = str(item["ombudsman_reference"] or item.row).upper()
        add(item, "Ombudsman response due", item["response_due"], item["response_sent"], ident)
        add(item, "Ombudsman remedy due", item["comply_by"], item["date_complied"], ident)
    return out


# --- the status report's part: actions and Ombudsman deadlines not yet met -----------------------

DEADLINE_HEADERS = ("Sheet", "Sheet row", "Reference", "Deadline", "Service", "Due date", "Working days left", "RAG")
NOT_A_REFERENCE = "(not a reference)"  # what the report shows for a Reference cell that does not look like one


def open_deadlines(learning: Learning, settings: Settings, as_of: dt.date, services: dict[str, str] | None = None) -> list[list]:
    """Every action and Ombudsman deadline not yet met, as report rows (DEADLINE_HEADERS), overdue first.

    Named by sheet, row, reference, step, service and date only: never the action's
    words, the manager or the evidence. The service is the action's owning service,
    else the complaint's (`services`: Register reference, upper case -> Service).
    """
    services = services or {}
    owner = {(a.sheet, a.row): a["owning_service"] for a in learning.actions}
    rows = []
    for d in deadlines(learning, settings, as_of):
        if d.done is not None:
            continue
        ref = d.reference if schema.REFERENCE_PATTERN.fullmatch(d.reference or "") else NOT_A_REFERENCE
        service = owner.get((d.sheet, d.row)) or services.get(d.reference.upper(), "")
        rows.append([d.sheet, d.row, ref, d.step, service, d.due, d.days_left, d.rag])
    order = {"Red": 0, "Amber": 1, "Green": 2}
    rows.sort(key=lambda r: (order.get(r[7], 3), r[5], SHEETS.index(r[0]), r[1]))
    return rows


def overdue_counts(rows: list[list]) -> tuple[int, int]:
    """(actions, Ombudsman deadlines) overdue among `open_deadlines` rows."""
    red = [r for r in rows if r[7] == "Red"]
    return sum(1 for r in red if r[0] == ACTIONS), sum(1 for r in red if r[0] == OMBUDSMAN)


def overdue_line(rows: list[list], where: str = "") -> str:
    """The status command's console line about them (`where`: where they are listed)."""
    actions, ombudsman = overdue_counts(rows)
    due = len(rows) - actions - ombudsman
    return (f"Overdue: {actions} learning action{'' if actions == 1 else 's'} and {ombudsman} "
            f"Ombudsman deadline{'' if ombudsman == 1 else 's'}; {due} more not yet due{where}.")


def deadlines_csv(rows: list[list]) -> str:
    """The rows as CSV. Every cell is a sheet name, a row number, a reference (checked to look like one),
    a fixed step, a listed service, a date or a number, so none can start a spreadsheet formula."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DEADLINE_HEADERS)
    for row in rows:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else ("" if v is None else v) for v in row])
    return buffer.getvalue()


def register_services(table) -> dict[str, str]:
    """Each Register reference (upper case) and its complaint's Service."""
    out: dict[str, str] = {}
    for ref, service in zip(table["reference"].tolist(), table["service"].tolist()):
        if ref and isinstance(service, str):
            out.setdefault(str(ref).upper(), service)
    return out
