"""`wuhai-zs export`: the monthly workbook read back as a person (and openpyxl) would see it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from wuhai_zs.ledgers.sources import sample_path
from wuhai_zs.metrics import report as month_report
from wuhai_zs.metrics.targets import STATUS_ZH
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import load_plan
from wuhai_zs.render import excel

from conftest import ARRIVAL_HEADER, arrival, project, run_cli, run_json, write_csv

MONTH_FILE = "乌海市招商引资调度表_{}.xlsx"
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+2", "-3-4"]


@pytest.fixture(scope="module")
def sample_checked() -> Checked:
    return run(sample_path(), load_plan())


@pytest.fixture(scope="module")
def september(sample_checked: Checked) -> month_report.MonthReport:
    return month_report.build(sample_checked, dt.date(2025, 9, 1))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's last month (December 2025, its default as-of) as a workbook, by the real command."""
    path = tmp_path_factory.mktemp("export") / "report.xlsx"
    result = run_cli("export", "--month", "2025-12", "--output", str(path))
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout
    return path


def _table(ws: Any, first_header: str) -> tuple[list[str], list[list[Any]]]:
    """The table whose header row starts with `first_header`: (headers, rows to a blank row)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    headers = [str(h).replace("\n", "") for h in rows[start] if h is not None]
    body = []
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        body.append(list(r[: len(headers)]))
    return headers, body


def _hand_ledgers(folder: Path) -> Path:
    """A small ledger folder: four signed projects (two with hostile names), a few arrivals."""
    write_csv(
        folder / "项目台账.csv",
        [
            project("P1", 项目名称=HOSTILE[0], 投资方="=1+1", 包联领导="@王某"),
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


# ---------------------------------------------------------------- what is in the workbook
def test_sheets_headers_charts_and_layout(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == list(excel.REPORT_SHEETS)
    ws = wb["目标完成情况"]
    headers, rows = _table(ws, "指标")
    assert headers[:8] == [
        "指标",
        "单位",
        "目标值",
        "实际完成",
        "完成率",
        "序时进度",
        "差距（较序时）",
        "状态",
    ]
    # frozen and filtered header, status colours, A4 landscape fitted to width
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "指标")
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:")
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert any(r.startswith("H") for r in ranges)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["重点项目跟踪台账"].print_title_rows
    # number formats: 亿元 with two decimals, percentages
    capital = next(
        r for r in range(header_row + 1, 40) if ws.cell(r, 1).value == "招商引资到位资金累计"
    )
    assert ws.cell(capital, 4).number_format == "#,##0.00"
    assert ws.cell(capital, 5).number_format == "0.0%"
    growth = next(r for r in range(header_row + 1, 40) if ws.cell(r, 1).value == "到位资金年均增长")
    assert ws.cell(growth, 4).number_format == "0.00%"
    # the 指标 column fits its longest name (CJK counted as two)
    longest = max(excel.display_width(str(r[0])) for r in rows)
    assert ws.column_dimensions["A"].width >= min(longest, 30)
    # native charts: cumulative line, per-district bars, clusters, funnel
    with zipfile.ZipFile(exported) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        kinds = [
            re.search(r"<(?:c:)?(line|bar)Chart>", z.read(n).decode()).group(1)  # type: ignore[union-attr]
            for n in charts
        ]
    assert len(charts) >= 4 and "line" in kinds and kinds.count("bar") >= 3


def test_targets_sheet_equals_targets_json(exported: Path) -> None:
    expected = run_json("targets", "--json")
    _, rows = _table(load_workbook(exported)["目标完成情况"], "指标")
    assert len(rows) == len(expected["targets"])
    for row, t in zip(rows, expected["targets"], strict=True):
        assert row[:8] == [
            t["name"],
            t["unit"],
            t["target"],
            t["actual"],
            t["completion"],
            t["expected"],
            t["gap"],
            STATUS_ZH[t["status"]],
        ]
        assert row[8] == (t["needed"] or None) and row[9] == (t["basis"] or None)


def test_dispatch_sheet_equals_dispatch_json(exported: Path) -> None:
    expected = run_json("dispatch", "--month", "2025-12", "--json")
    ws = load_workbook(exported)["分区调度表"]
    headers, rows = _table(ws, "单位")  # the first table: the month
    names = [i["name"] for i in expected["indicators"]]
    assert [h.split("（")[0] for h in headers[1:]] == [n.split("（")[0] for n in names]
    units = [*expected["units"], expected["total"]]
    assert [r[0] for r in rows] == [u["unit"] for u in units]
    for row, unit in zip(rows, units, strict=True):
        for cell, ind in zip(row[1:], expected["indicators"], strict=True):
            want = unit["values"][ind["key"]]["month"]
            if ind["unit"] == "万元" and want is not None:
                assert cell == pytest.approx(want / 10000, abs=1e-9)
            else:
                assert cell == want


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
    report = month_report.build(checked, dt.date(2023, 2, 1))
    then = tmp_path / "then"  # what the ledgers held on 28 February
    write_csv(
        then / "项目台账.csv",
        [
            project("P1", 项目名称=HOSTILE[0], 投资方="=1+1", 包联领导="@王某"),
            project("P2", 项目名称=HOSTILE[1], 签约日期="2023-02-10", 备注="-减少"),
        ],
    )
    write_csv(
        then / "到位资金台账.csv",
        [
            arrival("P1", "2023-01-20", 1000),
            arrival("P2", "2023-02-15", 2500),
        ],
        header=ARRIVAL_HEADER,
    )
    direct = targets(run(then, load_plan(), dt.date(2023, 2, 28)))
    assert _figures(report.targets) == _figures(direct)
    assert report.targets.capital_scope == direct.capital_scope
    assert [p["stage"] for p in report.tracked] == ["签约", "签约"]  # P2 started in March


def test_past_months_of_the_sample(sample_checked: Checked) -> None:
    """June 2024 from the one read: dispatch equals `dispatch --month`, and every target equals
    `targets --as-of 2024-06-30` on the same ledgers, row accounting included: rows dated later
    are out of scope for the look back (not errors), in both."""
    from wuhai_zs.metrics.base import arrivals_table
    from wuhai_zs.metrics.dispatch import compute as dispatch
    from wuhai_zs.metrics.targets import compute as targets

    report = month_report.build(sample_checked, dt.date(2024, 6, 1))
    assert report.as_of_date == dt.date(2024, 6, 30)
    want = dispatch(sample_checked, dt.date(2024, 6, 1)).to_dict()
    got = dict(report.dispatch or {})
    assert got.pop("as_of") == "2024-06-30" and want.pop("as_of") == "2025-12-31"
    assert got == want

    direct = targets(run(sample_path(), load_plan(), dt.date(2024, 6, 30)))
    assert _figures(report.targets) == _figures(direct)
    assert report.targets.ledgers == direct.ledgers
    assert direct.rows_rejected == 0 and direct.rows_out_of_scope > 0
    arrivals = arrivals_table(sample_checked)
    assert arrivals is not None
    counted = arrivals[
        arrivals["counted"]
        & (arrivals["when"] >= "2023-01-01")
        & (arrivals["when"] <= "2024-06-30")
    ]
    capital = next(t for t in report.targets.targets if t.id == "capital_cumulative")
    assert capital.actual == pytest.approx(int(counted["city_fen"].sum()) / 1e6 / 10000, abs=1e-6)
    assert report.capital_months[-1].month == "2024-06"
    assert report.capital_months[-1].cumulative_yi == pytest.approx(capital.actual, abs=1e-6)
    assert all(p["signed_on"] <= dt.date(2024, 6, 30) for p in report.tracked)


# ---------------------------------------------------------------- safety
def test_hostile_text_is_stored_as_text(tmp_path: Path) -> None:
    data = _hand_ledgers(tmp_path / "data")
    out = tmp_path / "hostile.xlsx"
    result = run_cli("export", "--data", str(data), "--as-of", "2023-04-30", "--output", str(out))
    assert result.returncode == 0, result.stderr
    ws = load_workbook(out)["重点项目跟踪台账"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in [*HOSTILE, "@王某"]:
        assert text in cells, text
        assert cells[text].data_type == "s"
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode(), name  # no formula anywhere


def test_every_string_is_a_text_cell_whatever_it_starts_with(tmp_path: Path) -> None:
    wb = excel.new_workbook()
    ws = wb.create_sheet("t")
    texts = [*HOSTILE, "=1+1", "\t=1+1", "\r@A1", "-", "=", "a\x00b", "x" * 40000]
    for row, text in enumerate(texts, start=1):
        excel.put(ws, row, 1, text)
    for row, number in enumerate([float("nan"), float("inf"), None], start=len(texts) + 1):
        excel.put(ws, row, 1, number)
    path = tmp_path / "t.xlsx"
    path.write_bytes(excel.workbook_bytes(wb, dt.datetime(2025, 9, 30)))
    back = load_workbook(path)["t"]
    for row, text in enumerate(texts[:-2], start=1):
        cell = back.cell(row, 1)
        assert cell.data_type == "s"
        assert cell.value.replace("\n", "\r") == text.replace("\n", "\r")
    assert back.cell(len(texts) - 1, 1).value == "ab"  # control characters dropped
    assert len(back.cell(len(texts), 1).value) == excel.MAX_CELL_TEXT
    assert [back.cell(r, 1).value for r in range(len(texts) + 1, len(texts) + 4)] == [None] * 3
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_same_inputs_give_the_same_bytes(september: Any, tmp_path: Path) -> None:
    report = september
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    excel.write_report(report, first)
    excel.write_report(report, second)
    assert first.read_bytes() == second.read_bytes()
    props = load_workbook(first).properties
    assert props.created == props.modified == dt.datetime(2025, 9, 30)


def test_a_failed_write_leaves_the_old_file(
    september: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = september
    path = tmp_path / "report.xlsx"
    excel.write_report(report, path)
    before = path.read_bytes()

    def broken(sheet: excel.Sheet, report: Any) -> None:
        sheet.title("half-written")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(excel.SHEET_BUILDERS, "产业集群", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        excel.write_report(report, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
    # and a failure while writing the bytes themselves leaves nothing behind either
    monkeypatch.undo()
    monkeypatch.setattr(excel.os, "replace", _raise_os_error)
    with pytest.raises(excel.UsageError):
        excel.write_report(report, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def _raise_os_error(*args: Any) -> None:
    raise OSError(28, "No space left on device")


def test_usage_errors_exit_2_on_one_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_hand_ledgers(tmp_path / "data"))
    cases = [
        (["--output", str(tmp_path / "nope" / "r.xlsx")], "不存在"),
        (["--output", str(tmp_path / "r.xlsx"), "--month", "2025-13"], "不是有效月份"),
        (["--output", str(tmp_path / "r.xlsx"), "--month", "2023-06"], "晚于截止日期"),
        (["--output", str(tmp_path / "r.csv")], ".xlsx"),
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
    result = cli(
        "export", "--data", data, "--as-of", "2023-04-30", "--all-months", "--output-dir", str(out)
    )
    assert result.code == 0, result.err
    assert len(loads) == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == [MONTH_FILE.format(m) for m in ("2023-01", "2023-02", "2023-03", "2023-04")]
    assert "━" not in result.err  # no progress bar when stderr is not a terminal
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    again = ["export", "--data", data, "--as-of", "2023-04-30", "--all-months", "--output-dir"]
    refused = cli(*again, str(out))
    assert refused.code == 2 and "--force" in refused.err  # never over existing workbooks
    assert cli(*again, str(out), "--force").code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    # each month is that month: February's cumulative 到位资金 is January + February
    ws = load_workbook(out / MONTH_FILE.format("2023-02"))["目标完成情况"]
    _, months = _table(ws, "月份")
    assert [m[0] for m in months] == ["2023-01", "2023-02"]
    assert months[-1][2] == pytest.approx(0.35)  # 1000 + 2500 万元 = 0.35 亿元
    tracked = load_workbook(out / MONTH_FILE.format("2023-02"))["重点项目跟踪台账"]
    ids = {c.value for c in tracked["A"] if isinstance(c.value, str) and c.value.startswith("P")}
    assert ids == {"P1", "P2"}  # P3 and P4 were signed in March


def test_missing_ledgers_are_no_data_not_a_crash(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    write_csv(
        data / "产值台账.csv",
        [[2022, "", "全市", 28500000], [2024, "", "全市", 33600000]],
        header=["年度", "月份", "统计范围", "工业总产值（万元）"],
    )
    out = tmp_path / "r.xlsx"
    result = cli("export", "--data", str(data), "--output", str(out))
    assert result.code == 0, result.err
    wb = load_workbook(out)
    assert wb.sheetnames == list(excel.REPORT_SHEETS)
    _, rows = _table(wb["目标完成情况"], "指标")
    status = {r[0]: r[7] for r in rows}
    assert status["招商引资到位资金累计"] == "无数据" and status["工业总产值"] != "无数据"
    texts = [c.value for c in wb["分区调度表"]["A"] if c.value]
    assert any("缺少项目台账" in str(t) for t in texts)
