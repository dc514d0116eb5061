"""The project sheets: stage funnel (项目进度), major projects under way (重点项目), the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wuhai_zs.metrics.rounding import apportion, half_up
from wuhai_zs.render.excel.book import (
    CENTER,
    DATA,
    DATE,
    GROUP,
    INT,
    PCT,
    SUBTOTAL,
    TOTAL,
    WAN,
    YI,
    Col,
    Sheet,
)
from wuhai_zs.render.excel.charts import BLUE, bar_chart
from wuhai_zs.render.excel.parts import opening

if TYPE_CHECKING:
    from wuhai_zs.metrics.report import MonthReport

KEY_SHEET = "重点项目"
OTHER_SHEET = "其他签约项目"
LEVEL_ZH = {"red": "红色", "yellow": "黄色"}
CHINESE_NUMERALS = "一二三四五六七八九十"


def sheet_funnel(sheet: Sheet, report: MonthReport) -> None:
    opening(sheet, report, "项目推进情况", "个、亿元")
    projects = report.projects
    if projects is None:
        sheet.note("缺少项目台账，无法计算项目推进情况。")
        return
    funnel = projects["funnel"]
    sheet.section("（一）项目阶段")
    invest = apportion([f["investment_yi"] for f in funnel], 2, projects["investment_yi"])
    rows: list[list[Any]] = [
        [i, f["stage"], f["count"], invest[i - 1], f["reached"]]
        for i, f in enumerate(funnel, start=1)
    ]
    total_invest = sum((Decimal(repr(v)) for v in invest if v is not None), Decimal(0))
    rows.append([None, "合计", projects["projects"], float(total_invest), None])
    table = sheet.table(
        [
            Col("序号", INT, width=4.5, align=CENTER),
            Col("阶段", align=CENTER),
            Col("项目数（个）", INT),
            Col("总投资（亿元）", YI),
            Col("累计达到该阶段（个）", INT),
        ],
        rows,
        kinds=[DATA] * (len(rows) - 1) + [TOTAL],
    )
    reached = [i for i, f in enumerate(funnel) if f["reached"] is not None]
    if reached:
        chart = bar_chart(
            sheet.ws,
            "项目漏斗（累计达到各阶段的项目数）",
            "项目数（个）",
            table.header_last,
            table.first + reached[0],
            table.first + reached[-1],
            2,
            [(5, BLUE, "累计达到该阶段")],
        )
        chart.legend = None
        sheet.chart(chart, col=7, row=table.header_first, width_cm=13, height_cm=6.5)
    sheet.note(
        f"注：{projects.get('reached_note') or '项目数为截止日期时处于该阶段的项目；累计达到为已填该阶段日期的项目（含此后已进入下一阶段的）。'}"
    )
    sheet.skip()
    sheet.section("（二）推进比率")
    rate_rows: list[list[Any]] = []
    formats: list[list[str | None]] = []
    for i, r in enumerate(projects["rates"], start=1):
        money = r["key"] == "funding"
        unit = "亿元" if money else ("件" if r["key"] == "permits" else "个")
        top, bottom = (
            (r["numerator_yi"], r["denominator_yi"])
            if money
            else (r["numerator"], r["denominator"])
        )
        rate_rows.append([i, r["name"], r["value"], top, bottom, unit])
        fmt = YI if money else INT
        formats.append([None, None, None, fmt, fmt, None])
    sheet.table(
        [
            Col("序号", INT, width=4.5, align=CENTER),
            Col("比率"),
            Col("数值", PCT),
            Col("分子"),
            Col("分母"),
            Col("单位", width=6, align=CENTER),
        ],
        rate_rows,
        row_formats=formats,
    )
    sheet.note(
        "口径：" + "；".join(f"{r['name']} = {r['definition']}" for r in projects["rates"]) + "。"
    )
    money_cols = [
        Col("项目数（个）", INT),
        Col("总投资（亿元）", YI),
        Col("已签约（个）", INT),
        Col("到位资金（亿元）", YI),
    ]

    def figures(r: dict[str, Any]) -> list[Any]:
        return [r["count"], r["investment_yi"], r["signed"], r["capital_yi"]]

    sheet.skip()
    sheet.section("（三）按来源地区")
    regions: list[list[Any]] = []
    for i, r in enumerate(projects["by_region"], start=1):
        regions.append([i, r["region"], *figures(r), r["group"], "是" if r["key_region"] else None])
        for c in r.get("countries", []):
            regions.append([None, f"　其中：{c['country']}", *figures(c), r["group"], None])
    number = Col("序号", INT, width=4.5, align=CENTER)
    sheet.table(
        [
            number,
            Col("来源地区", cap=20),
            *money_cols,
            Col("分组", align=CENTER),
            Col("重点区域", align=CENTER),
        ],
        regions,
    )
    sheet.skip()
    sheet.section("（四）按企业标签（一个项目可有多个标签）")
    sheet.table(
        [number, Col("企业标签", cap=20), *money_cols],
        [[i, r["tag"], *figures(r)] for i, r in enumerate(projects["by_tag"], start=1)],
    )
    sheet.skip()
    sheet.section("（五）按产业集群")
    sheet.table(
        [number, Col("产业集群", cap=20), *money_cols, Col("包含产业", cap=30)],
        [
            [i, r["cluster"], *figures(r), "、".join(r["industries"]) or None]
            for i, r in enumerate(projects["by_cluster"], start=1)
        ],
    )
    for text in projects.get("notes", []):
        sheet.note(f"注：{text}")


def _rate(arrived: float | None, total: float | None) -> float | None:
    if arrived is None or not total:
        return None
    return arrived / total


def _sums(rows: list[dict[str, Any]]) -> tuple[int, int | None]:
    invest = sum(int(half_up(p["total_investment"] or 0, 0) or 0) for p in rows)
    known = [p["arrived"] for p in rows if p["arrived"] is not None]
    arrived = sum(int(half_up(a, 0) or 0) for a in known) if known else None
    return invest, arrived


def _sum_row(lead: list[Any], members: list[dict[str, Any]]) -> list[Any]:
    """A 小计 or 合计 row: the leading cells, then 总投资, 累计到位 and 到位率 of the members."""
    invest, arrived = _sums(members)
    return [*lead, invest, arrived, _rate(arrived, invest)]


def _money(p: dict[str, Any]) -> tuple[int | None, int | None]:
    total = p["total_investment"]
    return (
        None if total is None else int(half_up(total, 0) or 0),
        None if p["arrived"] is None else int(half_up(p["arrived"], 0) or 0),
    )


def sheet_key(sheet: Sheet, report: MonthReport) -> None:
    key = report.key
    opening(sheet, report, "重大项目推进情况表", "万元")
    if key is None or report.projects is None:
        sheet.note("缺少项目台账，无法列出重大项目。")
        return
    threshold = key.threshold_wan / 10_000
    sheet.note(
        f"总投资 {threshold:,.0f} 亿元及以上、截止日期前已签约、尚未投产的项目（不含已终止），"
        f"共 {key.key_count:,} 个；按所属区分组，有预警的在前（红色、黄色），其余按总投资从大到小。"
    )
    cols = [
        Col("序号", INT, width=4.5, align=CENTER),
        Col("项目名称", cap=22),
        Col("项目编号", width=13),
        Col("产业类别", cap=10),
        Col("阶段", width=6, align=CENTER),
        Col("签约日期", DATE, width=11),
        Col("开工日期", DATE, width=11),
        Col("总投资", WAN),
        Col("累计到位", WAN),
        Col("到位率", PCT, width=7.5),
        Col("包联领导", cap=14),
        Col("预警", colour="level", width=6, align=CENTER),
        Col("预警内容", cap=30),
    ]
    rows: list[list[Any]] = []
    kinds: list[str] = []
    n = 0
    everyone: list[dict[str, Any]] = []
    for g, (district, members) in enumerate(key.groups):
        numeral = CHINESE_NUMERALS[g] if g < len(CHINESE_NUMERALS) else str(g + 1)
        flagged = sum(1 for p in members if p["flag"])
        rows.append([f"{numeral}、{district}（{len(members):,} 个，其中有预警 {flagged:,} 个）"])
        kinds.append(GROUP)
        for p in members:
            n += 1
            total, arrived = _money(p)
            rows.append(
                [
                    n,
                    p["name"],
                    p["project_id"],
                    p["industry"],
                    p["stage"],
                    p["signed_on"],
                    p["started_on"],
                    total,
                    arrived,
                    _rate(arrived, total),
                    p["leader"],
                    LEVEL_ZH.get(p["flag"] or ""),
                    p["flag_text"],
                ]
            )
            kinds.append(DATA)
        rows.append(
            _sum_row([None, f"{district}小计（{len(members):,} 个）", *[None] * 5], members)
        )
        kinds.append(SUBTOTAL)
        everyone += members
    rows.append(_sum_row([None, f"合计（{len(everyone):,} 个）", *[None] * 5], everyone))
    kinds.append(TOTAL)
    sheet.table(cols, rows, kinds=kinds, freeze=2, repeat=True, keep_whole=0)
    sheet.note(
        "注：金额为万元；累计到位为截止日期前到位的全部资金（含未纳统部分），到位率 = 累计到位 ÷ 总投资。"
    )
    if key.unsigned:
        listed = "；".join(
            f"{f.project_id} {f.name}（{f.district}，{f.stage}，{LEVEL_ZH.get(f.level, f.level)}：{f.text}）"
            for f in key.unsigned
        )
        sheet.note(f"注：另有 {len(key.unsigned):,} 个尚未签约的项目有预警，不在本表：{listed}。")


def sheet_others(sheet: Sheet, report: MonthReport) -> None:
    key = report.key
    opening(sheet, report, "其他签约项目情况表", "万元")
    if key is None or report.projects is None:
        sheet.note("缺少项目台账，无法列出签约项目。")
        return
    threshold = key.threshold_wan / 10_000
    sheet.note(
        f"截止日期前已签约、不在“{KEY_SHEET}”表中的项目（总投资不足 {threshold:,.0f} 亿元的，"
        f"以及已投产、已终止的），共 {len(key.others):,} 个；按所属区，有预警的在前，其余按总投资从大到小。"
    )
    rows: list[list[Any]] = []
    for i, p in enumerate(key.others, start=1):
        total, arrived = _money(p)
        rows.append(
            [
                i,
                p["district"],
                p["name"],
                p["project_id"],
                p["industry"],
                p["stage"],
                p["signed_on"],
                p["started_on"],
                p["producing_on"],
                total,
                arrived,
                _rate(arrived, total),
                LEVEL_ZH.get(p["flag"] or ""),
                p["flag_text"],
            ]
        )
    rows.append(_sum_row([None, "合计", f"{len(key.others):,} 个", *[None] * 6], key.others))
    sheet.table(
        [
            Col("序号", INT, width=5.5, align=CENTER),
            Col("所属区", width=9),
            Col("项目名称", cap=22),
            Col("项目编号", width=13),
            Col("产业类别", cap=8),
            Col("阶段", width=6, align=CENTER),
            Col("签约日期", DATE, width=11),
            Col("开工日期", DATE, width=11),
            Col("投产日期", DATE, width=11),
            Col("总投资", WAN),
            Col("累计到位", WAN),
            Col("到位率", PCT, width=7.5),
            Col("预警", colour="level", width=6, align=CENTER),
            Col("预警内容", cap=28),
        ],
        rows,
        kinds=[DATA] * (len(rows) - 1) + [TOTAL],
        freeze=3,
        filter_=True,
        repeat=True,
        keep_whole=0,
    )
    sheet.note("注：金额为万元；累计到位含未纳统部分，到位率 = 累计到位 ÷ 总投资。")
