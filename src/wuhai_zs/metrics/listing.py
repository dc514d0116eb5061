"""The projects behind a count (a filtered list) and one project with its money and warnings."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wuhai_zs.errors import UsageError
from wuhai_zs.ledgers.columns import LEDGERS, Column
from wuhai_zs.ledgers.values import normalise_id
from wuhai_zs.metrics.base import (
    absent,
    arrivals_table,
    fen_by_project,
    fen_wan,
    num,
    row_location,
)
from wuhai_zs.metrics.projects import Filters, require_projects
from wuhai_zs.metrics.warnings import check as check_warnings
from wuhai_zs.pipeline import Checked

# The columns of a listing, in order; the detail of one project shows every ledger column.
LIST_KEYS = (
    "project_id",
    "name",
    "district",
    "industry",
    "stage",
    "source_region",
    "total_investment",
    "signed_on",
    "started_on",
    "leader",
)
# JSON keys say their unit (万元, 万美元, 亩).
UNIT_SUFFIX = {"money": "_wan", "usd": "_wan_usd", "area": "_mu"}


def json_key(column: Column) -> str:
    """The column's key with its unit (land_mu stays land_mu, not land_mu_mu)."""
    suffix = UNIT_SUFFIX.get(column.kind, "")
    return column.key if column.key.endswith(suffix) else column.key + suffix


def _value(value: Any, kind: str) -> Any:
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return None
    if kind in ("date", "month"):
        return pd.Timestamp(value).date().isoformat()
    if kind in ("money", "usd", "area", "number", "share"):
        return num(float(value))
    if kind in ("int", "year"):
        return int(value)
    if kind == "bool":
        return bool(value)
    return str(value)


def _record(row: pd.Series, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    columns = LEDGERS["projects"].columns
    chosen = [c for c in columns if keys is None or c.key in keys]
    if keys is not None:
        chosen.sort(key=lambda c: keys.index(c.key))
    return {json_key(c): _value(row.get(c.key), c.kind) for c in chosen}


def _wan(cents: int) -> float | None:
    return num(fen_wan(cents))


# ---------------------------------------------------------------- the list
@dataclass
class ProjectListResult:
    as_of: str
    filters: Filters
    projects: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "filters": self.filters.to_dict(),
            "count": len(self.projects),
            "projects": self.projects,
            "notes": self.notes,
        }


def project_list(checked: Checked, filters: Filters | None = None) -> ProjectListResult:
    """Every accepted project that passes the filters, in ledger order, with its 到位资金."""
    filters = filters or Filters()
    projects = filters.apply(require_projects(checked), checked.plan)
    arrived = arrivals_table(checked)
    capital = None if arrived is None else fen_by_project(arrived)
    rows = []
    for _, row in projects.iterrows():
        record = _record(row, LIST_KEYS)
        pid = str(row["project_id"])
        record["capital_wan"] = None if capital is None else _wan(int(capital.get(pid, 0)))
        rows.append(record)
    notes = []
    if capital is None:
        notes.append(f"{absent(checked, 'arrivals')}：到位资金为无数据")
    if filters.label:
        notes.append(f"筛选：{filters.label}")
    return ProjectListResult(checked.as_of.date().isoformat(), filters, rows, notes)


# ---------------------------------------------------------------- one project
@dataclass
class ProjectDetail:
    as_of: str
    project: dict[str, Any]
    where: str
    capital_wan: float | None
    capital_counted_wan: float | None
    arrivals: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def project_detail(checked: Checked, project_id: str) -> ProjectDetail:
    """One accepted project: every column, its arrivals up to as-of (纳统 or why not), its
    warnings. A project that is not in the ledger, or whose row was rejected, is a usage error."""
    projects = require_projects(checked)
    wanted = normalise_id(project_id)
    ids = {normalise_id(str(p)): str(p) for p in projects.index}
    if wanted not in ids:
        _not_found(checked, project_id, wanted, list(ids.values()))
    pid = ids[wanted]
    row = projects.loc[pid]
    arrivals = arrivals_table(checked)
    items: list[dict[str, Any]] = []
    capital = counted = None
    if arrivals is not None:
        mine = arrivals[(arrivals["project_id"].astype(str) == pid).to_numpy(dtype=bool)]
        mine = mine.sort_values(["when", "_row"], kind="stable")
        cents = mine["fen"].to_numpy()
        capital = _wan(int(cents.sum()))
        counted = _wan(int(cents[mine["counted"].to_numpy(dtype=bool)].sum()))
        for (_, a), amount in zip(mine.iterrows(), cents, strict=True):
            items.append(
                {
                    "date": _value(a["date"], "date"),
                    "month": _value(a["month"], "month"),
                    "amount_wan": _wan(int(amount)),
                    "fdi_wan_usd": _value(a["fdi_usd"], "usd"),
                    "counted": bool(a["counted"]),
                    "not_counted": None if a["counted"] else str(a["not_counted"]),
                    "where": row_location(checked.data, a["_src"], a["_row"]),
                }
            )
    warnings = [
        w.to_dict() for w in check_warnings(checked, Filters()).warnings if w.project_id == pid
    ]
    notes = [] if arrivals is not None else [f"{absent(checked, 'arrivals')}：到位资金为无数据"]
    return ProjectDetail(
        as_of=checked.as_of.date().isoformat(),
        project=_record(row),
        where=row_location(checked.data, row["_src"], row["_row"]),
        capital_wan=capital,
        capital_counted_wan=counted,
        arrivals=items,
        warnings=warnings,
        notes=notes,
    )


def _not_found(checked: Checked, typed: str, wanted: str, known: list[str]) -> None:
    frame = checked.data.frame("projects")
    if frame is not None:
        rejected = frame[
            frame["_reject"] & (frame["project_id"].astype(str).map(normalise_id) == wanted)
        ]
        if len(rejected):
            first = rejected.iloc[0]
            where = row_location(checked.data, first["_src"], first["_row"])
            raise UsageError(
                f"--id “{typed}”所在的行有错误，未计入任何数字（{where}；用 wuhai-zs validate 查看）"
            )
    near = difflib.get_close_matches(wanted, known, n=5, cutoff=0.6)
    text = f"--id “{typed}”不在项目台账中"
    if near:
        text += f"，你是不是要用 {'、'.join(near)}"
    raise UsageError(text + "（用 wuhai-zs projects --list 列出全部项目）")
