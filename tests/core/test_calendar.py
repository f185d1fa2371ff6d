"""The working-day calendar, checked against GOV.UK's lists and against Excel.

Officers check our dates with Excel's WORKDAY and NETWORKDAYS and with the
bank holidays GOV.UK publishes, so those are the references here: the official
lists (copies in tests/data, and the one the `govuk-bank-holidays` package
bundles) and a deliberately naive model of Excel's documented behaviour that
steps one calendar day at a time.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import datetime as dt
import os
from functools import cache
from pathlib import Path

import holidays as holidays_package
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_complaints.core.calendar import (
    REGIONS,
    WorkingCalendar,
    add_months_array,
    bank_holidays,
    region_code,
)

D = dt.date
DATA = Path(__file__).parents[1] / "data"
GOVUK_FILES = {
    "England and Wales": "bank_holidays_england_wales.csv",
    "Scotland": "bank_holidays_scotland.csv",
    "Northern Ireland": "bank_holidays_northern_ireland.csv",
}
YEARS = range(2016, 2027)
GOVUK_LAST_YEAR = 2028  # the copies in tests/data run 2012-2028
EW, SCOT, NI = "England and Wales", "Scotland", "Northern Ireland"

# Under mutation testing (mutmut sets MUTANT_UNDER_TEST) fewer examples keep each run short.
MUTATION = bool(os.environ.get("MUTANT_UNDER_TEST"))
PROPERTY = settings(max_examples=20 if MUTATION else 120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(max_examples=10 if MUTATION else 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def govuk_dates(region: str) -> frozenset[dt.date]:
    """Every date on GOV.UK's list for the nation (weekend dates included)."""
    with open(DATA / GOVUK_FILES[region], encoding="utf-8", newline="") as handle:
        return frozenset(D.fromisoformat(row["date"]) for row in csv.DictReader(handle))


def govuk_weekdays(region: str, year: int) -> set[dt.date]:
    return {d for d in govuk_dates(region) if d.year == year and d.weekday() < 5}


@cache
def calendar_for(region: str) -> WorkingCalendar:
    return WorkingCalendar(region)


def weekdays_of(year: int):
    day = D(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


# --- 1. the calendar against GOV.UK ---------------------------------------------


@pytest.mark.parametrize("region", list(GOVUK_FILES))
@pytest.mark.parametrize("year", YEARS)
def test_govuk_copy_is_not_empty(region, year):
    """Guards the comparison below against a truncated copy of the official list."""
    assert len(govuk_weekdays(region, year)) >= 8


@pytest.mark.parametrize("region", list(GOVUK_FILES))
@pytest.mark.parametrize("year", YEARS)
def test_non_working_weekdays_are_govuk_bank_holidays(region, year):
    """GOV.UK lists the substitute days; only weekdays matter for working days."""
    calendar = calendar_for(region)
    not_working = {d for d in weekdays_of(year) if not calendar.is_working_day(d)}
    expected = govuk_weekdays(region, year)
    assert sorted(not_working - expected) == [], "the calendar has bank holidays GOV.UK does not"
    assert sorted(expected - not_working) == [], "GOV.UK has bank holidays the calendar lacks"
    assert {d for d in calendar.holiday_names if d.year == year} == expected


# Announced after the `govuk-bank-holidays` package's bundled copy was made: the
# copies in tests/data (GOV.UK, 2026) have it. Only these may be missing from the bundle.
ANNOUNCED_AFTER_BUNDLE = {SCOT: {D(2026, 6, 15)}}  # Scotland's World Cup bank holiday


@pytest.mark.parametrize("region", list(GOVUK_FILES))
def test_bundled_govuk_json_agrees(region):
    from govuk_bank_holidays.bank_holidays import BankHolidays

    bundle = BankHolidays(use_cached_holidays=True)
    division = {EW: bundle.ENGLAND_AND_WALES, SCOT: bundle.SCOTLAND, NI: bundle.NORTHERN_IRELAND}[region]
    bundled = {
        h["date"] for h in bundle.get_holidays(division=division) if h["date"].year in YEARS and h["date"].weekday() < 5
    }
    ours = {d for d in calendar_for(region).holiday_names if d.year in YEARS}
    assert bundled - ours == set()
    late = ours - bundled
    assert late <= ANNOUNCED_AFTER_BUNDLE.get(region, set())
    assert late <= govuk_dates(region)  # and the newer official list confirms them


ALL = tuple(GOVUK_FILES)
SPECIAL_DAYS = [
    # (regions, date, working?, why)
    (ALL, D(2020, 5, 8), False, "VE Day: the early May bank holiday moved to Friday 8 May 2020"),
    (ALL, D(2020, 5, 4), True, "VE Day: so no bank holiday on Monday 4 May 2020"),
    (ALL, D(2022, 6, 2), False, "Platinum Jubilee: spring bank holiday moved to Thursday 2 June 2022"),
    (ALL, D(2022, 6, 3), False, "Platinum Jubilee bank holiday, Friday 3 June 2022"),
    (ALL, D(2022, 5, 30), True, "Platinum Jubilee: no spring bank holiday on the last Monday of May 2022"),
    (ALL, D(2022, 9, 19), False, "State Funeral of Queen Elizabeth II, Monday 19 September 2022"),
    (ALL, D(2023, 5, 8), False, "Coronation of King Charles III, Monday 8 May 2023"),
    ((SCOT,), D(2022, 11, 30), False, "St Andrew's Day (Wednesday)"),
    ((SCOT,), D(2024, 12, 2), False, "St Andrew's Day 2024 fell on a Saturday: substitute Monday"),
    ((SCOT,), D(2025, 12, 1), False, "St Andrew's Day 2025 fell on a Sunday: substitute Monday"),
    ((EW, NI), D(2022, 11, 30), True, "St Andrew's Day is Scottish only"),
    ((SCOT,), D(2024, 1, 2), False, "2nd January (Scotland)"),
    ((EW, NI), D(2024, 1, 2), True, "2nd January is Scottish only"),
    ((SCOT,), D(2024, 4, 1), True, "Easter Monday is not a bank holiday in Scotland"),
    ((EW, NI), D(2024, 4, 1), False, "Easter Monday"),
    ((SCOT,), D(2024, 8, 5), False, "Scotland's summer bank holiday: first Monday of August"),
    ((SCOT,), D(2024, 8, 26), True, "no late summer bank holiday in Scotland"),
    ((EW, NI), D(2024, 8, 26), False, "late summer bank holiday: last Monday of August"),
    ((SCOT,), D(2026, 6, 15), False, "World Cup bank holiday, Scotland 2026"),
    ((NI,), D(2023, 3, 17), False, "St Patrick's Day (Friday)"),
    ((NI,), D(2024, 3, 18), False, "St Patrick's Day 2024 fell on a Sunday: substitute Monday"),
    ((EW, SCOT), D(2023, 3, 17), True, "St Patrick's Day is Northern Irish only"),
    ((NI,), D(2023, 7, 12), False, "Battle of the Boyne (Wednesday)"),
    ((NI,), D(2026, 7, 13), False, "Battle of the Boyne 2026 falls on a Sunday: substitute Monday"),
    ((EW, SCOT), D(2023, 7, 12), True, "Battle of the Boyne is Northern Irish only"),
    (ALL, D(2020, 12, 28), False, "Boxing Day 2020 fell on a Saturday: substitute Monday"),
    (ALL, D(2021, 12, 27), False, "Christmas Day 2021 fell on a Saturday: substitute Monday"),
    (ALL, D(2021, 12, 28), False, "Boxing Day 2021 fell on a Sunday: substitute Tuesday"),
    (ALL, D(2022, 1, 3), False, "New Year's Day 2022 fell on a Saturday: substitute Monday"),
    ((SCOT,), D(2022, 1, 4), False, "2nd January 2022 fell on a Sunday: substitute Tuesday"),
    ((EW, NI), D(2022, 1, 4), True, "no 2nd January outside Scotland"),
    (ALL, D(2024, 3, 29), False, "Good Friday"),
    (ALL, D(2021, 12, 25), False, "a Saturday is never a working day"),
]


@pytest.mark.parametrize(
    "region, day, working, why",
    [(r, d, w, why) for regions, d, w, why in SPECIAL_DAYS for r in regions],
    ids=lambda v: v.isoformat() if isinstance(v, dt.date) else None,
)
def test_special_days(region, day, working, why):
    assert calendar_for(region).is_working_day(day) is working, why


# Working-day arithmetic across the special days and the Christmas and Easter runs.
NAMED_SUMS = [
    # (region, start, n, expected, why)
    (EW, D(2020, 12, 24), 1, D(2020, 12, 29), "Christmas Friday, Boxing Day substitute on Monday 28th"),
    (EW, D(2020, 12, 29), -1, D(2020, 12, 24), "and back again"),
    (EW, D(2022, 12, 23), 1, D(2022, 12, 28), "Boxing Day Monday, Christmas substitute Tuesday"),
    (EW, D(2022, 12, 30), 1, D(2023, 1, 3), "New Year's Day substitute Monday 2 January 2023"),
    (SCOT, D(2022, 12, 30), 1, D(2023, 1, 4), "Scotland: 2 and 3 January 2023 are both holidays"),
    (EW, D(2020, 12, 31), 1, D(2021, 1, 4), "New Year's Day Friday 1 January 2021"),
    (SCOT, D(2020, 12, 31), 1, D(2021, 1, 5), "Scotland: 2nd January substitute Monday 4 January 2021"),
    (EW, D(2024, 3, 28), 1, D(2024, 4, 2), "Maundy Thursday + 1 skips Good Friday to Easter Monday"),
    (SCOT, D(2024, 3, 28), 1, D(2024, 4, 1), "Scotland works on Easter Monday"),
    (EW, D(2024, 3, 29), 1, D(2024, 4, 2), "Good Friday + 1: the start day is never counted"),
    (EW, D(2024, 3, 30), 1, D(2024, 4, 2), "Easter Saturday + 1"),
    (EW, D(2024, 3, 30), -1, D(2024, 3, 28), "Easter Saturday - 1"),
    (EW, D(2024, 4, 1), -1, D(2024, 3, 28), "Easter Monday - 1"),
    (EW, D(2024, 4, 1), 0, D(2024, 4, 1), "n = 0 returns the start, even a bank holiday"),
    (EW, D(2020, 5, 7), 1, D(2020, 5, 11), "VE Day Friday 8 May 2020"),
    (EW, D(2020, 5, 1), 1, D(2020, 5, 4), "no bank holiday on Monday 4 May 2020"),
    (EW, D(2022, 6, 1), 1, D(2022, 6, 6), "Platinum Jubilee Thursday and Friday"),
    # The issue text says `workday 2022-05-27 10` is 2022-06-13, but it forgot
    # that the Platinum Jubilee took both Thursday 2 and Friday 3 June 2022:
    # 30, 31 May, 1, 6, 7, 8, 9, 10, 13, 14 June. Excel's WORKDAY gives 14 June.
    (EW, D(2022, 5, 27), 10, D(2022, 6, 14), "Jubilee: ten working days from Friday 27 May 2022"),
    (EW, D(2022, 9, 16), 1, D(2022, 9, 20), "State Funeral Monday 19 September 2022"),
    (EW, D(2023, 5, 5), 1, D(2023, 5, 9), "Coronation Monday 8 May 2023"),
    (EW, D(2023, 4, 28), 10, D(2023, 5, 16), "May Day and the Coronation in one stage 1 response"),
    (SCOT, D(2022, 11, 29), 1, D(2022, 12, 1), "St Andrew's Day"),
    (EW, D(2022, 11, 29), 1, D(2022, 11, 30), "not in England"),
    (NI, D(2023, 3, 16), 1, D(2023, 3, 20), "St Patrick's Day"),
    (NI, D(2023, 7, 11), 1, D(2023, 7, 13), "Battle of the Boyne"),
    (EW, D(2024, 3, 9), 1, D(2024, 3, 11), "Saturday + 1 = Monday"),
    (EW, D(2024, 3, 9), -1, D(2024, 3, 8), "Saturday - 1 = Friday"),
    (EW, D(2024, 3, 9), 0, D(2024, 3, 9), "Saturday + 0 = Saturday"),
    (EW, D(2024, 3, 10), 1, D(2024, 3, 11), "Sunday + 1 = Monday"),
    (EW, D(2024, 3, 12), 10, D(2024, 3, 26), "a plain stage 1 response"),
    (EW, D(2024, 3, 12), 20, D(2024, 4, 11), "an extended one, across Easter"),
    (EW, D(2024, 3, 12), -5, D(2024, 3, 5), "negative n counts back"),
]


@pytest.mark.parametrize("region, start, n, expected, why", NAMED_SUMS, ids=[c[-1] for c in NAMED_SUMS])
def test_named_sums(region, start, n, expected, why):
    calendar = calendar_for(region)
    assert calendar.add(start, n) == expected, why
    got = calendar.add_array(np.array([start], dtype="datetime64[D]"), n)
    assert got[0] == np.datetime64(expected, "D")


NAMED_COUNTS = [
    # (region, start, end, expected, why)
    (EW, D(2024, 3, 12), D(2024, 3, 12), 0, "the day of receipt is day zero"),
    (EW, D(2024, 3, 12), D(2024, 3, 26), 10, "a stage 1 response on its last day"),
    (EW, D(2024, 3, 28), D(2024, 4, 2), 1, "across Easter"),
    (SCOT, D(2024, 3, 28), D(2024, 4, 2), 2, "across Easter in Scotland"),
    (EW, D(2024, 3, 8), D(2024, 3, 11), 1, "Friday to Monday"),
    (EW, D(2024, 3, 9), D(2024, 3, 11), 1, "Saturday to Monday: NETWORKDAYS(Sun, Mon)"),
    (EW, D(2024, 3, 9), D(2024, 3, 9), 0, "Saturday to itself: any day to itself is 0"),
    (EW, D(2022, 5, 27), D(2022, 6, 14), 10, "the Jubilee fortnight"),
    (EW, D(2020, 12, 24), D(2021, 1, 4), 4, "Christmas and New Year 2020: 29, 30, 31 Dec and 4 Jan"),
    # Deliberately not Excel's NETWORKDAYS - 1 (which gives -3 here): overdue by one working day.
    (EW, D(2024, 3, 12), D(2024, 3, 11), -1, "end before start: minus the count from end to start"),
    (EW, D(2024, 4, 2), D(2024, 3, 28), -1, "back across Easter"),
]


@pytest.mark.parametrize("region, start, end, expected, why", NAMED_COUNTS, ids=[c[-1] for c in NAMED_COUNTS])
def test_named_counts(region, start, end, expected, why):
    assert calendar_for(region).count(start, end) == expected, why


# --- 2. Excel semantics: a naive reference model ------------------------------


class ExcelModel:
    """Excel's WORKDAY and NETWORKDAYS as documented, one calendar day at a time."""

    def __init__(self, non_working: set[dt.date]):
        self.non_working = non_working

    def working(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.non_working

    def workday(self, start: dt.date, n: int) -> dt.date:
        day, left = start, abs(n)
        step = dt.timedelta(days=1 if n > 0 else -1)
        while left:  # the start day itself is never counted
            day += step
            if self.working(day):
                left -= 1
        return day

    def networkdays(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return -self.networkdays(end, start)
        return sum(self.working(start + dt.timedelta(days=i)) for i in range((end - start).days + 1))

    def count(self, start: dt.date, end: dt.date) -> int:
        """Ours, the inverse of WORKDAY (issue 11): NETWORKDAYS(start + 1, end); before the
        start, -NETWORKDAYS(end, start - 1); 0 from any day to itself."""
        one = dt.timedelta(days=1)
        if end < start:
            return -self.networkdays(end, start - one)
        return self.networkdays(start + one, end) if end > start else 0


@cache
def package_weekday_holidays(region: str) -> frozenset[dt.date]:
    """For years after the GOV.UK copies end (2029-2031) the package is the only list."""
    subdiv = {EW: "ENG", SCOT: "SCT", NI: "NIR"}[region]
    uk = holidays_package.UK(subdiv=subdiv, years=range(GOVUK_LAST_YEAR + 1, 2032), categories=("public",))
    return frozenset(d for d in uk if d.weekday() < 5)


def reference_non_working(region, closures=(), extra=(), removed=()) -> set[dt.date]:
    official = {d for d in govuk_dates(region) if d.weekday() < 5} | package_weekday_holidays(region)
    return (official - set(removed)) | set(extra) | set(closures)


FIRST, LAST = D(2015, 1, 1), D(2030, 12, 31)
dates = st.dates(FIRST, LAST)
steps = st.integers(-80, 80)


@st.composite
def scenarios(draw):
    """A council's calendar: region, closure days, added and removed bank holidays near `start`."""
    region = draw(st.sampled_from(list(GOVUK_FILES)))
    start = draw(dates)
    near = st.integers(-130, 130).map(lambda k: start + dt.timedelta(days=k))
    closures = draw(st.lists(near, max_size=6, unique=True))
    extra = draw(st.lists(near, max_size=3, unique=True))
    nearby_official = sorted(d for d in govuk_dates(region) if abs((d - start).days) <= 130 and d.weekday() < 5)
    removed = draw(st.lists(st.sampled_from(nearby_official), max_size=2, unique=True)) if nearby_official else []
    calendar = WorkingCalendar(region, tuple(closures), tuple(extra), tuple(removed))
    model = ExcelModel(reference_non_working(region, closures, extra, removed))
    return start, calendar, model


@PROPERTY
@given(scenarios(), steps)
def test_add_is_excel_workday(scenario, n):
    start, calendar, model = scenario
    assert calendar.add(start, n) == model.workday(start, n)


@PROPERTY
@given(scenarios(), st.integers(-150, 150))
def test_count_is_networkdays_less_one(scenario, offset):
    start, calendar, model = scenario
    end = start + dt.timedelta(days=offset)
    assert calendar.count(start, end) == model.count(start, end)
    if end > start and model.working(start):
        assert calendar.count(start, end) == model.networkdays(start, end) - 1


@PROPERTY
@given(scenarios(), st.lists(st.tuples(st.one_of(st.none(), st.integers(-150, 150)), steps), min_size=1, max_size=25))
def test_array_forms_agree_with_excel(scenario, rows):
    """Whole columns at once, with blank dates (NaT) among them."""
    start, calendar, model = scenario
    starts = [None if k is None else start + dt.timedelta(days=k) for k, _ in rows]
    ns = np.array([n for _, n in rows])
    column = np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in starts], dtype="datetime64[D]")

    added = calendar.add_array(column, ns)
    counted = calendar.count_array(column, np.full(len(rows), np.datetime64(start, "D")))
    assert added.dtype == np.dtype("datetime64[D]")
    assert counted.dtype.kind == "f"
    for i, (day, (_, n)) in enumerate(zip(starts, rows)):
        if day is None:
            assert np.isnat(added[i]) and np.isnan(counted[i])
        else:
            assert added[i].astype(dt.date) == model.workday(day, int(n))
            assert counted[i] == model.count(day, start)


@QUICK
@given(dates, steps)
def test_array_form_accepts_a_scalar_n(day, n):
    calendar = calendar_for(EW)
    column = np.array([day, day + dt.timedelta(days=1)], dtype="datetime64[D]")
    out = calendar.add_array(column, n)
    assert [d.astype(dt.date) for d in out] == [calendar.add(day, n), calendar.add(day + dt.timedelta(days=1), n)]


def test_missing_dates_give_nat_and_nan():
    calendar = calendar_for(EW)
    nat = np.array(["NaT", "NaT"], dtype="datetime64[D]")
    assert np.isnat(calendar.add_array(nat, [1, -1])).all()
    assert np.isnan(calendar.count_array(nat, np.array(["2024-03-12", "NaT"], dtype="datetime64[D]"))).all()
    assert np.isnan(calendar.count_array(np.array(["2024-03-12"], dtype="datetime64[D]"), nat[:1])).all()
    assert np.isnat(calendar.roll_forward_array(nat)).all()
    assert np.isnat(calendar.add_period_array(nat, 1, "calendar months")).all()
    assert np.isnat(calendar.add_period_array(nat, 1, "calendar days")).all()
    empty = np.array([], dtype="datetime64[D]")
    assert calendar.add_array(empty, 3).shape == (0,)
    assert calendar.count_array(empty, empty).shape == (0,)


# --- properties -------------------------------------------------------------


@PROPERTY
@given(scenarios(), steps)
def test_there_and_back_again(scenario, n):
    """From a working day, n forward then n back returns to it; from a day off,
    it lands on the nearest working day on the side the return journey comes from."""
    start, calendar, model = scenario
    back = calendar.add(calendar.add(start, n), -n)
    if n == 0 or model.working(start):
        assert back == start
    else:
        assert back == calendar.add(start, -1 if n > 0 else 1)


@PROPERTY
@given(scenarios(), steps)
def test_counting_undoes_adding(scenario, n):
    start, calendar, model = scenario
    end = calendar.add(start, n)
    assert calendar.count(start, end) == n  # from a day off too (issue 11)
    if n != 0:
        assert model.working(end)


@PROPERTY
@given(scenarios(), steps, steps)
def test_add_is_monotonic(scenario, n1, n2):
    start, calendar, _ = scenario
    if n1 < n2:
        assert calendar.add(start, n1) < calendar.add(start, n2)
    later = start + dt.timedelta(days=abs(n2) % 9)
    assert calendar.add(start, n1) <= calendar.add(later, n1)


@PROPERTY
@given(scenarios(), st.integers(0, 150), st.integers(0, 30))
def test_count_is_monotonic(scenario, offset, more):
    start, calendar, model = scenario
    end = start + dt.timedelta(days=offset)
    later_end = end + dt.timedelta(days=more)
    assert calendar.count(start, end) <= calendar.count(start, later_end)
    later_start = start + dt.timedelta(days=min(more, offset))
    assert calendar.count(later_start, end) <= calendar.count(start, end)
    if model.working(start):  # from a working day, over the whole line
        before = start - dt.timedelta(days=more)
        assert calendar.count(start, before) <= calendar.count(start, start) == 0


# A working day before the start is always behind it (issue 11: from a day off too).
COUNT_BACK_FROM_DAY_OFF = [
    (D(2024, 3, 9), D(2024, 3, 8), "Saturday to the Friday before is -1"),
    (D(2024, 3, 11), D(2024, 3, 8), "Monday to the Friday before is -1"),
]


@pytest.mark.parametrize("start, end, why", COUNT_BACK_FROM_DAY_OFF, ids=[c[-1] for c in COUNT_BACK_FROM_DAY_OFF])
def test_end_before_start_is_never_time_left(start, end, why):
    calendar = calendar_for(EW)
    assert calendar.count(start, end) < 0, why
    assert calendar.count(start, end) <= calendar.count(start, start) == 0, why


# --- closure days, added and removed bank holidays ----------------------------


def test_closure_days_between_christmas_and_new_year():
    calendar = WorkingCalendar(EW, closure_days=(D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)))
    assert calendar.add(D(2024, 12, 24), 1) == D(2025, 1, 2)
    assert calendar.count(D(2024, 12, 24), D(2025, 1, 2)) == 1
    assert calendar.holiday_names[D(2024, 12, 27)] == "Council closure day"
    assert calendar_for(EW).add(D(2024, 12, 24), 1) == D(2024, 12, 27)


def test_closure_on_a_bank_holiday_keeps_the_bank_holiday_name():
    calendar = WorkingCalendar(EW, closure_days=(D(2024, 12, 25),))
    assert "Christmas" in calendar.holiday_names[D(2024, 12, 25)]


def test_extra_bank_holiday_announced_at_short_notice():
    calendar = WorkingCalendar(EW, extra_holidays=(D(2027, 6, 4),))
    assert not calendar.is_working_day(D(2027, 6, 4))
    assert calendar.add(D(2027, 6, 3), 1) == D(2027, 6, 7)
    assert calendar.holiday_names[D(2027, 6, 4)] == "Bank holiday (added in Settings)"


def test_removed_bank_holiday_becomes_a_working_day():
    calendar = WorkingCalendar(EW, removed_holidays=(D(2024, 5, 6),))
    assert calendar.is_working_day(D(2024, 5, 6))
    assert calendar.add(D(2024, 5, 3), 1) == D(2024, 5, 6)
    assert D(2024, 5, 6) not in calendar.holiday_names


def test_holidays_between_and_next_working_day():
    calendar = calendar_for(EW)
    assert [d for d, _ in calendar.holidays_between(D(2024, 3, 1), D(2024, 4, 30))] == [D(2024, 3, 29), D(2024, 4, 1)]
    assert calendar.next_working_day_on_or_after(D(2024, 3, 29)) == D(2024, 4, 2)
    assert calendar.next_working_day_on_or_after(D(2024, 4, 2)) == D(2024, 4, 2)


def test_bank_holidays_are_weekdays_with_names():
    listed = bank_holidays(SCOT, years=[2021])
    assert all(d.weekday() < 5 for d in listed) and all(listed.values())
    assert D(2021, 12, 25) not in listed  # a Saturday: the substitute Monday stops the clock instead
    assert D(2021, 12, 27) in listed


# --- 3. calendar months and days; regions -----------------------------------


MONTH_SUMS = [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 8, 31), 1, D(2024, 9, 30)),
    (D(2024, 12, 31), 2, D(2025, 2, 28)),
    (D(2024, 5, 15), 12, D(2025, 5, 15)),
    (D(2024, 5, 15), 0, D(2024, 5, 15)),
    (D(2024, 1, 15), -13, D(2022, 12, 15)),
]


@pytest.mark.parametrize("start, months, expected", MONTH_SUMS)
def test_calendar_months_are_excel_edate(start, months, expected):
    got = add_months_array(np.array([start], dtype="datetime64[D]"), months)
    assert got[0].astype(dt.date) == expected
    assert calendar_for(EW).add_calendar(start, months, "calendar months") == expected


def naive_edate(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return D(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))


@QUICK
@given(st.lists(st.tuples(st.dates(D(1995, 1, 1), D(2060, 12, 31)), st.integers(-300, 300)), min_size=1, max_size=20))
def test_calendar_months_agree_with_a_naive_edate(pairs):
    starts = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    got = add_months_array(starts, np.array([m for _, m in pairs]))
    assert [d.astype(dt.date) for d in got] == [naive_edate(d, m) for d, m in pairs]


@QUICK
@given(dates, st.integers(-400, 400))
def test_calendar_days_and_working_days_units(day, amount):
    calendar = calendar_for(EW)
    assert calendar.add_calendar(day, amount, "calendar days") == day + dt.timedelta(days=amount)
    if -80 <= amount <= 80:
        assert calendar.add_calendar(day, amount, "working days") == calendar.add(day, amount)


def test_unknown_unit_is_refused_by_name():
    with pytest.raises(ValueError, match="fortnights"):
        calendar_for(EW).add_calendar(D(2024, 3, 12), 1, "fortnights")


@pytest.mark.parametrize(
    "text, code",
    [
        ("England and Wales", "ENG"),
        ("england & wales", "ENG"),
        ("  ENGLAND AND WALES ", "ENG"),
        ("ENG", "ENG"),
        ("England", "ENG"),
        ("Wales", "ENG"),
        ("Scotland", "SCT"),
        ("scot", "SCT"),
        ("SCT", "SCT"),
        ("Northern Ireland", "NIR"),
        ("NI", "NIR"),
        ("nir", "NIR"),
        ("", "ENG"),
        (None, "ENG"),
    ],
)
def test_region_aliases(text, code):
    assert region_code(text) == code


def test_region_alias_e_and_w():
    assert region_code("E&W") == "ENG"


@pytest.mark.parametrize("text", ["Narnia", "Ireland", "UK", "Wales and Scotland"])
def test_unknown_region_is_a_clear_error(text):
    with pytest.raises(ValueError) as err:
        region_code(text)
    message = str(err.value)
    assert f"'{text}'" in message
    for name in REGIONS:
        assert name in message
    with pytest.raises(ValueError, match=text):
        WorkingCalendar(text).add(D(2024, 3, 12), 1)


def test_regions_really_differ():
    years = range(2016, 2027)
    sets = {r: {d for d in calendar_for(r).holiday_names if d.year in years} for r in GOVUK_FILES}
    assert sets[EW] < sets[NI]
    assert sets[EW] != sets[SCOT]


# --- what the array forms accept, and the edges of the helpers ----------------------------


def test_region_alias_e_and_w_with_spaces():
    assert region_code("E & W") == "ENG"


def test_unknown_region_message_lists_the_regions():
    with pytest.raises(ValueError) as err:
        region_code("Narnia")
    assert str(err.value) == (
        "Bank-holiday region 'Narnia' is not known: use one of England and Wales, Scotland, Northern Ireland."
    )


def test_bank_holidays_for_the_years_asked():
    assert sorted(bank_holidays(EW, years=[2024])) == [
        D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27), D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26),
    ]


@pytest.mark.parametrize("day", [D(2000, 1, 3), D(2040, 12, 25), D(2040, 12, 26)])
def test_the_calendar_covers_2000_to_2040(day):
    """Substitute New Year's Day 2000 (Monday 3 January) and Christmas 2040 (Tuesday and Wednesday).

    A new calendar, not the cached one: its holidays are worked out when first needed."""
    assert not WorkingCalendar(EW).is_working_day(day)


def test_a_whole_number_of_days_typed_as_a_decimal_counts():
    """Excel hands 3 to Python as 3.0."""
    calendar = WorkingCalendar(EW)
    assert calendar.add(D(2024, 3, 28), 3.0) == D(2024, 4, 4)  # Tue 2, Wed 3, Thu 4 April
    assert list(calendar.add_array(np.array(["2024-03-28"], dtype="datetime64[D]"), np.array([-1.0]))) == [np.datetime64("2024-03-27")]


def test_holidays_between_includes_both_end_days():
    calendar = calendar_for(EW)
    assert calendar.holidays_between(D(2024, 3, 29), D(2024, 4, 1)) == [(D(2024, 3, 29), "Good Friday"), (D(2024, 4, 1), "Easter Monday")]


# pandas hands the engine datetime64[ns] columns; officers' code may pass lists of dates.
AS_NANOSECONDS = np.array(["2024-03-28", "2024-03-30", "NaT"], dtype="datetime64[ns]")
AS_DATES = [D(2024, 3, 28), D(2024, 3, 30), None]


@pytest.mark.parametrize("column", [AS_NANOSECONDS, AS_DATES], ids=["datetime64[ns]", "dates"])
def test_array_forms_take_any_date_column(column):
    calendar = calendar_for(EW)
    nat = np.datetime64("NaT")
    expect = lambda *days: [nat if d is None else np.datetime64(d, "D") for d in days]  # noqa: E731
    out = calendar.add_array(column, 1)
    assert out.dtype == np.dtype("datetime64[D]")
    assert list(out[:2]) == expect(D(2024, 4, 2), D(2024, 4, 2)) and np.isnat(out[2])
    assert list(calendar.roll_forward_array(column)[:2]) == expect(D(2024, 3, 28), D(2024, 4, 2))
    assert np.isnat(calendar.roll_forward_array(column)[2])
    assert list(calendar.add_period_array(column, 1, "calendar months")[:2]) == expect(D(2024, 4, 28), D(2024, 4, 30))
    assert list(calendar.add_period_array(column, 3, "calendar days")[:2]) == expect(D(2024, 3, 31), D(2024, 4, 2))
    assert list(add_months_array(column, -1)[:2]) == expect(D(2024, 2, 28), D(2024, 2, 29))
    counted = calendar.count_array(column, np.array(["2024-04-03"] * 3, dtype="datetime64[ns]"))
    assert counted[0] == 2 and np.isnan(counted[2])  # Tue 2 and Wed 3 April


def test_missing_dates_in_a_column_stay_missing_next_to_real_ones():
    calendar = calendar_for(EW)
    column = np.array(["NaT", "2024-03-29"], dtype="datetime64[D]")
    assert np.isnat(calendar.roll_forward_array(column)[0]) and calendar.roll_forward_array(column)[1] == np.datetime64("2024-04-02")
    months = add_months_array(column, 1)
    assert np.isnat(months[0]) and months[1] == np.datetime64("2024-04-29")


def test_period_amounts_can_be_a_column():
    calendar = calendar_for(EW)
    column = np.array(["2024-01-31", "2024-01-31"], dtype="datetime64[D]")
    assert list(calendar.add_period_array(column, np.array([1, 2]), "calendar months")) == [
        np.datetime64("2024-02-29"), np.datetime64("2024-03-31"),
    ]
    assert list(calendar.add_period_array(column, [1.0, 2.0], "working days")) == [np.datetime64("2024-02-01"), np.datetime64("2024-02-02")]


# --- the UK's holidays, loaded without the other 250 countries -----------------------------------

def test_the_uk_is_loaded_alone_and_is_the_packages_own_class():
    """bank_holidays never imports every country's module (it did: a twentieth of a second at
    each command's start); a later import of them finds the same class, so holidays.UK agrees."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from xl_complaints.core import calendar\n"
        "days = calendar.bank_holidays('Northern Ireland')\n"
        "assert 'holidays.countries' not in sys.modules, 'every country was imported'\n"
        "assert calendar.united_kingdom().__module__ == calendar.UK_MODULE\n"
        "import holidays\n"
        "assert holidays.UK.get_entity() is calendar.united_kingdom()\n"
        "assert holidays.country_holidays('GB', subdiv='NIR', years=2026)[__import__('datetime').date(2026, 3, 17)]\n"
        "print(len(days))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 300  # 41 years of Northern Ireland's weekday holidays


def _fresh_uk(monkeypatch):
    from xl_complaints.core import calendar as working

    monkeypatch.delitem(__import__("sys").modules, working.UK_MODULE, raising=False)
    return working


def test_a_package_laid_out_otherwise_is_asked_the_usual_way(monkeypatch, tmp_path):
    working = _fresh_uk(monkeypatch)
    monkeypatch.setattr(working.holidays_package, "__file__", str(tmp_path / "__init__.py"))  # no countries/ beside it
    assert working.united_kingdom() is holidays_package.UK.get_entity()
    assert working.bank_holidays(years=[2026])[dt.date(2026, 8, 31)] == "Late Summer Bank Holiday"


def test_a_uk_module_that_will_not_load_is_asked_the_usual_way(monkeypatch, tmp_path):
    import sys

    working = _fresh_uk(monkeypatch)
    (tmp_path / "countries").mkdir()
    (tmp_path / "countries" / "united_kingdom.py").write_text("raise ImportError('changed insides')\n")
    monkeypatch.setattr(working.holidays_package, "__file__", str(tmp_path / "__init__.py"))
    assert working.united_kingdom() is holidays_package.UK.get_entity()
    left = sys.modules.get(working.UK_MODULE)  # the package's own module, if its loader made one; never the broken one
    assert not str(getattr(left, "__file__", "")).startswith(str(tmp_path))
    (tmp_path / "countries" / "united_kingdom.py").write_text("UnitedKingdom = None\n")  # loads, but no UK in it
    assert working.united_kingdom() is holidays_package.UK.get_entity()


def test_the_uk_module_is_loaded_from_its_file_and_kept_under_its_own_name(monkeypatch):
    """In this process, with the UK module not yet loaded: it is loaded from the package's own
    file (never through the package's loader, which imports every country), kept in sys.modules
    under its name for a later import of the countries, and its UK class is returned."""
    import sys
    from types import SimpleNamespace

    working = _fresh_uk(monkeypatch)
    usual_way = object()
    monkeypatch.setattr(type(holidays_package.UK), "get_entity", lambda self: usual_way)
    found = working.united_kingdom()
    assert found is not usual_way and found.__name__ == "UK" and found.__module__ == working.UK_MODULE
    assert sys.modules[working.UK_MODULE].UK is found
    assert sys.modules[working.UK_MODULE].__file__.endswith("united_kingdom.py")
    assert dt.date(2026, 12, 25) in found(subdiv="ENG", years=[2026])
    # loaded already (by this or by the package): that module's class, not another reading
    marker = object()
    monkeypatch.setitem(sys.modules, working.UK_MODULE, SimpleNamespace(UK=marker))
    assert working.united_kingdom() is marker
