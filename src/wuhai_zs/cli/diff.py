"""`wuhai-zs diff`: what changed between two submissions of the ledgers, and what was revised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wuhai_zs.cli.options import ForceOption, JsonOption, PlanOption

HELP = (
    "比较同一套台账的两次报送（上次、本次）：新增和删除的项目、阶段和字段变化、"
    "新增月份的到位资金、已报月份资金的修订（数据修订）及其对各月纳统到位资金和各项目标的影响。"
    "退出码 0 完成；加 --fail-on-revision 时已报月份的资金或数字被修改为 1；台账无法读取为 2。"
)


def command(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="上次", help="上次报送的台账（文件夹或工作簿）。", show_default=False
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            metavar="本次", help="本次报送的台账（文件夹或工作簿）。", show_default=False
        ),
    ],
    plan: PlanOption = None,
    as_json: JsonOption = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="文件.xlsx",
            help="另写一个变化工作簿（.xlsx，所在文件夹须已存在；已有同名文件时须加 --force）。",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    fail_on_revision: Annotated[
        bool,
        typer.Option(
            "--fail-on-revision",
            help="已报月份（上次报送已覆盖的月份或年度）的资金或数字被修改时以退出码 1 结束，供 CI 使用。",
        ),
    ] = False,
    max_rows: Annotated[
        int,
        typer.Option(
            "--max-rows",
            min=0,
            metavar="数量",
            help="表格中每类变化最多列出多少行（--json 和工作簿始终完整）。",
        ),
    ] = 50,
) -> None:
    import sys

    from wuhai_zs.metrics.diff import compare, read
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render import console

    if output is not None:
        from wuhai_zs.cli.output import check_output

        check_output(output, force, suffix=".xlsx")
    loaded_plan = load_plan(plan)
    with console.progress("读取上次报送") as step:
        before = read(old, loaded_plan, step)
    with console.progress("读取本次报送") as step:
        after = read(new, loaded_plan, step)
    result = compare(before, after, str(old), str(new))
    if as_json:
        console.print_json(result, "diff")
    else:
        console.diff_view(result, max_rows)
    if output is not None:
        from wuhai_zs.render.diff_book import write_diff

        write_diff(result, output)
        print(f"已生成 {output}", file=sys.stderr)
    raise typer.Exit(1 if fail_on_revision and result.revision else 0)
