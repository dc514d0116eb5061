"""Shared building blocks: the period clock, exact money sums, arrivals joined to projects."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

FEN_PER_WAN = 1_000_000
WAN_PER_YI = 10_000

# Why an arrival is outside the 统计口径, in the order they are tested.
NOT_COUNTED_FLAG = "标记不纳统"
NOT_COUNTED_REGION = "来源地区不计入（{group}）"
NOT_COUNTED_SMALL = "总投资不足{threshold}万元"


def fen(values: pd.Series) -> np.ndarray:
    return np.rint(values.fillna(0).to_numpy(dtype="float64") * FEN_PER_WAN).astype("int64")


def wan(values: pd.Series) -> Decimal:
    """Exact sum of 万元 amounts, as a Decimal of 万元."""
    return Decimal(int(fen(values).sum())) / FEN_PER_WAN


def months_elapsed(plan: Plan, as_of: pd.Timestamp) -> int:
    """Whole months of the plan period completed at as-of (a month counts once its last day)."""
    start = pd.Timestamp(plan.start)
    if as_of < start:
        return 0
    months = (as_of.year - start.year) * 12 + as_of.month - start.month
    if as_of == as_of + pd.offsets.MonthEnd(0):
        months += 1
    return min(months, plan.period_months)


def elapsed_share(plan: Plan, as_of: pd.Timestamp) -> float:
    return months_elapsed(plan, as_of) / plan.period_months


def period_over(plan: Plan, as_of: pd.Timestamp) -> bool:
    return as_of >= pd.Timestamp(plan.end)


def project_table(checked: Checked) -> pd.DataFrame | None:
    """Accepted projects, one row per 项目编号."""
    projects = checked.data.accepted("projects")
    if projects is None:
        return None
    return projects.drop_duplicates("project_id").set_index("project_id", drop=False)


def arrivals_table(checked: Checked) -> pd.DataFrame | None:
    """Accepted arrivals up to as-of with their project's attributes and 口径 status.

    Columns added: when (the date, or the month's first day), year, district, industry,
    region, group, counted (bool), not_counted (reason), foreign_counted (bool).
    """
    arrivals = checked.data.accepted("arrivals")
    projects = project_table(checked)
    if arrivals is None or projects is None:
        return None
    plan = checked.plan
    out = arrivals[arrivals["amount"].fillna(0) > 0].copy()
    out["when"] = out["date"].where(out["date"].notna(), out["month"])
    out = out[out["when"] <= checked.as_of]
    pid = out["project_id"]
    for col, src in (
        ("district", "district"),
        ("industry", "industry"),
        ("region", "source_region"),
        ("investment", "total_investment"),
        ("flag", "counted"),
        ("stage", "stage"),
        ("signed_on", "signed_on"),
    ):
        out[col] = pid.map(projects[src])
    out["year"] = out["when"].dt.year
    out["group"] = out["region"].map(plan.region_group)
    excluded = (out["flag"] == False) & plan.counting.honour_counted_flag  # noqa: E712
    small = out["investment"] < plan.counting.min_project_investment
    region_out = ~out["group"].isin(plan.counting.counted_groups)
    reason = pd.Series("", index=out.index, dtype=object)
    reason[small] = NOT_COUNTED_SMALL.format(threshold=f"{plan.counting.min_project_investment:g}")
    reason[region_out] = out.loc[region_out, "group"].map(
        lambda g: NOT_COUNTED_REGION.format(group=g)
    )
    reason[excluded] = NOT_COUNTED_FLAG
    out["not_counted"] = reason
    out["counted"] = reason == ""
    out["foreign_counted"] = (out["group"] == "境外") & ~excluded
    return out


def rows_used(checked: Checked, ledgers: tuple[str, ...]) -> tuple[int, int]:
    """(accepted, rejected) rows over the ledgers a figure draws on."""
    used = rejected = 0
    for key in ledgers:
        data = checked.data.ledgers.get(key)
        if data is not None:
            used += data.stats.accepted
            rejected += data.stats.rejected
    return used, rejected
