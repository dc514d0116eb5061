"""The review as a workbook (`review --output 终期评估.xlsx`), built with the toolkit of `export`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wuhai_zs.metrics.targets import STATUS_ZH
from wuhai_zs.render.excel.book import (
    DATA,
    DATE,
    INT,
    PCT,
    PCT2,
    PER_MU,
    TOTAL,
    WAN,
    YI,
    BookInfo,
    Col,
    Sheet,
    new_workbook,
    save,
    workbook_bytes,
)
from wuhai_zs.render.review_text import (
    Section,
    Table,
    cell,
    period_text,
    sections,
    title,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

    from wuhai_zs.metrics.review import ReviewResult

ABOUT_SHEET = "说明"
GROWTH = "+0.0%;-0.0%;0.0%"
POINTS = '+0.00" 个百分点";-0.00" 个百分点";0.00" 个百分点"'
FORMATS = {
    "yi": YI,
    "wan": WAN,
    "usd": YI,  # 万美元 of the city: two decimals, as the targets show them
    "pct": PCT,
    "rate2": PCT2,
    "growth": GROWTH,
    "points": POINTS,
    "int": INT,
    "per_mu": PER_MU,
    "year": "0",
    "date": DATE,
}
CAPS = {"text": 40, "status": 10}


def write_review_book(result: ReviewResult, path: Path) -> None:
    """The review's workbook at `path`, written atomically and byte-for-byte reproducibly."""
    stamp = dt.datetime.fromisoformat(result.as_of)
    save(lambda: workbook_bytes(build_review_book(result), stamp, _book(result)), path)


def _book(result: ReviewResult) -> BookInfo:
    return BookInfo(
        title=title(result),
        subject="招商引资三年行动方案评估",
        office=None,
        synthetic=result.synthetic,
        keywords="招商引资;终期评估",
    )


def build_review_book(result: ReviewResult) -> Workbook:
    wb = new_workbook()
    book = _book(result)
    shown = sections(result)
    about = Sheet.new(wb, ABOUT_SHEET, book)
    _about(about, result, shown)
    about.finish()
    for section in shown:
        sheet = Sheet.new(wb, section.title[:31], book)
        _section(sheet, section)
        sheet.finish()
    return wb


def _about(sheet: Sheet, result: ReviewResult, shown: list[Section]) -> None:
    sheet.title(title(result))  # the toolkit adds the 示例数据 line under it for the sample
    t = result.targets
    validation = result.basis["validation"]
    items: list[tuple[str, Any]] = [
        ("方案", result.plan["name"]),
        ("评估期", period_text(result)),
        ("数据截止日期", dt.date.fromisoformat(result.as_of)),
        (
            "评估性质",
            "终期评估（计划期已结束，结论按期末完整数据）"
            if result.final
            else "期中评估（计划期尚未结束，结论按序时进度）",
        ),
        (
            "计算依据",
            f"{t.rows_used:,} 行台账数据；{validation['errors']:,} 个错误、"
            f"{validation['warnings']:,} 个警告，有错误的 {validation['rows_rejected']:,} 行不计入任何数字",
        ),
        ("金额单位", "城市、各区和计划的金额为亿元（两位小数），单个项目为万元；外资为万美元。"),
        (
            "生成",
            "wuhai-zs 按计划文件和统计口径从台账计算；同样的台账和计划文件，生成的内容完全相同。",
        ),
    ]
    sheet.pairs(items)
    for warning in result.warnings:
        sheet.note(f"注意：{warning}")
    sheet.section("各工作表")
    sheet.table(
        [Col("工作表"), Col("内容", cap=90)],
        [[s.title[:31], _contents(s)] for s in shown],
    )


def _contents(section: Section) -> str:
    names = [p.title.split("）", 1)[-1] for p in section.parts if p.title]
    tables = [tb.caption for p in section.parts for tb in p.tables]
    return "；".join(names or tables) or section.title


def _section(sheet: Sheet, section: Section) -> None:
    sheet.title(section.heading)
    first = True
    for part in section.parts:
        if part.title:
            if not first:
                sheet.skip()
            sheet.section(part.title)
        first = False
        for text in part.paragraphs:
            sheet.note(text)
        for block in part.tables:
            _table(sheet, block)


def _table(sheet: Sheet, block: Table) -> None:
    sheet.section(block.caption)
    cols = [
        Col(
            c.header,
            FORMATS.get(c.kind),
            cap=CAPS.get(c.kind, 16),
            colour="status" if c.kind == "status" else None,
        )
        for c in block.columns
    ]
    rows: list[list[Any]] = []
    formats: list[list[str | None]] = []
    for values in block.rows:
        row: list[Any] = []
        fmts: list[str | None] = []
        for i, column in enumerate(block.columns):
            raw, kind = cell(values[i] if i < len(values) else None, column)
            if kind == "status":
                raw = STATUS_ZH.get(str(raw), raw) if raw is not None else None
            elif kind == "points" and raw is not None:
                raw = raw * 100
            row.append(raw)
            fmts.append(FORMATS.get(kind))
        rows.append(row)
        formats.append(fmts)
    kinds = [DATA] * (len(rows) - block.total_rows) + [TOTAL] * block.total_rows
    sheet.table(cols, rows, kinds=kinds, row_formats=formats)
    for note in block.notes:
        sheet.note(f"注：{note}")
