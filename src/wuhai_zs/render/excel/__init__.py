"""Excel workbooks: the monthly report and the ledger template."""

# book.py: the toolkit (safe cells, formats, tables, print setup, reproducible save);
# charts.py: native charts; report.py: the monthly workbook and its sheets, with overview.py
# (总览) and projects.py (project sheets) and parts.py (what they share); template.py: the
# ledger template.

from __future__ import annotations

from wuhai_zs.render.excel.report import REPORT_SHEETS, build_report, report_name, write_report
from wuhai_zs.render.excel.template import build_template, write_template

__all__ = [
    "REPORT_SHEETS",
    "build_report",
    "build_template",
    "report_name",
    "write_report",
    "write_template",
]
