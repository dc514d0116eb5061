"""`wuhai-zs export`: the monthly workbook for the leadership, for one month or every month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wuhai_zs.cli.options import (
    AsOfOption,
    DataOption,
    ForceOption,
    MonthOption,
    PlanOption,
    load_inputs,
    parse_month,
)

if TYPE_CHECKING:
    from wuhai_zs.pipeline import Checked

HELP = (
    "生成月度调度工作簿（Excel），供领导审阅，按 A4 横向排版。\n\n"
    "工作表：总览、目标完成情况、分区调度表、分区同比与目标、到位资金、重点项目、项目进度、园区亩均、产业集群、"
    "其他签约项目、校验问题、说明，附原生图表。默认生成截止日期所在月份；--month 指定月份；"
    "--all-months 为计划期第一个月到截止月份每月各生成一个（台账只读一次）。"
    "输出文件已存在时不覆盖，除非加 --force。"
)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="文件.xlsx",
        help="要写入的 .xlsx 文件（所在文件夹须已存在）。",
        show_default=False,
    ),
]
AllMonthsOption = Annotated[
    bool,
    typer.Option(
        "--all-months", help="从计划期第一个月到截止月份，每月一个工作簿（配合 --output-dir）。"
    ),
]
OutputDirOption = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        metavar="文件夹",
        help="--all-months 的输出文件夹（不存在则创建）。"
        "文件名为 乌海市招商引资调度表_YYYY-MM.xlsx。",
        show_default=False,
    ),
]


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    month: MonthOption = None,
    output: OutputOption = None,
    all_months: AllMonthsOption = False,
    output_dir: OutputDirOption = None,
    force: ForceOption = False,
) -> None:
    from wuhai_zs.cli.output import check_folder, check_output
    from wuhai_zs.errors import UsageError

    if all_months:
        if output_dir is None:
            raise UsageError("--all-months 需要 --output-dir 指定输出文件夹")
        if output is not None or month is not None:
            raise UsageError("--all-months 不能与 --output 或 --month 同用")
        check_folder(output_dir, [], force)
        _batch(load_inputs(data, plan, as_of), output_dir, force)
        return
    if output is None:
        raise UsageError("需要 --output 指定要写入的 .xlsx 文件（或用 --all-months --output-dir）")
    if output_dir is not None:
        raise UsageError("--output-dir 只用于 --all-months")
    wanted = parse_month(month) if month is not None else None
    check_output(output, force, suffix=".xlsx")
    checked = load_inputs(data, plan, as_of, wanted)
    _single(checked, wanted, output)


def _rejected(checked: Checked) -> str:
    """How many rows the figures leave out, or nothing when every row counted."""
    rejected = sum(stats.rejected for stats in checked.report.ledgers.values())
    if not rejected:
        return ""
    return f"；{rejected:,} 行因错误未计入任何数字（用 wuhai-zs validate 查看）"


def _single(checked: Checked, month: dt.date | None, output: Path) -> None:
    from wuhai_zs.metrics.report import build, last_month
    from wuhai_zs.render.excel import write_report

    report = build(checked, month or last_month(checked))
    write_report(report, output)
    print(
        f"已生成 {output}（{report.label}，数据截至 {report.as_of_date.isoformat()}）"
        + _rejected(checked)
    )


def _batch(checked: Checked, folder: Path, force: bool) -> None:
    from wuhai_zs.cli.output import check_folder, make_folder
    from wuhai_zs.errors import UsageError
    from wuhai_zs.metrics.report import build, report_months
    from wuhai_zs.render.excel import report_name, write_report

    months = report_months(checked)
    if not months:
        raise UsageError(
            f"截止日期 {checked.as_of.date().isoformat()} 早于计划期，没有可生成的月份"
        )
    check_folder(folder, [report_name(m) for m in months], force)
    make_folder(folder)

    def one(month: dt.date) -> None:
        write_report(build(checked, month), folder / report_name(month))

    from wuhai_zs.render.console import progress

    with progress("生成月度工作簿") as step:
        for done, month in enumerate(months):
            step(done, len(months), f"{month:%Y-%m}")
            one(month)
    print(
        f"已生成 {len(months)} 个工作簿（{months[0]:%Y-%m} 至 {months[-1]:%Y-%m}）到 {folder}"
        + _rejected(checked)
    )
