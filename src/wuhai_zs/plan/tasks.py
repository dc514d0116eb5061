"""The plan's fourteen key tasks (tasks.toml) and the units that lead or share each."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

TASKS_RESOURCE = "tasks.toml"
ALL_DISTRICTS = "各区"
# Short or older names people type, mapped to the names tasks.toml uses (see its header).
ALIASES: dict[str, tuple[str, ...]] = {
    "高新区": ("高新技术产业开发区管委会",),
    "高新区管委会": ("高新技术产业开发区管委会",),
    "乌海高新技术产业开发区": ("高新技术产业开发区管委会",),
    "市区域合作局": ("市区域经济合作局",),
    "区域合作局": ("市区域经济合作局",),
    "市政务服务局": ("市行政审批和政务服务局",),
}

Role = Literal["lead", "responsible"]
ROLE_ZH = {"lead": "牵头", "responsible": "责任"}


@dataclass(frozen=True)
class Task:
    number: int
    group: str
    title: str
    summary: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "lead": list(self.lead), "responsible": list(self.responsible)}


@lru_cache(maxsize=1)
def load_tasks() -> tuple[Task, ...]:
    """The tasks shipped in the package, in the plan's order."""
    text = resources.files("wuhai_zs.plan").joinpath(TASKS_RESOURCE).read_text("utf-8")
    rows = tomllib.loads(text)["tasks"]
    return tuple(
        Task(
            int(r["number"]),
            r["group"],
            r["title"],
            r["summary"],
            tuple(r["lead"]),
            tuple(r["responsible"]),
        )
        for r in rows
    )


def known_units(tasks: Sequence[Task], districts: Sequence[str]) -> list[str]:
    """Every unit named in the tasks, then the districts that 各区 stands for."""
    names: dict[str, None] = {}
    for t in tasks:
        names.update(dict.fromkeys(t.lead + t.responsible))
    names.update(dict.fromkeys(districts))
    return list(names)


def names_for(unit: str, districts: Sequence[str], known: Sequence[str]) -> list[str]:
    """The names under which a unit appears in the tasks (a district also answers to 各区)."""
    unit = "".join(unit.split())
    candidates = [unit, *ALIASES.get(unit, ())]
    if not unit.startswith("市"):
        candidates.append("市" + unit)
    names = [c for c in dict.fromkeys(candidates) if c in known]
    if unit in districts:
        names.append(ALL_DISTRICTS)
    return list(dict.fromkeys(names))


@dataclass
class TaskRole:
    task: Task
    role: Role | None  # None when all tasks are listed without a unit
    via: str  # the listed name that matched, e.g. 各区 for a district

    def to_dict(self) -> dict[str, Any]:
        return {**self.task.to_dict(), "role": self.role, "via": self.via}


@dataclass
class TasksResult:
    unit: str | None
    matched: list[str]
    tasks: list[TaskRole]
    suggestions: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def unknown(self) -> bool:
        return self.unit is not None and not self.matched

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "matched": self.matched,
            "unknown": self.unknown,
            "total": self.total,
            "tasks": [t.to_dict() for t in self.tasks],
            "suggestions": self.suggestions,
        }


def tasks_for(unit: str | None, districts: Sequence[str]) -> TasksResult:
    """All tasks, or those a unit leads or shares; an unknown unit gets near names instead."""
    tasks = load_tasks()
    if unit is None:
        return TasksResult(None, [], [TaskRole(t, None, "") for t in tasks], total=len(tasks))
    known = known_units(tasks, districts)
    names = names_for(unit, districts, known)
    if not names:
        typed = "".join(unit.split())
        near = difflib.get_close_matches(typed, known, n=5, cutoff=0.5)
        near += [k for k in known if typed and typed in k and k not in near]
        return TasksResult(unit, [], [], near[:8], total=len(tasks))
    roles = []
    for t in tasks:
        lead = next((n for n in names if n in t.lead), None)
        shared = next((n for n in names if n in t.responsible), None)
        if lead is not None:
            roles.append(TaskRole(t, "lead", lead))
        elif shared is not None:
            roles.append(TaskRole(t, "responsible", shared))
    return TasksResult(unit, names, roles, total=len(tasks))
