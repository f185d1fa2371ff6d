"""`xl-complaints demo`: the whole job, on fictitious data, in one folder.

It runs the same commands an officer would, one after another, so the demo
shows (and CI proves) exactly what the README promises: a register workbook,
its check, the weekly status report, a batch of letters and the year-end
statistics with a Word draft.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from ..reports.statistics import year_containing
from ..core.dates import as_of_or_today
from .options import DATE, CommandError, shown

# Written into the demo's folder so a later demo may empty it: no other folder is ever emptied.
DEMO_MARK = ".xl-complaints-demo"


def _refuse_unless_demo_folder(folder: Path) -> None:
    """Only an empty folder, or one an earlier demo made (it holds DEMO_MARK), may be used: a live register must never be lost."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise CommandError(f"{folder} is a file, not a folder: give --folder a new folder's name.")
    if (folder / DEMO_MARK).is_file() or not any(folder.iterdir()):
        return
    raise CommandError(
        f"The folder {folder} already holds files that an earlier demo did not make, so the demo will not empty it "
        "(it could hold a live register). Give --folder a new or empty folder's name."
    )


def _run(step: str, args: list[str]) -> bool:
    """Run one command as an officer would, through the group the demo was run from; report its failure without stopping the demo."""
    click.secho(f"\n> xl-complaints {' '.join(map(shown, args))}", bold=True)  # quoted so it can be copied and run
    group = click.get_current_context().find_root().command
    try:
        group.main(args, prog_name="xl-complaints", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code == 0
    except click.ClickException as err:
        click.echo(f"{step}: {err.format_message()}")
        return False
    except SystemExit as done:
        return not done.code
    return True


@click.command()
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"), show_default=True,
              help="A new or empty folder for everything (a folder an earlier demo made is emptied first; any other is refused).")
@click.option("--rows", type=click.IntRange(50, 20000), default=900, show_default=True, help="How many fictitious complaints.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="The day to pretend it is (default: today).")
def demo(folder: Path, rows: int, as_of: dt.date | None):
    """Make a fictitious register and run the status report, letters and statistics on it."""
    as_of = as_of_or_today(as_of)
    _refuse_unless_demo_folder(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / DEMO_MARK).write_text("Made by xl-complaints demo: the next demo empties this folder.\n", encoding="utf-8")
    register = folder / "Complaints_Register.xlsm"
    last_year = year_containing(as_of) - 1
    iso = as_of.isoformat()
    letters_pdf = ["--pdf"] if shutil.which("soffice") or shutil.which("soffice.exe") else []
    steps = [
        ("Register", ["init", str(register), "--sample", str(rows), "--years", "3", "--seed", "2026", "--as-of", iso]),
        ("Check", ["check", str(register)]),
        ("Status report", ["status", str(register), "--as-of", iso, "--out", str(folder / "Status report.xlsx")]),
        ("Letters", ["letters", str(register), "--type", "acknowledgement", "--due", "--as-of", iso,
                     "--out", str(folder / "Letters"), *letters_pdf]),
        # and the extensions due: most days have one of the two, where acknowledgements alone leave some without
        ("Letters", ["letters", str(register), "--type", "extension", "--due", "--as-of", iso,
                     "--out", str(folder / "Letters"), *letters_pdf]),
        ("Statistics", ["stats", str(register), "--year", str(last_year), "--as-of", iso,
                        "--out", str(folder / f"Statistics {last_year}-{(last_year + 1) % 100:02d}.xlsx"),
                        "--word", str(folder / f"Annual report {last_year}-{(last_year + 1) % 100:02d} (draft).docx")]),
    ]
    failed = []
    for step, args in steps:
        if not _run(step, args):
            failed.append(step)
    click.secho(f"\nThe demo's files are in {folder.resolve()}:", bold=True)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.parent == folder and path.name != DEMO_MARK:
            click.echo(f"  {path.name}")
    letters_written = list((folder / "Letters").rglob("*.docx"))
    click.echo(f"  Letters/ ({len(letters_written)} letters in one folder per complaint)")
    if failed:
        raise CommandError(f"These steps did not finish: {', '.join(failed)}.")
