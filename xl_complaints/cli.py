"""The `xl-complaints` command: a thin shell over the library.

Each command parses its options, calls the library, and prints what an officer
needs to read. Errors are printed as plain sentences, never tracebacks.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .files.audit import AuditedGroup
from .core.calendar import REGIONS
from .core.dates import as_of_or_today, parse_date
from .core.settings import Settings


# --- what an officer reads when an argument is wrong ----------------------------------------------
#
# Click's own wording ("Invalid value for 'REGISTER': File '...' does not exist.", "0 is not in
# the range x>=2.", "[2000<=x<=2100]") is for programmers. Every command's file and number
# parameters are given the types below once, by `plain_parameters` at the bottom of this module,
# so a command written later gets the same sentences without doing anything.


class PlainBadParameter(click.BadParameter):
    """A wrong argument, said as a whole sentence (no "Invalid value for ..." in front)."""

    def format_message(self) -> str:
        return self.message


def parameter_name(param: click.Parameter | None, fallback: str = "The value") -> str:
    """How the officer typed the parameter: --as-of, or the argument's name as the help shows it (REGISTER)."""
    if param is None:
        return fallback
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return param.human_readable_name


def shown(value) -> str:
    """A path or value as the officer would type it again: in quotes when it has spaces."""
    text = str(value)
    return f'"{text}"' if any(ch.isspace() for ch in text) and not text.startswith('"') else text


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as err:
            raise PlainBadParameter(
                f"{parameter_name(param)} '{value}' {err}: type it as 2024-03-12 or 12/03/2024.", ctx, param
            ) from None

    def parse(self, text: str, name: str) -> dt.date:
        """A date typed as a plain argument (workday's START), named in the sentence if it is wrong."""
        try:
            return parse_date(text)
        except ValueError as err:
            raise PlainBadParameter(f"{name} '{text}' {err}: type it as 2024-03-12 or 12/03/2024.") from None


class FilePath(click.Path):
    """click.Path with sentences: "There is no file at R.xlsm: check the name and folder ..."."""

    def __init__(self, like: click.Path):
        super().__init__(exists=like.exists, file_okay=like.file_okay, dir_okay=like.dir_okay, writable=like.writable,
                         readable=like.readable, resolve_path=like.resolve_path, allow_dash=like.allow_dash,
                         path_type=like.type, executable=like.executable)

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        raise PlainBadParameter(self._sentence(value, param), ctx, param) from None

    def _sentence(self, value, param) -> str:
        path = Path(os.fsdecode(value))
        name = shown(path)
        if not path.exists():
            return f"There is no file at {name}: check the name and folder (put it in quotes if it has spaces)."
        if path.is_dir() and not self.dir_okay:
            return f"{name} is a folder, not a file: give the file's name (for example {shown(path / 'Complaints_Register.xlsm')})."
        if not path.is_dir() and not self.file_okay:
            return f"{name} is a file, not a folder: give {parameter_name(param)} a folder's name."
        return f"{name} cannot be opened: you may not have permission to read it, or it is open in another program."


class WholeNumber(click.IntRange):
    """click.IntRange (or a plain int) with sentences, and its range in the help as words ("2 or more")."""

    name = "number"

    def __init__(self, like: click.IntRange | None = None):
        if like is None:
            super().__init__()
        else:
            super().__init__(min=like.min, max=like.max, min_open=like.min_open, max_open=like.max_open, clamp=like.clamp)

    def _describe_range(self) -> str:
        low = None if self.min is None else self.min + (1 if self.min_open else 0)
        high = None if self.max is None else self.max - (1 if self.max_open else 0)
        if low is not None and high is not None:
            return f"{low} to {high}"
        if low is None and high is None:
            return ""
        return f"{low} or more" if low is not None else f"{high} or less"

    def _in_words(self) -> str:
        described = self._describe_range()
        return f"from {described}" if " to " in described else f"of {described}"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        if isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
            raise PlainBadParameter(f"{parameter_name(param)} takes a whole number, not '{value}'.", ctx, param) from None
        raise PlainBadParameter(f"{parameter_name(param)} takes a whole number {self._in_words()}, not {value}.", ctx, param) from None


def plain_parameters(group: click.Group) -> None:
    """Give every command's file and number parameters the officer's sentences (see above)."""
    for command in list(dict.values(group.commands)):  # only the commands loaded so far (see _load)
        plain_command(command)


def plain_command(command: click.Command) -> click.Command:
    if isinstance(command, click.Group):
        plain_parameters(command)
    for param in command.params:
        if type(param.type) is click.Path:
            param.type = FilePath(param.type)
        elif type(param.type) is click.IntRange:
            param.type = WholeNumber(param.type)
        elif param.type is click.INT:
            param.type = WholeNumber()
    return command


DATE = DateType()


def calendar_options(command):
    """--region and --closure: the options every date command takes."""
    command = click.option(
        "--closure",
        "closure_days",
        type=DATE,
        multiple=True,
        help="A council closure day (repeat for several).",
    )(command)
    command = click.option(
        "--region",
        default="England and Wales",
        show_default=True,
        type=click.Choice(list(REGIONS), case_sensitive=False),
        help="Which nation's bank holidays apply.",
    )(command)
    return command


def password_from_option(password_file) -> str | None:
    """The password for protecting outputs, from --password-file or XL_COMPLAINTS_PASSWORD (never the command line)."""
    from .files import outputs

    try:
        password, warnings = outputs.read_password(password_file)
    except outputs.OutputError as err:
        raise click.ClickException(str(err)) from None
    for text in warnings:
        click.echo(f"Warning: {text}", err=True)
    return password


def settings_from_options(region: str = "England and Wales", closure_days=()) -> Settings:
    canonical = next(name for name in REGIONS if name.lower() == region.lower())
    return Settings(region=canonical, closure_days=tuple(closure_days))


@click.group(cls=AuditedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xl-complaints")
def main():
    """Working-day deadlines, status, letters and statistics for a complaints register."""


@main.command(context_settings={"ignore_unknown_options": True})
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


@main.command()
@click.argument("start", type=DATE)
@click.argument("end", type=DATE)
@calendar_options
def workdays(start, end, region, closure_days):
    """Working days after START up to and including END (START is day zero): the inverse of `workday`.

    In Excel: NETWORKDAYS(START+1, END) when END is later, -NETWORKDAYS(END, START-1) when earlier.
    """
    calendar = settings_from_options(region, closure_days).calendar
    click.echo(calendar.count(start, end))


@main.command()
@click.argument("register", type=click.Path(dir_okay=False))
@click.option("--as-of", type=DATE, default=None, help="The date to judge by (default: today).")
@click.option("--years", type=click.IntRange(1, 100), default=None, help="Retention period after closure (default: the Settings sheet's, 6 years).")
def retention(register, as_of, years):
    """List closed complaints kept longer than the retention period (references only)."""
    from .files import audit
    from .files.reader import read_register
    from .core.register import RegisterError
    from .files.retention import due_for_deletion

    audit.start(register, "retention")
    try:
        found = read_register(register)
    except RegisterError as err:
        raise click.ClickException(str(err)) from None
    settings = found.settings if years is None else found.settings.replace(retention_years=years)
    as_of = as_of_or_today(as_of)
    expired = due_for_deletion(found.register.table, settings, as_of)
    audit.event("listed", rows=len(found.register.table), expired=len(expired), as_of=as_of)
    period = f"{settings.retention_years} year{'s' if settings.retention_years != 1 else ''}"
    if expired.empty:
        click.echo(f"No closed complaints are past the {period} retention period on {as_of:%d/%m/%Y}.")
        return
    click.echo(f"{len(expired)} closed complaint{'s are' if len(expired) != 1 else ' is'} past the {period} retention period on {as_of:%d/%m/%Y}:")
    click.echo(f"{'Reference':<20} {'Status':<10} {'Closed on':<11} Keep until")
    for reference, status, closed_on, keep_until in expired.itertuples(index=False):
        click.echo(f"{reference:<20} {status:<10} {closed_on:%d/%m/%Y}  {keep_until:%d/%m/%Y}")
    _mention_backups(found.path)


def _mention_backups(register) -> None:
    """Backups are whole copies of the register: deleting a complaint leaves it in every older backup."""
    from .files.writeback import backup_made, backups

    kept = backups(register)
    if kept:
        oldest = f"{backup_made(kept[-1]):%d/%m/%Y}"
        click.echo(
            f"\nThe register also has {len(kept)} backup{'s' if len(kept) != 1 else ''} in Backups/ (the oldest made {oldest}). "
            "Each is a whole copy of the register as it was, so complaints deleted from the register stay in the backups "
            "made before: delete those backups too once you no longer need them to undo a change."
        )


def run():  # pragma: no cover - the console script
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


# Commands from the other parts of the toolkit: each is loaded when it is used, so a command
# imports only what it needs (refresh never loads the letters or statistics). The module
# registers the command on `main` itself (@main.command), or names it here (module, attribute).
LAZY_COMMANDS: dict[str, tuple[str, str | None]] = {
    "sample": ("sample.complaints", "sample_command"),
    "letters": ("letter_commands", None),
    "templates": ("letter_commands", None),
    "stats": ("statistics_commands", None),
    "init": ("register_commands", None),
    "check": ("register_commands", None),
    "status": ("register_commands", None),
    "refresh": ("register_commands", None),
    "restore": ("register_commands", None),
    "demo": ("demo", None),
    "reminders": ("learning_commands", None),
    "code-report": ("learning_commands", None),
    "quarterly": ("learning_commands", None),
}


def _load(name: str) -> None:
    """Import the module that makes command `name` (nothing for a name that is not a lazy command)."""
    import importlib

    if name not in LAZY_COMMANDS or dict.__contains__(main.commands, name):
        return
    module_name, attribute = LAZY_COMMANDS[name]
    module = importlib.import_module(f"{__package__}.{module_name}")
    if attribute is not None and not dict.__contains__(main.commands, name):
        main.add_command(getattr(module, attribute), name)
    plain_parameters(main)  # the module's commands get the officer's sentences too


def _load_all() -> None:
    for name in LAZY_COMMANDS:
        _load(name)


class _Commands(dict):
    """`main.commands`: looking one command up loads its module; looking at them all loads every one."""

    def __setitem__(self, name, command):  # every command, however it is registered, gets the plain types
        dict.__setitem__(self, name, plain_command(command))

    def __missing__(self, name):
        _load(name)
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def get(self, name, default=None):
        _load(name)
        return dict.get(self, name, default)

    def __contains__(self, name):
        _load(name)
        return dict.__contains__(self, name)

    def __iter__(self):
        _load_all()
        return dict.__iter__(self)

    def __len__(self):
        _load_all()
        return dict.__len__(self)

    def keys(self):
        _load_all()
        return dict.keys(self)

    def values(self):
        _load_all()
        return dict.values(self)

    def items(self):
        _load_all()
        return dict.items(self)


main.commands = _Commands(main.commands)

plain_parameters(main)  # the commands defined in this module
