"""xlwings' own Windows UDF dispatch, run on Linux: only pywin32 is stood in for.

What Excel does when a cell calls one of our functions: the `xlwings_udfs`
VBA module xlwings generated calls `XLPy.CallUDF(module, name, Array(args...),
ThisWorkbook, Application.Caller)`; xlwings' COM server (`com_server.XLPython.
CallUDF`) hands that to `udfs.call_udf`, which reads each argument through the
`conversion` pipeline (`_xlwindows` value cleaning included), calls the
function and converts its result back. All of that is plain Python; only the
pywin32 modules it imports (pywintypes, pythoncom, win32api, win32con,
win32gui, win32event, win32process, win32timezone, win32com...) and ctypes'
Windows loaders need stand-ins, which this module provides, and nothing of
xlwings itself is replaced.

`Excel` (a context manager) installs the stand-ins, imports xlwings' Windows
modules, gives `xw.func`/`xw.arg`/`xw.sub` their Windows meaning (as
`xlwings/__init__.py` does on Windows) and reloads the UDF module, so its
decorators record what `ImportPythonUDFs` reads. `Excel.call` then calls a
function the way the generated VBA does, with arguments as pywin32 hands them:

- a range argument is a COM Range object (`ComRange` here) whose `.Value` is a
  tuple of row tuples (a single cell: the bare value);
- dates are timezone-aware UTC datetimes (pywintypes.TimeType, with
  win32timezone's pure-Python UTC zone), numbers
  floats, empty cells None, error cells ints such as -2146826281 (#DIV/0!);
- an omitted optional argument is VBA's missing-value marker, -2147352572;
- `caller` is the calling cell (a COM Range), Nothing (None) in the VBA call.

The result comes back as pywin32 would put it into the cells (`cell_values`):
tz-aware datetimes become dates, anything pywin32 could not pass to Excel
(numpy scalars other than float, naive datetimes, None inside a 2-D block...)
fails the test.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import importlib
import io
import sys
import types
from contextlib import contextmanager

MISSING = -2147352572  # DISP_E_PARAMNOTFOUND: what VBA passes for an omitted Optional argument
RANGE_IID = "{00020846-0000-0000-C000-000000000046}"  # Excel's Range interface
CELL_ERRORS = {  # error cells as pywin32 hands them (VT_ERROR scodes)
    "#DIV/0!": -2146826281,
    "#N/A": -2146826246,
    "#NAME?": -2146826259,
    "#NULL!": -2146826288,
    "#NUM!": -2146826252,
    "#REF!": -2146826265,
    "#VALUE!": -2146826273,
}
UTC = dt.timezone.utc


# --- pywin32 -----------------------------------------------------------------------------------


class TimeType(dt.datetime):
    """pywintypes.TimeType: a datetime subclass; Excel's dates arrive as these, in UTC."""


class com_error(Exception):  # noqa: N801 - pywin32's name
    def __init__(self, *args):
        super().__init__(*args)
        self.hresult = args[0] if args else None


def _iid(text: str) -> str:
    return text.upper()


class PyIDispatch:
    """pythoncom's raw IDispatch type (never handed over here: the fakes are already dispatched)."""


class _Stream:
    def __init__(self, obj):
        self.obj = obj


def _module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


class _TimeZoneInfo(dt.tzinfo):
    """win32timezone.TimeZoneInfo('GMT Standard Time', fix_standard_time=True), which TimeZoneInfo.utc() returns.

    pywin32 gives every date it hands over this tzinfo. It is pure Python: its
    utcoffset() looks up the zone's rules for the date's year, so anything that
    hashes or compares such datetimes (a dict key, ==) pays a Python call per
    date. The stand-in keeps that cost (a lookup by year), not a C-level zone.
    """

    _rules: dict = {}

    def utcoffset(self, when):
        if when is None:
            return None
        rules = self._rules.get(when.year)
        if rules is None:
            rules = self._rules[when.year] = {"bias": dt.timedelta(0), "dst": dt.timedelta(0)}
        return -rules["bias"] + self.dst(when)

    def dst(self, when):
        return dt.timedelta(0)  # fix_standard_time: never summer time

    def tzname(self, when):
        return "GMT Standard Time"

    def __repr__(self):
        return "TimeZoneInfo('GMT Standard Time', True)"

    @classmethod
    def utc(cls):
        return PYWIN_UTC


class CDispatch:
    """win32com.client.CDispatch: the fakes are not instances, so xlwings never wraps them in retry loops."""


PYWIN_UTC = _TimeZoneInfo()


def _dispatch(obj, *args, **kwargs):
    return obj  # the fakes are Excel's dispatched objects already


class _Unwrappable(Exception):
    pass


def _unwrap(obj):
    raise _Unwrappable  # com_server.FromVariant falls back to the object itself, as for a plain VARIANT


def pywin32_modules() -> dict[str, types.ModuleType]:
    """Stand-ins for every pywin32 module xlwings' Windows code imports (only what it calls)."""
    pythoncom = _module(
        "pythoncom",
        __file__="pythoncom311.dll",
        CoInitialize=lambda: None,
        CoUninitialize=lambda: None,
        IID_IDispatch="{00020400-0000-0000-C000-000000000046}",
        TypeIIDs={"{00020400-0000-0000-C000-000000000046}": PyIDispatch},
        CoMarshalInterThreadInterfaceInStream=lambda iid, obj: _Stream(obj),
        CoGetInterfaceAndReleaseStream=lambda stream, iid: stream.obj,
        ole_error=com_error,
        com_error=com_error,
    )
    win32com = _module("win32com")
    client = _module(
        "win32com.client",
        Dispatch=_dispatch,
        DispatchEx=_dispatch,
        CDispatch=CDispatch,
        CoClassBaseClass=type("CoClassBaseClass", (), {}),
        DispatchBaseClass=type("DispatchBaseClass", (), {}),
    )
    client.gencache = _module("win32com.client.gencache", EnsureModule=lambda *a, **k: None)
    server = _module("win32com.server")
    util = _module("win32com.server.util", wrap=lambda obj, *a: obj, unwrap=_unwrap)
    server.util = util
    server.dispatcher = _module("win32com.server.dispatcher")
    server.policy = _module("win32com.server.policy", DefaultPolicy=object)
    server.exception = _module("win32com.server.exception", COMException=com_error)
    win32com.client, win32com.server = client, server
    return {
        "pywintypes": _module("pywintypes", com_error=com_error, error=com_error, TimeType=TimeType, IID=_iid),
        "pythoncom": pythoncom,
        "win32api": _module("win32api", MessageBox=lambda *a: 1, GetCurrentThreadId=lambda: 1),
        "win32con": _module("win32con", MB_OK=0, MB_OKCANCEL=1, MB_YESNOCANCEL=3, MB_YESNO=4,
                            MB_ICONINFORMATION=64, MB_ICONWARNING=48),
        "win32gui": _module("win32gui"),
        "win32event": _module("win32event"),
        "win32process": _module("win32process", GetWindowThreadProcessId=lambda hwnd: (1, 4242)),
        "win32timezone": _module("win32timezone", TimeZoneInfo=_TimeZoneInfo),
        "win32com": win32com,
        "win32com.client": client,
        "win32com.client.gencache": client.gencache,
        "win32com.server": server,
        "win32com.server.util": util,
        "win32com.server.dispatcher": server.dispatcher,
        "win32com.server.policy": server.policy,
        "win32com.server.exception": server.exception,
    }


class _WinDLLs:
    """ctypes.windll / ctypes.oledll: _xlwindows calls ole32.CLSIDFromString when it is imported."""

    def __getattr__(self, dll):
        return types.SimpleNamespace(CLSIDFromString=lambda *a: 0, GetTopWindow=lambda *a: 0)


class _PyDLL:
    """ctypes.PyDLL(pythoncom.__file__): _xlwindows looks up one pythoncom export when it is imported."""

    def __init__(self, path, *args, **kwargs):
        self.PyCom_PyObjectFromIUnknown = types.SimpleNamespace(restype=None)


# --- Excel's COM objects, as far as the dispatch touches them ----------------------------------------


def excel_value(value):
    """A Python cell value as pywin32 hands it over from Excel."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return TimeType(value.year, value.month, value.day, value.hour, value.minute, value.second, tzinfo=PYWIN_UTC)
    if isinstance(value, dt.date):
        return TimeType(value.year, value.month, value.day, tzinfo=PYWIN_UTC)
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"no Excel cell holds a {type(value).__name__}")


class _TypeInfo:
    def __init__(self, iid):
        self.iid = iid

    def GetTypeInfo(self):  # noqa: N802 - COM names
        return self

    def GetTypeAttr(self):  # noqa: N802
        return self


class ComWorkbook:
    """Excel's Workbook object (Name, FullName, Worksheets, Application)."""

    def __init__(self, name="Complaints_Register.xlsm", folder=r"C:\Complaints"):
        self.Name = name
        self.FullName = folder + "\\" + name
        self.Application = types.SimpleNamespace(Hwnd=1, Version="16.0")
        self.sheets: dict[str, ComWorksheet] = {}

    def add_sheet(self, name: str, rows=()) -> "ComWorksheet":
        sheet = self.sheets[name] = ComWorksheet(self, name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                sheet.cells[(r, c)] = excel_value(value)
        return sheet

    @property
    def Worksheets(self):  # noqa: N802 - a COM collection: called with a name, iterated, counted
        sheets = self.sheets

        class Worksheets:
            Count = len(sheets)

            def __call__(self, name):
                return sheets[name]

            Item = __call__

            def __iter__(self):
                return iter(list(sheets.values()))

        return Worksheets()


class ComWorksheet:
    def __init__(self, book: ComWorkbook, name: str):
        self.Parent, self.Name = book, name
        self.cells: dict[tuple[int, int], object] = {}

    def Range(self, first, last=None):  # noqa: N802
        if last is not None:  # Range(Cells(r, c), Cells(r2, c2))
            return ComRange(self, first.Row, first.Column, last.Row - first.Row + 1, last.Column - first.Column + 1)
        return ComRange.at(self, first)

    def Cells(self, row, column):  # noqa: N802
        return ComRange(self, row, column, 1, 1)


def _cell(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha()).upper()
    digits = "".join(ch for ch in address if ch.isdigit())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(digits), column


class ComRange:
    """Excel's Range object: what a range argument and Application.Caller are."""

    def __init__(self, sheet: ComWorksheet, row: int, column: int, rows: int, columns: int):
        self.Worksheet, self.Row, self.Column = sheet, row, column
        self.Rows, self.Columns = types.SimpleNamespace(Count=rows), types.SimpleNamespace(Count=columns)
        self._oleobj_ = _TypeInfo(_iid(RANGE_IID))
        self.CLSID = RANGE_IID
        self.reads = 0

    @classmethod
    def at(cls, sheet, address: str) -> "ComRange":
        first, _, last = address.replace("$", "").partition(":")
        r1, c1 = _cell(first)
        r2, c2 = _cell(last) if last else (r1, c1)
        return cls(sheet, r1, c1, r2 - r1 + 1, c2 - c1 + 1)

    @property
    def Count(self):  # noqa: N802
        return self.Rows.Count * self.Columns.Count

    @property
    def Address(self):  # noqa: N802
        def name(r, c):
            letters = ""
            while c:
                c, rem = divmod(c - 1, 26)
                letters = chr(65 + rem) + letters
            return f"${letters}${r}"

        last = name(self.Row + self.Rows.Count - 1, self.Column + self.Columns.Count - 1)
        first = name(self.Row, self.Column)
        return first if first == last else f"{first}:{last}"

    def GetAddress(self, *args):  # noqa: N802
        return self.Address

    @property
    def Value(self):  # noqa: N802
        """As pywin32 returns Range.Value: a bare value for one cell, else a tuple of row tuples."""
        self.reads += 1
        get = self.Worksheet.cells.get
        if self.Count == 1:
            return get((self.Row, self.Column))
        return tuple(
            tuple(get((r, c)) for c in range(self.Column, self.Column + self.Columns.Count))
            for r in range(self.Row, self.Row + self.Rows.Count)
        )


def range_of(rows, sheet_name="Register", top_left=(1, 1), book: ComWorkbook | None = None) -> ComRange:
    """A COM Range holding `rows` (Python values, converted as pywin32 would hand them)."""
    book = book or ComWorkbook()
    sheet = book.sheets.get(sheet_name) or book.add_sheet(sheet_name)
    r0, c0 = top_left
    width = max((len(r) for r in rows), default=1)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.cells[(r0 + r, c0 + c)] = excel_value(value)
    return ComRange(sheet, r0, c0, max(len(rows), 1), width)


def cell_values(result):
    """What Excel puts in the cells for a value CallUDF returns (through pywin32's VARIANT conversion)."""

    def one(value):
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                raise AssertionError(f"pywin32 is handed a datetime without a time zone: {value!r}")
            value = value.astimezone(UTC)
            return value.date() if value.time() == dt.time() else value.replace(tzinfo=None)
        if value is None or isinstance(value, (str, bool)) or type(value) is float:
            return value
        if type(value) is int:
            return float(value)
        raise AssertionError(f"pywin32 cannot hand a {type(value).__module__}.{type(value).__name__} to Excel: {value!r}")

    if isinstance(result, (list, tuple)):
        if result and isinstance(result[0], (list, tuple)):
            return [[one(v) for v in row] for row in result]
        return [one(v) for v in result]
    return one(result)


# --- the dispatch itself ------------------------------------------------------------------------------


class Excel:
    """xlwings' Windows UDF machinery, live in this process for the `with` block."""

    XLWINGS_MODULES = ("xlwings._xlwindows", "xlwings.udfs", "xlwings.com_server", "xlwings._win32patch")

    def __init__(self, module_name: str = "xl_complaints.udfs"):
        self.module_name = module_name
        self._saved: dict = {}

    def __enter__(self) -> "Excel":
        import xlwings

        self._xlwings = xlwings
        self._saved_modules = {name: sys.modules.get(name) for name in list(pywin32_modules()) + list(self.XLWINGS_MODULES)}
        self._saved_ctypes = {name: getattr(ctypes, name, None) for name in ("windll", "oledll")}
        self._saved_attrs = {name: getattr(xlwings, name, None) for name in ("func", "arg", "ret", "sub", "script")}
        self._saved_caller = xlwings.Book.__dict__.get("caller")
        sys.modules.update(pywin32_modules())
        ctypes.windll = ctypes.oledll = _WinDLLs()
        for name in self.XLWINGS_MODULES:
            sys.modules.pop(name, None)
        real_pydll, ctypes.PyDLL = ctypes.PyDLL, _PyDLL
        try:
            self.xlwindows = importlib.import_module("xlwings._xlwindows")
        finally:
            ctypes.PyDLL = real_pydll
        self.udfs = importlib.import_module("xlwings.udfs")
        self.com_server = importlib.import_module("xlwings.com_server")
        # what xlwings/__init__.py does on Windows
        self.engine = xlwings.Engine(impl=self.xlwindows.engine)
        self._saved_active = xlwings.engines.active
        xlwings.engines.add(self.engine)
        xlwings.engines.active = self.engine
        xlwings.func, xlwings.arg, xlwings.ret = self.udfs.xlfunc, self.udfs.xlarg, self.udfs.xlret
        xlwings.sub = xlwings.script = self.udfs.xlsub
        self.udfs.udf_modules.clear()
        self.module = self._reload()
        return self

    def _reload(self):
        """Re-import the UDF module under the decorators now in force, and the module its functions live in.

        `xl_complaints.udfs` (the name registers know) re-exports xl_complaints.excel.udfs, so both are
        reloaded, the implementation first, as a fresh Excel process would import them.
        """
        implementation = "xl_complaints.excel.udfs"
        if self.module_name != implementation and implementation in sys.modules:
            importlib.reload(sys.modules[implementation])
        return importlib.reload(importlib.import_module(self.module_name))

    def __exit__(self, *exc):
        xlwings = self._xlwings
        xlwings.engines.engines.remove(self.engine)
        xlwings.engines.engines_by_name.pop(self.engine.name, None)
        xlwings.engines.active = self._saved_active
        for name, value in self._saved_attrs.items():
            if value is None:
                xlwings.__dict__.pop(name, None)
            else:
                setattr(xlwings, name, value)
        if self._saved_caller is not None:
            xlwings.Book.caller = self._saved_caller
        for name, module in self._saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in self._saved_ctypes.items():
            if value is None:
                ctypes.__dict__.pop(name, None)
            else:
                setattr(ctypes, name, value)
        for name in self.XLWINGS_MODULES:
            if self._saved_modules.get(name) is None:
                xlwings.__dict__.pop(name.split(".")[-1], None)
        self._reload()
        return False

    # --- what 'Enable live formulas' does ---

    def functions(self) -> dict:
        """Every function ImportPythonUDFs would import from the module, by name."""
        return {n: getattr(self.module, n) for n in dir(self.module) if hasattr(getattr(self.module, n), "__xlfunc__")}

    def import_udfs(self, book_name: str = "Complaints_Register.xlsm"):
        """Run xlwings' own `import_udfs` against a stand-in workbook.

        Returns the VBA module text Excel would import and the MacroOptions
        calls (descriptions the function wizard shows).
        """
        imported, options = [], []

        class Components:
            def __call__(self, name):
                raise com_error(-2147352567, "no such module")  # no xlwings_udfs module yet

            def Remove(self, component):  # noqa: N802
                pass

            def Import(self, path):  # noqa: N802
                with open(path, encoding="utf-8") as f:
                    imported.append(f.read())

        class Application:
            Version = "16.0"

            def MacroOptions(self, macro, **kwargs):  # noqa: N802
                options.append((macro, kwargs))

        book = types.SimpleNamespace(
            Name=book_name, VBProject=types.SimpleNamespace(VBComponents=Components()), Application=Application()
        )
        self.udfs.udf_modules[self.module_name] = {"filename": self.module.__file__, "filetime": None, "module": self.module}
        out = io.StringIO()
        sys_stdout, sys.stdout = sys.stdout, out  # import_udfs prints one line when no logger is set up
        try:
            self.udfs.import_udfs(self.module_name, book)
        finally:
            sys.stdout = sys_stdout
        (text,) = imported
        return text, options

    # --- what a cell does ---

    def vba_arguments(self, name: str, args: tuple, module=None) -> list:
        """The Array(...) the generated VBA passes: omitted optionals as the missing marker, caller as Nothing."""
        info = getattr(module or self.module, name).__xlfunc__["args"]
        given = list(args)
        out = []
        for arg in info:
            if arg["name"] == "caller":
                out.append(None)  # VBA passes Nothing; call_udf puts the caller there
            elif given:
                out.append(given.pop(0))
            elif "optional" in arg:
                out.append(MISSING)
            else:
                raise TypeError(f"{name} needs its argument {arg['name']}: Excel would say #VALUE!")
        if given:
            raise TypeError(f"{name} was given too many arguments: Excel would not accept the formula")
        return out

    def call(self, name: str, *args, caller: ComRange | None = None, workbook: ComWorkbook | None = None, module=None):
        """A worksheet cell calling `name(args...)`: through XLPython.CallUDF, as Excel's DLL does.

        `module`: another imported module of @xw.func functions (the benchmark's baseline).
        """
        if caller is None:
            ranges = [a for a in args if isinstance(a, ComRange)]
            book = workbook or (ranges[0].Worksheet.Parent if ranges else ComWorkbook())
            sheet = book.sheets.get("Register") or book.add_sheet("Register")
            caller = ComRange(sheet, 10, 70, 1, 1)
        workbook = workbook or caller.Worksheet.Parent
        server = self.com_server.XLPython()
        module_name = module.__name__ if module is not None else self.module_name
        return server.CallUDF(module_name, name, tuple(self.vba_arguments(name, args, module)), workbook, caller)

    def run_macro(self, name: str, workbook: ComWorkbook, button: str = "Button 2"):
        """A button calling an @xw.sub: `XLPy.CallUDF module, name, Array(), ThisWorkbook, Application.Caller`."""
        server = self.com_server.XLPython()
        return server.CallUDF(self.module_name, name, tuple(self.vba_arguments(name, ())), workbook, button)


@contextmanager
def excel(module_name: str = "xl_complaints.udfs"):
    with Excel(module_name) as xl:
        yield xl


# --- the open workbook through xlwings' API, for the buttons' macros ----------------------------------------
# A macro gets the workbook from xw.Book.caller(). These stand-ins offer only what udfs.ExcelSession
# uses, with xlwings' semantics: reading gives a scalar for one cell, a list for one row or column and
# a list of rows otherwise (options(ndim=2): always rows), empty cells as None, numbers as floats,
# dates as datetimes; writing a list of rows fills from the top-left cell; text Excel would take for a
# formula becomes one (which is why the session writes such text with a leading apostrophe).

CALCULATION_MODES = ("automatic", "manual", "semiautomatic")  # xlwings' calculation_s2i keys


def _address(r1, c1, r2, c2) -> str:
    def name(r, c):
        letters = ""
        while c:
            c, rem = divmod(c - 1, 26)
            letters = chr(65 + rem) + letters
        return f"${letters}${r}"

    return name(r1, c1) if (r1, c1) == (r2, c2) else f"{name(r1, c1)}:{name(r2, c2)}"


def _stored(value):
    """A written value as Excel keeps it (and xlwings reads it back)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return None if value == "" else value
    raise TypeError(f"xlwings cannot write a {type(value).__name__} to a cell")


class BookRange:
    def __init__(self, sheet: "BookSheet", r1: int, c1: int, r2: int, c2: int, ndim=None):
        self.sheet, self.ndim = sheet, ndim
        self.r1, self.c1, self.r2, self.c2 = min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)

    # where
    @property
    def row(self):
        return self.r1

    @property
    def column(self):
        return self.c1

    @property
    def count(self):
        return (self.r2 - self.r1 + 1) * (self.c2 - self.c1 + 1)

    @property
    def address(self):
        return _address(self.r1, self.c1, self.r2, self.c2)

    def options(self, ndim=None, **kwargs):
        if kwargs:
            raise TypeError(f"the stand-in does not offer the options {sorted(kwargs)}")
        return BookRange(self.sheet, self.r1, self.c1, self.r2, self.c2, ndim=ndim)

    def end(self, direction):
        """Ctrl+Up from this cell: the last filled cell above it (row 1 when there is none)."""
        if direction != "up":
            raise TypeError("the stand-in only goes up")
        filled = [r for (r, c) in self.sheet.cells if c == self.c1 and r < self.r1]
        return BookRange(self.sheet, max(filled, default=1), self.c1, max(filled, default=1), self.c1)

    @property
    def api(self):
        sheet, box = self.sheet, (self.r1, self.c1, self.r2, self.c2)

        def special_cells(kind):
            if kind != 12:  # xlCellTypeVisible
                raise TypeError("the stand-in only knows visible cells")
            rows = [r for r in range(box[0], box[2] + 1) if r not in sheet.hidden_rows]
            return types.SimpleNamespace(Address=",".join(_address(r, box[1], r, box[3]) for r in rows))

        return types.SimpleNamespace(SpecialCells=special_cells)

    # values
    @property
    def value(self):
        rows = [[self.sheet.cells.get((r, c)) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]
        if self.ndim == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if len(rows[0]) == 1:
            return [r[0] for r in rows]
        return rows

    @value.setter
    def value(self, data):
        if not isinstance(data, (list, tuple)):
            for r in range(self.r1, self.r2 + 1):
                for c in range(self.c1, self.c2 + 1):
                    self.sheet.put(r, c, data)
            return
        rows = data if data and isinstance(data[0], (list, tuple)) else [data]
        if len({len(r) for r in rows}) > 1:
            raise Exception("All elements of a 2d list or tuple must be of the same length")  # xlwings' own check
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.put(self.r1 + i, self.c1 + j, v)

    def clear_contents(self):
        for key in [k for k in self.sheet.cells if self.r1 <= k[0] <= self.r2 and self.c1 <= k[1] <= self.c2]:
            del self.sheet.cells[key]
        self.sheet.formulas = {k: f for k, f in self.sheet.formulas.items()
                               if not (self.r1 <= k[0] <= self.r2 and self.c1 <= k[1] <= self.c2)}
        self.sheet.arrays = [a for a in self.sheet.arrays if not self._overlaps(a[0])]

    def _overlaps(self, box):
        return not (box[2] < self.r1 or box[0] > self.r2 or box[3] < self.c1 or box[1] > self.c2)

    @property
    def number_format(self):
        return self.sheet.formats.get((self.r1, self.c1), "General")

    @number_format.setter
    def number_format(self, text):
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.formats[(r, c)] = text

    @property
    def formula_array(self):
        for box, formula in self.sheet.arrays:
            if box[0] <= self.r1 <= box[2] and box[1] <= self.c1 <= box[3]:
                return formula
        return self.sheet.formulas.get((self.r1, self.c1), "")

    @formula_array.setter
    def formula_array(self, formula):
        if any(self._overlaps(box) for box, _ in self.sheet.arrays):
            raise Exception("You can't change part of an array.")  # what Excel says
        self.sheet.arrays.append(((self.r1, self.c1, self.r2, self.c2), formula))


class BookSheet:
    def __init__(self, book: "Book", name: str):
        self.book, self.name = book, name
        self.cells: dict = {}
        self.formulas: dict = {}
        self.formats: dict = {}
        self.arrays: list = []
        self.tables: dict = {}
        self.hidden_rows: set = set()

    def put(self, r, c, value):
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
            self.formulas[(r, c)] = value  # Excel takes it for a formula
            self.cells.pop((r, c), None)
            return
        if isinstance(value, str) and value.startswith("'"):
            value = value[1:]  # the apostrophe only says "text"
        stored = _stored(value)
        self.formulas.pop((r, c), None)
        if stored is None:
            self.cells.pop((r, c), None)
        else:
            self.cells[(r, c)] = stored

    def range(self, first, last=None):
        if isinstance(first, tuple):
            r1, c1 = first
            r2, c2 = last if last is not None else first
            return BookRange(self, r1, c1, r2, c2)
        start, _, end = first.replace("$", "").partition(":")
        r1, c1 = _cell(start)
        r2, c2 = _cell(end) if end else (r1, c1)
        return BookRange(self, r1, c1, r2, c2)

    def fill(self, rows, top_left=(1, 1)):
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.put(top_left[0] + i, top_left[1] + j, v)


class BookApp:
    def __init__(self):
        self._calculation = "automatic"
        self.calculations = 0
        self.alerts: list = []
        self.answer = "ok"
        self.status_bar = False
        self.selection = None
        self.on_calculate = None

    @property
    def calculation(self):
        return self._calculation

    @calculation.setter
    def calculation(self, mode):
        if mode not in CALCULATION_MODES:
            raise KeyError(mode)  # xlwings' calculation_s2i[value]
        self._calculation = mode

    def calculate(self):
        self.calculations += 1
        if self.on_calculate:
            self.on_calculate()

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        if buttons not in (None, "ok", "ok_cancel", "yes_no", "yes_no_cancel"):
            raise KeyError(buttons)
        self.alerts.append((title, prompt, buttons))
        return "ok" if buttons in (None, "ok") else self.answer


class Book:
    """The open register as xlwings' Book shows it to a macro (only what the buttons use)."""

    def __init__(self, fullname=r"C:\Complaints\Complaints_Register.xlsm"):
        self.fullname = fullname
        self.name = fullname.replace("/", "\\").split("\\")[-1]
        self.app = BookApp()
        self._sheets: dict[str, BookSheet] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self.com = ComWorkbook(self.name)  # what ThisWorkbook is in the VBA call

    def add_sheet(self, name) -> BookSheet:
        self._sheets[name] = BookSheet(self, name)
        return self._sheets[name]

    @property
    def sheets(self):
        return self._sheets  # sheets["Register"], as xlwings (a missing sheet raises)

    def define_name(self, name, sheet, address):
        self._names[name] = (sheet, address)

    @property
    def names(self):
        book = self

        class Names:
            def __getitem__(self, name):
                sheet, address = book._names[name]
                return types.SimpleNamespace(name=name, refers_to_range=book._sheets[sheet].range(address))

        return Names()


def run_button(xl: Excel, macro: str, book: Book):
    """A button on the open register: XLPy.CallUDF with ThisWorkbook; the macro's xw.Book.caller() is `book`."""
    import xlwings

    def caller(cls):
        assert xl.xlwindows.BOOK_CALLER is book.com, "call_udf did not hand the macro the workbook the VBA passed"
        return book

    xlwings.Book.caller = classmethod(caller)
    xl.xlwindows.BOOK_CALLER = None
    return xl.run_macro(macro, book.com)
