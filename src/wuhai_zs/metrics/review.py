"""The plan period in review (终期评估): final verdicts, years, districts, projects, and their basis."""

# Every figure here comes from the same checked ledgers seen at the review's as-of date (the
# plan's end once it has passed; see review_as_of), and reuses the rules the other commands
# follow: verdicts are metrics.targets at that date, money is the city's share of 飞地 projects
# summed exactly in 分 (metrics.base.arrivals_table), district figures are metrics.districts
# over the plan period. What is new here is arranging them by year, district and signing cohort.

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.findings.catalog import RULES
from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.metrics.base import (
    LINES,
    WAN_PER_YI,
    arrivals_table,
    data_end,
    fen_by_project,
    fen_wan,
    fen_yi,
    num,
    partial_units,
    project_table,
    text_or_none,
    wan,
    wan_yi,
)
from wuhai_zs.metrics.districts import CITY, OUTSIDE, windows_figures
from wuhai_zs.metrics.districts import compute as compute_districts
from wuhai_zs.metrics.targets import (
    ArrivalSums,
    TargetResult,
    TargetsResult,
    cluster_target,
    output_series,
)
from wuhai_zs.metrics.targets import compute as compute_targets
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan, Target

# 落地率: a signing is counted in a window's rate once that many months have passed since it.
COHORT_WINDOWS = (6, 12)
LARGEST = 10  # projects listed as the largest of the period
SAMPLE_NOTE = "示例数据：本结果由内置示例台账（合成数据）生成，不是各区报送的真实数据。"
COHORT_RULE = (
    "落地率 = 签约后 N 个月内开工的项目数 ÷ 签约已满 N 个月的项目数（按签约年度分组，含此后终止的项目）；"
    "截止日期时签约未满 N 个月的项目不计入该比率，单列其个数和其中已开工的个数，"
    "一个年度的签约项目都未满 N 个月时该比率为“未满”。"
)


def _ratio(top: Decimal | None, bottom: Decimal | None) -> Decimal | None:
    if top is None or not bottom:
        return None
    return top / bottom


def _growth(value: Decimal | None, before: Decimal | None) -> Decimal | None:
    if value is None or not before:
        return None
    return value / before - 1


def review_as_of(plan: Plan, given: dt.date | None, today: dt.date) -> tuple[dt.date | None, str]:
    """The date a review is made at, and a note when it is not the one asked for.

    Once the plan period has ended (at today), its end; before, the ledgers' latest date (None:
    the pipeline infers it). An --as-of after the plan's end is brought back to it: later
    events are not the plan's. An --as-of before the plan's start has nothing to review.
    """
    if given is not None:
        if given < plan.start:
            raise UsageError(
                f"--as-of {given.isoformat()} 早于计划期起始日期 {plan.start.isoformat()}，没有可评估的数据"
            )
        if given > plan.end:
            return plan.end, (
                f"--as-of {given.isoformat()} 晚于计划期末 {plan.end.isoformat()}：按计划期末评估，"
                "之后的台账行不属于本计划期"
            )
        return given, ""
    if plan.end <= today:
        return plan.end, ""
    return None, ""


# ---------------------------------------------------------------- result objects
@dataclass
class YearRow:
    """One year: the base year or a plan year. Money in 亿元 (FDI in 万美元), the city's share.

    A year the arrivals ledger does not reach is None (no data, never zero); a year it covers
    only partly (months < 12) is compared with the same months of the year before (同期).
    """

    year: int
    role: str  # base | plan
    complete: bool
    months: int | None
    capital_counted_yi: float | None
    capital_plan_base_yi: float | None
    growth: float | None
    growth_kind: str  # 同比 | 同期比 | ""
    growth_target: float | None
    meets_rate: bool | None
    capital_new_yi: float | None
    capital_continuing_yi: float | None
    capital_other_yi: float | None
    domestic_yi: float | None
    outside_region_yi: float | None
    within_region_yi: float | None
    foreign_yi: float | None
    fdi_wan_usd: float | None
    fdi_growth: float | None
    fdi_plan_base_wan_usd: float | None
    advanced_yi: float | None
    output_yi: float | None
    output_months: int | None
    output_growth: float | None
    clusters: list[dict[str, Any]]
    per_mu: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FinalYearRow:
    """A target next to its final year: what that year needed to reach it, and what it did."""

    id: str
    name: str
    unit: str
    year: int
    needed: float | None
    actual: float | None
    gap: float | None
    complete: bool
    how: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DistrictRow:
    unit: str
    capital_counted_yi: float | None
    capital_not_counted_yi: float | None
    share: float | None
    rank: int | None
    signed: int | None
    started: int | None
    producing: int | None
    investment_signed_yi: float | None
    enclave_projects: int | None
    in_city: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Cohort:
    year: int
    signed: int
    windows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReviewResult:
    plan: dict[str, Any]
    as_of: str
    final: bool  # the plan period is over at the as-of date
    synthetic: bool
    targets: TargetsResult
    years: list[YearRow]
    final_year: list[FinalYearRow]
    districts: list[DistrictRow]
    district_total: DistrictRow | None
    district_outside: DistrictRow | None
    projects: dict[str, Any]
    basis: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    partial_units: list[str] = field(default_factory=list)  # districts the ledgers do not hold

    @property
    def warnings(self) -> list[str]:
        """Every warning of the figures, the as-of past some ledger's data first (documents
        and JSON carry it; the terminal has it once on stderr)."""
        covered = self.targets.coverage_warning
        return ([covered] if covered else []) + self.targets.warnings

    @property
    def plan_years(self) -> list[YearRow]:
        return [y for y in self.years if y.role == "plan"]

    def target(self, target_id: str) -> TargetResult | None:
        return next((t for t in self.targets.targets if t.id == target_id), None)

    def defined(self, target_id: str) -> dict[str, Any]:
        """How the plan defines a target: kind, measure, scope, year, strict."""
        return next((t for t in self.plan["targets"] if t["id"] == target_id), {})

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "as_of": self.as_of,
            "final": self.final,
            "synthetic": self.synthetic,
            "targets": [t.to_dict() for t in self.targets.targets],
            "years": [y.to_dict() for y in self.years],
            "final_year": [r.to_dict() for r in self.final_year],
            "districts": [d.to_dict() for d in self.districts],
            "district_total": None
            if self.district_total is None
            else self.district_total.to_dict(),
            "district_outside": (
                None if self.district_outside is None else self.district_outside.to_dict()
            ),
            "projects": self.projects,
            "basis": self.basis,
            "coverage": self.targets.coverage,
            "warnings": self.warnings,
            "notes": self.notes,
            "partial_units": self.partial_units,
        }


# ---------------------------------------------------------------- years
def _growth_target(plan: Plan, measure: str) -> Target | None:
    return next((t for t in plan.targets if t.kind == "growth" and t.measure == measure), None)


def _base_of(result: TargetResult | None, base_year: int) -> bool:
    """Whether a growth verdict found a base (its details start with the base year)."""
    return bool(result and result.details and result.details[0]["year"] == base_year)


class _Years:
    """Yearly sums over the arrivals, output and parks ledgers."""

    def __init__(self, checked: Checked, targets: TargetsResult, partial: list[str]) -> None:
        self.checked = checked
        self.plan = checked.plan
        self.targets = {t.id: t for t in targets.targets}
        self.arrivals = arrivals_table(checked)
        self.sums = ArrivalSums(self.arrivals, self.plan) if self.arrivals is not None else None
        self.at = data_end(checked, "arrivals")
        self.first = (
            pd.Timestamp(self.arrivals["when"].min())
            if self.arrivals is not None and len(self.arrivals)
            else None
        )
        self.partial_units = partial

    # -- arrivals
    def covered(self, year: int) -> bool:
        """The arrivals ledger speaks for the year: it has rows from that year or earlier, and
        reaches into it."""
        return (
            self.sums is not None
            and self.first is not None
            and self.first.year <= year
            and self.at.year >= year
        )

    def span(self, year: int) -> tuple[bool, int]:
        """(complete, months) of a year in the arrivals ledger."""
        if self.at >= pd.Timestamp(year, 12, 31):
            return True, 12
        return False, self.at.month

    def total(self, mask: np.ndarray, year: int, column: str = "amount") -> Decimal:
        """The year's sum (to the arrivals' date in a partial year), in 万元 (the city's share;
        column fdi_usd: 万美元)."""
        assert self.sums is not None
        return self.sums.year_to(mask, column, year, self.at)

    def same_period(self, mask: np.ndarray, year: int, column: str = "amount") -> Decimal:
        """The year's sum from January to the arrivals' date's month and day, in 万元."""
        assert self.sums is not None
        return self.sums.year_to(
            mask, column, year, self.at - pd.DateOffset(years=self.at.year - year)
        )

    def base_value(self, measure: str, ledger: Decimal | None) -> tuple[Decimal | None, bool]:
        """The base the growth verdict used for a measure (plan or ledger), in 万元 (万美元 for
        FDI), and whether it came from the plan file. None when the verdict found none."""
        target = _growth_target(self.plan, measure)
        if target is None:
            return ledger, False
        result = self.targets.get(target.id)
        if not _base_of(result, self.plan.base_year):
            return None, False
        if target.base is not None and not self.partial_units:
            assert isinstance(target.base, float)
            return Decimal(str(target.base)), True  # 万元 (万美元 for FDI), as the sums here
        return ledger, False

    # -- output and parks
    def output(self, scope: str) -> dict[int, tuple[int, Decimal]]:
        """year -> (months, 亿元): the full year when reported, else its latest 1—N月 figure."""
        series = output_series(self.checked, scope)
        if series is None:
            return {}
        return {**series.ytd, **{year: (12, value) for year, value in series.full.items()}}

    def parks(self) -> dict[int, dict[str, Any]]:
        """year -> 亩均 of all the zones (Σ ÷ Σ 用地面积) and whether every park reported."""
        frame = self.checked.data.accepted("parks")
        if frame is None:
            return {}
        rows = frame[frame["year"].notna()]
        everyone = sorted(rows["park"].astype(object).unique(), key=str)
        out: dict[int, dict[str, Any]] = {}
        for year, group in rows.groupby(rows["year"].astype(int), sort=True):
            reported = set(group["park"].astype(object))
            area = wan(group["land_mu"])
            values = {
                name: num(wan(group[col]) / area, 10) if area else None
                for name, col in (  # 万元/亩 (docs/json.md: keys say their unit)
                    ("investment_wan_per_mu", "fixed_investment"),
                    ("output_wan_per_mu", "output"),
                    ("tax_wan_per_mu", "tax"),
                )
            }
            out[int(year)] = {
                **values,
                "parks": len(reported),
                "of": len(everyone),
                "complete": len(reported) == len(everyone),
                "missing_parks": [p for p in everyone if p not in reported],
            }
        return out

    def rows(self) -> list[YearRow]:
        plan = self.plan
        last = min(self.checked.as_of.year, plan.end.year)
        years = [plan.base_year, *range(plan.start.year, last + 1)]
        sums = self.sums
        capital_target = _growth_target(plan, "capital")
        rate = Decimal(str(capital_target.value)) if capital_target is not None else None
        output = self.output("全市")
        clusters = {c.name: self.output(c.name) for c in plan.clusters}
        parks = self.parks()
        out: list[YearRow] = []
        previous: dict[str, Decimal | None] = {}
        for year in years:
            role = "base" if year == plan.base_year else "plan"
            figures: dict[str, Decimal | None] = dict.fromkeys(
                (
                    "counted",
                    "new",
                    "continuing",
                    "other",
                    "domestic",
                    "outside",
                    "within",
                    "foreign",
                    "usd",
                    "advanced",
                )
            )
            complete, months = self.span(year)
            covered = self.covered(year)
            growth = fdi_growth = None
            kind = ""
            if covered and sums is not None:
                counted = sums.counted
                line = sums.line
                signed_year = self.arrivals["signed_on"].dt.year.to_numpy()  # type: ignore[index]
                total = self.total(counted, year)
                new = self.total(counted & (signed_year == year), year)
                continuing = self.total(counted & (signed_year < year), year)
                figures["counted"], figures["new"], figures["continuing"] = total, new, continuing
                figures["other"] = (
                    total - new - continuing
                )  # signed later than the money, or not dated
                domestic = np.isin(line, [LINES.index("区外"), LINES.index("区内")])
                figures["domestic"] = self.total(domestic, year)
                figures["outside"] = self.total(line == LINES.index("区外"), year)
                figures["within"] = self.total(line == LINES.index("区内"), year)
                figures["foreign"] = self.total(line == LINES.index("境外"), year)
                figures["usd"] = self.total(sums.foreign, year, "fdi_usd")
                figures["advanced"] = self.total(sums.advanced, year)
                if role == "plan":
                    if complete:
                        before = previous.get("counted")
                        before_usd = previous.get("usd")
                        kind = "同比"
                    else:
                        before = (
                            self.same_period(counted, year - 1) if self.covered(year - 1) else None
                        )
                        before_usd = (
                            self.same_period(sums.foreign, year - 1, "fdi_usd")
                            if self.covered(year - 1)
                            else None
                        )
                        kind = "同期比"
                    growth = _growth(figures["counted"], before)
                    fdi_growth = _growth(figures["usd"], before_usd)
            plan_base = usd_plan_base = None
            if role == "base":
                ledger_counted = figures["counted"] if complete_base(self, year) else None
                ledger_usd = figures["usd"] if complete_base(self, year) else None
                base, from_plan = self.base_value("capital", ledger_counted)
                usd_base, usd_from_plan = self.base_value("fdi", ledger_usd)
                plan_base = base if from_plan else None
                usd_plan_base = usd_base if usd_from_plan else None
                previous = {"counted": base, "usd": usd_base}
            elif complete:
                previous = {"counted": figures["counted"], "usd": figures["usd"]}
            else:
                previous = {}
            made = output.get(year)
            before_output = output.get(year - 1)
            output_growth = None
            if made is not None and made[0] == 12 and before_output and before_output[0] == 12:
                output_growth = _growth(made[1], before_output[1])
            park = parks.get(year)
            out.append(
                YearRow(
                    year=year,
                    role=role,
                    complete=complete if covered else False,
                    months=months if covered else None,
                    capital_counted_yi=wan_yi(figures["counted"]),
                    capital_plan_base_yi=wan_yi(plan_base),
                    growth=num(growth, 10),
                    growth_kind=kind if growth is not None else "",
                    growth_target=num(rate, 10) if role == "plan" else None,
                    meets_rate=(
                        None
                        if growth is None or rate is None
                        else bool(round(growth, 9) >= round(rate, 9))
                    ),
                    capital_new_yi=wan_yi(figures["new"]),
                    capital_continuing_yi=wan_yi(figures["continuing"]),
                    capital_other_yi=wan_yi(figures["other"]),
                    domestic_yi=wan_yi(figures["domestic"]),
                    outside_region_yi=wan_yi(figures["outside"]),
                    within_region_yi=wan_yi(figures["within"]),
                    foreign_yi=wan_yi(figures["foreign"]),
                    fdi_wan_usd=num(figures["usd"], 10),
                    fdi_growth=num(fdi_growth, 10),
                    fdi_plan_base_wan_usd=num(usd_plan_base, 10),
                    advanced_yi=wan_yi(figures["advanced"]),
                    output_yi=num(made[1], 10) if made else None,
                    output_months=made[0] if made else None,
                    output_growth=num(output_growth, 10),
                    clusters=[
                        {
                            "name": name,
                            "output_yi": num(c[year][1], 10) if year in c else None,
                            "months": c[year][0] if year in c else None,
                        }
                        for name, c in clusters.items()
                    ],
                    per_mu=park or {},
                )
            )
        return out


def complete_base(years: _Years, year: int) -> bool:
    """The arrivals ledger covers the whole base year (from January, through December)."""
    return (
        years.first is not None
        and years.first <= pd.Timestamp(year, 1, 31)
        and years.at >= pd.Timestamp(year, 12, 31)
    )


# ---------------------------------------------------------------- the final year
MEASURE_FIELD = {
    "capital": "capital_counted_yi",
    "advanced_capital": "advanced_yi",
    "fdi": "fdi_wan_usd",
}
PER_MU_FIELD = {
    "fixed_investment_per_mu": "investment_wan_per_mu",
    "output_per_mu": "output_wan_per_mu",
    "tax_per_mu": "tax_wan_per_mu",
}


def _year_value(row: YearRow, target: Target) -> tuple[Decimal | None, bool]:
    """A year's figure of what a target measures, and whether it is a complete year."""
    if target.measure in MEASURE_FIELD:
        value = getattr(row, MEASURE_FIELD[target.measure])
        return (None if value is None else Decimal(str(value))), row.complete
    if target.measure == "output":
        if target.scope == "全市":
            value, months = row.output_yi, row.output_months
        else:
            found = next((c for c in row.clusters if c["name"] == target.scope), None)
            value, months = (found["output_yi"], found["months"]) if found else (None, None)
        return (None if value is None else Decimal(str(value))), months == 12
    per_mu = row.per_mu
    value = per_mu.get(PER_MU_FIELD[target.measure]) if per_mu else None
    return (None if value is None else Decimal(str(value))), bool(per_mu.get("complete"))


def _targets_of(plan: Plan) -> list[Target]:
    """The plan's targets and one level target per cluster, as targets.compute judges them."""
    return [*plan.targets, *(cluster_target(plan, c) for c in plan.clusters)]


def final_year(
    plan: Plan, years: list[YearRow], targets: TargetsResult, partial: bool = False
) -> list[FinalYearRow]:
    """Each target next to the plan's final year: what that year needed, and what it did.

    `partial`: the ledgers hold only some districts (a plan base is then not used)."""
    final = plan.end.year
    row = next((y for y in years if y.year == final), None)
    if row is None:
        return []
    results = {t.id: t for t in targets.targets}
    earlier = [y for y in years if y.role == "plan" and y.year < final]
    out = []
    for target in _targets_of(plan):
        result = results.get(target.id)
        if result is None:
            continue
        actual, complete = _year_value(row, target)
        needed: Decimal | None = None
        unit = result.unit
        if target.kind == "cumulative":
            before = [_year_value(y, target)[0] for y in earlier]
            known = [v for v in before if v is not None]
            if result.target is not None and len(known) == len(before):
                needed = Decimal(str(result.target)) - sum(known, Decimal(0))
            how = f"目标 {_plain(result.target)} 减去{final}年以前各年之和"
        elif target.kind == "growth":
            unit = "万美元" if target.measure == "fdi" else "亿元"
            base_row = years[0]
            base = _base_for(target, result, base_row, partial)
            if base is not None and result.target is not None:
                needed = base * (1 + Decimal(str(result.target))) ** (final - plan.base_year)
            how = f"基数 × (1 + {Decimal(str(result.target or 0)) * 100:.2f}%)^{final - plan.base_year}"
        else:
            needed = None if result.target is None else Decimal(str(result.target))
            how = f"{final}年目标"
        if target.kind == "ratio" and not complete:
            actual = None  # a ratio over some of the parks is not the zones' figure
        # a part of the year is shown (so far), never compared with what the year needed
        gap = actual - needed if actual is not None and needed is not None and complete else None
        out.append(
            FinalYearRow(
                id=target.id,
                name=result.name,
                unit=unit,
                year=final,
                needed=num(needed, 10),
                actual=num(actual, 10),
                gap=num(gap, 10),
                complete=complete,
                how=how,
                status=result.status,
            )
        )
    return out


def _plain(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _base_for(
    target: Target, result: TargetResult, base_row: YearRow, partial: bool
) -> Decimal | None:
    """The base a growth verdict used, in the unit of the years table (亿元 or 万美元):
    the plan file's (city-wide ledgers only), else the ledger's base year."""
    if not _base_of(result, base_row.year):
        return None
    if target.base is not None and not partial:
        assert isinstance(target.base, float)
        scale = Decimal(1) if target.measure == "fdi" else Decimal(WAN_PER_YI)
        return Decimal(str(target.base)) / scale
    value = getattr(base_row, MEASURE_FIELD[target.measure])
    return None if value is None else Decimal(str(value))


# ---------------------------------------------------------------- districts
def _districts(
    checked: Checked, absent: list[str]
) -> tuple[list[DistrictRow], DistrictRow, DistrictRow]:
    """Each district over the plan period, ranked by counted money (equal money, equal rank).

    A district with no project in the ledgers (`absent`: a district's own workbook holds only
    its own) has no data: no figures, no share, no rank, never zeros.
    """
    result = compute_districts(checked, "plan")
    has_money = result.total.capital_counted_yi is not None
    total_yi = Decimal(str(result.total.capital_counted_yi or 0))

    present = [u for u in result.units if u.unit not in absent]
    order = sorted(present, key=lambda u: -(u.capital_counted_yi or 0))
    ranks: dict[str, int] = {}
    for i, unit in enumerate(order):
        same = i and order[i - 1].capital_counted_yi == unit.capital_counted_yi
        ranks[unit.unit] = ranks[order[i - 1].unit] if same else i + 1
    rows = [
        DistrictRow(
            unit=u.unit,
            capital_counted_yi=u.capital_counted_yi,
            capital_not_counted_yi=u.capital_not_counted_yi,
            share=(
                num(Decimal(str(u.capital_counted_yi)) / total_yi, 10)
                if has_money and total_yi and u.capital_counted_yi is not None
                else None
            ),
            rank=ranks[u.unit] if has_money else None,
            signed=u.signed,
            started=u.started,
            producing=u.producing,
            investment_signed_yi=u.investment_yi,
            enclave_projects=u.enclave_projects,
        )
        if u.unit not in absent
        else DistrictRow(u.unit, None, None, None, None, None, None, None, None, None)
        for u in result.units
    ]
    t = result.total
    total = DistrictRow(
        CITY,
        t.capital_counted_yi,
        t.capital_not_counted_yi,
        1.0 if has_money and total_yi else None,
        None,
        t.signed,
        t.started,
        t.producing,
        t.investment_yi,
        t.enclave_projects,
    )
    o = result.outside
    outside = DistrictRow(
        OUTSIDE,
        o["capital_counted_yi"],
        o["capital_not_counted_yi"],
        None,
        None,
        None,
        None,
        None,
        o["investment_yi"],
        None,
        in_city=False,
    )
    return rows, total, outside


# ---------------------------------------------------------------- projects
def _projects(checked: Checked, plan_years: list[int]) -> dict[str, Any]:
    """Signed, started and producing by year; 落地率 by signing cohort; the largest projects."""
    plan = checked.plan
    as_of = checked.as_of
    projects = project_table(checked)
    if projects is None:
        return {}
    arrivals = arrivals_table(checked)
    units = list(plan.districts)
    windows = [(pd.Timestamp(y, 1, 1), min(pd.Timestamp(y, 12, 31), as_of)) for y in plan_years]
    every = windows_figures(projects, arrivals, units, windows)  # each project credited once
    by_year = []
    for year, (_, end), frame in zip(plan_years, windows, every, strict=True):
        figures = frame.sum()
        by_year.append(
            {
                "year": year,
                "through": end.date().isoformat(),
                "signed": int(figures["signed"]),
                "started": int(figures["started"]),
                "producing": int(figures["producing"]),
                "investment_signed_yi": fen_yi(figures["investment"]),
            }
        )
    cohorts = [c.to_dict() for c in _cohorts(projects, plan_years, as_of)]
    largest, share = _largest(checked, projects, arrivals)
    return {
        "by_year": by_year,
        "cohorts": cohorts,
        "cohort_rule": COHORT_RULE,
        "largest": largest,
        "largest_share_of_counted": share,
    }


def _cohorts(projects: pd.DataFrame, years: list[int], as_of: pd.Timestamp) -> list[Cohort]:
    signed = projects["signed_on"]
    out = []
    for year in years:
        mine = (signed.dt.year == year) & (signed <= as_of)
        rows = projects[mine.fillna(False).to_numpy(dtype=bool)]
        windows = []
        for months in COHORT_WINDOWS:
            deadline = rows["signed_on"] + pd.DateOffset(months=months)
            elapsed = (deadline <= as_of).to_numpy(dtype=bool)
            on_time = (
                (rows["started_on"].notna() & (rows["started_on"] <= deadline))
                .fillna(False)
                .to_numpy(dtype=bool)
            )
            begun = rows["started_on"].notna().to_numpy(dtype=bool)
            eligible = int(elapsed.sum())
            landed = int((elapsed & on_time).sum())
            windows.append(
                {
                    "months": months,
                    "eligible": eligible,
                    "started": landed,
                    "rate": num(Decimal(landed) / Decimal(eligible), 10) if eligible else None,
                    "not_elapsed": int((~elapsed).sum()),
                    "not_elapsed_started": int((~elapsed & begun).sum()),
                }
            )
        out.append(Cohort(year, len(rows), windows))
    return out


def _largest(
    checked: Checked, projects: pd.DataFrame, arrivals: pd.DataFrame | None
) -> tuple[list[dict[str, Any]], float | None]:
    """The projects signed in the plan period with the largest 总投资, and what they brought."""
    plan = checked.plan
    start = pd.Timestamp(plan.start)
    signed = projects[(projects["signed_on"] >= start) & (projects["signed_on"] <= checked.as_of)]
    top = (
        signed.reset_index(drop=True)
        .sort_values(["total_investment", "project_id"], ascending=[False, True], kind="stable")
        .head(LARGEST)
    )
    arrived: dict[str, Decimal] = {}
    counted: dict[str, Decimal] = {}
    total_counted = Decimal(0)
    if arrivals is not None:
        period = arrivals[arrivals["when"] >= start]
        arrived = {k: fen_wan(v) for k, v in fen_by_project(period).items()}
        mine = period[period["counted"].to_numpy(dtype=bool)]
        counted = {k: fen_wan(v) for k, v in fen_by_project(mine, "city_fen").items()}
        total_counted = fen_wan(mine["city_fen"].sum())
    rows = []
    for record in top.to_dict("records"):
        pid = str(record["project_id"])
        invest = Decimal(str(record["total_investment"]))
        money = arrived.get(pid, Decimal(0)) if arrivals is not None else None
        rows.append(
            {
                "project_id": pid,
                "name": record["name"],
                "district": text_or_none(record.get("district")),
                "industry": text_or_none(record.get("industry")),
                "source_region": text_or_none(record.get("source_region")),
                "stage": text_or_none(record.get("stage")),
                "signed_on": record["signed_on"].date().isoformat(),
                "enclave": text_or_none(record.get("enclave")),
                "total_investment_wan": num(invest, 2),
                "arrived_wan": num(money, 2),
                "counted_wan": (
                    num(counted.get(pid, Decimal(0)), 2) if arrivals is not None else None
                ),
                "arrival_rate": num(_ratio(money, invest), 6),
            }
        )
    share = None
    if arrivals is not None and total_counted:
        share = num(
            sum((counted.get(r["project_id"], Decimal(0)) for r in rows), Decimal(0))
            / total_counted,
            6,
        )
    return rows, share


# ---------------------------------------------------------------- what the figures rest on
def _basis(checked: Checked, targets: TargetsResult) -> dict[str, Any]:
    report = checked.report
    titles = {r.code: r.title for r in RULES}
    errors = Counter(f.code for f in report.findings if f.severity == "error")
    warnings = Counter(f.code for f in report.findings if f.severity == "warning")
    lines = targets.capital_lines
    projects = project_table(checked)
    enclave: dict[str, Any] = {}
    if projects is not None:
        flown = projects[projects["enclave"].notna()]
        units = set(checked.plan.districts)
        outside = flown[
            ~flown["enclave_from"].astype(object).isin(units)
            | ~flown["enclave_to"].astype(object).isin(units)
        ]
        line = next((x for x in lines.get("lines", []) if x["key"] == "飞地"), None)
        enclave = {
            "projects": len(flown),
            "within_city": len(flown) - len(outside),
            "leaving_city": len(outside),
            "outside_share_yi": line["amount_yi"] if line else None,
            "outside_share_counted_yi": line["counted_yi"] if line else None,
        }
    return {
        "capital_lines": lines,
        "not_counted": [
            x
            for x in lines.get("lines", [])
            if x["key"] in ("市内", "规模以下", "标记不纳统", "境外") and x["rows"]
        ],
        "enclave": enclave,
        "validation": {
            "errors": report.errors,
            "warnings": report.warnings,
            "ledgers": {
                key: {
                    "name": LEDGERS[key].stem_zh if key in LEDGERS else key,
                    "read": s.read,
                    "accepted": s.accepted,
                    "rejected": s.rejected,
                    "skipped": s.skipped,
                    "out_of_scope": s.out_of_scope,
                }
                for key, s in report.ledgers.items()
            },
            "rows_rejected": sum(s.rejected for s in report.ledgers.values()),
            "error_codes": [
                {"code": c, "title": titles.get(c, c), "count": n} for c, n in errors.most_common()
            ],
            "warning_codes": [
                {"code": c, "title": titles.get(c, c), "count": n}
                for c, n in warnings.most_common()
            ],
        },
        "consistency": targets.consistency,
    }


# ---------------------------------------------------------------- all of it
def compute(checked: Checked, notes: list[str] | None = None) -> ReviewResult:
    """The review of the plan period at the checked ledgers' as-of date (see review_as_of)."""
    plan = checked.plan
    targets = compute_targets(checked)
    absent = partial_units(checked)
    years = _Years(checked, targets, absent).rows()
    plan_years = [y.year for y in years if y.role == "plan"]
    has_projects = checked.data.has("projects")
    districts, total, outside = _districts(checked, absent) if has_projects else ([], None, None)
    out_notes = list(notes or [])
    if checked.data.synthetic:
        out_notes.insert(0, SAMPLE_NOTE)
    if not has_projects:
        out_notes.append("未提供项目台账：各区和项目部分无数据。")
    final = checked.as_of >= pd.Timestamp(plan.end)
    if not final:
        out_notes.append(
            f"计划期至 {plan.end.isoformat()}，截止日期 {checked.as_of.date().isoformat()} 时尚未结束："
            "本评估为期中情况，结论按序时进度。"
        )
    out_notes += targets.notes
    return ReviewResult(
        plan={
            "name": plan.name,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "base_year": plan.base_year,
            "years": len(range(plan.start.year, plan.end.year + 1)),
            "districts": list(plan.districts),
            "targets": [
                {
                    "id": t.id,
                    "kind": t.kind,
                    "measure": t.measure,
                    "scope": t.scope,
                    "year": t.year,
                    "strict": t.strict,
                    "not_below": t.not_below,
                    "rate": t.value if t.kind == "growth" else None,
                }
                for t in _targets_of(plan)
            ],
        },
        as_of=checked.as_of.date().isoformat(),
        final=final,
        synthetic=checked.data.synthetic,
        targets=targets,
        years=years,
        final_year=final_year(plan, years, targets, bool(absent)),
        partial_units=absent,
        districts=districts,
        district_total=total,
        district_outside=outside,
        projects=_projects(checked, plan_years) if has_projects else {},
        basis=_basis(checked, targets),
        notes=out_notes,
    )
