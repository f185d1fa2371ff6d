"""The Actions, Remedies and Ombudsman cases sheets of Complaints_Register.xlsm.

Built with XlsxWriter into the book `workbook.build` is writing (one call at the
end of its build), from learning.py's column definitions: the same title and
header layout as the Register, a dropdown for every list column (the Services
and Yes/No lists are the Lists sheet's own), date and money checks, and grey
RAG columns that Excel works out from the As-of date and the Holidays sheet,
stored with their value so that readers which never recalculate see it too.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence


from ..core import learning, schema
from ..core.dates import as_of_or_today
from ..core.learning import ACTIONS, OMBUDSMAN, REMEDIES, SERVICE_REQUESTS, SheetColumn
from ..core.money import MONEY_LIMIT
from ..core.schema import Kind
from ..core.settings import Settings
from ..files.package import column_letters
from . import excel_rules as wb  # Excel's rules for the values its formulas see


def _letter(index: int) -> str:
    """0 -> 'A'."""
    return column_letters(index + 1)

HEADER_ROW = 3  # as the Register: title on row 1, hint on row 2
FIRST_ROW = HEADER_ROW + 1
ROWS = 5_000  # rows prepared for dropdowns and formats
FORMULA_ROWS_SPARE = 300  # empty rows below the last item that get the RAG formulas
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "£#,##0.00"
HOLIDAYS_RANGE = "Holidays!$A$2:$A$500"  # the Holidays sheet's dates (refresh rewrites them)
INPUT_FILL, CALC_FILL, FREE_FILL, CALC_BODY = "#1F4E78", "#595959", "#4B2C6B", "#EDEDED"

TITLES = {
    ACTIONS: ("Actions", "One row per recommendation or learning action, tied to its complaint's Reference. "
              "The RAG column is worked out from the due date and the As-of date on the Register."),
    REMEDIES: ("Remedies", "One row per remedy offered: an apology, an explanation, a service, or a payment with its amount."),
    OMBUDSMAN: ("Ombudsman cases", "One row per enquiry or investigation by the Local Government and Social Care Ombudsman, "
                "with the dates the Ombudsman set. The RAG columns are worked out from them."),
    SERVICE_REQUESTS: ("Service requests", "One row per service request: someone asking the council to act, or to put something right, "
                       "for the first time. Not a complaint, so not on the Register; if they complain about the response, "
                       "add the complaint to the Register and put its Reference in 'Became a complaint'."),
}
# Grey columns after the typed ones: (header, due key, done key).
RAG_COLUMNS = {
    ACTIONS: (("RAG", "due_date", "completed_date"),),
    OMBUDSMAN: (("Response RAG", "response_due", "response_sent"), ("Remedy RAG", "comply_by", "date_complied")),
    REMEDIES: (),
    SERVICE_REQUESTS: (),
}
RAG_STYLES = {"Red": ("#FFC7CE", "#9C0006"), "Amber": ("#FFEB9C", "#9C5700"), "Green": ("#C6EFCE", "#006100"),
              "Met": ("#DDEBF7", "#1F4E78"), "Late": ("#F8CBAD", "#833C0B")}




def rag_formula(due: str, done: str, amber: int) -> str:
    """The milestones' RAG as an Excel formula: Met or Late once done; else Red when overdue by a working day,
    Amber within `amber` working days, Green (the same rule as learning.rag_for)."""
    return (
        f'=IF({due}="","",IF({done}<>"",IF({done}>{due},"Late","Met"),'
        f'IF({due}<as_of,IF(NETWORKDAYS({due},as_of-1,{HOLIDAYS_RANGE})>0,"Red","Amber"),'
        f'IF(NETWORKDAYS(as_of+1,{due},{HOLIDAYS_RANGE})<={amber},"Amber","Green"))))'
    )


def stored_rags(found: dict[str, tuple[list, list[list], int]], settings: Settings, as_of: dt.date) -> dict[str, dict[str, str]]:
    """What each RAG formula on the learning sheets gives on `as_of`, by sheet and cell ('H4').

    `found` is files.learning_sheets.read_sheets' {sheet: (headers, rows, header_row)}. The
    formulas depend on the As-of date, so refresh stores these values as build
    does: a reader that never recalculates then shows today's RAG, not the old one.
    """
    out: dict[str, dict[str, str]] = {}
    for name, rags in RAG_COLUMNS.items():
        if not rags or name not in found:
            continue
        headers, rows, header_row = found[name]
        at = {schema.normalise_header(h): j for j, h in enumerate(headers) if isinstance(h, str)}
        columns = [(at[schema.normalise_header(h)], due, done) for h, due, done in rags if schema.normalise_header(h) in at]
        if not columns:
            continue
        items, _ = learning.validate_sheet(name, headers, rows, references={}, first_row=header_row + 1, header_row=header_row)
        typed = {item.row: item for item in items}
        values: dict[str, str] = {}
        for r in range(header_row + 1, header_row + 1 + len(rows)):
            item = typed.get(r)
            for j, due, done in columns:
                due_day = item[due] if item is not None else None
                values[f"{_letter(j)}{r}"] = learning.rag_for(due_day, item[done], as_of, settings)[0] if due_day else ""
        out[name] = values
    return out


def add_sheets(book, records: dict[str, Sequence[dict]] | None = None, settings: Settings | None = None, as_of: dt.date | None = None) -> list:
    """Add the three sheets to an XlsxWriter book (`records`: {sheet: rows keyed by header}); returns the worksheets."""
    settings = settings or Settings()
    as_of = as_of_or_today(as_of)
    records = records or {}
    formats = _formats(book)
    sheets = [_sheet(book, name, list(records.get(name, ())), formats, settings, as_of) for name in learning.SHEETS]
    return sheets + [_self_assessment_sheet(book, formats)]


SELF_ASSESSMENT = "Self-assessment"
SELF_ASSESSMENT_HEADERS = ("Requirement", "Evidence", "Commentary")


def _self_assessment_sheet(book, f: dict):
    """The Code's requirements, one a row, for the council's evidence and commentary (the Code report prints them)."""
    from ..reports.code_report import REQUIREMENTS

    sheet = book.add_worksheet(SELF_ASSESSMENT)
    sheet.write_string(0, 0, "Self-assessment against the Complaint Handling Code", f["title"])
    sheet.write_string(1, 0, "Write the council's evidence and commentary beside each requirement; add or reword rows as the council's "
                             "checklist needs. 'xl-complaints code-report' prints them with what the register measures.", f["hint"])
    for j, header in enumerate(SELF_ASSESSMENT_HEADERS):
        sheet.write_string(HEADER_ROW - 1, j, header, f["input"])
        sheet.set_column(j, j, 60 if j == 0 else 50, f["wrap"])
    for i, (requirement, _) in enumerate(REQUIREMENTS):
        sheet.write_string(FIRST_ROW - 1 + i, 0, requirement, f["wrap"])
        sheet.set_row(FIRST_ROW - 1 + i, 45)
    sheet.freeze_panes(FIRST_ROW - 1, 1)
    sheet.set_tab_color("#7030A0")
    return sheet


def _formats(book) -> dict:
    add = book.add_format
    base = {"font_name": "Calibri", "font_size": 11}
    header = {**base, "bold": True, "font_color": "#FFFFFF", "text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
    out = {
        "input": add({**header, "bg_color": INPUT_FILL}),
        "free": add({**header, "bg_color": FREE_FILL}),
        "calc": add({**header, "bg_color": CALC_FILL, "italic": True}),
        "title": add({**base, "bold": True, "font_size": 16, "font_color": INPUT_FILL}),
        "hint": add({**base, "italic": True, "font_color": "#595959"}),
        "date": add({**base, "num_format": DATE_FORMAT}),
        "money": add({**base, "num_format": MONEY_FORMAT}),
        "text": add({**base, "valign": "top"}),  # not wrapped: rows stay one line high, the cell shows the whole on selection
        "wrap": add({**base, "text_wrap": True, "valign": "top"}),
        "plain": add({**base}),
        "calc_body": add({**base, "bg_color": CALC_BODY}),
    }
    out["rag"] = {v: add({**base, "bg_color": fill, "font_color": font}) for v, (fill, font) in RAG_STYLES.items()}
    return out


def _width(col: SheetColumn) -> float:
    if col.kind is Kind.TEXT and col.sensitive:
        return 40
    if col.kind is Kind.DATE:
        return 13
    if col.kind is Kind.REFERENCE:
        return 17
    if col.money:
        return 12
    return 22


def _sheet(book, name: str, records: list[dict], f: dict, settings: Settings, as_of: dt.date):
    sheet = book.add_worksheet(name)
    columns = learning.COLUMNS[name]
    rags = RAG_COLUMNS[name]
    title, hint = TITLES[name]
    sheet.write_string(0, 0, title, f["title"])
    sheet.write_string(1, 0, hint, f["hint"])
    head, first, last = HEADER_ROW - 1, FIRST_ROW - 1, FIRST_ROW - 1 + ROWS - 1
    at = {c.key: j for j, c in enumerate(columns)}
    for j, col in enumerate(columns):
        fmt = f["free"] if col.sensitive else f["input"]
        sheet.write_string(head, j, col.header, fmt)
        cell_format = f["date"] if col.kind is Kind.DATE else f["money"] if col.money else f["text"] if col.sensitive else None
        sheet.set_column(j, j, _width(col), cell_format)
        _validation(sheet, col, first, last, j)
    for k, (header, _, _) in enumerate(rags):
        sheet.write_string(head, len(columns) + k, header, f["calc"])
        sheet.set_column(len(columns) + k, len(columns) + k, 12)
    sheet.set_row(head, 32)
    # Rows: the records, then the grey formulas down to the prepared rows' end.
    items, _ = learning.validate_sheet(name, *learning.from_records(name, records), references={}, first_row=FIRST_ROW, header_row=HEADER_ROW) if records else ([], [])
    typed = {item.row: item for item in items}
    for i, record in enumerate(records):
        r = first + i
        for j, col in enumerate(columns):
            _write(sheet, r, j, col, record.get(col.header), f)
    for k, (_, due_key, done_key) in enumerate(rags):
        due_letter, done_letter = _letter(at[due_key]), _letter(at[done_key])
        c = len(columns) + k
        for r in range(first, first + len(records) + FORMULA_ROWS_SPARE):
            item = typed.get(r + 1)
            value = ""
            if item is not None and item[due_key] is not None:
                value = learning.rag_for(item[due_key], item[done_key], as_of, settings)[0]
            formula = rag_formula(f"{due_letter}{r + 1}", f"{done_letter}{r + 1}", settings.amber_days)
            sheet.write_formula(r, c, formula, f["calc_body"], value)
        for value, fmt in f["rag"].items():
            sheet.conditional_format(first, c, last, c, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    sheet.autofilter(head, 0, max(head + len(records), head + 1), len(columns) + len(rags) - 1)
    sheet.freeze_panes(FIRST_ROW - 1, 1)
    sheet.set_landscape()  # printed: every column across an A4 page, the headers on each
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW - 1)
    sheet.set_tab_color({OMBUDSMAN: "#C55A11", SERVICE_REQUESTS: "#2F75B5"}.get(name, "#548235"))
    return sheet


def _write(sheet, r: int, j: int, col: SheetColumn, value, f: dict) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        sheet.write_datetime(r, j, dt.datetime.combine(value, dt.time()), f["date"])
    elif col.money and not isinstance(value, str):
        sheet.write_number(r, j, float(value), f["money"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(r, j, float(value))
    else:
        from ..core.register import guard_cell

        guard_cell(str(value), f"{sheet.name} row {r + 1}, column {_letter(j)}", f"The {sheet.name} sheet")
        sheet.write_string(r, j, str(value), f["text"] if col.sensitive else None)


def _validation(sheet, col: SheetColumn, first: int, last: int, j: int) -> None:
    """Dropdowns and checks, each with the column's note shown when a cell is selected (an input message,
    not a cell comment: comments' drawing ids would have to be kept unique across sheets when a command
    writes the register back). A warning, not a stop, for references (a complaint may be added later)."""
    rule = _rule(col)
    if rule is None and not col.note:
        return
    rule = rule or {"validate": "any"}
    if col.note:
        rule.update({"input_title": col.header[:32], "input_message": col.note[:255]})
    sheet.data_validation(first, j, last, j, rule)


def _rule(col: SheetColumn) -> dict | None:
    if col.key in ("reference", "became_a_complaint"):
        return {
            "validate": "list", "source": '=INDIRECT("Complaints[Reference]")', "error_type": "warning",
            "error_title": "Not on the Register", "error_message": "This reference is not on the Register. Check it, or add the complaint first.",
        }
    elif col.kind is Kind.YESNO:
        return {"validate": "list", "source": "=list_yes_no"}
    elif col.kind is Kind.CATEGORY:
        source = "=list_service" if col.values == schema.SERVICES else list(col.values)
        return {
            "validate": "list", "source": source, "error_title": col.header,
            "error_message": "Pick a value from the cell's dropdown.",
        }
    elif col.kind is Kind.DATE:
        return {
            "validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2100, 12, 31),
            "error_title": col.header, "error_message": "Type a date as day/month/year, e.g. 12/03/2026.",
        }
    elif col.money:
        return {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(MONEY_LIMIT),
            "error_title": col.header, "error_message": "Type the amount in pounds, e.g. 250 or 250.00.",
        }
    return None


# --- the Dashboard's overdue actions and Ombudsman deadlines --------------------------------
#
# Two lists under the complaints' own, with native formulas over the Actions and
# Ombudsman cases sheets' grey RAG columns (so Excel keeps them up to date as the
# As-of date moves), and a line at the top saying how many there are. Each
# formula is written with the result `dashboard_results` works out in Python,
# for readers that never recalculate. They name the reference, the step, the
# service and the date only: never the action's words or the manager's name.

DASHBOARD_LIST_LENGTH = 10  # rows in each of the two lists
ACTION_LIST_HEADERS = ("Actions row", "Reference", "From", "Owning service", "Due date")
OMBUDSMAN_LIST_HEADERS = ("Ombudsman cases row", "Reference", "Ombudsman reference", "Complaint's service", "Deadline", "Due date")
LAST_ROW = FIRST_ROW + ROWS - 1  # the last prepared row of each sheet
SUMMARY_CELL = "A3"
DEADLINES = ("Response", "Remedy")  # the Ombudsman cases sheet's two RAG columns, in order


def _quoted(name: str) -> str:
    return f"'{name}'" if " " in name else name


def _span(name: str, key: str | None = None, rag: int | None = None, first: int = FIRST_ROW, width: int = 1) -> str:
    """An absolute range down a learning sheet's column, where `init` puts it ('Actions'!$H$4:$H$5003)."""
    columns = learning.COLUMNS[name]
    j = next(i for i, c in enumerate(columns) if c.key == key) if key is not None else len(columns) + rag
    return f"{_quoted(name)}!${_letter(j)}${first}:${_letter(j + width - 1)}${LAST_ROW}"


def _position(name: str, key: str | None = None, rag: int | None = None) -> int:
    columns = learning.COLUMNS[name]
    return next(i for i, c in enumerate(columns) if c.key == key) if key is not None else len(columns) + rag


def dashboard_places(after: int) -> dict[str, int]:
    """Zero-based rows of the two lists, the first two rows below `after` (the complaints' last list)."""
    actions = after + 2
    return {"actions": actions, "ombudsman": actions + 2 + DASHBOARD_LIST_LENGTH + 2}


def _action_formulas(k: int, a: str) -> list[tuple[str, str]]:
    key = f"({_span(ACTIONS, 'due_date')}*100000+ROW({_span(ACTIONS, 'due_date')}))/({_span(ACTIONS, rag=0)}=\"Red\")"
    return [
        (f'=IFERROR(MOD(_xlfn.AGGREGATE(15,6,{key},{k}),100000),"")', "count"),
        (f'=IF({a}="","",INDEX({_span(ACTIONS, "reference", first=1)},{a})&"")', None),
        (f'=IF({a}="","",INDEX({_span(ACTIONS, "stage", first=1)},{a})&"")', None),
        (f'=IF({a}="","",INDEX({_span(ACTIONS, "owning_service", first=1)},{a})&"")', None),
        (f'=IF({a}="","",INDEX({_span(ACTIONS, "due_date", first=1)},{a}))', "date"),
    ]


def _ombudsman_key() -> str:
    """Due date * 1,000,000 + row * 10 + 1 (response) or 2 (remedy), over both RAG columns at once."""
    rags = _span(OMBUDSMAN, rag=0, width=2)
    first_col = _position(OMBUDSMAN, rag=0) + 1  # COLUMN() of the Response RAG column
    due = f"({_span(OMBUDSMAN, 'response_due')}*(COLUMN({rags})={first_col})+{_span(OMBUDSMAN, 'comply_by')}*(COLUMN({rags})={first_col + 1}))"
    return f"({due}*1000000+ROW({rags})*10+COLUMN({rags})-{first_col - 1})/({rags}=\"Red\")"


def _ombudsman_formulas(k: int, a: str, d: str) -> list[tuple[str, str]]:
    key = _ombudsman_key()
    ref = f"INDEX({_span(OMBUDSMAN, 'reference', first=1)},{a})"
    return [
        (f'=IFERROR(INT(MOD(_xlfn.AGGREGATE(15,6,{key},{k}),1000000)/10),"")', "count"),
        (f'=IF({a}="","",{ref}&"")', None),
        (f'=IF({a}="","",INDEX({_span(OMBUDSMAN, "ombudsman_reference", first=1)},{a})&"")', None),
        (f'=IF({a}="","",IFERROR(INDEX(Complaints[Service],MATCH({ref},Complaints[Reference],0))&"",""))', None),
        (f'=IF({a}="","",IF(MOD(_xlfn.AGGREGATE(15,6,{key},{k}),10)=1,"{DEADLINES[0]}","{DEADLINES[1]}"))', None),
        (f'=IF({a}="","",IF({d}="{DEADLINES[0]}",INDEX({_span(OMBUDSMAN, "response_due", first=1)},{a}),'
         f'INDEX({_span(OMBUDSMAN, "comply_by", first=1)},{a})))', "date"),
    ]


def _counts_formulas() -> tuple[str, str]:
    actions = f'=COUNTIF({_span(ACTIONS, rag=0)},"Red")'
    ombudsman = f'=COUNTIF({_span(OMBUDSMAN, rag=0)},"Red")+COUNTIF({_span(OMBUDSMAN, rag=1)},"Red")'
    return actions, ombudsman


def summary_text(actions: int, ombudsman: int) -> str:
    """The Dashboard's top line (the same words as its formula)."""
    if actions + ombudsman == 0:
        return "No learning actions or Ombudsman deadlines are overdue."
    return (f"Overdue: {actions} learning action{'' if actions == 1 else 's'} and {ombudsman} Ombudsman "
            f"deadline{'' if ombudsman == 1 else 's'} (listed below the complaints).")


def _summary_formula(a: str, o: str) -> str:
    return (f'=IF({a}+{o}=0,"{summary_text(0, 0)}","Overdue: "&{a}&" learning action"&IF({a}=1,"","s")&" and "&{o}'
            f'&" Ombudsman deadline"&IF({o}=1,"","s")&" (listed below the complaints).")')


def write_dashboard(sheet, f, formula, after: int) -> int:
    """Write the top line and the two lists onto the Dashboard (`formula` writes a formula with its stored
    result; `f` is workbook's formats). Returns the last row used (zero-based)."""
    places = dashboard_places(after)
    a_row, o_row = places["actions"], places["ombudsman"]
    a_count, o_count = f"D{a_row + 1}", f"D{o_row + 1}"
    formula(2, 0, _summary_formula(a_count, o_count), f.subtitle)
    sheet.conditional_format(2, 0, 2, 0, {"type": "formula", "criteria": f"=({a_count}+{o_count})>0", "format": f.overdue_line})
    counts = _counts_formulas()
    for row, title, count, unit, headers, where in (
        (a_row, "Learning actions overdue (Red)", counts[0], "actions", ACTION_LIST_HEADERS, "the Actions sheet"),
        (o_row, "Ombudsman deadlines overdue (Red)", counts[1], "deadlines", OMBUDSMAN_LIST_HEADERS, "the Ombudsman cases sheet"),
    ):
        sheet.write_string(row, 0, title, f.subtitle)
        formula(row, 3, count, f.total)
        sheet.write_string(row, 4, unit, f.hint)
        for j, header in enumerate(headers):
            sheet.write_string(row + 1, j, header, f.plain_header)
        sheet.set_row(row + 1, 30)
        for k in range(1, DASHBOARD_LIST_LENGTH + 1):
            r = row + 1 + k
            a, d = f"$A{r + 1}", f"$E{r + 1}"
            cells = _action_formulas(k, a) if row == a_row else _ombudsman_formulas(k, a, d)
            for j, (text, fmt) in enumerate(cells):
                formula(r, j, text, {"count": f.count, "date": f.date}.get(fmt))
        more = row + 2 + DASHBOARD_LIST_LENGTH
        formula(more, 1, f'=IF(D{row + 1}>{DASHBOARD_LIST_LENGTH},"... and "&(D{row + 1}-{DASHBOARD_LIST_LENGTH})'
                         f'&" more: filter {where} by its RAG","")', f.hint)
    return o_row + 2 + DASHBOARD_LIST_LENGTH


def dashboard_results(found: dict[str, tuple[list, list[list], int]] | None, settings: Settings, as_of: dt.date,
                      references: Sequence, services: Sequence, after: int) -> dict[str, object]:
    """What Excel works out for `write_dashboard`'s formulas, by Dashboard cell ('D80').

    `found` is the learning sheets as files.learning_sheets.read_sheets gives them (None: no sheets);
    `references` and `services` the Register's Reference and Service cells, table row by
    table row. The formulas read fixed columns (where `init` puts them) and the RAG
    values `stored_rags` gives for `as_of`, which refresh stores beside them.
    """
    found = found or {}
    rags = stored_rags(found, settings, as_of)
    places = dashboard_places(after)

    def grid(name: str) -> dict[int, list]:
        if name not in found:
            return {}
        _, rows, header_row = found[name]
        return {header_row + 1 + i: list(r) for i, r in enumerate(rows)}

    def cell(rows: dict[int, list], r: int, j: int):
        line = rows.get(r, [])
        value = line[j] if j < len(line) else None
        return wb.EMPTY if value is None or value == "" else value

    def rag_at(name: str, r: int, k: int):
        value = rags.get(name, {}).get(f"{_letter(_position(name, rag=k))}{r}")
        return wb.EMPTY if value in (None, "") else value

    out: dict[str, object] = {}
    # Actions: key = due * 100000 + row, over the rows whose RAG is Red
    acts = grid(ACTIONS)
    due_j = _position(ACTIONS, "due_date")
    a_keys = []
    a_count = 0
    for r in sorted(acts):
        if not FIRST_ROW <= r <= LAST_ROW or not wb._same(rag_at(ACTIONS, r, 0), "Red"):
            continue
        a_count += 1
        due = wb._number(cell(acts, r, due_j))
        if due is not None:  # text typed as the due date: #VALUE!, which AGGREGATE skips
            a_keys.append(due * 100000 + r)
    a_keys.sort()
    row = places["actions"]
    out[f"D{row + 1}"] = a_count
    for k in range(1, DASHBOARD_LIST_LENGTH + 1):
        r = row + 1 + k
        if k > len(a_keys):
            for j in range(len(ACTION_LIST_HEADERS)):
                out[f"{_letter(j)}{r + 1}"] = ""
            continue
        at = int(a_keys[k - 1] % 100000)
        out[f"A{r + 1}"] = at
        for j, key in enumerate(("reference", "stage", "owning_service"), start=1):
            out[f"{_letter(j)}{r + 1}"] = wb._text(cell(acts, at, _position(ACTIONS, key)))
        out[f"E{r + 1}"] = wb._result(cell(acts, at, due_j))
    _more(out, row, a_count, "the Actions sheet")

    # Ombudsman cases: key = due * 1000000 + row * 10 + 1 (response) or 2 (remedy)
    cases = grid(OMBUDSMAN)
    dues = (_position(OMBUDSMAN, "response_due"), _position(OMBUDSMAN, "comply_by"))
    o_keys = []
    o_count = 0
    for r in sorted(cases):
        if not FIRST_ROW <= r <= LAST_ROW:
            continue
        both = [wb._number(cell(cases, r, j)) for j in dues]
        for k in (0, 1):
            if not wb._same(rag_at(OMBUDSMAN, r, k), "Red"):
                continue
            o_count += 1
            if None in both:  # text in either date column: #VALUE!, which AGGREGATE skips
                continue
            o_keys.append(both[k] * 1000000 + r * 10 + k + 1)
    o_keys.sort()
    positions = wb._Keys(list(references))
    row = places["ombudsman"]
    out[f"D{row + 1}"] = o_count
    for k in range(1, DASHBOARD_LIST_LENGTH + 1):
        r = row + 1 + k
        if k > len(o_keys):
            for j in range(len(OMBUDSMAN_LIST_HEADERS)):
                out[f"{_letter(j)}{r + 1}"] = ""
            continue
        at, which = int(o_keys[k - 1] % 1000000) // 10, int(o_keys[k - 1] % 10)
        ref = cell(cases, at, _position(OMBUDSMAN, "reference"))
        out[f"A{r + 1}"] = at
        out[f"B{r + 1}"] = wb._text(ref)
        out[f"C{r + 1}"] = wb._text(cell(cases, at, _position(OMBUDSMAN, "ombudsman_reference")))
        out[f"E{r + 1}"] = DEADLINES[which - 1]
        found_at = positions.match(ref)
        out[f"D{r + 1}"] = wb._text(services[found_at]) if found_at is not None and found_at < len(services) and services[found_at] is not None else ""
        out[f"F{r + 1}"] = wb._result(cell(cases, at, dues[which - 1]))
    _more(out, row, o_count, "the Ombudsman cases sheet")
    out[SUMMARY_CELL] = summary_text(a_count, o_count)
    return out


def _more(out: dict, row: int, count: int, where: str) -> None:
    more = row + 2 + DASHBOARD_LIST_LENGTH
    out[f"B{more + 1}"] = f"... and {count - DASHBOARD_LIST_LENGTH} more: filter {where} by its RAG" if count > DASHBOARD_LIST_LENGTH else ""


def sheets_from_records(records: dict[str, Sequence[dict]] | None) -> dict[str, tuple[list, list[list], int]]:
    """The learning sheets `add_sheets` writes from `records`, as files.learning_sheets.read_sheets would read them back."""
    out = {}
    for name in learning.SHEETS:
        headers, rows = learning.from_records(name, list((records or {}).get(name, ())))
        grey = [h for h, _, _ in RAG_COLUMNS[name]]  # their values are stored_rags' to work out
        out[name] = (headers + grey, [[None if v == "" else v for v in r] + [None] * len(grey) for r in rows], HEADER_ROW)
    return out


