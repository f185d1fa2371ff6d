"""The report's words and small numbers: timeliness sentences from the right figures,
'with an extension' only where one is recorded, '<1%' for 1 in 292, and the headline
count kept through suppression."""

from __future__ import annotations

import datetime as dt

import pytest
from test_statistics import AS_OF, CAL, SETTINGS, report_table

from xl_complaints.reports import statistics, statistics_export
from xl_complaints.core.register import from_records

D = dt.date


def stage1(days: int, extended: bool = False, i: int = 0) -> dict:
    received = D(2016, 5, 3) + dt.timedelta(days=i)
    record = {"Reference": f"T{days}-{i}", "Representation type": "Complaint", "Procedure": "Statutory",
              "Date received": received, "S1 response sent": CAL.add(received, days)}
    if extended:
        record["S1 extended"] = "Yes"
    return record


def build(records, **kw):
    return statistics.build(from_records(records).table, SETTINGS, 2016, as_of=AS_OF, **kw)


def test_the_upper_limit_is_both_bands_together():
    words = statistics.sentences(statistics.build(report_table(), SETTINGS, 2016, as_of=AS_OF))["2"]
    # the report's 33: 10 within 10 days, 20 in 11-20, 3 over 20
    assert "30% of statutory stage 1 complaints were answered within 10 working days." in words
    assert "91% were answered within the upper limit of 20 working days, and 9% took longer." in words
    assert not any("61% were answered within the upper limit" in s for s in words)  # the middle band alone
    assert "None of the 20 answered in between 10 and 20 working days had an extension recorded." in words
    assert not any("allowed with an extension" in s for s in words)


def test_with_an_extension_only_where_one_is_recorded():
    records = [stage1(5, i=0), stage1(12, True, 1), stage1(15, True, 2), stage1(18, False, 3), stage1(25, True, 4)]
    stats = build(records)
    t2 = stats.table("2")
    assert t2.row("s1:band2").number == 3
    assert t2.row("s1:band2:extended").number == 2  # the 25-day one had an extension too, but was late anyway
    words = statistics.sentences(stats)["2"]
    assert "20% of statutory stage 1 complaints were answered within 10 working days." in words
    assert "80% were answered within the upper limit of 20 working days, and 20% took longer." in words
    assert "2 of the 3 answered in between 10 and 20 working days had an extension recorded; 1 had none and was late." in words
    every = build([stage1(12, True, 1), stage1(13, True, 2)])
    assert "All 2 answered in between 10 and 20 working days had an extension recorded." in statistics.sentences(every)["2"]


@pytest.mark.parametrize("value, text", [(100 / 292, "<1%"), (0.0, "0%"), (0.5, "1%"), (30.3, "30%"), (291 / 292 * 100, ">99%"), (100.0, "100%")])
def test_percent_text(value, text):
    assert statistics.percent_text(value) == text


def test_one_in_292_prints_as_less_than_one_percent():
    assert statistics_export.display_percent(100 / 292) == "(<1%)"
    assert statistics_export.display_percent(0.0) == "(0%)"


def test_suppression_never_hides_the_headline_count():
    stats = statistics.build(report_table(), SETTINGS, 2016, as_of=AS_OF)
    for under in (3, 5, 10, 20, 30):
        hidden = statistics.suppress(stats, under)
        t1 = hidden.table("1a")
        assert t1.row("total_statutory").number == 33, under
        for t in hidden.tables:  # every copy of it
            for r in t.rows:
                if r.population == "statutory":
                    assert not r.hidden, (under, t.id, r.key)
        assert statistics.sentences(hidden)["summary"], under
        assert any("33 of them were statutory representations" in s or "33 statutory representations were received" in s
                   for s in statistics.sentences(hidden)["1a"]), under


def test_the_workbook_prints_small_shares_as_less_than_one_percent(tmp_path):
    import openpyxl

    records = [stage1(5, i=i) for i in range(291)] + [stage1(25, i=100)]  # 1 late in 292
    path = statistics_export.write_workbook(build(records), tmp_path / "stats.xlsx")
    sheet = openpyxl.load_workbook(path)["2 Timeliness"]
    rows = {row[0].value: [c.value for c in row[1:3]] for row in sheet.iter_rows() if row[0].value}
    assert rows["- in over 20 working days"] == [1, "<1%"]
    assert rows["- in 10 working days"] == [291, ">99%"]
    totals = [row[1].value for row in sheet.iter_rows() if row[0].value == "Total number of complaints"]
    assert totals[0] == 292  # stage 1; the percent cells of whole numbers stay numbers
