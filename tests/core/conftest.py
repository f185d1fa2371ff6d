"""The core's tests: each reads the shipped rulebooks afresh.

`rulebook.shipped()` reads and parses the files once a run (a command asks several times).
Here each test starts with that reading forgotten, so a test sees the files as they are read
now, and mutation testing (whose changed code runs in a process forked after the first
reading) sees its change to the reading take effect."""

import pytest

from xl_complaints.core import rulebook


@pytest.fixture(autouse=True)
def _rulebooks_read_afresh():
    rulebook._shipped.cache_clear()
    yield
