"""Category lists come from the register's Lists sheet: the council's own types and
services are accepted when the register is read, and the statistics, the Code report
and the glossary show them; a default the council left off shows only when used."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from xl_complaints.core import category_lists, learning, schema
from xl_complaints.core.settings import Settings
from xl_complaints.files.reader import read_register
from xl_complaints.reports import code_report, statistics, statistics_narrative
from xl_complaints.reports.statistics_reader import read_for_statistics

D = dt.date
SETTINGS = Settings(council_name="Northshire County Council")
OWN_TYPE, OWN_SERVICE = "Member enquiry", "Youth Justice Service"
# The council's Lists sheet: its own type added, the old 'LSCB' kept instead of the default name,
# 'Contact centre handoff' left off (it has no contact centre); its own service added.
TYPES = tuple(t for t in schema.REPRESENTATION_TYPES if t not in ("Safeguarding partnership", "Contact centre handoff")) + ("LSCB", OWN_TYPE)
SERVICES = schema.SERVICES + (OWN_SERVICE,)


def write_register(path, records: list[dict], lists: dict[str, tuple[str, ...]] | None) -> None:
    """A register with a Register sheet and (when given) a Lists sheet, as the workbook builder lays it out."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Register")
    headers = [c.header for c in schema.INPUT_COLUMNS]
    sheet.write_row(0, 0, headers)
    epoch = D(1899, 12, 30)
    for i, record in enumerate(records, start=1):
        for j, header in enumerate(headers):
            value = record.get(header)
            if isinstance(value, dt.date):
                sheet.write_number(i, j, (value - epoch).days)
            elif value is not None:
                sheet.write_string(i, j, value)
    if lists is not None:
        sheet = book.add_worksheet("Lists")
        sheet.write_row(0, 0, ["Yes/No"], None)
        sheet.write_column(1, 0, schema.YN)
        for j, col in enumerate([c for c in schema.INPUT_COLUMNS if c.kind is schema.Kind.CATEGORY], start=1):
            sheet.write_string(0, j, col.header)
            sheet.write_column(1, j, lists.get(col.header, col.values))
    book.close()


def record(i: int, kind: str, service: str = "Child in Need", procedure: str = "Statutory", **more) -> dict:
    received = D(2025, 4, 7) + dt.timedelta(days=3 * i)
    return {"Reference": f"L-{i:03d}", "Date received": received, "Representation type": kind, "Procedure": procedure,
            "Service": service, "Received from": "Parent", **more}


RECORDS = (
    [record(i, "Complaint") for i in range(6)]
    + [record(10 + i, "Complaint", OWN_SERVICE) for i in range(3)]
    + [record(20 + i, OWN_TYPE) for i in range(4)]
    + [record(30, "LSCB")]
    + [record(40 + i, "Complaint", OWN_SERVICE, "Corporate", **{"S1 acknowledged": D(2025, 6, 2)}) for i in range(2)]
)


@pytest.fixture(scope="module")
def council_register(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "register.xlsx"
    write_register(path, RECORDS, {"Representation type": TYPES, "Service": SERVICES})
    return path


def test_the_lists_sheet_is_read_as_the_councils_lists(council_register):
    found = read_register(council_register, SETTINGS)
    assert not found.register.errors  # the council's own values are on its list
    assert found.lists["representation_type"] == TYPES
    assert found.lists["service"] == SERVICES
    table = found.register.table
    assert (table["representation_type"] == OWN_TYPE).sum() == 4
    assert (table["service"] == OWN_SERVICE).sum() == 5
    # the toolkit's own values stay accepted: a list is never narrowed
    assert set(schema.REPRESENTATION_TYPES) <= set(category_lists.values("representation_type", found.lists))


def test_without_a_lists_sheet_the_councils_values_are_problems(tmp_path):
    path = tmp_path / "plain.xlsx"
    write_register(path, RECORDS, None)
    found = read_register(path, SETTINGS)
    bad = [p for p in found.register.errors if p.column in ("Representation type", "Service")]
    assert len(bad) == 4 + 1 + 5  # the own type, 'LSCB', the own service
    assert all("Lists sheet" in p.message for p in bad)


def test_statistics_count_the_councils_own_categories(council_register):
    source = read_for_statistics(council_register, SETTINGS)
    assert not source.problems
    stats = statistics.build(source.table, SETTINGS, 2025, as_of=D(2026, 4, 1), lists=source.lists)
    t1a = stats.table("1a")
    rows = {r.key: r.number for r in t1a.rows}
    # recomputed from the records: the own type and LSCB are 'other' representations, never corporate
    assert rows[f"other:{OWN_TYPE}"] == sum(1 for r in RECORDS if r["Representation type"] == OWN_TYPE) == 4
    assert rows["other:LSCB"] == 1
    assert "other:Contact centre handoff" not in rows  # left off the council's list and unused
    assert "other:Safeguarding partnership" not in rows
    assert rows["total_other"] == 5
    assert rows["total_statutory"] == 9  # the six complaints and three about the own service; corporate not counted
    assert [r.key.removeprefix("other:") for r in t1a.rows if r.key.startswith("other:")] == [
        t for t in TYPES if t not in schema.STATUTORY_TYPES
    ]  # the council's order
    t6a = stats.table("6a")
    assert t6a.row(OWN_SERVICE).number == 3
    assert t6a.row("total").number == 9
    glossary = dict(next(s for s in statistics_narrative.sections(stats, SETTINGS) if s.number == "Appendix 1").items)
    assert glossary[OWN_TYPE] == statistics_narrative.OWN_TYPE  # a place for the council's definition
    assert glossary["Complaint"].startswith("An expression of dissatisfaction")


def test_the_same_figures_from_the_general_reader(council_register):
    """`read_register` and the statistics' own reader give the same tables from the same Lists sheet."""
    source = read_for_statistics(council_register, SETTINGS)
    found = read_register(council_register, SETTINGS)
    a = statistics.build(source.table, SETTINGS, 2025, as_of=D(2026, 4, 1), lists=source.lists)
    b = statistics.build(found.register.table, SETTINGS, 2025, as_of=D(2026, 4, 1), lists=found.lists)
    assert statistics.as_dict(a)["tables"] == statistics.as_dict(b)["tables"]


def test_the_code_report_themes_use_the_councils_services(council_register):
    found = read_register(council_register, SETTINGS)
    report = code_report.build(found.register.table, learning.Learning(), SETTINGS, 2025, D(2026, 4, 1), lists=found.lists)
    themes = {r.label: r.number for r in report.stats.table("c14").rows}
    assert themes[OWN_SERVICE] == sum(1 for r in RECORDS if r["Procedure"] == "Corporate" and r["Service"] == OWN_SERVICE) == 2


def test_from_rows_ignores_blanks_repeats_and_other_columns():
    rows = [["Yes/No", "Service", "Nature", "Team"], ["Yes", " Youth  Justice ", None, "A"], ["No", "youth justice", "", "B"],
            [None, "Child in need", None, None]]
    lists = category_lists.from_rows(rows)
    assert lists == {"service": ("Youth Justice", "Child in need")}  # Team is free text, Nature's column is empty
    assert category_lists.on_sheet("service", lists) == ("Youth Justice", "Child in Need")  # spelled as the default
    assert category_lists.from_rows([[c.header for c in schema.INPUT_COLUMNS if c.kind is schema.Kind.CATEGORY]]) == {}
