"""Sources -> header -> values: one frame per ledger, every row accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wuhai_zs.errors import SourceError
from wuhai_zs.findings import FILES, Finding, LedgerStats
from wuhai_zs.findings.emit import SourceInfo, emit, emit_at, emit_file
from wuhai_zs.ledgers import values as v
from wuhai_zs.ledgers.columns import DEFAULT_UNIT, LEDGERS, UNITS_BY_KIND, Form, Ledger
from wuhai_zs.ledgers.header import ColumnMatch, Header, detect_header, is_skip_column, score
from wuhai_zs.ledgers.read import (
    ERROR_VALUES,
    CellProblem,
    RawTable,
    read_csv_table,
)
from wuhai_zs.ledgers.sources import NO_HEADER, Discovery, Source, Unreadable, discover

TOTAL_RE = r"^(?:\d{4}年度?|[\u4e00-\u9fff]{1,8})?(?:合计|小计|总计)(?:[:：].*)?$"
FOOTER_RE = (
    r"^(?:填报人|填表人|审核人|审核|联系电话|联系人|注|制表人|制表|填报日期|负责人|"
    r"单位负责人|统计负责人|分管领导)\s*[:：]"
)

SKIP_TITLE = "标题/说明行"
SKIP_BLANK = "空行"
SKIP_TOTAL = "合计/小计行"
SKIP_FOOTER = "表尾（填报人、注等）"
SKIP_EXAMPLE = "填写示例行"
# A template's example row (just below the header): its first cell says so.
EXAMPLE_RE = r"^(?:示例|样例|填写示例|填表示例|例)\s*(?:[:：(（]|$)"
EXAMPLE_ROWS = 5
# A workbook named after a ledger: a sheet is that ledger when its header has this many columns
# of the ledger (an instructions sheet listing column names one per row has at most one a row).
GUESS_MIN_COLUMNS = 2

Parser = Callable[[pd.Series], tuple[pd.Series, pd.Series]]
PARSERS: dict[str, tuple[Parser, str]] = {
    "money": (v.parse_number, "bad-number"),
    "usd": (v.parse_number, "bad-number"),
    "area": (v.parse_number, "bad-number"),
    "number": (v.parse_number, "bad-number"),
    "int": (v.parse_number, "bad-integer"),
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
    """Every ledger read, with where each row came from.

    A ledger that was found but holds no accepted data rows (an untouched template, or every row
    rejected) is "no data" to the figures exactly like a missing one: `accepted` and `has` say
    None/False for it, so no figure can show 0.00 or −100 % for data that is not there.
    `frame` still returns its (empty or rejected) rows, for the checks and the row counts.
    """

    ledgers: dict[str, LedgerData]
    sources: list[SourceInfo]
    findings: list[Finding] = field(default_factory=list)
    ignored: list[tuple[str, str | None, str]] = field(default_factory=list)
    synthetic: bool = False  # read from the bundled sample: every output says 示例数据

    def has(self, ledger: str) -> bool:
        """The ledger was found and has at least one accepted data row."""
        return self.accepted(ledger) is not None

    def frame(self, ledger: str) -> pd.DataFrame | None:
        data = self.ledgers.get(ledger)
        return None if data is None else data.frame

    def accepted(self, ledger: str) -> pd.DataFrame | None:
        data = self.ledgers.get(ledger)
        if data is None:
            return None
        rows = data.accepted
        return rows if len(rows) else None


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


def classify_rows(frame: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """Why each body row is not data ('' for a data row), and which of its cells hold something.

    Not data: blank rows, total rows, footers, and a template's example rows just below the
    header (first cell 示例/例：…).
    """
    reason = np.full(len(frame), "", dtype=object)
    if frame.shape[1] == 0 or frame.empty:
        return pd.Series(reason, index=frame.index), np.zeros((len(frame), frame.shape[1]), bool)
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
    example = np.zeros(len(frame), dtype=bool)
    for i in range(min(EXAMPLE_ROWS, len(frame))):
        if count[i]:
            first_cell = str(columns[int(filled[i].argmax())][i]).strip()
            example[i] = re.match(EXAMPLE_RE, first_cell) is not None
    reason[example] = SKIP_EXAMPLE
    reason[footer] = SKIP_FOOTER
    reason[total & ~footer] = SKIP_TOTAL
    reason[count == 0] = SKIP_BLANK
    return pd.Series(reason, index=frame.index), filled


_ERRORS = pa.array(sorted(ERROR_VALUES), pa.large_string())


@dataclass
class _Column:
    """One column of a source, parsed: values, cells that failed, findings about its cells."""

    values: pd.Series
    bad: np.ndarray
    findings: list[Finding]
    typed: pd.Series | None = None  # identifiers as typed, where normalising changed them


def _parse_column(
    spec: Ledger,
    match: ColumnMatch,
    cells: pd.Series,
    header: Header,
    pos: int,
    info: SourceInfo,
    where: pd.DataFrame,
    src: int,
) -> _Column:
    col = match.column
    out: list[Finding] = []
    n = len(cells)
    bad = np.zeros(n, dtype=bool)
    sources = {src: info}

    def report(code: str, mask: np.ndarray, value: pd.Series) -> None:
        nonlocal bad
        hit = mask & ~bad
        if hit.any():
            out.extend(emit(code, spec.key, where, pd.Series(hit), sources, col.key, value=value))
            bad |= hit

    if cells.dtype == object:
        problem = np.fromiter((isinstance(x, CellProblem) for x in cells), dtype=bool, count=n)
        if problem.any():
            kinds = np.array([getattr(x, "kind", "") for x in cells], dtype=object)
            report("cell-error", problem & (kinds == "error"), cells)
            report("formula-no-value", problem & (kinds == "formula"), cells)
            cells = cells.where(~problem, "")
    cells = v.typed_cells(cells, col.kind)
    # Every error value starts with "#": one plain scan spares the exact test on most columns.
    if cells.dtype == v.STR and pc.any(pc.match_substring(v.arrow(cells), "#")).as_py():
        trimmed = pc.utf8_trim_whitespace(v.arrow(cells))
        literal = pc.is_in(trimmed, value_set=_ERRORS.cast(trimmed.type))
        literal = literal.fill_null(False).to_numpy(zero_copy_only=False)
        if literal.any():
            report("cell-error", literal, cells)
            cells = cells.where(~literal, "")
    if col.kind not in PARSERS:
        text = v.clean(cells)
        typed = None
        if col.key == "project_id":
            # Matched after normalising (full-width, zero-width spaces), shown as typed.
            normal = v.normalise_ids(text)
            if normal is not text:
                typed = text.where(normal.ne(text).fillna(True))
                text = normal
        return _Column(text.where(~bad) if bad.any() else text, bad, out, typed)
    parser, code = PARSERS[col.kind]
    parsed, failed = parser(cells)
    report(code, failed.to_numpy(dtype=bool), cells)
    if col.kind in UNITS_BY_KIND:
        unit = match.unit
        if unit is None and col.kind == "money" and header.sheet_unit:
            unit = header.sheet_unit
        if unit is None:
            unit = DEFAULT_UNIT[col.kind]
            if not match.via_alias and col.kind != "area":
                out.append(
                    emit_at("unit-missing", info, info.header_row, header.texts[pos], unit=unit)
                )
        factor = UNITS_BY_KIND[col.kind][unit]
        if factor != 1:
            parsed = (parsed * factor).round(6)
    if col.kind in v.NUMERIC_KINDS:  # an amount, an area or a count: never past MAX_MAGNITUDE
        huge = (parsed.abs() > v.MAX_MAGNITUDE).to_numpy(dtype=bool)
        report("too-large", huge, cells)
        if huge.any():
            parsed = parsed.where(~huge)
    if col.kind == "int":
        parsed, fraction = v.whole_numbers(parsed, pd.Series(False, index=parsed.index))
        report(code, fraction.to_numpy(dtype=bool), cells)
    return _Column(parsed, bad, out)


def _choose_columns(
    header: Header, table: RawTable, info: SourceInfo, header_row: int, findings: list[Finding]
) -> tuple[dict[str, int], dict[str, list[int]], dict[int, ColumnMatch]]:
    """Which position each ledger column is read from; other visible columns of the same meaning.

    Two columns with the same meaning are an error unless all but one are hidden: then the
    visible one is read, with a warning. Otherwise the first is read and every row where the
    others hold a different value is an error (so no figure takes one of two values at random).
    """
    match_at = dict(header.matches)
    match_at.update(dict(header.duplicates))
    by_key: dict[str, list[int]] = {}
    for pos in sorted(match_at):
        if not is_skip_column(header.texts[pos]):
            by_key.setdefault(match_at[pos].column.key, []).append(pos)
    hidden = table.hidden_positions()
    primary: dict[str, int] = {}
    others: dict[str, list[int]] = {}
    for key, found in by_key.items():
        if len(found) == 1:
            primary[key] = found[0]
            continue
        listed = "、".join(f"{table.column_name(p)}“{header.texts[p]}”" for p in found)
        visible = [p for p in found if p not in hidden]
        if len(visible) == 1:
            primary[key] = visible[0]
            findings.append(
                emit_at(
                    "hidden-duplicate-column",
                    info,
                    header_row,
                    header.texts[visible[0]],
                    where=listed,
                )
            )
            continue
        chosen = visible or found
        primary[key], others[key] = chosen[0], chosen[1:]
        findings.append(
            emit_at("duplicate-column", info, header_row, header.texts[chosen[0]], where=listed)
        )
    return primary, others, match_at


def _conflicts(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Rows where two parsed columns of the same meaning do not hold the same value."""
    both_missing = (a.isna() & b.isna()).to_numpy(dtype=bool)
    if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
        same = np.isclose(a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64"), rtol=1e-12)
    else:
        same = (a.astype(object) == b.astype(object)).fillna(False).to_numpy(dtype=bool)
    return ~(both_missing | same)


def _outside_cells(
    table: RawTable,
    header: Header,
    body: Any,
    filled: np.ndarray,
    keep: np.ndarray,
    match_at: dict[int, ColumnMatch],
) -> dict[int, list[tuple[int, str]]]:
    """Data rows' non-empty cells in columns without a header: body index -> [(column, text)]."""
    hits: dict[int, list[tuple[int, str]]] = {}
    unheaded = [
        p
        for p in range(min(header.width, filled.shape[1]))
        if not header.texts[p].strip() and p not in match_at
    ]
    for p in unheaded:
        for i in np.flatnonzero(filled[:, p] & keep):
            text = v.cell_to_text(body.frame[f"c{p}"].iloc[int(i)])
            hits.setdefault(int(i), []).append((p, text))
    for i, j, text in body.extra:
        if keep[i]:
            hits.setdefault(i, []).append((j, text))
    return hits


def _report_outside(
    hits: dict[int, list[tuple[int, str]]],
    table: RawTable,
    info: SourceInfo,
    body_rows: np.ndarray,
    to_raw: np.ndarray,
    reject: np.ndarray,
    findings: list[Finding],
) -> None:
    """Cells beyond the header: in a CSV the row's cells may have shifted (an unquoted `1,234.56`),
    so the row is an error; in a workbook cells cannot shift, so one warning per column."""
    if table.is_text:
        for i in sorted(hits):
            texts = "、".join(f"“{t}”" for _, t in hits[i])
            findings.append(
                emit_at("extra-cells", info, int(body_rows[i]), None, texts, count=len(hits[i]))
            )
            reject[to_raw[i]] = True
        return
    by_column: dict[int, list[tuple[int, str]]] = {}
    for i in sorted(hits):
        for col, text in hits[i]:
            by_column.setdefault(col, []).append((int(body_rows[i]), text))
    for col, cells in sorted(by_column.items()):
        rows = _row_ranges([r for r, _ in cells])
        findings.append(
            emit_at(
                "cell-outside-table",
                info,
                cells[0][0],
                table.column_name(col),
                cells[0][1],
                rows=rows,
                count=len(cells),
            )
        )


def _row_ranges(rows: list[int]) -> str:
    """`5—9、12` for rows 5, 6, 7, 8, 9 and 12 (at most ten ranges, then …)."""
    ranges: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        ranges.append(str(start) if start == prev else f"{start}—{prev}")
        if r is not None:
            start = prev = r
    return "、".join(ranges[:10]) + ("…" if len(ranges) > 10 else "")


def _parse_source(
    source: Source,
    table: RawTable,
    header: Header | None,
    src: int,
    info: SourceInfo,
    stats: LedgerStats,
    findings: list[Finding],
) -> pd.DataFrame | None:
    spec = LEDGERS[source.ledger]
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
    primary, others, match_at = _choose_columns(header, table, info, header_row, findings)
    for key, pos in primary.items():
        info.headers[key] = header.texts[pos]

    required = spec.required(form)
    missing = [k for k in required if k not in present]
    missing += ["/".join(group) for group in form.one_of if not any(k in present for k in group)]
    if missing:
        names = "、".join("或".join(spec.by_key[k].display for k in m.split("/")) for m in missing)
        expected = "、".join(spec.by_key[k].display for k in required)
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
    for problem in table.problems:
        findings.append(emit_at("line-count", info, None, None, None, problem=problem))
    reason, filled = classify_rows(body.frame)
    above = header.first
    stats.read += above + len(body.frame)
    stats.skipped += above + int((reason != "").sum())
    if above:
        stats.skip_reasons[SKIP_TITLE] += above
    for why, n in reason[reason != ""].value_counts().items():
        stats.skip_reasons[str(why)] += int(n)

    keep = (reason == "").to_numpy()
    raw = body.frame[keep].reset_index(drop=True)
    to_raw = np.cumsum(keep) - 1
    where = pd.DataFrame({"_src": np.full(len(raw), src, dtype="int32"), "_row": body.rows[keep]})
    reject = np.zeros(len(raw), dtype=bool)
    for i, code, text in body.issues:
        if keep[i]:
            findings.append(emit_at(code, info, int(body.rows[i]), None, text))
            reject[to_raw[i]] = True
    hits = _outside_cells(table, header, body, filled, keep, match_at)
    if hits:
        _report_outside(hits, table, info, body.rows, to_raw, reject, findings)

    columns: dict[str, Any] = {"_src": where["_src"], "_row": where["_row"]}
    for key, pos in primary.items():
        parsed = _parse_column(spec, match_at[pos], raw[f"c{pos}"], header, pos, info, where, src)
        findings.extend(parsed.findings)
        if parsed.bad.any():
            reject |= parsed.bad
            columns[f"_bad_{key}"] = parsed.bad
        columns[key] = parsed.values
        if parsed.typed is not None:
            columns[f"_typed_{key}"] = parsed.typed
        for other in others.get(key, []):
            second = _parse_column(
                spec, match_at[other], raw[f"c{other}"], header, other, info, where, src
            )
            clash = _conflicts(parsed.values, second.values) & ~parsed.bad & ~reject
            if clash.any():
                findings.extend(
                    emit(
                        "column-conflict",
                        spec.key,
                        where,
                        pd.Series(clash),
                        {src: info},
                        key,
                        value=raw[f"c{pos}"].map(v.cell_to_text),
                        extras={
                            "other": raw[f"c{other}"].map(v.cell_to_text),
                            "where": table.column_name(other),
                        },
                    )
                )
                reject |= clash
    for spec_col in spec.columns:
        if spec_col.key not in columns:
            columns[spec_col.key] = _empty(spec_col.kind, len(raw))
    columns["_reject"] = reject
    columns["_form"] = pd.Categorical.from_codes(
        np.zeros(len(raw), dtype="int8"), categories=[form.name]
    )
    out = pd.DataFrame(columns, copy=False)
    _stand_in(out, form, info)
    return out


def _stand_in(frame: pd.DataFrame, form: Form, info: SourceInfo) -> None:
    """A layout's columns copied into the default layout's that they stand for (a monthly
    report's 本月到位资金 is the month's 到位金额), findings naming the header as found."""
    for key, source in form.stands_for:
        frame[key] = frame[source]
        if source in info.headers:
            info.headers[key] = info.headers[source]


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
    return discovery.workbooks[source.path].read(source.sheet, source.display)


# Told (steps done, steps in all, what comes next) as reading goes on; the CLI draws it.
ProgressCallback = Callable[[int, int, str], None]


def _unreadable(item: Unreadable) -> Finding:
    return emit_file(
        "unreadable-file", item.ledger or FILES, item.display, item.sheet, item.message
    )


def load(data: Path, progress: ProgressCallback | None = None) -> Dataset:
    """Every ledger under `data`; `progress` hears of each source, plus one step to check.

    A file or sheet that cannot be read is an error finding, and the rest is still read; only
    when nothing at all can be read is it a SourceError (exit 2).
    """
    discovery = discover(data)
    steps = len(discovery.sources) + 1
    findings: list[Finding] = [_unreadable(u) for u in discovery.unreadable]
    ignored = list(discovery.ignored)
    opened: list[tuple[Source, RawTable, Header | None]] = []
    for done, source in enumerate(discovery.sources):
        where = source.display + (f" [{source.sheet}]" if source.sheet else "")
        if progress is not None:
            progress(done, steps, f"读取 {where}")
        try:
            table = _open(source, discovery)
        except SourceError as exc:
            message = str(exc).removeprefix(f"{where}: ")
            findings.append(
                _unreadable(Unreadable(source.display, source.sheet, source.ledger, message))
            )
            continue
        opened.append((source, table, detect_header(LEDGERS[source.ledger], table.top)))
    if not opened:
        raise SourceError(
            f"{data}: 没有可以读取的台账：" + "；".join(f"{f.file}: {f.message}" for f in findings)
        )
    opened = _keep_guessed(opened, ignored)

    sources: list[SourceInfo] = []
    frames: dict[str, list[pd.DataFrame]] = {}
    stats: dict[str, LedgerStats] = {}
    for source, table, header in opened:
        info = SourceInfo(source.ledger, source.display, source.sheet)
        src = len(sources)
        sources.append(info)
        ledger_stats = stats.setdefault(source.ledger, LedgerStats(source.ledger))
        ledger_stats.sources.append((source.display, source.sheet))
        frame = _parse_source(source, table, header, src, info, ledger_stats, findings)
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
    findings += _absent_ledgers(ledgers)
    if progress is not None:
        progress(steps - 1, steps, "校验")
    return Dataset(ledgers, sources, findings, ignored, discovery.synthetic)


def _keep_guessed(
    opened: list[tuple[Source, RawTable, Header | None]], ignored: list[tuple[str, str | None, str]]
) -> list[tuple[Source, RawTable, Header | None]]:
    """Of the sheets of a workbook named after a ledger, those whose header is the ledger's.

    When none has two of the ledger's columns, the one with the most is read, so its
    missing-column finding shows what was found instead of the ledger quietly vanishing.
    """
    groups: dict[Path, list[int]] = {}
    for i, (source, _, _) in enumerate(opened):
        if source.guessed:
            groups.setdefault(source.path, []).append(i)
    drop: set[int] = set()
    for members in groups.values():
        fits = [i for i in members if score(opened[i][2]) >= GUESS_MIN_COLUMNS]
        if not fits:
            fits = [max(members, key=lambda i: (score(opened[i][2]), -i))]
        for i in members:
            if i not in fits:
                source = opened[i][0]
                stem = f"“{LEDGERS[source.ledger].stem_zh}”"
                ignored.append((source.display, source.sheet, NO_HEADER.format(stem=stem)))
                drop.add(i)
    return [item for i, item in enumerate(opened) if i not in drop]


def _absent_ledgers(ledgers: dict[str, LedgerData]) -> list[Finding]:
    """A required ledger not found, or found without a single data row: a warning each."""
    out: list[Finding] = []
    for key, spec in LEDGERS.items():
        data = ledgers.get(key)
        if data is None:
            if not spec.optional:
                out.append(
                    emit_file(
                        "ledger-missing",
                        key,
                        "",
                        None,
                        stem=spec.stem_zh,
                        english=key,
                        needs=spec.needs,
                    )
                )
        elif len(data.frame) == 0 and not spec.optional:
            file, sheet = data.stats.sources[0] if data.stats.sources else ("", None)
            out.append(
                emit_file(
                    "ledger-empty",
                    key,
                    file,
                    sheet,
                    stem=spec.stem_zh,
                    needs=spec.needs,
                )
            )
    return out


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
