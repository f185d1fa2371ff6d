"""The `xl-complaints` group: the commands, loaded when used; errors as sentences; the audit log closed.

Each command lives in the module of its family (register, letters, statistics...) and is loaded only
when it is used, so refresh never loads the letters or the statistics. The command modules never
import this module (they import `options`), so there is no import cycle even counting the loading.

What an officer reads when something goes wrong is a sentence, never a traceback: the library's own
sentences for what it refuses, one general sentence for an error the toolkit did not expect (its kind
goes to the log for support), and one for Ctrl+C.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from ..core.register import RegisterError
from ..files import audit
from ..files.collector import collector_paused
from .options import plain_command

INTERRUPTED_EXIT = 130  # what a shell expects of a command stopped by Ctrl+C
INTERRUPTED = (
    "Stopped (Ctrl+C) before the command finished. Files are only put in place once they are complete, "
    "so nothing was left half-written: run the command again when you are ready."
)


class Interrupted(click.ClickException):
    """Ctrl+C: said as a sentence, with the exit code a shell expects."""

    exit_code = INTERRUPTED_EXIT

    def __init__(self):
        super().__init__(INTERRUPTED)


def plain_outcome(err: BaseException) -> str:
    """What the log says of a command that stopped with a sentence: words a reader of the log knows, no exception names.

    'refused': the command line itself was wrong (a missing file, a bad date or number);
    'failed': the command could not do its job (a file open in Excel, a folder that is not there);
    'cancelled': the officer stopped it (Ctrl+C or No at a prompt).
    """
    if isinstance(err, click.exceptions.Exit):
        return "finished" if err.exit_code == 0 else "stopped"
    if isinstance(err, (click.exceptions.Abort, Interrupted)):
        return "cancelled"
    if isinstance(err, click.UsageError):
        return "refused"
    return "failed"


# Every command, by name: the module (in this package) that makes it and the command's name there.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("register", "init"),
    "check": ("register", "check"),
    "status": ("register", "status_command"),
    "refresh": ("register", "refresh"),
    "restore": ("register", "restore"),
    "retention": ("register", "retention"),
    "workday": ("working_days", "workday"),
    "workdays": ("working_days", "workdays"),
    "letters": ("letters", "letters_command"),
    "templates": ("letters", "templates_group"),
    "stats": ("statistics", "stats_command"),
    "reminders": ("learning", "reminders_command"),
    "code-report": ("learning", "code_report_command"),
    "quarterly": ("learning", "quarterly_command"),
    "sample": ("sample", "sample_command"),
    "demo": ("demo", "demo"),
}


class _Commands(dict):
    """`main.commands`: looking one command up loads its module; looking at them all loads every one."""

    def __setitem__(self, name, command):  # every command, however it is registered, gets the plain types
        dict.__setitem__(self, name, plain_command(command))

    def _load(self, name) -> None:
        if name in LAZY_COMMANDS and not dict.__contains__(self, name):
            module_name, attribute = LAZY_COMMANDS[name]
            with collector_paused():  # importing a command's modules makes many objects and no garbage
                module = importlib.import_module(f"{__package__}.{module_name}")
            self[name] = getattr(module, attribute)

    def _load_all(self) -> None:
        for name in LAZY_COMMANDS:
            self._load(name)

    def __missing__(self, name):
        self._load(name)
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def get(self, name, default=None):
        self._load(name)
        return dict.get(self, name, default)

    def __contains__(self, name):
        self._load(name)
        return dict.__contains__(self, name)

    def __iter__(self):
        self._load_all()
        return dict.__iter__(self)

    def __len__(self):
        self._load_all()
        return dict.__len__(self)

    def keys(self):
        self._load_all()
        return dict.keys(self)

    def values(self):
        self._load_all()
        return dict.values(self)

    def items(self):
        self._load_all()
        return dict.items(self)


class CommandGroup(click.Group):
    """The `xl-complaints` group: commands loaded when used; unexpected errors and Ctrl+C become sentences."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands)

    def list_commands(self, ctx) -> list[str]:
        return sorted(self.commands)

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            audit.event("finished", exit_code=0)
            return result
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit) as err:
            audit.event("stopped", outcome=plain_outcome(err), exit_code=getattr(err, "exit_code", 1))
            raise
        except SystemExit as err:
            code = err.code if isinstance(err.code, int) else 1
            audit.event("finished" if code == 0 else "stopped", exit_code=code)
            raise
        except KeyboardInterrupt:
            audit.event("stopped", outcome="cancelled", exit_code=INTERRUPTED_EXIT)
            raise Interrupted() from None
        except BrokenPipeError:
            # The reader went away (`xl-complaints check R.xlsm | more`, then q): nothing went wrong.
            audit.event("stopped", outcome="output closed", exit_code=0)
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # so Python's own flush at exit stays quiet
            raise click.exceptions.Exit(0) from None
        except RegisterError as err:  # the toolkit's own sentence, written for officers, wherever it was raised
            audit.event("stopped", outcome="register problem", exit_code=1)
            raise click.ClickException(str(err)) from None
        except Exception as err:
            audit.event("failed", **audit.failure_fields(err))
            if os.environ.get(audit.DEBUG_ENV):
                raise
            raise click.ClickException(audit.unexpected_message(err, audit.current_register())) from None
        finally:
            audit.close()


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xl-complaints")
def main():
    """Working-day deadlines, status, letters and statistics for a complaints register."""
