"""What calamine does not show of an .xlsx sheet: where its cells are, formulas, errors, hidden columns, merges."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import join, normpath

# A sheet whose used range is this much larger than its cells is read with its empty rows and
# columns squeezed out: one stray cell at XFD1048576 would otherwise ask for 17 billion cells.
SPARSE_MIN_AREA = 200_000
SPARSE_RATIO = 4
# Every column of the used range costs the reader a column of work, however few its rows: a
# note typed at XFD3 would make a 16,384-column table (seconds per sheet). Such a sheet is
# squeezed too.
SPARSE_MIN_COLUMNS = 256


@dataclass
class CellNote:
    """A cell whose stored value is not what the sheet shows: an error value or a formula."""

    row: int  # 0-based, as in the sheet
    col: int
    kind: str  # "error" (#N/A ...) or "formula" (saved without its computed value)
    text: str  # the error value, or the formula


@dataclass
class SheetScan:
    max_row: int = 0  # 1-based, 0 when empty
    max_col: int = 0
    cells: int = 0
    used_cols: int = 0  # columns that hold at least one cell
    notes: list[CellNote] = field(default_factory=list)
    hidden_cols: set[int] = field(default_factory=set)  # 0-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    xml: bytes = b""
    prefix: bytes = b""

    @property
    def sparse(self) -> bool:
        area = self.max_row * self.max_col
        if area > SPARSE_MIN_AREA and area > SPARSE_RATIO * max(self.cells, 1):
            return True
        return self.max_col > SPARSE_MIN_COLUMNS and self.max_col > SPARSE_RATIO * self.used_cols


def col_index(letters: bytes | str) -> int:
    """0-based column index of `AB`."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_FULL_CALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")


class XlsxBook:
    """An .xlsx (or .xlsm) opened as a zip: sheet parts, their visibility, the calculation flag."""

    def __init__(self, path: Path | io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(path)
        names = set(self.zip.namelist())
        workbook = self.zip.read("xl/workbook.xml")
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = self.zip.read(rels_name) if rels_name in names else b""
        targets: dict[str, str] = {}
        for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
            attrs = dict(_ATTR.findall(m.group(1)))
            target = attrs.get(b"Target", b"").decode()
            target = target[1:] if target.startswith("/") else normpath(join("xl", target))
            targets[attrs.get(b"Id", b"").decode()] = target
        self.parts: dict[str, str] = {}
        self.hidden: set[str] = set()
        for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)>", workbook):
            attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(1))}
            name = _unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
            part = targets.get(attrs.get(b"id", b"").decode(), "")
            if part in names:
                self.parts[name] = part
            if attrs.get(b"state", b"visible") != b"visible":
                self.hidden.add(name)
        # Programs that write workbooks without calculating them (openpyxl, xlsxwriter) ask for a
        # full recalculation on load; Excel and WPS drop the flag when they save.
        self.recalc = bool(_FULL_CALC.search(workbook))

    def scan(self, sheet: str) -> SheetScan | None:
        part = self.parts.get(sheet)
        if part is None:
            return None
        return scan_sheet(self.zip.read(part), self.recalc)

    def compacted(self, sheet: str, scan: SheetScan) -> tuple[io.BytesIO, list[int], list[int]]:
        """A copy of the workbook whose sheet keeps only its rows and columns that hold cells.

        Returns the copy and, for each row and column of the copy, its number in the original.
        """
        xml, rows, cols = _compact(scan)
        out = io.BytesIO()
        part = self.parts[sheet]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for info in self.zip.infolist():
                data = xml if info.filename == part else self.zip.read(info)
                dst.writestr(info.filename, data)
        out.seek(0)
        return out, rows, cols


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def scan_sheet(xml: bytes, recalc: bool) -> SheetScan:
    """Where the cells are and which cells need a second look, by searching the sheet's XML."""
    head = re.search(rb"<(\w+:)?sheetData\b", xml)
    scan = SheetScan(xml=xml)
    if head is None:
        return scan
    p = head.group(1) or b""
    scan.prefix = p
    start = head.start()
    end = xml.rfind(b"</" + p + b"sheetData>")
    data = xml[start : end if end > start else len(xml)]
    scan.cells = data.count(b"<" + p + b"c ") + data.count(b"<" + p + b"c>")
    last_row = data.rfind(b"<" + p + b"row ")
    if last_row >= 0:
        m = re.match(rb'[^>]*?\br="(\d+)"', data[last_row : last_row + 200])
        scan.max_row = int(m.group(1)) if m else data.count(b"<" + p + b"row ")
    last_cell = data.rfind(b"<" + p + b'c r="')
    if last_cell >= 0:
        m = re.match(rb'<(?:\w+:)?c r="[A-Z]+(\d+)"', data[last_cell : last_cell + 40])
        if m:
            scan.max_row = max(scan.max_row, int(m.group(1)))
    letters = set(re.findall(b"<" + p + rb'c r="([A-Z]+)', data))
    scan.max_col = max((col_index(c) for c in letters), default=-1) + 1
    scan.used_cols = len(letters)
    if b"<" + p + b"f" in data:
        scan.notes += _formula_cells(data, p, recalc)
    if b't="e"' in data:
        seen = {(n.row, n.col) for n in scan.notes}
        scan.notes += [n for n in _error_cells(data, p) if (n.row, n.col) not in seen]
    scan.hidden_cols = _hidden_columns(xml[:start], p)
    tail = xml[end:] if end > start else b""
    if b"mergeCell" in tail:
        for m in re.finditer(
            rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', tail
        ):
            c0, r0 = col_index(m.group(1)), int(m.group(2)) - 1
            c1 = col_index(m.group(3)) if m.group(3) else c0
            r1 = int(m.group(4)) - 1 if m.group(4) else r0
            scan.merges.append((r0, c0, r1, c1))
    return scan


_FORMULA = (
    rb'<{p}c r="([A-Z]+)(\d+)"([^>]*?)>\s*<{p}f\b[^>]*?(?:/>|>(.*?)</{p}f>)'
    rb"\s*(?:<{p}v>([^<]*)</{p}v>|<{p}v\s*/>)?"
)


def _formula_cells(data: bytes, p: bytes, recalc: bool) -> list[CellNote]:
    """Formula cells saved without a computed value (or with an error as their value).

    A formula has no computed value when its <v> is missing or empty (openpyxl), or when the
    workbook asks for a full recalculation on load and the stored value is the 0 that xlsxwriter
    writes for every formula it was not given a value for. Excel and WPS write the value and
    drop that flag when they save, so a real 0 from them is trusted.
    """
    pattern = re.compile(_FORMULA.replace(b"{p}", p), re.DOTALL)
    out: list[CellNote] = []
    for m in pattern.finditer(data):
        attrs = dict(_ATTR.findall(m.group(3)))
        kind = attrs.get(b"t", b"n")
        cached = m.group(5)
        formula = "=" + _unescape((m.group(4) or b"").decode("utf-8", "replace"))
        row, col = int(m.group(2)) - 1, col_index(m.group(1))
        if kind == b"e":
            out.append(CellNote(row, col, "error", (cached or b"#N/A").decode()))
        elif ((cached is None or cached == b"") and kind != b"str") or (
            recalc and cached == b"0" and kind == b"n"
        ):
            out.append(CellNote(row, col, "formula", formula))
    return out


def _error_cells(data: bytes, p: bytes) -> list[CellNote]:
    pattern = re.compile(
        rb'<{p}c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</{p}c>).)*?<{p}v>([^<]*)</{p}v>'.replace(
            b"{p}", p
        ),
        re.DOTALL,
    )
    return [
        CellNote(int(m.group(2)) - 1, col_index(m.group(1)), "error", m.group(3).decode())
        for m in pattern.finditer(data)
    ]


def _hidden_columns(head: bytes, p: bytes) -> set[int]:
    hidden: set[int] = set()
    for m in re.finditer(b"<" + p + rb"col\b([^>]*)>", head):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get(b"hidden") in (b"1", b"true"):
            lo, hi = int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1"))
            hidden.update(range(lo - 1, min(hi, lo + 16384)))
    return hidden


def _compact(scan: SheetScan) -> tuple[bytes, list[int], list[int]]:
    """The sheet XML with rows and columns renumbered to leave out the empty ones."""
    xml, p = scan.xml, scan.prefix
    rows = sorted(
        {int(r) for r in re.findall(b"<" + p + rb'row [^>]*?\br="(\d+)"', xml)}
        | {int(r) for r in re.findall(b"<" + p + rb'c r="[A-Z]+(\d+)"', xml)}
    )
    letters = set(re.findall(b"<" + p + rb'c r="([A-Z]+)\d+"', xml))
    cols = sorted(col_index(c) for c in letters)
    row_at = {r: i + 1 for i, r in enumerate(rows)}
    col_at = {c: col_letters(i).encode() for i, c in enumerate(cols)}

    def row_tag(m: re.Match[bytes]) -> bytes:
        return m.group(1) + str(row_at[int(m.group(2))]).encode() + b'"'

    def cell_ref(m: re.Match[bytes]) -> bytes:
        return m.group(1) + col_at[col_index(m.group(2))] + str(row_at[int(m.group(3))]).encode()

    xml = re.sub(rb"<(?:\w+:)?dimension\b[^>]*/>", b"", xml)
    xml = re.sub(rb'\sspans="[^"]*"', b"", xml)
    xml = re.sub(b"(<" + p + rb'row [^>]*?\br=")(\d+)"', row_tag, xml)
    xml = re.sub(b"(<" + p + rb'c r=")([A-Z]+)(\d+)', cell_ref, xml)
    return xml, rows, cols
