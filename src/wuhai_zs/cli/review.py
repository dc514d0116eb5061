"""`wuhai-zs review`: the plan period in review (终期评估), on the terminal, as JSON, .xlsx or .docx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wuhai_zs.cli.options import (
    AsOfOption,
    DataOption,
    ForceOption,
    JsonOption,
    PlanOption,
    load_inputs,
)

if TYPE_CHECKING:
    from wuhai_zs.metrics.review import ReviewResult

HELP = (
    "整个计划期的评估（终期评估）：每项目标的最终结论（规则同 targets；判断所需数据未报齐为待数据，"
    "并写明待哪些数据），基年和计划期各年的到位资金（同比、新签约与续建、国内/区内/境外、实际利用外资）、"
    "工业总产值、产业集群和开发区亩均，最后一年与实现目标所需的对比，各区完成情况和排名（飞地按市内份额），"
    "签约、开工、投产项目和按签约年度的落地率，最大的项目，以及数字所依据的口径、飞地、校验和计划本身的不一致。"
    "计划期已结束时按计划期末评估，否则按台账最晚日期。--output 写成 Word 初稿（.docx）或工作簿（.xlsx）。"
)
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="文件.docx|文件.xlsx",
        help="写成文件：.docx 为可直接粘贴进评估报告的 Word 初稿，.xlsx 为工作簿（所在文件夹须已存在；"
        "文件已存在时不覆盖，除非加 --force）。",
        show_default=False,
    ),
]
SUFFIXES = (".docx", ".xlsx")


def check_review_output(path: Path, force: bool) -> None:
    """Before any ledger is read: a .docx or .xlsx file (cli/output.py's one rule for files)."""
    from wuhai_zs.cli.output import check_output
    from wuhai_zs.errors import UsageError

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES and not path.is_dir():
        raise UsageError(f"{path}: 输出文件应以 .docx（Word 初稿）或 .xlsx（工作簿）结尾")
    check_output(path, force, suffix=suffix if suffix in SUFFIXES else ".docx")


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    from wuhai_zs import clock
    from wuhai_zs.cli.options import note as say_note
    from wuhai_zs.cli.options import parse_as_of
    from wuhai_zs.errors import UsageError
    from wuhai_zs.metrics.review import compute, review_as_of
    from wuhai_zs.plan.model import load_plan

    if output is not None:
        if as_json:
            raise UsageError("--json 与 --output 不能同用：--output 写文件，--json 输出到屏幕")
        check_review_output(output, force)
    when, note = review_as_of(load_plan(plan), parse_as_of(as_of), clock.today())
    if note:
        say_note(note)
    checked = load_inputs(data, plan, when.isoformat() if when else None)
    result = compute(checked, [note] if note else None)
    if output is not None:
        _write(result, output)
        return
    from wuhai_zs.render import console

    if as_json:
        console.print_json(result, "review")
    else:
        console.review_view(result)


def _write(result: ReviewResult, output: Path) -> None:
    if output.suffix.lower() == ".docx":
        from wuhai_zs.render.review_docx import write_docx

        write_docx(result, output)
    else:
        from wuhai_zs.render.review_book import write_review_book

        write_review_book(result, output)
    rejected = result.basis["validation"]["rows_rejected"]
    print(
        f"已生成 {output}（{result.plan['name']}，数据截至 {result.as_of}）"
        + (
            f"；{rejected:,} 行因错误未计入任何数字（用 wuhai-zs validate 查看）"
            if rejected
            else ""
        )
        + ("；示例数据" if result.synthetic else "")
    )
