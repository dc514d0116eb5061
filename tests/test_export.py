"""`wuhai-zs export`: the monthly workbook read back as a person (and openpyxl) would see it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from wuhai_zs.findings.catalog import RULES
from wuhai_zs.ledgers.sources import sample_path
from wuhai_zs.metrics import report as month_report
from wuhai_zs.metrics.targets import STATUS_ZH
from wuhai_zs.metrics.warnings import RULES as WARNING_RULES
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import load_plan
from wuhai_zs.render.excel import book, report

from conftest import (
    ARRIVAL_HEADER,
    OUTPUT_HEADER,
    arrival,
    credit,
    get_target,
    invoke,
    is_counted,
    project,
    sample_csv,
    sample_projects,
    sample_projects_by_id,
    write_csv,
)

MONTH_FILE = "乌海市招商引资调度表_{}.xlsx"
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+2", "-3-4"]
HEADER_FILL, TOTAL_FILL, GROUP_FILL = "DDEBF7", "F2F2F2", "FBFBFB"
PERCENT = ("0.0%",)
MAJOR = {"总投资（万元）": 150000}  # a major project (10 亿元 and more): on the 重点项目 sheet


@pytest.fixture(scope="module")
def sample_checked() -> Checked:
    return run(sample_path(), load_plan())


@pytest.fixture(scope="module")
def september(sample_checked: Checked) -> month_report.MonthReport:
    return month_report.build(sample_checked, dt.date(2025, 9, 1))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's September 2025 workbook, made by the real command."""
    path = tmp_path_factory.mktemp("export") / "report.xlsx"
    result = invoke("export", "--month", "2025-09", "--output", str(path))
    assert result.code == 0, result.err
    assert str(path) in result.out
    return path


@pytest.fixture(scope="module")
def june_2024(sample_checked: Checked, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("june") / "2024-06.xlsx"
    report.write_report(month_report.build(sample_checked, dt.date(2024, 6, 1)), path)
    return path


# ---------------------------------------------------------------- reading a sheet back
def _fill(cell: Any) -> str:
    rgb = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
    return str(rgb)[-6:] if isinstance(rgb, str) else ""


def _row_fills(ws: Any, row: int) -> set[str]:
    return {_fill(ws.cell(row=row, column=c)) for c in range(1, ws.max_column + 1)}


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\n", "")


def _tables(ws: Any) -> list[dict[str, Any]]:
    """Every bordered table of a sheet: header texts per column (both header rows joined), and
    its body rows as (kind, row number, values), kind "data", "subtotal", "total" or "group"."""
    found = []
    row = 1
    while row <= ws.max_row:
        if HEADER_FILL not in _row_fills(ws, row):
            row += 1
            continue
        first = row
        while HEADER_FILL in _row_fills(ws, row + 1):
            row += 1
        headers = [
            "".join(_text(ws.cell(r, c).value) for r in range(first, row + 1))
            for c in range(1, ws.max_column + 1)
        ]
        body = []
        row += 1
        while row <= ws.max_row and ws.cell(row, 1).border.left.style:
            fills = _row_fills(ws, row)
            kind = "data"
            if TOTAL_FILL in fills:
                label = "".join(_text(ws.cell(row, c).value) for c in (1, 2, 3))
                kind = "subtotal" if "小计" in label else "total"
            elif GROUP_FILL in fills:
                kind = "group"
            body.append((kind, row, [ws.cell(row, c).value for c in range(1, ws.max_column + 1)]))
            row += 1
        found.append({"first": first, "headers": headers, "body": body})
    return found


def _table(ws: Any, header: str, rows: str = "data") -> tuple[list[str], list[list[Any]]]:
    """The first table with a column `header`: (headers, its data rows, or all its rows)."""
    for t in _tables(ws):
        if header in t["headers"]:
            body = [values for kind, _, values in t["body"] if rows == "all" or kind == rows]
            return t["headers"], body
    raise AssertionError(f"no table with {header}")


def _shown(value: float, places: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


ADDITIVE_SKIP = ("率", "亩均", "进度", "序号", "年度", "月份", "较序时", "同比", "目标规模")


def _check_totals(path: Path) -> int:
    """Every total and subtotal row equals the sum of the values shown above it."""
    checked = 0
    for ws in load_workbook(path):
        for t in _tables(ws):
            columns = [
                c
                for c, h in enumerate(t["headers"])
                if h and not any(word in h for word in ADDITIVE_SKIP)
            ]
            since_sub: list[list[Any]] = []
            every: list[list[Any]] = []
            for kind, row, values in t["body"]:
                if kind == "data":
                    since_sub.append(values)
                    every.append(values)
                    continue
                if kind == "group":
                    since_sub = []
                    continue
                parts = since_sub if kind == "subtotal" else every
                for c in columns:
                    shown = values[c]
                    if not isinstance(shown, int | float) or isinstance(shown, bool):
                        continue
                    if ws.cell(row, c + 1).number_format in PERCENT:
                        continue
                    total = sum(
                        (Decimal(repr(v[c])) for v in parts if isinstance(v[c], int | float)),
                        Decimal(0),
                    )
                    assert Decimal(repr(shown)) == total, (ws.title, row, t["headers"][c])
                    checked += 1
                since_sub = []
    return checked


# ---------------------------------------------------------------- the first page
def test_first_sheet_is_the_overview_with_the_targets_headline(exported: Path, cli) -> None:  # type: ignore[no-untyped-def]
    expected = cli("targets", "--as-of", "2025-09-30", "--json").json()
    capital = get_target(expected, "capital_cumulative")
    wb = load_workbook(exported)
    assert wb.sheetnames[0] == "总览" and wb.sheetnames[-1] == "说明"
    assert wb.active.title == "总览"
    ws = wb["总览"]
    label_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "累计完成（亿元）")
    labels = [_text(ws.cell(label_row, c).value) for c in (1, 3, 5, 7, 9)]
    values = [ws.cell(label_row + 1, c).value for c in (1, 3, 5, 7, 9)]
    assert labels == ["累计完成（亿元）", "完成目标任务", "序时进度", "较序时（个百分点）", "状态"]
    completion = _shown(capital["completion"] * 100, 1)
    schedule = _shown(capital["expected"] * 100, 1)
    assert values[0] == float(_shown(capital["actual"], 2))
    assert Decimal(repr(values[1])) * 100 == completion
    assert Decimal(repr(values[2])) * 100 == schedule
    assert Decimal(repr(values[3])) == completion - schedule
    assert values[4].startswith(STATUS_ZH[capital["status"]])
    assert ws.cell(label_row + 1, 1).font.sz >= 20  # the headline in large type
    texts = " ".join(_text(c.value) for row in ws.iter_rows() for c in row if c.value)
    behind = schedule - completion
    assert f"完成目标任务的 {completion}%，欠进度 {behind} 个百分点" in texts
    # the pace: what is needed a month (targets' own words) against the last 12 months
    needed = re.search(r"余下 (\d+) 个月月均 ([\d.,]+) 亿元", capital["needed"])
    assert needed is not None
    assert f"余下 {needed[1]} 个月需月均到位 {needed[2]} 亿元" in texts
    assert "近 12 个月" in texts and "到2025年底累计约" in texts
    assert "示例数据" in texts  # built from the sample
    assert "三、各区情况" in texts and "四、需要关注的问题" in texts


def _pace_ledgers(folder: Path) -> Path:
    write_csv(folder / "项目台账.csv", [project("P1", 签约日期="2023-01-05")])
    write_csv(
        folder / "到位资金台账.csv",
        [
            arrival("P1", "2023-01-20", 1000),
            arrival("P1", "2023-02-15", 2500),
            arrival("P1", "2023-03-10", 500),
            arrival("P1", "2023-04-12", 800),
        ],
        header=ARRIVAL_HEADER,
    )
    return folder


def test_pace_of_the_recent_months(tmp_path: Path) -> None:
    """800 亿 over 36 months; 4,800 万元 arrived in the first four (figures by hand)."""
    data = _pace_ledgers(tmp_path / "data")
    at_end = month_report.build(run(data, load_plan(), dt.date(2023, 4, 30)), dt.date(2023, 4, 1))
    pace = at_end.pace
    assert pace is not None
    assert (pace.actual_yi, pace.month_yi, pace.year_yi) == (0.48, 0.08, 0.48)
    assert pace.last_year_yi is None  # no 2022 rows at all
    assert (pace.months_left, pace.window_months, pace.window_yi) == (32, 4, 0.48)
    assert pace.recent_per_month_yi == pytest.approx(0.12)
    assert pace.needed_per_month_yi == pytest.approx((800 - 0.48) / 32, abs=1e-6)
    assert pace.projected_yi == pytest.approx(0.48 + 0.12 * 32, abs=1e-6)
    assert pace.projected_completion == pytest.approx(4.32 / 800, abs=1e-6)
    assert pace.needed_ratio == pytest.approx((800 - 0.48) / 32 / 0.12, abs=1e-4)
    # mid-April: three whole months make the recent pace, April's money counts as arrived
    mid = month_report.build(run(data, load_plan(), dt.date(2023, 4, 15)), dt.date(2023, 4, 1))
    assert mid.pace is not None
    assert (mid.pace.months_left, mid.pace.window_months, mid.pace.window_yi) == (33, 3, 0.4)
    assert mid.pace.actual_yi == 0.48


# ---------------------------------------------------------------- figures that reconcile
def test_every_total_is_the_sum_of_what_is_shown(exported: Path, june_2024: Path) -> None:
    assert _check_totals(exported) > 30
    assert _check_totals(june_2024) > 30


def _places(fmt: str) -> int | None:
    if fmt == "General":
        return None
    if fmt.endswith("%"):
        return len(fmt.split(".")[1]) - 1 + 2 if "." in fmt else 2
    head = fmt.split(";")[0]
    return len(head.split(".")[1]) if "." in head else 0


def test_numbers_hold_what_they_show_and_counts_are_whole(exported: Path, june_2024: Path) -> None:
    for path in (exported, june_2024):
        for ws in load_workbook(path):
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if not isinstance(value, int | float) or isinstance(value, bool):
                        continue
                    places = _places(cell.number_format)
                    assert places is not None, (ws.title, cell.coordinate)
                    assert Decimal(repr(value)) == _shown(value, places), (
                        ws.title,
                        cell.coordinate,
                    )
                    if cell.number_format == "#,##0":
                        assert isinstance(value, int), (ws.title, cell.coordinate)
            for t in _tables(ws):
                for c, header in enumerate(t["headers"]):
                    if "（个）" in header or "（次）" in header or header.endswith("项目数"):
                        for _, row_no, values in t["body"]:
                            v = values[c]
                            assert v is None or isinstance(v, int), (ws.title, row_no, header, v)


def test_one_figure_for_one_quantity(exported: Path) -> None:
    wb = load_workbook(exported)
    _, districts = _table(wb["总览"], "序号", "all")
    overview = {r[1]: r for r in districts}
    dispatch_tables = [t for t in _tables(wb["分区调度表"])]
    head = dispatch_tables[0]
    capital = next(i for i, h in enumerate(head["headers"]) if h.startswith("到位资金（纳统）"))
    rows = {values[1]: values for _, _, values in head["body"]}
    for unit in ("海勃湾区", "乌达区", "海南区", "高新区"):
        assert overview[unit][2:4] == rows[unit][capital : capital + 2], unit
    assert overview["全市合计"][2:4] == rows["全市合计"][capital : capital + 2]
    _, monthly = _table(wb["到位资金"], "月份")
    assert monthly[-1][1] == "2025-09"
    assert monthly[-1][2] == overview["全市合计"][2]  # 本月
    assert monthly[-1][3] == overview["全市合计"][4]  # 计划期累计
    running = Decimal(0)
    for m in monthly:
        running += Decimal(repr(m[2]))
        assert Decimal(repr(m[3])) == running, m[1]
    headline_row = next(
        r for r in range(1, 20) if wb["总览"].cell(r, 1).value == "累计完成（亿元）"
    )
    assert wb["总览"].cell(headline_row + 1, 1).value == overview["全市合计"][4]
    # 预警项目 counts projects: the district counts add up to the projects the lists flag
    flagged = overview["全市合计"][8]
    listed = sum(
        1
        for name in ("重点项目", "其他签约项目")
        for row in _table(wb[name], "序号")[1]
        if row[0] is not None and any(v in ("红色", "黄色") for v in row)
    )
    notes = " ".join(_text(c.value) for c in wb["重点项目"]["A"] if c.value)
    unsigned = re.search(r"另有 (\d+) 个尚未签约的项目有预警", notes)
    assert flagged == listed + (int(unsigned[1]) if unsigned else 0)


# ---------------------------------------------------------------- print and screen
def test_print_setup_on_every_sheet(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == list(report.REPORT_SHEETS)
    for ws in wb:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9, ws.title
        assert 70 <= int(setup.scale) <= 100, (ws.title, setup.scale)
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title
        assert ws.oddHeader.center.text == "乌海市招商引资调度表（2025年9月）"
        assert ws.oddHeader.left.text == "示例数据", ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.print_area, ws.title
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts <= {"宋体", "黑体"}, (ws.title, fonts)
    props = wb.properties
    assert props.title == "乌海市招商引资调度表（2025年9月）"
    assert props.subject and props.creator and "wuhai-zs" not in props.creator
    assert props.created == props.modified == dt.datetime(2025, 9, 30)


def test_frozen_headers_and_filters_cover_one_table(exported: Path) -> None:
    wb = load_workbook(exported)
    frozen = 0
    for ws in wb:
        if not ws.freeze_panes:
            continue
        frozen += 1
        top = int(re.sub(r"[A-Z]+", "", ws.freeze_panes))
        tables = _tables(ws)
        assert [t for t in tables if t["first"] < top], ws.title
        assert len(tables) == 1, (ws.title, "one table per frozen region")
        if ws.auto_filter.ref:
            last = int(re.sub(r"[A-Z]+", "", ws.auto_filter.ref.split(":")[1]))
            for kind, row, _ in tables[0]["body"]:
                if kind in ("total", "subtotal"):
                    assert row > last, (ws.title, "a filter stops above the totals")
    assert frozen >= 4
    dispatch = wb["分区调度表"]
    assert dispatch.auto_filter.ref and dispatch.freeze_panes


def test_no_developer_text_in_cells_for_readers(exported: Path) -> None:
    codes = {r.code for r in RULES} | {r.code for r in WARNING_RULES}
    wb = load_workbook(exported)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                text = cell.value
                where = (ws.title, cell.coordinate, text[:40])
                assert "wuhai-zs" not in text and "--" not in text, where
                assert not re.search(r"(^|[\s（(])/[\w.-]+/|\\\\|[A-Za-z]:\\\\", text), where
                assert not any(code in text for code in codes), where
                assert "README" not in text and "site-packages" not in text, where


def test_key_projects_sheet(exported: Path, september: month_report.MonthReport) -> None:
    threshold = september.checked.plan.major_project.threshold
    wb = load_workbook(exported)
    ws = wb["重点项目"]
    (table,) = _tables(ws)
    headers = table["headers"]
    amount, stage, flag = headers.index("总投资"), headers.index("阶段"), headers.index("预警")
    groups: list[str] = []
    levels: list[list[int]] = []
    for kind, _, values in table["body"]:
        if kind == "group":
            groups.append(str(values[0]))
            levels.append([])
        elif kind == "data":
            assert values[amount] >= threshold and values[stage] not in ("投产", "终止")
            levels[-1].append({"红色": 0, "黄色": 1}.get(values[flag], 2))
    assert [g.split("、")[1].split("（")[0] for g in groups] == [
        d for d in september.checked.plan.districts if any(d in g for g in groups)
    ]
    assert all(group == sorted(group) for group in levels)  # flagged first within a district
    kinds = [kind for kind, _, _ in table["body"]]
    assert kinds.count("subtotal") == len(groups) and kinds[-1] == "total"
    others = _table(wb["其他签约项目"], "序号")[1]
    key_count = sum(len(g) for g in levels)
    assert key_count + len(others) == len(september.tracked)


# ---------------------------------------------------------------- safety
def _hand_ledgers(folder: Path) -> Path:
    """A small ledger folder: four signed projects (two with hostile names), a few arrivals."""
    write_csv(
        folder / "项目台账.csv",
        [
            project("P1", 项目名称=HOSTILE[0], 投资方="=1+1", 包联领导="@王某", **MAJOR),
            project(
                "P2",
                项目名称=HOSTILE[1],
                签约日期="2023-02-10",
                项目阶段="开工",
                开工日期="2023-03-01",
                备注="-减少",
            ),
            project("P3", 项目名称=HOSTILE[2], 签约日期="2023-03-05"),
            project("P4", 项目名称=HOSTILE[3], 签约日期="2023-03-20", 所属区="高新区"),
        ],
    )
    write_csv(
        folder / "到位资金台账.csv",
        [
            arrival("P1", "2023-01-20", 1000),
            arrival("P2", "2023-02-15", 2500),
            arrival("P1", "2023-03-10", 500),
            arrival("P3", "2023-04-02", 800),
        ],
        header=ARRIVAL_HEADER,
    )
    return folder


def test_hostile_text_is_stored_as_text_and_real_data_is_not_marked(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = _hand_ledgers(tmp_path / "data")
    out = tmp_path / "hostile.xlsx"
    result = cli("export", "--data", str(data), "--as-of", "2023-04-30", "--output", str(out))
    assert result.code == 0, result.err
    wb = load_workbook(out)
    cells = {
        c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    }
    for text in [*HOSTILE, "@王某"]:
        assert text in cells, text
        assert cells[text].data_type == "s"
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode(), name  # no formula anywhere
    assert not any("示例数据" in text for text in cells)
    assert all(not ws.oddHeader.left.text for ws in wb)


def test_every_string_is_a_text_cell_whatever_it_starts_with(tmp_path: Path) -> None:
    wb = book.new_workbook()
    ws = wb.create_sheet("t")
    texts = [*HOSTILE, "=1+1", "\t=1+1", "\r@A1", "-", "=", "a\x00b", "x" * 40000]
    for row, text in enumerate(texts, start=1):
        book.put(ws, row, 1, text)
    for row, number in enumerate([float("nan"), float("inf"), None], start=len(texts) + 1):
        book.put(ws, row, 1, number)
    path = tmp_path / "t.xlsx"
    path.write_bytes(book.workbook_bytes(wb, dt.datetime(2025, 9, 30)))
    back = load_workbook(path)["t"]
    for row, text in enumerate(texts[:-2], start=1):
        cell = back.cell(row, 1)
        assert cell.data_type == "s"
        assert cell.value.replace("\n", "\r") == text.replace("\n", "\r")
    assert back.cell(len(texts) - 1, 1).value == "ab"  # control characters dropped
    assert len(back.cell(len(texts), 1).value) == book.MAX_CELL_TEXT
    assert [back.cell(r, 1).value for r in range(len(texts) + 1, len(texts) + 4)] == [None] * 3
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_same_inputs_give_the_same_bytes(september: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    report.write_report(september, first)
    report.write_report(september, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 9, 30, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2025-09-30T00:00:00Z" in core and core.count("2025-09-30T00:00:00Z") == 2


def test_a_failed_write_leaves_the_old_file(
    september: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.xlsx"
    report.write_report(september, path)
    before = path.read_bytes()

    def broken(sheet: book.Sheet, month: Any) -> None:
        sheet.title("half-written")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(report.SHEET_BUILDERS, "产业集群", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        report.write_report(september, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
    # and a failure while writing the bytes themselves leaves nothing behind either
    monkeypatch.undo()
    monkeypatch.setattr(book.os, "replace", _raise_os_error)
    with pytest.raises(book.UsageError):
        report.write_report(september, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def _raise_os_error(*args: Any) -> None:
    raise OSError(28, "No space left on device")


def test_usage_errors_exit_2_on_one_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_hand_ledgers(tmp_path / "data"))
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"a filled ledger")
    cases = [
        (["--output", str(tmp_path / "nope" / "r.xlsx")], "不存在"),
        (["--output", str(tmp_path / "r.xlsx"), "--month", "2025-13"], "不是有效月份"),
        (["--output", str(tmp_path / "r.xlsx"), "--month", "2023-06"], "晚于截止日期"),
        (["--output", str(tmp_path / "r.csv")], ".xlsx"),
        (["--output", str(existing)], "--force"),
        (["--all-months"], "--output-dir"),
        ([], "--output"),
    ]
    for args, message in cases:
        result = cli("export", "--data", data, "--as-of", "2023-04-30", *args)
        assert result.code == 2, (args, result.err)
        assert message in result.err, (args, result.err)
        # one line for the error; the ledgers' coverage (项目台账 ends in March) is its own line
        errors = [e for e in result.err.strip().splitlines() if not e.startswith("注意：")]
        assert len(errors) == 1, result.err
    assert not (tmp_path / "r.xlsx").exists()
    assert existing.read_bytes() == b"a filled ledger"
    forced = cli("export", "--data", data, "--as-of", "2023-04-30", "-o", str(existing), "--force")
    assert forced.code == 0, forced.err
    assert load_workbook(existing).sheetnames[0] == "总览"


def test_all_months_reads_once_and_repeats_exactly(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import wuhai_zs.pipeline as pipeline

    data = str(_hand_ledgers(tmp_path / "data"))
    loads: list[Path] = []
    real_load = pipeline.load

    def counting_load(path: Path, progress: Any = None) -> Any:
        loads.append(path)
        return real_load(path, progress)

    monkeypatch.setattr(pipeline, "load", counting_load)
    out = tmp_path / "out" / "monthly"  # created by the command
    args = ["export", "--data", data, "--as-of", "2023-04-30", "--all-months", "--output-dir"]
    result = cli(*args, str(out))
    assert result.code == 0, result.err
    assert len(loads) == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == [MONTH_FILE.format(m) for m in ("2023-01", "2023-02", "2023-03", "2023-04")]
    assert "━" not in result.err  # no progress bar when stderr is not a terminal
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    again = cli(*args, str(out))
    assert again.code == 2 and "--force" in again.err  # never overwrites without --force
    assert cli(*args, str(out), "--force").code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    # each month is that month: February's cumulative 到位资金 is January + February
    wb = load_workbook(out / MONTH_FILE.format("2023-02"))
    _, monthly = _table(wb["到位资金"], "月份")
    assert [m[1] for m in monthly] == ["2023-01", "2023-02"]
    assert monthly[-1][3] == 0.35  # 1000 + 2500 万元 = 0.35 亿元
    ids = {row[3] for row in _table(wb["其他签约项目"], "序号")[1]}
    ids |= {row[2] for row in _table(wb["重点项目"], "序号")[1]}
    assert ids == {"P1", "P2"}  # P3 and P4 were signed in March


def test_missing_ledgers_are_no_data_not_a_crash(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    write_csv(
        data / "产值台账.csv",
        [[2022, "", "全市", 28500000], [2024, "", "全市", 33600000]],
        header=OUTPUT_HEADER,
    )
    out = tmp_path / "r.xlsx"
    result = cli("export", "--data", str(data), "--output", str(out))
    assert result.code == 0, result.err
    wb = load_workbook(out)
    assert wb.sheetnames == list(report.REPORT_SHEETS)
    _, rows = _table(wb["目标完成情况"], "序号")
    status = {r[1]: r[8] for r in rows}
    assert status["招商引资到位资金累计"] == "无数据" and status["工业总产值"] != "无数据"
    texts = [c.value for c in wb["分区调度表"]["A"] if c.value]
    assert any("缺少项目台账" in str(t) for t in texts)


# ---------------------------------------------------------------- months of the report
TARGET_KEYS = (
    "id",
    "target",
    "actual",
    "completion",
    "expected",
    "gap",
    "status",
    "needed",
    "basis",
    "details",
)


def _figures(targets: Any) -> list[list[Any]]:
    return [[t.to_dict()[k] for k in TARGET_KEYS] for t in targets.targets]


def test_a_past_month_is_the_ledger_as_it_stood(tmp_path: Path) -> None:
    """A month of the batch equals `targets --as-of` on the ledgers as they stood that month."""
    from wuhai_zs.metrics.targets import compute as targets

    checked = run(_hand_ledgers(tmp_path / "now"), load_plan(), dt.date(2023, 4, 30))
    month = month_report.build(checked, dt.date(2023, 2, 1))
    then = tmp_path / "then"  # what the ledgers held on 28 February
    write_csv(
        then / "项目台账.csv",
        [
            project("P1", 项目名称=HOSTILE[0], 投资方="=1+1", 包联领导="@王某", **MAJOR),
            project("P2", 项目名称=HOSTILE[1], 签约日期="2023-02-10", 备注="-减少"),
        ],
    )
    write_csv(
        then / "到位资金台账.csv",
        [arrival("P1", "2023-01-20", 1000), arrival("P2", "2023-02-15", 2500)],
        header=ARRIVAL_HEADER,
    )
    direct = targets(run(then, load_plan(), dt.date(2023, 2, 28)))
    assert _figures(month.targets) == _figures(direct)
    assert month.targets.capital_scope == direct.capital_scope
    assert [p["stage"] for p in month.tracked] == ["签约", "签约"]  # P2 started in March


def _counted_by_month(until: dt.date) -> dict[str, float]:
    """Counted 到位资金 (万元) per month from the plan's start to `until`, from the raw files:
    区外 projects of 5,000 万元 or more not marked 否 (香港, 澳门, 台湾 are 境外), at the city's
    share (the counting rules of conftest, written by hand)."""
    by_id = sample_projects_by_id()
    out: dict[str, float] = {}
    for a in sample_csv("到位资金台账.csv"):
        day = dt.date.fromisoformat(a["到位日期"])
        p = by_id[a["项目编号"]]
        if is_counted(p) and dt.date(2023, 1, 1) <= day <= until:
            month, city = day.strftime("%Y-%m"), sum(credit(p).values())
            out[month] = out.get(month, 0.0) + float(a["到位金额（万元）"]) * city
    return out


def _rows_after(until: dt.date) -> int:
    """Rows of the sample dated after `until`: out of scope for a look back to that day."""
    late = sum(
        1 for p in sample_projects() if p["签约日期"] is not None and p["签约日期"].date() > until
    )
    late += sum(1 for a in sample_csv("到位资金台账.csv") if a["到位日期"] > until.isoformat())
    late += sum(1 for a in sample_csv("招商活动台账.csv") if a["日期"] > until.isoformat())
    # a year of 园区台账 belongs to its December; 产值台账 to its last month (the year's end)
    late += sum(
        1 for r in sample_csv("园区台账.csv", "utf-8") if dt.date(int(r["年度"]), 12, 31) > until
    )
    late += sum(
        1
        for r in sample_csv("产值台账.csv", "gb18030")
        if (int(r["年度"]), int(r["月份"] or 12)) > (until.year, until.month)
    )
    return late


def test_past_months_of_the_sample(sample_checked: Checked) -> None:
    """June 2024 from the one read: dispatch equals `dispatch --month`, every target equals
    `targets --as-of 2024-06-30` on the same ledgers (row accounting included), and the money
    and the rows left out are what the raw files give, counted here by hand."""
    from wuhai_zs.metrics.dispatch import compute as dispatch
    from wuhai_zs.metrics.targets import compute as targets

    june = dt.date(2024, 6, 30)
    month = month_report.build(sample_checked, dt.date(2024, 6, 1))
    assert month.as_of_date == june
    want = dispatch(sample_checked, dt.date(2024, 6, 1)).to_dict()
    got = dict(month.dispatch or {})
    assert got.pop("as_of") == "2024-06-30" and want.pop("as_of") != "2024-06-30"
    assert got == want

    direct = targets(run(sample_path(), load_plan(), june))
    assert _figures(month.targets) == _figures(direct)
    assert month.targets.ledgers == direct.ledgers
    assert direct.rows_rejected == 0
    assert direct.rows_out_of_scope == month.targets.rows_out_of_scope == _rows_after(june)

    by_month = _counted_by_month(june)
    capital = next(t for t in month.targets.targets if t.id == "capital_cumulative")
    assert capital.actual == pytest.approx(sum(by_month.values()) / 10000, abs=1e-6)
    shown = [(m.month, m.amount_yi) for m in month.capital_months]
    months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)][:18]
    assert [m for m, _ in shown] == months
    for (label, amount), expected in zip(
        shown, (by_month.get(m, 0.0) for m in months), strict=True
    ):
        assert amount == pytest.approx(expected / 10000, abs=1e-6), label
    assert month.capital_months[-1].cumulative_yi == pytest.approx(capital.actual, abs=1e-6)
    signed = {
        p["项目编号"]
        for p in sample_projects()
        if p["签约日期"] is not None and p["签约日期"].date() <= june
    }
    assert {p["project_id"] for p in month.tracked} == signed
