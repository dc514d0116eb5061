"""What docs/ledgers.md and docs/targets.md promise, each on files written here.

Workbooks in every format the docs name (.xlsx elsewhere; .xls by xlwt, .ods by odfpy, .xlsm
by openpyxl with the macro-enabled content type), yes/no and missing-value spellings, tag
separators, `--data` naming one CSV file, a look back with an earlier --as-of, and the
schedule of an as-of that is not a month's last day.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import check, run
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

D = dt.datetime
TODAY = "2026-12-01"
# The same two ledgers in every workbook format: (header, rows) per sheet.
PROJECT_COLUMNS = ["项目编号", "项目名称", "所属区", "产业类别", "投资方", "来源地区"]
PROJECT_COLUMNS += ["总投资（万元）", "项目阶段", "签约日期", "是否纳统"]
SHEETS: dict[str, list[list[Any]]] = {
    "项目台账": [
        PROJECT_COLUMNS,
        [
            "P1",
            "甲项目",
            "海南区",
            "精细化工",
            "某公司",
            "长三角",
            20000,
            "签约",
            D(2024, 3, 5),
            "是",
        ],
        ["P2", "乙项目", "乌达区", "光伏", "某公司", "京津冀", 8000.5, "签约", D(2024, 4, 1), "否"],
    ],
    "到位资金台账": [
        ["项目编号", "到位日期", "到位金额（万元）"],
        ["P1", D(2024, 5, 10), 1200],
        ["P2", D(2024, 6, 20), 300.25],
    ],
}


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)


def _write_xls(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name, grid in SHEETS.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write(r, c, value, day)
                else:
                    sheet.write(r, c, value)
    book.save(str(path))


def _write_ods(path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, grid in SHEETS.items():
        sheet = Table(name=name)
        for row in grid:
            line = TableRow()
            for value in row:
                if isinstance(value, dt.datetime):
                    cell = TableCell(valuetype="date", datevalue=value.date().isoformat())
                    text = value.date().isoformat()
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    text = f"{value:g}"
                else:
                    cell = TableCell(valuetype="string")
                    text = str(value)
                cell.addElement(P(text=text))
                line.addElement(cell)
            sheet.addElement(line)
        doc.spreadsheet.addElement(sheet)
    doc.save(str(path))


XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _write_xlsm(path: Path) -> None:
    """An .xlsx whose workbook part is declared macro-enabled, as Excel saves an .xlsm (this one
    without a VBA project, which Excel allows)."""
    plain = write_xlsx(path.with_suffix(".tmp"), SHEETS)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                assert XLSX_MAIN.encode() in data
                data = data.replace(XLSX_MAIN.encode(), XLSM_MAIN.encode())
            dst.writestr(item, data)
    plain.unlink()


@pytest.mark.parametrize(
    ("suffix", "writer"),
    [(".xls", _write_xls), (".ods", _write_ods), (".xlsm", _write_xlsm)],
)
def test_every_workbook_format_is_read(tmp_path: Path, suffix: str, writer: Any) -> None:
    book = tmp_path / f"海南区台账{suffix}"
    writer(book)
    for folder_or_file in (tmp_path, book):  # in a folder, and named alone by --data
        checked = check(load(folder_or_file), load_plan(), dt.date(2024, 12, 31))
        errors = [f for f in checked.report.findings if f.severity == "error"]
        assert errors == []
        projects = checked.data.ledgers["projects"].frame
        assert projects["project_id"].tolist() == ["P1", "P2"]
        assert projects["total_investment"].tolist() == [20000.0, 8000.5]
        assert [d.date() for d in projects["signed_on"]] == [
            dt.date(2024, 3, 5),
            dt.date(2024, 4, 1),
        ]
        assert projects["counted"].tolist() == [True, False]
        assert projects["_row"].tolist() == [2, 3]
        arrivals = checked.data.ledgers["arrivals"].frame
        assert arrivals["amount"].tolist() == [1200.0, 300.25]
        assert [d.date() for d in arrivals["date"]] == [dt.date(2024, 5, 10), dt.date(2024, 6, 20)]
        assert {s for _, s in checked.report.ledgers["projects"].sources} == {"项目台账"}


def test_yes_and_no_in_every_spelling(tmp_path: Path) -> None:
    spellings = {"是": True, "否": False, "Y": True, "N": False, "√": True, "×": False}
    spellings |= {"yes": True, "No": False, "TRUE": True, "false": False, "1": True, "0": False}
    rows = [project(f"P{i}", 是否纳统=typed) for i, typed in enumerate(spellings)]
    write_csv(tmp_path / "项目台账.csv", rows)
    checked = check(load(tmp_path), load_plan(), dt.date(2024, 12, 31))
    assert [f for f in checked.report.findings if f.severity == "error"] == []
    assert checked.data.ledgers["projects"].frame["counted"].tolist() == list(spellings.values())


@pytest.mark.parametrize("missing", ["—", "-", "/", ""])
def test_dashes_and_slashes_mean_missing(tmp_path: Path, missing: str) -> None:
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project(
                "P1",
                **{"用地面积（亩）": missing},
                计划开工日期=missing,
                来源国别=missing,
                应办手续数=missing,
                是否纳统=missing,
            ),
            project("P2", 投资方=missing),  # missing in a required column: an error, not text
        ],
    )
    checked = check(load(tmp_path), load_plan(), dt.date(2024, 12, 31))
    errors = [(f.code, f.row, f.column) for f in checked.report.findings if f.severity == "error"]
    assert errors == [("required-cell", 3, "投资方")]
    frame = checked.data.ledgers["projects"].frame
    for column in ("land_mu", "planned_start", "source_country", "permits_required", "counted"):
        assert frame[column].isna().tolist() == [True, True], column


def test_tags_separated_in_every_documented_way(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project("P1", 企业标签="世界500强，央企"),
            project("P2", 企业标签="上市公司,央企"),
            project("P3", 企业标签="专精特新;小巨人"),
            project("P4", 企业标签="专精特新；小巨人"),
            project("P5", 企业标签="瞪羚企业、央企"),
            project("P6"),
        ],
    )
    payload = cli("projects", "--data", str(tmp_path), "--as-of", "2024-12-31", "--json").json()
    counts = {t["tag"]: t["count"] for t in payload["by_tag"] if t["count"]}
    assert counts == {
        "世界500强": 1,
        "央企": 3,
        "上市公司": 1,
        "专精特新": 2,
        "小巨人": 2,
        "瞪羚企业": 1,
        "无标签": 1,
    }
    validate = cli("validate", "--data", str(tmp_path), "--as-of", "2024-12-31", "-f", "json")
    assert not [f for f in validate.json()["findings"] if f["code"] == "not-allowed"]


def test_data_naming_one_csv_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    alone = write_csv(
        tmp_path / "乌达区-项目台账.csv", [project("P1"), project("P2", 所属区="海淀区")]
    )
    write_csv(tmp_path / "到位资金台账.csv", [arrival("P1", "2024-01-05", 10)], ARRIVAL_HEADER)
    result = cli("validate", "--data", str(alone), "-f", "json", "--as-of", "2024-12-31")
    assert result.code == 1  # 海淀区
    payload = result.json()
    assert list(payload["ledgers"]) == ["projects"]  # the folder's other file is not read
    assert payload["ledgers"]["projects"]["sources"] == [
        {"file": "乌达区-项目台账.csv", "sheet": None}
    ]
    assert [
        (f["code"], f["file"], f["row"]) for f in payload["findings"] if f["severity"] == "error"
    ] == [("not-allowed", "乌达区-项目台账.csv", 3)]
    targets = cli("targets", "--data", str(alone), "--json", "--as-of", "2024-12-31").json()
    capital = get_target(targets, "capital_cumulative")
    assert capital["status"] == "no_data"  # no arrivals in that one file: no data, not 0
    notes = tmp_path / "说明.csv"
    notes.write_text("a,b\n1,2\n", "utf-8")
    refused = cli("validate", "--data", str(notes))
    assert refused.code == 2 and "不是台账文件" in refused.err


def _later_rows(folder: Path) -> Path:
    write_csv(
        folder / "项目台账.csv",
        [
            # signed in 2024, started in 2025: at the end of 2024 only signed
            project("A", 签约日期="2024-03-01", 项目阶段="开工", 开工日期="2025-02-01"),
            # signed in 2025: not yet a project of the ledger at the end of 2024
            project("B", 签约日期="2025-03-01", 项目阶段="开工", 开工日期="2025-05-01"),
        ],
    )
    write_csv(
        folder / "到位资金台账.csv",
        [
            arrival("A", "2024-06-01", 100),
            arrival("A", "2025-03-01", 200),
            arrival("B", "2025-06-01", 400),
        ],
        header=ARRIVAL_HEADER,
    )
    return folder


def test_an_earlier_as_of_leaves_later_events_out_of_scope(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_later_rows(tmp_path))
    look_back = ("--data", data, "--as-of", "2024-12-31")
    validate = cli("validate", "-f", "json", *look_back)
    assert validate.code == 0
    report = validate.json()
    assert not [f for f in report["findings"] if f["code"] == "future-date"]
    assert report["ledgers"]["projects"]["out_of_scope"] == 1  # B
    assert report["ledgers"]["arrivals"]["out_of_scope"] == 2  # A's 2025 money and B's
    assert report["ledgers"]["projects"]["accepted"] == 1
    projects = cli("projects", "--json", *look_back).json()
    assert projects["projects"] == 1
    funnel = {f["stage"]: f for f in projects["funnel"]}
    assert funnel["签约"]["count"] == 1 and funnel["开工"]["count"] == 0  # A had not started
    assert (funnel["签约"]["reached"], funnel["开工"]["reached"]) == (1, 0)
    targets = cli("targets", "--json", *look_back).json()
    capital = get_target(targets, "capital_cumulative")
    assert capital["actual"] == pytest.approx(0.01)  # A's 100 万元 of 2024 only
    # the same ledgers seen today: every row in scope, A started, B counted
    now = cli("validate", "-f", "json", "--data", data).json()
    assert {k: s["out_of_scope"] for k, s in now["ledgers"].items()} == {
        "projects": 0,
        "arrivals": 0,
    }


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        ("2024-06-15", 17),
        ("2024-06-29", 17),
        ("2024-06-30", 18),
        ("2023-01-31", 1),
        ("2023-01-30", 0),
    ],
)
def test_the_schedule_counts_whole_months_at_an_as_of_mid_month(
    tmp_path: Path, as_of: str, months: int
) -> None:
    """docs/targets.md: 应达 = 800 × 已过整月数 ÷ 36, a month counting once its last day is."""
    write_csv(
        tmp_path / "项目台账.csv",
        [project("A", 签约日期="2022-06-01", **{"总投资（万元）": 9_000_000})],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", "2023-01-05", 1_000_000), arrival("A", as_of, 1)],
        header=ARRIVAL_HEADER,
    )
    from wuhai_zs.metrics.targets import compute

    result = compute(run(tmp_path, load_plan(), dt.date.fromisoformat(as_of))).to_dict()
    capital = get_target(result, "capital_cumulative")
    assert result["elapsed_months"] == months
    assert capital["expected"] == pytest.approx(months / 36, abs=1e-6)
    assert capital["due"] == pytest.approx(800 * months / 36, abs=1e-4)
    assert capital["judged_on"]["through"] == as_of
    assert capital["status"] == ("on_track" if 800 * months / 36 <= 100.0001 else "behind")


def test_a_tab_of_projects_written_as_the_spec_lists_it_reads_clean(tmp_path: Path) -> None:
    """The full 项目台账 header of the spec, English aliases instead of Chinese, reads the same."""
    from wuhai_zs.ledgers.columns import LEDGERS

    aliases = {c.display: c.key for c in LEDGERS["projects"].columns}
    rows = table([project("P1"), project("P2")], PROJECT_HEADER)
    english = [[aliases[h] for h in rows[0]], *rows[1:]]
    write_xlsx(tmp_path / "a" / "台账.xlsx", {"projects": english})
    write_xlsx(tmp_path / "b" / "台账.xlsx", {"项目台账": rows})
    frames = [load(tmp_path / x).ledgers["projects"].frame for x in ("a", "b")]
    columns = [c.key for c in LEDGERS["projects"].columns]
    assert frames[0][columns].equals(frames[1][columns])
