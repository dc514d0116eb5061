"""The plan's key tasks (its [[tasks]] tables) and the units that lead or share each."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from wuhai_zs.plan.model import Plan, Task

# How the plan text names every district at once in a task's list of units.
ALL_DISTRICTS = "各区"

Role = Literal["lead", "responsible"]
ROLE_ZH = {"lead": "牵头", "responsible": "责任"}


def known_units(tasks: Sequence[Task], districts: Sequence[str]) -> list[str]:
    """Every unit named in the tasks, then the districts that 各区 stands for."""
    names: dict[str, None] = {}
    for t in tasks:
        names.update(dict.fromkeys([*t.lead, *t.responsible]))
    names.update(dict.fromkeys(districts))
    return list(names)


def names_for(
    unit: str,
    districts: Sequence[str],
    known: Sequence[str],
    aliases: dict[str, list[str]] | None = None,
) -> list[str]:
    """The names under which a unit appears in the tasks (a district also answers to 各区)."""
    unit = "".join(unit.split())
    candidates = [unit, *(aliases or {}).get(unit, ())]
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


def tasks_for(unit: str | None, plan: Plan) -> TasksResult:
    """All the plan's tasks, or those a unit leads or shares; an unknown unit gets near names."""
    tasks = sorted(plan.tasks, key=lambda t: t.number)
    if unit is None:
        return TasksResult(None, [], [TaskRole(t, None, "") for t in tasks], total=len(tasks))
    known = known_units(tasks, plan.districts)
    names = names_for(unit, plan.districts, known, plan.unit_aliases)
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
