"""The plan as a JSON document (`plan show --json`): the plan file's keys, money with its unit."""

from __future__ import annotations

from typing import Any

from wuhai_zs.plan.model import Plan, Target

WAN_PER_YI = 10_000


def target_unit(t: Target) -> str:
    """The unit a target is judged in, as `targets` shows it."""
    if t.kind == "growth":
        return "比率"
    if t.kind == "ratio":
        return "万元/亩"
    return "万美元" if t.measure == "fdi" else "亿元"


def _yi(wan: float | None) -> float | None:
    return None if wan is None else round(wan / WAN_PER_YI, 6)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan file's tables and keys, except that a money key says its unit (docs/json.md):
    city, district and plan amounts in 亿元 (`_yi`), a single project's threshold in 万元
    (`_wan`), foreign money in 万美元 (`_wan_usd`); each target carries its `unit`, its
    `target` is in it, and a growth target's base is money (`base_yi` or `base_wan_usd`)."""
    doc = plan.model_dump(mode="json")
    counting = doc["counting"]
    counting["min_project_investment_wan"] = counting.pop("min_project_investment")
    doc["major_project"]["threshold_wan"] = doc["major_project"].pop("threshold")
    for cluster in doc["clusters"]:
        cluster["size_yi"] = _yi(cluster.pop("size"))
    targets = []
    for model, t in zip(plan.targets, doc["targets"], strict=True):
        unit = target_unit(model)
        base = t.pop("base")
        fdi = model.measure == "fdi"
        targets.append(
            {
                **{k: v for k, v in t.items() if k != "target"},
                "unit": unit,
                "target": _yi(model.value) if unit == "亿元" else model.value,
                "base_yi": None if fdi else _yi(base),
                "base_wan_usd": base if fdi else None,
            }
        )
    doc["targets"] = targets
    for unit_targets in doc["assessment"]["units"].values():
        unit_targets["capital_yi"] = _yi(unit_targets.pop("capital"))
    return doc
