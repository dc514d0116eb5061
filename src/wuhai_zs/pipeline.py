"""One pass over the ledgers for every command: load, infer as-of, check, account for rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from wuhai_zs.findings import ValidationReport
from wuhai_zs.ledgers.load import Dataset, ProgressCallback, load
from wuhai_zs.plan.model import Plan
from wuhai_zs.rules.checks import Context, run_checks

# Dates that say something happened; 计划开工日期 looks ahead and never sets the as-of date.
AS_OF_SOURCES = (
    ("projects", ("signed_on", "started_on", "completed_on", "producing_on")),
    ("arrivals", ("date",)),
    ("activities", ("date",)),
)


@dataclass
class Checked:
    """Ledgers after validation: rejected rows marked, findings and counts in the report."""

    plan: Plan
    data: Dataset
    as_of: pd.Timestamp
    report: ValidationReport
    # Derived tables computed once per command (a replaced Checked starts with an empty one).
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


def infer_as_of(data: Dataset) -> pd.Timestamp:
    """The latest event date in the ledgers (a month counts as its last day)."""
    latest: list[pd.Timestamp] = []
    for ledger, columns in AS_OF_SOURCES:
        frame = data.frame(ledger)
        if frame is None:
            continue
        for col in columns:
            latest.append(frame[col].max())
    arrivals = data.frame("arrivals")
    if arrivals is not None:
        latest.append(arrivals["month"].max() + pd.offsets.MonthEnd(0))
    found = [d for d in latest if pd.notna(d)]
    if found:
        return pd.Timestamp(max(found)).normalize()
    output = data.frame("output")
    if output is not None and output["year"].notna().any():
        year = int(output["year"].max())
        months = output.loc[output["year"] == year, "month"]
        month = 12 if months.isna().any() or months.empty else int(months.max())
        return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
    parks = data.frame("parks")
    if parks is not None and parks["year"].notna().any():
        return pd.Timestamp(int(parks["year"].max()), 12, 31)
    return pd.Timestamp(dt.date.today())


def check(data: Dataset, plan: Plan, as_of: dt.date | None = None) -> Checked:
    when = pd.Timestamp(as_of) if as_of else infer_as_of(data)
    ctx = Context(plan, when, data, list(data.findings))
    run_checks(ctx)
    for ledger in data.ledgers.values():
        ledger.stats.rejected = int(ledger.frame["_reject"].sum())
    findings = sorted(ctx.findings, key=lambda f: f.sort_key())
    report = ValidationReport(
        when.date().isoformat(),
        {k: d.stats for k, d in data.ledgers.items()},
        findings,
        list(data.ignored),
    )
    return Checked(plan, data, when, report)


def run(
    path: Path, plan: Plan, as_of: dt.date | None = None, progress: ProgressCallback | None = None
) -> Checked:
    checked = check(load(path, progress), plan, as_of)
    if progress is not None:
        progress(1, 1, "完成")
    return checked
