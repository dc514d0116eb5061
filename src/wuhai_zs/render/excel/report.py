"""The monthly workbook: its sheets in order, and the targets, money, district and other sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from wuhai_zs.metrics.overview import LIGHT_RULE, is_rate, progress_words, schedule_points
from wuhai_zs.metrics.rounding import amount, apportion, pct
from wuhai_zs.render.excel import overview, projects
from wuhai_zs.render.excel.book import (
    CENTER,
    DATA,
    GROUP,
    INT,
    MU,
    PCT,
    PER_MU,
    POINTS,
    SAMPLE_LINE,
    TOTAL,
    USD,
    YI,
    BookInfo,
    Col,
    Sheet,
    new_workbook,
    save,
    workbook_bytes,
)
from wuhai_zs.render.excel.charts import BLUE, GREY, ORANGE, bar_chart, line_chart
from wuhai_zs.render.excel.parts import (
    CITY_DEPARTMENTS,
    FRACTION_NOTE,
    OUTSIDE_NOTE,
    OUTSIDE_ROW,
    book_info,
    city_series,
    count_formats,
    opening,
    signed_count,
    status_zh,
    unit_figures,
)

if TYPE_CHECKING:
    from wuhai_zs.metrics.report import MonthReport
    from wuhai_zs.metrics.targets import TargetResult


def report_name(month: dt.date) -> str:
    return f"乌海市招商引资调度表_{month:%Y-%m}.xlsx"


def report_stamp(report: MonthReport) -> dt.datetime:
    return dt.datetime.combine(report.as_of_date, dt.time())


def write_report(report: MonthReport, path: Path) -> None:
    """The month's workbook at `path`, written atomically."""
    book = book_info(report)
    save(lambda: workbook_bytes(build_report(report, book), report_stamp(report), book), path)


def build_report(report: MonthReport, book: BookInfo | None = None) -> Workbook:
    book = book or book_info(report)
    wb = new_workbook()
    for name, builder in SHEET_BUILDERS.items():
        sheet = Sheet.new(wb, name, book)
        builder(sheet, report)
        sheet.finish()
    wb.active = 0
    return wb


def _rate_unit(unit: str) -> str:
    return "%" if unit == "比率" else unit


UNIT_FORMAT = {"亿元": YI, "万元/亩": PER_MU, "比率": PCT, "万美元": USD}


def _elapsed(report: MonthReport) -> str:
    t = report.targets
    share = pct(t.elapsed_months / t.period_months)
    return f"已过 {t.elapsed_months}/{t.period_months} 个月，序时进度 {share}"


def _words(r: TargetResult) -> str:
    words = progress_words(r)
    if r.needed and r.needed != "已达到目标" and r.status in ("behind", "on_track", "missed"):
        words += f"；{r.needed}"
    return words


def sheet_targets(sheet: Sheet, report: MonthReport) -> None:
    t = report.targets
    plan = report.checked.plan
    opening(sheet, report, "目标完成情况", right=f"数据截至 {t.as_of}　　{_elapsed(report)}")
    clusters = [r for r in t.targets if r.id.startswith("cluster.")]
    grouped: list[tuple[str, list[TargetResult]]] = [
        ("一、方案目标", [r for r in t.targets if r not in clusters])
    ]
    if clusters:
        grouped.append((f"二、产业集群（{plan.end.year}年规模）", clusters))
    rows: list[list[Any]] = []
    kinds: list[str] = []
    formats: list[list[str | None]] = []
    n = 0
    for label, members in grouped:
        rows.append([label])
        kinds.append(GROUP)
        formats.append([None] * 11)
        for r in members:
            n += 1
            fmt = UNIT_FORMAT.get(r.unit, YI)
            rate = is_rate(r)
            rows.append(
                [
                    n,
                    r.name,
                    _rate_unit(r.unit),
                    r.target,
                    r.actual,
                    None if rate else r.completion,
                    None if rate else r.expected,
                    schedule_points(r),
                    status_zh(r.status),
                    _words(r),
                    r.basis or None,
                ]
            )
            kinds.append(DATA)
            formats.append([None, None, None, fmt, fmt, None, None, None, None, None, None])
    sheet.table(
        [
            Col("序号", INT, align=CENTER),
            Col("指标", cap=18),
            Col("单位", width=8.5, align=CENTER),
            Col("目标值"),
            Col("完成值"),
            Col("完成率", PCT, width=8),
            Col("序时进度", PCT, width=8),
            Col("较序时\n（个百分点）", POINTS, width=12.5),
            Col("状态", colour="status", width=9, align=CENTER),
            Col("完成情况", cap=34, small=True),
            Col("口径说明", cap=32, small=True),
        ],
        rows,
        kinds=kinds,
        freeze=2,
        repeat=True,
        row_formats=formats,
        keep_groups=True,
    )
    sheet.note(
        "注：完成率 = 完成值 ÷ 目标值；序时进度 = 此时应达值 ÷ 目标值（累计按已过月数，目标年水平"
        "按基年到目标年的路径，增速按目标增速）；较序时 = 完成率 − 序时进度（增速类指标为实际增速 − "
        "目标增速），单位为个百分点。"
    )
    for text in t.notes:
        sheet.note(f"注：{text}")


def sheet_capital(sheet: Sheet, report: MonthReport) -> None:
    t = report.targets
    opening(sheet, report, "招商引资到位资金情况", "亿元")
    series = city_series(report)
    scope = t.capital_scope
    if not scope:
        sheet.note("缺少到位资金台账或项目台账，无法统计到位资金。")
        return
    chart_row = sheet.row  # the chart goes to the right of the first two tables
    sheet.section("（一）统计口径（计划期内）")
    nc = scope.get("not_counted", [])
    counted = series.cumulative[-1] if series is not None else scope["counted_yi"]
    amounts = apportion([x["amount_yi"] for x in nc], 2, scope["not_counted_yi"]) if nc else []
    not_counted = sum((Decimal(repr(a)) for a in amounts if a is not None), Decimal(0))
    rows: list[list[Any]] = [[1, "纳统到位资金（计入目标）", None, None, counted]]
    kinds = [DATA]
    for i, (x, shown) in enumerate(zip(nc, amounts, strict=True), start=2):
        rows.append([i, f"未纳统：{x['reason']}", x["rows"], x["projects"], shown])
        kinds.append(DATA)
    rows.append(
        [
            None,
            "合计（全部到位资金）",
            None,
            None,
            float(Decimal(repr(counted)) + not_counted),
        ]
    )
    kinds.append(TOTAL)
    sheet.table(
        [
            Col("序号", INT, align=CENTER),
            Col("口径", cap=18),
            Col("笔数", INT),
            Col("项目数（个）", INT),
            Col("金额（亿元）", YI),
        ],
        rows,
        kinds=kinds,
    )
    sheet.note(
        "注：纳统到位资金计入目标；未纳统部分单列，不计入目标（统计口径见“说明”）。"
        "笔数、项目数只列未纳统部分。",
        across=6,  # beside the chart
    )
    growth = next((r for r in t.targets if r.id == "capital_growth"), None)
    if growth is not None and growth.details:
        sheet.skip()
        sheet.section("（二）历年纳统到位资金")
        years = []
        for i, d in enumerate(growth.details, start=1):
            value = series.year_total(d["year"]) if series is not None else None
            years.append(
                [
                    i,
                    f"{d['year']}年",
                    d["value_yi"] if value is None else value,
                    d["yoy"],
                    "基年"
                    if d["year"] < report.checked.plan.start.year
                    else "完整年度"
                    if d["complete"]
                    else f"截至 {t.as_of}（同比按上年同期）",
                ]
            )
        sheet.table(
            [
                Col("序号", INT, width=5, align=CENTER),
                Col("年度", align=CENTER),
                Col("到位资金（亿元）", YI),
                Col("同比", PCT),
                Col("说明", cap=16),
            ],
            years,
        )
    if series is not None:
        sheet.skip()
        sheet.section("（三）按月累计纳统到位资金")
        rows = [
            [
                i + 1,
                m,
                series.month[i],
                series.cumulative[i],
                series.expected[i],
                float(Decimal(repr(series.cumulative[i])) - Decimal(repr(series.expected[i]))),
            ]
            for i, m in enumerate(series.months)
        ]
        table = sheet.table(
            [
                Col("序号", INT, width=5, align=CENTER),
                Col("月份", align=CENTER),
                Col("当月到位（亿元）", YI),
                Col("累计到位（亿元）", YI),
                Col("序时应到（亿元）", YI),
                Col("较序时（亿元）", YI),
            ],
            rows,
            keep_whole=40,
            compact=True,
        )
        chart = line_chart(
            sheet.ws,
            "纳统到位资金累计与序时进度",
            "亿元",
            table.header_last,
            table.first,
            table.last,
            2,
            [(4, BLUE, None, "累计到位"), (5, ORANGE, "dash", "序时进度应到")],
        )
        sheet.chart(chart, col=8, row=chart_row, width_cm=15, height_cm=9)
        sheet.note(
            "注：累计到位为计划期起至各月末的纳统到位资金（亿元，四舍五入到两位小数）；"
            "当月到位为相邻两月累计数之差，故各月之和等于累计数。"
        )


def sheet_dispatch(sheet: Sheet, report: MonthReport) -> None:
    from wuhai_zs.metrics.dispatch import YOY_RULE
    from wuhai_zs.metrics.districts import CITY

    month = report.month.month
    opening(sheet, report, f"分区调度表（{report.label}）")
    dispatch = report.dispatch
    figures = unit_figures(report)
    if dispatch is None or figures is None:
        sheet.note("缺少项目台账，无法编制调度表。")
        return
    flows = [i for i in dispatch["indicators"] if i["kind"] == "flow"]
    stocks = [i for i in dispatch["indicators"] if i["kind"] != "flow"]
    span = "本年" if month == 1 else f"1—{month}月"

    def unit_of(ind: dict[str, Any]) -> str:
        return str(ind["unit"])

    def fmt(ind: dict[str, Any]) -> str:
        return {"亿元": YI, "比率": PCT, "万元/亩": PER_MU}.get(unit_of(ind), INT)

    cols = [Col("序号", INT, width=4.5, align=CENTER), Col("单位", width=12.5)]
    groups: list[tuple[str, int]] = [("", 2)]
    for ind in flows:
        cols += [Col("本月", fmt(ind), width=8), Col(span, fmt(ind), width=8)]
        groups.append((f"{ind['name']}（{unit_of(ind)}）", 2))
    for ind in stocks:
        suffix = "" if unit_of(ind) == "比率" else f"\n（{unit_of(ind)}）"
        cols.append(Col(f"{ind['name']}{suffix}", fmt(ind), width=11))
        groups.append(("", 1))
    departments = figures.departments
    show_departments = any(
        v not in (None, 0, 0.0) for values in departments.values() for v in values.values()
    )
    rows: list[list[Any]] = []
    kinds: list[str] = []
    names = [
        *figures.units,
        *([CITY_DEPARTMENTS] if show_departments else []),
        *([OUTSIDE_ROW] if figures.has_outside else []),
        CITY,
    ]
    for i, unit in enumerate(names, start=1):
        number = i if unit not in (CITY, OUTSIDE_ROW) else None
        row: list[Any] = [number, "全市合计" if unit == CITY else unit]
        for ind in flows:
            for period in (figures.month, figures.year):
                if unit == OUTSIDE_ROW:
                    field = "month" if period is figures.month else "year_to_date"
                    row.append(figures.outside[field] if ind["key"] == "capital" else None)
                elif unit == CITY_DEPARTMENTS:
                    value = departments[ind["key"]][
                        "month" if period is figures.month else "year_to_date"
                    ]
                    row.append(signed_count(value) if value else None)
                else:
                    row.append(signed_count(period[ind["key"]][unit]))
        for ind in stocks:
            special = unit in (CITY_DEPARTMENTS, OUTSIDE_ROW)
            row.append(None if special else figures.month[ind["key"]][unit])
        rows.append(row)
        kinds.append(TOTAL if unit == CITY else DATA)
    counts = {c for c, col in enumerate(cols) if col.fmt == INT and c > 0}
    formats = count_formats(rows, counts)
    table = sheet.table(
        cols, rows, kinds=kinds, groups=groups, freeze=2, filter_=True, row_formats=formats
    )
    notes_from = sheet.row
    across = 2 + 2 * len(flows) - 4  # the notes leave room on the right for the chart
    if formats is not None:
        sheet.note(FRACTION_NOTE, across)
    if figures.has_outside:
        sheet.note(OUTSIDE_NOTE, across)
    definitions = "；".join(f"{i['name']}：{i['definition']}" for i in dispatch["indicators"])
    sheet.note(f"口径：{definitions}。", across)
    for text in dispatch.get("notes", []):
        if text != YOY_RULE:  # said by the 同比 table, on the next sheet
            sheet.note(f"注：{text}", across)
    capital_col = 2 + 2 * next(i for i, ind in enumerate(flows) if ind["key"] == "capital") + 2
    if any(r[capital_col - 1] for r in rows[: len(figures.units)]):
        chart = bar_chart(
            sheet.ws,
            f"各区纳统到位资金（{span}）",
            "亿元",
            table.header_last,
            table.first,
            table.first + len(figures.units) - 1,
            2,
            [(capital_col, BLUE, f"{span}纳统到位资金")],
        )
        chart.legend = None
        sheet.chart(chart, col=across + 2, row=notes_from, width_cm=11, height_cm=6.5)


YEAR_SHEET = "分区同比与目标"


def sheet_dispatch_year(sheet: Sheet, report: MonthReport) -> None:
    """The 调度表's 同比 and each unit's annual targets: a sheet of its own (the 调度表 keeps
    its frozen header over its one table)."""
    opening(sheet, report, f"{YEAR_SHEET}（{report.label}）")
    dispatch = report.dispatch
    figures = unit_figures(report)
    if dispatch is None or figures is None:
        sheet.note("缺少项目台账，无法编制调度表。")
        return
    month = report.month.month
    span = "本年" if month == 1 else f"1—{month}月"
    flows = [i for i in dispatch["indicators"] if i["kind"] == "flow"]
    stocks = [i for i in dispatch["indicators"] if i["kind"] != "flow"]
    _dispatch_year_on_year(sheet, dispatch, flows, stocks, span)
    _dispatch_targets(sheet, dispatch, figures, span)


def _dispatch_rows(dispatch: dict[str, Any]) -> list[tuple[int | None, str, dict[str, Any]]]:
    from wuhai_zs.metrics.districts import CITY

    units = [(i, u["unit"], u) for i, u in enumerate(dispatch["units"], start=1)]
    return [
        *units,
        (None, "全市合计" if dispatch["total"]["unit"] == CITY else "", dispatch["total"]),
    ]


def _dispatch_year_on_year(
    sheet: Sheet,
    dispatch: dict[str, Any],
    flows: list[dict[str, Any]],
    stocks: list[dict[str, Any]],
    span: str,
) -> None:
    """同比 in the columns of the table above: growth on the same month and the same period a
    year earlier for flows; the change since the same month's end a year earlier for stocks."""
    from wuhai_zs.metrics.dispatch import json_key

    w = dispatch["window"]
    sheet.section(
        f"（一）同比（上年同月 {w['last_year_month_start'][:7]}，"
        f"上年同期 {w['last_year_start']} 至 {w['last_year_month_end']}）"
    )
    cols = [Col("序号", INT, width=4.5, align=CENTER), Col("单位", width=12.5)]
    groups: list[tuple[str, int]] = [("", 2)]
    for ind in flows:
        cols += [Col("本月", PCT, width=8), Col(span, PCT, width=8)]
        groups.append((ind["name"].replace("（", "\n（"), 2))
    for ind in stocks:
        rate = ind["unit"] == "比率"
        unit = "个百分点" if rate else ind["unit"]
        cols.append(Col(f"{ind['name']}\n（{unit}）", POINTS if rate else PER_MU, width=12))
    groups.append(("较上年同月末", len(stocks)))
    rows: list[list[Any]] = []
    kinds: list[str] = []
    for number, name, unit in _dispatch_rows(dispatch):
        row: list[Any] = [number, name]
        for ind in flows:
            values = unit["values"][ind["key"]]
            row += [values["yoy_month"], values["yoy_year_to_date"]]
        for ind in stocks:
            row.append(unit["values"][ind["key"]][json_key(ind["unit"], "change_last_year")])
        rows.append(row)
        kinds.append(DATA if number is not None else TOTAL)
    sheet.table(cols, rows, kinds=kinds, groups=groups)
    sheet.note(
        "注：同比 = （本期 − 上年同期）÷ 上年同期；上年同期为 0，或早于台账的最早数据（无数据，不是 0）"
        "时空白。竣工率、投产率、亩均投资为时点值，列出与上年同月末之差。"
    )


def _dispatch_targets(sheet: Sheet, dispatch: dict[str, Any], figures: Any, span: str) -> None:
    """Each unit's annual targets from the plan file ([assessment.units]) against the year to
    date as the table above shows it; a unit the plan sets none for says so, never 0."""
    from wuhai_zs.metrics.districts import CITY

    first = next(
        (u["targets"] for u in [*dispatch["units"], dispatch["total"]] if u["targets"]), None
    )
    if first is None:
        return
    sheet.skip()
    sheet.section(
        f"（二）本年考评目标完成情况（计划文件 [assessment.units]；序时进度 "
        f"{pct(dispatch['year_elapsed'])}）"
        + ("：示意数据" if dispatch["targets_illustrative"] else "")
    )
    cols = [Col("序号", INT, width=4.5, align=CENTER), Col("单位", width=12.5)]
    groups: list[tuple[str, int]] = [("", 2)]
    for t in first:
        money = t["unit"] == "亿元"
        fmt = YI if money else INT
        cols += [
            Col("本年目标", fmt, width=8),
            Col(span, fmt, width=8),
            Col("完成率", PCT, width=8),
        ]
        groups.append((t["name"] + ("（亿元）" if money else "（个）"), 3))
    rows: list[list[Any]] = []
    kinds: list[str] = []
    for number, name, unit in _dispatch_rows(dispatch):
        row: list[Any] = [number, name]
        key = CITY if number is None else unit["unit"]
        for i, t in enumerate(first):
            mine = unit["targets"][i] if unit["targets"] else None
            if mine is None:
                row += ["未设目标" if i == 0 else None, None, None]
                continue
            shown = figures.year[t["key"]][key]  # as the table above shows it
            done = None if shown is None or not mine["target"] else shown / mine["target"]
            row += [mine["target"], shown, done]
        rows.append(row)
        kinds.append(DATA if number is not None else TOTAL)
    sheet.table(cols, rows, kinds=kinds, groups=groups)
    sheet.note(
        "注：本年累计与“分区调度表”相同。完成率 = 1 月 1 日至本月末的完成数 ÷ 本年目标；序时进度为本年已过月数 ÷ 12。"
        "全市目标为各区目标之和（有区未设目标时不汇总）。"
    )


def sheet_parks(sheet: Sheet, report: MonthReport) -> None:
    t = report.targets
    per_mu = [r for r in t.targets if r.id.startswith("park_")]
    measures = {r.id: r for r in per_mu}
    opening(sheet, report, "开发区（园区）亩均效益", "亩、亿元、万元/亩")
    if not per_mu or all(not r.details for r in per_mu):
        why = next((r.basis for r in per_mu if r.basis), "缺少园区台账")
        sheet.note(f"无数据：{why}")
        return
    order = ("park_investment_per_mu", "park_output_per_mu", "park_tax_per_mu")
    parks: dict[str, dict[str, Any]] = {}
    for target_id in order:
        r = measures.get(target_id)
        for d in r.details if r else []:
            entry = parks.setdefault(d["park"], {"year": d["year"], "land": d["land_mu"]})
            entry[target_id] = (d["amount_yi"], d["value_wan_per_mu"])
    names = list(parks)
    land = apportion([parks[p]["land"] for p in names], 0)
    money: dict[str, list[float | None]] = {}
    for target_id in order:
        amounts = [parks[p].get(target_id, (None, None))[0] for p in names]
        money[target_id] = apportion([None if a is None else Decimal(repr(a)) for a in amounts], 2)
    rows: list[list[Any]] = []
    for i, park in enumerate(names):
        row: list[Any] = [i + 1, park, f"{parks[park]['year']}年", land[i]]
        for target_id in order:
            row += [money[target_id][i], parks[park].get(target_id, (None, None))[1]]
        rows.append(row)
    total: list[Any] = [None, "全部开发区", rows[0][2] if rows else None, sum(x or 0 for x in land)]
    for target_id in order:
        parts = [Decimal(repr(x)) for x in money[target_id] if x is not None]
        r = measures.get(target_id)
        total += [float(sum(parts, Decimal(0))) if parts else None, r.actual if r else None]
    rows.append(total)
    sheet.table(
        [
            Col("序号", INT, width=4.5, align=CENTER),
            Col("园区", cap=24),
            Col("年度", width=8, align=CENTER),
            Col("用地面积（亩）", MU),
            Col("固定资产投资（亿元）", YI),
            Col("亩均投资（万元/亩）", PER_MU),
            Col("工业总产值（亿元）", YI),
            Col("亩均产值（万元/亩）", PER_MU),
            Col("税收收入（亿元）", YI),
            Col("亩均税收（万元/亩）", PER_MU),
        ],
        rows,
        kinds=[DATA] * (len(rows) - 1) + [TOTAL],
    )
    sheet.note(
        "注：亩均 = 指标 ÷ 用地面积；全部开发区 = 各园区合计 ÷ 用地面积合计，不是各园区比率的平均。"
    )
    for r in per_mu:
        sheet.note(f"{r.name}：目标 {amount(r.target)} 万元/亩，{_words(r)}。")


def sheet_clusters(sheet: Sheet, report: MonthReport) -> None:
    plan = report.checked.plan
    sizes = {c.name: c.size_yi for c in plan.clusters}
    clusters = [r for r in report.targets.targets if r.id.startswith("cluster.")]
    opening(sheet, report, f"产业集群规模（{plan.end.year}年目标）", "亿元")
    rows = []
    for i, r in enumerate(clusters, start=1):
        name = r.id.split(".", 1)[1]
        size = sizes.get(name)
        rows.append(
            [
                i,
                name,
                "千亿级" if (size or 0) >= 1000 else "百亿级",
                size,
                r.actual,
                r.completion,
                r.expected,
                status_zh(r.status),
                r.basis,
            ]
        )
    table = sheet.table(
        [
            Col("序号", INT, width=4.5, align=CENTER),
            Col("产业集群"),
            Col("规模等级", align=CENTER),
            Col("目标规模（亿元）", YI),
            Col("实际产值（亿元）", YI),
            Col("完成率", PCT),
            Col("序时进度", PCT),
            Col("状态", colour="status", align=CENTER),
            Col("依据", cap=44, small=True),
        ],
        rows,
    )
    sheet.note(
        "注：规模等级千亿级 = 1000 亿元，百亿级 = 100 亿元；实际为产值台账最近一期的工业总产值。"
    )
    if rows:
        sheet.skip()
        chart = bar_chart(
            sheet.ws,
            "产业集群产值与规模等级",
            "亿元",
            table.header_last,
            table.first,
            table.last,
            2,
            [(5, BLUE, "实际产值"), (4, GREY, "目标规模")],
        )
        sheet.chart(chart, col=2, width_cm=18, height_cm=5.2)


def _where(file: str) -> str:
    """A source file as the clerk knows it: its name, and the folder it sits in, if any."""
    path = PurePath(file.replace("\\", "/"))
    return path.name + (
        f"（{path.parent.as_posix().replace('/', '、')}）" if str(path.parent) != "." else ""
    )


def sheet_findings(sheet: Sheet, report: MonthReport) -> None:
    from wuhai_zs.findings.catalog import RULES
    from wuhai_zs.ledgers.columns import LEDGERS

    titles = {r.code: r.title for r in RULES}
    vr = report.checked.report
    opening(
        sheet,
        report,
        f"台账校验问题（{vr.errors:,} 个错误、{vr.warnings:,} 个警告）",
        right=f"台账校验日期 {vr.as_of}",
    )
    severity = {"error": "错误", "warning": "警告"}
    rows = [
        [
            i,
            severity.get(f.severity, f.severity),
            LEDGERS[f.ledger].stem_zh if f.ledger in LEDGERS else f.ledger,
            _where(f.file),
            f.sheet,
            f.row,
            f.column,
            f.value,
            titles.get(f.code, "其他问题"),
            f.message,
        ]
        for i, f in enumerate(vr.findings, start=1)
    ]
    unread = "；".join(
        _where(f) + (f"［{s}］" if s else "") + f"：{why}" for f, s, why in vr.ignored_sheets
    )
    if not rows:
        sheet.note("未发现问题。")
        if unread:
            sheet.note(f"未读取：{unread}")
        return
    sheet.table(
        [
            Col("序号", INT, align=CENTER),
            Col("级别", colour="severity", align=CENTER),
            Col("台账"),
            Col("文件", cap=20),
            Col("工作表", cap=12),
            Col("行", INT),
            Col("列", cap=14),
            Col("值", cap=16),
            Col("问题", cap=18),
            Col("说明", cap=44),
        ],
        rows,
        freeze=1,
        filter_=True,
        repeat=True,
    )
    sheet.note("注：有错误的行不计入任何数字，警告行照常计入。")
    if unread:
        sheet.note(f"未读取：{unread}")


SHEET_NOTES = (
    (
        overview.SHEET,
        "第一页：到位资金总目标的完成情况、完成目标所需进度、各区情况和需要关注的问题。",
    ),
    ("目标完成情况", "方案每项可计量目标的目标值、完成值、完成率、序时进度和状态。"),
    ("分区调度表", "各区本月及本年累计的调度数字（飞地项目按分成比例计入），附各区到位资金图。"),
    (
        YEAR_SHEET,
        "调度数字的同比（上年同月、上年同期），各区年度考评目标（计划文件）的完成率和序时进度。",
    ),
    ("到位资金", "统计口径、历年和按月累计的纳统到位资金，附累计与序时进度图。"),
    (
        projects.KEY_SHEET,
        "总投资达到重大项目标准、已签约、尚未投产的项目，按区分组，有预警的在前。",
    ),
    (
        "项目进度",
        "项目库按阶段的个数和总投资，落地、开工、竣工、投产、到位、手续办结等比率及分布。",
    ),
    ("园区亩均", "各园区及开发区整体的亩均投资、亩均产值、亩均税收。"),
    ("产业集群", "各产业集群产值与其规模等级对照（附图）。"),
    (projects.OTHER_SHEET, "其余已签约项目（含已投产、已终止）的阶段、金额和预警。"),
    ("校验问题", "台账校验发现的问题：文件、工作表、行、列和说明。"),
    ("说明", "口径、单位、数字修约规则和数据来源。"),
)


def sheet_about(sheet: Sheet, report: MonthReport) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS

    checked = report.checked
    plan = checked.plan
    t = report.targets
    vr = checked.report
    opening(sheet, report, f"说明（{report.label}）")
    items: list[tuple[str, str]] = []
    if report.synthetic:
        items.append(("数据来源", SAMPLE_LINE))
    items += [
        ("方案", plan.name),
        ("计划期", f"{plan.start.isoformat()} 至 {plan.end.isoformat()}"),
        ("报告月份", report.label),
        ("数据截止日期", report.as_of_date.isoformat()),
        ("序时进度", _elapsed(report)),
    ]
    if report.ledger_as_of != report.as_of_date:
        items.append(
            (
                "台账校验日期",
                f"{report.ledger_as_of.isoformat()}（台账按此日期校验一次；本表只计入 "
                f"{report.as_of_date.isoformat()} 及以前发生的数字）",
            )
        )
    items += [
        (
            "校验结果",
            f"{vr.errors:,} 个错误、{vr.warnings:,} 个警告；有错误的行不计入任何数字（明细见“校验问题”）。",
        ),
        (
            "计算依据",
            f"{t.rows_used:,} 行台账数据，{t.rows_rejected:,} 行因错误未计入"
            + (
                f"，{t.rows_out_of_scope:,} 行日期在截止日期之后（不在统计范围内）"
                if t.rows_out_of_scope
                else ""
            )
            + "。",
        ),
        (
            "统计口径",
            f"到位资金计入总投资 {plan.counting.min_project_investment:,.0f} 万元及以上、来源地区属于"
            f"{'、'.join(plan.counting.counted_groups)}、且未标记“是否纳统 = 否”的项目；"
            "其余到位资金单列为未纳统，不计入目标；飞地项目只计市内份额。",
        ),
        (
            "金额单位",
            "全市、各区、园区和计划的金额为亿元，保留两位小数；单个项目的金额为万元，取整数；"
            "外资为万美元；比率的差为个百分点。",
        ),
        (
            "数字修约",
            "单元格中存放的就是显示的数（已四舍五入）。分项按尾差调整，使分项之和等于合计，"
            "每个分项与其精确值之差不超过末位的 1；全市各月到位资金为相邻两月累计数之差。",
        ),
        ("状态灯", LIGHT_RULE),
        (
            "状态",
            "已完成：目标年度（计划期）的完整数据已达到目标，或已不可能落空（累计已达总量、"
            "目标年的1—N月已达全年目标）；符合序时：最新数据不低于同期应达值（累计：目标 × 序时；"
            "增速：目标增速；水平：基年到目标年的路径）；落后序时：最新数据低于同期应达值；"
            "未完成：目标年度（计划期）的完整数据未达到目标；待数据：判断所需的数据（如目标年全年数据、"
            "年报）还没有，说明里写明待哪些数据；无数据：缺少计算所需的台账或数据，不是零。",
        ),
    ]
    sheet.table(
        [Col("项目", width=14), Col("内容", cap=80)],
        [[k, v] for k, v in items],
    )
    for text in t.notes:
        sheet.note(f"注：{text}")
    sheet.skip()
    sheet.section("使用的台账")
    rows: list[list[Any]] = []
    for key, spec in LEDGERS.items():
        stats = vr.ledgers.get(key)
        if stats is None:
            rows.append(
                [
                    spec.stem_zh,
                    "未提供" + ("（可选）" if spec.optional else ""),
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            )
            continue
        sources = "、".join(_where(f) + (f"［{s}］" if s else "") for f, s in stats.sources)
        rows.append(
            [
                spec.stem_zh,
                sources,
                stats.read,
                stats.accepted,
                stats.rejected,
                stats.skipped,
                stats.out_of_scope,
            ]
        )
    sheet.table(
        [
            Col("台账", width=14),
            Col("来源（文件［工作表］）", cap=50),
            Col("读取行数", INT),
            Col("接受", INT),
            Col("拒绝", INT),
            Col("跳过", INT),
            Col("截止日期后", INT),
        ],
        rows,
    )
    sheet.note(
        "注：跳过的是标题、合计、空行和表尾（填报人、注等），不是数据；截止日期后的行不在统计范围内。"
    )
    sheet.skip()
    sheet.section("各工作表")
    sheet.table([Col("工作表", width=14), Col("内容", cap=80)], [list(x) for x in SHEET_NOTES])


SHEET_BUILDERS: dict[str, Callable[[Sheet, MonthReport], None]] = {
    overview.SHEET: overview.build,
    "目标完成情况": sheet_targets,
    "分区调度表": sheet_dispatch,
    YEAR_SHEET: sheet_dispatch_year,
    "到位资金": sheet_capital,
    projects.KEY_SHEET: projects.sheet_key,
    "项目进度": projects.sheet_funnel,
    "园区亩均": sheet_parks,
    "产业集群": sheet_clusters,
    projects.OTHER_SHEET: projects.sheet_others,
    "校验问题": sheet_findings,
    "说明": sheet_about,
}
REPORT_SHEETS = tuple(SHEET_BUILDERS)
