"""Every VBA module the register runs compiles: parsed with a real VBA grammar, no reserved names.

Excel compiles a VBA module as a whole: one syntax error, or one argument named
with a reserved word (xlwings copies Python parameter names into the VBA as
they are, and `end` is reserved), and every function in the module fails,
which is every live formula in the register. So:

- the `xlwings_udfs` module is generated exactly as 'Enable live formulas'
  does (xlwings' own `import_udfs`, through tests/xlwings_dispatch.py), and
  every module in the VBA project of a register built by `xl-complaints init`
  is extracted with oletools;
- `#If` directives are resolved as 64-bit Windows Excel resolves them (VBA7 and
  Win64 true, Mac false), since antlr4-vba does not read them;
- the result is parsed with antlr4-vba (the MS-VBAL grammar): no syntax error,
  and no procedure or parameter named with a reserved identifier.
"""

from __future__ import annotations

import hashlib
import inspect
import re

import pytest
from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from antlr4.tree.Tree import ParseTreeWalker
from antlr4_vba.vbaLexer import vbaLexer
from antlr4_vba.vbaParser import vbaParser
from antlr4_vba.vbaParserListener import vbaParserListener
from click.testing import CliRunner

from xl_complaints.cli import main

from xlwings_dispatch import Excel

# MS-VBAL (the VBA language specification), section 3.3.5.2 "Reserved Identifiers and IDENTIFIER":
# reserved-identifier = statement-keyword / marker-keyword / operator-identifier / special-form /
# reserved-type-identifier / reserved-name / literal-identifier / rem-keyword /
# reserved-for-implementation-use / future-reserved. Case-insensitive.
STATEMENT_KEYWORDS = """
Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng DefLngLng DefLngPtr
DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit For Friend Function Get
Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On Open Option Print Private Public Put
RaiseEvent ReDim Resume Return RSet Seek Select Set Static Stop Sub Type Unlock Wend While With Write
""".split()
MARKER_KEYWORDS = """
Any As ByRef ByVal Case Each Else In New Shared Until WithEvents Write Optional ParamArray Preserve Spc Tab
Then To
""".split()
OPERATOR_IDENTIFIERS = "AddressOf And Eqv Imp Is Like New Mod Not Or TypeOf Xor".split()
SPECIAL_FORMS = "Array Circle Input InputB LBound Scale UBound".split()
RESERVED_TYPE_IDENTIFIERS = "Boolean Byte Currency Date Double Integer Long LongLong LongPtr Single String Variant".split()
RESERVED_NAMES = """
Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date Debug DoEvents Fix
Int Len LenB Me PSet Scale Sgn String
""".split()
LITERAL_IDENTIFIERS = "True False Nothing Empty Null".split()
REM_KEYWORD = ["Rem"]
IMPLEMENTATION_USE = """
Attribute LineInput VB_Base VB_Control VB_Creatable VB_Customizable VB_Description VB_Exposed VB_Ext_KEY
VB_GlobalNameSpace VB_HelpID VB_Invoke_Func VB_Invoke_Property VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef
VB_MemberFlags VB_Name VB_PredeclaredId VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription
VB_VarHelpID VB_VarMemberFlags VB_VarProcData VB_VarUserMemId
""".split()
FUTURE_RESERVED = "CDecl Decimal DefDec".split()
RESERVED = frozenset(
    word.lower()
    for words in (STATEMENT_KEYWORDS, MARKER_KEYWORDS, OPERATOR_IDENTIFIERS, SPECIAL_FORMS, RESERVED_TYPE_IDENTIFIERS,
                  RESERVED_NAMES, LITERAL_IDENTIFIERS, REM_KEYWORD, IMPLEMENTATION_USE, FUTURE_RESERVED)
    for word in words
)

# How 64-bit Excel for Windows (Office 2010 and later) compiles: VBA7 and Win64 (and Win32) are true.
# MAC_OFFICE_VERSION is defined only on a Mac; elsewhere it is Empty, which compares as 0.
WINDOWS_64_BIT_EXCEL = {"vba7": True, "win64": True, "win32": True, "win16": False, "mac": False, "mac_office_version": 0}


# --- conditional compilation -------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^\s*#(If|ElseIf|Else|End\s*If|Const)\b(.*)$", re.I)
_TOKEN = re.compile(r'\s*(?:(?P<string>"[^"]*")|(?P<number>\d+(?:\.\d+)?)|(?P<op><>|>=|<=|=|<|>|\(|\))|(?P<name>[A-Za-z_]\w*))')


def _strip_comment(text: str) -> str:
    out, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "'" and not quoted:
            break
        out.append(ch)
    return "".join(out).strip()


def condition_value(expression: str, constants: dict):
    """A #If condition's value; an unknown constant is an error here (VBA would take it as Empty)."""
    python, at = [], 0
    expression = _strip_comment(expression)
    while at < len(expression):
        match = _TOKEN.match(expression, at)
        if not match or match.end() == at:
            raise ValueError(f"cannot read the condition {expression!r}")
        at = match.end()
        if match["string"] or match["number"]:
            python.append(match["string"] or match["number"])
        elif match["op"]:
            python.append({"=": "==", "<>": "!="}.get(match["op"], match["op"]))
        else:
            word = match["name"].lower()
            if word in ("not", "and", "or"):
                python.append(word)
            elif word in ("true", "false"):
                python.append(word.title())
            elif word in constants:
                python.append(repr(constants[word]))
            else:
                raise KeyError(f"#If uses {match['name']}, which is not a known compiler constant")
    return eval(" ".join(python), {"__builtins__": {}})  # noqa: S307 - tokens checked above


def resolve_directives(source: str, constants: dict = WINDOWS_64_BIT_EXCEL) -> str:
    """The module as the compiler sees it: lines of inactive #If branches and all directives blanked.

    Blank lines are kept so that line numbers in parse errors match the module's.
    """
    constants = dict(constants)
    out = []
    stack: list[list[bool]] = []  # [branch active, a branch already taken, parent active]
    for line in source.splitlines():
        match = _DIRECTIVE.match(line)
        active = all(frame[0] for frame in stack)
        if not match:
            out.append(line if active else "")
            continue
        word, rest = match.group(1).lower().replace(" ", ""), match.group(2)
        if word == "const":
            if active:
                name, _, value = _strip_comment(rest).partition("=")
                constants[name.strip().lower()] = condition_value(value, constants)
        elif word == "if":
            take = active and bool(condition_value(re.sub(r"\bThen\s*$", "", _strip_comment(rest), flags=re.I), constants))
            stack.append([take, take, active])
        elif word == "elseif":
            frame = stack[-1]
            take = frame[2] and not frame[1] and bool(condition_value(re.sub(r"\bThen\s*$", "", _strip_comment(rest), flags=re.I), constants))
            frame[0], frame[1] = take, frame[1] or take
        elif word == "else":
            frame = stack[-1]
            frame[0], frame[1] = frame[2] and not frame[1], True
        else:  # End If
            stack.pop()
        out.append("")
    if stack:
        raise ValueError("an #If has no #End If")
    return "\n".join(out) + "\n"


# --- the grammar ----------------------------------------------------------------------------------


class _Errors(ErrorListener):
    def __init__(self):
        self.found: list[str] = []

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802, N803 - antlr's names
        self.found.append(f"line {line}:{column} {msg}")


class _Names(vbaParserListener):
    """Every procedure and parameter name the module declares."""

    def __init__(self):
        self.procedures: list[str] = []
        self.parameters: list[tuple[str, str]] = []
        self._current = ""

    def _name(self, ctx) -> str:
        return ctx.getText().split("(")[0].strip()

    def enterSubroutineName(self, ctx):  # noqa: N802
        self._current = self._name(ctx)
        self.procedures.append(self._current)

    def enterFunctionName(self, ctx):  # noqa: N802
        self._current = re.sub(r"[%&^!#@$]$", "", self._name(ctx))
        self.procedures.append(self._current)

    def enterParamDcl(self, ctx):  # noqa: N802
        name = re.split(r"\s|\(|[%&^!#@$]", ctx.getText().strip(), maxsplit=1)[0]
        self.parameters.append((self._current, name))


# What the VBA editor writes above a class or document module when it exports it (a .cls file); the
# project itself stores the module from its Attribute lines on, which is what olevba extracts.
# The language's class-module header (MS-VBAL 4.2, class-attr) names six attributes. The project also
# stores VB_Base and VB_TemplateDerived (Excel's own, on document modules such as ThisWorkbook) and a
# module description (VB_Description, set in the Object Browser); the grammar knows none of those three,
# so they are blanked in the header, and only there.
CLASS_HEADER = "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
CLASS_ATTRIBUTES = {"vb_name", "vb_globalnamespace", "vb_creatable", "vb_predeclaredid", "vb_exposed", "vb_customizable"}
_ATTRIBUTE = re.compile(r"^\s*Attribute\s+(\w+)\s*=", re.I)


def _class_module(code: str) -> str:
    lines = code.split("\n")
    for i, line in enumerate(lines):
        match = _ATTRIBUTE.match(line)
        if not match:
            break
        if match.group(1).lower() not in CLASS_ATTRIBUTES:
            lines[i] = ""
    return CLASS_HEADER + "\n".join(lines)


def parse(code: str) -> dict:
    """antlr4-vba's verdict on prepared VBA: its syntax errors and the names the module declares."""
    errors = _Errors()
    lexer = vbaLexer(InputStream(code))
    lexer.removeErrorListeners()
    lexer.addErrorListener(errors)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    tree = parser.startRule()
    names = _Names()
    ParseTreeWalker().walk(names, tree)
    return {"errors": errors.found, "procedures": names.procedures, "parameters": [list(p) for p in names.parameters]}


def _parse_remembered(code: str, cache) -> dict:
    """parse(), remembered in pytest's cache by the text parsed and the parser's version.

    antlr4-vba in pure Python takes a minute or more for xlwings' own 45,000-character
    module, which changes only with the pinned xlwings; any change to the text (or
    to the grammar's version, or to how names are collected) parses it again.
    """
    if cache is None:
        return parse(code)
    from importlib.metadata import version

    digest = hashlib.sha256("\0".join([code, version("antlr4-vba"), inspect.getsource(_Names)]).encode()).hexdigest()
    key = f"xl_complaints/vba_parse/{digest}"
    found = cache.get(key, None)
    if found is None:
        found = parse(code)
        cache.set(key, found)
    return found


def check_module(source: str, name: str = "module", cache=None) -> list[str]:
    """What is wrong with a VBA module's source, as sentences (empty when it would compile)."""
    code = resolve_directives(source)
    if name.endswith(".cls") and not code.lstrip().upper().startswith("VERSION"):
        code = _class_module(code)
    found = _parse_remembered(code, cache)
    problems = [f"{name}: syntax error at {e}" for e in found["errors"]]
    for procedure in found["procedures"]:
        if procedure.lower() in RESERVED:
            problems.append(f"{name}: the procedure {procedure} is named with a VBA reserved word")
    for procedure, parameter in found["parameters"]:
        if parameter.lower() in RESERVED:
            problems.append(f"{name}: {procedure} has an argument named {parameter}, a VBA reserved word")
    return problems


def declared(source: str, cache=None) -> dict:
    """The module's syntax errors and declared names (standard modules)."""
    return _parse_remembered(resolve_directives(source), cache)


# --- the modules ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def udf_module():
    """The xlwings_udfs module 'Enable live formulas' would import, and the functions it came from."""
    with Excel() as xl:
        text, _ = xl.import_udfs()
        functions = {name: f.__xlfunc__ for name, f in xl.functions().items()}
    return text, functions


@pytest.fixture(scope="module")
def register_modules(tmp_path_factory):
    """Every VBA module in a register built by `xl-complaints init`, extracted with olevba."""
    from oletools.olevba import VBA_Parser

    path = tmp_path_factory.mktemp("vba") / "Complaints_Register.xlsm"
    result = CliRunner().invoke(main, ["init", str(path), "--as-of", "14/06/2024"])
    assert result.exit_code == 0, result.output
    parser = VBA_Parser(str(path))
    try:
        modules = {vba_name: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()
    return modules


def test_the_generated_udf_module_compiles(udf_module, pytestconfig):
    text, functions = udf_module
    found = declared(text, pytestconfig.cache)
    assert found["errors"] == [] and check_module(text, "xlwings_udfs", pytestconfig.cache) == []
    # the parse saw every function and argument: the check is not passing an empty module
    assert set(found["procedures"]) == set(functions)
    assert {p for _, p in found["parameters"]} == {
        a["name"] for info in functions.values() for a in info["args"] if not a["vba"]
    } >= {"start_date", "end_date", "council_settings", "register", "as_of"}


def test_no_function_or_argument_is_named_with_a_reserved_word(udf_module):
    """Straight from xlwings' own record of the functions, whatever the grammar lets through."""
    _, functions = udf_module
    for name, info in functions.items():
        assert name.lower() not in RESERVED, name
        for arg in info["args"]:
            if not arg["vba"]:  # caller is passed as Nothing, never named in the VBA
                assert arg["name"].lower() not in RESERVED, (name, arg["name"])


def test_every_module_in_the_register_compiles(register_modules, pytestconfig):
    assert {"ThisWorkbook.cls", "Sheet1.cls", "Sheet2.cls", "Module1.bas", "xlwings.bas", "Dictionary.cls"} <= set(register_modules)
    for name, code in register_modules.items():
        assert check_module(code, name, pytestconfig.cache) == [], name
    assert "Function ImportPythonUDFs" in register_modules["xlwings.bas"] or "Sub ImportPythonUDFs" in register_modules["xlwings.bas"]


def test_directives_resolve_for_64_bit_windows_excel(register_modules):
    code = resolve_directives(register_modules["xlwings.bas"])
    assert "PtrSafe" in code and "xlwings64-" in code  # the 64-bit Declare lines are kept
    assert "#If" not in code and "MacScript" not in code.replace("'", "")  # the Mac branches are gone
    with pytest.raises(KeyError, match="Win128"):
        resolve_directives("#If Win128 Then\nx = 1\n#End If\n")
    assert resolve_directives('#Const App = "Excel"\n#If App = "Excel" And Not Mac Then\na\n#ElseIf Win64 Then\nb\n#Else\nc\n#End If\n').split() == ["a"]


# --- the check catches what it guards against ------------------------------------------------------------


def test_a_reserved_word_as_an_argument_is_caught(tmp_path, monkeypatch):
    """A UDF module with an argument named `end` goes through xlwings' own generator, and is refused."""
    (tmp_path / "broken_udfs.py").write_text(
        "import xlwings as xw\n\n\n"
        "@xw.func\n"
        "def working_days(start, end, settings=None):\n"
        "    return 0\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with Excel("broken_udfs") as xl:
        text, _ = xl.import_udfs()
        info = xl.functions()["working_days"].__xlfunc__
    monkeypatch.delitem(__import__("sys").modules, "broken_udfs", raising=False)
    assert "Function working_days(start, end, Optional settings)" in text
    problems = check_module(text, "xlwings_udfs")
    assert any("syntax error" in p for p in problems), problems
    assert [a["name"] for a in info["args"] if a["name"].lower() in RESERVED] == ["end"]  # and the name check alone


def test_the_name_check_catches_a_reserved_word_the_grammar_accepts():
    """antlr4-vba parses VB_VarProcData (reserved for the implementation) as a name: only the list catches it."""
    code = 'Attribute VB_Name = "m"\nFunction total(vb_varprocdata)\n    total = 1\nEnd Function\n'
    assert parse(code)["errors"] == []
    assert check_module(code, "m") == ["m: total has an argument named vb_varprocdata, a VBA reserved word"]
    assert check_module(code.replace("total", "Rem"), "m") != []


def test_a_syntax_error_is_caught(register_modules):
    broken = register_modules["Module1.bas"].replace("End Sub", "End Function")
    assert check_module(register_modules["Module1.bas"], "Module1") == []
    assert check_module(broken, "Module1") != []
    assert check_module("Sub a()\n  If x Then\nEnd Sub\n", "m") != []
    assert any("procedure Date" in p or "syntax error" in p for p in check_module("Function Date()\nEnd Function\n", "m"))
