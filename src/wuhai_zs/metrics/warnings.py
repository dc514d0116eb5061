"""Project early warnings: rules as data (code, level, plan threshold) with vectorised checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from wuhai_zs.ledgers.columns import FIVE_ONES, PROJECTS, TERMINATED
from wuhai_zs.metrics.base import absent, arrivals_table, row_location
from wuhai_zs.metrics.projects import Filters, reached, require_projects
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan
from wuhai_zs.rules.checks import five_ones_gaps

Level = Literal["red", "yellow"]
LEVEL_ZH: dict[str, str] = {"red": "红色", "yellow": "黄色"}
LEVEL_ORDER = {"red": 0, "yellow": 1}
DATE_FMT = "%Y-%m-%d"


@dataclass
class Inputs:
    """What every check sees: the projects, the plan, the as-of date and who has had money."""

    projects: pd.DataFrame
    plan: Plan
    as_of: pd.Timestamp
    paid: pd.Series | None  # bool per project: any 到位资金 by as-of; None without the ledger

    def live(self) -> pd.Series:
        return (self.projects["stage"] != TERMINATED).fillna(True).astype(bool)

    def reached(self, stage: str) -> pd.Series:
        return reached(self.projects, stage, self.as_of)

    def text(self, values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), "").astype(str)

    def day(self, dates: pd.Series) -> pd.Series:
        return self.text(dates.dt.strftime(DATE_FMT))


@dataclass(frozen=True)
class Hits:
    """A check's answer, aligned with the projects: which fire, since when, what is late."""

    mask: pd.Series
    due: pd.Series
    what: pd.Series


@dataclass(frozen=True)
class WarningRule:
    code: str
    level: Level
    title: str
    threshold: str  # the plan key the rule reads ("" when it has none)
    check: Callable[[Inputs], Hits]
    needs: tuple[str, ...] = ("projects",)


def _after(dates: pd.Series, months: int) -> pd.Series:
    return dates + pd.DateOffset(months=months)


def _waiting(i: Inputs) -> pd.Series:
    """Signed, not started, not terminated."""
    return i.live() & i.reached("签约") & ~i.reached("开工")


def _planned_passed(i: Inputs) -> Hits:
    planned = i.projects["planned_start"]
    limit = _after(planned, i.plan.warnings.not_started_red_months)
    mask = _waiting(i) & planned.notna() & (planned < i.as_of) & (limit >= i.as_of)
    return Hits(mask, planned, "计划开工日期 " + i.day(planned) + " 已过，尚未开工")


def _planned_overdue(i: Inputs) -> Hits:
    months = i.plan.warnings.not_started_red_months
    planned = i.projects["planned_start"]
    mask = _waiting(i) & planned.notna() & (_after(planned, months) < i.as_of)
    return Hits(
        mask, planned, "计划开工日期 " + i.day(planned) + f" 已过 {months} 个月以上，尚未开工"
    )


def _unplanned(i: Inputs) -> Hits:
    months = i.plan.warnings.not_started_red_months
    signed = i.projects["signed_on"]
    due = _after(signed, months)
    mask = _waiting(i) & i.projects["planned_start"].isna() & (due < i.as_of)
    return Hits(
        mask, due, "未填计划开工日期，签约（" + i.day(signed) + f"）满 {months} 个月仍未开工"
    )


def _no_money(i: Inputs) -> Hits:
    months = i.plan.warnings.no_money_months
    signed = i.projects["signed_on"]
    due = _after(signed, months)
    paid = i.paid if i.paid is not None else pd.Series(True, index=i.projects.index)
    mask = i.live() & i.reached("签约") & (due < i.as_of) & ~paid
    return Hits(mask, due, "签约（" + i.day(signed) + f"）满 {months} 个月仍无到位资金")


def _five_ones(i: Inputs) -> Hits:
    """The same "五个一" the checks warn of (five_ones_gaps), per project."""
    projects = i.projects
    missing = five_ones_gaps(projects, i.plan)
    mask = missing.any(axis=1)
    lacking = pd.Series("", index=projects.index, dtype=object)
    for col in FIVE_ONES:
        header = PROJECTS.by_key[col].header
        lacking = lacking + missing[col].map({True: header + "、", False: ""})
    lacking = lacking.str.rstrip("、")
    what = (
        "重大项目（总投资 "
        + projects["total_investment"].map("{:,.0f}".format).astype(str)
        + " 万元）“五个一”缺"
        + lacking.astype(str)
    )
    signed = projects["signed_on"].where(i.reached("签约"))
    return Hits(mask, signed, what)


def _construction(i: Inputs) -> Hits:
    months = i.plan.warnings.construction_months
    started = i.projects["started_on"]
    due = _after(started, months)
    mask = i.live() & i.reached("开工") & ~i.reached("竣工") & (due < i.as_of)
    return Hits(mask, due, "开工（" + i.day(started) + f"）满 {months} 个月仍未竣工")


def _production(i: Inputs) -> Hits:
    months = i.plan.warnings.production_months
    completed = i.projects["completed_on"]
    due = _after(completed, months)
    mask = i.live() & i.reached("竣工") & ~i.reached("投产") & (due < i.as_of)
    return Hits(mask, due, "竣工（" + i.day(completed) + f"）满 {months} 个月仍未投产")


def _permits(i: Inputs) -> Hits:
    minimum = i.plan.warnings.min_permit_rate
    required = i.projects["permits_required"].astype("Float64")
    done = i.projects["permits_done"].astype("Float64")
    rate = (done / required).where(required > 0)
    mask = (
        (i.live() & i.reached("开工") & rate.notna() & (rate.round(9) < round(minimum, 9)))
        .fillna(False)
        .astype(bool)
    )
    what = (
        "手续办结率 "
        + rate.map(lambda r: "" if pd.isna(r) else f"{r:.0%}").astype(str)
        + "（已办 "
        + i.text(i.projects["permits_done"])
        + " / 应办 "
        + i.text(i.projects["permits_required"])
        + f"），低于 {minimum:.0%}"
    )
    return Hits(mask, i.projects["started_on"], what)


# The rules, in the order they are listed. Days late = as-of − due; see each check for due.
RULES: tuple[WarningRule, ...] = (
    WarningRule(
        "start-overdue",
        "yellow",
        "签约未开工：计划开工日期已过",
        "not_started_red_months",
        _planned_passed,
    ),
    WarningRule(
        "start-overdue-long",
        "red",
        "签约未开工：计划开工日期已过满规定月数",
        "not_started_red_months",
        _planned_overdue,
    ),
    WarningRule(
        "start-unplanned",
        "red",
        "签约未开工：无计划开工日期，签约满规定月数",
        "not_started_red_months",
        _unplanned,
    ),
    WarningRule(
        "no-money",
        "red",
        "签约满规定月数仍无到位资金",
        "no_money_months",
        _no_money,
        ("projects", "arrivals"),
    ),
    WarningRule(
        "five-ones",
        "yellow",
        f"重大项目“五个一”不全（{'、'.join(PROJECTS.by_key[c].header for c in FIVE_ONES)}）",
        "major_project.threshold",
        _five_ones,
    ),
    WarningRule(
        "construction-overdue",
        "yellow",
        "开工满规定月数仍未竣工",
        "construction_months",
        _construction,
    ),
    WarningRule(
        "production-overdue", "yellow", "竣工满规定月数仍未投产", "production_months", _production
    ),
    WarningRule(
        "permits-low", "yellow", "已开工项目手续办结率低于规定值", "min_permit_rate", _permits
    ),
)
BY_CODE = {r.code: r for r in RULES}

# How "days late" is counted for each rule, for help and docs.
DUE_ZH = {
    "start-overdue": "计划开工日期",
    "start-overdue-long": "计划开工日期",
    "start-unplanned": "签约日期 + 规定月数",
    "no-money": "签约日期 + 规定月数",
    "five-ones": "签约日期（未签约则不计天数）",
    "construction-overdue": "开工日期 + 规定月数",
    "production-overdue": "竣工日期 + 规定月数",
    "permits-low": "开工日期",
}


def threshold_value(plan: Plan, key: str) -> float | int | None:
    if key == "major_project.threshold":
        return plan.major_project.threshold
    return getattr(plan.warnings, key, None) if key else None


def thresholds(plan: Plan, key: str) -> dict[str, float | int | None]:
    """A rule's threshold under a key that says its unit (months, 万元 or a rate); the
    other two are None (docs/json.md)."""
    value = threshold_value(plan, key)
    unit = "wan" if key == "major_project.threshold" else "rate" if "rate" in key else "months"
    return {
        f"threshold_{name}": value if name == unit else None for name in ("months", "wan", "rate")
    }


@dataclass
class WarningItem:
    code: str
    level: Level
    project_id: str
    name: str
    district: str
    leader: str | None
    stage: str
    what: str
    due: str | None
    days_late: int | None
    where: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class WarningsResult:
    as_of: str
    filters: Filters
    rules: list[dict[str, Any]]
    counts: dict[str, int]
    levels: dict[str, int]
    warnings: list[WarningItem]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "filters": self.filters.to_dict(),
            "rules": self.rules,
            "counts": self.counts,
            "levels": self.levels,
            "warnings": [w.to_dict() for w in self.warnings],
            "notes": self.notes,
        }


def _paid(checked: Checked, projects: pd.DataFrame) -> pd.Series | None:
    arrivals = arrivals_table(checked)
    if arrivals is None:
        return None
    paid = arrivals["project_id"].dropna().unique()
    return pd.Series(projects.index.isin(paid), index=projects.index)


def _where(checked: Checked, projects: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            row_location(checked.data, s, r)
            for s, r in zip(projects["_src"], projects["_row"], strict=True)
        ],
        index=projects.index,
        dtype=object,
    )


def check(checked: Checked, filters: Filters | None = None) -> WarningsResult:
    """Every rule over the (filtered) projects at as-of; red first, then the longest overdue."""
    filters = filters or Filters()
    plan = checked.plan
    projects = filters.apply(require_projects(checked), plan)
    inputs = Inputs(projects, plan, checked.as_of, _paid(checked, projects))
    where = _where(checked, projects)
    items: list[WarningItem] = []
    notes: list[str] = []
    counts: dict[str, int] = {}
    for rule in RULES:
        if "arrivals" in rule.needs and inputs.paid is None:
            notes.append(f"{absent(checked, 'arrivals')}，未检查“{rule.title}”（{rule.code}）")
            counts[rule.code] = 0
            continue
        hits = rule.check(inputs)
        mask = hits.mask.fillna(False).astype(bool)
        counts[rule.code] = int(mask.sum())
        rows = projects[mask.to_numpy()]
        due = hits.due[mask.to_numpy()]
        late = (checked.as_of - due).dt.days
        for pid, row in rows.iterrows():
            d = due.loc[pid]
            items.append(
                WarningItem(
                    code=rule.code,
                    level=rule.level,
                    project_id=str(pid),
                    name=str(row["name"]),
                    district=str(row["district"]),
                    leader=None if pd.isna(row["leader"]) else str(row["leader"]),
                    stage=str(row["stage"]),
                    what=str(hits.what.loc[pid]),
                    due=None if pd.isna(d) else d.date().isoformat(),
                    days_late=None if pd.isna(late.loc[pid]) else int(late.loc[pid]),
                    where=str(where.loc[pid]),
                )
            )
    items.sort(key=lambda w: (LEVEL_ORDER[w.level], -(w.days_late or 0), w.project_id, w.code))
    rules = [
        {
            "code": r.code,
            "level": r.level,
            "title": r.title,
            "threshold": r.threshold,
            **thresholds(plan, r.threshold),
            "days_late_from": DUE_ZH[r.code],
        }
        for r in RULES
    ]
    levels = {level: sum(1 for w in items if w.level == level) for level in LEVEL_ORDER}
    if filters.label:
        notes.append(f"筛选：{filters.label}")
    return WarningsResult(
        checked.as_of.date().isoformat(), filters, rules, counts, levels, items, notes
    )
