"""Every measurable goal of the plan against the ledgers: one verdict rule per kind of target."""

# How each kind is judged (docs/targets.md says the same in Chinese, with worked examples):
#
# - A verdict before the end of a target's period compares the latest data with what was due for
#   the same period: the as-of date, or the data's last month when a ledger stops earlier (the
#   coverage warning says so). Partial years are compared with the same period of the year
#   before (同期), never as full years.
# - The final verdict (met or missed) needs the complete data of the final period; without them
#   the target is `pending`, unless it can no longer be lost (a cumulative figure, or a
#   year-to-date output of the target year, that already reaches the target): then `met`.
# - A level (output, clusters, 亩均) reached before its target year is `on_track`, with the
#   margin shown: it has to be held until the target year.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.metrics.base import (
    LINE_FLAGGED,
    LINE_SMALL,
    LINES,
    WAN_PER_YI,
    absent,
    arrivals_table,
    data_end,
    fen_wan,
    fen_yi,
    month_end,
    months_elapsed,
    num,
    partial_units,
    wan,
    wan_yi,
)
from wuhai_zs.pipeline import Checked, Coverage
from wuhai_zs.plan.model import KIND_ZH, Cluster, Plan, Target

Status = Literal["met", "on_track", "behind", "missed", "pending", "no_data"]
STATUS_ZH = {
    "met": "已完成",
    "on_track": "符合序时",
    "behind": "落后序时",
    "missed": "未完成",
    "pending": "待数据",
    "no_data": "无数据",
}
# JSON keys say their unit (docs/json.md); a target's own figures are in its `unit`.
SUFFIX = {"亿元": "_yi", "万美元": "_wan_usd", "万元/亩": "_wan_per_mu"}
# Equal to nine decimals counts as equal: 230.0 meets 230 whatever binary floats make of it.
PRECISION = Decimal("0.000000001")
# A ledger's base-year figure further than this from the plan's base is shown beside it.
BASE_TOLERANCE = Decimal("0.05")
MEASURE_ZH = {
    "capital": "纳统到位资金",
    "fdi": "实际利用外资",
    "advanced_capital": "先进制造业、高新技术产业纳统到位资金",
    "output": "工业总产值",
    "fixed_investment_per_mu": "固定资产投资",
    "output_per_mu": "工业总产值",
    "tax_per_mu": "税收收入",
}
PARK_COLUMN = {
    "fixed_investment_per_mu": "fixed_investment",
    "output_per_mu": "output",
    "tax_per_mu": "tax",
}


@dataclass
class TargetResult:
    """One target's verdict. `due` is the value due for the period the verdict was judged on
    (`judged_on`), in the target's unit; `expected` = due ÷ target; `gap` = actual − due;
    `remaining` is what is still needed to reach the target; `awaiting` names the data a
    `pending` verdict waits for."""

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
    kind: str = ""
    due: float | None = None
    judged_on: dict[str, Any] = field(default_factory=dict)
    remaining: float | None = None
    awaiting: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)

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
    rows_out_of_scope: int
    coverage: dict[str, dict[str, Any]]
    warnings: list[str]
    capital_scope: dict[str, Any]
    capital_lines: dict[str, Any]
    consistency: dict[str, Any]
    notes: list[str]
    # The as-of is after some ledger's data: in the JSON's warnings; on a terminal the command
    # line says it once, on stderr, for every command (so the table does not repeat it).
    coverage_warning: str | None = None

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
            "rows_out_of_scope": self.rows_out_of_scope,
            "coverage": self.coverage,
            "warnings": ([self.coverage_warning] if self.coverage_warning else []) + self.warnings,
            "capital_scope": self.capital_scope,
            "capital_lines": self.capital_lines,
            "consistency": self.consistency,
            "notes": self.notes,
        }


def _reaches(actual: Decimal, goal: Decimal) -> bool:
    return actual.quantize(PRECISION) >= goal.quantize(PRECISION)


def _above(actual: Decimal, goal: Decimal) -> bool:
    return actual.quantize(PRECISION) > goal.quantize(PRECISION)


def _d(value: float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _pct(rate: Decimal) -> str:
    """15% rather than 15.0%, 14.29% where it needs the places."""
    text = f"{rate:.2%}"
    return text.replace(".00%", "%")


def _year_end(year: int) -> pd.Timestamp:
    return pd.Timestamp(year, 12, 31)


def _verdict(
    t: Target,
    unit: str,
    status: Status,
    target: Decimal | None,
    actual: Decimal | None,
    due: Decimal | None,
    **extra: Any,
) -> TargetResult:
    # A rate is compared with its target in 个百分点 (gap), never as a share of it: a growth
    # target has no 完成率 (−5% growth against 15% is not "−33% complete").
    rate = t.kind == "growth"
    completion = actual / target if actual is not None and target and not rate else None
    expected = due / target if due is not None and target and not rate else None
    gap = actual - due if actual is not None and due is not None else None
    remaining = None
    if actual is not None and target is not None and t.kind != "growth":
        remaining = max(target - actual, Decimal(0))
    extra.setdefault("remaining", num(remaining, 10))
    return TargetResult(
        t.id,
        t.name,
        unit,
        num(target, 10),
        num(actual, 10),
        num(completion, 10),
        num(expected, 6),
        num(gap, 10),
        status,
        kind=t.kind,
        due=num(due, 10),
        **extra,
    )


def _no_data(
    t: Target, unit: str, why: str, target: Decimal | None = None, due: Decimal | None = None
) -> TargetResult:
    """No verdict: the data it needs are missing (never zero). `due` when it is known anyway."""
    return _verdict(t, unit, "no_data", target, None, due, basis=why)


class ArrivalSums:
    """The arrivals table as arrays, summed exactly (in 分, the city's share) under any mask."""

    def __init__(self, arrivals: pd.DataFrame, plan: Plan) -> None:
        self.when = arrivals["when"].to_numpy(dtype="datetime64[ns]")
        self.year = arrivals["year"].to_numpy(dtype="int64")
        self.fen = {
            "amount": arrivals["city_fen"].to_numpy(dtype="int64"),
            "fdi_usd": arrivals["city_fdi_fen"].to_numpy(dtype="int64"),
            "whole": arrivals["fen"].to_numpy(dtype="int64"),
            "whole_fdi": arrivals["fdi_fen"].to_numpy(dtype="int64"),
        }
        self.counted = arrivals["counted"].to_numpy(dtype=bool)
        self.foreign = arrivals["foreign"].to_numpy(dtype=bool)
        self.advanced = self.counted & arrivals["industry"].isin(plan.advanced_industries).to_numpy(
            dtype=bool
        )
        self.in_period = (arrivals["when"] >= pd.Timestamp(plan.start)).to_numpy(dtype=bool)
        self.line = arrivals["line"].cat.codes.to_numpy()
        self.project = pd.factorize(arrivals["project_id"])[0]
        self.rows = len(arrivals)

    def projects(self, mask: np.ndarray) -> int:
        """How many projects the masked arrivals belong to."""
        return int(np.unique(self.project[mask]).size)

    def total(self, mask: np.ndarray, column: str = "amount") -> Decimal:
        return fen_wan(self.fen[column][mask].sum())

    def yearly(self, mask: np.ndarray, column: str) -> dict[int, Decimal]:
        sums = pd.Series(self.fen[column][mask]).groupby(self.year[mask]).sum()
        return {int(y): fen_wan(v) for y, v in sums.items()}

    def year_to(self, mask: np.ndarray, column: str, year: int, until: pd.Timestamp) -> Decimal:
        """The year's sum from 1 January to `until` (inclusive)."""
        inside = (self.year == year) & (self.when <= np.datetime64(until.normalize(), "ns"))
        return self.total(mask & inside, column)


@dataclass
class Inputs:
    checked: Checked
    plan: Plan
    as_of: pd.Timestamp
    arrivals: pd.DataFrame | None
    sums: ArrivalSums | None = None
    partial_units: list[str] = field(default_factory=list)  # plan districts with no project
    warnings: list[str] = field(default_factory=list)
    done: dict[str, TargetResult] = field(default_factory=dict)

    def coverage(self, ledger: str) -> Coverage | None:
        return self.checked.coverage.get(ledger)

    def judged_at(self, ledger: str) -> pd.Timestamp:
        """The as-of date, or the end of the ledger's last month when its data stop earlier."""
        return data_end(self.checked, ledger)

    def covers_month(self, ledger: str, when: pd.Timestamp) -> bool:
        cov = self.coverage(ledger)
        return cov is not None and (cov.last.year, cov.last.month) >= (when.year, when.month)


def _through(when: pd.Timestamp, label: str | None = None, **more: Any) -> dict[str, Any]:
    return {"through": when.date().isoformat(), "label": label or when.date().isoformat(), **more}


def _year_part(year: int, months: int, note: str = "") -> dict[str, Any]:
    """judged_on for a year's figure of 1—N月, or of the whole year when N is 12."""
    label = f"{year}年全年" if months == 12 else f"{year}年1—{months}月"
    end = month_end(pd.Timestamp(year, months, 1))
    return _through(end, label + note, year=year, months=months)


# ---------------------------------------------------------------- money: which arrivals, which unit
def _money(t: Target, i: Inputs) -> tuple[np.ndarray, str, str, Decimal]:
    """(mask, sum column, unit shown, 万 per shown unit) for a money measure."""
    assert i.sums is not None
    if t.measure == "fdi":
        return i.sums.foreign, "fdi_usd", "万美元", Decimal(1)
    mask = i.sums.advanced if t.measure == "advanced_capital" else i.sums.counted
    return mask, "amount", "亿元", Decimal(WAN_PER_YI)


# ---------------------------------------------------------------- cumulative
def cumulative(t: Target, i: Inputs) -> TargetResult:
    """A flow summed over the plan period against a straight line from 0 to the target."""
    plan = i.plan
    unit = "万美元" if t.measure == "fdi" else "亿元"
    scale = Decimal(1) if unit == "万美元" else Decimal(WAN_PER_YI)
    target = _d(t.value) / scale
    if i.arrivals is None or i.sums is None:
        due = target * months_elapsed(plan, i.as_of) / plan.period_months
        return _no_data(t, unit, absent(i.checked, "arrivals", "projects"), target, due)
    mask, column, _, _ = _money(t, i)
    actual = i.sums.total(i.sums.in_period & mask, column) / scale
    at = i.judged_at("arrivals")
    months = months_elapsed(plan, at)
    share = Decimal(months) / Decimal(plan.period_months)
    due = target * share
    left = plan.period_months - months
    remaining = target - actual
    judged = _through(at, months=months)
    what = f"{plan.start.isoformat()} 至 {at.date().isoformat()} {MEASURE_ZH[t.measure]}"
    if _reaches(actual, target):
        return _verdict(
            t,
            unit,
            "met",
            target,
            actual,
            due,
            needed=f"已达到目标，超出 {actual - target:,.2f} {unit}",
            basis=f"{what}（累计已达到目标，不会再落空）",
            judged_on=judged,
        )
    if i.as_of >= pd.Timestamp(plan.end):
        final_month = pd.Timestamp(plan.end)
        if i.covers_month("arrivals", final_month):
            return _verdict(
                t,
                unit,
                "missed",
                target,
                actual,
                target,
                needed=f"计划期结束，差 {remaining:,.2f} {unit}",
                basis=what,
                judged_on=_through(pd.Timestamp(plan.end), months=plan.period_months),
            )
        cov = i.coverage("arrivals")
        since = (month_end(cov.last) + pd.Timedelta(days=1)) if cov else pd.Timestamp(plan.start)
        awaiting = f"{since:%Y-%m} 至 {plan.end:%Y-%m} 的到位资金数据"
        return _verdict(
            t,
            unit,
            "pending",
            target,
            actual,
            target,
            needed=f"还差 {remaining:,.2f} {unit}；待{awaiting}",
            basis=f"{what}；按此时序时应达 {due:,.2f} {unit}（{months}/{plan.period_months} 个月），"
            f"{'符合' if _reaches(actual, due) else '落后'}序时 {abs(actual - due):,.2f} {unit}",
            judged_on=judged,
            awaiting=awaiting,
        )
    status: Status = "on_track" if _reaches(actual, due) else "behind"
    needed = (
        f"还需 {remaining:,.2f} {unit}，余下 {left} 个月月均 {remaining / left:,.2f} {unit}"
        if left > 0
        else f"还差 {remaining:,.2f} {unit}"
    )
    basis = f"{what}；序时 = {months}/{plan.period_months} 个月"
    return _verdict(
        t, unit, status, target, actual, due, needed=needed, basis=basis, judged_on=judged
    )


# ---------------------------------------------------------------- growth
def _base(
    t: Target, i: Inputs, yearly: dict[int, Decimal], scale: Decimal, unit_label: str
) -> tuple[Decimal | None, str]:
    """The base-year value and where it comes from; (None, why) when there is none.

    A base in the plan file is the base of the city-wide figure; the ledger's base-year rows
    are then a check. Without a plan base, the ledger's base year is the base if the ledger
    covers that whole year. Ledgers that hold only some districts are never compared with a
    city base.
    """
    plan, sums = i.plan, i.sums
    assert sums is not None
    year = plan.base_year
    has_rows = bool((sums.year == year).any())
    ledger_value = yearly.get(year, Decimal(0))
    first = pd.Timestamp(sums.when.min()) if sums.rows else None
    whole_year = (
        has_rows
        and first is not None
        and first <= pd.Timestamp(year, 1, 31)
        and i.covers_month("arrivals", pd.Timestamp(year, 12, 1))
    )
    ledger_text = f"台账{year}年同口径 {ledger_value:,.2f} {unit_label}"
    if t.base is not None and not i.partial_units:
        assert isinstance(t.base, float)
        plan_value = _d(t.base) / scale
        source = f"；来源：{t.base_source}" if t.base_source else ""
        basis = f"基年（{year}年）{plan_value:,.2f} {unit_label}取自计划文件{source}"
        if has_rows:
            off = (ledger_value / plan_value - 1) if plan_value else Decimal(0)
            if abs(off) > BASE_TOLERANCE:
                i.warnings.append(
                    f"{t.name}：计划文件基数 {plan_value:,.2f} {unit_label}，{ledger_text}，"
                    f"相差 {off:+.1%}（超过 5%）；增速按计划文件基数计算，请核对台账{year}年数据"
                )
            basis += f"；{ledger_text}（核对用）"
        return plan_value, basis
    partial = ""
    if i.partial_units and t.base is not None:
        partial = f"台账只含部分区（缺 {'、'.join(i.partial_units)}），不与全市基数比较；"
    if whole_year:
        return ledger_value, f"{partial}基年（{year}年）取{ledger_text}"
    if has_rows:
        return None, (
            f"{partial}台账{year}年（基年）数据不是全年（台账自 {first:%Y-%m-%d} 起），"
            "计划文件也无基数，无法计算增速"
        )
    return None, f"{partial}台账无{year}年（基年）数据，计划文件也无基数"


def _rate_goal(t: Target, i: Inputs) -> tuple[Decimal, str]:
    """The growth rate to reach and how it is set (a fixed rate, or also another target's)."""
    floor = _d(t.value)
    words = f"{'高于' if t.strict else '不低于'} {_pct(floor)}"
    if t.not_below is not None:
        other = i.done.get(t.not_below)
        if other is not None and other.actual is not None:
            rate = _d(other.actual)
            words += f"，且不低于{other.name} {rate:.2%}"
            return max(floor, rate), words
        words += f"（{t.not_below} 无数据，只看固定门槛）"
    return floor, words


def growth(t: Target, i: Inputs) -> TargetResult:
    """年均 growth from the base year to the latest complete year; each year's 同比 beside it."""
    plan = i.plan
    unit = "比率"
    if i.arrivals is None or i.sums is None:
        return _no_data(
            t, unit, absent(i.checked, "arrivals", "projects"), _d(t.value), _d(t.value)
        )
    sums = i.sums
    mask, column, unit_label, scale = _money(t, i)
    yearly = {y: v / scale for y, v in sums.yearly(mask, column).items()}
    base, base_basis = _base(t, i, yearly, scale, unit_label)
    goal_rate, goal_words = _rate_goal(t, i)
    meets = _above if t.strict else _reaches
    at = i.judged_at("arrivals")
    last_complete = min(at.year if at >= _year_end(at.year) else at.year - 1, plan.end.year)
    final_year = plan.end.year
    details: list[dict[str, Any]] = []
    previous = base
    value_key, path_key = f"value{SUFFIX[unit_label]}", f"path{SUFFIX[unit_label]}"
    if base is not None:
        details.append(
            {"year": plan.base_year, value_key: num(base, 2), "yoy": None, "complete": True}
        )
    for year in range(plan.start.year, min(at.year, final_year) + 1):
        complete = year <= last_complete
        value = (
            yearly.get(year, Decimal(0))
            if complete
            else sums.year_to(mask, column, year, at) / scale
        )
        if complete:
            yoy = value / previous - 1 if previous else None
            months = 12
        else:
            same = sums.year_to(mask, column, year - 1, at - pd.DateOffset(years=1)) / scale
            yoy = value / same - 1 if same else None
            months = at.month
        path = base * (1 + goal_rate) ** (year - plan.base_year) if base is not None else None
        details.append(
            {
                "year": year,
                value_key: num(value, 2),
                "yoy": num(yoy, 10),
                "complete": complete,
                "months": months,
                "meets_rate": None if yoy is None else meets(yoy, goal_rate),
                path_key: num(path, 2) if complete else None,
            }
        )
        previous = yearly.get(year, Decimal(0)) if complete else previous
    target = goal_rate
    if base is None:
        result = _no_data(t, unit, base_basis, target, target)
        result.details = details
        return result
    if base <= 0:
        why = f"基年（{plan.base_year}年）数值为 0，无法计算增速"
        return _no_data(t, unit, why, target, target)
    years = last_complete - plan.base_year
    total_years = final_year - plan.base_year
    goal = base * (1 + goal_rate) ** total_years
    final_so_far = (
        sums.year_to(mask, column, final_year, at) / scale if at.year >= final_year else None
    )
    basis_rule = f"目标：年均增长{goal_words}"
    if years < 1:
        awaiting = f"{plan.start.year}年全年数据"
        return _verdict(
            t,
            unit,
            "pending",
            target,
            None,
            target,
            basis=f"计划期内尚无完整年度（同比见各年）；{base_basis}；{basis_rule}",
            needed=f"待{awaiting}",
            details=details,
            awaiting=awaiting,
            judged_on=_through(at, f"待{plan.start.year}年全年"),
        )
    latest = yearly.get(last_complete, Decimal(0))
    actual = (latest / base) ** (Decimal(1) / years) - 1 if latest > 0 else Decimal(-1)
    judged = _through(
        _year_end(last_complete),
        f"{plan.base_year}—{last_complete}年",
        year=last_complete,
        months=12,
    )
    basis = f"{plan.base_year}—{last_complete}年年均（{years}年）；{base_basis}；{basis_rule}"

    def verdict(status: Status, **extra: Any) -> TargetResult:
        return _verdict(
            t,
            unit,
            status,
            target,
            actual,
            target,
            basis=basis,
            details=details,
            judged_on=judged,
            **extra,
        )

    remaining_years = final_year - last_complete
    if remaining_years > 0 and latest > 0:
        rate = (goal / latest) ** (Decimal(1) / remaining_years) - 1
        pace = f"需年均增长 {rate:.1%}" if rate >= 0 else f"年均下降不超过 {-rate:.1%} 即可"
        needed = f"此后 {remaining_years} 年{pace}，{final_year}年达到 {goal:,.2f} {unit_label}"
    elif meets(actual, goal_rate):
        needed = "已达到目标"
    else:
        needed = f"年均增速差 {(goal_rate - actual) * 100:,.2f} 个百分点"
    if remaining_years == 0:
        return verdict("met" if meets(actual, goal_rate) else "missed", needed=needed)
    if final_so_far is not None and t.not_below is None and _reaches(final_so_far, goal):
        return verdict(
            "met",
            needed=f"{final_year}年截至{at.date().isoformat()}已达 {final_so_far:,.2f} "
            f"{unit_label}，超过实现目标所需的 {goal:,.2f} {unit_label}，不会再落空",
        )
    if i.as_of >= pd.Timestamp(plan.end):
        cov = i.coverage("arrivals")
        shown = cov.label if cov else "无数据"
        awaiting = f"{final_year}年全年数据（到位资金台账只到 {shown}）"
        so_far = (
            f"；{final_year}年截至 {at.date().isoformat()} 为 {final_so_far:,.2f} {unit_label}，"
            f"全年需达 {goal:,.2f} {unit_label}"
            if final_so_far is not None
            else ""
        )
        return verdict("pending", needed=f"待{awaiting}{so_far}", awaiting=awaiting)
    return verdict("on_track" if meets(actual, goal_rate) else "behind", needed=needed)


# ---------------------------------------------------------------- levels: output and 亩均
@dataclass
class Series:
    """A level's yearly values: full years, year-to-date figures, and what is shown per year."""

    full: dict[int, Decimal]
    ytd: dict[int, tuple[int, Decimal]]  # year -> (months, value) of the latest 1—N月 figure
    history: list[dict[str, Any]]
    missing: dict[int, str] = field(default_factory=dict)  # year -> why it is not used


def _path(base: Decimal, target: Decimal, base_year: int, target_year: int, year: int) -> Decimal:
    """The straight line from the base-year value to the target in the target year."""
    return base + (target - base) * Decimal(year - base_year) / Decimal(target_year - base_year)


def _level(
    t: Target,
    i: Inputs,
    unit: str,
    target: Decimal,
    series: Series,
    label: str,
    ledger: str,
) -> TargetResult:
    plan = i.plan
    year = t.year or plan.end.year
    base_year = plan.base_year
    base = series.full.get(base_year)
    history = series.history

    def result(
        status: Status, actual: Decimal | None, due: Decimal | None, **extra: Any
    ) -> TargetResult:
        extra.setdefault("history", history)
        return _verdict(t, unit, status, target, actual, due, **extra)

    if year in series.full:
        value = series.full[year]
        status: Status = "met" if _reaches(value, target) else "missed"
        needed = "已达到目标" if status == "met" else f"差 {target - value:,.2f} {unit}"
        return result(
            status,
            value,
            target,
            needed=needed,
            basis=f"{year}年全年{label}",
            judged_on=_year_part(year, 12),
        )
    ytd = series.ytd.get(year)
    if ytd is not None and _reaches(ytd[1], target):
        months, value = ytd
        return result(
            "met",
            value,
            target,
            needed=f"{year}年1—{months}月已达 {value:,.2f} {unit}，全年不会低于目标",
            basis=f"{year}年1—{months}月累计{label}（已达到全年目标，不会再落空）",
            judged_on=_year_part(year, months),
        )
    final = i.as_of >= _year_end(year)
    cov = i.coverage(ledger)
    shown = cov.label if cov else "无数据"
    if final:
        awaiting = f"{year}年全年数据（{LEDGERS[ledger].stem_zh}只到 {shown}）"
        so_far = ""
        if ytd is not None:
            months, value = ytd
            so_far = (
                f"；{year}年1—{months}月 {value:,.2f} {unit}，"
                f"按序时应达 {target * months / 12:,.2f} {unit}"
            )
        why = series.missing.get(year, "")
        latest = _through(i.as_of, f"待{year}年全年")
        if ytd is not None:
            latest = _year_part(year, ytd[0], "（待全年）")
        return result(
            "pending",
            ytd[1] if ytd else None,
            target,
            needed=f"待{awaiting}",
            basis=f"{year}年全年{label}未报{why}{so_far}",
            awaiting=awaiting,
            judged_on=latest,
        )
    if ytd is not None and i.as_of.year == year:
        months, value = ytd
        due = target * months / 12
        status = "on_track" if _reaches(value, due) else "behind"
        return result(
            status,
            value,
            due,
            needed=f"全年还需 {target - value:,.2f} {unit}",
            basis=f"{year}年1—{months}月累计{label}，对照目标 × {months}/12",
            judged_on=_year_part(year, months),
        )
    last = min(i.as_of.year if i.as_of >= _year_end(i.as_of.year) else i.as_of.year - 1, year - 1)
    if last <= base_year:
        awaiting = f"{base_year + 1}年全年数据"
        return result(
            "pending",
            None,
            None,
            needed=f"待{awaiting}",
            basis=f"计划期内尚无完整年度的{label}（基年数据不作判断）",
            awaiting=awaiting,
            judged_on=_through(i.as_of, f"待{base_year + 1}年全年"),
        )
    if last not in series.full:
        awaiting = f"{last}年全年数据（{LEDGERS[ledger].stem_zh}只到 {shown}）"
        why = series.missing.get(last, "")
        return result(
            "pending",
            None,
            None,
            needed=f"待{awaiting}",
            basis=f"{last}年全年{label}未报{why}",
            awaiting=awaiting,
            judged_on=_through(i.as_of, f"待{last}年全年"),
        )
    value = series.full[last]
    judged = _year_part(last, 12)
    start_note = ""
    if base is None:  # the path starts at the earliest full year there is, and says so
        earlier = [y for y in series.full if base_year < y < last]
        if earlier:
            base_year = min(earlier)
            base = series.full[base_year]
            start_note = f"（无{plan.base_year}年数据，路径从{base_year}年起）"
    if base is None:
        return result(
            "no_data",
            value,
            None,
            basis=f"{last}年全年{label} {value:,.2f} {unit}；无{base_year}年（基年）全年数据，"
            "无法确定到目标年的路径",
            judged_on=judged,
        )
    due = _path(base, target, base_year, year, last)
    status = "on_track" if _reaches(value, due) else "behind"
    margin = value - due
    basis = (
        f"{last}年全年{label}，对照路径：{base_year}年 {base:,.2f} 至 {year}年 {target:,.2f} {unit}"
        f"（直线），{last}年应达 {due:,.2f}{start_note}"
    )
    if _reaches(value, target):
        needed = f"已高于目标 {value - target:,.2f} {unit}，须保持到{year}年"
    else:
        growth = (target / value) ** (Decimal(1) / (year - last)) - 1 if value > 0 else None
        needed = f"到{year}年还需 {target - value:,.2f} {unit}" + (
            f"（年均增长 {growth:.1%}）" if growth is not None else ""
        )
    needed += f"；较路径{'高' if margin >= 0 else '低'} {abs(margin):,.2f} {unit}"
    return result(status, value, due, needed=needed, basis=basis, judged_on=judged)


def output_series(checked: Checked, scope: str) -> Series | None:
    """A scope's 工业总产值 per year in 亿元: full years, and the latest 1—N月 of the others."""
    output = checked.data.accepted("output")
    if output is None:
        return None
    rows = output[(output["scope"] == scope) & output["year"].notna()]
    if rows.empty:
        return None
    full: dict[int, Decimal] = {}
    ytd: dict[int, tuple[int, Decimal]] = {}
    for (year, month), group in rows.groupby(
        [rows["year"].astype(int), rows["month"].fillna(12).astype(int)], sort=True
    ):
        value = wan(group["output"]) / WAN_PER_YI
        if month == 12:
            full[int(year)] = value
        else:
            ytd[int(year)] = (int(month), value)
    history = [
        {"year": y, "months": 12, "value_yi": num(v, 2), "complete": True} for y, v in full.items()
    ] + [
        {"year": y, "months": m, "value_yi": num(v, 2), "complete": False}
        for y, (m, v) in ytd.items()
        if y not in full
    ]
    history.sort(key=lambda h: (h["year"], h["months"]))
    return Series(full, ytd, history)


def level(t: Target, i: Inputs) -> TargetResult:
    unit = "亿元"
    target = _d(t.value) / WAN_PER_YI
    series = output_series(i.checked, t.scope)
    if series is None:
        why = (
            absent(i.checked, "output")
            if not i.checked.data.has("output")
            else f"产值台账无“{t.scope}”数据"
        )
        return _no_data(t, unit, why, target)
    return _level(t, i, unit, target, series, f"{t.scope}工业总产值", "output")


def ratio(t: Target, i: Inputs) -> TargetResult:
    """亩均: Σ measure ÷ Σ 用地面积 over every park in the ledger, in years all of them reported."""
    unit = "万元/亩"
    target = _d(t.value)
    parks = i.checked.data.accepted("parks")
    if parks is None:
        return _no_data(t, unit, absent(i.checked, "parks"), target)
    rows = parks[parks["year"].notna()]
    if rows.empty:
        return _no_data(t, unit, f"园区台账截至 {i.as_of.date().isoformat()} 无数据", target)
    column = PARK_COLUMN[t.measure]
    everyone = sorted(rows["park"].astype(object).unique(), key=str)
    full: dict[int, Decimal] = {}
    history: list[dict[str, Any]] = []
    missing: dict[int, str] = {}
    by_year: dict[int, pd.DataFrame] = {}
    for year, group in rows.groupby(rows["year"].astype(int), sort=True):
        reported = set(group["park"].astype(object))
        unreported = [p for p in everyone if p not in reported]
        area = wan(group["land_mu"])
        value = wan(group[column]) / area if area else None
        history.append(
            {
                "year": int(year),
                "parks": len(reported),
                "of": len(everyone),
                "missing_parks": unreported,
                "value_wan_per_mu": num(value, 2),
                "complete": not unreported,
            }
        )
        if unreported:
            missing[int(year)] = (
                f"（只有 {len(reported)}/{len(everyone)} 个园区报送，缺 {'、'.join(unreported)}，不使用）"
            )
        elif value is not None:
            full[int(year)] = value
            by_year[int(year)] = group
    series = Series(full, {}, history, missing)
    label = f"全部开发区{MEASURE_ZH[t.measure]} ÷ 用地面积（{len(everyone)} 个园区）"
    result = _level(t, i, unit, target, series, label, "parks")
    shown = result.judged_on.get("year") or (max(by_year) if by_year else None)
    if shown in by_year:
        result.details = [
            {
                "park": park,
                "year": shown,
                "land_mu": num(wan(g["land_mu"]), 2),
                "amount_yi": wan_yi(wan(g[column])),
                "value_wan_per_mu": num(
                    wan(g[column]) / wan(g["land_mu"]) if wan(g["land_mu"]) else None, 2
                ),
            }
            for park, g in by_year[shown].groupby("park", sort=False)
        ]
    return result


def cluster_target(plan: Plan, cluster: Cluster) -> Target:
    """The level a cluster's output is to reach (its size) in the plan's last year."""
    return Target(
        id=f"cluster.{cluster.name}",
        name=f"{cluster.name}产业集群产值",
        kind="level",
        measure="output",
        scope=cluster.name,
        target=f"{cluster.size}万元",
        year=plan.end.year,
    )


def cluster_targets(i: Inputs) -> list[TargetResult]:
    out = []
    for cluster in i.plan.clusters:
        result = level(cluster_target(i.plan, cluster), i)
        result.basis = f"{'千亿级' if cluster.size_yi >= 1000 else '百亿级'}；" + result.basis
        out.append(result)
    return out


CALCULATORS: dict[str, Callable[[Target, Inputs], TargetResult]] = {
    "cumulative": cumulative,
    "growth": growth,
    "level": level,
    "ratio": ratio,
}


# ---------------------------------------------------------------- the plan's own arithmetic
def implied_growth(base: float, cumulative: float, years: int) -> float:
    """The yearly growth g with base * sum((1+g)^k, k=1..years) == cumulative."""
    low, high = -0.99, 10.0
    for _ in range(200):
        mid = (low + high) / 2
        total = base * sum((1 + mid) ** k for k in range(1, years + 1))
        low, high = (mid, high) if total < cumulative else (low, mid)
    return (low + high) / 2


def _consistency(plan: Plan) -> dict[str, Any]:
    cumulative = next(
        (t for t in plan.targets if t.kind == "cumulative" and t.measure == "capital"), None
    )
    growth = next(
        (t for t in plan.targets if t.kind == "growth" and t.measure == "capital" and t.base),
        None,
    )
    if cumulative is None or growth is None or not isinstance(growth.base, float):
        return {}
    base_yi = growth.base / WAN_PER_YI
    years = plan.end.year - plan.start.year + 1
    target_yi = cumulative.value / WAN_PER_YI
    at_growth = base_yi * sum((1 + growth.value) ** k for k in range(1, years + 1))
    return {
        "base_yi": round(base_yi, 2),
        "cumulative_target_yi": round(target_yi, 2),
        "growth_target": growth.value,
        "cumulative_at_growth_target_yi": round(at_growth, 2),
        "growth_implied_by_cumulative": round(implied_growth(base_yi, target_yi, years), 6),
    }


# ---------------------------------------------------------------- 口径 lines
LINE_LABEL = {
    "区外": "其中区外",
    "区内": "区内",
    "境外": "境外",
    "市内": "市内",
    LINE_SMALL: "规模以下",
    LINE_FLAGGED: "标记不纳统",
}


def capital_lines(i: Inputs) -> tuple[dict[str, Any], dict[str, Any]]:
    """The 口径 lines a statistician reconciles (spec, 统计口径), and the older capital_scope.

    Over the plan period to the as-of date, in 亿元, the city's share of 飞地 projects:
    国内到位资金 (区外 + 区内, projects at the threshold), 其中区外, 区内, 境外 (and 万美元),
    未纳统 by reason (市内, 规模以下, 标记不纳统), the 飞地 shares outside the city, and the
    ledger's total, which the lines add up to.
    """
    if i.arrivals is None or i.sums is None:
        return {}, {}
    plan, sums = i.plan, i.sums
    period = sums.in_period

    def yi(mask: np.ndarray, column: str = "amount") -> float | None:
        return wan_yi(sums.total(mask, column))

    def usd(mask: np.ndarray) -> float | None:
        return num(sums.total(mask, "fdi_usd"), 2)

    counted_groups = set(plan.counting.counted_groups)
    entries: dict[str, dict[str, Any]] = {}
    for code, name in enumerate(LINES):
        mask = period & (sums.line == code)
        entries[name] = {
            "key": name,
            "label": LINE_LABEL[name],
            "amount_yi": yi(mask),
            "rows": int(mask.sum()),
            "projects": int(sums.projects(mask)),
            "counted": name in counted_groups,
        }
    entries["境外"]["amount_wan_usd"] = usd(period & (sums.line == LINES.index("境外")))
    if "区外" in counted_groups:
        entries["区外"]["label"] = "其中区外（计入目标）"
    domestic = period & np.isin(sums.line, [LINES.index("区外"), LINES.index("区内")])
    flown = period & (sums.fen["whole"] != sums.fen["amount"])
    outside_fen = int((sums.fen["whole"][period] - sums.fen["amount"][period]).sum())
    outside_counted = int(
        (sums.fen["whole"][period & sums.counted] - sums.fen["amount"][period & sums.counted]).sum()
    )
    total_fen = int(sums.fen["whole"][period].sum())
    lines_fen = int(sums.fen["amount"][period].sum())
    counted = sums.total(period & sums.counted) / WAN_PER_YI
    counted_lines = sum(
        (Decimal(str(entries[g]["amount_yi"] or 0)) for g in LINES if g in counted_groups),
        Decimal(0),
    )
    reconciles = lines_fen + outside_fen == total_fen and (
        not counted_groups <= {"区外"} or num(counted, 10) == entries["区外"]["amount_yi"]
    )
    statement = (
        f"计入目标的 {counted:,.2f} 亿元"
        + (" = 其中区外" if counted_groups == {"区外"} else f"（{'、'.join(counted_groups)}）")
        + f"；国内 {yi(domestic) or 0:,.2f} + 境外 {entries['境外']['amount_yi'] or 0:,.2f}"
        + f" + 市内 {entries['市内']['amount_yi'] or 0:,.2f}"
        + f" + 规模以下 {entries[LINE_SMALL]['amount_yi'] or 0:,.2f}"
        + f" + 标记不纳统 {entries[LINE_FLAGGED]['amount_yi'] or 0:,.2f}"
        + f" + 飞出市外 {fen_wan(outside_fen) / WAN_PER_YI:,.2f}"
        + f" = 台账合计 {fen_wan(total_fen) / WAN_PER_YI:,.2f} 亿元，"
        + ("相符" if reconciles else "不相符（请报告此问题）")
    )
    relabelled = (i.arrivals["group"] == "境外") & (i.arrivals["region"] != "境外")
    lines = {
        "period": {
            "start": plan.start.isoformat(),
            "end": i.as_of.date().isoformat(),
        },
        "lines": [
            {
                "key": "国内",
                "label": "国内到位资金（区外＋区内）",
                "amount_yi": yi(domestic),
                "rows": int(domestic.sum()),
                "projects": int(sums.projects(domestic)),
                "counted": False,
            },
            entries["区外"],
            entries["区内"],
            entries["境外"],
            {**entries["市内"], "label": "未纳统：市内"},
            {
                **entries[LINE_SMALL],
                "label": f"未纳统：规模以下（总投资不足 {plan.counting.min_project_investment:,.0f} 万元）",
            },
            {**entries[LINE_FLAGGED], "label": "未纳统：标记不纳统"},
            {
                "key": "飞地",
                "label": "飞地：飞出市外的份额（不计入全市）",
                "amount_yi": fen_yi(outside_fen),
                "counted_yi": fen_yi(outside_counted),
                "rows": int(flown.sum()),
                "projects": int(sums.projects(flown)),
                "counted": False,
            },
            {
                "key": "合计",
                "label": "台账到位资金合计（含飞出市外的份额）",
                "amount_yi": fen_yi(total_fen),
                "rows": int(period.sum()),
                "projects": int(sums.projects(period)),
                "counted": False,
            },
        ],
        "counted_yi": num(counted, 10),
        "counted_lines_yi": num(counted_lines, 10),
        "reconciles": reconciles,
        "statement": statement,
        "relabelled_foreign_projects": int(sums.projects(period & relabelled.to_numpy())),
        # 境外 money of those projects without a 外资金额: missing from 实际利用外资, said so
        "relabelled_without_usd": int(
            (period & relabelled.to_numpy() & i.arrivals["fdi_usd"].isna().to_numpy()).sum()
        ),
    }
    scope: dict[str, Any] = {
        "counted_yi": num(counted, 10),
        "not_counted_yi": wan_yi(sums.total(period & ~sums.counted)),
        "not_counted": [
            {
                "reason": {
                    LINE_SMALL: f"规模以下（总投资不足{plan.counting.min_project_investment:g}万元）",
                    "境外": "境外（单列，计入实际利用外资）",
                }.get(name, name),
                "rows": e["rows"],
                "projects": e["projects"],
                "amount_yi": e["amount_yi"],
            }
            for name, e in entries.items()
            if e["rows"] and not e["counted"]
        ],
    }
    return lines, scope


# ---------------------------------------------------------------- all of it
def compute(checked: Checked) -> TargetsResult:
    plan = checked.plan
    arrivals = arrivals_table(checked)
    inputs = Inputs(
        checked,
        plan,
        checked.as_of,
        arrivals,
        ArrivalSums(arrivals, plan) if arrivals is not None else None,
        partial_units(checked),
    )
    if inputs.partial_units:
        inputs.warnings.append(
            f"台账只含部分区（缺 {'、'.join(inputs.partial_units)}）：全市目标的判断只反映台账中的区，"
            "增速不与全市基数比较"
        )
    results: list[TargetResult] = []
    # A target that builds on another (not_below) is computed after it.
    order = sorted(plan.targets, key=lambda t: t.not_below is not None)
    by_id: dict[str, TargetResult] = {}
    for target in order:
        result = CALCULATORS[target.kind](target, inputs)
        inputs.done[target.id] = result
        by_id[target.id] = result
    results = [by_id[t.id] for t in plan.targets]
    results += cluster_targets(inputs)
    lines, scope = capital_lines(inputs)
    if lines and lines["relabelled_foreign_projects"]:
        inputs.warnings.append(
            f"{lines['relabelled_foreign_projects']} 个项目的来源国别为"
            f"{'、'.join(plan.counting.foreign_countries)}，按境外统计（不计入国内到位资金），"
            "虽然来源地区没有填境外"
            + (
                f"；其中 {lines['relabelled_without_usd']} 笔到位资金未填外资金额，"
                "未计入实际利用外资，请补填"
                if lines["relabelled_without_usd"]
                else ""
            )
        )
    consistency = _consistency(plan)
    notes: list[str] = []
    if consistency:
        notes.append(
            f"计划的两个资金目标并不一致：从基年 {consistency['base_yi']:,.2f} 亿元起，"
            f"年均增长 {consistency['growth_target']:.0%} 三年累计约 "
            f"{consistency['cumulative_at_growth_target_yi']:,.2f} 亿元；要累计达到 "
            f"{consistency['cumulative_target_yi']:,.0f} 亿元，需年均增长约 "
            f"{consistency['growth_implied_by_cumulative']:.1%}。"
        )
    lacking = [k for k in LEDGERS if not LEDGERS[k].optional and not checked.data.has(k)]
    if lacking:
        notes.append(absent(checked, *lacking) + "，相关指标显示为无数据。")
    stats = checked.report.ledgers
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
                "read": s.read,
                "accepted": s.accepted,
                "rejected": s.rejected,
                "skipped": s.skipped,
                "out_of_scope": s.out_of_scope,
            }
            for k, s in stats.items()
        },
        rows_used=sum(s.accepted for s in stats.values()),
        rows_rejected=sum(s.rejected for s in stats.values()),
        rows_out_of_scope=sum(s.out_of_scope for s in stats.values()),
        coverage={k: c.to_dict() for k, c in checked.coverage.items()},
        warnings=inputs.warnings,
        coverage_warning=checked.coverage_warning,
        capital_scope=scope,
        capital_lines=lines,
        consistency=consistency,
        notes=notes,
    )


def kind_label(kind: str) -> str:
    return KIND_ZH.get(kind, kind)
