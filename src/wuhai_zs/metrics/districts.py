"""Per-unit figures with 飞地 projects credited by share, and the weighted assessment (考评)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.metrics.base import (
    CREDIT_RULE,
    WAN_PER_YI,
    absent,
    arrivals_table,
    credit,
    credited_fen,
    fen_wan,
    fen_yi,
    num,
    year_elapsed,
)
from wuhai_zs.metrics.projects import require_projects
from wuhai_zs.metrics.warnings import check as check_warnings
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

Period = Literal["year", "plan"]
CITY = "全市"
OUTSIDE = "飞出市外（不计入）"
FIGURES = ("signed", "started", "producing", "investment", "capital_counted", "capital_not_counted")
MONEY_FIGURES = ("investment", "capital_counted", "capital_not_counted")
COMPONENTS: tuple[tuple[str, str, str, str], ...] = (
    # (assessment key, figure it is measured by, name, unit)
    ("capital", "capital_counted", "到位资金（纳统）", "亿元"),
    ("signed", "signed", "签约项目数", "个"),
    ("started", "started", "开工项目数", "个"),
    ("producing", "producing", "投产项目数", "个"),
)
ILLUSTRATIVE = (
    "默认计划中的各区年度考评目标为示意数据，请按市里下达的任务修改计划文件 [assessment.units]"
)


def window_figures(
    projects: pd.DataFrame,
    arrivals: pd.DataFrame | None,
    units: Sequence[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Events between start and end (inclusive), one row per unit.

    signed/started/producing count projects whose 签约/开工/投产日期 falls in the window (终止
    projects too: the event happened), whole, in their 所属区 (a 飞地 project is not split).
    investment is the 总投资 of those signed and capital_* the window's arrivals (纳统 and
    未纳统), both credited by share (see CREDIT_RULE), in whole 分 (int) so sums stay exact.
    """
    return windows_figures(projects, arrivals, units, [(start, end)])[0]


def windows_figures(
    projects: pd.DataFrame,
    arrivals: pd.DataFrame | None,
    units: Sequence[str],
    windows: Sequence[tuple[pd.Timestamp, pd.Timestamp]],
) -> list[pd.DataFrame]:
    """window_figures for several windows, crediting each project and arrival once."""
    names = list(units)
    position = {u: i for i, u in enumerate(names)}

    def codes(values: pd.Series) -> np.ndarray:
        return values.astype(object).map(position).fillna(-1).to_numpy(dtype="int64")

    def inside(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        return (dates.notna() & (dates >= start) & (dates <= end)).to_numpy(dtype=bool)

    def by_unit(code: np.ndarray, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        total = np.zeros(len(names), dtype="int64")
        keep = mask & (code >= 0)
        np.add.at(total, code[keep], values[keep].astype("int64"))
        return total

    district = codes(projects["district"])
    ones = np.ones(len(projects), dtype="int64")
    shares = credit(projects, names)
    share_code = codes(shares["unit"])
    signed_on = projects.loc[shares.index, "signed_on"]
    invested = credited_fen(
        projects.loc[shares.index, "total_investment"], shares["share"].to_numpy()
    )
    paid = None
    if arrivals is not None and len(shares):
        joined = arrivals[["project_id", "amount", "counted", "when"]].merge(
            shares, left_on="project_id", right_index=True
        )
        paid = (
            codes(joined["unit"]),
            credited_fen(joined["amount"], joined["share"]),
            joined["counted"].to_numpy(dtype=bool),
            joined["when"],
        )
    out = []
    for start, end in windows:
        frame = pd.DataFrame(index=pd.Index(names, name="unit"))
        for col, date in (
            ("signed", "signed_on"),
            ("started", "started_on"),
            ("producing", "producing_on"),
        ):
            frame[col] = by_unit(district, ones, inside(projects[date], start, end))
        frame["investment"] = by_unit(share_code, invested, inside(signed_on, start, end))
        for col in ("capital_counted", "capital_not_counted"):
            frame[col] = np.zeros(len(names), dtype="int64")
        if paid is not None:
            code, fen_paid, counted, when = paid
            window = inside(when, start, end)
            frame["capital_counted"] = by_unit(code, fen_paid, window & counted)
            frame["capital_not_counted"] = by_unit(code, fen_paid, window & ~counted)
        out.append(frame)
    return out


@dataclass
class UnitFigures:
    """A unit's figures over the period; money in 亿元 (the 分 exact), None without the ledger."""

    unit: str
    signed: int
    started: int
    producing: int
    investment_yi: float | None
    capital_counted_yi: float | None
    capital_not_counted_yi: float | None
    warnings: int | None
    warnings_red: int | None
    enclave_projects: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Component:
    """One assessment item of a unit; target and actual in `unit` (亿元 or 个)."""

    key: str
    name: str
    unit: str
    target: float
    actual: float | None
    completion: float | None
    capped: float | None
    weight: float
    points: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class UnitScore:
    rank: int
    unit: str
    score: float
    components: list[Component]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "unit": self.unit,
            "score": self.score,
            "components": [c.to_dict() for c in self.components],
        }


@dataclass
class Ranking:
    year: int
    year_elapsed: float
    illustrative: bool
    cap: float
    weights: dict[str, float]
    units: list[UnitScore]
    unranked: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "year_elapsed": self.year_elapsed,
            "illustrative": self.illustrative,
            "cap": self.cap,
            "weights": self.weights,
            "units": [u.to_dict() for u in self.units],
            "unranked": self.unranked,
        }


@dataclass
class DistrictsResult:
    as_of: str
    period: dict[str, str]
    units: list[UnitFigures]
    total: UnitFigures
    outside: dict[str, Any]
    rank: Ranking | None
    credit_rule: str = CREDIT_RULE
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "period": self.period,
            "units": [u.to_dict() for u in self.units],
            "total": self.total.to_dict(),
            "outside": self.outside,
            "rank": None if self.rank is None else self.rank.to_dict(),
            "credit_rule": self.credit_rule,
            "notes": self.notes,
        }


def period_bounds(
    plan: Plan, as_of: pd.Timestamp, period: Period
) -> tuple[pd.Timestamp, pd.Timestamp]:
    if period == "year":
        return pd.Timestamp(as_of.year, 1, 1), as_of
    return pd.Timestamp(plan.start), min(as_of, pd.Timestamp(plan.end))


def _unit_figures(
    name: str,
    row: pd.Series,
    has_arrivals: bool,
    warnings: int | None,
    red: int | None,
    enclaves: int,
) -> UnitFigures:
    def money(col: str) -> float | None:
        return fen_yi(row[col]) if has_arrivals else None

    return UnitFigures(
        name,
        int(row["signed"]),
        int(row["started"]),
        int(row["producing"]),
        fen_yi(row["investment"]),
        money("capital_counted"),
        money("capital_not_counted"),
        warnings,
        red,
        enclaves,
    )


def rank_units(plan: Plan, year_figures: pd.DataFrame, as_of: pd.Timestamp) -> Ranking:
    """考评: score = 100 × Σ weight × min(actual ÷ annual target, cap), ranked high to low.

    A component whose target is 0 scores nothing (completion is undefined). Units with equal
    scores share a rank. Capital is the unit's credited 纳统到位资金 of the as-of year.
    """
    a = plan.assessment
    scores: list[tuple[str, float, list[Component]]] = []
    for unit, targets in a.units.items():
        row = year_figures.loc[unit] if unit in year_figures.index else None
        components = []
        for key, figure, name, measure in COMPONENTS:
            target = float(getattr(targets, key))
            if row is None:
                actual = 0.0
            elif figure.startswith("capital"):
                actual = float(fen_wan(row[figure]))
            else:
                actual = float(row[figure])
            shown_target, shown_actual = target, num(actual)
            if measure == "亿元":  # the plan and the ledgers hold 万元
                shown_target = float(Decimal(str(target)) / WAN_PER_YI)
                shown_actual = fen_yi(row[figure]) if row is not None else 0.0
            completion = actual / target if target > 0 else None
            capped = None if completion is None else min(completion, a.cap)
            weight = float(a.weights.get(key, 0.0))  # type: ignore[call-overload]
            points = 100 * weight * (capped or 0.0)
            components.append(
                Component(
                    key,
                    name,
                    measure,
                    shown_target,
                    shown_actual,
                    num(completion),
                    num(capped),
                    weight,
                    num(points) or 0.0,
                )
            )
        scores.append((unit, sum(c.points for c in components), components))
    ordered = sorted(scores, key=lambda s: -round(s[1], 6))
    ranked: list[UnitScore] = []
    for i, (unit, score, components) in enumerate(ordered):
        same = ranked and round(ranked[-1].score, 6) == round(score, 6)
        rank = ranked[-1].rank if same else i + 1
        ranked.append(UnitScore(rank, unit, num(score) or 0.0, components))
    unranked = [u for u in plan.districts if u not in a.units]
    return Ranking(
        as_of.year,
        year_elapsed(as_of),
        a.illustrative,
        a.cap,
        {k: float(v) for k, v in a.weights.items()},
        ranked,
        unranked,
    )


def compute(checked: Checked, period: Period = "year", rank: bool = False) -> DistrictsResult:
    """Figures per unit of plan.districts over the period, 飞地 credited by share (see credit).

    period "year" is 1 January of the as-of year to as-of; "plan" is the plan's start to as-of.
    Warnings are those standing at as-of, counted against the project's 所属区 (whole, not
    shared: the 所属区 follows the project up). rank adds the assessment for the as-of year and
    needs period "year", since the targets are annual.
    """
    if rank and period != "year":
        raise UsageError("--rank 按年度目标考评，只能用于 --period year（默认）")
    plan = checked.plan
    as_of = checked.as_of
    projects = require_projects(checked)
    arrivals = arrivals_table(checked)
    units = list(plan.districts)
    start, end = period_bounds(plan, as_of, period)
    figures = window_figures(projects, arrivals, units, start, end)

    warnings = check_warnings(checked)
    by_unit: dict[str, tuple[int, int]] = {u: (0, 0) for u in units}
    for w in warnings.warnings:
        if w.district in by_unit:
            n, red = by_unit[w.district]
            by_unit[w.district] = (n + 1, red + (w.level == "red"))
    shares = credit(projects, units)
    enclaved = shares[projects.loc[shares.index, "enclave"].notna().to_numpy()]
    enclave_count = enclaved.groupby("unit").size() if len(enclaved) else pd.Series(dtype=int)

    has_arrivals = arrivals is not None
    rows = [
        _unit_figures(u, figures.loc[u], has_arrivals, *by_unit[u], int(enclave_count.get(u, 0)))
        for u in units
    ]
    total = _unit_figures(
        CITY,
        figures.sum(),
        has_arrivals,
        sum(v[0] for v in by_unit.values()),
        sum(v[1] for v in by_unit.values()),
        int(projects["enclave"].notna().sum()),
    )
    outside = _outside(projects, arrivals, units, start, end, figures)
    notes = [CREDIT_RULE]
    if not has_arrivals:
        notes.append(f"{absent(checked, 'arrivals')}：到位资金为无数据")
    ranking = None
    if rank:
        year_figures = (
            figures
            if period == "year"
            else window_figures(projects, arrivals, units, *period_bounds(plan, as_of, "year"))
        )
        ranking = rank_units(plan, year_figures, as_of)
        if plan.assessment.illustrative:
            notes.append(ILLUSTRATIVE)
    return DistrictsResult(
        as_of=as_of.date().isoformat(),
        period={"kind": period, "start": start.date().isoformat(), "end": end.date().isoformat()},
        units=rows,
        total=total,
        outside=outside,
        rank=ranking,
        notes=notes,
    )


def _outside(
    projects: pd.DataFrame,
    arrivals: pd.DataFrame | None,
    units: Sequence[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
    credited: pd.DataFrame,
) -> dict[str, Any]:
    """What the city does not count: the money shares of 飞地 projects that lie outside it.

    Project counts are whole numbers in the 所属区, so nothing of them lies outside (None).
    """
    everything = window_figures(
        projects.assign(enclave=pd.NA, district="*"), arrivals, ["*"], start, end
    ).loc["*"]
    gone = everything - credited.sum()
    out: dict[str, Any] = {"unit": OUTSIDE}
    for col in FIGURES:
        if col not in MONEY_FIGURES:
            out[col] = None
        else:
            has = arrivals is not None or col == "investment"
            out[f"{col}_yi"] = fen_yi(gone[col]) if has else None
    return out
