"""Terminal output: rich tables, JSON and GitHub annotations, all from result objects."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wuhai_zs.findings import Finding, LedgerStats, ValidationReport
from wuhai_zs.ledgers.columns import LEDGERS

if TYPE_CHECKING:
    from rich.console import Console

LEDGER_NAMES = {key: spec.stem_zh for key, spec in LEDGERS.items()}
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


# Piped or captured output (CI logs, files) is not wrapped at 80 columns.
PIPE_WIDTH = 160


def stdout() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=PIPE_WIDTH)
    return console


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


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _location(f: Finding) -> str:
    return f.file + (f" [{f.sheet}]" if f.sheet else "")


def validation(
    report: ValidationReport,
    fmt: str,
    max_findings: int | None,
    data_root: Path | None = None,
    strict: bool = False,
    synthetic: bool = False,
) -> None:
    if fmt == "json":
        print_json(report.to_dict(max_findings))
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
        validation_table(report, max_findings, synthetic)


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


def ledger_summary_table(ledgers: dict[str, LedgerStats], title: str = "各台账行数") -> Any:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for name, justify in (
        ("台账", "left"),
        ("来源", "left"),
        ("读取", "right"),
        ("接受", "right"),
        ("拒绝", "right"),
        ("跳过", "right"),
        ("跳过原因", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for key, stats in ledgers.items():
        sources = escape("\n".join(f + (f" [{s}]" if s else "") for f, s in stats.sources))
        table.add_row(
            LEDGER_NAMES.get(key, key),
            sources,
            f"{stats.read:,}",
            f"{stats.accepted:,}",
            f"[red]{stats.rejected:,}[/]" if stats.rejected else "0",
            f"{stats.skipped:,}",
            _skips(stats),
        )
    for key, spec in LEDGERS.items():
        if key not in ledgers:
            table.add_row(
                spec.stem_zh,
                "[dim]未提供[/]",
                "—",
                "—",
                "—",
                "—",
                "无数据" + ("（可选）" if spec.optional else ""),
            )
    return table


# Files of the bundled sample that document it rather than being ledgers.
SAMPLE_DOCS = ("README.md",)


def validation_table(
    report: ValidationReport, max_findings: int | None, synthetic: bool = False
) -> None:
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
            console.print(f"{level} {where}  [dim]{f.code}[/]  {escape(f.message)}", soft_wrap=True)
    if len(shown) < len(report.findings):
        console.print(
            f"[dim]仅显示前 {len(shown)} 个问题，共 {len(report.findings)} 个"
            "（用 --max-findings 调整，或用 --format json 导出全部）[/]"
        )
    ignored_sheets = [
        (f, s)
        for f, s in report.ignored_sheets
        if not (synthetic and s is None and f in SAMPLE_DOCS)
    ]
    if ignored_sheets:
        ignored = "、".join(f"{f}" + (f" [{s}]" if s else "") for f, s in ignored_sheets)
        console.print(f"[dim]已忽略（不是台账）：{escape(ignored)}[/]")
    console.print(ledger_summary_table(report.ledgers))
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    if report.findings:
        console.print(
            f"[{style}]发现 {report.errors} 个错误、{report.warnings} 个警告[/]"
            f"（截止日期 {report.as_of}；有错误的行不计入任何指标）"
        )
    else:
        console.print(f"[green]校验通过：未发现问题[/]（截止日期 {report.as_of}）")


def rules_table(rules: list[dict[str, str]], as_json: bool) -> None:
    if as_json:
        print_json(rules)
        return
    from rich.table import Table

    table = Table(title="校验规则", title_justify="left")
    for name in ("代码", "级别", "适用台账", "含义"):
        table.add_column(name)
    for r in rules:
        table.add_row(r["code"], SEVERITY_ZH[r["severity"]], r["ledgers_zh"], r["title"])
    stdout().print(table)


STATUS_STYLE = {
    "met": "bold green",
    "on_track": "green",
    "behind": "yellow",
    "missed": "red",
    "no_data": "dim",
}


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "比率":
        return f"{value:.2%}"
    return f"{value:,.2f}"


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


def targets_view(result: Any) -> None:
    from rich.table import Table

    from wuhai_zs.metrics.targets import STATUS_ZH

    console = stdout()
    console.print(f"[bold]{result.plan['name']}[/]")
    console.print(
        f"截止日期 {result.as_of}；计划期 {result.plan['start']} 至 {result.plan['end']}，"
        f"已过 {result.elapsed_months}/{result.period_months} 个月"
        f"（序时进度 {result.elapsed_months / result.period_months:.1%}）"
    )
    line = f"计算基于 {result.rows_used:,} 行，{result.rows_rejected:,} 行因错误未计入"
    console.print(f"[red]{line}[/]（用 wuhai-zs validate 查看）" if result.rows_rejected else line)
    table = Table(title_justify="left")
    for name, justify in (
        ("目标", "left"),
        ("单位", "left"),
        ("目标值", "right"),
        ("实际", "right"),
        ("完成率", "right"),
        ("序时进度", "right"),
        ("差距", "right"),
        ("状态", "left"),
        ("完成情况（│为序时）", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for t in result.targets:
        style = STATUS_STYLE[t.status]
        table.add_row(
            t.name,
            t.unit,
            fmt_value(t.target, t.unit),
            fmt_value(t.actual, t.unit),
            fmt_pct(t.completion),
            fmt_pct(t.expected),
            fmt_value(t.gap, t.unit),
            f"[{style}]{STATUS_ZH[t.status]}[/]",
            f"[{style}]{progress_bar(t.completion, t.expected)}[/]",
        )
    console.print(table)
    notes = Table(title="口径与说明", title_justify="left", show_header=True)
    notes.add_column("目标")
    notes.add_column("依据")
    notes.add_column("还需")
    for t in result.targets:
        notes.add_row(t.name, t.basis or "—", t.needed or "—")
    console.print(notes)
    scope = result.capital_scope
    if scope:
        console.print(
            f"到位资金（计划期内）：纳统 {scope['counted_yi']:,.2f} 亿元；"
            f"未纳统 {scope['not_counted_yi']:,.2f} 亿元（不计入目标，单列如下）"
        )
        if scope["not_counted"]:
            nc = Table(show_header=True)
            for name in ("未纳统原因", "行数", "项目数", "金额（亿元）"):
                nc.add_column(name, justify="left" if name == "未纳统原因" else "right")
            for item in scope["not_counted"]:
                nc.add_row(
                    item["reason"],
                    f"{item['rows']:,}",
                    f"{item['projects']:,}",
                    f"{item['amount_yi']:,.2f}",
                )
            console.print(nc)
    growth = next((t for t in result.targets if t.id == "capital_growth"), None)
    if growth is not None and growth.details:
        yearly = "；".join(
            f"{d['year']}年{'' if d['complete'] else '（截至' + result.as_of[5:] + '）'} "
            f"{d['value']:,.2f} 亿元" + (f"，同比 {d['yoy']:+.1%}" if d["yoy"] is not None else "")
            for d in growth.details
        )
        console.print(f"历年纳统到位资金：{yearly}")
    for note in result.notes:
        console.print(f"[yellow]注：{note}[/]")


# How a plan file's target (万元 or a ratio) reads to a person, by the target's kind.
TARGET_DISPLAY = {
    "capital_cumulative": (1 / 10000, "亿元"),
    "industrial_output": (1 / 10000, "亿元"),
    "park_per_mu": (1, "万元/亩"),
}


def _plan_target(kind: str, value: float | None) -> str:
    if value is None:
        return "不低于到位资金总体增速" if kind == "advanced_growth" else "—"
    if kind in TARGET_DISPLAY:
        scale, unit = TARGET_DISPLAY[kind]
        return f"{value * scale:,g} {unit}"
    return f"{value:.0%}"


def plan_view(plan: Any) -> None:
    from rich.table import Table

    console = stdout()
    console.print(f"[bold]{plan.name}[/]")
    console.print(
        f"计划期 {plan.period_label}；基年 {plan.base_year}；"
        f"基年到位资金 {fmt_value(plan.base.capital and plan.base.capital / 10000, '')} 亿元"
    )
    groups = "、".join(plan.counting.counted_groups)
    console.print(
        f"统计口径：总投资 ≥ {plan.counting.min_project_investment:,.0f} 万元，"
        f"来源地区属于 {groups}，"
        + (
            "是否纳统 = 否 的项目不计入"
            if plan.counting.honour_counted_flag
            else "不看是否纳统标记"
        )
    )
    table = Table(title="目标", title_justify="left")
    for name in ("id", "名称", "计算方法", "目标值"):
        table.add_column(name)
    for t in plan.targets:
        table.add_row(t.id, t.name, t.kind, _plan_target(t.kind, t.target))
    for c in plan.clusters:
        table.add_row(
            f"cluster.{c.name}", f"{c.name}产业集群", "industrial_output", f"{c.size:,g} 亿元"
        )
    console.print(table)
    console.print(f"重大项目门槛：{plan.major_project.threshold:,.0f} 万元")
    console.print("区：" + "、".join(plan.districts))
    console.print("园区：" + "、".join(plan.parks))
    console.print("产业：" + "、".join(plan.industries))
    console.print("先进制造业/高新技术产业：" + "、".join(plan.advanced_industries))
    w = plan.warnings
    console.print(
        f"预警阈值：逾期未开工红色 {w.not_started_red_months} 个月；签约后无资金 "
        f"{w.no_money_months} 个月；开工未竣工 {w.construction_months} 个月；"
        f"竣工未投产 {w.production_months} 个月；手续办结率 < {w.min_permit_rate:.0%}"
    )
