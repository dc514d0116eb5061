"""Verdicts a statistician would sign: each situation issue 11 saw, on ledgers built here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.ledgers.load import load
from wuhai_zs.metrics.targets import compute
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import load_plan

from conftest import (
    ACTIVITY_SHORT_HEADER,
    ARRIVAL_HEADER,
    OUTPUT_HEADER,
    PARK_HEADER,
    arrival,
    city_wide,
    compute_targets,
    get_target,
    plan_without_base,
    project,
    write_csv,
)

TODAY = "2026-12-01"
NO_BASE_PLAN = plan_without_base()


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)


# ---------------------------------------------------------------- level targets and paths
def _output(tmp_path: Path, rows: list[list[Any]]) -> Path:
    write_csv(tmp_path / "产值台账.csv", rows, header=OUTPUT_HEADER)
    return tmp_path


def test_output_is_judged_against_the_path_not_the_share_of_the_period(tmp_path: Path) -> None:
    _output(
        tmp_path,
        [
            [2022, "", "全市", 28_500_000],
            [2023, "", "全市", 30_800_000],
            [2024, "", "全市", 33_600_000],
        ],
    )
    output = get_target(compute_targets(tmp_path, dt.date(2024, 12, 31)), "industrial_output")
    # 4000 × 24/36 = 2,667 would say 符合序时; the path from 2850 (2022) to 4000 (2025) is at
    # 2850 + 1150 × 2/3 in 2024
    assert output["due"] == pytest.approx(2850 + 1150 * 2 / 3)
    assert output["status"] == "behind"
    assert output["judged_on"]["label"] == "2024年全年"
    assert f"年均增长 {4000 / 3360 - 1:.1%}" in output["needed"]  # 19.0 % in 2025


def test_a_cluster_is_not_met_from_pre_plan_data(tmp_path: Path) -> None:
    _output(
        tmp_path,
        [
            [2022, "", "冶金建材", 4_200_000],
            [2023, 6, "冶金建材", 2_000_000],
            [2024, "", "冶金建材", 4_200_000],
            [2025, 9, "冶金建材", 3_230_000],
        ],
    )
    early = get_target(compute_targets(tmp_path, dt.date(2023, 6, 30)), "cluster.冶金建材")
    assert early["status"] == "pending"  # 2022 is before the plan; 2023 is not over
    assert "2023年全年" in early["awaiting"]
    mid = get_target(compute_targets(tmp_path, dt.date(2024, 12, 31)), "cluster.冶金建材")
    # reached before 2025: on the path, with the margin shown, not met
    assert mid["status"] == "on_track"
    assert mid["due"] == pytest.approx(420 + (100 - 420) * 2 / 3)
    assert "已高于目标 320.00" in mid["needed"]
    late = get_target(compute_targets(tmp_path, dt.date(2025, 9, 30)), "cluster.冶金建材")
    # 1—9月 of the target year already above the year's target: it can no longer be lost
    assert late["status"] == "met" and late["actual"] == pytest.approx(323)


def test_per_mu_is_judged_against_the_path_from_the_base_year(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "园区台账.csv",
        [
            ["海南产业园", 2022, 1000, 191_300, 115_000, 5_300],
            ["海南产业园", 2023, 1000, 200_000, 130_000, 7_000],
            ["海南产业园", 2024, 1000, 213_900, 142_600, 8_380],
        ],
        header=PARK_HEADER,
    )
    investment = get_target(
        compute_targets(tmp_path, dt.date(2024, 12, 31)), "park_investment_per_mu"
    )
    assert investment["actual"] == pytest.approx(213.9)
    assert investment["due"] == pytest.approx(191.3 + (230 - 191.3) * 2 / 3)  # 217.1
    assert investment["status"] == "behind"


# ---------------------------------------------------------------- coverage
def _to_september(tmp_path: Path) -> Path:
    """City-wide ledgers whose money stops on 2025-09-30 (the plan's base year in full)."""
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project(
                "A",
                签约日期="2021-06-01",
                项目阶段="开工",
                开工日期="2025-09-15",
                **{"总投资（万元）": 9_000_000},
            )
        ),
    )
    money = {
        "2022-01-05": 1_848_000,
        "2023-02-01": 1_000_000,
        "2023-12-01": 1_100_000,
        "2024-02-01": 1_200_000,
        "2024-11-01": 1_200_000,
        "2025-02-01": 1_300_000,
        "2025-09-30": 500_000,
    }
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", d, v) for d, v in money.items()],
        header=ARRIVAL_HEADER,
    )
    return tmp_path


def test_an_as_of_past_the_data_warns_and_waits(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = compute_targets(_to_september(tmp_path), dt.date(2025, 12, 31))
    growth = get_target(result, "capital_growth")
    assert growth["status"] == "pending" and growth["due"] == 0.15
    # judged on complete years only: 2022—2024, 184.8 → 240
    assert growth["actual"] == pytest.approx((240 / 184.8) ** 0.5 - 1)
    year = next(d for d in growth["details"] if d["year"] == 2025)
    # 2025 is January—September against January—September 2024 (130 + 50 against 120)
    assert (year["complete"], year["months"]) == (False, 9)
    assert year["yoy"] == pytest.approx(180 / 120 - 1)
    assert "2025年全年" in growth["awaiting"]
    capital = get_target(result, "capital_cumulative")
    assert capital["status"] == "pending"
    assert capital["due"] == 800 and capital["actual"] == pytest.approx(210 + 240 + 180)
    assert "2025-10 至 2025-12" in capital["awaiting"]
    warning = result["warnings"][0]
    assert warning.startswith("注意：截止日期 2025-12-31 晚于台账数据")
    assert "到位资金台账至 2025-09-30" in warning
    assert result["coverage"]["arrivals"]["month"] == "2025-09"
    shown = cli("targets", "--data", str(tmp_path), "--as-of", "2025-12-31")
    assert shown.code == 0, shown.err
    assert [line for line in shown.err.splitlines() if line.startswith("注意：")] == [warning]
    assert "待数据" in shown.out


def test_a_register_of_projects_signed_long_ago_is_not_data_that_stops(tmp_path: Path) -> None:
    """The project ledger's last signing in 2023 says nothing about missing months; the
    arrivals ledger stopping in June does."""
    write_csv(tmp_path / "项目台账.csv", city_wide(project("A", 签约日期="2023-01-10")))
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", "2023-02-01", 100), arrival("A", "2025-06-15", 200)],
        header=ARRIVAL_HEADER,
    )
    assert compute_targets(tmp_path, dt.date(2025, 6, 30))["warnings"] == []
    late = compute_targets(tmp_path, dt.date(2025, 9, 30))["warnings"]
    assert len(late) == 1
    assert "到位资金台账至 2025-06-15" in late[0] and "项目台账" not in late[0]


def test_within_the_data_there_is_no_coverage_warning(tmp_path: Path) -> None:
    result = compute_targets(_to_september(tmp_path), dt.date(2025, 9, 30))
    assert result["warnings"] == []
    capital = get_target(result, "capital_cumulative")
    assert capital["due"] == pytest.approx(800 * 33 / 36)
    assert capital["status"] == "behind"  # 630 against 733.3


# ---------------------------------------------------------------- a date typed in the future
def test_a_future_date_is_an_error_and_never_sets_the_as_of(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _to_september(tmp_path)
    write_csv(
        tmp_path / "招商活动台账.csv",
        [
            ["2025-09-10", "带队招商", "海南区", "王某", "是", "上海"],
            ["2052-09-18", "推介会", "海南区", "", "", "乌海"],
        ],
        header=ACTIVITY_SHORT_HEADER,
    )
    checked = check(load(tmp_path), load_plan())
    assert checked.as_of.date() == dt.date(2025, 9, 30)
    hits = [f for f in checked.report.findings if f.code == "future-date"]
    assert [(f.ledger, f.row, f.column) for f in hits] == [("activities", 3, "日期")]
    assert "2052-09-18" in hits[0].message and TODAY in hits[0].message
    validate = cli("validate", "--data", str(tmp_path))
    assert validate.code == 1 and "future-date" in validate.out
    dispatch = cli("dispatch", "--data", str(tmp_path), "--json")
    assert dispatch.json()["month"] == "2025-09"
    capital = get_target(compute(checked).to_dict(), "capital_cumulative")
    assert capital["status"] == "behind" and capital["due"] == pytest.approx(800 * 33 / 36)


def test_an_as_of_after_today_is_a_usage_error(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("targets", "--data", str(_to_september(tmp_path)), "--as-of", "2027-01-31")
    assert result.code == 2
    assert "2027-01-31 晚于今天 2026-12-01" in result.err


# ---------------------------------------------------------------- the base
def test_leftover_base_year_rows_are_a_check_not_the_base(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(project("A", 签约日期="2021-06-01", **{"总投资（万元）": 9_000_000})),
    )
    rows = [arrival("A", f"2022-12-{d:02d}", 1000) for d in range(1, 21)]  # 20 rows, 2 亿元
    rows += [arrival("A", "2023-06-01", 2_100_000), arrival("A", "2024-12-31", 2_400_000)]
    write_csv(tmp_path / "到位资金台账.csv", rows, header=ARRIVAL_HEADER)
    result = compute_targets(tmp_path, dt.date(2024, 12, 31))
    growth = get_target(result, "capital_growth")
    # the plan's 184.8 亿元 is the base, not the 2 亿元 of leftover rows (that gave 313 %)
    assert growth["actual"] == pytest.approx((240 / 184.8) ** 0.5 - 1)
    assert (growth["status"], growth["due"]) == ("behind", 0.15)
    assert growth["details"][0]["value_yi"] == 184.8
    assert "预计引进到位资金184.8亿元" in growth["basis"]
    warning = next(w for w in result["warnings"] if "基数" in w)
    assert "184.80 亿元" in warning and "2.00 亿元" in warning and "-98.9%" in warning


def test_a_district_workbook_is_not_measured_against_the_city_base(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("H1", 签约日期="2022-06-01")])
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("H1", "2023-03-01", 5000), arrival("H1", "2024-12-31", 6000)],
        header=ARRIVAL_HEADER,
    )
    result = compute_targets(tmp_path, dt.date(2024, 12, 31))
    growth = get_target(result, "capital_growth")
    assert growth["status"] == "no_data" and growth["actual"] is None  # not −100 %
    assert growth["due"] == 0.15
    assert "只含部分区" in growth["basis"]
    assert any("缺 海勃湾区、乌达区、高新区" in w for w in result["warnings"])


# ---------------------------------------------------------------- 亩均 over a consistent set
def test_a_year_only_some_parks_reported_is_shown_not_used(tmp_path: Path) -> None:
    parks = ["乌海高新技术产业开发区", "海勃湾区产业园", "乌达产业园", "海南产业园"]
    rows = [[p, y, 1000, 200_000, 140_000, 8_000] for y in (2022, 2023, 2024) for p in parks]
    rows.append(["海南产业园", 2025, 100, 900_000, 900_000, 90_000])  # one park, early
    write_csv(tmp_path / "园区台账.csv", rows, header=PARK_HEADER)
    result = compute_targets(tmp_path, dt.date(2025, 12, 31))
    for target_id in ("park_investment_per_mu", "park_output_per_mu", "park_tax_per_mu"):
        target = get_target(result, target_id)
        assert target["status"] == "pending", target_id  # was 已完成 from the one park
        assert target["due"] == target["target"] and target["actual"] is None
        assert "1/4 个园区" in target["basis"] and "不使用" in target["basis"]
        year = target["history"][-1]
        assert (year["year"], year["parks"], year["complete"]) == (2025, 1, False)
    # before the year is over the 2025 row is out of scope; 2024 (all four parks) decides
    mid = get_target(compute_targets(tmp_path, dt.date(2025, 9, 30)), "park_investment_per_mu")
    assert mid["judged_on"]["label"] == "2024年全年" and mid["actual"] == pytest.approx(200)


# ---------------------------------------------------------------- 飞地
def test_the_city_counts_only_its_share_of_a_project_flown_out(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project(
                "J",
                所属区="高新区",
                所在园区="",
                签约日期="2024-01-10",
                飞地类型="飞出",
                飞出地="高新区",
                飞入地="集宁先进制造业集中区",
                飞出地分成比例="60%",
            ),
            project(
                "K",
                所属区="乌达区",
                所在园区="海南产业园",
                签约日期="2024-02-10",
                飞地类型="飞出",
                飞出地="乌达区",
                飞入地="海南区",
                飞出地分成比例=0.3,
            ),
            project("P", 签约日期="2024-03-10"),
        ),
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("J", "2024-05-01", "10000.01"),
            arrival("K", "2024-06-01", "333.33"),
            arrival("P", "2024-06-30", 5000),
        ],
        header=ARRIVAL_HEADER,
    )
    as_of = ["--data", str(tmp_path), "--as-of", "2024-06-30"]
    targets = cli("targets", "--json", *as_of).json()
    capital = get_target(targets, "capital_cumulative")
    # J: 60 % of 10000.01 万元 (6000.006, exact in 分); K stays in the city (99.999 + 233.331)
    expected = float(Decimal("10000.01") * Decimal("0.6") + Decimal("333.33") + 5000)
    assert capital["actual"] == pytest.approx(expected / 10000, abs=1e-10)
    districts = cli("districts", "--json", "--period", "plan", *as_of).json()
    units = sum(u["capital_counted_yi"] for u in districts["units"])
    # districts gives 亿元, exact to the 分 (1e-10 亿元)
    assert districts["total"]["capital_counted_yi"] == pytest.approx(units, abs=1e-9)
    assert districts["total"]["capital_counted_yi"] == pytest.approx(expected / 10000, abs=1e-10)
    # counts are whole: J in 高新区, K in 乌达区 (their 所属区), P in 海南区, and one Z each
    signed = {u["unit"]: u["signed"] for u in districts["units"]}
    assert signed == {"海勃湾区": 1, "乌达区": 2, "海南区": 2, "高新区": 2}
    assert districts["total"]["signed"] == 7 and districts["outside"]["signed"] is None
    flown = next(x for x in targets["capital_lines"]["lines"] if x["key"] == "飞地")
    assert flown["amount_yi"] == pytest.approx(float(Decimal("10000.01") * Decimal("0.4")) / 10000)


# ---------------------------------------------------------------- 口径
def test_foreign_money_and_hong_kong_are_lines_of_their_own(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project("OUT"),
            project("IN", 来源地区="区内"),
            project("HK", 来源地区="粤港澳大湾区", 来源国别="香港"),
            project("DE", 来源地区="境外", 来源国别="德国", **{"总投资（万元）": 3000}),
        ),
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("OUT", "2023-03-01", 1000),
            arrival("IN", "2023-03-01", 200),
            arrival("HK", "2023-03-01", 300, **{"外资金额（万美元）": 40}),
            arrival("DE", "2023-03-01", 70, **{"外资金额（万美元）": 10}),
        ],
        header=ARRIVAL_HEADER,
    )
    result = compute_targets(tmp_path, dt.date(2023, 12, 31))
    assert get_target(result, "capital_cumulative")["actual"] == pytest.approx(0.1)  # 区外 only
    lines = {x["key"]: x for x in result["capital_lines"]["lines"]}
    assert lines["国内"]["amount_yi"] == pytest.approx(0.12)  # 1000 + 200 (区内 shown)
    assert lines["区内"]["amount_yi"] == pytest.approx(0.02)
    # 香港 is 境外 whatever 来源地区 says; 境外 counts whatever the size (DE: 3000 万元)
    assert lines["境外"]["amount_yi"] == pytest.approx(0.037)
    assert lines["境外"]["amount_wan_usd"] == pytest.approx(50)
    assert result["capital_lines"]["reconciles"]
    assert any("香港" in w and "按境外统计" in w for w in result["warnings"])
    assert not any("未填外资金额" in w for w in result["warnings"])
    # the same 香港 project without its 外资金额: missing from 实际利用外资, and said so
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("OUT", "2023-03-01", 1000), arrival("HK", "2023-03-01", 300)],
        header=ARRIVAL_HEADER,
    )
    again = compute_targets(tmp_path, dt.date(2023, 12, 31))
    assert any("1 笔到位资金未填外资金额" in w for w in again["warnings"])


# ---------------------------------------------------------------- 先进制造业
def _advanced(tmp_path: Path, advanced: tuple[int, int], other: tuple[int, int]) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project("ADV", 签约日期="2021-06-01", **{"总投资（万元）": 9_000_000}),
            project(
                "OTH", 签约日期="2021-06-01", 产业类别="商贸流通", **{"总投资（万元）": 9_000_000}
            ),
        ),
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("ADV", "2022-01-05", advanced[0]),
            arrival("OTH", "2022-01-05", other[0]),
            arrival("ADV", "2024-12-31", advanced[1]),
            arrival("OTH", "2024-12-31", other[1]),
        ],
        header=ARRIVAL_HEADER,
    )
    return tmp_path


def test_advanced_growth_must_be_above_zero_whatever_the_overall_rate(tmp_path: Path) -> None:
    # overall 200000 → 162500 (−9.9 % a year); advanced 100000 → 90250 (−5 %): above the
    # overall rate, still shrinking
    _advanced(tmp_path, (100_000, 90_250), (100_000, 72_250))
    result = compute_targets(tmp_path, dt.date(2024, 12, 31), NO_BASE_PLAN)
    overall = get_target(result, "capital_growth")
    assert overall["actual"] == pytest.approx((162_500 / 200_000) ** 0.5 - 1)
    advanced = get_target(result, "advanced_growth")
    assert advanced["actual"] == pytest.approx(-0.05)
    assert advanced["target"] == 0 and advanced["due"] == 0
    assert advanced["status"] == "behind"


@pytest.mark.parametrize(
    ("advanced", "other", "status"),
    [((100_000, 121_000), (100_000, 100_000), "on_track"), ((100_000, 104_040), (1, 4), "behind")],
)
def test_advanced_growth_must_not_be_below_the_overall_rate(
    tmp_path: Path, advanced: tuple[int, int], other: tuple[int, int], status: str
) -> None:
    result = compute_targets(
        _advanced(tmp_path, advanced, other), dt.date(2024, 12, 31), NO_BASE_PLAN
    )
    overall = (advanced[1] + other[1]) / (advanced[0] + other[0])
    target = get_target(result, "advanced_growth")
    assert target["target"] == pytest.approx(max(0, overall**0.5 - 1))
    assert target["status"] == status


# ---------------------------------------------------------------- look backs
def _with_later_rows(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(
            project("A", 签约日期="2023-02-01", 项目阶段="开工", 开工日期="2025-03-01"),
            project("B", 签约日期="2025-02-01"),
        ),
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("A", "2023-03-01", 100),
            arrival("A", "2024-12-31", 200),
            arrival("A", "2025-01-02", 300),
            arrival("B", "2025-03-01", 400),
        ],
        header=ARRIVAL_HEADER,
    )
    return tmp_path


def test_a_look_back_leaves_later_rows_out_and_counts_them(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_with_later_rows(tmp_path))
    targets = cli("targets", "--json", "--data", data, "--as-of", "2024-12-31").json()
    assert targets["rows_rejected"] == 0
    assert targets["ledgers"]["projects"]["out_of_scope"] == 1  # B, signed in 2025
    assert targets["ledgers"]["arrivals"]["out_of_scope"] == 2  # 2025-01-02 and 2025-03-01
    assert targets["rows_out_of_scope"] == 3
    assert get_target(targets, "capital_cumulative")["actual"] == pytest.approx(0.03)
    validate = cli("validate", "--data", data, "--as-of", "2024-12-31", "--format", "json")
    assert validate.code == 0, validate.out
    report = validate.json()
    # Only the two ledgers this folder lacks are noted; nothing about the later rows.
    assert report["counts"] == {"errors": 0, "warnings": 2}
    assert sorted((f["code"], f["ledger"]) for f in report["findings"]) == [
        ("ledger-missing", "output"),
        ("ledger-missing", "parks"),
    ]
    assert report["ledgers"]["arrivals"]["out_of_scope"] == 2
    table = cli("validate", "--data", data, "--as-of", "2024-12-31")
    assert "截止日期后" in table.out
    # A started in 2025: at the end of 2024 it had only been signed
    started = cli(
        "districts", "--json", "--data", data, "--as-of", "2024-12-31", "--period", "plan"
    )
    assert started.json()["total"]["started"] == 0
