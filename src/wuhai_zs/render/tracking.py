"""Rich tables for project tracking: projects, warnings, districts, dispatch and tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wuhai_zs.render.console import fmt_pct, stdout

if TYPE_CHECKING:
    from rich.table import Table

    from wuhai_zs.metrics.dispatch import DispatchResult
    from wuhai_zs.metrics.districts import DistrictsResult
    from wuhai_zs.metrics.listing import ProjectDetail, ProjectListResult
    from wuhai_zs.metrics.projects import ProjectsResult
    from wuhai_zs.metrics.warnings import WarningsResult
    from wuhai_zs.plan.tasks import TasksResult

NO_DATA = "无数据"
LEVEL_STYLE = {"red": "bold red", "yellow": "yellow"}
LEVEL_ZH = {"red": "红色", "yellow": "黄色"}
ROLE_ZH = {"lead": "牵头", "responsible": "责任"}


def _plain(text: object) -> str:
    """Ledger text shown as typed: brackets in a project name are not rich markup."""
    from rich.markup import escape

    return escape(str(text))


def fmt_count(value: float | None) -> str:
    """A count that may be fractional (飞地 shares): 3, 2.5, 0.6."""
    if value is None:
        return NO_DATA
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_money(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:,.2f}"


def fmt_rate(value: float | None) -> str:
    return NO_DATA if value is None else fmt_pct(value)


def fmt_change(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "比率":
        return f"{value * 100:+.1f} 个百分点"
    if unit in ("个", "次"):
        return fmt_count(value) if value < 0 else "+" + fmt_count(value)
    return f"{value:+,.2f}"


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def _notes(notes: list[str]) -> None:
    from rich.markup import escape

    console = stdout()
    for note in notes:
        console.print(f"[dim]注：{escape(note)}[/]")


# ---------------------------------------------------------------- projects
def _group_row(table: Table, label: str, item: dict[str, Any]) -> None:
    table.add_row(
        label,
        fmt_count(item["count"]),
        fmt_count(item["signed"]),
        fmt_money(item["investment"]),
        fmt_money(item["capital"]),
    )


GROUP_COLUMNS = [
    ("项目数", "right"),
    ("已签约", "right"),
    ("总投资（万元）", "right"),
    ("到位资金 含未纳统（万元）", "right"),
]


def projects_view(result: ProjectsResult) -> None:
    console = stdout()
    console.print(
        f"[bold]项目库[/]（截止日期 {result.as_of}）：{result.projects:,} 个项目，"
        f"总投资 {fmt_money(result.investment)} 万元"
    )
    funnel = _table(
        "按阶段",
        [
            ("阶段", "left"),
            ("项目数", "right"),
            ("总投资（万元）", "right"),
            ("累计达到该阶段", "right"),
        ],
    )
    for row in result.funnel:
        funnel.add_row(
            row["stage"],
            fmt_count(row["count"]),
            fmt_money(row["investment"]),
            "—" if row["reached"] is None else fmt_count(row["reached"]),
        )
    console.print(funnel)
    rates = _table(
        "比率", [("比率", "left"), ("值", "right"), ("分子 / 分母", "right"), ("定义", "left")]
    )
    for r in result.rates:
        parts = (
            "—"
            if r.numerator is None
            else (
                f"{fmt_money(r.numerator)} / {fmt_money(r.denominator)}"
                if r.key == "funding"
                else f"{fmt_count(r.numerator)} / {fmt_count(r.denominator)}"
            )
        )
        rates.add_row(r.name, fmt_rate(r.value), parts, r.definition)
    console.print(rates)
    regions = _table("按来源地区", [("来源地区", "left"), ("分组", "left"), *GROUP_COLUMNS])
    for item in result.by_region:
        label = item["region"] + ("（重点区域）" if item["key_region"] else "")
        regions.add_row(
            label,
            item["group"],
            fmt_count(item["count"]),
            fmt_count(item["signed"]),
            fmt_money(item["investment"]),
            fmt_money(item["capital"]),
        )
        for c in item["countries"]:
            regions.add_row(
                f"  └ {_plain(c['country'])}",
                "",
                fmt_count(c["count"]),
                fmt_count(c["signed"]),
                fmt_money(c["investment"]),
                fmt_money(c["capital"]),
            )
    console.print(regions)
    tags = _table("按企业标签（一个项目可有多个标签）", [("企业标签", "left"), *GROUP_COLUMNS])
    for item in result.by_tag:
        _group_row(tags, item["tag"], item)
    console.print(tags)
    clusters = _table("按产业集群", [("产业集群", "left"), ("包含产业", "left"), *GROUP_COLUMNS])
    for item in result.by_cluster:
        clusters.add_row(
            item["cluster"],
            "、".join(item["industries"]) or "—",
            fmt_count(item["count"]),
            fmt_count(item["signed"]),
            fmt_money(item["investment"]),
            fmt_money(item["capital"]),
        )
    console.print(clusters)
    industries = _table("按产业（不列项目数为 0 的产业）", [("产业", "left"), *GROUP_COLUMNS])
    for item in result.by_industry:
        if item["count"]:
            _group_row(industries, item["industry"], item)
    console.print(industries)
    _notes(result.notes)


def warnings_view(result: WarningsResult) -> None:
    console = stdout()
    total = len(result.warnings)
    console.print(
        f"[bold]项目预警[/]（截止日期 {result.as_of}）：共 {total} 条，"
        f"[bold red]红色 {result.levels['red']}[/]，"
        f"[yellow]黄色 {result.levels['yellow']}[/]"
    )
    rules = _table(
        "预警规则",
        [
            ("代码", "left"),
            ("级别", "left"),
            ("含义", "left"),
            ("阈值（计划文件）", "left"),
            ("逾期天数起算", "left"),
            ("条数", "right"),
        ],
    )
    for r in result.rules:
        style = LEVEL_STYLE[r["level"]]
        value = r["threshold_value"]
        threshold = f"{r['threshold']} = {value:g}" if value is not None else "—"
        rules.add_row(
            r["code"],
            f"[{style}]{LEVEL_ZH[r['level']]}[/]",
            r["title"],
            threshold,
            r["days_late_from"],
            fmt_count(result.counts[r["code"]]),
        )
    console.print(rules)
    if result.warnings:
        listing = _table(
            "预警项目（红色在前，逾期久的在前）",
            [
                ("级别", "left"),
                ("代码", "left"),
                ("项目编号", "left"),
                ("项目名称", "left"),
                ("所属区", "left"),
                ("包联领导", "left"),
                ("情况", "left"),
                ("逾期天数", "right"),
            ],
        )
        for w in result.warnings:
            style = LEVEL_STYLE[w.level]
            listing.add_row(
                f"[{style}]{LEVEL_ZH[w.level]}[/]",
                w.code,
                _plain(w.project_id),
                _plain(w.name),
                _plain(w.district),
                _plain(w.leader or "—"),
                _plain(w.what),
                "—" if w.days_late is None else f"{w.days_late:,}",
            )
        console.print(listing)
    else:
        console.print("[green]没有预警项目[/]")
    _notes(result.notes)


# ---------------------------------------------------------------- districts
def districts_view(result: DistrictsResult) -> None:
    console = stdout()
    label = "年度" if result.period["kind"] == "year" else "计划期"
    console.print(
        f"[bold]各区指标[/]（{label} {result.period['start']} 至 {result.period['end']}；"
        f"截止日期 {result.as_of}）"
    )
    table = _table(
        "",
        [
            ("单位", "left"),
            ("签约项目", "right"),
            ("开工项目", "right"),
            ("投产项目", "right"),
            ("签约项目总投资\n（万元）", "right"),
            ("到位资金 纳统\n（万元）", "right"),
            ("到位资金 未纳统\n（万元）", "right"),
            ("预警\n（其中红色）", "right"),
            ("涉及飞地\n项目", "right"),
        ],
    )
    for u in [*result.units, result.total]:
        warn = NO_DATA if u.warnings is None else f"{u.warnings}（{u.warnings_red}）"
        name = f"[bold]{u.unit}[/]" if u is result.total else u.unit
        table.add_row(
            name,
            fmt_count(u.signed),
            fmt_count(u.started),
            fmt_count(u.producing),
            fmt_money(u.investment),
            fmt_money(u.capital_counted),
            fmt_money(u.capital_not_counted),
            warn,
            fmt_count(u.enclave_projects),
        )
    o = result.outside
    table.add_row(
        f"[dim]{o['unit']}[/]",
        fmt_count(o["signed"]),
        fmt_count(o["started"]),
        fmt_count(o["producing"]),
        fmt_money(o["investment"]),
        fmt_money(o["capital_counted"]),
        fmt_money(o["capital_not_counted"]),
        "",
        "",
    )
    console.print(table)
    if result.rank is not None:
        _ranking(result)
    _notes(result.notes)


def _ranking(result: DistrictsResult) -> None:
    rank = result.rank
    assert rank is not None
    console = stdout()
    weights = (
        "、".join(f"{c.name} {c.weight:g}" for c in rank.units[0].components) if rank.units else ""
    )
    title = (
        f"{rank.year}年考评排名（得分 = 100 × Σ 权重 × min(完成率, {rank.cap:g})；"
        f"权重：{weights}；年度已过 {rank.year_elapsed:.0%}）"
    )
    names = [c.name for c in rank.units[0].components] if rank.units else []
    table = _table(
        title,
        [
            ("名次", "right"),
            ("单位", "left"),
            ("得分", "right"),
            *[(f"{n}\n实际 / 目标（完成率）得分", "right") for n in names],
        ],
    )
    for u in rank.units:
        cells = []
        for c in u.components:
            actual = fmt_money(c.actual) if c.unit == "万元" else fmt_count(c.actual)
            target = fmt_money(c.target) if c.unit == "万元" else fmt_count(c.target)
            cells.append(f"{actual} / {target}（{fmt_rate(c.completion)}）{c.points:.2f}")
        table.add_row(str(u.rank), u.unit, f"{u.score:.2f}", *cells)
    console.print(table)
    if rank.unranked:
        console.print(f"[dim]未设考评目标、不参加排名：{'、'.join(rank.unranked)}[/]")


# ---------------------------------------------------------------- dispatch
def _dispatch_cell(value: Any, unit: str, with_change: bool) -> str:
    now = value.month if with_change else value.year_to_date
    if unit == "比率":
        text = fmt_rate(now)
    elif unit in ("个", "次"):
        text = fmt_count(now)
    else:
        text = fmt_money(now)
    if with_change and now is not None and value.change is not None:
        text += f"\n（{fmt_change(value.change, unit)}）"
    return text


def dispatch_view(result: DispatchResult) -> None:
    console = stdout()
    w = result.window
    console.print(
        f"[bold]调度表 {result.month}[/]（本月 {w['month_start']} 至 {w['month_end']}；"
        f"本年累计 {w['year_start']} 起；截止日期 {result.as_of}）"
    )
    flows = [i for i in result.indicators if i.kind == "flow"]
    stocks = [i for i in result.indicators if i.kind == "stock"]
    rows = [*result.units, result.total]
    for title, with_change in (("本月（括号内为较上月增减）", True), ("本年累计", False)):
        table = _table(
            title, [("单位", "left"), *[(f"{i.name}\n（{i.unit}）", "right") for i in flows]]
        )
        for row in rows:
            name = f"[bold]{row.unit}[/]" if row is result.total else row.unit
            table.add_row(
                name, *[_dispatch_cell(row.values[i.key], i.unit, with_change) for i in flows]
            )
        console.print(table)
    table = _table(
        "月末情况（括号内为较上月末）",
        [
            ("单位", "left"),
            *[
                (f"{i.name}" + ("" if i.unit == "比率" else f"（{i.unit}）"), "right")
                for i in stocks
            ],
            ("亩均投资所据园区", "left"),
        ],
    )
    for row in rows:
        parks = "全部园区" if row is result.total else ("、".join(row.parks) or "—")
        if row.park_year is not None:
            parks += f"（{row.park_year}年）"
        name = f"[bold]{row.unit}[/]" if row is result.total else row.unit
        table.add_row(
            name, *[_dispatch_cell(row.values[i.key], i.unit, True) for i in stocks], parks
        )
    console.print(table)
    _notes(result.notes)


# ---------------------------------------------------------------- tasks
def tasks_view(result: TasksResult) -> None:
    console = stdout()
    if result.unit is None:
        title = f"方案的 {result.total} 项重点任务"
    else:
        title = (
            f"{result.unit}牵头或参与的任务：{len(result.tasks)} 项（共 {result.total} 项；"
            f"按名称 {'、'.join(result.matched)} 匹配）"
        )
    columns = [("序号", "right"), ("任务", "left"), ("牵头单位", "left"), ("责任单位", "left")]
    if result.unit is not None:
        columns.insert(2, ("角色", "left"))
    table = _table(title, columns)
    group = None
    for item in result.tasks:
        t = item.task
        if t.group != group:
            group = t.group
            table.add_section()
            table.add_row("", f"[bold]{group}[/]", *([""] * (len(columns) - 2)))
        cells = [str(t.number), t.title, "、".join(t.lead), "、".join(t.responsible)]
        if result.unit is not None:
            cells.insert(2, f"{ROLE_ZH[item.role] if item.role else ''}（{item.via}）")
        table.add_row(*cells)
    console.print(table)


# ---------------------------------------------------------------- single projects
def fmt_wan(value: float | None) -> str:
    """万元 of a single project or row: whole 万元 (half up), thousands separators."""
    if value is None:
        return NO_DATA
    from decimal import ROUND_HALF_UP, Decimal

    return f"{Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def project_list_view(result: ProjectListResult) -> None:
    console = stdout()
    console.print(
        f"[bold]项目清单[/]（截止日期 {result.as_of}）：{len(result.projects):,} 个项目"
        "；金额单位：万元"
    )
    table = _table(
        "",
        [
            ("项目编号", "left"),
            ("项目名称", "left"),
            ("所属区", "left"),
            ("产业", "left"),
            ("阶段", "left"),
            ("来源地区", "left"),
            ("总投资（万元）", "right"),
            ("到位资金（万元）", "right"),
            ("签约日期", "left"),
            ("开工日期", "left"),
            ("包联领导", "left"),
        ],
    )
    for p in result.projects:
        table.add_row(
            _plain(p["project_id"]),
            _plain(p["name"]),
            _plain(p["district"]),
            _plain(p["industry"]),
            _plain(p["stage"]),
            _plain(p["source_region"]),
            fmt_wan(p["total_investment_wan"]),
            fmt_wan(p["capital_wan"]),
            p["signed_on"] or "—",
            p["started_on"] or "—",
            _plain(p["leader"] or "—"),
        )
    console.print(table)
    _notes(result.notes)


def _field(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if key.endswith("_wan"):
        return f"{fmt_wan(value)} 万元"
    if key.endswith("_wan_usd"):
        return f"{fmt_wan(value)} 万美元"
    if key.endswith("_mu"):
        return f"{value:,g} 亩"
    if key == "enclave_share":
        return fmt_pct(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return _plain(value)


def project_view(detail: ProjectDetail) -> None:
    from wuhai_zs.ledgers.columns import LEDGERS
    from wuhai_zs.metrics.listing import json_key

    console = stdout()
    p = detail.project
    console.print(
        f"[bold]{_plain(p['project_id'])} {_plain(p['name'])}[/]"
        f"（截止日期 {detail.as_of}；{_plain(detail.where)}）"
    )
    fields = _table("台账字段", [("字段", "left"), ("内容", "left")])
    for column in LEDGERS["projects"].columns:
        key = json_key(column)
        fields.add_row(column.header, _field(p.get(key), key))
    console.print(fields)
    console.print(
        f"到位资金（截至 {detail.as_of}）：{_field(detail.capital_wan, 'capital_wan')}，"
        f"其中纳统 {_field(detail.capital_counted_wan, 'capital_wan')}"
    )
    if detail.arrivals:
        money = _table(
            "到位资金明细",
            [
                ("到位日期/月份", "left"),
                ("金额（万元）", "right"),
                ("外资（万美元）", "right"),
                ("纳统", "left"),
                ("位置", "left"),
            ],
        )
        for a in detail.arrivals:
            money.add_row(
                a["date"] or (a["month"] or "")[:7],
                fmt_wan(a["amount_wan"]),
                "—" if a["fdi_wan_usd"] is None else fmt_wan(a["fdi_wan_usd"]),
                "是" if a["counted"] else f"否（{a['not_counted']}）",
                _plain(a["where"]),
            )
        console.print(money)
    if detail.warnings:
        listing = _table(
            "预警",
            [("级别", "left"), ("代码", "left"), ("情况", "left"), ("逾期天数", "right")],
        )
        for w in detail.warnings:
            style = LEVEL_STYLE[w["level"]]
            listing.add_row(
                f"[{style}]{LEVEL_ZH[w['level']]}[/]",
                w["code"],
                _plain(w["what"]),
                "—" if w["days_late"] is None else f"{w['days_late']:,}",
            )
        console.print(listing)
    else:
        console.print("[green]该项目没有预警[/]")
    _notes(detail.notes)
