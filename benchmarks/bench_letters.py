"""Benchmark: a batch of 500 letters, against a floor measured in the same run.

The floor is what any .docx writer must at least do: unzip the template and zip
it again, 500 times, without rendering anything. The batch is the real thing:
`letters.generate_for_rows` on a 500-row sample register (statutory and
corporate rows, adults and young people), rendering, writing each file
owner-only. Exits non-zero below 50 letters a second.

    python benchmarks/bench_letters.py [--letters 500] [--target 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
import zipfile

import pandas as pd

from xl_complaints import letters

from xl_complaints.sample import complaints as sample

from xl_complaints.core import schema
from xl_complaints.core.settings import Settings

AS_OF = dt.date(2024, 4, 2)


def register(n: int):
    """A sample register in which every row can take an acknowledgement."""
    table = sample.generate_table(n, years=1, seed=7, end=dt.date(2024, 3, 31))
    table["responding_manager"] = table["responding_manager"].where(table["responding_manager"] != "", "Sam Patel")
    table["complainant_last_name"] = table["complainant_last_name"].where(table["complainant_last_name"] != "", "Jones")
    table["address_line_1"] = table["address_line_1"].where(table["address_line_1"] != "", "1 High Street")
    table["postcode"] = table["postcode"].where(table["postcode"] != "", "EX1 1AA")
    table["representation_type"] = "Complaint"
    for column in ("s1_acknowledged", "withdrawn_date", "on_hold_from", "on_hold_to"):
        table[column] = pd.NaT  # not yet acknowledged; none withdrawn or on hold
    # Received the working day before: an acknowledgement never promises a date already past.
    later = [c.key for c in schema.INPUT_COLUMNS if c.kind is schema.Kind.DATE and c.key in table and c.key != "date_received"]
    table[later] = pd.NaT
    table["date_received"] = pd.Timestamp(AS_OF - dt.timedelta(days=1))
    return table


def floor(template: bytes, n: int) -> float:
    """Seconds to unzip and re-zip the template n times."""
    start = time.perf_counter()
    for _ in range(n):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, source.read(info.filename))
        out.getvalue()
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--target", type=float, default=50.0, help="letters per second to reach")
    args = parser.parse_args(argv)

    table = register(args.letters)
    settings = Settings()
    refs = list(table["reference"])
    template = (letters.TEMPLATES_FOLDER / "Acknowledgement.docx").read_bytes()
    floor_seconds = floor(template, args.letters)

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        results = letters.generate_for_rows(table, refs, "acknowledgement", settings, out, AS_OF)
        seconds = time.perf_counter() - start
    written = len(results.written)
    rate = written / seconds if seconds else float("inf")
    print(f"Floor: unzip and re-zip the template {args.letters} times: {floor_seconds:.2f} s")
    print(f"Letters: {written} written ({len(results.refused)} refused) in {seconds:.2f} s: {rate:.0f} letters/s")
    print(f"Ratio to the floor: {seconds / floor_seconds:.2f}x (target {args.target:.0f} letters/s)")
    if written < args.letters:
        for refusal in results.refused[:5]:
            print(f"  refused: {refusal}")
        print("FAIL: not every letter was written")
        return 1
    if rate < args.target:
        print("FAIL: below target")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
