"""Figures the monthly workbook adds: rounding as shown, the light and words of a target, and
which projects are the key ones."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest

from wuhai_zs.metrics import report as month_report
from wuhai_zs.metrics.overview import light, most_behind, progress_words, schedule_points
from wuhai_zs.metrics.rounding import apportion, half_up, points
from wuhai_zs.metrics.targets import TargetResult
from wuhai_zs.pipeline import run
from wuhai_zs.plan.model import load_plan

from conftest import ARRIVAL_HEADER, arrival, project, write_csv


def test_half_up_is_what_excel_shows() -> None:
    assert half_up(0.125, 2) == 0.13 and half_up(-0.125, 2) == -0.13
    assert half_up(2.675, 2) == 2.68  # the float is 2.67499…, its shortest form 2.675
    assert half_up(649.995, 2) == 650.0 and half_up(None, 2) is None
    assert half_up(16.5, 0) == 17.0


def test_apportioned_parts_add_up_to_their_rounded_total() -> None:
    assert apportion([1.004, 1.004, 1.004], 2) == [1.01, 1.0, 1.0]
    assert apportion([2.206138, 4.185029, 7.692282, 8.100666], 2) == [2.21, 4.18, 7.69, 8.1]
    assert apportion([1.5, None, 2.5], 0) == [2.0, None, 2.0]
    rng = random.Random(13)
    for _ in range(500):
        parts = [Decimal(rng.randint(-(10**6), 10**7)) / 10**6 for _ in range(rng.randint(1, 9))]
        total = sum(parts, Decimal(0))
        shown = apportion(parts, 2)
        assert sum(Decimal(repr(s)) for s in shown if s is not None) == Decimal(
            repr(half_up(total, 2))
        )
        for exact, s in zip(parts, shown, strict=True):
            assert s is not None and abs(Decimal(repr(s)) - exact) < Decimal("0.01")


def test_points_come_from_the_rates_as_shown() -> None:
    assert points(0.8125, 0.916667) == -10.4
    assert points(0.8124, 0.9166) == -10.5  # 81.2% against 91.7%, as the page shows them
    assert points(0.1467, 0.15) == -0.3 and points(None, 0.5) is None


def _target(status: str, completion: float, expected: float, unit: str = "亿元") -> TargetResult:
    return TargetResult(
        "t",
        "指标",
        unit,
        100.0,
        completion * 100,
        completion,
        expected,
        None,
        status,  # type: ignore[arg-type]
    )


def test_light_and_words_of_a_target() -> None:
    behind = _target("behind", 0.8125, 0.916667)  # exactly half: shown 81.3%, as Excel does
    assert progress_words(behind) == "完成目标任务的 81.3%，欠进度 10.4 个百分点"
    assert light(behind) == "red"  # more than 5 个百分点 behind
    assert (
        progress_words(_target("behind", 0.8125, 0.9))
        == "完成目标任务的 81.3%，欠进度 8.7 个百分点"
    )
    assert light(_target("behind", 0.89, 0.916667)) == "yellow"
    ahead = _target("on_track", 0.95, 0.916667)
    assert progress_words(ahead) == "完成目标任务的 95.0%，超进度 3.3 个百分点"
    assert light(ahead) == "green" and light(_target("met", 1.1, 0.9)) == "green"
    assert light(_target("missed", 0.7, 1.0)) == "red"
    assert light(_target("no_data", 0.0, 0.0)) == "grey"
    rate = TargetResult("g", "增速", "比率", 0.15, 0.1467, 0.978, 1.0, None, "behind")
    assert schedule_points(rate) == -0.3
    assert progress_words(rate) == "达到 14.7%，低于目标（15.0%）0.3 个百分点"
    missed = _target("missed", 0.9, 1.0)
    assert most_behind([ahead, behind, rate, missed]) == [missed, behind, rate]


MAJOR = {"总投资（万元）": 150000}


def test_key_projects_are_major_signed_and_not_producing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_csv(
        data / "项目台账.csv",
        [
            # 海南区: a major project under way, and one signed long ago that has not started
            project(
                "A",
                项目阶段="开工",
                开工日期="2024-03-01",
                **MAJOR,
                **{"包联领导": "甲", "工作专班": "专班", "推进方案": "是"},
            ),
            project(
                "B",
                计划开工日期="2023-06-01",
                **MAJOR,
                **{"包联领导": "乙", "工作专班": "专班", "推进方案": "是"},
            ),
            project(
                "C",
                项目阶段="投产",
                开工日期="2023-03-01",
                竣工日期="2023-09-01",
                投产日期="2023-10-01",
                **MAJOR,
                **{"包联领导": "丙", "工作专班": "专班", "推进方案": "是"},
            ),
            project("D", 项目阶段="终止", **MAJOR),
            project("E", 所属区="乌达区"),  # 2 亿元: not major
            project(
                "F",
                所属区="高新区",
                项目阶段="开工",
                开工日期="2024-01-01",
                **MAJOR,
                **{"包联领导": "丁", "工作专班": "专班", "推进方案": "是"},
            ),
            # not signed, but a major project without its 五个一: flagged, on neither list
            project("G", 项目阶段="在谈", 签约日期="", **MAJOR),
        ],
    )
    write_csv(
        data / "到位资金台账.csv",
        [arrival(p, "2024-06-01", 100) for p in ("A", "C", "E", "F")],
        header=ARRIVAL_HEADER,
    )
    checked = run(data, load_plan(), dt.date(2024, 12, 31))
    report = month_report.build(checked, dt.date(2024, 12, 1))
    key = report.key
    assert key is not None and report.flags is not None
    assert [(d, [p["project_id"] for p in rows]) for d, rows in key.groups] == [
        ("海南区", ["B", "A"]),  # B is flagged (red: not started a year after its plan)
        ("高新区", ["F"]),
    ]
    assert key.groups[0][1][0]["flag"] == "red"
    assert sorted(p["project_id"] for p in key.others) == ["C", "D", "E"]
    assert [f.project_id for f in key.unsigned] == ["G"]
    flagged = {pid for pid in report.flags}
    assert "B" in flagged and "G" in flagged
    # a district counts projects with a warning, not warnings
    units = {u.unit: u for u in report.units}
    hainan = {pid for pid, f in report.flags.items() if f.district == "海南区"}
    assert units["海南区"].warnings == len(hainan)
    assert units["全市"].warnings == len(report.flags)
    warnings = report.warnings["warnings"] if report.warnings else []
    assert len(warnings) > len(report.flags)  # B carries more than one warning


@pytest.mark.parametrize("month", [dt.date(2024, 12, 1)])
def test_city_departments_hold_only_their_activities(tmp_path: Path, month: dt.date) -> None:
    data = tmp_path / "data"
    write_csv(data / "项目台账.csv", [project("A")])
    write_csv(
        data / "招商活动台账.csv",
        [
            ["2024-12-03", "带队招商", "海南区", "王某", "是"],
            ["2024-12-05", "带队招商", "市直部门", "李某", "是"],
            ["2024-11-05", "带队招商", "市商务局", "张某", "是"],
        ],
        header=["日期", "活动类型", "所属区", "带队领导", "是否主要领导"],
    )
    report = month_report.build(run(data, load_plan(), dt.date(2024, 12, 31)), month)
    assert report.dispatch is not None
    departments = month_report.city_departments(report.dispatch)
    assert departments["top_leader_trips"] == {"month": 1, "year_to_date": 2}
    assert departments["signed"] == {"month": None, "year_to_date": None}
