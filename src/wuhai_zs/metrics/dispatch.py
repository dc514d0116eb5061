"""The 调度表: per unit, a month and the year to date, with the change against the month before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.metrics.base import CREDIT_RULE, arrivals_table, wan
from wuhai_zs.metrics.districts import CITY, as_wan, window_figures
from wuhai_zs.metrics.projects import num, reached, require_projects
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

Kind = Literal["flow", "stock"]

# Which park's 亩均投资 stands for which unit. The plan lists districts and parks but does not
# pair them; this is the city's layout (each district's own industrial park, 高新区 = the
# national-level 乌海高新技术产业开发区). A unit missing here has no 亩均投资; 全市 is all parks.
UNIT_PARKS: dict[str, tuple[str, ...]] = {
    "海勃湾区": ("海勃湾区产业园",),
    "乌达区": ("乌达产业园",),
    "海南区": ("海南产业园",),
    "高新区": ("乌海高新技术产业开发区",),
}
TOP_TRIP_KIND = "带队招商"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    kind: Kind  # flow: summed over the month / year; stock: its value at the month's end
    definition: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "top_leader_trips",
        "主要领导带队招商",
        "次",
        "flow",
        "招商活动台账中活动类型为带队招商且是否主要领导为是的活动次数",
    ),
    Indicator("signed", "签约项目", "个", "flow", "签约日期在期内的项目数"),
    Indicator("signed_investment", "签约项目总投资", "万元", "flow", "期内签约项目的总投资"),
    Indicator("started", "开工项目", "个", "flow", "开工日期在期内的项目数"),
    Indicator("producing", "投产项目", "个", "flow", "投产日期在期内的项目数"),
    Indicator("capital", "到位资金（纳统）", "万元", "flow", "期内到位、计入统计口径的资金"),
    Indicator(
        "capital_not_counted",
        "到位资金（未纳统）",
        "万元",
        "flow",
        "期内到位、不计入统计口径的资金",
    ),
    Indicator("completion_rate", "竣工率", "比率", "stock", "月末已竣工项目数 ÷ 月末已开工项目数"),
    Indicator("production_rate", "投产率", "比率", "stock", "月末已投产项目数 ÷ 月末已开工项目数"),
    Indicator(
        "investment_per_mu",
        "亩均投资",
        "万元/亩",
        "stock",
        "园区台账中到该月为止已结束的最近一年（12 月含当年）：固定资产投资合计 ÷ 用地面积合计",
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


@dataclass
class Value:
    month: float | None
    year_to_date: float | None
    previous_month: float | None
    change: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class UnitRow:
    unit: str
    parks: list[str]
    park_year: int | None
    values: dict[str, Value]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "parks": self.parks,
            "park_year": self.park_year,
            "values": {k: v.to_dict() for k, v in self.values.items()},
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
            "notes": self.notes,
        }


def _month_end(first: pd.Timestamp) -> pd.Timestamp:
    return first + pd.offsets.MonthEnd(0)


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
        if unit in UNIT_PARKS:
            out[unit] = ratio(UNIT_PARKS[unit])
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
    return None if now is None or before is None else num(now - before)


def compute(checked: Checked, month: dt.date | pd.Timestamp | None = None) -> DispatchResult:
    """The 调度表 for a month (default: the as-of month): every INDICATORS entry per unit.

    Flow indicators are summed over the month and over the year to its end, and compared with
    the previous month's sum; stock indicators (竣工率, 投产率, 亩均投资) are the month-end value
    (shown as both month and year to date) compared with the previous month's end. 飞地 projects
    are credited by share as in `districts`. A month after the as-of date is a usage error; a
    month that ends after as-of is counted to as-of. Without the activities ledger, 主要领导带队招商
    is None (no data), never 0.
    """
    plan: Plan = checked.plan
    as_of = checked.as_of
    first = pd.Timestamp(month) if month is not None else pd.Timestamp(as_of.year, as_of.month, 1)
    first = pd.Timestamp(first.year, first.month, 1)
    if first > as_of:
        raise UsageError(
            f"--month {first:%Y-%m} 晚于截止日期 {as_of.date().isoformat()}，台账中还没有该月的数据"
        )
    end = min(_month_end(first), as_of)
    previous_first = first - pd.offsets.MonthBegin(1)
    previous_end = _month_end(previous_first)
    year_start = pd.Timestamp(first.year, 1, 1)
    projects = require_projects(checked)
    arrivals = arrivals_table(checked)
    units = list(plan.districts)

    windows = {
        "month": (first, end),
        "previous_month": (previous_first, previous_end),
        "year_to_date": (year_start, end),
    }
    flows: dict[str, pd.DataFrame] = {}
    trips: dict[str, dict[str, int] | None] = {}
    for name, (start, stop) in windows.items():
        figures = window_figures(projects, arrivals, units, start, stop)
        figures.loc[CITY] = figures.sum()
        flows[name] = figures
        trips[name] = _trips(checked, units, start, stop)
    rates_now = _rates(projects, units, end)
    rates_before = _rates(projects, units, previous_end)
    per_mu_now = _per_mu(checked, units, _last_year(first))
    per_mu_before = _per_mu(checked, units, _last_year(previous_first))

    def flow(unit: str, key: str, window: str) -> float | None:
        if key == "top_leader_trips":
            counts = trips[window]
            return None if counts is None else counts[unit]
        value = flows[window].loc[unit, FIGURE_COLUMNS[key]]
        if key in MONEY:
            return as_wan(value) if key == "signed_investment" or arrivals is not None else None
        return int(value)  # projects are counted whole, in their 所属区

    def row(unit: str) -> UnitRow:
        values: dict[str, Value] = {}
        for ind in INDICATORS:
            if ind.kind == "flow":
                now, ytd = flow(unit, ind.key, "month"), flow(unit, ind.key, "year_to_date")
                before = flow(unit, ind.key, "previous_month")
            elif ind.key == "investment_per_mu":
                now, before = per_mu_now[unit][0], per_mu_before[unit][0]
                ytd = now
            else:
                now, before = rates_now[unit][ind.key], rates_before[unit][ind.key]
                ytd = now
            values[ind.key] = Value(now, ytd, before, _change(now, before))
        parks = list(unit_parks(plan, unit))
        return UnitRow(unit, parks, per_mu_now[unit][1], values)

    notes = [
        CREDIT_RULE,
        "竣工率、投产率、亩均投资为月末时点值（本月与本年累计相同），较上月为与上月末相比。",
        "亩均投资："
        + "；".join(f"{u} 取 {'、'.join(p)}" for u, p in UNIT_PARKS.items())
        + "；全市为全部园区合计（取每个园区都已报送的最近一年）。",
    ]
    if trips["month"] is None:
        notes.append("未提供招商活动台账：主要领导带队招商为无数据")
    else:
        city_only = trips["month"][CITY] - sum(trips["month"][u] for u in units)
        if city_only:
            notes.append(f"全市主要领导带队招商含市直部门本月 {city_only:g} 次")
    if arrivals is None:
        notes.append("未提供到位资金台账：到位资金为无数据")
    if end < _month_end(first):
        notes.append(f"{first:%Y-%m} 只统计到截止日期 {end.date().isoformat()}")
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
        },
        activities=trips["month"] is not None,
        indicators=list(INDICATORS),
        units=[row(u) for u in units],
        total=row(CITY),
        notes=notes,
    )


def unit_parks(plan: Plan, unit: str) -> tuple[str, ...]:
    """The parks whose 亩均投资 stands for a unit (全市: every park of the plan)."""
    return tuple(plan.parks) if unit == CITY else UNIT_PARKS.get(unit, ())
