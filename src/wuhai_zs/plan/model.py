"""Pydantic model of a plan file and its loader."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from wuhai_zs.errors import PlanError, os_reason

TargetKind = Literal[
    "capital_cumulative",
    "capital_growth",
    "fdi_growth",
    "advanced_growth",
    "industrial_output",
    "park_per_mu",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Base(_Model):
    capital: float | None = Field(default=None, ge=0)
    fdi_usd: float | None = Field(default=None, ge=0)


class Counting(_Model):
    min_project_investment: float = Field(ge=0)
    counted_groups: list[str]
    honour_counted_flag: bool = True


class Cluster(_Model):
    name: str
    size: float = Field(gt=0, description="规模等级，亿元")
    industries: list[str] = Field(default_factory=list)


class Target(_Model):
    id: str
    name: str
    kind: TargetKind
    target: float | None = Field(default=None, ge=0)
    year: int | None = None
    measure: Literal["fixed_investment", "output", "tax"] | None = None

    @model_validator(mode="after")
    def _needs(self) -> Target:
        if self.kind != "advanced_growth" and self.target is None:
            raise ValueError(f"目标 {self.id} 缺少 target")
        if self.kind == "park_per_mu" and self.measure is None:
            raise ValueError(f"目标 {self.id} 缺少 measure（fixed_investment/output/tax）")
        return self


class MajorProject(_Model):
    threshold: float = Field(gt=0)


class Warnings(_Model):
    not_started_red_months: int = Field(ge=0)
    no_money_months: int = Field(ge=0)
    construction_months: int = Field(ge=0)
    production_months: int = Field(ge=0)
    min_permit_rate: float = Field(ge=0, le=1)


class UnitTargets(_Model):
    capital: float = Field(ge=0)
    signed: int = Field(ge=0)
    started: int = Field(ge=0)
    producing: int = Field(ge=0)


class Assessment(_Model):
    illustrative: bool = False
    cap: float = Field(default=1.2, gt=0)
    weights: dict[Literal["capital", "signed", "started", "producing"], float]
    units: dict[str, UnitTargets]


class Plan(_Model):
    name: str
    start: dt.date
    end: dt.date
    base_year: int
    key_regions: list[str]
    districts: list[str]
    parks: list[str]
    industries: list[str]
    advanced_industries: list[str]
    tags: list[str]
    base: Base
    counting: Counting
    regions: dict[str, list[str]]
    clusters: list[Cluster]
    targets: list[Target]
    major_project: MajorProject
    warnings: Warnings
    assessment: Assessment

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        if self.end <= self.start:
            raise ValueError("end 必须晚于 start")
        if self.base_year >= self.start.year:
            raise ValueError("base_year 必须早于计划期起始年份")
        unknown = [g for g in self.counting.counted_groups if g not in self.regions]
        if unknown:
            raise ValueError(f"counting.counted_groups 含未定义的分组：{'、'.join(unknown)}")
        for name in self.advanced_industries + [i for c in self.clusters for i in c.industries]:
            if name not in self.industries:
                raise ValueError(f"产业“{name}”不在 industries 中")
        ids = [t.id for t in self.targets]
        if len(ids) != len(set(ids)):
            raise ValueError("targets 的 id 有重复")
        return self

    @property
    def period_label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @cached_property
    def region_group(self) -> dict[str, str]:
        """来源地区 -> its group (区外, 区内, 市内, 境外)."""
        return {region: group for group, regions in self.regions.items() for region in regions}

    @cached_property
    def counted_regions(self) -> frozenset[str]:
        groups = set(self.counting.counted_groups)
        return frozenset(r for r, g in self.region_group.items() if g in groups)

    @cached_property
    def industry_cluster(self) -> dict[str, str]:
        return {i: c.name for c in self.clusters for i in (c.industries or [c.name])}

    @property
    def period_months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


DEFAULT_PLAN_RESOURCE = "default.toml"


def default_plan_text() -> str:
    return resources.files("wuhai_zs.plan").joinpath(DEFAULT_PLAN_RESOURCE).read_text("utf-8")


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(整体)"
    return f"{where}: {first['msg']}"


def parse_plan(text: str, origin: str) -> Plan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{origin}: 计划文件不是有效的 TOML（{exc}）") from exc
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(f"{origin}: 计划文件有误，{_describe(exc)}") from exc


def load_plan(path: Path | None = None) -> Plan:
    if path is None:
        return parse_plan(default_plan_text(), "内置计划")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise PlanError(f"{path}: 计划文件不存在") from exc
    except IsADirectoryError as exc:
        raise PlanError(f"{path}: 是一个文件夹，不是计划文件") from exc
    except OSError as exc:
        raise PlanError(f"{path}: 无法读取计划文件（{os_reason(exc)}）") from exc
    except UnicodeDecodeError as exc:
        raise PlanError(f"{path}: 计划文件不是 UTF-8 编码，请用 UTF-8 另存后重试") from exc
    return parse_plan(text, str(path))
