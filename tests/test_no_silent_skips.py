"""On CI a test that needs LibreOffice or pdftotext fails instead of skipping (tests/conftest.py)."""

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CASES = '''
import pytest

@pytest.mark.libreoffice
def test_marked():
    pytest.skip("LibreOffice (soffice) is not installed")

def test_unmarked_but_named():
    pytest.skip("pdftotext (poppler-utils) is not installed")

@pytest.fixture
def soffice():
    pytest.skip("LibreOffice (soffice) is not installed")

@pytest.mark.libreoffice
def test_skipped_by_a_fixture(soffice):
    pass

def test_other_skip():
    pytest.skip("POSIX permissions")

@pytest.mark.pdftotext
def test_runs():
    pass
'''


@pytest.fixture
def suite(pytester):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_cases=CASES)
    return pytester


@pytest.mark.parametrize("value", ["true", "1"])
def test_on_ci_they_fail(suite, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    result = suite.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2, errors=1, skipped=1)  # a fixture's skip fails in set-up: an error
    result.stdout.fnmatch_lines(["*On CI this test must run, not skip: it needs LibreOffice (soffice)*"])


@pytest.mark.parametrize("value", [None, "false", ""])
def test_elsewhere_they_skip(suite, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    suite.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, skipped=4)
