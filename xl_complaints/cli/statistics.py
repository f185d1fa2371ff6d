"""`xl-complaints stats`: the year-end statistics from a register file.

Reads the register's statistics columns (`statistics_reader`), counts every table of the
statutory annual report (`statistics`), and writes the statistics workbook, the JSON or the
Word draft (`statistics_export`). Messages go to stderr so `--format json` can be piped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd
from tqdm import tqdm

from ..files import audit, outputs
from ..reports import statistics, statistics_export
from ..reports.statistics_reader import read_for_statistics
from ..core.dates import as_of_or_today
from .options import DATE, fail, open_register, password_from_option, password_option, save

LARGE_FILE = 1_000_000  # bytes: show a progress bar from about 5,000 rows


def _default_out(register: Path, stats: statistics.Statistics, suffix: str) -> Path:
    return register.with_name(f"Complaints statistics {stats.period.label.replace('/', '-')}{suffix}")


@click.command("stats")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The reporting year, by the calendar year it starts in: 2016 for 2016/17. Default: the last complete year.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"], case_sensitive=False), default="xlsx", show_default=True,
              help="A workbook with charts, or every table as JSON (printed unless --out is given).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to save (default: beside the register).")
@click.option("--word", type=click.Path(dir_okay=False, path_type=Path), help="Also save a Word draft of the annual report here.")
@click.option("--suppress-under", type=click.IntRange(min=2), metavar="N",
              help="Hide numbers from 1 to N-1 (and enough others) so no child or family can be identified.")
@click.option("--as-of", "as_of", type=DATE, help="Read the register as it stood on this day (default: today).")
@password_option
def stats_command(register, year, fmt, out, word, suppress_under, as_of, password_file):
    """Year-end statistics: every table of the statutory annual report.

    \b
    Examples:
      xl-complaints stats Complaints_Register.xlsm --year 2016
      xl-complaints stats Complaints_Register.xlsm --year 2016 --word "Annual report 2016-17.docx" --suppress-under 5
      xl-complaints stats Complaints_Register.xlsm --year 2016 --format json > statistics.json
    """
    as_of = as_of_or_today(as_of)
    fmt = fmt.lower()
    try:
        outputs.require_suffix(out, (f".{fmt}",), "Statistics workbooks" if fmt == "xlsx" else "Statistics in JSON", "--out")
        outputs.require_suffix(word, (".docx",), "Word drafts", "--word")
    except outputs.OutputError as err:
        fail(err)
    password = password_from_option(password_file)
    if password is not None and fmt == "json":
        raise click.UsageError("JSON cannot be password-protected: use --format xlsx (and --word), or leave out the password.")
    audit.start(register, "stats")
    large = register.stat().st_size >= LARGE_FILE
    steps = 2 + len(statistics.SPECS) + (1 if word else 0)
    bar = tqdm(total=steps, desc="Statistics", unit="step", file=sys.stderr, disable=None if large else True, leave=False)
    try:
        bar.set_postfix_str("reading the register")
        source = open_register(register, read_for_statistics)
        bar.update(1)
        for message in source.settings_problems:
            click.echo(f"Warning: {message}", err=True)
        for problem in source.learning_problems:
            click.echo(f"{problem.severity.capitalize()}: {problem}", err=True)
        if year is None:
            year = statistics.year_containing(as_of, source.settings.year_start_month) - 1
        bar.set_postfix_str("counting")
        try:
            result = statistics.build(
                source.table, source.settings, year, as_of,
                progress=lambda _table: bar.update(1), unreadable_rows=source.unreadable_rows, holds=source.holds,
                lists=source.lists, actions=source.actions,
            )
        except ValueError as err:
            fail(err)
        received = source.table["date_received"]
        if not received.between(pd.Timestamp(result.period.start), pd.Timestamp(result.period.end)).any():  # all zeros: say so
            click.echo(f"Warning: No representations were received in {result.period.label} in this register: check the year.", err=True)
        if suppress_under:
            result = statistics.suppress(result, suppress_under)
        bar.set_postfix_str("writing")
        written = []
        if fmt == "json":
            text = statistics_export.to_json(result)
            if out is None:
                bar.close()
                click.echo(text)
            else:
                save(out, lambda p: p.write_text(text, encoding="utf-8"), "the statistics (JSON)")
                written.append(out)
        else:
            target = out or _default_out(register, result, ".xlsx")
            save(target, lambda p: statistics_export.write_workbook(result, p), "the statistics workbook", password)
            written.append(target)
        bar.update(1)
        if word:
            save(word, lambda p: statistics_export.write_word(result, p, settings=source.settings), "the Word draft", password)
            written.append(word)
            bar.update(1)
    finally:
        bar.close()
    audit.event("wrote", year=year, format=fmt, out=", ".join(p.name for p in written) or "screen",
                protected=password is not None, as_of=as_of)
    if source.unreadable_rows:
        click.echo(
            f"Warning: {source.unreadable_rows} row(s) of the register have cells that could not be read; "
            "those cells are counted as blank. The register's Problems column says which and why.",
            err=True,
        )
    for path in written:
        click.echo(f"Statistics for {result.period.label} saved to {path}", err=True)
