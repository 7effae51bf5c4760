"""Excel in and out: offices keep and mail their 台账 as .xlsx, so luoshi reads the
sheets they already have (`luoshi import`) and hands back a workbook they can open
(`luoshi export`).  Everything here uses openpyxl, a declared dependency.

The importer and the exporter share one vocabulary of column headers (`columns`),
so a workbook luoshi writes is always one luoshi can read back.
"""
