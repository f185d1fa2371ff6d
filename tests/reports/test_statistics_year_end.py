"""Every year-end figure is as at the year end, whatever day the report is made.

A register where things happened after 31 March 2017 (answers sent, a stage 2
request accepted, a withdrawal, an Ombudsman referral) gives the same 2016/17
figures read on 1 April 2017 and on 1 December 2017.
"""

from __future__ import annotations

import datetime as dt

from test_statistics import SETTINGS, report_records

from xl_complaints.reports import statistics
from xl_complaints.core.register import from_records

D = dt.date


def after_the_year_end() -> list[dict]:
    """Cases open on 31 March 2017 that moved on afterwards."""
    base = {"Representation type": "Complaint", "Procedure": "Statutory"}
    return [
        # answered at stage 1 in May: open at the year end, not banded
        {**base, "Reference": "YE-1", "Date received": D(2017, 2, 20), "S1 response sent": D(2017, 5, 4)},
        # stage 2 asked for in March, accepted in April, adjudicated in August: awaiting allocation at the year end
        {**base, "Reference": "YE-2", "Date received": D(2016, 11, 1), "S1 response sent": D(2016, 11, 10),
         "S2 requested": D(2017, 3, 20), "S2 accepted": D(2017, 4, 10), "S2 adjudication sent": D(2017, 8, 1)},
        # withdrawn in June: still open at the year end
        {**base, "Reference": "YE-3", "Date received": D(2017, 3, 1), "Withdrawn date": D(2017, 6, 1)},
        # received after the year end: in no 2016/17 figure
        {**base, "Reference": "YE-4", "Date received": D(2017, 4, 3), "S1 response sent": D(2017, 4, 10)},
        # the Ombudsman tells the council in July of a complaint answered in the year
        {**base, "Reference": "YE-5", "Date received": D(2016, 6, 1), "S1 response sent": D(2016, 6, 8),
         "LGSCO referred": D(2017, 7, 3), "LGSCO outcome": "Premature - referred back"},
    ]


def report(as_of: dt.date) -> statistics.Statistics:
    table = from_records(report_records() + after_the_year_end()).table
    return statistics.build(table, SETTINGS, 2016, as_of=as_of)


def figures(stats: statistics.Statistics) -> dict:
    """Everything the report says, less the day it was made."""
    data = statistics.as_dict(stats)
    data.pop("as_of")
    data["notes"] = [n for n in data["notes"] if not n.startswith("Every figure is as at")]
    return data


def test_a_report_made_in_december_gives_the_figures_of_one_made_on_1_april():
    april, december = report(D(2017, 4, 1)), report(D(2017, 12, 1))
    assert april.at == december.at == D(2017, 3, 31)
    assert figures(april) == figures(december)
    # and the sentences, the summary and the rules are all there to compare
    assert figures(april)["sentences"]["summary"] and len(figures(april)["notes"]) > 5


def test_the_cases_open_at_the_year_end_are_open_in_the_report():
    t = report(D(2017, 12, 1)).table("2")
    plain = report(D(2017, 3, 31)).table("2")  # made on the last day of the year
    for key in ("s1:total", "s1:band1", "s1:band2", "s1:band3", "s1:open", "s2:total", "s2:awaiting", "s1:average"):
        assert t.row(key).number == plain.row(key).number, key
    # YE-1 and YE-3 are open at stage 1 (on top of the report's own open cases); YE-2 awaits allocation
    only_report = statistics.build(from_records(report_records()).table, SETTINGS, 2016, as_of=D(2017, 12, 1)).table("2")
    assert t.row("s1:open").number == (only_report.get("s1:open").number if only_report.get("s1:open") else 0) + 2
    assert t.row("s2:awaiting").number == only_report.row("s2:awaiting").number + 1
    assert t.row("s1:band1").number == only_report.row("s1:band1").number + 2  # YE-2 and YE-5 answered in the year...
    assert t.row("s1:total").number == only_report.row("s1:total").number + 4  # ...YE-4 is next year's


def test_the_ombudsman_table_counts_referrals_by_the_year_end():
    december = report(D(2017, 12, 1)).table("ombudsman")
    without = statistics.build(from_records(report_records()).table, SETTINGS, 2016, as_of=D(2017, 12, 1)).table("ombudsman")
    assert december.row("total").number == without.row("total").number  # YE-5's referral is 2017/18's


def test_notes_say_the_figures_are_as_at_the_year_end():
    notes = " ".join(report(D(2017, 12, 1)).notes)
    assert "Every figure is as at 31 March 2017, the end of the year" in notes
    assert "read on 1 December 2017" in notes
    # a row received after the year end is not 'undated'
    assert "no date received" not in notes


def test_a_year_not_over_is_counted_to_the_day():
    stats = report(D(2017, 1, 31))
    assert stats.at == D(2017, 1, 31)
    assert "the year is not over" in " ".join(stats.notes)


def test_the_sample_register_gives_the_same_year_whenever_it_is_reported():
    from xl_complaints.sample import complaints as sample

    table = sample.generate_table(1500, years=3, seed=9, end=D(2026, 11, 30), settings=SETTINGS)
    april, december = (statistics.build(table, SETTINGS, 2025, as_of=d) for d in (D(2026, 4, 1), D(2026, 12, 1)))
    assert figures(april) == figures(december)


def test_the_stats_command_gives_the_same_json_in_april_and_december(tmp_path):
    import json

    from click.testing import CliRunner
    from test_statistics_export import write_register

    from xl_complaints.cli import main

    path = write_register(report_records() + after_the_year_end(), tmp_path / "Complaints_Register.xlsx")
    out = []
    for as_of in ("2017-04-01", "2017-12-01"):
        result = CliRunner().invoke(main, ["stats", str(path), "--year", "2016", "--as-of", as_of, "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["figures_at"] == "2017-03-31" and data.pop("as_of") == as_of
        data["notes"] = [n for n in data["notes"] if not n.startswith("Every figure is as at")]
        out.append(data)
    assert out[0] == out[1]
