"""Excel in and out: offices keep and mail their 台账 as .xlsx, so luoshi reads the
sheets they already have (`luoshi import`) and hands back a workbook they can open
(`luoshi export`).  Everything here uses openpyxl, a declared dependency.

The importer and the exporter share one vocabulary of column headers (`columns`),
so a workbook luoshi writes is always one luoshi can read back.
"""

from __future__ import annotations

import os
import sys
import threading

_IMPORT = threading.Lock()


def openpyxl_ready() -> None:
    """Import openpyxl, the first time, parsing with the standard library's expat.

    openpyxl parses with lxml when lxml is installed (python-docx, the `docx` extra,
    brings it) and with expat otherwise, and the two read hostile workbooks
    differently.  `excel.guard` vets every part with expat before loading; the load
    should then use the same parser, whatever else is installed.  openpyxl reads
    OPENPYXL_LXML once, when it is first imported: luoshi sets it to False around that
    import only, and restores it (a program calling luoshi keeps its environment, and
    so do its subprocesses).  Every function of luoshi that imports openpyxl calls
    this first (tests/test_api_host.py holds them to it).

    A program that imported openpyxl itself before (pandas does) keeps its choice:
    with lxml, openpyxl still streams the sheets' cells through expat (`iterparse`),
    and parses the small parts (workbook, styles, relationships, comments) with lxml
    without resolving entities — after the guard has refused any DTD and bounded every
    part's size, so nothing reaches lxml that expat did not read whole."""
    if "openpyxl" in sys.modules:
        return
    with _IMPORT:
        if "openpyxl" in sys.modules:
            return
        before = os.environ.get("OPENPYXL_LXML")
        os.environ["OPENPYXL_LXML"] = "False"
        try:
            import openpyxl  # noqa: F401
        finally:
            if before is None:
                os.environ.pop("OPENPYXL_LXML", None)
            else:
                os.environ["OPENPYXL_LXML"] = before
