"""The `diff --output` workbook: one sheet per kind of change, built with the workbook toolkit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.render.excel.book import (
    DATE,
    PCT2,
    TOTAL,
    YI,
    BookInfo,
    Col,
    Sheet,
    new_workbook,
    save,
    workbook_bytes,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

    from wuhai_zs.metrics.diff import ArrivalChange, DiffResult

# 万元 with two decimals, and the 分 when an amount has them (a revision of 1 元 must show).
WAN_EXACT = "#,##0.00####"
SIGNED_WAN = "+#,##0.00####;-#,##0.00####;0.00"
FORMAT_BY_UNIT = {
    "亿元": YI,
    "万元": WAN_EXACT,
    "万美元": WAN_EXACT,
    "比率": PCT2,
    "亩": "#,##0.00##",
}
# A change of a target: never shown as 0.00 when it is not zero; rates in 个百分点.
SIGNED_EXACT = "+#,##0.00########;-#,##0.00########;0.00"
POINTS = '+0.00##" 个百分点";-0.00##" 个百分点";0.00" 个百分点"'


def write_diff(result: DiffResult, path: Path) -> None:
    """The workbook at `path`, written atomically and byte-for-byte reproducibly."""
    stamp = dt.datetime.combine(dt.date.fromisoformat(result.new.as_of), dt.time())
    book = _book(result)
    save(lambda: workbook_bytes(build_diff(result), stamp, book), path)


def _book(result: DiffResult) -> BookInfo:
    return BookInfo(
        title="台账变化（上次报送 → 本次报送）",
        subject="两次报送的台账比较",
        office=None,
        synthetic=result.synthetic,
        keywords="招商引资;台账;变化",
    )


def build_diff(result: DiffResult) -> Workbook:
    wb = new_workbook()
    book = _book(result)
    builders: tuple[tuple[str, Callable[[Sheet, DiffResult], None]], ...] = (
        ("说明", _about),
        ("项目变化", _projects),
        ("到位资金变化", _arrivals),
        ("各月纳统资金", _months),
        ("园区与产值", _figures),
        ("目标影响", _targets),
    )
    for name, builder in builders:
        sheet = Sheet.new(wb, name, book)
        builder(sheet, result)
        sheet.finish()
    return wb


def _about(sheet: Sheet, r: DiffResult) -> None:
    from wuhai_zs.metrics.diff import NEW_ZH, OLD_ZH

    sheet.title(
        "台账变化（上次报送 → 本次报送）",
        "由 wuhai-zs diff 根据两次报送的台账自动生成；同样的台账，生成的内容完全相同。",
    )
    if r.synthetic:
        sheet.note("示例数据（合成数据）：不是真实台账。")
    items: list[tuple[str, Any]] = [("摘要", r.summary), ("含已报月份的修订", r.revision)]
    for label, side in ((OLD_ZH, r.old), (NEW_ZH, r.new)):
        cov = side.coverage
        items += [
            (label, side.path),
            (f"{label}截止日期", dt.date.fromisoformat(side.as_of)),
            (
                f"{label}覆盖",
                "；".join(
                    f"{name}至 {cov[key]}"
                    for key, name in (
                        ("arrivals", "到位资金"),
                        ("parks", "园区"),
                        ("output", "产值"),
                    )
                    if cov.get(key)
                )
                or "无按期数据",
            ),
            (f"{label}校验", f"{side.errors} 个错误、{side.warnings} 个警告"),
        ]
    items.append(("目标比较日", f"{OLD_ZH}按 {r.cut}，{NEW_ZH}按 {r.new.as_of}"))
    sheet.pairs(items)
    sheet.section("比较方法")
    for line in METHOD:
        sheet.note(line)
    sheet.skip()
    if r.left_out:
        sheet.section("未比较的行（有错误的行不作为变化报告）")
        sheet.table(
            [
                Col("台账"),
                Col("原因", cap=50),
                Col(f"{OLD_ZH}行数", "#,##0"),
                Col(f"{NEW_ZH}行数", "#,##0"),
            ],
            [[LEDGERS[x.ledger].stem_zh, x.reason, x.old_rows, x.new_rows] for x in r.left_out],
        )
    if r.unreadable:
        sheet.section("无法读取的台账（与 validate 相同）")
        sheet.table(
            [
                Col("报送"),
                Col("文件"),
                Col("工作表"),
                Col("行", "#,##0"),
                Col("列"),
                Col("代码"),
                Col("说明", cap=60),
            ],
            [
                [
                    OLD_ZH if side == "old" else NEW_ZH,
                    f.file,
                    f.sheet,
                    f.row,
                    f.column,
                    f.code,
                    f.message,
                ]
                for side, f in r.unreadable
            ],
        )
    for note in r.notes:
        sheet.note(f"注：{note}")


METHOD = (
    "已报月份：上次报送中到位资金台账有数据的最后一个月及以前（园区台账为最后一个年度及以前，产值台账为"
    "最后一期及以前）。这些期间内的任何增删改都是数据修订。",
    "到位资金逐笔配对（流水账和月报都没有编号）：先按 项目编号＋到位日期（无日期时为月份）＋金额 配对，"
    "未配上的同一项目同一日期按出现先后配对为“修改”，再按 项目编号＋金额 配对为“改日期”，其余为新增或删除。",
    "项目编号按全角/半角、首尾空格和零宽字符归一后比较，显示时保留原样。",
    "任一方有错误的行不作为变化报告，单独计数；它们对纳统资金的影响列在“各月纳统资金”的“未比较的错误行”列。",
    "对目标的影响：本次报送限于上次已覆盖期间的结果 − 上次报送 = 修订部分；本次报送 − 该结果 = 新增月份部分。",
)


def _projects(sheet: Sheet, r: DiffResult) -> None:
    sheet.title(
        "项目变化", "按项目编号比较项目台账；阶段变化附各阶段日期；其余字段逐项列出原值与新值。"
    )
    cols = [
        Col("项目编号"),
        Col("项目名称", cap=30),
        Col("所属区"),
        Col("阶段"),
        Col("总投资（万元）", WAN_EXACT),
        Col("位置", cap=40),
    ]
    for title, refs in (("新增项目", r.added), ("删除项目", r.removed)):
        sheet.section(f"{title}（{len(refs)} 个）")
        sheet.table(
            cols,
            [[p.project_id, p.name, p.district, p.stage, p.total_investment, p.at] for p in refs],
        )
    sheet.section(f"阶段变化（{len(r.stages)} 个）")
    sheet.table(
        [
            Col("项目编号"),
            Col("项目名称", cap=30),
            Col("原阶段"),
            Col("原阶段日期", DATE),
            Col("新阶段"),
            Col("新阶段日期", DATE),
            Col("本次填入的阶段日期", cap=50),
        ],
        [
            [
                s.project_id,
                s.name,
                s.old_stage,
                _date(s.old_date),
                s.new_stage,
                _date(s.new_date),
                "；".join(f"{k} {d}" for k, d in s.dates.items()),
            ]
            for s in r.stages
        ],
    )
    sheet.section(f"字段变化（{len(r.fields)} 处）")
    sheet.table(
        [
            Col("项目编号"),
            Col("项目名称", cap=30),
            Col("字段"),
            Col("原值", cap=30),
            Col("新值", cap=30),
            Col("单位"),
        ],
        [[f.project_id, f.name, f.column, _cell(f.old), _cell(f.new), f.unit] for f in r.fields],
    )


CHANGE_COLS = (
    Col("类型"),
    Col("项目编号"),
    Col("项目名称", cap=30),
    Col("原日期/月份"),
    Col("新日期/月份"),
    Col("原金额（万元）", WAN_EXACT),
    Col("新金额（万元）", WAN_EXACT),
    Col("差额（万元）", SIGNED_WAN),
    Col("纳统影响（万元）", SIGNED_WAN),
    Col("原外资（万美元）", WAN_EXACT),
    Col("新外资（万美元）", WAN_EXACT),
    Col("上次位置", cap=40),
    Col("本次位置", cap=40),
)


def _change_row(c: ArrivalChange) -> list[Any]:
    from wuhai_zs.metrics.diff import KIND_ZH

    return [
        KIND_ZH[c.kind],
        c.project_id,
        c.name,
        c.old_when,
        c.new_when,
        c.old_amount,
        c.new_amount,
        c.difference,
        c.counted_effect,
        c.old_fdi_usd,
        c.new_fdi_usd,
        c.old_at,
        c.new_at,
    ]


def _arrivals(sheet: Sheet, r: DiffResult) -> None:
    a = r.arrivals
    sheet.title("到位资金变化", f"已报月份：{a.coverage or '无'} 及以前。金额单位万元，保留到分。")
    if not a.compared:
        sheet.note("两次报送中至少一次没有到位资金台账：未逐笔比较。")
        return
    sheet.section(f"已报月份的修订（{len(a.revisions)} 笔）")
    sheet.table(CHANGE_COLS, [_change_row(c) for c in a.revisions])
    sheet.section(f"新增月份的到位资金（{len(a.new_rows)} 笔）")
    sheet.table(CHANGE_COLS, [_change_row(c) for c in a.new_rows])
    sheet.section(f"本年累计修订（月报，{len(a.year_to_date)} 处）")
    sheet.table(
        [
            Col("项目编号"),
            Col("项目名称", cap=30),
            Col("月份"),
            Col("原本年累计（万元）", WAN_EXACT),
            Col("新本年累计（万元）", WAN_EXACT),
            Col("差额（万元）", SIGNED_WAN),
            Col("其中本月数修订（万元）", SIGNED_WAN),
            Col("本次位置", cap=40),
        ],
        [
            [
                y.project_id,
                y.name,
                y.month,
                y.old,
                y.new,
                None if y.new is None else y.new - y.old,
                y.from_month_changes,
                y.at,
            ]
            for y in a.year_to_date
        ],
    )
    sheet.section(f"统计口径变化（金额未变、纳统状态改变，{len(a.scope)} 个项目）")
    sheet.table(
        [
            Col("项目编号"),
            Col("项目名称", cap=30),
            Col("原状态", cap=30),
            Col("新状态", cap=30),
            Col("笔数", "#,##0"),
            Col("纳统影响（万元）", SIGNED_WAN),
            Col("其中已报月份（万元）", SIGNED_WAN),
        ],
        [
            [s.project_id, s.name, s.old_status, s.new_status, s.rows, s.effect, s.covered_effect]
            for s in a.scope
        ],
    )


def _months(sheet: Sheet, r: DiffResult) -> None:
    a = r.arrivals
    sheet.title(
        "各月纳统到位资金（统计口径）的变化",
        "只列有变化的月份。变化 = 逐笔变化 + 口径变化 + 未比较的错误行。",
    )
    if not a.compared:
        sheet.note("两次报送中至少一次没有到位资金台账：未比较。")
        return
    p = a.period
    rows: list[list[Any]] = [
        [
            m.month,
            "已报月份" if m.covered else "新增月份",
            "是" if m.in_period else "否",
            m.old_yi,
            m.new_yi,
            m.change,
            m.rows,
            m.scope,
            m.left_out,
        ]
        for m in a.months
    ]
    from decimal import Decimal

    rows.append(
        [
            f"计划期 {p['start']} 至 {p['end']}",
            f"已报 {p['revisions_wan']:+,.2f}；新增 {p['new_months_wan']:+,.2f}",
            "",
            p["old_counted_yi"],
            p["new_counted_yi"],
            Decimal(str(p["change_wan"])),
            None,
            None,
            None,
        ]
    )
    sheet.table(
        [
            Col("月份"),
            Col("期间", cap=40),
            Col("计划期内"),
            Col("原（亿元）", YI),
            Col("新（亿元）", YI),
            Col("变化（万元）", SIGNED_WAN),
            Col("其中逐笔变化（万元）", SIGNED_WAN),
            Col("其中口径变化（万元）", SIGNED_WAN),
            Col("其中未比较的错误行（万元）", SIGNED_WAN),
        ],
        rows,
        kinds=[""] * (len(rows) - 1) + [TOTAL],
        freeze=0,
        filter_=True,
        repeat=True,
    )


def _figures(sheet: Sheet, r: DiffResult) -> None:
    sheet.title("园区与产值", "园区台账按 园区＋年度、产值台账按 统计范围＋年度＋月份 比较。")
    sheet.table(
        [
            Col("台账"),
            Col("对象", cap=30),
            Col("期间"),
            Col("字段"),
            Col("类型"),
            Col("已报期间"),
            Col("原值", WAN_EXACT),
            Col("新值", WAN_EXACT),
            Col("差额", SIGNED_WAN),
            Col("单位"),
            Col("上次位置", cap=40),
            Col("本次位置", cap=40),
        ],
        [
            [
                LEDGERS[f.ledger].stem_zh,
                f.subject,
                f.period,
                f.column,
                {"added": "新增", "removed": "删除", "changed": "修改"}[f.kind],
                "是" if f.revision else "否",
                f.old,
                f.new,
                f.difference,
                f.unit,
                f.old_at,
                f.new_at,
            ]
            for f in r.figures
        ],
        freeze=0,
        filter_=True,
        repeat=True,
    )


def _targets(sheet: Sheet, r: DiffResult) -> None:
    from wuhai_zs.metrics.diff import NEW_ZH, OLD_ZH
    from wuhai_zs.metrics.targets import STATUS_ZH

    sheet.title(
        "对目标的影响",
        f"{OLD_ZH}按 {r.cut}、{NEW_ZH}按 {r.new.as_of} 计算；变化 = 已报月份修订 + 新增月份。",
    )
    rows, formats = [], []
    for t in r.targets:
        fmt = FORMAT_BY_UNIT.get(t.unit, "#,##0.00")
        rate = t.unit == "比率"
        changes = [
            None if v is None else (v * 100 if rate else v)
            for v in (t.change, t.from_revisions, t.from_new_periods)
        ]
        rows.append(
            [
                t.name,
                t.unit,
                t.old,
                t.new,
                *changes,
                STATUS_ZH.get(t.old_status, t.old_status),
                STATUS_ZH.get(t.new_status, t.new_status),
            ]
        )
        delta = POINTS if rate else SIGNED_EXACT
        formats.append([None, None, fmt, fmt, delta, delta, delta, None, None])
    sheet.table(
        [
            Col("目标", cap=30),
            Col("单位"),
            Col(OLD_ZH),
            Col(NEW_ZH),
            Col("变化"),
            Col("其中已报月份修订"),
            Col("其中新增月份"),
            Col(f"{OLD_ZH}状态", colour="status"),
            Col(f"{NEW_ZH}状态", colour="status"),
        ],
        rows,
        freeze=0,
        filter_=True,
        repeat=True,
        row_formats=formats,
    )


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value
