"""Each rule, broken once on a real file: the code, the row a person sees and the column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.findings.catalog import RULES
from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import load_plan

from conftest import ARRIVAL_HEADER, arrival, project, write_csv

PARK_HEADER = [
    "园区",
    "年度",
    "用地面积（亩）",
    "固定资产投资（万元）",
    "工业总产值（万元）",
    "税收收入（万元）",
]
OUTPUT_HEADER = ["年度", "月份", "统计范围", "工业总产值（万元）"]
ACTIVITY_HEADER = [
    "日期",
    "活动类型",
    "所属区",
    "带队领导",
    "是否主要领导",
    "目的地",
    "对接企业数",
    "签约项目数",
    "签约金额（万元）",
]
AS_OF = dt.date(2025, 9, 30)


def _ledgers(
    tmp_path: Path,
    projects: list[dict[str, Any]] | None = None,
    arrivals: list[dict[str, Any]] | None = None,
    parks: list[list[Any]] | None = None,
    output: list[list[Any]] | None = None,
    activities: list[list[Any]] | None = None,
) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        projects
        if projects is not None
        else [project("P1"), project("P2", 项目阶段="开工", 开工日期="2023-03-01")],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        arrivals
        if arrivals is not None
        else [arrival("P1", "2023-02-01", 100), arrival("P2", "2023-04-01", 200)],
        header=ARRIVAL_HEADER,
    )
    write_csv(
        tmp_path / "园区台账.csv",
        parks or [["海南产业园", 2024, 100, 23000, 15000, 900]],
        header=PARK_HEADER,
    )
    write_csv(tmp_path / "产值台账.csv", output or [[2024, "", "全市", 100]], header=OUTPUT_HEADER)
    write_csv(
        tmp_path / "招商活动台账.csv",
        activities or [["2024-05-01", "带队招商", "海南区", "王某", "是", "上海", 3, 1, 500]],
        header=ACTIVITY_HEADER,
    )
    return tmp_path


def _findings(path: Path, as_of: dt.date | None = AS_OF) -> list[Any]:
    return check(load(path), load_plan(), as_of).report.findings


def test_the_baseline_is_clean(tmp_path: Path) -> None:
    assert _findings(_ledgers(tmp_path)) == []


P = project
CASES: list[tuple[str, dict[str, Any], str, int, str | None]] = [
    # (id, ledgers, code, row, column)
    ("required", {"projects": [P("P1"), P("P2", 投资方="")]}, "required-cell", 3, "投资方"),
    (
        "bad number",
        {"projects": [P("P1"), P("P2", **{"总投资（万元）": "两千"})]},
        "bad-number",
        3,
        "总投资（万元）",
    ),
    (
        "bad date",
        {"projects": [P("P1"), P("P2", 签约日期="2023-13-45")]},
        "bad-date",
        3,
        "签约日期",
    ),
    (
        "date 1900",
        {"projects": [P("P1"), P("P2", 签约日期="1900-01-01")]},
        "bad-date",
        3,
        "签约日期",
    ),
    ("feb 30", {"projects": [P("P1"), P("P2", 签约日期="2023-02-30")]}, "bad-date", 3, "签约日期"),
    (
        "feb 30 zh",
        {"projects": [P("P1"), P("P2", 签约日期="2023年2月30日")]},
        "bad-date",
        3,
        "签约日期",
    ),
    ("bad int", {"projects": [P("P1", 应办手续数="2.5")]}, "bad-integer", 2, "应办手续数"),
    ("bad yes/no", {"projects": [P("P1", 是否纳统="也许")]}, "bad-yes-no", 2, "是否纳统"),
    (
        "bad share",
        {
            "projects": [
                P("P1", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例="六成")
            ]
        },
        "bad-share",
        2,
        "飞出地分成比例",
    ),
    ("district", {"projects": [P("P1", 所属区="海淀区")]}, "not-allowed", 2, "所属区"),
    ("park", {"projects": [P("P1", 所在园区="中关村")]}, "not-allowed", 2, "所在园区"),
    ("industry", {"projects": [P("P1", 产业类别="房地产")]}, "not-allowed", 2, "产业类别"),
    ("stage", {"projects": [P("P1", 项目阶段="洽谈")]}, "not-allowed", 2, "项目阶段"),
    ("region", {"projects": [P("P1", 来源地区="欧洲")]}, "not-allowed", 2, "来源地区"),
    ("tag", {"projects": [P("P1", 企业标签="上市公司、网红企业")]}, "not-allowed", 2, "企业标签"),
    ("duplicate id", {"projects": [P("P1"), P("P2"), P("P1")]}, "duplicate-id", 4, "项目编号"),
    ("signed date", {"projects": [P("P1", 签约日期="")]}, "stage-date-missing", 2, "签约日期"),
    ("start date", {"projects": [P("P1", 项目阶段="开工")]}, "stage-date-missing", 2, "开工日期"),
    (
        "start order",
        {"projects": [P("P1", 项目阶段="开工", 开工日期="2022-12-01")]},
        "date-order",
        2,
        "开工日期",
    ),
    (
        "permits",
        {"projects": [P("P1", 应办手续数=3, 已办手续数=5)]},
        "permits-exceed",
        2,
        "已办手续数",
    ),
    (
        "not positive",
        {"projects": [P("P1", **{"总投资（万元）": 0})]},
        "not-positive",
        2,
        "总投资（万元）",
    ),
    (
        "negative land",
        {"projects": [P("P1", **{"用地面积（亩）": -3})]},
        "negative",
        2,
        "用地面积（亩）",
    ),
    (
        "enclave",
        {"projects": [P("P1", 飞地类型="飞出", 飞出地="海南区", 飞出地分成比例=0.6)]},
        "enclave-incomplete",
        2,
        "飞入地",
    ),
    (
        "share range",
        {
            "projects": [
                P("P1", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例="160%")
            ]
        },
        "share-range",
        2,
        "飞出地分成比例",
    ),
    (
        "foreign country",
        {"projects": [P("P1", 来源地区="境外")]},
        "foreign-country-missing",
        2,
        "来源国别",
    ),
    (
        "five ones",
        {
            "projects": [
                P(
                    "P1",
                    **{"总投资（万元）": 100000},
                    包联领导="张某",
                    工作专班="专班",
                    推进方案="否",
                )
            ]
        },
        "five-ones",
        2,
        "推进方案",
    ),
    ("future date", {"projects": [P("P1", 签约日期="2052-09-18")]}, "future-date", 2, "签约日期"),
    (
        "unknown project",
        {"arrivals": [arrival("P9", "2023-02-01", 1)]},
        "unknown-project",
        2,
        "项目编号",
    ),
    (
        "not signed",
        {
            "projects": [P("P1", 项目阶段="在谈", 签约日期="")],
            "arrivals": [arrival("P1", "2023-02-01", 1)],
        },
        "not-signed",
        2,
        "项目编号",
    ),
    (
        "before signing",
        {"arrivals": [arrival("P1", "2023-01-09", 1)]},
        "before-signing",
        2,
        "到位日期",
    ),
    (
        "project rejected",
        {"projects": [P("P1", 所属区="")], "arrivals": [arrival("P1", "2023-02-01", 1)]},
        "project-rejected",
        2,
        "项目编号",
    ),
    (
        "amount",
        {"arrivals": [arrival("P1", "2023-02-01", -5)]},
        "not-positive",
        2,
        "到位金额（万元）",
    ),
    (
        "amount missing",
        {"arrivals": [arrival("P1", "2023-02-01", "")]},
        "required-cell",
        2,
        "到位金额（万元）",
    ),
    (
        "date or month",
        {"arrivals": [arrival("P1", "", 5)]},
        "required-one-of",
        2,
        "到位日期、到位月份",
    ),
    (
        "fdi",
        {
            "projects": [P("P1", 来源地区="境外", 来源国别="日本")],
            "arrivals": [arrival("P1", "2023-02-01", 700)],
        },
        "fdi-missing",
        2,
        "外资金额（万美元）",
    ),
    (
        "double entry",
        {"arrivals": [arrival("P1", "2023-02-01", 5), arrival("P1", "2023-02-01", 5)]},
        "probable-duplicate",
        3,
        "项目编号",
    ),
    (
        "arrival in the future",
        {"arrivals": [arrival("P1", "2052-09-18", 5)]},
        "future-date",
        2,
        "到位日期",
    ),
    (
        "activity in the future",
        {"activities": [["2052-09-18", "推介会", "海南区", "", "", "", "", "", ""]]},
        "future-date",
        2,
        "日期",
    ),
    (
        "park year in the future",
        {"parks": [["海南产业园", 2052, 10, 1, 1, 1]]},
        "future-date",
        2,
        "年度",
    ),
    ("output in the future", {"output": [[2052, "", "全市", 1]]}, "future-date", 2, "年度"),
    ("park name", {"parks": [["某园", 2024, 10, 1, 1, 1]]}, "not-allowed", 2, "园区"),
    (
        "park land",
        {"parks": [["海南产业园", 2024, 0, 1, 1, 1]]},
        "not-positive",
        2,
        "用地面积（亩）",
    ),
    ("park year", {"parks": [["海南产业园", "去年", 10, 1, 1, 1]]}, "bad-year", 2, "年度"),
    (
        "park twice",
        {"parks": [["海南产业园", 2024, 10, 1, 1, 1], ["海南产业园", 2024, 12, 1, 1, 1]]},
        "duplicate-period",
        3,
        "园区",
    ),
    ("scope", {"output": [[2024, "", "钢铁", 1]]}, "not-allowed", 2, "统计范围"),
    ("month", {"output": [[2024, 13, "全市", 1]]}, "month-range", 2, "月份"),
    ("output negative", {"output": [[2024, "", "全市", -1]]}, "negative", 2, "工业总产值（万元）"),
    (
        "activity kind",
        {"activities": [["2024-05-01", "考察", "海南区", "", "", "", "", "", ""]]},
        "not-allowed",
        2,
        "活动类型",
    ),
    (
        "leader",
        {"activities": [["2024-05-01", "带队招商", "海南区", "", "是", "", "", "", ""]]},
        "leader-missing",
        2,
        "带队领导",
    ),
]


@pytest.mark.parametrize(
    ("ledgers", "code", "row", "column"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_points_at_the_cell(
    tmp_path: Path, ledgers: dict[str, Any], code: str, row: int, column: str | None
) -> None:
    found = _findings(_ledgers(tmp_path, **ledgers))
    hits = [f for f in found if f.code == code]
    assert hits, f"expected {code}, got {[(f.code, f.row) for f in found]}"
    assert any(f.row == row and f.column == column for f in hits), hits
    assert all(f.file and f.message for f in hits)


def test_duplicate_id_across_sources_flags_both_rows(tmp_path: Path) -> None:
    _ledgers(tmp_path)
    write_csv(tmp_path / "海南区" / "projects.csv", [project("P2")])
    hits = [f for f in _findings(tmp_path) if f.code == "duplicate-id"]
    assert sorted((f.file, f.row) for f in hits) == [
        ("海南区/projects.csv", 2),
        ("项目台账.csv", 3),
    ]
    assert "海南区/projects.csv 第2行" in next(f for f in hits if f.file == "项目台账.csv").message


def test_missing_required_column_names_expected_and_found(tmp_path: Path) -> None:
    _ledgers(tmp_path)
    write_csv(
        tmp_path / "园区台账.csv", [["海南产业园", 2024, 100]], header=["园区", "年度", "面积"]
    )
    hits = [f for f in _findings(tmp_path) if f.code == "missing-column"]
    assert len(hits) == 1
    assert "用地面积（亩）" in hits[0].message and "园区 | 年度 | 面积" in hits[0].message
    assert hits[0].row == 1


def test_ytd_mismatch_names_both_figures(tmp_path: Path) -> None:
    _ledgers(tmp_path)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [["P1", "2023-02", 100, 100], ["P1", "2023-03", 50, 160]],
        header=["项目编号", "报告月份", "本月到位资金（万元）", "本年累计到位资金（万元）"],
    )
    hits = [f for f in _findings(tmp_path) if f.code == "ytd-mismatch"]
    assert [(h.row, h.severity) for h in hits] == [(3, "warning")]
    assert "160" in hits[0].message and "150" in hits[0].message


def test_errors_reject_rows_and_warnings_keep_them(tmp_path: Path) -> None:
    path = _ledgers(
        tmp_path,
        projects=[
            project("P1", 所属区="海淀区"),
            project("P2", **{"总投资（万元）": 200000}),
            project("P3"),
        ],
    )
    checked = check(load(path), load_plan(), AS_OF)
    stats = checked.report.ledgers["projects"]
    assert (stats.read, stats.accepted, stats.rejected, stats.skipped) == (3, 2, 1, 0)
    rejected_rows = {
        f.row for f in checked.report.findings if f.severity == "error" and f.ledger == "projects"
    }
    assert rejected_rows == {2}


def test_as_of_defaults_to_latest_event_date(tmp_path: Path) -> None:
    path = _ledgers(tmp_path)
    checked = check(load(path), load_plan())
    assert checked.as_of.date() == dt.date(2024, 5, 1)


def test_every_rule_is_exercised_here_or_documented() -> None:
    documented = (Path(__file__).parents[1] / "docs" / "rules.md").read_text("utf-8")
    for rule in RULES:
        assert f"`{rule.code}`" in documented, rule.code
