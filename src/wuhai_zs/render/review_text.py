"""The review as numbered sections of sentences and tables, shared by the terminal, .xlsx and .docx."""

# One arrangement of the ReviewResult, in the order of a 终期评估 report (一、主要目标完成情况,
# 二、逐年推进情况 …), so that the terminal, the workbook and the Word draft say the same thing in
# the same words. Every sentence is built from the figures; a figure that is missing is said to
# be missing (无数据, 待数据), never left as a blank to fill in.

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wuhai_zs.metrics.review import ReviewResult, YearRow
from wuhai_zs.metrics.targets import STATUS_ZH, TargetResult

CN_DIGITS = "零一二三四五六七八九十"
SECTION_NUMBERS = "一二三四五六七八九十"
SAMPLE_MARK = "示例数据"
SAMPLE_LINE = (
    "示例数据：本报告由内置示例台账（合成数据）生成，不是各区报送的真实数据，仅供演示格式和算法。"
)
NUMERIC = {"yi", "wan", "usd", "pct", "rate2", "growth", "points", "int", "per_mu", "year"}


# ---------------------------------------------------------------- formatting
def fmt(value: Any, kind: str = "text") -> str:
    """A figure as the report writes it: 亿元 2 decimals, 万元 none, rates in %, 个百分点."""
    if value is None:
        return "—"
    if kind == "yi" or kind == "per_mu" or kind == "usd":
        return f"{value:,.2f}"
    if kind == "wan":
        return f"{value:,.0f}"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "rate2":
        return f"{value:.2%}".replace(".00%", "%")
    if kind == "growth":
        return f"{value:+.1%}"
    if kind == "points":
        return f"{value * 100:+,.2f} 个百分点"
    if kind == "int":
        return f"{int(value):,d}"
    if kind == "year":
        return value if isinstance(value, str) else str(int(value))
    return str(value)


def cn_count(n: int) -> str:
    """3 -> 三 (for 三年); larger numbers stay digits."""
    return CN_DIGITS[n] if 0 <= n <= 10 else str(n)


def change(rate: float | None, places: int = 1) -> str:
    """增长 14.7% / 下降 8.4% / 持平."""
    if rate is None:
        return "无可比数据"
    if round(rate, places + 2) == 0:
        return "持平"
    word = "增长" if rate > 0 else "下降"
    return f"{word} {abs(rate):.{places}%}"


def unit_value(value: float | None, unit: str) -> str:
    """A target's figure with its unit: 800.00 亿元, 15.00%, 230.00 万元/亩."""
    if value is None:
        return "—"
    if unit == "比率":
        return fmt(value, "rate2")
    return f"{value:,.2f} {unit}"


def kind_of_unit(unit: str) -> str:
    return {"亿元": "yi", "万美元": "usd", "万元/亩": "per_mu", "比率": "rate2"}.get(unit, "yi")


# ---------------------------------------------------------------- blocks
@dataclass(frozen=True)
class V:
    """A cell whose kind differs from its column's (a targets table mixes 亿元 and rates)."""

    value: Any
    kind: str


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, yi, wan, usd, pct, rate2, growth, points, int, per_mu, year, status


@dataclass
class Table:
    key: str  # stable name (the workbook's sheet part, tests)
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    total_rows: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Part:
    """A subsection: (一) title, its sentences and its tables."""

    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Section:
    number: str
    title: str
    parts: list[Part]

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


def cell(value: Any, column: Column) -> tuple[Any, str]:
    """(value, kind) of a table cell."""
    if isinstance(value, V):
        return value.value, value.kind
    return value, column.kind


def cell_text(value: Any, column: Column) -> str:
    raw, kind = cell(value, column)
    if kind == "status":
        return STATUS_ZH.get(str(raw), str(raw)) if raw is not None else "—"
    return fmt(raw, kind)


# ---------------------------------------------------------------- wording
def title(result: ReviewResult) -> str:
    return f"{result.plan['name']}{'终期评估报告' if result.final else '实施情况评估报告'}"


def period_text(result: ReviewResult) -> str:
    start, end = result.plan["start"], result.plan["end"]
    return f"{_date_zh(start)}至{_date_zh(end)}"


def _date_zh(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def years_word(result: ReviewResult) -> str:
    """三年 for a three-year plan at its end; 计划期以来 before."""
    if result.final:
        return f"{cn_count(result.plan['years'])}年"
    return "计划期以来"


def counted_word(result: ReviewResult) -> str:
    groups = result.targets.capital_lines.get("lines", [])
    counted = [x["key"] for x in groups if x.get("counted")]
    return "区外到位资金" if counted == ["区外"] else "纳统到位资金"


def _status(t: TargetResult | str) -> str:
    return STATUS_ZH[t if isinstance(t, str) else t.status]


def _verdict_words(t: TargetResult) -> str:
    """A verdict in report words: 已完成 / 未完成 / 符合序时进度 / 待数据 …"""
    return {
        "met": "已完成",
        "missed": "未完成",
        "on_track": "符合序时进度",
        "behind": "落后于序时进度",
        "pending": "结论待数据",
        "no_data": "无数据",
    }[t.status]


def _goal_words(result: ReviewResult, t: TargetResult) -> str:
    """年均增长不低于 15% / 年均增长高于 0%，且不低于到位资金年均增长（13.19%）."""
    defined = result.defined(t.id)
    floor = defined.get("rate")
    word = "高于" if defined.get("strict") else "不低于"
    other = result.target(defined["not_below"]) if defined.get("not_below") else None
    if other is None or floor is None:
        return f"年均增长{word} {fmt(t.target, 'rate2')}"
    text = f"年均增长{word} {fmt(floor, 'rate2')}，且不低于{other.name}"
    if other.actual is not None:
        text += f"（{fmt(other.actual, 'rate2')}）"
    return text


def target_sentence(result: ReviewResult, t: TargetResult) -> str:
    """One sentence per target, from its figures and verdict."""
    if t.status == "no_data":
        return f"{t.name}：无数据（{t.basis or '缺少计算所需的台账'}）。"
    label = t.judged_on.get("label", "")
    pending = f"；{t.awaiting}尚未报送，结论待数据" if t.status == "pending" and t.awaiting else ""
    if t.kind == "cumulative":
        what = counted_word(result) if t.id.startswith("capital") else t.name
        if t.unit == "万美元":
            what = t.name
        lead = (
            f"{years_word(result)}累计引进{what}"
            if result.final and t.status != "pending"
            else f"计划期以来（截至 {t.judged_on.get('through', result.as_of)}）累计引进{what}"
        )
        text = (
            f"{lead} {unit_value(t.actual, t.unit)}，完成目标（{unit_value(t.target, t.unit)}）的 "
            f"{fmt(t.completion, 'pct')}"
        )
        if t.actual is not None and t.target is not None:
            diff = t.actual - t.target
            text += f"，{'超出' if diff >= 0 else '差'} {abs(diff):,.2f} {t.unit}"
        if t.status in ("on_track", "behind") and t.due is not None:
            text += f"；按序时应达 {unit_value(t.due, t.unit)}，{_verdict_words(t)}"
        elif t.status != "pending":
            text += f"，{_verdict_words(t)}"
        return text + pending + "。"
    if t.kind == "growth":
        if t.actual is None:
            return f"{t.name}：{_status(t)}（{t.needed or t.basis}）。"
        diff = t.actual - (t.target or 0)
        text = (
            f"{t.name}：{label}年均增长 {fmt(t.actual, 'rate2')}，目标为{_goal_words(result, t)}，"
            f"{'高出' if diff >= 0 else '低于'} {abs(diff) * 100:,.2f} 个百分点，{_verdict_words(t)}"
        )
        yoy = [d for d in t.details if d.get("yoy") is not None]
        if yoy:
            text += "；各年同比分别为" + "、".join(_yoy_text(d) for d in yoy)
        return text + pending + "。"
    # levels and 亩均
    if t.status == "pending" and t.actual is None:
        return (
            f"{t.name}：目标 {unit_value(t.target, t.unit)}，结论待数据（{_reason(result, t)}）。"
        )
    where = label or "最近一期"
    text = f"{t.name}：{where} {unit_value(t.actual, t.unit)}，目标 {unit_value(t.target, t.unit)}"
    if t.completion is not None:
        text += f"，完成 {fmt(t.completion, 'pct')}"
    if t.actual is not None and t.target is not None and t.status in ("met", "missed"):
        diff = t.actual - t.target
        text += f"，{'超出' if diff >= 0 else '差'} {abs(diff):,.2f} {t.unit}"
    if t.status in ("on_track", "behind") and t.due is not None:
        text += f"；按路径应达 {unit_value(t.due, t.unit)}"
    return text + (pending if t.status == "pending" else f"，{_verdict_words(t)}") + "。"


def _yoy_text(d: dict[str, Any]) -> str:
    """2024年 +14.6% / 2025年1—9月（同期比）+11.5%."""
    if d["complete"]:
        return f"{d['year']}年 {fmt(d['yoy'], 'growth')}"
    return f"{d['year']}年1—{d.get('months', 12)}月（同期比）{fmt(d['yoy'], 'growth')}"


def _reason(result: ReviewResult, t: TargetResult) -> str:
    """Why a target has no verdict, in words the reader can act on."""
    defined = result.defined(t.id)
    year = t.judged_on.get("year") or defined.get("year") or int(result.plan["end"][:4])
    row = next((y for y in result.years if y.year == year), None)
    if t.kind == "ratio" and row is not None and row.per_mu.get("missing_parks"):
        missing = "、".join(row.per_mu["missing_parks"])
        return f"待{year}年全部园区的年报：{year}年只有 {row.per_mu['parks']}/{row.per_mu['of']} 个园区报送，缺{missing}"
    reason = t.awaiting or t.basis or "缺少计算所需的台账"
    reason = re.sub(r"^[千百]亿级；", "", reason)
    # one reason for every cluster the output ledger lacks
    return re.sub(r"产值台账无“[^”]+”数据", "产值台账没有这一统计范围的数据", reason)


def grouped(result: ReviewResult, targets: Iterable[TargetResult]) -> list[str]:
    """Targets without a verdict, one sentence per status and reason: 甲、乙：无数据（缺少产值台账）。"""
    groups: dict[tuple[str, str], list[str]] = {}
    for t in targets:
        groups.setdefault((t.status, _reason(result, t)), []).append(t.name)
    return [
        f"{'、'.join(names)}：{STATUS_ZH[status]}（{reason}）。"
        for (status, reason), names in groups.items()
    ]


def overview_sentence(result: ReviewResult) -> str:
    targets = result.targets.targets
    counts: dict[str, int] = {}
    for t in targets:
        counts[t.status] = counts.get(t.status, 0) + 1
    clusters = sum(1 for t in targets if t.id.startswith("cluster."))
    order = ("met", "on_track", "behind", "missed", "pending", "no_data")
    parts = [f"{STATUS_ZH[s]} {counts[s]} 项" for s in order if counts.get(s)]
    scope = f"（含 {clusters} 个产业集群规模目标）" if clusters else ""
    when = "计划期结束时" if result.final else f"截至 {result.as_of}"
    text = (
        f"评估期为{period_text(result)}。方案确定的可计量目标共 {len(targets)} 项{scope}，"
        f"{when}" + "，".join(parts) + "。"
    )
    if result.partial_units:
        held = [d for d in result.plan["districts"] if d not in result.partial_units]
        text += (
            f"本次台账只有{'、'.join(held)}的数据（没有{'、'.join(result.partial_units)}），"
            "全市目标的完成情况只反映台账中的区。"
        )
    return text


def cluster_sentence(result: ReviewResult) -> str | None:
    clusters = [t for t in result.targets.targets if t.id.startswith("cluster.")]
    if not clusters:
        return None

    def name(t: TargetResult) -> str:
        return t.id.split(".", 1)[1]

    met = [name(t) for t in clusters if t.status == "met"]
    missed = [
        f"{name(t)}（{fmt(t.actual, 'yi')} 亿元，目标 {fmt(t.target, 'yi')} 亿元）"
        for t in clusters
        if t.status == "missed"
    ]
    others: dict[tuple[str, str], list[str]] = {}
    for t in clusters:
        if t.status not in ("met", "missed"):
            others.setdefault((t.status, _reason(result, t)), []).append(name(t))
    other = [
        f"{'、'.join(names)}{_status(status)}（{reason}）"
        for (status, reason), names in others.items()
    ]
    parts = []
    if met:
        parts.append(f"{'、'.join(met)} {len(met)} 个集群达到规模目标")
    if missed:
        parts.append(f"{'、'.join(missed)}未达到")
    if other:
        parts.append("、".join(other))
    return "产业集群方面，" + "；".join(parts) + "。"


# ---------------------------------------------------------------- sections
def sections(result: ReviewResult) -> list[Section]:
    built = [
        ("主要目标完成情况", _targets_parts(result)),
        ("逐年推进情况", _years_parts(result)),
        ("各区完成情况", _district_parts(result)),
        ("项目建设情况", _project_parts(result)),
        ("未完成目标及差距", _gap_parts(result)),
        ("评估依据与数据说明", _basis_parts(result)),
    ]
    shown = [(name, parts) for name, parts in built if parts]
    return [Section(SECTION_NUMBERS[i], name, parts) for i, (name, parts) in enumerate(shown)]


def _targets_parts(result: ReviewResult) -> list[Part]:
    targets = result.targets.targets
    main = [t for t in targets if not t.id.startswith("cluster.")]
    paragraphs = [overview_sentence(result)]
    paragraphs += [target_sentence(result, t) for t in main if t.status != "no_data"]
    paragraphs += grouped(result, (t for t in main if t.status == "no_data"))
    clusters = cluster_sentence(result)
    if clusters:
        paragraphs.append(clusters)
    rows = []
    for i, t in enumerate(targets, start=1):
        kind = kind_of_unit(t.unit)
        rows.append(
            [
                i,
                t.name,
                t.unit,
                V(t.target, kind),
                V(t.actual, kind),
                t.completion if t.unit != "比率" else None,
                t.status,
                t.judged_on.get("label") or "—",
            ]
        )
    table = Table(
        "targets",
        "主要目标完成情况",
        [
            Column("序号", "int"),
            Column("目标", "text"),
            Column("单位", "text"),
            Column("目标值", "yi"),
            Column("完成值", "yi"),
            Column("完成率", "pct"),
            Column("结果", "status"),
            Column("依据的数据", "text"),
        ],
        rows,
        notes=[
            "完成率 = 完成值 ÷ 目标值（增速目标不计完成率）。期末结论只用完整数据："
            "目标年的数据未报齐为“待数据”，不作“未完成”。"
        ],
    )
    return [Part(None, paragraphs, [table])]


def _year_label(y: YearRow) -> str:
    if y.role == "base":
        return f"{y.year}（基年）"
    if y.months is not None and not y.complete:
        return f"{y.year}（1—{y.months}月）"
    return str(y.year)


def _capital_sentence(result: ReviewResult, y: YearRow) -> str:
    word = counted_word(result)
    if y.capital_counted_yi is None:
        return f"{y.year}年：到位资金台账无该年数据。"
    span = "" if y.complete else f"1—{y.months}月"
    text = f"{y.year}年{span}引进{word} {fmt(y.capital_counted_yi, 'yi')} 亿元"
    if y.growth is not None:
        text += f"，{y.growth_kind}{change(y.growth)}"
        if y.growth_target is not None and y.complete:
            text += f"，{'达到' if y.meets_rate else '低于'}年度目标增速 {fmt(y.growth_target, 'rate2')}"
    if y.capital_new_yi is not None:
        text += (
            f"；其中当年新签约项目到位 {fmt(y.capital_new_yi, 'yi')} 亿元，"
            f"以前年度签约的续建项目到位 {fmt(y.capital_continuing_yi, 'yi')} 亿元"
        )
        if y.capital_other_yi:
            text += f"，签约日期晚于到位日期或不详的 {fmt(y.capital_other_yi, 'yi')} 亿元"
    return text + "。"


def _years_parts(result: ReviewResult) -> list[Part]:
    years = result.years
    if not years:
        return []
    parts: list[Part] = []
    base = years[0]
    plan_years = result.plan_years
    word = counted_word(result)
    paragraphs = []
    if base.capital_plan_base_yi is not None:
        paragraphs.append(
            f"基年（{base.year}年）{word} {fmt(base.capital_plan_base_yi, 'yi')} 亿元取自计划文件"
            + (
                f"（台账同口径 {fmt(base.capital_counted_yi, 'yi')} 亿元）"
                if base.capital_counted_yi is not None
                else ""
            )
            + f"，是 {plan_years[0].year if plan_years else base.year + 1} 年同比的基数。"
        )
    missing = [y.year for y in plan_years if y.capital_counted_yi is None]
    if missing:
        paragraphs.append(f"{'、'.join(f'{y}年' for y in missing)}：到位资金台账没有该年的数据。")
    paragraphs += [
        _capital_sentence(result, y) for y in plan_years if y.capital_counted_yi is not None
    ]
    capital_rows = []
    for y in years:
        base_value = y.capital_plan_base_yi if y.role == "base" else None
        capital_rows.append(
            [
                _year_label(y),
                base_value if base_value is not None else y.capital_counted_yi,
                y.growth,
                y.growth_target,
                None if y.meets_rate is None else ("是" if y.meets_rate else "否"),
                y.capital_new_yi,
                y.capital_continuing_yi,
            ]
        )
    capital = Table(
        "years_capital",
        f"逐年{word}",
        [
            Column("年度", "text"),
            Column(f"{word}（亿元）", "yi"),
            Column("同比", "growth"),
            Column("年度目标增速", "rate2"),
            Column("达到目标增速", "text"),
            Column("当年新签约项目（亿元）", "yi"),
            Column("续建项目（亿元）", "yi"),
        ],
        capital_rows,
        notes=[
            "新签约 = 当年签约的项目当年到位的资金；续建 = 以前年度签约的项目当年到位的资金。"
            "飞地项目只计市内份额。未满的年度按同期比较（同期比）。"
            + (
                f"基年一行为计划文件的基数（台账同口径 {fmt(base.capital_counted_yi, 'yi')} 亿元）。"
                if base.capital_plan_base_yi is not None and base.capital_counted_yi is not None
                else ""
            )
        ],
    )
    parts.append(Part(f"（一）{word}", paragraphs, [capital]))

    lines_rows = [
        [
            _year_label(y),
            y.domestic_yi,
            y.outside_region_yi,
            y.within_region_yi,
            y.foreign_yi,
            y.fdi_plan_base_wan_usd if y.fdi_plan_base_wan_usd is not None else y.fdi_wan_usd,
            y.fdi_growth,
        ]
        for y in years
    ]
    fdi_base_note = (
        f"基年的实际利用外资为计划文件的基数（台账同口径 {fmt(base.fdi_wan_usd, 'usd')} 万美元）。"
        if base.fdi_plan_base_wan_usd is not None
        else ""
    )
    fdi_text = _fdi_sentence(result)
    lines = Table(
        "years_lines",
        "到位资金分口径和实际利用外资",
        [
            Column("年度", "text"),
            Column("国内到位资金（亿元）", "yi"),
            Column("其中区外（亿元）", "yi"),
            Column("区内（亿元）", "yi"),
            Column("境外（亿元）", "yi"),
            Column("实际利用外资（万美元）", "usd"),
            Column("外资同比", "growth"),
        ],
        lines_rows,
        notes=[
            "国内到位资金 = 区外 + 区内（总投资达到统计门槛的项目）；境外资金不计入国内到位资金，"
            "以外资金额（万美元）计入实际利用外资。" + fdi_base_note
        ],
    )
    parts.append(
        Part("（二）到位资金分口径和实际利用外资", [fdi_text] if fdi_text else [], [lines])
    )

    output_part = _output_part(result)
    if output_part is not None:
        parts.append(output_part)
    parks_part = _parks_part(result)
    if parks_part is not None:
        parts.append(parks_part)
    final_part = _final_year_part(result)
    if final_part is not None:
        parts.append(final_part)
    return _renumber(parts)


def _renumber(parts: list[Part]) -> list[Part]:
    for i, p in enumerate(parts):
        if p.title is not None:
            p.title = f"（{SECTION_NUMBERS[i]}）{p.title.split('）', 1)[-1]}"
    return parts


def _fdi_sentence(result: ReviewResult) -> str | None:
    rows = [y for y in result.years if y.fdi_wan_usd is not None]
    if not rows:
        return None
    first, last = rows[0], rows[-1]
    span = "" if last.complete else f"1—{last.months}月"
    text = f"实际利用外资{last.year}年{span} {fmt(last.fdi_wan_usd, 'usd')} 万美元"
    if first is not last:
        start = first.fdi_wan_usd
        source = ""
        if first.role == "base" and first.fdi_plan_base_wan_usd is not None:
            start, source = first.fdi_plan_base_wan_usd, "（计划文件的基数）"
        text = (
            f"实际利用外资{first.year}年 {fmt(start, 'usd')} 万美元{source}，"
            f"{last.year}年{span} {fmt(last.fdi_wan_usd, 'usd')} 万美元"
        )
    fdi = next((t for t in result.targets.targets if t.id == "fdi_growth"), None)
    if fdi is not None and fdi.actual is not None:
        text += f"，{fdi.judged_on.get('label', '')}年均增长 {fmt(fdi.actual, 'rate2')}"
    return text + "。"


def _output_part(result: ReviewResult) -> Part | None:
    years = result.years
    if all(y.output_yi is None for y in years) and all(
        c["output_yi"] is None for y in years for c in y.clusters
    ):
        return None
    targets = {t.id: t for t in result.targets.targets}
    output_target = next(
        (
            t
            for t in result.targets.targets
            if result.defined(t.id).get("measure") == "output"
            and result.defined(t.id).get("scope") == "全市"
        ),
        None,
    )
    header = [Column("指标", "text")] + [
        Column(_output_year(y.year, y.output_months), "yi") for y in years
    ]
    header += [Column(f"{result.plan['end'][:4]}年目标", "yi"), Column("结果", "status")]
    rows: list[list[Any]] = []
    if any(y.output_yi is not None for y in years):
        rows.append(
            [
                "工业总产值",
                *(y.output_yi for y in years),
                output_target.target if output_target else None,
                output_target.status if output_target else None,
            ]
        )
    for i, name in enumerate(c["name"] for c in years[0].clusters):
        t = targets.get(f"cluster.{name}")
        rows.append(
            [
                f"{name}产业集群",
                *(y.clusters[i]["output_yi"] for y in years),
                t.target if t else None,
                t.status if t else None,
            ]
        )
    paragraphs = []
    values = [(y.year, y.output_yi, y.output_months, y.output_growth) for y in years]
    shown = [v for v in values if v[1] is not None]
    if shown:
        pieces = []
        for year, value, months, growth in shown:
            span = "" if months == 12 else f"1—{months}月"
            piece = f"{year}年{span} {fmt(value, 'yi')} 亿元"
            if growth is not None:
                piece += f"（{change(growth)}）"
            pieces.append(piece)
        text = "工业总产值" + "，".join(pieces)
        if output_target is not None and output_target.actual is not None:
            diff = output_target.actual - (output_target.target or 0)
            text += (
                f"；对照 {fmt(output_target.target, 'yi')} 亿元的目标，"
                f"{'超出' if diff >= 0 else '差'} {abs(diff):,.2f} 亿元"
            )
        paragraphs.append(text + "。")
    clusters = cluster_sentence(result)
    if clusters:
        paragraphs.append(clusters)
    partial = [y for y in years if y.output_months not in (None, 12)]
    notes = [
        "产值为产值台账的全年数；未报全年的年度列最近一期 1—N 月累计（表头注明），不作全年比较。"
    ]
    if not partial:
        notes = ["产值为产值台账的全年数（亿元）。"]
    table = Table("years_output", "工业总产值和产业集群产值（亿元）", header, rows, notes=notes)
    return Part("（三）工业总产值和产业集群", paragraphs, [table])


def _output_year(year: int, months: int | None) -> str:
    return f"{year}年" if months in (None, 12) else f"{year}年1—{months}月"


PER_MU_NAMES = (
    ("investment_wan_per_mu", "亩均投资"),
    ("output_wan_per_mu", "亩均产值"),
    ("tax_wan_per_mu", "亩均税收"),
)
PER_MU_TARGETS = {
    "investment_wan_per_mu": "fixed_investment_per_mu",
    "output_wan_per_mu": "output_per_mu",
    "tax_wan_per_mu": "tax_per_mu",
}


def _parks_part(result: ReviewResult) -> Part | None:
    years = [y for y in result.years if y.per_mu]
    if not years:
        return None
    by_measure = {
        key: next(
            (
                t
                for t in result.targets.targets
                if t.kind == "ratio" and result.defined(t.id).get("measure") == measure
            ),
            None,
        )
        for key, measure in PER_MU_TARGETS.items()
    }
    header = [Column("指标（万元/亩）", "text")]
    header += [
        Column(f"{y.year}年" + ("" if y.per_mu.get("complete") else "（部分园区）"), "per_mu")
        for y in years
    ]
    header += [Column("目标", "per_mu"), Column("结果", "status")]
    rows = []
    for key, name in PER_MU_NAMES:
        t = by_measure[key]
        rows.append(
            [
                name,
                *(y.per_mu.get(key) for y in years),
                t.target if t else None,
                t.status if t else None,
            ]
        )
    incomplete = [y for y in years if not y.per_mu.get("complete")]
    notes = [
        "开发区整体亩均 = 各园区指标之和 ÷ 用地面积之和（不是各园区比值的平均）；"
        "只用全部园区都已报送的年度判断目标。"
    ]
    for y in incomplete:
        notes.append(
            f"{y.year}年只有 {y.per_mu['parks']}/{y.per_mu['of']} 个园区报送"
            f"（缺 {'、'.join(y.per_mu['missing_parks'])}），不用于判断。"
        )
    paragraphs = [target_sentence(result, t) for t in by_measure.values() if t is not None]
    table = Table("years_parks", "开发区亩均效益", header, rows, notes=notes)
    return Part("（四）开发区亩均效益", paragraphs, [table])


def _final_year_part(result: ReviewResult) -> Part | None:
    rows = result.final_year
    if not rows:
        return None
    year = rows[0].year
    table_rows = []
    for r in rows:
        kind = kind_of_unit(r.unit)
        table_rows.append(
            [
                r.name,
                r.unit,
                V(r.needed, kind),
                V(r.actual, kind),
                V(r.gap, kind),
                r.status,
            ]
        )
    notes = [
        f"累计目标：{year}年需达到 = 目标 − 此前各年之和；增速目标：基数 × (1 + 目标增速)^年数；"
        f"水平和亩均目标：{year}年目标值。差距 = 实际 − 需达到。"
    ]
    unfinished = [r for r in rows if not r.complete and r.actual is not None]
    if unfinished:
        notes.append(
            "以下目标的实际值不是完整年度的数据："
            + "、".join(r.name for r in unfinished)
            + "（见“依据的数据”）。"
        )
    table = Table(
        "final_year",
        f"{year}年实际与实现目标所需",
        [
            Column("目标", "text"),
            Column("单位", "text"),
            Column(f"{year}年需达到", "yi"),
            Column(f"{year}年实际", "yi"),
            Column("差距", "yi"),
            Column("结果", "status"),
        ],
        table_rows,
        notes=notes,
    )
    short = [r for r in rows if r.gap is not None and r.gap < 0]
    paragraphs = []
    capital = next((r for r in rows if r.id == "capital_cumulative"), None)
    if capital is not None and None not in (capital.needed, capital.actual, capital.gap):
        paragraphs.append(
            f"要完成累计目标，{year}年需到位 {fmt(capital.needed, 'yi')} 亿元，实际 "
            f"{fmt(capital.actual, 'yi')} 亿元，{'超出' if capital.gap >= 0 else '差'} "  # type: ignore[operator]
            f"{abs(capital.gap):,.2f} 亿元。"  # type: ignore[arg-type]
        )
    if short:
        paragraphs.append(
            f"{year}年实际低于实现目标所需的有 {len(short)} 项："
            + "、".join(r.name for r in short)
            + "。"
        )
    return Part(f"（五）{year}年与实现目标所需", paragraphs, [table])


def _district_parts(result: ReviewResult) -> list[Part]:
    if not result.districts or result.district_total is None:
        return []
    word = counted_word(result)
    ranked = sorted(result.districts, key=lambda d: (d.rank or 99, d.unit))
    rows = [
        [
            d.rank,
            d.unit,
            d.capital_counted_yi,
            d.share,
            d.capital_not_counted_yi,
            d.signed,
            d.started,
            d.producing,
        ]
        for d in ranked
    ]
    t, o = result.district_total, result.district_outside
    rows.append(
        [
            None,
            t.unit,
            t.capital_counted_yi,
            t.share,
            t.capital_not_counted_yi,
            t.signed,
            t.started,
            t.producing,
        ]
    )
    total_rows = 1
    if o is not None and (o.capital_counted_yi or o.capital_not_counted_yi):
        rows.append(
            [None, o.unit, o.capital_counted_yi, None, o.capital_not_counted_yi, None, None, None]
        )
        total_rows = 2
    table = Table(
        "districts",
        f"各区{years_word(result)}完成情况",
        [
            Column("排名", "int"),
            Column("单位", "text"),
            Column(f"{word}（亿元）", "yi"),
            Column("占全市", "pct"),
            Column("未纳统到位资金（亿元）", "yi"),
            Column("签约项目（个）", "int"),
            Column("开工项目（个）", "int"),
            Column("投产项目（个）", "int"),
        ],
        rows,
        total_rows=total_rows,
        notes=[
            "排名按纳统到位资金。金额按项目归属计入各区，飞地项目按分成比例计入飞出地和飞入地；"
            "飞出市外的份额单列一行，不计入任何区，也不计入全市（全市 = 各区之和）。"
            "项目个数不拆分，飞地项目整个计入其所属区。",
        ],
    )
    paragraphs = []
    money = [d for d in ranked if d.capital_counted_yi is not None and d.rank is not None]
    if len(money) == 1:
        only = money[0]
        paragraphs.append(
            f"分区看，台账中只有{only.unit}的数据：{years_word(result)}引进{word} "
            f"{fmt(only.capital_counted_yi, 'yi')} 亿元，签约项目 {only.signed:,} 个，"
            f"开工项目 {only.started:,} 个，投产项目 {only.producing:,} 个。"
        )
    elif money:
        top, rest = money[0], money[1:]
        text = (
            f"分区看，{years_word(result)}引进{word}{top.unit}最多，"
            f"{fmt(top.capital_counted_yi, 'yi')} 亿元，占全市 {fmt(top.share, 'pct')}"
            + "；其后依次为"
            + "、".join(
                f"{d.unit} {fmt(d.capital_counted_yi, 'yi')} 亿元（{fmt(d.share, 'pct')}）"
                for d in rest
            )
        )
        paragraphs.append(text + "。")
        most = max(d.signed or 0 for d in money)
        leaders = [d.unit for d in money if (d.signed or 0) == most]
        each = "各 " if len(leaders) > 1 else ""
        paragraphs.append(
            f"签约项目 {t.signed:,} 个，{'、'.join(leaders)}最多（{each}{most} 个）；"
            f"开工项目 {t.started:,} 个，投产项目 {t.producing:,} 个。"
        )
    if result.partial_units:
        paragraphs.append(
            f"台账中没有{'、'.join(result.partial_units)}的项目或到位资金（只报送了部分区的台账），"
            "表中这些区为无数据，不参加排名。"
        )
    if o is not None and o.capital_counted_yi:
        paragraphs.append(
            f"飞出市外的飞地项目份额 {fmt(o.capital_counted_yi, 'yi')} 亿元（纳统口径）不计入全市。"
        )
    return [Part(None, paragraphs, [table])]


def _project_parts(result: ReviewResult) -> list[Part]:
    projects = result.projects
    if not projects:
        return []
    parts = []
    by_year = projects["by_year"]
    rows = [
        [p["year"], p["signed"], p["investment_signed_yi"], p["started"], p["producing"]]
        for p in by_year
    ]
    signed = sum(p["signed"] for p in by_year)
    invested = sum(p["investment_signed_yi"] or 0 for p in by_year)
    started = sum(p["started"] for p in by_year)
    producing = sum(p["producing"] for p in by_year)
    rows.append(["合计", signed, invested, started, producing])
    table = Table(
        "projects_by_year",
        "签约、开工、投产项目",
        [
            Column("年度", "year"),
            Column("签约项目（个）", "int"),
            Column("签约项目总投资（亿元）", "yi"),
            Column("开工项目（个）", "int"),
            Column("投产项目（个）", "int"),
        ],
        rows,
        total_rows=1,
        notes=[
            "按签约、开工、投产日期所在年度计数（含此后终止的项目）；签约项目总投资中飞地项目只计市内份额。"
        ],
    )
    paragraphs = [
        f"{years_word(result)}签约项目 {signed:,} 个，签约总投资 {invested:,.2f} 亿元；"
        f"开工项目 {started:,} 个，投产项目 {producing:,} 个。"
        + "".join(
            f"{p['year']}年签约 {p['signed']} 个、开工 {p['started']} 个、投产 {p['producing']} 个。"
            for p in by_year
        )
    ]
    parts.append(Part("（一）签约、开工、投产", paragraphs, [table]))

    cohort_rows = []
    sentences = []
    for c in projects["cohorts"]:
        row: list[Any] = [c["year"], c["signed"]]
        for w in c["windows"]:
            rate = w["rate"] if w["rate"] is not None or not c["signed"] else V("未满", "text")
            row += [w["eligible"], w["started"], rate]
        cohort_rows.append(row)
        sentences.append(_cohort_sentence(c, result.as_of))
    cohort_columns = [Column("签约年度", "year"), Column("签约项目（个）", "int")]
    for months in (
        (w["months"] for w in projects["cohorts"][0]["windows"]) if projects["cohorts"] else ()
    ):
        cohort_columns += [
            Column(f"满{months}个月（个）", "int"),
            Column(f"{months}个月内开工（个）", "int"),
            Column(f"{months}个月落地率", "pct"),
        ]
    cohort = Table(
        "cohorts",
        "签约项目落地率（按签约年度）",
        cohort_columns,
        cohort_rows,
        notes=[projects["cohort_rule"]],
    )
    parts.append(Part("（二）签约项目落地率", sentences, [cohort]))

    largest = projects["largest"]
    if largest:
        big_rows = [
            [
                i,
                p["name"],
                p["district"],
                p["stage"],
                p["total_investment_wan"],
                p["arrived_wan"],
                p["arrival_rate"],
            ]
            for i, p in enumerate(largest, start=1)
        ]
        total_invest = sum(p["total_investment_wan"] or 0 for p in largest)
        total_arrived = sum(p["arrived_wan"] or 0 for p in largest)
        share = projects.get("largest_share_of_counted")
        text = (
            f"计划期内签约的项目中，总投资最大的 {len(largest)} 个项目合计总投资 "
            f"{total_invest / 10000:,.2f} 亿元，计划期内到位资金 {total_arrived / 10000:,.2f} 亿元"
        )
        if share is not None:
            text += f"，其纳统部分占全市{counted_word(result)}的 {fmt(share, 'pct')}"
        stopped = [p["name"] for p in largest if p["stage"] == "终止"]
        if stopped:
            text += f"；其中{'、'.join(stopped)}已终止"
        big = Table(
            "largest",
            f"总投资最大的 {len(largest)} 个项目",
            [
                Column("序号", "int"),
                Column("项目名称", "text"),
                Column("所属区", "text"),
                Column("阶段", "text"),
                Column("总投资（万元）", "wan"),
                Column("计划期到位（万元）", "wan"),
                Column("到位率", "pct"),
            ],
            big_rows,
            notes=[
                "到位资金为计划期内到位的全部资金（含未纳统部分），到位率 = 到位资金 ÷ 总投资。"
            ],
        )
        parts.append(Part("（三）重大项目", [text + "。"], [big]))
    return parts


def _cohort_sentence(c: dict[str, Any], as_of: str) -> str:
    if not c["signed"]:
        return f"{c['year']}年没有签约项目。"
    pieces = []
    for w in c["windows"]:
        m = w["months"]
        if w["rate"] is None:
            pieces.append(
                f"截至 {as_of} 签约都未满 {m} 个月（已开工 {w['not_elapsed_started']} 个），"
                f"{m} 个月落地率尚不能计算"
            )
        elif w["not_elapsed"]:
            pieces.append(
                f"签约满 {m} 个月的 {w['eligible']} 个中 {w['started']} 个在 {m} 个月内开工，"
                f"落地率 {w['rate']:.1%}，另有 {w['not_elapsed']} 个签约未满 {m} 个月，不计入"
            )
        else:
            pieces.append(f"{w['started']} 个在签约后 {m} 个月内开工，落地率 {w['rate']:.1%}")
    return f"{c['year']}年签约的 {c['signed']} 个项目中，" + "；".join(pieces) + "。"


def _gap_parts(result: ReviewResult) -> list[Part]:
    targets = result.targets.targets
    finals = {r.id: r for r in result.final_year}
    missed = [t for t in targets if t.status in ("missed", "behind")]
    waiting = [t for t in targets if t.status in ("pending", "no_data")]
    parts = []
    if missed:
        lines = []
        for t in missed:
            text = f"{t.name}：{_status(t)}"
            if t.kind == "growth" and t.actual is not None and t.target is not None:
                text += (
                    f"，年均增长 {fmt(t.actual, 'rate2')}，低于目标 "
                    f"{(t.target - t.actual) * 100:,.2f} 个百分点"
                )
            elif t.actual is not None and t.target is not None:
                text += (
                    f"，{unit_value(t.actual, t.unit)}，完成目标的 {fmt(t.completion, 'pct')}，"
                    f"差 {abs(t.target - t.actual):,.2f} {t.unit}"
                )
            r = finals.get(t.id)
            if (
                r is not None
                and r.needed is not None
                and r.actual is not None
                and t.kind in ("cumulative", "growth")
            ):
                unit = r.unit
                text += (
                    f"；{r.year}年需达到 {fmt(r.needed, kind_of_unit(unit))} {unit}，"
                    f"实际 {fmt(r.actual, kind_of_unit(unit))} {unit}"
                )
            lines.append(text + "。")
        title = "（一）未完成的目标" if result.final else "（一）落后于序时进度或未完成的目标"
        parts.append(Part(title, lines))
    if waiting:
        lines = grouped(result, waiting)
        parts.append(Part(f"（{SECTION_NUMBERS[len(parts)]}）待数据或无数据的目标", lines))
    return parts


def _basis_parts(result: ReviewResult) -> list[Part]:
    basis = result.basis
    parts: list[Part] = []
    lines = basis.get("capital_lines") or {}
    if lines:
        rows = [
            [x["label"], x["amount_yi"], x.get("amount_wan_usd"), x["rows"], x["projects"]]
            for x in lines["lines"]
        ]
        table = Table(
            "capital_lines",
            f"到位资金统计口径（{lines['period']['start']} 至 {lines['period']['end']}）",
            [
                Column("口径", "text"),
                Column("金额（亿元）", "yi"),
                Column("外资（万美元）", "usd"),
                Column("笔数", "int"),
                Column("项目数", "int"),
            ],
            rows,
            total_rows=1,
            notes=[f"核对：{lines['statement']}"],
        )
        not_counted = [x for x in basis["not_counted"] if x["key"] != "境外"]
        text = f"计入目标的是{counted_word(result)} {fmt(lines['counted_yi'], 'yi')} 亿元。" + (
            "未纳统的到位资金单列，不计入目标："
            + "，".join(
                f"{x['label'].removeprefix('未纳统：')} {fmt(x['amount_yi'], 'yi')} 亿元"
                for x in not_counted
            )
            + "。"
            if not_counted
            else ""
        )
        foreign = next((x for x in basis["not_counted"] if x["key"] == "境外"), None)
        if foreign is not None:
            text += (
                f"境外资金 {fmt(foreign['amount_yi'], 'yi')} 亿元（{fmt(foreign.get('amount_wan_usd'), 'usd')} 万美元）"
                "计入实际利用外资，不计入到位资金目标。"
            )
        parts.append(Part("（一）到位资金统计口径", [text], [table]))
    enclave = basis.get("enclave") or {}
    if enclave.get("projects"):
        parts_text = "、".join(
            f"{word} {n} 个"
            for word, n in (
                ("市内各区之间", enclave["within_city"]),
                ("飞出市外", enclave["leaving_city"]),
            )
            if n
        )
        text = (
            f"飞地项目 {enclave['projects']} 个（{parts_text}）。金额按飞出地分成比例计入飞出地和飞入地，"
            "市外一方的份额不计入任何区，也不计入全市"
        )
        if enclave.get("outside_share_yi"):
            text += (
                f"：计划期内飞出市外的份额 {fmt(enclave['outside_share_yi'], 'yi')} 亿元"
                f"（其中纳统口径 {fmt(enclave['outside_share_counted_yi'], 'yi')} 亿元）"
                "未计入全市数字"
            )
        parts.append(Part("（二）飞地项目", [text + "；项目个数不拆分，计入所属区。"]))
    validation = basis["validation"]
    ledger_rows = [
        [v["name"], v["read"], v["accepted"], v["rejected"], v["skipped"], v["out_of_scope"]]
        for v in validation["ledgers"].values()
    ]
    if validation["errors"]:
        text = (
            f"台账校验发现 {validation['errors']:,} 个错误、{validation['warnings']:,} 个警告；"
            f"有错误的 {validation['rows_rejected']:,} 行不计入任何数字"
        )
    else:
        text = (
            f"台账校验未发现错误（警告 {validation['warnings']:,} 个，有警告的行照常计入）"
            if validation["warnings"]
            else "台账校验未发现错误和警告"
        )
    if validation["error_codes"]:
        text += "，主要为" + "、".join(
            f"{c['title']}（{c['count']:,} 处）" for c in validation["error_codes"][:5]
        )
    text += "。"
    ledgers = Table(
        "ledgers",
        "各台账行数",
        [
            Column("台账", "text"),
            Column("读取", "int"),
            Column("接受", "int"),
            Column("拒绝（有错误）", "int"),
            Column("跳过（合计、空行等）", "int"),
            Column("截止日期后", "int"),
        ],
        ledger_rows,
    )
    parts.append(Part("（三）台账校验", [text], [ledgers]))
    consistency = basis.get("consistency") or {}
    if consistency:
        parts.append(
            Part(
                "（四）计划目标之间的衔接",
                [
                    f"方案的两个到位资金目标并不一致：从基年 {consistency['base_yi']:,.2f} 亿元起，"
                    f"按年均增长 {consistency['growth_target']:.0%} 计算，"
                    f"{cn_count(result.plan['years'])}年累计约 "
                    f"{consistency['cumulative_at_growth_target_yi']:,.2f} 亿元，"
                    f"达不到 {consistency['cumulative_target_yi']:,.0f} 亿元；要累计达到 "
                    f"{consistency['cumulative_target_yi']:,.0f} 亿元，需年均增长约 "
                    f"{consistency['growth_implied_by_cumulative']:.1%}。"
                    "评估两项目标时应注意这一差异。"
                ],
            )
        )
    other = [*result.warnings, *(n for n in result.notes if "并不一致" not in n)]
    if other:
        parts.append(Part("（五）其他说明", other))
    return _renumber(parts)
