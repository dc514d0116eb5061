"""Options that several commands share (--data, --plan, --as-of, --json), defined once."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wuhai_zs.errors import UsageError

if TYPE_CHECKING:
    from wuhai_zs.pipeline import Checked

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="台账所在文件夹或工作簿；不指定时使用内置示例台账（合成数据）。",
        show_default=False,
    ),
]
PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan", help="计划文件（TOML）；不指定时使用内置的 2023—2025 年方案。", show_default=False
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="截止日期 YYYY-MM-DD，不能晚于今天；默认取台账中最晚的日期（晚于今天的日期是错误，不算）。"
        "较早的截止日期用来回看：之后日期的行不计入，单列为“截止日期后”。",
        show_default=False,
    ),
]
MonthOption = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        help="月份 YYYY-MM（如 2025-09）；默认取截止日期所在月份。",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON 而不是表格。")]


def resolve_data(data: Path | None) -> Path:
    if data is not None:
        return data
    from wuhai_zs.ledgers.sources import sample_path

    path = sample_path()
    print(f"未指定 --data，使用内置示例台账（合成数据）：{path}", file=sys.stderr)
    return path


def parse_as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(f"--as-of “{text}”不是有效日期，应为 YYYY-MM-DD（如 2025-09-30）") from exc


def parse_month(text: str, option: str = "--month") -> dt.date:
    """A YYYY-MM option as the first day of that month."""
    try:
        year, month = text.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise UsageError(f"{option} “{text}”不是有效月份，应为 YYYY-MM（如 2025-09）") from exc


def load_inputs(data: Path | None, plan: Path | None, as_of: str | None) -> Checked:
    """Plan, ledgers and checks: what every reporting command starts from."""
    from wuhai_zs.pipeline import run
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render.console import progress

    when = parse_as_of(as_of)
    loaded_plan = load_plan(plan)
    path = resolve_data(data)
    with progress("读取台账") as step:
        checked = run(path, loaded_plan, when, step)
    if checked.coverage_warning:  # the as-of is after some ledger's data: one line, every command
        print(checked.coverage_warning, file=sys.stderr)
    return checked
