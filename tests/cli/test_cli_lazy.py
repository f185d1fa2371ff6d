"""The command line loads a command's module only when that command is used, and still lists every command."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from xl_complaints import cli

EVERY_COMMAND = {"check", "code-report", "demo", "init", "letters", "quarterly", "refresh", "reminders", "restore", "retention",
                 "sample", "stats", "status", "templates", "workday", "workdays"}


def test_help_lists_every_command_including_the_ones_not_loaded_yet():
    result = subprocess.run([sys.executable, "-c", "from xl_complaints.cli import main; main(['--help'])"], capture_output=True, text=True)
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == EVERY_COMMAND


def test_every_lazy_command_is_made_by_the_module_named_for_it():
    for name in cli.LAZY_COMMANDS:
        assert cli.main.get_command(None, name) is not None, name
    made = set(dict.keys(cli.main.commands))
    assert made == set(cli.LAZY_COMMANDS) == EVERY_COMMAND, made  # every command is loaded by name, none left out of the list


def test_a_command_loads_only_its_own_module(tmp_path):
    code = (
        "import sys\n"
        "from xl_complaints.cli import main\n"
        "try:\n"
        "    main(['refresh', '--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('xl_complaints.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "'xl_complaints.cli.register'" in loaded
    for other in ("cli.letters", "letters", "cli.statistics", "statistics", "cli.learning", "cli.demo", "cli.sample", "sample"):
        assert f"'xl_complaints.{other}'" not in loaded, other


def test_an_unknown_command_is_still_refused_in_a_sentence():
    result = CliRunner().invoke(cli.main, ["refrseh"])
    assert result.exit_code == 2 and "No such command" in result.output


def test_a_command_registered_later_gets_the_plain_sentences_too(tmp_path):
    import click

    @click.command("try-later")
    @click.argument("register", type=click.Path(exists=True, dir_okay=False))
    @click.option("--days", type=click.IntRange(0, 10))
    def later(register, days):
        click.echo("ran")

    cli.main.add_command(later)
    try:
        missing = CliRunner().invoke(cli.main, ["try-later", str(tmp_path / "R.xlsm")])
        assert missing.exit_code == 2 and "There is no file at" in missing.output and "does not exist" not in missing.output
        (tmp_path / "R.xlsm").write_bytes(b"")
        wrong = CliRunner().invoke(cli.main, ["try-later", str(tmp_path / "R.xlsm"), "--days", "11"])
        assert "--days takes a whole number from 0 to 10, not 11." in wrong.output
    finally:
        dict.pop(cli.main.commands, "try-later")
