"""The officer's calculators: `xl-complaints workday` and `workdays`.

What an officer types at a prompt, and what they read back: one date per pair,
a count, and a plain sentence (exit code 2, no traceback) when the input is wrong.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xl_complaints.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def assert_refused(result, *words: str):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Error" not in result.stdout, "errors go to stderr"
    for word in words:
        assert word.lower() in result.output.lower()


# --- workday --------------------------------------------------------------------


def test_workday_one_pair():
    result = run("workday", "2024-03-12", "10")
    assert result.exit_code == 0, result.output
    assert lines(result) == ["2024-03-26"]


def test_workday_platinum_jubilee():
    # The issue text expects 2022-06-13, forgetting that the Jubilee took both
    # Thursday 2 and Friday 3 June 2022; Excel's WORKDAY gives 14 June.
    result = run("workday", "2022-05-27", "10")
    assert lines(result) == ["2022-06-14"]


def test_workday_several_pairs_in_uk_forms():
    result = run("workday", "12/03/2024", "10", "24/12/2020", "1", "Tue 12th Mar 2024", "0", "2024-03-09", "1")
    assert result.exit_code == 0, result.output
    assert lines(result) == ["2024-03-26", "2020-12-29", "2024-03-12", "2024-03-11"]


def test_workday_across_easter():
    assert lines(run("workday", "28/03/2024", "1")) == ["2024-04-02"]
    assert lines(run("workday", "28/03/2024", "1", "--region", "Scotland")) == ["2024-04-01"]


@pytest.mark.parametrize("region", ["Scotland", "scotland", "SCOTLAND"])
def test_workday_region_st_andrews_day(region):
    result = run("workday", "--region", region, "2022-11-29", "1")
    assert result.exit_code == 0, result.output
    assert lines(result) == ["2022-12-01"]


def test_workday_northern_ireland():
    assert lines(run("workday", "2023-03-16", "1", "--region", "Northern Ireland")) == ["2023-03-20"]


def test_workday_closure_days():
    result = run("workday", "2024-12-24", "1", "--closure", "27/12/2024", "--closure", "2024-12-30", "--closure", "31 Dec 2024")
    assert result.exit_code == 0, result.output
    assert lines(result) == ["2025-01-02"]
    assert lines(run("workday", "2024-12-24", "1")) == ["2024-12-27"]


def test_workday_negative_after_a_double_dash():
    assert lines(run("workday", "--", "2024-03-12", "-5")) == ["2024-03-05"]


def test_workday_negative_n_as_in_the_help():
    result = run("workday", "12/03/2024", "10", "01/04/2024", "-5")
    assert result.exit_code == 0, result.output
    assert lines(result) == ["2024-03-26", "2024-03-22"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["2024-03-12"], ["pairs"]),
        (["2024-03-12", "10", "2024-03-13"], ["pairs"]),
        (["next tuesday", "10"], ["'next tuesday'", "is not a date", "2024-03-12 or 12/03/2024"]),
        (["03/25/2024", "10"], ["American"]),
        (["31/02/2024", "10"], ["not a real date"]),
        (["2024-03-12", "ten"], ["'ten' is not a whole number"]),
        (["2024-03-12", "2.5"], ["'2.5' is not a whole number"]),
        (["2024-03-12", "10", "--region", "Wales and Narnia"], ["Wales and Narnia", "England and Wales"]),
        (["2024-03-12", "10", "--closure", "soonish"], ["'soonish'", "is not a date"]),
        ([], ["Missing argument"]),
    ],
)
def test_workday_bad_input(args, words):
    assert_refused(run("workday", *args), *words)


def test_workday_prints_nothing_for_later_pairs_once_one_is_wrong():
    result = run("workday", "2024-03-12", "10", "nonsense", "5")
    assert result.exit_code == 2
    assert lines(result) == ["2024-03-26"]  # the good pair before it is already answered


# --- workdays -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["2024-03-12", "2024-03-26"], "10"),
        (["12/03/2024", "12/03/2024"], "0"),
        (["2024-03-28", "2024-04-02"], "1"),
        (["2024-03-28", "2024-04-02", "--region", "Scotland"], "2"),
        (["2022-05-27", "2022-06-14"], "10"),
        (["2024-03-12", "2024-03-11"], "-1"),
        (["2024-03-09", "2024-03-11"], "1"),  # Saturday to Monday: the inverse of workday (issue 11)
        (["2024-12-24", "2025-01-02", "--closure", "27/12/2024", "--closure", "30/12/2024", "--closure", "31/12/2024"], "1"),
        (["2023-03-16", "2023-03-20", "--region", "northern ireland"], "1"),
    ],
)
def test_workdays(args, expected):
    result = run("workdays", *args)
    assert result.exit_code == 0, result.output
    assert lines(result) == [expected]


@pytest.mark.parametrize(
    "args, words",
    [
        (["2024-03-12"], ["Missing argument"]),
        (["2024-03-12", "whenever"], ["'whenever'", "is not a date"]),
        (["2024-03-12", "2024-03-26", "2024-04-01"], ["unexpected extra argument"]),
        (["2024-03-12", "2024-03-26", "--region", "Atlantis"], ["Atlantis"]),
    ],
)
def test_workdays_bad_input(args, words):
    assert_refused(run("workdays", *args), *words)


def test_help_mentions_excel():
    assert "WORKDAY" in run("workday", "--help").output
    assert "NETWORKDAYS" in run("workdays", "--help").output


# --- Click's own wording never reaches an officer ---------------------------------------------


def test_a_register_that_is_not_there_is_said_in_a_sentence(tmp_path):
    result = run("check", "nothere/R.xlsm")
    assert_refused(result, "There is no file at nothere/R.xlsm: check the name and folder (put it in quotes if it has spaces).")
    assert "Invalid value" not in result.output and "does not exist" not in result.output
    spaced = run("status", "my folder/R.xlsm")
    assert 'There is no file at "my folder/R.xlsm"' in spaced.output


def test_a_folder_given_for_the_register_is_said_in_a_sentence(tmp_path):
    result = run("check", str(tmp_path))
    assert_refused(result, f"{tmp_path} is a folder, not a file")
    assert "is a directory" not in result.output and "Invalid value" not in result.output


def test_numbers_out_of_range_are_said_in_a_sentence(tmp_path):
    register = tmp_path / "R.xlsm"
    register.write_bytes(b"")
    result = run("stats", str(register), "--suppress-under", "0")
    assert_refused(result, "--suppress-under takes a whole number of 2 or more, not 0.")
    assert "x>=" not in result.output and "range" not in result.output
    assert_refused(run("stats", str(register), "--year", "last"), "--year takes a whole number, not 'last'.")


def test_help_gives_ranges_in_words():
    for command in ("stats", "code-report", "demo", "retention", "init"):
        text = run(command, "--help").output
        assert "<=x" not in text and "x>=" not in text and "INTEGER" not in text, (command, text)
    assert "[2000 to 2100; required]" in " ".join(run("code-report", "--help").output.split())


def test_every_command_has_the_plain_types():
    """A command added later gets the sentences too (the app gives every command it loads cli.options.plain_command)."""
    import click

    commands = list(main.commands.values()) + list(main.commands["templates"].commands.values())
    for command in commands:
        for param in command.params:
            assert type(param.type) not in (click.Path, click.IntRange, click.Choice) and param.type is not click.INT, (command.name, param.name)


def test_workday_names_the_argument_that_is_not_a_date():
    result = run("workday", "31/02/2024", "5")
    assert_refused(result, "START '31/02/2024'")
    message = result.output.strip().splitlines()[-1]
    assert message.endswith(".") and "Invalid value" not in message
    assert_refused(run("workday", "2024-03-12", "ten"), "N 'ten' is not a whole number of working days.")
