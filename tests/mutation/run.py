"""Mutation testing of the core, module by module, with the kill rate per module.

    .venv/bin/python tests/mutation/run.py                 # every module (slow: see docs/testing.md)
    .venv/bin/python tests/mutation/run.py status calendar # just these
    .venv/bin/python tests/mutation/run.py --report        # the figures from the last run, no testing
    .venv/bin/python tests/mutation/run.py --report --survivors  # and each surviving mutant's change
    .venv/bin/python tests/mutation/run.py status --only survived   # after adding tests: rerun what survived
    .venv/bin/python tests/mutation/run.py status --sample 600      # 600 not yet run, drawn uniformly at random

mutmut (configured in pyproject.toml, [tool.mutmut]) makes one small change at
a time to the code (a comparison's boundary, a number, a step left out) and runs
the tests that reach it; a change no test notices "survives". Each module runs
with one worker, so the machine stays usable. Survivors that change nothing an
officer could see are listed, with the reason, in tests/mutation/equivalent.py
(summed up in docs/testing.md).

Not part of CI: status alone takes 40 minutes to 3 hours (docs/testing.md, "The figures").
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = Path(sys.executable).with_name("mutmut")

# Module -> the functions mutated (mutmut's names: x_<function>, xǁ<Class>ǁ<method>).
MODULES: dict[str, tuple[str, ...]] = {
    "calendar": ("xl_complaints.core.calendar.*",),
    "rulebook": ("xl_complaints.core.rulebook.*",),
    "status": ("xl_complaints.core.status.*",),
    # The numpy columns the status engine reads (register.validate makes them).
    "table": ("xl_complaints.core.table.*",),
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
    "backups": tuple(f"xl_complaints.files.backups.{name}__mutmut_*" for name in ("x_backup", "x_backups", "x_backup_made")),
    "writeback": tuple(f"xl_complaints.files.writeback.{name}__mutmut_*" for name in ("x_check_not_open", "x_replace_safely")),
    "outputs": tuple(
        f"xl_complaints.files.outputs.{name}__mutmut_*"
        for name in ("x_owner_only", "x_create_private", "x_fsync_file", "x_fsync_folder", "x_plain_os_error")
    ),
}



def selected(module: str, names) -> list[str]:
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in MODULES[module])]


def source(module: str) -> str:
    """The module's file, from its mutant names: 'xl_complaints.core.status.*' -> 'xl_complaints/core/status.py'."""
    dotted = MODULES[module][0].split(".x", 1)[0].rstrip(".*")
    return dotted.replace(".", "/") + ".py"


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / f"{source(module)}.meta"
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: codes[name] for name in selected(module, codes)}


def run(module: str, only: str | None = None, sample: int | None = None, seed: int = 15) -> None:
    """Every mutant of the module; or, with `only`, just those not yet checked ("unchecked"),
    those that survived ("survived") or both ("survivors"), so an interrupted run can go on.

    `sample`: that many of the mutants not yet checked, drawn uniformly at random (the
    same draw for the same seed), for a kill rate when the whole module takes too long."""
    names: list[str] = list(MODULES[module])
    if sample is not None:
        if not results(module):
            sys.exit(f"{module}: no mutants yet; mutmut makes them on its first run: start `run.py {module}`, stop it, then sample")
        unchecked = sorted(n for n, code in results(module).items() if code is None)
        names = random.Random(seed).sample(unchecked, min(sample, len(unchecked)))
        if not names:
            print(f"--- {module}: nothing left to run ---", flush=True)
            return
    elif only is not None and results(module):
        from mutmut.stats import status_by_exit_code

        wanted = {"unchecked": {"not checked"}, "survived": {"survived"}, "survivors": {"not checked", "survived"},
                  "timeout": {"timeout"}}[only]
        names = [n for n, code in results(module).items() if status_by_exit_code[code] in wanted]
        if not names:
            print(f"--- {module}: nothing left to run ---", flush=True)
            return
    print(f"--- mutating {module} ({len(names) if only or sample else 'all'} mutants) ---", flush=True)
    subprocess.run([str(MUTMUT), "run", "--max-children", "1", *names], cwd=ROOT, check=False)


def report(modules: list[str], show: bool) -> int:
    """The figures per module. A survivor listed in equivalent.py (with its reason) is counted
    apart; any other survivor is a missing test, named here."""
    from mutmut.stats import status_by_exit_code

    from equivalent import EQUIVALENT

    print(f"\n{'module':<10}{'mutants':>8}{'run':>6}{'killed':>8}{'survived':>9}{'equiv.':>8}{'no test':>8}{'other':>6}"
          f"{'not run':>8}{'killed %':>9}{'% of non-equiv.':>16}")
    worst = 100.0
    unexplained_anywhere = False
    for module in modules:
        status = {name: status_by_exit_code[code] for name, code in results(module).items()}
        count = lambda *kinds: sum(s in kinds for s in status.values())  # noqa: E731
        killed = count("killed", "timeout")  # a mutant that makes the tests hang is caught too
        survived = [n for n, s in status.items() if s == "survived"]
        equivalent = [n for n in survived if short(n) in EQUIVALENT]
        unexplained = [n for n in survived if short(n) not in EQUIVALENT]
        no_tests, not_run = count("no tests"), count("not checked")
        other = len(status) - killed - len(survived) - no_tests - not_run
        tested = len(status) - not_run
        rate = 100.0 * killed / tested if tested else 0.0
        real = 100.0 * killed / (tested - len(equivalent)) if tested > len(equivalent) else 0.0
        if module in ("calendar", "rulebook", "status"):
            worst = min(worst, rate)
            unexplained_anywhere |= bool(unexplained) or bool(no_tests)
        print(f"{module:<10}{len(status):>8}{tested:>6}{killed:>8}{len(survived):>9}{len(equivalent):>8}{no_tests:>8}"
              f"{other:>6}{not_run:>8}{rate:>8.1f}%{real:>15.1f}%")
        for name in unexplained if not show else survived:
            line = f"  {'equivalent' if name in equivalent else 'NOT EXPLAINED'}: {short(name)}"
            if show:
                shown = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True).stdout
                lines = [line for line in shown.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
                line += "\n    " + "\n    ".join(lines)
            print(line)
    print("\nTarget: at least 90% killed in calendar, rulebook and status; every survivor killed or listed, with its reason,"
          " in tests/mutation/equivalent.py.")
    return 0 if worst >= 90.0 and not unexplained_anywhere else 1


def short(name: str) -> str:
    """'xl_complaints.core.status.x_assess__mutmut_206' -> 'status.x_assess__mutmut_206' (stable across package moves)."""
    module, _, mutant = name.rpartition(".x")
    return f"{module.rsplit('.', 1)[-1]}.x{mutant}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=f"any of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's figures without running")
    parser.add_argument("--survivors", action="store_true", help="also print each surviving mutant")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run N of the mutants not yet checked, drawn uniformly at random (--seed): a kill rate when "
                             "the whole module takes too long")
    parser.add_argument("--seed", type=int, default=15, help="the random draw for --sample (default 15)")
    parser.add_argument("--only", choices=("unchecked", "survived", "survivors", "timeout"),
                        help="run only the mutants not yet checked (an interrupted run), those that survived (after adding "
                             "tests), or both; or those whose tests ran out of time (a busy machine can cause that: "
                             "run them again on a quiet one)")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"no module called {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    if not args.report:
        for module in modules:
            run(module, args.only, args.sample, args.seed)
    return report(modules, args.survivors)


if __name__ == "__main__":
    sys.exit(main())
