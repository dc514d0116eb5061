"""Terminal output: rich tables, JSON and GitHub annotations, all from result objects."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from wuhai_zs.findings import Finding, LedgerStats, ValidationReport
from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.metrics.rounding import amount
from wuhai_zs.render.text import breaks, cell_width

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

LEDGER_NAMES = {"files": "文件", **{key: spec.stem_zh for key, spec in LEDGERS.items()}}
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


# Piped or captured output (CI logs, files) is this wide unless COLUMNS says otherwise.
PIPE_WIDTH = 160


def stdout() -> Console:
    """The console for results: the terminal's width, or COLUMNS (else PIPE_WIDTH) when piped."""
    import os

    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console = Console(highlight=False, width=PIPE_WIDTH)
    return console


# ---------------------------------------------------------------- tables and lines that fit
# Every view prints its tables through show_table and its sentences through say: numbers and
# names are never cut or wrapped, whatever the width.


@dataclass(frozen=True)
class Col:
    """A table column and how it gives way on a narrow terminal.

    Numbers and names keep their full width. A `wrap` column holds free text that may wrap
    (between words or CJK characters, never inside a number) down to `min_width`. Below the
    width, columns with the highest `drop` go first (0: never dropped); if the table still
    does not fit, it is printed stacked, one block per row, with every column.
    """

    name: str
    justify: Literal["left", "right", "center"] = "left"
    wrap: bool = False
    drop: int = 0
    min_width: int = 12


def _text(markup: str | Text) -> Text:
    from rich.text import Text

    return markup if isinstance(markup, Text) else Text.from_markup(markup)


def _width(text: Text) -> int:
    return max((cell_width(line) for line in text.plain.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((cell_width(w) for w in re.findall(r"[!-~]+", text)), default=0)


def _wrapped(text: Text, width: int, indent: int = 0, phrases: bool = False) -> list[Text]:
    lines = [text[a:b] for a, b in breaks(text.plain, width - indent, phrases)]
    return lines or [text[0:0]]


def say(markup: str | Text, indent: int = 0, console: Console | None = None) -> None:
    """A sentence, wrapped to the console without splitting a number or a word."""
    console = console or stdout()
    from rich.text import Text

    for line in _wrapped(_text(markup), console.width, indent):
        console.print(Text(" " * indent) + line, soft_wrap=True)


def show_table(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str] | None],
    key: int = 1,
    console: Console | None = None,
) -> None:
    """The one way a view prints a table (a row of None draws a line between groups).

    Fits the table to the console as Col says; `key` leading columns name a row in the
    stacked layout."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = console or stdout()
    width = console.width
    heads = [_text(c.name) for c in cols]
    cells = [None if row is None else [_text(c) for c in row] for row in rows]
    data = [max([0] + [_width(r[i]) for r in cells if r is not None]) for i in range(len(cols))]
    natural = [max(data[i], _width(heads[i])) for i in range(len(cols))]

    def least(i: int) -> int:
        """A header may wrap onto three lines; a number or a name never wraps."""
        head = _width(heads[i])
        head_least = min(head, max(6, -(-head // 3), _longest_word(heads[i].plain)))
        body = min(data[i], cols[i].min_width) if cols[i].wrap else data[i]
        return max(body, head_least)

    def need(shown: list[int]) -> int:
        return sum(least(i) for i in shown) + 3 * len(shown) + 1

    shown = list(range(len(cols)))
    dropped: list[int] = []
    while need(shown) > width:
        candidates = [i for i in shown if cols[i].drop > 0]
        if not candidates:
            break
        gone = max(candidates, key=lambda i: (cols[i].drop, i))
        shown.remove(gone)
        dropped.append(gone)
    if title:
        say(title, console=console)
    if need(shown) > width:
        _stacked(console, heads, cells, key)
        return
    sizes = {i: least(i) for i in shown}
    spare = width - need(shown)
    growing = [i for i in shown if sizes[i] < natural[i]]
    while spare > 0 and growing:
        share = max(1, spare // len(growing))
        for i in list(growing):
            add = min(share, natural[i] - sizes[i], spare)
            sizes[i] += add
            spare -= add
            if sizes[i] >= natural[i]:
                growing.remove(i)
    table = Table(box=box.HEAVY_HEAD)
    for i in shown:
        head = Text("\n").join(_wrapped(heads[i], sizes[i]))
        table.add_column(head, justify=cols[i].justify, no_wrap=True, width=sizes[i])
    for row in cells:
        if row is None:
            table.add_section()
            continue
        table.add_row(
            *[
                Text("\n").join(_wrapped(row[i], sizes[i], phrases=True))
                if cols[i].wrap
                else row[i]
                for i in shown
            ]
        )
    console.print(table)
    if dropped:
        names = "、".join(heads[i].plain.replace("\n", "") for i in sorted(dropped))
        say(
            f"[dim]（终端宽 {width} 列，未显示：{escape(names)}；加宽终端、设置 COLUMNS 或用 --json 查看）[/]",
            console=console,
        )


def _stacked(console: Console, heads: list[Text], cells: list[list[Text] | None], key: int) -> None:
    """Rows as blocks: the key columns on a line, then every other column as 名称：值."""
    from rich.text import Text

    width = console.width
    for row in cells:
        if row is None:
            continue
        name = Text(" ").join([c for c in row[:key] if c.plain.strip()])
        if name.plain.strip():
            name.stylize("bold")
            say(name, console=console)
        units = []
        for head, cell in zip(heads[key:], row[key:], strict=True):
            value = Text(" ").join([line for line in cell.split("\n") if line.plain.strip()])
            if value.plain.strip():
                label = head.plain.replace("\n", "")
                units.append(Text(f"{label}：", style="dim") + value if label else value)
        line = Text("  ")
        for unit in units:
            if line.plain.strip() and cell_width(line.plain) + 2 + _width(unit) > width:
                console.print(line, soft_wrap=True)
                line = Text("  ")
            if _width(unit) + 2 > width:
                say(unit, indent=2, console=console)
                continue
            line = line + (Text("  ") if line.plain.strip() else Text()) + unit
        if line.plain.strip():
            console.print(line, soft_wrap=True)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@contextmanager
def progress(title: str) -> Iterator[Callable[[int, int, str], None]]:
    """A transient progress bar on stderr when it is a terminal; otherwise nothing at all.

    Yields step(done, total, description). The bar appears after about a second, so quick
    commands never flash one.
    """
    if not sys.stderr.isatty():
        yield lambda done, total, description: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr(),
        transient=True,
        auto_refresh=True,
    )
    task = bar.add_task(title, total=None)
    started = time.monotonic()
    shown = False

    def step(done: int, total: int, description: str) -> None:
        nonlocal shown
        if not shown and time.monotonic() - started > SHOW_AFTER_SECONDS:
            bar.start()
            shown = True
        bar.update(
            task, completed=done, total=total, description=f"{title}：{description}", refresh=shown
        )

    try:
        yield step
    finally:
        if shown:
            bar.stop()


SHOW_AFTER_SECONDS = 1.0


# The version of every JSON document the commands print (docs/json.md says what bumps it):
# the major number when a key is renamed or removed or a value changes unit or meaning, the
# minor number when keys are added. 2.0: the envelope, and every money key says its unit.
# 2.1: `plan show` adds the plan's countries, district_parks, tasks and unit_aliases.
SCHEMA_VERSION = "2.1"


class Result(Protocol):
    """What a command prints as JSON: the same object its table is drawn from."""

    def to_dict(self) -> dict[str, Any]: ...


def envelope(result: Result | Mapping[str, Any], command: str) -> dict[str, Any]:
    """A result as a JSON document: schema_version and the command first, then its keys."""
    payload = result if isinstance(result, Mapping) else result.to_dict()
    clash = {"schema_version", "command"} & set(payload)
    assert not clash, f"a result may not use the envelope's keys: {clash}"
    return {"schema_version": SCHEMA_VERSION, "command": command, **payload}


def print_json(result: Result | Mapping[str, Any], command: str) -> None:
    """The one way a command prints JSON (every document carries the envelope)."""
    document = envelope(result, command)
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _location(f: Finding) -> str:
    return f.file + (f" [{f.sheet}]" if f.sheet else "")


def validation(
    report: ValidationReport,
    fmt: str,
    max_findings: int | None,
    data_root: Path | None = None,
    strict: bool = False,
) -> None:
    if fmt == "json":
        print_json(report.to_dict(max_findings), "validate")
    elif fmt == "junit":
        from wuhai_zs.render.junit import junit_xml

        shown = report.findings[:max_findings] if max_findings is not None else report.findings
        sys.stdout.write(junit_xml(report, shown, data_root, strict) + "\n")
        _summary_line(report, sys.stderr)
    elif fmt == "github":
        github(
            report.findings[:max_findings] if max_findings is not None else report.findings,
            data_root,
        )
        _summary_line(report, sys.stderr)
    else:
        validation_table(report, max_findings)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Iterable[Finding], data_root: Path | None) -> None:
    for f in findings:
        path = f.file
        if data_root is not None:
            path = (data_root / f.file).as_posix() if data_root.is_dir() else data_root.as_posix()
        props = [f"file={_escape_property(path)}"]
        if f.row:
            props.append(f"line={f.row}")
        props.append(f"title={_escape_property(f.code)}")
        where = f"[{f.sheet}] " if f.sheet else ""
        col = f"{f.column}：" if f.column else ""
        sys.stdout.write(
            f"::{f.severity} {','.join(props)}::{_escape_data(where + col + f.message)}\n"
        )


def _summary_line(report: ValidationReport, stream: Any) -> None:
    if report.findings:
        print(
            f"发现 {report.errors} 个错误、{report.warnings} 个警告（截止日期 {report.as_of}）",
            file=stream,
        )
    else:
        print(f"校验通过：未发现问题（截止日期 {report.as_of}）", file=stream)


def _skips(stats: LedgerStats) -> str:
    return "；".join(f"{why} {n}" for why, n in sorted(stats.skip_reasons.items())) or "—"


LEDGER_COLUMNS = (
    Col("台账"),
    Col("来源", wrap=True, min_width=16),
    Col("读取", "right"),
    Col("接受", "right"),
    Col("拒绝", "right"),
    Col("跳过", "right"),
    Col("截止日期后", "right"),
    Col("跳过原因", wrap=True, drop=1),
)


def ledger_summary(ledgers: dict[str, LedgerStats], title: str = "各台账行数") -> None:
    from rich.markup import escape

    rows: list[Sequence[str] | None] = []
    for key, stats in ledgers.items():
        sources = escape("\n".join(f + (f" [{s}]" if s else "") for f, s in stats.sources))
        rows.append(
            [
                LEDGER_NAMES.get(key, key),
                sources,
                f"{stats.read:,}",
                f"{stats.accepted:,}",
                f"[red]{stats.rejected:,}[/]" if stats.rejected else "0",
                f"{stats.skipped:,}",
                f"{stats.out_of_scope:,}",
                _skips(stats),
            ]
        )
    for key, spec in LEDGERS.items():
        if key not in ledgers:
            rows.append(
                [
                    spec.stem_zh,
                    "[dim]未提供[/]",
                    "—",
                    "—",
                    "—",
                    "—",
                    "—",
                    "无数据" + ("（可选）" if spec.optional else ""),
                ]
            )
    show_table(title, LEDGER_COLUMNS, rows)


def validation_table(report: ValidationReport, max_findings: int | None) -> None:
    from rich.markup import escape

    console = stdout()
    shown = report.findings if max_findings is None else report.findings[:max_findings]
    by_ledger: dict[str, list[Finding]] = {}
    for f in shown:
        by_ledger.setdefault(f.ledger, []).append(f)
    for ledger, items in by_ledger.items():
        console.rule(f"{LEDGER_NAMES.get(ledger, ledger)}：{len(items)} 个问题", align="left")
        for f in items:
            level = "[red]错误[/]" if f.severity == "error" else "[yellow]警告[/]"
            row = f" 第{f.row}行" if f.row else ""
            column = f" {f.column}" if f.column else ""
            where = escape(f"{_location(f)}{row}{column}")
            say(f"{level} {where}  [dim]{f.code}[/]  {escape(f.message)}", console=console)
    if len(shown) < len(report.findings):
        say(
            f"[dim]仅显示前 {len(shown)} 个问题，共 {len(report.findings)} 个"
            "（用 --max-findings 调整，或用 --format json 导出全部）[/]",
            console=console,
        )
    if report.ignored_sheets:
        say("[dim]未读取的文件和工作表：[/]", console=console)
        for file, sheet, why in report.ignored_sheets:
            where = file + (f" [{sheet}]" if sheet else "")
            say(f"[dim]{escape(where)}：{escape(why)}[/]", indent=2, console=console)
    ledger_summary(report.ledgers)
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    if report.findings:
        say(
            f"[{style}]发现 {report.errors} 个错误、{report.warnings} 个警告[/]"
            f"（截止日期 {report.as_of}；有错误的行不计入任何指标）",
            console=console,
        )
    else:
        say(f"[green]校验通过：未发现问题[/]（截止日期 {report.as_of}）", console=console)


def rules_table(rules: list[dict[str, str]], as_json: bool) -> None:
    if as_json:
        print_json({"rules": rules}, "rules")
        return
    from rich.markup import escape

    show_table(
        "校验规则",
        [Col("代码"), Col("级别"), Col("适用台账", wrap=True, drop=1), Col("含义", wrap=True)],
        [
            [r["code"], SEVERITY_ZH[r["severity"]], r["ledgers_zh"], escape(r["title"])]
            for r in rules
        ],
    )


STATUS_STYLE = {
    "met": "bold green",
    "on_track": "green",
    "behind": "yellow",
    "missed": "red",
    "pending": "blue",
    "no_data": "dim",
}


# How figures read (README 命令行的约定): city, district and plan amounts in 亿元 with two
# decimals, a single project or row in whole 万元, thousands separators, half up as Excel
# rounds; a difference of two rates in 个百分点.
def _shown(value: float | Decimal | None, places: int, none: str) -> str:
    if value is None:
        return none
    text = amount(value, places)
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no -0.00


def fmt_yi(value: float | Decimal | None, none: str = "—") -> str:
    """亿元 (or any city figure: 万美元, 万元/亩) with two decimals: 2,572.37."""
    return _shown(value, 2, none)


def fmt_wan(value: float | Decimal | None, none: str = "—") -> str:
    """万元 of a single project or row, whole: 267,000."""
    return _shown(value, 0, none)


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "比率":
        return f"{value:.2%}"
    return fmt_yi(value)


def fmt_gap(value: float | None, unit: str) -> str:
    """A difference: between rates in 个百分点, otherwise in the target's unit."""
    if value is None:
        return "—"
    if unit == "比率":
        return f"{value * 100:+,.2f} 个百分点"
    text = fmt_yi(value)
    return text if text.startswith("-") or text == "0.00" else "+" + text


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def progress_bar(completion: float | None, expected: float | None, width: int = 20) -> str:
    """Completion as a bar, with the 序时 mark as │."""
    if completion is None:
        return ""
    filled = max(0, min(width, round(completion * width)))
    cells = ["█"] * filled + ["░"] * (width - filled)
    if expected is not None:
        mark = max(0, min(width - 1, round(expected * width) - 1))
        cells[mark] = "│"
    return "".join(cells)


TARGET_COLUMNS = (
    Col("目标"),
    Col("类型", drop=3),
    Col("单位"),
    Col("目标值", "right"),
    Col("应达", "right"),
    Col("实际", "right"),
    Col("完成率", "right"),
    Col("差距（较应达）", "right"),
    Col("判断依据的数据", wrap=True, drop=2),
    Col("状态"),
    Col("完成情况（│为应达）", drop=1),
)


def rows_line(used: int, rejected: int, out_of_scope: int) -> str:
    """The row accounting of a figure, in one sentence."""
    line = f"计算基于 {used:,} 行，{rejected:,} 行因错误未计入"
    if out_of_scope:
        line += f"，{out_of_scope:,} 行日期在截止日期之后（回看时不在统计范围内，不是错误）"
    return line


def _year_text(d: dict[str, Any]) -> str:
    """One year of a growth target: 2024年 243.00 亿元，同比 +14.6%; a partial year says 1—N月."""
    span = "" if d["complete"] else f"1—{d.get('months', 12)}月"
    text = f"{d['year']}年{span} {fmt_yi(d['value_yi'])} 亿元"
    if d["yoy"] is not None:
        text += f"，{'同比' if d['complete'] else '同期比'} {d['yoy']:+.1%}"
    return text


def targets_view(result: Any) -> None:
    from rich.markup import escape

    from wuhai_zs.metrics.targets import STATUS_ZH, kind_label

    console = stdout()
    say(f"[bold]{escape(result.plan['name'])}[/]", console=console)
    say(
        f"截止日期 {result.as_of}；计划期 {result.plan['start']} 至 {result.plan['end']}，"
        f"已过 {result.elapsed_months}/{result.period_months} 个月"
        f"（序时进度 {result.elapsed_months / result.period_months:.1%}）",
        console=console,
    )
    line = rows_line(result.rows_used, result.rows_rejected, result.rows_out_of_scope)
    say(f"[red]{line}[/]（用 wuhai-zs validate 查看）" if result.rows_rejected else line)
    for warning in result.warnings:
        say(f"[yellow]{escape(warning)}[/]", console=console)
    rows: list[Sequence[str] | None] = []
    for t in result.targets:
        style = STATUS_STYLE[t.status]
        rows.append(
            [
                escape(t.name),
                kind_label(t.kind),
                t.unit,
                fmt_value(t.target, t.unit),
                fmt_value(t.due, t.unit),
                fmt_value(t.actual, t.unit),
                fmt_pct(t.completion) if t.unit != "比率" else "—",
                fmt_gap(t.gap, t.unit),
                escape(t.judged_on.get("label", "—")),
                f"[{style}]{STATUS_ZH[t.status]}[/]",
                f"[{style}]{progress_bar(t.completion, t.expected)}[/]" if t.unit != "比率" else "",
            ]
        )
    show_table("", TARGET_COLUMNS, rows)
    show_table(
        "口径与说明",
        [Col("目标"), Col("依据", wrap=True), Col("还需", wrap=True)],
        [[escape(t.name), escape(t.basis or "—"), escape(t.needed or "—")] for t in result.targets],
    )
    lines = result.capital_lines
    if lines:
        period = lines["period"]
        capital_rows: list[Sequence[str] | None] = []
        for item in lines["lines"]:
            usd = item.get("amount_wan_usd")
            capital_rows.append(
                [
                    escape(item["label"]),
                    fmt_value(item["amount_yi"], "亿元"),
                    "" if usd is None else f"{usd:,.2f}",
                    f"{item['rows']:,}",
                    f"{item['projects']:,}",
                    "是" if item["counted"] else "",
                ]
            )
        show_table(
            f"到位资金口径（{period['start']} 至 {period['end']}，亿元；飞地按市内份额）",
            [
                Col("口径", wrap=True, min_width=16),
                Col("金额（亿元）", "right"),
                Col("外资（万美元）", "right"),
                Col("笔数", "right"),
                Col("项目数", "right"),
                Col("计入目标", "right"),
            ],
            capital_rows,
        )
        style = "green" if lines["reconciles"] else "red"
        say(f"[{style}]核对：{escape(lines['statement'])}[/]", console=console)
    growth = next((t for t in result.targets if t.id == "capital_growth"), None)
    if growth is not None and growth.details:
        say(
            "历年纳统到位资金：" + "；".join(_year_text(d) for d in growth.details), console=console
        )
    for note in result.notes:
        say(f"[yellow]注：{escape(note)}[/]", console=console)


ASSESSED_ZH = {"capital": "到位资金", "signed": "签约", "started": "开工", "producing": "投产"}


def _rate(value: float) -> str:
    """A plan's rate as written: 15%, 6.5%."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


# How a plan file's target (万元, 万美元, a rate, 万元/亩) reads to a person: plan figures
# in 亿元 with two decimals, like every city figure.
def _plan_target(t: Any) -> str:
    if t.kind == "growth":
        text = f"{'高于' if t.strict else '不低于'} {_rate(t.value)}"
        if t.not_below:
            text += f"，且不低于 {t.not_below}"
        return text
    if t.kind == "ratio":
        return f"{fmt_yi(t.value)} 万元/亩"
    if t.measure == "fdi":
        return f"{fmt_yi(t.value)} 万美元"
    return f"{fmt_yi(Decimal(str(t.value)) / 10000)} 亿元" + (f"（{t.year}年）" if t.year else "")


def plan_view(plan: Any) -> None:
    from rich.markup import escape

    from wuhai_zs.plan.model import KIND_ZH

    console = stdout()
    say(f"[bold]{escape(plan.name)}[/]", console=console)
    say(f"计划期 {plan.period_label}；基年 {plan.base_year}", console=console)
    groups = "、".join(plan.counting.counted_groups)
    say(
        f"统计口径：总投资 ≥ {plan.counting.min_project_investment:,.0f} 万元，"
        f"来源地区属于 {groups}，"
        + (
            "是否纳统 = 否 的项目不计入"
            if plan.counting.honour_counted_flag
            else "不看是否纳统标记"
        )
        + (
            f"；来源国别为{'、'.join(plan.counting.foreign_countries)}的项目按境外统计"
            if plan.counting.foreign_countries
            else ""
        ),
        console=console,
    )
    rows: list[Sequence[str] | None] = []
    for t in plan.targets:
        base = "—"
        if t.base is not None:
            unit = "万美元" if t.measure == "fdi" else "亿元"
            value = t.base if unit == "万美元" else Decimal(str(t.base)) / 10000
            base = f"{fmt_yi(value)} {unit}" + (
                f"（{escape(t.base_source)}）" if t.base_source else ""
            )
        rows.append(
            [
                t.id,
                escape(t.name),
                KIND_ZH[t.kind],
                f"{t.measure}（{t.scope}）" if t.kind == "level" else t.measure,
                _plan_target(t),
                base,
            ]
        )
    for c in plan.clusters:
        rows.append(
            [
                f"cluster.{c.name}",
                f"{c.name}产业集群",
                KIND_ZH["level"],
                f"output（{c.name}）",
                f"{fmt_yi(c.size_yi)} 亿元（{plan.end.year}年）",
                "—",
            ]
        )
    show_table(
        "目标",
        [
            Col("id"),
            Col("名称"),
            Col("类型"),
            Col("计算对象", drop=1),
            Col("目标值", "right"),
            Col("基数", wrap=True),
        ],
        rows,
        key=2,
    )
    say(f"重大项目门槛：{plan.major_project.threshold:,.0f} 万元", console=console)
    say("区：" + "、".join(plan.districts), console=console)
    say("园区：" + "、".join(plan.parks), console=console)
    say("产业：" + "、".join(plan.industries), console=console)
    for name, industry_note in plan.industry_notes.items():
        say(f"{name}：{escape(industry_note)}", indent=2, console=console)
    say("先进制造业/高新技术产业：" + "、".join(plan.advanced_industries), console=console)
    w = plan.warnings
    say(
        f"预警阈值：逾期未开工红色 {w.not_started_red_months} 个月；签约后无资金 "
        f"{w.no_money_months} 个月；开工未竣工 {w.construction_months} 个月；"
        f"竣工未投产 {w.production_months} 个月；手续办结率 < {_rate(w.min_permit_rate)}",
        console=console,
    )
    a = plan.assessment
    weights = "、".join(f"{ASSESSED_ZH[k]} {v:g}" for k, v in a.weights.items())
    show_table(
        f"各区年度考评目标（\\[assessment.units]；权重：{weights}；完成率封顶 {a.cap:g}）"
        + ("：示意数据，请按市里下达的任务修改" if a.illustrative else ""),
        [
            Col("单位"),
            Col("到位资金（纳统）\n（亿元）", "right"),
            Col("签约项目数", "right"),
            Col("开工项目数", "right"),
            Col("投产项目数", "right"),
        ],
        [
            [
                escape(unit),
                fmt_yi(Decimal(str(u.capital)) / 10000),
                f"{u.signed:,}",
                f"{u.started:,}",
                f"{u.producing:,}",
            ]
            for unit, u in a.units.items()
        ]
        + [[d, "未设目标", "", "", ""] for d in plan.districts if d not in a.units],
    )


def diff_view(result: Any, max_rows: int | None = 50) -> None:
    """`wuhai-zs diff`: the summary line first, then each kind of change as a table."""
    from decimal import Decimal

    from rich.markup import escape

    from wuhai_zs.metrics.diff import KIND_ZH, NEW_ZH, OLD_ZH, wan_text

    console = stdout()

    def text(value: Any) -> str:
        if value is None:
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        return escape(str(value))

    def show(title: str, heads: list[tuple[str, str]], rows: list[list[str]]) -> None:
        if not rows:
            return
        cols = [
            Col(name, justify, wrap=name == "位置", drop=1 if name == "位置" else 0)  # type: ignore[arg-type]
            for name, justify in heads
        ]
        shown = rows[:max_rows] if max_rows is not None else rows
        show_table(f"{title}（{len(rows):,}）", cols, list(shown), key=2, console=console)
        if max_rows is not None and len(rows) > max_rows:
            say(
                f"[dim]仅显示前 {max_rows} 行，共 {len(rows):,} 行"
                "（用 --max-rows 调整，或用 --json、--output 查看全部）[/]",
                console=console,
            )

    def signed(v: float | None, unit: str) -> str:
        if v is None:
            return "—"
        scaled = v * 100 if unit == "比率" else v
        shown = f"{scaled:+,.2f}" if scaled else "0.00"
        if scaled and not float(shown.replace(",", "")):  # a real change never shows as 0.00
            shown = f"{scaled:+.10f}".rstrip("0")
        return shown + (" 个百分点" if unit == "比率" else "")

    def value(v: Any, unit: str | None) -> str:
        if isinstance(v, Decimal) or (unit in ("万元", "万美元", "亩") and isinstance(v, float)):
            return wan_text(v)
        if isinstance(v, float):
            return f"{v:,.6g}"
        return text(v)

    style = "red" if result.revision else "green"
    # One line whatever the width (never cut, the terminal folds it): CI logs and grep see it whole.
    console.print(f"[bold {style}]{escape(result.summary)}[/]", soft_wrap=True)
    if result.synthetic:
        say("[yellow]示例数据（合成数据）：不是真实台账[/]", console=console)
    for label, side in ((OLD_ZH, result.old), (NEW_ZH, result.new)):
        cov = side.coverage
        covered = "；".join(
            f"{name}至 {cov[key]}"
            for key, name in (("arrivals", "到位资金"), ("parks", "园区"), ("output", "产值"))
            if cov.get(key)
        )
        say(
            f"{label}：{escape(side.path)}（截止日期 {side.as_of}；{covered or '无按期数据'}；"
            f"{side.errors} 个错误、{side.warnings} 个警告）",
            console=console,
        )
    if result.unreadable:
        console.rule("无法读取的台账（与 validate 相同）", align="left")
        for side, f in result.unreadable:
            where = f"{f.file}" + (f" [{f.sheet}]" if f.sheet else "")
            where += (f" 第{f.row}行" if f.row else "") + (f" {f.column}" if f.column else "")
            say(
                f"[red]错误[/] {OLD_ZH if side == 'old' else NEW_ZH} {escape(where)}  "
                f"[dim]{f.code}[/]  {escape(f.message)}",
                console=console,
            )

    project_heads = [
        ("项目编号", "left"),
        ("项目名称", "left"),
        ("所属区", "left"),
        ("阶段", "left"),
        ("总投资（万元）", "right"),
        ("位置", "left"),
    ]
    for title, refs in (("新增项目", result.added), ("删除项目", result.removed)):
        show(
            title,
            project_heads,
            [
                [
                    text(p.project_id),
                    text(p.name),
                    text(p.district),
                    text(p.stage),
                    wan_text(p.total_investment),
                    text(p.at),
                ]
                for p in refs
            ],
        )
    show(
        "阶段变化",
        [("项目编号", "left"), ("项目名称", "left"), ("原阶段", "left"), ("新阶段", "left")],
        [
            [
                text(s.project_id),
                text(s.name),
                text(s.old_stage) + (f"（{s.old_date}）" if s.old_date else ""),
                text(s.new_stage)
                + (f"（{s.new_date}）" if s.new_date else "")
                + "".join(f"；{k} {d}" for k, d in s.dates.items() if d != s.new_date),
            ]
            for s in result.stages
        ],
    )
    show(
        "项目字段变化",
        [
            ("项目编号", "left"),
            ("项目名称", "left"),
            ("字段", "left"),
            ("原值", "right"),
            ("新值", "right"),
        ],
        [
            [
                text(f.project_id),
                text(f.name),
                text(f.column),
                value(f.old, f.unit),
                value(f.new, f.unit),
            ]
            for f in result.fields
        ],
    )

    arrivals = result.arrivals
    change_heads = [
        ("类型", "left"),
        ("项目编号", "left"),
        ("项目名称", "left"),
        ("原日期/月份", "left"),
        ("新日期/月份", "left"),
        ("原金额（万元）", "right"),
        ("新金额（万元）", "right"),
        ("差额（万元）", "right"),
        ("纳统影响（万元）", "right"),
    ]

    def change_rows(changes: list[Any]) -> list[list[str]]:
        return [
            [
                KIND_ZH[c.kind],
                text(c.project_id),
                text(c.name),
                c.old_when or "—",
                c.new_when or "—",
                wan_text(c.old_amount),
                wan_text(c.new_amount),
                wan_text(c.difference, signed=True),
                wan_text(c.counted_effect, signed=True),
            ]
            for c in changes
        ]

    if arrivals.compared:
        covered_until = arrivals.coverage or "无"
        show(
            f"已报月份（至 {covered_until}）的到位资金修订",
            change_heads,
            change_rows(arrivals.revisions),
        )
        show("新增月份的到位资金", change_heads, change_rows(arrivals.new_rows))
        show(
            "本年累计修订（月报）",
            [
                ("项目编号", "left"),
                ("项目名称", "left"),
                ("月份", "left"),
                ("原本年累计", "right"),
                ("新本年累计", "right"),
                ("差额", "right"),
                ("其中本月数修订", "right"),
            ],
            [
                [
                    text(y.project_id),
                    text(y.name),
                    y.month,
                    wan_text(y.old),
                    wan_text(y.new),
                    wan_text(None if y.new is None else y.new - y.old, signed=True),
                    wan_text(y.from_month_changes, signed=True),
                ]
                for y in arrivals.year_to_date
            ],
        )
        show(
            "统计口径变化（金额未变、项目纳统状态改变的到位资金）",
            [
                ("项目编号", "left"),
                ("项目名称", "left"),
                ("原状态", "left"),
                ("新状态", "left"),
                ("笔数", "right"),
                ("纳统影响（万元）", "right"),
                ("其中已报月份", "right"),
            ],
            [
                [
                    text(s.project_id),
                    text(s.name),
                    text(s.old_status),
                    text(s.new_status),
                    f"{s.rows:,}",
                    wan_text(s.effect, signed=True),
                    wan_text(s.covered_effect, signed=True),
                ]
                for s in arrivals.scope
            ],
        )
        show(
            "各月纳统到位资金（统计口径）的变化",
            [
                ("月份", "left"),
                ("期间", "left"),
                ("原（亿元）", "right"),
                ("新（亿元）", "right"),
                ("变化（万元）", "right"),
                ("其中逐笔变化", "right"),
                ("其中口径变化", "right"),
                ("其中未比较的错误行", "right"),
            ],
            [
                [
                    m.month + ("" if m.in_period else "（计划期外）"),
                    "已报月份" if m.covered else "新增月份",
                    f"{m.old_yi:,.2f}",
                    f"{m.new_yi:,.2f}",
                    wan_text(m.change, signed=True),
                    wan_text(m.rows, signed=True),
                    wan_text(m.scope, signed=True),
                    wan_text(m.left_out, signed=True),
                ]
                for m in arrivals.months
            ],
        )
        p = arrivals.period
        say(
            f"计划期（{p['start']} 至 {p['end']}）纳统到位资金：{p['old_counted_yi']:,.2f} → "
            f"{p['new_counted_yi']:,.2f} 亿元，变化 {wan_text(p['change_wan'], signed=True)} 万元"
            f"（已报月份 {wan_text(p['revisions_wan'], signed=True)}，"
            f"新增月份 {wan_text(p['new_months_wan'], signed=True)}）",
            console=console,
        )
    show(
        "园区与产值",
        [
            ("台账", "left"),
            ("对象", "left"),
            ("期间", "left"),
            ("字段", "left"),
            ("类型", "left"),
            ("原值", "right"),
            ("新值", "right"),
            ("差额", "right"),
        ],
        [
            [
                LEDGER_NAMES.get(f.ledger, f.ledger),
                text(f.subject),
                f.period,
                text(f.column),
                KIND_ZH[f.kind] + ("（已报期间）" if f.revision else ""),
                value(f.old, f.unit or "万元"),
                value(f.new, f.unit or "万元"),
                wan_text(f.difference, signed=True),
            ]
            for f in result.figures
        ],
    )
    show(
        f"对目标的影响（{OLD_ZH}按 {result.cut}，{NEW_ZH}按 {result.new.as_of}）",
        [
            ("目标", "left"),
            ("单位", "left"),
            (OLD_ZH, "right"),
            (NEW_ZH, "right"),
            ("变化", "right"),
            ("其中已报月份修订", "right"),
            ("其中新增月份", "right"),
        ],
        [
            [
                text(t.name),
                t.unit,
                fmt_value(t.old, t.unit),
                fmt_value(t.new, t.unit),
                signed(t.change, t.unit),
                signed(t.from_revisions, t.unit),
                signed(t.from_new_periods, t.unit),
            ]
            for t in result.targets
            if t.change or (t.old is None) != (t.new is None)
        ],
    )
    if not any(t.change for t in result.targets):
        say("各项目标的实际值没有变化", console=console)
    for x in result.left_out:
        say(
            f"[yellow]未比较：{LEDGER_NAMES.get(x.ledger, x.ledger)} {OLD_ZH} {x.old_rows:,} 行、"
            f"{NEW_ZH} {x.new_rows:,} 行：{escape(x.reason)}（用 wuhai-zs validate 查看）[/]",
            console=console,
        )
    for note in result.notes:
        say(f"[dim]注：{escape(note)}[/]", console=console)


def review_view(result: Any) -> None:
    """`review`: the report's sections, sentences and tables (render/review_text.py)."""
    from rich.markup import escape

    from wuhai_zs.render.review_text import NUMERIC, SAMPLE_LINE, cell, cell_text, sections, title

    console = stdout()
    say(f"[bold]{escape(title(result))}[/]", console=console)
    if result.synthetic:
        say(f"[bold red]{escape(SAMPLE_LINE)}[/]", console=console)
    t = result.targets
    say(
        f"截止日期 {result.as_of}；计划期 {result.plan['start']} 至 {result.plan['end']}"
        + ("（已结束）" if result.final else f"，已过 {t.elapsed_months}/{t.period_months} 个月"),
        console=console,
    )
    line = rows_line(t.rows_used, t.rows_rejected, t.rows_out_of_scope)
    say(
        f"[red]{line}[/]（用 wuhai-zs validate 查看）" if t.rows_rejected else line, console=console
    )
    for warning in t.warnings:  # the coverage line is on stderr already (cli/options)
        say(f"[yellow]{escape(warning)}[/]", console=console)
    for section in sections(result):
        console.rule(f"[bold]{escape(section.heading)}[/]", align="left")
        for part in section.parts:
            if part.title:
                say(f"[bold]{escape(part.title)}[/]", console=console)
            for text in part.paragraphs:
                if text != t.coverage_warning:  # once per run: on stderr (cli/options)
                    say(escape(text), console=console)
            for block in part.tables:
                cols = [
                    Col(escape(c.header), "right")
                    if c.kind in NUMERIC
                    else Col(escape(c.header), wrap=c.kind == "text", min_width=10)
                    for c in block.columns
                ]
                first_total = len(block.rows) - block.total_rows
                rows: list[Sequence[str] | None] = []
                for r, values in enumerate(block.rows):
                    cells = []
                    for i, column in enumerate(block.columns):
                        value = values[i] if i < len(values) else None
                        text = escape(cell_text(value, column))
                        raw, kind = cell(value, column)
                        if kind == "status" and raw in STATUS_STYLE:
                            text = f"[{STATUS_STYLE[raw]}]{text}[/]"
                        cells.append(f"[bold]{text}[/]" if r >= first_total else text)
                    if r == first_total and block.total_rows:
                        rows.append(None)  # a line above the totals
                    rows.append(cells)
                key = 2 if block.columns[0].header in ("序号", "排名") else 1
                show_table(escape(block.caption), cols, rows, key=key, console=console)
                for note in block.notes:
                    say(f"[dim]注：{escape(note)}[/]", console=console)
