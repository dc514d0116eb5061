"""Every measurable goal of the plan against the ledgers, with 统计口径 and 序时进度."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.ledgers.values import FEN_PER_WAN, fen
from wuhai_zs.metrics.base import (
    WAN_PER_YI,
    arrivals_table,
    elapsed_share,
    months_elapsed,
    period_over,
    rows_used,
    wan,
)
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan, Target

Status = Literal["met", "on_track", "behind", "missed", "no_data"]
STATUS_ZH = {
    "met": "已完成",
    "on_track": "符合序时",
    "behind": "落后序时",
    "missed": "未完成",
    "no_data": "无数据",
}
# Equal to nine decimals counts as equal: 230.0 meets 230 whatever binary floats make of it.
PRECISION = Decimal("0.000000001")


@dataclass
class TargetResult:
    id: str
    name: str
    unit: str
    target: float | None
    actual: float | None
    completion: float | None
    expected: float | None
    gap: float | None
    status: Status
    needed: str = ""
    basis: str = ""
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TargetsResult:
    plan: dict[str, Any]
    as_of: str
    elapsed_months: int
    period_months: int
    targets: list[TargetResult]
    ledgers: dict[str, dict[str, int]]
    rows_used: int
    rows_rejected: int
    capital_scope: dict[str, Any]
    consistency: dict[str, Any]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "as_of": self.as_of,
            "elapsed_months": self.elapsed_months,
            "period_months": self.period_months,
            "targets": [t.to_dict() for t in self.targets],
            "ledgers": self.ledgers,
            "rows_used": self.rows_used,
            "rows_rejected": self.rows_rejected,
            "capital_scope": self.capital_scope,
            "consistency": self.consistency,
            "notes": self.notes,
        }


def _num(value: Decimal | float | None, places: int = 10) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value), places))


def _judge(actual: Decimal, target: Decimal, expected: float, over: bool) -> Status:
    if actual.quantize(PRECISION) >= target.quantize(PRECISION):
        return "met"
    if over:
        return "missed"
    due = target * Decimal(str(expected))
    return "on_track" if actual.quantize(PRECISION) >= due.quantize(PRECISION) else "behind"


def _result(
    t: Target,
    unit: str,
    target: Decimal,
    actual: Decimal,
    expected: float,
    over: bool,
    **extra: Any,
) -> TargetResult:
    completion = actual / target if target else None
    return TargetResult(
        t.id,
        t.name,
        unit,
        _num(target),
        _num(actual),
        _num(completion),
        round(expected, 6),
        _num(actual - target * Decimal(str(expected))),
        _judge(actual, target, expected, over),
        **extra,
    )


def _no_data(t: Target, unit: str, why: str, target: float | None = None) -> TargetResult:
    return TargetResult(t.id, t.name, unit, target, None, None, None, None, "no_data", basis=why)


class ArrivalSums:
    """The arrivals table as arrays, summed exactly (in 分) by year under any mask."""

    def __init__(self, arrivals: pd.DataFrame, plan: Plan) -> None:
        self.year = arrivals["year"].to_numpy(dtype="int64")
        self.day = arrivals["when"].dt.day_of_year.to_numpy(dtype="int64")
        self.fen = {"amount": fen(arrivals["amount"]), "fdi_usd": fen(arrivals["fdi_usd"])}
        self.counted = arrivals["counted"].to_numpy(dtype=bool)
        self.foreign = arrivals["foreign_counted"].to_numpy(dtype=bool)
        self.advanced = self.counted & arrivals["industry"].isin(plan.advanced_industries).to_numpy(
            dtype=bool
        )
        self.in_period = (arrivals["when"] >= pd.Timestamp(plan.start)).to_numpy(dtype=bool)

    def total(self, mask: np.ndarray, column: str = "amount") -> Decimal:
        return Decimal(int(self.fen[column][mask].sum())) / FEN_PER_WAN

    def yearly(self, mask: np.ndarray, column: str) -> dict[int, Decimal]:
        sums = pd.Series(self.fen[column][mask]).groupby(self.year[mask]).sum()
        return {int(y): Decimal(int(v)) / FEN_PER_WAN for y, v in sums.items()}

    def up_to_day(self, mask: np.ndarray, column: str, year: int, day: int) -> Decimal:
        return self.total(mask & (self.year == year) & (self.day <= day), column)


@dataclass
class Inputs:
    checked: Checked
    plan: Plan
    as_of: pd.Timestamp
    expected: float
    over: bool
    arrivals: pd.DataFrame | None
    sums: ArrivalSums | None = None
    # Results computed so far, by target kind: a later target may build on an earlier one.
    done: dict[str, TargetResult] = field(default_factory=dict)


def _missing(*ledgers: str) -> str:
    return "缺少" + "、".join(LEDGERS[k].stem_zh for k in ledgers)


# ---------------------------------------------------------------- 到位资金
def capital_cumulative(t: Target, i: Inputs) -> TargetResult:
    unit = "亿元"
    target = Decimal(str(t.target)) / WAN_PER_YI
    if i.arrivals is None:
        return _no_data(t, unit, _missing("arrivals", "projects"), _num(target))
    assert i.sums is not None
    actual = i.sums.total(i.sums.in_period & i.sums.counted) / WAN_PER_YI
    left = i.plan.period_months - months_elapsed(i.plan, i.as_of)
    remaining = target - actual
    if remaining <= 0:
        needed = "已达到目标"
    elif left > 0:
        needed = f"还需 {remaining:,.2f} 亿元，余下 {left} 个月月均 {remaining / left:,.2f} 亿元"
    else:
        needed = f"差 {remaining:,.2f} 亿元"
    basis = f"{i.plan.start:%Y年%m月}至{i.as_of:%Y年%m月%d日}纳统到位资金"
    return _result(t, unit, target, actual, i.expected, i.over, needed=needed, basis=basis)


def _growth(
    t: Target,
    i: Inputs,
    mask: np.ndarray,
    column: str,
    unit_label: str,
    plan_base: float | None,
    target_rate: Decimal | None,
    target_note: str = "",
) -> TargetResult:
    """Average yearly growth from the base year to the latest complete year.

    Amounts are summed in 万元 (or 万美元) and shown in `unit_label` (亿元 divides by 10,000).
    """
    plan = i.plan
    assert i.sums is not None
    sums = i.sums
    scale = Decimal(WAN_PER_YI) if unit_label == "亿元" else Decimal(1)
    yearly = {y: v / scale for y, v in sums.yearly(mask, column).items()}
    has_base_rows = bool((sums.year == plan.base_year).any())
    if has_base_rows:
        base = yearly.get(plan.base_year, Decimal(0))
        base_basis = f"基年（{plan.base_year}年）由台账按同一口径计算"
    elif plan_base is not None:
        base = Decimal(str(plan_base))
        base_basis = f"基年（{plan.base_year}年）取计划文件数字"
    else:
        return _no_data(t, "比率", f"台账无{plan.base_year}年数据，计划文件也无基数")
    last_complete = min(
        i.as_of.year - (0 if i.as_of.month == 12 and i.as_of.day == 31 else 1), plan.end.year
    )
    details: list[dict[str, Any]] = [
        {"year": plan.base_year, "value": _num(base, 2), "yoy": None, "complete": True}
    ]
    previous = base
    for year in range(plan.start.year, min(i.as_of.year, plan.end.year) + 1):
        value = yearly.get(year, Decimal(0))
        complete = year <= last_complete
        yoy = (value / previous - 1) if complete and previous else None
        if not complete:
            same_period = sums.up_to_day(mask, column, year - 1, i.as_of.day_of_year) / scale
            yoy = (value / same_period - 1) if same_period else None
        details.append(
            {"year": year, "value": _num(value, 2), "yoy": _num(yoy), "complete": complete}
        )
        previous = value
    if target_rate is None:
        return _no_data(t, "比率", target_note or "无可比较的目标增速")
    if base <= 0:
        return _no_data(t, "比率", f"基年（{plan.base_year}年）数值为 0，无法计算增速")
    years = last_complete - plan.base_year
    if years < 1:
        result = _no_data(t, "比率", "计划期内尚无完整年度", _num(target_rate))
        result.details = details
        return result
    latest = yearly.get(last_complete, Decimal(0))
    actual = (latest / base) ** (Decimal(1) / years) - 1 if latest > 0 else Decimal(-1)
    total_years = plan.end.year - plan.base_year
    remaining_years = plan.end.year - last_complete
    if remaining_years > 0 and latest > 0:
        goal = base * (1 + target_rate) ** total_years
        rate = (goal / latest) ** (Decimal(1) / remaining_years) - 1
        needed = (
            f"此后 {remaining_years} 年需年均增长 {rate:.1%}，"
            f"{plan.end.year}年达到 {goal:,.2f} {unit_label}"
        )
    else:
        needed = ""
    basis = f"{plan.base_year}—{last_complete}年年均（{years}年）；{base_basis}" + (
        f"；{target_note}" if target_note else ""
    )
    return _result(
        t,
        "比率",
        target_rate,
        actual,
        1.0,
        i.over or remaining_years == 0,
        needed=needed,
        basis=basis,
        details=details,
    )


def capital_growth(t: Target, i: Inputs) -> TargetResult:
    if i.arrivals is None:
        return _no_data(t, "比率", _missing("arrivals", "projects"), t.target)
    assert i.sums is not None
    base = i.plan.base.capital / WAN_PER_YI if i.plan.base.capital is not None else None
    return _growth(t, i, i.sums.counted, "amount", "亿元", base, Decimal(str(t.target)))


def fdi_growth(t: Target, i: Inputs) -> TargetResult:
    if i.arrivals is None:
        return _no_data(t, "比率", _missing("arrivals", "projects"), t.target)
    assert i.sums is not None
    return _growth(
        t, i, i.sums.foreign, "fdi_usd", "万美元", i.plan.base.fdi_usd, Decimal(str(t.target))
    )


def advanced_growth(t: Target, i: Inputs) -> TargetResult:
    if i.arrivals is None:
        return _no_data(t, "比率", _missing("arrivals", "projects"))
    overall = next((x for x in i.plan.targets if x.kind == "capital_growth"), None)
    overall_rate = None
    if overall is not None:
        overall_result = i.done.get("capital_growth") or capital_growth(overall, i)
        if overall_result.actual is not None:
            overall_rate = Decimal(str(overall_result.actual))
    assert i.sums is not None
    return _growth(
        t,
        i,
        i.sums.advanced,
        "amount",
        "亿元",
        None,
        overall_rate,
        "目标为不低于到位资金总体年均增速",
    )


# ---------------------------------------------------------------- 产值
def _output_figure(i: Inputs, scope: str, year: int) -> tuple[Decimal, str, float] | None:
    """(value in 万元, basis, expected) for a year-end output target; None when no rows."""
    output = i.checked.data.accepted("output")
    if output is None:
        return None
    rows = output[(output["scope"] == scope) & output["year"].notna()].copy()
    if rows.empty:
        return None
    month = rows["month"].fillna(12).astype(int)
    rows["end"] = [
        pd.Timestamp(int(y), int(m), 1) + pd.offsets.MonthEnd(0)
        for y, m in zip(rows["year"], month, strict=True)
    ]
    rows["months"] = month.to_numpy()
    rows = rows[rows["end"] <= i.as_of + pd.offsets.MonthEnd(0)]
    if rows.empty:
        return None
    this_year = rows[rows["year"] == year]
    if not this_year.empty:
        best = this_year.sort_values(["months", "_row"]).iloc[-1]
        n = int(best["months"])
        if n == 12:
            return Decimal(str(best["output"])), f"{year}年全年", 1.0
        return Decimal(str(best["output"])), f"{year}年1—{n}月累计（非全年）", n / 12
    full = rows[rows["months"] == 12].sort_values("year")
    if full.empty:
        return None
    best = full.iloc[-1]
    return (
        Decimal(str(best["output"])),
        f"{int(best['year'])}年全年（{year}年数据未报）",
        i.expected,
    )


def _year_end_output(t: Target, i: Inputs, scope: str, target_yi: Decimal) -> TargetResult:
    unit = "亿元"
    year = t.year or i.plan.end.year
    figure = _output_figure(i, scope, year)
    if figure is None:
        why = _missing("output") if not i.checked.data.has("output") else f"产值台账无“{scope}”数据"
        return _no_data(t, unit, why, _num(target_yi))
    value, basis, expected = figure
    actual = value / WAN_PER_YI
    over = i.as_of >= pd.Timestamp(year, 12, 31)
    remaining = target_yi - actual
    needed = "已达到目标" if remaining <= 0 else f"差 {remaining:,.2f} 亿元"
    return _result(t, unit, target_yi, actual, expected, over, needed=needed, basis=basis)


def industrial_output(t: Target, i: Inputs) -> TargetResult:
    return _year_end_output(t, i, "全市", Decimal(str(t.target)) / WAN_PER_YI)


# ---------------------------------------------------------------- 亩均
MEASURE_ZH = {"fixed_investment": "固定资产投资", "output": "工业总产值", "tax": "税收收入"}


def park_per_mu(t: Target, i: Inputs) -> TargetResult:
    unit = "万元/亩"
    target = Decimal(str(t.target))
    parks = i.checked.data.accepted("parks")
    if parks is None:
        return _no_data(t, unit, _missing("parks"), t.target)
    measure = t.measure or "output"
    rows = parks[parks["year"].notna() & (parks["year"] <= i.as_of.year)]
    if rows.empty:
        return _no_data(t, unit, f"园区台账无 {i.as_of.year} 年及以前的数据", t.target)
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    details = []
    for park, group in rows.groupby("park", sort=False):
        area = wan(group["land_mu"])
        amount = wan(group[measure])
        details.append(
            {
                "park": park,
                "year": year,
                "land_mu": _num(area, 2),
                "amount": _num(amount, 2),
                "per_mu": _num(amount / area if area else None, 2),
            }
        )
    area = wan(rows["land_mu"])
    actual = wan(rows[measure]) / area if area else Decimal(0)
    target_year = t.year or i.plan.end.year
    over = i.as_of >= pd.Timestamp(target_year, 12, 31)
    basis = f"{year}年，全部开发区{MEASURE_ZH[measure]}合计 ÷ 用地面积合计"
    if year < target_year and i.as_of >= pd.Timestamp(target_year, 12, 31):
        basis += f"（{target_year}年数据未报）"
    gap_per_mu = target - actual
    needed = "已达到目标" if gap_per_mu <= 0 else f"每亩还差 {gap_per_mu:,.2f} 万元"
    return _result(
        t, unit, target, actual, i.expected, over, needed=needed, basis=basis, details=details
    )


def cluster_targets(i: Inputs) -> list[TargetResult]:
    out = []
    for cluster in i.plan.clusters:
        t = Target(
            id=f"cluster.{cluster.name}",
            name=f"{cluster.name}产业集群产值",
            kind="industrial_output",
            target=cluster.size * WAN_PER_YI,
            year=i.plan.end.year,
        )
        result = _year_end_output(t, i, cluster.name, Decimal(str(cluster.size)))
        result.basis = f"{'千亿级' if cluster.size >= 1000 else '百亿级'}；" + result.basis
        out.append(result)
    return out


CALCULATORS: dict[str, Callable[[Target, Inputs], TargetResult]] = {
    "capital_cumulative": capital_cumulative,
    "capital_growth": capital_growth,
    "fdi_growth": fdi_growth,
    "advanced_growth": advanced_growth,
    "industrial_output": industrial_output,
    "park_per_mu": park_per_mu,
}


def implied_growth(base: float, cumulative: float, years: int) -> float:
    """The yearly growth g with base * sum((1+g)^k, k=1..years) == cumulative."""
    low, high = -0.99, 10.0
    for _ in range(200):
        mid = (low + high) / 2
        total = base * sum((1 + mid) ** k for k in range(1, years + 1))
        low, high = (mid, high) if total < cumulative else (low, mid)
    return (low + high) / 2


def _consistency(plan: Plan, base_yi: float | None) -> dict[str, Any]:
    cumulative = next((t for t in plan.targets if t.kind == "capital_cumulative"), None)
    growth = next((t for t in plan.targets if t.kind == "capital_growth"), None)
    if (
        base_yi is None
        or cumulative is None
        or growth is None
        or cumulative.target is None
        or growth.target is None
    ):
        return {}
    years = plan.end.year - plan.start.year + 1
    target_yi = cumulative.target / WAN_PER_YI
    at_growth = base_yi * sum((1 + growth.target) ** k for k in range(1, years + 1))
    return {
        "base_yi": round(base_yi, 2),
        "cumulative_target_yi": round(target_yi, 2),
        "growth_target": growth.target,
        "cumulative_at_growth_target_yi": round(at_growth, 2),
        "growth_implied_by_cumulative": round(implied_growth(base_yi, target_yi, years), 6),
    }


def _capital_scope(i: Inputs) -> dict[str, Any]:
    if i.arrivals is None or i.sums is None:
        return {}
    sums = i.sums
    period = sums.in_period
    scope: dict[str, Any] = {
        "counted_yi": _num(sums.total(period & sums.counted) / WAN_PER_YI),
        "not_counted_yi": _num(sums.total(period & ~sums.counted) / WAN_PER_YI),
        "not_counted": [],
    }
    reason = i.arrivals["not_counted"].cat
    codes = reason.codes.to_numpy()
    project = i.arrivals["project_id"]
    for code, label in enumerate(reason.categories):
        mask = period & ~sums.counted & (codes == code)
        if not mask.any():
            continue
        scope["not_counted"].append(
            {
                "reason": label,
                "rows": int(mask.sum()),
                "projects": int(project[mask].nunique()),
                "amount_yi": _num(sums.total(mask) / WAN_PER_YI),
            }
        )
    return scope


def compute(checked: Checked) -> TargetsResult:
    plan = checked.plan
    arrivals = arrivals_table(checked)
    inputs = Inputs(
        checked,
        plan,
        checked.as_of,
        elapsed_share(plan, checked.as_of),
        period_over(plan, checked.as_of),
        arrivals,
        ArrivalSums(arrivals, plan) if arrivals is not None else None,
    )
    results = []
    for target in plan.targets:
        result = CALCULATORS[target.kind](target, inputs)
        inputs.done.setdefault(target.kind, result)
        results.append(result)
    results += cluster_targets(inputs)
    used, rejected = rows_used(checked, tuple(checked.data.ledgers))
    base_yi = None
    notes: list[str] = []
    growth = next((r for r in results if r.id == "capital_growth"), None)
    if growth is not None and growth.details:
        base_yi = growth.details[0]["value"]
    elif plan.base.capital is not None:
        base_yi = plan.base.capital / WAN_PER_YI
    consistency = _consistency(plan, base_yi)
    if consistency:
        notes.append(
            f"计划的两个资金目标并不一致：从基年 {consistency['base_yi']:,.2f} 亿元起，"
            f"年均增长 {consistency['growth_target']:.0%} 三年累计约 "
            f"{consistency['cumulative_at_growth_target_yi']:,.2f} 亿元；要累计达到 "
            f"{consistency['cumulative_target_yi']:,.0f} 亿元，需年均增长约 "
            f"{consistency['growth_implied_by_cumulative']:.1%}。"
        )
    missing = [
        LEDGERS[k].stem_zh
        for k in LEDGERS
        if k not in checked.data.ledgers and not LEDGERS[k].optional
    ]
    if missing:
        notes.append("未提供：" + "、".join(missing) + "，相关指标显示为无数据。")
    return TargetsResult(
        plan={
            "name": plan.name,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "base_year": plan.base_year,
        },
        as_of=checked.as_of.date().isoformat(),
        elapsed_months=months_elapsed(plan, checked.as_of),
        period_months=plan.period_months,
        targets=results,
        ledgers={
            k: {
                "read": d.stats.read,
                "accepted": d.stats.accepted,
                "rejected": d.stats.rejected,
                "skipped": d.stats.skipped,
            }
            for k, d in checked.data.ledgers.items()
        },
        rows_used=used,
        rows_rejected=rejected,
        capital_scope=_capital_scope(inputs),
        consistency=consistency,
        notes=notes,
    )
