"""Options that several commands share (--data, --plan, --as-of, --month, --json, --force)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wuhai_zs.errors import UsageError

if TYPE_CHECKING:
    from wuhai_zs.pipeline import Checked

DATE_FORMS = "2025-09-30、2025/9/30、2025.9.30、2025年9月30日 或 20250930"
MONTH_FORMS = "2025-09、2025/9、2025.9 或 2025年9月"

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        metavar="路径",
        help="台账所在文件夹或工作簿；不指定时使用内置示例台账（示例数据，合成）。",
        show_default=False,
    ),
]
PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="计划.toml",
        help="计划文件（TOML）；不指定时使用内置的 2023—2025 年方案。",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="日期",
        help=f"截止日期，写法同台账（{DATE_FORMS}），不能晚于今天；默认取台账中最晚的日期"
        "（晚于今天的日期是错误，不算）。较早的截止日期用来回看：之后日期的行不计入，"
        "单列为“截止日期后”。",
        show_default=False,
    ),
]
MonthOption = Annotated[
    str | None,
    typer.Option(
        "--month",
        "-m",
        metavar="月份",
        help=f"月份，写法同台账（{MONTH_FORMS}）；默认取截止日期所在月份。",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON 而不是表格。")]
ForceOption = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖它。")]


def note(text: str) -> None:
    """A warning that does not stop the command: one line on stderr."""
    print(f"注意：{text}", file=sys.stderr)


def resolve_data(data: Path | None) -> Path:
    if data is not None:
        return data
    from wuhai_zs.ledgers.sources import sample_path

    print("未指定 --data，使用内置示例台账（示例数据，合成）", file=sys.stderr)
    return sample_path()


# ---------------------------------------------------------------- dates and months
def _one(text: str, parse: Callable[[Any], tuple[Any, Any]]) -> dt.date | None:
    """One option value through a ledger cell parser (the same grammar as the ledgers)."""
    import pandas as pd

    from wuhai_zs.ledgers.values import STR

    parsed, _ = parse(pd.Series([text.strip()], dtype=STR))
    value = parsed.iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def parse_as_of(text: str | None, option: str = "--as-of") -> dt.date | None:
    """A date option, written as in a ledger, or as eight digits (20250930).

    A bare number is never an Excel serial here: on a command line 45930 is a slip."""
    if text is None:
        return None
    from wuhai_zs.ledgers.values import parse_date

    stripped = text.strip()
    day = None
    if stripped.isdigit() and len(stripped) == 8:
        try:
            day = dt.date(int(stripped[:4]), int(stripped[4:6]), int(stripped[6:]))
        except ValueError:
            day = None
    elif not stripped.isdigit():
        day = _one(stripped, parse_date)
    if day is None:
        raise UsageError(f"{option} “{text}”不是有效日期，应写作 {DATE_FORMS}")
    return day


def parse_month(text: str, option: str = "--month") -> dt.date:
    """A month option, written as in a ledger, as the first day of that month."""
    from wuhai_zs.ledgers.values import parse_month as parse_cells

    month = None if text.strip().isdigit() else _one(text, parse_cells)
    if month is None:
        raise UsageError(f"{option} “{text}”不是有效月份，应写作 {MONTH_FORMS}")
    return month.replace(day=1)


def check_dates(checked: Checked, month: dt.date | None = None) -> None:
    """The one rule for as-of dates and months (README: 截止日期与月份的范围).

    A month after the as-of month has no data: exit 2. A month or an as-of date outside the
    plan period: the command runs and says where the period lies. (An as-of after a ledger's
    data is Checked.coverage_warning, printed beside.)"""
    plan = checked.plan
    as_of = checked.as_of.date()
    period = f"计划期（{plan.start.isoformat()} 至 {plan.end.isoformat()}）"
    if month is not None:
        if month > as_of.replace(day=1):
            raise UsageError(
                f"--month {month:%Y-%m} 晚于截止日期 {as_of.isoformat()}，该月还没有台账数据"
                "（用 --as-of 指定更晚的截止日期）"
            )
        if month < plan.start.replace(day=1) or month > plan.end:
            side = "之前" if month < plan.start.replace(day=1) else "之后"
            note(f"--month {month:%Y-%m} 在{period}{side}，目标进度按该月计算，仅供参考")
    if as_of < plan.start or as_of > plan.end:
        side = "之前" if as_of < plan.start else "之后"
        note(f"截止日期 {as_of.isoformat()} 在{period}{side}")


# ---------------------------------------------------------------- open workbooks
def _locked(name: str) -> str | None:
    """The workbook name a lock file stands for (its tail), or None when it is not one."""
    if name.startswith("~$"):  # Excel and WPS
        return name[2:]
    if name.startswith(".~lock.") and name.endswith("#"):  # LibreOffice
        return name[len(".~lock.") : -1]
    return None


def _workbook(rest: str, names: list[str]) -> str:
    """Excel writes ~$ + the name, or replaces a long name's first two characters."""
    for name in names:
        if name == rest or (name.endswith(rest) and len(name) == len(rest) + 2):
            return name
    return rest


def open_workbooks(data: Path, checked: Checked) -> list[str]:
    """Workbooks open in Excel, WPS or LibreOffice: the lock files discovery passed over (or,
    for a single workbook, beside it), named by the workbook they lock."""
    if data.is_file():
        siblings = [p.name for p in data.parent.iterdir()]
        return [
            data.name
            for lock in siblings
            if (rest := _locked(lock)) is not None and _workbook(rest, [data.name]) == data.name
        ]
    seen = [s.file for s in checked.data.sources] + [f for f, _, _ in checked.data.ignored]
    found = []
    for file, sheet, _ in checked.data.ignored:
        folder, _, base = file.rpartition("/")
        rest = _locked(base) if sheet is None else None
        if rest is None:
            continue
        prefix = f"{folder}/" if folder else ""
        beside = sorted({f[len(prefix) :] for f in seen if f.startswith(prefix)} - {base})
        found.append(prefix + _workbook(rest, [n for n in beside if "/" not in n]))
    return found


def load_inputs(
    data: Path | None, plan: Path | None, as_of: str | None, month: dt.date | None = None
) -> Checked:
    """Plan, ledgers and checks: what every reporting command starts from. Notes on stderr
    where the dates lie (check_dates) and which workbooks are open in Excel or WPS."""
    from wuhai_zs.pipeline import run
    from wuhai_zs.plan.model import load_plan
    from wuhai_zs.render.console import progress

    when = parse_as_of(as_of)
    loaded_plan = load_plan(plan)
    path = resolve_data(data)
    with progress("读取台账") as step:
        checked = run(path, loaded_plan, when, step)
    for book in open_workbooks(path, checked):
        note(
            f"{book} 正在 Excel 或 WPS 中打开（有 ~$ 锁文件）：读取的是上次保存的内容，未保存的修改不会被读取"
        )
    check_dates(checked, month)
    if checked.coverage_warning:  # the as-of is after some ledger's data: one line, every command
        print(checked.coverage_warning, file=sys.stderr)
    return checked
