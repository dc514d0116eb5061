"""总览: the report's first printed page: the 800 亿 headline, the pace it needs, districts, what lags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font, PatternFill

from wuhai_zs.metrics.overview import (
    LIGHT_ZH,
    light,
    most_behind,
    progress_words,
    schedule_points,
)
from wuhai_zs.metrics.rounding import amount, half_up, pct
from wuhai_zs.render.excel.book import (
    BORDER,
    CENTER,
    HEAD,
    HEADER_FILL,
    INT,
    LINE,
    PCT,
    POINTS,
    RATIO,
    STATUS_COLOURS,
    TOTAL,
    YI,
    Col,
    Sheet,
    put,
    text_lines,
)
from wuhai_zs.render.excel.parts import (
    FRACTION_NOTE,
    OUTSIDE_NOTE,
    OUTSIDE_ROW,
    count_formats,
    opening,
    signed_count,
    status_zh,
    unit_figures,
)

if TYPE_CHECKING:
    from wuhai_zs.metrics.report import MonthReport
    from wuhai_zs.metrics.targets import TargetResult

SHEET = "总览"
GRID = 10  # columns; each figure of the headline spans two
GRID_WIDTHS = (6.5, 14.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0, 16.0)
LABEL_FONT = Font(name=HEAD, size=10.5, color="404040")
BIG_FONT = Font(name=HEAD, size=22)
MID_FONT = Font(name=HEAD, size=16)
TEXT_FONT = Font(name="宋体", size=11.5)
TEXT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _figures(
    sheet: Sheet, items: list[tuple[str, Any, str | None]], font: Font, height: float
) -> None:
    """A row of labels over a row of large figures, each two grid columns wide."""
    ws = sheet.ws
    label_row, value_row = sheet.row, sheet.row + 1
    for i, (label, value, fmt) in enumerate(items):
        col = 1 + 2 * i
        top = put(ws, label_row, col, label, font=LABEL_FONT, align=CENTER)
        top.fill = HEADER_FILL
        put(ws, value_row, col, value, fmt, font=font, align=CENTER)
        for r in (label_row, value_row):
            ws.cell(row=r, column=col).border = BORDER
            ws.cell(row=r, column=col + 1).border = BORDER
            ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + 1)
        ws.cell(row=label_row, column=col + 1).fill = HEADER_FILL
    lines = max(
        text_lines(label, GRID_WIDTHS[2 * i] + GRID_WIDTHS[2 * i + 1])
        for i, (label, _, _) in enumerate(items)
    )
    sheet.heights[label_row] = LINE * lines + 4
    sheet.heights[value_row] = height
    sheet.row += 2


def _say(sheet: Sheet, text: str) -> None:
    """A sentence across the page."""
    ws = sheet.ws
    put(ws, sheet.row, 1, text, font=TEXT_FONT, align=TEXT)
    ws.merge_cells(start_row=sheet.row, start_column=1, end_row=sheet.row, end_column=GRID)
    lines = text_lines(text, sum(GRID_WIDTHS) / 1.05)
    sheet.heights[sheet.row] = 17.0 * lines + 3
    sheet.row += 1


def _yi(value: float | None) -> str:
    return amount(value)


def build(sheet: Sheet, report: MonthReport) -> None:
    for c, width in enumerate(GRID_WIDTHS, start=1):
        sheet.fixed[c] = width
    sheet.last_col = GRID
    sheet.fit_height = True
    opening(
        sheet,
        report,
        f"乌海市招商引资工作调度情况（{report.label}）",
        right=f"数据截至 {report.as_of_date.isoformat()}　　报送日期 {report.issued.isoformat()}",
    )
    capital = next((r for r in report.targets.targets if r.id == "capital_cumulative"), None)
    if capital is not None:
        _headline(sheet, report, capital)
    _pace(sheet, report)
    _districts(sheet, report)
    _attention(sheet, report)
    sheet.skip(6)
    sheet.sign(report.issued)


def _headline(sheet: Sheet, report: MonthReport, r: TargetResult) -> None:
    plan = report.checked.plan
    target = f"{r.target:,.0f} 亿元" if r.target is not None else "—"
    sheet.section(f"一、招商引资到位资金（{plan.start.year}—{plan.end.year}年累计目标 {target}）")
    pts = schedule_points(r)
    state = light(r)
    _figures(
        sheet,
        [
            ("累计完成（亿元）", r.actual, YI),
            ("完成目标任务", r.completion, PCT),
            ("序时进度", r.expected, PCT),
            ("较序时（个百分点）", pts, POINTS),
            ("状态", f"{status_zh(r.status)}（{LIGHT_ZH[state]}）", None),
        ],
        BIG_FONT,
        32.0,
    )
    _, ink, fill = next(x for x in STATUS_COLOURS["light"] if x[0] == LIGHT_ZH[state])
    cell = sheet.ws.cell(row=sheet.row - 1, column=9)
    cell.font = Font(name=HEAD, size=16, color=ink)
    cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    words = progress_words(r)
    gap = r.gap
    behind = ""
    if gap is not None and r.status in ("behind", "on_track"):
        behind = f"，较序时进度{'少' if gap < 0 else '多'} {amount(abs(gap))} 亿元"
    _say(
        sheet,
        f"截至 {report.as_of_date.year}年{report.as_of_date.month}月{report.as_of_date.day}日，"
        f"全市纳统到位资金累计 {_yi(r.actual)} 亿元，{words}{behind}。",
    )
    pace = report.pace
    if pace is not None:
        year = report.as_of_date.year
        text = f"本月到位 {_yi(pace.month_yi)} 亿元；{year}年累计到位 {_yi(pace.year_yi)} 亿元"
        if pace.last_year_yi:
            change = (pace.year_yi - pace.last_year_yi) / pace.last_year_yi
            text += (
                f"，比上年同期（{_yi(pace.last_year_yi)} 亿元）"
                f"{'增长' if change >= 0 else '下降'} {pct(abs(change))}"
            )
        _say(sheet, text + "。")


def _pace(sheet: Sheet, report: MonthReport) -> None:
    pace = report.pace
    if pace is None:
        return
    plan = report.checked.plan
    sheet.section("二、完成目标所需进度")
    window = f"近 {pace.window_months} 个月"
    if pace.needed_per_month_yi is None:
        if pace.remaining_yi <= 0:
            _say(sheet, "累计目标已完成。")
        else:
            _say(sheet, f"计划期已结束，差 {_yi(pace.remaining_yi)} 亿元未完成。")
        return
    _figures(
        sheet,
        [
            ("月均需到位（亿元）", pace.needed_per_month_yi, YI),
            (f"{window}月均（亿元）", pace.recent_per_month_yi, YI),
            ("所需为近期的（倍）", pace.needed_ratio, RATIO),
            ("照此进度期末（亿元）", pace.projected_yi, YI),
            ("期末完成目标任务", pace.projected_completion, PCT),
        ],
        MID_FONT,
        26.0,
    )
    if pace.recent_per_month_yi is None or pace.projected_yi is None:
        _say(
            sheet, f"余下 {pace.months_left} 个月需月均到位 {_yi(pace.needed_per_month_yi)} 亿元。"
        )
        return
    ratio = half_up(pace.needed_ratio, 1) if pace.needed_ratio is not None else None
    shortfall = half_up(pace.target_yi, 2) - (half_up(pace.projected_yi, 2) or 0)  # type: ignore[operator]
    end = f"{plan.end.year}年底"
    tail = (
        f"差 {amount(shortfall)} 亿元" if shortfall > 0 else f"超过目标 {amount(-shortfall)} 亿元"
    )
    _say(
        sheet,
        f"余下 {pace.months_left} 个月需月均到位 {_yi(pace.needed_per_month_yi)} 亿元，"
        f"是{window}月均（{_yi(pace.recent_per_month_yi)} 亿元）的 {ratio:.1f} 倍；"
        f"按{window}的进度，到{end}累计约 {_yi(pace.projected_yi)} 亿元，"
        f"完成目标任务的 {pct(pace.projected_completion)}，{tail}。",
    )


def _districts(sheet: Sheet, report: MonthReport) -> None:
    from wuhai_zs.metrics.districts import CITY

    figures = unit_figures(report)
    if figures is None:
        return
    sheet.section("三、各区情况")
    flagged = {u.unit: (u.warnings, u.warnings_red) for u in report.units}
    rows: list[list[Any]] = []
    names = [*figures.units, *([OUTSIDE_ROW] if figures.has_outside else []), CITY]
    for i, unit in enumerate(names, start=1):
        if unit == OUTSIDE_ROW:
            outside = figures.outside
            rows.append(
                [None, unit, outside["month"], outside["year_to_date"], outside["plan"]]
                + [None] * 5
            )
            continue
        warn, red = flagged.get(unit, (None, None))
        rows.append(
            [
                i if unit != CITY else None,
                unit if unit != CITY else "全市合计",
                figures.month["capital"][unit],
                figures.year["capital"][unit],
                figures.plan_counted[unit],
                signed_count(figures.year["signed"][unit]),
                signed_count(figures.year["started"][unit]),
                signed_count(figures.year["producing"][unit]),
                warn,
                red,
            ]
        )
    formats = count_formats(rows, {5, 6, 7})
    headers = [
        ("序号", INT),
        ("单位", None),
        ("本月到位资金\n（亿元）", YI),
        ("本年累计到位\n（亿元）", YI),
        ("计划期累计到位\n（亿元）", YI),
        ("本年签约项目\n（个）", INT),
        ("本年开工项目\n（个）", INT),
        ("本年投产项目\n（个）", INT),
        ("有预警的项目\n（个）", INT),
        ("其中红色预警\n（个）", INT),
    ]
    sheet.table(
        [
            Col(text, fmt, width=GRID_WIDTHS[i], align=CENTER if i == 0 else None)
            for i, (text, fmt) in enumerate(headers)
        ],
        rows,
        kinds=[""] * (len(rows) - 1) + [TOTAL],
        row_formats=formats,
    )
    sheet.note(
        "注：到位资金为纳统口径，飞地项目按分成比例计入各区；项目预警按所属区计，"
        "见“重点项目”“其他签约项目”表。"
        + (FRACTION_NOTE.removeprefix("注：") if formats is not None else "")
        + (OUTSIDE_NOTE.removeprefix("注：") if figures.has_outside else "")
    )


def _attention(sheet: Sheet, report: MonthReport) -> None:
    lines: list[str] = []
    others = [r for r in report.targets.targets if r.id != "capital_cumulative"]  # see 一
    for r in most_behind(others, 3):
        lines.append(f"{r.name}：{progress_words(r)}。")
    key = report.key
    flags = report.flags
    if flags is not None and key is not None:
        red = sum(1 for f in flags.values() if f.level == "red")
        key_flagged = sum(1 for _, rows in key.groups for p in rows if p["flag"])
        threshold = key.threshold_wan / 10_000
        lines.append(
            f"项目预警：{len(flags):,} 个项目有预警（红色 {red:,} 个）；"
            f"{threshold:,.0f} 亿元以上尚未投产的重大项目 {key.key_count:,} 个，其中 {key_flagged:,} 个有预警，"
            "见“重点项目”表。"
        )
    if not lines:
        return
    sheet.section("四、需要关注的问题")
    for i, text in enumerate(lines, start=1):
        _say(sheet, f"{i}. {text}")
