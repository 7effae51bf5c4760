"""Excel in and out: offices keep and mail their 台账 as .xlsx, so luoshi reads the
sheets they already have (`luoshi import`) and hands back a workbook they can open
(`luoshi export`).  Everything here uses openpyxl, a declared dependency.

The importer and the exporter share one vocabulary of column headers (`columns`),
so a workbook luoshi writes is always one luoshi can read back.
"""

import os

# openpyxl parses with lxml when lxml is installed (python-docx, the `docx` extra, brings
# it) and with the standard library's expat otherwise, and the two read hostile
# workbooks differently.  `excel.guard` vets every part with expat before loading; the
# load itself must then use the same parser, whatever else is installed.  openpyxl reads
# this once, when it is first imported: every luoshi module that imports it is in here.
os.environ["OPENPYXL_LXML"] = "False"
