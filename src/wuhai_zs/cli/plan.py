"""`wuhai-zs plan show|init`: the plan as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wuhai_zs.cli.options import ForceOption, JsonOption, PlanOption

HELP = "查看或导出计划文件（目标、统计口径、产业、园区、预警阈值）。"

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False)


@app.command("show", help="显示当前使用的计划。")
def show(plan: PlanOption = None, as_json: JsonOption = False) -> None:
    from wuhai_zs.plan.document import plan_document
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render import console

    loaded = load_plan(plan)
    if as_json:
        console.print_json(plan_document(loaded), "plan show")
    else:
        console.plan_view(loaded)


@app.command(
    "init",
    help="把内置计划写成带注释的 TOML 文件，供修改后用 --plan 使用。文件已存在时需加 --force。",
)
def init(
    file: Annotated[
        Path, typer.Argument(metavar="计划.toml", help="要写入的 .toml 文件。", show_default=False)
    ],
    force: ForceOption = False,
) -> None:
    from wuhai_zs.cli.output import check_output, write_text
    from wuhai_zs.plan.model import default_plan_text

    check_output(file, force, suffix=".toml")
    write_text(file, default_plan_text())
    print(f"已写入 {file}")
