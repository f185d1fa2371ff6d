"""files/collector.py: the cycle collector paused for a big register's reading and writing, and resumed."""

import gc

import pytest

from xl_complaints.files.collector import collector_paused


def test_paused_inside_and_resumed_after_even_on_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a damaged register")
    assert gc.isenabled()


def test_a_collector_someone_else_paused_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator():
    @collector_paused()
    def read():
        return gc.isenabled()

    assert read() is False and gc.isenabled()
