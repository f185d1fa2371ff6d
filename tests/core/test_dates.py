"""The dates module: every date form officers type, Excel's serial numbers, dates in
words for letters, reports and register cells, and the as-of rule."""

from __future__ import annotations

import datetime as dt
import locale

import numpy as np
import pandas as pd
import pytest

from xl_complaints.core import dates
from xl_complaints.core.dates import (
    as_of_or_today,
    day_name,
    excel_serial,
    from_excel_serial,
    long_date,
    parse_date,
    short_date,
    short_dates,
    to_date,
)

CORE = ("schema", "calendar", "rulebook", "settings", "register", "status", "learning")  # the pure core: given dates, never the clock
D = dt.date
TUESDAY = D(2024, 3, 12)

# --- parse_date ---------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        TUESDAY,
        dt.datetime(2024, 3, 12, 15, 45),
        dt.datetime(2024, 3, 12, 23, 59, 59),
        pd.Timestamp("2024-03-12 10:00"),
        np.datetime64("2024-03-12"),
        45363,  # Excel's serial number for 12 March 2024
        45363.0,
        45363.75,  # with a time of day
        np.float64(45363.0),
        "45363",
        "12/03/2024",
        "12/3/2024",
        "12/03/24",
        " 12/03/2024 ",
        "12/03/2024 09:15",
        "12.3.24",
        "12.03.2024",
        "12-03-2024",
        "2024-03-12",
        "2024-3-12",
        "2024-03-12 14:30",
        "2024-03-12T14:30:00",
        "2024/03/12",
        "12 March 2024",
        "12 Mar 2024",
        "12 mar 24",
        "12th March 2024",
        "12 March, 2024",
        "Tue 12th Mar 2024",
        "Tuesday, 12 March 2024",
        "Tuesday 12 March 2024",
    ],
    ids=repr,
)
def test_accepted_date_forms(value):
    assert parse_date(value) == TUESDAY


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/04/2024", D(2024, 4, 3)),  # day first, as in the UK: 3 April
        ("1/2/99", D(1999, 2, 1)),
        ("01/02/69", D(2069, 2, 1)),
        ("29 Feb 2024", D(2024, 2, 29)),
        ("30 Sept 2024", D(2024, 9, 30)),
        ("1st June 2022", D(2022, 6, 1)),
        ("2nd Jun 2022", D(2022, 6, 2)),
        ("3rd June 2022", D(2022, 6, 3)),
    ],
)
def test_uk_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, suggestion", [("03/25/2024", "25/03/2024"), ("12/13/24", "13/12/2024"), ("1.31.2024", "31/01/2024")])
def test_american_order_is_refused_with_the_uk_form(text, suggestion):
    with pytest.raises(ValueError) as err:
        parse_date(text)
    assert "American" in str(err.value) and suggestion in str(err.value)


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "2024-02-30", "32/01/2024", "13/13/2024", "0/1/2024", "31 April 2024", "2024-13-01"])
def test_impossible_dates(text):
    with pytest.raises(ValueError, match="not a real date"):
        parse_date(text)


@pytest.mark.parametrize("value", [D(1980, 1, 1), D(2101, 1, 1), "01/01/2200", "1/1/70", 2958465])
def test_implausible_dates(value):
    with pytest.raises(ValueError, match="plausible"):
        parse_date(value)


@pytest.mark.parametrize("value", ["soon", "TBC", "12 Smarch 2024", "March 2024", "", "12/03", True, False, 0, -5, 1e9, float("nan"), float("inf"), [], object()])
def test_not_dates(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)

@pytest.mark.parametrize("text", ["12-Mar-2024", "12-Mar-24", "12-March-2024", "March 12, 2024", "Mar 12 2024", "Tuesday, March 12, 2024"])
def test_more_date_forms_whose_month_is_named(text):
    assert parse_date(text) == TUESDAY


@pytest.mark.parametrize(
    "value, message",
    [
        (12, "is the number 12, not a plausible date (as a date it would be 11/01/1900)"),
        (D(1900, 1, 12), "is not a plausible date (12/01/1900: a small number in a date column shows as a day in 1900)"),
        (dt.time(0, 0), "is 0, not a date"),
        (dt.time(9, 5), "holds a time of day (09:05), not a date"),
        ("Smarch 12, 2024", "is not a date"),
    ],
    ids=repr,
)
def test_what_a_refused_date_says(value, message):
    with pytest.raises(ValueError) as err:
        parse_date(value)
    assert str(err.value) == message




# --- Excel's serial numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, number",
    [
        (D(1899, 12, 30), 0),  # Excel's day 0
        (D(1900, 3, 1), 61),  # after Excel's phantom 29 February 1900: the 1900 date system as Windows Excel counts
        (D(2024, 3, 12), 45363),
        (D(2024, 7, 1), 45474),
        (D(2026, 4, 1), 46113),
        (dt.datetime(2024, 7, 1, 12), 45474.5),
        (dt.datetime(2024, 7, 1, 6), 45474.25),
        (dt.datetime(2024, 7, 1), 45474),
    ],
    ids=repr,
)
def test_excel_serial(day, number):
    assert excel_serial(day) == number
    assert type(excel_serial(day)) is type(number)
    assert from_excel_serial(number) == (day.date() if isinstance(day, dt.datetime) else day)


def test_a_serial_number_with_a_time_of_day_is_that_day():
    assert from_excel_serial(45363.99) == TUESDAY
    assert from_excel_serial(np.float64(45363.5)) == TUESDAY
    assert from_excel_serial("45363") == TUESDAY


# --- dates in words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, long, with_weekday, short",
    [
        (D(2026, 4, 1), "1 April 2026", "Wednesday 1 April 2026", "Wed 1 Apr 2026"),
        (D(2022, 6, 13), "13 June 2022", "Monday 13 June 2022", "Mon 13 Jun 2022"),
        (D(2024, 2, 29), "29 February 2024", "Thursday 29 February 2024", "Thu 29 Feb 2024"),
        (D(2016, 9, 4), "4 September 2016", "Sunday 4 September 2016", "Sun 4 Sep 2016"),
        (dt.datetime(2024, 12, 25, 17, 30), "25 December 2024", "Wednesday 25 December 2024", "Wed 25 Dec 2024"),
        (pd.Timestamp(2025, 1, 6), "6 January 2025", "Monday 6 January 2025", "Mon 6 Jan 2025"),
        (np.datetime64("2025-05-03"), "3 May 2025", "Saturday 3 May 2025", "Sat 3 May 2025"),
    ],
    ids=repr,
)
def test_dates_in_words(day, long, with_weekday, short):
    assert long_date(day) == long
    assert long_date(day, weekday=True) == with_weekday
    assert short_date(day) == short


@pytest.mark.parametrize("nothing", [None, pd.NaT, np.datetime64("NaT")], ids=repr)
def test_no_date_is_written_as_nothing(nothing):
    assert long_date(nothing) == long_date(nothing, weekday=True) == short_date(nothing) == ""


class _LocaleDate(dt.date):
    """A date that refuses to be formatted by strftime: what %B or %A would give depends on the PC's language."""

    def strftime(self, fmt):
        raise AssertionError(f"the locale was asked ({fmt})")

    def __format__(self, fmt):
        if fmt:
            raise AssertionError(f"the locale was asked ({fmt})")
        return super().__format__(fmt)


def test_words_do_not_depend_on_the_pcs_language():
    """A council PC set to Welsh or French still writes English month names in letters."""
    day = _LocaleDate(2026, 4, 1)
    assert long_date(day, weekday=True) == "Wednesday 1 April 2026"
    assert long_date(day) == "1 April 2026"
    assert short_date(day) == "Wed 1 Apr 2026"
    assert day_name(day) == "Wednesday"


def test_a_column_of_dates_in_words_writes_each_day_once():
    days = np.array(["2024-03-07", "NaT", "2024-03-07", "2026-04-01"], dtype="datetime64[D]")
    assert short_dates(days).tolist() == ["Thu 7 Mar 2024", "", "Thu 7 Mar 2024", "Wed 1 Apr 2026"]
    assert short_dates(np.array([], dtype="datetime64[D]")).tolist() == []


def test_day_name():
    assert [day_name(D(2024, 3, 11) + dt.timedelta(days=i)) for i in range(7)] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        (pd.NaT, None),
        (np.datetime64("NaT"), None),
        (D(2024, 3, 12), D(2024, 3, 12)),
        (dt.datetime(2024, 3, 12, 23, 59), D(2024, 3, 12)),
        (pd.Timestamp("2024-03-12 10:00"), D(2024, 3, 12)),
        (np.datetime64("2024-03-12"), D(2024, 3, 12)),
        (np.datetime64("2024-03-12T22:00"), D(2024, 3, 12)),
        ("2024-03-12", D(2024, 3, 12)),
    ],
    ids=repr,
)
def test_to_date(value, expected):
    got = to_date(value)
    assert got == expected and (got is None or type(got) is dt.date)


# --- the as-of rule -----------------------------------------------------------------------------


def test_as_of_is_the_day_given_else_today():
    assert as_of_or_today(D(2025, 4, 1)) == D(2025, 4, 1)
    before = dt.date.today()
    got = as_of_or_today()
    assert before <= got <= dt.date.today() and type(got) is dt.date


def test_the_dates_module_is_the_only_place_that_reads_the_clock_for_a_date():
    """Every 'as of, or today' goes through as_of_or_today; the core never asks the clock."""
    import re
    from pathlib import Path

    import xl_complaints

    root = Path(xl_complaints.__file__).parent
    clock = re.compile(r"\bdate\.today\(|\bdatetime\.today\(|\bdt\.date\.today\b|\bdate\.today\b")
    found = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py")) if path.name != "dates.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if clock.search(line)]
    assert found == []
    core = [path for path in sorted(root.rglob("*.py")) if path.stem in CORE and path.parent == root / "core"]
    assert len(core) == len(CORE)
    asks = [f"{path.relative_to(root)}:{n}" for path in core
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if "as_of_or_today" in line or re.search(r"\.now\(", line)]
    assert asks == []


def test_one_excel_epoch_and_one_set_of_month_names():
    """The Excel epoch and the names of months and weekdays are written once, in the dates module."""
    import re
    from pathlib import Path

    import xl_complaints

    root = Path(xl_complaints.__file__).parent
    copies = re.compile(r"1899|25569|\"(January|Monday)\"|%[aAbB]")
    found = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py")) if path.name != "dates.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if copies.search(line)]
    assert found == []
    assert dates.EXCEL_EPOCH == D(1899, 12, 30)
