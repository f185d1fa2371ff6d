"""Fuzzing the status engine and letter rendering with arbitrary cell values (hypothesis).

Cells are drawn as an officer's register might hold them: mostly sensible (list values, dates in
order) with anything at all mixed in: numbers, NaN and infinity, dates in 1900 or 9999, date-times,
booleans, control characters, XML and template syntax, formula text, very long text. Whatever the
cells, validation, the status engine and the letters never crash; every problem is reported against
its own row, and every letter written is a Word file that opens and prints the register's text as
typed."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from lxml import etree

from xl_complaints import letters

from xl_complaints.sample import complaints as sample

from xl_complaints.core import schema, status
from xl_complaints.core.register import validate
from xl_complaints.core.schema import Kind
from xl_complaints.core.settings import Settings

SETTINGS = Settings()
FIRST_ROW = 4
RAGS = {"Red", "Amber", "Green", "Met", "Late", "On hold", "Closed", "Withdrawn", "Check", ""}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "", " ", "=1+1", "@SUM(A1)", "-5", "+44 1234", "{{ 7*7 }}", "{% if true %}x{% endif %}", "{#", "}}", "<w:t>", "&amp;",
        "]]>", "\x00\x01\x0b", "\ud7ff\ue000\ufffd", "O'Neill-Ó Súilleabháin", "x" * 3000, "\t", "\r\n", "Yes ", "n/a", "TBC",
        "12/03/2024", "31/02/2024", "2024-03-12T10:30", "45000", "12.3.24", "01/01/1900",
    ]),
)
anything = st.one_of(
    st.none(), nasty_text, st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
)
near = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2024, 12, 31))


def sensible(column: schema.Column):
    """A value the column expects (a list value, a recent date, a short name)."""
    if column.kind is Kind.DATE:
        return near
    if column.values:
        return st.sampled_from(list(column.values) + [""])
    if column.key == "reference":
        return st.integers(0, 10**6).map(lambda n: f"CSC-{n}")
    return st.text(alphabet="abcdefghij KLMNO'-é", min_size=1, max_size=20)


# Coherent complaints to start from (every stage, holds, withdrawals), then cells replaced at random.
POOL_END = dt.date(2024, 12, 31)
POOL = sample.generate(300, years=2, seed=11, end=POOL_END)
POOL_ROWS = [[record.get(c.header) for c in schema.INPUT_COLUMNS] for record in POOL]
_pool = validate([c.header for c in schema.INPUT_COLUMNS], POOL_ROWS)
OPEN = [i for i, rag in enumerate(status.assess(_pool.table, SETTINGS, POOL_END)["rag"]) if rag not in ("Closed", "Withdrawn")]


@st.composite
def registers(draw, max_rows=6):
    """Rows from the pool (half of them still open), each with 0 to 20 of its cells replaced."""
    picks = draw(st.lists(st.one_of(st.sampled_from(OPEN), st.integers(0, len(POOL_ROWS) - 1)), min_size=1, max_size=max_rows))
    width = len(schema.INPUT_COLUMNS)
    rows = []
    for i, pick in enumerate(picks):
        row = list(POOL_ROWS[pick])
        for j in draw(st.lists(st.integers(0, width - 1), max_size=draw(st.sampled_from([0, 0, 1, 2, 5, 20])))):
            row[j] = draw(st.one_of(anything, sensible(schema.INPUT_COLUMNS[j])))
        if row[0] == POOL_ROWS[pick][0]:
            row[0] = f"REF-{i}"  # unique references, so rows can be followed, unless the fuzzing replaced it
        rows.append(row)
    return [c.header for c in schema.INPUT_COLUMNS], rows


as_of_dates = st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2025, 3, 31))


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(registers(), as_of_dates)
def test_the_status_engine_never_crashes_and_reports_every_problem_on_its_row(register, as_of):
    headers, rows = register
    validated = validate(headers, rows, sheet="Register", first_row=FIRST_ROW)
    table = validated.table
    assessed = status.assess(table, SETTINGS, as_of, validated.row_problems())
    assert assessed.index.equals(table.index)
    assert list(assessed.columns) == list(schema.CALCULATED_KEYS)
    assert set(assessed["rag"]) <= RAGS
    sheet_rows = set(range(FIRST_ROW, FIRST_ROW + len(rows)))
    for problem in validated.errors:
        assert problem.row in sheet_rows, str(problem)
        if problem.row in table.index:
            shown = assessed.at[problem.row, "problems"]
            assert problem.column in shown or problem.message in shown, (str(problem), shown)
            assert assessed.at[problem.row, "rag"] == "Check"
    clean = [r for r in table.index if not validated.row_problems().at[r]]
    for r in clean:  # a clean row gets an answer, and its due date is a real date or none
        due = assessed.at[r, "due_date"]
        assert pd.isna(due) or dt.date(1990, 1, 1) <= due.date() <= dt.date(2100, 12, 31)
        left = assessed.at[r, "working_days_left"]
        assert np.isnan(left) or float(left).is_integer()
    lines = status.timeline(table, SETTINGS, as_of)
    assert lines.index.equals(table.index)


_LIBRARY = letters.TemplateLibrary()


def document_text(data: bytes) -> str:
    """The text of a rendered letter, after checking it is a Word file whose XML parses."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(registers(max_rows=4), as_of_dates, st.sampled_from([t for t in letters.LETTER_TYPES]))
def test_letters_never_crash_and_print_register_text_as_typed(register, as_of, letter):
    headers, rows = register
    validated = validate(headers, rows, sheet="Register", first_row=FIRST_ROW)
    table = validated.table
    prepared, refused = letters.prepare(table, SETTINGS, letter, as_of, None, validated.row_problems())
    assert len({p.row for p in prepared} | {r.row for r in refused}) == len(table)  # every row answered
    for refusal in refused:
        assert refusal.row in table.index and str(refusal)
    for item in prepared:
        template = _LIBRARY.get(letter, item.procedure, item.young_person)
        text = document_text(template.render(item.context))
        surname = letters.clean(table.at[item.row, "complainant_last_name"])
        if surname and not letter.to_child:
            assert re.sub(r"\s+", " ", surname) in re.sub(r"\s+", " ", text), (surname, letter.key)
