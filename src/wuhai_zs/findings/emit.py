"""Turning a mask of failing rows into findings that point at file, sheet, row and column."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wuhai_zs.findings import Finding
from wuhai_zs.findings.catalog import BY_CODE
from wuhai_zs.ledgers.columns import LEDGERS


@dataclass
class SourceInfo:
    ledger: str
    file: str
    sheet: str | None
    form: str = "default"
    headers: dict[str, str] = field(default_factory=dict)  # key -> header text as found
    header_row: int | None = None


def fmt(value: Any) -> str:
    """A value as a person would type it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


_NUMBER = re.compile(r"([+-]?)(\d+)(\.\d+)?")


class _Messages(string.Formatter):
    """Message templates: `{x:,}` shows a number with thousands separators, its decimals as
    typed (267000 -> 267,000; 1234.5 -> 1,234.5); anything that is not a number stays as it is."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == ",":
            text = value if isinstance(value, str) else fmt(value)
            number = _NUMBER.fullmatch(text.strip())
            if number is None:
                return text
            sign, whole, decimals = number.groups()
            return f"{sign}{int(whole):,}{decimals or ''}"
        return str(super().format_field(value, format_spec))


MESSAGES = _Messages()


def message(template: str, **params: Any) -> str:
    """A rule's message from its template (catalog.py); numbers formatted as the template says."""
    return MESSAGES.format(template, **params)


# Sources by the `_src` number rows carry: the dataset's list, or one source while it is parsed.
Sources = Sequence[SourceInfo] | Mapping[int, SourceInfo]


def column_label(sources: Sources, src: int, ledger: str, key: str) -> str:
    found = sources[src].headers.get(key)
    return found or LEDGERS[ledger].by_key[key].display


def emit(
    code: str,
    ledger: str,
    frame: pd.DataFrame,
    mask: pd.Series | None,
    sources: Sources,
    column: str | None,
    value: pd.Series | None = None,
    extras: Mapping[str, pd.Series | Any] | None = None,
    label: str | None = None,
) -> list[Finding]:
    """Findings for the rows of `frame` where `mask` holds; `column` is a ledger column key."""
    rule = BY_CODE[code]
    hit = frame if mask is None else frame[mask.to_numpy(dtype=bool)]
    if hit.empty:
        return []
    if value is None and column is not None and column in hit.columns:
        typed = f"_typed_{column}"  # identifiers are matched normalised but shown as typed
        value = hit[typed].fillna(hit[column]) if typed in hit.columns else hit[column]
    values = [fmt(v) for v in value.loc[hit.index]] if value is not None else [""] * len(hit)
    extra_cols: dict[str, list[str]] = {}
    for name, extra in (extras or {}).items():
        if isinstance(extra, pd.Series):
            extra_cols[name] = [fmt(v) for v in extra.loc[hit.index]]
        else:
            extra_cols[name] = [fmt(extra)] * len(hit)
    out: list[Finding] = []
    srcs = hit["_src"].to_numpy()
    rows = hit["_row"].to_numpy()
    for i in range(len(hit)):
        src = int(srcs[i])
        info = sources[src]
        shown = column_label(sources, src, ledger, column) if column else label
        params = {k: v[i] for k, v in extra_cols.items()}
        text = message(rule.template, column=shown or "", value=values[i], **params)
        out.append(
            Finding(
                ledger,
                info.file,
                info.sheet,
                int(rows[i]),
                shown,
                values[i] or None,
                code,
                rule.severity,
                text,
            )
        )
    return out


def emit_at(
    code: str,
    info: SourceInfo,
    row: int | None,
    column: str | None,
    value: str | None = None,
    **params: Any,
) -> Finding:
    """One finding about a sheet as a whole (its header, a column)."""
    rule = BY_CODE[code]
    text = message(rule.template, column=column or "", value=value or "", **params)
    return Finding(
        info.ledger, info.file, info.sheet, row, column, value, code, rule.severity, text
    )


def emit_file(
    code: str, ledger: str, file: str, sheet: str | None, reason: str = "", **params: Any
) -> Finding:
    """One finding about a file or sheet as a whole (it cannot be read, a ledger is missing)."""
    rule = BY_CODE[code]
    text = message(rule.template, reason=reason, **params)
    return Finding(ledger, file, sheet, None, None, None, code, rule.severity, text)
