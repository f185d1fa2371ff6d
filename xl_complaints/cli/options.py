"""What every command shares: the parameter types that answer in sentences, the common options, and
the one way to open a register.

Click's own wording ("Invalid value for 'REGISTER': File '...' does not exist.", "0 is not in
the range x>=2.", "[2000<=x<=2100]") is for programmers. Every command's file, number and choice
parameters are given the types below once, by `plain_command` (the app runs it over every command
it loads), so a command written later gets the same sentences without doing anything.

The command modules import this module, never the app: the app loads them, so nothing imports back.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from ..core.calendar import REGIONS
from ..core.dates import parse_date
from ..core.register import RegisterError
from ..core.settings import Settings
from ..files import outputs

# --- what an officer reads when an argument is wrong ----------------------------------------------


class PlainBadParameter(click.BadParameter):
    """A wrong argument, said as a whole sentence (no "Invalid value for ..." in front)."""

    def format_message(self) -> str:
        return self.message


class CommandError(click.ClickException):
    """A command could not do its job: the library's sentence, shown as it is ("Error: ..." on stderr, exit 1)."""


class PlainError(CommandError):
    """A sentence shown without "Error: " in front, with its own exit code (check's unreadable register: 2)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def fail(err: Exception | str):
    """Stop the command with the library's sentence for `err` (its message is written for officers)."""
    raise CommandError(str(err)) from None


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


DATE = DateType()


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


class OneOf(click.Choice):
    """click.Choice with a sentence: "--format is csv or xlsx, not 'pdf'."."""

    def __init__(self, like: click.Choice):
        super().__init__(like.choices, case_sensitive=like.case_sensitive)

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        choices = [str(c) for c in self.choices]
        listed = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
        raise PlainBadParameter(f"{parameter_name(param)} is {listed}, not '{value}'.", ctx, param) from None


def plain_command(command: click.Command) -> click.Command:
    """Give a command's (and a group's commands') file, number and choice parameters the officer's sentences."""
    if isinstance(command, click.Group):
        for sub in list(dict.values(command.commands)):
            plain_command(sub)
    for param in command.params:
        if type(param.type) is click.Path:
            param.type = FilePath(param.type)
        elif type(param.type) is click.IntRange:
            param.type = WholeNumber(param.type)
        elif param.type is click.INT:
            param.type = WholeNumber()
        elif type(param.type) is click.Choice:
            param.type = OneOf(param.type)
    return command


# --- options several commands take ----------------------------------------------------------------


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


def settings_from_options(region: str = "England and Wales", closure_days=()) -> Settings:
    canonical = next(name for name in REGIONS if name.lower() == region.lower())
    return Settings(region=canonical, closure_days=tuple(closure_days))


def password_option(command):
    """--password-file, shared by the commands that save Word or Excel files."""
    return click.option(
        "--password-file",
        "password_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Password-protect the Word/Excel files with the password on this file's first line "
        f"(or set {outputs.PASSWORD_ENV}). Never typed on the command line, where others could see it.",
    )(command)


def password_from_option(password_file) -> str | None:
    """The password for protecting outputs, from --password-file or XL_COMPLAINTS_PASSWORD (never the command line)."""
    try:
        password, warnings = outputs.read_password(password_file)
    except outputs.OutputError as err:
        fail(err)
    for text in warnings:
        click.echo(f"Warning: {text}", err=True)
    return password


def save(path: Path, produce, what: str, password: str | None = None) -> Path:
    """Save whole or not at all, owner-only (outputs.write_file); the library's sentence when it cannot be."""
    try:
        return outputs.write_file(Path(path), produce, what, password)
    except outputs.OutputError as err:
        fail(err)


# --- the one way to open a register ------------------------------------------------------------------


def open_register(path: Path, read=None, *, in_excel: str | None = "this uses its last saved version",
                  notes: bool = False, unreadable_exit: int | None = None):
    """Read the register at `path` with `read` (reader.read_register unless given), as every command does.

    `in_excel`: what to tell the officer (on stderr) when Excel has the register open; `notes`: also say
    on stderr what the reader decided for them. A register that cannot be read stops the command with the
    reader's sentence (sheet, row and column); `unreadable_exit` gives it its own exit code, without
    "Error: " in front (check's 2).
    """
    from ..files import writeback

    if in_excel and writeback.lock_files(path):
        click.echo(f"Note: {Path(path).name} is open in Excel: {in_excel}.", err=True)
    if read is None:
        from ..files.reader import read_register as read
    try:
        found = read(path)
    except RegisterError as err:
        if unreadable_exit is not None:
            raise PlainError(str(err), unreadable_exit) from None
        fail(err)
    if notes:
        for text in found.notes:
            click.echo(f"Note: {text}", err=True)
    return found
