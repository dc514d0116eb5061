"""`projects`: the funnel, every rate and the breakdowns against hand counts, filters, JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.errors import UsageError
from wuhai_zs.metrics.listing import project_list
from wuhai_zs.metrics.projects import RATES, Filters, compute
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import load_plan

from conftest import arrival, project, unwrap, write_csv

AS_OF = "2025-09-30"


def ledgers(tmp_path: Path) -> Path:
    """Ten projects over every stage, three of them 终止 (after starting, after signing, never
    signed), with arrivals for five of them."""
    rows = [
        project(
            "P1",
            项目阶段="储备",
            签约日期="",
            产业类别="文化旅游",
            来源地区="京津冀",
            **{"总投资（万元）": 1000},
        ),
        project(
            "P2",
            项目阶段="在谈",
            签约日期="",
            来源地区="境外",
            来源国别="日本",
            **{"总投资（万元）": 2000},
        ),
        project(
            "P3",
            签约日期="2025-01-10",
            计划开工日期="2025-03-01",
            来源地区="区内",
            所属区="乌达区",
            所在园区="乌达产业园",
            **{"总投资（万元）": 10000},
        ),
        project(
            "P4",
            签约日期="2025-06-01",
            计划开工日期="2025-12-01",
            来源地区="市内",
            应办手续数=6,
            **{"总投资（万元）": 20000},
        ),
        project(
            "P5",
            项目阶段="开工",
            签约日期="2024-01-10",
            开工日期="2024-03-01",
            产业类别="光伏",
            企业标签="世界500强、央企",
            应办手续数=10,
            已办手续数=8,
            **{"总投资（万元）": 30000},
        ),
        project(
            "P6",
            项目阶段="竣工",
            签约日期="2023-02-01",
            开工日期="2023-05-01",
            竣工日期="2024-06-01",
            来源地区="境外",
            来源国别="德国",
            企业标签="专精特新",
            应办手续数=10,
            已办手续数=10,
            **{"总投资（万元）": 40000},
        ),
        project(
            "P7",
            项目阶段="投产",
            签约日期="2023-01-10",
            开工日期="2023-03-01",
            竣工日期="2024-01-01",
            投产日期="2024-03-01",
            来源地区="其他区外",
            应办手续数=12,
            已办手续数=12,
            **{"总投资（万元）": 50000},
        ),
        project(
            "P8",
            项目阶段="终止",
            签约日期="2023-06-01",
            开工日期="2023-08-01",
            **{"总投资（万元）": 6000},
        ),
        project(
            "P9",
            项目阶段="终止",
            签约日期="2023-06-01",
            计划开工日期="2023-09-01",
            **{"总投资（万元）": 7000},
        ),
        project("P10", 项目阶段="终止", 签约日期="", **{"总投资（万元）": 8000}),
    ]
    write_csv(tmp_path / "项目台账.csv", rows)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("P3", "2025-02-01", 1000),
            arrival("P5", "2024-05-01", 5000),
            arrival("P6", "2023-06-01", 10000, **{"外资金额（万美元）": 1400}),
            arrival("P7", "2023-04-01", "20000.5"),
            arrival("P8", "2023-09-01", 1500),
        ],
    )
    return tmp_path


# Each project's 项目阶段 and 总投资 in `ledgers`, for the filter tests.
STAGE = {
    "P1": "储备",
    "P2": "在谈",
    "P3": "签约",
    "P4": "签约",
    "P5": "开工",
    "P6": "竣工",
    "P7": "投产",
    "P8": "终止",
    "P9": "终止",
    "P10": "终止",
}
INVESTMENT = {
    "P1": 1000,
    "P2": 2000,
    "P3": 10000,
    "P4": 20000,
    "P5": 30000,
    "P6": 40000,
    "P7": 50000,
    "P8": 6000,
    "P9": 7000,
    "P10": 8000,
}


def checked(path: Path, as_of: str = AS_OF) -> Checked:
    result = run(path, load_plan(), dt.date.fromisoformat(as_of))
    assert result.report.errors == 0, [f.message for f in result.report.findings]
    return result


def by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def test_funnel_counts_and_investment_by_stage(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)))
    funnel = by(result.funnel, "stage")
    assert [f["stage"] for f in result.funnel] == [
        "储备",
        "在谈",
        "签约",
        "开工",
        "竣工",
        "投产",
        "终止",
    ]
    assert {s: f["count"] for s, f in funnel.items()} == {
        "储备": 1,
        "在谈": 1,
        "签约": 2,
        "开工": 1,
        "竣工": 1,
        "投产": 1,
        "终止": 3,
    }
    # 总投资 in 亿元: 1000 万元 is 0.1 亿元
    assert {s: f["investment_yi"] for s, f in funnel.items()} == {
        "储备": 0.1,
        "在谈": 0.2,
        "签约": 3.0,
        "开工": 3.0,
        "竣工": 4.0,
        "投产": 5.0,
        "终止": 2.1,
    }
    # reached by dates: P8 (终止 after starting) counts as started, P9 as signed
    assert {s: f["reached"] for s, f in funnel.items()} == {
        "储备": None,
        "在谈": None,
        "签约": 7,
        "开工": 4,
        "竣工": 2,
        "投产": 1,
        "终止": None,
    }
    assert result.projects == 10 and result.investment_yi == 17.4  # 174,000 万元


def test_every_rate_by_hand(tmp_path: Path) -> None:
    rates = {r.key: r for r in compute(checked(ledgers(tmp_path))).rates}
    assert [r.key for r in RATES] == list(rates)
    # signed P3..P9 = 7; started P5 P6 P7 P8 = 4
    assert (rates["landing"].numerator, rates["landing"].denominator) == (4, 7)
    assert rates["landing"].value == pytest.approx(4 / 7, abs=1e-6)
    # due to have started: the 4 started + P3 (planned 2025-03-01) + P9 (终止, planned 2023-09-01)
    assert (rates["start"].numerator, rates["start"].denominator) == (4, 6)
    assert rates["start"].value == pytest.approx(4 / 6, abs=1e-6)
    assert (rates["completion"].numerator, rates["completion"].denominator) == (2, 4)
    assert rates["completion"].value == 0.5
    assert (rates["production"].numerator, rates["production"].denominator) == (1, 4)
    assert rates["production"].value == 0.25
    # all money of signed projects ÷ their 总投资: 37,500.5 ÷ 163,000 万元, in 亿元
    assert (rates["funding"].numerator_yi, rates["funding"].denominator_yi) == (3.75005, 16.3)
    assert (rates["funding"].numerator, rates["funding"].denominator) == (None, None)
    assert rates["funding"].value == pytest.approx(37500.5 / 163000, abs=1e-6)
    # P4 has 应办 but no 已办: left out; 30 ÷ 32
    assert (rates["permits"].numerator, rates["permits"].denominator) == (30, 32)
    assert rates["permits"].value == pytest.approx(30 / 32, abs=1e-6)


def test_rates_without_arrivals_or_denominator_are_no_data(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("Q1", 项目阶段="储备", 签约日期="")])
    rates = {r.key: r for r in compute(checked(tmp_path)).rates}
    assert all(r.value is None for r in rates.values())
    assert rates["funding"].numerator_yi is None and rates["funding"].denominator_yi == 0


def test_breakdowns_by_region_tag_industry_and_cluster(tmp_path: Path) -> None:
    plan = load_plan()
    result = compute(checked(ledgers(tmp_path)))
    assert [r["region"] for r in result.by_region] == [
        *plan.key_regions,
        "其他区外",
        "区内",
        "市内",
        "境外",
    ]
    regions = by(result.by_region, "region")
    assert regions["长三角"]["count"] == 4  # P5 P8 P9 P10
    assert regions["长三角"]["signed"] == 3
    assert regions["长三角"]["capital_yi"] == 0.65  # 6500 万元
    assert regions["境外"]["count"] == 2 and regions["境外"]["capital_yi"] == 1.0
    assert by(regions["境外"]["countries"], "country").keys() == {"日本", "德国"}
    assert regions["京津冀"]["key_region"] and not regions["区内"]["key_region"]
    tags = by(result.by_tag, "tag")
    assert list(tags)[:-1] == plan.tags
    assert (tags["世界500强"]["count"], tags["央企"]["count"], tags["专精特新"]["count"]) == (
        1,
        1,
        1,
    )
    assert tags["无标签"]["count"] == 8 and tags["中国500强"]["count"] == 0
    industries = by(result.by_industry, "industry")
    assert industries["光伏"]["count"] == 1 and industries["光伏"]["cluster"] == "硅基新材料"
    assert industries["精细化工"]["count"] == 8
    clusters = by(result.by_cluster, "cluster")
    assert clusters["硅基新材料"]["investment_yi"] == 3.0  # 30000 万元
    assert clusters["精细化工"]["count"] == 8
    assert clusters["不属于集群"]["count"] == 1  # P1 文化旅游


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(district="乌达区"), {"P3"}),
        (Filters(stage="终止"), {"P8", "P9", "P10"}),
        (Filters(industry="光伏"), {"P5"}),
        (Filters(region="境外"), {"P2", "P6"}),
        (Filters(region="区外"), {"P1", "P5", "P7", "P8", "P9", "P10"}),
        (Filters(district="海南区", stage="签约"), {"P4"}),
    ],
)
def test_filters(tmp_path: Path, filters: Filters, expected: set[str]) -> None:
    """The projects a filter keeps, by id, and the figures of exactly those (from STAGE and
    INVESTMENT, written by hand from `ledgers`)."""
    data = checked(ledgers(tmp_path))
    listed = project_list(data, filters).projects
    assert sorted(p["project_id"] for p in listed) == sorted(expected)
    result = compute(data, filters)
    assert result.projects == len(expected)
    assert result.investment_yi == pytest.approx(sum(INVESTMENT[p] for p in expected) / 10_000)
    by_stage = {f["stage"]: f["count"] for f in result.funnel}
    assert by_stage == {s: sum(STAGE[p] == s for p in expected) for s in by_stage}


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        (Filters(district="海淀区"), "海勃湾区"),
        (Filters(industry="芯片"), "现代煤化工"),
        (Filters(stage="施工"), "储备"),
        (Filters(region="华北"), "粤港澳大湾区"),
    ],
)
def test_bad_filter_names_the_allowed_values(filters: Filters, named: str) -> None:
    with pytest.raises(UsageError, match=named):
        filters.check(load_plan())


def test_cli_bad_filter_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("projects", "--stage", "施工")
    assert result.code == 2
    assert "--stage" in result.err and "储备、在谈、签约" in result.err
    assert len(result.err.strip().splitlines()) == 1


PROJECTS_KEYS = {
    "as_of",
    "filters",
    "projects",
    "investment_yi",
    "funnel",
    "rates",
    "by_region",
    "by_tag",
    "by_industry",
    "by_cluster",
    "notes",
}


def test_json_keys_and_same_object_as_the_core(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path)
    result = cli("projects", "--data", str(data), "--as-of", AS_OF, "--json")
    assert result.code == 0, result.err
    payload = unwrap(result.json(), "projects")
    assert set(payload) == PROJECTS_KEYS
    for rate in payload["rates"]:  # counts, or money in 亿元 for 到位率: one key set
        assert set(rate) == {
            "key",
            "name",
            "definition",
            "numerator",
            "denominator",
            "numerator_yi",
            "denominator_yi",
            "value",
        }
    assert set(payload["funnel"][0]) == {"stage", "count", "investment_yi", "reached"}
    assert set(payload["by_region"][0]) == {
        "region",
        "group",
        "key_region",
        "count",
        "investment_yi",
        "signed",
        "capital_yi",
        "countries",
    }
    assert set(payload["filters"]) == {"district", "industry", "stage", "region"}
    assert payload == compute(checked(data)).to_dict()


def test_table_and_help_show_every_rate_definition(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    table = cli("projects", "--data", str(ledgers(tmp_path)), "--as-of", AS_OF)
    assert table.code == 0, table.err
    assert "签约项目落地成功率" in table.out and "57.1%" in table.out
    help_text = "".join(cli("projects", "--help").out.split())
    for rate in RATES:
        assert "".join(f"{rate.name}={rate.definition}".split()) in help_text, rate.name
