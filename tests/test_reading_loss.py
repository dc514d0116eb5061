"""Issue 10: every row of every real ledger is read, or a finding says why not (files built here)."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.errors import SourceError
from wuhai_zs.findings import Finding
from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import Checked, check
from wuhai_zs.plan.model import load_plan

from conftest import (
    ARRIVAL_HEADER,
    PROJECT_HEADER,
    arrival,
    get_target,
    project,
    table,
    write_csv,
    write_xlsx,
)

AS_OF = dt.date(2025, 9, 30)
PROJECT_ROWS = [project("P1"), project("P2", 所属区="乌达区"), project("P3")]


def _checked(folder: Path, as_of: dt.date | None = AS_OF) -> Checked:
    return check(load(folder), load_plan(), as_of)


def _codes(
    findings: list[Finding], code: str
) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(f.file, f.sheet, f.row, f.column) for f in findings if f.code == code]


def _projects_csv(folder: Path, rows: list[dict[str, Any]] | None = None) -> None:
    write_csv(folder / "项目台账.csv", rows or PROJECT_ROWS)


def _xlsxwriter(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    for name, grid in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value not in ("", None):
                    sheet.write(r, c, value)
    book.close()
    return path


def _capital(checked: Checked) -> dict[str, Any]:
    from wuhai_zs.metrics.targets import compute

    result = compute(checked).to_dict()
    return get_target(result, "capital_cumulative")


# ---------------------------------------------------------------- 1. stray cells far away


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
@pytest.mark.parametrize("far", ["XFD1048576", "AMJ1048576", "A1048576"])
def test_a_stray_cell_far_away_reads_only_the_cells_that_exist(
    tmp_path: Path, writer: str, far: str
) -> None:
    grid = table(PROJECT_ROWS)
    path = tmp_path / "台账.xlsx"
    if writer == "openpyxl":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "项目台账"
        for row in grid:
            ws.append(row)
        ws[far] = " "
        wb.save(path)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("项目台账")
        for r, row in enumerate(grid):
            sheet.write_row(r, 0, row)
        sheet.write(far, " ")
        book.close()
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert frame["project_id"].tolist() == ["P1", "P2", "P3"]
    assert frame["_row"].tolist() == [2, 3, 4]
    assert frame["district"].tolist() == ["海南区", "乌达区", "海南区"]
    stats = data.ledgers["projects"].stats
    # The three data rows and the stray (blank) row: no row in between is invented.
    assert (stats.read, stats.accepted, stats.skipped) == (4, 3, 1)


def test_a_value_far_outside_the_table_is_named_not_dropped(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    for row in table(PROJECT_ROWS):
        ws.append(row)
    ws["XFD3"] = "补充说明"
    wb.save(tmp_path / "台账.xlsx")
    data = load(tmp_path)
    assert data.ledgers["projects"].stats.accepted == 3
    found = [f for f in data.findings if f.code == "cell-outside-table"]
    assert [(f.row, f.column, f.value, f.severity) for f in found] == [
        (3, "XFD列", "补充说明", "warning")
    ]


# ---------------------------------------------------------------- 2. CSV records and lines

ARRIVALS_TEXT = [
    "项目编号,到位日期,到位金额（万元）,备注",
    "P1,2024-01-05,100,",
    "P1,2024-02-05,200,首笔",
    "P2,2024-03-05,300,",
    "P3,2024-04-05,400,",
]


def _arrivals_bytes(lines: list[str], end: str = "\r\n") -> bytes:
    return (end.join(lines) + end).encode("utf-8")


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n", "\r\r\n"])
def test_every_line_end_is_a_line_end_and_rows_are_the_editor_lines(
    tmp_path: Path, end: str
) -> None:
    _projects_csv(tmp_path)
    lines = list(ARRIVALS_TEXT)
    lines[3] = "P2,2024-13-05,300,"  # a bad date on line 4
    (tmp_path / "到位资金台账.csv").write_bytes(_arrivals_bytes(lines, end))
    checked = _checked(tmp_path)
    frame = checked.data.ledgers["arrivals"].frame
    assert frame["_row"].tolist() == [2, 3, 4, 5]
    assert _codes(checked.report.findings, "bad-date") == [
        ("到位资金台账.csv", None, 4, "到位日期")
    ]
    assert checked.report.ledgers["arrivals"].accepted == 3


def test_a_header_ending_in_a_bare_cr_keeps_the_first_rows(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    data = (ARRIVALS_TEXT[0] + "\r" + "\n".join(ARRIVALS_TEXT[1:]) + "\n").encode()
    (tmp_path / "到位资金台账.csv").write_bytes(data)
    frame = load(tmp_path).ledgers["arrivals"].frame
    assert frame["amount"].tolist() == [100.0, 200.0, 300.0, 400.0]
    assert frame["_row"].tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize(
    "bad",
    [
        'P1,2024-02-05,200,"首笔没有结束引号',  # the rest of the file has no quote
        'P1,2024-02-05,200,"首笔',  # closed later at the end of a line: swallows a row
    ],
)
def test_an_unclosed_quote_is_an_error_on_its_line_and_swallows_nothing(
    tmp_path: Path, bad: str
) -> None:
    _projects_csv(tmp_path)
    lines = list(ARRIVALS_TEXT)
    lines[2] = bad
    if bad.endswith("首笔"):
        lines[4] = 'P3,2024-04-05,400,另一笔"'
    (tmp_path / "到位资金台账.csv").write_bytes(_arrivals_bytes(lines))
    checked = _checked(tmp_path)
    stats = checked.report.ledgers["arrivals"]
    assert (stats.read, stats.accepted, stats.rejected) == (4, 3, 1)
    assert _codes(checked.report.findings, "unclosed-quote") == [
        ("到位资金台账.csv", None, 3, None)
    ]
    frame = checked.data.ledgers["arrivals"].frame
    assert frame.loc[~frame["_reject"], "amount"].tolist() == [100.0, 300.0, 400.0]


def test_quoted_line_breaks_and_doubled_quotes_are_still_one_cell(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    lines = list(ARRIVALS_TEXT)
    lines[2] = 'P1,2024-02-05,200,"第一行，含逗号,\n第二行 ""引号"""'
    (tmp_path / "到位资金台账.csv").write_bytes(_arrivals_bytes(lines))
    checked = _checked(tmp_path)
    frame = checked.data.ledgers["arrivals"].frame
    assert frame["_row"].tolist() == [2, 3, 5, 6]
    assert frame.loc[1, "note"] == '第一行，含逗号,\n第二行 "引号"'
    assert checked.report.errors == 0


def test_a_row_with_more_cells_than_the_header_is_an_error_never_cut(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    lines = [
        "项目编号,到位日期,到位金额（万元）,备注",
        "P1,2024-01-05,100,",
        "P1,2024-02-05,1,234.56",  # unquoted thousands separator: 234.56 moved into 备注
        "P2,2024-03-05,1,234.56,",  # the same with an empty 备注: one cell too many
        "P2,2024-04-05,300,",
    ]
    (tmp_path / "到位资金台账.csv").write_bytes(_arrivals_bytes(lines))
    checked = _checked(tmp_path)
    assert _codes(checked.report.findings, "extra-cells") == [("到位资金台账.csv", None, 4, None)]
    assert next(f for f in checked.report.findings if f.code == "extra-cells").value == "“”"
    frame = checked.data.ledgers["arrivals"].frame
    # Row 3 has as many cells as the header: nothing tells that 234.56 is not a 备注.
    assert frame.loc[~frame["_reject"], "amount"].tolist() == [100.0, 1.0, 300.0]
    assert frame.loc[1, "note"] == "234.56"


def test_utf16_tab_separated_unicode_text_is_read(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    text = "\r\n".join(line.replace(",", "\t") for line in ARRIVALS_TEXT) + "\r\n"
    (tmp_path / "到位资金台账.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    frame = load(tmp_path).ledgers["arrivals"].frame
    assert frame["amount"].tolist() == [100.0, 200.0, 300.0, 400.0]
    assert frame["note"].tolist()[1] == "首笔"


# ---------------------------------------------------------------- 3. units stated for the sheet


@pytest.mark.parametrize(
    "above",
    [
        [["乌海市招商引资项目台账"], ["（单位：亿元）"]],
        [["乌海市招商引资项目台账"], ["填报单位：乌达区", "计量单位：亿元"]],
        [["乌海市招商引资项目台账"], ["单位： 亿 元"]],
        [["乌海市2025年招商引资项目台账（单位：亿元）"]],
    ],
)
def test_a_unit_line_in_any_usual_form_states_the_sheet_unit(
    tmp_path: Path, above: list[list[str]]
) -> None:
    header = [h.replace("（万元）", "") for h in PROJECT_HEADER]
    rows = [[r[h] for h in PROJECT_HEADER] for r in (project("P1", **{"总投资（万元）": "2.5"}),)]
    write_csv(tmp_path / "项目台账.csv", rows, header=header, above=above)
    data = load(tmp_path)
    assert data.ledgers["projects"].frame["total_investment"].tolist() == [25000.0]
    assert not [f for f in data.findings if f.code == "unit-missing"]


# ---------------------------------------------------------------- 4. numbers


@pytest.mark.parametrize(
    ("typed", "expected", "code"),
    [
        ("1,234.56", 1234.56, None),
        ("12,345,600", 12345600.0, None),
        ("１，２３４", 1234.0, None),
        ("1,2", None, "bad-number"),
        ("1.234,5", None, "bad-number"),
        ("12,34,567", None, "bad-number"),
        ("6222021234567890123", None, "too-large"),
        ("-6222021234567890123", None, "too-large"),
    ],
)
def test_thousands_separators_and_numbers_too_large_to_be_amounts(
    tmp_path: Path, typed: str, expected: float | None, code: str | None
) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("P1", **{"总投资（万元）": typed})])
    checked = _checked(tmp_path)
    frame = checked.data.ledgers["projects"].frame
    if code is None:
        assert frame["total_investment"].tolist() == [expected]
        assert checked.report.errors == 0
    else:
        assert _codes(checked.report.findings, code) == [
            ("项目台账.csv", None, 2, "总投资（万元）")
        ]
        assert frame["_reject"].tolist() == [True]


def test_a_pasted_bank_card_number_never_reaches_a_sum(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("P1", "2024-01-05", 100), arrival("P2", "2024-01-06", "6222021234567890123")],
        header=ARRIVAL_HEADER,
    )
    checked = _checked(tmp_path)
    assert _codes(checked.report.findings, "too-large") == [
        ("到位资金台账.csv", None, 3, "到位金额（万元）")
    ]
    assert _capital(checked)["actual"] == pytest.approx(0.01)  # 100 万元 in 亿元


def test_sums_can_never_overflow() -> None:
    import pandas as pd

    from wuhai_zs.ledgers.values import fen

    with pytest.raises(SourceError, match="合计超出可计算范围"):
        fen(pd.Series([9e7] * 20_000))
    assert int(fen(pd.Series([9e7] * 1000)).sum()) == 9 * 10**7 * 10**6 * 1000


def test_yuan_typed_into_a_wan_column_is_an_error_naming_the_slip(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project("P1", **{"总投资（万元）": 525000}),
            project("P2", **{"总投资（万元）": 1000}),
            project("P3", **{"总投资（万元）": 1000}),
        ],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("P1", "2024-01-05", 52_500_000),  # 52.5 亿 in 元
            arrival("P1", "2024-01-06", 1000),
            *[arrival("P2", f"2024-02-{d:02d}", 900) for d in range(1, 13)],  # 10.8 × 1000
            arrival("P3", "2024-03-01", 600),
            arrival("P3", "2024-03-02", 600),  # passes 总投资 here: 1,200 > 1,000
        ],
        header=ARRIVAL_HEADER,
    )
    checked = _checked(tmp_path)
    findings = checked.report.findings
    single = [f for f in findings if f.code == "implausible-amount"]
    assert [(f.row, f.column, f.severity) for f in single] == [(2, "到位金额（万元）", "error")]
    assert (
        "元" in single[0].message and "万元" in single[0].message and "100 倍" in single[0].message
    )
    assert [f.row for f in findings if f.code == "implausible-total"] == list(range(4, 16))
    over = [f for f in findings if f.code == "exceeds-investment"]
    assert [(f.row, f.severity) for f in over] == [(17, "warning")]
    frame = checked.data.ledgers["arrivals"].frame
    assert frame.loc[~frame["_reject"], "amount"].tolist() == [1000.0, 600.0, 600.0]


# ---------------------------------------------------------------- 5. sources


@pytest.mark.parametrize(
    "name",
    [
        "到位资金台账（2025年9月）.csv",
        "到位资金台账 (1).csv",
        "乌达区-到位资金台账.csv",
        "Arrivals_2025-09.csv",
    ],
)
def test_a_file_is_a_ledger_when_its_name_contains_the_stem(tmp_path: Path, name: str) -> None:
    _projects_csv(tmp_path)
    write_csv(tmp_path / name, [arrival("P1", "2024-01-05", 100)], header=ARRIVAL_HEADER)
    data = load(tmp_path)
    assert data.ledgers["arrivals"].stats.sources == [(name, None)]


def test_sheets_named_around_the_stem_and_workbooks_named_after_a_ledger(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "乌达区台账.xlsx", {"项目台账(新)": table(PROJECT_ROWS)})
    write_xlsx(
        tmp_path / "到位资金台账（2025年9月）.xlsx",
        {
            "填表说明": [["项目编号"], ["全市唯一，不得重复"], ["到位金额（万元）"], ["万元"]],
            "Sheet1": table([arrival("P1", "2024-01-05", 100)], ARRIVAL_HEADER),
        },
    )
    data = load(tmp_path)
    assert data.ledgers["projects"].stats.sources == [("乌达区台账.xlsx", "项目台账(新)")]
    assert data.ledgers["arrivals"].stats.sources == [("到位资金台账（2025年9月）.xlsx", "Sheet1")]
    reasons = {(f, s): why for f, s, why in data.ignored}
    assert "没有“到位资金台账”的表头" in reasons[("到位资金台账（2025年9月）.xlsx", "填表说明")]


def test_subfolders_at_any_depth_and_a_link_back_into_the_tree(tmp_path: Path) -> None:
    deep = tmp_path / "海南区" / "2025年" / "9月"
    _projects_csv(deep)
    write_csv(
        tmp_path / "到位资金台账.csv", [arrival("P1", "2024-01-05", 100)], header=ARRIVAL_HEADER
    )
    os.symlink(tmp_path, tmp_path / "link")
    os.symlink(deep / "项目台账.csv", tmp_path / "副本-项目台账.csv")
    data = load(tmp_path)
    assert data.ledgers["projects"].stats.sources == [("海南区/2025年/9月/项目台账.csv", None)]
    assert data.ledgers["projects"].stats.accepted == 3
    reasons = {f: why for f, _, why in data.ignored}
    assert "不重复读取" in reasons["link/"]
    assert "同一个文件" in reasons["副本-项目台账.csv"]


def test_every_file_not_read_is_listed_with_the_reason(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    (tmp_path / "说明.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "汇总说明.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "~$项目台账.xlsx").write_bytes(b"\x00" * 165)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00")
    (tmp_path / ".wuhai-zs-sample").write_text("", encoding="utf-8")
    reasons = {f: why for f, _, why in load(tmp_path).ignored}
    assert set(reasons) == {"说明.docx", "汇总说明.csv", "~$项目台账.xlsx", ".DS_Store"}
    assert "不是表格文件" in reasons["说明.docx"]
    assert "没有台账名称" in reasons["汇总说明.csv"]
    assert "项目台账.xlsx”正在被打开" in reasons["~$项目台账.xlsx"]
    assert "尚未保存的修改不在文件中" in reasons["~$项目台账.xlsx"]


def test_a_hidden_stale_sheet_is_not_read_beside_its_visible_copy(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    stale = wb.active
    stale.title = "到位资金台账"
    for row in table([arrival("P1", "2024-01-05", 999)], ARRIVAL_HEADER):
        stale.append(row)
    stale.sheet_state = "hidden"
    current = wb.create_sheet("到位资金台账 (2)")
    for row in table([arrival("P1", "2024-01-05", 100)], ARRIVAL_HEADER):
        current.append(row)
    _projects_csv(tmp_path)
    wb.save(tmp_path / "台账.xlsx")
    data = load(tmp_path)
    assert data.ledgers["arrivals"].frame["amount"].tolist() == [100.0]
    reasons = {(f, s): why for f, s, why in data.ignored}
    assert "隐藏工作表" in reasons[("台账.xlsx", "到位资金台账")]


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_the_same_rows_from_two_sources_are_errors_on_both_never_counted_twice(
    tmp_path: Path, writer: str
) -> None:
    rows = table(
        [arrival("P1", "2024-01-05", 100), arrival("P2", "2024-01-06", 50)], ARRIVAL_HEADER
    )
    sheets = {"到位资金台账": rows, "arrivals": [*rows, ["P3", "2024-02-01", 70]]}
    (write_xlsx if writer == "openpyxl" else _xlsxwriter)(tmp_path / "台账.xlsx", sheets)
    _projects_csv(tmp_path)
    checked = _checked(tmp_path)
    found = _codes(checked.report.findings, "repeated-row")
    assert sorted(found) == [
        ("台账.xlsx", "arrivals", 2, None),
        ("台账.xlsx", "arrivals", 3, None),
        ("台账.xlsx", "到位资金台账", 2, None),
        ("台账.xlsx", "到位资金台账", 3, None),
    ]
    assert _capital(checked)["actual"] == pytest.approx(0.007)  # only P3's 70 万元


def test_two_columns_of_one_meaning_hidden_one_is_a_warning_visible_two_an_error(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "到位资金台账"
    ws.append(["项目编号", "到位日期", "到位金额（万元）", "到位金额（万元）"])
    ws.append(["P1", "2024-01-05", 999, 100])
    ws.column_dimensions["C"].hidden = True
    both = wb.create_sheet("arrivals")
    both.append(["项目编号", "到位日期", "到位金额（万元）", "到位金额"])
    both.append(["P2", "2024-01-05", 80, 80])
    both.append(["P3", "2024-01-06", 70, 7])
    _projects_csv(tmp_path)
    wb.save(tmp_path / "台账.xlsx")
    checked = _checked(tmp_path)
    findings = checked.report.findings
    assert _codes(findings, "hidden-duplicate-column") == [
        ("台账.xlsx", "到位资金台账", 1, "到位金额（万元）")
    ]
    assert _codes(findings, "duplicate-column") == [
        ("台账.xlsx", "arrivals", 1, "到位金额（万元）")
    ]
    assert _codes(findings, "column-conflict") == [("台账.xlsx", "arrivals", 3, "到位金额（万元）")]
    frame = checked.data.ledgers["arrivals"].frame
    assert frame.loc[~frame["_reject"], "amount"].tolist() == [100.0, 80.0]


# ---------------------------------------------------------------- 6. cells without values


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter", "xlwt"])
def test_a_value_in_a_merged_cell_holds_for_every_row_it_covers(
    tmp_path: Path, writer: str
) -> None:
    header = ["项目编号", "项目名称", "所属区", "产业类别", "投资方", "来源地区", "总投资（万元）"]
    header += ["项目阶段", "签约日期", "是否纳统"]
    rows = [
        [f"P{i}", f"项目{i}", "", "光伏", "某公司", "长三角", 20000, "签约", "2023-01-10", ""]
        for i in range(1, 5)
    ]
    rows[0][2], rows[0][9] = "海勃湾区", "否"
    rows[2][2] = "乌达区"
    path = tmp_path / ("台账.xls" if writer == "xlwt" else "台账.xlsx")
    if writer == "openpyxl":
        write_xlsx(
            path, {"项目台账": [header, *rows]}, merges={"项目台账": ["C2:C3", "C4:C5", "J2:J4"]}
        )
    elif writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("项目台账")
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, row)
        sheet.merge_range("C2:C3", "海勃湾区")
        sheet.merge_range("C4:C5", "乌达区")
        sheet.merge_range("J2:J4", "否")
        book.close()
    else:
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("项目台账")
        for c, text in enumerate(header):
            sheet.write(0, c, text)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if c not in (2, 9) and value != "":
                    sheet.write(r, c, value)
        sheet.write_merge(1, 2, 2, 2, "海勃湾区")
        sheet.write_merge(3, 4, 2, 2, "乌达区")
        sheet.write_merge(1, 3, 9, 9, "否")
        book.save(str(path))
    checked = _checked(tmp_path)
    frame = checked.data.ledgers["projects"].frame
    assert frame["district"].tolist() == ["海勃湾区", "海勃湾区", "乌达区", "乌达区"]
    assert frame["counted"].fillna(True).tolist() == [False, False, False, True]
    assert checked.report.errors == 0


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!"])
def test_an_error_value_is_an_error_on_its_cell_never_a_blank(
    tmp_path: Path, writer: str, error: str
) -> None:
    grid = table(PROJECT_ROWS)
    col = PROJECT_HEADER.index("是否纳统")
    path = tmp_path / "台账.xlsx"
    if writer == "openpyxl":
        grid[2][col] = error  # openpyxl stores a known error text as an error cell
        write_xlsx(path, {"项目台账": grid})
        with zipfile.ZipFile(path) as z:
            assert b't="e"' in z.read("xl/worksheets/sheet1.xml")
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("项目台账")
        for r, row in enumerate(grid):
            sheet.write_row(r, 0, row)
        sheet.write_formula(2, col, "=VLOOKUP(A3,Z:Z,2,0)", None, error)
        book.close()
    checked = _checked(tmp_path)
    found = [f for f in checked.report.findings if f.code == "cell-error"]
    assert [(f.row, f.column, f.value) for f in found] == [(3, "是否纳统", error)]
    assert "Excel 或 WPS" in found[0].message
    assert checked.report.ledgers["projects"].accepted == 2


def test_error_text_in_a_csv_is_an_error_too(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("P1", 是否纳统="#N/A"), project("P2")])
    checked = _checked(tmp_path)
    assert _codes(checked.report.findings, "cell-error") == [("项目台账.csv", None, 2, "是否纳统")]


@pytest.mark.parametrize("cached", [None, 15000])
def test_formulas_saved_without_their_value_are_errors_never_zero(
    tmp_path: Path, cached: int | None
) -> None:
    import xlsxwriter

    grid = table(PROJECT_ROWS)
    col = PROJECT_HEADER.index("总投资（万元）")
    path = tmp_path / "台账.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目台账")
    for r, row in enumerate(grid):
        sheet.write_row(r, 0, row)
    if cached is None:  # xlsxwriter then stores 0 as the formula's value
        sheet.write_formula(1, col, "=10000+5000")
    else:
        sheet.write_formula(1, col, "=10000+5000", None, cached)
    book.close()
    checked = _checked(tmp_path)
    frame = checked.data.ledgers["projects"].frame
    if cached is None:
        found = [f for f in checked.report.findings if f.code == "formula-no-value"]
        assert [(f.row, f.column, f.value) for f in found] == [(2, "总投资（万元）", "=10000+5000")]
        assert "打开此文件、保存" in found[0].message
        assert frame["_reject"].tolist() == [True, False, False]
    else:
        assert frame["total_investment"].tolist()[0] == 15000.0
        assert checked.report.errors == 0


# ---------------------------------------------------------------- 7. identifiers and dates


@pytest.mark.parametrize(
    "typed", ["ＰＡ－２０２１－０００６", "PA-2021-0006\u200b", " PA-2021-0006　"]
)
def test_ids_match_after_normalising_and_are_shown_as_typed(tmp_path: Path, typed: str) -> None:
    write_csv(
        tmp_path / "项目台账.csv",
        [project("PA-2021-0006"), project(typed), project("PA-2021-0007")],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival(typed, "2024-01-05", 100), arrival("PA-2021-0007", "2024-01-06", 50)],
        header=ARRIVAL_HEADER,
    )
    checked = _checked(tmp_path)
    dup = [f for f in checked.report.findings if f.code == "duplicate-id"]
    assert [(f.row, f.value) for f in dup] == [(2, "PA-2021-0006"), (3, typed.strip(" 　"))]
    assert not [f for f in checked.report.findings if f.code == "unknown-project"]
    rejected = [f for f in checked.report.findings if f.code == "project-rejected"]
    assert [(f.row, f.value) for f in rejected] == [(2, typed.strip(" 　"))]


@pytest.mark.parametrize("container", ["csv", "xlsx"])
def test_a_date_time_compares_by_its_date(tmp_path: Path, container: str) -> None:
    _projects_csv(tmp_path)
    when: Any = "2025-09-30 10:15"
    if container == "csv":
        write_csv(tmp_path / "到位资金台账.csv", [arrival("P1", when, 100)], header=ARRIVAL_HEADER)
    else:
        when = dt.datetime(2025, 9, 30, 10, 15)
        write_xlsx(
            tmp_path / "到位资金台账.xlsx",
            {"到位资金台账": table([arrival("P1", when, 100)], ARRIVAL_HEADER)},
        )
    checked = _checked(tmp_path)  # as of 2025-09-30: the arrival at 10:15 that day is in
    assert sorted((f.code, f.ledger) for f in checked.report.findings) == [
        ("ledger-missing", "output"),
        ("ledger-missing", "parks"),
    ]
    assert checked.report.ledgers["arrivals"].out_of_scope == 0
    frame = checked.data.ledgers["arrivals"].frame
    assert frame["date"].tolist() == [dt.datetime(2025, 9, 30)]
    assert _capital(checked)["actual"] == pytest.approx(0.01)


# ---------------------------------------------------------------- 8. empty sources


def test_an_untouched_template_sheet_is_no_data_not_zero(tmp_path: Path) -> None:
    _projects_csv(tmp_path)
    write_xlsx(
        tmp_path / "到位资金台账.xlsx",
        {
            "到位资金台账": [
                ARRIVAL_HEADER,
                ["示例：WH-2025-0001", "2025-01-01", 100, "", "填写示例，请删除"],
                [],
            ]
        },
    )
    checked = _checked(tmp_path)
    stats = checked.report.ledgers["arrivals"]
    assert (stats.read, stats.accepted, stats.skipped) == (1, 0, 1)
    assert stats.skip_reasons["填写示例行"] == 1
    capital = _capital(checked)
    assert (capital["status"], capital["actual"]) == ("no_data", None)
    assert _codes(checked.report.findings, "ledger-empty") == [
        ("到位资金台账.xlsx", "到位资金台账", None, None)
    ]


def test_validate_without_a_required_ledger_never_says_all_clear(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_xlsx(tmp_path / "乌达区台账.xlsx", {"项目表": table(PROJECT_ROWS)})
    _projects_csv(tmp_path / "海南区")
    result = cli("validate", "--data", str(tmp_path))
    assert result.code == 0
    assert "校验通过" not in result.out
    assert "未找到到位资金台账" in result.out
    payload = cli("validate", "--data", str(tmp_path), "-f", "json").json()
    missing = {f["ledger"] for f in payload["findings"] if f["code"] == "ledger-missing"}
    assert missing == {"arrivals", "parks", "output"}


# ---------------------------------------------------------------- 9. files that lie about their type


def _html_table(rows: list[list[Any]]) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        '<html><head><meta charset="utf-8"></head><body>'
        f"<table border=1>{cells}</table></body></html>"
    ).encode()


def _xml2003(rows: list[list[Any]], name: str) -> bytes:
    def cell(value: Any) -> str:
        kind = "Number" if isinstance(value, int | float) else "String"
        return f'<Cell><Data ss:Type="{kind}">{value}</Data></Cell>'

    body = "".join("<Row>" + "".join(cell(c) for c in row) + "</Row>" for row in rows)
    return (
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="{name}"><Table>{body}</Table></Worksheet></Workbook>'
    ).encode()


@pytest.mark.parametrize("kind", ["html", "xml2003", "xlsx", "tsv"])
def test_an_xls_that_is_something_else_is_read_for_what_it_is(tmp_path: Path, kind: str) -> None:
    _projects_csv(tmp_path)
    rows = table(
        [arrival("P1", "2024-01-05", 100), arrival("P2", "2024-01-06", 50)], ARRIVAL_HEADER
    )
    target = tmp_path / "到位资金台账.xls"
    if kind == "html":
        target.write_bytes(_html_table(rows))
    elif kind == "xml2003":
        target.write_bytes(_xml2003(rows, "到位资金台账"))
    elif kind == "xlsx":
        write_xlsx(tmp_path / "src.xlsx", {"到位资金台账": rows}).rename(target)
    else:
        text = "\n".join("\t".join(str(c) for c in row) for row in rows)
        target.write_bytes(text.encode("gbk"))
    checked = _checked(tmp_path)
    assert checked.data.ledgers["arrivals"].frame["amount"].tolist() == [100.0, 50.0]
    assert checked.report.errors == 0


def test_a_bad_file_among_good_ones_is_one_finding_and_the_rest_is_read(
    tmp_path: Path, cli
) -> None:  # type: ignore[no-untyped-def]
    _projects_csv(tmp_path)
    (tmp_path / "海南区台账.xlsx").write_bytes(b"PK\x03\x04 this is not a zip")
    (tmp_path / "乌达区台账.xls").write_bytes(b"%PDF-1.4 a pdf saved as xls")
    result = cli("validate", "--data", str(tmp_path), "-f", "json")
    assert result.code == 1
    payload = result.json()
    assert payload["ledgers"]["projects"]["accepted"] == 3
    bad = {f["file"]: f["message"] for f in payload["findings"] if f["code"] == "unreadable-file"}
    assert set(bad) == {"海南区台账.xlsx", "乌达区台账.xls"}
    assert "损坏" in bad["海南区台账.xlsx"]
    assert "PDF" in bad["乌达区台账.xls"] and "另存为 .xlsx" in bad["乌达区台账.xls"]
    alone = cli("validate", "--data", str(tmp_path / "海南区台账.xlsx"))
    assert alone.code == 2 and "损坏" in alone.err


# ---------------------------------------------------------------- 10. messages speak to the clerk

INTERNALS = (
    "calamine",
    "rust",
    "pyarrow",
    "arrow",
    "cfb",
    "ole",
    "error",
    "exception",
    "traceback",
)


def test_messages_about_broken_files_are_chinese_without_library_internals(
    tmp_path: Path,
) -> None:
    _projects_csv(tmp_path)
    (tmp_path / "a-项目台账.xlsx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "b-到位资金台账.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken ole")
    (tmp_path / "c-园区台账.ods").write_bytes(b"not an ods at all")
    (tmp_path / "d-产值台账.csv").write_bytes(b"\x00\x01\x02\x03")
    lines = list(ARRIVALS_TEXT)
    lines[2] = 'P1,2024-02-05,200,"没有结束的引号'
    (tmp_path / "e-到位资金台账.csv").write_bytes(_arrivals_bytes(lines))
    data = load(tmp_path)
    errors = [f for f in data.findings if f.severity == "error"]
    # the ".ods" holds one line of text: read as the text it is, it has no 园区台账 header
    assert sorted((f.code, f.file) for f in errors) == [
        ("missing-column", "c-园区台账.ods"),
        ("unclosed-quote", "e-到位资金台账.csv"),
        ("unreadable-file", "a-项目台账.xlsx"),
        ("unreadable-file", "b-到位资金台账.xls"),
        ("unreadable-file", "d-产值台账.csv"),
    ]
    messages = [f.message for f in errors]
    for message in messages:
        assert not any(word in message.lower() for word in INTERNALS), message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
