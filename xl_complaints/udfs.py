"""The name Excel knows: every register's xlwings.conf sheet says `UDF Modules: xl_complaints.udfs`.

The functions live in xl_complaints/excel/udfs.py; this module re-exports them,
so every register, whichever version built it, keeps its live formulas and
buttons when the code moves. xlwings finds them here by the marks its
decorators leave (`__xlfunc__`), which travel with the functions.
"""

from .excel.udfs import *  # noqa: F401,F403
