"""The `xl-complaints` command: a thin shell over the library.

`app` owns the group (commands loaded when used, errors as sentences, Ctrl+C);
`options` the parameter types, the shared options and the one way to open a
register; one module per family of commands (register, working_days, letters,
statistics, learning, sample, demo) parses arguments, calls the library and
prints. No module outside this package imports click. docs/cli.md is made from
every command's --help by `reference`.
"""

from ..files.collector import collector_paused

with collector_paused():  # importing pandas and the rest makes many objects and no garbage
    from .app import LAZY_COMMANDS, main

__all__ = ["LAZY_COMMANDS", "main"]
