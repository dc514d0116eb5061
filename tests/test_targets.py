"""`targets` against hand computations: 统计口径, 序时进度, units, ratios of sums, growth."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.ledgers.load import load
from wuhai_zs.metrics.targets import compute
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import default_plan_text, parse_plan

from conftest import (
    ARRIVAL_HEADER,
    OUTPUT_HEADER,
    PARK_HEADER,
    arrival,
    city_wide,
    compute_targets,
    get_target,
    plan_without_base,
    project,
    unwrap,
    write_csv,
    write_xlsx,
)


def _scope_fixture(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project("A"),
            project("B", **{"总投资（万元）": 4999.99}),
            project("C", 来源地区="区内"),
            project("D", 来源地区="市内"),
            project("E", 是否纳统="否", 备注="财政性资金"),
            project("F", 来源地区="境外", 来源国别="德国"),
            project("G", **{"总投资（万元）": 5000}),
        ],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("A", "2023-03-01", 100),
            arrival("B", "2023-03-01", 10),
            arrival("C", "2023-03-01", 20),
            arrival("D", "2023-03-01", 30),
            arrival("E", "2023-03-01", 40),
            arrival("F", "2023-03-01", 50, **{"外资金额（万美元）": 7}),
            arrival("G", "2023-03-01", 1),
        ],
        header=ARRIVAL_HEADER,
    )
    return tmp_path


def test_counting_rules_set_aside_small_local_and_excluded(tmp_path: Path) -> None:
    result = compute_targets(_scope_fixture(tmp_path), dt.date(2023, 12, 31))
    capital = get_target(result, "capital_cumulative")
    # 区外 only: A (100) and G (exactly 5000 万元, at the threshold: 1); 境外 F is its own line
    assert capital["actual"] == pytest.approx((100 + 1) / 10000)
    scope = result["capital_scope"]
    assert scope["counted_yi"] == pytest.approx(0.0101)
    reasons = {r["reason"]: r["amount_yi"] * 10000 for r in scope["not_counted"]}
    assert reasons == pytest.approx(
        {
            "规模以下（总投资不足5000万元）": 10,
            "区内": 20,
            "市内": 30,
            "标记不纳统": 40,
            "境外（单列，计入实际利用外资）": 50,
        }
    )
    lines = {x["key"]: x for x in result["capital_lines"]["lines"]}
    assert lines["国内"]["amount_yi"] * 10000 == pytest.approx(100 + 1 + 20)
    assert lines["区外"]["amount_yi"] * 10000 == pytest.approx(101) and lines["区外"]["counted"]
    assert lines["境外"]["amount_wan_usd"] == 7
    assert lines["合计"]["amount_yi"] * 10000 == pytest.approx(100 + 10 + 20 + 30 + 40 + 50 + 1)
    assert result["capital_lines"]["reconciles"]
    assert "相符" in result["capital_lines"]["statement"]


def test_total_rows_are_never_counted(tmp_path: Path) -> None:
    _scope_fixture(tmp_path)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("A", "2023-03-01", 100),
            arrival("F", "2023-03-01", 50, **{"外资金额（万美元）": 7}),
            {"项目编号": "合计", "到位金额（万元）": 150},
            {"项目编号": "", "到位日期": "2023年小计", "到位金额（万元）": 150},
        ],
        header=ARRIVAL_HEADER,
    )
    result = compute_targets(tmp_path, dt.date(2023, 12, 31))
    assert get_target(result, "capital_cumulative")["actual"] == pytest.approx(0.01)  # A; F is 境外
    assert result["ledgers"]["arrivals"] == {
        "read": 4,
        "accepted": 2,
        "rejected": 0,
        "skipped": 2,
        "out_of_scope": 0,
    }


def test_yi_yuan_headers_are_normalised(tmp_path: Path) -> None:
    _scope_fixture(tmp_path)
    write_xlsx(
        tmp_path / "到位资金台账.xlsx",
        {
            "到位资金台账": [
                ["到位资金台账"],
                ["项目编号", "到位日期", "到位金额（亿元）"],
                ["A", dt.date(2023, 3, 1), 1.25],
                ["A", "2023年4月1日", "0.75"],
            ]
        },
    )
    (tmp_path / "到位资金台账.csv").unlink()
    capital = get_target(compute_targets(tmp_path, dt.date(2023, 12, 31)), "capital_cumulative")
    assert capital["actual"] == pytest.approx(2.0)


def _parks(tmp_path: Path, rows: list[list[Any]]) -> Path:
    write_csv(tmp_path / "园区台账.csv", rows, header=PARK_HEADER)
    return tmp_path


def test_per_mu_is_ratio_of_sums_not_mean_of_ratios(tmp_path: Path) -> None:
    # 200 and 130 万元/亩 average to 165 (would meet 150); the zone as a whole is 137.
    _parks(
        tmp_path,
        [
            ["乌海高新技术产业开发区", 2025, 100, 0, 20000, 0],
            ["海南产业园", 2025, 900, 0, 117000, 0],
        ],
    )
    result = compute_targets(tmp_path, dt.date(2025, 12, 31))
    output = get_target(result, "park_output_per_mu")
    assert output["actual"] == pytest.approx(137.0)
    assert output["status"] == "missed"
    assert output["due"] == 150
    per_park = {d["park"]: d["value_wan_per_mu"] for d in output["details"]}
    # 20000 and 117000 万元 of output, in 亿元
    assert {d["park"]: d["amount_yi"] for d in output["details"]} == {
        "乌海高新技术产业开发区": 2.0,
        "海南产业园": 11.7,
    }
    assert per_park == {"乌海高新技术产业开发区": 200.0, "海南产业园": 130.0}


def test_exact_threshold_meets_the_target(tmp_path: Path) -> None:
    # 253.00 万元 on 1.1 亩 is exactly 230 万元/亩 (binary floats say 229.99999999999997).
    _parks(tmp_path, [["海南产业园", 2025, 1.1, 253.00, 165, 9.9]])
    result = compute_targets(tmp_path, dt.date(2025, 12, 31))
    assert get_target(result, "park_investment_per_mu")["status"] == "met"
    assert get_target(result, "park_output_per_mu")["status"] == "met"
    assert get_target(result, "park_tax_per_mu")["status"] == "met"


def test_exact_capital_sum_meets_800_yi(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("A", **{"总投资（万元）": 9_000_000})])
    arrivals = [arrival("A", "2023-02-01", "7999999.00")]
    arrivals += [arrival("A", f"2023-03-{d:02d}", "0.10") for d in range(1, 11)]
    write_csv(tmp_path / "到位资金台账.csv", arrivals, header=ARRIVAL_HEADER)
    capital = get_target(compute_targets(tmp_path, dt.date(2023, 12, 31)), "capital_cumulative")
    assert capital["actual"] == 800.0
    assert capital["status"] == "met"


@pytest.mark.parametrize(("amount", "status"), [(4_000_000, "on_track"), (3_999_999, "behind")])
def test_time_elapsed_schedule_at_mid_period(tmp_path: Path, amount: int, status: str) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("A", **{"总投资（万元）": 9_000_000})])
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", "2024-01-15", amount - 1), arrival("A", "2024-06-20", 1)],
        header=ARRIVAL_HEADER,
    )
    result = compute_targets(tmp_path, dt.date(2024, 6, 30))
    capital = get_target(result, "capital_cumulative")
    assert result["elapsed_months"] == 18
    assert capital["expected"] == 0.5 and capital["due"] == 400
    assert capital["judged_on"]["through"] == "2024-06-30"
    assert capital["status"] == status
    assert capital["gap"] == pytest.approx(amount / 10000 - 400)
    assert capital["remaining"] == pytest.approx(800 - amount / 10000)


def _output(tmp_path: Path, rows: list[list[Any]]) -> Path:
    write_csv(tmp_path / "产值台账.csv", rows, header=OUTPUT_HEADER, encoding="gbk")
    return tmp_path


def test_half_year_output_never_stands_for_the_year(tmp_path: Path) -> None:
    _output(
        tmp_path,
        [
            [2022, "", "全市", 28_000_000],
            [2024, "", "全市", 30_000_000],
            [2024, 6, "全市", 14_000_000],
            [2025, 6, "全市", 21_000_000],
        ],
    )
    mid = get_target(compute_targets(tmp_path, dt.date(2025, 6, 30)), "industrial_output")
    assert mid["actual"] == pytest.approx(2100.0)
    assert "1—6月" in mid["basis"] and mid["expected"] == 0.5 and mid["due"] == 2000
    assert mid["status"] == "on_track"  # 2100 of 4000 is 52.5% against 6/12 of the year
    before = get_target(compute_targets(tmp_path, dt.date(2024, 12, 31)), "industrial_output")
    assert before["actual"] == pytest.approx(3000.0)  # the full year, not the half-year row
    assert "2024年全年" in before["basis"]
    # the path from 2022 (2800) to 4000 in 2025 puts 2024 at 2800 + 1200 × 2/3 = 3600
    assert before["due"] == pytest.approx(3600) and before["status"] == "behind"


def _growth_fixture(tmp_path: Path, years: dict[int, float]) -> Path:
    """One project per district (a city-wide ledger); A's money on 5 January of each year,
    and a cent on the last day, so that the ledger covers its last year to December."""
    write_csv(
        tmp_path / "项目台账.csv",
        city_wide(project("A", 签约日期="2021-06-01", **{"总投资（万元）": 9_000_000})),
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [arrival("A", f"{y}-01-05", v) for y, v in years.items()]
        + [arrival("A", f"{max(years)}-12-31", "0.01")],
        header=ARRIVAL_HEADER,
    )
    return tmp_path


def test_growth_from_ledger_base_year_without_a_plan_base(tmp_path: Path) -> None:
    _growth_fixture(tmp_path, {2022: 100_000, 2023: 110_000, 2024: 121_000})
    plan = plan_without_base()
    growth = get_target(compute_targets(tmp_path, dt.date(2024, 12, 31), plan), "capital_growth")
    assert growth["actual"] == pytest.approx((121_000.01 / 100_000) ** 0.5 - 1)
    assert "台账" in growth["basis"]
    assert [d["yoy"] for d in growth["details"][1:]] == pytest.approx(
        [0.10, 121_000.01 / 110_000 - 1]
    )
    assert growth["status"] == "behind" and growth["due"] == 0.15


def test_growth_from_plan_base_when_ledger_has_no_base_year(tmp_path: Path) -> None:
    _growth_fixture(tmp_path, {2023: 115_000, 2024: 132_250})
    plan = default_plan_text().replace('base = "184.8亿元"', 'base = "10亿元"')
    result = compute_targets(tmp_path, dt.date(2024, 12, 31), plan)
    growth = get_target(result, "capital_growth")
    assert growth["actual"] == pytest.approx((132_250.01 / 100_000) ** 0.5 - 1)
    # 15 % a year over 2023—2024 is on the path, not met: 2025 is still to come
    assert growth["status"] == "on_track"
    assert "计划文件" in growth["basis"]
    assert get_target(result, "fdi_growth")["status"] == "no_data"


def test_missing_ledgers_give_no_data_never_zero(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("A")])
    result = compute_targets(tmp_path, dt.date(2024, 12, 31))
    for target in result["targets"]:
        assert target["status"] == "no_data", target["id"]
        assert target["actual"] is None


def test_plan_consistency_is_shown() -> None:
    # The sample is calibrated to the spec's default 口径 (区外 only), whose 2022 figure is the
    # plan's 184.8 亿 base; say so in the plan rather than rely on the file's current groups.
    text, n = re.subn(
        r"counted_groups = \[[^\]]*\]", 'counted_groups = ["区外"]', default_plan_text()
    )
    assert n == 1
    plan = parse_plan(text, "区外口径")
    result = compute(check(load(Path(_sample())), plan, None)).to_dict()
    c = result["consistency"]
    assert c["cumulative_at_growth_target_yi"] == pytest.approx(
        184.8 * (1.15 + 1.15**2 + 1.15**3), abs=0.01
    )
    g = c["growth_implied_by_cumulative"]
    assert 184.8 * ((1 + g) + (1 + g) ** 2 + (1 + g) ** 3) == pytest.approx(800, abs=0.01)


def _sample() -> str:
    from wuhai_zs.ledgers.sources import sample_path

    return str(sample_path())


def test_json_contract_and_sample_from_an_empty_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("targets", "--json")
    assert result.code == 0, result.err
    assert "内置示例台账" in result.err
    payload = unwrap(result.json(), "targets")  # its key sets: test_json_contract
    assert payload["as_of"] == "2025-12-31"
    ids = [t["id"] for t in payload["targets"]]
    assert ids[:8] == [
        "capital_cumulative",
        "capital_growth",
        "fdi_growth",
        "advanced_growth",
        "industrial_output",
        "park_investment_per_mu",
        "park_output_per_mu",
        "park_tax_per_mu",
    ]
    assert {i for i in ids if i.startswith("cluster.")} == {
        "cluster.现代煤化工",
        "cluster.硅基新材料",
        "cluster.精细化工",
        "cluster.冶金建材",
        "cluster.装备制造",
        "cluster.现代能源",
        "cluster.可降解材料",
    }
    for target in payload["targets"]:
        assert target["status"] in {"met", "on_track", "behind", "missed", "pending", "no_data"}
        assert target["due"] is not None or target["status"] == "no_data", target["id"]
    for stats in payload["ledgers"].values():
        assert set(stats) == {"read", "accepted", "rejected", "skipped", "out_of_scope"}
        assert stats["read"] == (
            stats["accepted"] + stats["rejected"] + stats["skipped"] + stats["out_of_scope"]
        )
    assert payload["rows_out_of_scope"] == 0 and payload["coverage"]["arrivals"]["label"]


def test_another_plan_2026_2028(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    text = (
        default_plan_text()
        .replace(
            'name = "乌海市招商引资三年行动方案（2023—2025年）"',
            'name = "乌海市招商引资三年行动方案（2026—2028年）"',
        )
        .replace("start = 2023-01-01", "start = 2026-01-01")
        .replace("end = 2025-12-31", "end = 2028-12-31")
        .replace("base_year = 2022", "base_year = 2025")
        .replace('target = "800亿元"', 'target = "1200亿元"')
        .replace("\nyear = 2025", "\nyear = 2028")
    )
    plan = tmp_path / "plan-2026.toml"
    plan.write_text(text, encoding="utf-8")
    write_csv(tmp_path / "data" / "项目台账.csv", [project("A", 签约日期="2025-06-01")])
    write_csv(
        tmp_path / "data" / "到位资金台账.csv",
        [arrival("A", "2025-07-01", 10_000), arrival("A", "2026-03-01", 6_000)],
        header=ARRIVAL_HEADER,
    )
    result = cli(
        "targets",
        "--json",
        "--plan",
        str(plan),
        "--data",
        str(tmp_path / "data"),
        "--as-of",
        "2026-06-30",
    )
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["plan"]["start"] == "2026-01-01"
    assert payload["elapsed_months"] == 6 and payload["period_months"] == 36
    capital = get_target(payload, "capital_cumulative")
    assert capital["target"] == 1200.0 and capital["actual"] == pytest.approx(0.6)


def test_invalid_plan_file_is_one_line_exit_2(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "bad.toml"
    plan.write_text(
        default_plan_text().replace(
            'min_project_investment = "5000万元"', 'min_project_investment = "很多"'
        ),
        "utf-8",
    )
    result = cli("targets", "--plan", str(plan))
    assert result.code == 2
    assert "[counting] 中的 min_project_investment" in result.err and "很多" in result.err
    assert len(result.err.strip().splitlines()) == 1  # the plan is read before any ledger
    assert "Traceback" not in result.err
