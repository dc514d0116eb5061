"""Excel workbooks: book.py is the toolkit (cells, formats, tables, print setup, saving), charts.py
the native charts, report.py the monthly workbook (overview.py its 总览, projects.py its project
sheets, parts.py what they share), template.py the ledger template."""

from __future__ import annotations

from wuhai_zs.render.excel.book import check_target
from wuhai_zs.render.excel.report import REPORT_SHEETS, build_report, report_name, write_report
from wuhai_zs.render.excel.template import build_template, write_template

__all__ = [
    "REPORT_SHEETS",
    "build_report",
    "build_template",
    "check_target",
    "report_name",
    "write_report",
    "write_template",
]
