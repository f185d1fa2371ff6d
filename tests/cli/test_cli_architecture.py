"""The command layer's place in the house: only xl_complaints.cli knows click, and nothing imports in a circle
(not even through an import inside a function).

The library (core, files, excel, reports, sample, letters) returns results or raises the toolkit's
own errors; the cli package turns them into what an officer reads. A library module that imported
click would tie it to the command line (and Excel's UDFs would load click for nothing). An import
cycle makes the order modules load in matter and is the first thing a newcomer trips over.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import xl_complaints
from xl_complaints import cli

PACKAGE = Path(xl_complaints.__file__).parent
CLI = PACKAGE / "cli"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
LIBRARY = sorted(name for name, path in MODULES.items() if CLI not in path.parents and path.parent != CLI)


def imported(path: Path, everywhere: bool) -> set[str]:
    """The modules `path` imports: at module level (what runs when it is imported), or anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if everywhere else _module_level(tree.body)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if not name.startswith(prefix + "."):  # a module's own packages are imported before it, never by it
                found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)  # `from . import status` imports a module
    return found


def _module_level(body):
    """Statements that run on import: the module's own, and those inside its top-level if/try blocks (not functions)."""
    for node in body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(node, (ast.If, ast.Try, ast.ExceptHandler, ast.With)) and inner:
                yield from _module_level(inner)


def import_graph(everywhere: bool = False) -> dict[str, set[str]]:
    """Which xl_complaints module imports which when it loads (or anywhere in it: inside functions too),
    plus the command modules the app loads by name."""
    graph = {name: {m for m in imported(path, everywhere) if m in MODULES and m != name} for name, path in MODULES.items()}
    app = "xl_complaints.cli.app"
    graph[app] |= {f"xl_complaints.cli.{module}" for module, _ in cli.LAZY_COMMANDS.values()}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import one another in a circle (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_library_module_imports_click_anywhere_in_it():
    offenders = {name: sorted(m for m in imported(MODULES[name], everywhere=True) if m.split(".")[0] == "click") for name in LIBRARY}
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(LIBRARY) >= 30 and "xl_complaints.core.status" in LIBRARY and "xl_complaints.cli.app" not in LIBRARY


def test_importing_every_library_module_loads_no_click():
    """As a fresh process loads them (their own imports and every third-party package they pull in)."""
    code = (
        "import importlib, sys\n"
        f"for name in {LIBRARY!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'click' not in sys.modules, name\n"
        "print('loaded', len(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_command_modules_never_import_the_app():
    """The app loads them by name (LAZY_COMMANDS); they take what they share from cli.options."""
    families = {f"xl_complaints.cli.{module}" for module, _ in cli.LAZY_COMMANDS.values()}
    assert len(families) >= 7
    for name in families:
        assert "xl_complaints.cli.app" not in imported(MODULES[name], everywhere=True), name
        assert "xl_complaints.cli.options" in imported(MODULES[name], everywhere=True), name


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert "xl_complaints.cli.options" in graph["xl_complaints.cli.register"]  # the graph sees real imports ...
    assert "xl_complaints.core.status" in graph["xl_complaints.cli.register"]
    assert "xl_complaints.cli.register" in graph["xl_complaints.cli.app"]  # ... and the app's loading by name
    assert cycles(graph) == []


def test_no_cycle_either_counting_the_imports_made_inside_functions():
    """A module imported inside a function to dodge a cycle is still a circle a newcomer has to untangle."""
    graph = import_graph(everywhere=True)
    assert "xl_complaints.files.reader" in graph["xl_complaints.files.writeback"]
    assert "xl_complaints.reports.code_report" in graph["xl_complaints.excel.workbook_learning"]  # imported inside a function
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
