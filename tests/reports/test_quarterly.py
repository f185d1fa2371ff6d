"""The quarterly summary for the Member Responsible for Complaints: every figure recomputed
here from the register's rows by plain loops (openpyxl, not the toolkit's reader), the quarter
before beside it, small numbers suppressed, nothing personal, and at most two A4 pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.cli import main
from xl_complaints.core import learning, schema, status
from xl_complaints.files import learning_sheets
from xl_complaints.core.settings import Settings
from xl_complaints.excel import workbook
from xl_complaints.files.reader import read_register
from xl_complaints.reports import quarterly, statistics
from xl_complaints.sample import complaints as sample, learning as sample_learning

AS_OF = dt.date(2027, 1, 20)
Q = quarterly.parse_quarter("2026-Q3")
FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
BEFORE = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    records = sample.generate(900, years=2, seed=21, end=AS_OF)
    items = sample_learning.generate(records, seed=21, end=AS_OF)
    path = tmp_path_factory.mktemp("quarterly") / "Complaints_Register.xlsm"
    return workbook.build(path, records, as_of=AS_OF, learning=items)


@pytest.fixture(scope="module")
def rows(built):
    book = openpyxl.load_workbook(built, data_only=True)

    def sheet(name, header_row):
        ws = book[name]
        headers = [c.value for c in ws[header_row]]
        return [{h: (v.date() if isinstance(v, dt.datetime) else v) for h, v in zip(headers, values) if h}
                for values in ws.iter_rows(min_row=header_row + 1, values_only=True) if values[0] not in (None, "")]

    return {name: sheet(name, workbook.HEADER_ROW if name == "Register" else 3) for name in ("Register",) + learning.SHEETS}


@pytest.fixture(scope="module")
def summary(built):
    found = read_register(built)
    items = learning_sheets.read_learning(built, found.register.table)
    return quarterly.build(found.register.table, items, found.settings, Q, AS_OF, found.register.holds, found.lists), found


def numbers(stats, tid, previous=False):
    return {r.key: (r.previous if previous else r.number) for r in stats.table(tid).rows if r.role != statistics.HEADING}


def route(r):
    return r.get("Procedure") or ("Corporate" if r.get("Service") in schema.EXEMPT_SERVICES else "Statutory")


def within(day, first, last):
    return day is not None and first <= day <= last


def test_quarters_of_the_reporting_year():
    assert (Q.start, Q.end, Q.label, Q.months) == (FIRST, LAST, "Quarter 3 2026/27", "October to December 2026")
    q4 = quarterly.parse_quarter("2026 q4")
    assert (q4.start, q4.end, q4.label) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31), "Quarter 4 2026/27")
    assert quarterly.previous(quarterly.parse_quarter("2026-Q1")).label == "Quarter 4 2025/26"
    calendar_year = quarterly.parse_quarter("2026-Q1", start_month=1)
    assert (calendar_year.start, calendar_year.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarterly.last_finished(dt.date(2027, 1, 20)) == Q
    for bad in ("2026-Q5", "Q3", "2026-3", ""):
        with pytest.raises(ValueError, match="for example 2026-Q3"):
            quarterly.parse_quarter(bad)


@pytest.mark.parametrize("previous, first, last", [(False, FIRST, LAST), (True, *BEFORE)])
def test_complaints_received(summary, rows, previous, first, last):
    stats, _ = summary
    got = [r for r in rows["Register"] if within(r.get("Date received"), first, last)]
    complaints = [r for r in got if r["Representation type"] in schema.COMPLAINT_TYPES]
    statutory = sum(1 for r in complaints if route(r) == "Statutory")
    corporate = sum(1 for r in complaints if route(r) == "Corporate")
    assert statutory > 10 and corporate > 5
    assert numbers(stats, "received", previous) == {
        "statutory": statutory, "corporate": corporate, "total": statutory + corporate,
        "s2": sum(1 for r in rows["Register"] if within(r.get("S2 requested"), first, last)),
        "s3": sum(1 for r in rows["Register"] if within(r.get("S3 requested"), first, last)),
        "refused": sum(1 for r in got if r["Representation type"] == "Refused"),
        "compliments": sum(1 for r in got if r["Representation type"] == "Compliment"),
    }


def test_responses_sent_and_on_time(summary, rows):
    stats, found = summary
    table = found.register.table
    due = status.timeline(table, found.settings, LAST, found.register.holds)
    by_ref = {ref: i for i, ref in enumerate(table["reference"])}
    got = numbers(stats, "timeliness")
    for stage, sent_header, due_key in ((1, "S1 response sent", "s1_response_due"), (2, "S2 adjudication sent", "s2_response_due"),
                                        (3, "S3 response sent", "s3_response_due")):
        sent = [r for r in rows["Register"] if r["Representation type"] in schema.COMPLAINT_TYPES and within(r.get(sent_header), FIRST, LAST)]
        on_time = sum(1 for r in sent if r[sent_header] <= due[due_key].iloc[by_ref[r["Reference"]]].date())
        assert got[f"s{stage}:total"] == len(sent), stage
        assert got[f"s{stage}:on_time"] == on_time and got[f"s{stage}:late"] == len(sent) - on_time, stage
    assert got["s1:total"] > 20 and 0 < got["s1:late"] < got["s1:on_time"]


def test_themes_name_the_five_commonest(summary, rows):
    stats, _ = summary
    complaints = [r for r in rows["Register"] if within(r.get("Date received"), FIRST, LAST) and r["Representation type"] in schema.COMPLAINT_TYPES]
    for tid, header in (("services", "Service"), ("natures", "Nature")):
        counts = Counter(r.get(header) or "Not recorded" for r in complaints)
        shown = {k: v for k, v in numbers(stats, tid).items() if k not in ("rest", "total")}
        assert len(shown) == 5 and "Not recorded" not in shown
        assert sorted(shown.values(), reverse=True) == sorted((v for k, v in counts.items() if k != "Not recorded"), reverse=True)[:5]
        assert all(counts[k] == v for k, v in shown.items())
        assert numbers(stats, tid)["rest"] == len(complaints) - sum(shown.values())
        before = [r for r in rows["Register"] if within(r.get("Date received"), *BEFORE) and r["Representation type"] in schema.COMPLAINT_TYPES]
        old = Counter(r.get(header) or "Not recorded" for r in before)
        assert {k: v for k, v in numbers(stats, tid, previous=True).items() if k in shown} == {k: old[k] for k in shown}


def test_learning_actions_due_and_overdue(summary, rows):
    stats, _ = summary
    actions = rows[learning.ACTIONS]
    done = lambda a: a.get("Completed date") if a.get("Completed date") and a["Completed date"] <= LAST else None  # noqa: E731
    due_q = [a for a in actions if within(a.get("Due date"), FIRST, LAST)]
    expected = {
        "on_time": sum(1 for a in due_q if done(a) and done(a) <= a["Due date"]),
        "late": sum(1 for a in due_q if done(a) and done(a) > a["Due date"]),
        "overdue": sum(1 for a in due_q if not done(a) and a["Due date"] < LAST),
        "open": sum(1 for a in due_q if not done(a) and a["Due date"] >= LAST),
        "total": len(due_q),
        "all_overdue": sum(1 for a in actions if a.get("Due date") and a["Due date"] < LAST and not done(a)),
    }
    assert expected["total"] > 5 and expected["all_overdue"] > 0
    assert numbers(stats, "actions") == expected


def test_the_ombudsman(summary, rows):
    stats, _ = summary
    cases = rows[learning.OMBUDSMAN]
    at = lambda key, c: c.get(key) if c.get(key) and c[key] <= LAST else None  # noqa: E731
    decided = [c for c in cases if within(at("Decision date", c), FIRST, LAST)]
    due = [c for c in cases if within(c.get("Comply by"), FIRST, LAST)]
    got = numbers(stats, "ombudsman")
    assert got["enquiries"] == sum(1 for c in cases if within(at("Date received", c), FIRST, LAST)) > 0
    assert got["decided"] == len(decided) > 0
    decisions = {k.removeprefix("d:"): v for k, v in got.items() if k.startswith("d:")}
    counted = Counter(c.get("Decision") or "" for c in decided)
    # a decision made only in the quarter before has its row too, with 0 for this quarter
    assert decisions == {d: counted.get(d, 0) for d in set(counted) | set(decisions)} and set(counted) <= set(decisions)
    assert got["due"] == len(due)
    assert got["r:all_overdue"] == sum(1 for c in cases if c.get("Comply by") and c["Comply by"] < LAST and not at("Date complied", c))


def test_made_later_gives_the_same_figures(summary, built):
    """A summary made months after the quarter counts nothing dated after its last day."""
    stats, found = summary
    items = learning_sheets.read_learning(built, found.register.table)
    later = quarterly.build(found.register.table, items, found.settings, Q, dt.date(2027, 6, 30), found.register.holds, found.lists)
    assert [[(r.key, r.number, r.previous) for r in t.rows] for t in later.tables] == [[(r.key, r.number, r.previous) for r in t.rows] for t in stats.tables]
    early = quarterly.build(found.register.table, items, found.settings, quarterly.parse_quarter("2026-Q4"), dt.date(2027, 1, 20), found.register.holds)
    assert early.at == dt.date(2027, 1, 20)  # a quarter not over: as at the day it is made
    with pytest.raises(ValueError, match="after the as-of date"):
        quarterly.build(found.register.table, items, found.settings, quarterly.parse_quarter("2027-Q1"), dt.date(2027, 1, 20))


def test_small_numbers_are_suppressed(summary):
    stats, _ = summary
    shown = quarterly.suppressed(stats, 5)
    for t, s in zip(stats.tables, shown.tables):
        for r, h in zip(t.rows, s.rows):
            if r.role in statistics.COUNT_ROLES and r.number is not None and 0 < r.number < 5:
                assert h.hidden and h.number is None, (t.id, r.key)
    assert any(r.hidden for t in shown.tables for r in t.rows)
    assert shown.table("received").row("total").number == stats.table("received").row("total").number  # the headline stays
    assert all(str(r.number) not in sentence for sentence in quarterly.sentences(shown)
               for t in shown.tables for r in t.rows if r.hidden and r.number is not None)


def test_the_command_writes_two_pages_with_nothing_personal(built, rows, tmp_path):
    word = tmp_path / "summary.docx"
    result = CliRunner().invoke(main, ["quarterly", str(built), "--quarter", "2026-Q3", "--as-of", AS_OF.isoformat(), "--word", str(word)])
    assert result.exit_code == 0, result.output
    assert "Quarter 3 2026/27 (October to December 2026)" in result.output
    doc = docx.Document(str(word))
    text = "\n".join(p.text for p in doc.paragraphs) + " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Complaints summary: Quarter 3 2026/27" in text and "Member Responsible for Complaints" in text
    assert len(doc.tables) == len(quarterly.TABLES)
    personal = {str(r[c.header]) for r in rows["Register"] for c in schema.INPUT_COLUMNS
                if c.personal and r.get(c.header) and len(str(r[c.header])) > 3}
    personal |= {str(r["Reference"]) for r in rows["Register"]}
    personal |= {str(a[h]) for a in rows[learning.ACTIONS] for h in ("Action", "Owning manager", "Evidence") if a.get(h)}
    assert not [p for p in personal if p in text]
    if shutil.which("soffice") and shutil.which("pdfinfo"):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(word)], capture_output=True, timeout=180)
        info = subprocess.run(["pdfinfo", str(tmp_path / "summary.pdf")], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert 1 <= pages <= 2, pages


def test_a_bad_quarter_is_told_in_a_sentence(built, tmp_path):
    result = CliRunner().invoke(main, ["quarterly", str(built), "--quarter", "2026-Q7", "--word", str(tmp_path / "x.docx")])
    assert result.exit_code != 0
    assert "for example 2026-Q3" in result.output and "Traceback" not in result.output
