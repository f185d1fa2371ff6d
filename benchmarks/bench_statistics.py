"""Both annual reports from a 100,000-row register in under 2x the time of reading it with calamine.

Issue 14's target, measured side by side in one run on one file:

- the floor: python-calamine doing nothing but reading the Register sheet into
  Python values, which no reader of the file can avoid;
- the statutory report, end to end as `xl-complaints stats` does it: read the
  statistics columns, count every table for the year and the year before,
  suppress small numbers, write the statistics workbook and the JSON;
- the Code report, end to end as `xl-complaints code-report` does it: read the
  register and its Actions, Remedies and Ombudsman cases sheets, count, suppress,
  write the Word draft and the workbook of figures.

Each report must take under `--ratio` (2) times the floor. The register is a
sample (`xl_complaints.sample.complaints.generate`, three reporting years, with its
learning sheets from `sample.learning`), written once with shared strings as Excel saves a
workbook, and kept in the temporary folder for the next run. Exits non-zero if
a target is missed.

    python benchmarks/bench_statistics.py [--rows 100000] [--ratio 2] [--with-core]

--with-core also times the general reader (`reader.read_register`, which types
every cell of every column) followed by the statistics, for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from xl_complaints.core import schema

from xl_complaints.reports import statistics, statistics_export
from xl_complaints.reports.statistics_reader import read_for_statistics

END = dt.date(2028, 3, 31)  # three reporting years: 2025/26 to 2027/28 (the Code applies from April 2026)
YEAR = 2026
REPEATS = 3


def register_file(rows: int) -> Path:
    """The sample register as an .xlsx file, made once per size."""
    path = Path(tempfile.gettempdir()) / "xl_complaints_bench" / f"reports_register_{END.year}_{rows}.xlsx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    records = _records(rows)
    _write(records, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)
    print(f"made {path} ({rows:,} rows) in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _records(rows: int) -> list[dict]:
    try:
        from xl_complaints.sample.complaints import generate
    except ImportError:  # the sample module is optional here
        return _simple_records(rows)
    return generate(rows, years=3, seed=1, end=END)


def _simple_records(rows: int) -> list[dict]:
    import random

    rnd = random.Random(1)
    start = dt.date(END.year - 3, 4, 1)
    out = []
    for i in range(rows):
        received = start + dt.timedelta(days=rnd.randrange((END - start).days))
        record = {"Reference": f"B-{i:06d}", "Date received": received, "Complainant first name": "Sample"}
        for col in schema.INPUT_COLUMNS:
            if col.kind is schema.Kind.CATEGORY and rnd.random() < 0.8:
                record[col.header] = rnd.choice(col.values)
        if rnd.random() < 0.9:
            record["S1 response sent"] = received + dt.timedelta(days=rnd.randrange(1, 40))
        out.append(record)
    return out


def _learning(records: list[dict]) -> dict[str, list[dict]]:
    from xl_complaints.sample.learning import generate
    return generate(records, seed=1, end=END)


def _write(records: list[dict], path: Path) -> None:
    """Shared strings and real dates, as Excel saves a workbook (not XlsxWriter's constant-memory inline strings).

    The Register sheet, then the Actions, Remedies and Ombudsman cases sheets the Code report reads.
    """
    import xlsxwriter

    from xl_complaints.core import learning

    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    epoch = dt.date(1899, 12, 30)

    def sheet_of(name: str, headers: list[str], rows: list[dict]) -> None:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, headers)
        for i, record in enumerate(rows, start=1):
            for j, header in enumerate(headers):
                value = record.get(header)
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_number(i, j, (value - epoch).days, date_format)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(i, j, value)
                else:
                    sheet.write_string(i, j, str(value))

    sheet_of("Register", [c.header for c in schema.INPUT_COLUMNS], records)
    for name, rows in _learning(records).items():
        sheet_of(name, [c.header for c in learning.COLUMNS[name]], rows)
    book.close()


def end_to_end(path: Path, out: Path) -> tuple[float, float, dict[str, float]]:
    """(wall seconds, CPU seconds, seconds by phase) for one statistics run."""
    phases = {}
    wall, cpu = time.perf_counter(), time.process_time()
    source = read_for_statistics(path)
    phases["read"] = time.perf_counter() - wall
    mark = time.perf_counter()
    stats = statistics.build(source.table, source.settings, YEAR, as_of=END, unreadable_rows=source.unreadable_rows)
    published = statistics.suppress(stats, 5)
    phases["count"] = time.perf_counter() - mark
    mark = time.perf_counter()
    statistics_export.write_workbook(published, out)
    out.with_suffix(".json").write_text(statistics_export.to_json(published), encoding="utf-8")
    phases["write"] = time.perf_counter() - mark
    total = time.perf_counter() - wall
    assert stats.table("1a").row("total").number > 0
    return total, time.process_time() - cpu, phases


def code_report_end_to_end(path: Path, folder: Path) -> tuple[float, dict[str, float]]:
    """(wall seconds, seconds by phase) for one Code report, as `xl-complaints code-report` makes it."""
    from xl_complaints.reports import code_report, code_report_export

    phases = {}
    wall, cpu = time.perf_counter(), time.process_time()
    source = code_report.read_for_code_report(path, YEAR)
    phases["read"] = time.perf_counter() - wall
    mark = time.perf_counter()
    report = code_report.build(source.table, source.learning, source.settings, YEAR, END, source.self_assessment,
                               lists=source.lists, holds=source.holds)
    report = code_report.suppressed(report, 5)
    phases["count"] = time.perf_counter() - mark
    mark = time.perf_counter()
    code_report_export.write_word(report, folder / "code.docx")
    code_report_export.write_workbook(report, folder / "code.xlsx")
    phases["write"] = time.perf_counter() - mark
    assert report.stats.table("c1").row("total").number > 0
    phases["CPU"] = time.process_time() - cpu
    return time.perf_counter() - wall, phases


def floor(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for python-calamine to read the Register sheet into Python values."""
    from python_calamine import CalamineWorkbook

    start, cpu = time.perf_counter(), time.process_time()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Register").to_python(skip_empty_area=False)
    return time.perf_counter() - start, time.process_time() - cpu


def floor_collector_paused(path: Path) -> float:
    """CPU seconds of the floor's reading with Python's cycle collector held off, as the reports' readers hold it
    off (for comparison only: the target is against `floor`, the reading as anyone would do it)."""
    import gc

    gc.disable()
    try:
        return floor(path)[1]
    finally:
        gc.enable()


def with_core(path: Path) -> float:
    from xl_complaints.files.reader import read_register

    start = time.perf_counter()
    register = read_register(path)
    statistics.build(register.register.table, register.settings, YEAR, as_of=END)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ratio", type=float, default=2.0, help="each report's time over the floor's, at most")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--with-core", action="store_true")
    args = parser.parse_args(argv)

    path = register_file(args.rows)
    size = path.stat().st_size / 1e6
    floors, runs, codes, paused = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "statistics.xlsx"
        end_to_end(path, out)  # warm: imports, the bank-holiday list, the file in the OS cache
        code_report_end_to_end(path, Path(folder))
        for _ in range(args.repeats):  # interleaved, so a busy machine slows all three alike
            floors.append(floor(path))
            paused.append(floor_collector_paused(path))
            runs.append(end_to_end(path, out))
            codes.append(code_report_end_to_end(path, Path(folder)))
    seconds, cpu, phases = min(runs, key=lambda r: r[0])
    code_seconds, code_phases = min(codes, key=lambda r: r[0])
    base, base_cpu = min(floors)
    print(f"register: {args.rows:,} rows, {size:.1f} MB, year {statistics.reporting_period(YEAR).label}; best of {args.repeats}")
    print(f"floor (calamine reading the Register sheet, nothing else): {base:.2f} s (CPU {base_cpu:.2f} s)")
    print(f"statutory report end to end: {seconds:.2f} s (CPU {cpu:.2f} s: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()) + f") = {seconds / base:.2f} x the floor")
    print(f"Code report end to end: {code_seconds:.2f} s ("
          + ", ".join(f"{k} {v:.2f} s" for k, v in code_phases.items()) + f") = {code_seconds / base:.2f} x the floor")
    print(f"CPU over the floor's CPU: statutory {cpu / base_cpu:.2f}, Code report {code_phases['CPU'] / base_cpu:.2f}; "
          f"over the floor's CPU with the cycle collector held off as the readers hold it ({min(paused):.2f} s): "
          f"{cpu / min(paused):.2f} and {code_phases['CPU'] / min(paused):.2f}")
    if args.with_core:
        print(f"general reader (every cell of every column typed) + statistics: {with_core(path):.2f} s")
    ok = seconds < args.ratio * base and code_seconds < args.ratio * base
    print(f"target: each report under {args.ratio:.1f} x the floor -> {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
