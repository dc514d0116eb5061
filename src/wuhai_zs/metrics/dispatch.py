"""The 调度表: per unit, a month and the year to date, with the change against the month before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.metrics.base import (
    CREDIT_RULE,
    WAN_PER_YI,
    absent,
    arrivals_table,
    fen_yi,
    month_end,
    num,
    wan,
    year_elapsed,
)
from wuhai_zs.metrics.districts import CITY, ILLUSTRATIVE, windows_figures
from wuhai_zs.metrics.projects import reached, require_projects
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

Kind = Literal["flow", "stock"]

TOP_TRIP_KIND = "带队招商"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    kind: Kind  # flow: summed over the month / year; stock: its value at the month's end
    definition: str
    ledger: str  # the ledger whose earliest row decides whether a year earlier is covered


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "top_leader_trips",
        "主要领导带队招商",
        "次",
        "flow",
        "招商活动台账中活动类型为带队招商且是否主要领导为是的活动次数",
        "activities",
    ),
    Indicator("signed", "签约项目", "个", "flow", "签约日期在期内的项目数", "projects"),
    Indicator(
        "signed_investment", "签约项目总投资", "亿元", "flow", "期内签约项目的总投资", "projects"
    ),
    Indicator("started", "开工项目", "个", "flow", "开工日期在期内的项目数", "projects"),
    Indicator("producing", "投产项目", "个", "flow", "投产日期在期内的项目数", "projects"),
    Indicator(
        "capital", "到位资金（纳统）", "亿元", "flow", "期内到位、计入统计口径的资金", "arrivals"
    ),
    Indicator(
        "capital_not_counted",
        "到位资金（未纳统）",
        "亿元",
        "flow",
        "期内到位、不计入统计口径的资金",
        "arrivals",
    ),
    Indicator(
        "completion_rate",
        "竣工率",
        "比率",
        "stock",
        "月末已竣工项目数 ÷ 月末已开工项目数",
        "projects",
    ),
    Indicator(
        "production_rate",
        "投产率",
        "比率",
        "stock",
        "月末已投产项目数 ÷ 月末已开工项目数",
        "projects",
    ),
    Indicator(
        "investment_per_mu",
        "亩均投资",
        "万元/亩",
        "stock",
        "园区台账中到该月为止已结束的最近一年（12 月含当年）：固定资产投资合计 ÷ 用地面积合计",
        "parks",
    ),
)
FIGURE_COLUMNS = {
    "signed": "signed",
    "signed_investment": "investment",
    "started": "started",
    "producing": "producing",
    "capital": "capital_counted",
    "capital_not_counted": "capital_not_counted",
}
MONEY = ("signed_investment", "capital", "capital_not_counted")
# JSON keys say their unit (docs/json.md): a difference of two rates is in 个百分点 (_points).
SUFFIX = {"亿元": "_yi", "万元/亩": "_wan_per_mu"}
RATE = "比率"
# The plan's annual targets per unit ([assessment.units]) and the indicator each is measured by.
TARGETS: tuple[tuple[str, str], ...] = (
    ("capital", "capital"),
    ("signed", "signed"),
    ("started", "started"),
    ("producing", "producing"),
)
YOY_RULE = (
    "同比：本月、本年累计与上年同月、上年同期（1 月 1 日至上年的同一天）相比的增长率，上年为 0 时"
    "不计算；竣工率、投产率、亩均投资为时点值，不算增长率，列出上年同月末的值及其差（比率为个百分点）。"
)


@dataclass
class Value:
    """An indicator of a unit. Flows: sums over the month, the year to date, the month before
    and the same periods a year earlier, with growth on them (yoy_*). Stocks: values at the
    month's end, the month before's and a year before's end (year_to_date = month). Changes
    are differences (for rates, of the fractions: to_dict gives them in 个百分点)."""

    month: float | None
    year_to_date: float | None
    previous_month: float | None
    change: float | None
    last_year_month: float | None = None
    last_year_to_date: float | None = None
    yoy_month: float | None = None
    yoy_year_to_date: float | None = None
    change_last_year: float | None = None

    def to_dict(self, indicator: Indicator) -> dict[str, Any]:
        rate = indicator.unit == RATE
        fields = FLOW_FIELDS if indicator.kind == "flow" else STOCK_FIELDS
        out: dict[str, Any] = {}
        for name in fields:
            value = getattr(self, name)
            if rate and name in DIFFERENCES and value is not None:
                value = num(value * 100, 4)
            out[json_key(indicator.unit, name)] = value
        return out


FLOW_FIELDS = (
    "month",
    "year_to_date",
    "previous_month",
    "change",
    "last_year_month",
    "last_year_to_date",
    "yoy_month",
    "yoy_year_to_date",
)
STOCK_FIELDS = (
    "month",
    "year_to_date",
    "previous_month",
    "change",
    "last_year_month",
    "change_last_year",
)
DIFFERENCES = ("change", "change_last_year")
GROWTH = ("yoy_month", "yoy_year_to_date")


def json_key(unit: str, field: str) -> str:
    """The JSON key of a Value field for an indicator in `unit`: month_yi for 亿元, a change
    of a rate in 个百分点 as change_points, a growth rate (yoy_*) and a count as they are."""
    if field in GROWTH:
        return field
    if unit == RATE:
        return f"{field}_points" if field in DIFFERENCES else field
    return field + SUFFIX.get(unit, "")


@dataclass
class UnitTarget:
    """A unit's annual target from the plan file against its year to date; target and actual
    in `unit` (亿元 or 个); expected is the share of the year elapsed (序时进度)."""

    key: str
    name: str
    unit: str
    target: float | int
    actual: float | None
    completion: float | None
    expected: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class UnitRow:
    unit: str
    parks: list[str]
    park_year: int | None
    values: dict[str, Value]
    targets: list[UnitTarget] | None = None  # None: the plan file sets none for this unit

    def to_dict(self) -> dict[str, Any]:
        by_key = {i.key: i for i in INDICATORS}
        return {
            "unit": self.unit,
            "parks": self.parks,
            "park_year": self.park_year,
            "values": {k: v.to_dict(by_key[k]) for k, v in self.values.items()},
            "targets": None if self.targets is None else [t.to_dict() for t in self.targets],
        }


@dataclass
class DispatchResult:
    month: str
    as_of: str
    year: int
    window: dict[str, str]
    activities: bool
    indicators: list[Indicator]
    units: list[UnitRow]
    total: UnitRow
    year_elapsed: float = 0.0  # 序时进度 of the annual targets at the month's (counted) end
    targets_illustrative: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "as_of": self.as_of,
            "year": self.year,
            "window": self.window,
            "activities": self.activities,
            "indicators": [dict(i.__dict__) for i in self.indicators],
            "units": [u.to_dict() for u in self.units],
            "total": self.total.to_dict(),
            "year_elapsed": self.year_elapsed,
            "targets_illustrative": self.targets_illustrative,
            "notes": self.notes,
        }


def _trips(
    checked: Checked, units: Sequence[str], start: pd.Timestamp, end: pd.Timestamp
) -> dict[str, int] | None:
    """主要领导带队招商 per unit and for the city (city departments count only for 全市)."""
    activities = checked.data.accepted("activities")
    if activities is None:
        return None
    top = activities["top_leader"].fillna(False).astype(bool)
    rows = activities[
        (activities["kind"] == TOP_TRIP_KIND).fillna(False).astype(bool)
        & top
        & (activities["date"] >= start)
        & (activities["date"] <= end)
    ]
    counts = rows["district"].astype(object).value_counts()
    out = {u: int(counts.get(u, 0)) for u in units}
    out[CITY] = len(rows)
    return out


def _rates(
    projects: pd.DataFrame, units: Sequence[str], by: pd.Timestamp
) -> dict[str, dict[str, float | None]]:
    """竣工率 and 投产率 at a date, per unit (projects whole, in their 所属区) and for the city."""
    frame = pd.DataFrame(
        {
            "unit": projects["district"].astype(object).to_numpy(),
            "started": reached(projects, "开工", by).to_numpy(dtype=int),
            "completed": reached(projects, "竣工", by).to_numpy(dtype=int),
            "producing": reached(projects, "投产", by).to_numpy(dtype=int),
        }
    )
    sums = frame.groupby("unit").sum().reindex(list(units), fill_value=0)
    sums.loc[CITY] = sums.sum()

    def rate(top: float, bottom: float) -> float | None:
        return num(top / bottom) if bottom > 0 else None

    return {
        u: {
            "completion_rate": rate(r["completed"], r["started"]),
            "production_rate": rate(r["producing"], r["started"]),
        }
        for u, r in sums.iterrows()
    }


def _last_year(month: pd.Timestamp) -> int:
    """The last year whose yearly figures exist at the month's end (its own year in December)."""
    return month.year if month.month == 12 else month.year - 1


def _per_mu(
    checked: Checked, units: Sequence[str], year: int
) -> dict[str, tuple[float | None, int | None]]:
    """亩均投资 per unit from its park(s) at their latest year ≤ year; zone-wide (全市) at the
    latest year ≤ year in which every park of the ledger reported (as `targets` does)."""
    parks = checked.data.accepted("parks")
    out: dict[str, tuple[float | None, int | None]] = {u: (None, None) for u in [*units, CITY]}
    if parks is None:
        return out
    rows = parks[parks["year"].notna() & (parks["year"] <= year)]
    if rows.empty:
        return out
    latest = rows[rows["year"] == rows.groupby("park")["year"].transform("max")]

    def ratio(names: Sequence[str]) -> tuple[float | None, int | None]:
        picked = latest[latest["park"].isin(list(names))]
        area = wan(picked["land_mu"])
        if picked.empty or area <= 0:
            return None, None
        return num(wan(picked["fixed_investment"]) / area, 2), int(picked["year"].max())

    for unit in units:
        if unit_parks(checked.plan, unit):
            out[unit] = ratio(unit_parks(checked.plan, unit))
    everyone = parks.loc[parks["year"].notna(), "park"].nunique()
    reported = rows.groupby("year")["park"].nunique()
    complete = [int(y) for y, n in reported.items() if n == everyone]
    if complete:
        whole = rows[rows["year"] == max(complete)]
        area = wan(whole["land_mu"])
        if area > 0:
            out[CITY] = (num(wan(whole["fixed_investment"]) / area, 2), max(complete))
    return out


def _change(now: float | None, before: float | None) -> float | None:
    """now − before, exact for amounts to the 分 (10 decimals of 亿元)."""
    if now is None or before is None:
        return None
    return num(Decimal(str(now)) - Decimal(str(before)), 10)


def _growth(now: float | None, before: float | None) -> float | None:
    """同比 growth; None when the year before has nothing to grow from (or no data)."""
    if now is None or before is None or before <= 0:
        return None
    return num((now - before) / before)


def _earliest(checked: Checked, ledger: str) -> pd.Timestamp | None:
    """The first day a ledger's accepted rows describe (their earliest event), or None."""
    frame = checked.data.accepted(ledger)
    if frame is None:
        return None
    column = {"projects": "signed_on", "activities": "date"}.get(ledger)
    if ledger == "arrivals":
        dates = frame["date"].where(frame["date"].notna(), frame["month"])
    elif column is not None:
        dates = frame[column]
    else:
        return None
    first = dates.min()
    return None if pd.isna(first) else pd.Timestamp(first)


def _unit_targets(
    plan: Plan, unit: str, values: dict[str, Value], elapsed: float
) -> list[UnitTarget] | None:
    """The plan's annual targets of a unit (全市: the districts' sum, when every district has
    them) against the year to date; None when the plan sets none."""
    units = plan.assessment.units
    if unit == CITY:
        if not plan.districts or any(d not in units for d in plan.districts):
            return None
        chosen = [units[d] for d in plan.districts]
    elif unit in units:
        chosen = [units[unit]]
    else:
        return None
    by_key = {i.key: i for i in INDICATORS}
    out = []
    for key, indicator in TARGETS:
        ind = by_key[indicator]
        total = sum(Decimal(str(getattr(t, key))) for t in chosen)
        target = float(total / WAN_PER_YI) if ind.unit == "亿元" else int(total)
        actual = values[indicator].year_to_date
        completion = (
            num(Decimal(str(actual)) / Decimal(str(target)))
            if actual is not None and target > 0
            else None
        )
        name = ind.name if ind.unit == "亿元" else f"{ind.name}数"
        out.append(UnitTarget(key, name, ind.unit, target, actual, completion, elapsed))
    return out


def compute(checked: Checked, month: dt.date | pd.Timestamp | None = None) -> DispatchResult:
    """The 调度表 for a month (default: the as-of month): every INDICATORS entry per unit.

    Flow indicators are summed over the month and over the year to its end, and compared with
    the previous month's sum and with the same periods a year earlier (同比: the same month,
    and 1 January to the same day; a period before a ledger's earliest row is no data, never
    0); stock indicators (竣工率, 投产率, 亩均投资) are the month-end value (shown as both month
    and year to date) compared with the previous month's end and the same month's end a year
    earlier. 飞地 projects are credited by share as in `districts`. Each unit's annual targets
    (plan [assessment.units]) are set against its year to date, with the year's 序时进度. A
    month after the as-of date is a usage error; a month that ends after as-of is counted to
    as-of. Without the activities ledger, 主要领导带队招商 is None (no data), never 0.
    """
    plan: Plan = checked.plan
    as_of = checked.as_of
    first = pd.Timestamp(month) if month is not None else pd.Timestamp(as_of.year, as_of.month, 1)
    first = pd.Timestamp(first.year, first.month, 1)
    if first > as_of:
        raise UsageError(
            f"--month {first:%Y-%m} 晚于截止日期 {as_of.date().isoformat()}，台账中还没有该月的数据"
        )
    end = min(month_end(first), as_of)
    previous_first = first - pd.offsets.MonthBegin(1)
    previous_end = month_end(previous_first)
    year_start = pd.Timestamp(first.year, 1, 1)
    year_ago = pd.DateOffset(years=1)
    last_first, last_end, last_year_start = first - year_ago, end - year_ago, year_start - year_ago
    projects = require_projects(checked)
    arrivals = arrivals_table(checked)
    units = list(plan.districts)

    windows = {
        "month": (first, end),
        "previous_month": (previous_first, previous_end),
        "year_to_date": (year_start, end),
        "last_year_month": (last_first, last_end),
        "last_year_to_date": (last_year_start, last_end),
    }
    flows: dict[str, pd.DataFrame] = {}
    trips: dict[str, dict[str, int] | None] = {}
    every = windows_figures(projects, arrivals, units, list(windows.values()))
    for (name, (start, stop)), figures in zip(windows.items(), every, strict=True):
        figures.loc[CITY] = figures.sum()
        flows[name] = figures
        trips[name] = _trips(checked, units, start, stop)
    rates = {
        "now": _rates(projects, units, end),
        "before": _rates(projects, units, previous_end),
        "last_year": _rates(projects, units, last_end),
    }
    per_mu = {
        "now": _per_mu(checked, units, _last_year(first)),
        "before": _per_mu(checked, units, _last_year(previous_first)),
        "last_year": _per_mu(checked, units, _last_year(last_first)),
    }
    # A year earlier counts only where the ledger reaches back that far: before its first row
    # the sums would be 0 for want of data, not for want of events.
    earliest = {i.ledger: _earliest(checked, i.ledger) for i in INDICATORS if i.kind == "flow"}

    def covered(ledger: str, start: pd.Timestamp) -> bool:
        first_day = earliest.get(ledger)
        return first_day is not None and first_day.to_period("M") <= start.to_period("M")

    def flow(unit: str, ind: Indicator, window: str) -> float | None:
        if window.startswith("last_year") and not covered(ind.ledger, windows[window][0]):
            return None
        if ind.key == "top_leader_trips":
            counts = trips[window]
            return None if counts is None else counts[unit]
        value = flows[window].loc[unit, FIGURE_COLUMNS[ind.key]]
        if ind.key in MONEY:
            return fen_yi(value) if ind.key == "signed_investment" or arrivals is not None else None
        return int(value)  # projects are counted whole, in their 所属区

    def stock(unit: str, ind: Indicator, when: str) -> float | None:
        if ind.key == "investment_per_mu":
            return per_mu[when][unit][0]
        return rates[when][unit][ind.key]

    elapsed = year_elapsed(end)

    def row(unit: str) -> UnitRow:
        values: dict[str, Value] = {}
        for ind in INDICATORS:
            if ind.kind == "flow":
                now, ytd = flow(unit, ind, "month"), flow(unit, ind, "year_to_date")
                before = flow(unit, ind, "previous_month")
                last, last_ytd = (
                    flow(unit, ind, "last_year_month"),
                    flow(unit, ind, "last_year_to_date"),
                )
                values[ind.key] = Value(
                    now,
                    ytd,
                    before,
                    _change(now, before),
                    last,
                    last_ytd,
                    _growth(now, last),
                    _growth(ytd, last_ytd),
                )
            else:
                now, before = stock(unit, ind, "now"), stock(unit, ind, "before")
                last = stock(unit, ind, "last_year")
                values[ind.key] = Value(
                    now,
                    now,
                    before,
                    _change(now, before),
                    last,
                    change_last_year=_change(now, last),
                )
        parks = list(unit_parks(plan, unit))
        targets = _unit_targets(plan, unit, values, elapsed)
        return UnitRow(unit, parks, per_mu["now"][unit][1], values, targets)

    notes = [
        CREDIT_RULE,
        "竣工率、投产率、亩均投资为月末时点值（本月与本年累计相同），较上月为与上月末相比。",
        YOY_RULE,
        _per_mu_note(plan),
    ]
    if trips["month"] is None:
        notes.append(f"{absent(checked, 'activities')}：主要领导带队招商为无数据")
    else:
        city_only = trips["month"][CITY] - sum(trips["month"][u] for u in units)
        if city_only:
            notes.append(f"全市主要领导带队招商含市直部门本月 {city_only:g} 次")
    if arrivals is None:
        notes.append(f"{absent(checked, 'arrivals')}：到位资金为无数据")
    if end < month_end(first):
        notes.append(f"{first:%Y-%m} 只统计到截止日期 {end.date().isoformat()}")
    short = [
        LEDGERS[ledger].stem_zh + (f"（最早 {day.date().isoformat()}）" if day is not None else "")
        for ledger, day in earliest.items()
        if checked.data.has(ledger) and not covered(ledger, last_year_start)
    ]
    if short:
        notes.append(
            f"上年同期（{last_year_start:%Y-%m} 起）早于{'、'.join(short)}的数据：相应的同比为无数据"
        )
    rows = [row(u) for u in units]
    total = row(CITY)
    unset = [u.unit for u in rows if u.targets is None]
    if unset:
        notes.append(
            f"计划文件 [assessment.units] 未设 {'、'.join(unset)} 的年度目标：本年目标和完成率为无数据"
            "（不是 0）" + ("，全市目标不汇总" if total.targets is None else "")
        )
    if plan.assessment.illustrative and len(unset) < len(rows):
        notes.append(ILLUSTRATIVE)
    return DispatchResult(
        month=f"{first:%Y-%m}",
        as_of=as_of.date().isoformat(),
        year=first.year,
        window={
            "month_start": first.date().isoformat(),
            "month_end": end.date().isoformat(),
            "previous_start": previous_first.date().isoformat(),
            "previous_end": previous_end.date().isoformat(),
            "year_start": year_start.date().isoformat(),
            "last_year_month_start": last_first.date().isoformat(),
            "last_year_month_end": last_end.date().isoformat(),
            "last_year_start": last_year_start.date().isoformat(),
        },
        activities=trips["month"] is not None,
        indicators=list(INDICATORS),
        units=rows,
        total=total,
        year_elapsed=elapsed,
        targets_illustrative=plan.assessment.illustrative,
        notes=notes,
    )


def unit_parks(plan: Plan, unit: str) -> tuple[str, ...]:
    """The parks whose 亩均投资 stands for a unit (the plan's district_parks; 全市: every park)."""
    return tuple(plan.parks) if unit == CITY else tuple(plan.district_parks.get(unit, ()))


def _per_mu_note(plan: Plan) -> str:
    paired = "；".join(
        f"{u} 取 {'、'.join(unit_parks(plan, u))}" for u in plan.districts if unit_parks(plan, u)
    )
    unpaired = [u for u in plan.districts if not unit_parks(plan, u)]
    return (
        "亩均投资："
        + (paired + "；" if paired else "")
        + (f"{'、'.join(unpaired)} 在计划文件中没有对应的园区，无亩均投资；" if unpaired else "")
        + "全市为全部园区合计（取每个园区都已报送的最近一年）。"
    )
