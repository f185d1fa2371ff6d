"""Dates, in one place: how officers type them, how Excel stores them, how letters
and reports write them, and which day a command judges by.

The rest of the core receives dates as arguments and never reads the clock:
`as_of_or_today` is the one place the toolkit asks what day it is, and the
adapters (the command line, the workbook's buttons) call it.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from .table import is_pandas_missing

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its serial numbers count days from it)
EXCEL_LAST_SERIAL = 2958465  # 31/12/9999, the last day Excel can show
MIN_DATE, MAX_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # the dates a register may hold

# Written out, not taken from the locale: a letter or report reads the same on any PC.
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")  # fmt: skip
MONTH_NUMBERS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


# --- the as-of rule -------------------------------------------------------------------------


def as_of_or_today(as_of: dt.date | None = None) -> dt.date:
    """The day to judge by: the as-of date given, else today.

    The one place the toolkit reads the clock for a date; the core is always
    given the day, so the same register gives the same answers whenever it is read.
    """
    return dt.date.today() if as_of is None else as_of


# --- reading dates as officers type them ----------------------------------------------------


class DateRefused(ValueError):
    """A value that is not a date. `str()` explains with the value (for what an officer typed on
    the command line); `plain` explains without it (for a cell of the register, which may hold anything)."""

    def __init__(self, message: str, plain: str | None = None):
        super().__init__(message)
        self.plain = plain or message


_NUMERIC = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_WORDS = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)([A-Za-z]+)\.?,?(?:\s+|-)(\d{2,4})\s*$")
_MONTH_FIRST = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\s*$")


def parse_date(value) -> dt.date:
    """Read a date as officers type it, UK style, and refuse to guess.

    Accepts real dates (and date-times, whose time is dropped), Excel serial
    numbers, 2024-03-12, 12/03/2024 and 12.3.24 (day first, as in the UK),
    '12 March 2024', '12-Mar-24' and 'March 12, 2024'. A date whose day and
    month could only be read the American way (03/25/2024) is refused rather
    than swapped; so is anything outside 1990-2100, such as a small number
    (12 is 11/01/1900 to Excel). docs/reading-registers.md gives the rules.
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if not 1 <= float(value) < EXCEL_LAST_SERIAL + 1:
            raise DateRefused("is not a date")
        day = from_excel_serial(value)
        if not MIN_DATE <= day <= MAX_DATE:
            raise DateRefused(
                f"is the number {float(value):g}, not a plausible date (as a date it would be {day:%d/%m/%Y})",
                "is a number, not a plausible date: type the date as day/month/year",
            )
    elif isinstance(value, str):
        day = _parse_text_date(value)
    elif isinstance(value, np.datetime64):  # pandas' Timestamp is a datetime, above
        day = to_date(value)
        if day is None:
            raise DateRefused("is not a date")
    elif isinstance(value, dt.time):  # what a date-formatted 0 or a time typed alone reads as
        if value == dt.time(0):
            raise DateRefused("is 0, not a date")
        raise DateRefused(f"holds a time of day ({value:%H:%M}), not a date", "holds a time of day, not a date")
    else:
        raise DateRefused("is not a date")
    if not MIN_DATE <= day <= MAX_DATE:
        hint = ": a small number in a date column shows as a day in 1900" if day.year <= 1900 else ""
        raise DateRefused(
            f"is not a plausible date ({day:%d/%m/%Y}{hint})",
            f"is not a plausible date (dates from {MIN_DATE.year} to {MAX_DATE.year} are taken{hint})",
        )
    return day


def _parse_text_date(text: str) -> dt.date:
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text))
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return _make(year, month, day)
    if m := _NUMERIC.match(text):
        first, second, third = m.groups()
        if len(first) == 4:  # 2024/03/12
            return _make(int(first), int(second), int(third))
        day, month, year = int(first), int(second), int(third)
        if month > 12 and day <= 12:
            raise DateRefused(
                f"reads as month/day (American order); type it day first, e.g. {month:02d}/{day:02d}/{_year(year)}",
                "reads as month/day (American order); type it day first (day/month/year)",
            )
        return _make(_year(year), month, day)
    if m := _WORDS.match(text):
        day, month_name, year = m.groups()
        month = MONTH_NUMBERS.get(month_name.lower())
        if month is None:
            raise DateRefused("is not a date")
        return _make(_year(int(year)), month, int(day))
    if (m := _MONTH_FIRST.match(text)) and m.group(1).lower() in MONTH_NUMBERS:  # March 12, 2024: the month's name settles it
        month_name, day, year = m.groups()
        return _make(int(year), MONTH_NUMBERS[month_name.lower()], int(day))
    raise DateRefused("is not a date")


def _year(year: int) -> int:
    """A two-digit year: 00-69 is this century, 70-99 the last (as Excel reads them)."""
    if year >= 100:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateRefused("is not a real date") from None


def to_date(value) -> dt.date | None:
    """numpy/pandas/datetime -> datetime.date (None for missing): what callers outside the engine see."""
    if value is None or is_pandas_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    value = np.datetime64(value, "D")
    if np.isnat(value):
        return None
    return value.astype(dt.date)


# --- Excel's serial numbers -----------------------------------------------------------------


def excel_serial(value: dt.date | dt.datetime) -> int | float:
    """A date as the number Excel stores: whole days since 30/12/1899 (a time of day as the fraction)."""
    if isinstance(value, dt.datetime):
        days = (value - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400
        return int(days) if days.is_integer() else days
    return (value - EXCEL_EPOCH).days


def from_excel_serial(number) -> dt.date:
    """The day an Excel serial number stands for (a time of day dropped): 45383 is 1 April 2024."""
    return EXCEL_EPOCH + dt.timedelta(days=int(float(number)))


# --- dates in words -------------------------------------------------------------------------
# One rule for every date a person reads: the day without a leading zero, the
# month (and weekday) in English words whatever the PC's language settings.


def long_date(day, weekday: bool = False) -> str:
    """'1 April 2026' as reports and letters write it; 'Wednesday 1 April 2026' with the weekday.

    Nothing (None, NaT) is written as nothing.
    """
    day = to_date(day)
    if day is None:
        return ""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]} {text}" if weekday else text


def short_date(day) -> str:
    """'Wed 1 Apr 2026': a date in a register cell or a status line, where space is short."""
    day = to_date(day)
    if day is None:
        return ""
    return f"{DAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def short_dates(days: np.ndarray) -> np.ndarray:
    """short_date over a column of days (empty where there is none), each distinct day written once."""
    days = np.asarray(days, dtype="datetime64[D]")
    out = np.full(days.shape, "", dtype=object)
    valid = ~np.isnat(days)
    if valid.any():
        unique, inverse = np.unique(days[valid], return_inverse=True)
        labels = np.array([short_date(d) for d in unique], dtype=object)
        out[valid] = labels[inverse.reshape(-1)]
    return out


def period_text(amount: int, unit: str) -> str:
    """'20 working days', 'one calendar month', '12 months': a rulebook's period in words, as the
    letters print it and the status's messages say it."""
    if unit == "calendar months":
        return "one calendar month" if amount == 1 else f"{amount} months"
    singular = unit[:-1] if amount == 1 else unit
    return f"{amount} {singular}"


def day_name(day: dt.date) -> str:
    """'Wednesday': a date's weekday in English words."""
    return DAYS[day.weekday()]
