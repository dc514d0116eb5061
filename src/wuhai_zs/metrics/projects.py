"""The project library: funnel by stage, landing and progress rates, breakdowns, filters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from wuhai_zs.errors import SourceError, unknown_value
from wuhai_zs.ledgers.columns import STAGE_DATE, STAGES
from wuhai_zs.ledgers.values import split_tags
from wuhai_zs.metrics.base import (
    absent,
    arrivals_table,
    fen_by_project,
    fen_wan,
    num,
    project_table,
    wan,
    wan_yi,
)
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

# A project has reached a stage when it has the stage's date (STAGE_DATE, from the contract).
# Every project, 终止 ones included, counts as having reached the stages whose dates it has
# (validation makes each stage carry its dates).
NO_CLUSTER = "不属于集群"
NO_TAG = "无标签"
NO_COUNTRY = "未填国别"


@dataclass(frozen=True)
class Rate:
    key: str
    name: str
    definition: str


# Each rate with the definition shown in `projects --help`, in JSON and in the table.
RATES: tuple[Rate, ...] = (
    Rate("landing", "签约项目落地成功率", "已开工项目数 ÷ 已签约项目数"),
    Rate(
        "start", "开工率", "已开工项目数 ÷（已开工项目数 + 计划开工日期已过仍未开工的已签约项目数）"
    ),
    Rate("completion", "竣工率", "已竣工项目数 ÷ 已开工项目数"),
    Rate("production", "投产率", "已投产项目数 ÷ 已开工项目数"),
    Rate("funding", "到位率", "已签约项目的到位资金（含未纳统）÷ 已签约项目的总投资"),
    Rate("permits", "手续办结率", "Σ已办手续数 ÷ Σ应办手续数（两项都填写的项目）"),
)
REACHED_NOTE = (
    "“已签约/已开工/已竣工/已投产”指填有该阶段日期的项目，终止项目按其已填日期计入所达到的阶段"
)


def ratio(numerator: Decimal | float, denominator: Decimal | float) -> float | None:
    if not denominator:
        return None
    return num(Decimal(numerator) / Decimal(denominator))


def require_projects(checked: Checked) -> pd.DataFrame:
    """Accepted projects, one row per 项目编号; a missing 项目台账 is an unusable input."""
    projects = project_table(checked)
    if projects is None:
        if "projects" in checked.data.ledgers:  # found, but every row rejected or none there
            raise SourceError(
                "项目台账无可用数据行（各行均有错误或没有数据行，用 wuhai-zs validate 查看），"
                "无法计算项目指标"
            )
        raise SourceError("没有找到项目台账（项目台账 / projects），无法计算项目指标")
    return projects


def reached(projects: pd.DataFrame, stage: str, by: pd.Timestamp) -> pd.Series:
    """Projects that had reached a stage by a date, as their dates show (终止 ones too)."""
    date = projects[STAGE_DATE[stage]]
    return (date.notna() & (date <= by)).astype(bool)


def overdue_start(projects: pd.DataFrame, by: pd.Timestamp) -> pd.Series:
    """Signed projects whose 计划开工日期 had passed by a date without a start."""
    planned = projects["planned_start"]
    return (
        reached(projects, "签约", by)
        & ~reached(projects, "开工", by)
        & planned.notna()
        & (planned < by)
    ).astype(bool)


# ---------------------------------------------------------------- filters
@dataclass(frozen=True)
class Filters:
    district: str | None = None
    industry: str | None = None
    stage: str | None = None
    region: str | None = None

    def check(self, plan: Plan) -> None:
        """Every value against the plan's vocabulary; a bad one names the allowed values."""
        for option, value, allowed in (
            ("--district", self.district, plan.districts),
            ("--industry", self.industry, plan.industries),
            ("--stage", self.stage, list(STAGES)),
            ("--region", self.region, region_choices(plan)),
        ):
            if value is not None and value not in allowed:
                raise unknown_value(option, value, list(allowed))

    def apply(self, projects: pd.DataFrame, plan: Plan) -> pd.DataFrame:
        self.check(plan)
        keep = pd.Series(True, index=projects.index)
        if self.district is not None:
            keep &= projects["district"] == self.district
        if self.industry is not None:
            keep &= projects["industry"] == self.industry
        if self.stage is not None:
            keep &= projects["stage"] == self.stage
        if self.region is not None:
            regions = (
                plan.regions[self.region]
                if self.region in plan.regions and self.region not in plan.region_group
                else [self.region]
            )
            keep &= projects["source_region"].isin(regions)
        return projects[keep.fillna(False).astype(bool)]

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @property
    def label(self) -> str:
        parts = [
            f"{name}={value}"
            for name, value in (
                ("所属区", self.district),
                ("产业", self.industry),
                ("阶段", self.stage),
                ("来源地区", self.region),
            )
            if value is not None
        ]
        return "，".join(parts)


def region_choices(plan: Plan) -> list[str]:
    """来源地区 values, then the group names (区外 …) that are not themselves a region."""
    regions = list(plan.region_group)
    return regions + [g for g in plan.regions if g not in regions]


# ---------------------------------------------------------------- result
@dataclass
class RateResult:
    """A rate and its parts: counts (numerator, denominator) or, for 到位率, money in 亿元
    (numerator_yi, denominator_yi); the other pair is None."""

    key: str
    name: str
    definition: str
    numerator: int | None
    denominator: int | None
    value: float | None
    numerator_yi: float | None = None
    denominator_yi: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ProjectsResult:
    as_of: str
    filters: Filters
    projects: int
    investment_yi: float | None
    funnel: list[dict[str, Any]]
    rates: list[RateResult]
    by_region: list[dict[str, Any]]
    by_tag: list[dict[str, Any]]
    by_industry: list[dict[str, Any]]
    by_cluster: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "filters": self.filters.to_dict(),
            "projects": self.projects,
            "investment_yi": self.investment_yi,
            "funnel": self.funnel,
            "rates": [r.to_dict() for r in self.rates],
            "by_region": self.by_region,
            "by_tag": self.by_tag,
            "by_industry": self.by_industry,
            "by_cluster": self.by_cluster,
            "notes": self.notes,
        }


# ---------------------------------------------------------------- computation
def _rates(
    projects: pd.DataFrame, capital: pd.Series | None, as_of: pd.Timestamp
) -> list[RateResult]:
    signed = reached(projects, "签约", as_of)
    started = reached(projects, "开工", as_of)
    n_signed, n_started = int(signed.sum()), int(started.sum())
    n_completed = int(reached(projects, "竣工", as_of).sum())
    n_producing = int(reached(projects, "投产", as_of).sum())
    n_due = n_started + int(overdue_start(projects, as_of).sum())
    permits = projects[projects["permits_required"].notna() & projects["permits_done"].notna()]
    done = int(permits["permits_done"].sum())
    required = int(permits["permits_required"].sum())
    values: dict[str, tuple[Decimal | int | None, Decimal | int]] = {
        "landing": (n_started, n_signed),
        "start": (n_started, n_due),
        "completion": (n_completed, n_started),
        "production": (n_producing, n_started),
        "permits": (done, required),
    }
    invested = wan(projects.loc[signed, "total_investment"])
    if capital is None:
        values["funding"] = (None, invested)
    else:
        values["funding"] = (fen_wan(capital[signed.to_numpy()].sum()), invested)
    out = []
    for rate in RATES:
        top, bottom = values[rate.key]
        value = None if top is None else ratio(top, bottom)
        if rate.key == "funding":
            money = {"numerator_yi": wan_yi(top), "denominator_yi": wan_yi(bottom)}  # type: ignore[arg-type]
            out.append(RateResult(rate.key, rate.name, rate.definition, None, None, value, **money))
        else:
            count = (None if top is None else int(top), int(bottom))
            out.append(RateResult(rate.key, rate.name, rate.definition, *count, value))
    return out


def _figures(rows: pd.DataFrame, capital: pd.Series | None, as_of: pd.Timestamp) -> dict[str, Any]:
    """Count, 总投资, signed count and 到位资金 (含未纳统) of a group of projects, in 亿元."""
    money = None if capital is None else wan_yi(fen_wan(capital.loc[rows.index].sum()))
    return {
        "count": len(rows),
        "investment_yi": wan_yi(wan(rows["total_investment"])),
        "signed": int(reached(rows, "签约", as_of).sum()),
        "capital_yi": money,
    }


def _by_region(
    projects: pd.DataFrame, capital: pd.Series | None, plan: Plan, as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    order = list(plan.key_regions) + [r for r in plan.region_group if r not in plan.key_regions]
    out = []
    for region in order:
        rows = projects[projects["source_region"] == region]
        item = {
            "region": region,
            "group": plan.region_group[region],
            "key_region": region in plan.key_regions,
            **_figures(rows, capital, as_of),
            "countries": [],
        }
        if plan.region_group[region] == "境外":
            country = rows["source_country"].fillna(NO_COUNTRY)
            for name, group in rows.groupby(country, sort=True):
                item["countries"].append({"country": str(name), **_figures(group, capital, as_of)})
        out.append(item)
    return out


def _by_tag(
    projects: pd.DataFrame, capital: pd.Series | None, plan: Plan, as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    tags = split_tags(projects["investor_tags"])
    out = []
    for tag in plan.tags:
        rows = projects[tags.map(lambda t, tag=tag: tag in t).astype(bool)]
        out.append({"tag": tag, **_figures(rows, capital, as_of)})
    untagged = projects[tags.map(len) == 0]
    out.append({"tag": NO_TAG, **_figures(untagged, capital, as_of)})
    return out


def _by_industry(
    projects: pd.DataFrame, capital: pd.Series | None, plan: Plan, as_of: pd.Timestamp
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    industries = []
    for industry in plan.industries:
        rows = projects[projects["industry"] == industry]
        industries.append(
            {
                "industry": industry,
                "cluster": plan.industry_cluster.get(industry),
                **_figures(rows, capital, as_of),
            }
        )
    cluster = projects["industry"].map(plan.industry_cluster)
    clusters = []
    for c in plan.clusters:
        rows = projects[(cluster == c.name).fillna(False).astype(bool)]
        clusters.append(
            {
                "cluster": c.name,
                "industries": list(c.industries or [c.name]),
                **_figures(rows, capital, as_of),
            }
        )
    rows = projects[cluster.isna()]
    clusters.append({"cluster": NO_CLUSTER, "industries": [], **_figures(rows, capital, as_of)})
    return industries, clusters


def capital_by_project(checked: Checked) -> pd.Series | None:
    """All accepted 到位资金 up to as-of (纳统 and 未纳统) per 项目编号, in whole 分; None
    without the ledger."""
    arrivals = arrivals_table(checked)
    return None if arrivals is None else fen_by_project(arrivals)


def compute(checked: Checked, filters: Filters | None = None) -> ProjectsResult:
    """Funnel, rates and breakdowns of the (filtered) project library at the as-of date.

    Rates (definitions also in RATES and `projects --help`):
      签约项目落地成功率 = 已开工 ÷ 已签约;
      开工率 = 已开工 ÷ (已开工 + 计划开工日期已过仍未开工的已签约项目);
      竣工率 = 已竣工 ÷ 已开工;  投产率 = 已投产 ÷ 已开工;
      到位率 = 已签约项目的全部到位资金（纳统与未纳统）÷ 已签约项目的总投资;
      手续办结率 = Σ已办手续数 ÷ Σ应办手续数, over projects with both filled.
    A project has reached a stage when it has that stage's date; a 终止 project counts as having
    reached the stages its dates show.
    """
    filters = filters or Filters()
    plan = checked.plan
    projects = filters.apply(require_projects(checked), plan)
    as_of = checked.as_of
    capital = capital_by_project(checked)
    projects_capital = None if capital is None else capital.reindex(projects.index, fill_value=0)
    funnel = []
    for stage in STAGES:
        rows = projects[projects["stage"] == stage]
        funnel.append(
            {
                "stage": stage,
                "count": len(rows),
                "investment_yi": wan_yi(wan(rows["total_investment"])),
                "reached": int(reached(projects, stage, as_of).sum())
                if stage in STAGE_DATE
                else None,
            }
        )
    notes = [REACHED_NOTE]
    if capital is None:
        notes.append(f"{absent(checked, 'arrivals')}：到位率与各分组到位资金为无数据")
    if filters.label:
        notes.append(f"筛选：{filters.label}")
    industries, clusters = _by_industry(projects, projects_capital, plan, as_of)
    return ProjectsResult(
        as_of=as_of.date().isoformat(),
        filters=filters,
        projects=len(projects),
        investment_yi=wan_yi(wan(projects["total_investment"])),
        funnel=funnel,
        rates=_rates(projects, projects_capital, as_of),
        by_region=_by_region(projects, projects_capital, plan, as_of),
        by_tag=_by_tag(projects, projects_capital, plan, as_of),
        by_industry=industries,
        by_cluster=clusters,
        notes=notes,
    )
