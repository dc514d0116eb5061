"""`wuhai-zs template`: an empty ledger workbook for the districts to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wuhai_zs.cli.options import PlanOption

HELP = (
    "生成空白台账模板（Excel）：每个台账一张工作表，标题和填报单位行、填写示例、必填列标 *，"
    "区、园区、产业、阶段、来源地区、是/否等列有下拉列表和填写提示，整列检查数字和日期，"
    "附填写说明。填好后 validate 可直接校验。"
)


def command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="要写入的 .xlsx 文件（所在文件夹须已存在；已有同名文件时须加 --force）。",
            show_default=False,
        ),
    ],
    plan: PlanOption = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的同名文件。")] = False,
) -> None:
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render.excel import check_target, write_template

    check_target(output, force)
    write_template(load_plan(plan), output)
    print(f"已生成台账模板 {output}")
