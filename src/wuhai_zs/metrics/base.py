"""Shared building blocks: the period clock, exact money sums, arrivals joined to projects."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, overload

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.ledgers.load import Dataset
from wuhai_zs.ledgers.values import FEN_PER_WAN, arrow, fen, positions, take
from wuhai_zs.pipeline import Checked
from wuhai_zs.plan.model import Plan

WAN_PER_YI = 10_000

# The 口径 line each arrival belongs to (spec, 统计口径): one line per arrival, tested in this
# order. 标记不纳统 first; then 境外 and 市内 whatever the size; then 规模以下 (区外 or 区内 below
# the threshold); then 区内 and 区外. The counted figure is the lines of the counted groups.
LINE_FLAGGED = "标记不纳统"
LINE_SMALL = "规模以下"
LINES = ("区外", "区内", "境外", "市内", LINE_SMALL, LINE_FLAGGED)
WHATEVER_SIZE = ("境外", "市内")
# 飞地 rule, shared by every figure that credits money (targets, districts, dispatch, export).
CREDIT_RULE = (
    "飞地项目的金额按飞出地分成比例计入飞出地，其余计入飞入地（不看所属区）；飞出地或飞入地在市外"
    "（如集宁先进制造业集中区）时，只计市内一方的份额，市外一方的份额不计入任何区，也不计入全市"
    "（自治区：跨盟市飞地项目按飞地模式核算）。全市合计 = 各区之和。项目个数不拆分：飞地项目"
    "整个计入其所属区。其他项目全部计入所属区。"
)


def num(value: Decimal | float | None, places: int = 6) -> float | None:
    """A figure for JSON and tables: float rounded to places, None stays None."""
    if value is None:
        return None
    return float(round(Decimal(value), places))


def fen_wan(fen_total: Any) -> Decimal:
    """Whole 分 as an exact Decimal of 万元."""
    return Decimal(int(fen_total)) / FEN_PER_WAN


def wan(values: pd.Series) -> Decimal:
    """Exact sum of 万元 amounts, as a Decimal of 万元."""
    return fen_wan(fen(values).sum())


@overload
def wan_yi(wan_total: Decimal, places: int = 10) -> float: ...
@overload
def wan_yi(wan_total: None, places: int = 10) -> None: ...
def wan_yi(wan_total: Decimal | None, places: int = 10) -> float | None:
    """万元 as 亿元 for JSON and tables, by default exact to the 分 (10 decimals); None stays None."""
    return None if wan_total is None else num(wan_total / WAN_PER_YI, places)


def fen_yi(fen_total: Any) -> float:
    """Whole 分 as 亿元 for JSON and tables, exact to the 分 (10 decimals)."""
    return wan_yi(fen_wan(fen_total))


def fen_by_project(arrivals: pd.DataFrame, column: str = "fen") -> pd.Series:
    """Whole 分 per 项目编号 (as text) over rows of the arrivals table: `fen` for the whole
    amounts, `city_fen` for the city's share of 飞地 projects."""
    return arrivals[column].groupby(arrivals["project_id"].astype(str)).sum()


def text_or_none(value: Any) -> str | None:
    """A frame value as text; None for a missing one."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value)


def row_location(data: Dataset, src: Any, row: Any) -> str:
    """A row as a person finds it: 文件 [表] 第N行."""
    info = data.sources[int(src)]
    sheet = f" [{info.sheet}]" if info.sheet else ""
    return f"{info.file}{sheet} 第{int(row)}行"


def absent(checked: Checked, *ledgers: str) -> str:
    """Why figures drawn on `ledgers` have no data, naming only the ledgers that lack it:
    缺少X台账 (not found), X台账无可用数据行 (found, but no data row was accepted)."""
    lacking = [k for k in ledgers if not checked.data.has(k)]
    missing = [LEDGERS[k].stem_zh for k in lacking if k not in checked.data.ledgers]
    empty = [LEDGERS[k].stem_zh for k in lacking if k in checked.data.ledgers]
    parts = (["缺少" + "、".join(missing)] if missing else []) + (
        ["、".join(empty) + "无可用数据行"] if empty else []
    )
    return "；".join(parts)


def months_elapsed(plan: Plan, as_of: pd.Timestamp) -> int:
    """Whole months of the plan period completed at as-of (a month counts once its last day)."""
    start = pd.Timestamp(plan.start)
    if as_of < start:
        return 0
    months = (as_of.year - start.year) * 12 + as_of.month - start.month
    if as_of == as_of + pd.offsets.MonthEnd(0):
        months += 1
    return min(months, plan.period_months)


def year_elapsed(day: pd.Timestamp) -> float:
    """序时进度 of an annual target at `day`: whole months of its year completed, ÷ 12."""
    full = day == day + pd.offsets.MonthEnd(0)
    return round((day.month - (0 if full else 1)) / 12, 6)


def month_end(day: pd.Timestamp) -> pd.Timestamp:
    return (day + pd.offsets.MonthEnd(0)).normalize()


def data_end(checked: Checked, ledger: str) -> pd.Timestamp:
    """The as-of date, or the end of the ledger's last month when its data stop earlier."""
    cov = checked.coverage.get(ledger)
    if cov is None or cov.reaches(checked.as_of):
        return checked.as_of
    return min(month_end(cov.last), checked.as_of)


def partial_units(checked: Checked) -> list[str]:
    """Plan districts with no project in the ledgers (a district's own workbook, for one)."""
    projects = checked.data.accepted("projects")
    if projects is None or projects.empty:
        return []
    present = set(projects["district"].dropna().unique())
    return [d for d in checked.plan.districts if d not in present]


def project_table(checked: Checked) -> pd.DataFrame | None:
    """Accepted projects, one row per 项目编号."""
    projects = checked.data.accepted("projects")
    if projects is None:
        return None
    return projects.drop_duplicates("project_id").set_index("project_id", drop=False)


def arrivals_table(checked: Checked) -> pd.DataFrame | None:
    """Accepted arrivals up to as-of with their project's attributes and 口径 status.

    Columns added: when (the date, or the month's first day), year, district, industry,
    region, group (区外, 区内, 市内, 境外: 香港, 澳门, 台湾 by 来源国别 are 境外), investment, flag,
    stage, signed_on, enclave, line (the 口径 line, categorical LINES), counted (bool: a line of
    the plan's counted groups), not_counted (the line when not counted), foreign (bool: 境外 and
    not flagged, the 实际利用外资 rows), fen and fdi_fen (the whole amounts in 分), city_fen and
    city_fdi_fen (the city's share: 飞地 sides outside the city left out; see CREDIT_RULE).
    Computed once per Checked; do not modify it.
    """
    if "arrivals_table" not in checked.cache:
        checked.cache["arrivals_table"] = _arrivals_table(checked)
    result: pd.DataFrame | None = checked.cache["arrivals_table"]
    return result


def _sides(projects: pd.DataFrame) -> tuple[tuple[pd.Series, np.ndarray], ...]:
    """The two sides a project's money is credited to, each (unit, share) (see CREDIT_RULE).

    A project that is not a 飞地 goes wholly (share 1) to its 所属区, and nothing to a second
    side. A 飞地 project gives its 飞出地 the 飞出地分成比例 and its 飞入地 the rest, whatever
    its 所属区. A side may be a place outside the city (e.g. 集宁先进制造业集中区).
    """
    enclave = projects["enclave"].notna().to_numpy()
    share = projects["enclave_share"].astype(float).fillna(0.0).to_numpy()
    first = projects["enclave_from"].astype(object).where(enclave, projects["district"])
    second = projects["enclave_to"].astype(object).where(enclave, None)
    return (
        (first.astype(object), np.where(enclave, share, 1.0)),
        (second, np.where(enclave, 1.0 - share, 0.0)),
    )


def credit(projects: pd.DataFrame, units: Sequence[str]) -> pd.DataFrame:
    """Who is credited with each project's money: one row per (project, unit) with its share.

    The sides of _sides that are one of the units, with a share above 0: a side outside the
    city is credited to nobody, so only the city's side counts for the city. The frame's index
    is the 项目编号.
    """
    rows = pd.concat(
        [pd.DataFrame({"unit": unit, "share": share}) for unit, share in _sides(projects)]
    )
    rows = rows[rows["unit"].isin(list(units)) & (rows["share"] > 0)]
    rows.index.name = "project_id"
    return rows


def city_shares(plan: Plan, projects: pd.DataFrame) -> pd.DataFrame:
    """Per project, the shares of its two sides (_sides) that lie in the city.

    Columns from_share, to_share (0 for a side outside the city). Money counted for the city is
    the sum of the two sides' credited 分, so that the city total equals the sum of the
    districts (credit) exactly.
    """
    units = list(plan.districts)
    (first, first_share), (second, second_share) = _sides(projects)
    return pd.DataFrame(
        {
            "from_share": np.where(first.isin(units), first_share, 0.0),
            "to_share": np.where(second.isin(units), second_share, 0.0),
        },
        index=projects.index,
    )


def credited_fen(amount: pd.Series, share: pd.Series | np.ndarray) -> np.ndarray:
    """A unit's share of 万元 amounts, in whole 分 (the one rounding every figure uses)."""
    return fen(amount * share)


def foreign_by_country(plan: Plan, countries: pd.Series) -> np.ndarray:
    """Projects whose 来源国别 is one of the plan's foreign_countries (香港, 中国香港, 香港特别行政区)."""
    codes, names = pd.factorize(countries.astype(object), use_na_sentinel=True)
    plain = (
        pd.Series(names, dtype=object)
        .astype(str)
        .str.strip()
        .str.replace(r"^中国", "", regex=True)
        .str.replace(r"(特别行政区|特区|地区|省)$", "", regex=True)
    )
    foreign = np.append(plain.isin(plan.counting.foreign_countries).to_numpy(dtype=bool), False)
    return foreign[codes]  # the sentinel -1 picks the appended False


def _project_scope(plan: Plan, projects: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per project: the 口径 line (a code into LINES), its group, and whether it is small."""
    group = projects["source_region"].map(plan.region_group).astype(object).to_numpy()
    group = np.where(foreign_by_country(plan, projects["source_country"]), "境外", group)
    flagged = (projects["counted"] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    flagged &= plan.counting.honour_counted_flag
    small = (projects["total_investment"] < plan.counting.min_project_investment).to_numpy(bool)
    line = np.full(len(projects), -1, dtype="int16")
    for i, name in enumerate(LINES[:2]):
        line[group == name] = i
    line[small & (line >= 0)] = LINES.index(LINE_SMALL)
    for name in WHATEVER_SIZE:
        line[group == name] = LINES.index(name)
    line[flagged] = LINES.index(LINE_FLAGGED)
    return line, group, small


def _categories_at(values: pd.Series, at: np.ndarray) -> pd.Categorical:
    """A project text column looked up per arrival, as a categorical (codes, not strings)."""
    encoded = pc.dictionary_encode(arrow(values).combine_chunks())
    code = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int32")
    per_row = np.where(at >= 0, code[np.where(at >= 0, at, 0)], -1)
    return pd.Categorical.from_codes(per_row, categories=encoded.dictionary.to_pylist())


def _arrivals_table(checked: Checked) -> pd.DataFrame | None:
    arrivals = checked.data.accepted("arrivals")
    projects = project_table(checked)
    if arrivals is None or projects is None:
        return None
    plan = checked.plan
    when = arrivals["date"].where(arrivals["date"].notna(), arrivals["month"])
    keep = ((arrivals["amount"].fillna(0) > 0) & (when <= checked.as_of)).to_numpy(dtype=bool)
    out = arrivals.loc[keep, ["project_id", "date", "month", "amount", "fdi_usd", "_src", "_row"]]
    out["when"] = when[keep]
    out["year"] = out["when"].dt.year
    at = positions(out["project_id"], projects["project_id"])
    for col, src in (
        ("district", "district"),
        ("industry", "industry"),
        ("region", "source_region"),
        ("stage", "stage"),
    ):
        out[col] = _categories_at(projects[src], at)
    for col, src in (
        ("investment", "total_investment"),
        ("flag", "counted"),
        ("signed_on", "signed_on"),
        ("enclave", "enclave"),
    ):
        out[col] = take(projects[src], at, out.index)
    line, group, small = _project_scope(plan, projects)
    known = at >= 0
    safe = np.where(known, at, 0)
    group_names = list(plan.regions)
    group_code = np.array([group_names.index(g) if g in group_names else -1 for g in group])
    out["group"] = pd.Categorical.from_codes(
        np.where(known, group_code[safe] if len(group_code) else -1, -1).astype("int16"),
        categories=group_names,
    )
    row_line = np.where(known, line[safe] if len(line) else -1, -1)
    out["line"] = pd.Categorical.from_codes(row_line.astype("int16"), categories=list(LINES))
    counted_lines = [LINES.index(g) for g in plan.counting.counted_groups if g in LINES]
    # The threshold holds for every counted group (a plan that counts 境外 counts its large ones).
    row_small = np.where(known, small[safe] if len(small) else False, False)
    out["counted"] = known & np.isin(row_line, counted_lines) & ~row_small
    out["not_counted"] = out["line"].where(~out["counted"])
    out["foreign"] = known & (row_line == LINES.index("境外"))
    shares = city_shares(plan, projects)
    from_share = np.where(known, shares["from_share"].to_numpy()[safe] if len(shares) else 0, 0)
    to_share = np.where(known, shares["to_share"].to_numpy()[safe] if len(shares) else 0, 0)
    out["fen"] = fen(out["amount"])
    out["city_fen"] = credited_fen(out["amount"], from_share) + credited_fen(
        out["amount"], to_share
    )
    out["fdi_fen"] = fen(out["fdi_usd"])
    out["city_fdi_fen"] = credited_fen(out["fdi_usd"], from_share) + credited_fen(
        out["fdi_usd"], to_share
    )
    return out
