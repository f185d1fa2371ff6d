"""`validate_by_value` gives exactly what `register.validate` gives (table, problems, their order) on awkward cells."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_complaints.core import category_lists
from xl_complaints.core.register import RegisterError, validate
from xl_complaints.core.register_columns import validate_by_value
from xl_complaints.core.schema import CALCULATED_COLUMNS, INPUT_COLUMNS, Kind

D = dt.date
HEADERS = [c.header for c in INPUT_COLUMNS]
AT = {c.key: i for i, c in enumerate(INPUT_COLUMNS)}


def same(headers, rows, **kw):
    """Both readings of the cells, compared whole; the answer, for a test to look at too."""
    slow = validate(headers, rows, **kw)
    fast = validate_by_value(headers, rows, **kw)
    pd.testing.assert_frame_equal(fast.table, slow.table)
    assert fast.problems == slow.problems
    return slow


def row(**cells):
    out = [None] * len(INPUT_COLUMNS)
    for key, value in cells.items():
        out[AT[key]] = value
    return out


AWKWARD = [
    row(reference="C-1", date_received=D(2026, 4, 1), service="Child in Need", s1_extended="yes", representation_type="Complaint"),
    row(reference="C-2", date_received="01/04/2026", s1_response_sent="not yet", service="#N/A"),  # text in a date, an error cell
    row(),  # a blank row
    row(reference="  ", date_received="   ", service="   "),  # spaces only: blank too
    row(service="Child in Need"),  # no reference, no date, but something: kept, with both problems
    row(reference="c-1", date_received=dt.datetime(2026, 4, 2, 13, 30)),  # the reference again, in other case; a date-time
    row(reference="C-3", date_received=46000.0, s1_extended=True, learning_identified=1.0, s2_extended=1),  # numbers
    row(reference="C-4", date_received=D(1850, 1, 1), s1_acknowledged=D(2200, 1, 1)),  # dates out of range
    row(reference="C-5", date_received=D(2026, 5, 1), s1_extended=1.0, learning_identified=True, s2_extended="1"),
    row(reference="C-6", date_received=D(2026, 5, 1), procedure="Statutory", s2_investigation_cost="£1,250.00",
        s3_panel_cost="a lot"),  # money, good and bad
    row(reference="C-7", date_received="#REF!", s1_outcome="Upheld ", nature="x" * 40_000),  # an error date, a cell too long
    row(reference="C-8", date_received=D(2026, 6, 1), hold_reason=" " * 20_000),  # spaces only, but longer than a cell
    row(reference="C-9", date_received=float("nan"), s1_response_sent=dt.time(9, 30), service=0),
    row(reference=1001.0, date_received=D(2026, 6, 2), s1_outcome="upheld"),
    row(reference="C-10", date_received=D(2026, 6, 3), service="Not on any list", s1_outcome="Partly"),
]


def test_the_same_table_and_problems_on_awkward_cells():
    found = same(HEADERS, AWKWARD)
    assert {p.column for p in found.problems} >= {"Reference", "Date received", "S1 response sent", "Service", "S3 panel cost"}
    assert 4 not in found.table.index and 5 not in found.table.index  # the blank rows went


def test_the_same_with_short_rows_a_title_row_and_the_lists_sheet():
    lists = category_lists.from_rows([["Service"], ["Early Help Hub"]])
    rows = [r[: 12 + i % 7] for i, r in enumerate(AWKWARD)] + [row(reference="C-11", date_received=D(2026, 7, 1), service="early help hub")]
    found = same(HEADERS, rows, first_row=4, header_row=3, lists=lists)
    assert found.table.loc[4 + len(AWKWARD), "service"] == "Early Help Hub"


def test_the_same_with_columns_missing_calculated_and_the_council_own():
    headers = ["Notes of our own", "Reference", "Service", "Date received", CALCULATED_COLUMNS[0].header, "S1 outcome"]
    rows = [["x", "C-1", "Child in Need", D(2026, 4, 1), "whatever", "Upheld"],
            ["y", None, None, None, None, None],  # only a column the register does not read: dropped
            ["", "C-2", "bad", "bad", "", "Not upheld"]]
    found = same(headers, rows)
    assert found.table.index.tolist() == [2, 4]
    assert any(p.row == 1 and p.severity == "warning" for p in found.problems)  # the columns missing


def test_the_same_on_an_object_array_and_on_no_rows():
    same(HEADERS, np.array(AWKWARD, dtype=object))
    same(HEADERS, [])
    same(HEADERS, [row()] * 3)


@pytest.mark.parametrize("headers", [["Date received", "Service"], ["Reference", "Service", "Date received", "Service"]])
def test_a_header_row_it_cannot_read_is_refused_alike(headers):
    rows = [[D(2026, 4, 1), "Other", "C-1", "Other"][: len(headers)]]
    with pytest.raises(RegisterError) as slow:
        validate(headers, rows)
    with pytest.raises(RegisterError) as fast:
        validate_by_value(headers, rows)
    assert str(fast.value) == str(slow.value)


CELL = st.one_of(
    st.none(), st.just(""), st.just("  "), st.sampled_from(["Yes", "no", "Y", "Upheld", "Child in Need", "#N/A", "Err:502", "£250", "abc"]),
    st.sampled_from(["01/04/2026", "2026-04-31", "31/12/1989", "1/4/26"]),
    st.dates(D(1985, 1, 1), D(2105, 1, 1)), st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2027, 1, 1)),
    st.sampled_from([0, 1, 1.0, 0.0, True, False, 46000, 46000.5, float("nan"), -3.0]),
)
SOME = [c for c in INPUT_COLUMNS if c.key in ("reference", "date_received", "service", "s1_extended", "s1_response_sent",
                                              "s1_outcome", "learning_identified", "s2_investigation_cost", "hold_reason")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=len(SOME), max_size=len(SOME)), max_size=12))
def test_the_same_on_any_cells(rows):
    assert {c.kind for c in SOME} >= {Kind.DATE, Kind.CATEGORY, Kind.YESNO, Kind.TEXT}
    same([c.header for c in SOME], rows)
