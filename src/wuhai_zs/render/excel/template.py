"""The ledger template: title block, example row, marked header, dropdowns with prompts, 填写说明."""

# Columns, required marks, conditions, signs, bounds and vocabularies come from the contract
# (`ledgers.columns`) and the plan; nothing here restates them.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from wuhai_zs.render.excel.book import (
    BODY,
    BODY_FONT,
    BORDER,
    CENTER,
    DATE,
    HEAD,
    HEADER_FILL,
    LINE,
    MONTH,
    YEAR,
    BookInfo,
    Col,
    Sheet,
    display_width,
    new_workbook,
    put,
    save,
    workbook_bytes,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from wuhai_zs.ledgers.columns import Column, Form, Ledger
    from wuhai_zs.plan.model import Plan

OPTIONS_SHEET = "选项"
GUIDE_SHEET = "填写说明"
# Arrivals come in two layouts; the template carries the row-per-arrival one.
TEMPLATE_FORMS = {"arrivals": "log"}
# Rows of a ledger sheet: title, 填报单位 line, how to fill, the example, the header, the data.
TITLE_ROW, BYLINE_ROW, HINT_ROW, EXAMPLE_ROW, HEADER_ROW = 1, 2, 3, 4, 5
FIRST_ROW = HEADER_ROW + 1
LAST_ROW = 1_048_576  # the whole column: checks and formats reach every row Excel has
FROZEN = {"projects": 2}  # columns frozen beside the rows above the data (default 1)

CELL_FORMAT = {
    "money": "#,##0.00",
    "usd": "#,##0.00",
    "area": "#,##0.00",
    "number": "#,##0.00",
    "int": "0",
    "date": DATE,
    "month": MONTH,
    "year": YEAR,
    "share": "0%",
}
KIND_HINT = {
    "money": "数字，单位万元",
    "usd": "数字，单位万美元",
    "area": "数字，单位亩",
    "int": "整数",
    "date": "日期，如 2025-03-05",
    "month": "月份，如 2025-03",
    "year": "年份，如 2025",
    "bool": "是/否",
    "share": "小数或百分数，如 60%",
    "tags": "可填多个，用顿号“、”分隔",
}
SIGN_WORDS = {"positive": "大于 0", "non-negative": "不小于 0"}
REQUIRED_FILL = PatternFill("solid", start_color="FCE4D6", end_color="FCE4D6")
EXAMPLE_FONT = Font(name=BODY, size=10.5, italic=True, color="7F7F7F")
EXAMPLE_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
MARK_FONT = Font(name=HEAD, size=10.5, color="C00000", bold=True)
HEADER_FONT = Font(name=HEAD, size=10.5)


@dataclass(frozen=True)
class Choice:
    """A dropdown: its values, and whether other values are refused or only noted."""

    name: str  # defined name of the list on the 选项 sheet
    title: str
    values: tuple[str, ...]
    strict: bool = True


def template_choices(plan: Plan) -> dict[tuple[str, str], Choice]:
    """Every dropdown, from the contract's values (strict ones refuse others) and yes/no kinds.

    Columns offering the same values share one list on the 选项 sheet.
    """
    from wuhai_zs.ledgers.columns import LEDGERS, YES_NO

    out: dict[tuple[str, str], Choice] = {}
    lists: dict[tuple[str, ...], tuple[str, str]] = {}
    for key, spec in LEDGERS.items():
        for column in spec.columns:
            if column.values is not None:
                values = column.values.resolve(plan)
                # A cell may hold several tags: a dropdown can only suggest one.
                strict = column.values.strict and column.kind != "tags"
            elif column.kind == "bool":
                values, strict = YES_NO, True
            else:
                continue
            if not values:  # a plan without such a list (no countries): a column without one
                continue
            name, title = lists.setdefault(values, (f"list_{key}_{column.key}", column.header))
            out[(key, column.key)] = Choice(name, title, values, strict)
    return out


def template_form(spec: Ledger) -> Form:
    """The layout of a ledger that the template carries."""
    return (
        spec.form_named(TEMPLATE_FORMS[spec.key])
        if spec.key in TEMPLATE_FORMS
        else spec.default_form
    )


def template_columns(ledger_key: str) -> list[Column]:
    from wuhai_zs.ledgers.columns import LEDGERS

    spec = LEDGERS[ledger_key]
    return [spec.by_key[k] for k in template_form(spec).columns]


def _form(spec: Ledger) -> tuple[set[str], set[str]]:
    """(required columns, columns of an either-or group) of the layout the template carries."""
    form = template_form(spec)
    return set(spec.required(form)), {k for group in form.one_of for k in group}


def column_notes(ledger: str, column: Column, plan: Plan) -> list[str]:
    """What a clerk must know about a column, from the contract: when it is required, how it
    stands to other columns, its sign, then its note."""
    from wuhai_zs.ledgers.columns import LEDGERS

    spec = LEDGERS[ledger]
    notes: list[str] = []
    _, either = _form(spec)
    if column.key in either:
        others = [spec.by_key[k].display for k in sorted(either) if k != column.key]
        notes.append(f"与{'、'.join(others)}至少填一项")
    if column.refers is not None:
        target = LEDGERS[column.refers]
        notes.append(f"须为{target.stem_zh}中的{target.by_key[column.key].header}")
    if column.when is not None:
        notes.append(column.when.note(spec, plan))
    if column.not_before:
        notes.append(f"不早于{spec.by_key[column.not_before].header}")
    if column.not_above:
        notes.append(f"不大于{spec.by_key[column.not_above].header}")
    if column.sign:
        notes.append(SIGN_WORDS[column.sign])
    if column.bounds:
        notes.append(f"{column.bounds.low:g}—{column.bounds.high:g}")
    if column.note:
        notes.append(column.note)
    return notes


def _examples(plan: Plan) -> dict[str, dict[str, Any]]:
    """One made-up row per ledger, valid against the plan (a major project, so 五个一 is filled)."""
    from wuhai_zs.ledgers.columns import ACTIVITY_KINDS

    major = int(plan.major_project.threshold * 1.2)
    district = plan.districts[0]
    return {
        "projects": {
            "project_id": "WH-2025-001",
            "name": "某某新材料产业化项目",
            "district": district,
            "park": plan.parks[0],
            "industry": plan.industries[0],
            "investor": "某某新材料有限公司",
            "investor_tags": plan.tags[0] if plan.tags else None,
            "source_region": plan.key_regions[0] if plan.key_regions else None,
            "total_investment": major,
            "stage": "开工",
            "signed_on": dt.date(2025, 3, 5),
            "planned_start": dt.date(2025, 5, 1),
            "started_on": dt.date(2025, 5, 20),
            "land_mu": 300,
            "leader": "张某某",
            "task_force": "某某项目工作专班",
            "work_plan": "是",
            "permits_required": 12,
            "permits_done": 9,
            "counted": "是",
        },
        "arrivals": {
            "project_id": "WH-2025-001",
            "date": dt.date(2025, 6, 30),
            "amount": 5000,
            "note": "首笔到位",
        },
        "parks": {
            "park": plan.parks[0],
            "year": 2024,
            "land_mu": 1000,
            "fixed_investment": 230000,
            "output": 150000,
            "tax": 9000,
        },
        "output": {"year": 2025, "month": 6, "scope": "全市", "output": 2000000},
        "activities": {
            "date": dt.date(2025, 4, 10),
            "kind": ACTIVITY_KINDS[0],
            "district": district,
            "leader": "李某某",
            "top_leader": "是",
            "destination": "上海",
            "firms_met": 5,
            "projects_signed": 1,
            "signed_amount": 50000,
        },
    }


def _rule(ledger: str, column: Column, choice: Choice | None, notes: list[str]) -> Any:
    """The column's data validation: its dropdown or number/date check, with an input prompt."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from wuhai_zs.ledgers.columns import FIRST_YEAR, LAST_YEAR, LEDGERS

    kind = column.kind
    hint = "；".join(notes)
    if choice is not None:
        rule = DataValidation(type="list", formula1=choice.name, allow_blank=True)
        rule.errorStyle = "stop" if choice.strict else "information"
        rule.error = (
            f"请从下拉列表中选择{choice.title}"
            if choice.strict
            else f"不在{choice.title}常用列表中，请确认填写无误"
        )
        prompt = ("请从下拉列表选择" if choice.strict else "可从下拉列表选择，也可直接填写") + (
            f"；{hint}" if hint else ""
        )
    elif column.refers is not None:
        # The ledger it refers to is a sheet of the same template: offer its keys.
        target = LEDGERS[column.refers]
        letter = get_column_letter(
            template_columns(target.key).index(target.by_key[column.key]) + 1
        )
        rule = DataValidation(
            type="list",
            formula1=f"'{target.stem_zh}'!${letter}${FIRST_ROW}:${letter}${LAST_ROW}",
            allow_blank=True,
        )
        rule.errorStyle = "warning"
        rule.error = (
            f"该{column.header}不在本文件的{target.stem_zh}中，请核对（在其他文件中时可继续）"
        )
        prompt = "可从下拉列表选择；" + hint
    else:
        bounds = column.bounds
        if bounds is not None:
            low, high = (f"{v:g}" for v in (bounds.low, bounds.high))
            whole = kind == "int"
            rule = DataValidation(
                type="whole" if whole else "decimal",
                operator="between",
                formula1=low,
                formula2=high,
            )
            rule.error = f"{column.header}应为 {low}—{high} 的{'整数' if whole else '数'}" + (
                "（可输入百分数，如 60%）" if kind == "share" else ""
            )
        elif kind in ("money", "usd", "area", "number"):
            positive = column.sign == "positive"
            rule = DataValidation(
                type="decimal",
                operator="greaterThan" if positive else "greaterThanOrEqual",
                formula1="0",
            )
            rule.error = f"{column.display}应为{'大于' if positive else '不小于'} 0 的数字"
        elif kind == "int":
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
            rule.error = f"{column.display}应为不小于 0 的整数"
        elif kind == "year":
            rule = DataValidation(
                type="whole", operator="between", formula1=str(FIRST_YEAR), formula2=str(LAST_YEAR)
            )
            rule.error = "年度应为 4 位年份，如 2025"
        elif kind in ("date", "month"):
            rule = DataValidation(
                type="date",
                operator="between",
                formula1=f"DATE({FIRST_YEAR},1,1)",
                formula2=f"DATE({LAST_YEAR},12,31)",
            )
            rule.error = "请输入日期，如 2025-03-05" if kind == "date" else "请输入月份，如 2025-03"
            rule.errorStyle = "warning"  # a date typed as text is still read
        else:
            rule = DataValidation(type="custom", formula1="TRUE", allow_blank=True)
            rule.showErrorMessage = False
        prompt = "；".join(x for x in (KIND_HINT.get(kind, ""), hint) if x)
    rule.errorTitle = column.header
    if rule.showErrorMessage is not False:
        rule.showErrorMessage = True
    rule.allow_blank = True
    if prompt:
        rule.promptTitle = column.header[:32]
        rule.prompt = prompt[:255]
        rule.showInputMessage = True
    return rule


def _ledger_sheet(
    wb: Workbook, book: BookInfo, plan: Plan, key: str, choices: dict[tuple[str, str], Choice]
) -> Sheet:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from wuhai_zs.ledgers.columns import LEDGERS

    spec = LEDGERS[key]
    sheet = Sheet.new(wb, spec.stem_zh, book)
    ws = sheet.ws
    columns = template_columns(key)
    required, _ = _form(spec)
    example = _examples(plan).get(key, {})
    money = any(c.kind == "money" for c in columns)
    sheet.span_cols = min(len(columns), 7)  # titles stay on the first printed page
    sheet.title(f"乌海市招商引资{spec.stem_zh}")
    sheet.byline(
        "填报单位："
        + "　" * 10
        + "（盖章）　　填报日期：　　　年　　月　　日"
        + ("　　金额单位：万元" if money else "")
    )
    sheet.note(
        f"填写说明：第 {EXAMPLE_ROW} 行（灰色）是填写示例，不会被读取；表头带红色 * 的列必填。"
        f"请从第 {FIRST_ROW} 行起逐行填写，不要改动表头、不要插入合计行；"
        f"各列要求见“{GUIDE_SHEET}”，选中单元格时也有提示。"
    )
    mark = InlineFont(rFont=HEAD, sz=10.5, color="C00000", b=True)
    plain = InlineFont(rFont=HEAD, sz=10.5)
    for c, column in enumerate(columns, start=1):
        letter = get_column_letter(c)
        is_required = column.key in required
        header = ws.cell(row=HEADER_ROW, column=c)
        header.value = (
            CellRichText(TextBlock(mark, "*"), TextBlock(plain, column.display))
            if is_required
            else column.display
        )
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if is_required else HEADER_FILL
        header.border = BORDER
        header.alignment = CENTER
        fmt = CELL_FORMAT.get(column.kind)
        value = example.get(column.key)
        cell = put(ws, EXAMPLE_ROW, c, value, fmt, EXAMPLE_FONT)
        cell.fill = EXAMPLE_FILL
        cell.border = BORDER
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
        ws.column_dimensions[letter].font = BODY_FONT
        choice = choices.get((key, column.key))
        notes = column_notes(key, column, plan)
        rule = _rule(key, column, choice, notes)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
        ws.add_data_validation(rule)
        width = display_width(column.display) + 4
        if column.kind == "text" and choice is None:
            width = max(width, 24 if column.key in ("name", "investor", "note") else 14)
        if choice is not None:
            width = max(width, max(display_width(v) for v in choice.values) + 4)
        if value is not None:
            width = max(width, display_width(str(value)) + 3)
        if column.kind in ("date", "month"):
            width = max(width, 13)
        sheet.fixed[c] = float(min(width, 28))
    sheet.last_col = len(columns)
    sheet.heights[EXAMPLE_ROW] = LINE + 3
    sheet.heights[HEADER_ROW] = 2 * LINE + 6
    sheet.row = HEADER_ROW + 1
    sheet.repeat_rows = (HEADER_ROW, HEADER_ROW)  # later pages: the header, not the title block
    frozen = FROZEN.get(key, 1)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=frozen + 1)
    sheet.repeat_cols = f"A:{get_column_letter(frozen)}"
    sheet.open_ended = True
    return sheet


def build_template(plan: Plan, book: BookInfo) -> Workbook:
    from openpyxl.workbook.defined_name import DefinedName

    from wuhai_zs.ledgers.columns import LEDGERS

    wb = new_workbook()
    choices = template_choices(plan)
    guide = Sheet.new(wb, GUIDE_SHEET, book)
    sheets = [_ledger_sheet(wb, book, plan, key, choices) for key in LEDGERS]
    _guide(guide, plan, choices)
    for sheet in sheets:
        sheet.finish()
    options = wb.create_sheet(OPTIONS_SHEET)
    lists = {c.name: c for c in choices.values()}
    for c, choice in enumerate(lists.values(), start=1):
        letter = get_column_letter(c)
        put(options, 1, c, choice.title, font=HEADER_FONT)
        for r, value in enumerate(choice.values, start=2):
            put(options, r, c, value)
        options.column_dimensions[letter].width = (
            max(display_width(v) for v in (*choice.values, choice.title)) + 2
        )
        ref = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(choice.values) + 1}"
        wb.defined_names[choice.name] = DefinedName(choice.name, attr_text=ref)
    options.sheet_state = "hidden"
    wb.active = 1
    return wb


def _guide(sheet: Sheet, plan: Plan, choices: dict[tuple[str, str], Choice]) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS

    sheet.title("招商引资台账填写说明")
    sheet.byline(f"方案：{plan.name}" + (f"　　汇总单位：{plan.office}" if plan.office else ""))
    stems = "、".join(spec.stem_zh for spec in LEDGERS.values())
    optional = "、".join(spec.stem_zh for spec in LEDGERS.values() if spec.optional)
    general = [
        (
            "工作表",
            f"每个台账一张工作表（{stems}），表名不要改；“{GUIDE_SHEET}”不会被读取。"
            + (f"{optional}可不填。" if optional else ""),
        ),
        (
            "表头",
            f"第 {HEADER_ROW} 行为表头，不要改动、删除或调换；带红色 * 的列必填；"
            "金额单位已写在表头中（万元、万美元、亩）。表头以上的标题、填报单位和示例行不会被读取。",
        ),
        (
            "逐行填写",
            f"从第 {FIRST_ROW} 行起每行一条记录；不要插入合计、小计行（即使插入也会被识别并跳过）；"
            "表尾可写填报人、审核人、联系电话。",
        ),
        (
            "下拉列表",
            "带下拉箭头的列请从列表中选择；企业标签、来源国别、飞出地/飞入地、推进方案等列也可直接输入。"
            "选中单元格时会提示该列的填写要求。",
        ),
        ("日期", "日期按 2025-03-05 输入（也可 2025/3/5、2025年3月5日）；月份按 2025-03 输入。"),
        (
            "到位资金",
            "模板为逐笔记录格式；按月报送（报告月份、本月到位资金、本年累计到位资金）的台账同样可以读取。",
        ),
        (
            "统计口径",
            f"到位资金计入总投资 {plan.counting.min_project_investment:,.0f} 万元及以上、来源地区属于"
            f"{'、'.join(plan.counting.counted_groups)}、且未标记“是否纳统 = 否”的项目。",
        ),
    ]
    sheet.section("一、总体要求")
    for i, (topic, text) in enumerate(general, start=1):
        sheet.note(f"{i}. {topic}：{text}")
    sheet.skip()
    sheet.section("二、各台账的列")
    for key, spec in LEDGERS.items():
        required, either = _form(spec)
        sheet.section(f"{spec.stem_zh}{'（可选，不填不影响其他台账）' if spec.optional else ''}")
        rows = []
        for i, column in enumerate(template_columns(key), start=1):
            choice = choices.get((key, column.key))
            notes = column_notes(key, column, plan)
            if column.key in required:
                need = "必填"
            elif column.key in either:
                need = "二选一"
            elif column.when is not None:
                need = "视情况"
            else:
                need = "选填"
            hints = [*notes]
            if choice is not None:
                listed = "、".join(choice.values)
                hints.append(("从下拉列表选择：" if choice.strict else "常用：") + listed)
            elif column.kind in KIND_HINT:
                hints.append(KIND_HINT[column.kind])
            rows.append([i, column.display, need, "；".join(hints) or "文本"])
        sheet.table(
            [
                Col("序号", "#,##0", width=5, align=CENTER),
                Col("列", cap=22),
                Col("是否必填", width=9, align=CENTER),
                Col("填写要求", cap=64),
            ],
            rows,
        )
    sheet.finish()


def template_book(plan: Plan) -> BookInfo:
    return BookInfo(
        title="乌海市招商引资台账模板",
        subject=plan.name,
        office=plan.office,
        synthetic=False,
        keywords="招商引资;台账;模板",
    )


def write_template(plan: Plan, path: Path) -> None:
    """The ledger template at `path`, written atomically."""
    stamp = dt.datetime.combine(plan.start, dt.time())
    book = template_book(plan)
    save(lambda: workbook_bytes(build_template(plan, book), stamp, book), path)


def header_cells(ws: Worksheet) -> list[str]:
    """The header texts of a ledger sheet as a reader sees them (required marks included)."""
    return [str(c.value) for c in ws[HEADER_ROW] if c.value is not None]
