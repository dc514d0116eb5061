"""Pydantic model of a plan file, its loader, and one-line Chinese errors with the file's line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from wuhai_zs.errors import PlanError, os_reason
from wuhai_zs.plan import units
from wuhai_zs.plan.locate import describe, key_lines, line_of
from wuhai_zs.plan.units import plan_error

# What a target measures, and the kind of target it is. The kind decides how it is judged
# (docs/targets.md): cumulative (a flow summed over the period, linear 序时), growth (年均
# growth over complete years, each year's 同比 beside it), level (a value to reach in a target
# year, on a path from the base year), ratio (a level that is a ratio of sums over the parks
# that all reported the same year).
TargetKind = Literal["cumulative", "growth", "level", "ratio"]
Measure = Literal[
    "capital",
    "fdi",
    "advanced_capital",
    "output",
    "fixed_investment_per_mu",
    "output_per_mu",
    "tax_per_mu",
]
MEASURES_BY_KIND: dict[str, tuple[str, ...]] = {
    "cumulative": ("capital", "fdi", "advanced_capital"),
    "growth": ("capital", "fdi", "advanced_capital"),
    "level": ("output",),
    "ratio": ("fixed_investment_per_mu", "output_per_mu", "tax_per_mu"),
}
KIND_ZH = {
    "cumulative": "累计",
    "growth": "年均增长",
    "level": "目标年水平",
    "ratio": "亩均（比值）",
}
# The spec's four groups of 来源地区 (docs/ledgers.md): every plan names them, and only them.
REGION_GROUPS = ("区外", "区内", "市内", "境外")
CITY_SCOPE = "全市"
# A city-wide amount below this (万元) is a unit slip: "800" meant 800 亿元, not 800 万元.
CITY_MINIMUM_WAN = 10_000
PER_MU_RANGE = (0.1, 10_000.0)

Money = Annotated[float, BeforeValidator(units.money)]
Rate = Annotated[float, BeforeValidator(units.rate)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Counting(_Model):
    min_project_investment: Money = Field(ge=0)
    counted_groups: list[str]
    honour_counted_flag: bool = True
    # 来源国别 that make a project 境外 whatever its 来源地区 says (香港, 澳门, 台湾).
    foreign_countries: list[str] = Field(default_factory=list)


class Cluster(_Model):
    name: str
    size: Money = Field(gt=0, description="规模等级，万元")
    industries: list[str] = Field(default_factory=list)

    @field_validator("size")
    @classmethod
    def _city_sized(cls, value: float) -> float:
        if value < CITY_MINIMUM_WAN:
            raise plan_error(
                f"集群规模 {units.yi(value)} 不到 1 亿元：请写成“1000亿元”，或写万元数（10000000）"
            )
        return value

    @property
    def size_yi(self) -> float:
        return self.size / 10_000


class Target(_Model):
    id: str
    name: str
    kind: TargetKind
    measure: Measure
    scope: str = CITY_SCOPE
    target: float | str
    year: int | None = None
    base: float | str | None = None
    base_source: str | None = None
    strict: bool = False
    not_below: str | None = None

    @field_validator("measure")
    @classmethod
    def _measure_fits_kind(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind is not None and value not in MEASURES_BY_KIND[kind]:
            allowed = "、".join(MEASURES_BY_KIND[kind])
            raise plan_error(f"kind = {kind} 的目标不能用 measure = {value}（可用：{allowed}）")
        return value

    @field_validator("target", mode="before")
    @classmethod
    def _target_in_units(cls, value: Any, info: ValidationInfo) -> float:
        kind, measure = info.data.get("kind"), info.data.get("measure")
        if kind is None or measure is None:
            return value if isinstance(value, int | float) else 0.0
        return _quantity(kind, measure, value)

    @field_validator("base", mode="before")
    @classmethod
    def _base_in_units(cls, value: Any, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        kind, measure = info.data.get("kind"), info.data.get("measure")
        if kind != "growth":
            raise plan_error("只有 kind = growth 的目标有基数（base）")
        if measure == "fdi":
            return units.usd(value)
        amount = units.money(value)
        if amount < CITY_MINIMUM_WAN:
            raise plan_error(f"基数 {units.yi(amount)} 不到 1 亿元：请写成“184.8亿元”")
        return amount

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.strict and self.kind != "growth":
            raise plan_error("strict 只用于增速目标", "strict")
        if self.not_below is not None and self.kind != "growth":
            raise plan_error("not_below 只用于增速目标", "not_below")
        if self.base_source is not None and self.base is None:
            raise plan_error("写了 base_source 却没有 base", "base_source")
        return self

    @property
    def value(self) -> float:
        assert isinstance(self.target, float)
        return self.target


def _quantity(kind: str, measure: str, value: Any) -> float:
    """A target value in the plan's units for its kind and measure, with sanity bounds."""
    if kind == "growth":
        return units.rate(value)
    if kind == "ratio":
        amount = units.per_mu(value)
        low, high = PER_MU_RANGE
        if not low <= amount <= high:
            raise plan_error(
                f"亩均目标 {amount:,g} 万元/亩 超出常理（{low:g}—{high:,g}）：是否把元写成了万元？"
            )
        return amount
    if measure == "fdi":
        return units.usd(value)
    amount = units.money(value)
    if amount < CITY_MINIMUM_WAN:
        raise plan_error(
            f"目标 {units.yi(amount)} 不到 1 亿元，不像全市目标：请写成“800亿元”，"
            "或写万元数（8000000）"
        )
    return amount


class MajorProject(_Model):
    threshold: Money = Field(gt=0)


class Warnings(_Model):
    not_started_red_months: int = Field(ge=0)
    no_money_months: int = Field(ge=0)
    construction_months: int = Field(ge=0)
    production_months: int = Field(ge=0)
    min_permit_rate: Rate = Field(ge=0, le=1)


class UnitTargets(_Model):
    capital: Money = Field(ge=0)
    signed: int = Field(ge=0)
    started: int = Field(ge=0)
    producing: int = Field(ge=0)


WeightKey = Literal["capital", "signed", "started", "producing"]


class Assessment(_Model):
    illustrative: bool = False
    cap: float = Field(default=1.2, gt=0)
    weights: dict[WeightKey, float]
    units: dict[str, UnitTargets]

    @field_validator("weights")
    @classmethod
    def _sum_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        total = sum(value.values())
        if abs(total - 1) > 1e-6:
            raise plan_error(f"各项权重之和为 {total:g}，应为 1")
        return value


class Task(_Model):
    """One of the plan's key tasks (重点任务) and the units that lead or share it."""

    number: int = Field(ge=1)
    group: str
    title: str
    summary: str
    lead: list[str]
    responsible: list[str]

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Plan(_Model):
    name: str
    # 填报单位 of the reports (monthly workbook, page headers, document properties); optional.
    office: str | None = None
    start: dt.date
    end: dt.date
    base_year: int
    key_regions: list[str]
    districts: list[str]
    parks: list[str]
    industries: list[str]
    advanced_industries: list[str]
    industry_notes: dict[str, str] = Field(default_factory=dict)
    tags: list[str]
    # 来源国别 the template offers (any other may be written).
    countries: list[str] = Field(default_factory=list)
    counting: Counting
    regions: dict[str, list[str]]
    clusters: list[Cluster]
    targets: list[Target]
    major_project: MajorProject
    warnings: Warnings
    assessment: Assessment
    # Which parks' 亩均投资 stands for which district (dispatch); a district not named has none.
    district_parks: dict[str, list[str]] = Field(default_factory=dict)
    # The plan's key tasks, and other names by which people call the units they name.
    tasks: list[Task] = Field(default_factory=list)
    unit_aliases: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        if self.end <= self.start:
            raise plan_error("end 必须晚于 start", "end")
        if self.base_year >= self.start.year:
            raise plan_error("base_year 必须早于计划期起始年份", "base_year")
        if sorted(self.regions) != sorted(REGION_GROUPS):
            raise plan_error(
                f"分组应为 {'、'.join(REGION_GROUPS)}（台账格式约定的四个分组），"
                f"现为 {'、'.join(self.regions) or '空'}",
                "regions",
            )
        unknown = [g for g in self.counting.counted_groups if g not in self.regions]
        if unknown:
            raise plan_error(
                f"含未定义的分组：{'、'.join(unknown)}", ("counting", "counted_groups")
            )
        listed = set(self.industries)
        for where, names in (
            ("advanced_industries", self.advanced_industries),
            ("industry_notes", list(self.industry_notes)),
            ("clusters", [i for c in self.clusters for i in c.industries]),
        ):
            missing = [n for n in names if n not in listed]
            if missing:
                raise plan_error(f"产业“{missing[0]}”不在 industries 中", where)
        seen: dict[str, str] = {}
        for c in self.clusters:
            for name in c.industries or [c.name]:
                if name in seen:
                    raise plan_error(f"产业“{name}”同时属于集群{seen[name]}和{c.name}", "clusters")
                seen[name] = c.name
        ids = [t.id for t in self.targets]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        if duplicate is not None:
            raise plan_error(
                f"id“{duplicate}”重复",
                ("targets", ids.index(duplicate, ids.index(duplicate) + 1), "id"),
            )
        for district, names in self.district_parks.items():
            if district not in self.districts:
                raise plan_error(
                    f"“{district}”不在 districts 中（可用：{'、'.join(self.districts)}）",
                    ("district_parks", district),
                )
            unknown_parks = [p for p in names if p not in self.parks]
            if unknown_parks:
                raise plan_error(
                    f"园区“{unknown_parks[0]}”不在 parks 中（可用：{'、'.join(self.parks)}）",
                    ("district_parks", district),
                )
        numbers = [t.number for t in self.tasks]
        for i, number in enumerate(numbers):
            if numbers.index(number) != i:
                raise plan_error(f"任务序号 {number} 重复", ("tasks", i, "number"))
        growth = [t.id for t in self.targets if t.kind == "growth"]
        scopes = set(self.scopes)
        for i, t in enumerate(self.targets):
            if t.not_below is not None and t.not_below not in growth:
                raise plan_error(
                    f"not_below = {t.not_below} 不是某个增速目标的 id（可用：{'、'.join(growth)}）",
                    ("targets", i, "not_below"),
                )
            if t.year is not None and not self.start.year <= t.year <= self.end.year:
                raise plan_error(
                    f"year = {t.year} 不在计划期 {self.start.year}—{self.end.year} 内",
                    ("targets", i, "year"),
                )
            if t.kind == "level" and t.scope not in scopes:
                raise plan_error(
                    f"scope“{t.scope}”应为全市或某个产业集群（{'、'.join(sorted(scopes))}）",
                    ("targets", i, "scope"),
                )
        return self

    @property
    def period_label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def source_regions(self) -> tuple[str, ...]:
        """Every 来源地区 of the plan's groups."""
        return tuple(self.region_group)

    @property
    def scopes(self) -> tuple[str, ...]:
        """统计范围 of the 产值台账: 全市, then each cluster."""
        return (CITY_SCOPE, *(c.name for c in self.clusters))

    @cached_property
    def region_group(self) -> dict[str, str]:
        """来源地区 -> its group (区外, 区内, 市内, 境外)."""
        return {region: group for group, regions in self.regions.items() for region in regions}

    @cached_property
    def industry_cluster(self) -> dict[str, str]:
        return {i: c.name for c in self.clusters for i in (c.industries or [c.name])}

    @property
    def period_months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)


DEFAULT_PLAN_RESOURCE = "default.toml"


def default_plan_text() -> str:
    return resources.files("wuhai_zs.plan").joinpath(DEFAULT_PLAN_RESOURCE).read_text("utf-8")


# pydantic's error types in the words of the plan file's reader.
ERROR_ZH: dict[str, str] = {
    "missing": "缺少必填的键",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本（用引号括起来）",
    "list_type": "应为列表（[…]）",
    "dict_type": "应为表（[…] 或 {…}）",
    "model_type": "应为表（[…] 或 {…}）",
}
LIMITS_ZH = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
}


def _allowed_keys(path: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts in the table that holds `path`'s last key."""
    model: Any = Plan
    keyed = False  # the next part is a key of a dict of tables, not a field
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if keyed:
            keyed = False
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        inner = getattr(annotation, "__args__", ())
        found = next(
            (c for c in (annotation, *inner) if isinstance(c, type) and issubclass(c, BaseModel)),
            None,
        )
        if found is None:
            return []
        keyed = getattr(annotation, "__origin__", None) is dict
        model = found
    return list(model.model_fields)


def _problem(error: Any, path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    key = path[-1] if path else ""
    if kind == "plan":
        return str(error["ctx"]["msg"])
    if kind == "extra_forbidden":
        allowed = _allowed_keys(path)
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"，是否应为“{close[0]}”" if close else ""
        listed = f"（可用的键：{'、'.join(allowed)}）" if allowed else ""
        return f"不认识的键“{key}”{hint}{listed}"
    if kind == "missing":
        return f"缺少必填的键“{key}”"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        expected = "、".join(re.findall(r"'([^']*)'", expected)) or expected
        return f"取值“{error.get('input')}”无效，应为：{expected}"
    if kind in LIMITS_ZH:
        return LIMITS_ZH[kind].format(**error.get("ctx", {})) + f"，当前为 {error.get('input')}"
    value = error.get("input")
    shown = "" if isinstance(value, dict | list) else f"，当前为“{value}”"
    if kind.startswith("date"):
        return "应为日期（如 2023-01-01，不加引号）" + shown
    return ERROR_ZH.get(kind, "取值无效") + shown


def describe_error(exc: ValidationError, text: str, data: Any, origin: str) -> str:
    """The first error of a plan file as one Chinese line: file, line, key, what is wrong."""
    lines = key_lines(text)
    found = []
    for error in exc.errors():
        path = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("[")))
        field = error.get("ctx", {}).get("field") if error["type"] == "plan" else None
        if field is not None:
            path = (*path, *((field,) if isinstance(field, str) else field))
        line = line_of(lines, path)
        found.append((error["type"] != "extra_forbidden", line or 0, path, error))
    # A misspelt key is also a missing one: the unknown key is the more useful message.
    _, line, path, error = min(found, key=lambda e: (e[0], e[1]))
    # An unknown or missing key is a problem of its table; any other, of the key itself.
    whole_table = error["type"] in ("missing", "extra_forbidden")
    subject = path[:-1] if whole_table else path
    where = describe(subject, data, table=whole_table) if subject else ""
    at = f" 第 {line} 行" if line else ""
    return f"{origin}{at}：" + (f"{where}：" if where else "") + _problem(error, path)


TOML_ERRORS_ZH = (
    ("Invalid value", '值无效（文本要加引号，如 "800亿元"）'),
    ("Expected '=' after a key", "键后面缺少 ="),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Unclosed", "括号或引号没有闭合"),
    ("Illegal character", "含有不允许的字符，或引号没有闭合"),
    ("Invalid statement", "无法识别这一行"),
    ("Invalid initial character", "键名以不允许的字符开头"),
)


def _toml_error(exc: tomllib.TOMLDecodeError, origin: str) -> str:
    message = str(exc)
    where = re.search(r"line (\d+), column (\d+)", message)
    at = f" 第 {where.group(1)} 行第 {where.group(2)} 列" if where else ""
    reason = next((zh for en, zh in TOML_ERRORS_ZH if en in message), "语法错误")
    return f"{origin}{at}：计划文件不是有效的 TOML（{reason}）"


def parse_plan(text: str, origin: str) -> Plan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(_toml_error(exc, origin)) from exc
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(describe_error(exc, text, data, origin)) from exc


def load_plan(path: Path | None = None) -> Plan:
    if path is None:
        return parse_plan(default_plan_text(), "内置计划")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError as exc:
        raise PlanError(f"{path}: 计划文件不存在") from exc
    except IsADirectoryError as exc:
        raise PlanError(f"{path}: 是一个文件夹，不是计划文件") from exc
    except UnicodeDecodeError as exc:
        raise PlanError(f"{path}: 计划文件不是 UTF-8 编码的文本，请另存为 UTF-8") from exc
    except OSError as exc:
        raise PlanError(f"{path}: 无法读取计划文件（{os_reason(exc)}）") from exc
    return parse_plan(text, str(path))
