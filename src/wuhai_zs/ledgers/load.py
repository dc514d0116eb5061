"""Sources -> header -> values: one frame per ledger, every row accounted for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wuhai_zs.findings import Finding, LedgerStats
from wuhai_zs.findings.emit import SourceInfo, emit, emit_at
from wuhai_zs.ledgers import values as v
from wuhai_zs.ledgers.columns import DEFAULT_UNIT, LEDGERS, UNITS_BY_KIND, Ledger
from wuhai_zs.ledgers.header import detect_header, is_skip_column
from wuhai_zs.ledgers.read import RawTable, read_csv_table, read_sheet
from wuhai_zs.ledgers.sources import Discovery, Source, discover

TOTAL_RE = r"^(?:\d{4}年度?|[\u4e00-\u9fff]{1,8})?(?:合计|小计|总计)(?:[:：].*)?$"
FOOTER_RE = (
    r"^(?:填报人|填表人|审核人|审核|联系电话|联系人|注|制表人|制表|填报日期|负责人|"
    r"单位负责人|统计负责人|分管领导)\s*[:：]"
)

SKIP_TITLE = "标题/说明行"
SKIP_BLANK = "空行"
SKIP_TOTAL = "合计/小计行"
SKIP_FOOTER = "表尾（填报人、注等）"

Parser = Callable[[pd.Series], tuple[pd.Series, pd.Series]]
PARSERS: dict[str, tuple[Parser, str]] = {
    "money": (v.parse_number, "bad-number"),
    "usd": (v.parse_number, "bad-number"),
    "area": (v.parse_number, "bad-number"),
    "number": (v.parse_number, "bad-number"),
    "int": (v.parse_int, "bad-integer"),
    "date": (v.parse_date, "bad-date"),
    "month": (v.parse_month, "bad-month"),
    "year": (v.parse_year, "bad-year"),
    "bool": (v.parse_bool, "bad-yes-no"),
    "share": (v.parse_share, "bad-share"),
}


@dataclass
class LedgerData:
    spec: Ledger
    frame: pd.DataFrame  # data rows: ledger columns + _src, _row, _reject
    stats: LedgerStats

    @property
    def accepted(self) -> pd.DataFrame:
        return self.frame[~self.frame["_reject"]]


@dataclass
class Dataset:
    ledgers: dict[str, LedgerData]
    sources: list[SourceInfo]
    findings: list[Finding] = field(default_factory=list)
    ignored: list[tuple[str, str | None]] = field(default_factory=list)
    synthetic: bool = False  # read from the bundled sample: every output says 示例数据

    def has(self, ledger: str) -> bool:
        return ledger in self.ledgers

    def frame(self, ledger: str) -> pd.DataFrame | None:
        data = self.ledgers.get(ledger)
        return None if data is None else data.frame

    def accepted(self, ledger: str) -> pd.DataFrame | None:
        data = self.ledgers.get(ledger)
        return None if data is None else data.accepted


# A footer holds a few cells at most (and at most half of a narrow table's columns); a row
# with more is data, whatever its first cell says.
FOOTER_MAX_CELLS = 3


def _filled(column: pa.ChunkedArray) -> np.ndarray:
    """Cells that hold more than white space."""
    has_text = pc.greater(pc.utf8_length(column), 0)
    return pc.and_(has_text, pc.invert(pc.utf8_is_space(column))).to_numpy(zero_copy_only=False)


def _text_for_classifying(cells: pd.Series) -> pa.ChunkedArray:
    """Cells as text for spotting blank, total and footer rows; typed cells are just "filled"."""
    if cells.dtype == v.STR:
        return v.arrow(cells)
    values = cells.to_numpy()
    is_text = np.fromiter((type(x) is str for x in values), dtype=bool, count=len(values))
    return v.arrow(pd.Series(np.where(is_text, values, "0"), dtype=object))


def classify_rows(frame: pd.DataFrame) -> pd.Series:
    """Why each body row is not data ('' for a data row): blank, total or footer."""
    reason = np.full(len(frame), "", dtype=object)
    if frame.shape[1] == 0 or frame.empty:
        return pd.Series(reason, index=frame.index)
    columns = [_text_for_classifying(frame[c]) for c in frame.columns]
    filled = np.column_stack([_filled(c) for c in columns])
    count = filled.sum(axis=1)
    total = np.zeros(len(frame), dtype=bool)
    for c in columns:
        candidate = np.flatnonzero(pc.match_substring(c, "计").to_numpy(zero_copy_only=False))
        if len(candidate):
            cells = pd.Series(c.take(candidate).to_pylist(), dtype=v.STR)
            squeezed = cells.str.replace(r"\s+", "", regex=True)
            total[candidate] |= squeezed.str.fullmatch(TOTAL_RE).to_numpy(dtype=bool)
    footer = np.zeros(len(frame), dtype=bool)
    limit = min(FOOTER_MAX_CELLS, max(1, len(columns) // 2))
    sparse = np.flatnonzero((count >= 1) & (count <= limit))
    if len(sparse):
        first_filled = filled[sparse].argmax(axis=1)
        first = [
            str(columns[col][int(row)]).strip()
            for row, col in zip(sparse, first_filled, strict=True)
        ]
        footer[sparse] = pd.Series(first, dtype=v.STR).str.contains(FOOTER_RE).to_numpy(bool)
        if footer.any():
            footer |= np.maximum.accumulate(footer) & (count == 1)
    reason[footer] = SKIP_FOOTER
    reason[total & ~footer] = SKIP_TOTAL
    reason[count == 0] = SKIP_BLANK
    return pd.Series(reason, index=frame.index)


def _parse_source(
    source: Source,
    table: RawTable,
    src: int,
    info: SourceInfo,
    stats: LedgerStats,
    findings: list[Finding],
) -> pd.DataFrame | None:
    spec = LEDGERS[source.ledger]
    header = detect_header(spec, table.top)
    if header is None:
        stats.read += len(table.top)
        stats.skipped += len(table.top)
        stats.skip_reasons[SKIP_BLANK] += len(table.top)
        return None
    header_row = table.top_rows[header.last]
    info.header_row = header_row
    present = header.keys
    form = spec.form_for(present)
    info.form = form.name
    for pos, match in header.matches.items():
        info.headers[match.column.key] = header.texts[pos]
    for _, text in header.duplicates:
        findings.append(emit_at("duplicate-column", info, header_row, text))

    missing = [k for k in form.required if k not in present]
    missing += ["/".join(group) for group in form.one_of if not any(k in present for k in group)]
    if missing:
        names = "、".join("或".join(spec.by_key[k].display for k in m.split("/")) for m in missing)
        expected = "、".join(spec.by_key[k].display for k in form.required)
        found = " | ".join(t for t in header.texts if t) or "（空）"
        findings.append(
            emit_at(
                "missing-column",
                info,
                header_row,
                None,
                None,
                missing=names,
                expected=expected,
                found=found,
            )
        )

    body = table.body(header.last + 1, header.width)
    reason = classify_rows(body.frame)
    above = header.first
    stats.read += above + len(body.frame)
    stats.skipped += above + int((reason != "").sum())
    if above:
        stats.skip_reasons[SKIP_TITLE] += above
    for why, n in reason[reason != ""].value_counts().items():
        stats.skip_reasons[str(why)] += int(n)

    keep = (reason == "").to_numpy()
    raw = body.frame[keep].reset_index(drop=True)
    where = pd.DataFrame({"_src": np.full(len(raw), src, dtype="int32"), "_row": body.rows[keep]})
    reject = np.zeros(len(raw), dtype=bool)
    columns: dict[str, Any] = {"_src": where["_src"], "_row": where["_row"]}
    for pos, match in header.matches.items():
        col = match.column
        if is_skip_column(header.texts[pos]):
            continue
        cells = v.typed_cells(raw[f"c{pos}"], col.kind)
        if col.kind not in PARSERS:
            columns[col.key] = v.clean(cells)
            continue
        parser, code = PARSERS[col.kind]
        parsed, bad = parser(cells)
        if bad.any():
            findings.extend(emit(code, spec.key, where, bad, {src: info}, col.key, value=cells))
            reject |= bad.to_numpy()
            columns[f"_bad_{col.key}"] = bad.to_numpy()
        if col.kind in UNITS_BY_KIND:
            unit = match.unit
            if unit is None and col.kind == "money" and header.sheet_unit:
                unit = header.sheet_unit
            if unit is None:
                unit = DEFAULT_UNIT[col.kind]
                if not match.via_alias and col.kind != "area":
                    findings.append(
                        emit_at("unit-missing", info, header_row, header.texts[pos], unit=unit)
                    )
            factor = UNITS_BY_KIND[col.kind][unit]
            if factor != 1:
                parsed = (parsed * factor).round(6)
        columns[col.key] = parsed
    for spec_col in spec.columns:
        if spec_col.key not in columns:
            columns[spec_col.key] = _empty(spec_col.kind, len(raw))
    columns["_reject"] = reject
    columns["_form"] = pd.Categorical.from_codes(
        np.zeros(len(raw), dtype="int8"), categories=[form.name]
    )
    out = pd.DataFrame(columns)
    if spec.key == "arrivals" and form.name == "monthly":
        _monthly_as_log(out, info)
    return out


# The monthly report's columns stand for the log's: each row is that month's arrival.
MONTHLY_AS_LOG = {"month": "report_month", "amount": "month_amount", "fdi_usd": "month_fdi_usd"}


def _monthly_as_log(frame: pd.DataFrame, info: SourceInfo) -> None:
    for log_key, monthly_key in MONTHLY_AS_LOG.items():
        frame[log_key] = frame[monthly_key]
        if monthly_key in info.headers:
            info.headers[log_key] = info.headers[monthly_key]


def _empty(kind: str, n: int) -> pd.Series:
    if kind in ("text", "tags"):
        return pd.Series(pd.array(pa.nulls(n, pa.large_string()), dtype=v.STR))
    if kind in ("date", "month"):
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[s]")
    if kind in ("int", "year"):
        return pd.Series(pd.NA, index=range(n), dtype="Int64")
    if kind == "bool":
        return pd.Series(pd.NA, index=range(n), dtype="boolean")
    if kind in ("money", "usd", "area", "number", "share"):
        return pd.Series(np.nan, index=range(n), dtype="float64")
    return pd.Series(pd.NA, index=range(n), dtype=v.STR)


def _open(source: Source, discovery: Discovery) -> RawTable:
    if source.sheet is None:
        return read_csv_table(source.path, source.display)
    return read_sheet(discovery.workbooks[source.path], source.sheet, source.display)


# Told (steps done, steps in all, what comes next) as reading goes on; the CLI draws it.
ProgressCallback = Callable[[int, int, str], None]


def load(data: Path, progress: ProgressCallback | None = None) -> Dataset:
    """Every ledger under `data`; `progress` hears of each source, plus one step to check."""
    discovery = discover(data)
    steps = len(discovery.sources) + 1
    sources: list[SourceInfo] = []
    findings: list[Finding] = []
    frames: dict[str, list[pd.DataFrame]] = {}
    stats: dict[str, LedgerStats] = {}
    for done, source in enumerate(discovery.sources):
        if progress is not None:
            where = source.display + (f" [{source.sheet}]" if source.sheet else "")
            progress(done, steps, f"读取 {where}")
        info = SourceInfo(source.ledger, source.display, source.sheet)
        src = len(sources)
        sources.append(info)
        ledger_stats = stats.setdefault(source.ledger, LedgerStats(source.ledger))
        ledger_stats.sources.append((source.display, source.sheet))
        frame = _parse_source(source, _open(source, discovery), src, info, ledger_stats, findings)
        if frame is not None:
            frames.setdefault(source.ledger, []).append(frame)
    ledgers: dict[str, LedgerData] = {}
    for key in LEDGERS:
        if key not in stats:
            continue
        parts = [f for f in frames.get(key, []) if len(f)]
        if parts:
            frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
            bad_cols = [c for c in frame.columns if c.startswith("_bad_")]
            frame[bad_cols] = frame[bad_cols].fillna(False).astype(bool)
        else:
            frame = _parse_empty(LEDGERS[key])
        ledgers[key] = LedgerData(LEDGERS[key], frame, stats[key])
    if progress is not None:
        progress(steps - 1, steps, "校验")
    return Dataset(ledgers, sources, findings, discovery.ignored, discovery.synthetic)


def _parse_empty(spec: Ledger) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "_src": pd.Series(dtype="int32"),
            "_row": pd.Series(dtype="int64"),
            "_reject": pd.Series(dtype=bool),
        }
    )
    for col in spec.columns:
        out[col.key] = _empty(col.kind, 0)
    out["_form"] = pd.Series(dtype=object)
    return out
