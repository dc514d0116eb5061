"""targets, validate, dispatch, districts and export agree on the same inputs and as-of date."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wuhai_zs.metrics.targets import STATUS_ZH

from conftest import (
    ACTIVITY_SHORT_HEADER,
    ARRIVAL_HEADER,
    OUTPUT_HEADER,
    PARK_HEADER,
    arrival,
    get_target,
    project,
    write_csv,
)

PARKS = ("乌海高新技术产业开发区", "海勃湾区产业园", "乌达产业园", "海南产业园")
# A look back (rows dated later are out of scope) and an as-of past the data (2025-09-30).
AS_OFS = ("2024-12-31", "2025-12-31")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2026-12-01")


def _ledgers(folder: Path) -> Path:
    projects = [
        project("H1", 所属区="海勃湾区", 所在园区="海勃湾区产业园", 签约日期="2023-02-01"),
        project(
            "W1",
            所属区="乌达区",
            所在园区="乌达产业园",
            签约日期="2023-05-01",
            项目阶段="开工",
            开工日期="2025-02-01",
        ),
        project("N1", 签约日期="2024-03-01", 来源地区="区内"),
        project(
            "G1",
            所属区="高新区",
            所在园区="",
            签约日期="2024-06-01",
            飞地类型="飞出",
            飞出地="高新区",
            飞入地="集宁先进制造业集中区",
            飞出地分成比例="40%",
        ),
        project("G2", 所属区="高新区", 所在园区="乌海高新技术产业开发区", 签约日期="2025-03-01"),
    ]
    write_csv(folder / "项目台账.csv", projects)
    money = [
        ("H1", "2023-03-15", 1200),
        ("W1", "2023-06-10", 800.5),
        ("H1", "2024-01-20", 900),
        ("N1", "2024-04-01", 300),
        ("G1", "2024-07-01", 1000.01),
        ("W1", "2024-12-31", 450),
        ("H1", "2025-01-15", 700),
        ("G2", "2025-04-01", 650),
        ("G1", "2025-09-30", 333.33),
    ]
    write_csv(
        folder / "到位资金台账.csv",
        [arrival(p, d, v) for p, d, v in money],
        header=ARRIVAL_HEADER,
    )
    rows = [
        [park, year, 1000 + i * 100, 190_000 + year % 10 * 9000, 120_000, 6_000]
        for year in (2022, 2023, 2024)
        for i, park in enumerate(PARKS)
    ]
    write_csv(folder / "园区台账.csv", rows, header=PARK_HEADER)
    write_csv(
        folder / "产值台账.csv",
        [
            [2022, "", "全市", 28_500_000],
            [2023, "", "全市", 30_800_000],
            [2024, "", "全市", 33_600_000],
            [2025, 9, "全市", 27_000_000],
        ],
        header=OUTPUT_HEADER,
    )
    write_csv(
        folder / "招商活动台账.csv",
        [
            ["2024-12-05", "带队招商", "海南区", "张某", "是", "上海"],
            ["2025-09-20", "带队招商", "乌达区", "王某", "是", "北京"],
        ],
        header=ACTIVITY_SHORT_HEADER,
    )
    return folder


@pytest.mark.parametrize("as_of", AS_OFS)
def test_every_command_tells_the_same_story(tmp_path: Path, cli, as_of: str) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path / "data"))
    month = as_of[:7]
    common = ("--data", data, "--as-of", as_of)
    runs = {
        "targets": cli("targets", "--json", *common),
        "validate": cli("validate", "--format", "json", *common),
        "districts_plan": cli("districts", "--json", "--period", "plan", *common),
        "districts_year": cli("districts", "--json", *common),
        "dispatch": cli("dispatch", "--json", "--month", month, *common),
        "export": cli("export", "--month", month, "--output", str(tmp_path / "r.xlsx"), *common),
    }
    for name, run in runs.items():
        assert run.code == 0, (name, run.err)
        warned = [line for line in run.err.splitlines() if line.startswith("注意：")]
        # past the data every command says so, in the same one line; a look back does not
        assert len(warned) == (1 if as_of == "2025-12-31" else 0), (name, run.err)
    targets = runs["targets"].json()
    validate = runs["validate"].json()
    plan_period = runs["districts_plan"].json()
    year = runs["districts_year"].json()
    dispatch = runs["dispatch"].json()

    assert targets["as_of"] == validate["as_of"] == plan_period["as_of"] == as_of
    assert year["as_of"] == dispatch["as_of"] == as_of
    assert validate["counts"]["errors"] == 0 and targets["rows_rejected"] == 0
    for key, stats in targets["ledgers"].items():
        assert {k: validate["ledgers"][key][k] for k in stats} == stats, key
    if as_of == "2024-12-31":
        # after it: G2 (signed 2025), three 2025 arrivals, one activity, the 2025 output row
        assert targets["rows_out_of_scope"] == 1 + 3 + 1 + 1
    else:
        assert targets["rows_out_of_scope"] == 0

    # 到位资金 counted since 2023, the city's share of G1 (40 %): by hand, in 万元
    counted = {"2024-12-31": 1200 + 800.5 + 900 + 1000.01 * 0.4 + 450}
    counted["2025-12-31"] = counted["2024-12-31"] + 700 + 650 + 333.33 * 0.4
    capital = get_target(targets, "capital_cumulative")
    assert capital["actual"] * 10000 == pytest.approx(counted[as_of], abs=1e-6)
    total = plan_period["total"]["capital_counted_yi"]  # 亿元, exact to the 分
    assert total * 10000 == pytest.approx(counted[as_of], abs=1e-6)
    assert sum(u["capital_counted_yi"] for u in plan_period["units"]) == pytest.approx(
        total, abs=1e-9
    )
    line = next(x for x in targets["capital_lines"]["lines"] if x["key"] == "区外")
    assert line["amount_yi"] == capital["actual"]

    # the year to date: districts and dispatch
    ytd = dispatch["total"]["values"]
    assert ytd["capital"]["year_to_date_yi"] == year["total"]["capital_counted_yi"]
    assert ytd["signed"]["year_to_date"] == year["total"]["signed"]
    assert ytd["started"]["year_to_date"] == year["total"]["started"]
    assert ytd["signed"]["year_to_date"] == {"2024-12-31": 2, "2025-12-31": 1}[as_of]
    if as_of == "2024-12-31":  # 亩均投资: all four parks reported 2024
        per_mu = get_target(targets, "park_investment_per_mu")
        assert ytd["investment_per_mu"]["month_wan_per_mu"] == round(per_mu["actual"], 2)

    # the workbook shows the same figures, each as shown (rounded to its displayed decimals)
    book = load_workbook(tmp_path / "r.xlsx")
    places = {"亿元": 2, "万元/亩": 2, "比率": 3, "万美元": 0}
    rows = [r for r in book["目标完成情况"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[1], r[4], r[8]) for r in rows] == [
        (
            t["name"],
            None if t["actual"] is None else _shown(t["actual"], places[t["unit"]]),
            STATUS_ZH[t["status"]],
        )
        for t in targets["targets"]
    ]
    city = next(r for r in book["分区调度表"].iter_rows(values_only=True) if r[1] == "全市合计")
    flows = [i["key"] for i in dispatch["indicators"] if i["kind"] == "flow"]
    assert city[2 + 2 * flows.index("signed")] == ytd["signed"]["month"]
    assert city[3 + 2 * flows.index("signed")] == ytd["signed"]["year_to_date"]


def _shown(value: float, places: int) -> float:
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, ROUND_HALF_UP))
