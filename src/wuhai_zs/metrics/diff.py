"""Two submissions of the same ledgers compared: projects, arrivals, parks, output, targets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wuhai_zs.findings import Finding
from wuhai_zs.ledgers.columns import LEDGERS, STAGE_DATE, STAGE_RANK
from wuhai_zs.ledgers.load import Dataset, LedgerData, ProgressCallback, load
from wuhai_zs.ledgers.values import FEN_PER_WAN, fen, normalise_id, split_tags
from wuhai_zs.metrics.base import (
    arrivals_table,
    fen_wan,
    fen_yi,
    month_end,
    row_location,
    text_or_none,
)
from wuhai_zs.metrics.targets import TargetsResult, compute
from wuhai_zs.pipeline import Checked, check, coverage, scope
from wuhai_zs.plan.model import Plan

# How the two submissions are named to the person reading the diff.
OLD_ZH, NEW_ZH = "上次报送", "本次报送"

# Findings that leave a sheet or file without usable rows (the rest are row findings, and a
# rejected row is left out of the comparison instead of reported as a change).
UNREADABLE_CODES = frozenset({"missing-column"})

# Ledgers whose rows are compared; activities (招商活动台账) are not part of a revision audit.
COMPARED = ("projects", "arrivals", "parks", "output")

KIND_ZH = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "改日期"}

COUNTED_ZH = "纳统"


# ---------------------------------------------------------------- identifiers
def _normalised(values: pd.Series) -> pd.Series:
    """normalise_id over a text column, once per distinct value; NA stays NA."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([normalise_id(str(u)) for u in uniques] + [None], dtype=object)
    out = pd.Series(mapped[codes], index=values.index, dtype=object)
    return out.where(out != "", None)


# ---------------------------------------------------------------- money as text
def wan_text(value: Decimal | float | None, signed: bool = False) -> str:
    """万元 with thousands separators and 2 decimals, more (to the 分) when the amount has them."""
    if value is None:
        return "—"
    amount = Decimal(str(value)) if isinstance(value, float) else value
    text = f"{amount:,.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    text = f"{whole}.{decimals.ljust(2, '0')}"
    if signed and amount > 0:
        text = "+" + text
    return text


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- results
@dataclass
class Submission:
    path: str
    as_of: str
    coverage: dict[str, str | None]  # per dated ledger: the last month (or year) with data
    ledgers: dict[str, dict[str, int]]
    errors: int
    warnings: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "as_of": self.as_of,
            "coverage": self.coverage,
            "ledgers": self.ledgers,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class LeftOut:
    """Rows not compared because one submission (or both) rejected them."""

    ledger: str
    reason: str
    old_rows: int
    new_rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "reason": self.reason,
            "old_rows": self.old_rows,
            "new_rows": self.new_rows,
        }


@dataclass
class ProjectRef:
    project_id: str
    name: str | None
    district: str | None
    stage: str | None
    total_investment: Decimal | None
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "name": self.name,
            "district": self.district,
            "stage": self.stage,
            "total_investment_wan": _f(self.total_investment),
            "at": self.at,
        }


@dataclass
class StageChange:
    project_id: str
    name: str | None
    old_stage: str | None
    new_stage: str | None
    old_date: str | None  # when the old stage was reached (上次报送)
    new_date: str | None  # when the new stage was reached (本次报送)
    dates: dict[str, str] = field(default_factory=dict)  # stage dates filled in by the move

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "name": self.name,
            "old_stage": self.old_stage,
            "new_stage": self.new_stage,
            "old_date": self.old_date,
            "new_date": self.new_date,
            "dates": self.dates,
        }


@dataclass
class FieldChange:
    """One project field: old and new as read (money in 万元; `unit` names it)."""

    project_id: str
    name: str | None
    field: str
    column: str
    old: Any
    new: Any
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "name": self.name,
            "field": self.field,
            "column": self.column,
            "old": _json(self.old),
            "new": _json(self.new),
            "unit": self.unit,
        }


@dataclass
class ArrivalChange:
    kind: str  # added | removed | changed | moved
    project_id: str
    name: str | None
    old_when: str | None
    new_when: str | None
    old_amount: Decimal | None
    new_amount: Decimal | None
    old_fdi_usd: Decimal | None
    new_fdi_usd: Decimal | None
    counted_effect: Decimal  # on the counted total (统计口径), 万元
    covered_change: Decimal  # on the money of months the old submission covered, 万元
    revision: bool  # touches a month the old submission already covered
    old_at: str | None
    new_at: str | None

    @property
    def difference(self) -> Decimal:
        return (self.new_amount or Decimal(0)) - (self.old_amount or Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "project_id": self.project_id,
            "name": self.name,
            "old_when": self.old_when,
            "new_when": self.new_when,
            "old_amount_wan": _f(self.old_amount),
            "new_amount_wan": _f(self.new_amount),
            "difference_wan": _f(self.difference),
            "old_fdi_wan_usd": _f(self.old_fdi_usd),
            "new_fdi_wan_usd": _f(self.new_fdi_usd),
            "counted_effect_wan": _f(self.counted_effect),
            "covered_change_wan": _f(self.covered_change),
            "revision": self.revision,
            "old_at": self.old_at,
            "new_at": self.new_at,
        }


@dataclass
class YearToDateChange:
    """本年累计 of a monthly report, for a project and month both submissions have."""

    project_id: str
    name: str | None
    month: str
    old: Decimal
    new: Decimal | None
    from_month_changes: Decimal  # what revisions of that year's 本月 figures account for
    at: str | None

    def to_dict(self) -> dict[str, Any]:
        diff = None if self.new is None else self.new - self.old
        return {
            "project_id": self.project_id,
            "name": self.name,
            "month": self.month,
            "old_wan": _f(self.old),
            "new_wan": _f(self.new),
            "difference_wan": _f(diff),
            "from_month_changes_wan": _f(self.from_month_changes),
            "at": self.at,
        }


@dataclass
class ScopeChange:
    """Unchanged arrival rows whose project moved into or out of the 统计口径."""

    project_id: str
    name: str | None
    old_status: str
    new_status: str
    rows: int
    effect: Decimal
    covered_effect: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "name": self.name,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "rows": self.rows,
            "effect_wan": _f(self.effect),
            "covered_effect_wan": _f(self.covered_effect),
        }


@dataclass
class MonthEffect:
    month: str
    covered: bool
    in_period: bool
    old_fen: int
    new_fen: int
    rows_fen: int
    scope_fen: int
    left_out_fen: int

    @property
    def old_yi(self) -> float:
        return fen_yi(self.old_fen)

    @property
    def new_yi(self) -> float:
        return fen_yi(self.new_fen)

    @property
    def change(self) -> Decimal:
        return fen_wan(self.new_fen - self.old_fen)

    @property
    def rows(self) -> Decimal:
        return fen_wan(self.rows_fen)

    @property
    def scope(self) -> Decimal:
        return fen_wan(self.scope_fen)

    @property
    def left_out(self) -> Decimal:
        return fen_wan(self.left_out_fen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "covered": self.covered,
            "in_period": self.in_period,
            "old_counted_yi": self.old_yi,
            "new_counted_yi": self.new_yi,
            "change_wan": float(self.change),
            "rows_wan": float(self.rows),
            "scope_wan": float(self.scope),
            "left_out_wan": float(self.left_out),
        }


@dataclass
class ArrivalsDiff:
    compared: bool
    coverage: str | None
    changes: list[ArrivalChange] = field(default_factory=list)
    year_to_date: list[YearToDateChange] = field(default_factory=list)
    scope: list[ScopeChange] = field(default_factory=list)
    months: list[MonthEffect] = field(default_factory=list)
    period: dict[str, Any] = field(default_factory=dict)

    @property
    def revisions(self) -> list[ArrivalChange]:
        return [c for c in self.changes if c.revision]

    @property
    def new_rows(self) -> list[ArrivalChange]:
        return [c for c in self.changes if not c.revision]

    def to_dict(self) -> dict[str, Any]:
        return {
            "compared": self.compared,
            "coverage": self.coverage,
            "changes": [c.to_dict() for c in self.changes],
            "year_to_date": [c.to_dict() for c in self.year_to_date],
            "scope": [c.to_dict() for c in self.scope],
            "months": [m.to_dict() for m in self.months],
            "period": self.period,
        }


@dataclass
class FigureChange:
    """A figure of the parks or output ledger for one park or scope and one period."""

    ledger: str
    subject: str
    period: str
    field: str
    column: str
    old: Decimal | None
    new: Decimal | None
    unit: str
    kind: str  # added | removed | changed
    revision: bool
    old_at: str | None
    new_at: str | None

    @property
    def difference(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "subject": self.subject,
            "period": self.period,
            "field": self.field,
            "column": self.column,
            "old": _f(self.old),
            "new": _f(self.new),
            "difference": _f(self.difference),
            "unit": self.unit,
            "kind": self.kind,
            "revision": self.revision,
            "old_at": self.old_at,
            "new_at": self.new_at,
        }


@dataclass
class TargetEffect:
    """A target's actual in both submissions, the change split into revisions and new periods."""

    id: str
    name: str
    unit: str
    old: float | None
    new: float | None
    change: float | None
    from_revisions: float | None
    from_new_periods: float | None
    old_status: str
    new_status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "old": self.old,
            "new": self.new,
            "change": self.change,
            "from_revisions": self.from_revisions,
            "from_new_periods": self.from_new_periods,
            "old_status": self.old_status,
            "new_status": self.new_status,
        }


@dataclass
class DiffResult:
    summary: str
    revision: bool
    synthetic: bool
    old: Submission
    new: Submission
    cut: str  # the date the old submission's targets (and NEW restricted to it) are taken at
    unreadable: list[tuple[str, Finding]]
    left_out: list[LeftOut]
    added: list[ProjectRef]
    removed: list[ProjectRef]
    stages: list[StageChange]
    fields: list[FieldChange]
    arrivals: ArrivalsDiff
    figures: list[FigureChange]
    targets: list[TargetEffect]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "revision": self.revision,
            "synthetic": self.synthetic,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "cut": self.cut,
            "unreadable": [{"side": side, **f.to_dict()} for side, f in self.unreadable],
            "left_out": [x.to_dict() for x in self.left_out],
            "projects": {
                "added": [p.to_dict() for p in self.added],
                "removed": [p.to_dict() for p in self.removed],
                "stages": [s.to_dict() for s in self.stages],
                "fields": [f.to_dict() for f in self.fields],
            },
            "arrivals": self.arrivals.to_dict(),
            "figures": [f.to_dict() for f in self.figures],
            "targets": [t.to_dict() for t in self.targets],
            "notes": self.notes,
        }


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


# ---------------------------------------------------------------- coverage
@dataclass
class Reported:
    """What the old submission already reported, per ledger: its last month (or year) with data.

    Taken from the pipeline's coverage (accepted rows only): a month for arrivals, a year for
    parks, a (year, month) period for output, a whole year counting as month 12.
    """

    arrivals: pd.Timestamp | None  # first day of the last month with an accepted arrival row
    parks: int | None  # last year
    output: tuple[int, int] | None  # last (year, month)

    @classmethod
    def of(cls, checked: Checked) -> Reported:
        spans = checked.coverage
        arrivals, parks, output = spans.get("arrivals"), spans.get("parks"), spans.get("output")
        return cls(
            None if arrivals is None else arrivals.last.to_period("M").to_timestamp(),
            None if parks is None else parks.last.year,
            None if output is None else (output.last.year, output.last.month),
        )

    def to_dict(self) -> dict[str, str | None]:
        return {
            "arrivals": None if self.arrivals is None else f"{self.arrivals:%Y-%m}",
            "parks": None if self.parks is None else str(self.parks),
            "output": None if self.output is None else f"{self.output[0]}-{self.output[1]:02d}",
        }


def _arrival_month(frame: pd.DataFrame) -> pd.Series:
    when = frame["date"].where(frame["date"].notna(), frame["month"])
    return when.dt.to_period("M").dt.to_timestamp()


def _output_period(frame: pd.DataFrame) -> pd.Series:
    """(year * 100 + month) per output row, a whole year counting as month 12."""
    month = frame["month"].astype("Float64").fillna(12)
    return (frame["year"].astype("Float64") * 100 + month).astype("Float64")


# ---------------------------------------------------------------- projects
def _project_sides(
    checked: Checked,
) -> tuple[pd.DataFrame, set[str], int, set[str]]:
    """Accepted projects keyed by normalised id; ids of rejected rows; rows without an id;
    ids that stand twice among accepted rows once normalised."""
    frame = checked.data.frame("projects")
    if frame is None:
        return pd.DataFrame(), set(), 0, set()
    key = _normalised(frame["project_id"])
    rejected = frame["_reject"].to_numpy(dtype=bool)
    no_id = int((rejected & key.isna().to_numpy()).sum())
    rejected_ids = set(key[rejected].dropna())
    accepted = frame[~rejected].assign(_key=key[~rejected])
    accepted = accepted[accepted["_key"].notna()]
    twice = set(accepted.loc[accepted["_key"].duplicated(keep=False), "_key"])
    accepted = accepted[~accepted["_key"].isin(twice)].set_index("_key", drop=False)
    return accepted, rejected_ids, no_id, twice


def _money(value: Any) -> Decimal | None:
    if value is None or value is pd.NA or value != value:
        return None
    return fen_wan(int(np.rint(float(value) * FEN_PER_WAN)))


def _day(value: Any) -> str | None:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    return pd.Timestamp(value).date().isoformat()


def _comparable(column: Any, values: pd.Series) -> list[Any]:
    """Values as compared across submissions: a reformatted cell compares equal."""
    kind = column.kind
    if kind == "text":
        return [None if v is None else normalise_id(v) for v in map(text_or_none, values)]
    if kind == "tags":
        return [
            tuple(sorted({normalise_id(t) for t in tags}))
            for tags in split_tags(values.astype("string"))
        ]
    if kind in ("money", "usd"):
        amounts = fen(values)
        return [None if pd.isna(v) else int(a) for v, a in zip(values, amounts, strict=True)]
    if kind in ("area", "number", "share"):
        return [None if pd.isna(v) else round(float(v), 9) for v in values]
    if kind in ("int", "year"):
        return [None if pd.isna(v) else int(v) for v in values]
    if kind in ("date", "month"):
        return [_day(v) for v in values]
    if kind == "bool":
        if column.key == "counted":  # empty means 是 (spec: default 是)
            return [True if pd.isna(v) else bool(v) for v in values]
        return [None if pd.isna(v) else bool(v) for v in values]
    return [text_or_none(v) for v in values]


def _shown(column: Any, value: Any) -> Any:
    """A project value as the diff reports it (money as Decimal 万元, dates ISO)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    kind = column.kind
    if kind in ("money", "usd"):
        return _money(value)
    if kind in ("date", "month"):
        return _day(value)
    if kind == "bool":
        return bool(value)
    if kind in ("int", "year"):
        return int(value)
    if kind in ("area", "number", "share"):
        return float(value)
    return str(value)


UNIT_BY_KIND = {"money": "万元", "usd": "万美元", "area": "亩"}


def _left_out(
    ledger: str, what: str, o_keys: set[Any], o_bad: set[Any], n_keys: set[Any], n_bad: set[Any]
) -> tuple[list[LeftOut], set[Any]]:
    """Keys with a rejected row on either side are not compared: how many, and why."""
    out = []
    old_only, new_only, both = o_bad - n_bad, n_bad - o_bad, o_bad & n_bad
    if old_only:
        out.append(
            LeftOut(ledger, f"{OLD_ZH}中{what}有错误", len(old_only), len(old_only & n_keys))
        )
    if new_only:
        out.append(
            LeftOut(ledger, f"{NEW_ZH}中{what}有错误", len(new_only & o_keys), len(new_only))
        )
    if both:
        out.append(LeftOut(ledger, f"两次报送中{what}均有错误", len(both), len(both)))
    return out, o_bad | n_bad


def _projects(
    old: Checked, new: Checked
) -> tuple[list[ProjectRef], list[ProjectRef], list[StageChange], list[FieldChange], list[LeftOut]]:
    o, o_rej, o_noid, o_twice = _project_sides(old)
    n, n_rej, n_noid, n_twice = _project_sides(new)
    o_keys, n_keys = set(o.index), set(n.index)
    # A project rejected on either side is neither added, removed nor compared: it is left out.
    left, skip = _left_out("projects", "该项目的行", o_keys, o_rej, n_keys, n_rej)
    only_old = o_keys - n_keys - skip
    only_new = n_keys - o_keys - skip
    common = sorted(o_keys & n_keys - skip)
    if o_noid or n_noid:
        left.append(LeftOut("projects", "项目编号为空的错误行", o_noid, n_noid))
    if o_twice or n_twice:
        left.append(
            LeftOut(
                "projects",
                "项目编号归一化后重复（全角/半角或空格不同）",
                len(o_twice),
                len(n_twice),
            )
        )

    def ref(frame: pd.DataFrame, key: str, data: Dataset) -> ProjectRef:
        row = frame.loc[key]
        return ProjectRef(
            str(row["project_id"]),
            text_or_none(row["name"]),
            text_or_none(row["district"]),
            text_or_none(row["stage"]),
            _money(row["total_investment"]),
            row_location(data, row["_src"], row["_row"]),
        )

    added = [ref(n, k, new.data) for k in sorted(only_new)]
    removed = [ref(o, k, old.data) for k in sorted(only_old)]

    stages: list[StageChange] = []
    fields: list[FieldChange] = []
    if not common:
        return added, removed, stages, fields, left
    oc, nc = o.loc[common], n.loc[common]
    ids = [str(v) for v in nc["project_id"]]
    names = [
        text_or_none(v) or text_or_none(w) for v, w in zip(nc["name"], oc["name"], strict=True)
    ]
    old_stage = [text_or_none(v) for v in oc["stage"]]
    new_stage = [text_or_none(v) for v in nc["stage"]]
    moved = {i for i in range(len(common)) if old_stage[i] != new_stage[i]}
    filled: dict[int, set[str]] = {}
    for i in sorted(moved):
        dates: dict[str, str] = {}
        for stage, col in STAGE_DATE.items():
            before, after = _day(oc[col].iloc[i]), _day(nc[col].iloc[i])
            rank = STAGE_RANK.get(new_stage[i] or "", -1)
            if before is None and after is not None and STAGE_RANK[stage] <= rank:
                dates[LEDGERS["projects"].by_key[col].header] = after
                filled.setdefault(i, set()).add(col)
        old_col = STAGE_DATE.get(old_stage[i] or "")
        new_col = STAGE_DATE.get(new_stage[i] or "")
        stages.append(
            StageChange(
                ids[i],
                names[i],
                old_stage[i],
                new_stage[i],
                _day(oc[old_col].iloc[i]) if old_col else None,
                _day(nc[new_col].iloc[i]) if new_col else None,
                dates,
            )
        )
    for column in LEDGERS["projects"].columns:
        if column.key in ("project_id", "stage"):
            continue
        old_values = _comparable(column, oc[column.key])
        new_values = _comparable(column, nc[column.key])
        for i, (a, b) in enumerate(zip(old_values, new_values, strict=True)):
            if a == b or column.key in filled.get(i, ()):
                continue
            fields.append(
                FieldChange(
                    ids[i],
                    names[i],
                    column.key,
                    column.display,
                    _shown(column, oc[column.key].iloc[i]),
                    _shown(column, nc[column.key].iloc[i]),
                    UNIT_BY_KIND.get(column.kind),
                )
            )
    fields.sort(key=lambda f: (f.project_id, _column_rank(f.field)))
    return added, removed, stages, fields, left


def _column_rank(key: str) -> int:
    return [c.key for c in LEDGERS["projects"].columns].index(key)


# ---------------------------------------------------------------- arrivals
NONE_FEN = -1  # an amount that is missing (or unreadable) in a row


def _arrival_pool(checked: Checked) -> pd.DataFrame:
    """Every arrival row of a submission with its match keys and counted (统计口径) amount."""
    frame = checked.data.frame("arrivals")
    assert frame is not None
    pool = pd.DataFrame(index=frame.index)
    pool["raw_id"] = frame["project_id"]
    pool["pid"] = _normalised(frame["project_id"])
    pool["by_day"] = frame["date"].notna()
    pool["when"] = frame["date"].where(frame["date"].notna(), frame["month"])
    pool["month"] = _arrival_month(frame)
    amount = fen(frame["amount"])
    pool["amount"] = np.where(frame["amount"].notna(), amount, NONE_FEN)
    pool["fdi"] = np.where(frame["fdi_usd"].notna(), fen(frame["fdi_usd"]), NONE_FEN)
    pool["rejected"] = frame["_reject"].to_numpy(dtype=bool)
    pool["monthly"] = (frame["_form"] == "monthly").to_numpy(dtype=bool)
    pool["ytd"] = frame["year_to_date"]
    pool["_src"], pool["_row"] = frame["_src"], frame["_row"]
    table = arrivals_table(checked)
    counted = pd.Series(False, index=frame.index)
    status = pd.Series(COUNTED_ZH, index=frame.index, dtype=object)
    # The city's share (飞地 sides outside the city left out), as targets count it.
    city = pd.Series(0, index=frame.index, dtype="int64")
    if table is not None and len(table):
        counted[table.index] = table["counted"].to_numpy(dtype=bool)
        reasons = table["not_counted"].astype(object).where(~table["counted"], COUNTED_ZH)
        status[table.index] = reasons.to_numpy()
        city[table.index] = table["city_fen"].to_numpy(dtype="int64")
    pool["counted"] = counted.to_numpy() & ~pool["rejected"].to_numpy()
    pool["status"] = status
    pool["value"] = np.where(pool["counted"], np.maximum(city.to_numpy(), 0), 0)
    return pool.reset_index(drop=True)


def _pair(old: pd.DataFrame, new: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The n-th old row with the n-th new row of equal keys (rows in the order they stand)."""
    if old.empty or new.empty:
        return np.array([], dtype=int), np.array([], dtype=int)
    left = old[keys].assign(_n=old.groupby(keys, sort=False).cumcount(), _o=old.index)
    right = new[keys].assign(_n=new.groupby(keys, sort=False).cumcount(), _p=new.index)
    both = left.merge(right, on=[*keys, "_n"], how="inner")
    return both["_o"].to_numpy(dtype=int), both["_p"].to_numpy(dtype=int)


def _when_text(by_day: bool, when: Any) -> str | None:
    if when is None or pd.isna(when):
        return None
    return f"{when:%Y-%m-%d}" if by_day else f"{when:%Y-%m}"


class _Rows:
    """One submission's arrival pool as plain arrays, for building change records quickly."""

    def __init__(self, pool: pd.DataFrame, data: Dataset) -> None:
        self.raw_id = pool["raw_id"].astype(object).to_numpy()
        self.pid = pool["pid"].to_numpy()
        self.by_day = pool["by_day"].to_numpy()
        self.when = pool["when"].tolist()
        self.month = pool["month"].tolist()
        self.amount = pool["amount"].to_numpy()
        self.fdi = pool["fdi"].to_numpy()
        self.value = pool["value"].to_numpy()
        self.src = pool["_src"].to_numpy()
        self.row = pool["_row"].to_numpy()
        self.data = data

    def location(self, k: int) -> str:
        return row_location(self.data, self.src[k], self.row[k])

    def at(self, k: int, covered_until: pd.Timestamp | None) -> dict[str, Any]:
        month = self.month[k]
        return {
            "raw_id": str(self.raw_id[k]),
            "pid": self.pid[k],
            "when": _when_text(bool(self.by_day[k]), self.when[k]),
            "amount": fen_wan(self.amount[k]) if self.amount[k] >= 0 else None,
            "fdi": fen_wan(self.fdi[k]) if self.fdi[k] >= 0 else None,
            "value": fen_wan(self.value[k]),
            "covered": covered_until is not None and pd.notna(month) and month <= covered_until,
            "at": self.location(k),
        }


def _arrivals(
    old: Checked, new: Checked, cov: Reported, names: dict[str, str | None], period: tuple[Any, Any]
) -> tuple[ArrivalsDiff, list[LeftOut]]:
    o, n = _arrival_pool(old), _arrival_pool(new)
    keyed_o = o["pid"].notna() & o["when"].notna()
    keyed_n = n["pid"].notna() & n["when"].notna()
    o_open, n_open = o[keyed_o], n[keyed_n]
    pairs: list[tuple[str, np.ndarray, np.ndarray]] = []
    for kind, keys in (
        ("same", ["pid", "by_day", "when", "amount", "fdi"]),
        ("changed", ["pid", "by_day", "when"]),
        ("moved", ["pid", "amount", "fdi"]),
    ):
        if kind == "moved":
            # A date corrected within the months already reported; a row that reappears in a
            # new month is a removal and a new-month addition (equal monthly payments are common).
            in_reported = (
                n_open["month"] <= cov.arrivals
                if cov.arrivals is not None
                else pd.Series(False, index=n_open.index)
            )
            o_open = o_open[o_open["amount"] > 0]
            n_open = n_open[(n_open["amount"] > 0) & in_reported]
        po, pn = _pair(o_open, n_open, keys)
        pairs.append((kind, po, pn))
        o_open, n_open = o_open.drop(index=po), n_open.drop(index=pn)

    # Category of every row on each side: what its counted amount contributes to.
    cat_o = np.full(len(o), "none", dtype=object)
    cat_n = np.full(len(n), "none", dtype=object)
    rej_o, rej_n = o["rejected"].to_numpy(), n["rejected"].to_numpy()
    changes: list[ArrivalChange] = []
    covered_until = cov.arrivals
    rows_o, rows_n = _Rows(o, old.data), _Rows(n, new.data)

    def change(kind: str, i: int | None, j: int | None) -> None:
        before = None if i is None else rows_o.at(i, covered_until)
        after = None if j is None else rows_n.at(j, covered_until)
        zero = Decimal(0)
        old_in = before is not None and bool(before["covered"])
        new_in = after is not None and bool(after["covered"])
        old_money = before["amount"] if before is not None and old_in else None
        new_money = after["amount"] if after is not None and new_in else None
        either = after if after is not None else before
        assert either is not None
        changes.append(
            ArrivalChange(
                kind,
                either["raw_id"],
                names.get(either["pid"]),
                None if before is None else before["when"],
                None if after is None else after["when"],
                None if before is None else before["amount"],
                None if after is None else after["amount"],
                None if before is None else before["fdi"],
                None if after is None else after["fdi"],
                (after["value"] if after is not None else zero)
                - (before["value"] if before is not None else zero),
                (new_money or zero) - (old_money or zero),
                old_in or new_in,
                None if before is None else before["at"],
                None if after is None else after["at"],
            )
        )

    left_counts: dict[str, list[int]] = {}

    def leave(reason: str, old_rows: int, new_rows: int) -> None:
        entry = left_counts.setdefault(reason, [0, 0])
        entry[0] += old_rows
        entry[1] += new_rows

    counted_o, counted_n = o["counted"].to_numpy(), n["counted"].to_numpy()
    for kind, po, pn in pairs:
        for why, mask in (
            ("两次报送中该行均有错误", rej_o[po] & rej_n[pn]),
            (f"{OLD_ZH}中该行有错误", rej_o[po] & ~rej_n[pn]),
            (f"{NEW_ZH}中该行有错误", ~rej_o[po] & rej_n[pn]),
        ):
            if mask.any():
                cat_o[po[mask]] = cat_n[pn[mask]] = "left_out"
                leave(why, int(mask.sum()), int(mask.sum()))
        ok = ~(rej_o[po] | rej_n[pn])
        po, pn = po[ok], pn[ok]
        if kind == "same":
            same = counted_o[po] == counted_n[pn]
            cat_o[po] = cat_n[pn] = np.where(same, "same", "scope")
        else:
            cat_o[po] = cat_n[pn] = "rows"
            for i, j in zip(po, pn, strict=True):
                change(kind, int(i), int(j))

    # Rows left without a partner: additions and removals, unless a rejected row of the same
    # project on the other side may be their partner (then they are left out, and say so).
    for side, cats, rejected, pool, other_cats, other_rejected, other_pool in (
        ("old", cat_o, rej_o, o, cat_n, rej_n, n),
        ("new", cat_n, rej_n, n, cat_o, rej_o, o),
    ):
        alone = cats == "none"
        other_alone = np.flatnonzero((other_cats == "none") & other_rejected)
        doubtful = set(other_pool["pid"].to_numpy()[other_alone]) - {None}
        this, other = (OLD_ZH, NEW_ZH) if side == "old" else (NEW_ZH, OLD_ZH)
        bad = alone & rejected
        unsure = alone & ~rejected & pool["pid"].isin(doubtful).to_numpy()
        for why, mask in (
            (f"{this}中该行有错误", bad),
            (f"{other}中同一项目有错误行，无法确定对应关系", unsure),
        ):
            if mask.any():
                cats[mask] = "left_out"
                count = int(mask.sum())
                leave(why, count if side == "old" else 0, count if side == "new" else 0)
        money = alone & ~bad & ~unsure & (pool["amount"].to_numpy() > 0)
        cats[money] = "rows"
        for k in np.flatnonzero(money):
            if side == "old":
                change("removed", int(k), None)
            else:
                change("added", None, int(k))

    changes.sort(key=_change_order)
    every_month = _month_effects(o, n, cat_o, cat_n, covered_until, period)
    months = [m for m in every_month if m.old_fen != m.new_fen or m.rows_fen or m.scope_fen]
    scope = _scope_changes(o, n, pairs, cat_o, covered_until, names)
    ytd = _year_to_date(o, n, names, rows_n.location)
    in_period = [m for m in every_month if m.in_period]
    result = ArrivalsDiff(
        True,
        None if covered_until is None else f"{covered_until:%Y-%m}",
        changes,
        ytd,
        scope,
        months,
        {
            "start": f"{period[0]:%Y-%m}",
            "end": f"{period[1]:%Y-%m}",
            "old_counted_yi": fen_yi(sum(m.old_fen for m in in_period)),
            "new_counted_yi": fen_yi(sum(m.new_fen for m in in_period)),
            "change_wan": float(fen_wan(sum(m.new_fen - m.old_fen for m in in_period))),
            "revisions_wan": float(
                fen_wan(sum(m.new_fen - m.old_fen for m in in_period if m.covered))
            ),
            "new_months_wan": float(
                fen_wan(sum(m.new_fen - m.old_fen for m in in_period if not m.covered))
            ),
        },
    )
    left = [LeftOut("arrivals", why, a, b) for why, (a, b) in left_counts.items()]
    return result, left


def _change_order(c: ArrivalChange) -> tuple[Any, ...]:
    return (not c.revision, c.new_when or c.old_when or "", c.project_id, c.kind)


def _month_effects(
    o: pd.DataFrame,
    n: pd.DataFrame,
    cat_o: np.ndarray,
    cat_n: np.ndarray,
    covered_until: pd.Timestamp | None,
    period: tuple[Any, Any],
) -> list[MonthEffect]:
    """Counted totals per month in both submissions, the change split by where it comes from."""

    def sums(pool: pd.DataFrame, cats: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame(
            {"month": pool["month"], "cat": cats, "value": pool["value"].astype("int64")}
        )
        frame = frame[frame["month"].notna()]
        return frame.pivot_table(
            index="month", columns="cat", values="value", aggfunc="sum", fill_value=0
        )

    so, sn = sums(o, cat_o), sums(n, cat_n)
    months = sorted(set(so.index) | set(sn.index))
    start, end = period
    out = []
    for month in months:

        def get(table: pd.DataFrame, cat: str, m: Any = month) -> int:
            if m not in table.index or cat not in table.columns:
                return 0
            return int(table.at[m, cat])

        def total(table: pd.DataFrame, m: Any = month) -> int:
            return int(table.loc[m].sum()) if m in table.index else 0

        effect = MonthEffect(
            f"{month:%Y-%m}",
            covered_until is not None and month <= covered_until,
            start <= month <= end,
            total(so),
            total(sn),
            get(sn, "rows") - get(so, "rows"),
            get(sn, "scope") - get(so, "scope"),
            get(sn, "left_out") - get(so, "left_out"),
        )
        out.append(effect)
    return out


def _scope_changes(
    o: pd.DataFrame,
    n: pd.DataFrame,
    pairs: list[tuple[str, np.ndarray, np.ndarray]],
    cat_o: np.ndarray,
    covered_until: pd.Timestamp | None,
    names: dict[str, str | None],
) -> list[ScopeChange]:
    _, po, pn = pairs[0]
    keep = cat_o[po] == "scope"
    if not keep.any():
        return []
    po, pn = po[keep], pn[keep]
    frame = pd.DataFrame(
        {
            "pid": n.loc[pn, "pid"].to_numpy(),
            "raw": n.loc[pn, "raw_id"].to_numpy(),
            "old_status": o.loc[po, "status"].to_numpy(),
            "new_status": n.loc[pn, "status"].to_numpy(),
            "effect": n.loc[pn, "value"].to_numpy() - o.loc[po, "value"].to_numpy(),
            "covered": covered_until is not None
            and (n.loc[pn, "month"].to_numpy() <= np.datetime64(covered_until)),
        }
    )
    frame["covered_effect"] = np.where(frame["covered"], frame["effect"], 0)
    out = []
    for (pid, raw, before, after), group in frame.groupby(
        ["pid", "raw", "old_status", "new_status"], sort=True
    ):
        out.append(
            ScopeChange(
                str(raw),
                names.get(str(pid)),
                str(before),
                str(after),
                len(group),
                fen_wan(group["effect"].sum()),
                fen_wan(group["covered_effect"].sum()),
            )
        )
    return out


def _year_to_date(
    o: pd.DataFrame,
    n: pd.DataFrame,
    names: dict[str, str | None],
    location: Callable[[int], str],
) -> list[YearToDateChange]:
    """本年累计 of monthly reports: a figure the old submission had and the new one changed."""
    om = o[o["monthly"] & o["pid"].notna() & o["month"].notna()]
    nm = n[n["monthly"] & n["pid"].notna() & n["month"].notna()]
    if om.empty:
        return []
    bad = set(zip(om.loc[om["rejected"], "pid"], om.loc[om["rejected"], "month"], strict=True))
    bad |= set(zip(nm.loc[nm["rejected"], "pid"], nm.loc[nm["rejected"], "month"], strict=True))
    om, nm = om[~om["rejected"]], nm[~nm["rejected"]]
    old_ytd = om[om["ytd"].notna()].groupby(["pid", "month"])["ytd"].last()
    new_rows = nm.assign(_at=nm.index)
    new_ytd = new_rows[new_rows["ytd"].notna()].groupby(["pid", "month"])["ytd"].last()
    new_at = new_rows.groupby(["pid", "month"])["_at"].last()
    new_raw = new_rows.groupby(["pid", "month"])["raw_id"].last()
    old_raw = om.groupby(["pid", "month"])["raw_id"].last()

    def month_sums(rows: pd.DataFrame) -> pd.Series:
        return rows.assign(a=np.maximum(rows["amount"], 0)).groupby(["pid", "month"])["a"].sum()

    delta = month_sums(nm).sub(month_sums(om), fill_value=0)
    # Per project, the months whose 本月 figure changed and the year's running total of changes.
    running: dict[Any, list[tuple[pd.Timestamp, int]]] = {}
    total: dict[tuple[Any, int], int] = {}
    for (pid, month), d in delta[delta != 0].sort_index().items():
        total[(pid, month.year)] = total.get((pid, month.year), 0) + int(d)
        running.setdefault(pid, []).append((month, total[(pid, month.year)]))
    out = []
    for (pid, month), value in old_ytd.items():
        if (pid, month) in bad:
            continue
        before = int(np.rint(value * FEN_PER_WAN))
        now = new_ytd.get((pid, month))
        after = None if now is None or pd.isna(now) else int(np.rint(now * FEN_PER_WAN))
        if after == before:
            continue
        # 本月 changes of the same year up to this month (a month without a change inherits).
        explained = next(
            (
                cum
                for changed, cum in reversed(running.get(pid, []))
                if changed <= month and changed.year == month.year
            ),
            0,
        )
        out.append(
            YearToDateChange(
                str(new_raw.get((pid, month), old_raw.get((pid, month)))),
                names.get(pid),
                f"{month:%Y-%m}",
                fen_wan(before),
                None if after is None else fen_wan(after),
                fen_wan(explained),
                None if (pid, month) not in new_at.index else location(int(new_at[(pid, month)])),
            )
        )
    return out


# ---------------------------------------------------------------- parks and output
FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "parks": ("park", ("land_mu", "fixed_investment", "output", "tax")),
    "output": ("scope", ("output",)),
}


def _figure_frame(checked: Checked, ledger: str) -> tuple[pd.DataFrame, set[tuple[Any, ...]]]:
    """Accepted rows keyed by (subject, year, month); keys of rejected rows."""
    frame = checked.data.frame(ledger)
    if frame is None:
        return pd.DataFrame(), set()
    subject, _ = FIGURES[ledger]
    keyed = frame.assign(
        _subject=_normalised(frame[subject]),
        _year=frame["year"].astype("Float64"),
        _month=frame["month"].astype("Float64").fillna(0) if ledger == "output" else 0.0,
    )
    keyed = keyed[keyed["_subject"].notna() & keyed["_year"].notna()]
    rejected = keyed["_reject"].to_numpy(dtype=bool)
    bad = set(
        zip(
            keyed["_subject"][rejected],
            keyed["_year"][rejected],
            keyed["_month"][rejected],
            strict=True,
        )
    )
    good = keyed[~rejected].copy()
    good = good.drop_duplicates(["_subject", "_year", "_month"], keep=False)
    return good.set_index(["_subject", "_year", "_month"]), bad


def _period_text(year: float, month: float) -> str:
    return f"{int(year)}年" if not month else f"{int(year)}年1—{int(month)}月"


def _figures(old: Checked, new: Checked, cov: Reported) -> tuple[list[FigureChange], list[LeftOut]]:
    out: list[FigureChange] = []
    left: list[LeftOut] = []
    for ledger, (subject, columns) in FIGURES.items():
        if not (_found(old, ledger) and _found(new, ledger)):
            continue
        o, o_bad = _figure_frame(old, ledger)
        n, n_bad = _figure_frame(new, ledger)
        spec = LEDGERS[ledger]

        def is_covered(key: tuple[Any, ...], ledger: str = ledger) -> bool:
            _, year, month = key
            if ledger == "parks":
                return cov.parks is not None and year <= cov.parks
            return cov.output is not None and (year, month or 12) <= cov.output

        o_keys, n_keys = set(o.index), set(n.index)
        ledger_left, skip = _left_out(ledger, "同期的行", o_keys, o_bad, n_keys, n_bad)
        left += ledger_left
        for key in sorted(o_keys | n_keys, key=lambda k: (k[1], k[2] or 12, k[0])):
            if key in skip:
                continue
            ro = o.loc[key] if key in o_keys else None
            rn = n.loc[key] if key in n_keys else None
            kind = (
                "changed"
                if ro is not None and rn is not None
                else ("removed" if rn is None else "added")
            )
            either = rn if rn is not None else ro
            assert either is not None
            shown_subject = str(either[subject])
            for col in columns:
                column = spec.by_key[col]
                before = None if ro is None else _figure_value(column.kind, ro[col])
                after = None if rn is None else _figure_value(column.kind, rn[col])
                if kind == "changed" and before == after:
                    continue
                out.append(
                    FigureChange(
                        ledger,
                        shown_subject,
                        _period_text(key[1], key[2]),
                        col,
                        column.display,
                        before,
                        after,
                        UNIT_BY_KIND.get(column.kind, ""),
                        kind,
                        kind != "added" or is_covered(key),
                        None if ro is None else row_location(old.data, ro["_src"], ro["_row"]),
                        None if rn is None else row_location(new.data, rn["_src"], rn["_row"]),
                    )
                )
    return out, left


def _figure_value(kind: str, value: Any) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    if kind in ("money", "usd"):
        return _money(value)
    return Decimal(str(round(float(value), 6)))


# ---------------------------------------------------------------- targets
def _restricted(old: Checked, new: Checked, cov: Reported, cut: pd.Timestamp) -> Checked:
    """The new submission limited to what the old one covered: its ledgers, months and years."""
    ledgers: dict[str, LedgerData] = {}
    for key, data in new.data.ledgers.items():
        if not _found(old, key):
            continue
        frame = data.frame
        if key == "arrivals":
            month = _arrival_month(frame)
            keep = (
                ~(month > cov.arrivals)
                if cov.arrivals is not None
                else pd.Series(False, index=frame.index)
            )
            frame = frame[keep.to_numpy(dtype=bool)]
        elif key == "parks" and cov.parks is not None:
            frame = frame[~(frame["year"] > cov.parks).fillna(False).to_numpy(dtype=bool)]
        elif key == "output" and cov.output is not None:
            last = cov.output[0] * 100 + cov.output[1]
            frame = frame[~(_output_period(frame) > last).fillna(False).to_numpy(dtype=bool)]
        ledgers[key] = LedgerData(data.spec, frame, data.stats)
    limited = dataclasses.replace(new.data, ledgers=ledgers)
    # Coverage decides which years count as complete: it must be that of the rows kept.
    return dataclasses.replace(new, data=limited, coverage=coverage(limited))


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _less(a: Decimal | None, b: Decimal | None) -> float | None:
    if a is None or b is None:
        return None
    return float(round(a - b, 10))


def _targets(
    old: TargetsResult, restricted: TargetsResult, new: TargetsResult
) -> list[TargetEffect]:
    by_old = {t.id: t for t in old.targets}
    by_restricted = {t.id: t for t in restricted.targets}
    out = []
    for t in new.targets:
        before = by_old.get(t.id)
        middle = by_restricted.get(t.id)
        a = _decimal(before.actual) if before else None
        m = _decimal(middle.actual) if middle else None
        b = _decimal(t.actual)
        out.append(
            TargetEffect(
                t.id,
                t.name,
                t.unit,
                None if a is None else float(a),
                None if b is None else float(b),
                _less(b, a),
                _less(m, a),
                _less(b, m),
                before.status if before else "no_data",
                t.status,
            )
        )
    return out


# ---------------------------------------------------------------- the whole comparison
def _submission(path: str, checked: Checked) -> Submission:
    return Submission(
        path,
        checked.as_of.date().isoformat(),
        Reported.of(checked).to_dict(),
        {
            k: {"read": d.stats.read, "accepted": d.stats.accepted, "rejected": d.stats.rejected}
            for k, d in checked.data.ledgers.items()
        },
        checked.report.errors,
        checked.report.warnings,
    )


def _unreadable(side: str, checked: Checked) -> list[tuple[str, Finding]]:
    return [
        (side, f)
        for f in checked.report.findings
        if f.code in UNREADABLE_CODES or (f.severity == "error" and f.row is None)
    ]


def _found(checked: Checked, ledger: str) -> bool:
    """The ledger was submitted (even with every row rejected): its rows are compared or left out."""
    return ledger in checked.data.ledgers


def _names(old: Checked, new: Checked) -> dict[str, str | None]:
    names: dict[str, str | None] = {}
    for checked in (old, new):
        frame = checked.data.accepted("projects")
        if frame is not None:
            keys = _normalised(frame["project_id"])
            names.update(
                {
                    k: text_or_none(v)
                    for k, v in zip(keys, frame["name"], strict=True)
                    if k is not None
                }
            )
    return names


def read(path: Path, plan: Plan, progress: ProgressCallback | None = None) -> Checked:
    """A submission as diff compares it: every row as read and checked, at its own as-of date.

    `check` marks rejected rows in the frames it is given and returns them seen at the as-of
    date (rows after it out of scope, e.g. a park's figures for an unfinished year). A diff
    compares everything submitted, so it keeps the frames as checked; `scope` is applied where
    targets are computed.
    """
    data = load(path, progress)
    seen = check(data, plan)
    return dataclasses.replace(seen, data=data)


def compare(old: Checked, new: Checked, old_path: str, new_path: str) -> DiffResult:
    """What changed from the old submission to the new one (both from `read`)."""
    plan = old.plan
    cov = Reported.of(old)
    cut = month_end(old.as_of)
    notes: list[str] = []
    left: list[LeftOut] = []
    unreadable = _unreadable("old", old) + _unreadable("new", new)
    ledger_gone = False
    for key in COMPARED:
        label = LEDGERS[key].stem_zh
        if _found(old, key) and not _found(new, key):
            notes.append(f"{NEW_ZH}未提供{label}：未比较，{OLD_ZH}中的数字无法核对")
            ledger_gone = ledger_gone or bool(old.data.ledgers[key].stats.accepted)
        elif _found(new, key) and not _found(old, key):
            notes.append(f"{OLD_ZH}未提供{label}：{NEW_ZH}中的{label}全部为新增数据，未逐行列出")
    if _found(new, "activities") or _found(old, "activities"):
        notes.append("招商活动台账不在比较范围内")
    if new.as_of < old.as_of:
        notes.append(
            f"{NEW_ZH}的截止日期（{new.as_of:%Y-%m-%d}）早于{OLD_ZH}（{old.as_of:%Y-%m-%d}），"
            "请确认两次报送的先后顺序（diff 旧 新）"
        )

    added: list[ProjectRef] = []
    removed: list[ProjectRef] = []
    stages: list[StageChange] = []
    fields: list[FieldChange] = []
    if _found(old, "projects") and _found(new, "projects"):
        added, removed, stages, fields, project_left = _projects(old, new)
        left += project_left
    names = _names(old, new)
    period = (
        pd.Timestamp(plan.start).to_period("M").to_timestamp(),
        pd.Timestamp(plan.end).to_period("M").to_timestamp(),
    )
    if _found(old, "arrivals") and _found(new, "arrivals"):
        arrivals, arrival_left = _arrivals(old, new, cov, names, period)
        left += arrival_left
    else:
        arrivals = ArrivalsDiff(False, cov.to_dict()["arrivals"])
    figures, figure_left = _figures(old, new, cov)
    left += figure_left

    # The targets as `targets` computes them: rows after the date out of scope (pipeline.scope).
    targets = _targets(
        compute(scope(old, cut)),
        compute(scope(_restricted(old, new, cov, cut), cut)),
        compute(scope(new, new.as_of)),
    )
    revision = (
        ledger_gone
        or any(c.revision for c in arrivals.changes)
        or bool(arrivals.year_to_date)
        or any(s.covered_effect for s in arrivals.scope)
        or any(f.revision for f in figures)
    )
    summary = _summary(added, removed, stages, fields, arrivals, figures, left, ledger_gone)
    return DiffResult(
        summary,
        revision,
        old.data.synthetic or new.data.synthetic,
        _submission(old_path, old),
        _submission(new_path, new),
        cut.date().isoformat(),
        unreadable,
        left,
        added,
        removed,
        stages,
        fields,
        arrivals,
        figures,
        targets,
        notes,
    )


def _summary(
    added: list[ProjectRef],
    removed: list[ProjectRef],
    stages: list[StageChange],
    fields: list[FieldChange],
    arrivals: ArrivalsDiff,
    figures: list[FigureChange],
    left: list[LeftOut],
    ledger_gone: bool,
) -> str:
    parts = []
    if added:
        parts.append(f"新增项目 {len(added)} 个")
    if removed:
        parts.append(f"删除项目 {len(removed)} 个")
    if stages:
        parts.append(f"阶段变化 {len(stages)} 个")
    if fields:
        parts.append(f"项目字段变化 {len(fields)} 处")
    fresh = arrivals.new_rows
    if fresh:
        total = sum((c.difference for c in fresh), Decimal(0))
        parts.append(f"新增月份资金 {len(fresh)} 笔 {wan_text(total)} 万元")
    revised = arrivals.revisions
    if revised:
        net = sum((c.covered_change for c in revised), Decimal(0))
        parts.append(f"修订已报月份资金 {len(revised)} 笔，合计 {wan_text(net, signed=True)} 万元")
    if arrivals.year_to_date:
        parts.append(f"本年累计修订 {len(arrivals.year_to_date)} 处")
    scope = sum((s.covered_effect for s in arrivals.scope), Decimal(0))
    if scope:
        parts.append(f"口径变化使已报月份纳统资金 {wan_text(scope, signed=True)} 万元")
    for ledger in ("parks", "output"):
        revised_figures = [f for f in figures if f.ledger == ledger and f.revision]
        if revised_figures:
            parts.append(f"{LEDGERS[ledger].stem_zh}修订 {len(revised_figures)} 项")
        fresh_figures = [f for f in figures if f.ledger == ledger and not f.revision]
        if fresh_figures:
            parts.append(f"{LEDGERS[ledger].stem_zh}新增 {len(fresh_figures)} 项")
    if ledger_gone:
        parts.append(f"{NEW_ZH}缺少{OLD_ZH}有的台账")
    if left:
        before = sum(x.old_rows for x in left)
        after = sum(x.new_rows for x in left)
        parts.append(f"因有错误未比较：{OLD_ZH} {before:,} 行、{NEW_ZH} {after:,} 行")
    return "，".join(parts) if parts else "两次报送无变化"
