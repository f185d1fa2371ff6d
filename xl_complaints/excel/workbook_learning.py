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

from xlsxwriter.utility import xl_col_to_name as _letter  # 0 -> 'A'

from ..core import learning, schema
from ..core.dates import as_of_or_today
from ..core.learning import ACTIONS, OMBUDSMAN, REMEDIES, SheetColumn
from ..core.schema import Kind
from ..core.settings import Settings

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
}
# Grey columns after the typed ones: (header, due key, done key).
RAG_COLUMNS = {
    ACTIONS: (("RAG", "due_date", "completed_date"),),
    OMBUDSMAN: (("Response RAG", "response_due", "response_sent"), ("Remedy RAG", "comply_by", "date_complied")),
    REMEDIES: (),
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

    `found` is learning.read_sheets' {sheet: (headers, rows, header_row)}. The
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
    sheet.set_tab_color("#C55A11" if name == OMBUDSMAN else "#548235")
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
    if col.key == "reference":
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
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(learning.MONEY_LIMIT),
            "error_title": col.header, "error_message": "Type the amount in pounds, e.g. 250 or 250.00.",
        }
    return None
