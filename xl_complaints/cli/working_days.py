"""The officer's calculators: `workday` and `workdays`, as Excel's WORKDAY and NETWORKDAYS give them."""

from __future__ import annotations

import click

from .options import DATE, PlainBadParameter, calendar_options, settings_from_options


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("pairs", nargs=-1, required=True)
@calendar_options
def workday(pairs, region, closure_days):
    """The date N working days after START, as Excel's WORKDAY gives it.

    \b
    Give one or more START N pairs:
      xl-complaints workday 2024-03-12 10
      xl-complaints workday 12/03/2024 10 01/04/2024 -5
    """
    if len(pairs) % 2:
        raise click.UsageError("Give the dates and numbers in pairs: START N [START N ...].")
    calendar = settings_from_options(region, closure_days).calendar
    for start_text, n_text in zip(pairs[::2], pairs[1::2]):
        start = DATE.parse(start_text, "START")
        try:
            n = int(n_text)
        except ValueError:
            raise PlainBadParameter(f"N '{n_text}' is not a whole number of working days.") from None
        click.echo(calendar.add(start, n).isoformat())


@click.command()
@click.argument("start", type=DATE)
@click.argument("end", type=DATE)
@calendar_options
def workdays(start, end, region, closure_days):
    """Working days after START up to and including END (START is day zero): the inverse of `workday`.

    In Excel: NETWORKDAYS(START+1, END) when END is later, -NETWORKDAYS(END, START-1) when earlier.
    """
    calendar = settings_from_options(region, closure_days).calendar
    click.echo(calendar.count(start, end))
