"""outputs: the one guard against formula injection and the one 'name (2)' rule, used by every writer."""

from __future__ import annotations

import pytest

from xl_complaints.excel import udfs
from xl_complaints.files import outputs
from xl_complaints.reports import status_report


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert outputs.formula_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["CSC-2024-0001", "Upheld", "", " =not first", 5, -3.0, None])
def test_everything_else_is_left_as_it_is(value):
    assert outputs.formula_safe(value) == value


def test_the_status_csv_and_the_excel_buttons_use_the_same_guard():
    assert udfs._as_text is outputs.formula_safe
    row = [3, "=1+1"] + [""] * (len(status_report.OUTPUT_HEADERS) - 2)
    assert status_report.status_csv([row]).splitlines()[1].startswith("3,'=1+1,")


def test_a_taken_name_gets_the_next_number(tmp_path):
    path = tmp_path / "2026-12-01 Acknowledgement.pdf"
    assert outputs.free_path(path) == path
    path.write_bytes(b"1")
    assert outputs.free_path(path).name == "2026-12-01 Acknowledgement (2).pdf"
    (tmp_path / "2026-12-01 Acknowledgement (2).pdf").write_bytes(b"2")
    assert outputs.free_path(path).name == "2026-12-01 Acknowledgement (3).pdf"


def test_write_new_takes_the_same_names_and_never_overwrites(tmp_path):
    path = tmp_path / "letter.docx"
    made = [outputs.write_new(path, bytes([n])) for n in range(3)]
    assert [p.name for p in made] == ["letter.docx", "letter (2).docx", "letter (3).docx"]
    assert [p.read_bytes() for p in made] == [b"\x00", b"\x01", b"\x02"]


def test_when_every_number_is_taken_it_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "MAX_COPIES", 3)
    path = tmp_path / "r.pdf"
    for name in ("r.pdf", "r (2).pdf", "r (3).pdf"):
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(outputs.OutputError, match="There are too many files named 'r.pdf'"):
        outputs.free_path(path)
    with pytest.raises(outputs.OutputError, match="There are too many files named 'r.pdf'"):
        outputs.write_new(path, b"y")
