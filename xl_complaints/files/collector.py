"""Python's cycle collector held off while a big register is read, worked out and written.

A register's cells are hundreds of thousands of small objects, none of which makes a
reference cycle, but each full collection looks through all of them again: a tenth of
a second of a 5,000-row refresh, half a second of reading 100,000 rows for the annual
reports, for nothing. Only the batch commands that read a whole register pause it; the
letters (whose documents do make cycles) and Excel's own Python process never do.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cycle collector for the block (or the function it decorates); resume after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
