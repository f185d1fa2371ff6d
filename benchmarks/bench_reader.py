"""Reader: a register whose used range runs to Excel's last row reads as fast as a plain one.

A stray space in row 1,048,576, or formatting dragged down the whole column,
makes the sheet's used range a million rows deep. The reader stops at the end
of the complaints instead of building every cell, so such a register should
take about as long as the same two complaints without the stray cell.

The baseline, measured in the same run, is that plain two-row register; the
target is a ratio to it, so it holds on a slow or busy machine. (The unit tests
in tests/files/test_reader.py check that the whole sheet is never built; this says
how long it takes.) With LibreOffice installed, the same is measured for .ods.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from xl_complaints.files.reader import read_register
from xl_complaints.core.schema import INPUT_COLUMNS

LAST_ROW = 1_048_576
TARGET_RATIO = 10.0  # a reader that built the whole sheet would take hundreds of times longer (and gigabytes)
RUNS = 5


def register(path: Path, dress=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append([c.header for c in INPUT_COLUMNS])
    for reference in ("CSC-1", "CSC-2"):
        values = {"reference": reference, "date_received": dt.date(2024, 3, 12)}
        sheet.append([values.get(c.key) for c in INPUT_COLUMNS])
    if dress is not None:
        dress(sheet)
    book.save(path)
    return path


def space_in_the_last_row(sheet) -> None:
    sheet.cell(LAST_ROW, 60).value = " "


def formatting_to_the_last_row(sheet) -> None:
    sheet.cell(LAST_ROW, 2).font = Font(bold=True)
    sheet.cell(LAST_ROW, 2).number_format = "dd/mm/yyyy"


def best_time(path: Path) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        found = read_register(path)
        table = found.register.table  # what the commands read: the DataFrame is made when first asked for
        times.append(time.perf_counter() - start)
        assert table["reference"].tolist() == ["CSC-1", "CSC-2"], path.name
    return min(times)


def to_ods(path: Path, folder: Path) -> Path | None:
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    profile = (folder / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods", "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=300)
    return folder / f"{path.stem}.ods"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = register(folder / "plain.xlsx")
        cases = {
            "a space in the last row": register(folder / "space.xlsx", space_in_the_last_row),
            "formatting down to the last row": register(folder / "format.xlsx", formatting_to_the_last_row),
        }
        read_register(plain)  # warm: imports, rulebooks
        baseline = best_time(plain)
        print(f"plain two-row register (.xlsx): {baseline * 1000:.0f} ms, best of {RUNS}")
        ok = True
        results = {name: best_time(path) for name, path in cases.items()}
        ods_plain, ods_far = to_ods(plain, folder / "ods"), to_ods(cases["a space in the last row"], folder / "ods")
        ods_baseline = best_time(ods_plain) if ods_plain else None
        if ods_far:
            results["a space in the last row (.ods)"] = best_time(ods_far)
        for name, seconds in results.items():
            base = ods_baseline if name.endswith("(.ods)") else baseline
            ratio = seconds / base
            ok &= ratio <= TARGET_RATIO
            print(f"{name}: {seconds * 1000:.0f} ms, {ratio:.1f}x the plain register (target at most {TARGET_RATIO:.0f}x)")
        if not ods_far:
            print("(.ods not measured: LibreOffice is not installed)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
