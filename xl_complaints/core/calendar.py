"""Working days: the one place they are computed.

Every due date in the register, every date in a letter and every timeliness
figure in the statistics comes from a `WorkingCalendar`, so they can never
disagree. The arithmetic is Excel's, because officers check our dates with
Excel's own functions:

* `add(start, n)` is `WORKDAY(start, n, holidays)`: the start day is never
  counted, whether or not it is a working day; n = 0 returns the start; a
  negative n counts back.
* `count(start, end)` is its inverse: the working days after `start` up to and
  including `end`, Excel's `NETWORKDAYS(start + 1, end, holidays)`. The start
  is day zero whether or not it is a working day, so `count(a, add(a, n)) == n`
  for every day `a`, and `add(a, count(a, b)) == b` for every working day `b`.
  From any day to itself it is 0. When end is before start it is negative: minus
  the working days from `end` up to the day before `start`
  (`-NETWORKDAYS(end, start - 1)`), i.e. how many working days overdue.

Everything that counts days (days left, time on hold, days taken in the
statistics, timeliness bands) calls `count`, so they all agree with `add`.

Bank holidays come from the `holidays` package for the council's nation (its
observed weekday dates match GOV.UK's official lists), plus the council's own
closure days; a council can add or remove a date by hand when government
announces one at short notice or the package is wrong.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

import holidays as holidays_package
import numpy as np

REGIONS = {
    # setting value -> holidays.UK subdivision
    "England and Wales": "ENG",
    "Scotland": "SCT",
    "Northern Ireland": "NIR",
}
DEFAULT_REGION = "England and Wales"
FIRST_YEAR, LAST_YEAR = 2000, 2040  # wide enough for any register, cheap to build

NaT = np.datetime64("NaT", "D")


def region_code(region: str) -> str:
    """Accept 'England and Wales', 'england & wales', 'ENG', 'wales', ..."""
    text = str(region or DEFAULT_REGION).strip().lower().replace("&", "and")
    for name, code in REGIONS.items():
        if text in (name.lower(), code.lower()):
            return code
    aliases = {"england": "ENG", "wales": "ENG", "eandw": "ENG", "e and w": "ENG", "ni": "NIR", "scot": "SCT"}
    if text in aliases:
        return aliases[text]
    raise ValueError(
        f"Bank-holiday region '{region}' is not known: use one of {', '.join(REGIONS)}."
    )


UK_MODULE = "holidays.countries.united_kingdom"


def united_kingdom() -> type:
    """The holidays package's UK class (its `holidays.UK`). That name first imports the module of
    every one of its 250 countries (a twentieth of a second at every command's start);
    the UK's own module is loaded alone instead, under its own name, so a later import of
    the countries finds it and every caller gets the same class. Any surprise in the
    package's layout: its own way."""
    module = sys.modules.get(UK_MODULE)
    if module is None:
        source = Path(holidays_package.__file__).parent / "countries" / "united_kingdom.py"
        spec = importlib.util.spec_from_file_location(UK_MODULE, source) if source.is_file() else None
        if spec is None or spec.loader is None:
            return holidays_package.UK.get_entity()
        module = importlib.util.module_from_spec(spec)
        sys.modules[UK_MODULE] = module
        try:
            spec.loader.exec_module(module)
        except Exception:  # the package changed its insides: ask it the usual way
            del sys.modules[UK_MODULE]
            return holidays_package.UK.get_entity()
    return getattr(module, "UK", None) or holidays_package.UK.get_entity()


def bank_holidays(region: str = DEFAULT_REGION, years: Iterable[int] | None = None) -> dict[dt.date, str]:
    """Bank holidays on weekdays (the days that stop the clock), with their names."""
    years = list(years) if years is not None else list(range(FIRST_YEAR, LAST_YEAR + 1))
    uk = united_kingdom()(subdiv=region_code(region), years=years, categories=("public",))
    return {day: name for day, name in sorted(uk.items()) if day.weekday() < 5}


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday to Friday, less bank holidays and the council's closure days."""

    region: str = DEFAULT_REGION
    closure_days: tuple[dt.date, ...] = ()  # local closures, e.g. the days between Christmas and New Year
    extra_holidays: tuple[dt.date, ...] = ()  # bank holidays announced at short notice
    removed_holidays: tuple[dt.date, ...] = ()  # dates the package gets wrong

    @cached_property
    def holiday_names(self) -> dict[dt.date, str]:
        names = bank_holidays(self.region)
        for day in self.removed_holidays:
            names.pop(day, None)
        for day in self.extra_holidays:
            names[day] = "Bank holiday (added in Settings)"
        for day in self.closure_days:
            names.setdefault(day, "Council closure day")
        return dict(sorted(names.items()))

    @cached_property
    def non_working_days(self) -> np.ndarray:
        return np.array(sorted(self.holiday_names), dtype="datetime64[D]")

    @cached_property
    def _busdaycal(self) -> np.busdaycalendar:
        return np.busdaycalendar(weekmask="1111100", holidays=self.non_working_days)

    # --- scalar forms -------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=self._busdaycal))

    def add(self, start: dt.date, n: int) -> dt.date:
        """Excel's WORKDAY(start, n): the nth working day after (n < 0: before) start."""
        result = self.add_array(np.array([start], dtype="datetime64[D]"), np.array([n]))[0]
        return result.astype(dt.date)

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days from start (day zero) to end: the inverse of `add` (Excel's NETWORKDAYS(start + 1, end))."""
        starts = np.array([start], dtype="datetime64[D]")
        ends = np.array([end], dtype="datetime64[D]")
        return int(self.count_array(starts, ends)[0])

    def add_calendar(self, start: dt.date, amount: int, unit: str) -> dt.date:
        """Working, calendar days or calendar months, whichever the rule says."""
        result = self.add_period_array(np.array([start], dtype="datetime64[D]"), amount, unit)[0]
        return result.astype(dt.date)

    def next_working_day_on_or_after(self, day: dt.date) -> dt.date:
        return self.roll_forward_array(np.array([day], dtype="datetime64[D]"))[0].astype(dt.date)

    def holidays_between(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
        return [(d, n) for d, n in self.holiday_names.items() if first <= d <= last]

    # --- vectorised forms: whole columns at once -----------------------------

    def add_array(self, starts: np.ndarray, n) -> np.ndarray:
        """WORKDAY over arrays; NaT in, NaT out."""
        starts = np.asarray(starts, dtype="datetime64[D]")
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), starts.shape)
        out = np.full(starts.shape, NaT)
        valid = ~np.isnat(starts)
        if not valid.any():
            return out
        s, k = starts[valid], n[valid]
        result = s.copy()  # n == 0: the start, unchanged
        # A non-working start rolls back before counting forward (Saturday + 1 is
        # Monday) and forward before counting back (Saturday - 1 is Friday).
        forward, backward = k > 0, k < 0
        if forward.any():
            result[forward] = np.busday_offset(s[forward], k[forward], roll="backward", busdaycal=self._busdaycal)
        if backward.any():
            result[backward] = np.busday_offset(s[backward], k[backward], roll="forward", busdaycal=self._busdaycal)
        out[valid] = result
        return out

    def count_array(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """`count` over arrays (float, NaN where either date is missing).

        Forward: the working days in (start, end], NETWORKDAYS(start + 1, end).
        Back (end < start): minus the working days in [end, start), so that a
        Friday deadline seen on the Saturday, Sunday or Monday after is -1.
        """
        starts = np.asarray(starts, dtype="datetime64[D]")
        ends = np.asarray(ends, dtype="datetime64[D]")
        starts, ends = np.broadcast_arrays(starts, ends)
        out = np.full(starts.shape, np.nan)
        valid = ~(np.isnat(starts) | np.isnat(ends))
        if not valid.any():
            return out
        s, e = starts[valid], ends[valid]
        one = np.timedelta64(1, "D")
        forward = e >= s
        lo = np.where(forward, s + one, e)  # busday_count counts [lo, hi)
        hi = np.where(forward, e + one, s)
        counted = np.busday_count(lo, hi, busdaycal=self._busdaycal)
        out[valid] = np.where(forward, counted, -counted)
        return out

    def roll_forward_array(self, days: np.ndarray) -> np.ndarray:
        days = np.asarray(days, dtype="datetime64[D]")
        out = np.full(days.shape, NaT)
        valid = ~np.isnat(days)
        out[valid] = np.busday_offset(days[valid], 0, roll="forward", busdaycal=self._busdaycal)
        return out

    def add_period_array(self, starts: np.ndarray, amount, unit: str) -> np.ndarray:
        """Add a rule's period: 'working days', 'calendar days' or 'calendar months'."""
        starts = np.asarray(starts, dtype="datetime64[D]")
        amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), starts.shape)
        if unit == "working days":
            return self.add_array(starts, amount)
        if unit == "calendar days":
            return starts + amount.astype("timedelta64[D]")
        if unit == "calendar months":
            return add_months_array(starts, amount)
        raise ValueError(f"Unknown unit of time '{unit}': use working days, calendar days or calendar months.")


def add_months_array(starts: np.ndarray, months) -> np.ndarray:
    """Calendar months, clipped to the month's end (31 Jan + 1 month = 28/29 Feb), like EDATE."""
    starts = np.asarray(starts, dtype="datetime64[D]")
    months = np.broadcast_to(np.asarray(months, dtype=np.int64), starts.shape)
    out = np.full(starts.shape, NaT)
    valid = ~np.isnat(starts)
    s = starts[valid]
    month_start = s.astype("datetime64[M]")
    day_offset = (s - month_start.astype("datetime64[D]")).astype(np.int64)
    target_month = month_start + months[valid].astype("timedelta64[M]")
    month_length = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(np.int64)
    out[valid] = target_month.astype("datetime64[D]") + np.minimum(day_offset, month_length - 1).astype("timedelta64[D]")
    return out
