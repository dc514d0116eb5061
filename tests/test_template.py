"""`wuhai-zs template`: the districts' blank ledger workbook, filled in and read back by validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.plan.model import load_plan
from wuhai_zs.render.excel import GUIDE_SHEET, OPTIONS_SHEET, template_columns

D = dt.datetime
ROWS: dict[str, list[dict[str, Any]]] = {
    "项目台账": [
        {
            "项目编号": "WH-1",
            "项目名称": "某精细化工项目",
            "所属区": "海南区",
            "所在园区": "海南产业园",
            "产业类别": "精细化工",
            "投资方": "某化工有限公司",
            "企业标签": "上市公司、专精特新",
            "来源地区": "长三角",
            "总投资（万元）": 20000,
            "项目阶段": "开工",
            "签约日期": D(2023, 1, 10),
            "计划开工日期": D(2023, 3, 1),
            "开工日期": D(2023, 3, 5),
            "用地面积（亩）": 50,
            "应办手续数": 10,
            "已办手续数": 8,
            "是否纳统": "是",
        },
        {
            "项目编号": "WH-2",
            "项目名称": "某外资装备项目",
            "所属区": "高新区",
            "产业类别": "装备制造",
            "投资方": "某株式会社",
            "来源地区": "境外",
            "来源国别": "日本",
            "总投资（万元）": 8000,
            "项目阶段": "签约",
            "签约日期": D(2024, 5, 20),
            "飞地类型": "飞出",
            "飞出地": "高新区",
            "飞入地": "乌达区",
            "飞出地分成比例": 0.6,
        },
    ],
    "到位资金台账": [
        {"项目编号": "WH-1", "到位日期": D(2023, 2, 1), "到位金额（万元）": 500},
        {
            "项目编号": "WH-2",
            "到位月份": D(2024, 6, 1),
            "到位金额（万元）": 300,
            "外资金额（万美元）": 42,
        },
    ],
    "园区台账": [
        {
            "园区": "海南产业园",
            "年度": 2024,
            "用地面积（亩）": 100,
            "固定资产投资（万元）": 23000,
            "工业总产值（万元）": 15000,
            "税收收入（万元）": 900,
        }
    ],
    "产值台账": [
        {"年度": 2024, "统计范围": "全市", "工业总产值（万元）": 3360000},
        {"年度": 2025, "月份": 6, "统计范围": "精细化工", "工业总产值（万元）": 520000},
    ],
    "招商活动台账": [
        {
            "日期": D(2024, 5, 1),
            "活动类型": "带队招商",
            "所属区": "海南区",
            "带队领导": "王某（区委书记）",
            "是否主要领导": "是",
            "目的地": "上海",
            "对接企业数": 3,
            "签约项目数": 1,
            "签约金额（万元）": 500,
        }
    ],
}


@pytest.fixture
def template(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "台账模板.xlsx"
    result = cli("template", "--output", str(path))
    assert result.code == 0, result.err
    return path


def _fill(template: Path, rows: dict[str, list[dict[str, Any]]], out: Path) -> Path:
    wb = load_workbook(template)
    for sheet, records in rows.items():
        ws = wb[sheet]
        columns = {c.value: c.column for c in ws[1]}
        for r, record in enumerate(records, start=2):
            for header, value in record.items():
                ws.cell(row=r, column=columns[header], value=value)
    wb.save(out)
    return out


def test_template_sheets_headers_dropdowns_and_formats(template: Path) -> None:
    wb = load_workbook(template)
    stems = [spec.stem_zh for spec in LEDGERS.values()]
    assert wb.sheetnames == [GUIDE_SHEET, *stems, OPTIONS_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    for key, spec in LEDGERS.items():
        ws = wb[spec.stem_zh]
        assert [c.value for c in ws[1]] == [c.display for c in template_columns(key)]
        assert ws.freeze_panes == "A2"
    projects = wb["项目台账"]
    header = {c.value: get_column_letter(c.column) for c in projects[1]}
    lists = {str(dv.sqref).split(":")[0]: dv for dv in projects.data_validations.dataValidation}
    for column, name in (
        ("所属区", "list_district"),
        ("产业类别", "list_industry"),
        ("项目阶段", "list_stage"),
        ("来源地区", "list_region"),
        ("是否纳统", "list_yes_no"),
        ("所在园区", "list_park"),
        ("企业标签", "list_tag"),
        ("飞地类型", "list_enclave"),
    ):
        dv = lists[f"{header[column]}2"]
        assert (dv.type, dv.formula1) == ("list", name), column
    industries = wb.defined_names["list_industry"].attr_text
    assert industries == f"'{OPTIONS_SHEET}'!$C$2:$C${1 + len(load_plan().industries)}"
    assert wb[OPTIONS_SHEET]["C2"].value == "现代煤化工"
    assert lists[f"{header['总投资（万元）']}2"].type == "decimal"
    assert projects.column_dimensions[header["签约日期"]].number_format == "yyyy-mm-dd"
    assert projects.column_dimensions[header["总投资（万元）"]].number_format == "#,##0.00"
    guide = [c.value for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert "项目编号" in guide and any("从下拉列表选择" in str(v) for v in guide)


def test_the_empty_template_reads_as_empty_ledgers(template: Path, cli) -> None:  # type: ignore[no-untyped-def]
    payload = cli("validate", "--data", str(template), "--format", "json").json()
    # Each required ledger is there but holds no data row: a warning each, never 校验通过.
    assert payload["counts"] == {"errors": 0, "warnings": 4}
    assert {f["code"] for f in payload["findings"]} == {"ledger-empty"}
    assert {lg: s["read"] for lg, s in payload["ledgers"].items()} == dict.fromkeys(LEDGERS, 0)


def test_a_filled_template_validates(template: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    filled = _fill(template, ROWS, tmp_path / "海南区台账.xlsx")
    result = cli("validate", "--data", str(filled), "--format", "json", "--as-of", "2025-09-30")
    payload = result.json()
    assert result.code == 0, payload["findings"]
    assert payload["counts"] == {"errors": 0, "warnings": 0}
    assert {lg: s["accepted"] for lg, s in payload["ledgers"].items()} == {
        "projects": 2,
        "arrivals": 2,
        "parks": 1,
        "output": 2,
        "activities": 1,
    }
    ignored = {s["sheet"] for s in payload["ignored_sheets"]}
    assert ignored == {GUIDE_SHEET, OPTIONS_SHEET}


def test_a_wrong_value_is_pointed_at(template: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = {k: [dict(r) for r in v] for k, v in ROWS.items()}
    rows["项目台账"][1]["所属区"] = "青山区"
    rows["园区台账"][0]["用地面积（亩）"] = "很多"
    filled = _fill(template, rows, tmp_path / "filled.xlsx")
    payload = cli("validate", "--data", str(filled), "--format", "json").json()
    where = {(f["sheet"], f["row"], f["column"], f["code"]) for f in payload["findings"]}
    assert ("项目台账", 3, "所属区", "not-allowed") in where
    assert ("园区台账", 2, "用地面积（亩）", "bad-number") in where
    assert all(f["file"] == "filled.xlsx" for f in payload["findings"])


def test_template_output_checks(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    missing = cli("template", "--output", str(tmp_path / "no" / "t.xlsx"))
    assert missing.code == 2 and "不存在" in missing.err
    assert len(missing.err.strip().splitlines()) == 1
    assert cli("template", "--output", str(tmp_path / "t.csv")).code == 2
    twice = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in twice:
        assert cli("template", "--output", str(path)).code == 0
    assert twice[0].read_bytes() == twice[1].read_bytes()
