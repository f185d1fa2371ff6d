"""Mutation testing of the core, module by module, with the kill rate per module.

    .venv/bin/python tests/mutation/run.py                 # every module (slow: see docs/testing.md)
    .venv/bin/python tests/mutation/run.py status calendar # just these
    .venv/bin/python tests/mutation/run.py --report        # the figures from the last run, no testing
    .venv/bin/python tests/mutation/run.py --report --survivors  # and each surviving mutant's change
    .venv/bin/python tests/mutation/run.py status --only survived   # after adding tests: rerun what survived

mutmut (configured in pyproject.toml, [tool.mutmut]) makes one small change at
a time to the code (a comparison's boundary, a number, a step left out) and runs
the tests that reach it; a change no test notices "survives". Each module runs
with one worker, so the machine stays usable. Survivors that change nothing an
officer could see are listed, with the reason, in docs/testing.md.

Not part of CI: it takes tens of minutes.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = Path(sys.executable).with_name("mutmut")

# Module -> the functions mutated (mutmut's names: x_<function>, xǁ<Class>ǁ<method>).
MODULES: dict[str, tuple[str, ...]] = {
    "calendar": ("xl_complaints.core.calendar.*",),
    "rulebook": ("xl_complaints.core.rulebook.*",),
    "status": ("xl_complaints.core.status.*",),
    # The statistics' counting (who counts where, working days, bands) and suppression.
    "statistics": tuple(
        f"xl_complaints.reports.statistics.{name}__mutmut_*"
        for name in (
            "xǁ_Registerǁ__init__", "x_age", "x_first", "xǁ_Rulesǁ__init__", "xǁ_Yearǁ__init__", "xǁ_Yearǁduring",
            "xǁ_Codedǁ*", "x_stage", "x_acknowledgement", "x_young_ages", "x_categories",
            "x_suppress", "x_hidden_cells", "x_constraints", "x_equal_groups", "x_known_zeros",
        )
    ),
    # The file adapters' backup and permission paths.
    "writeback": tuple(
        f"xl_complaints.files.writeback.{name}__mutmut_*"
        for name in ("x_backup", "x_backups", "x_backup_made", "x_check_not_open", "x_replace_safely")
    ),
    "outputs": tuple(
        f"xl_complaints.files.outputs.{name}__mutmut_*"
        for name in ("x_owner_only", "x_create_private", "x_fsync_file", "x_fsync_folder", "x_plain_os_error")
    ),
}



def selected(module: str, names) -> list[str]:
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in MODULES[module])]


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / "xl_complaints" / f"{module}.py.meta"
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: codes[name] for name in selected(module, codes)}


def run(module: str, only: str | None = None) -> None:
    """Every mutant of the module; or, with `only`, just those not yet checked ("unchecked"),
    those that survived ("survived") or both ("survivors"), so an interrupted run can go on."""
    names: list[str] = list(MODULES[module])
    if only is not None and results(module):
        from mutmut.stats import status_by_exit_code

        wanted = {"unchecked": {"not checked"}, "survived": {"survived"}, "survivors": {"not checked", "survived"}}[only]
        names = [n for n, code in results(module).items() if status_by_exit_code[code] in wanted]
        if not names:
            print(f"--- {module}: nothing left to run ---", flush=True)
            return
    print(f"--- mutating {module} ({len(names) if only else 'all'} mutants) ---", flush=True)
    subprocess.run([str(MUTMUT), "run", "--max-children", "1", *names], cwd=ROOT, check=False)


def report(modules: list[str], show: bool) -> int:
    from mutmut.stats import status_by_exit_code

    print(f"\n{'module':<12}{'mutants':>9}{'killed':>8}{'survived':>10}{'no test':>9}{'other':>7}{'not run':>9}{'killed %':>10}")
    worst = 100.0
    for module in modules:
        status = {name: status_by_exit_code[code] for name, code in results(module).items()}
        count = lambda *kinds: sum(s in kinds for s in status.values())  # noqa: E731
        killed = count("killed", "timeout")  # a mutant that makes the tests hang is caught too
        survived = [n for n, s in status.items() if s == "survived"]
        no_tests, not_run = count("no tests"), count("not checked")
        other = len(status) - killed - len(survived) - no_tests - not_run
        tested = len(status) - not_run
        rate = 100.0 * killed / tested if tested else 0.0
        if module in ("calendar", "rulebook", "status"):
            worst = min(worst, rate)
        print(f"{module:<12}{len(status):>9}{killed:>8}{len(survived):>10}{no_tests:>9}{other:>7}{not_run:>9}{rate:>9.1f}%")
        if show:
            for name in survived:
                shown = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True).stdout
                lines = [line for line in shown.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
                print(f"  {name}\n    " + "\n    ".join(lines))
    print("\nTarget: at least 90% killed in calendar, rulebook and status; every survivor explained in docs/testing.md.")
    return 0 if worst >= 90.0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=f"any of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's figures without running")
    parser.add_argument("--survivors", action="store_true", help="also print each surviving mutant")
    parser.add_argument("--only", choices=("unchecked", "survived", "survivors"),
                        help="run only the mutants not yet checked (an interrupted run), those that survived (after adding "
                             "tests), or both")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"no module called {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    if not args.report:
        for module in modules:
            run(module, args.only)
    return report(modules, args.survivors)


if __name__ == "__main__":
    sys.exit(main())
