"""The install guide against the code it describes.

docs/install-windows.md tells IT and officers which xlwings version, which messages,
which class id and which offline-download command to use. Each of those is a fact
in pyproject.toml or in the installed xlwings 0.37.8 (its VBA module xlwings.bas,
com_server.py, and its packages' metadata); these tests read the facts from there,
so the guide cannot drift from them silently.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import xlwings

from xl_complaints.excel import workbook

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "install-windows.md"
README = ROOT / "README.md"
XLWINGS_DIR = Path(xlwings.__file__).parent
XLWINGS_BAS = XLWINGS_DIR / "xlwings.bas"

# Environment markers as pip would evaluate them on a 64-bit Windows PC.
WINDOWS = {**default_environment(), "sys_platform": "win32", "platform_system": "Windows",
           "os_name": "nt", "platform_machine": "AMD64"}


def pinned_xlwings(pyproject: Path = ROOT / "pyproject.toml") -> str:
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d.split("==", 1)[1].strip() for d in deps if re.match(r"^xlwings\s*==", d)]
    assert len(pins) == 1, f"pyproject.toml must pin xlwings exactly once, found {deps}"
    return pins[0]


def toolkit_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def readme_install_section(text: str) -> str:
    start = text.index("## Installing on a council Windows PC")
    following = text.find("\n## ", start + 1)
    return text[start:following if following != -1 else None]


# Every way the documents name an xlwings version.
V = r"(\d+(?:\.\d+)+(?:(?:a|b|rc|\.post|\.dev)\d+)?)"  # 0.37.8, 0.38.0rc1, 0.37.8.post1
VERSION_PATTERNS = (
    r"xlwings==" + V,
    r"xlwings(?:64|32)-" + V + r"\.dll",
    r"\bxlwings-" + V + r"(?![\w-])",
    r"'Version: " + V,
    r'XLWINGS_VERSION As String = "' + V + '"',
)


def named_xlwings_versions(text: str) -> list[str]:
    found: list[str] = []
    for pattern in VERSION_PATTERNS:
        found += re.findall(pattern, text, flags=re.M)
    return found


def wrong_versions(text: str, pin: str) -> list[str]:
    return [v for v in named_xlwings_versions(text) if v != pin]


def code_lines(markdown: str) -> list[str]:
    """The lines of the fenced code blocks, one command per line."""
    lines, inside = [], False
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
            continue
        if inside and line.strip():
            lines.append(line.strip())
    return lines


def vba_procedure(source: str, name: str) -> str:
    match = re.search(rf"^(?:Public |Private )?(Function|Sub) {name}\b.*?^End \1", source, flags=re.M | re.S)
    assert match, f"{name} not found in xlwings.bas"
    return match.group(0)


def win64_dll_name(source: str) -> str:
    win64 = source.split("#If Win64 Then", 1)[1].split("#Else", 1)[0]
    return re.search(r'XLPyDLLName As String = "([^"]+)"', win64).group(1)


# --- the xlwings version ---------------------------------------------------------------------

def test_pinned_xlwings_is_the_installed_one_and_the_one_its_vba_declares():
    pin = pinned_xlwings()
    bas = XLWINGS_BAS.read_text(encoding="utf-8", errors="replace")
    assert md.version("xlwings") == pin
    assert re.search(r'Public Const XLWINGS_VERSION As String = "([^"]+)"', bas).group(1) == pin
    assert win64_dll_name(bas) == f"xlwings64-{pin}.dll"


@pytest.mark.parametrize("document", ["guide", "readme"])
def test_documents_name_only_the_pinned_xlwings_version(document):
    text = GUIDE.read_text(encoding="utf-8")
    if document == "readme":
        text = readme_install_section(README.read_text(encoding="utf-8"))
    pin = pinned_xlwings()
    assert named_xlwings_versions(text), f"the {document} no longer names the xlwings version"
    assert wrong_versions(text, pin) == [], f"the {document} names another xlwings version than pyproject's {pin}"


def test_a_stale_version_in_the_guide_is_caught():
    pin = pinned_xlwings()
    text = GUIDE.read_text(encoding="utf-8").replace(f"xlwings64-{pin}.dll", "xlwings64-0.99.0.dll", 1)
    assert wrong_versions(text, pin) == ["0.99.0"]


def test_version_patterns_find_each_form():
    text = ("pip install xlwings==1.2.3\nLib \"xlwings64-1.2.3.dll\"\nSuccessfully installed xlwings-1.2.3 x\n"
            "'Version: 1.2.3\nPublic Const XLWINGS_VERSION As String = \"1.2.3\"")
    assert named_xlwings_versions(text) == ["1.2.3"] * 5


def test_pin_is_read_from_pyproject(tmp_path):
    fake = tmp_path / "pyproject.toml"
    fake.write_text('[project]\nname = "x"\nversion = "9"\ndependencies = ["xlwings==0.40.1", "holidays>=1"]\n')
    assert pinned_xlwings(fake) == "0.40.1"


# --- the messages the guide quotes ------------------------------------------------------------

def test_guide_quotes_the_dll_message_as_xlwings_vba_builds_it():
    bas = XLWINGS_BAS.read_text(encoding="utf-8", errors="replace")
    load = vba_procedure(bas, "XLPyLoadDLL")
    assert '"Could not load " + XLPyDLLName + " from either of the following folders: "' in load
    assert 'LoadLibrary(' in load and 'Alias "LoadLibraryA"' in bas  # the ANSI call the known limits name
    message = f"Could not load {win64_dll_name(bas)} from either of the following folders"
    assert message in GUIDE.read_text(encoding="utf-8")


def test_could_not_find_interpreter_belongs_to_runpython_which_no_button_uses():
    bas = XLWINGS_BAS.read_text(encoding="utf-8", errors="replace")
    assert bas.count("Could not find Interpreter!") == 1
    assert "Could not find Interpreter!" in vba_procedure(bas, "ExecuteWindows")
    callers = {name for name in ("RunPython", "RunFrozenPython", "XLPy", "XLPyCommand", "ImportPythonUDFsBase")
               if "ExecuteWindows" in vba_procedure(bas, name)}
    assert callers == {"RunPython", "RunFrozenPython"}
    assert {b.macro for b in workbook.BUTTONS}.isdisjoint({"RunPython", "RunFrozenPython", "SampleCall"})
    assert "only from xlwings' `RunPython`" in GUIDE.read_text(encoding="utf-8")


def test_debug_udfs_class_id_is_the_one_xlwings_serve_listens_on():
    bas = XLWINGS_BAS.read_text(encoding="utf-8", errors="replace")
    command = vba_procedure(bas, "XLPyCommand")
    vba_clsid = re.search(r'If DEBUG_UDFS = True Then\s+XLPyCommand = "(\{[0-9a-fA-F-]+\})"', command).group(1)
    tree = ast.parse((XLWINGS_DIR / "com_server.py").read_text(encoding="utf-8"))
    serve = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "serve")
    assert serve.args.defaults[0].value.lower() == vba_clsid.lower()
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"`{vba_clsid}`" in guide


def test_the_guides_server_command_calls_xlwings_serve_with_its_default_id():
    init = ast.parse((XLWINGS_DIR / "__init__.py").read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ImportFrom) and n.module == "com_server" and "serve" in [a.name for a in n.names]
               for n in ast.walk(init)), "xlwings.serve is no longer the COM server on Windows"
    commands = [line for line in code_lines(GUIDE.read_text(encoding="utf-8"))
                if "xlwings.serve" in line and not line.startswith("cmd.exe")]
    assert len(commands) == 1
    argv = shlex.split(commands[0], posix=True)
    assert argv[0].endswith(r"\venv\Scripts\pythonw.exe") and argv[1] == "-c"
    calls = [n for n in ast.walk(ast.parse(argv[2])) if isinstance(n, ast.Call)]
    assert [ast.unparse(c) for c in calls] == ["xlwings.serve()"]


# --- installing without the internet -----------------------------------------------------------

def windows_only_requirements(root: str = "xl-complaints") -> set[str]:
    """Packages pip needs on Windows but skips when `pip download` runs here.

    pip evaluates environment markers for the machine it runs on, even with
    --platform (pip issue 10050), so these must be named on the command line.
    Requirements of packages not installed here (pywin32 itself) cannot be followed.
    """
    here = default_environment()
    needed: set[str] = set()
    seen: set[str] = set()
    todo = [canonicalize_name(root)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is not None and "extra" in str(req.marker):
                continue
            on_windows = req.marker is None or req.marker.evaluate(WINDOWS)
            if not on_windows:
                continue
            if req.marker is not None and not req.marker.evaluate(here):
                needed.add(canonicalize_name(req.name))
            todo.append(canonicalize_name(req.name))
    return needed


def guide_command(word: str) -> list[str]:
    lines = [line for line in code_lines(GUIDE.read_text(encoding="utf-8")) if f"pip {word}" in line or f"pip\" {word}" in line]
    assert len(lines) >= 1, f"the guide has no 'pip {word}' command"
    return lines


def test_offline_download_names_every_windows_only_dependency():
    (download,) = guide_command("download")
    words = download.split()
    assert {"--platform", "win_amd64", "--only-binary=:all:", "--python-version", "-d"} <= set(words)
    wheel = f"xl_complaints-{toolkit_version()}-py3-none-any.whl"
    assert any(w.endswith(wheel) for w in words), f"the download command must name {wheel}"
    named = {canonicalize_name(w) for w in words[words.index(next(w for w in words if w.endswith(wheel))) + 1:]}
    missing = windows_only_requirements() - named
    assert not missing, f"pip download run off Windows would leave out {sorted(missing)}"


def test_windows_only_requirements_are_found():
    # xlwings needs pywin32 and pandas tzdata only on Windows: if this set went empty the
    # check above would pass vacuously.
    assert {"pywin32", "colorama", "tzdata"} <= windows_only_requirements()


def test_offline_install_uses_the_folder_alone():
    installs = [line for line in guide_command("install") if "--find-links" in line]
    assert installs, "the guide has no install from the wheels folder"
    for line in installs:
        words = line.split()
        assert "--no-index" in words and words[-1] == "xl-complaints"


def test_guide_never_installs_the_toolkit_by_name_from_the_index():
    for line in guide_command("install"):
        words = line.split()
        if words[-1] == "xl-complaints":
            assert "--no-index" in words, f"installing by name from the public index: {line}"


# --- the guide's own links -----------------------------------------------------------------------

def heading_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def broken_links(markdown: str, folder: Path) -> list[str]:
    anchors = {heading_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", markdown, flags=re.M)}
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", markdown):
        if target.startswith(("http://", "https://")):
            continue
        if target.startswith("#"):
            if target[1:] not in anchors:
                broken.append(target)
        elif not (folder / target.split("#", 1)[0]).exists():
            broken.append(target)
    return broken


def test_every_link_in_the_guide_leads_somewhere():
    assert broken_links(GUIDE.read_text(encoding="utf-8"), GUIDE.parent) == []
    readme = readme_install_section(README.read_text(encoding="utf-8"))
    assert broken_links(readme, README.parent) == []


def test_a_broken_anchor_is_caught():
    text = GUIDE.read_text(encoding="utf-8").replace("(#known-limits)", "(#known-limitz)", 1)
    assert broken_links(text, GUIDE.parent) == ["#known-limitz"]
    assert heading_anchor("#### C. No live formulas: the grey columns filled by `refresh`".lstrip("# ")) == \
        "c-no-live-formulas-the-grey-columns-filled-by-refresh"
