"""Year-end statistics: a register built to reproduce the 2016/17 annual report
gives the report's tables back, table by table; the counting rules; suppression."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from xl_complaints.core import schema

from xl_complaints.reports import statistics
from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings
from xl_complaints.reports.statistics import suppress, whole_percent

D = dt.date
SETTINGS = Settings()
CAL = SETTINGS.calendar
AS_OF = D(2017, 6, 30)  # the report was written after the year end


def _load_report():
    path = Path(__file__).parents[1] / "data" / "report_2016_17.py"
    spec = importlib.util.spec_from_file_location("report_2016_17", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


R = _load_report()


# --- a register whose rows reproduce the report ------------------------------------

# Stage 1 working days, receipt to response, for the 33 complaints in table 2:
# 10 within 10, 20 between 11 and 20, 3 over 20; they add up to 442, so the
# average is 442 / 33 = 13.39, printed 13.4.
S1_DAYS = [5, 6, 7, 8, 8, 9, 9, 10, 10, 10] + [11, 12, 12, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 20, 14, 12] + [21, 30, 25]
# Acknowledgement: 33 representations, 168 working days in all: 5.09, printed 5.1.
ACK_DAYS = [2] * 8 + [3] * 9 + [5] * 4 + [8] * 6 + [9] * 3 + [10] * 3
# Table 9a: ages on the day of receipt; (years, +1 day) is a birthday the day after receipt.
YOUNG_AGES = [(8, 0), (10, 0), (12, 0), (14, 0), (15, 0), (17, 1), (17, 0), (18, 0), (18, 0)]
OUTCOME_CYCLE = ("Upheld", "Partially upheld", "Not upheld", None)
PERSONAL_WORDS = ("Zebedee", "Quimby-Fforde", "Childname", "77 Nowhere Lane", "XX9 9ZZ", "zebedee@example.com")


def label(text: str, table_id: str | None = None) -> str:
    text = R.TABLE_LABELS.get(table_id, {}).get(text, text)
    return R.SCHEMA_LABELS.get(text, text)


def spread(counts: dict, table_id: str | None = None) -> list[str]:
    return [label(k, table_id) for k, n in counts.items() if k != "Total" for _ in range(n)]


def minus(whole: list[str], part: list[str]) -> list[str]:
    rest = Counter(whole)
    rest.subtract(Counter(part))
    assert min(rest.values()) >= 0, "the young people's table is not a subset"
    return sorted(rest.elements(), key=whole.index)


def column_values(young: dict, everyone: dict, young_id: str | None = None) -> list[str]:
    """Values for rows 0-8 (young people) then rows 9-32 (everyone else)."""
    yp = spread(young, young_id)
    return yp + minus(spread(everyone), yp)


def personal(i: int) -> dict:
    return {
        "Complainant first name": "Zebedee",
        "Complainant last name": f"Quimby-Fforde{i}",
        "Address line 1": "77 Nowhere Lane",
        "Postcode": "XX9 9ZZ",
        "Email": "zebedee@example.com",
        "Child name": f"Childname{i}",
    }


def report_records() -> list[dict]:
    """Every row of a register that gives the 2016/17 report's numbers (and a previous year)."""
    t7b = {"Not Known/Specified": 3, "Request Fulfilled": 6}
    columns = {
        "How received": column_values({k: v[0] for k, v in R.TABLE_3B.items()}, {k: v[0] for k, v in R.TABLE_3A.items()}),
        "Nature": column_values(R.TABLE_5B, R.TABLE_5A),
        "Service": column_values(R.TABLE_6B, R.TABLE_6A),
        "Outcome sought": column_values(t7b, R.TABLE_7A),
        "S1 actual outcome": column_values(R.TABLE_7D, R.TABLE_7C),
        "Complainant disability": column_values(R.TABLE_8B, R.TABLE_8A, "8b"),
        "Complainant gender": column_values(R.TABLE_8D, R.TABLE_8C),
        "Complainant age band": column_values(R.TABLE_8F, R.TABLE_8E),
        "Complainant ethnicity": column_values(R.TABLE_8H, R.TABLE_8G),
    }
    received_from = [schema.YOUNG_PERSON] * 9 + ["Parent"] * 20 + ["Grandparent"] * 3 + ["Foster Carer"]
    legal = spread(R.TABLE_9B) + [None] * 24
    records = []
    for i in range(33):
        received = CAL.add(D(2016, 4, 1), 2 + 7 * i)
        kind = "Refused" if i == 32 else "Area initiated complaint" if i == 31 else "Complaint"
        record = {
            "Reference": f"CSC-2016-{i:04d}",
            "Date received": received,
            "Representation type": kind,
            "Procedure": "Statutory",
            "Received from": received_from[i],
            "Child legal status": legal[i],
            "S1 acknowledged": CAL.add(received, ACK_DAYS[i]),
            "Learning identified": "Yes" if i in (10, 20) else (None if i % 5 == 4 else "No"),
            **{header: values[i] for header, values in columns.items()},
            **personal(i),
        }
        if kind == "Refused":
            record["Refusal reason"] = "Outside of Remit"
        else:
            record["S1 response sent"] = CAL.add(received, S1_DAYS[i])
            record["S1 outcome"] = OUTCOME_CYCLE[i % 4]
        if i < 9:  # young people
            years, shift = YOUNG_AGES[i]
            record["Child date of birth"] = D(received.year - years, received.month, received.day) + dt.timedelta(days=shift)
            record["Advocate"] = "Yes" if i < 6 else ("No" if i < 8 else None)
        # blanks that count as the report's own 'not stated' rows
        if i in (2, 15, 16):
            record["Complainant gender"] = None
        if i == 1:
            record["Outcome sought"] = None  # counts as Not Known/Specified
        records.append(record)
    # three complaints of the year asked for stage 2 near the year end; none allocated by 31 March
    for i, requested, accepted in ((3, D(2017, 2, 20), None), (12, D(2017, 3, 6), D(2017, 4, 10)), (20, D(2017, 3, 27), None)):
        records[i]["S2 requested"] = requested
        records[i]["S2 accepted"] = accepted
    records += previous_years()
    records += other_representations()
    # not counted: corporate complaints, and the next year's first complaint
    for i, day in enumerate((D(2016, 6, 1), D(2016, 11, 15))):
        records.append({"Reference": f"CORP-{i}", "Date received": day, "Representation type": "Complaint", "Procedure": "Corporate", "Received from": "Parent", **personal(100 + i)})
    records.append({"Reference": "CSC-2017-0001", "Date received": D(2017, 4, 3), "Representation type": "Complaint", "Procedure": "Statutory", "Received from": schema.YOUNG_PERSON})
    return records


def previous_years() -> list[dict]:
    """Complaints from earlier years that table 2 counts because they were completed in 2016/17."""
    base = {"Representation type": "Complaint", "Procedure": "Statutory", "Received from": "Parent", "How received": "Letter"}
    p1 = {**base, "Reference": "CSC-2015-0001", "Date received": D(2016, 3, 10)}
    p1["S1 response sent"] = CAL.add(p1["Date received"], S1_DAYS[32])
    p2 = {**base, "Reference": "CSC-2015-0002", "Date received": D(2015, 9, 1), "S2 requested": D(2016, 3, 21), "S2 accepted": D(2016, 4, 4), "S2 outcome": "Partially upheld"}
    p2["S1 response sent"] = CAL.add(p2["Date received"], 15)
    p2["S2 adjudication sent"] = CAL.add(p2["S2 accepted"], 37)
    p2["LGSCO referred"], p2["LGSCO outcome"] = D(2016, 9, 1), "Upheld - maladministration"
    p3 = {**base, "Reference": "CSC-2014-0003", "Date received": D(2014, 6, 2), "S2 requested": D(2014, 8, 1), "S2 accepted": D(2014, 8, 4), "S3 requested": D(2016, 2, 1), "S3 outcome": "Not upheld"}
    p3["S1 response sent"] = CAL.add(p3["Date received"], 10)
    p3["S2 adjudication sent"] = CAL.add(p3["S2 accepted"], 30)
    p3["S3 response sent"] = CAL.add(p3["S3 requested"], 50)
    p4 = {**base, "Reference": "CSC-2015-0004", "Date received": D(2015, 5, 1), "S2 requested": D(2015, 6, 15), "S2 accepted": D(2015, 6, 16), "S3 requested": D(2016, 5, 3), "S3 outcome": "Upheld"}
    p4["S1 response sent"] = CAL.add(p4["Date received"], 9)
    p4["S2 adjudication sent"] = CAL.add(p4["S2 accepted"], 20)
    p4["S3 response sent"] = CAL.add(p4["S3 requested"], 26)
    rest = []
    for i, (day, days) in enumerate(((D(2015, 4, 20), 8), (D(2015, 7, 1), 12), (D(2015, 10, 5), 40), (D(2015, 12, 1), 19), (D(2016, 1, 11), 10))):
        rest.append({**base, "Reference": f"CSC-2015-01{i}", "Date received": day, "S1 response sent": CAL.add(day, days), "How received": "E-mail"})
    compliment = {"Reference": "COMP-2015", "Date received": D(2015, 8, 3), "Representation type": "Compliment", "Service": "Children Looked After"}
    return [p1, p2, p3, p4, *rest, compliment]


def other_representations() -> list[dict]:
    kinds = [label(k) for k, n in R.TABLE_1A["other"].items() for _ in range(n)]
    return [
        {"Reference": f"OTH-{i}", "Date received": CAL.add(D(2016, 4, 1), 3 + 9 * i), "Representation type": kind}
        for i, kind in enumerate(kinds)
    ]


def report_table() -> pd.DataFrame:
    validated = from_records(report_records())
    assert not validated.errors, validated.errors[:3]
    return validated.table


@pytest.fixture(scope="module")
def stats():
    return statistics.build(report_table(), SETTINGS, R.YEAR, as_of=AS_OF)


def items(table: statistics.Table) -> dict[str, int]:
    """Label -> number for a table's rows (headings left out)."""
    return {r.label: r.number for r in table.rows if r.role != statistics.HEADING}


def expected(report: dict, table_id: str | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in report.items():
        number = value[0] if isinstance(value, tuple) else value
        name = label(key, table_id)
        out[name] = out.get(name, 0) + number
    for merged, parts in (R.MERGED.get(table_id, {}) if table_id else {}).items():
        out[merged] = sum(out.pop(p) for p in parts)
    return out


# --- the report, table by table ------------------------------------------------------


def test_table_1a_representations(stats):
    t = stats.table("1a")
    for report_label, number in R.TABLE_1A["statutory"].items():
        assert items(t)[report_label] == number, report_label
    for report_label, number in R.TABLE_1A["other"].items():  # the model council's own types under general names
        assert items(t)[label(report_label)] == number, report_label
    assert t.row("total_statutory").number == R.TABLE_1A["total_statutory"]
    assert t.row("total_other").number == R.TABLE_1A["total_other"]
    assert t.row("total").number == R.TABLE_1A["total"]


def test_table_1b_refusals(stats):
    assert items(stats.table("1b")) == expected(R.TABLE_1B)


def test_table_2_stage_1(stats):
    t = stats.table("2")
    report = R.TABLE_2[1]
    assert t.row("s1:total").number == report["total"]
    for i, (number, percent) in enumerate(report["bands"], start=1):
        row = t.row(f"s1:band{i}")
        assert (row.number, whole_percent(row.percent)) == (number, percent)
    average = t.row("s1:average")
    assert round(average.number, 1) == report["average"]
    assert average.cases == 33
    assert [r.label for r in t.rows[:5]] == [
        "Stage 1",
        "Total number of complaints",
        "- in 10 working days",
        "- in between 10 and 20 working days",
        "- in over 20 working days",
    ]


def test_table_2_stage_2(stats):
    t = stats.table("2")
    report = R.TABLE_2[2]
    assert t.row("s2:total").number == report["total"]
    (within, _), (between, percent) = report["bands"]
    assert t.row("s2:band1").number == within
    assert (t.row("s2:band2").number, whole_percent(t.row("s2:band2").percent)) == (between, percent)
    assert t.row("s2:band3").number == 0
    awaiting = t.row("s2:awaiting")
    assert (awaiting.number, whole_percent(awaiting.percent)) == report["awaiting"]
    assert t.row("s2:average").number == report["average"]
    assert t.get("s2:open") is None  # nobody allocated and still under investigation


def test_table_2_stage_3(stats):
    t = stats.table("2")
    report = R.TABLE_2[3]
    assert t.row("s3:total").number == report["total"]
    for i, (number, percent) in enumerate(report["bands"], start=1):
        row = t.row(f"s3:band{i}")
        assert row.number == number
        if percent is not None:
            assert whole_percent(row.percent) == percent
    assert t.row("s3:average").number == report["average"]
    assert t.row("s3:band2").label == "- in 50 working days"


@pytest.mark.parametrize("table_id, report", [("3a", "TABLE_3A"), ("3b", "TABLE_3B")])
def test_table_3_how_received_with_percentages(stats, table_id, report):
    t = stats.table(table_id)
    numbers = getattr(R, report)
    assert items(t) == expected(numbers)
    for report_label, (_, percent) in numbers.items():
        assert whole_percent(next(r for r in t.rows if r.label == label(report_label)).percent) == percent


def test_table_4_groups_subtotals_and_percentages(stats):
    t = stats.table("4")
    for group, members in R.TABLE_4.items():
        for member, (number, percent) in members.items():
            row = t.row(label(member))
            assert (row.number, whole_percent(row.percent)) == (number, percent), member
            assert row.parent == ("total" if len(members) == 1 else f"subtotal:{group}")
    for group, (number, percent) in R.TABLE_4_SUBTOTALS.items():
        row = t.row(f"subtotal:{group}")
        assert row.label == f"Total {group}"
        assert (row.number, whole_percent(row.percent)) == (number, percent)
    assert (t.row("total").number, whole_percent(t.row("total").percent)) == R.TABLE_4_TOTAL
    assert t.rows[0].role == statistics.HEADING and t.rows[0].label == "Parent/Adopter"


@pytest.mark.parametrize(
    "table_id, report",
    [
        ("5a", "TABLE_5A"), ("5b", "TABLE_5B"), ("6a", "TABLE_6A"), ("6b", "TABLE_6B"),
        ("7a", "TABLE_7A"), ("7b", "TABLE_7B"), ("7c", "TABLE_7C"), ("7d", "TABLE_7D"),
        ("8a", "TABLE_8A"), ("8b", "TABLE_8B"), ("8c", "TABLE_8C"), ("8d", "TABLE_8D"),
        ("8e", "TABLE_8E"), ("8f", "TABLE_8F"), ("8g", "TABLE_8G"), ("8h", "TABLE_8H"),
        ("9a", "TABLE_9A"), ("9b", "TABLE_9B"),
    ],
)
def test_tables_5_to_9_match_the_report(stats, table_id, report):
    """Rows, order and numbers as the report prints them (young people's tables: used rows only)."""
    assert items(stats.table(table_id)) == expected(getattr(R, report), table_id)
    if table_id not in R.MERGED:
        assert list(items(stats.table(table_id))) == list(expected(getattr(R, report), table_id))


def test_advocacy_learning_acknowledgement_and_ombudsman(stats):
    advocacy = stats.table("advocacy")
    assert advocacy.row("yes").number == R.ADVOCACY["with"]
    assert advocacy.row("total").number == R.ADVOCACY["young_people"]
    assert (advocacy.row("no").number, advocacy.row("").number) == (2, 1)
    learning = stats.table("learning")
    assert (learning.row("yes").number, learning.row("total").number) == (R.LEARNING["identified"], R.LEARNING["of"])
    ack = stats.table("acknowledgement")
    assert round(ack.row("average").number, 1) == R.ACKNOWLEDGEMENT["average"]
    assert ack.row("within").label == f"Acknowledged within {R.ACKNOWLEDGEMENT['target']} working days"
    assert (ack.row("within").number, ack.row("over").number) == (17, 16)
    ombudsman = stats.table("ombudsman")
    # One definition: the report's 2 LGO representations (table 1a) and the 1 complaint it investigated.
    lgo = stats.table("1a").row("other:LGO").number
    assert ombudsman.row("route:lgo").number == lgo == R.TABLE_1A["other"]["LGO"]
    assert ombudsman.row("route:complaint").number == R.OMBUDSMAN_INVESTIGATED
    assert ombudsman.row("total").number == lgo + R.OMBUDSMAN_INVESTIGATED == ombudsman.row("decided").number
    assert ombudsman.row("Upheld - maladministration").number == 1


def test_stage_outcomes_count_responses_sent_in_the_year(stats):
    """Checked against a plain row-by-row count of the same records."""
    t = stats.table("outcomes")
    first, last = D(2016, 4, 1), D(2017, 3, 31)
    records = report_records()
    for stage, sent, outcome in ((1, "S1 response sent", "S1 outcome"), (2, "S2 adjudication sent", "S2 outcome"), (3, "S3 response sent", "S3 outcome")):
        answered = [
            r for r in records
            if r.get(sent) and first <= r[sent] <= last and r.get("Representation type") in ("Complaint", "Area initiated complaint") and r.get("Procedure") != "Corporate"
        ]
        counts = Counter(r.get(outcome) or "" for r in answered)
        assert t.row(f"s{stage}:total").number == len(answered)
        for value in schema.OUTCOMES:
            assert t.row(f"s{stage}:{value}").number == counts[value]
        blank = t.get(f"s{stage}:")
        assert (blank.number if blank else 0) == counts[""]
    assert t.row("s2:Partially upheld").number == 1


def test_compliments_and_the_previous_year(stats):
    assert stats.has_previous and stats.previous_period.label == "2015/16"
    t1 = stats.table("1a")
    # 2015/16: P1, P2, P4 and five more statutory complaints, and one compliment
    assert t1.row("total_statutory").previous == 8
    assert t1.row("total_statutory").change == 33 - 8
    assert t1.row("other:Compliment").previous == 1
    compliments = stats.table("compliments")
    assert compliments.row("total").number == 0 and compliments.row("total").previous == 1
    assert [r.label for r in compliments.rows] == ["Children Looked After", "Total"]
    s1 = stats.table("2").row("s1:average")
    assert s1.previous is not None and s1.change == round(s1.number - s1.previous, 1)


def test_sentences_read_like_the_report(stats):
    words = statistics.sentences(stats)
    assert "30% of statutory stage 1 complaints were answered within 10 working days." in words["2"]
    assert any("13.4 working days" in s for s in words["2"])
    assert any("3 were waiting for an investigating officer" in s for s in words["2"])
    assert "Of the 9 complaints made by young people, 6 were made with the help of an advocate." in words["advocacy"]
    assert any("5.1 working days on average, against a target of 3 working days" in s for s in words["acknowledgement"])
    assert "The most common way of making a complaint was E-mail (61%)." in words["3a"]
    assert "The most common nature of complaint were Non Fulfilment of Duty and Quality of Service (27%, 27%)." in words["5a"]
    assert words["summary"][0].startswith("59 representations were received in 2016/17")


def test_notes_state_the_counting_rules(stats):
    notes = " ".join(stats.notes)
    assert "1 April 2016 to 31 March 2017" in notes
    assert "received in the year or completed in it" in notes
    assert "'Service user (young person)'" in notes
    assert "day of receipt is day zero" in notes and "still counted from receipt" in notes
    assert "2 complaints received in 2016/17 under the corporate procedure are not counted" in notes


def test_no_personal_data_in_the_statistics(stats):
    text = json.dumps(statistics.as_dict(stats))
    for word in PERSONAL_WORDS + ("CSC-2016-", "CORP-"):
        assert word not in text


# --- counting rules -----------------------------------------------------------------------


def one(**cells) -> dict:
    return {"Reference": cells.pop("Reference", "R1"), "Representation type": "Complaint", "Procedure": "Statutory", **cells}


def build(records, year=2016, as_of=AS_OF, settings=SETTINGS):
    return statistics.build(from_records(records).table, settings, year, as_of=as_of)


def test_working_days_across_christmas_come_from_the_calendar():
    # Fri 23 Dec 2016 to Wed 4 Jan 2017: 27 Dec (substitute Christmas Day), 26 Dec and 2 Jan are
    # bank holidays, so the working days after receipt are 28, 29, 30 Dec, 3 and 4 Jan: 5.
    t = build([one(**{"Date received": D(2016, 12, 23), "S1 response sent": D(2017, 1, 4)})]).table("2")
    assert t.row("s1:average").number == 5
    closed = SETTINGS.replace(closure_days=(D(2016, 12, 28), D(2016, 12, 29), D(2016, 12, 30)))
    t = build([one(**{"Date received": D(2016, 12, 23), "S1 response sent": D(2017, 1, 4)})], settings=closed).table("2")
    assert t.row("s1:average").number == 2


def test_a_weekend_receipt_counts_from_the_next_working_day():
    t = build([one(**{"Date received": D(2016, 6, 4), "S1 response sent": D(2016, 6, 17)})]).table("2")  # Sat -> Fri 2 weeks on
    assert t.row("s1:average").number == 9
    assert t.row("s1:band1").number == 1


def test_table_2_counts_received_or_completed_in_the_year_and_open_cases():
    records = [
        one(Reference="A", **{"Date received": D(2016, 3, 1), "S1 response sent": D(2016, 4, 20)}),  # completed in the year
        one(Reference="B", **{"Date received": D(2016, 3, 1), "S1 response sent": D(2016, 3, 10)}),  # all in 2015/16
        one(Reference="C", **{"Date received": D(2017, 3, 20)}),  # still open on the as-of day
        one(Reference="D", **{"Date received": D(2017, 3, 1), "S1 response sent": D(2017, 8, 1)}),  # answered after as-of
        one(Reference="E", **{"Date received": D(2016, 5, 2), "Withdrawn date": D(2016, 5, 4)}),
        one(Reference="F", **{"Date received": D(2016, 5, 2), "S1 response sent": D(2016, 4, 29)}),  # typo: before receipt
        one(Reference="G", **{"Date received": D(2016, 5, 2), "Representation type": "Pre-complaint"}),
    ]
    t = build(records).table("2")
    assert t.row("s1:total").number == 5
    assert t.row("s1:open").number == 2  # C and D
    assert t.row("s1:withdrawn").number == 1
    assert t.row("s1:check").number == 1
    assert t.row("s1:average").cases == 1
    assert t.row("s1:band3").number == 1  # A: 1 March to 20 April 2016 is over 20 working days
    one_a = build(records).table("1a")
    assert one_a.row("statutory:Pre-complaint").number == 1
    assert one_a.row("total_statutory").number == 5  # C to G: A and B were received in 2015/16


def test_stage_2_clock_follows_the_setting():
    record = one(**{"Date received": D(2016, 4, 4), "S1 response sent": D(2016, 4, 8), "S2 requested": D(2016, 4, 11),
                    "S2 accepted": D(2016, 4, 12), "S2 statement agreed": D(2016, 4, 26), "S2 adjudication sent": D(2016, 5, 31)})
    accepted = build([record]).table("2").row("s2:average").number
    agreed = build([record], settings=SETTINGS.replace(stage2_clock="agreed statement")).table("2").row("s2:average").number
    # Working days after Tue 12 Apr 2016 up to Tue 31 May 2016, less Mon 2 May and Mon 30 May: 33;
    # after Tue 26 Apr 2016: 23.
    assert (accepted, agreed) == (33, 23)


def test_bands_follow_the_councils_rulebook():
    council = SETTINGS.replace(acknowledgement_days=5, overrides={"england-statutory": {"s1_response.period": 12}})
    s = build([one(**{"Date received": D(2016, 5, 2), "S1 response sent": D(2016, 5, 18), "S1 acknowledged": D(2016, 5, 6)})], settings=council)
    assert s.table("2").row("s1:band1").label == "- in 12 working days"
    assert s.table("2").row("s1:band1").number == 1  # 12 working days
    assert s.table("acknowledgement").row("within").label == "Acknowledged within 5 working days"


def test_reporting_year_follows_the_start_month():
    calendar_year = SETTINGS.replace(year_start_month=1)
    records = [one(Reference="A", **{"Date received": D(2016, 2, 1)}), one(Reference="B", **{"Date received": D(2016, 12, 1)}), one(Reference="C", **{"Date received": D(2017, 2, 1)})]
    s = build(records, settings=calendar_year)
    assert s.period.label == "2016" and s.table("1a").row("total_statutory").number == 2
    assert build(records).table("1a").row("total_statutory").number == 2  # April to March: B and C
    assert statistics.reporting_period(2016, 4).end == D(2017, 3, 31)


def test_as_of_before_the_year_is_refused():
    with pytest.raises(ValueError, match="starts on 1 April 2016, after the as-of date 1 March 2016"):
        build([one(**{"Date received": D(2016, 1, 4)})], as_of=D(2016, 3, 1))


def test_young_people_and_their_ages():
    born = D(2006, 5, 3)
    records = [
        one(Reference="A", **{"Date received": D(2016, 5, 3), "Received from": "Service user (young person)", "Child date of birth": born}),
        one(Reference="B", **{"Date received": D(2016, 5, 2), "Received from": "Service user (young person)", "Child date of birth": born}),
        one(Reference="C", **{"Date received": D(2016, 5, 2), "Received from": "Service user (young person)"}),
        one(Reference="D", **{"Date received": D(2016, 5, 2), "Received from": "Parent", "Child date of birth": born}),
    ]
    t = build(records).table("9a")
    assert items(t) == {"Under 10yrs": 1, "10-16yrs": 1, "17-18yrs": 0, "Not recorded": 1, "Total": 3}


def test_no_previous_year_when_the_register_starts_this_year():
    s = build([one(**{"Date received": D(2016, 5, 2)})])
    assert not s.has_previous
    assert all(r.previous is None and r.change is None for t in s.tables for r in t.rows)
    assert "no previous year is shown" in " ".join(s.notes)


# --- suppression ------------------------------------------------------------------------


def test_suppression_hides_small_numbers_with_a_second_cell(stats):
    s = suppress(stats, 5)
    t4 = s.table("4")
    assert t4.row("Grandparent").hidden and t4.row("Foster Carer").hidden
    assert t4.row("Parent").number == 20 and t4.row("total").number == 33
    assert t4.row("subtotal:Non-Parent Relative").hidden  # 3: small itself
    t3b = s.table("3b")
    assert t3b.row("total").number == 9
    hidden = [r.label for r in t3b.rows if r.hidden]
    assert "Letter" in hidden and len(hidden) >= 2
    assert all(r.percent is None for r in t3b.rows if r.hidden)
    assert s.table("2").row("s3:average").hidden  # over 2 complaints
    assert s.table("2").row("s1:average").number == pytest.approx(442 / 33)
    assert s.suppressed_under == 5 and "numbers from 1 to 4" in s.notes[-1]
    assert not stats.table("4").row("Grandparent").hidden  # the original is untouched
    data = statistics.as_dict(s)
    assert data["marker"] == "*" and '"*"' in json.dumps(data)


def test_young_people_total_hidden_everywhere_when_small(stats):
    s = suppress(stats, 10)  # 9 young people
    assert s.table("4").row(schema.YOUNG_PERSON).hidden
    for t in s.tables:
        if any(r.population == "young people" for r in t.rows if r.key == "total"):
            assert t.row("total").hidden, t.id
            assert sum(r.hidden for r in t.rows if r.parent == "total") >= 1 or all(
                r.number == 0 for r in t.rows if r.parent == "total"
            ), t.id


def test_sentences_never_write_a_hidden_number(stats):
    s = suppress(stats, 10)
    text = " ".join(x for lines in statistics.sentences(s).values() for x in lines)
    assert "9 complaints made by young people" not in text
    assert "Young people made 9" not in text


def _cells(tables, column):
    value = {}
    for ti, t in enumerate(tables):
        for r in t.rows:
            if r.role in statistics.COUNT_ROLES:
                value[(ti, r.key)] = getattr(r, column)
    return value


def _linearly_determined(tables, hidden: set) -> list:
    """Hidden cells whose value follows from the published sums and equalities alone."""
    order = sorted(hidden)
    if not order:
        return []
    pos = {c: i for i, c in enumerate(order)}
    equations = []
    for total, kids in statistics.constraints(tables):
        row = np.zeros(len(order))
        for c, sign in [(total, -1.0)] + [(k, 1.0) for k in kids]:
            if c in pos:
                row[pos[c]] += sign
        if row.any():
            equations.append(row)
    for group in statistics.equal_groups(tables):
        for a, b in zip(group, group[1:]):
            row = np.zeros(len(order))
            if a in pos:
                row[pos[a]] += 1
            if b in pos:
                row[pos[b]] -= 1
            if row.any():
                equations.append(row)
    if not equations:
        return []
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for c, i in pos.items():
        unit = np.zeros(len(order))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(c)
    return found


def check_suppression(original: statistics.Statistics, under: int) -> None:
    s = suppress(original, under)
    columns = ("number", "previous") if original.has_previous else ("number",)
    for column in columns:
        before, after = _cells(original.tables, column), _cells(s.tables, column)
        hidden = {c for c, v in after.items() if v is None and before[c] is not None}
        # every small count hidden; every shown count the real one
        for c, v in before.items():
            if v is not None and 0 < v < under:
                assert c in hidden, (column, c, v)
            if c not in hidden:
                assert after[c] == v
        # no sum with exactly one hidden number; equal numbers hidden together
        for total, kids in statistics.constraints(s.tables):
            assert len(hidden & {total, *kids}) != 1, (column, total)
        for group in statistics.equal_groups(s.tables):
            assert len(hidden & set(group)) in (0, len(group)), (column, group)
        # and nothing hidden can be solved for from the published equations
        assert _linearly_determined(s.tables, hidden) == []
    for t in s.tables:
        by_key = {r.key: r for r in t.rows}
        for r in t.rows:
            if r.hidden or (r.base in by_key and by_key[r.base].hidden):
                assert r.percent is None
            if r.hidden or r.previous_hidden:
                assert r.change is None
            if r.role == statistics.AVERAGE and r.number is not None:
                assert r.cases is None or r.cases >= under


CHOICES = {
    "Representation type": ("Complaint", "Complaint", "Complaint", "Refused", "Area initiated complaint", "Case Concern", "Compliment"),
    "Received from": ("Parent", "Parent", "Grandparent", "Foster Carer", "Service user (young person)", "Service user (young person)", "Advocate", None),
    "How received": ("E-mail", "E-mail", "Letter", "Telephone", "YP Complaint Form", None),
    "Nature": ("Quality of Service", "Non Fulfilment of Duty", "Poor Communication", None),
    "Service": ("Child in Need", "Children Looked After", "Care Leavers", "Early Help Hub"),
    "Child legal status": ("Child in Care", "Child in Need", "Care Leaver", None),
    "Advocate": ("Yes", "No", None),
    "S1 outcome": ("Upheld", "Partially upheld", "Not upheld", None),
    "Complainant disability": ("Not Stated", "No", "Yes", None),
}


@st.composite
def registers(draw):
    n = draw(st.integers(min_value=0, max_value=45))
    records = []
    for i in range(n):
        received = D(2015, 4, 1) + dt.timedelta(days=draw(st.integers(0, 729)))
        record = {"Reference": f"H{i}", "Date received": received, "Procedure": "Statutory"}
        for header, options in CHOICES.items():
            record[header] = draw(st.sampled_from(options))
        if draw(st.booleans()):
            record["S1 response sent"] = CAL.add(received, draw(st.integers(0, 30)))
        if record["Representation type"] == "Refused":
            record["Refusal reason"] = draw(st.sampled_from(schema.REFUSAL_REASONS))
        records.append(record)
    return records


@hypothesis_settings(max_examples=8 if os.environ.get("MUTANT_UNDER_TEST") else 40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.integers(min_value=2, max_value=12))
def test_suppression_cannot_be_undone_by_subtraction(records, under):
    table = from_records(records).table if records else from_records([]).table
    check_suppression(statistics.build(table, SETTINGS, 2016, as_of=AS_OF), under)


@pytest.mark.parametrize("under", [3, 5, 10, 20])
def test_suppression_of_the_report(stats, under):
    check_suppression(stats, under)


def test_suppress_under_one_changes_nothing(stats):
    assert suppress(stats, 1) is stats


# --- boundaries: each side of every threshold -------------------------------------------
# Working days worked by hand from GOV.UK's list: Tue 3 May 2016 is the day after the
# early May bank holiday; the spring bank holiday is Mon 30 May 2016.


def _hand_table(numbers: dict[str, int]) -> statistics.Statistics:
    """One published sum: items adding up to a total, as a table of the report would have them."""
    rows = [statistics.Row(k, k, statistics.ITEM, v, parent="total", base="total") for k, v in numbers.items()]
    rows.append(statistics.Row("total", "Total", statistics.TOTAL, sum(numbers.values()), base="total"))
    table = statistics.Table("x", "Table X", "Item", "Things", rows)
    period = statistics.reporting_period(2016)
    return statistics.Statistics(period, statistics.reporting_period(2015), AS_OF, "Council", "Department", [table])


@pytest.mark.parametrize(
    "under, hidden",
    [
        (5, set()),  # 5 is not under 5: shown
        (6, {"a", "b"}),  # 5 is under 6: hidden, and so is the other item, or the total would give it away
    ],
)
def test_suppression_exactly_at_the_threshold(under, hidden):
    s = suppress(_hand_table({"a": 5, "b": 7}), under)
    rows = {r.key: r for r in s.tables[0].rows}
    assert {k for k, r in rows.items() if r.hidden} == hidden
    assert rows["total"].number == 12 and not rows["total"].hidden
    for key, value in (("a", 5), ("b", 7)):
        assert rows[key].number == (None if key in hidden else value)


def test_suppression_note_names_the_largest_hidden_number():
    assert "numbers from 1 to 4 are shown as *" in statistics.suppression_note(5)


def test_suppression_leaves_zeros_shown():
    s = suppress(_hand_table({"a": 0, "b": 9}), 5)
    assert [r.number for r in s.tables[0].rows] == [0, 9, 9]


@pytest.mark.parametrize(
    "sent, band",
    [
        (D(2016, 5, 17), "s1:band1"),  # 10 working days after Tue 3 May 2016: on time
        (D(2016, 5, 18), "s1:band2"),  # 11
        (D(2016, 6, 1), "s1:band2"),  # 20, across the spring bank holiday: within the extended maximum
        (D(2016, 6, 2), "s1:band3"),  # 21
    ],
)
def test_stage_1_bands_either_side_of_10_and_20_working_days(sent, band):
    t = build([one(**{"Date received": D(2016, 5, 3), "S1 response sent": sent})]).table("2")
    assert {k: t.row(k).number for k in ("s1:band1", "s1:band2", "s1:band3")} == {
        k: int(k == band) for k in ("s1:band1", "s1:band2", "s1:band3")
    }


@pytest.mark.parametrize("acknowledged, within", [(D(2016, 5, 6), 1), (D(2016, 5, 9), 0)])  # 3 and 4 working days
def test_acknowledgement_within_the_councils_days(acknowledged, within):
    t = build([one(**{"Date received": D(2016, 5, 3), "S1 acknowledged": acknowledged})]).table("acknowledgement")
    assert (t.row("within").number, t.row("over").number) == (within, 1 - within)


@pytest.mark.parametrize(
    "withdrawn, as_of, open_, gone",
    [
        (D(2017, 3, 31), AS_OF, 0, 1),  # withdrawn on the last day of the year: withdrawn
        (D(2017, 4, 1), AS_OF, 1, 0),  # withdrawn after the year end: still open at the year end
        (D(2016, 12, 1), D(2016, 12, 1), 0, 1),  # a year not over: counted up to the as-of date
        (D(2016, 12, 2), D(2016, 12, 1), 1, 0),
    ],
)
def test_withdrawal_counts_as_at_the_year_end(withdrawn, as_of, open_, gone):
    t = build([one(**{"Date received": D(2016, 5, 3), "Withdrawn date": withdrawn})], as_of=as_of).table("2")
    shown = lambda key: t.get(key).number if t.get(key) else 0  # noqa: E731 (optional rows are left out at zero)
    assert (shown("s1:open"), shown("s1:withdrawn")) == (open_, gone)


@pytest.mark.parametrize(
    "received, year_total",
    [(D(2016, 4, 1), 1), (D(2016, 3, 31), 0), (D(2017, 3, 31), 1), (D(2017, 4, 1), 0)],
)
def test_reporting_year_runs_from_1_april_to_31_march(received, year_total):
    s = build([one(**{"Date received": received})], as_of=D(2017, 6, 30))
    assert s.table("1a").row("total_statutory").number == year_total


@pytest.mark.parametrize(
    "born, band",
    [(D(2006, 5, 4), "Under 10yrs"), (D(2006, 5, 3), "10-16yrs"), (D(1999, 5, 4), "10-16yrs"), (D(1999, 5, 3), "17-18yrs")],
)
def test_young_peoples_age_bands_turn_on_the_birthday(born, band):
    record = one(**{"Date received": D(2016, 5, 3), "Received from": "Service user (young person)", "Child date of birth": born})
    counts = items(build([record]).table("9a"))
    assert counts[band] == 1 and sum(v for k, v in counts.items() if k != "Total") == 1


@pytest.mark.parametrize(
    "hold, sent, average",
    [
        (None, D(2016, 5, 17), 10),  # Tue 3 May to Tue 17 May 2016: 10 working days
        ((D(2016, 5, 5), D(2016, 5, 10)), D(2016, 5, 17), 7),  # Fri 6, Mon 9, Tue 10 on hold: taken off
        ((D(2016, 5, 18), D(2016, 5, 20)), D(2016, 5, 17), 10),  # a hold after the response takes nothing off
        ((D(2016, 5, 3), D(2016, 5, 4)), D(2016, 5, 4), 0),  # answered the day after receipt, that day on hold
    ],
)
def test_time_on_hold_is_taken_off_the_time_taken(hold, sent, average):
    cells = {"Date received": D(2016, 5, 3), "S1 response sent": sent}
    if hold:
        cells.update({"On hold from": hold[0], "On hold to": hold[1], "Hold reason": "Awaiting consent"})
    t = build([one(**cells)]).table("2")
    assert (t.row("s1:average").number, t.row("s1:band1").number) == (average, 1)
