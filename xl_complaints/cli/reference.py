"""docs/cli.md, the command reference, made from every command's --help (so the two never disagree).

    python -m xl_complaints.cli.reference            # rewrite docs/cli.md
    python -m xl_complaints.cli.reference --check    # exit 1 if docs/cli.md is out of date

tests/test_cli_reference.py fails when docs/cli.md is not what this makes: run the first line
after changing a command's options or help.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import main

PROG = "xl-complaints"
WIDTH = 100  # the help is wrapped at this width whatever the terminal, so the file is the same everywhere
DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

INTRO = f"""# The `{PROG}` commands

Every command and its options, as `{PROG} COMMAND --help` prints them. Dates are typed as
2024-03-12 or 12/03/2024; a wrong file name, date, number or choice is answered with a sentence
saying what to type instead. The README's command list says what each command is for; this page
is made from the commands themselves (`python -m xl_complaints.cli.reference`), so it is never
out of date.
"""


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    """The context --help would run in (its settings, such as -h), at a fixed width."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return click.Context(command, info_name=name, parent=parent, **settings)


def _sections(command: click.Command, path: list[str], parent: click.Context | None):
    """(title, help text) for the command and, for a group, each of its commands in turn."""
    ctx = _context(command, path[-1], parent)
    yield " ".join(path), command.get_help(ctx)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            yield from _sections(command.get_command(ctx, name), [*path, name], ctx)


def reference() -> str:
    """The whole of docs/cli.md."""
    parts = [INTRO]
    for title, text in _sections(main, [PROG], None):
        parts.append(f"## `{title}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def run(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = reference()
    if "--check" in argv:
        if not DOCS.is_file() or DOCS.read_text(encoding="utf-8") != text:
            print(f"{DOCS} is out of date: run python -m xl_complaints.cli.reference", file=sys.stderr)
            return 1
        return 0
    DOCS.write_text(text, encoding="utf-8", newline="\n")
    print(f"Wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
