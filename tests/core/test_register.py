"""Validation of the register: every date form officers type, every problem
named by row and column, and no personal data repeated back."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_complaints.core.register import (
    Problem,
    RegisterError,
    from_records,
    validate,
)
from xl_complaints.core.dates import parse_date
from xl_complaints.core.schema import CALCULATED_COLUMNS, INPUT_COLUMNS, INPUT_KEYS, PERSONAL_KEYS, Kind, column

D = dt.date
HEADERS = [c.header for c in INPUT_COLUMNS]
TUESDAY = D(2024, 3, 12)


def row(**cells):
    """One register row keyed by schema key; a reference and a receipt date unless given."""
    values = {"reference": "CSC-2024-0001", "date_received": "12/03/2024", **cells}
    return [values.get(c.key, "") for c in INPUT_COLUMNS]


# --- validate -----------------------------------------------------------------


def test_types_of_a_clean_row():
    register = validate(HEADERS, [row(s1_response_sent=D(2024, 3, 26), service="Child in Need", s1_extended="yes")])
    assert register.problems == []
    table = register.table
    assert list(table.columns) == list(INPUT_KEYS)
    assert table.index.tolist() == [2]
    assert table.loc[2, "date_received"] == pd.Timestamp(TUESDAY)
    assert table.loc[2, "s1_response_sent"] == pd.Timestamp(D(2024, 3, 26))
    assert pd.isna(table.loc[2, "s2_requested"])
    for key in INPUT_KEYS:
        if column(key).kind is Kind.DATE:
            assert table[key].dtype.kind == "M", key
    assert table.loc[2, "service"] == "Child in Need"
    assert table.loc[2, "s1_extended"] == "Yes"
    assert table.loc[2, "procedure"] == ""


def test_headers_match_ignoring_case_and_spaces():
    messy = ["  REFERENCE", "date   received ", "service", "S1 RESPONSE SENT"]
    register = validate(messy, [["C1", "12/03/2024", "child in need", "26/03/2024"]])
    assert register.errors == []
    assert register.table.loc[2, "service"] == "Child in Need"
    assert register.table.loc[2, "s1_response_sent"] == pd.Timestamp(D(2024, 3, 26))
    warned = {p.column for p in register.problems if p.row == 1}
    assert "Service" not in warned and "Procedure" in warned
    assert all(p.severity == "warning" for p in register.problems)


@pytest.mark.parametrize("missing", ["Reference", "Date received"])
def test_missing_required_column(missing):
    headers = [h for h in HEADERS if h != missing]
    with pytest.raises(RegisterError) as err:
        validate(headers, [])
    assert f"there is no '{missing}' column" in str(err.value)
    assert "row 1" in str(err.value)


def test_column_twice_is_refused():
    with pytest.raises(RegisterError, match=r"appears twice \(columns B and D\)"):
        validate(["Reference", "Date received", "Service", "date received"], [])


def test_missing_optional_column_is_a_warning_and_empty():
    headers = [h for h in HEADERS if h != "S1 outcome"]
    register = validate(headers, [[c for h, c in zip(HEADERS, row()) if h != "S1 outcome"]])
    [warning] = [p for p in register.problems if p.column == "S1 outcome"]
    assert warning.row == 1 and warning.severity == "warning"
    assert register.table.loc[2, "s1_outcome"] == ""
    assert register.errors == []


def test_blank_rows_are_dropped_and_rows_keep_their_sheet_numbers():
    headers = HEADERS + ["Stage", "RAG"]  # calculated columns the workbook fills in
    blank = [None] * len(HEADERS) + ["", ""]
    only_calculated = [""] * len(HEADERS) + ["Stage 1", "Green"]
    rows = [
        row(reference="A1") + ["", ""],
        blank,
        ["   "] * len(HEADERS),
        only_calculated,
        row(reference="A2"),
        [float("nan")] * len(HEADERS),
        [],
        [None],
    ]
    register = validate(headers, rows, first_row=5)
    assert register.table.index.tolist() == [5, 9]
    assert register.table["reference"].tolist() == ["A1", "A2"]
    assert register.errors == []


def test_short_and_long_rows():
    register = validate(["Reference", "Date received", "Service"], [["A1", "12/03/2024"], ["A2", "13/03/2024", "YOT", "extra", "cells"]])
    assert register.table["service"].tolist() == ["", "YOT"]
    assert register.errors == []


def test_extra_columns_are_ignored():
    headers = ["Our own notes", *HEADERS, "Chased?", None, ""]
    register = validate(headers, [["anything at all", *row(), "🙂", "x", 17]])
    assert register.errors == []
    assert list(register.table.columns) == list(INPUT_KEYS)
    assert not any("notes" in str(p) or "🙂" in str(p) for p in register.problems)


def test_duplicate_references_reported_on_both_rows():
    register = validate(HEADERS, [row(reference="CSC-1"), row(reference="CSC-2"), row(reference="csc-1 ")])
    duplicates = [p for p in register.problems if p.column == "Reference"]
    assert [(p.row, p.message) for p in duplicates] == [
        (2, "the reference is used again on row 4"),
        (4, "the reference is used again on row 2"),
    ]
    assert all(p.severity == "error" for p in duplicates)


def test_unknown_category_names_row_column_and_what_belongs_never_the_value():
    register = validate(HEADERS, [row(), row(reference="C2", service="Sparkly Unicorns Team")])
    [problem] = register.problems
    assert (problem.row, problem.column, problem.value, problem.sheet) == (3, "Service", "", "Register")
    assert str(problem) == "Register row 3, column 'Service': is not one of the values on the Lists sheet (pick one from the cell's dropdown)"
    assert "Sparkly" not in str(problem)
    assert register.table.loc[3, "service"] == ""
    assert register.table.loc[3, "reference"] == "C2"  # the rest of the row is still read


@pytest.mark.parametrize(
    "key, typed, canonical",
    [
        ("s1_outcome", "not upheld", "Not upheld"),
        ("s1_outcome", "  Partially   UPHELD ", "Partially upheld"),
        ("service", "yot", "YOT"),
        ("procedure", "STATUTORY", "Statutory"),
        ("advocate", "y", "Yes"),
        ("advocate", "N", "No"),
        ("advocate", "TRUE", "Yes"),
        ("advocate", True, "Yes"),
        ("advocate", False, "No"),
        ("advocate", " yes ", "Yes"),
    ],
)
def test_categories_and_yes_no_take_their_canonical_spelling(key, typed, canonical):
    register = validate(HEADERS, [row(**{key: typed})])
    assert register.errors == []
    assert register.table.loc[2, key] == canonical


def test_yes_no_refuses_other_answers():
    register = validate(HEADERS, [row(advocate="maybe")])
    [problem] = register.problems
    assert problem.column == "Advocate" and "Yes or No" in problem.message


def test_numbers_and_dates_in_text_columns():
    register = validate(HEADERS, [row(reference=1001.0, team=42, manager_job_title=D(2024, 1, 2))])
    assert register.table.loc[2, "reference"] == "1001"
    assert register.table.loc[2, "team"] == "42"
    assert register.table.loc[2, "manager_job_title"] == "02/01/2024"


def test_bad_date_names_the_cell_and_leaves_it_empty():
    register = validate(HEADERS, [row(s1_response_sent="26/13/2024")])
    [problem] = register.problems
    assert (problem.row, problem.column, problem.value) == (2, "S1 response sent", "")
    assert str(problem) == "Register row 2, column 'S1 response sent': is not a real date"
    assert pd.isna(register.table.loc[2, "s1_response_sent"])


def test_reference_and_date_received_are_required():
    register = validate(HEADERS, [row(reference=""), row(reference="C2", date_received=""), row(reference="C3", date_received="soon")])
    found = [(p.row, p.column, p.message) for p in register.problems]
    assert found == [
        (2, "Reference", "every complaint needs a reference"),
        (3, "Date received", "the date received is empty"),
        (4, "Date received", "is not a date"),  # reported once, not also as empty
    ]


def test_row_problems_joins_errors_per_row():
    register = validate(HEADERS, [row(), row(reference="C2", service="Nope", s1_response_sent="soon")])
    shown = register.row_problems()
    assert shown.index.tolist() == [2, 3]
    assert shown[2] == ""
    assert "S1 response sent: is not a date" in shown[3] and "Service: is not one of the values" in shown[3]
    assert "Nope" not in shown[3] and "soon" not in shown[3]


def test_problem_text():
    assert str(Problem(7, "Service", "is not known", "X", sheet="Register")) == (
        "Register row 7, column 'Service': is not known (the cell holds 'X')"
    )
    assert str(Problem(7, "", "the row makes no sense")) == "Register row 7: the row makes no sense"


def test_sheet_name_is_carried():
    register = validate(HEADERS, [row(service="Nope")], sheet="2024-25")
    assert register.problems[0].sheet == "2024-25"
    assert str(register.problems[0]).startswith("2024-25 row 2,")


def test_from_records_by_header_or_key():
    register = from_records(
        [
            {"Reference": "C1", "Date received": TUESDAY, "service": "YOT"},
            {"reference": "C2", "date_received": "13/03/2024", "S1 Response Sent": "27/03/2024"},
        ]
    )
    assert register.errors == []
    assert register.table["reference"].tolist() == ["C1", "C2"]
    assert register.table.loc[2, "service"] == "YOT"
    assert register.table.loc[3, "s1_response_sent"] == pd.Timestamp(D(2024, 3, 27))


def test_a_register_of_only_headers_has_every_column():
    table = validate(HEADERS, []).table
    assert list(table.columns) == list(INPUT_KEYS) and len(table) == 0


# --- personal data -----------------------------------------------------------

PERSONAL_BAD_VALUES = [
    ("complainant_title", "Lord Smithers"),
    ("child_date_of_birth", "Jasmine's birthday"),
    ("child_date_of_birth", "03/25/2015"),
    ("child_date_of_birth", "01/01/1980"),
    ("child_date_of_birth", "31/02/2015"),
]


@pytest.mark.parametrize("key, value", PERSONAL_BAD_VALUES)
def test_personal_values_are_not_in_the_value_field(key, value):
    register = validate(HEADERS, [row(**{key: value})])
    [problem] = register.problems
    assert problem.column == column(key).header
    assert problem.value == ""


def _forms(value: str) -> list[str]:
    """The typed value, and the same date rewritten, as a message might show it."""
    forms = [value]
    try:
        forms.append(parse_date(value.replace("03/25", "25/03")).strftime("%d/%m/%Y"))
    except ValueError:
        pass
    return forms


@pytest.mark.parametrize("key, value", [("complainant_title", "Lord Smithers"), ("child_date_of_birth", "03/25/2015"), ("child_date_of_birth", "01/01/1980")])
def test_personal_values_never_appear_in_a_problem(key, value):
    register = validate(HEADERS, [row(**{key: value})])
    for problem in register.problems:
        for form in _forms(value):
            assert form not in str(problem) and form not in problem.message


def test_personal_text_columns_never_produce_problems():
    personal_text = {k: "Zoë O'Brien-Jones 🙂 07700 900123" for k in PERSONAL_KEYS if column(k).kind is Kind.TEXT}
    register = validate(HEADERS, [row(**personal_text)])
    assert register.problems == []


# --- pandas' missing-value markers -------------------------------------------------


@pytest.mark.parametrize(
    "key, cell",
    [("date_received", pd.NaT), ("team", pd.NaT), ("s1_response_sent", np.datetime64("NaT")), ("s1_response_sent", pd.NA)],
    ids=["NaT in Date received", "NaT in Team", "datetime64 NaT", "pd.NA in a date"],
)
def test_pandas_missing_values_are_blank(key, cell):
    register = validate(HEADERS, [row(**{"reference": "C1", "date_received": TUESDAY, key: cell})])
    date_problems = [p for p in register.problems if p.column != "Date received"]
    assert date_problems == []


# --- fuzzing: whatever is in the cells, validate answers ---------------------------

EMOJI = ["🙂", "👨‍👩‍👧", "🇬🇧", "\u200b", "Zoë", "Siân", "O'Brien", "A & B", "\n", "=SUM(A1)", "#N/A", "-", "N/A"]
VALID_TEXT = ["12/03/2024", "2024-03-12", "Tue 12th Mar 2024", "Yes", "no", "Child in Need", "Upheld", "Statutory", "45363"]

cells = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.sampled_from(EMOJI + VALID_TEXT),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(1, 80000),
    st.dates(D(1, 1, 1), D(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1)),
    st.booleans(),
)


@st.composite
def sheets(draw):
    optional = [h for h in HEADERS if h not in ("Reference", "Date received")]
    dropped = set(draw(st.lists(st.sampled_from(optional), max_size=8, unique=True)))
    extras = draw(st.lists(st.sampled_from(["Notes", "Stage", "RAG", "", None, "🙂"]), max_size=3, unique=True))
    headers = [h for h in HEADERS if h not in dropped] + extras
    headers = draw(st.permutations(headers))
    headers = [h.upper() if isinstance(h, str) and draw(st.booleans()) else h for h in headers]
    width = len(headers)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 2), max_size=6))
    first_row = draw(st.integers(2, 40))
    return headers, rows, first_row


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheets())
def test_validate_never_raises_and_names_real_rows_and_columns(sheet):
    headers, rows, first_row = sheet
    register = validate(headers, rows, sheet="Register", first_row=first_row)
    table = register.table
    sheet_rows = set(range(first_row, first_row + len(rows)))
    assert set(table.index) <= sheet_rows
    assert table.index.is_monotonic_increasing
    assert list(table.columns) == list(INPUT_KEYS)
    known_headers = {c.header for c in INPUT_COLUMNS}
    for problem in register.problems:
        text = str(problem)
        assert problem.column in known_headers or (problem.column == "" and problem.row in table.index), text
        if problem.row == 1:
            assert problem.severity == "warning" and "missing" in problem.message
        else:
            assert problem.row in table.index, text
        if column(problem.column).personal:
            assert problem.value == ""
    # a row holding a reference is never dropped
    position = [str(h).strip().lower() if h is not None else "" for h in headers].index("reference")
    for offset, raw in enumerate(rows):
        if position < len(raw) and isinstance(raw[position], str) and raw[position].strip():
            assert first_row + offset in table.index
    assert register.row_problems().index.equals(table.index)


def test_calculated_headers_are_not_inputs():
    """The workbook's calculated columns are never read back as input."""
    register = validate(HEADERS + [c.header for c in CALCULATED_COLUMNS], [row() + ["Stage 9", "x"] * 5])
    assert register.errors == []
    assert not set(register.table.columns) & {c.key for c in CALCULATED_COLUMNS}


@settings(max_examples=300, deadline=None)
@given(cells)
def test_parse_date_answers_a_date_or_a_value_error(value):
    try:
        day = parse_date(value)
    except ValueError as err:
        assert str(err)
    else:
        assert type(day) is dt.date and D(1990, 1, 1) <= day <= D(2100, 12, 31)


# --- real-world cells (issue 6) ------------------------------------------------------


@pytest.mark.parametrize("key", ["reference", "date_received", "service", "advocate", "team", "child_name", "child_date_of_birth"])
def test_error_cells_are_reported_once_and_read_as_empty(key):
    register = validate(HEADERS, [row(**{key: "#N/A"}), row(reference="C2", **({} if key == "reference" else {key: "#REF!"}))])
    header = column(key).header
    found = [(p.row, p.column, p.message, p.value) for p in register.problems]
    assert (2, header, "the cell shows the error #N/A: correct the formula or type the value in", "") in found
    assert len([p for p in register.problems if p.row == 2]) == 1  # not also "empty" or "needs a reference"
    assert register.table.index.tolist() == [2, 3]  # the row is kept, and the rest of it read
    value = register.table.loc[2, key]
    assert pd.isna(value) if column(key).kind is Kind.DATE else value == ""


def test_error_text_inside_other_text_is_just_text():
    register = validate(HEADERS, [row(team="#N/A team", manager_job_title=" #N/A ")])
    assert register.table.loc[2, "team"] == "#N/A team"
    assert [p.column for p in register.problems] == ["Manager job title"]  # stripped, it is the error


def test_many_duplicates_are_listed_briefly():
    register = validate(HEADERS, [row(reference="TBC") for _ in range(9)])
    first = next(p for p in register.problems if p.row == 2)
    assert first.message == "the reference is used again on row 3, 4, 5, 6, 7 and 3 more"
    assert len(register.problems) == 9


def test_header_problems_name_the_real_header_row():
    headers = [h for h in HEADERS if h != "Team"]
    register = validate(headers, [[c for h, c in zip(HEADERS, row()) if h != "Team"]], first_row=5, header_row=4)
    [warning] = register.problems
    assert (warning.row, warning.column, warning.severity) == (4, "Team", "warning")
    with pytest.raises(RegisterError, match=r"^Register row 4, column 'Date received': there is no 'Date received' column"):
        validate(["Reference"], [], first_row=5, header_row=4)


def test_a_numpy_grid_and_ragged_rows_read_alike():
    rows = [row(reference="A1"), row(reference="A2", service="yot")]
    ragged = [rows[0][:3], rows[1] + ["extra"]]
    from_grid = validate(HEADERS, np.array(rows, dtype=object)).table
    from_lists = validate(HEADERS, rows).table
    pd.testing.assert_frame_equal(from_grid, from_lists)
    assert validate(HEADERS, ragged).table["service"].tolist() == ["", "YOT"]


# --- nothing leaked: what a problem may repeat is the schema's decision ------------------------

from xl_complaints.core import schema  # noqa: E402
from xl_complaints.core.register import EXCEL_CELL_LIMIT, CellTooLong, cell_problem, excel_length, guard_cell  # noqa: E402


def test_every_column_has_a_sensitivity_and_only_references_are_ever_repeated():
    special = {c.header for c in INPUT_COLUMNS if c.sensitivity is schema.Sensitivity.SPECIAL}
    assert special == {"Parental responsibility", "Child legal status", "Complainant gender", "Complainant age band",
                       "Complainant ethnicity", "Complainant disability"}
    assert {c.key for c in INPUT_COLUMNS if c.sensitivity is schema.Sensitivity.PERSONAL} == PERSONAL_KEYS
    assert "child_date_of_birth" in PERSONAL_KEYS and "email" in PERSONAL_KEYS
    assert schema.ECHOABLE_KEYS == {"reference"}
    assert all(c.personal == (c.sensitivity is schema.Sensitivity.PERSONAL) for c in schema.COLUMNS)
    assert column("reference").may_echo("CSC-2024-0012") and not column("reference").may_echo("Bronwen Featherstonehaugh")
    assert not column("team").may_echo("North") and not column("complainant_ethnicity").may_echo("Mixed")
    # a column added without a mark is ordinary; personal=True and the mark are one and the same
    assert schema.Column("Caller's name", Kind.TEXT, personal=True).sensitivity is schema.Sensitivity.PERSONAL
    assert schema.Column("Interpreter", Kind.TEXT, sensitivity=schema.Sensitivity.PERSONAL).personal


def test_cell_problem_keeps_a_value_only_where_the_schema_allows_it():
    assert cell_problem("reference", 4, "is used again", "CSC-1").value == "CSC-1"
    assert cell_problem("reference", 4, "is used again", "Mrs Quattlebaum's complaint").value == ""
    for key in ("team", "service", "complainant_ethnicity", "child_name", "s1_response_sent", "advocate"):
        assert cell_problem(key, 4, "is wrong", "Zephyrine").value == ""


PLANTED = "Zephyrine"  # no word of the toolkit's own contains it
PLANTED_FORMS = [f"{PLANTED}: autism", f"{PLANTED} (foster carer)", f"see {PLANTED}'s file 3/4", f"{PLANTED}, 12 Acacia Road"]


@pytest.mark.parametrize("typed", PLANTED_FORMS)
def test_free_text_in_any_column_is_never_repeated(typed):
    """Free text typed where a category, date or yes/no belongs, or in a personal column: named by row and column only."""
    cells = {c.key: typed for c in INPUT_COLUMNS if c.key not in ("reference", "date_received")}
    register = validate(HEADERS, [row(**cells), row(reference=typed, date_received=typed), row(reference=typed)])
    assert len(register.errors) > 30
    for problem in register.problems:
        assert PLANTED not in str(problem) and PLANTED not in problem.message and problem.value == "", str(problem)
    assert all(PLANTED not in text for text in register.row_problems())
    assert "Complainant ethnicity: is not one of the values on the Lists sheet;" in register.row_problems()[2]
    assert "White British" not in register.row_problems()[2]  # the Problems column keeps to the point; check lists the values
    ethnicity = next(p for p in register.problems if p.column == "Complainant ethnicity")
    assert str(ethnicity) == (
        "Register row 2, column 'Complainant ethnicity': is not one of the values on the Lists sheet "
        "(Not Stated, Not Asked, White British, Other White, Asian/Asian British, Black/Black British, Mixed, Other Ethnic Group)"
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([c.key for c in INPUT_COLUMNS]), min_size=1, max_size=8, unique=True),
       st.sampled_from(PLANTED_FORMS + [PLANTED, f"{PLANTED} 12/03/2024", f"03/25/2024 {PLANTED}", f"={PLANTED}()"]))
def test_no_planted_value_reaches_a_problem_whatever_the_column(keys, typed):
    if "reference" in keys and column("reference").may_echo(typed):
        keys = [k for k in keys if k != "reference"]  # a value that looks like a reference is a reference: it may be named
    planted = {k: typed for k in keys}
    register = validate(HEADERS, [row(**planted), row(**{"reference": "C2", **planted})])
    shown = [str(p) for p in register.problems] + register.row_problems().tolist()
    assert not any(PLANTED in text for text in shown)


@pytest.mark.parametrize("typed, plain", [
    ("03/25/2024", "reads as month/day (American order); type it day first (day/month/year)"),
    (12345, "is a number, not a plausible date: type the date as day/month/year"),
    (D(1975, 5, 17), "is not a plausible date (dates from 1990 to 2100 are taken)"),
    (dt.time(9, 5), "holds a time of day, not a date"),
])
def test_a_refused_date_in_the_register_is_explained_without_its_value(typed, plain):
    register = validate(HEADERS, [row(s2_requested=typed)])
    [problem] = register.problems
    assert problem.message == plain
    for shown in ("25", "12345", "1975", "17/05", "09:05"):
        assert shown not in str(problem)


# --- Excel's 32,767 characters a cell ------------------------------------------------------------


def test_excel_counts_utf16_units():
    assert excel_length("a" * 40_000) == 40_000
    assert excel_length("🙂" * 20_000) == 40_000  # beyond the BMP: two units each, as Excel counts
    assert excel_length("é" * 30_000) == 30_000


@pytest.mark.parametrize("key", ["team", "reference", "service", "s1_response_sent", "child_name"])
def test_check_reports_a_cell_over_excels_limit_by_length_not_content(key):
    long_text = PLANTED + " " + "x" * (EXCEL_CELL_LIMIT + 100)
    register = validate(HEADERS, [row(), row(**{"reference": "C2", key: long_text})])
    [long] = register.too_long()
    assert (long.row, long.column, long.severity) == (3, column(key).header, "error")
    assert str(long) == (f"Register row 3, column '{column(key).header}': holds {len(long_text):,} characters, "
                         "more than the 32,767 characters an Excel cell can hold: shorten it")
    assert all(PLANTED not in str(p) for p in register.problems)
    with pytest.raises(CellTooLong) as err:
        register.refuse_if_too_long("Refreshing the register")
    assert str(err.value).startswith(f"Refreshing the register was not done: Register row 3, column '{column(key).header}' holds more than")
    assert PLANTED not in str(err.value) and "Nothing was written" in str(err.value)


def test_a_cell_at_the_limit_is_fine_and_emoji_count_twice():
    at_limit = validate(HEADERS, [row(team="x" * EXCEL_CELL_LIMIT)])
    assert at_limit.too_long() == [] and at_limit.errors == []
    assert len(validate(HEADERS, [row(team="🙂" * 16_384)]).too_long()) == 1  # 16,384 characters, 32,768 units
    with_spaces = validate(HEADERS, [row(team="x" * EXCEL_CELL_LIMIT + "   ")])  # trailing spaces are stored too
    assert len(with_spaces.too_long()) == 1


def test_guard_cell_refuses_to_write_what_excel_cannot_hold():
    guard_cell("x" * EXCEL_CELL_LIMIT, "Status row 2, column B", "The status report")
    guard_cell(12345, "Status row 2, column B", "The status report")
    with pytest.raises(CellTooLong) as err:
        guard_cell(PLANTED + "x" * EXCEL_CELL_LIMIT, "Status row 2, column B", "The status report")
    assert str(err.value).startswith("The status report was not written: Status row 2, column B would hold 32,776 characters")
    assert PLANTED not in str(err.value)
