"""Finding the header in untidy sheets: title rows, unit lines, two-row merged headers, aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wuhai_zs.ledgers.columns import (
    REQUIRED_MARKS,
    SKIP_COLUMNS,
    UNITS_BY_KIND,
    Column,
    Ledger,
)

_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")", "：": ":", "　": ""}
)
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]+)\)$")
# A unit stated once for the sheet, in a line or cell above the header or inside the title:
# `单位：亿元`, `（单位：亿元）`, `计量单位：亿元`, `金额单位：万元`, `单位： 亿 元`, `单位为万元`.
# Matched on the cell with spaces removed and full-width punctuation made half-width.
_SHEET_UNIT = re.compile(r"单位(?::|为)(亿元|万元|元)(?![\u4e00-\u9fff])")


def sheet_unit(cell: str) -> str | None:
    """The money unit a cell states for the whole sheet, if any."""
    if "单位" not in cell:
        return None
    squeezed = _SPACES.sub("", unicodedata.normalize("NFKC", cell))
    found = _SHEET_UNIT.search(squeezed)
    return found.group(1) if found else None


def normalise(text: str) -> str:
    """Header text without stray spaces, line breaks or required marks, half-width brackets."""
    return _SPACES.sub("", text.translate(_BRACKETS)).strip(REQUIRED_MARKS)


@dataclass(frozen=True)
class ColumnMatch:
    column: Column
    unit: str | None  # unit written in the header, if any
    via_alias: bool


_INDEXES: dict[int, tuple[Ledger, dict[str, tuple[Column, bool]]]] = {}


def _index(ledger: Ledger) -> dict[str, tuple[Column, bool]]:
    # Keyed by identity (the declaration is kept alive beside it): hashing the frozen
    # declaration walks every column, and this runs for every header cell.
    found = _INDEXES.get(id(ledger))
    if found is not None and found[0] is ledger:
        return found[1]
    index: dict[str, tuple[Column, bool]] = {}
    for col in ledger.columns:
        index[normalise(col.header)] = (col, False)
        index[col.key.lower()] = (col, True)
    _INDEXES[id(ledger)] = (ledger, index)
    return index


def match_column(ledger: Ledger, text: str) -> ColumnMatch | None:
    h = normalise(text)
    if not h:
        return None
    index = _index(ledger)
    if h.lower() in index:
        col, alias = index[h.lower()]
        return ColumnMatch(col, None, alias)
    m = _UNIT_SUFFIX.match(h)
    if m and (m["base"] in index or m["base"].lower() in index):
        col, alias = index.get(m["base"]) or index[m["base"].lower()]
        unit = m["unit"]
        if col.kind not in UNITS_BY_KIND:
            return ColumnMatch(col, None, alias)
        if unit not in UNITS_BY_KIND[col.kind]:
            return None  # 总投资（美元）: a unit this column cannot be in
        return ColumnMatch(col, unit, alias)
    return None


@dataclass
class Header:
    """Where the header is and what each of its columns means."""

    first: int  # index in the table's top rows
    last: int
    texts: list[str]  # the header text of each column position, as found
    matches: dict[int, ColumnMatch] = field(default_factory=dict)
    duplicates: list[tuple[int, ColumnMatch]] = field(default_factory=list)
    sheet_unit: str | None = None

    @property
    def width(self) -> int:
        return len(self.texts)

    @property
    def keys(self) -> set[str]:
        return {m.column.key for m in self.matches.values()}


def _combine(upper: list[str], lower: list[str]) -> list[list[str]]:
    """Candidate texts per column of a header spread over two merged rows."""
    width = max(len(upper), len(lower))
    up = upper + [""] * (width - len(upper))
    low = lower + [""] * (width - len(lower))
    return [[c for c in (lo, up_ + lo, up_) if c.strip()] for up_, lo in zip(up, low, strict=True)]


def _resolve(
    ledger: Ledger, candidates: list[list[str]]
) -> tuple[list[str], dict[int, ColumnMatch]]:
    texts, matches = [], {}
    for pos, options in enumerate(candidates):
        chosen = options[0] if options else ""
        for option in options:
            m = match_column(ledger, option)
            if m:
                matches[pos], chosen = m, option
                break
        texts.append(_SPACES.sub("", chosen).strip(REQUIRED_MARKS))
    return texts, matches


def _score(matches: dict[int, ColumnMatch]) -> int:
    return len({m.column.key for m in matches.values()})


def detect_header(ledger: Ledger, top: list[list[str]]) -> Header | None:
    """The best header among the top rows; None when every row is empty."""
    nonempty = [i for i, row in enumerate(top) if any(c.strip() for c in row)]
    if not nonempty:
        return None
    single = {i: _resolve(ledger, [[c] if c.strip() else [] for c in top[i]]) for i in nonempty}
    best = max(nonempty, key=lambda i: (_score(single[i][1]), -i))
    texts, matches = single[best]
    first = last = best
    if _score(matches) == 0:
        best = first = last = nonempty[0]
        texts, matches = single[best]
    else:
        for upper, lower in ((best, best + 1), (best - 1, best)):
            if upper < 0 or lower >= len(top):
                continue
            t2, m2 = _resolve(ledger, _combine(top[upper], top[lower]))
            if _score(m2) > _score(matches):
                texts, matches, first, last = t2, m2, upper, lower
    header = Header(first, last, texts)
    seen: set[str] = set()
    for pos in sorted(matches):
        key = matches[pos].column.key
        if key in seen:
            header.duplicates.append((pos, matches[pos]))
        else:
            seen.add(key)
            header.matches[pos] = matches[pos]
    for row in top[: last + 1]:
        for cell in row:
            unit = sheet_unit(cell)
            if unit:
                header.sheet_unit = unit
    return header


def score(header: Header | None) -> int:
    """How many distinct columns of the ledger the header has."""
    return 0 if header is None else len(header.keys)


def is_skip_column(text: str) -> bool:
    return normalise(text) in SKIP_COLUMNS
