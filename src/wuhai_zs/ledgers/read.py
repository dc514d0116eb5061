"""Raw tables from CSV files and workbook sheets: cell text plus the row number a person sees."""

from __future__ import annotations

import bisect
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from wuhai_zs.errors import NOT_TEXT, UNDECODABLE, SourceError, os_reason
from wuhai_zs.ledgers.values import STR, cell_to_text

HEADER_SCAN_ROWS = 40
_HEAD_BYTES = 256 * 1024
# A workbook is a zip: refuse one whose parts would inflate past this, before inflating anything.
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
# The csv module refuses cells over 128 KiB by default; a pasted document can be larger.
csv.field_size_limit(64 * 1024 * 1024)

# What Excel, WPS and LibreOffice show in a cell whose formula failed.
ERROR_VALUES = frozenset(
    {
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#CONNECT!",
    }
)


class CellProblem(str):
    """A cell that holds no usable value: an error value (`#N/A`) or a formula without its result."""

    kind: str  # "error" or "formula"

    def __new__(cls, text: str, kind: str) -> CellProblem:
        obj = super().__new__(cls, text)
        obj.kind = kind
        return obj


@dataclass
class Body:
    """Rows below the header as text columns c0..cN, with each row's number as a person sees it.

    `issues` are rows the reader could not split into cells with certainty (body index, code,
    text); `extra` are cells beyond the header's last column (body index, column, text): in a
    workbook only those that hold something, in a CSV every one (cells there can shift).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    issues: list[tuple[int, str, str]] = field(default_factory=list)
    extra: list[tuple[int, int, str]] = field(default_factory=list)


class RawTable(Protocol):
    top: list[list[str]]
    top_rows: list[int]
    is_text: bool  # a CSV: cells can shift, so a row with extra cells cannot be trusted
    has_problems: bool  # some cells are CellProblem
    problems: list[str]  # problems of the file as a whole (already in Chinese)

    def body(self, start: int, width: int) -> Body: ...

    def hidden_positions(self) -> set[int]: ...

    def column_name(self, pos: int) -> str: ...


def _frame_from_rows(rows: list[list[str]], width: int) -> pd.DataFrame:
    padded = [(r + [""] * width)[:width] for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    return pd.DataFrame({f"c{i}": pd.Series(col, dtype=STR) for i, col in enumerate(columns)})


def _is_content(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not (isinstance(value, float) and value != value)


@dataclass
class SheetTable:
    """A workbook sheet as a grid of cells, with the sheet row and column of every grid cell."""

    grid: list[list[Any]]
    row_numbers: list[int] | None = None  # sheet row (1-based) of each grid row; None: i + 1
    col_numbers: list[int] | None = None  # sheet column (0-based) of each grid column; None: i
    hidden_cols: set[int] = field(default_factory=set)  # sheet columns
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # sheet coords, 0-based
    has_problems: bool = False
    problems: list[str] = field(default_factory=list)
    is_text: bool = False

    def __post_init__(self) -> None:
        if self.row_numbers is None:
            self.row_numbers = list(range(1, len(self.grid) + 1))
        if self.merges:
            self._fill_merges()
        self.top = [[cell_to_text(v) for v in row] for row in self.grid[:HEADER_SCAN_ROWS]]
        self.top_rows = self.row_numbers[: len(self.top)]

    def _fill_merges(self) -> None:
        """A value in a merged cell holds for every row the merge covers (in its first column).

        Only down the rows: a title or footer merged across columns stays one cell, so it is not
        mistaken for a row of data.
        """
        rows = self.row_numbers or []
        cols = self.col_numbers
        for r0, c0, r1, _ in self.merges:
            if r1 <= r0:
                continue
            at = bisect.bisect_left(rows, r0 + 1)
            if at >= len(rows) or rows[at] != r0 + 1:
                continue
            if cols is None:
                col = c0
            else:
                col = bisect.bisect_left(cols, c0)
                if col >= len(cols) or cols[col] != c0:
                    continue
            row = self.grid[at]
            if col >= len(row) or not _is_content(row[col]):
                continue
            value = row[col]
            for i in range(at + 1, bisect.bisect_right(rows, r1 + 1)):
                target = self.grid[i]
                if col < len(target) and not _is_content(target[col]):
                    target[col] = value

    def hidden_positions(self) -> set[int]:
        if not self.hidden_cols:
            return set()
        if self.col_numbers is None:
            return set(self.hidden_cols)
        return {i for i, c in enumerate(self.col_numbers) if c in self.hidden_cols}

    def column_name(self, pos: int) -> str:
        from wuhai_zs.ledgers.xlsx import col_letters

        cols = self.col_numbers
        return f"{col_letters(cols[pos] if cols is not None and pos < len(cols) else pos)}列"

    def body(self, start: int, width: int) -> Body:
        """Text columns where every cell is text; others keep calamine's numbers and dates."""
        rows = self.grid[start:]
        n = len(rows)
        widest = max((len(r) for r in rows), default=0)
        extra: list[tuple[int, int, str]] = []
        if widest > width:
            for i, r in enumerate(rows):
                for j in range(width, len(r)):
                    if _is_content(r[j]):
                        extra.append((i, j, cell_to_text(r[j])))
        if any(len(r) != widest for r in rows):
            rows = [list(r) + [""] * (widest - len(r)) for r in rows]
        transposed = list(zip(*rows, strict=True)) if rows else []
        columns: dict[str, pd.Series] = {}
        for i in range(width):
            col = transposed[i] if i < len(transposed) else ("",) * n
            if all(type(v) is str for v in col):
                columns[f"c{i}"] = pd.Series(col, dtype=STR)
            else:
                columns[f"c{i}"] = pd.Series(col, dtype=object)
        frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(n))
        numbers = np.asarray(self.row_numbers[start:], dtype="int64")  # type: ignore[index]
        return Body(frame, numbers, [], extra)


# ------------------------------------------------------------------------------ workbooks


class Workbook(Protocol):
    @property
    def sheet_names(self) -> list[str]: ...

    @property
    def hidden(self) -> set[str]: ...

    def read(self, sheet: str, display: str) -> RawTable: ...


@dataclass
class CalamineBook:
    """An .xlsx, .xls or .ods read by calamine, with the .xlsx XML looked at where calamine is blind."""

    book: Any
    xlsx: Any = None  # XlsxBook for .xlsx/.xlsm
    kind: str = "xlsx"
    sheet_names: list[str] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sheet_names = list(self.book.sheet_names)
        visible = _visible_enum()
        self.hidden = {m.name for m in self.book.sheets_metadata if m.visible != visible}
        if self.xlsx is not None:
            self.hidden |= self.xlsx.hidden & set(self.sheet_names)

    def read(self, sheet: str, display: str) -> SheetTable:
        from python_calamine import CalamineWorkbook

        where = f"{display} [{sheet}]"
        scan = self.xlsx.scan(sheet) if self.xlsx is not None else None
        rows: list[int] | None = None
        cols: list[int] | None = None
        merged: list[Any] | None = None
        try:
            if scan is not None and scan.sparse:
                copy, rows, cols = self.xlsx.compacted(sheet, scan)
                squeezed = CalamineWorkbook.from_filelike(copy).get_sheet_by_name(sheet)
                grid = squeezed.to_python(skip_empty_area=False)[: len(rows)]
            else:
                data = self.book.get_sheet_by_name(sheet)
                grid = data.to_python(skip_empty_area=False)
                merged = data.merged_cell_ranges if scan is None else None
        except Exception as exc:  # calamine raises several unrelated types for a bad sheet
            raise SourceError(f"{where}: {_sheet_problem(exc)}") from exc
        table_merges: list[tuple[int, int, int, int]] = []
        hidden: set[int] = set()
        has_problems = False
        if scan is not None:
            table_merges = scan.merges
            hidden = scan.hidden_cols
            if scan.notes:
                has_problems = _place_notes(grid, scan.notes, rows, cols)
            scan.xml = b""
        elif merged:
            table_merges = [(a[0], a[1], b[0], b[1]) for a, b in merged]
        return SheetTable(grid, rows, cols, hidden, table_merges, has_problems)


def _place_notes(
    grid: list[list[Any]], notes: list[Any], rows: list[int] | None, cols: list[int] | None
) -> bool:
    placed = False
    for note in notes:
        r, c = note.row, note.col
        if rows is not None:
            r = bisect.bisect_left(rows, note.row + 1)
            if r >= len(rows) or rows[r] != note.row + 1:
                continue
        if cols is not None:
            c = bisect.bisect_left(cols, note.col)
            if c >= len(cols) or cols[c] != note.col:
                continue
        if r < len(grid) and c < len(grid[r]):
            grid[r][c] = CellProblem(note.text, note.kind)
            placed = True
    return placed


def _visible_enum() -> Any:
    from python_calamine import SheetVisibleEnum

    return SheetVisibleEnum.Visible


def _sheet_problem(exc: Exception) -> str:
    text = str(exc)
    if "Cell limit" in text or "limit exceeded" in text:
        return (
            "工作表的已用范围大得异常（可能在很远的行或列，如最后一行、最后一列，有多余的单元格），"
            "无法读取；请删除数据区以外的多余单元格后另存"
        )
    return "工作表无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后另存为 .xlsx 再试"


# What a file really is, from its first bytes (the name may say otherwise).
KIND_NAMES = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "ods": "OpenDocument 表格（.ods）",
    "html": "网页（HTML）表格",
    "xml2003": "Excel 2003 XML 表格",
    "text": "文本（CSV/制表符分隔）",
    "encrypted": "设有打开密码的加密文件",
    "zip": "压缩包",
    "pdf": "PDF 文件",
    "empty": "空文件",
    "unknown": "无法识别的文件",
}


def sniff(path: Path) -> str:
    """The kind of a file, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return "unknown"
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:64] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            return "xlsx"  # a damaged zip: reported as an unreadable workbook
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if b"opendocument.spreadsheet" in mimetype or "content.xml" in names:
            return "ods"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        try:
            blob = path.read_bytes()
        except OSError:
            return "xls"
        if "EncryptedPackage".encode("utf-16-le") in blob:
            return "encrypted"
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if b"<table" in text or text.startswith((b"<html", b"<!doctype html", b"<meta", b"<head")):
        return "html"
    if b"\x00" in head:
        return "unknown"
    return "text"


def open_workbook(path: Path, display: str, kind: str | None = None) -> Workbook:
    """A workbook of any kind the file really is; SourceError with how to fix it otherwise."""
    from python_calamine import CalamineWorkbook

    from wuhai_zs.ledgers.xlsx import XlsxBook

    kind = kind or sniff(path)
    if kind == "html":
        from wuhai_zs.ledgers.other import HtmlBook

        return HtmlBook.load(path, display)
    if kind == "xml2003":
        from wuhai_zs.ledgers.other import Xml2003Book

        return Xml2003Book.load(path, display)
    if kind not in ("xlsx", "xls", "ods"):
        raise SourceError(f"{display}: {not_a_workbook(kind)}")
    if kind in ("xlsx", "ods"):
        _check_zip(path, display)
    natural = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls", ".et"), "ods": (".ods",)}[kind]
    try:
        if path.suffix.lower() in natural and path.suffix.lower() != ".et":
            book = CalamineWorkbook.from_path(str(path))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        xlsx = XlsxBook(path) if kind == "xlsx" else None
    except SourceError:
        raise
    except Exception as exc:  # calamine and zipfile raise several unrelated types
        raise SourceError(
            f"{display}: 文件已损坏或不是有效的 {KIND_NAMES[kind]}，"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
        ) from exc
    return CalamineBook(book, xlsx, kind)


def not_a_workbook(kind: str) -> str:
    """What a file that cannot be read really is, and how to make it readable."""
    if kind == "encrypted":
        return "文件设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存"
    if kind == "empty":
        return "文件为空"
    return (
        f"文件实际是{KIND_NAMES.get(kind, KIND_NAMES['unknown'])}，不是 Excel 工作簿；"
        "请用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再试"
    )


def _check_zip(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            f"{display}: 文件已损坏（不是完整的 Excel 工作簿），请重新保存或重新发送"
        ) from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_INFLATED_BYTES or (worst > MAX_COMPRESSION_RATIO and total > 64 * 1024 * 1024):
        raise SourceError(
            f"{display}: 工作簿解压后约 {total / 1024**2:,.0f} MB，超出可处理范围（疑似压缩炸弹），已拒绝读取"
        )


# ------------------------------------------------------------------------------ text files


def is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8 (Arrow's vectorised check: ~15 GB/s)."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype="int64").tobytes())
    blob = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def decode_text(data: bytes, display: str) -> bytes:
    """The file's bytes as UTF-8 with LF or CRLF line ends, decided from the bytes themselves.

    UTF-16 with a byte-order mark is Excel's "Unicode 文本". CR, LF, CRLF and CR CR LF all end
    a line (CR CR LF comes from a CRLF file converted once more); lone CRs and CR CR LF become
    LF, so row numbers are the lines a text editor shows.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{display}: {UNDECODABLE}") from exc
    if not data.strip():
        raise SourceError(f"{display}: 文件为空")
    if b"\x00" in data[:_HEAD_BYTES]:
        raise SourceError(f"{display}: {NOT_TEXT}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not is_utf8(data):
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{display}: {UNDECODABLE}") from exc
    if b"\r" in data:
        crlf = data.count(b"\r\n")
        if data.count(b"\r") != crlf or b"\r\r" in data:
            data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def sniff_delimiter(data: bytes) -> str:
    """Tab for tab-separated text (Excel's 文本文件 and Unicode 文本), else comma."""
    head = data[:_HEAD_BYTES]
    return "\t" if head.count(b"\t") > head.count(b",") else ","


class _Lines:
    """Physical lines fed one at a time to the csv module, remembering how many it took."""

    def __init__(self, lines: list[str], pos: int) -> None:
        self.lines, self.pos = lines, pos

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1] + "\n"


def _swallows_rows(record: list[str], delimiter: str, looks_like_row: int) -> bool:
    """A quoted cell spans lines that look like whole rows (as many delimiters as a row has)."""
    return any(
        part.count(delimiter) >= looks_like_row
        for cell in record
        if "\n" in cell
        for part in cell.split("\n")[1:]
    )


def split_records(
    text: str, delimiter: str, width: int = 0, limit: int | None = None
) -> tuple[list[list[str]], list[int], list[int], list[int]]:
    """Records of CSV text: (cells, first line, lines spanned, indexes of records not trusted).

    A quote that opens a cell must close it (a quote inside is doubled) and be followed by the
    delimiter or the end of the line, as Excel writes. An unclosed quote would swallow every line
    after it: instead its line becomes one record on its own (its quotes taken as text), marked
    untrusted, and reading goes on from the next line. A quoted cell that spans lines which look
    like whole rows of the table (as many delimiters as a row has) is an unclosed quote too.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records: list[list[str]] = []
    starts: list[int] = []
    spans: list[int] = []
    untrusted: list[int] = []
    looks_like_row = max(2, width - 2)
    pos = 0
    while pos < len(lines) and (limit is None or len(records) < limit):
        feed = _Lines(lines, pos)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        while limit is None or len(records) < limit:
            start = feed.pos
            try:
                record: list[str] | None = next(reader)
            except StopIteration:
                pos = len(lines)
                break
            except csv.Error:
                record = None  # a quote that does not close as Excel writes it
            span = feed.pos - start
            if record is None or (span > 1 and _swallows_rows(record, delimiter, looks_like_row)):
                untrusted.append(len(records))
                records.append(lines[start].rstrip("\r").split(delimiter))
                starts.append(start)
                spans.append(1)
                pos = start + 1
                break
            records.append(record)
            starts.append(start)
            spans.append(span)
        else:
            break
    return records, starts, spans, untrusted


UNCLOSED_QUOTE = "unclosed-quote"


@dataclass
class CsvTable:
    """A CSV file: the head split by the csv module, the body by pyarrow where it has no quotes."""

    data: bytes
    display: str = ""
    delimiter: str = ","
    is_text: bool = True
    has_problems: bool = False

    def __post_init__(self) -> None:
        self.problems: list[str] = []
        head = self.data[:_HEAD_BYTES]
        if len(head) < len(self.data):
            head = head[: head.rfind(b"\n") + 1] or head
        text = head.decode("utf-8", errors="replace")
        records, starts, spans, _ = split_records(text, self.delimiter, 0, HEADER_SCAN_ROWS)
        self.top = records
        self.top_rows = [s + 1 for s in starts]
        self._ends = [s + n for s, n in zip(starts, spans, strict=True)]

    def hidden_positions(self) -> set[int]:
        return set()

    def column_name(self, pos: int) -> str:
        return f"第{pos + 1}列"

    def body(self, start: int, width: int) -> Body:
        skip_lines = self._ends[start - 1] if start > 0 else 0
        offset = 0
        for _ in range(skip_lines):
            nxt = self.data.find(b"\n", offset)
            offset = len(self.data) if nxt < 0 else nxt + 1
        chunk = self.data[offset:]
        first_line = skip_lines + 1
        if not chunk.strip(b"\r\n"):
            return Body(_frame_from_rows([], width), np.arange(0))
        if b'"' not in chunk:
            body = self._arrow_body(chunk, width, first_line)
            if body is not None:
                return body
        return self._python_body(chunk, width, first_line)

    def _arrow_body(self, chunk: bytes, width: int, first_line: int) -> Body | None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        names = [f"c{i}" for i in range(width)]
        odd: list[tuple[int | None, str]] = []

        def keep(row: Any) -> str:
            odd.append((row.number, row.text))
            return "skip"

        def parse(threads: bool) -> Any:
            odd.clear()
            return pacsv.read_csv(
                io.BytesIO(chunk),
                read_options=pacsv.ReadOptions(
                    column_names=names, use_threads=threads, block_size=8 << 20
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    quote_char=False,
                    invalid_row_handler=keep,
                    ignore_empty_lines=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )

        try:
            table = parse(threads=True)
            if odd:
                table = parse(threads=False)
        except pa.ArrowInvalid:
            return None
        # The check row accounting cannot make by itself: every physical line is one record.
        lines = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
        if table.num_rows + len(odd) != lines or any(n is None for n, _ in odd):
            return None
        odd_numbers = [int(n or 0) for n, _ in odd]
        frame = table.to_pandas(types_mapper={pa.string(): STR}.get)
        frame.columns = names
        rows = np.arange(first_line, first_line + lines)
        extra: list[tuple[int, int, str]] = []
        if odd:
            odd_lines = np.array(odd_numbers, dtype="int64")
            kept = np.delete(rows, odd_lines - 1)
            cells = [t.rstrip("\r").split(self.delimiter) if t else [] for _, t in odd]
            frame = pd.concat([frame, _frame_from_rows(cells, width)], ignore_index=True)
            rows = np.concatenate([kept, odd_lines + first_line - 1])
            order = np.argsort(rows, kind="stable")
            frame = frame.iloc[order].reset_index(drop=True)
            rows = rows[order]
            at = {n + first_line - 1: c for n, c in zip(odd_numbers, cells, strict=True)}
            position = {int(r): i for i, r in enumerate(rows)}
            for line, row_cells in at.items():
                # Every cell past the header counts, empty or not: `1,234.56,` is a row whose
                # amount moved into the next column, its last cell empty.
                extra += [(position[line], j, row_cells[j]) for j in range(width, len(row_cells))]
        return Body(frame, rows, [], extra)

    def _python_body(self, chunk: bytes, width: int, first_line: int) -> Body:
        text = chunk.decode("utf-8", errors="replace")
        records, starts, _, untrusted = split_records(text, self.delimiter, width)
        # Records against physical lines: each line is a record, or a line break inside a cell.
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        breaks = sum(cell.count("\n") for r in records for cell in r)
        if len(records) + breaks != lines:
            self.problems.append(
                f"文件正文有 {lines:,} 行，但读出 {len(records):,} 条记录、单元格内换行 {breaks:,} 处，"
                "二者对不上；请用 Excel 或 WPS 打开检查后另存为 CSV"
            )
        issues = [(i, UNCLOSED_QUOTE, self.delimiter.join(records[i])) for i in untrusted]
        extra = [
            (i, j, r[j])
            for i, r in enumerate(records)
            if len(r) > width
            for j in range(width, len(r))
        ]
        rows = np.array([first_line + s for s in starts], dtype="int64")
        return Body(_frame_from_rows(records, width), rows, issues, extra)


def read_csv_table(path: Path, display: str) -> CsvTable:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{display}: 无法读取文件（{os_reason(exc)}）") from exc
    text = decode_text(data, display)
    return CsvTable(text, display, sniff_delimiter(text))
