"""`wuhai-zs template`: the districts' blank ledger workbook, filled in and read back by validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.plan.model import default_plan_text, load_plan
from wuhai_zs.render.excel.template import (
    EXAMPLE_ROW,
    FIRST_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    OPTIONS_SHEET,
)

from conftest import ACTIVITY_HEADER, OUTPUT_HEADER, PARK_HEADER, PROJECT_HEADER, write_csv

D = dt.datetime
# Required columns of the spec's tables (spec/ledgers.md), written out by hand.
REQUIRED = {
    "项目台账": [
        "项目编号",
        "项目名称",
        "所属区",
        "产业类别",
        "投资方",
        "来源地区",
        "总投资（万元）",
        "项目阶段",
    ],
    "到位资金台账": ["项目编号", "到位金额（万元）"],
    "园区台账": [
        "园区",
        "年度",
        "用地面积（亩）",
        "固定资产投资（万元）",
        "工业总产值（万元）",
        "税收收入（万元）",
    ],
    "产值台账": ["年度", "统计范围", "工业总产值（万元）"],
    "招商活动台账": ["日期", "活动类型", "所属区"],
}
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
            "所属区": "市直部门",
            "带队领导": "王某（市长）",
            "是否主要领导": "是",
            "目的地": "上海",
            "对接企业数": 3,
            "签约项目数": 1,
            "签约金额（万元）": 500,
        }
    ],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from wuhai_zs.cli.app import main

    path = tmp_path_factory.mktemp("template") / "台账模板.xlsx"
    try:
        main(["template", "--output", str(path)])
    except SystemExit as exc:
        assert not exc.code
    return path


def _headers(ws: Any) -> dict[str, int]:
    """Header text without its required mark -> column number."""
    return {str(c.value).lstrip("*"): c.column for c in ws[HEADER_ROW] if c.value is not None}


def _fill(template: Path, rows: dict[str, list[dict[str, Any]]], out: Path) -> Path:
    wb = load_workbook(template)
    for sheet, records in rows.items():
        ws = wb[sheet]
        columns = _headers(ws)
        for r, record in enumerate(records, start=FIRST_ROW):
            for header, value in record.items():
                ws.cell(row=r, column=columns[header], value=value)
    wb.save(out)
    return out


def _offered(wb: Any, formula: str, rows: int | None = None) -> list[Any]:
    """The values a list dropdown offers, as Excel resolves its formula: a defined name or a
    range of a sheet (its first `rows` rows when it runs to the bottom of the sheet)."""
    ref = wb.defined_names[formula].attr_text if formula in wb.defined_names else formula
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    first, last = cells.replace("$", "").split(":")
    col = "".join(ch for ch in first if ch.isalpha())
    top, bottom = int(first[len(col) :]), int(last[len(col) :])
    if rows is not None:
        bottom = min(bottom, top + rows - 1)
    return [ws[f"{col}{r}"].value for r in range(top, bottom + 1)]


def _dropdown(ws: Any, header: str) -> Any:
    column = _headers(ws)[header]
    return next(
        dv
        for dv in ws.data_validations.dataValidation
        if next(iter(dv.sqref.ranges)).min_col == column
    )


# Every header of the template's sheets, in order, from the spec's tables (shared/spec/
# ledgers.md; the arrivals sheet carries the row-per-arrival layout).
HEADERS = {
    "项目台账": PROJECT_HEADER,
    "到位资金台账": [
        "项目编号",
        "到位日期",
        "到位月份",
        "到位金额（万元）",
        "外资金额（万美元）",
        "备注",
    ],
    "园区台账": PARK_HEADER,
    "产值台账": OUTPUT_HEADER,
    "招商活动台账": ACTIVITY_HEADER,
}


def test_sheets_headers_and_required_marks(template: Path) -> None:
    wb = load_workbook(template)
    stems = [spec.stem_zh for spec in LEDGERS.values()]
    assert wb.sheetnames == [GUIDE_SHEET, *stems, OPTIONS_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    assert list(HEADERS) == stems
    for stem, required in REQUIRED.items():
        ws = wb[stem]
        texts = [str(c.value) for c in ws[HEADER_ROW] if c.value is not None]
        assert [t.lstrip("*") for t in texts] == HEADERS[stem], stem
        marked = [t.lstrip("*") for t in texts if t.startswith("*")]
        assert marked == required, stem
        assert ws.cell(1, 1).value == f"乌海市招商引资{stem}"  # the title block above the header
        assert str(ws.cell(2, 1).value).startswith("填报单位：")
        assert ws.cell(EXAMPLE_ROW, 1).value is not None  # the example row
        assert ws.cell(EXAMPLE_ROW, 1).font.i
        assert ws.freeze_panes and ws.freeze_panes[0] in "BC"
        assert ws.freeze_panes[1:] == str(FIRST_ROW)
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.scale) >= 70 or ws.print_title_cols
    assert (
        wb.properties.title == "乌海市招商引资台账模板" and "wuhai-zs" not in wb.properties.creator
    )


def test_dropdowns_offer_the_plan_and_reach_every_row(template: Path) -> None:
    plan = load_plan()
    wb = load_workbook(template)
    projects = wb["项目台账"]
    header = _headers(projects)
    rules = {
        next(iter(dv.sqref.ranges)).min_col: dv for dv in projects.data_validations.dataValidation
    }
    for column, values in (
        ("所属区", plan.districts),
        ("产业类别", plan.industries),
        ("项目阶段", ["储备", "在谈", "签约", "开工", "竣工", "投产", "终止"]),
        ("所在园区", plan.parks),
        ("是否纳统", ["是", "否"]),
        ("企业标签", plan.tags),
    ):
        dv = rules[header[column]]
        assert dv.type == "list", column
        assert _offered(wb, dv.formula1) == list(values), column
        assert dv.showInputMessage and dv.prompt, column  # an input prompt on every dropdown
    for dv in projects.data_validations.dataValidation:
        area = next(iter(dv.sqref.ranges))
        assert (area.min_row, area.max_row) == (FIRST_ROW, 1_048_576), dv.sqref
    assert rules[header["总投资（万元）"]].type == "decimal"
    assert rules[header["总投资（万元）"]].operator == "greaterThan"
    assert projects.column_dimensions["L"].number_format == "yyyy-mm-dd"  # 签约日期
    unit = _dropdown(wb["招商活动台账"], "所属区")
    assert _offered(wb, unit.formula1) == [*plan.districts, "市直部门"]
    assert unit.errorStyle == "information"  # a city department's own name is allowed too
    country = _dropdown(projects, "来源国别")
    assert _offered(wb, country.formula1) == plan.countries
    guide = [c.value for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert "项目编号" in guide and any("从下拉列表选择" in str(v) for v in guide)
    assert any("项目阶段为开工及以后时必填" in str(v) for v in guide)
    assert any("重大项目（总投资 10 亿元及以上）必填" in str(v) for v in guide)


def test_the_arrivals_id_dropdown_offers_the_projects_typed_in(
    template: Path, tmp_path: Path
) -> None:
    filled = load_workbook(_fill(template, ROWS, tmp_path / "filled.xlsx"))
    ids = _dropdown(filled["到位资金台账"], "项目编号")
    assert ids.type == "list" and ids.errorStyle == "warning"
    assert _offered(filled, ids.formula1, rows=3) == ["WH-1", "WH-2", None]
    area = next(iter(ids.sqref.ranges))  # on every row of the sheet
    assert (area.min_row, area.max_row) == (FIRST_ROW, 1_048_576)


def test_the_dropdowns_offer_another_plans_values(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A 2026—2028 plan with a fifth district and other countries: the template offers those."""
    text = (
        default_plan_text()
        .replace(
            'districts = ["海勃湾区", "乌达区", "海南区", "高新区"]',
            'districts = ["海勃湾区", "乌达区", "海南区", "高新区", "滨河新区"]',
        )
        .replace(
            'countries = ["俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡"]',
            'countries = ["蒙古国", "哈萨克斯坦"]',
        )
    )
    plan = tmp_path / "plan-2026.toml"
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "模板.xlsx"
    assert cli("template", "--plan", str(plan), "--output", str(out)).code == 0
    wb = load_workbook(out)
    districts = ["海勃湾区", "乌达区", "海南区", "高新区", "滨河新区"]
    assert _offered(wb, _dropdown(wb["项目台账"], "所属区").formula1) == districts
    assert _offered(wb, _dropdown(wb["项目台账"], "来源国别").formula1) == ["蒙古国", "哈萨克斯坦"]
    assert _offered(wb, _dropdown(wb["招商活动台账"], "所属区").formula1) == [
        *districts,
        "市直部门",
    ]


def test_a_plan_without_countries_gets_a_template_without_their_list(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    plan = tmp_path / "plan.toml"
    lines = default_plan_text().splitlines(keepends=True)
    plan.write_text("".join(x for x in lines if not x.startswith("countries =")), "utf-8")
    out = tmp_path / "模板.xlsx"
    result = cli("template", "--plan", str(plan), "--output", str(out))
    assert result.code == 0, result.err
    projects = load_workbook(out)["项目台账"]
    country = _dropdown(projects, "来源国别")
    assert country.type != "list" and "来源地区为境外时必填" in country.prompt


def test_the_empty_template_reads_as_empty_ledgers(template: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """The title block and the example row above the header are never read as data."""
    payload = cli("validate", "--data", str(template), "--format", "json").json()
    # Each required ledger is there but holds no data row: a warning each, never 校验通过.
    assert payload["counts"] == {"errors": 0, "warnings": 4}
    assert {f["code"] for f in payload["findings"]} == {"ledger-empty"}
    assert {lg: s["accepted"] for lg, s in payload["ledgers"].items()} == dict.fromkeys(LEDGERS, 0)
    # the rows above the header (title, 填报单位, how to fill, the example) are skipped as titles
    assert {lg: s["skipped"] for lg, s in payload["ledgers"].items()} == dict.fromkeys(
        LEDGERS, HEADER_ROW - 1
    )


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
    assert ("项目台账", FIRST_ROW + 1, "所属区", "not-allowed") in where
    assert ("园区台账", FIRST_ROW, "用地面积（亩）", "bad-number") in where
    assert all(f["file"] == "filled.xlsx" for f in payload["findings"])


def test_a_required_mark_in_a_header_is_not_part_of_its_name(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A clerk's own ledger with *项目编号 / 项目名称＊ headers reads like the template's."""
    data = tmp_path / "data"
    write_csv(
        data / "园区台账.csv",
        [["海南产业园", 2024, 100, 23000, 15000, 900], ["乌达产业园", 2024, "", 1, 1, 1]],
        header=[
            "*园区",
            "年度＊",
            "*用地面积（亩）",
            "固定资产投资（万元）",
            "工业总产值（万元）",
            "税收收入（万元）",
        ],
    )
    payload = cli("validate", "--data", str(data), "--format", "json").json()
    assert payload["ledgers"]["parks"]["read"] == 2
    parks = [f for f in payload["findings"] if f["ledger"] == "parks"]
    assert [(f["row"], f["column"], f["code"]) for f in parks] == [
        (3, "用地面积（亩）", "required-cell")
    ]


def test_template_output_checks(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    missing = cli("template", "--output", str(tmp_path / "no" / "t.xlsx"))
    assert missing.code == 2 and "不存在" in missing.err
    assert len(missing.err.strip().splitlines()) == 1
    assert cli("template", "--output", str(tmp_path / "t.csv")).code == 2
    twice = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in twice:
        assert cli("template", "--output", str(path)).code == 0
    assert twice[0].read_bytes() == twice[1].read_bytes()
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(b"a district's filled ledger")
    refused = cli("template", "--output", str(filled))
    assert refused.code == 2 and "--force" in refused.err
    assert filled.read_bytes() == b"a district's filled ledger"
    assert cli("template", "--output", str(filled), "--force").code == 0
