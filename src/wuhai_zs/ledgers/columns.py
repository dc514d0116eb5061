"""The ledger contract (spec/ledgers.md) as data: ledgers, columns, aliases, kinds, rules, values."""

# Every fact of the contract is declared here once: a column, its English alias (its key), its
# kind, whether and when it is required, its values, its sign and bounds, which stage it dates.
# The checks (rules/checks.py), the template (render/excel/template.py) and docs/ledgers.md
# (scripts/gen_docs.py) are derived from these declarations; vocabularies that belong to a plan
# are named here by the plan's attribute and read from the plan file.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from wuhai_zs.plan.model import Plan

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
Sign = Literal["positive", "non-negative"]

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
# Years (and the years of dates) a ledger may hold: further out is a typing mistake.
FIRST_YEAR, LAST_YEAR = 1990, 2100

# Fixed vocabularies of the spec (a plan's vocabularies are named by `Values.plan`).
STAGES = ("储备", "在谈", "签约", "开工", "竣工", "投产", "终止")
TERMINATED = STAGES[-1]
STAGE_RANK = {s: i for i, s in enumerate(STAGES[:-1])}  # 终止 may follow any stage: no rank
ENCLAVE_TYPES = ("飞出", "飞入")
ACTIVITY_KINDS = ("带队招商", "推介会", "行业大会", "经贸洽谈", "展会")
YES_NO = ("是", "否")
# 推进方案 holds 是/否 or the plan's name; these mean there is none (the "五个一" lacks it).
NO_PLAN = ("否", "无", "n", "no", "false", "0", "×")
# 所属区 of an activity may be a city department instead of a district (spec): offered beside
# the plan's districts; dispatch counts it for 全市 only.
CITY_DEPARTMENT = "市直部门"
SKIP_COLUMNS = ("序号",)
# A header may mark a required column with an asterisk (*项目编号, 项目编号*): it is not part of
# the column's name.
REQUIRED_MARKS = "*＊"


# ---------------------------------------------------------------- when a column is required
# The spec's "yes*": a column required in a situation, and the finding when it is empty there.
# `label` is the situation in a few words (docs/ledgers.md: 是*（签约及以后）); `note` is what
# the template tells the clerk.


@dataclass(frozen=True)
class FromStage:
    """A date that records a stage: required once 项目阶段 has reached that stage (终止 aside)."""

    stage: str
    code: ClassVar[str] = "stage-date-missing"

    def label(self) -> str:
        return self.stage if self.stage == STAGES[-2] else f"{self.stage}及以后"

    def note(self, spec: Ledger, plan: Plan) -> str:
        return f"{spec.by_key['stage'].header}为{self.label()}时必填"


@dataclass(frozen=True)
class WhenValue:
    """Required when another column of the row holds a value (来源国别 when 来源地区 is 境外)."""

    column: str
    value: str
    code: str

    def label(self) -> str:
        return self.value

    def note(self, spec: Ledger, plan: Plan) -> str:
        return f"{spec.by_key[self.column].header}为{self.value}时必填"


@dataclass(frozen=True)
class WhenFilled:
    """Required when another column of the row is filled (the 飞地 fields when 飞地类型 is)."""

    column: str
    rows: str  # the rows it concerns, in words: 飞地项目
    code: str

    def label(self) -> str:
        return self.rows

    def note(self, spec: Ledger, plan: Plan) -> str:
        return f"{self.rows}必填"


@dataclass(frozen=True)
class MajorProject:
    """The plan's "五个一": required of a live project whose 总投资 reaches the plan's threshold.

    A warning, not an error: the project is still counted.
    """

    code: ClassVar[str] = "five-ones"

    def label(self) -> str:
        return "重大项目，警告"

    def note(self, spec: Ledger, plan: Plan) -> str:
        threshold = plan.major_project.threshold / 10_000
        return f"重大项目（总投资 {threshold:,.0f} 亿元及以上）必填（“五个一”）"


@dataclass(frozen=True)
class ProjectValue:
    """Required when the row's project (in 项目台账) holds a value (外资金额 of a 境外 project),
    on rows whose `amount` column is above 0 (a month with nothing arrived needs no 外资金额)."""

    column: str
    value: str
    code: str
    amount: str

    def label(self) -> str:
        return f"{self.value}项目"

    def note(self, spec: Ledger, plan: Plan) -> str:
        return f"{self.value}项目必填"


Condition = FromStage | WhenValue | WhenFilled | MajorProject | ProjectValue


@dataclass(frozen=True)
class Values:
    """The values a column takes: fixed ones and/or a list of the plan's (an attribute of Plan).

    Strict values are the only ones allowed (others are `not-allowed` errors); otherwise they are
    what the template suggests, and anything else may be written.
    """

    fixed: tuple[str, ...] = ()
    plan: str | None = None
    strict: bool = True

    def resolve(self, plan: Plan) -> tuple[str, ...]:
        listed = tuple(getattr(plan, self.plan)) if self.plan else ()
        return (*listed, *self.fixed)


@dataclass(frozen=True)
class Bounds:
    """The range a number must lie in, and the finding when it does not."""

    low: float
    high: float
    code: str


@dataclass(frozen=True)
class Column:
    key: str  # English alias, used as the frame column and in JSON
    header: str  # canonical Chinese header without its unit
    kind: Kind = "text"
    required: bool = False
    when: Condition | None = None  # required in a situation (the spec's "yes*")
    values: Values | None = None
    sign: Sign | None = None  # positive: > 0 (not-positive); non-negative: ≥ 0 (negative)
    bounds: Bounds | None = None
    not_before: str | None = None  # a date not before this date column's (date-order)
    not_above: str | None = None  # a number not above this column's (permits-exceed)
    event: bool = False  # says something happened: never after today, and it dates the ledger
    month_of: str | None = None  # a month (1—12) within the year in this column
    unique: bool = False  # never twice in the ledger (duplicate-id)
    refers: str | None = None  # must exist in this ledger's column of the same key
    blank: tuple[str, ...] = ()  # values that count as empty where the column is required
    note: str = ""  # what a clerk must know beyond the rest (the template's 填写说明, the docs)

    @property
    def display(self) -> str:
        unit = DEFAULT_UNIT.get(self.kind)
        return f"{self.header}（{unit}）" if unit else self.header


@dataclass(frozen=True)
class Form:
    """A layout of a ledger: its columns, the columns that mark it, and either-or groups.

    `stands_for` maps columns of the default layout to this layout's columns that stand for
    them: each row of a monthly report is read as that month's arrival.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    markers: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()
    stands_for: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Ledger:
    key: str
    stem_zh: str
    columns: tuple[Column, ...]
    needs: str  # what it is needed for (a missing one leaves these without data)
    forms: tuple[Form, ...] = field(default_factory=tuple)
    optional: bool = False
    period: tuple[str, ...] = ()  # one row per these columns (duplicate-period)

    @property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @property
    def default_form(self) -> Form:
        return Form("default", self.stem_zh, tuple(c.key for c in self.columns))

    def form_for(self, present: set[str]) -> Form:
        """The layout a header with these columns is in."""
        for form in self.forms:
            if not form.markers or any(m in present for m in form.markers):
                return form
        return self.default_form

    def form_named(self, name: str) -> Form:
        return next((f for f in self.forms if f.name == name), self.default_form)

    def required(self, form: Form) -> tuple[str, ...]:
        """The columns a layout cannot do without (missing-column, required-cell)."""
        return tuple(k for k in form.columns if self.by_key[k].required)


MAJOR = MajorProject()
ENCLAVE = WhenFilled("enclave", "飞地项目", "enclave-incomplete")
PLACE = Values(plan="districts", strict=False)
PLACE_NOTE = "区名，或市外地名（如集宁先进制造业集中区）"
FOREIGN = "境外"

PROJECTS = Ledger(
    "projects",
    "项目台账",
    (
        Column("project_id", "项目编号", required=True, unique=True),
        Column("name", "项目名称", required=True),
        Column(
            "district",
            "所属区",
            required=True,
            values=Values(plan="districts"),
            note="引进项目的单位",
        ),
        Column("park", "所在园区", values=Values(plan="parks")),
        Column("industry", "产业类别", required=True, values=Values(plan="industries")),
        Column("investor", "投资方", required=True),
        Column("investor_tags", "企业标签", "tags", values=Values(plan="tags")),
        Column("source_region", "来源地区", required=True, values=Values(plan="source_regions")),
        Column(
            "source_country",
            "来源国别",
            when=WhenValue("source_region", FOREIGN, "foreign-country-missing"),
            values=Values(plan="countries", strict=False),
        ),
        Column("total_investment", "总投资", "money", required=True, sign="positive"),
        Column("stage", "项目阶段", required=True, values=Values(STAGES)),
        Column("signed_on", "签约日期", "date", when=FromStage("签约"), event=True),
        Column("planned_start", "计划开工日期", "date"),  # looks ahead: not an event
        Column(
            "started_on",
            "开工日期",
            "date",
            when=FromStage("开工"),
            not_before="signed_on",
            event=True,
        ),
        Column(
            "completed_on",
            "竣工日期",
            "date",
            when=FromStage("竣工"),
            not_before="started_on",
            event=True,
        ),
        Column(
            "producing_on",
            "投产日期",
            "date",
            when=FromStage("投产"),
            not_before="started_on",
            event=True,
        ),
        Column("land_mu", "用地面积", "area", sign="non-negative"),
        Column("leader", "包联领导", when=MAJOR),
        Column("task_force", "工作专班", when=MAJOR),
        Column(
            "work_plan",
            "推进方案",
            when=MAJOR,
            values=Values(YES_NO, strict=False),
            blank=NO_PLAN,
            note="填“是”“否”或方案名称",
        ),
        Column("permits_required", "应办手续数", "int", sign="non-negative"),
        Column(
            "permits_done",
            "已办手续数",
            "int",
            sign="non-negative",
            not_above="permits_required",
        ),
        Column("enclave", "飞地类型", values=Values(ENCLAVE_TYPES)),
        Column("enclave_from", "飞出地", when=ENCLAVE, values=PLACE, note=PLACE_NOTE),
        Column("enclave_to", "飞入地", when=ENCLAVE, values=PLACE, note=PLACE_NOTE),
        Column(
            "enclave_share",
            "飞出地分成比例",
            "share",
            when=ENCLAVE,
            bounds=Bounds(0, 1, "share-range"),
            note="飞出地所占的比例",
        ),
        Column(
            "counted",
            "是否纳统",
            "bool",
            note="填“否”表示不纳入统计（财政性资金、房地产等）；默认为是",
        ),
        Column("note", "备注"),
    ),
    needs="所有指标",
)

FDI_NOTE = "同一笔到位的美元金额"
ARRIVALS = Ledger(
    "arrivals",
    "到位资金台账",
    (
        Column(
            "project_id",
            "项目编号",
            required=True,
            refers="projects",
            note="项目须已签约",
        ),
        Column("date", "到位日期", "date", event=True),
        Column("month", "到位月份", "month", event=True),
        Column("amount", "到位金额", "money", required=True, sign="positive", note="人民币金额"),
        Column(
            "fdi_usd",
            "外资金额",
            "usd",
            sign="positive",
            when=ProjectValue("source_region", FOREIGN, "fdi-missing", "amount"),
            note=FDI_NOTE,
        ),
        Column("report_month", "报告月份", "month", required=True),
        Column(
            "month_amount",
            "本月到位资金",
            "money",
            required=True,
            sign="non-negative",
            note="当月无到位填 0",
        ),
        Column(
            "year_to_date",
            "本年累计到位资金",
            "money",
            sign="non-negative",
            note="须等于当年各月本月到位资金之和",
        ),
        Column(
            "month_fdi_usd",
            "本月外资金额",
            "usd",
            sign="non-negative",
            when=ProjectValue("source_region", FOREIGN, "fdi-missing", "month_amount"),
            note=FDI_NOTE,
        ),
        Column("note", "备注"),
    ),
    needs="到位资金、实际利用外资等指标",
    forms=(
        Form(
            "monthly",
            "月报形式（每个项目每月一行）",
            ("project_id", "report_month", "month_amount", "year_to_date", "month_fdi_usd", "note"),
            markers=("report_month", "month_amount", "year_to_date"),
            stands_for=(
                ("month", "report_month"),
                ("amount", "month_amount"),
                ("fdi_usd", "month_fdi_usd"),
            ),
        ),
        Form(
            "log",
            "逐笔记录形式（每笔到位一行）",
            ("project_id", "date", "month", "amount", "fdi_usd", "note"),
            one_of=(("date", "month"),),
        ),
    ),
)

PARKS = Ledger(
    "parks",
    "园区台账",
    (
        Column("park", "园区", required=True, values=Values(plan="parks")),
        Column("year", "年度", "year", required=True, event=True),
        Column("land_mu", "用地面积", "area", required=True, sign="positive", note="在用工业用地"),
        Column(
            "fixed_investment",
            "固定资产投资",
            "money",
            required=True,
            sign="non-negative",
            note="累计数",
        ),
        Column("output", "工业总产值", "money", required=True, sign="non-negative", note="当年"),
        Column("tax", "税收收入", "money", required=True, sign="non-negative", note="当年"),
    ),
    needs="亩均投资、亩均产值、亩均税收",
    period=("park", "year"),
)

OUTPUT = Ledger(
    "output",
    "产值台账",
    (
        Column("year", "年度", "year", required=True, event=True),
        Column(
            "month",
            "月份",
            "int",
            bounds=Bounds(1, 12, "month-range"),
            month_of="year",
            note="表示 1 月至该月累计；留空表示全年",
        ),
        Column("scope", "统计范围", required=True, values=Values(plan="scopes")),
        Column("output", "工业总产值", "money", required=True, sign="non-negative"),
    ),
    needs="工业总产值和产业集群指标",
    period=("scope", "year", "month"),
)

ACTIVITIES = Ledger(
    "activities",
    "招商活动台账",
    (
        Column("date", "日期", "date", required=True, event=True),
        Column("kind", "活动类型", required=True, values=Values(ACTIVITY_KINDS)),
        Column(
            "district",
            "所属区",
            required=True,
            values=Values((CITY_DEPARTMENT,), plan="districts", strict=False),
            note=f"区名，或组织活动的市直部门（可填“{CITY_DEPARTMENT}”）",
        ),
        Column("leader", "带队领导", when=WhenValue("kind", "带队招商", "leader-missing")),
        Column("top_leader", "是否主要领导", "bool"),
        Column("destination", "目的地"),
        Column("firms_met", "对接企业数", "int", sign="non-negative"),
        Column("projects_signed", "签约项目数", "int", sign="non-negative"),
        Column("signed_amount", "签约金额", "money", sign="non-negative"),
    ),
    needs="调度表的主要领导带队招商",
    optional=True,
)

LEDGERS: dict[str, Ledger] = {lg.key: lg for lg in (PROJECTS, ARRIVALS, PARKS, OUTPUT, ACTIVITIES)}

# Stage -> the 项目台账 column holding the date it was reached, in the order stages run.
STAGE_DATES: tuple[tuple[str, str], ...] = tuple(
    (c.when.stage, c.key) for c in PROJECTS.columns if isinstance(c.when, FromStage)
)
STAGE_DATE: dict[str, str] = dict(STAGE_DATES)
# The "五个一" of a major project.
FIVE_ONES: tuple[str, ...] = tuple(c.key for c in PROJECTS.columns if c.when is MAJOR)


def event_columns(ledger: Ledger, *kinds: str) -> tuple[str, ...]:
    """The ledger's columns that date something that happened (of the given kinds, or all)."""
    return tuple(c.key for c in ledger.columns if c.event and (not kinds or c.kind in kinds))
