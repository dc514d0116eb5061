"""`dispatch`: a month, the year to date and the change against hand sums; no data is not 0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wuhai_zs.metrics.dispatch import INDICATORS, compute
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import load_plan

from conftest import arrival, project, write_csv

AS_OF = "2025-09-30"
JUNE = dt.date(2025, 6, 1)
ACTIVITY_HEADER = ["日期", "活动类型", "所属区", "带队领导", "是否主要领导", "目的地"]


def ledgers(tmp_path: Path, activities: bool = True) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project(
                "K1", 签约日期="2025-06-05", 计划开工日期="2025-12-01", **{"总投资（万元）": 10000}
            ),
            project(
                "K2",
                项目阶段="开工",
                签约日期="2025-05-10",
                开工日期="2025-06-20",
                **{"总投资（万元）": 20000},
            ),
            project(
                "K3",
                所属区="乌达区",
                所在园区="乌达产业园",
                项目阶段="投产",
                签约日期="2025-01-10",
                开工日期="2025-02-01",
                竣工日期="2025-05-15",
                投产日期="2025-06-25",
                **{"总投资（万元）": 30000},
            ),
            project(
                "K4",
                所属区="乌达区",
                所在园区="海南产业园",
                签约日期="2025-06-01",
                计划开工日期="2025-10-01",
                飞地类型="飞出",
                飞出地="乌达区",
                飞入地="海南区",
                飞出地分成比例=0.5,
                **{"总投资（万元）": 40000},
            ),
            project(
                "K5",
                所属区="高新区",
                所在园区="乌海高新技术产业开发区",
                项目阶段="竣工",
                签约日期="2024-03-01",
                开工日期="2024-05-01",
                竣工日期="2025-06-30",
                **{"总投资（万元）": 50000},
            ),
        ],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("K2", "2025-06-21", 1000),
            arrival("K2", "2025-05-11", 500),
            arrival("K3", "2025-06-02", 2000),
            arrival("K4", "2025-06-15", 4000),
            arrival("K5", "2025-01-05", 3000),
        ],
    )
    write_csv(
        tmp_path / "园区台账.csv",
        [
            ["海南产业园", 2024, 100, 25000, 1, 1],
            ["乌达产业园", 2023, 200, 30000, 1, 1],
            ["乌达产业园", 2024, 250, 50000, 1, 1],
            ["乌达产业园", 2026, 100, 90000, 1, 1],  # a later year is never used for 2025
        ],
        header=[
            "园区",
            "年度",
            "用地面积（亩）",
            "固定资产投资（万元）",
            "工业总产值（万元）",
            "税收收入（万元）",
        ],
    )
    if activities:
        write_csv(
            tmp_path / "招商活动台账.csv",
            [
                ["2025-06-03", "带队招商", "海南区", "张某（区委书记）", "是", "上海"],
                ["2025-06-10", "带队招商", "海南区", "李某（副区长）", "否", "北京"],
                ["2025-06-12", "推介会", "海南区", "张某（区委书记）", "是", "乌海"],
                ["2025-05-20", "带队招商", "乌达区", "王某（区长）", "是", "深圳"],
                ["2025-02-01", "带队招商", "海南区", "张某（区委书记）", "是", "杭州"],
                ["2025-06-15", "带队招商", "市商务局", "赵某（市长）", "是", "成都"],
                ["2024-12-01", "带队招商", "海南区", "张某（区委书记）", "是", "天津"],
            ],
            header=ACTIVITY_HEADER,
        )
    return tmp_path


def checked(path: Path) -> Checked:
    result = run(path, load_plan(), dt.date.fromisoformat(AS_OF))
    assert result.report.errors == 0, [f.message for f in result.report.findings]
    return result


def table(result, field: str) -> dict[str, dict[str, float | None]]:  # type: ignore[no-untyped-def]
    return {
        row.unit: {k: getattr(v, field) for k, v in row.values.items()}
        for row in [*result.units, result.total]
    }


def test_june_against_hand_sums(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)), JUNE)
    assert result.month == "2025-06" and result.activities
    month = table(result, "month")
    # K4's money is shared 50/50 between 乌达区 (飞出地) and 海南区; the project counts whole
    # in its 所属区 乌达区
    expected = {
        "海南区": (1, 1, 30000, 1, 0, 3000),
        "乌达区": (0, 1, 20000, 0, 1, 4000),
        "海勃湾区": (0, 0, 0, 0, 0, 0),
        "高新区": (0, 0, 0, 0, 0, 0),
        "全市": (2, 2, 50000, 1, 1, 7000),  # 全市 trips include 市商务局's
    }
    keys = ("top_leader_trips", "signed", "signed_investment", "started", "producing", "capital")
    assert {u: tuple(month[u][k] for k in keys) for u in expected} == expected
    ytd = table(result, "year_to_date")
    assert {u: tuple(ytd[u][k] for k in keys) for u in ("海南区", "乌达区", "高新区")} == {
        "海南区": (2, 2, 50000, 1, 0, 3500),
        "乌达区": (1, 2, 50000, 1, 1, 4000),
        "高新区": (0, 0, 0, 0, 0, 3000),
    }


def test_change_against_may(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)), JUNE)
    before, change = table(result, "previous_month"), table(result, "change")
    assert (before["海南区"]["signed"], change["海南区"]["signed"]) == (1, 0)
    assert (before["乌达区"]["signed"], change["乌达区"]["signed"]) == (0, 1)
    assert (before["海南区"]["capital"], change["海南区"]["capital"]) == (500, 2500)
    assert (before["乌达区"]["top_leader_trips"], change["乌达区"]["top_leader_trips"]) == (1, -1)
    assert change["海南区"]["top_leader_trips"] == 1


def test_month_end_rates_and_per_mu(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)), JUNE)
    month, before = table(result, "month"), table(result, "previous_month")
    # at 2025-06-30: started K2 K3 K5, completed K3 K5, producing K3
    assert (month["全市"]["completion_rate"], month["全市"]["production_rate"]) == (
        round(2 / 3, 6),
        round(1 / 3, 6),
    )
    # at 2025-05-31: started K3 K5, completed K3, producing none
    assert (before["全市"]["completion_rate"], before["全市"]["production_rate"]) == (0.5, 0)
    assert (month["高新区"]["completion_rate"], before["高新区"]["completion_rate"]) == (1, 0)
    assert month["海南区"]["completion_rate"] == 0
    assert month["海勃湾区"]["completion_rate"] is None  # nothing started: no rate
    assert month["海南区"]["investment_per_mu"] == 250
    assert month["乌达区"]["investment_per_mu"] == 200  # 2024, not 2026
    assert month["高新区"]["investment_per_mu"] is None
    assert month["全市"]["investment_per_mu"] == 214.29  # (25000 + 50000) ÷ (100 + 250)
    units = {row.unit: row for row in result.units}
    assert units["乌达区"].parks == ["乌达产业园"] and units["乌达区"].park_year == 2024
    ytd = table(result, "year_to_date")
    assert ytd["全市"]["completion_rate"] == month["全市"]["completion_rate"]


def test_missing_activities_is_no_data_not_zero(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path, activities=False)
    result = compute(checked(data), JUNE)
    assert not result.activities
    trips = [row.values["top_leader_trips"] for row in [*result.units, result.total]]
    assert all(v.month is None and v.year_to_date is None and v.change is None for v in trips)
    assert result.units[0].values["signed"].month == 0  # other indicators still count
    shown = cli("dispatch", "--data", str(data), "--month", "2025-06", "--as-of", AS_OF)
    assert shown.code == 0, shown.err
    assert "无数据" in shown.out and "未提供招商活动台账" in shown.out


def test_bad_or_future_month_exits_2(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(ledgers(tmp_path))
    for month in ("2025-13", "June", "202506"):
        result = cli("dispatch", "--data", data, "--month", month)
        assert result.code == 2, month
        assert "2025年9月" in result.err and len(result.err.strip().splitlines()) == 1
    late = cli("dispatch", "--data", data, "--as-of", AS_OF, "--month", "2025-10")
    assert late.code == 2 and "晚于截止日期" in late.err


DISPATCH_KEYS = {
    "month",
    "as_of",
    "year",
    "window",
    "activities",
    "indicators",
    "units",
    "total",
    "notes",
}


def test_json_keys(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path)
    result = cli("dispatch", "--data", str(data), "--as-of", AS_OF, "--month", "2025-06", "--json")
    assert result.code == 0, result.err
    payload = result.json()
    assert set(payload) == DISPATCH_KEYS
    assert set(payload["units"][0]) == {"unit", "parks", "park_year", "values"}
    assert set(payload["units"][0]["values"]) == {i.key for i in INDICATORS}
    assert set(payload["total"]["values"]["capital"]) == {
        "month",
        "year_to_date",
        "previous_month",
        "change",
    }
    assert set(payload["indicators"][0]) == {"key", "name", "unit", "kind", "definition"}
    assert payload == compute(checked(data), JUNE).to_dict()
    default = cli("dispatch", "--data", str(data), "--as-of", AS_OF, "--json").json()
    assert default["month"] == "2025-09"
