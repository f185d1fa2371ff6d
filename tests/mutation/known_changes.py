"""The one-line changes issue 15 found no test noticing: each is made, the tests run, and it is undone.

    .venv/bin/python tests/mutation/known_changes.py

Each change is a wrong letter, a wrong RAG or a wrong published figure; every one must
make a test fail (about two minutes in all). The file is always put back, also when
the run is interrupted. mutmut (tests/mutation/run.py) finds changes like these by
itself; this list keeps the ones a reviewer found by hand.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
TESTS = ["tests/core/test_status.py", "tests/reports/test_statistics.py", "tests/files/test_backups.py"]
# (what goes wrong, file, the line as it is, the careless edit)
FLIPS = [
    ("Amber threshold ignored in favour of 3", "xl_complaints/core/status.py", "rag[is_open & (left > amber)] = \"Green\"\n    rag[is_open & (left >= 0) & (left <= amber)] = \"Amber\"", "rag[is_open & (left > 3)] = \"Green\"\n    rag[is_open & (left >= 0) & (left <= 3)] = \"Amber\""),
    ("Amber setting not passed (default 3)", "xl_complaints/core/status.py", "_assess_route(cols.subset(rows), book, calendar, as_of64, settings.amber_days,", "_assess_route(cols.subset(rows), book, calendar, as_of64, 3,"),
    ("Amber boundary < instead of <=", "xl_complaints/core/status.py", "(left >= 0) & (left <= amber)] = \"Amber\"", "(left >= 0) & (left < amber)] = \"Amber\""),
    ("due day itself called overdue", "xl_complaints/core/status.py", "rag[is_open & (left >= 0) & (left <= amber)]", "rag[is_open & (left > 0) & (left <= amber)]"),
    ("a hold stretches milestones it came before", "xl_complaints/core/status.py", "a = np.where(_has(lo[row]), np.maximum(self.start[which], lo[row]), NaT)", "a = np.where(_has(lo[row]), self.start[which], NaT)"),
    ("a hold after a response still moves it", "xl_complaints/core/status.py", "b = np.where(_has(hi[row]), np.minimum(end, hi[row]), NaT)", "b = np.where(_has(hi[row]), end, NaT)"),
    ("12-month boundary day out of time", "xl_complaints/core/status.py", "late = mask & _before(settings.calendar.add_period_array(events, limit.amount, limit.unit), received)", "late = mask & (settings.calendar.add_period_array(events, limit.amount, limit.unit) <= received)"),
    ("consent age boundary", "xl_complaints/core/status.py", "child_cannot_consent = age < young", "child_cannot_consent = age <= young"),
    ("future withdrawal counted now (status)", "xl_complaints/core/status.py", "gone = _has(withdrawn) & (withdrawn <= as_of64)", "gone = _has(withdrawn)"),
    ("future withdrawal counted now (statistics)", "xl_complaints/reports/statistics.py", "values[values > cutoff] = NaT", "values[values > cutoff + np.timedelta64(400, 'D')] = NaT"),
    ("escalation window closed on its last day", "xl_complaints/core/status.py", "in_time = waiting & (as_of <= deadline)", "in_time = waiting & (as_of < deadline)"),
    ("request on the deadline day called late", "xl_complaints/core/status.py", "late_request = answered & _has(requested) & (requested > deadline)", "late_request = answered & _has(requested) & (requested >= deadline)"),
    ("suppression threshold boundary", "xl_complaints/reports/statistics.py", "hidden = {c for c, v in value.items() if 0 < v < under}", "hidden = {c for c, v in value.items() if 0 < v <= under}"),
    ("backup loses its date", "xl_complaints/files/writeback.py", "        os.utime(target, ns=(stats.st_atime_ns, stats.st_mtime_ns))\n", ""),
    ("backup never flushed to disk (fsync)", "xl_complaints/files/writeback.py", "            os.fsync(copy.fileno())\n", ""),
    ("backup never flushed (flush)", "xl_complaints/files/writeback.py", "            copy.flush()\n", ""),
    ("backup named without its date", "xl_complaints/files/writeback.py", "label = f\"{when:%Y-%m-%d %H%M%S}\"", "label = f\"{when:%Y-%m-%d}\""),
]


def main() -> int:
    ok = True
    for name, rel, old, new in FLIPS:
        path = ROOT / rel
        text = path.read_text()
        if text.count(old) != 1:
            print(f"NOT FOUND {name}: the code changed, update this list ({text.count(old)} matches)")
            ok = False
            continue
        path.write_text(text.replace(old, new))
        try:
            r = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS], cwd=ROOT, capture_output=True, text=True)
        finally:
            path.write_text(text)
        failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED")]
        print(("KILLED " if r.returncode else "SURVIVED ") + name + (f"  <- {failed[0][7:90]}" if failed else ""), flush=True)
        ok &= r.returncode != 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
