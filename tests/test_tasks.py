"""`tasks`: the plan's key tasks, declared in the plan file, and a unit's share of them."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from wuhai_zs.plan.model import default_plan_text, load_plan
from wuhai_zs.plan.tasks import tasks_for

from conftest import shared, unwrap

PLAN = load_plan()
SEED = ("seed", "wuhai-investment-plan-2023-2025.txt")


def test_all_fourteen_tasks_are_there() -> None:
    tasks = PLAN.tasks
    assert [t.number for t in tasks] == list(range(1, 15))
    assert all(t.title and t.summary and t.lead and t.responsible for t in tasks)
    assert len({t.group for t in tasks}) == 5
    assert tasks[3].title == "开展“飞地”、“飞企”招商" and tasks[3].lead == ["市工信局"]
    assert tasks[6].lead == ["市区域经济合作局", "市商务局"]


def test_titles_and_groups_match_the_plan_text() -> None:
    # The text mixes full- and half-width punctuation (“(四) 围绕扩大开放,推动…”).
    text = "".join(unicodedata.normalize("NFKC", shared(*SEED).read_text("utf-8")).split())
    for task in PLAN.tasks:
        title = unicodedata.normalize("NFKC", task.title)
        assert re.search(rf"{task.number}\.{re.escape(title)}", text), task.title
        assert unicodedata.normalize("NFKC", task.group) in text, task.group


def test_a_department_sees_what_it_leads_and_shares() -> None:
    result = tasks_for("市工信局", PLAN)
    roles = {r.task.number: r.role for r in result.tasks}
    assert {n for n, role in roles.items() if role == "lead"} == {4, 5}
    assert set(roles) == {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14}
    # without the 市 prefix, the same
    assert [r.task.number for r in tasks_for("工信局", PLAN).tasks] == sorted(roles)


def test_a_district_answers_to_各区() -> None:
    result = tasks_for("海南区", PLAN)
    assert result.matched == ["海南区", "各区"]
    assert [r.task.number for r in result.tasks] == list(range(1, 15))
    assert {r.via for r in result.tasks} == {"各区"}
    gaoxin = tasks_for("高新区", PLAN)  # the plan's unit_aliases: 高新区 is also its 管委会
    assert gaoxin.matched == ["高新区", "高新技术产业开发区管委会", "各区"]
    assert len(gaoxin.tasks) == 14


def test_unknown_unit_lists_nothing_and_suggests(cli) -> None:  # type: ignore[no-untyped-def]
    result = tasks_for("公安", PLAN)
    assert result.unknown and result.tasks == [] and result.suggestions == ["市公安局"]
    shown = cli("tasks", "--unit", "公安")  # a unit that names nothing is a usage error
    assert shown.code == 2 and shown.out == ""
    (line,) = shown.err.strip().splitlines()
    assert "--unit “公安”" in line and "你是不是要用 市公安局" in line and "市工信局" in line
    assert tasks_for("完全不相干", PLAN).suggestions == []


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
    assert unit["tasks"][0]["title"] == "推动政务服务高效便捷"
    assert unit["tasks"][0]["lead"] == ["市营商办", "市行政审批和政务服务局"]
    table = cli("tasks")
    assert table.code == 0 and "强化要素保障能力" in table.out and "市委政法委" in table.out


ANOTHER_PLAN_TASKS = """
[[tasks]]
number = 1
group = "一、产业"
title = "建设新材料基地"
summary = "新的三年里的第一项任务。"
lead = ["市工信局"]
responsible = ["各区"]

[[tasks]]
number = 2
group = "二、环境"
title = "优化营商环境"
summary = "第二项任务。"
lead = ["市营商办"]
responsible = ["市工信局", "乌达区"]
"""


def _without_tasks(text: str) -> str:
    """The default plan with its [[tasks]] tables (the last part of the file) cut off."""
    return text[: text.index("\n[[tasks]]")] + "\n"


def test_tasks_of_another_plan_are_listed(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan-2026.toml"
    plan.write_text(_without_tasks(default_plan_text()) + ANOTHER_PLAN_TASKS, encoding="utf-8")
    payload = cli("tasks", "--plan", str(plan), "--json").json()
    assert payload["total"] == 2
    assert [t["title"] for t in payload["tasks"]] == ["建设新材料基地", "优化营商环境"]
    gongxin = cli("tasks", "--plan", str(plan), "--unit", "工信局", "--json").json()
    assert [(t["number"], t["role"]) for t in gongxin["tasks"]] == [(1, "lead"), (2, "responsible")]
    table = cli("tasks", "--plan", str(plan))
    assert "建设新材料基地" in table.out and "强化要素保障能力" not in table.out


def test_a_plan_without_tasks_says_so(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.toml"
    plan.write_text(_without_tasks(default_plan_text()), encoding="utf-8")
    shown = cli("tasks", "--plan", str(plan))
    assert shown.code == 0 and "计划文件中没有重点任务" in shown.out
    assert cli("tasks", "--plan", str(plan), "--json").json()["total"] == 0


def test_plan_init_writes_the_tasks(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "plan.toml"
    assert cli("plan", "init", str(target)).code == 0
    assert load_plan(target).tasks == PLAN.tasks
    assert "[[tasks]]" in target.read_text("utf-8")
