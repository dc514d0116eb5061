"""A month's report: every figure the monthly workbook shows, assembled from one checked pass."""

# The ledgers are read and checked once (`pipeline.run`). A month's figures are those of the
# same checked ledgers seen at that month's end: `at_month` scopes them to the month's last day
# (never past the ledgers' own as-of date) with `pipeline.scope`, the very step that
# `--as-of` takes: rows dated later are out of scope (left out, counted), project dates after
# it are blanked and each project's stage is the furthest its dates had reached. So a month
# equals `targets --as-of <month end>` and `dispatch --month <month>`, row accounting
# included; only the findings are those of the one validation (against today).

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from wuhai_zs.clock import today
from wuhai_zs.errors import UsageError
from wuhai_zs.metrics.base import (
    arrivals_table,
    fen_by_project,
    fen_wan,
    months_elapsed,
    num,
    project_table,
    wan_yi,
)
from wuhai_zs.metrics.dispatch import compute as compute_dispatch
from wuhai_zs.metrics.dispatch import json_key
from wuhai_zs.metrics.districts import CITY, window_figures
from wuhai_zs.metrics.overview import CapitalPace, capital_pace
from wuhai_zs.metrics.projects import compute as compute_projects
from wuhai_zs.metrics.projects import require_projects
from wuhai_zs.metrics.targets import TargetsResult
from wuhai_zs.metrics.targets import compute as compute_targets
from wuhai_zs.metrics.warnings import check as check_warnings
from wuhai_zs.pipeline import Checked, scope
from wuhai_zs.plan.model import Plan


def month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def first_month(checked: Checked) -> dt.date:
    return checked.plan.start.replace(day=1)


def last_month(checked: Checked) -> dt.date:
    return checked.as_of.date().replace(day=1)


def report_months(checked: Checked) -> list[dt.date]:
    """Every month from the plan's first month to the as-of month (empty if as-of is earlier)."""
    months: list[dt.date] = []
    month = first_month(checked)
    end = last_month(checked)
    while month <= end:
        months.append(month)
        month = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    return months


def check_month(checked: Checked, month: dt.date) -> None:
    """A month a report can be made for: not after the as-of month (later months have no data).

    A month outside the plan period is allowed; the CLI says where the plan period lies."""
    if month > last_month(checked):
        raise UsageError(
            f"--month {month:%Y-%m} 晚于截止日期 {checked.as_of.date().isoformat()}"
            "，该月的台账数据还没有（用 --as-of 指定更晚的截止日期）"
        )


def at_month(checked: Checked, month: dt.date) -> Checked:
    """The checked ledgers seen at the end of `month` (at most their own as-of date)."""
    end = min(pd.Timestamp(month_end(month)), checked.as_of)
    return scope(checked, end)


@dataclass
class CapitalMonth:
    month: str  # YYYY-MM
    amount_yi: float  # counted 到位资金 that month (the city's share of 飞地 projects)
    cumulative_yi: float  # counted, from the plan's start to the month's end
    expected_yi: float  # the target × 序时进度 at the month's end

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "amount_yi": self.amount_yi,
            "cumulative_yi": self.cumulative_yi,
            "expected_yi": self.expected_yi,
        }


def capital_by_month(checked: Checked, target_wan: float | None) -> list[CapitalMonth]:
    """Counted 到位资金 month by month over the plan period up to as-of, with the 序时 line."""
    plan = checked.plan
    arrivals = arrivals_table(checked)
    if arrivals is None:
        return []
    rows = arrivals[(arrivals["when"] >= pd.Timestamp(plan.start)) & arrivals["counted"]]
    by_month = {
        str(k): fen_wan(v)
        for k, v in rows.groupby(rows["when"].dt.to_period("M"))["city_fen"].sum().items()
    }
    out: list[CapitalMonth] = []
    running = Decimal(0)
    for month in report_months(checked):
        label = f"{month:%Y-%m}"
        amount = by_month.get(label, Decimal(0))
        running += amount
        end = min(pd.Timestamp(month_end(month)), checked.as_of)
        share = Decimal(months_elapsed(plan, end)) / Decimal(plan.period_months)
        expected = Decimal(str(target_wan)) * share if target_wan is not None else Decimal(0)
        out.append(CapitalMonth(label, wan_yi(amount, 6), wan_yi(running, 6), wan_yi(expected, 6)))
    return out


@dataclass
class UnitCapital:
    """A unit's 到位资金 over the plan period to as-of (飞地 credited by share), and the projects
    of its 所属区 that have a warning (a project counts once, red when any warning is red)."""

    unit: str
    counted_yi: float | None
    not_counted_yi: float | None
    warnings: int | None
    warnings_red: int | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def capital_by_unit(checked: Checked, warnings: list[dict[str, Any]] | None) -> list[UnitCapital]:
    plan = checked.plan
    arrivals = arrivals_table(checked)
    units = list(plan.districts)
    figures = window_figures(
        require_projects(checked), arrivals, units, pd.Timestamp(plan.start), checked.as_of
    )
    figures.loc[CITY] = figures.sum()
    flags = flags_by_project(warnings or [])
    out = []
    for unit in [*units, CITY]:
        mine = [f for f in flags.values() if unit in (CITY, f.district)]

        def yi(col: str, unit: str = unit) -> float | None:
            if arrivals is None:
                return None
            return wan_yi(fen_wan(figures.loc[unit, col]), 6)

        out.append(
            UnitCapital(
                unit,
                yi("capital_counted"),
                yi("capital_not_counted"),
                None if warnings is None else len(mine),
                None if warnings is None else sum(1 for f in mine if f.level == "red"),
            )
        )
    return out


TRACKED_COLUMNS = (
    "project_id",
    "name",
    "district",
    "park",
    "industry",
    "investor",
    "source_region",
    "stage",
    "signed_on",
    "planned_start",
    "started_on",
    "completed_on",
    "producing_on",
    "total_investment",
    "leader",
    "task_force",
    "work_plan",
    "permits_required",
    "permits_done",
)


def tracked_projects(checked: Checked) -> list[dict[str, Any]]:
    """Every project signed by as-of: stage, dates, money arrived (万元) and 包联 fields.

    arrived is every accepted arrival up to as-of (纳统 and 未纳统), arrived_year that of the
    as-of year; arrival_rate = arrived ÷ 总投资. Sorted by district (the plan's order), then
    总投资 from large to small.
    """
    projects = project_table(checked)
    if projects is None:
        return []
    as_of = checked.as_of
    signed = projects[projects["signed_on"].notna() & (projects["signed_on"] <= as_of)]
    signed = signed.reset_index(drop=True)
    arrived: dict[str, Decimal] = {}
    arrived_year: dict[str, Decimal] = {}
    arrivals = arrivals_table(checked)
    if arrivals is not None:
        this_year = arrivals[(arrivals["when"].dt.year == as_of.year).to_numpy()]
        arrived = {k: fen_wan(v) for k, v in fen_by_project(arrivals).items()}
        arrived_year = {k: fen_wan(v) for k, v in fen_by_project(this_year).items()}
    order = {d: i for i, d in enumerate(checked.plan.districts)}
    signed = signed.assign(_order=signed["district"].map(order).fillna(len(order)))
    signed = signed.sort_values(
        ["_order", "total_investment", "project_id"], ascending=[True, False, True], kind="stable"
    )
    out = []
    for record in signed.to_dict("records"):
        pid = str(record["project_id"])
        row = {k: _cell(record.get(k)) for k in TRACKED_COLUMNS}
        total = row["total_investment"]
        money = arrived.get(pid, Decimal(0))
        row["arrived"] = None if arrivals is None else float(money)
        row["arrived_year"] = None if arrivals is None else float(arrived_year.get(pid, 0))
        row["arrival_rate"] = (
            num(money / Decimal(str(total))) if arrivals is not None and total else None
        )
        out.append(row)
    return out


@dataclass
class ProjectFlag:
    """A project's warnings: the worst level (red over yellow) and each warning's text."""

    project_id: str
    name: str
    district: str
    stage: str
    level: str  # "red" or "yellow"
    texts: list[str]

    @property
    def text(self) -> str:
        return "；".join(self.texts)


def flags_by_project(warnings: list[dict[str, Any]]) -> dict[str, ProjectFlag]:
    """The warnings of `warnings.check(...).to_dict()["warnings"]` gathered per 项目编号."""
    out: dict[str, ProjectFlag] = {}
    for w in warnings:
        text = w["what"] + (f"（逾期 {w['days_late']:,} 天）" if w.get("days_late") else "")
        pid = str(w["project_id"])
        flag = out.get(pid)
        if flag is None:
            flag = out[pid] = ProjectFlag(
                pid, str(w["name"]), str(w["district"]), str(w["stage"]), w["level"], []
            )
        if w["level"] == "red":
            flag.level = "red"
        flag.texts.append(text)
    return out


LEVEL_RANK = {"red": 0, "yellow": 1, None: 2}
NOT_KEY_STAGES = ("投产", "终止")


@dataclass
class KeyProjects:
    """The signed projects split the way leaders read them.

    `groups`: per district (the plan's order), the major projects (总投资 ≥ the plan's
    threshold) not yet producing and not terminated, flagged ones first (red, then yellow),
    then by 总投资 from large to small. `others`: every other signed project, in the same order.
    `unsigned`: flagged projects not signed by as-of, which neither list holds. Rows are
    `tracked_projects` rows with `flag` (red, yellow or None) and `flag_text` added.
    """

    threshold_wan: float
    groups: list[tuple[str, list[dict[str, Any]]]]
    others: list[dict[str, Any]]
    unsigned: list[ProjectFlag]

    @property
    def key_count(self) -> int:
        return sum(len(rows) for _, rows in self.groups)


def key_projects(
    tracked: list[dict[str, Any]], plan: Plan, flags: dict[str, ProjectFlag] | None
) -> KeyProjects:
    threshold = plan.major_project.threshold
    order = {d: i for i, d in enumerate(plan.districts)}
    known = flags or {}
    rows = []
    for p in tracked:
        flag = known.get(str(p["project_id"]))
        rows.append(
            {**p, "flag": flag.level if flag else None, "flag_text": flag.text if flag else None}
        )

    def rank(p: dict[str, Any]) -> tuple[Any, ...]:
        return (
            order.get(p["district"], len(order)),
            LEVEL_RANK[p["flag"]],
            -(p["total_investment"] or 0),
            str(p["project_id"]),
        )

    rows.sort(key=rank)
    key = [
        p
        for p in rows
        if (p["total_investment"] or 0) >= threshold and p["stage"] not in NOT_KEY_STAGES
    ]
    chosen = {id(p) for p in key}
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in key:
        groups.setdefault(str(p["district"]), []).append(p)
    signed = {str(p["project_id"]) for p in tracked}
    return KeyProjects(
        threshold,
        list(groups.items()),
        [p for p in rows if id(p) not in chosen],
        [f for pid, f in known.items() if pid not in signed],
    )


DEPARTMENT_INDICATORS = ("top_leader_trips",)


def city_departments(dispatch: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """What the city total holds beyond its districts (市直部门), per indicator and period.

    Only 主要领导带队招商 can be a city department's: its 全市 count includes activities held by
    departments, which no district is credited with. Every other indicator is None here (its
    全市 figure is the districts' sum).
    """
    out: dict[str, dict[str, float | None]] = {}
    for ind in dispatch["indicators"]:
        values: dict[str, float | None] = {"month": None, "year_to_date": None}
        if ind["key"] in DEPARTMENT_INDICATORS:
            for period in values:
                field = json_key(ind["unit"], period)
                total = dispatch["total"]["values"][ind["key"]][field]
                parts = [u["values"][ind["key"]][field] for u in dispatch["units"]]
                if total is not None and all(p is not None for p in parts):
                    values[period] = total - sum(parts)
        out[ind["key"]] = values
    return out


def _cell(value: Any) -> Any:
    """A frame value as a plain Python value (None for missing, date for a timestamp)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@dataclass
class MonthReport:
    """Every figure of one month's workbook.

    The project-tracking parts (dispatch, projects, warnings) are the to_dict() of their
    results, or None when there is no 项目台账 to compute them from.
    """

    month: dt.date
    as_of_date: dt.date  # the report's as-of: the month's end, at most the ledgers'
    ledger_as_of: dt.date  # the as-of date the ledgers were validated against
    checked: Checked
    targets: TargetsResult
    capital_months: list[CapitalMonth]
    tracked: list[dict[str, Any]]
    units: list[UnitCapital] = field(default_factory=list)
    dispatch: dict[str, Any] | None = None
    projects: dict[str, Any] | None = None
    warnings: dict[str, Any] | None = None
    pace: CapitalPace | None = None
    flags: dict[str, ProjectFlag] | None = None  # None without a 项目台账
    key: KeyProjects | None = None
    issued: dt.date = field(default_factory=today)  # 报送日期: the day the report is made

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def synthetic(self) -> bool:
        """Built from the bundled sample: every page must say 示例数据."""
        return self.checked.data.synthetic


def build(checked: Checked, month: dt.date) -> MonthReport:
    """The report for `month` from ledgers checked once (see the module docstring)."""
    check_month(checked, month)
    seen = at_month(checked, month)
    targets = compute_targets(seen)
    cumulative = next(
        (t for t in seen.plan.targets if t.kind == "cumulative" and t.measure == "capital"), None
    )
    report = MonthReport(
        month=month,
        as_of_date=seen.as_of.date(),
        ledger_as_of=checked.as_of.date(),
        checked=seen,
        targets=targets,
        capital_months=capital_by_month(seen, cumulative.value if cumulative else None),
        tracked=tracked_projects(seen),
        pace=capital_pace(seen, cumulative.value)
        if cumulative is not None and cumulative.value is not None
        else None,
    )
    if seen.data.has("projects"):
        report.dispatch = compute_dispatch(seen, month).to_dict()
        report.projects = compute_projects(seen).to_dict()
        report.warnings = check_warnings(seen).to_dict()
        report.units = capital_by_unit(seen, report.warnings["warnings"])
        report.flags = flags_by_project(report.warnings["warnings"])
    report.key = key_projects(report.tracked, seen.plan, report.flags)
    return report
