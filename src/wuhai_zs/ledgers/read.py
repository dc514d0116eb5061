"""Raw tables from CSV files and workbook sheets: cell text plus the row number a person sees."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
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
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# The csv module refuses cells over 128 KiB by default; a pasted document can be larger.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class Body:
    """Rows below the header as text columns c0..cN, with each row's number as a person sees it."""

    frame: pd.DataFrame
    rows: np.ndarray


class RawTable(Protocol):
    top: list[list[str]]
    top_rows: list[int]

    def body(self, start: int, width: int) -> Body: ...


def _frame_from_rows(rows: list[list[str]], width: int) -> pd.DataFrame:
    padded = [(r + [""] * width)[:width] for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    return pd.DataFrame({f"c{i}": pd.Series(col, dtype=STR) for i, col in enumerate(columns)})


@dataclass
class SheetTable:
    """A workbook sheet read whole by calamine; row i of the grid is Excel row i + 1."""

    grid: list[list[Any]]

    def __post_init__(self) -> None:
        self.top = [[cell_to_text(v) for v in row] for row in self.grid[:HEADER_SCAN_ROWS]]
        self.top_rows = list(range(1, len(self.top) + 1))

    def body(self, start: int, width: int) -> Body:
        """Text columns where every cell is text; others keep calamine's numbers and dates."""
        rows = self.grid[start:]
        n = len(rows)
        widest = max((len(r) for r in rows), default=0)
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
        return Body(frame, np.arange(start + 1, start + n + 1))


def open_workbook(path: Path, display: str) -> Any:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        _check_zip(path, display)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise SourceError(f"{display}: 文件已损坏或不是有效的 Excel/ODS 工作簿（{exc}）") from exc


def _check_zip(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{display}: 文件已损坏或不是有效的 Excel 工作簿") from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_INFLATED_BYTES or (worst > MAX_COMPRESSION_RATIO and total > 64 * 1024 * 1024):
        raise SourceError(
            f"{display}: 工作簿解压后约 {total / 1024**2:,.0f} MB，超出可处理范围（疑似压缩炸弹），已拒绝读取"
        )


def read_sheet(workbook: Any, sheet: str, display: str) -> SheetTable:
    try:
        grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SourceError(f"{display} [{sheet}]: 无法读取工作表（{exc}）") from exc
    return SheetTable(grid)


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


def decode_csv(path: Path, display: str) -> bytes:
    """The file's bytes as UTF-8, decided from the bytes themselves."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{display}: 无法读取文件（{os_reason(exc)}）") from exc
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
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")
    return data


@dataclass
class CsvTable:
    """A CSV file: the head parsed by the csv module, the body by pyarrow."""

    data: bytes
    display: str = ""

    def __post_init__(self) -> None:
        try:
            self._read_head()
        except csv.Error as exc:
            raise SourceError(f"{self.display}: CSV 格式无法解析（{exc}）") from exc

    def _read_head(self) -> None:
        head = self.data[:_HEAD_BYTES]
        if len(head) < len(self.data):
            head = head[: head.rfind(b"\n") + 1] or head
        reader = csv.reader(io.StringIO(head.decode("utf-8", errors="replace"), newline=""))
        self.top, self.top_rows, self._ends = [], [], []
        start_line = 1
        for record in reader:
            self.top.append(record)
            self.top_rows.append(start_line)
            self._ends.append(reader.line_num)
            start_line = reader.line_num + 1
            if len(self.top) >= HEADER_SCAN_ROWS:
                break

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
        try:
            if b'"' in chunk:
                return self._python_body(chunk, width, first_line)
            return self._arrow_body(chunk, width, first_line)
        except csv.Error as exc:
            raise SourceError(f"{self.display}: CSV 格式无法解析（{exc}）") from exc

    def _arrow_body(self, chunk: bytes, width: int, first_line: int) -> Body:
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
                    invalid_row_handler=keep, ignore_empty_lines=False
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
            return self._python_body(chunk, width, first_line)
        lines = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
        if table.num_rows + len(odd) != lines:
            return self._python_body(chunk, width, first_line)
        frame = table.to_pandas(types_mapper={pa.string(): STR}.get)
        frame.columns = names
        odd_lines = np.array([n for n, _ in odd], dtype="int64")
        all_lines = np.arange(first_line, first_line + lines)
        rows = np.delete(all_lines, odd_lines - 1) if odd else all_lines
        if odd:
            extra = _frame_from_rows([next(csv.reader([t])) if t else [] for _, t in odd], width)
            frame = pd.concat([frame, extra], ignore_index=True)
            rows = np.concatenate([rows, odd_lines + first_line - 1])
            order = np.argsort(rows, kind="stable")
            frame = frame.iloc[order].reset_index(drop=True)
            rows = rows[order]
        return Body(frame, rows)

    def _python_body(self, chunk: bytes, width: int, first_line: int) -> Body:
        reader = csv.reader(io.StringIO(chunk.decode("utf-8", errors="replace"), newline=""))
        records: list[list[str]] = []
        starts: list[int] = []
        line = first_line
        for record in reader:
            records.append(record)
            starts.append(line)
            line = first_line + reader.line_num
        return Body(_frame_from_rows(records, width), np.array(starts, dtype="int64"))


def read_csv_table(path: Path, display: str) -> CsvTable:
    return CsvTable(decode_csv(path, display), display)
