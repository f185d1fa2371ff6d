"""The Code report: every figure recomputed here from the register's rows, by plain loops (not the report's code)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.reports import code_report

from xl_complaints.core import learning, schema
from xl_complaints.files import learning_sheets

from xl_complaints.sample import complaints as sample, learning as sample_learning

from xl_complaints.excel import workbook
from xl_complaints.cli import main
from xl_complaints.files.reader import read_register
from xl_complaints.core.settings import Settings

YEAR = 2026
FIRST, LAST = dt.date(2026, 4, 1), dt.date(2027, 3, 31)
AS_OF = dt.date(2027, 5, 3)
CAL = Settings().calendar


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    records = sample.generate(700, years=2, seed=11, end=AS_OF)
    items = sample_learning.generate(records, seed=11, end=AS_OF)
    path = tmp_path_factory.mktemp("code") / "Complaints_Register.xlsm"
    return workbook.build(path, records, as_of=AS_OF, learning=items)


@pytest.fixture(scope="module")
def rows(built):
    """The register's rows and the learning sheets' rows, as an officer sees them (openpyxl, not the toolkit's reader)."""
    book = openpyxl.load_workbook(built, data_only=True)

    def sheet(name, header_row):
        ws = book[name]
        headers = [c.value for c in ws[header_row]]
        out = []
        for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
            if values[0] in (None, ""):
                continue
            out.append({h: (v.date() if isinstance(v, dt.datetime) else v) for h, v in zip(headers, values) if h})
        return out

    return {name: sheet(name, workbook.HEADER_ROW if name == "Register" else 3) for name in ("Register",) + learning.SHEETS}


@pytest.fixture(scope="module")
def report(built):
    """As the command makes it: only the corporate route's rows and their items are read."""
    source = code_report.read_for_code_report(built, YEAR)
    return code_report.build(source.table, source.learning, source.settings, YEAR, AS_OF, source.self_assessment,
                             lists=source.lists, holds=source.holds)


def test_reading_only_the_corporate_rows_gives_the_whole_registers_figures(built, report):
    found = read_register(built)
    items = learning_sheets.read_learning(built, found.register.table)
    whole = code_report.build(found.register.table, items, found.settings, YEAR, AS_OF, code_report.read_self_assessment(built),
                              lists=found.lists, holds=found.register.holds)
    assert [(t.id, [(r.key, r.number) for r in t.rows]) for t in report.stats.tables] == [
        (t.id, [(r.key, r.number) for r in t.rows]) for t in whole.stats.tables]
    source = code_report.read_for_code_report(built, YEAR)
    assert not [p for p in source.problems if p.row == workbook.HEADER_ROW]  # no column of the register is 'missing'
    assert source.statutory_rows == int((found.register.table["procedure"] == schema.STATUTORY).sum()) > 0
    assert len(source.table) + source.statutory_rows == len(found.register.table)
    corporate = code_report.corporate_references(found.register.table)
    read = {(i.reference.upper(), i.row) for i in source.learning.actions}
    assert read <= {(i.reference.upper(), i.row) for i in items.actions if i.reference.upper() in corporate}  # only corporate ones
    due = {(i.reference.upper(), i.row) for i in items.actions if i.reference.upper() in corporate and FIRST <= i["due_date"] <= LAST}
    assert due and due <= read  # every one the year counts
    assert len(read) < sum(1 for i in items.actions if i.reference.upper() in corporate)  # other years' are left unread


def numbers(report, tid):
    return {r.label: r.number for r in report.stats.table(tid).rows}


def corporate(r):
    procedure = r.get("Procedure") or ("Corporate" if r.get("Service") in schema.EXEMPT_SERVICES else "Statutory")
    return procedure == "Corporate"


def received_in_year(r):
    return r.get("Date received") is not None and FIRST <= r["Date received"] <= LAST


@pytest.fixture(scope="module")
def complaints(rows):
    return [r for r in rows["Register"] if corporate(r) and received_in_year(r) and r["Representation type"] in schema.COMPLAINT_TYPES]


def test_complaints_received(report, complaints):
    assert len(complaints) > 40
    assert numbers(report, "c1") == {
        "Complaints received": len(complaints),
        "Stage 1 responses sent": sum(1 for r in complaints if r.get("S1 response sent")),
        "Asked for stage 2": sum(1 for r in complaints if r.get("S2 requested")),
    }


def test_acknowledged_within_5_working_days(report, complaints):
    within = later = 0
    for r in complaints:
        if not r.get("S1 acknowledged"):
            continue
        day_zero = CAL.next_working_day_on_or_after(r["Date received"])  # a weekend receipt counts from the Monday
        if r["S1 acknowledged"] <= CAL.add(day_zero, 5):
            within += 1
        else:
            later += 1
    assert later > 0 and within > later
    assert numbers(report, "c2") == {"Within 5 working days": within, "Later": later, "Acknowledged": within + later}


def ack_due(r):
    return CAL.add(CAL.next_working_day_on_or_after(r["Date received"]), 5)


@pytest.mark.parametrize("tid, start, start_due, sent, extended, days", [
    ("c3", "S1 acknowledged", ack_due, "S1 response sent", "S1 extended", 10),
    ("c5", "S2 accepted", lambda r: CAL.add(r["S2 requested"], 5), "S2 adjudication sent", "S2 extended", 20),
])
def test_responses_within_the_codes_time(report, complaints, tid, start, start_due, sent, extended, days):
    counts = Counter()
    for r in complaints:
        if not r.get(sent):
            continue
        begin = r.get(start) or start_due(r)
        if r[sent] <= CAL.add(begin, days):
            counts["within"] += 1
        elif r.get(extended) == "Yes" and r[sent] <= CAL.add(begin, 2 * days):  # the extension: 10 more at stage 1, 20 at stage 2
            counts["extended"] += 1
        else:
            counts["late"] += 1
    assert counts["within"] > 0
    assert numbers(report, tid) == {f"Within {days} working days": counts["within"], "Within the extended time": counts["extended"],
                                    "Late": counts["late"], "Responses sent": sum(counts.values())}


def test_extensions_and_how_long(report, complaints):
    extra = [max(CAL.count(r.get("S1 acknowledged") or ack_due(r), r["S1 response sent"]) - 10, 0)
             for r in complaints if r.get("S1 extended") == "Yes" and r.get("S1 response sent")]
    got = numbers(report, "c4")
    assert got["Stage 1: extensions agreed"] == sum(1 for r in complaints if r.get("S1 extended") == "Yes")
    assert got["Stage 1: average working days beyond the Code's time"] == round(sum(extra) / len(extra), 1)
    assert got["Stage 1: longest, in working days"] == max(extra)
    assert got["Stage 2: extensions agreed"] == sum(1 for r in complaints if r.get("S2 extended") == "Yes")


def test_refusals_outcomes_and_themes(report, rows, complaints):
    refused = [r for r in rows["Register"] if corporate(r) and received_in_year(r) and r["Representation type"] == "Refused"]
    got = numbers(report, "c6")
    assert got["Refused"] == len(refused)
    for reason in schema.REFUSAL_REASONS:
        assert got[reason] == sum(1 for r in refused if r.get("Refusal reason") == reason)
    for tid, column in (("c7", "S1 outcome"), ("c8", "S2 outcome")):
        got = numbers(report, tid)
        for outcome in schema.OUTCOMES:
            assert got[outcome] == sum(1 for r in complaints if r.get(column) == outcome)
        assert got["Decided"] == sum(1 for r in complaints if r.get(column))
    by_service = Counter(r.get("Service") or "Not recorded" for r in complaints)
    assert {k: v for k, v in numbers(report, "c14").items() if k != "Complaints"} == dict(by_service)
    by_nature = Counter(r.get("Nature") or "Not recorded" for r in complaints)
    assert {k: v for k, v in numbers(report, "c15").items() if k != "Complaints"} == dict(by_nature)


def corporate_refs(rows):
    return {r["Reference"].upper() for r in rows["Register"] if corporate(r)}


def test_remedies(report, rows):
    refs = corporate_refs(rows)
    offered = [r for r in rows["Remedies"] if r["Reference"].upper() in refs and r.get("Date offered") and FIRST <= r["Date offered"] <= LAST]
    assert len(offered) > 10
    got = numbers(report, "c9")
    for kind in learning.REMEDY_KINDS:
        assert got[kind] == sum(1 for r in offered if r["Remedy"] == kind)
    payments = [r for r in offered if r.get("Amount") is not None]
    got = numbers(report, "c10")
    assert got["Payments offered"] == len(payments)
    assert got["Total offered (£)"] == pytest.approx(sum(float(r["Amount"]) for r in payments))
    assert got["Paid by the year end"] == sum(1 for r in payments if r.get("Date done") and r["Date done"] <= LAST)


def test_ombudsman_decisions_and_compliance(report, rows):
    refs = corporate_refs(rows)
    cases = [c for c in rows["Ombudsman cases"] if c["Reference"].upper() in refs]
    decided = [c for c in cases if c.get("Decision") and c.get("Decision date") and FIRST <= c["Decision date"] <= LAST]
    got = numbers(report, "c11")
    assert got["Decisions"] == len(decided) > 0
    for decision in learning.OMBUDSMAN_DECISIONS:
        assert got[decision] == sum(1 for c in decided if c["Decision"] == decision)
    due = [c for c in cases if c.get("Comply by") and FIRST <= c["Comply by"] <= LAST]
    got = numbers(report, "c12")
    assert got["Complied with by the date set"] == sum(1 for c in due if c.get("Date complied") and c["Date complied"] <= c["Comply by"])
    assert got["Complied with late"] == sum(1 for c in due if c.get("Date complied") and c["Date complied"] > c["Comply by"])
    assert got["Not yet complied with: overdue"] == sum(1 for c in due if not c.get("Date complied"))  # the year is over by AS_OF
    assert got["Remedies due"] == len(due)


def test_actions_done_and_overdue(report, rows):
    refs = corporate_refs(rows)
    due = [a for a in rows["Actions"] if a["Reference"].upper() in refs and FIRST <= a["Due date"] <= LAST]
    got = numbers(report, "c13")
    assert got["Actions due"] == len(due) > 5
    assert got["Done by the due date"] == sum(1 for a in due if a.get("Completed date") and a["Completed date"] <= a["Due date"])
    assert got["Done late"] == sum(1 for a in due if a.get("Completed date") and a["Completed date"] > a["Due date"])
    assert got["Not done: overdue"] == sum(1 for a in due if not a.get("Completed date"))
    assert got["Not yet due"] == 0


def test_a_report_made_mid_year_judges_as_at_that_day(built):
    found = read_register(built)
    items = learning_sheets.read_learning(built, found.register.table)
    early = code_report.build(found.register.table, items, found.settings, YEAR, dt.date(2026, 10, 1))
    assert early.as_at == dt.date(2026, 10, 1)
    got = numbers(early, "c13")
    assert got["Not yet due"] >= 0 and sum(v for k, v in got.items() if k != "Actions due") == got["Actions due"]


def test_suppression_hides_small_numbers_as_the_statutory_report(report):
    hidden = code_report.suppressed(report, 5)
    for t in hidden.stats.tables:
        for r in t.rows:
            if r.role == "item" and r.number is not None:
                assert r.number == 0 or r.number >= 5, (t.id, r.label)
    assert any(r.hidden for t in hidden.stats.tables for r in t.rows)


def test_self_assessment_from_the_sheet_with_what_the_toolkit_measures(report):
    rows = report.self_assessment
    assert [r["Requirement"] for r in rows] == [req for req, _ in code_report.REQUIREMENTS]
    ack = next(r for r in rows if "acknowledged within 5" in r["Requirement"])
    within = numbers(report, "c2")["Within 5 working days"]
    assert ack["Measured"].startswith(f"Within 5 working days: {within} (")
    assert next(r for r in rows if "definition" in r["Requirement"])["Measured"] == ""


def test_the_command_writes_word_and_workbook(built, tmp_path):
    word, out = tmp_path / "code.docx", tmp_path / "code.xlsx"
    result = CliRunner().invoke(main, ["code-report", str(built), "--year", str(YEAR), "--as-of", AS_OF.isoformat(),
                                       "--word", str(word), "--out", str(out), "--suppress-under", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(word).paragraphs)
    for heading in ("Self-assessment against the Code", "Complaints not accepted", "The Ombudsman's findings",
                    "Service improvements from learning", "The Ombudsman's annual letter", "How the figures are counted"):
        assert heading in text
    cells = [c.text for t in docx.Document(word).tables for row in t.rows for c in row.cells]
    assert "Acknowledged" in cells
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Figures", "Self-assessment", "Counting rules"]
    # No personal details or free text reach the report
    names = {r["Complainant last name"] for r in sample.generate(700, years=2, seed=11, end=AS_OF) if r.get("Complainant last name")}
    flat = text + "\n".join(cells) + "\n".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value)
    assert not [n for n in names if len(n) > 4 and n in flat]
    assert not [a for a in sample_learning.ACTION_TEXTS if a in flat]


def test_done_on_the_day_it_is_due_is_on_time():
    from xl_complaints.core.register import from_records

    table = from_records([{"Reference": "CORP-1", "Date received": dt.date(2026, 5, 4), "Representation type": "Complaint",
                           "Procedure": "Corporate"}]).table
    due = dt.date(2026, 7, 1)
    sheets = {
        learning.ACTIONS: (*learning.from_records(learning.ACTIONS, [
            {"Reference": "CORP-1", "Due date": due, "Completed date": due},
            {"Reference": "CORP-1", "Due date": due, "Completed date": due + dt.timedelta(days=1)},
            {"Reference": "CORP-1", "Due date": due},
        ]), 1),
        learning.OMBUDSMAN: (*learning.from_records(learning.OMBUDSMAN, [
            {"Reference": "CORP-1", "Ombudsman reference": "26-1", "Date received": dt.date(2026, 5, 20), "Comply by": due, "Date complied": due},
            {"Reference": "CORP-1", "Ombudsman reference": "26-2", "Date received": dt.date(2026, 5, 20), "Comply by": due},
        ]), 1),
    }
    items = learning.validate(sheets, table)
    assert items.errors == []
    made = code_report.build(table, items, Settings(), YEAR, due)  # made on the due day: nothing is overdue yet
    assert numbers(made, "c13") == {"Done by the due date": 1, "Done late": 1, "Not done: overdue": 0, "Not yet due": 1, "Actions due": 3}
    assert numbers(made, "c12")["Complied with by the date set"] == 1 and numbers(made, "c12")["Not yet due"] == 1
    later = code_report.build(table, items, Settings(), YEAR, due + dt.timedelta(days=1))
    assert numbers(later, "c13")["Not done: overdue"] == 1 and numbers(later, "c12")["Not yet complied with: overdue"] == 1
