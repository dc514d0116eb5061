"""`wuhai-zs validate`: every finding in the ledgers, for a person or for CI."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from wuhai_zs.cli.options import AsOfOption, DataOption, PlanOption, load_inputs, resolve_data

HELP = (
    "逐行校验台账，指出每个问题所在的文件、工作表、行和列。"
    "无错误退出码 0，有错误 1，台账无法读取 2。"
)


class Format(StrEnum):
    table = "table"
    json = "json"
    github = "github"


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="输出格式：table（表格）、json、github（CI 注释）。"),
    ] = Format.table,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    max_findings: Annotated[
        int, typer.Option("--max-findings", min=0, help="最多列出多少个问题（计数始终完整）。")
    ] = 500,
) -> None:
    from wuhai_zs.render import console

    root = resolve_data(data)
    checked = load_inputs(root, plan, as_of)
    console.validation(checked.report, fmt.value, max_findings, root)
    failed = checked.report.errors > 0 or (strict and checked.report.warnings > 0)
    raise typer.Exit(1 if failed else 0)
