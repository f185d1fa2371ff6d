"""The tests mirror the package: one folder per package of xl_complaints, so a newcomer finds a module's tests.

Only the checks that cut across every package (nothing lost, nothing leaked: test_trust_*), and the
checks on the suite and the install guide themselves, sit in tests/ directly.
"""

from __future__ import annotations

from pathlib import Path

import xl_complaints

TESTS = Path(__file__).resolve().parent
PACKAGE = Path(xl_complaints.__file__).resolve().parent
CROSS_CUTTING = {"test_layout.py", "test_no_silent_skips.py", "test_install_guide.py"}


def test_every_package_has_its_test_folder():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == {"core", "files", "excel", "reports", "sample", "letters", "cli"}
    for name in packages:
        assert any((TESTS / name).glob("test_*.py")), f"tests/{name}/ has no tests"


def test_only_cross_cutting_tests_sit_in_the_top_folder():
    top = {p.name for p in TESTS.glob("test_*.py")}
    assert {n for n in top if not n.startswith("test_trust_")} == CROSS_CUTTING


def test_test_file_names_are_unique_across_folders():
    """pytest imports each test file by its name (no __init__.py): two of one name would clash."""
    names = [p.name for p in TESTS.rglob("test_*.py") if "mutation" not in p.parts]
    assert len(names) == len(set(names))
