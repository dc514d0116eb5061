"""Shared building blocks: the period clock, exact money sums, arrivals joined to projects."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from wuhai_zs.ledgers.values import FEN_PER_WAN, arrow, fen, positions, take
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

WAN_PER_YI = 10_000

# Why an arrival is outside the 统计口径, in the order they are tested.
NOT_COUNTED_FLAG = "标记不纳统"
NOT_COUNTED_REGION = "来源地区不计入（{group}）"
NOT_COUNTED_SMALL = "总投资不足{threshold}万元"


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
    region, group, investment, flag, stage, signed_on, counted (bool), not_counted (reason,
    categorical), foreign_counted (bool). Computed once per Checked; do not modify it.
    """
    if "arrivals_table" not in checked.cache:
        checked.cache["arrivals_table"] = _arrivals_table(checked)
    result: pd.DataFrame | None = checked.cache["arrivals_table"]
    return result


def _project_scope(plan: Plan, projects: pd.DataFrame) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Per project: the 口径 reason code (0 = counted), the reason labels, foreign-counted."""
    group = projects["source_region"].map(plan.region_group).astype(object).to_numpy()
    excluded = (projects["counted"] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    excluded &= plan.counting.honour_counted_flag
    small = (projects["total_investment"] < plan.counting.min_project_investment).to_numpy(bool)
    outside = [g for g in plan.regions if g not in plan.counting.counted_groups]
    labels = ["", NOT_COUNTED_SMALL.format(threshold=f"{plan.counting.min_project_investment:g}")]
    labels += [NOT_COUNTED_REGION.format(group=g) for g in outside]
    labels.append(NOT_COUNTED_FLAG)
    code = np.zeros(len(projects), dtype="int16")
    code[small] = 1
    for i, g in enumerate(outside):
        code[group == g] = 2 + i
    code[excluded] = len(labels) - 1
    return code, labels, (group == "境外") & ~excluded


def _categories_at(values: pd.Series, at: np.ndarray) -> pd.Categorical:
    """A project text column looked up per arrival, as a categorical (codes, not strings)."""
    encoded = pc.dictionary_encode(arrow(values).combine_chunks())
    code = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int32")
    per_row = np.where(at >= 0, code[np.where(at >= 0, at, 0)], -1)
    return pd.Categorical.from_codes(per_row, categories=encoded.dictionary.to_pylist())


def _arrivals_table(checked: Checked) -> pd.DataFrame | None:
    arrivals = checked.data.accepted("arrivals")
    projects = project_table(checked)
    if arrivals is None or projects is None:
        return None
    plan = checked.plan
    when = arrivals["date"].where(arrivals["date"].notna(), arrivals["month"])
    keep = ((arrivals["amount"].fillna(0) > 0) & (when <= checked.as_of)).to_numpy(dtype=bool)
    out = arrivals.loc[keep, ["project_id", "date", "month", "amount", "fdi_usd", "_src", "_row"]]
    out["when"] = when[keep]
    out["year"] = out["when"].dt.year
    at = positions(out["project_id"], projects["project_id"])
    for col, src in (
        ("district", "district"),
        ("industry", "industry"),
        ("region", "source_region"),
        ("stage", "stage"),
    ):
        out[col] = _categories_at(projects[src], at)
    for col, src in (
        ("investment", "total_investment"),
        ("flag", "counted"),
        ("signed_on", "signed_on"),
    ):
        out[col] = take(projects[src], at, out.index)
    code, labels, foreign = _project_scope(plan, projects)
    known = at >= 0
    safe = np.where(known, at, 0)
    group_names = list(plan.regions)
    group_code = (
        projects["source_region"]
        .map({r: group_names.index(g) for r, g in plan.region_group.items()})
        .fillna(-1)
        .to_numpy()
    )
    out["group"] = pd.Categorical.from_codes(
        np.where(known, group_code[safe], -1).astype("int16"), categories=group_names
    )
    row_code = np.where(known, code[safe], 0)
    out["not_counted"] = pd.Categorical.from_codes(row_code, categories=labels)
    out["counted"] = known & (row_code == 0)
    out["foreign_counted"] = known & foreign[safe]
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
