"""One output convention: 亿元 for city and district figures, 万元 for a row, 个百分点 for rate
gaps, thousands separators (findings too), the coverage line once, and 无可用数据行 said."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from wuhai_zs.findings.emit import message

from conftest import arrival, city_wide, compute_targets, get_target, project, write_csv


# ---------------------------------------------------------------- findings
def test_message_templates_group_thousands_and_keep_the_typed_decimals() -> None:
    template = "合计 {total:,} 万元，共 {count:,} 条，{column}“{value}”"
    text = message(template, total="2670000.5", count=1234, column="金额", value="1234567")
    assert text == "合计 2,670,000.5 万元，共 1,234 条，金额“1234567”"  # {value} stays as typed
    assert message("{x:,}", x="-267000") == "-267,000"
    assert message("{x:,}", x="约三万") == "约三万"  # not a number: as it is
    assert message("{x:,}", x=0.5) == "0.5"


def test_findings_show_amounts_with_thousands_separators(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project("P1", **{"总投资（万元）": 267000}),  # a major project without a 包联领导
            project("P2", **{"总投资（万元）": 20000}, 包联领导="张某"),
        ],
    )
    write_csv(tmp_path / "到位资金台账.csv", [arrival("P2", "2024-01-05", "2670000.5")])
    payload = cli("validate", "--data", str(tmp_path), "--as-of", "2025-09-30", "--json").json()
    five = [f for f in payload["findings"] if f["code"] == "five-ones"]
    assert {(f["row"], f["column"]) for f in five} == {
        (2, "包联领导"),
        (2, "工作专班"),
        (2, "推进方案"),
    }
    assert all("重大项目（总投资 267,000 万元）" in f["message"] for f in five)
    money = next(f for f in payload["findings"] if f["code"] == "implausible-amount")
    assert money["row"] == 2 and money["column"] == "到位金额（万元）"
    assert money["value"] == "2670000.5"  # the cell as typed
    assert "2,670,000.5 万元是项目总投资 20,000 万元的 133.5 倍" in money["message"]
    assert not re.search(r"\d{4,} 万元", " ".join(f["message"] for f in payload["findings"]))


# ---------------------------------------------------------------- tables
def _small(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project(
                "S1",
                签约日期="2025-03-01",
                **{"总投资（万元）": 123456},
                包联领导="张某",
                工作专班="有",
                推进方案="有",
            )
        ),
    )
    write_csv(tmp_path / "到位资金台账.csv", [arrival("S1", "2025-03-05", 45678)])
    return tmp_path


def test_city_and_district_money_in_yi_single_projects_in_wan(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ["--data", str(_small(tmp_path)), "--as-of", "2025-09-30"]
    districts = cli("districts", *data).out
    # 123,456 万元 signed in 海南区 is 12.35 亿元; 45,678 万元 arrived is 4.57 亿元
    assert "（亿元）" in districts and "（万元）" not in districts
    assert "12.35" in districts and "4.57" in districts
    dispatch = cli("dispatch", *data, "--month", "2025-03").out
    assert "12.35" in dispatch and "4.57" in dispatch and "金额单位：亿元" in dispatch
    assert not re.search(r"\d,\d{3},\d{3}\.\d\d", districts + dispatch)  # no 万元 with .00
    projects = cli("projects", *data).out
    # 5 projects: S1 and four of 2 亿元 (20,000 万元 each): 20.35 亿元
    assert "总投资 20.35 亿元" in projects and "总投资（亿元）" in projects
    listing = cli("projects", *data, "--list").out
    assert "123,456" in listing and "45,678" in listing and "123,456.00" not in listing
    one = cli("projects", *data, "--id", "S1").out
    assert "123,456 万元" in one


def test_plan_figures_in_yi_with_two_decimals(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("plan", "show").out
    for figure in ("800.00 亿元", "184.80 亿元", "4,000.00 亿元（2025年）", "1,000.00 亿元"):
        assert figure in shown, figure
    assert "重大项目门槛：100,000 万元" in shown and "总投资 ≥ 5,000 万元" in shown
    assert "各区年度考评目标" in shown and "90.00" in shown  # 高新区 90亿元
    document = cli("plan", "show", "--json").json()
    capital = get_target(document, "capital_cumulative")
    assert (capital["unit"], capital["target"]) == ("亿元", 800.0)
    growth = get_target(document, "capital_growth")
    assert (growth["unit"], growth["target"], growth["base_yi"]) == ("比率", 0.15, 184.8)
    assert document["assessment"]["units"]["高新区"]["capital_yi"] == 90.0
    assert document["major_project"]["threshold_wan"] == 100000


def test_growth_rows_have_no_completion_and_gaps_in_points(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # 184.8 亿元 in the base year, 100 亿元 in 2023 (to December): −45.89 % against 15 %
    big = {"总投资（万元）": 9_000_000}
    write_csv(tmp_path / "项目台账.csv", city_wide(project("A", 签约日期="2021-06-01", **big)))
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("A", "2022-01-05", 1_848_000),
            arrival("A", "2023-06-01", 900_000),
            arrival("A", "2023-12-20", 100_000),
        ],
    )
    result = compute_targets(tmp_path, dt.date(2023, 12, 31))
    growth = get_target(result, "capital_growth")
    rate = 1_000_000 / 1_848_000 - 1
    assert abs(growth["actual"] - rate) < 1e-9 and growth["status"] == "behind"
    assert growth["completion"] is None and growth["expected"] is None  # never −306 %
    assert abs(growth["gap"] - (rate - 0.15)) < 1e-9
    shown = cli("targets", "--data", str(tmp_path), "--as-of", "2023-12-31").out
    row = next(line for line in shown.splitlines() if "到位资金年均增长" in line)
    assert "-60.89 个百分点" in row and "-306" not in shown and "%  │ -" not in row


# ---------------------------------------------------------------- notes
def _to_september(tmp_path: Path) -> Path:
    big = {"总投资（万元）": 9_000_000}
    write_csv(tmp_path / "项目台账.csv", city_wide(project("A", 签约日期="2021-06-01", **big)))
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", "2022-01-05", 1_848_000), arrival("A", "2025-09-30", 500_000)],
    )
    return tmp_path


def test_the_coverage_line_is_said_once_per_run_on_stderr(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2026-12-01")
    data = str(_to_september(tmp_path))
    for args in (
        ["targets"],
        ["targets", "--json"],
        ["dispatch"],
        ["districts"],
        ["projects"],
        ["validate"],
        ["review"],
    ):
        run = cli(*args, "--data", data, "--as-of", "2025-12-31")
        assert run.code in (0, 1), (args, run.err)
        said = "截止日期 2025-12-31 晚于台账数据"
        assert run.err.count(said) == 1, (args, run.err)
        assert said not in run.out or args[-1] == "--json", args  # JSON keeps it as data
    document = cli("targets", "--json", "--data", data, "--as-of", "2025-12-31").json()
    assert document["warnings"][0].startswith("注意：截止日期 2025-12-31 晚于台账数据")


def test_a_ledger_without_usable_rows_says_so(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(tmp_path / "项目台账.csv", city_wide(project("A", 签约日期="2021-06-01")))
    # every arrival names a project the ledger does not have: all rejected, none usable
    write_csv(tmp_path / "到位资金台账.csv", [arrival("X9", "2024-01-05", 100)])
    result = compute_targets(tmp_path, dt.date(2025, 9, 30))
    capital = get_target(result, "capital_cumulative")
    assert capital["status"] == "no_data"
    assert capital["basis"] == "到位资金台账无可用数据行"  # found, so not 缺少到位资金台账
    output = get_target(result, "industrial_output")
    assert output["basis"] == "缺少产值台账"
    data = ["--data", str(tmp_path), "--as-of", "2025-09-30"]
    assert "到位资金台账无可用数据行：到位资金为无数据" in cli("districts", *data).out
    rejected = tmp_path / "rejected"
    write_csv(rejected / "项目台账.csv", [project("B", 所属区="海淀区")])
    run = cli("projects", "--data", str(rejected))
    assert run.code == 2 and "项目台账无可用数据行" in run.err
