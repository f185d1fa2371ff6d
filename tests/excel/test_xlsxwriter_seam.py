"""The one seam into XlsxWriter's internals: it still applies, it changes nothing in the
register, and no other module reaches inside XlsxWriter."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import xlsxwriter

import xl_complaints
from xl_complaints.excel import workbook, xlsxwriter_seam
from xl_complaints.sample import complaints as sample

AS_OF = dt.date(2025, 4, 1)


def test_the_seam_applies_to_this_xlsxwriter(tmp_path):
    """A release that renames the private method fails here, so the upgrade is noticed (init would only be slower)."""
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    sheet = book.add_worksheet()
    assert xlsxwriter_seam.remember_formulas(sheet)
    prepare = getattr(sheet, xlsxwriter_seam.PRIVATE_METHOD)
    sheet.write_formula(0, 0, "=IFERROR(INDEX(calc_keys,ROW()-1),\"\")")
    sheet.write_formula(1, 0, "=IFERROR(INDEX(calc_keys,ROW()-1),\"\")")
    sheet.write_formula(2, 0, "=XLOOKUP(A1,B:B,C:C)")
    assert prepare.cache_info().hits == 1 and prepare.cache_info().misses == 2
    assert prepare("=XLOOKUP(A1,B:B,C:C)") == "_xlfn.XLOOKUP(A1,B:B,C:C)"  # the method's answer, unchanged
    book.close()


def test_a_register_is_the_same_with_and_without_the_seam(tmp_path, monkeypatch):
    records = sample.generate(60, seed=4, end=AS_OF)
    remembered = workbook.build(tmp_path / "remembered.xlsm", records, as_of=AS_OF).read_bytes()
    calls = []
    monkeypatch.setattr(workbook, "remember_formulas", lambda sheet: calls.append(sheet) or False)
    plain = workbook.build(tmp_path / "plain.xlsm", records, as_of=AS_OF).read_bytes()
    assert calls, "the workbook builder no longer goes through the seam"
    assert remembered == plain


def test_no_other_module_touches_xlsxwriters_private_names():
    root = Path(xl_complaints.__file__).parent
    private = re.compile(r"_prepare_formula|\b(sheet|worksheet|ws|book|workbook)\._[a-z]\w*\s*=[^=]")
    found = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py")) if path.name != "xlsxwriter_seam.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if private.search(line)]
    assert found == []
