"""The ledger contract (spec/ledgers.md) as data: ledgers, stems, columns, aliases, kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "text",
    "money",
    "usd",
    "area",
    "int",
    "number",
    "date",
    "month",
    "year",
    "bool",
    "share",
    "tags",
]

# Money columns are normalised to 万元, US-dollar columns to 万美元.
MONEY_UNITS = {"元": 0.0001, "万元": 1.0, "亿元": 10000.0}
USD_UNITS = {"美元": 0.0001, "万美元": 1.0, "亿美元": 10000.0}
AREA_UNITS = {"亩": 1.0}
UNITS_BY_KIND: dict[str, dict[str, float]] = {
    "money": MONEY_UNITS,
    "usd": USD_UNITS,
    "area": AREA_UNITS,
}
DEFAULT_UNIT = {"money": "万元", "usd": "万美元", "area": "亩"}


@dataclass(frozen=True)
class Column:
    key: str  # English alias, used as the frame column and in JSON
    header: str  # canonical Chinese header without its unit
    kind: Kind = "text"
    required: bool = False

    @property
    def display(self) -> str:
        unit = DEFAULT_UNIT.get(self.kind)
        return f"{self.header}（{unit}）" if unit else self.header


@dataclass(frozen=True)
class Form:
    """A layout of a ledger: the columns that mark it and the ones it requires."""

    name: str
    markers: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Ledger:
    key: str
    stem_zh: str
    columns: tuple[Column, ...]
    forms: tuple[Form, ...] = field(default_factory=tuple)
    optional: bool = False

    @property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @property
    def default_form(self) -> Form:
        return Form("default", required=tuple(c.key for c in self.columns if c.required))

    def form_for(self, present: set[str]) -> Form:
        """The layout a header with these columns is in."""
        for form in self.forms:
            if not form.markers or any(m in present for m in form.markers):
                return form
        return self.default_form

    def form_named(self, name: str) -> Form:
        return next((f for f in self.forms if f.name == name), self.default_form)


PROJECTS = Ledger(
    "projects",
    "项目台账",
    (
        Column("project_id", "项目编号", required=True),
        Column("name", "项目名称", required=True),
        Column("district", "所属区", required=True),
        Column("park", "所在园区"),
        Column("industry", "产业类别", required=True),
        Column("investor", "投资方", required=True),
        Column("investor_tags", "企业标签", "tags"),
        Column("source_region", "来源地区", required=True),
        Column("source_country", "来源国别"),
        Column("total_investment", "总投资", "money", required=True),
        Column("stage", "项目阶段", required=True),
        Column("signed_on", "签约日期", "date"),
        Column("planned_start", "计划开工日期", "date"),
        Column("started_on", "开工日期", "date"),
        Column("completed_on", "竣工日期", "date"),
        Column("producing_on", "投产日期", "date"),
        Column("land_mu", "用地面积", "area"),
        Column("leader", "包联领导"),
        Column("task_force", "工作专班"),
        Column("work_plan", "推进方案"),
        Column("permits_required", "应办手续数", "int"),
        Column("permits_done", "已办手续数", "int"),
        Column("enclave", "飞地类型"),
        Column("enclave_from", "飞出地"),
        Column("enclave_to", "飞入地"),
        Column("enclave_share", "飞出地分成比例", "share"),
        Column("counted", "是否纳统", "bool"),
        Column("note", "备注"),
    ),
)

ARRIVALS = Ledger(
    "arrivals",
    "到位资金台账",
    (
        Column("project_id", "项目编号", required=True),
        Column("date", "到位日期", "date"),
        Column("month", "到位月份", "month"),
        Column("amount", "到位金额", "money"),
        Column("fdi_usd", "外资金额", "usd"),
        Column("report_month", "报告月份", "month"),
        Column("month_amount", "本月到位资金", "money"),
        Column("year_to_date", "本年累计到位资金", "money"),
        Column("month_fdi_usd", "本月外资金额", "usd"),
        Column("note", "备注"),
    ),
    forms=(
        Form(
            "monthly",
            markers=("report_month", "month_amount", "year_to_date"),
            required=("project_id", "report_month", "month_amount"),
        ),
        Form("log", required=("project_id", "amount"), one_of=(("date", "month"),)),
    ),
)

PARKS = Ledger(
    "parks",
    "园区台账",
    (
        Column("park", "园区", required=True),
        Column("year", "年度", "year", required=True),
        Column("land_mu", "用地面积", "area", required=True),
        Column("fixed_investment", "固定资产投资", "money", required=True),
        Column("output", "工业总产值", "money", required=True),
        Column("tax", "税收收入", "money", required=True),
    ),
)

OUTPUT = Ledger(
    "output",
    "产值台账",
    (
        Column("year", "年度", "year", required=True),
        Column("month", "月份", "int"),
        Column("scope", "统计范围", required=True),
        Column("output", "工业总产值", "money", required=True),
    ),
)

ACTIVITIES = Ledger(
    "activities",
    "招商活动台账",
    (
        Column("date", "日期", "date", required=True),
        Column("kind", "活动类型", required=True),
        Column("district", "所属区", required=True),
        Column("leader", "带队领导"),
        Column("top_leader", "是否主要领导", "bool"),
        Column("destination", "目的地"),
        Column("firms_met", "对接企业数", "int"),
        Column("projects_signed", "签约项目数", "int"),
        Column("signed_amount", "签约金额", "money"),
    ),
    optional=True,
)

LEDGERS: dict[str, Ledger] = {lg.key: lg for lg in (PROJECTS, ARRIVALS, PARKS, OUTPUT, ACTIVITIES)}

# File stem or sheet name -> ledger key; Chinese and English stems both work.
STEMS: dict[str, str] = {
    **{lg.stem_zh: lg.key for lg in LEDGERS.values()},
    **{lg.key: lg.key for lg in LEDGERS.values()},
}

# Fixed vocabularies of the spec (plan-dependent ones come from the plan file).
STAGES = ("储备", "在谈", "签约", "开工", "竣工", "投产", "终止")
STAGE_RANK = {s: i for i, s in enumerate(STAGES[:-1])}
ENCLAVE_TYPES = ("飞出", "飞入")
ACTIVITY_KINDS = ("带队招商", "推介会", "行业大会", "经贸洽谈", "展会")
SKIP_COLUMNS = ("序号",)
# A header may mark a required column with an asterisk (*项目编号, 项目编号*): it is not part of
# the column's name.
REQUIRED_MARKS = "*＊"
# 所属区 of an activity may be a city department instead of a district (spec): the template
# offers this value beside the plan's districts; dispatch counts it for 全市 only.
CITY_DEPARTMENT = "市直部门"
# 来源国别: the spec's examples, offered in the template's dropdown (other values are allowed).
COUNTRIES = ("俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡")
# What a clerk needs to know about a column beyond its kind, required flag and vocabulary (the
# template's 填写说明 and input prompts; conditions the checks enforce are derived from them).
COLUMN_NOTES: dict[tuple[str, str], str] = {
    ("projects", "source_country"): "来源地区为境外时必填",
    ("projects", "work_plan"): "填“是”“否”或方案名称",
    ("projects", "enclave_from"): "区名，或市外地名（如集宁先进制造业集中区）",
    ("projects", "enclave_to"): "区名，或市外地名（如集宁先进制造业集中区）",
    ("projects", "enclave_share"): "飞出地所占的比例，如 60%",
    ("projects", "counted"): "填“否”表示不纳入统计（财政性资金、房地产等）；默认为是",
    ("arrivals", "project_id"): "须为项目台账中的项目编号",
    ("arrivals", "amount"): "人民币金额",
    ("arrivals", "fdi_usd"): "境外项目必填：同一笔到位的美元金额",
    ("parks", "land_mu"): "在用工业用地",
    ("parks", "fixed_investment"): "累计数",
    ("output", "month"): "1—12，表示 1 月至该月累计；留空表示全年",
    ("activities", "district"): f"区名，或组织活动的市直部门（可填“{CITY_DEPARTMENT}”）",
    ("activities", "leader"): "活动类型为带队招商时必填",
}
