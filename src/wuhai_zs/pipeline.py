"""One pass over the ledgers for every command: load, check, as-of, coverage, scope, row counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from wuhai_zs import clock
from wuhai_zs.errors import UsageError
from wuhai_zs.findings import LedgerStats, ValidationReport
from wuhai_zs.ledgers.columns import LEDGERS, STAGE_DATES, event_columns
from wuhai_zs.ledgers.load import Dataset, LedgerData, ProgressCallback, load
from wuhai_zs.plan.model import Plan
from wuhai_zs.rules.checks import Context, run_checks

# Dates and months that say something happened (the contract's events); they set the as-of
# date. 计划开工日期 looks ahead and never does; yearly figures are periods, not events.
EVENT_COLUMNS = {
    key: cols for key, spec in LEDGERS.items() if (cols := event_columns(spec, "date", "month"))
}
# Ledgers of yearly figures: at an as-of they are due up to the last complete year.
ANNUAL = ("parks",)
# Registers, not reports of a period: no coverage warning when their last event is early.
REGISTERS = frozenset({"projects"})


@dataclass(frozen=True)
class Coverage:
    """The latest period a ledger's accepted rows describe (dated rows up to today only)."""

    ledger: str
    last: pd.Timestamp  # the last day of that period: a month or a year counts to its end
    label: str  # as a person reads it: 2025-09-30, 2025年1—9月, 2024年

    def reaches(self, as_of: pd.Timestamp) -> bool:
        """Whether the data reach the as-of month (a yearly ledger: its last complete year)."""
        if self.ledger in ANNUAL:
            due = as_of.year if as_of.month == 12 else as_of.year - 1
            return self.last.year >= due
        return (self.last.year, self.last.month) >= (as_of.year, as_of.month)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "last": self.last.date().isoformat(),
            "month": f"{self.last:%Y-%m}",
            "label": self.label,
        }


@dataclass
class Checked:
    """Ledgers after validation, seen at the as-of date.

    Rejected rows are marked; rows after the as-of date are out of scope (dropped from the
    frames and counted in the report's row accounting); project dates after it are blanked.
    """

    plan: Plan
    data: Dataset
    as_of: pd.Timestamp
    report: ValidationReport
    coverage: dict[str, Coverage] = field(default_factory=dict)
    # Derived tables computed once per command (a replaced Checked starts with an empty one).
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def beyond_data(self) -> list[Coverage]:
        """Ledgers whose data stop before the as-of date. The project ledger is a register, not a
        report of a period: a quiet month without a signing or a start is not missing data."""
        return [
            c
            for c in self.coverage.values()
            if c.ledger not in REGISTERS and not c.reaches(self.as_of)
        ]

    @property
    def coverage_warning(self) -> str | None:
        """One line naming each ledger that stops before the as-of date, and where it stops."""
        short = self.beyond_data()
        if not short:
            return None
        named = "，".join(f"{LEDGERS[c.ledger].stem_zh}至 {c.label}" for c in short)
        return (
            f"注意：截止日期 {self.as_of.date().isoformat()} 晚于台账数据（{named}）；"
            "之后没有数据，不是零，未满的年度按同期比较"
        )


def _latest(frame: pd.DataFrame, ledger: str) -> pd.Timestamp | None:
    """The latest event of a ledger's rows (a month counts as its last day)."""
    spec = LEDGERS[ledger]
    dates = [
        frame[c].max() + pd.offsets.MonthEnd(0)
        if spec.by_key[c].kind == "month"
        else frame[c].max()
        for c in EVENT_COLUMNS.get(ledger, ())
    ]
    found = [d for d in dates if pd.notna(d)]
    return pd.Timestamp(max(found)).normalize() if found else None


def _period_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def coverage(data: Dataset) -> dict[str, Coverage]:
    """Per ledger, the latest period its accepted rows describe."""
    out: dict[str, Coverage] = {}
    for key in data.ledgers:
        frame = data.accepted(key)
        if frame is None:  # not found, or no accepted row
            continue
        if key == "output":
            rows = frame[frame["year"].notna()]
            if rows.empty:
                continue
            month = rows["month"].fillna(12).astype(int)
            year = rows["year"].astype(int)
            y, m = max(zip(year, month, strict=True))
            label = f"{y}年全年" if m == 12 else f"{y}年1—{m}月"
            out[key] = Coverage(key, _period_end(y, m), label)
        elif key == "parks":
            if frame["year"].notna().any():
                y = int(frame["year"].max())
                out[key] = Coverage(key, pd.Timestamp(y, 12, 31), f"{y}年")
        else:
            last = _latest(frame, key)
            if last is not None:
                label = last.date().isoformat()
                if key == "arrivals" and frame["date"].isna().all():
                    label = f"{last:%Y-%m}"
                out[key] = Coverage(key, last, label)
    return out


def infer_as_of(spans: dict[str, Coverage], today: pd.Timestamp) -> pd.Timestamp:
    """The latest event date in the accepted rows (a month counts as its last day), at most today;
    without any, the end of the latest period of 产值台账, else of 园区台账.

    Rows dated after today are errors (future-date), so they are not accepted and never set it.
    """
    events = [spans[k].last for k in EVENT_COLUMNS if k in spans]
    if events:
        return min(max(events), today)
    periodic = [spans[k].last for k in ("output", "parks") if k in spans]
    return min(periodic[0], today) if periodic else today


def _in_scope(key: str, frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Rows whose date (or reported period) is not after the as-of date."""
    if key == "projects":
        return ~(frame["signed_on"] > as_of)
    if key == "arrivals":
        when = frame["date"].where(frame["date"].notna(), frame["month"])
        return ~(when > as_of)
    if key == "activities":
        return ~(frame["date"] > as_of)
    if key == "parks":  # a year's figures belong to its last month
        return ~(
            (frame["year"] > as_of.year) | ((frame["year"] == as_of.year) & (as_of.month < 12))
        )
    if key == "output":
        month = frame["month"].fillna(12)
        late = (frame["year"] > as_of.year) | (
            (frame["year"] == as_of.year) & (month > as_of.month)
        )
        return ~late
    return pd.Series(True, index=frame.index)


def rewind_projects(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Project dates after `as_of` blanked; the stage is the furthest its dates had reached.

    A 终止 project shows that stage, since the ledgers do not date a termination.
    """
    later = frame[[c for _, c in STAGE_DATES]].gt(as_of).any(axis=1)
    if not later.any():
        return frame
    out = frame.copy()
    for _, col in STAGE_DATES:
        out[col] = out[col].where(~(out[col] > as_of))
    stage = out["stage"].astype(object)
    dated = pd.Series(pd.NA, index=out.index, dtype=object)
    for name, col in STAGE_DATES:  # in the order stages run: the furthest dated one wins
        dated = dated.mask(out[col].notna(), name)
    out["stage"] = stage.where(~later | dated.isna(), dated).astype(frame["stage"].dtype)
    return out


def scope(checked: Checked, as_of: pd.Timestamp) -> Checked:
    """The checked ledgers seen at `as_of`: later rows out of scope, later project dates blanked.

    A row with an error stays rejected whatever its date; an accepted row dated after `as_of`
    is dropped and counted as out of scope (read = accepted + rejected + skipped + out_of_scope).
    """
    ledgers: dict[str, LedgerData] = {}
    stats: dict[str, LedgerStats] = {}
    for key, ledger in checked.data.ledgers.items():
        frame = ledger.frame
        keep = (frame["_reject"] | _in_scope(key, frame, as_of)).to_numpy(dtype=bool)
        dropped = int((~keep).sum())
        if dropped:
            frame = frame[keep]
        if key == "projects":
            frame = rewind_projects(frame, as_of)
        counted = replace(
            ledger.stats,
            out_of_scope=ledger.stats.out_of_scope + dropped,
            skip_reasons=ledger.stats.skip_reasons.copy(),
        )
        ledgers[key] = LedgerData(ledger.spec, frame, counted)
        stats[key] = counted
    report = replace(checked.report, as_of=as_of.date().isoformat(), ledgers=stats)
    return replace(checked, data=replace(checked.data, ledgers=ledgers), as_of=as_of, report=report)


def check(data: Dataset, plan: Plan, as_of: dt.date | None = None) -> Checked:
    today = pd.Timestamp(clock.today())
    if as_of is not None and pd.Timestamp(as_of) > today:
        raise UsageError(
            f"--as-of {as_of.isoformat()} 晚于今天 {today.date().isoformat()}：还没有这一天的数据"
        )
    ctx = Context(plan, data, list(data.findings), today)
    run_checks(ctx)
    for ledger in data.ledgers.values():
        ledger.stats.rejected = int(ledger.frame["_reject"].sum())
    spans = coverage(data)
    when = pd.Timestamp(as_of) if as_of else infer_as_of(spans, today)
    findings = sorted(ctx.findings, key=lambda f: f.sort_key())
    report = ValidationReport(
        when.date().isoformat(),
        {k: d.stats for k, d in data.ledgers.items()},
        findings,
        list(data.ignored),
    )
    checked = Checked(plan, data, when, report, spans)
    return scope(checked, when)


def run(
    path: Path, plan: Plan, as_of: dt.date | None = None, progress: ProgressCallback | None = None
) -> Checked:
    checked = check(load(path, progress), plan, as_of)
    if progress is not None:
        progress(1, 1, "完成")
    return checked
