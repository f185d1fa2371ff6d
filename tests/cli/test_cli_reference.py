"""docs/cli.md is every command's --help, and is kept up to date.

If this fails after you changed a command: run `python -m xl_complaints.cli.reference` and commit docs/cli.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from xl_complaints.cli import main, reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def sections(text: str) -> dict[str, str]:
    return {title: body for title, body in re.findall(r"^## `([^`]+)`\n\n```text\n(.*?)\n```$", text, flags=re.M | re.S)}


def test_docs_cli_md_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == reference.reference(), "run: python -m xl_complaints.cli.reference"


def test_each_section_is_what_help_prints():
    documented = sections(DOCS.read_text(encoding="utf-8"))
    for title, body in documented.items():
        args = title.split()[1:] + ["--help"]
        shown = CliRunner().invoke(main, args, prog_name="xl-complaints", terminal_width=reference.WIDTH)
        assert shown.exit_code == 0, (title, shown.output)
        assert shown.output.rstrip() == body, title


def test_every_command_is_documented():
    documented = set(sections(DOCS.read_text(encoding="utf-8")))
    commands = {f"xl-complaints {name}" for name in main.commands}
    commands |= {f"xl-complaints templates {name}" for name in main.commands["templates"].commands}
    assert documented == commands | {"xl-complaints"}


def test_the_check_says_when_the_file_is_out_of_date(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "cli.md"
    stale.write_text(DOCS.read_text(encoding="utf-8").replace("--as-of", "--as-at", 1), encoding="utf-8")
    monkeypatch.setattr(reference, "DOCS", stale)
    assert reference.run(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert reference.run([]) == 0 and reference.run(["--check"]) == 0  # rewritten, it is current again
    assert stale.read_text(encoding="utf-8") == DOCS.read_text(encoding="utf-8")


def test_the_readme_links_the_reference():
    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/cli.md)" in readme
