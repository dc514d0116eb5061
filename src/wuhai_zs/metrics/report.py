"""A month's report: every figure the monthly workbook shows, assembled from one checked pass.

The ledgers are read and checked once (`pipeline.run`). A month's figures are those of the same
checked ledgers seen at that month's end: `at_month` returns the `Checked` with its as-of date
moved to the month's last day (never past the ledgers' own as-of date), and every metric then
leaves out what happened later through its own date filters. This is how `export --all-months`
makes a workbook per month while reading the ledgers once.

Compared with running a command with `--as-of <month end>`, the target figures are the same
(arrivals, output and parks are all filtered by date); what differs is the row accounting and
the findings: with `--as-of`, rows dated after the month are errors ("after-as-of") and are
counted as rejected, whereas here the ledgers are validated once against their own as-of date,
so later rows are valid and simply not yet counted, and the 校验问题 sheet lists the findings
of the ledgers as they stand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.ledgers.columns import STAGE_RANK
from wuhai_zs.metrics.base import (
    WAN_PER_YI,
    arrivals_table,
    months_elapsed,
    project_table,
    wan,
)
from wuhai_zs.metrics.targets import TargetsResult
from wuhai_zs.metrics.targets import compute as compute_targets
from wuhai_zs.pipeline import Checked

# Stage reached by a date: the furthest stage whose date has passed.
STAGE_DATES = (("投产", "producing_on"), ("竣工", "completed_on"), ("开工", "started_on"),
               ("签约", "signed_on"))


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
    """A month a report can be made for: inside the plan period and not after the as-of date."""
    if month > last_month(checked):
        raise UsageError(f"--month {month:%Y-%m} 晚于截止日期 {checked.as_of.date().isoformat()}"
                         "，该月的台账数据还没有（用 --as-of 指定更晚的截止日期）")
    if month < first_month(checked):
        raise UsageError(f"--month {month:%Y-%m} 早于计划期起始月份 {first_month(checked):%Y-%m}")


def at_month(checked: Checked, month: dt.date) -> Checked:
    """The checked ledgers seen at the end of `month` (at most their own as-of date)."""
    end = min(pd.Timestamp(month_end(month)), checked.as_of)
    return replace(checked, as_of=end)


def _yi(value: Decimal) -> float:
    return float(round(value / WAN_PER_YI, 6))


@dataclass
class CapitalMonth:
    month: str              # YYYY-MM
    amount_yi: float        # counted 到位资金 that month
    cumulative_yi: float    # counted, from the plan's start to the month's end
    expected_yi: float      # the target × 序时进度 at the month's end

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "amount_yi": self.amount_yi,
                "cumulative_yi": self.cumulative_yi, "expected_yi": self.expected_yi}


def capital_by_month(checked: Checked, target_wan: float | None) -> list[CapitalMonth]:
    """Counted 到位资金 month by month over the plan period up to as-of, with the 序时 line."""
    plan = checked.plan
    arrivals = arrivals_table(checked)
    if arrivals is None:
        return []
    rows = arrivals[(arrivals["when"] >= pd.Timestamp(plan.start)) & arrivals["counted"]]
    by_month = {str(k): wan(g["amount"]) for k, g in
                rows.groupby(rows["when"].dt.to_period("M"))}
    out: list[CapitalMonth] = []
    running = Decimal(0)
    for month in report_months(checked):
        label = f"{month:%Y-%m}"
        amount = by_month.get(label, Decimal(0))
        running += amount
        end = min(pd.Timestamp(month_end(month)), checked.as_of)
        share = Decimal(months_elapsed(plan, end)) / Decimal(plan.period_months)
        expected = Decimal(str(target_wan)) * share if target_wan is not None else Decimal(0)
        out.append(CapitalMonth(label, _yi(amount), _yi(running), _yi(expected)))
    return out


@dataclass
class DistrictCapital:
    district: str
    month_yi: float
    year_yi: float
    period_yi: float
    not_counted_yi: float   # 未纳统, plan period

    def to_dict(self) -> dict[str, Any]:
        return {"district": self.district, "month_yi": self.month_yi, "year_yi": self.year_yi,
                "period_yi": self.period_yi, "not_counted_yi": self.not_counted_yi}


def capital_by_district(checked: Checked) -> list[DistrictCapital]:
    """Counted 到位资金 per district (the unit that brought the project in), by 项目台账's 所属区."""
    plan = checked.plan
    arrivals = arrivals_table(checked)
    if arrivals is None:
        return []
    rows = arrivals[arrivals["when"] >= pd.Timestamp(plan.start)]
    month = checked.as_of.to_period("M")
    out = []
    for district in plan.districts:
        mine = rows[rows["district"] == district]
        counted = mine[mine["counted"]]
        out.append(DistrictCapital(
            district,
            _yi(wan(counted.loc[counted["when"].dt.to_period("M") == month, "amount"])),
            _yi(wan(counted.loc[counted["when"].dt.year == checked.as_of.year, "amount"])),
            _yi(wan(counted["amount"])),
            _yi(wan(mine.loc[~mine["counted"], "amount"]))))
    return out


def stage_at(projects: pd.DataFrame, as_of: pd.Timestamp, ledger_as_of: pd.Timestamp
             ) -> pd.Series:
    """Each project's stage at `as_of`, from its dates.

    A 终止 project keeps 终止 at the ledgers' own as-of date; earlier, the ledgers do not say when
    it ended, so it shows the furthest stage its dates had reached then.
    """
    stage = pd.Series(pd.NA, index=projects.index, dtype=object)
    for name, col in reversed(STAGE_DATES):
        reached = projects[col].notna() & (projects[col] <= as_of)
        stage = stage.mask(reached, name)
    current = projects["stage"].astype(object)
    # a project at or before 签约 by its own stage: trust the ledger where dates say nothing
    undated = stage.isna()
    stage = stage.where(~undated, current.where(current.isin(["储备", "在谈"])))
    if as_of >= ledger_as_of:
        ended = current == "终止"
        stage = stage.mask(ended, "终止")
        # never ahead of the ledger's own stage
        rank = current.map(STAGE_RANK)
        derived = stage.map(STAGE_RANK)
        behind = rank.notna() & derived.notna() & (rank < derived)
        stage = stage.mask(behind, current)
    return stage


TRACKED_COLUMNS = ("project_id", "name", "district", "park", "industry", "investor",
                   "source_region", "stage", "signed_on", "planned_start", "started_on",
                   "completed_on", "producing_on", "total_investment", "arrived", "arrived_year",
                   "arrival_rate", "leader", "task_force", "work_plan", "permits_required",
                   "permits_done")


def tracked_projects(checked: Checked, ledger_as_of: pd.Timestamp) -> list[dict[str, Any]]:
    """Every project signed by as-of: stage then, dates, money arrived (万元) and 包联 fields."""
    projects = project_table(checked)
    if projects is None:
        return []
    as_of = checked.as_of
    signed = projects[projects["signed_on"].notna() & (projects["signed_on"] <= as_of)].copy()
    signed["stage"] = stage_at(signed, as_of, ledger_as_of)
    # dates still in the future at as-of are not known yet
    for col in ("started_on", "completed_on", "producing_on"):
        signed[col] = signed[col].where(signed[col] <= as_of)
    arrivals = checked.data.accepted("arrivals")
    arrived: dict[str, Decimal] = {}
    arrived_year: dict[str, Decimal] = {}
    if arrivals is not None:
        rows = arrivals[arrivals["amount"].fillna(0) > 0]
        when = rows["date"].where(rows["date"].notna(), rows["month"])
        rows = rows[when <= as_of]
        when = when[when <= as_of]
        arrived = {str(k): wan(g["amount"]) for k, g in rows.groupby("project_id")}
        this_year = rows[when.dt.year == as_of.year]
        arrived_year = {str(k): wan(g["amount"]) for k, g in this_year.groupby("project_id")}
    order = {d: i for i, d in enumerate(checked.plan.districts)}
    signed["_order"] = signed["district"].map(order).fillna(len(order))
    signed = signed.sort_values(["_order", "total_investment", "project_id"],
                                ascending=[True, False, True], kind="stable")
    out = []
    for record in signed.to_dict("records"):
        pid = str(record["project_id"])
        money = arrived.get(pid, Decimal(0))
        total = record["total_investment"]
        row = {k: record.get(k) for k in TRACKED_COLUMNS}
        row["arrived"] = float(money)
        row["arrived_year"] = float(arrived_year.get(pid, Decimal(0)))
        row["arrival_rate"] = (float(round(money / Decimal(str(total)), 6))
                               if total and not pd.isna(total) else None)
        out.append(row)
    return out


@dataclass
class MonthReport:
    """Every figure of one month's workbook."""

    month: dt.date
    as_of_date: dt.date          # the report's as-of: the month's end, at most the ledgers'
    ledger_as_of: dt.date        # the as-of date the ledgers were validated against
    checked: Checked
    targets: TargetsResult
    capital_months: list[CapitalMonth]
    district_capital: list[DistrictCapital]
    tracked: list[dict[str, Any]]
    extras: dict[str, Any] = field(default_factory=dict)   # issue-4 results, as dicts

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


def build(checked: Checked, month: dt.date) -> MonthReport:
    """The report for `month` from ledgers checked once (see the module docstring)."""
    check_month(checked, month)
    seen = at_month(checked, month)
    targets = compute_targets(seen)
    cumulative = next((t for t in seen.plan.targets if t.kind == "capital_cumulative"), None)
    target_wan = cumulative.target if cumulative is not None else None
    return MonthReport(
        month=month,
        as_of_date=seen.as_of.date(),
        ledger_as_of=checked.as_of.date(),
        checked=seen,
        targets=targets,
        capital_months=capital_by_month(seen, target_wan),
        district_capital=capital_by_district(seen),
        tracked=tracked_projects(seen, checked.as_of),
        extras=_project_tracking(seen, month),
    )


def _project_tracking(checked: Checked, month: dt.date) -> dict[str, Any]:
    """Funnel, warnings, districts and the dispatch table, when project tracking is present."""
    return {}
