"""`xl-complaints sample`: a fictitious register (.xlsx) for training, trying the toolkit and tests."""

from __future__ import annotations

import click

from ..core.calendar import REGIONS
from ..core.dates import as_of_or_today
from .options import DATE, fail, settings_from_options


@click.command("sample")
@click.option("--rows", default=500, show_default=True, type=click.IntRange(min=0), help="How many representations.")
@click.option("--years", default=2, show_default=True, type=click.IntRange(min=1, max=10), help="Reporting years covered, ending with the current one.")
@click.option("--seed", default=1, show_default=True, type=int, help="The same seed gives the same register.")
@click.option("--end", default=None, type=DATE, help="The last day of receipt (default: today).")
@click.option("--out", "out", default="sample_register.xlsx", show_default=True, type=click.Path(dir_okay=False), help="The .xlsx file to write.")
@click.option(
    "--region",
    default="England and Wales",
    show_default=True,
    type=click.Choice(list(REGIONS), case_sensitive=False),
    help="Whose bank holidays the dates respect.",
)
def sample_command(rows, years, seed, end, out, region):
    """Write a fictitious register whose proportions follow a real annual report.

    Every name, address and email in it is invented. Use it to try the toolkit,
    to train, or to test the workbook without touching real cases.
    """
    from ..sample.complaints import generate_table, summary, to_records, write_xlsx

    end = as_of_or_today(end)
    table = generate_table(rows, years, seed, end, settings_from_options(region))
    try:
        path = write_xlsx(to_records(table), out)
    except OSError as err:
        reason = (err.strerror or str(err)).lower()
        fail(f"Could not write {out} ({reason}). Is it open in Excel, or is the folder missing?")
    click.echo(f"Wrote {path}: {summary(table, end)}.")
