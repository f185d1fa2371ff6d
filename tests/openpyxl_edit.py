"""Test fixtures only: change a register the way another program would (openpyxl load, edit, save).

The toolkit itself never writes a register with openpyxl (writeback changes it
part by part); tests use this to make registers in states a command then meets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable


def edit(path: str | Path, change: Callable) -> object:
    """Load the register with openpyxl (macros kept), let `change(workbook)` edit it, save it in place."""
    import openpyxl

    path = Path(path)
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True)
    outcome = change(wb)
    wb.save(path)
    return outcome
