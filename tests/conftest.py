"""Shared test set-up: Hypothesis profiles, and no silent skips on CI.

On CI (the environment variable CI is "true", as .ci/run and the usual CI
services set it) a test marked `libreoffice` or `pdftotext` that skips, or any
test that skips for want of LibreOffice or pdftotext, is reported as a failure:
the check it makes would otherwise vanish from CI without anyone noticing.
Locally, without the program, it still skips.

Under mutation testing (mutmut sets MUTANT_UNDER_TEST) property tests try
fewer, fixed examples, so each mutant's run stays short and repeatable.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "mutation", max_examples=15, derandomize=True, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("mutation" if os.environ.get("MUTANT_UNDER_TEST") else "suite")

REQUIRED_ON_CI = {
    "libreoffice": "LibreOffice (soffice)",
    "pdftotext": "pdftotext (Debian package poppler-utils)",
}


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and on_ci()):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    # Marked, or skipped for want of one of them (a helper's skip in a test someone forgot to mark).
    needed = [name for marker, name in REQUIRED_ON_CI.items() if item.get_closest_marker(marker) or name.split()[0].lower() in reason.lower()]
    if needed:
        report.outcome = "failed"
        report.longrepr = (
            f"On CI this test must run, not skip: it needs {' and '.join(needed)}, which .ci/run installs. "
            f"It skipped because: {reason}"
        )
