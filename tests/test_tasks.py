"""`tasks`: the plan's fourteen key tasks shipped as data, and a unit's share of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wuhai_zs.plan.model import load_plan
from wuhai_zs.plan.tasks import load_tasks, tasks_for

from conftest import unwrap

DISTRICTS = load_plan().districts
SEED = Path("/work/shared/seed/wuhai-investment-plan-2023-2025.txt")


def test_all_fourteen_tasks_are_there() -> None:
    tasks = load_tasks()
    assert [t.number for t in tasks] == list(range(1, 15))
    assert all(t.title and t.summary and t.lead and t.responsible for t in tasks)
    assert len({t.group for t in tasks}) == 5
    assert tasks[3].title == "开展“飞地”、“飞企”招商" and tasks[3].lead == ("市工信局",)
    assert tasks[6].lead == ("市区域经济合作局", "市商务局")


def test_titles_match_the_plan_text() -> None:
    if not SEED.exists():
        pytest.skip("the plan text lives beside the repository, not in it")
    text = SEED.read_text("utf-8")
    for task in load_tasks():
        assert re.search(rf"{task.number}\.{re.escape(task.title)}", text), task.title


def test_a_department_sees_what_it_leads_and_shares() -> None:
    result = tasks_for("市工信局", DISTRICTS)
    roles = {r.task.number: r.role for r in result.tasks}
    assert {n for n, role in roles.items() if role == "lead"} == {4, 5}
    assert set(roles) == {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14}
    # without the 市 prefix, the same
    assert [r.task.number for r in tasks_for("工信局", DISTRICTS).tasks] == sorted(roles)


def test_a_district_answers_to_各区() -> None:
    result = tasks_for("海南区", DISTRICTS)
    assert result.matched == ["海南区", "各区"]
    assert [r.task.number for r in result.tasks] == list(range(1, 15))
    assert {r.via for r in result.tasks} == {"各区"}
    gaoxin = tasks_for("高新区", DISTRICTS)
    assert "高新技术产业开发区管委会" in gaoxin.matched
    assert len(gaoxin.tasks) == 14


def test_unknown_unit_lists_nothing_and_suggests(cli) -> None:  # type: ignore[no-untyped-def]
    result = tasks_for("公安", DISTRICTS)
    assert result.unknown and result.tasks == [] and result.suggestions == ["市公安局"]
    shown = cli("tasks", "--unit", "公安")  # a unit that names nothing is a usage error
    assert shown.code == 2 and shown.out == ""
    (line,) = shown.err.strip().splitlines()
    assert "--unit “公安”" in line and "你是不是要用 市公安局" in line and "市工信局" in line
    assert tasks_for("完全不相干", DISTRICTS).suggestions == []


TASKS_KEYS = {"unit", "matched", "unknown", "total", "tasks", "suggestions"}


def test_json_keys_and_table(cli) -> None:  # type: ignore[no-untyped-def]
    payload = unwrap(cli("tasks", "--json").json(), "tasks")
    assert set(payload) == TASKS_KEYS and payload["total"] == 14 and len(payload["tasks"]) == 14
    assert set(payload["tasks"][0]) == {
        "number",
        "group",
        "title",
        "summary",
        "lead",
        "responsible",
        "role",
        "via",
    }
    unit = unwrap(cli("tasks", "--unit", "市营商办", "--json").json(), "tasks")
    assert [(t["number"], t["role"]) for t in unit["tasks"]] == [(12, "lead")]
    assert unit == tasks_for("市营商办", DISTRICTS).to_dict()
    table = cli("tasks")
    assert table.code == 0 and "强化要素保障能力" in table.out and "市委政法委" in table.out
