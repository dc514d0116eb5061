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

from wuhai_zs.errors import UsageError, os_reason

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

    from wuhai_zs.metrics.report import MonthReport
    from wuhai_zs.plan.model import Plan

# ---------------------------------------------------------------- number formats
YI = "#,##0.00"  # 亿元, two decimals
WAN = "#,##0.00"  # 万元
PER_MU = "#,##0.00"  # 万元/亩
PCT = "0.0%"
PCT2 = "0.00%"
INT = "#,##0"
DATE = "yyyy-mm-dd"
SHARE = "0%"

FORMAT_BY_UNIT = {"亿元": YI, "万元": WAN, "万元/亩": PER_MU, "比率": PCT2, "万美元": WAN}

# ---------------------------------------------------------------- styles
FONT = "Calibri"  # the workbook's default; CJK text falls back to the system's CJK font
TITLE_FONT = Font(name=FONT, bold=True, size=14)
SECTION_FONT = Font(name=FONT, bold=True, size=11)
HEADER_FONT = Font(name=FONT, bold=True, size=11)
TOTAL_FONT = Font(name=FONT, bold=True, size=11)
NOTE_FONT = Font(name=FONT, color="595959", size=10)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_ALIGN = Alignment(vertical="top", wrap_text=True)
TOP_ALIGN = Alignment(vertical="top")

# Conditional formatting: (text in the cell, font colour, fill colour).
STATUS_COLOURS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "status": (
        ("已完成", "006100", "C6EFCE"),
        ("符合序时", "375623", "E2EFDA"),
        ("落后序时", "9C5700", "FFEB9C"),
        ("未完成", "9C0006", "FFC7CE"),
        ("待数据", "1F4E79", "DDEBF7"),
        ("无数据", "7F7F7F", "EDEDED"),
    ),
    "level": (("红色", "9C0006", "FFC7CE"), ("黄色", "9C5700", "FFEB9C")),
    "severity": (("错误", "9C0006", "FFC7CE"), ("警告", "9C5700", "FFEB9C")),
}

MIN_WIDTH = 6
DEFAULT_WIDTH = 9.0  # a column nothing was written to
HEADER_WRAP = 14  # headers wider than this break before their unit
# A CJK glyph is a little wider than two digits in Excel's default fonts: widths get slack.
GLYPH_SLACK = 1.08
LINE_HEIGHT = 15.0  # points per text line (CJK glyphs need a little more than 14.25)
CHART_COL_WIDTH_CM = 0.19  # one character of column width, in cm (approximately)
ROW_HEIGHT_CM = 0.53


# ---------------------------------------------------------------- safe cells
MAX_CELL_TEXT = 32767  # Excel's limit; a longer text makes Excel "repair" the workbook


def clean_text(text: str) -> str:
    """A ledger string as a cell can hold it.

    Control characters other than tab, CR and LF are removed (XML cannot carry them) and a text
    longer than Excel allows is cut, with an ellipsis.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def _plain(value: Any) -> Any:
    """A Python/pandas/numpy value as a cell value (None for missing or not finite)."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    try:
        if value != value:  # NaN, NaT
            return None
    except TypeError:  # pd.NA
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        if hasattr(value, "to_pydatetime"):  # pandas Timestamp
            value = value.to_pydatetime()
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return int(value)
    # numpy scalars without importing numpy here
    if hasattr(value, "to_pydatetime"):
        return _plain(value.to_pydatetime())
    if hasattr(value, "item"):
        return _plain(value.item())
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
    fmt: str | None = None  # None: text
    cap: int = 40  # widest the column may get; longer text wraps
    colour: str | None = None  # a STATUS_COLOURS key: conditional formatting on this column


@dataclass
class Sheet:
    """One worksheet written top to bottom: titles, tables, notes; finished once at the end.

    Column widths come from what was written (CJK counts 2), capped per column; text longer
    than its column wraps, and `finish` gives such rows the height their lines need.
    """

    ws: Worksheet
    row: int = 1
    need: dict[int, int] = field(default_factory=dict)
    caps: dict[int, int] = field(default_factory=dict)
    wrapped: list[tuple[int, int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    span: int = 0  # widest title, so the print area does not cut it
    last_col: int = 1
    charts_bottom: int = 0

    @classmethod
    def new(cls, wb: Workbook, name: str) -> Sheet:
        return cls(wb.create_sheet(name))

    def _measure(self, row: int, col: int, text: str, cap: int, wrap: bool = True) -> None:
        width = max((display_width(line) for line in text.split("\n")), default=0)
        if wrap and (width > cap or "\n" in text):
            self.wrapped.append((row, col, text))
        self.need[col] = max(self.need.get(col, 0), min(width, cap))
        self.caps[col] = max(self.caps.get(col, 0), cap)
        self.last_col = max(self.last_col, col)

    def title(self, text: str, note: str | None = None) -> None:
        put(self.ws, self.row, 1, text).font = TITLE_FONT
        self.ws.row_dimensions[self.row].height = 22
        self.span = max(self.span, round(display_width(text) * 1.35))
        self.row += 1
        if note:
            self.note(note)
        self.row += 1

    def section(self, text: str) -> None:
        put(self.ws, self.row, 1, text).font = SECTION_FONT
        self.span = max(self.span, display_width(text))
        self.row += 1

    def note(self, text: str) -> None:
        """A line of explanation; a long one wraps across the sheet's width (see finish)."""
        put(self.ws, self.row, 1, text).font = NOTE_FONT
        self.notes.append((self.row, text))
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def page_break(self) -> None:
        """Start a new printed page here (so a table and its chart are not split)."""
        from openpyxl.worksheet.pagebreak import Break

        self.ws.row_breaks.append(Break(id=self.row - 1))

    def table(
        self,
        cols: Sequence[Col],
        rows: Iterable[Sequence[Any]],
        *,
        main: bool = False,
        repeat: bool = False,
        total_rows: int = 0,
        row_formats: Sequence[Sequence[str | None]] | None = None,
    ) -> tuple[int, int]:
        """A bordered table with a header row; returns (header row, last data row).

        `main` makes it the sheet's frozen, filtered table; `repeat` prints its header on every
        page (for a long list that is the sheet's last table). The last `total_rows` rows are shaded as totals. `row_formats` overrides
        the column formats row by row (a targets table mixes 亿元 and percentages).
        """
        ws = self.ws
        header = self.row
        for c, col in enumerate(cols, start=1):
            text = header_text(col.header)
            cell = put(ws, header, c, text)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = HEADER_ALIGN
            self._measure(header, c, text, max(col.cap, HEADER_WRAP))
        self.row += 1
        data = [list(r) for r in rows]
        for i, values in enumerate(data):
            formats = row_formats[i] if row_formats is not None else None
            total = i >= len(data) - total_rows
            for c, col in enumerate(cols, start=1):
                value = values[c - 1] if c - 1 < len(values) else None
                fmt = formats[c - 1] if formats is not None and formats[c - 1] else col.fmt
                cell = put(ws, self.row, c, value, fmt)
                cell.border = BORDER
                text = shown(value, fmt)
                long = isinstance(_plain(value), str) and display_width(text) > col.cap
                cell.alignment = WRAP_ALIGN if long else TOP_ALIGN
                if total:
                    cell.fill = TOTAL_FILL
                    cell.font = TOTAL_FONT
                self._measure(self.row, c, text, col.cap, wrap=long)
            self.row += 1
        last = self.row - 1
        for c, col in enumerate(cols, start=1):
            if col.colour and data:
                letter = get_column_letter(c)
                colour(ws, f"{letter}{header + 1}:{letter}{last}", col.colour)
        if main:
            ws.freeze_panes = ws.cell(row=header + 1, column=1)
            end = max(last, header + 1)
            ws.auto_filter.ref = f"A{header}:{get_column_letter(len(cols))}{end}"
        if repeat:
            ws.print_title_rows = f"{header}:{header}"
        self.row += 1
        return header, last

    def pairs(self, items: Sequence[tuple[str, Any]], cap: int = 64) -> None:
        """Label/value lines (the 说明 sheet)."""
        for label, value in items:
            cell = put(self.ws, self.row, 1, label)
            cell.font = HEADER_FONT
            cell.alignment = TOP_ALIGN
            self._measure(self.row, 1, label, 24)
            text = shown(value, None)
            value_cell = put(self.ws, self.row, 2, value)
            long = display_width(text) > cap
            value_cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=long)
            self._measure(self.row, 2, text, cap, wrap=long)
            self.row += 1
        self.row += 1

    def chart(
        self,
        chart: ChartBase,
        col: int,
        row: int | None = None,
        width_cm: float = 17.0,
        height_cm: float = 8.5,
    ) -> None:
        """A native chart anchored at (row, col); the print area grows to include it.

        Without `row` the chart goes below what was written so far, and writing continues
        below the chart.
        """
        chart.width = width_cm
        chart.height = height_cm
        top = row or self.row
        self.ws.add_chart(chart, f"{get_column_letter(col)}{top}")
        rows_taken = math.ceil(height_cm / ROW_HEIGHT_CM) + 1
        self.charts_bottom = max(self.charts_bottom, top + rows_taken)
        right, used = col, 0.0
        while used < width_cm:
            used += self._width(right) * CHART_COL_WIDTH_CM
            right += 1
        self.last_col = max(self.last_col, right - 1)
        if row is None:
            self.row = top + rows_taken + 1

    def _width(self, col: int) -> float:
        need = self.need.get(col)
        if need is None:
            return DEFAULT_WIDTH
        return float(max(MIN_WIDTH, math.ceil(need * GLYPH_SLACK) + 2))

    def finish(self) -> None:
        ws = self.ws
        total = sum(self._width(c) for c in range(1, self.last_col + 1))
        while total < self.span:
            self.last_col += 1
            total += self._width(self.last_col)
        for col in range(1, self.last_col + 1):
            if col in self.need:
                ws.column_dimensions[get_column_letter(col)].width = self._width(col)
        heights: dict[int, float] = {}
        for row, col, text in self.wrapped:
            lines = text_lines(text, self._width(col))
            heights[row] = max(heights.get(row, LINE_HEIGHT), LINE_HEIGHT * lines)
        for row, text in self.notes:
            if display_width(text) * 1.1 > total and self.last_col > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=self.last_col)
                ws.cell(row=row, column=1).alignment = WRAP_ALIGN
                heights[row] = LINE_HEIGHT * text_lines(text, total)
        for row, height in heights.items():
            ws.row_dimensions[row].height = height
        bottom = max(self.row - 1, self.charts_bottom, 1)
        ws.print_area = f"A1:{get_column_letter(self.last_col)}{bottom}"
        print_setup(ws)


def header_text(header: str) -> str:
    """A long header breaks before its unit: 固定资产投资 / （万元）."""
    if display_width(header) > HEADER_WRAP and "（" in header and not header.startswith("（"):
        i = header.index("（")
        return header[:i] + "\n" + header[i:]
    return header


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide."""
    room = max(width - 2.0, 1.0)
    return sum(
        max(1, math.ceil(display_width(part) * GLYPH_SLACK / room)) for part in text.split("\n")
    )


def colour(ws: Worksheet, ref: str, scheme: str) -> None:
    """Conditional formatting: each status text gets its colours."""
    for text, font, fill in STATUS_COLOURS[scheme]:
        ws.conditional_formatting.add(
            ref,
            CellIsRule(
                operator="equal",
                formula=[f'"{text}"'],
                font=Font(name=FONT, color=font),
                fill=PatternFill("solid", start_color=fill, end_color=fill),
            ),
        )


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

    def writestr(
        self,
        zinfo_or_arcname: Any,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
        **kwargs: Any,
    ) -> None:
        # openpyxl writes each worksheet through a temporary file: take its bytes, not its mtime
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read(), compress_type, compresslevel)


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
        raise UsageError(
            f"{path}: 无法写入（{os_reason(exc)}；文件是否在 Excel 或 WPS 中打开？）"
        ) from exc
    except OSError as exc:
        raise UsageError(f"{path}: 无法写入（{os_reason(exc)}）") from exc


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# ---------------------------------------------------------------- charts
def _axes(chart: Any, y_title: str, y_format: str = "#,##0") -> None:
    # openpyxl >= 3.1 leaves axes' "delete" unset, which newer Excel reads as hidden axes
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = y_format
    chart.legend.position = "b"


def _line_colour(series: Any, rgb: str, dash: str | None = None, width: int = 28575) -> None:
    line = series.graphicalProperties.line
    line.solidFill = rgb
    line.width = width
    if dash:
        line.dashStyle = dash
    series.smooth = False
    series.marker.symbol = "none"


def _bar_colour(series: Any, rgb: str) -> None:
    series.graphicalProperties.solidFill = rgb
    series.graphicalProperties.line.solidFill = rgb


def _series(ws: Worksheet, col: int, header: int, first: int, last: int) -> Any:
    """A chart series over rows first..last of a column, named by the column's header."""
    from openpyxl.chart import Reference, Series
    from openpyxl.chart.series import SeriesLabel

    series = Series(Reference(ws, min_col=col, min_row=first, max_row=last))
    name = str(ws.cell(row=header, column=col).value or "").replace("\n", "")
    series.tx = SeriesLabel(v=name)
    return series


def _categories(ws: Worksheet, col: int, first: int, last: int) -> Any:
    from openpyxl.chart import Reference

    return Reference(ws, min_col=col, min_row=first, max_row=last)


def line_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    header: int,
    last: int,
    cat_col: int,
    series: Sequence[tuple[int, str, str | None]],
    first: int | None = None,
) -> ChartBase:
    """Lines for the given (column, colour, dash) series against the category column."""
    from openpyxl.chart import LineChart

    first = first or header + 1
    chart = LineChart()
    chart.title = title
    for col, rgb, dash in series:
        chart.series.append(_series(ws, col, header, first, last))
        _line_colour(chart.series[-1], rgb, dash)
    chart.set_categories(_categories(ws, cat_col, first, last))
    _axes(chart, y_title)
    chart.x_axis.tickLblSkip = 3
    return chart


def bar_chart(
    ws: Worksheet,
    title: str,
    y_title: str,
    header: int,
    last: int,
    cat_col: int,
    series: Sequence[tuple[int, str]],
    first: int | None = None,
) -> ChartBase:
    """Clustered columns for the given (column, colour) series against the category column."""
    from openpyxl.chart import BarChart

    first = first or header + 1
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = title
    for col, rgb in series:
        chart.series.append(_series(ws, col, header, first, last))
        _bar_colour(chart.series[-1], rgb)
    chart.set_categories(_categories(ws, cat_col, first, last))
    chart.gapWidth = 80
    _axes(chart, y_title)
    return chart


BLUE, ORANGE, GREY = "2F5597", "ED7D31", "A5A5A5"


# ---------------------------------------------------------------- the monthly report
REPORT_SHEETS = (
    "说明",
    "目标完成情况",
    "分区调度表",
    "项目进度",
    "重点项目跟踪台账",
    "园区亩均",
    "产业集群",
    "校验问题",
)


def report_name(month: dt.date) -> str:
    return f"乌海市招商引资调度表_{month:%Y-%m}.xlsx"


def report_stamp(report: MonthReport) -> dt.datetime:
    return dt.datetime.combine(report.as_of_date, dt.time())


def write_report(report: MonthReport, path: Path) -> None:
    """The month's workbook at `path`, written atomically."""
    save(lambda: build_report(report), path, report_stamp(report))


def build_report(report: MonthReport) -> Workbook:
    wb = new_workbook()
    for name, builder in SHEET_BUILDERS.items():
        sheet = Sheet.new(wb, name)
        builder(sheet, report)
        sheet.finish()
    return wb


def _pct(value: float | None, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}%}"


def _status_zh(status: str) -> str:
    from wuhai_zs.metrics.targets import STATUS_ZH

    return STATUS_ZH.get(status, status)


def _elapsed_text(report: MonthReport) -> str:
    t = report.targets
    return (
        f"已过 {t.elapsed_months}/{t.period_months} 个月，"
        f"序时进度 {_pct(t.elapsed_months / t.period_months)}"
    )


SHEET_NOTES = (
    (
        "目标完成情况",
        "方案每项可计量目标：目标值、实际、完成率、序时进度、差距和状态；下方为到位资金统计口径、"
        "历年纳统到位资金和按月累计到位资金（图：累计到位资金与序时进度线）。",
    ),
    ("分区调度表", "各区（考评单位）本月及本年累计的调度数字，附各区纳统到位资金（图）。"),
    (
        "项目进度",
        "项目库按阶段的漏斗（个数、总投资）和落地、开工、竣工、投产、到位、手续办结等比率。",
    ),
    (
        "重点项目跟踪台账",
        "截止日期前已签约的每个项目：所处阶段、各节点日期、总投资、到位资金、包联领导和预警。",
    ),
    (
        "园区亩均",
        "各园区及开发区整体的亩均投资、亩均产值、亩均税收（整体 = 合计 ÷ 用地面积合计，不是各园区比率的平均）。",
    ),
    ("产业集群", "各产业集群产值与其规模等级（千亿级/百亿级）对照（图）。"),
    ("校验问题", "台账校验发现的全部问题（文件、工作表、行、列）；有错误的行不计入任何数字。"),
)


def _sheet_about(sheet: Sheet, report: MonthReport) -> None:
    checked = report.checked
    plan = checked.plan
    t = report.targets
    vr = checked.report
    sheet.title(
        f"乌海市招商引资调度表（{report.label}）",
        "本工作簿由 wuhai-zs 根据各台账自动生成；同样的台账和计划文件，生成的内容完全相同。",
    )
    items: list[tuple[str, Any]] = [
        ("方案", plan.name),
        ("计划期", plan.period_label),
        ("报告月份", report.label),
        ("数据截止日期", report.as_of_date),
        ("序时进度", _elapsed_text(report)),
    ]
    if report.ledger_as_of != report.as_of_date:
        items.append(
            (
                "台账校验日期",
                f"{report.ledger_as_of.isoformat()}（台账按此日期校验一次；"
                f"本表只计入 {report.as_of_date.isoformat()} 及以前发生的数字）",
            )
        )
    items += [
        (
            "校验结果",
            f"{vr.errors} 个错误、{vr.warnings} 个警告；有错误的行不计入任何指标"
            "（明细见“校验问题”）",
        ),
        (
            "计算依据",
            f"{t.rows_used:,} 行台账数据，{t.rows_rejected:,} 行因错误未计入"
            + (
                f"，{t.rows_out_of_scope:,} 行日期在截止日期之后（不在统计范围内）"
                if t.rows_out_of_scope
                else ""
            ),
        ),
        (
            "统计口径",
            f"到位资金计入总投资 ≥ {plan.counting.min_project_investment:,.0f} 万元、来源地区属于"
            f"{'、'.join(plan.counting.counted_groups)}、且未标记“是否纳统 = 否”的项目；"
            "其余到位资金单列，不计入目标；飞地项目只计市内份额。",
        ),
        ("金额单位", "汇总金额为亿元（保留两位小数），项目金额为万元；外资为万美元。"),
    ]
    sheet.pairs(items)

    sheet.section("使用的台账")
    from wuhai_zs.ledgers.columns import LEDGERS

    rows: list[list[Any]] = []
    for key, spec in LEDGERS.items():
        stats = vr.ledgers.get(key)
        if stats is None:
            rows.append(
                [
                    spec.stem_zh,
                    "未提供",
                    None,
                    None,
                    None,
                    None,
                    None,
                    "无数据" + ("（可选）" if spec.optional else ""),
                ]
            )
            continue
        sources = "\n".join(f + (f" [{s}]" if s else "") for f, s in stats.sources)
        skips = "；".join(f"{why} {n}" for why, n in sorted(stats.skip_reasons.items())) or "—"
        rows.append(
            [
                spec.stem_zh,
                sources,
                stats.read,
                stats.accepted,
                stats.rejected,
                stats.skipped,
                stats.out_of_scope,
                skips,
            ]
        )
    sheet.table(
        [
            Col("台账"),
            Col("来源（文件 [工作表]）", cap=36),
            Col("读取行数", INT),
            Col("接受", INT),
            Col("拒绝", INT),
            Col("跳过", INT),
            Col("截止日期后", INT),
            Col("跳过原因", cap=40),
        ],
        rows,
    )
    if vr.ignored_sheets:
        ignored = "；".join(
            f + (f" [{s}]" if s else "") + f"：{why}" for f, s, why in vr.ignored_sheets
        )
        sheet.note(f"未读取：{ignored}")
        sheet.skip()

    sheet.section("各工作表")
    sheet.table([Col("工作表"), Col("内容", cap=90)], [list(x) for x in SHEET_NOTES])
    sheet.section("状态")
    status_rows = [
        [
            "已完成",
            "目标年度（计划期）的完整数据已达到目标，或已不可能落空（累计已达总量、目标年的1—N月已达全年目标）",
        ],
        [
            "符合序时",
            "最新数据不低于同期应达值（累计：目标 × 序时；增速：目标增速；水平：基年到目标年的路径）",
        ],
        ["落后序时", "最新数据低于同期应达值"],
        ["未完成", "目标年度（计划期）的完整数据未达到目标"],
        ["待数据", "判断所需的数据（如目标年全年数据、年报）还没有，说明里写明待哪些数据"],
        ["无数据", "缺少计算所需的台账或数据，不是零"],
    ]
    sheet.table([Col("状态", colour="status"), Col("含义", cap=90)], status_rows)
    for text in t.notes:
        sheet.note(f"注：{text}")


def _target_formats(unit: str) -> str:
    return FORMAT_BY_UNIT.get(unit, WAN)


def _sheet_targets(sheet: Sheet, report: MonthReport) -> None:
    t = report.targets
    sheet.title(
        f"目标完成情况（截至 {t.as_of}）",
        f"{_elapsed_text(report)}。完成率 = 实际 ÷ 目标；序时进度 = 应达值 ÷ 目标，差距 = 实际 − 应达值"
        "（累计按时间序时，目标年水平按基年到目标年的路径，增速按目标增速；见 docs/targets.md）。",
    )
    cols = [
        Col("指标", cap=30),
        Col("单位"),
        Col("目标值"),
        Col("实际完成"),
        Col("完成率", PCT),
        Col("序时进度", PCT),
        Col("差距（较序时）"),
        Col("状态", colour="status"),
        Col("还需", cap=40),
        Col("口径说明", cap=48),
    ]
    rows, formats = [], []
    for r in t.targets:
        fmt = _target_formats(r.unit)
        rows.append(
            [
                r.name,
                r.unit,
                r.target,
                r.actual,
                r.completion,
                r.expected,
                r.gap,
                _status_zh(r.status),
                r.needed or None,
                r.basis or None,
            ]
        )
        formats.append([None, None, fmt, fmt, None, None, fmt, None, None, None])
    sheet.table(cols, rows, main=True, row_formats=formats)

    scope = t.capital_scope
    if scope:
        sheet.section(
            f"到位资金统计口径（计划期内）：纳统 {scope['counted_yi']:,.2f} 亿元，"
            f"未纳统 {scope['not_counted_yi']:,.2f} 亿元（单列，不计入目标）"
        )
        nc = [
            [x["reason"], x["rows"], x["projects"], x["amount_yi"]]
            for x in scope.get("not_counted", [])
        ]
        if nc:
            sheet.table(
                [
                    Col("未纳统原因", cap=30),
                    Col("笔数", INT),
                    Col("项目数", INT),
                    Col("金额（亿元）", YI),
                ],
                nc,
            )
    growth = next((r for r in t.targets if r.id == "capital_growth"), None)
    if growth is not None and growth.details:
        sheet.section("历年纳统到位资金（亿元）")
        sheet.table(
            [Col("年度", "0"), Col("到位资金（亿元）", YI), Col("同比", PCT), Col("说明", cap=30)],
            [
                [
                    d["year"],
                    d["value"],
                    d["yoy"],
                    "完整年度" if d["complete"] else f"截至 {t.as_of[5:]}（同比按同期）",
                ]
                for d in growth.details
            ],
        )
    if report.capital_months:
        sheet.section("按月累计纳统到位资金（亿元）")
        header, last = sheet.table(
            [
                Col("月份"),
                Col("当月到位（亿元）", YI),
                Col("累计到位（亿元）", YI),
                Col("序时目标（亿元）", YI),
            ],
            [[m.month, m.amount_yi, m.cumulative_yi, m.expected_yi] for m in report.capital_months],
        )
        chart = line_chart(
            sheet.ws,
            "纳统到位资金累计与序时进度",
            "亿元",
            header,
            last,
            1,
            [(3, BLUE, None), (4, ORANGE, "dash")],
        )
        sheet.chart(chart, col=6, row=header, width_cm=20, height_cm=10)
    for text in t.notes:
        sheet.note(f"注：{text}")


def _sheet_dispatch(sheet: Sheet, report: MonthReport) -> None:
    sheet.title(
        f"分区调度表（{report.label}）",
        f"截至 {report.as_of_date.isoformat()}；金额为亿元；飞地项目按分成比例计入各区。",
    )
    dispatch = report.dispatch
    if dispatch is None:
        sheet.note("缺少项目台账，无法编制调度表。")
        return
    indicators = dispatch["indicators"]
    units = [*dispatch["units"], dispatch["total"]]

    def value(unit: dict[str, Any], key: str, field_: str) -> Any:
        v = unit["values"][key][field_]
        ind = next(i for i in indicators if i["key"] == key)
        if v is not None and ind["unit"] == "万元":
            return v / WAN_PER_YI_FLOAT
        return v

    def col(ind: dict[str, Any]) -> Col:
        unit = "亿元" if ind["unit"] == "万元" else ind["unit"]
        fmt = {"亿元": YI, "比率": PCT, "万元/亩": PER_MU}.get(unit, "General")
        suffix = "" if unit == "比率" else f"（{unit}）"
        return Col(f"{ind['name']}{suffix}", fmt)

    flows = [i for i in indicators if i["kind"] == "flow"]
    sections = (
        ("month", f"{report.label}", indicators, True),
        ("year_to_date", f"{dispatch['year']}年1月至{report.month.month}月累计", flows, False),
        ("change", f"较上月（{dispatch['window']['previous_start'][:7]}）增减", indicators, False),
    )
    for field_, title, shown_inds, main in sections:
        sheet.section(title)
        sheet.table(
            [Col("单位"), *(col(i) for i in shown_inds)],
            [[u["unit"], *(value(u, i["key"], field_) for i in shown_inds)] for u in units],
            main=main,
            total_rows=1,
        )
    definitions = "；".join(f"{i['name']}：{i['definition']}" for i in indicators)
    sheet.note(f"口径：{definitions}。")
    for text in dispatch.get("notes", []):
        sheet.note(f"注：{text}")
    sheet.skip()
    _unit_capital(sheet, report)


WAN_PER_YI_FLOAT = 10000.0


def _unit_capital(sheet: Sheet, report: MonthReport) -> None:
    dispatch = report.dispatch
    if not report.units or dispatch is None:
        return
    by_unit = {u["unit"]: u for u in [*dispatch["units"], dispatch["total"]]}

    def capital(unit: str, field_: str) -> float | None:
        v = by_unit[unit]["values"]["capital"][field_]
        return None if v is None else v / WAN_PER_YI_FLOAT

    rows = [
        [
            u.unit,
            capital(u.unit, "month"),
            capital(u.unit, "year_to_date"),
            u.counted_yi,
            u.not_counted_yi,
            u.warnings,
            u.warnings_red,
        ]
        for u in report.units
    ]
    sheet.page_break()
    sheet.section("各区纳统到位资金与项目预警")
    header, last = sheet.table(
        [
            Col("单位"),
            Col(f"{report.label}（亿元）", YI),
            Col(f"{report.month.year}年累计（亿元）", YI),
            Col("计划期累计（亿元）", YI),
            Col("计划期未纳统（亿元）", YI),
            Col("预警项目", INT),
            Col("其中红色", INT),
        ],
        rows,
        total_rows=1,
    )
    if any(r[2] is not None for r in rows):
        chart = bar_chart(
            sheet.ws, "各区纳统到位资金", "亿元", header, last - 1, 1, [(3, BLUE), (4, ORANGE)]
        )
        sheet.chart(chart, col=1, width_cm=18, height_cm=9)
    sheet.note("预警按项目的所属区计（不拆分飞地）；明细见“重点项目跟踪台账”。")


def _sheet_funnel(sheet: Sheet, report: MonthReport) -> None:
    sheet.title(
        f"项目进度（截至 {report.as_of_date.isoformat()}）",
        "项目数为截止日期时处于该阶段的项目；累计达到为填有该阶段日期的项目（含此后已进入下一阶段的）。",
    )
    projects = report.projects
    if projects is None:
        sheet.note("缺少项目台账，无法计算项目进度。")
        return
    rows = [
        [f["stage"], f["count"], _yi_or_none(f["investment"]), f["reached"]]
        for f in projects["funnel"]
    ]
    total = ["合计", projects["projects"], _yi_or_none(projects["investment"]), None]
    header, _ = sheet.table(
        [Col("阶段"), Col("项目数", INT), Col("总投资（亿元）", YI), Col("累计达到该阶段", INT)],
        [*rows, total],
        main=True,
        total_rows=1,
    )
    reached = [r for r in rows if r[3] is not None]
    sheet.section("比率")
    sheet.table(
        [Col("比率"), Col("数值", PCT), Col("分子"), Col("分母")],
        [[r["name"], r["value"], r["numerator"], r["denominator"]] for r in projects["rates"]],
        row_formats=[
            [None, None, *([WAN, WAN] if r["key"] == "funding" else [INT, INT])]
            for r in projects["rates"]
        ],
    )
    sheet.note(
        "定义："
        + "；".join(f"{r['name']} = {r['definition']}" for r in projects["rates"])
        + "。到位率的分子、分母为万元，手续办结率为手续件数，其余为项目数。"
    )
    sheet.skip()
    money = [
        Col("项目数", INT),
        Col("总投资（亿元）", YI),
        Col("已签约", INT),
        Col("到位资金（亿元）", YI),
    ]

    def figures(r: dict[str, Any]) -> list[Any]:
        return [r["count"], _yi_or_none(r["investment"]), r["signed"], _yi_or_none(r["capital"])]

    sheet.section("按来源地区")
    regions: list[list[Any]] = []
    for r in projects["by_region"]:
        regions.append([r["region"], *figures(r), r["group"], "是" if r["key_region"] else None])
        for c in r.get("countries", []):
            regions.append([f"　其中：{c['country']}", *figures(c), r["group"], None])
    sheet.table([Col("来源地区"), *money, Col("分组"), Col("重点区域")], regions)
    sheet.section("按企业标签")
    sheet.table([Col("企业标签"), *money], [[r["tag"], *figures(r)] for r in projects["by_tag"]])
    sheet.section("按产业集群")
    sheet.table(
        [Col("产业集群"), *money, Col("包含产业", cap=30)],
        [
            [r["cluster"], *figures(r), "、".join(r["industries"]) or None]
            for r in projects["by_cluster"]
        ],
    )
    for text in projects.get("notes", []):
        sheet.note(f"注：{text}")
    if reached:
        first = header + 1 + next(i for i, r in enumerate(rows) if r[3] is not None)
        chart = bar_chart(
            sheet.ws,
            "项目漏斗（累计达到各阶段的项目数）",
            "项目数",
            header,
            first + len(reached) - 1,
            1,
            [(4, BLUE)],
            first=first,
        )
        chart.legend = None
        sheet.chart(chart, col=6, row=header, width_cm=14, height_cm=7.5)


def _yi_or_none(value: float | None) -> float | None:
    return None if value is None else value / WAN_PER_YI_FLOAT


TRACKED_COLS = (
    ("project_id", Col("项目编号")),
    ("name", Col("项目名称", cap=36)),
    ("district", Col("所属区")),
    ("industry", Col("产业类别")),
    ("stage", Col("阶段")),
    ("signed_on", Col("签约日期", DATE)),
    ("planned_start", Col("计划开工", DATE)),
    ("started_on", Col("开工日期", DATE)),
    ("completed_on", Col("竣工日期", DATE)),
    ("producing_on", Col("投产日期", DATE)),
    ("total_investment", Col("总投资（万元）", WAN)),
    ("arrived", Col("累计到位（万元）", WAN)),
    ("arrival_rate", Col("到位率", PCT)),
    ("leader", Col("包联领导", cap=26)),
    ("permits", Col("手续（已办/应办）")),
)


def _sheet_tracked(sheet: Sheet, report: MonthReport) -> None:
    sheet.title(
        f"重点项目跟踪台账（截至 {report.as_of_date.isoformat()}）",
        "截止日期前已签约的全部项目；金额为万元；到位资金含未纳统部分。",
    )
    warnings = _warnings_by_project(report)
    cols = [c for _, c in TRACKED_COLS]
    if warnings is not None:
        red = sum(1 for level, _ in warnings.values() if level == "红色")
        sheet.note(
            f"有预警的项目 {len(warnings)} 个，其中红色 {red} 个；预警规则见 wuhai-zs projects --help。"
        )
        cols += [Col("预警", colour="level"), Col("预警内容", cap=64)]
    rows = []
    for p in report.tracked:
        values = []
        for key, _ in TRACKED_COLS:
            if key == "permits":
                done, need = _plain(p.get("permits_done")), _plain(p.get("permits_required"))
                values.append(None if need is None else f"{int(done or 0)}/{int(need)}")
            else:
                values.append(p.get(key))
        if warnings is not None:
            level, text = warnings.get(str(p["project_id"]), (None, None))
            values += [level, text]
        rows.append(values)
    sheet.table(cols, rows, main=True, repeat=True)
    if not rows:
        sheet.note("截止日期前没有已签约的项目。")


def _warnings_by_project(report: MonthReport) -> dict[str, tuple[str, str]] | None:
    """Per project: the worst level and every warning, with the days overdue."""
    from wuhai_zs.metrics.warnings import LEVEL_ZH

    if report.warnings is None:
        return None
    out: dict[str, tuple[str, list[str]]] = {}
    for w in report.warnings["warnings"]:
        level = LEVEL_ZH.get(w["level"], w["level"])
        text = w["what"] + (f"（逾期 {w['days_late']} 天）" if w.get("days_late") else "")
        worst, texts = out.get(w["project_id"], (level, []))
        if level == LEVEL_ZH["red"]:
            worst = level
        out[w["project_id"]] = (worst, [*texts, text])
    return {pid: (level, "；".join(texts)) for pid, (level, texts) in out.items()}


def _sheet_parks(sheet: Sheet, report: MonthReport) -> None:
    t = report.targets
    per_mu = [r for r in t.targets if r.id.startswith("park_")]
    measures = {r.id: r for r in per_mu}
    sheet.title(
        "园区亩均效益",
        "亩均 = 指标 ÷ 用地面积（万元/亩）；开发区整体 = 各园区合计 ÷ 用地面积合计。",
    )
    if not per_mu or all(not r.details for r in per_mu):
        why = next((r.basis for r in per_mu if r.basis), "缺少园区台账")
        sheet.note(f"无数据：{why}")
        return
    parks: dict[str, dict[str, Any]] = {}
    order = ("park_investment_per_mu", "park_output_per_mu", "park_tax_per_mu")
    for target_id in order:
        r = measures.get(target_id)
        for d in r.details if r else []:
            entry = parks.setdefault(d["park"], {"year": d["year"], "land": d["land_mu"]})
            entry[target_id] = (d["amount"], d["per_mu"])
    rows: list[list[Any]] = []
    for park, entry in parks.items():
        row: list[Any] = [park, entry["year"], entry["land"]]
        for target_id in order:
            amount, ratio = entry.get(target_id, (None, None))
            row += [amount, ratio]
        rows.append(row)
    total: list[Any] = [
        "全部开发区",
        rows[0][1] if rows else None,
        round(sum(r[2] or 0 for r in rows), 2),
    ]
    goal: list[Any] = ["目标", None, None]
    completion: list[Any] = ["完成率", None, None]
    status: list[Any] = ["状态", None, None]
    for i, target_id in enumerate(order):
        r = measures.get(target_id)
        total += [round(sum(row[3 + 2 * i] or 0 for row in rows), 2), r.actual if r else None]
        goal += [None, r.target if r else None]
        completion += [None, r.completion if r else None]
        status += [None, _status_zh(r.status) if r else None]
    cols = [
        Col("园区", cap=24),
        Col("年度", "0"),
        Col("用地面积（亩）", WAN),
        Col("固定资产投资（万元）", WAN),
        Col("亩均投资（万元/亩）", PER_MU),
        Col("工业总产值（万元）", WAN),
        Col("亩均产值（万元/亩）", PER_MU),
        Col("税收收入（万元）", WAN),
        Col("亩均税收（万元/亩）", PER_MU),
    ]
    plain_row: list[str | None] = [None] * 9
    pct_row: list[str | None] = [None, None, None, None, PCT, None, PCT, None, PCT]
    formats = [plain_row] * (len(rows) + 2) + [pct_row, plain_row]
    _, last = sheet.table(
        cols, [*rows, total, goal, completion, status], main=True, total_rows=4, row_formats=formats
    )
    colour(sheet.ws, f"E{last}:I{last}", "status")
    for r in per_mu:
        sheet.note(f"{r.name}：{r.basis}" + (f"；{r.needed}" if r.needed else ""))


def _sheet_clusters(sheet: Sheet, report: MonthReport) -> None:
    plan = report.checked.plan
    sizes = {c.name: c.size_yi for c in plan.clusters}
    clusters = [r for r in report.targets.targets if r.id.startswith("cluster.")]
    sheet.title(
        f"产业集群（{plan.end.year}年规模目标）",
        "规模等级：千亿级 = 1000 亿元，百亿级 = 100 亿元；实际为产值台账最近一期的工业总产值。",
    )
    rows = []
    for r in clusters:
        name = r.id.split(".", 1)[1]
        size = sizes.get(name)
        rows.append(
            [
                name,
                "千亿级" if (size or 0) >= 1000 else "百亿级",
                size,
                r.actual,
                r.completion,
                r.expected,
                _status_zh(r.status),
                r.basis,
            ]
        )
    header, last = sheet.table(
        [
            Col("产业集群"),
            Col("规模等级"),
            Col("目标规模（亿元）", YI),
            Col("实际产值（亿元）", YI),
            Col("完成率", PCT),
            Col("序时进度", PCT),
            Col("状态", colour="status"),
            Col("依据", cap=40),
        ],
        rows,
        main=True,
    )
    if rows:
        chart = bar_chart(
            sheet.ws, "产业集群产值与规模等级", "亿元", header, last, 1, [(4, BLUE), (3, GREY)]
        )
        sheet.chart(chart, col=1, width_cm=18, height_cm=9)


def _sheet_findings(sheet: Sheet, report: MonthReport) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS

    vr = report.checked.report
    sheet.title(
        f"校验问题（{vr.errors} 个错误、{vr.warnings} 个警告）",
        f"台账按截止日期 {vr.as_of} 校验；有错误的行不计入任何数字，警告行照常计入。",
    )
    severity = {"error": "错误", "warning": "警告"}
    rows = [
        [
            i,
            severity.get(f.severity, f.severity),
            LEDGERS[f.ledger].stem_zh if f.ledger in LEDGERS else f.ledger,
            f.file,
            f.sheet,
            f.row,
            f.column,
            f.value,
            f.code,
            f.message,
        ]
        for i, f in enumerate(vr.findings, start=1)
    ]
    sheet.table(
        [
            Col("序号", INT),
            Col("级别", colour="severity"),
            Col("台账"),
            Col("文件", cap=30),
            Col("工作表", cap=16),
            Col("行", INT),
            Col("列", cap=20),
            Col("值", cap=24),
            Col("代码"),
            Col("说明", cap=60),
        ],
        rows,
        main=True,
        repeat=True,
    )
    if not rows:
        sheet.note("未发现问题。")
    if vr.ignored_sheets:
        ignored = "；".join(
            f + (f" [{s}]" if s else "") + f"：{why}" for f, s, why in vr.ignored_sheets
        )
        sheet.note(f"未读取：{ignored}")


SHEET_BUILDERS: dict[str, Callable[[Sheet, MonthReport], None]] = {
    "说明": _sheet_about,
    "目标完成情况": _sheet_targets,
    "分区调度表": _sheet_dispatch,
    "项目进度": _sheet_funnel,
    "重点项目跟踪台账": _sheet_tracked,
    "园区亩均": _sheet_parks,
    "产业集群": _sheet_clusters,
    "校验问题": _sheet_findings,
}


# ---------------------------------------------------------------- the ledger template
TEMPLATE_ROWS = 2000  # rows that carry the dropdowns and formats
OPTIONS_SHEET = "选项"
GUIDE_SHEET = "填写说明"
YES_NO = ("是", "否")
COUNTRIES = ("俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡")
# Arrivals come in two layouts; the template carries the row-per-arrival one.
ARRIVAL_LOG_KEYS = ("project_id", "date", "month", "amount", "fdi_usd", "note")

KIND_FORMAT = {
    "money": WAN,
    "usd": WAN,
    "area": WAN,
    "number": WAN,
    "int": "0",
    "date": DATE,
    "month": "yyyy-mm",
    "year": "0",
    "share": SHARE,
}
KIND_HINT = {
    "money": "数字，单位万元（表头已注明）",
    "usd": "数字，单位万美元",
    "area": "数字，单位亩",
    "int": "整数",
    "date": "日期，如 2025-03-05",
    "month": "月份，如 2025-03",
    "year": "年份，如 2025",
    "bool": "是/否",
    "share": "0—1 的小数或百分数，如 60%",
    "tags": "可填多个，用顿号“、”分隔",
}
# What some columns require beyond the column list (spec/ledgers.md).
WHEN_REQUIRED = {
    ("projects", "source_country"): "来源地区为境外时必填",
    ("projects", "signed_on"): "阶段为签约及以后时必填",
    ("projects", "started_on"): "阶段为开工及以后时必填，不早于签约日期",
    ("projects", "completed_on"): "阶段为竣工及以后时必填，不早于开工日期",
    ("projects", "producing_on"): "阶段为投产时必填，不早于开工日期",
    ("projects", "leader"): "重大项目必填（“五个一”）",
    ("projects", "task_force"): "重大项目必填（“五个一”）",
    ("projects", "work_plan"): "重大项目必填：是/否或方案名称",
    ("projects", "permits_done"): "不大于应办手续数",
    ("projects", "enclave_from"): "飞地项目必填：区名或市外地名",
    ("projects", "enclave_to"): "飞地项目必填：区名或市外地名",
    ("projects", "enclave_share"): "飞地项目必填：飞出地所占比例",
    ("projects", "counted"): "填“否”表示不纳入统计（财政性资金、房地产等）；默认是",
    ("projects", "total_investment"): "大于 0",
    ("arrivals", "date"): "到位日期与到位月份至少填一项",
    ("arrivals", "month"): "到位日期与到位月份至少填一项",
    ("arrivals", "amount"): "大于 0，人民币金额",
    ("arrivals", "fdi_usd"): "境外项目必填：同一笔到位的美元金额",
    ("arrivals", "project_id"): "须为项目台账中的项目编号",
    ("parks", "land_mu"): "大于 0，在用工业用地",
    ("parks", "fixed_investment"): "累计数",
    ("output", "month"): "1—12：1 至该月累计；留空表示全年",
    ("activities", "leader"): "带队招商必填",
}


@dataclass(frozen=True)
class Choice:
    """A dropdown: its values, and whether other values are refused or only warned about."""

    name: str  # defined name of the list on the 选项 sheet
    title: str
    values: tuple[str, ...]
    strict: bool = True


def template_choices(plan: Plan) -> dict[tuple[str, str], Choice]:
    from wuhai_zs.ledgers.columns import ACTIVITY_KINDS, ENCLAVE_TYPES, STAGES

    district = Choice("list_district", "区", tuple(plan.districts))
    park = Choice("list_park", "园区", tuple(plan.parks))
    yes_no = Choice("list_yes_no", "是/否", YES_NO)
    places = Choice("list_place", "飞出地/飞入地", tuple(plan.districts), strict=False)
    return {
        ("projects", "district"): district,
        ("projects", "park"): park,
        ("projects", "industry"): Choice("list_industry", "产业类别", tuple(plan.industries)),
        ("projects", "investor_tags"): Choice(
            "list_tag", "企业标签", tuple(plan.tags), strict=False
        ),
        ("projects", "source_region"): Choice("list_region", "来源地区", tuple(plan.region_group)),
        ("projects", "source_country"): Choice("list_country", "来源国别", COUNTRIES, strict=False),
        ("projects", "stage"): Choice("list_stage", "项目阶段", STAGES),
        ("projects", "work_plan"): Choice("list_work_plan", "推进方案", YES_NO, strict=False),
        ("projects", "enclave"): Choice("list_enclave", "飞地类型", ENCLAVE_TYPES),
        ("projects", "enclave_from"): places,
        ("projects", "enclave_to"): places,
        ("projects", "counted"): yes_no,
        ("parks", "park"): park,
        ("output", "scope"): Choice(
            "list_scope", "统计范围", ("全市", *(c.name for c in plan.clusters))
        ),
        ("activities", "kind"): Choice("list_activity", "活动类型", ACTIVITY_KINDS),
        ("activities", "district"): Choice(
            "list_unit", "所属区/部门", tuple(plan.districts), strict=False
        ),
        ("activities", "top_leader"): yes_no,
    }


def template_columns(ledger_key: str) -> list[Any]:
    from wuhai_zs.ledgers.columns import LEDGERS

    spec = LEDGERS[ledger_key]
    if ledger_key == "arrivals":
        return [spec.by_key[k] for k in ARRIVAL_LOG_KEYS]
    return list(spec.columns)


def _number_rule(ledger: str, column: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = column.kind
    positive = (ledger, column.key) in (
        ("projects", "total_investment"),
        ("parks", "land_mu"),
        ("arrivals", "amount"),
        ("arrivals", "fdi_usd"),
    )
    if kind in ("money", "usd", "area", "number"):
        rule = DataValidation(
            type="decimal",
            operator="greaterThan" if positive else "greaterThanOrEqual",
            formula1="0",
        )
        rule.error = f"{column.display}应为{'大于' if positive else '不小于'} 0 的数字"
    elif kind == "int" and (ledger, column.key) == ("output", "month"):
        rule = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
        rule.error = "月份应为 1—12 的整数（留空表示全年）"
    elif kind == "int":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        rule.error = f"{column.display}应为不小于 0 的整数"
    elif kind == "year":
        rule = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100")
        rule.error = "年度应为 4 位年份，如 2025"
    elif kind == "share":
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
        rule.error = "比例应在 0—1 之间（可输入 60%）"
    elif kind in ("date", "month"):
        rule = DataValidation(
            type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)"
        )
        rule.error = "请输入日期，如 2025-03-05" if kind == "date" else "请输入月份，如 2025-03"
        rule.errorStyle = "warning"  # a typed text date is still read by wuhai-zs
    else:
        return None
    rule.errorTitle = column.display
    rule.showErrorMessage = True
    rule.allow_blank = True
    return rule


def build_template(plan: Plan) -> Workbook:
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from wuhai_zs.ledgers.columns import LEDGERS

    wb = new_workbook()
    choices = template_choices(plan)
    lists = {c.name: c for c in choices.values()}
    guide = Sheet.new(wb, GUIDE_SHEET)
    for key, spec in LEDGERS.items():
        ws = wb.create_sheet(spec.stem_zh)
        columns = template_columns(key)
        for c, column in enumerate(columns, start=1):
            cell = put(ws, 1, c, column.display)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = HEADER_ALIGN
            letter = get_column_letter(c)
            rng = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            fmt = KIND_FORMAT.get(column.kind)
            if fmt:
                ws.column_dimensions[letter].number_format = fmt
            choice = choices.get((key, column.key))
            rule: Any
            if choice is not None:
                rule = DataValidation(type="list", formula1=choice.name, allow_blank=True)
                rule.showErrorMessage = True
                rule.errorStyle = "stop" if choice.strict else "information"
                rule.errorTitle = column.display
                rule.error = (
                    f"请从下拉列表中选择{choice.title}"
                    if choice.strict
                    else f"不在{choice.title}常用列表中，请确认填写无误"
                )
            else:
                rule = _number_rule(key, column)
            width = display_width(column.display) + 4
            if column.kind == "text" and choice is None:
                width = max(width, 16 if column.key not in ("name", "investor", "note") else 28)
            if choice is not None:
                width = max(width, max(display_width(v) for v in choice.values) + 4)
            ws.column_dimensions[letter].width = min(width, 30)
            if rule is not None:
                rule.add(rng)
                ws.add_data_validation(rule)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
        ws.print_title_rows = "1:1"
        ws.row_dimensions[1].height = 30
        print_setup(ws)
    _template_guide(guide, plan, choices)
    options = wb.create_sheet(OPTIONS_SHEET)
    for c, choice in enumerate(lists.values(), start=1):
        letter = get_column_letter(c)
        put(options, 1, c, choice.title).font = HEADER_FONT
        for r, value in enumerate(choice.values, start=2):
            put(options, r, c, value)
        options.column_dimensions[letter].width = (
            max(display_width(v) for v in (*choice.values, choice.title)) + 2
        )
        ref = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(choice.values) + 1}"
        wb.defined_names[choice.name] = DefinedName(choice.name, attr_text=ref)
    options.sheet_state = "hidden"
    wb.active = 1
    return wb


def _template_guide(sheet: Sheet, plan: Plan, choices: dict[tuple[str, str], Choice]) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS

    sheet.title(
        "台账填写说明",
        f"{plan.name}；本模板由 wuhai-zs 生成，填好后可直接用 "
        "wuhai-zs validate --data 本文件 校验。",
    )
    general = [
        (
            "工作表",
            "每个台账一张工作表，表名（项目台账、到位资金台账、园区台账、产值台账、招商活动台账）不要改；"
            "“填写说明”不会被读取。招商活动台账可不填。",
        ),
        ("表头", "第 1 行为表头，不要改动、删除或调换；金额单位已写在表头中（万元、万美元、亩）。"),
        ("逐行填写", "从第 2 行起每行一条记录；不要插入合计、小计行（即使插入也会被识别并跳过）。"),
        (
            "下拉列表",
            "带下拉箭头的列请从列表中选择；企业标签、飞出地/飞入地、推进方案等列也可直接输入。",
        ),
        ("日期", "日期按 2025-03-05 输入（也可 2025/3/5、2025年3月5日）；月份按 2025-03 输入。"),
        (
            "到位资金",
            "模板为逐笔记录格式；按月报送（报告月份、本月到位资金、本年累计到位资金）的台账同样可以读取。",
        ),
        (
            "统计口径",
            f"到位资金计入总投资 ≥ {plan.counting.min_project_investment:,.0f} 万元、来源地区属于"
            f"{'、'.join(plan.counting.counted_groups)}、且未标记“是否纳统 = 否”的项目。",
        ),
    ]
    sheet.pairs(general, cap=80)
    for key, spec in LEDGERS.items():
        sheet.section(f"{spec.stem_zh}{'（可选）' if spec.optional else ''}")
        rows = []
        for column in template_columns(key):
            choice = choices.get((key, column.key))
            need = (
                "是"
                if column.required
                else ("视情况" if (key, column.key) in WHEN_REQUIRED else "否")
            )
            if key == "arrivals" and column.key in ("date", "month"):
                need = "二选一"
            hints = [WHEN_REQUIRED.get((key, column.key), "")]
            if choice is not None:
                listed = "、".join(choice.values)
                hints.append(("从下拉列表选择：" if choice.strict else "常用：") + listed)
            elif column.kind in KIND_HINT:
                hints.append(KIND_HINT[column.kind])
            rows.append([column.display, "；".join(h for h in hints if h) or "文本", need])
        sheet.table([Col("列", cap=24), Col("填写要求", cap=80), Col("必填")], rows)
    sheet.finish()


def write_template(plan: Plan, path: Path) -> None:
    """The ledger template at `path`, written atomically."""
    stamp = dt.datetime.combine(plan.start, dt.time())
    save(lambda: build_template(plan), path, stamp)
