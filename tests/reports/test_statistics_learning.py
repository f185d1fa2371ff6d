"""The statutory report's learning by type, stage 2 holds and the cost of the independent stages:
every figure recomputed here from the workbook's rows by plain loops (openpyxl), read as
`xl-complaints stats` reads the register (its Actions and Holds sheets too)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.cli import main
from xl_complaints.core import learning, schema
from xl_complaints.excel import workbook
from xl_complaints.files.reader import read_register
from xl_complaints.reports import statistics, statistics_export, statistics_narrative
from xl_complaints.sample import complaints as sample, learning as sample_learning
from xl_complaints.reports.statistics_reader import read_for_statistics

END = dt.date(2026, 11, 30)
YEAR = 2025
FIRST, LAST = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
REASONS = ("Court or police proceedings", "Awaiting consent", "At complainant's request")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    records = sample.generate(1200, years=2, seed=8, end=END)
    items = sample_learning.generate(records, seed=8, end=END)
    for i, action in enumerate(items[learning.ACTIONS]):  # some name no owning service: the complaint's service counts
        if i % 4 == 0:
            action["Owning service"] = None
    # Stage 2 holds on the Holds sheet: some during stage 2, one before it (a stage 1 hold), one on a corporate complaint.
    holds, n = [], 0
    for r in records:
        requested = r.get("S2 requested")
        if requested and FIRST <= requested <= dt.date(2026, 2, 1) and r.get("Representation type") == "Complaint":
            start = requested + dt.timedelta(days=3)
            sent = r.get("S2 adjudication sent")
            if sent is not None and sent < start:
                continue
            holds.append({"Reference": r["Reference"], "Hold reason": REASONS[n % 3], "On hold from": start,
                          "On hold to": start + dt.timedelta(days=10) if n % 4 else None})
            if n % 5 == 0:  # the same request held twice: two holds, one request
                holds.append({"Reference": r["Reference"], "Hold reason": "Awaiting advocate", "On hold from": start + dt.timedelta(days=20),
                              "On hold to": start + dt.timedelta(days=24)})
            if n % 3 == 0:  # and one at stage 1, which is not a stage 2 hold
                holds.append({"Reference": r["Reference"], "Hold reason": "Other", "On hold from": requested - dt.timedelta(days=20),
                              "On hold to": requested - dt.timedelta(days=15)})
            n += 1
        if n >= 14:
            break
    # One cost typed as words: reported by sheet, row and column, not counted.
    costed = next(r for r in records if r.get("S2 investigation cost"))
    costed["S2 investigation cost"] = "about two thousand"
    path = tmp_path_factory.mktemp("learning") / "Complaints_Register.xlsm"
    return workbook.build(path, records, as_of=END, learning=items, holds=holds)


@pytest.fixture(scope="module")
def rows(built):
    book = openpyxl.load_workbook(built, data_only=True)

    def sheet(name, header_row):
        ws = book[name]
        headers = [c.value for c in ws[header_row]]
        return [{h: (v.date() if isinstance(v, dt.datetime) else v) for h, v in zip(headers, values) if h}
                for values in ws.iter_rows(min_row=header_row + 1, values_only=True) if values[0] not in (None, "")]

    header_rows = {"Register": workbook.HEADER_ROW, "Holds": next(i for i in range(1, 10) if book["Holds"].cell(i, 1).value == "Reference")}
    return {name: sheet(name, header_rows.get(name, 3)) for name in ("Register", "Holds") + learning.SHEETS}


@pytest.fixture(scope="module")
def stats(built):
    source = read_for_statistics(built)
    return statistics.build(source.table, source.settings, YEAR, as_of=END, holds=source.holds, lists=source.lists, actions=source.actions)


def numbers(stats, tid):
    return {r.key: r.number for r in stats.table(tid).rows if r.role != statistics.HEADING}


def within(day, first=FIRST, last=LAST):
    return day is not None and first <= day <= last


def statutory(r):  # the statutory tables' population: a statutory type, not under the corporate procedure
    return r.get("Representation type") in schema.STATUTORY_TYPES and r.get("Procedure") != "Corporate"


def complaint(r):
    return r.get("Representation type") in ("Complaint", "Area initiated complaint") and r.get("Procedure") != "Corporate"


def cut(day):  # as at the year end
    return day if day is not None and day <= LAST else None


@pytest.fixture(scope="module")
def year_actions(rows):
    register = {r["Reference"]: r for r in rows["Register"]}
    out = []
    for a in rows[learning.ACTIONS]:
        r = register.get(a["Reference"])
        if r is not None and statutory(r) and within(a.get("Agreed date") or a.get("Due date")):
            out.append((a, r))
    assert len(out) > 30
    return out


def test_learning_actions_by_type_of_representation(stats, year_actions):
    counts = Counter(r["Representation type"] for _, r in year_actions)
    got = numbers(stats, "actions_type")
    assert got == {**{t: counts.get(t, 0) for t in schema.STATUTORY_TYPES}, "total": len(year_actions)}


def test_learning_actions_by_service(stats, year_actions):
    counts = Counter(a.get("Owning service") or r.get("Service") or "" for a, r in year_actions)
    got = numbers(stats, "actions_service")
    assert got == {**{k: v for k, v in counts.items()}, "total": len(year_actions)}
    assert len(counts) > 3
    assert sum(1 for a, _ in year_actions if not a.get("Owning service")) > 5


def test_what_was_done(stats, year_actions):
    done = lambda a: cut(a.get("Completed date"))  # noqa: E731
    expected = Counter()
    for a, _ in year_actions:
        if done(a):
            expected["on_time" if done(a) <= a["Due date"] else "late"] += 1
        elif a["Due date"] < LAST:
            expected["overdue"] += 1
        else:
            expected["open"] += 1
    stages = Counter(a.get("Stage") or "" for a, _ in year_actions)
    got = numbers(stats, "actions_done")
    assert {k: got[k] for k in ("on_time", "late", "overdue", "open")} == {k: expected[k] for k in ("on_time", "late", "overdue", "open")}
    assert expected["late"] and expected["overdue"] and expected["on_time"]
    assert {k.removeprefix("stage:"): v for k, v in got.items() if k.startswith("stage:")} == {
        s: stages.get(s, 0) for s in ("Stage 1", "Stage 2", "Stage 3", "Ombudsman")}
    assert got["total"] == got["by_stage"] == len(year_actions)


def test_stage_2_requests_put_on_hold_and_why(stats, rows, built):
    register = {r["Reference"]: r for r in rows["Register"]}
    every = [(h["Reference"], h.get("Hold reason") or "", h["On hold from"], h.get("On hold to")) for h in rows["Holds"]]
    every += [(r["Reference"], r.get("Hold reason") or "", r["On hold from"], r.get("On hold to")) for r in rows["Register"] if r.get("On hold from")]
    found = []
    for ref, reason, start, end in set(every):
        r = register[ref]
        begun = cut(r.get("S2 requested")) or cut(r.get("S2 accepted"))
        sent = cut(r.get("S2 adjudication sent"))
        if complaint(r) and begun and start >= begun and (sent is None or start <= sent) and within(start):
            found.append((ref, reason, start, end))
    assert len(found) >= 14
    got = numbers(stats, "s2_holds")
    reasons = Counter(reason for _, reason, _, _ in found)
    assert {k: v for k, v in got.items() if k not in ("total", "requests", "average") and v} == dict(reasons)
    assert got["total"] == len(found)
    assert got["requests"] == len({ref for ref, _, _, _ in found}) < len(found)  # a request held twice is one request
    cal = read_register(built).settings.calendar
    ended = [cal.count(start, end) for _, _, start, end in found if end is not None and end <= LAST]
    assert stats.table("s2_holds").row("average").number == pytest.approx(sum(ended) / len(ended))


def test_the_cost_of_investigations_and_panels(stats, rows):
    got = numbers(stats, "costs")
    for stage, done, cost in ((2, lambda r: r.get("S2 adjudication sent"), "S2 investigation cost"),
                              (3, lambda r: r.get("S3 panel held") or r.get("S3 response sent"), "S3 panel cost")):
        finished = [r for r in rows["Register"] if complaint(r) and within(cut(done(r)))]
        pounds = []
        for r in finished:
            try:
                pounds.append(float(str(r.get(cost) or "").replace(",", "")))
            except ValueError:
                pass  # blank, or the words typed: not counted
        assert got[f"s{stage}:count"] == len(finished) > 3
        assert got[f"s{stage}:costed"] == len(pounds) > 0
        assert got[f"s{stage}:total"] == pytest.approx(sum(pounds))
        assert got[f"s{stage}:average"] == pytest.approx(sum(pounds) / len(pounds))


def test_a_cost_that_is_not_money_is_told_by_sheet_row_and_column(built):
    found = read_register(built)
    bad = [p for p in found.register.problems if p.column == "S2 investigation cost"]
    assert len(bad) == 1 and bad[0].sheet == "Register" and bad[0].severity == "error"
    assert "is not an amount of money" in str(bad[0]) and "two thousand" not in str(bad[0])
    result = CliRunner().invoke(main, ["check", str(built)])
    assert "S2 investigation cost" in result.output and "two thousand" not in result.output


def test_money_is_shown_in_pounds_and_small_groups_are_hidden(stats, tmp_path):
    shown = statistics.suppress(stats, 5)
    costs = shown.table("costs")
    total = costs.row("s2:total")
    assert statistics_export.display(total.number, total.hidden, shown.marker, True, total.unit).startswith("£")
    assert statistics.as_dict(shown)["tables"][[t.id for t in shown.tables].index("costs")]["rows"][3]["unit"] == "£"
    tiny = statistics.suppress(stats, max(stats.table("costs").row("s3:costed").number + 1, 5))
    assert tiny.table("costs").row("s3:total").hidden and tiny.table("costs").row("s3:average").hidden
    assert all("review panel" not in w for w in statistics.sentences(tiny)["costs"])  # no sentence about a hidden cost


def test_the_sentences_say_it_in_words(stats):
    words = statistics.sentences(stats)
    assert words["actions_done"][0].startswith(f"{numbers(stats, 'actions_done')['total']} learning actions from statutory complaints")
    assert words["s2_holds"][0].startswith(f"{numbers(stats, 's2_holds')['requests']} stage 2 requests were put on hold")
    s2 = numbers(stats, "costs")
    assert f"£{s2['s2:total']:,.0f} in all" in words["costs"][0]
    assert f"The {s2['s2:costed']} of the {s2['s2:count']} stage 2 investigations with a cost recorded" in words["costs"][0]
