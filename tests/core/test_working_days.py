"""'Working days from A to B' is the inverse of WORKDAY, from any day, working or not (issue 11, item 1).

The reference is GOV.UK's list of bank holidays for England and Wales (a copy in
tests/data, taken from /work/shared/reference) stepped through one calendar day
at a time: nothing here uses the project's calendar to work out an expected value.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_complaints.core.calendar import WorkingCalendar

D = dt.date
DATA = Path(__file__).parents[1] / "data"
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def govuk_england_and_wales() -> frozenset[dt.date]:
    with open(DATA / "bank_holidays_england_wales.csv", encoding="utf-8", newline="") as handle:
        return frozenset(D.fromisoformat(row["date"]) for row in csv.DictReader(handle))


def working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in govuk_england_and_wales()


def naive_workday(start: dt.date, n: int) -> dt.date:
    """Excel's WORKDAY as documented: step a day at a time, never counting the start."""
    day, left, step = start, abs(n), dt.timedelta(days=1 if n > 0 else -1)
    while left:
        day += step
        left -= working(day)
    return day


@cache
def calendar() -> WorkingCalendar:
    return WorkingCalendar("England and Wales")


# GOV.UK's copies run 2012-2028; keep a margin so WORKDAY never leaves them.
dates = st.dates(D(2013, 1, 1), D(2027, 12, 1))
days_off = dates.filter(lambda d: not working(d))


@PROPERTY
@given(dates, st.integers(-120, 120))
def test_workdays_undoes_workday_from_any_day(a, n):
    """workdays(a, workday(a, n)) == n, whether a is a working day or not."""
    b = calendar().add(a, n)
    assert b == naive_workday(a, n)
    assert calendar().count(a, b) == n


@PROPERTY
@given(days_off, st.integers(-120, 120))
def test_workdays_undoes_workday_from_a_day_off(a, n):
    """The same from weekends and bank holidays only, where the old count was one short."""
    assert calendar().count(a, calendar().add(a, n)) == n


@PROPERTY
@given(dates, st.integers(-170, 170))
def test_workday_undoes_workdays_onto_a_working_day(a, offset):
    """workday(a, workdays(a, b)) == b whenever b is a working day."""
    b = a + dt.timedelta(days=offset)
    k = calendar().count(a, b)
    if working(b):
        assert calendar().add(a, k) == b
    # and in any case k is the working days after a up to b (or minus those from b up to the day before a)
    span = [a + dt.timedelta(days=i) for i in range(1, offset + 1)] if offset >= 0 else [b + dt.timedelta(days=i) for i in range(-offset)]
    assert abs(k) == sum(map(working, span))


@PROPERTY
@given(st.lists(st.tuples(dates, st.integers(-60, 60)), min_size=1, max_size=30))
def test_whole_columns_agree(pairs):
    starts = np.array([a for a, _ in pairs], dtype="datetime64[D]")
    ends = calendar().add_array(starts, np.array([n for _, n in pairs]))
    assert calendar().count_array(starts, ends).tolist() == [float(n) for _, n in pairs]


# The examples, and a few more, worked by hand from GOV.UK's list.
NAMED = [
    (D(2024, 6, 8), D(2024, 6, 10), 1, "Saturday to Monday: workday(Sat 8 Jun 2024, 1) is Mon 10 Jun"),
    (D(2020, 5, 8), D(2020, 5, 8), 0, "VE Day bank holiday, Fri 8 May 2020, to itself"),
    (D(2024, 6, 8), D(2024, 6, 8), 0, "a Saturday to itself"),
    (D(2025, 2, 8), D(2025, 2, 16), 5, "Sat 8 to Sun 16 Feb 2025: Mon 10 to Fri 14"),
    (D(2022, 5, 27), D(2022, 6, 14), 10, "README: the Jubilee fortnight (2 and 3 Jun 2022 bank holidays)"),
    (D(2024, 3, 29), D(2024, 4, 2), 1, "Good Friday to the Tuesday after Easter Monday 2024"),
    (D(2024, 6, 10), D(2024, 6, 7), -1, "Monday back to the Friday before: overdue by one"),
    (D(2024, 6, 9), D(2024, 6, 7), -1, "Sunday back to the Friday before"),
    (D(2024, 4, 1), D(2024, 3, 28), -1, "Easter Monday 2024 back to Maundy Thursday"),
    (D(2024, 6, 10), D(2024, 6, 8), 0, "Monday back to the Saturday before: no working day between"),
]


@pytest.mark.parametrize("a, b, expected, why", NAMED, ids=[n[-1] for n in NAMED])
def test_named_counts(a, b, expected, why):
    assert calendar().count(a, b) == expected, why


def test_the_command_line_agrees(tmp_path):
    from click.testing import CliRunner

    from xl_complaints.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["workdays", "2024-06-08", "2024-06-10"]).output.strip() == "1"
    assert runner.invoke(main, ["workday", "2024-06-08", "1"]).output.strip() == "2024-06-10"
    assert runner.invoke(main, ["workdays", "2020-05-08", "2020-05-08"]).output.strip() == "0"
