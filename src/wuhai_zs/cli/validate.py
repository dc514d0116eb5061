"""`wuhai-zs validate`: every finding in the ledgers, for a person or for CI."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from wuhai_zs.cli.options import AsOfOption, DataOption, PlanOption, load_inputs, resolve_data

HELP = (
    "逐行校验台账，指出每个问题所在的文件、工作表、行和列。\n\n"
    "退出码：0 无错误，1 有错误（加 --strict 时有警告也算），2 台账无法读取或选项有误。"
    "--format github 输出 GitHub Actions 注释，--format junit 输出 JUnit XML（GitLab、Jenkins 等"
    "读取的测试报告）。"
)


class Format(StrEnum):
    table = "table"
    json = "json"
    github = "github"
    junit = "junit"


def command(
    data: DataOption = None,
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            metavar="table|json|github|junit",
            help="输出格式：table（表格）、json、github（GitHub Actions 注释）、"
            "junit（JUnit XML，供 GitLab、Jenkins 等）。",
        ),
    ] = Format.table,
    as_json: Annotated[bool, typer.Option("--json", help="同 --format json。")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    max_findings: Annotated[
        int,
        typer.Option(
            "--max-findings",
            min=0,
            metavar="数量",
            help="最多列出多少个问题（计数始终完整）。",
        ),
    ] = 500,
) -> None:
    from wuhai_zs.errors import UsageError
    from wuhai_zs.render import console

    if as_json and fmt not in (Format.table, Format.json):
        raise UsageError(f"--json 与 --format {fmt.value} 只能选一个")
    chosen = Format.json if as_json else fmt
    root = resolve_data(data)
    checked = load_inputs(root, plan, as_of)
    console.validation(checked.report, chosen.value, max_findings, root, strict)
    failed = checked.report.errors > 0 or (strict and checked.report.warnings > 0)
    raise typer.Exit(1 if failed else 0)
