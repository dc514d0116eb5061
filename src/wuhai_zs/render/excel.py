"""Workbooks: the monthly report and the ledger template.

Everything that touches openpyxl lives here: text cells that can never become formulas, number
formats, column widths that fit Chinese text, frozen and filtered headers, conditional
formatting of status cells, A4 landscape print setup, native charts, and an atomic,
byte-for-byte reproducible save.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from wuhai_zs.errors import UsageError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

    from wuhai_zs.metrics.report import MonthReport
    from wuhai_zs.plan.model import Plan

# ---------------------------------------------------------------- number formats
YI = "#,##0.00"           # 亿元, two decimals
WAN = "#,##0.00"          # 万元
PER_MU = "#,##0.00"       # 万元/亩
PCT = "0.0%"
PCT2 = "0.00%"
INT = "#,##0"
DATE = "yyyy-mm-dd"
SHARE = "0%"

FORMAT_BY_UNIT = {"亿元": YI, "万元": WAN, "万元/亩": PER_MU, "比率": PCT2, "万美元": WAN}

# ---------------------------------------------------------------- styles
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=11)
HEADER_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_ALIGN = Alignment(vertical="top", wrap_text=True)
TOP_ALIGN = Alignment(vertical="top")

# Conditional formatting: (text in the cell, font colour, fill colour).
STATUS_COLOURS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "status": (("已完成", "006100", "C6EFCE"), ("符合序时", "375623", "E2EFDA"),
               ("落后序时", "9C5700", "FFEB9C"), ("未完成", "9C0006", "FFC7CE"),
               ("无数据", "7F7F7F", "EDEDED")),
    "level": (("红色", "9C0006", "FFC7CE"), ("黄色", "9C5700", "FFEB9C")),
    "severity": (("错误", "9C0006", "FFC7CE"), ("警告", "9C5700", "FFEB9C")),
}

MIN_WIDTH = 6
MAX_WIDTH = 60
LINE_HEIGHT = 15.0          # points per text line (CJK glyphs need a little more than 14.25)
CHART_COL_WIDTH_CM = 0.19   # one character of column width, in cm (approximately)
ROW_HEIGHT_CM = 0.53


# ---------------------------------------------------------------- safe cells
def clean_text(text: str) -> str:
    """A ledger string as a cell can hold it: control characters other than tab/CR/LF removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _plain(value: Any) -> Any:
    """A Python/pandas/numpy value as a cell value (None for missing)."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, int | dt.datetime | dt.date):
        return value
    # pandas / numpy scalars without importing them here
    if hasattr(value, "to_pydatetime"):
        try:
            return value.to_pydatetime().replace(tzinfo=None)
        except ValueError:          # NaT
            return None
    if hasattr(value, "item"):
        return _plain(value.item())
    try:
        if value != value:          # NA-like
            return None
    except TypeError:
        return None
    return clean_text(str(value))


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Cell:
    """Write one cell. A string is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    plain = _plain(value)
    cell.value = plain
    if isinstance(plain, str):
        cell.data_type = "s"
    elif fmt and plain is not None:
        cell.number_format = fmt
    if isinstance(plain, dt.date) and not fmt:
        cell.number_format = DATE
    return cell


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shown(value: Any, fmt: str | None) -> str:
    """Roughly what Excel shows for a value in a format (for sizing columns)."""
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, str):
        return max(plain.split("\n"), key=display_width) if "\n" in plain else plain
    if isinstance(plain, dt.datetime | dt.date):
        return "2025-09-30"
    if isinstance(plain, int | float):
        if fmt in (PCT, PCT2, SHARE):
            return f"{plain:.2%}" if fmt == PCT2 else f"{plain:.1%}"
        if fmt == INT or (fmt is None and isinstance(plain, int)):
            return f"{plain:,.0f}"
        return f"{plain:,.2f}"
    return str(plain)


# ---------------------------------------------------------------- sheet layout
@dataclass(frozen=True)
class Col:
    header: str
    fmt: str | None = None      # None: text
    cap: int = 40               # widest the column may get; longer text wraps
    colour: str | None = None   # a STATUS_COLOURS key: conditional formatting on this column


@dataclass
class Sheet:
    """One worksheet written top to bottom: titles, tables, notes; finished once at the end."""

    ws: Worksheet
    row: int = 1
    widths: dict[int, int] = field(default_factory=dict)
    caps: dict[int, int] = field(default_factory=dict)
    wrapped: list[tuple[int, int, str]] = field(default_factory=list)
    header_row: int | None = None
    last_col: int = 1
    charts_bottom: int = 0

    @classmethod
    def new(cls, wb: Workbook, name: str) -> Sheet:
        return cls(wb.create_sheet(name))

    def _measure(self, col: int, text: str, cap: int) -> None:
        width = display_width(text)
        if width > cap:
            self.wrapped.append((self.row, col, text))
            width = cap
        self.widths[col] = max(self.widths.get(col, 0), width)
        self.caps[col] = max(self.caps.get(col, 0), cap)
        self.last_col = max(self.last_col, col)

    def title(self, text: str, note: str | None = None) -> None:
        put(self.ws, self.row, 1, text).font = TITLE_FONT
        self.ws.row_dimensions[self.row].height = 22
        self.row += 1
        if note:
            put(self.ws, self.row, 1, note).font = NOTE_FONT
            self.row += 1
        self.row += 1

    def section(self, text: str) -> None:
        put(self.ws, self.row, 1, text).font = SECTION_FONT
        self.row += 1

    def note(self, text: str, cap: int = 120) -> None:
        cell = put(self.ws, self.row, 1, text)
        cell.font = NOTE_FONT
        if display_width(text) > cap:
            # long notes wrap across a merged band instead of widening column A
            cols = max(self.last_col, 8)
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                                end_column=cols)
            cell.alignment = WRAP_ALIGN
            lines = math.ceil(display_width(text) / max(sum(self._width(c) for c in
                                                            range(1, cols + 1)), 40))
            self.ws.row_dimensions[self.row].height = LINE_HEIGHT * max(lines, 1)
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def table(self, cols: Sequence[Col], rows: Iterable[Sequence[Any]], *, main: bool = False,
              total_rows: int = 0, row_formats: Sequence[Sequence[str | None]] | None = None
              ) -> tuple[int, int]:
        """A bordered table with a header row; returns (header row, last data row).

        `main` makes it the sheet's frozen, filtered table whose header repeats on every
        printed page. The last `total_rows` rows are shaded as totals. `row_formats` overrides
        the column formats row by row (a targets table mixes 亿元 and percentages).
        """
        ws = self.ws
        header = self.row
        for c, col in enumerate(cols, start=1):
            cell = put(ws, header, c, col.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = HEADER_ALIGN
            # headers wrap at a natural width rather than widening the column alone
            self.widths[c] = max(self.widths.get(c, 0), min(display_width(col.header), 12))
            self.caps[c] = max(self.caps.get(c, 0), col.cap)
            self.last_col = max(self.last_col, c)
        self.row += 1
        data = [list(r) for r in rows]
        for i, values in enumerate(data):
            formats = row_formats[i] if row_formats is not None else None
            for c, col in enumerate(cols, start=1):
                value = values[c - 1] if c - 1 < len(values) else None
                fmt = formats[c - 1] if formats is not None and formats[c - 1] else col.fmt
                cell = put(ws, self.row, c, value, fmt)
                cell.border = BORDER
                text = shown(value, fmt)
                if col.fmt is None and display_width(text) > col.cap:
                    cell.alignment = WRAP_ALIGN
                else:
                    cell.alignment = TOP_ALIGN
                if i >= len(data) - total_rows:
                    cell.fill = TOTAL_FILL
                    cell.font = HEADER_FONT
                self._measure(c, text, col.cap)
            self.row += 1
        last = self.row - 1
        for c, col in enumerate(cols, start=1):
            if col.colour and data:
                letter = get_column_letter(c)
                colour(ws, f"{letter}{header + 1}:{letter}{last}", col.colour)
        if main:
            self.header_row = header
            ws.freeze_panes = ws.cell(row=header + 1, column=1)
            end = max(last, header + 1)
            ws.auto_filter.ref = f"A{header}:{get_column_letter(len(cols))}{end}"
            ws.print_title_rows = f"{header}:{header}"
        self.row += 1
        return header, last

    def pairs(self, items: Sequence[tuple[str, Any]], cap: int = 90) -> None:
        """Label/value lines (the 说明 sheet)."""
        for label, value in items:
            cell = put(self.ws, self.row, 1, label)
            cell.font = HEADER_FONT
            cell.alignment = TOP_ALIGN
            self._measure(1, label, 24)
            text = shown(value, None)
            value_cell = put(self.ws, self.row, 2, value)
            value_cell.alignment = WRAP_ALIGN if display_width(text) > cap else TOP_ALIGN
            self._measure(2, text, cap)
            self.row += 1
        self.row += 1

    def chart(self, chart: ChartBase, col: int, row: int | None = None,
              width_cm: float = 17.0, height_cm: float = 8.5) -> None:
        """A native chart anchored at (row, col); the print area grows to include it."""
        chart.width = width_cm
        chart.height = height_cm
        top = row or self.row
        self.ws.add_chart(chart, f"{get_column_letter(col)}{top}")
        rows_taken = math.ceil(height_cm / ROW_HEIGHT_CM) + 1
        self.charts_bottom = max(self.charts_bottom, top + rows_taken)
        right = col
        used = 0.0
        while used < width_cm:
            used += (self._width(right) + 0.7) * CHART_COL_WIDTH_CM
            right += 1
        self.last_col = max(self.last_col, right - 1)
        if row is None:
            self.row = top + rows_taken + 1

    def _width(self, col: int) -> float:
        return min(max(self.widths.get(col, MIN_WIDTH - 2) + 2, MIN_WIDTH),
                   self.caps.get(col, MAX_WIDTH) + 2)

    def finish(self) -> None:
        ws = self.ws
        for col in range(1, self.last_col + 1):
            ws.column_dimensions[get_column_letter(col)].width = self._width(col)
        heights: dict[int, float] = {}
        for row, col, text in self.wrapped:
            chars = max(self._width(col) - 1.5, 1)
            lines = sum(max(1, math.ceil(display_width(part) / chars))
                        for part in text.split("\n"))
            heights[row] = max(heights.get(row, LINE_HEIGHT), LINE_HEIGHT * lines)
        for row, height in heights.items():
            ws.row_dimensions[row].height = height
        bottom = max(self.row - 1, self.charts_bottom, 1)
        ws.print_area = f"A1:{get_column_letter(self.last_col)}{bottom}"
        print_setup(ws)


def colour(ws: Worksheet, ref: str, scheme: str) -> None:
    """Conditional formatting: each status text gets its colours."""
    first = ref.split(":")[0]
    for text, font, fill in STATUS_COLOURS[scheme]:
        ws.conditional_formatting.add(ref, CellIsRule(
            operator="equal", formula=[f'"{text}"'], font=Font(color=font),
            fill=PatternFill("solid", start_color=fill, end_color=fill)))
    del first


def print_setup(ws: Worksheet) -> None:
    """A4 landscape, fitted to the page width, any number of pages tall, page numbers below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"


# ---------------------------------------------------------------- saving
class _StableZip(zipfile.ZipFile):
    """A zip whose members carry a fixed timestamp, so equal workbooks are equal bytes."""

    stamp: tuple[int, int, int, int, int, int] = (2000, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def workbook_bytes(wb: Workbook, stamp: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes; properties and zip entries dated `stamp`, never 'now'."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "wuhai-zs"
    wb.properties.lastModifiedBy = "wuhai-zs"
    buffer = io.BytesIO()
    archive = _StableZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.stamp = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def check_target(path: Path) -> None:
    """An --output file: its folder must exist and it must be an .xlsx file."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: 输出文件应以 .xlsx 结尾")
    if not path.parent.is_dir():
        raise UsageError(f"{path}: 目录 {path.parent} 不存在（请先创建，或换一个位置）")
    if path.is_dir():
        raise UsageError(f"{path}: 是一个文件夹，不能作为输出文件")


def atomic_write(path: Path, build: Callable[[], bytes]) -> None:
    """Build the bytes, write them to a temporary file beside `path`, then rename into place.

    If building or writing fails, `path` is untouched (an old file stays as it was) and no
    temporary file is left behind.
    """
    data = build()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save(wb_builder: Callable[[], Workbook], path: Path, stamp: dt.datetime) -> None:
    """Build a workbook and save it atomically at `path` (see atomic_write)."""
    try:
        atomic_write(path, lambda: workbook_bytes(wb_builder(), stamp))
    except PermissionError as exc:
        raise UsageError(f"{path}: 无法写入（{exc.strerror}；文件是否在 Excel 中打开？）") from exc
    except OSError as exc:
        raise UsageError(f"{path}: 无法写入（{exc.strerror or exc}）") from exc


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# ---------------------------------------------------------------- the monthly report
def report_stamp(report: MonthReport) -> dt.datetime:
    return dt.datetime.combine(report.as_of_date, dt.time())


def write_report(report: MonthReport, path: Path) -> None:
    """The month's workbook at `path`, written atomically."""
    from wuhai_zs.render import report_sheets

    save(lambda: report_sheets.build(report), path, report_stamp(report))


# ---------------------------------------------------------------- the ledger template
def write_template(plan: Plan, path: Path) -> None:
    from wuhai_zs.render import template_sheets

    stamp = dt.datetime.combine(plan.start, dt.time())
    save(lambda: template_sheets.build(plan), path, stamp)
