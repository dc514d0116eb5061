"""Early warnings: each rule fires one day past its threshold and not on the threshold day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wuhai_zs.ledgers.sources import sample_path
from wuhai_zs.metrics.projects import Filters
from wuhai_zs.metrics.warnings import RULES, check
from wuhai_zs.pipeline import Checked, run
from wuhai_zs.plan.model import default_plan_text, load_plan

from conftest import arrival, project, unwrap, write_csv

AS_OF = "2025-09-30"
# Default plan: red 3 months after the planned start; money within 6 months; 24 months to
# complete; 6 months to produce; permits at least 80 %; major from 100,000 万元.
PAID = "2025-09-01"


def ledgers(tmp_path: Path, with_arrivals: bool = True) -> Path:
    rows = [
        # start-overdue (yellow): planned start passed yesterday / today is not passed
        project("S1", 签约日期="2025-05-01", 计划开工日期="2025-09-29"),
        project("S2", 签约日期="2025-05-01", 计划开工日期="2025-09-30"),
        # start-overdue-long (red): planned + 3 months is before as-of / equals it (yellow only)
        project("S3", 签约日期="2025-04-01", 计划开工日期="2025-06-29", 包联领导="王某"),
        project("S4", 签约日期="2025-04-01", 计划开工日期="2025-06-30"),
        # start-unplanned (red): no planned date, signed 3 months + 1 day ago / 3 months ago
        project("S5", 签约日期="2025-06-29", 所属区="乌达区", 所在园区="乌达产业园"),
        project("S6", 签约日期="2025-06-30"),
        # no-money (red): signed 6 months + 1 day ago / 6 months ago; S9 has money
        project("M1", 签约日期="2025-03-29", 计划开工日期="2025-12-01"),
        project("M2", 签约日期="2025-03-30", 计划开工日期="2025-12-01"),
        project("M3", 签约日期="2024-01-01", 计划开工日期="2025-12-01"),
        # five-ones (yellow): major with gaps / not major / major and complete
        project(
            "F1",
            项目阶段="在谈",
            签约日期="",
            包联领导="李某",
            推进方案="否",
            **{"总投资（万元）": 100000},
        ),
        project("F2", 项目阶段="在谈", 签约日期="", **{"总投资（万元）": 99999}),
        project(
            "F3",
            项目阶段="在谈",
            签约日期="",
            包联领导="李某",
            工作专班="F3专班",
            推进方案="是",
            **{"总投资（万元）": 200000},
        ),
        # construction-overdue (yellow): started 24 months + 1 day ago / 24 months ago
        project("C1", 项目阶段="开工", 签约日期="2023-09-01", 开工日期="2023-09-29"),
        project("C2", 项目阶段="开工", 签约日期="2023-09-01", 开工日期="2023-09-30"),
        # production-overdue (yellow): completed 6 months + 1 day ago / 6 months ago
        project(
            "D1",
            项目阶段="竣工",
            签约日期="2024-01-01",
            开工日期="2024-02-01",
            竣工日期="2025-03-29",
        ),
        project(
            "D2",
            项目阶段="竣工",
            签约日期="2024-01-01",
            开工日期="2024-02-01",
            竣工日期="2025-03-30",
        ),
        # permits-low (yellow): 7 of 10 done / 8 of 10 done (exactly the minimum)
        project(
            "R1",
            项目阶段="开工",
            签约日期="2024-12-01",
            开工日期="2025-01-01",
            应办手续数=10,
            已办手续数=7,
        ),
        project(
            "R2",
            项目阶段="开工",
            签约日期="2024-12-01",
            开工日期="2025-01-01",
            应办手续数=10,
            已办手续数=8,
        ),
        # 终止: never warned, though signed long ago without money or a start
        project("T1", 项目阶段="终止", 签约日期="2024-01-01", 计划开工日期="2024-03-01"),
    ]
    write_csv(tmp_path / "项目台账.csv", rows)
    if with_arrivals:
        paid = ["S1", "S2", "S3", "S4", "S5", "S6", "M3", "C1", "C2", "D1", "D2", "R1", "R2"]
        write_csv(tmp_path / "到位资金台账.csv", [arrival(p, PAID, 100) for p in paid])
    return tmp_path


def checked(path: Path, plan_path: Path | None = None) -> Checked:
    result = run(path, load_plan(plan_path), dt.date.fromisoformat(AS_OF))
    assert result.report.errors == 0, [f.message for f in result.report.findings]
    return result


EXPECTED = {
    # (code, project): days late at 2025-09-30
    ("start-overdue", "S1"): 1,
    ("start-overdue", "S4"): 92,
    ("start-overdue-long", "S3"): 93,
    ("start-unplanned", "S5"): 1,
    ("no-money", "M1"): 1,
    ("five-ones", "F1"): None,
    ("construction-overdue", "C1"): 1,
    ("production-overdue", "D1"): 1,
    ("permits-low", "R1"): 272,
}


def test_each_rule_fires_past_its_threshold_only(tmp_path: Path) -> None:
    result = check(checked(ledgers(tmp_path)))
    found = {(w.code, w.project_id): w.days_late for w in result.warnings}
    assert found == EXPECTED
    assert result.counts == {
        "start-overdue": 2,
        "start-overdue-long": 1,
        "start-unplanned": 1,
        "no-money": 1,
        "five-ones": 1,
        "construction-overdue": 1,
        "production-overdue": 1,
        "permits-low": 1,
    }
    assert result.levels == {"red": 3, "yellow": 6}
    assert [w.level for w in result.warnings[:3]] == ["red"] * 3
    assert result.warnings[0].project_id == "S3"  # red, and the longest overdue


def test_items_name_district_leader_and_what_is_late(tmp_path: Path) -> None:
    items = {w.project_id: w for w in check(checked(ledgers(tmp_path))).warnings}
    s3 = items["S3"]
    assert (s3.level, s3.district, s3.leader, s3.due) == ("red", "海南区", "王某", "2025-06-29")
    assert "2025-06-29" in s3.what and "3 个月" in s3.what
    assert items["S5"].district == "乌达区" and items["S5"].leader is None
    assert items["S5"].due == "2025-09-29"
    assert "工作专班、推进方案" in items["F1"].what and "包联领导" not in items["F1"].what
    assert "70%" in items["R1"].what and "80%" in items["R1"].what
    assert items["C1"].where == "项目台账.csv 第14行"


def test_thresholds_come_from_the_plan(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.toml"
    plan_file.write_text(
        default_plan_text()
        .replace("not_started_red_months = 3", "not_started_red_months = 1")
        .replace('min_permit_rate = "80%"', 'min_permit_rate = "85%"'),
        encoding="utf-8",
    )
    data = ledgers(tmp_path / "data")
    result = check(checked(data, plan_file))
    found = {(w.code, w.project_id) for w in result.warnings}
    assert ("start-overdue-long", "S4") in found and ("start-overdue", "S4") not in found
    assert ("start-unplanned", "S6") in found
    assert ("permits-low", "R2") in found
    rules = {r["code"]: r for r in result.rules}
    assert rules["start-overdue-long"]["threshold_months"] == 1
    assert rules["permits-low"]["threshold_rate"] == 0.85
    assert rules["permits-low"]["threshold_months"] is None
    assert rules["five-ones"]["threshold_wan"] == 100000  # 10亿元 in the default plan


def test_without_arrivals_no_money_is_not_checked(tmp_path: Path) -> None:
    result = check(checked(ledgers(tmp_path, with_arrivals=False)))
    assert result.counts["no-money"] == 0
    assert any("no-money" in note for note in result.notes)


def test_filters_apply_to_warnings(tmp_path: Path) -> None:
    result = check(checked(ledgers(tmp_path)), Filters(district="乌达区"))
    assert [(w.code, w.project_id) for w in result.warnings] == [("start-unplanned", "S5")]


def test_rules_are_data_with_stable_codes() -> None:
    assert [r.code for r in RULES] == [
        "start-overdue",
        "start-overdue-long",
        "start-unplanned",
        "no-money",
        "five-ones",
        "construction-overdue",
        "production-overdue",
        "permits-low",
    ]
    assert {r.level for r in RULES} == {"red", "yellow"}
    plan = load_plan()
    for rule in RULES:
        key = rule.threshold.removeprefix("major_project.")
        assert key in type(plan.warnings).model_fields or key == "threshold", rule.code


def test_the_sample_exercises_every_rule() -> None:
    result = check(run(sample_path(), load_plan()))
    assert all(result.counts[r.code] >= 1 for r in RULES), result.counts


WARNINGS_KEYS = {"as_of", "filters", "rules", "counts", "levels", "warnings", "notes"}
ITEM_KEYS = {
    "code",
    "level",
    "project_id",
    "name",
    "district",
    "leader",
    "stage",
    "what",
    "due",
    "days_late",
    "where",
}


def test_json_keys_and_table(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = ledgers(tmp_path)
    result = cli("projects", "--warnings", "--data", str(data), "--as-of", AS_OF, "--json")
    assert result.code == 0, result.err
    payload = unwrap(result.json(), "projects --warnings")
    assert set(payload) == WARNINGS_KEYS
    assert set(payload["warnings"][0]) == ITEM_KEYS
    assert set(payload["rules"][0]) == {
        "code",
        "level",
        "title",
        "threshold",
        "threshold_months",
        "threshold_wan",
        "threshold_rate",
        "days_late_from",
    }
    assert payload == check(checked(data)).to_dict()
    table = cli("projects", "--warnings", "--data", str(data), "--as-of", AS_OF)
    assert table.code == 0
    assert "start-overdue-long" in table.out and "王某" in table.out and "红色 3" in table.out
