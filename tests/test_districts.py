"""`districts`: per-unit figures, 飞地 shares (60/40 inside, one flown out), ranking order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wuhai_zs.errors import UsageError
from wuhai_zs.metrics.districts import compute, credit, rank_units, window_figures
from wuhai_zs.metrics.projects import require_projects
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import default_plan_text, load_plan, parse_plan

from conftest import arrival, project, unwrap, write_csv

AS_OF = "2025-09-30"


def ledgers(tmp_path: Path) -> Path:
    rows = [
        # plain project of 海勃湾区
        project(
            "D1",
            所属区="海勃湾区",
            所在园区="海勃湾区产业园",
            项目阶段="开工",
            签约日期="2025-02-01",
            开工日期="2025-04-01",
            **{"总投资（万元）": 10000},
        ),
        # 乌达区 flies it out to 海南区: 60 % to 乌达区 (飞出地), 40 % to 海南区
        project(
            "D2",
            所属区="乌达区",
            所在园区="海南产业园",
            项目阶段="投产",
            签约日期="2025-03-01",
            开工日期="2025-05-01",
            竣工日期="2025-07-01",
            投产日期="2025-08-01",
            飞地类型="飞出",
            飞出地="乌达区",
            飞入地="海南区",
            飞出地分成比例="60%",
            **{"总投资（万元）": 20000},
        ),
        # 高新区 flies it out of the city: only its 40 % counts, the 60 % counts nowhere
        project(
            "D3",
            所属区="高新区",
            所在园区="",
            签约日期="2025-04-01",
            飞地类型="飞出",
            飞出地="高新区",
            飞入地="集宁先进制造业集中区",
            飞出地分成比例=0.4,
            **{"总投资（万元）": 30000},
        ),
        # 海南区, signed last year, started this year; money from 区内 is outside the 口径
        project(
            "D4",
            所属区="海南区",
            来源地区="区内",
            项目阶段="开工",
            签约日期="2024-06-01",
            开工日期="2025-01-15",
            **{"总投资（万元）": 8000},
        ),
    ]
    write_csv(tmp_path / "项目台账.csv", rows)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("D1", "2025-05-01", 3000),
            arrival("D2", "2025-06-01", 5000),
            arrival("D3", "2025-06-15", 2000),
            arrival("D4", "2025-02-01", 4000),
            arrival("D4", "2024-07-01", 1000),
        ],
    )
    return tmp_path


def checked(path: Path, plan_text: str | None = None) -> Checked:
    plan = parse_plan(plan_text, "test") if plan_text else load_plan()
    result = run(path, plan, dt.date.fromisoformat(AS_OF))
    assert result.report.errors == 0, [f.message for f in result.report.findings]
    return result


def figures(result) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {
        u.unit: (
            u.signed,
            u.started,
            u.producing,
            u.investment_yi,
            u.capital_counted_yi,
            u.capital_not_counted_yi,
        )
        for u in [*result.units, result.total]
    }


def test_enclave_shares_in_the_year(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)))
    assert result.period == {"kind": "year", "start": "2025-01-01", "end": "2025-09-30"}
    assert figures(result) == {
        # projects count whole in their 所属区 (D2 in 乌达区, D3 in 高新区); money by share,
        # in 亿元 (万元 ÷ 10000): 总投资 10000, 12000, 8000, 12000 万元, and so on
        #        signed started producing 总投资  纳统   未纳统
        "海勃湾区": (1, 1, 0, 1.0, 0.3, 0.0),
        "乌达区": (1, 1, 1, 1.2, 0.3, 0.0),
        "海南区": (0, 1, 0, 0.8, 0.2, 0.4),
        "高新区": (1, 0, 0, 1.2, 0.08, 0.0),
        "全市": (3, 3, 1, 4.2, 0.88, 0.4),
    }
    for i in range(3):  # counts are whole numbers, the city's the sum of the districts'
        assert all(isinstance(f[i], int) for f in figures(result).values())
    # the 60 % of D3's money that flew out of the city is shown, not credited; counts stay whole
    assert result.outside == {
        "unit": "飞出市外（不计入）",
        "signed": None,
        "started": None,
        "producing": None,
        "investment_yi": 1.8,  # 18000 万元
        "capital_counted_yi": 0.12,  # 1200 万元
        "capital_not_counted_yi": 0.0,
    }
    enclaves = {u.unit: u.enclave_projects for u in result.units}
    assert enclaves == {"海勃湾区": 0, "乌达区": 1, "海南区": 1, "高新区": 1}


def test_plan_period_includes_earlier_years(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)), period="plan")
    assert result.period["start"] == "2023-01-01"
    haina = next(u for u in result.units if u.unit == "海南区")
    # D4 (signed 2024) whole; D2's 40 % of 20000 flew in from 乌达区
    # 16000 and 5000 万元
    assert (haina.signed, haina.investment_yi, haina.capital_not_counted_yi) == (1, 1.6, 0.5)


def test_credit_rows() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "district": ["海南区", "乌达区", "高新区", "海勃湾区"],
            "enclave": [None, "飞出", "飞出", "飞入"],
            "enclave_from": [None, "乌达区", "高新区", "乌达区"],
            "enclave_to": [None, "海南区", "集宁先进制造业集中区", "海勃湾区"],
            "enclave_share": [None, 0.6, 0.4, 1.0],
        },
        index=pd.Index(["A", "B", "C", "D"], name="project_id"),
    )
    rows = credit(frame, ["海勃湾区", "乌达区", "海南区", "高新区"])
    shares = sorted(zip(rows.index, rows["unit"], rows["share"].round(6), strict=True))
    # D: 飞入 record, 100 % to its 飞出地, nothing (share 0) to 海勃湾区
    assert shares == [
        ("A", "海南区", 1.0),
        ("B", "乌达区", 0.6),
        ("B", "海南区", 0.4),
        ("C", "高新区", 0.4),
        ("D", "乌达区", 1.0),
    ]


def test_warnings_are_counted_for_the_projects_district(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)))
    # D3: signed 2025-04-01 without a planned start or a start: red start-unplanned
    assert {u.unit: (u.warnings, u.warnings_red) for u in result.units} == {
        "海勃湾区": (0, 0),
        "乌达区": (0, 0),
        "海南区": (0, 0),
        "高新区": (1, 1),
    }


RANK_PLAN = (
    default_plan_text()
    .split('[assessment.units."海勃湾区"]')[0]
    .replace("illustrative = true", "illustrative = false")
    + """
[assessment.units."海勃湾区"]
capital = 6000
signed = 2
started = 2
producing = 1

[assessment.units."乌达区"]
capital = 2500
signed = 1
started = 1
producing = 1

[assessment.units."海南区"]
capital = 1000
signed = 1
started = 1
producing = 1

[assessment.units."高新区"]
capital = 800
signed = 1
started = 1
producing = 0
"""
)


def test_ranking_order_and_components(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path), RANK_PLAN), rank=True)
    assert result.rank is not None and not result.rank.illustrative
    # 乌达区: capital 3000/2500 = 1.2, signed 1, started 1, producing 1
    #   100 × (0.4×1.2 + 0.2×1 + 0.2×1 + 0.2×1) = 108
    # 海南区: capital 2000/1000 capped 1.2, signed 0, started 1, producing 0 -> 68
    # 高新区: 1, 1, 0, (target 0) -> 60;  海勃湾区: 0.5, 0.5, 0.5, 0 -> 40
    assert [(u.rank, u.unit, u.score) for u in result.rank.units] == [
        (1, "乌达区", 108.0),
        (2, "海南区", 68.0),
        (3, "高新区", 60.0),
        (4, "海勃湾区", 40.0),
    ]
    haina = {c.key: c for c in result.rank.units[1].components}
    assert (
        haina["capital"].actual,
        haina["capital"].completion,
        haina["capital"].capped,
        haina["capital"].points,
    ) == (0.2, 2.0, 1.2, 48.0)  # 2000 万元 = 0.2 亿元 against 1000 万元
    assert (haina["capital"].unit, haina["capital"].target) == ("亿元", 0.1)
    gaoxin = {c.key: c for c in result.rank.units[2].components}
    assert gaoxin["producing"].completion is None and gaoxin["producing"].points == 0
    assert result.rank.year == 2025 and result.rank.year_elapsed == 0.75
    assert not any("示意" in n for n in result.notes)


def test_equal_scores_share_a_rank(tmp_path: Path) -> None:
    checked_ = checked(ledgers(tmp_path))
    projects = require_projects(checked_)
    empty = window_figures(
        projects.iloc[0:0], None, checked_.plan.districts, checked_.as_of, checked_.as_of
    )
    ranking = rank_units(checked_.plan, empty, checked_.as_of)
    assert [u.rank for u in ranking.units] == [1, 1, 1, 1]
    assert [u.unit for u in ranking.units] == list(checked_.plan.assessment.units)


def test_default_targets_are_marked_illustrative(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = compute(checked(ledgers(tmp_path)), rank=True)
    assert result.rank is not None and result.rank.illustrative
    assert any("示意数据" in n for n in result.notes)
    table = cli("districts", "--data", str(tmp_path), "--as-of", AS_OF, "--rank")
    assert table.code == 0, table.err
    assert "示意数据" in table.out and "考评排名" in table.out and "集宁" in table.out


def test_rank_needs_the_year(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError):
        compute(checked(ledgers(tmp_path)), period="plan", rank=True)
    result = cli("districts", "--data", str(tmp_path), "--period", "plan", "--rank")
    assert result.code == 2 and "--rank" in result.err


DISTRICTS_KEYS = {"as_of", "period", "units", "total", "outside", "rank", "credit_rule", "notes"}
UNIT_KEYS = {
    "unit",
    "signed",
    "started",
    "producing",
    "investment_yi",
    "capital_counted_yi",
    "capital_not_counted_yi",
    "warnings",
    "warnings_red",
    "enclave_projects",
}


def test_json_keys(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path)
    result = cli("districts", "--data", str(data), "--as-of", AS_OF, "--rank", "--json")
    assert result.code == 0, result.err
    payload = unwrap(result.json(), "districts")
    assert set(payload) == DISTRICTS_KEYS
    assert set(payload["units"][0]) == UNIT_KEYS and set(payload["total"]) == UNIT_KEYS
    assert set(payload["rank"]) == {
        "year",
        "year_elapsed",
        "illustrative",
        "cap",
        "weights",
        "units",
        "unranked",
    }
    assert set(payload["rank"]["units"][0]) == {"rank", "unit", "score", "components"}
    assert set(payload["rank"]["units"][0]["components"][0]) == {
        "key",
        "name",
        "unit",
        "target",
        "actual",
        "completion",
        "capped",
        "weight",
        "points",
    }
    assert payload == compute(checked(data), rank=True).to_dict()
    plain = cli("districts", "--data", str(data), "--as-of", AS_OF, "--json").json()
    assert plain["rank"] is None
