"""`dispatch`: a month, the year to date and the change against hand sums; no data is not 0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wuhai_zs.metrics.dispatch import INDICATORS, compute
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import default_plan_text, load_plan

from conftest import ACTIVITY_SHORT_HEADER, PARK_HEADER, arrival, project, unwrap, write_csv

AS_OF = "2025-09-30"
JUNE = dt.date(2025, 6, 1)


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
        header=PARK_HEADER,
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
            header=ACTIVITY_SHORT_HEADER,
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
    # in its 所属区 乌达区. Money in 亿元: 30000 万元 is 3 亿元, 3000 万元 0.3 亿元.
    expected = {
        "海南区": (1, 1, 3.0, 1, 0, 0.3),
        "乌达区": (0, 1, 2.0, 0, 1, 0.4),
        "海勃湾区": (0, 0, 0, 0, 0, 0),
        "高新区": (0, 0, 0, 0, 0, 0),
        "全市": (2, 2, 5.0, 1, 1, 0.7),  # 全市 trips include 市商务局's
    }
    keys = ("top_leader_trips", "signed", "signed_investment", "started", "producing", "capital")
    assert {u: tuple(month[u][k] for k in keys) for u in expected} == expected
    ytd = table(result, "year_to_date")
    assert {u: tuple(ytd[u][k] for k in keys) for u in ("海南区", "乌达区", "高新区")} == {
        "海南区": (2, 2, 5.0, 1, 0, 0.35),
        "乌达区": (1, 2, 5.0, 1, 1, 0.4),
        "高新区": (0, 0, 0, 0, 0, 0.3),
    }


def test_change_against_may(tmp_path: Path) -> None:
    result = compute(checked(ledgers(tmp_path)), JUNE)
    before, change = table(result, "previous_month"), table(result, "change")
    assert (before["海南区"]["signed"], change["海南区"]["signed"]) == (1, 0)
    assert (before["乌达区"]["signed"], change["乌达区"]["signed"]) == (0, 1)
    # 500 万元 in May, 3000 in June
    assert (before["海南区"]["capital"], change["海南区"]["capital"]) == (0.05, 0.25)
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
    assert "无数据" in shown.out and "缺少招商活动台账" in shown.out


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
    "year_elapsed",
    "targets_illustrative",
    "notes",
}
FLOW_KEYS = {
    "month",
    "year_to_date",
    "previous_month",
    "change",
    "last_year_month",
    "last_year_to_date",
    "yoy_month",
    "yoy_year_to_date",
}


def test_json_keys(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path)
    result = cli("dispatch", "--data", str(data), "--as-of", AS_OF, "--month", "2025-06", "--json")
    assert result.code == 0, result.err
    payload = unwrap(result.json(), "dispatch")
    assert set(payload) == DISPATCH_KEYS
    assert set(payload["units"][0]) == {"unit", "parks", "park_year", "values", "targets"}
    assert set(payload["units"][0]["values"]) == {i.key for i in INDICATORS}
    values = payload["total"]["values"]
    # money in 亿元 (_yi), counts bare, a change of a rate in 个百分点, 亩均 in 万元/亩
    assert set(values["capital"]) == {k if k.startswith("yoy") else f"{k}_yi" for k in FLOW_KEYS}
    assert set(values["signed"]) == FLOW_KEYS
    assert set(values["completion_rate"]) == {
        "month",
        "year_to_date",
        "previous_month",
        "change_points",
        "last_year_month",
        "change_last_year_points",
    }
    assert "month_wan_per_mu" in values["investment_per_mu"]
    assert values["capital"]["month_yi"] == 0.7  # 7000 万元 in June
    assert set(payload["indicators"][0]) == {"key", "name", "unit", "kind", "definition", "ledger"}
    assert set(payload["total"]["targets"][0]) == {
        "key",
        "name",
        "unit",
        "target",
        "actual",
        "completion",
        "expected",
    }
    assert payload == compute(checked(data), JUNE).to_dict()
    default = cli("dispatch", "--data", str(data), "--as-of", AS_OF, "--json").json()
    assert default["month"] == "2025-09"


def year_on_year(tmp_path: Path) -> Path:
    """June 2025 against June 2024, with ledgers that reach back to 2023."""
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project(
                "A1",
                项目阶段="竣工",
                签约日期="2024-06-10",
                开工日期="2024-06-20",
                竣工日期="2025-03-01",
                **{"总投资（万元）": 10000},
            ),
            project("A2", 签约日期="2025-06-05", **{"总投资（万元）": 30000}),
            project(
                "A3",
                所属区="乌达区",
                所在园区="乌达产业园",
                签约日期="2023-11-01",
                **{"总投资（万元）": 20000},
            ),
        ],
    )
    write_csv(
        tmp_path / "到位资金台账.csv",
        [
            arrival("A3", "2023-12-01", 500),
            arrival("A1", "2024-06-25", 1000),
            arrival("A1", "2025-06-15", 1500),
            arrival("A3", "2024-03-01", 2000),
            arrival("A3", "2025-03-01", 1000),
        ],
    )
    return tmp_path


def test_year_on_year_against_hand_sums(tmp_path: Path) -> None:
    result = compute(checked(year_on_year(tmp_path)), JUNE)
    assert (result.window["last_year_month_start"], result.window["last_year_start"]) == (
        "2024-06-01",
        "2024-01-01",
    )
    rows = {row.unit: row.values for row in [*result.units, result.total]}
    haina, wuda, city = rows["海南区"], rows["乌达区"], rows["全市"]
    # 到位资金 (亿元): 海南区 June 1500 against 1000 万元; 乌达区 nothing in either June,
    # 1000 (March 2025) against 2000 (March 2024) to date
    assert (haina["capital"].month, haina["capital"].last_year_month) == (0.15, 0.1)
    assert haina["capital"].yoy_month == 0.5 and haina["capital"].yoy_year_to_date == 0.5
    assert wuda["capital"].last_year_month == 0 and wuda["capital"].yoy_month is None
    assert (wuda["capital"].year_to_date, wuda["capital"].last_year_to_date) == (0.1, 0.2)
    assert wuda["capital"].yoy_year_to_date == -0.5
    assert city["capital"].yoy_year_to_date == round((2500 - 3000) / 3000, 6)
    # signed: A2 in June 2025 against A1 in June 2024; 乌达区 signed A3 in 2023, none since
    assert (haina["signed"].month, haina["signed"].last_year_month) == (1, 1)
    assert haina["signed"].yoy_month == 0
    assert (wuda["signed"].year_to_date, wuda["signed"].last_year_to_date) == (0, 0)
    assert (haina["started"].month, haina["started"].last_year_month) == (0, 1)
    assert haina["started"].yoy_month == -1
    # a stock is compared, not grown: 竣工率 1/1 at 2025-06-30 against 0/1 at 2024-06-30
    rate = haina["completion_rate"]
    assert (rate.month, rate.last_year_month, rate.change_last_year) == (1, 0, 1)
    assert rate.to_dict(INDICATORS[7])["change_last_year_points"] == 100
    assert not any("上年同期" in n and "早于" in n for n in result.notes)


def test_a_year_before_the_ledgers_is_no_data_not_zero(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # the arrivals start 2025-01-05 and the projects 2024-03-01: June 2024 has projects but
    # no arrivals ledger yet, and 1 January 2024 is before either
    result = compute(checked(ledgers(tmp_path)), JUNE)
    haina = next(row.values for row in result.units if row.unit == "海南区")
    assert haina["capital"].last_year_month is None and haina["capital"].yoy_month is None
    assert haina["capital"].last_year_to_date is None
    assert haina["signed"].last_year_month == 0  # the projects ledger reaches June 2024
    assert haina["signed"].last_year_to_date is None and haina["signed"].yoy_year_to_date is None
    note = next(n for n in result.notes if "上年同期" in n and "早于" in n)
    assert "到位资金台账（最早 2025-01-05）" in note and "项目台账（最早 2024-03-01）" in note
    shown = cli("dispatch", "--data", str(tmp_path), "--month", "2025-06", "--as-of", AS_OF)
    assert shown.code == 0, shown.err
    assert "同比为无数据" in shown.out


def test_targets_from_the_plan(tmp_path: Path) -> None:
    result = compute(checked(year_on_year(tmp_path)), JUNE)
    assert result.year_elapsed == 0.5 and result.targets_illustrative  # June is over: 6/12
    haina = next(row for row in result.units if row.unit == "海南区")
    assert haina.targets is not None
    targets = {t.key: t for t in haina.targets}
    # default plan, 海南区: 60亿元, 30 signed, 18 started, 10 producing
    capital = targets["capital"]
    assert (capital.unit, capital.target, capital.actual) == ("亿元", 60.0, 0.15)
    assert capital.completion == round(0.15 / 60, 6) and capital.expected == 0.5
    assert (targets["signed"].target, targets["signed"].actual) == (30, 1)
    assert targets["signed"].completion == round(1 / 30, 6)
    # 全市 is the sum of the districts' targets: 45 + 55 + 60 + 90 亿元; 25 + 25 + 30 + 35
    assert result.total.targets is not None
    city = {t.key: t for t in result.total.targets}
    assert (city["capital"].target, city["signed"].target) == (250.0, 115)
    assert city["capital"].actual == 0.25  # 1500 + 1000 万元 this year


def test_a_unit_without_targets_says_so(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    text = default_plan_text()
    start = text.index('[assessment.units."高新区"]')
    plan_file = tmp_path / "plan.toml"
    plan_file.write_text(text[:start], encoding="utf-8")
    data = year_on_year(tmp_path / "data")
    plan = load_plan(plan_file)
    result = compute(run(data, plan, dt.date.fromisoformat(AS_OF)), JUNE)
    gaoxin = next(row for row in result.units if row.unit == "高新区")
    assert gaoxin.targets is None and result.total.targets is None  # never 0
    assert any("未设 高新区 的年度目标" in n and "全市目标不汇总" in n for n in result.notes)
    shown = cli(
        "dispatch",
        "--data",
        str(data),
        "--plan",
        str(plan_file),
        "--month",
        "2025-06",
        "--as-of",
        AS_OF,
    )
    assert shown.code == 0, shown.err
    assert "未设目标" in shown.out and "本年目标" in shown.out
    payload = cli(
        "dispatch",
        "--data",
        str(data),
        "--plan",
        str(plan_file),
        "--month",
        "2025-06",
        "--as-of",
        AS_OF,
        "--json",
    ).json()
    assert [u["targets"] is None for u in payload["units"]] == [False, False, False, True]


def test_the_workbook_shows_year_on_year_and_targets(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    data = year_on_year(tmp_path / "data")
    book = tmp_path / "r.xlsx"
    run = cli(
        "export", "--data", str(data), "--as-of", AS_OF, "--month", "2025-06", "-o", str(book)
    )
    assert run.code == 0, run.err
    wb = load_workbook(book)
    assert wb.sheetnames.index("分区同比与目标") == wb.sheetnames.index("分区调度表") + 1
    sheet = wb["分区同比与目标"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.scale >= 70  # prints on A4 at a readable size
    assert not sheet.freeze_panes and wb["分区调度表"].freeze_panes  # one frozen table a sheet
    haina = [row for row in sheet.iter_rows(values_only=True) if row[1] == "海南区"]
    assert len(haina) == 2  # a row in each of the two tables
    yoy, targets = haina[:1], haina[1:]
    # 同比, in the 调度表's column order: trips (no ledger), signed, 总投资, started, producing,
    # 到位资金 (纳统): 海南区 signed 1 against 1, 开工 0 against 1, 到位 1500 against 1000 万元
    assert yoy[0][4:6] == (0, 0) and yoy[0][8] == -1 and yoy[0][12:14] == (0.5, 0.5)
    assert yoy[0][2] is None  # no activities ledger: no data, not 0
    # targets: 60 亿元 against 0.15 亿元 (0.25 %), 30 signed against 1 (3.3 %)
    assert targets[0][2:5] == (60, 0.15, 0.003) and targets[0][5:8] == (30, 1, 0.033)
