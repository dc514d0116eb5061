"""Workbook toolkit: safe cells, formats, Chinese fonts, tables, print setup, reproducible save."""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
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
from wuhai_zs.metrics.rounding import half_up

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.chart._chart import ChartBase
    from openpyxl.worksheet.worksheet import Worksheet

# ---------------------------------------------------------------- number formats
YI = "#,##0.00"  # 亿元: city, district and plan money
WAN = "#,##0"  # 万元: single projects and rows
INT = "#,##0"  # counts
PCT = "0.0%"
PCT2 = "0.00%"
POINTS = "+0.0;-0.0;0.0"  # 个百分点
PER_MU = "#,##0.00"  # 万元/亩
MU = "#,##0"  # 亩
USD = "#,##0"  # 万美元
RATIO = "0.0"  # 倍
DATE = "yyyy-mm-dd"
MONTH = "yyyy-mm"
YEAR = "0"
# Decimals each format shows: a number is stored rounded to them, so what a reader sums is what
# the page shows.
# (#,##0 is not here: a count is never rounded quietly, and 万元 are rounded by the sheet.)
PLACES = {YI: 2, PCT: 3, PCT2: 4, POINTS: 1, PER_MU: 2, RATIO: 1, YEAR: 0}
SHARE_COUNT = "#,##0.0"  # a count that holds 飞地 shares (never rounded to look whole)

# ---------------------------------------------------------------- fonts and styles
BODY = "宋体"
HEAD = "黑体"
BODY_FONT = Font(name=BODY, size=11)
BOLD_FONT = Font(name=BODY, size=11, bold=True)
TITLE_FONT = Font(name=HEAD, size=16)
SECTION_FONT = Font(name=HEAD, size=12)
HEADER_FONT = Font(name=HEAD, size=10.5)
NOTE_FONT = Font(name=BODY, size=10, color="404040")
SMALL_FONT = Font(name=BODY, size=9.5)
SMALL_LINE = 13.5  # a wrapped line of SMALL_FONT
BYLINE_FONT = Font(name=BODY, size=10.5)
SAMPLE_FONT = Font(name=HEAD, size=11, color="C00000")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
GROUP_FILL = PatternFill("solid", start_color="FBFBFB", end_color="FBFBFB")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
LEFT_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
TOP_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)

# Conditional formatting: (text in the cell, font colour, fill colour).
STATUS_COLOURS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "status": (
        ("已完成", "006100", "C6EFCE"),
        ("符合序时", "375623", "E2EFDA"),
        ("落后序时", "9C5700", "FFEB9C"),
        ("未完成", "9C0006", "FFC7CE"),
        ("待数据", "1F4E79", "DDEBF7"),
        ("无数据", "595959", "EDEDED"),
    ),
    "light": (
        ("绿灯", "006100", "C6EFCE"),
        ("黄灯", "7F6000", "FFE699"),
        ("红灯", "FFFFFF", "C00000"),
        ("无灯", "595959", "EDEDED"),
    ),
    "level": (("红色", "9C0006", "FFC7CE"), ("黄色", "9C5700", "FFEB9C")),
    "severity": (("错误", "9C0006", "FFC7CE"), ("警告", "9C5700", "FFEB9C")),
}

# ---------------------------------------------------------------- geometry
MIN_WIDTH = 4.5
GLYPH_SLACK = 1.1  # a 宋体 glyph is a little wider than two digits of the width unit
WRAP_SLACK = 1.06  # the same, when counting the lines a wrapped text takes
LINE = 15.0  # points per line of 11 pt text
WRAP_LINE = 16.0  # a line of wrapped text: CJK fonts set lines a little further apart
COMPACT = 14.25  # a row of a long list of figures (Excel's own height for 11 pt 宋体)
NOTE_LINE = 14.0
TITLE_HEIGHT = 30.0
GAP_HEIGHT = 8.0  # a blank row between blocks
# One unit of column width in points: Excel prints 7 px at 96 dpi (5.25 pt), LibreOffice the
# default font's digit (5.6 pt): the larger, so a page fitted here fits in both.
PT_PER_WIDTH = 5.6
HEADER_CAP = 12  # a header wider than this wraps (before its unit) instead of widening its column
CM_PER_PT = 2.54 / 72
MARGIN_SIDE = 0.5  # inches
MARGIN_TOP = 0.6
MARGIN_EDGE = 0.25  # header and footer from the paper's edge
PAPER = {"A4": (9, 841.89, 595.28), "A3": (8, 1190.55, 841.89)}  # landscape, points
MIN_SCALE = 70
NEAR_EMPTY = 0.4  # a last page this empty is pulled back onto the others if a smaller scale can
MIN_PAGE_FILL = 0.3  # a break moved up to keep a table together leaves at least this much
SPLIT_SCALE = 85
# Leave a little room: renderers measure text and wrap lines slightly differently.
FIT = 0.96  # of the width
FIT_HEIGHT = 0.97  # of the height (rows have explicit heights: little is left to chance)

MAX_CELL_TEXT = 32767  # Excel's limit; a longer text makes Excel "repair" the workbook


# ---------------------------------------------------------------- safe cells
def clean_text(text: str) -> str:
    """A ledger string as a cell can hold it.

    Control characters other than tab, CR and LF are removed (XML cannot carry them) and a text
    longer than Excel allows is cut, with an ellipsis.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def plain(value: Any) -> Any:
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
    if hasattr(value, "to_pydatetime"):
        return plain(value.to_pydatetime())
    if hasattr(value, "item"):
        return plain(value.item())
    return clean_text(str(value))


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    fmt: str | None = None,
    font: Font = BODY_FONT,
    align: Alignment | None = None,
) -> Cell:
    """Write one cell in a named Chinese font.

    A string is always stored as text, never as a formula. A number is stored rounded to the
    decimals its format shows, so a sum a reader forms equals the sum of what is shown.
    """
    cell = ws.cell(row=row, column=col)
    value = plain(value)
    if isinstance(value, float) and fmt in PLACES:
        value = half_up(value, PLACES[fmt])
        if PLACES[fmt] == 0:
            value = int(value) if value is not None else None
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif fmt and value is not None:
        cell.number_format = fmt
    if isinstance(value, dt.date) and not fmt:
        cell.number_format = DATE
    cell.font = font
    if align is not None:
        cell.alignment = align
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.alignment = RIGHT
    return cell


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def shown(value: Any, fmt: str | None) -> str:
    """Roughly what Excel shows for a value in a format (for sizing columns)."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return max(value.split("\n"), key=display_width) if "\n" in value else value
    if isinstance(value, dt.datetime | dt.date):
        return "2025-09" if fmt == MONTH else "2025-09-30"
    if isinstance(value, int | float):
        if fmt == PCT:
            return f"{value:.1%}"
        if fmt == POINTS:
            return f"{value:+.1f}"
        places = PLACES.get(fmt or "", 0 if isinstance(value, int) else 2)
        return f"{value:,.{places}f}"
    return str(value)


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` units wide."""
    room = max(width - 1.5, 1.0)
    return sum(
        max(1, math.ceil(display_width(part) * WRAP_SLACK / room)) for part in text.split("\n")
    )


def header_lines(text: str, cap: int) -> list[str]:
    """A header as it wraps: explicit breaks, then before its unit when wider than `cap`."""
    lines: list[str] = []
    for part in text.split("\n"):
        if display_width(part) > cap and "（" in part and not part.startswith("（"):
            i = part.index("（")
            lines += [part[:i], part[i:]]
        else:
            lines.append(part)
    return lines


def colour(ws: Worksheet, ref: str, scheme: str) -> None:
    """Conditional formatting: each status text gets its colours."""
    for text, font, fill in STATUS_COLOURS[scheme]:
        ws.conditional_formatting.add(
            ref,
            CellIsRule(
                operator="equal",
                formula=[f'"{text}"'],
                font=Font(name=BODY, color=font, bold=scheme == "light"),
                fill=PatternFill("solid", start_color=fill, end_color=fill),
            ),
        )


# ---------------------------------------------------------------- the book and its sheets
@dataclass(frozen=True)
class BookInfo:
    """What every page of a workbook carries: the report's title, its office and the sample mark."""

    title: str  # 乌海市招商引资调度表（2025年9月）
    subject: str
    office: str | None
    synthetic: bool
    keywords: str = ""


SAMPLE_MARK = "示例数据"
SAMPLE_LINE = "示例数据：本工作簿由内置示例台账（合成数据）生成，不是各区报送的真实数据。"


@dataclass(frozen=True)
class Col:
    header: str
    fmt: str | None = None  # None: text
    width: float | None = None  # fixed width; None: from what is written, up to `cap`
    cap: int = 30  # widest a sized column may get; longer text wraps
    colour: str | None = None  # a STATUS_COLOURS key: conditional formatting on this column
    align: Alignment | None = None
    small: bool = False  # long explanations in a smaller type (SMALL_FONT)


@dataclass(frozen=True)
class Table:
    header_first: int
    header_last: int
    first: int  # first body row
    last: int  # last body row (header_last when there is none)


# Row kinds of a table body: a data row, a subtotal, the total, a group heading.
DATA, SUBTOTAL, TOTAL, GROUP = "", "subtotal", "total", "group"


@dataclass
class Sheet:
    """One worksheet written top to bottom and finished once: widths, merges, print setup.

    Column widths come from what was written (CJK counts 2), capped per column; longer text
    wraps and its row gets the height its lines need. `finish` merges titles and notes across
    the printed width, sets every row's height, the print scale that fits the width of A4
    landscape, the rows to repeat on each page, breaks that keep a heading with its table, the
    page header (title, month, 示例数据) and footer (第 x 页 共 y 页).
    """

    ws: Worksheet
    book: BookInfo
    row: int = 1
    need: dict[int, float] = field(default_factory=dict)
    fixed: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    # wrapped text: row, column, columns spanned, text, line height
    wrapped: list[tuple[int, int, int, str, float]] = field(default_factory=list)
    # text merged across columns 1..n (None: the printed width): row, text, font, alignment, n
    spans: list[tuple[int, str, Font, Alignment, int | None]] = field(default_factory=list)
    bylines: list[tuple[int, str, str]] = field(default_factory=list)
    keeps: list[tuple[int, int]] = field(default_factory=list)
    last_col: int = 1
    title_rows: int = 0  # rows 1..title_rows (the title block) repeat on every printed page
    repeat_rows: tuple[int, int] | None = None  # or these: a long table's header
    heading: int = 0  # row of the last section heading (kept with what follows it)
    table_end: int = 0  # last row of the last table (kept with a note right below it)
    charts_bottom: int = 0
    charts: list[tuple[int, float]] = field(default_factory=list)  # (column, width in cm)
    paper: str = "A4"
    fit_height: bool = False  # one page tall (the 总览)
    repeat_cols: str | None = None  # columns printed on every page when the width is split
    span_cols: int | None = None  # titles and notes span this many columns (default: all)
    open_ended: bool = False  # rows will be added (a template): no fixed print area

    @classmethod
    def new(cls, wb: Workbook, name: str, book: BookInfo) -> Sheet:
        return cls(wb.create_sheet(name), book)

    # -------------------------------------------------------- writing
    def _measure(self, col: int, text: str, cap: float, size: float = 1.0) -> None:
        width = max((display_width(line) for line in text.split("\n")), default=0) * size
        self.need[col] = max(self.need.get(col, 0), min(width, cap))
        self.last_col = max(self.last_col, col)

    def title(self, text: str, note: str | None = None) -> None:
        """The sheet's title, centred over the printed width; repeated on every page. A `note`
        follows it as a line of explanation."""
        self.spans.append((self.row, text, TITLE_FONT, CENTER, None))
        self.heights[self.row] = TITLE_HEIGHT
        self.row += 1
        if self.book.synthetic:
            self.spans.append((self.row, SAMPLE_LINE, SAMPLE_FONT, LEFT, None))
            self.heights[self.row] = LINE
            self.row += 1
        self.title_rows = self.row - 1
        if note:
            self.note(note)

    def byline(self, left: str, right: str = "") -> None:
        """A line under the title: 填报单位 on the left, 单位 (and dates) on the right."""
        self.bylines.append((self.row, left, right))
        self.heights[self.row] = LINE + 2
        self.row += 1
        self.title_rows = self.row - 1

    def section(self, text: str) -> None:
        put(self.ws, self.row, 1, text, font=SECTION_FONT, align=LEFT)
        self.heights[self.row] = LINE + 4
        self.heading = self.row
        self.row += 1

    def note(self, text: str, across: int | None = None) -> None:
        """A line of explanation, wrapped across the printed width (or `across` columns); a note
        right below a table prints on the page of the table's last rows."""
        if self.table_end and self.table_end == self.row - 1:
            self.keep(max(self.table_end - 2, 1), self.row)
        self.spans.append((self.row, text, NOTE_FONT, TOP_WRAP, across))
        self.row += 1

    def skip(self, height: float = GAP_HEIGHT) -> None:
        self.heights[self.row] = height
        self.row += 1

    def pairs(self, items: Sequence[tuple[str, Any]], cap: int = 80) -> None:
        """Label / value lines, as a two-column table without a header row's filter."""
        self.table([Col("项目", width=14), Col("内容", cap=cap)], [[k, v] for k, v in items])

    def keep(self, first: int, last: int) -> None:
        """Print rows first..last on one page when they fit on one."""
        if last > first:
            self.keeps.append((first, last))

    def table(
        self,
        cols: Sequence[Col],
        rows: Iterable[Sequence[Any]],
        *,
        kinds: Sequence[str] | None = None,
        groups: Sequence[tuple[str, int]] | None = None,
        freeze: int | None = None,
        filter_: bool = False,
        repeat: bool = False,
        row_formats: Sequence[Sequence[str | None]] | None = None,
        keep_whole: int = 25,
        compact: bool = False,
        keep_groups: bool = False,
    ) -> Table:
        """A bordered table: a header row (two with `groups`), then the body.

        `kinds` marks body rows as subtotal, total or group-heading rows (shaded; a group row
        spans the table). `groups` puts a header row above: (text, columns it spans), "" for
        a column whose header spans both rows. `freeze` freezes the rows above the body and
        that many columns: give it to one table per sheet only. `filter_` filters the body
        down to the last data row (never a total row); `repeat` prints the rows from the top
        through the header on every page. A table of at most `keep_whole` rows is kept on one
        page; a longer one keeps its header with its first rows, and with `keep_groups` each
        group whole. `compact` rows are one line high (a long list of figures).
        """
        ws = self.ws
        header_first = self.row
        spanning: set[int] = set()  # columns whose header fills both header rows
        if groups:
            c = 1
            for text, span in groups:
                if text:
                    self._header_cell(self.row, c, text, span)
                    if span > 1:
                        ws.merge_cells(
                            start_row=self.row,
                            start_column=c,
                            end_row=self.row,
                            end_column=c + span - 1,
                        )
                else:
                    for k in range(span):
                        col = cols[c - 1 + k]
                        self._header_cell(self.row, c + k, col.header, 1, col)
                        self._header_cell(self.row + 1, c + k, "", 1, col)
                        ws.merge_cells(
                            start_row=self.row,
                            start_column=c + k,
                            end_row=self.row + 1,
                            end_column=c + k,
                        )
                        spanning.add(c + k)
                c += span
            self.row += 1
        header_last = self.row
        for c, col in enumerate(cols, start=1):
            if c not in spanning:
                self._header_cell(header_last, c, col.header, 1, col)
        self.row += 1
        data = [list(r) for r in rows]
        kinds = list(kinds) if kinds is not None else [DATA] * len(data)
        first = self.row
        groups_at: list[int] = []
        self.last_col = max(self.last_col, len(cols))
        for i, values in enumerate(data):
            kind = kinds[i]
            formats = row_formats[i] if row_formats is not None else None
            if kind == GROUP:
                self.keep(self.row, self.row + 2)  # a group's heading with its first rows
                groups_at.append(self.row)
                self._group_row(len(cols), str(values[0]))
                continue
            for c, col in enumerate(cols, start=1):
                value = values[c - 1] if c - 1 < len(values) else None
                fmt = formats[c - 1] if formats is not None and formats[c - 1] else col.fmt
                font = BOLD_FONT if kind in (SUBTOTAL, TOTAL) else BODY_FONT
                if col.small and kind == DATA:
                    font = SMALL_FONT
                cell = put(ws, self.row, c, value, fmt, font, col.align)
                cell.border = BORDER
                if kind in (SUBTOTAL, TOTAL):
                    cell.fill = TOTAL_FILL
                text = shown(value, fmt)
                limit = col.width if col.width is not None else col.cap
                if col.small:
                    limit = limit * BODY_FONT.size / SMALL_FONT.size
                if isinstance(plain(value), str):
                    long = display_width(text) > limit or "\n" in text
                    if col.align is None:
                        cell.alignment = LEFT_WRAP if long else LEFT
                    if long:
                        line = SMALL_LINE if font is SMALL_FONT else WRAP_LINE
                        self.wrapped.append((self.row, c, 1, text, line))
                elif col.align is None and not isinstance(plain(value), int | float):
                    cell.alignment = CENTER
                if col.width is None:
                    size = SMALL_FONT.size / BODY_FONT.size if font is SMALL_FONT else 1.0
                    self._measure(c, text, col.cap, size)
            self.heights.setdefault(self.row, COMPACT if compact else LINE + 3)
            self.row += 1
        last = max(self.row - 1, header_last)
        if keep_groups:
            for start, end in zip(groups_at, [*groups_at[1:], last + 1], strict=False):
                self.keep(start, end - 1)  # a group whole, when it fits on a page
        for c, col in enumerate(cols, start=1):
            if col.colour and data:
                letter = get_column_letter(c)
                colour(ws, f"{letter}{first}:{letter}{last}", col.colour)
            if col.width is not None:
                self.fixed[c] = max(self.fixed.get(c, 0.0), col.width)
        if freeze is not None:
            ws.freeze_panes = f"{get_column_letter(freeze + 1)}{header_last + 1}"
        if filter_ and data:
            body = [i for i, k in enumerate(kinds) if k == DATA]
            end = first + (body[-1] if body else 0)
            ws.auto_filter.ref = f"A{header_last}:{get_column_letter(len(cols))}{end}"
        if repeat:
            self.repeat_rows = (header_first, header_last)
        top = self.heading if self.heading == header_first - 1 else header_first
        self.keep(top, min(last, first + 2))  # the heading and header with the first rows
        if len(data) <= keep_whole:
            self.keep(top, last)  # and the whole table, when it fits on a page
        self.table_end = last
        return Table(header_first, header_last, first, last)

    def _header_cell(
        self, row: int, col: int, text: str, span: int, spec: Col | None = None
    ) -> None:
        cell = put(self.ws, row, col, text or None, font=HEADER_FONT, align=CENTER)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        for k in range(1, span):
            self._border(row, col + k)
        if not text:
            return
        if span == 1:
            if spec is not None and spec.width is not None:
                cap = int(spec.width) - 1
            else:
                cap = min(spec.cap, HEADER_CAP) if spec is not None else HEADER_CAP
            lines = header_lines(text, cap)
            cell.value = "\n".join(lines)
            if spec is None or spec.width is None:
                for line in lines:
                    self._measure(col, line, cap)
        self.wrapped.append((row, col, span, text, WRAP_LINE))
        self.heights.setdefault(row, LINE + 5)

    def _border(self, row: int, col: int) -> None:
        cell = self.ws.cell(row=row, column=col)
        cell.border = BORDER
        cell.fill = HEADER_FILL

    def _group_row(self, width: int, text: str) -> None:
        cell = put(self.ws, self.row, 1, text, font=BOLD_FONT, align=LEFT)
        for c in range(1, width + 1):
            self.ws.cell(row=self.row, column=c).border = BORDER
            self.ws.cell(row=self.row, column=c).fill = GROUP_FILL
        cell.fill = GROUP_FILL
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.heights[self.row] = LINE + 3
        self.row += 1

    def sign(self, issued: dt.date) -> None:
        """The 填报人 / 审核人 line a submitted table ends with."""
        gap = "　" * 6
        self.spans.append(
            (
                self.row,
                f"填报人：{gap}审核人：{gap}联系电话：{gap}报送日期：{issued.isoformat()}",
                BYLINE_FONT,
                LEFT,
                None,
            )
        )
        self.heights[self.row] = LINE + 6
        self.row += 1

    def chart(
        self,
        chart: ChartBase,
        col: int,
        row: int | None = None,
        width_cm: float = 17.0,
        height_cm: float = 8.5,
    ) -> None:
        """A native chart anchored at (row, col); without `row` it goes below what was written
        and writing continues below it. The rows it covers print on one page."""
        chart.width = width_cm
        chart.height = height_cm
        below = row is None
        top = self.row if row is None else row
        self.ws.add_chart(chart, f"{get_column_letter(col)}{top}")
        covered, used = top, 0.0
        while used < height_cm / CM_PER_PT + 4:
            if below:
                self.heights[covered] = LINE
            used += self.heights.get(covered, LINE)
            covered += 1
        self.charts_bottom = max(self.charts_bottom, covered)
        self.keep(top, covered)
        self.charts.append((col, width_cm))
        self.row = max(self.row, covered + 1)

    # -------------------------------------------------------- finishing
    def _width(self, col: int) -> float:
        """A fixed width (the widest any table asked for), widened by what other tables wrote."""
        need = self.need.get(col)
        if need is None:
            return self.fixed.get(col, 9.0)
        return max(self.fixed.get(col, 0.0), MIN_WIDTH, math.ceil(need * GLYPH_SLACK) + 1.5)

    def total_width(self) -> float:
        return sum(self._width(c) for c in range(1, self.last_col + 1))

    def finish(self) -> None:
        ws = self.ws
        for col, width_cm in self.charts:  # the printed width reaches the charts' right edge
            right, spanned = col, 0.0
            while spanned < width_cm:
                spanned += self._width(right) * PT_PER_WIDTH * CM_PER_PT
                right += 1
            self.last_col = max(self.last_col, right - 1)
        for col in range(1, self.last_col + 1):
            ws.column_dimensions[get_column_letter(col)].width = self._width(col)
        for row, left, right_text in self.bylines:
            put(ws, row, 1, left, font=BYLINE_FONT, align=LEFT)
            if right_text:
                put(ws, row, self.last_col, right_text, font=BYLINE_FONT, align=RIGHT)
        for row, text, font, align, columns in self.spans:
            across = columns or self.span_cols or self.last_col
            put(ws, row, 1, text, font=font, align=align)
            if across > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=across)
            if font is NOTE_FONT:
                spanned = sum(self._width(c) for c in range(1, across + 1))
                lines = text_lines(text, spanned * BODY_FONT.size / NOTE_FONT.size)
                self.heights[row] = max(NOTE_LINE * lines + 2, LINE)
        for row, col, span, text, line in self.wrapped:
            width = sum(self._width(c) for c in range(col, col + span))
            small = line == SMALL_LINE  # the same width holds more of a smaller type
            lines = text_lines(text, width * BODY_FONT.size / SMALL_FONT.size if small else width)
            self.heights[row] = max(self.heights.get(row, LINE), line * lines + 4)
        bottom = max(self.row - 1, self.charts_bottom, 1)
        for row in range(1, bottom + 1):
            ws.row_dimensions[row].height = self.heights.get(row, LINE)
        if not self.open_ended:
            ws.print_area = f"A1:{get_column_letter(self.last_col)}{bottom}"
        print_setup(self, bottom)


# ---------------------------------------------------------------- print setup
def _paper_room(paper: str) -> tuple[float, float]:
    """Printable width and height of a landscape sheet of paper, in points."""
    _, width, height = PAPER[paper]
    return width - 2 * 72 * MARGIN_SIDE, height - 2 * 72 * MARGIN_TOP


def width_scale(sheet: Sheet, paper: str = "A4") -> int:
    """The largest print scale (≤ 100) at which the printed columns fit the paper's width."""
    room, _ = _paper_room(paper)
    need = sum(sheet._width(c) * PT_PER_WIDTH + 1 for c in range(1, sheet.last_col + 1))
    return min(100, math.floor(100 * room * FIT / need))


def paginate(
    heights: Sequence[float],
    room: float,
    titles: tuple[int, int] | None,
    keeps: Sequence[tuple[int, int]],
) -> list[tuple[int, bool]]:
    """Rows (1-based) a new page starts at, and whether a keep-range moved the break up.

    `heights[i]` is row i+1's height; the `titles` rows (first, last) repeat at the top of every
    page after them. A keep-range that would be cut moves whole to the next page when it fits.
    """
    first, last = titles or (1, 0)
    title_height = sum(heights[first - 1 : last])
    starts: list[tuple[int, bool]] = []
    used = 0.0
    page_start = 1
    row = 1
    while row <= len(heights):
        h = heights[row - 1]
        if used + h > room and row > page_start:
            start, moved = row, True
            while moved:  # a range kept together may sit inside another: move to the outermost
                moved = False
                for a, b in keeps:
                    block = sum(heights[a - 1 : b]) + title_height
                    # never leave a page holding little more than its titles
                    kept = sum(heights[max(page_start, last + 1) - 1 : a - 1])
                    if (
                        a <= start <= b
                        and page_start < a < start
                        and a > last
                        and block <= room
                        and kept >= MIN_PAGE_FILL * room
                    ):
                        start, moved = a, True
            starts.append((start, start < row))
            page_start = start
            used = title_height if start > last else 0.0
            row = start
            continue
        used += h
        row += 1
    return starts


def print_setup(sheet: Sheet, bottom: int) -> None:
    """Landscape paper at a scale that fits the width (never below MIN_SCALE on A4 unless the
    sheet asks for A3), title rows on every page, breaks that keep headings with their tables,
    and a page header and footer."""
    ws = sheet.ws
    paper = sheet.paper
    scale = width_scale(sheet, paper)
    if scale < MIN_SCALE and sheet.repeat_cols:
        scale = SPLIT_SCALE  # across pages, the first columns repeated on each
    heights = [ws.row_dimensions[r].height or LINE for r in range(1, bottom + 1)]
    _, room = _paper_room(paper)
    titles = sheet.repeat_rows or ((1, sheet.title_rows) if sheet.title_rows else None)

    def pages(at: int, fit: float = FIT_HEIGHT) -> list[tuple[int, bool]]:
        return paginate(heights, room * fit * 100 / at, titles, sheet.keeps)

    if sheet.fit_height:  # one page: no break to keep anything together, only the text to fit
        while scale > MIN_SCALE and pages(scale, FIT):
            scale -= 1
    starts = pages(scale, FIT if sheet.fit_height else FIT_HEIGHT)
    if not sheet.fit_height and starts:
        # a table cut in two that would fit whole a few per cent smaller: print it smaller
        def cut(found: list[tuple[int, bool]], at: int) -> int:
            fits = room * FIT_HEIGHT * 100 / at
            return sum(
                1
                for a, b in sheet.keeps
                if sum(heights[a - 1 : b]) <= fits
                for s, _ in found
                if a < s <= b
            )

        for smaller in range(scale - 1, max(MIN_SCALE, scale - 6) - 1, -1):
            if cut(starts, scale) == 0:
                break
            if cut(pages(smaller), smaller) < cut(starts, scale):
                scale, starts = smaller, pages(smaller)
    if starts:
        # no near-empty last page: a little smaller when that saves the page
        last_page = sum(heights[starts[-1][0] - 1 :])  # beside the titles repeated on it
        if last_page < NEAR_EMPTY * room * FIT_HEIGHT * 100 / scale:
            for smaller in range(scale - 1, max(MIN_SCALE, scale - 20) - 1, -1):
                if len(pages(smaller)) < len(starts):
                    scale, starts = smaller, pages(smaller)
                    break
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    ws.row_breaks = RowBreak()
    # Every break is set: with a little room left on each page (FIT_HEIGHT), a renderer that
    # measures slightly differently still breaks where the headings stay with their tables.
    for start, _ in starts:
        ws.row_breaks.append(Break(id=start - 1))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER[paper][0]
    ws.page_setup.scale = scale
    ws.page_setup.fitToWidth = 0
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = MARGIN_EDGE
    ws.print_options.horizontalCentered = True
    if titles:
        ws.print_title_rows = f"{titles[0]}:{titles[1]}"
    if sheet.repeat_cols:
        ws.print_title_cols = sheet.repeat_cols
    page_header(ws, sheet.book)


def page_header(ws: Worksheet, book: BookInfo) -> None:
    """Header: 示例数据 (when built from the sample), the report title, the sheet; footer: pages."""
    if book.synthetic:
        ws.oddHeader.left.text = SAMPLE_MARK
        ws.oddHeader.left.color = "C00000"
        ws.oddHeader.left.font = f"{HEAD},Regular"
        ws.oddHeader.left.size = 11
    ws.oddHeader.center.text = book.title
    ws.oddHeader.center.font = f"{HEAD},Regular"
    ws.oddHeader.center.size = 10
    ws.oddHeader.right.text = "&A"
    ws.oddHeader.right.font = f"{BODY},Regular"
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = f"{BODY},Regular"
    ws.oddFooter.center.size = 9


# ---------------------------------------------------------------- saving
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def dated_core(core: bytes, stamp: dt.datetime) -> bytes:
    """docProps/core.xml with its modified date set to `stamp` (W3CDTF, as Excel writes it)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)",
        lambda m: m.group(1) + when + m.group(2),
        core,
        count=1,
    )


def workbook_bytes(wb: Workbook, stamp: dt.datetime, book: BookInfo | None = None) -> bytes:
    """The workbook as .xlsx bytes that depend on its content alone.

    Saved the ordinary way, then the archive is rewritten: every member dated `stamp` (the
    data's as-of date, never "now"), the document properties dated `stamp` as well.
    """
    props = wb.properties
    if book is not None:
        props.title = book.title
        props.subject = book.subject
        props.creator = book.office or "乌海市招商引资工作调度"
        props.lastModifiedBy = props.creator
        props.keywords = book.keywords
        props.description = SAMPLE_LINE if book.synthetic else "根据各区报送的台账汇总生成。"
        props.category = "调度表"
        props.language = "zh-CN"
    props.created = stamp
    saved = io.BytesIO()
    wb.save(saved)  # stamps 'modified' with the time of saving: set back to `stamp` below
    props.modified = stamp
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = dated_core(data, stamp)
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, data)
    return out.getvalue()


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


def save(build: Callable[[], bytes], path: Path) -> None:
    """Build a workbook's bytes and save them atomically at `path` (see atomic_write)."""
    try:
        atomic_write(path, build)
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
