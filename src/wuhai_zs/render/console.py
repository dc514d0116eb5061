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
    report: ValidationReport, fmt: str, max_findings: int | None, data_root: Path | None = None
) -> None:
    if fmt == "json":
        print_json(report.to_dict(max_findings))
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
        ("截止日期后", "right"),
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
            f"{stats.out_of_scope:,}",
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
                "—",
                "无数据" + ("（可选）" if spec.optional else ""),
            )
    return table


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
            console.print(f"{level} {where}  [dim]{f.code}[/]  {escape(f.message)}", soft_wrap=True)
    if len(shown) < len(report.findings):
        console.print(
            f"[dim]仅显示前 {len(shown)} 个问题，共 {len(report.findings)} 个"
            "（用 --max-findings 调整，或用 --format json 导出全部）[/]"
        )
    if report.ignored_sheets:
        ignored = "、".join(f"{f}" + (f" [{s}]" if s else "") for f, s in report.ignored_sheets)
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
    "pending": "blue",
    "no_data": "dim",
}


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "比率":
        return f"{value:.2%}"
    return f"{value:,.2f}"


def fmt_gap(value: float | None, unit: str) -> str:
    """A difference: between rates in 个百分点, otherwise in the target's unit."""
    if value is None or unit != "比率":
        return fmt_value(value, unit)
    return f"{value * 100:+,.2f} 个百分点"


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


def rows_line(used: int, rejected: int, out_of_scope: int) -> str:
    """The row accounting of a figure, in one sentence."""
    line = f"计算基于 {used:,} 行，{rejected:,} 行因错误未计入"
    if out_of_scope:
        line += f"，{out_of_scope:,} 行日期在截止日期之后（回看时不在统计范围内，不是错误）"
    return line


def _year_text(d: dict[str, Any]) -> str:
    """One year of a growth target: 2024年 243.00 亿元，同比 +14.6%; a partial year says 1—N月."""
    span = "" if d["complete"] else f"1—{d.get('months', 12)}月"
    text = f"{d['year']}年{span} {d['value']:,.2f} 亿元"
    if d["yoy"] is not None:
        text += f"，{'同比' if d['complete'] else '同期比'} {d['yoy']:+.1%}"
    return text


def targets_view(result: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from wuhai_zs.metrics.targets import STATUS_ZH, kind_label

    console = stdout()
    console.print(f"[bold]{result.plan['name']}[/]")
    console.print(
        f"截止日期 {result.as_of}；计划期 {result.plan['start']} 至 {result.plan['end']}，"
        f"已过 {result.elapsed_months}/{result.period_months} 个月"
        f"（序时进度 {result.elapsed_months / result.period_months:.1%}）"
    )
    line = rows_line(result.rows_used, result.rows_rejected, result.rows_out_of_scope)
    console.print(f"[red]{line}[/]（用 wuhai-zs validate 查看）" if result.rows_rejected else line)
    for warning in result.warnings:
        console.print(f"[yellow]{escape(warning)}[/]")
    table = Table(title_justify="left")
    for name, justify in (
        ("目标", "left"),
        ("类型", "left"),
        ("单位", "left"),
        ("目标值", "right"),
        ("应达", "right"),
        ("实际", "right"),
        ("完成率", "right"),
        ("差距（较应达）", "right"),
        ("判断依据的数据", "left"),
        ("状态", "left"),
        ("完成情况（│为应达）", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for t in result.targets:
        style = STATUS_STYLE[t.status]
        table.add_row(
            t.name,
            kind_label(t.kind),
            t.unit,
            fmt_value(t.target, t.unit),
            fmt_value(t.due, t.unit),
            fmt_value(t.actual, t.unit),
            fmt_pct(t.completion) if t.unit != "比率" else "—",
            fmt_gap(t.gap, t.unit),
            t.judged_on.get("label", "—"),
            f"[{style}]{STATUS_ZH[t.status]}[/]",
            f"[{style}]{progress_bar(t.completion, t.expected)}[/]" if t.unit != "比率" else "",
        )
    console.print(table)
    notes = Table(title="口径与说明", title_justify="left", show_header=True)
    notes.add_column("目标")
    notes.add_column("依据")
    notes.add_column("还需")
    for t in result.targets:
        notes.add_row(t.name, escape(t.basis or "—"), escape(t.needed or "—"))
    console.print(notes)
    lines = result.capital_lines
    if lines:
        period = lines["period"]
        cl = Table(
            title=f"到位资金口径（{period['start']} 至 {period['end']}，亿元；飞地按市内份额）",
            title_justify="left",
        )
        for name in ("口径", "金额（亿元）", "外资（万美元）", "笔数", "项目数", "计入目标"):
            cl.add_column(name, justify="left" if name == "口径" else "right")
        for item in lines["lines"]:
            usd = item.get("amount_wan_usd")
            cl.add_row(
                item["label"],
                fmt_value(item["amount_yi"], "亿元"),
                "" if usd is None else f"{usd:,.2f}",
                f"{item['rows']:,}",
                f"{item['projects']:,}",
                "是" if item["counted"] else "",
            )
        console.print(cl)
        style = "green" if lines["reconciles"] else "red"
        console.print(f"[{style}]核对：{escape(lines['statement'])}[/]")
    growth = next((t for t in result.targets if t.id == "capital_growth"), None)
    if growth is not None and growth.details:
        console.print("历年纳统到位资金：" + "；".join(_year_text(d) for d in growth.details))
    for note in result.notes:
        console.print(f"[yellow]注：{escape(note)}[/]")


# How a plan file's target (万元, 万美元, a rate, 万元/亩) reads to a person.
def _plan_target(t: Any) -> str:
    if t.kind == "growth":
        text = f"{'高于' if t.strict else '不低于'} {t.value:.0%}"
        if t.not_below:
            text += f"，且不低于 {t.not_below}"
        return text
    if t.kind == "ratio":
        return f"{t.value:,g} 万元/亩"
    if t.measure == "fdi":
        return f"{t.value:,g} 万美元"
    return f"{t.value / 10000:,g} 亿元" + (f"（{t.year}年）" if t.year else "")


def plan_view(plan: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from wuhai_zs.plan.model import KIND_ZH

    console = stdout()
    console.print(f"[bold]{plan.name}[/]")
    console.print(f"计划期 {plan.period_label}；基年 {plan.base_year}")
    groups = "、".join(plan.counting.counted_groups)
    console.print(
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
        )
    )
    table = Table(title="目标", title_justify="left")
    for name in ("id", "名称", "类型", "计算对象", "目标值", "基数"):
        table.add_column(name)
    for t in plan.targets:
        base = "—"
        if t.base is not None:
            unit = "万美元" if t.measure == "fdi" else "亿元"
            value = t.base if unit == "万美元" else t.base / 10000
            base = f"{value:,g} {unit}" + (f"（{escape(t.base_source)}）" if t.base_source else "")
        table.add_row(
            t.id,
            t.name,
            KIND_ZH[t.kind],
            f"{t.measure}（{t.scope}）" if t.kind == "level" else t.measure,
            _plan_target(t),
            base,
        )
    for c in plan.clusters:
        table.add_row(
            f"cluster.{c.name}",
            f"{c.name}产业集群",
            KIND_ZH["level"],
            f"output（{c.name}）",
            f"{c.size_yi:,g} 亿元（{plan.end.year}年）",
            "—",
        )
    console.print(table)
    console.print(f"重大项目门槛：{plan.major_project.threshold:,.0f} 万元")
    console.print("区：" + "、".join(plan.districts))
    console.print("园区：" + "、".join(plan.parks))
    console.print("产业：" + "、".join(plan.industries))
    for name, note in plan.industry_notes.items():
        console.print(f"  {name}：{escape(note)}")
    console.print("先进制造业/高新技术产业：" + "、".join(plan.advanced_industries))
    w = plan.warnings
    console.print(
        f"预警阈值：逾期未开工红色 {w.not_started_red_months} 个月；签约后无资金 "
        f"{w.no_money_months} 个月；开工未竣工 {w.construction_months} 个月；"
        f"竣工未投产 {w.production_months} 个月；手续办结率 < {w.min_permit_rate:.0%}"
    )


def review_view(result: Any) -> None:
    """`review`: the report's sections, sentences and tables (render/review_text.py)."""
    from rich.markup import escape
    from rich.table import Table

    from wuhai_zs.render.review_text import NUMERIC, SAMPLE_LINE, cell, cell_text, sections, title

    console = stdout()
    console.print(f"[bold]{escape(title(result))}[/]")
    if result.synthetic:
        console.print(f"[bold red]{escape(SAMPLE_LINE)}[/]")
    t = result.targets
    console.print(
        f"截止日期 {result.as_of}；计划期 {result.plan['start']} 至 {result.plan['end']}"
        + ("（已结束）" if result.final else f"，已过 {t.elapsed_months}/{t.period_months} 个月")
    )
    line = rows_line(t.rows_used, t.rows_rejected, t.rows_out_of_scope)
    console.print(f"[red]{line}[/]（用 wuhai-zs validate 查看）" if t.rows_rejected else line)
    for warning in result.warnings:
        console.print(f"[yellow]{escape(warning)}[/]")
    for section in sections(result):
        console.rule(f"[bold]{escape(section.heading)}[/]", align="left")
        for part in section.parts:
            if part.title:
                console.print(f"[bold]{escape(part.title)}[/]")
            for text in part.paragraphs:
                console.print(escape(text))
            for block in part.tables:
                table = Table(title=escape(block.caption), title_justify="left")
                for column in block.columns:
                    numeric = column.kind in NUMERIC
                    table.add_column(escape(column.header), justify="right" if numeric else "left")
                first_total = len(block.rows) - block.total_rows
                for r, values in enumerate(block.rows):
                    cells = []
                    for i, column in enumerate(block.columns):
                        value = values[i] if i < len(values) else None
                        text = escape(cell_text(value, column))
                        raw, kind = cell(value, column)
                        if kind == "status" and raw in STATUS_STYLE:
                            text = f"[{STATUS_STYLE[raw]}]{text}[/]"
                        cells.append(text)
                    table.add_row(*cells, style="bold" if r >= first_total else None)
                console.print(table)
                for note in block.notes:
                    console.print(f"[dim]注：{escape(note)}[/]")
