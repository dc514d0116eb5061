"""Workbooks that are not what their name says: HTML tables and Excel 2003 XML saved as .xls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from wuhai_zs.errors import UNDECODABLE, SourceError
from wuhai_zs.ledgers.read import CellProblem, SheetTable, is_utf8


@dataclass
class _Grid:
    """Cells placed by (row, column) as they are met, merges noted; rows kept sparse."""

    cells: dict[int, dict[int, Any]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_cols: set[int] = field(default_factory=set)
    problems: bool = False

    def put(self, row: int, col: int, value: Any) -> None:
        self.cells.setdefault(row, {})[col] = value

    def table(self) -> SheetTable:
        rows = sorted(self.cells)
        width = max((max(r) + 1 for r in self.cells.values() if r), default=0)
        grid = [[self.cells[r].get(c, "") for c in range(width)] for r in rows]
        return SheetTable(
            grid, [r + 1 for r in rows], None, self.hidden_cols, self.merges, self.problems
        )


@dataclass
class GridBook:
    """A workbook read into grids by this package (not by calamine)."""

    grids: dict[str, _Grid]
    hidden: set[str] = field(default_factory=set)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.grids)

    def read(self, sheet: str, display: str) -> SheetTable:
        return self.grids[sheet].table()


def _decode(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if is_utf8(data):
        return data.decode("utf-8")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{display}: {UNDECODABLE}") from exc


class _Tables(HTMLParser):
    """Every top-level <table>: rows of cells, rowspan and colspan placed as Excel shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grids: list[_Grid] = []
        self.depth = 0
        self.row = -1
        self.col = 0
        self.text: list[str] | None = None
        self.span = (1, 1)
        self.taken: dict[tuple[int, int], bool] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.grids.append(_Grid())
                self.row, self.taken = -1, {}
        elif self.depth != 1:
            return
        elif tag == "tr":
            self.row += 1
            self.col = 0
        elif tag in ("td", "th"):
            found = dict(attrs)
            self.span = (_int(found.get("rowspan")), _int(found.get("colspan")))
            self.text = []
        elif tag == "br" and self.text is not None:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif self.depth == 1 and tag in ("td", "th") and self.text is not None:
            self._cell("".join(self.text).strip())
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(" ".join(data.split()) if "\n" in data else data)

    def _cell(self, value: str) -> None:
        grid = self.grids[-1]
        row = max(self.row, 0)
        while self.taken.get((row, self.col)):
            self.col += 1
        rows, cols = self.span
        for r in range(row, row + rows):
            for c in range(self.col, self.col + cols):
                self.taken[(r, c)] = True
        grid.put(row, self.col, value)
        if rows > 1:
            grid.merges.append((row, self.col, row + rows - 1, self.col + cols - 1))
        self.col += cols


def _int(text: str | None) -> int:
    try:
        return max(1, min(int(text or "1"), 10_000))
    except ValueError:
        return 1


@dataclass
class HtmlBook(GridBook):
    @classmethod
    def load(cls, path: Path, display: str) -> HtmlBook:
        parser = _Tables()
        parser.feed(_decode(path.read_bytes(), display))
        parser.close()
        grids = [g for g in parser.grids if g.cells]
        if not grids:
            raise SourceError(
                f"{display}: 文件实际是网页（HTML），其中没有表格；请用 Excel 或 WPS 打开后另存为 .xlsx"
            )
        names = ["Sheet1"] if len(grids) == 1 else [f"表{i + 1}" for i in range(len(grids))]
        return cls(dict(zip(names, grids, strict=True)))


SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
XL = "{urn:schemas-microsoft-com:office:excel}"


@dataclass
class Xml2003Book(GridBook):
    @classmethod
    def load(cls, path: Path, display: str) -> Xml2003Book:
        from defusedxml import ElementTree

        try:
            root = ElementTree.fromstring(path.read_bytes())
        except Exception as exc:  # defusedxml and expat raise several types
            raise SourceError(
                f"{display}: 文件是 Excel 2003 XML 表格，但内容不完整或已损坏；"
                "请用 Excel 或 WPS 打开后另存为 .xlsx"
            ) from exc
        grids: dict[str, _Grid] = {}
        hidden: set[str] = set()
        for number, sheet in enumerate(root.iter(f"{SS}Worksheet"), start=1):
            name = sheet.get(f"{SS}Name") or f"Sheet{number}"
            grids[name] = _worksheet(sheet)
            visible = sheet.find(f"{XL}WorksheetOptions/{XL}Visible")
            if visible is not None and (visible.text or "").strip() != "SheetVisible":
                hidden.add(name)
        return cls(grids, hidden)


def _worksheet(sheet: Any) -> _Grid:
    grid = _Grid()
    table = sheet.find(f"{SS}Table")
    if table is None:
        return grid
    col = 0
    for column in table.iter(f"{SS}Column"):
        col = _int(column.get(f"{SS}Index")) - 1 if column.get(f"{SS}Index") else col
        span = int(column.get(f"{SS}Span") or 0) + 1
        if column.get(f"{SS}Hidden") in ("1", "true"):
            grid.hidden_cols.update(range(col, col + span))
        col += span
    row = -1
    for element in table.iter(f"{SS}Row"):
        index = element.get(f"{SS}Index")
        row = int(index) - 1 if index else row + 1
        col = 0
        for cell in element.iter(f"{SS}Cell"):
            if cell.get(f"{SS}Index"):
                col = int(cell.get(f"{SS}Index")) - 1
            data = cell.find(f"{SS}Data")
            if data is not None:
                value = _xml_value(data.get(f"{SS}Type") or "String", "".join(data.itertext()))
                if isinstance(value, CellProblem):
                    grid.problems = True
                grid.put(row, col, value)
            across = int(cell.get(f"{SS}MergeAcross") or 0)
            down = int(cell.get(f"{SS}MergeDown") or 0)
            if down:
                grid.merges.append((row, col, row + down, col + across))
            col += 1 + across
    return grid


def _xml_value(kind: str, text: str) -> Any:
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return dt.datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true")
    if kind == "Error":
        return CellProblem(text.strip() or "#N/A", "error")
    return text
