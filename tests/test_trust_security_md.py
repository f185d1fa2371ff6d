"""SECURITY.md's table of what was tried stays true: every row names tests, and every named test exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def table_rows() -> list[list[str]]:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    section = text.split("## What was tried, and what held", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("|---")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_row_is_backed_by_tests_that_exist():
    rows = table_rows()
    assert len(rows) >= 25
    for tried, held, backing in rows:
        assert tried and held, (tried, held)
        named = re.findall(r"`(test_[\w]+\.py)::(test_\w+)`", backing)
        assert named, f"no test named for: {tried}"
        for file, test in named:
            found = [p for p in (ROOT / "tests").rglob(file) if "mutation" not in p.parts]  # names are unique (test_layout)
            assert len(found) == 1 and test in _tests_in(found[0]), f"{file}::{test} does not exist"


def test_every_trust_test_is_in_the_table_or_a_check_of_the_tests_themselves():
    named = {test for _, _, backing in table_rows() for test in re.findall(r"::(test_\w+)`", backing)}
    for path in sorted((ROOT / "tests").glob("test_trust_*.py")):
        if path.name == Path(__file__).name:
            continue
        missing = _tests_in(path) - named - {"test_the_test_data_has_personal_values_and_the_scan_finds_them"}
        assert not missing, f"{path.name}: tests not in SECURITY.md: {sorted(missing)}"
