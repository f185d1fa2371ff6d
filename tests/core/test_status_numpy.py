"""What the status engine once asked pandas, it now works out with numpy: the same answers as pandas on any input.

The engine runs without pandas so that refresh never loads it (core/table.py says why).
Each helper below replaced a pandas call; each test puts both side by side.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_complaints.core import status
from xl_complaints.core.table import Table

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-400, 400)), max_size=40))
def test_the_running_maximum_per_complaint_is_pandas_cummax(pairs):
    """Holds.days: the furthest end so far of each complaint's holds (sorted by complaint, as there)."""
    pairs.sort(key=lambda p: p[0])
    row = np.array([p[0] for p in pairs], dtype=np.int64)
    values = np.array([p[1] for p in pairs], dtype=np.int64) + 20_000  # days, as the holds' ends are
    starts = np.concatenate([[True], row[1:] != row[:-1]]) if len(row) else np.zeros(0, dtype=bool)
    want = pd.Series(values).groupby(row).cummax().to_numpy() if len(row) else values
    assert status._running_max(values, starts).tolist() == want.tolist()



def test_the_running_maximum_starts_afresh_for_each_complaint_whatever_the_numbers():
    """Negative numbers too (days before 1970): one complaint's holds never reach into the next one's."""
    values = np.array([-10, -20, -30, -5, -40], dtype=np.int64)
    starts = np.array([True, False, True, False, True])
    assert status._running_max(values, starts).tolist() == [-10, -10, -30, -5, -40]


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_a_childs_age_in_whole_years_is_what_pandas_dates_give(born, on):
    dob, at = np.array([born], dtype="datetime64[D]"), np.array([on], dtype="datetime64[D]")
    b, a = pd.DatetimeIndex(dob), pd.DatetimeIndex(at)
    want = a.year - b.year - ((a.month < b.month) | ((a.month == b.month) & (a.day < b.day)))
    assert status._age_years(dob, at).tolist() == [float(want[0])]
    assert [int(x[0]) for x in status._year_month_day(dob)] == [born.year, born.month, born.day]


def test_an_age_is_nan_where_either_date_is_missing():
    dob = np.array(["2010-05-01", "NaT", "2010-05-01"], dtype="datetime64[D]")
    on = np.array(["2026-04-30", "2026-04-30", "NaT"], dtype="datetime64[D]")
    assert np.array_equal(status._age_years(dob, on), [15.0, np.nan, np.nan], equal_nan=True)


REFERENCES = st.one_of(st.sampled_from(["CSC-1", "csc-1 ", " CSC-2", "", "  ", "Csc-3"]), st.none(), st.just(float("nan")), st.integers(0, 3))


def positions_the_pandas_way(own: list, wanted: list) -> list[int]:
    """What the engine did before, with pandas' string methods (None in the register matches nothing)."""
    own_index = pd.Index(pd.Series(own, dtype=object).astype(str).str.strip().str.upper())
    first = ~own_index.duplicated()
    found = pd.Index(own_index[first]).get_indexer(pd.Series(wanted, dtype=object).fillna("").astype(str).str.strip().str.upper())
    positions = np.flatnonzero(first)
    return np.where(found >= 0, positions[np.maximum(found, 0)], -1).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(REFERENCES, min_size=1, max_size=12), st.lists(REFERENCES, max_size=12))
def test_a_hold_finds_its_complaint_by_reference_as_pandas_matched_it(own, wanted):
    table = Table({"reference": np.array(own, dtype=object)}, np.arange(2, 2 + len(own)))
    got = status._positions_by_reference(table, np.array(wanted, dtype=object)).tolist()
    assert got == positions_the_pandas_way(own, wanted)


def test_a_hold_on_an_empty_register_finds_no_complaint():
    """(The pandas way stopped with an IndexError here.)"""
    table = Table({"reference": np.array([], dtype=object)}, np.array([], dtype=np.int64))
    assert status._positions_by_reference(table, np.array(["CSC-1", None], dtype=object)).tolist() == [-1, -1]
