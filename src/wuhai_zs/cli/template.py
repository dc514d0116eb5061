"""`wuhai-zs template`: an empty ledger workbook for the districts to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wuhai_zs.cli.options import ForceOption, PlanOption

HELP = (
    "生成空白台账模板（Excel 工作簿）。\n\n"
    "每个台账一张工作表：标题和填报单位行、填写示例、必填列标 *，区、园区、产业、阶段、来源地区、"
    "是/否等列有下拉列表和填写提示，整列检查数字和日期，附填写说明。填好后 wuhai-zs validate "
    "可直接校验。文件已存在时不覆盖，除非加 --force。"
)


def command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="文件.xlsx",
            help="要写入的 .xlsx 文件（所在文件夹须已存在）。",
            show_default=False,
        ),
    ],
    plan: PlanOption = None,
    force: ForceOption = False,
) -> None:
    from wuhai_zs.cli.output import check_output
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render.excel import write_template

    check_output(output, force, suffix=".xlsx")
    write_template(load_plan(plan), output)
    print(f"已生成台账模板 {output}")
