"""The Table: the register's typed columns without pandas, and the very DataFrame the rest of the toolkit reads."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_complaints.core import schema, status
from xl_complaints.core.register import hold_table, validate, validate_holds
from xl_complaints.core.settings import Settings
from xl_complaints.core.table import Table, factorize, factorize_in_python, is_missing, is_pandas_missing
from xl_complaints.sample.complaints import generate

D = dt.date
HEADERS = [c.header for c in schema.INPUT_COLUMNS]
CELLS = st.one_of(st.text(max_size=3), st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 3), st.booleans(),
                  st.sampled_from(["Complaint", "complaint", "", " "]))


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=40))
def test_factorize_without_pandas_gives_what_pandas_gives(values):
    """Refresh factorises without pandas; a DataFrame's million rows with pandas' own (in C): the same answers."""
    cells = np.fromiter(values, dtype=object, count=len(values))
    codes, distinct = factorize_in_python(cells)
    want_codes, want_distinct = pd.factorize(cells)
    assert codes.tolist() == want_codes.tolist()
    assert [(type(v), v) for v in distinct] == [(type(v), v) for v in want_distinct]
    both = factorize(values)  # pandas is loaded here: its own
    assert both[0].tolist() == want_codes.tolist() and both[1] == list(want_distinct)


def test_factorize_leaves_out_every_kind_of_missing_value():
    cells = ["a", None, float("nan"), np.datetime64("NaT"), pd.NaT, pd.NA, "a", "b"]
    for codes, distinct in (factorize(cells), factorize_in_python(np.fromiter(cells, dtype=object, count=len(cells)))):
        assert codes.tolist() == [0, -1, -1, -1, -1, -1, 0, 1] and distinct == ["a", "b"]
    assert is_missing(pd.NaT) and is_missing(pd.NA) and is_missing(float("nan")) and not is_missing("") and not is_missing(0)


def rows(n: int = 300, seed: int = 4):
    from xl_complaints.excel import workbook

    out = [workbook.record_row(r) for r in generate(n, years=2, seed=seed, end=D(2026, 3, 31))]
    out[1][HEADERS.index("Service")] = "typed here by mistake"  # a row problem from the reading
    out[2][HEADERS.index("Date received")] = "31/02/2025"
    out[4][HEADERS.index("Reference")] = out[5][HEADERS.index("Reference")]
    return out


def test_the_frame_is_the_dataframe_validate_has_always_given():
    validated = validate(HEADERS, rows())
    frame = validated.table
    assert isinstance(validated.columns, Table) and validated.table is frame  # made once, when first asked for
    assert frame.index.name == "row" and frame.index.dtype == np.int64 and frame.index.tolist() == validated.columns.rows.tolist()
    assert list(frame.columns) == [c.key for c in schema.INPUT_COLUMNS]
    for col in schema.INPUT_COLUMNS:
        if col.kind is schema.Kind.DATE:
            assert frame[col.key].dtype == "datetime64[s]", col.key
            np.testing.assert_array_equal(frame[col.key].to_numpy(), validated.columns[col.key])
        else:
            assert frame[col.key].to_numpy(dtype=object).tolist() == validated.columns[col.key].tolist(), col.key
    pd.testing.assert_frame_equal(Table.of(frame).frame(), frame)


def test_the_engine_reads_a_table_and_a_dataframe_alike():
    """refresh hands the engine Tables; status, the letters and the reports DataFrames: the same answers."""
    cells = rows()
    validated = validate(HEADERS, cells)
    references = [r[HEADERS.index("Reference")] for r in cells]
    hold_cells = [[c.header for c in schema.HOLD_COLUMNS]] + [
        [references[i].lower() + " ", "Court or police proceedings", D(2025, 6, 2), D(2025, 6, 20)] for i in range(0, 120, 3)
    ] + [["NOT-THERE", "Court or police proceedings", D(2025, 6, 2), None], [references[7], "Awaiting consent", D(2025, 6, 9), D(2025, 6, 2)]]
    held, _ = hold_table(hold_cells[0], hold_cells[1:])
    held_frame, _ = validate_holds(hold_cells[0], hold_cells[1:])
    pd.testing.assert_frame_equal(held.frame(), held_frame)
    as_of = D(2026, 3, 31)
    by_table = status.assess_columns(validated.columns, Settings(), as_of, validated.row_messages(), held)
    by_frame = status.assess(validated.table, Settings(), as_of, validated.row_problems(), held_frame)
    assert list(by_table) == list(by_frame.columns) == list(schema.CALCULATED_KEYS)
    for key, values in by_table.items():
        np.testing.assert_array_equal(values, by_frame[key].to_numpy(), err_msg=key)
    assert (by_frame["problems"] != "").sum() >= 4  # the reading's problems and the Holds sheet's both reached the column
    assert any("Holds row" in p for p in by_frame["problems"])


def test_pandas_missing_values_are_known_without_loading_pandas():
    assert is_pandas_missing(pd.NaT) and is_pandas_missing(pd.NA) and not is_pandas_missing(None)
    code = ("import sys\nfrom xl_complaints.core.table import is_pandas_missing, factorize\n"
            "assert not is_pandas_missing(None) and factorize(['a', None, 'b', 'a'])[0].tolist() == [0, -1, 1, 0]\n"
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_frames_the_engine_makes_from_a_table_are_indexed_by_sheet_row():
    """assess and timeline given a Table: the same frames as given the DataFrame, indexed by sheet row ('row')."""
    validated = validate(HEADERS, rows(40))
    as_of = D(2026, 3, 31)
    for make in (lambda t: status.assess(t, Settings(), as_of), lambda t: status.timeline(t, Settings(), as_of)):
        by_table, by_frame = make(validated.columns), make(validated.table)
        assert by_table.index.name == "row" and by_table.index.dtype == np.int64
        assert by_table.index.tolist() == validated.columns.rows.tolist() == validated.table.index.tolist()
        assert validated.columns.rows[0] == 2  # the first row under the header row, not position 0
        pd.testing.assert_frame_equal(by_table, by_frame)


def test_take_gives_the_rows_at_those_positions_in_that_order():
    table = Table({"reference": np.array(["A", "B", "C"], dtype=object),
                   "date_received": np.array(["2025-01-02", "NaT", "2025-03-04"], dtype="datetime64[s]")}, np.array([2, 3, 5]))
    taken = table.take(np.array([2, 0]))
    assert taken.rows.tolist() == [5, 2] and len(taken) == 2
    assert taken["reference"].tolist() == ["C", "A"]
    assert taken["date_received"].tolist() == [dt.datetime(2025, 3, 4), dt.datetime(2025, 1, 2)]
    assert list(taken.columns) == ["reference", "date_received"] and table.rows.tolist() == [2, 3, 5]
