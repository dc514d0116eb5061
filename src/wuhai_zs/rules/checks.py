"""The row-level checks behind the catalogue, derived from the contract, in a declared order."""

# Each check declares the codes it can emit and the facts of other checks it reads (the rows
# another check rejected, the rows it marked); the order they run in is derived from that, so
# no check depends on its place in a list. Column rules come from `ledgers.columns`: a check
# here says how a kind of rule is judged, the contract says which columns it holds for.

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wuhai_zs import clock
from wuhai_zs.findings import Finding
from wuhai_zs.findings.catalog import BY_CODE, Rule
from wuhai_zs.findings.emit import emit
from wuhai_zs.ledgers.columns import (
    FIVE_ONES,
    LEDGERS,
    PROJECTS,
    STAGE_RANK,
    TERMINATED,
    Column,
    FromStage,
    Ledger,
    MajorProject,
    ProjectValue,
    WhenFilled,
    WhenValue,
)
from wuhai_zs.ledgers.load import Dataset
from wuhai_zs.ledgers.values import FEN_PER_WAN, codes, explode_tags, fen, positions, take
from wuhai_zs.plan.model import Plan


class UndeclaredError(RuntimeError):
    """A check emitted a code, or read a fact, that it did not declare (a programming error)."""


def rule_ledgers(rule: Rule) -> tuple[str, ...]:
    return tuple(LEDGERS) if rule.ledgers == "*" else tuple(rule.ledgers.split(","))


@dataclass(frozen=True)
class Check:
    """A check: the codes it can emit, the facts it reads, the facts it marks besides rejections.

    Facts are `<ledger>.rejected` (rows an error set aside) and marks such as
    `arrivals.repeated`. A check writes `<ledger>.rejected` for every error code it can emit on
    that ledger; a check that reads a fact runs after every other check that writes it.
    """

    run: Callable[[Context], None]
    codes: tuple[str, ...]
    reads: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.run.__name__

    @property
    def writes(self) -> frozenset[str]:
        out = set(self.marks)
        for code in self.codes:
            rule = BY_CODE[code]
            if rule.severity == "error":
                out |= {f"{ledger}.rejected" for ledger in rule_ledgers(rule)}
        return frozenset(out)


@dataclass
class Context:
    """What the checks see. Row checks judge dates against `today` only, never the as-of date:
    a date after an earlier --as-of is out of scope for a look back, not an error (pipeline)."""

    plan: Plan
    data: Dataset
    findings: list[Finding] = field(default_factory=list)
    today: pd.Timestamp = field(default_factory=lambda: pd.Timestamp(clock.today()))
    running: Check | None = None
    facts: dict[str, pd.Series] = field(default_factory=dict)
    _lookups: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict, repr=False)

    def lookup(self, ledger: str, key: str, target: str) -> np.ndarray:
        """Each row's position in `target` by `key` (-1 where absent), computed once per run:
        several checks join the arrivals to their projects."""
        found = self._lookups.get((ledger, key, target))
        if found is None:
            frame, table = self.data.frame(ledger), self.data.frame(target)
            assert frame is not None and table is not None
            found = positions(frame[key], table[key])
            self._lookups[(ledger, key, target)] = found
        return found

    def report(
        self,
        code: str,
        ledger: str,
        mask: pd.Series,
        column: str | None,
        value: pd.Series | None = None,
        extras: dict[str, Any] | None = None,
        skip_bad: bool = True,
        label: str | None = None,
    ) -> None:
        if self.running is not None and code not in self.running.codes:
            raise UndeclaredError(f"{self.running.name} emits {code} without declaring it")
        frame = self.data.ledgers[ledger].frame
        mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
        if skip_bad and column and f"_bad_{column}" in frame.columns:
            mask = mask & ~frame[f"_bad_{column}"]
        if not mask.any():
            return
        self.findings.extend(
            emit(code, ledger, frame, mask, self.data.sources, column, value, extras, label=label)
        )
        if BY_CODE[code].severity == "error":
            frame.loc[mask.to_numpy(), "_reject"] = True

    def _declared(self, fact: str, where: str) -> None:
        if self.running is not None and fact not in getattr(self.running, where):
            raise UndeclaredError(f"{self.running.name} uses {fact} without declaring it")

    def rejected(self, ledger: str) -> pd.Series:
        """Rows of a ledger that errors set aside (the check must declare `<ledger>.rejected`)."""
        self._declared(f"{ledger}.rejected", "reads")
        return self.data.ledgers[ledger].frame["_reject"].copy()

    def mark(self, fact: str, mask: pd.Series) -> None:
        self._declared(fact, "marks")
        self.facts[fact] = mask

    def marked(self, fact: str, index: pd.Index) -> pd.Series:
        self._declared(fact, "reads")
        found = self.facts.get(fact)
        return (
            pd.Series(False, index=index)
            if found is None
            else found.reindex(index, fill_value=False)
        )

    def where(self, ledger: str, row_index: pd.Index) -> pd.Series:
        """Each row's location as a person would look it up: 文件 [表] 第N行."""
        frame = self.data.ledgers[ledger].frame
        labels = [
            _location(self.data.sources[s].file, self.data.sources[s].sheet, r)
            for s, r in zip(frame.loc[row_index, "_src"], frame.loc[row_index, "_row"], strict=True)
        ]
        return pd.Series(labels, index=row_index, dtype=object)


def _location(file: str, sheet: str | None, row: int) -> str:
    return f"{file}{f' [{sheet}]' if sheet else ''} 第{row}行"


CHECKS: list[Check] = []


def check(
    *codes: str, reads: tuple[str, ...] = (), marks: tuple[str, ...] = ()
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a check with the codes it can emit and the facts it reads and marks."""

    def register(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        CHECKS.append(Check(fn, tuple(codes), reads, marks))
        return fn

    return register


def _columns(test: Callable[[Column], Any]) -> list[tuple[Ledger, Column]]:
    """Every (ledger, column) of the contract for which `test` holds."""
    return [(lg, c) for lg in LEDGERS.values() for c in lg.columns if test(c)]


def _codes(found: Sequence[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in found if c))


def _condition_codes(*types: type) -> tuple[str, ...]:
    """The codes of the conditions of these types that some column is required under."""
    conditions = [c.when for _, c in _columns(lambda c: isinstance(c.when, types))]
    return _codes([cond.code for cond in conditions if cond is not None])


def _rows_of_forms(ledger: Ledger, frame: pd.DataFrame, key: str) -> pd.Series:
    """Rows in a layout that has the column (all rows of a ledger with one layout)."""
    if not ledger.forms:
        return pd.Series(True, index=frame.index)
    names = [f.name for f in ledger.forms if key in f.columns]
    form = frame["_form"]
    if isinstance(form.dtype, pd.CategoricalDtype):  # compare the small codes, not 1M strings
        wanted = [i for i, name in enumerate(form.cat.categories) if name in names]
        return pd.Series(np.isin(form.cat.codes.to_numpy(), wanted), index=frame.index)
    return form.isin(names).fillna(False).astype(bool)


def is_empty(values: pd.Series, column: Column) -> pd.Series:
    """Cells that hold nothing, or a value the contract says counts as nothing (推进方案 否)."""
    empty = values.isna()
    if column.blank:
        empty = empty | values.astype("string").str.lower().isin(column.blank)
    return empty.fillna(True).astype(bool)


def five_ones_gaps(projects: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Which of the "五个一" each live major project lacks (bool per column; all False for the
    others): 总投资 at the plan's threshold or more, 项目阶段 not 终止."""
    major = (projects["total_investment"] >= plan.major_project.threshold).fillna(False)
    live = (projects["stage"] != TERMINATED).fillna(True)
    due = (major & live).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            key: is_empty(projects[key], PROJECTS.by_key[key]).to_numpy(dtype=bool) & due
            for key in FIVE_ONES
        },
        index=projects.index,
    )


def vocabularies(plan: Plan) -> dict[tuple[str, str], tuple[str, ...]]:
    """The values a column may hold, by (ledger, column): the checks refuse others."""
    return {
        (lg.key, c.key): c.values.resolve(plan)
        for lg, c in _columns(lambda c: c.values is not None and c.values.strict)
        if c.values is not None
    }


# ---------------------------------------------------------------- cells of one row
@check("required-cell", "required-one-of")
def required_cells(ctx: Context) -> None:
    for key, data in ctx.data.ledgers.items():
        frame = data.frame
        for form_name in frame["_form"].dropna().unique():
            form = data.spec.form_named(str(form_name))
            rows = frame["_form"] == form_name
            for col in data.spec.required(form):
                ctx.report("required-cell", key, rows & frame[col].isna(), col)
            for group in form.one_of:
                none = rows & frame[list(group)].isna().all(axis=1)
                bad = frame[[f"_bad_{c}" for c in group if f"_bad_{c}" in frame]].any(axis=1)
                label = "、".join(data.spec.by_key[c].display for c in group)
                ctx.report("required-one-of", key, none & ~bad, None, label=label)


@check("not-allowed")
def allowed_values(ctx: Context) -> None:
    for (ledger, col), allowed in vocabularies(ctx.plan).items():
        frame = ctx.data.frame(ledger)
        if frame is None:
            continue
        extras = {"allowed": "、".join(allowed)}
        if LEDGERS[ledger].by_key[col].kind != "tags":
            bad = frame[col].notna() & ~frame[col].isin(allowed)
            ctx.report("not-allowed", ledger, bad, col, extras=extras)
            continue
        if not frame[col].notna().any():
            continue
        exploded = explode_tags(frame[col])
        unknown = exploded[~exploded.isin(allowed)]
        if len(unknown):
            listed = unknown.groupby(level=0).agg("、".join)
            mask = pd.Series(frame.index.isin(listed.index), index=frame.index)
            ctx.report(
                "not-allowed", ledger, mask, col, value=listed.reindex(frame.index), extras=extras
            )


SIGN_CODES = {"positive": "not-positive", "non-negative": "negative"}


@check(*SIGN_CODES.values())
def signs(ctx: Context) -> None:
    for ledger, column in _columns(lambda c: c.sign is not None):
        frame = ctx.data.frame(ledger.key)
        if frame is None or column.sign is None:
            continue
        values = frame[column.key]
        failing = values <= 0 if column.sign == "positive" else values < 0
        failing = failing.fillna(False) & _rows_of_forms(ledger, frame, column.key)
        ctx.report(SIGN_CODES[column.sign], ledger.key, failing, column.key)


@check(*_codes([c.bounds.code if c.bounds else None for _, c in _columns(lambda c: c.bounds)]))
def bounds(ctx: Context) -> None:
    for ledger, column in _columns(lambda c: c.bounds is not None):
        frame = ctx.data.frame(ledger.key)
        if frame is None or column.bounds is None:
            continue
        values = frame[column.key]
        outside = values.notna() & ((values < column.bounds.low) | (values > column.bounds.high))
        ctx.report(column.bounds.code, ledger.key, outside, column.key)


@check("future-date")
def future_dates(ctx: Context) -> None:
    """Dates that say something happened (or a period reported on) after the day the command
    runs: a typing slip (2052 for 2025), an error on its row; it never sets the as-of date."""
    today = ctx.today
    extras = {"today": today.date()}
    for ledger, column in _columns(lambda c: c.event or c.month_of):
        frame = ctx.data.frame(ledger.key)
        if frame is None:
            continue
        values = frame[column.key]
        value = None
        if column.month_of is not None:
            year = frame[column.month_of]
            late = ((year == today.year) & (values > today.month)).fillna(False)
            value = year.astype("string") + "年1—" + values.astype("string") + "月"
        elif column.kind == "year":
            late = values > today.year
        else:
            late = values > today
            if column.kind == "month" and late.any():
                value = values.where(late).dt.strftime("%Y-%m")
        ctx.report("future-date", ledger.key, late, column.key, value=value, extras=extras)


@check("duplicate-id")
def unique_values(ctx: Context) -> None:
    for ledger, column in _columns(lambda c: c.unique):
        frame = ctx.data.frame(ledger.key)
        if frame is None:
            continue
        ids = frame[column.key]
        dup = ids.notna() & ids.duplicated(keep=False)
        if dup.any():
            others = _others(ctx, ledger.key, frame[dup], [column.key])
            ctx.report("duplicate-id", ledger.key, dup, column.key, extras={"others": others})


def _others(ctx: Context, ledger: str, rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    where = ctx.where(ledger, rows.index)
    groups = rows.groupby(keys[0] if len(keys) == 1 else keys, dropna=False).groups
    out = pd.Series("", index=rows.index, dtype=object)
    for members in groups.values():
        for i in members:
            out[i] = "；".join(where[j] for j in members if j != i)
    return out


@check("duplicate-period")
def duplicate_periods(ctx: Context) -> None:
    """One row per subject and period: parks by (园区, 年度), output by (统计范围, 年度, 月份)."""
    for ledger in LEDGERS.values():
        frame = ctx.data.frame(ledger.key)
        if frame is None or not ledger.period:
            continue
        keys = list(ledger.period)
        subject, year = keys[0], keys[1]
        filled = frame[[subject, year]].notna().all(axis=1)
        dup = filled & frame.duplicated(keys, keep=False)
        if not dup.any():
            continue
        value = frame[subject].astype(object) + " " + frame[year].astype(str) + "年"
        for extra in keys[2:]:  # a month within the year: the period is months 1 to N
            value = value + frame[extra].map(
                lambda m: "" if pd.isna(m) else f"1—{int(m)}月", na_action=None
            )
        others = _others(ctx, ledger.key, frame[dup], keys)
        ctx.report(
            "duplicate-period", ledger.key, dup, subject, value=value, extras={"others": others}
        )


# ---------------------------------------------------------------- columns that depend on others
def _required_when(ctx: Context, ledger: Ledger, frame: pd.DataFrame, column: Column) -> None:
    cond = column.when
    empty = is_empty(frame[column.key], column)
    if isinstance(cond, FromStage):
        rank = frame["stage"].map(STAGE_RANK)
        needed = (rank >= STAGE_RANK[cond.stage]).fillna(False) & empty
        extras: dict[str, Any] = {"stage": frame["stage"]}
    elif isinstance(cond, WhenValue):
        needed = (frame[cond.column] == cond.value).fillna(False) & empty
        extras = {}
    elif isinstance(cond, WhenFilled):
        needed = frame[cond.column].notna() & empty
        extras = {cond.column: frame[cond.column]}
    elif isinstance(cond, MajorProject):
        needed = five_ones_gaps(frame, ctx.plan)[column.key]
        extras = {"investment": frame["total_investment"]}
    else:
        return
    ctx.report(cond.code, ledger.key, needed, column.key, extras=extras)


ROW_CONDITIONS = (FromStage, WhenValue, WhenFilled, MajorProject)


@check(*_condition_codes(*ROW_CONDITIONS))
def required_when(ctx: Context) -> None:
    """Columns required in a situation the row itself shows (the spec's "yes*")."""
    for ledger, column in _columns(lambda c: isinstance(c.when, ROW_CONDITIONS)):
        frame = ctx.data.frame(ledger.key)
        if frame is not None:
            _required_when(ctx, ledger, frame, column)


@check("date-order", "permits-exceed")
def column_order(ctx: Context) -> None:
    """A date not before another (开工 after 签约), a count not above another (已办 ≤ 应办)."""
    for ledger, column in _columns(lambda c: c.not_before or c.not_above):
        frame = ctx.data.frame(ledger.key)
        if frame is None:
            continue
        other = column.not_before or column.not_above
        assert other is not None
        if column.not_before:
            wrong, code = frame[column.key] < frame[other], "date-order"
        else:
            wrong, code = frame[column.key] > frame[other], "permits-exceed"
        extras = {
            "other_column": ledger.by_key[other].display,
            "other_value": frame[other],
        }
        ctx.report(code, ledger.key, wrong, column.key, extras=extras)


# ---------------------------------------------------------------- arrivals against projects
def _reference(ledger: Ledger) -> Column:
    return next(c for c in ledger.columns if c.refers)


@check("unknown-project", "project-rejected", reads=("projects.rejected",))
def references(ctx: Context) -> None:
    """An arrival's 项目编号 must be a project of 项目台账, and one whose row has no error."""
    for ledger, column in _columns(lambda c: c.refers is not None):
        refers = column.refers or ""
        frame, target = ctx.data.frame(ledger.key), ctx.data.frame(refers)
        if frame is None or target is None:
            continue
        key = frame[column.key]
        at = ctx.lookup(ledger.key, column.key, refers)
        known = pd.Series(at >= 0, index=frame.index)
        ctx.report("unknown-project", ledger.key, key.notna() & ~known, column.key)
        bad = target[ctx.rejected(refers) & target[column.key].notna()]
        if len(bad):
            where = ctx.where(refers, bad.index)
            by_id = where.groupby(bad[column.key]).agg("；".join)
            hit = key.isin(by_id.index)
            if hit.any():
                extras = {"where": key.map(by_id)}
                ctx.report("project-rejected", ledger.key, hit, column.key, extras=extras)


@check("not-signed", "before-signing")
def signing(ctx: Context) -> None:
    """Money may only arrive for a project that has reached 签约 (or was signed before 终止),
    and not before its 签约日期."""
    arrivals = ctx.data.frame("arrivals")
    projects = ctx.data.frame("projects")
    if arrivals is None or projects is None:
        return
    at = ctx.lookup("arrivals", "project_id", "projects")
    known = at >= 0
    safe = np.where(known, at, 0)
    early_stages = [s for s, rank in STAGE_RANK.items() if rank < STAGE_RANK["签约"]]
    stages = projects["stage"]
    not_signed = stages.isin(early_stages) | ((stages == TERMINATED) & projects["signed_on"].isna())
    unsigned = known & not_signed.fillna(False).to_numpy(dtype=bool)[safe]
    if unsigned.any():
        stage = take(stages, at, arrivals.index)
        ctx.report(
            "not-signed",
            "arrivals",
            pd.Series(unsigned, index=arrivals.index),
            "project_id",
            extras={"stage": stage},
        )
    signed_day = projects["signed_on"].to_numpy(dtype="datetime64[s]")[safe]
    dated = arrivals["date"].notna().to_numpy(dtype=bool)
    when = arrivals["date"].to_numpy(dtype="datetime64[s]").copy()
    if not dated.all():  # a month counts as its last day
        months = arrivals["month"][~dated]
        when[~dated] = (months + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[s]")
    early = known & ~unsigned & (when < signed_day)  # NaT compares False
    if early.any():
        extras = {"signed_on": take(projects["signed_on"], at, arrivals.index)}
        for mask, column in ((early & dated, "date"), (early & ~dated, "month")):
            ctx.report(
                "before-signing",
                "arrivals",
                pd.Series(mask, index=arrivals.index),
                column,
                extras=extras,
            )


@check(*_condition_codes(ProjectValue))
def project_values(ctx: Context) -> None:
    """Columns required by what the row's project is (外资金额 of a 境外 project's money)."""
    projects = ctx.data.frame("projects")
    for ledger, column in _columns(lambda c: isinstance(c.when, ProjectValue)):
        frame = ctx.data.frame(ledger.key)
        cond = column.when
        if frame is None or projects is None or not isinstance(cond, ProjectValue):
            continue
        key = _reference(ledger).key
        at = ctx.lookup(ledger.key, key, "projects")
        matches = (projects[cond.column] == cond.value).fillna(False).to_numpy(dtype=bool)
        of_project = (at >= 0) & matches[np.where(at >= 0, at, 0)]
        if not of_project.any():
            continue
        needed = (
            pd.Series(of_project, index=frame.index)
            & (frame[cond.amount] > 0).fillna(False)
            & is_empty(frame[column.key], column)
            & _rows_of_forms(ledger, frame, column.key)
        )
        ctx.report(cond.code, ledger.key, needed, column.key, value=frame[key])


# Money against its project: a sum over 总投资 is a warning; a single arrival, or the sum, at
# this many times 总投资 or more is an error (the likely slip: 元 typed into a 万元 column).
IMPLAUSIBLE_RATIO = 10


def _series(ratio: np.ndarray, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(np.round(ratio, 1), index=frame.index)


@check(
    "implausible-amount",
    "implausible-total",
    "exceeds-investment",
    reads=("arrivals.rejected",),
)
def money_against_projects(ctx: Context) -> None:
    """Only arrivals no other check rejected are summed against their project's 总投资."""
    arrivals = ctx.data.frame("arrivals")
    projects = ctx.data.frame("projects")
    if arrivals is None or projects is None or arrivals.empty or projects.empty:
        return
    at = ctx.lookup("arrivals", "project_id", "projects")
    known = at >= 0
    safe = np.where(known, at, 0)
    investment_fen = fen(projects["total_investment"])  # per project
    invest = investment_fen[safe]  # per arrival
    amount = fen(arrivals["amount"].where(arrivals["amount"] > 0))
    live = known & (invest > 0) & (amount > 0) & ~ctx.rejected("arrivals").to_numpy(dtype=bool)
    if not live.any():
        return
    investment = take(projects["total_investment"], at, arrivals.index)
    single = live & (amount >= IMPLAUSIBLE_RATIO * invest)
    ctx.report(
        "implausible-amount",
        "arrivals",
        pd.Series(single, index=arrivals.index),
        "amount",
        extras={
            "investment": investment,
            "times": _series(amount / np.maximum(invest, 1), arrivals),
        },
    )
    rest = live & ~single
    totals = np.bincount(at[rest], weights=amount[rest], minlength=len(projects))
    ratio = np.divide(totals, investment_fen, out=np.zeros(len(projects)), where=totals > 0)
    per_row = np.where(known, ratio[safe], 0.0)
    huge = rest & (per_row >= IMPLAUSIBLE_RATIO)
    total_wan = pd.Series(totals[safe] / FEN_PER_WAN, index=arrivals.index)
    ctx.report(
        "implausible-total",
        "arrivals",
        pd.Series(huge, index=arrivals.index),
        "amount",
        extras={"total": total_wan, "investment": investment, "times": _series(per_row, arrivals)},
    )
    over = np.flatnonzero(rest & (per_row > 1) & (per_row < IMPLAUSIBLE_RATIO))
    if len(over):
        # One warning per project, on the arrival with which the sum passes 总投资.
        when = arrivals["date"].where(arrivals["date"].notna(), arrivals["month"])
        rows = pd.DataFrame(
            {"p": at[over], "when": when.to_numpy()[over], "fen": amount[over]},
            index=arrivals.index[over],
        ).sort_values(["p", "when"], kind="stable", na_position="last")
        running = rows.groupby("p")["fen"].cumsum().to_numpy()
        limit = investment_fen[rows["p"].to_numpy()]
        passed = (running > limit) & (running - rows["fen"].to_numpy() <= limit)
        mask = pd.Series(arrivals.index.isin(rows.index[passed]), index=arrivals.index)
        ctx.report(
            "exceeds-investment",
            "arrivals",
            mask,
            "amount",
            extras={"total": total_wan, "investment": investment},
        )


# Ledgers without a key of their own: projects (duplicate-id) and parks/output
# (duplicate-period) already flag both rows of a repeat.
UNKEYED = tuple(
    key for key, lg in LEDGERS.items() if not lg.period and not any(c.unique for c in lg.columns)
)


@check("repeated-row", marks=tuple(f"{key}.repeated" for key in UNKEYED))
def repeated_rows(ctx: Context) -> None:
    """Rows that repeat another source's row exactly: an error on every copy.

    The same rows arriving from two sources (a sheet and its English copy, two visible sheets
    of one ledger) would otherwise be counted twice.
    """
    for ledger in UNKEYED:
        frame = ctx.data.frame(ledger)
        if frame is None or frame["_src"].nunique() < 2:
            continue
        keys = [c.key for c in LEDGERS[ledger].columns]
        same = frame.duplicated(keys, keep=False)
        if not same.any():
            continue
        group = frame[same].groupby(keys, dropna=False, sort=False)["_src"]
        across = group.transform("nunique") > 1
        dup = pd.Series(False, index=frame.index)
        dup[across.index] = across.to_numpy()
        if dup.any():
            ctx.mark(f"{ledger}.repeated", dup)
            ctx.report(
                "repeated-row",
                ledger,
                dup,
                None,
                extras={"others": _others(ctx, ledger, frame[dup], keys)},
            )


@check("probable-duplicate", reads=("arrivals.repeated",))
def arrival_duplicates(ctx: Context) -> None:
    frame = ctx.data.frame("arrivals")
    if frame is None:
        return
    when = frame["date"].where(frame["date"].notna(), frame["month"])
    usable = (
        frame["project_id"].notna()
        & when.notna()
        & (frame["_form"] == "log")
        & (frame["amount"] > 0)
        & ~ctx.marked("arrivals.repeated", frame.index)  # already an error on every copy
    )
    # Integer keys hash far faster than strings: the project's position, the day, the 分.
    # One int64 (project, day) finds the few candidates; the amount is compared among them.
    project = codes(frame["project_id"])
    day = when.to_numpy(dtype="datetime64[D]").astype("int64")
    same_day = pd.Series((project << 20) + (day & 0xFFFFF)).duplicated(keep=False).to_numpy()
    candidates = usable.to_numpy(dtype=bool) & same_day
    dup = pd.Series(False, index=frame.index)
    if candidates.any():
        keyed = pd.DataFrame(
            {
                "p": project[candidates],
                "w": day[candidates],
                "a": fen(frame["amount"][candidates]),
            },
            index=frame.index[candidates],
        )
        dup[candidates] = keyed.duplicated(keep=False).to_numpy()
    if dup.any():
        count = keyed[dup[keyed.index].to_numpy()].groupby(["p", "w", "a"])["p"].transform("size")
        ctx.report(
            "probable-duplicate",
            "arrivals",
            dup,
            "project_id",
            extras={"date": when, "amount": frame["amount"], "count": count.reindex(frame.index)},
        )


@check("ytd-mismatch")
def year_to_date(ctx: Context) -> None:
    frame = ctx.data.frame("arrivals")
    if frame is None:
        return
    monthly = frame[
        (frame["_form"] == "monthly") & frame["month"].notna() & frame["project_id"].notna()
    ]
    if monthly.empty or monthly["year_to_date"].notna().sum() == 0:
        return
    ordered = monthly.sort_values(["project_id", "month"], kind="stable")
    running = (
        pd.Series(fen(ordered["amount"]), index=ordered.index)
        .groupby([ordered["project_id"], ordered["month"].dt.year])
        .cumsum()
        / FEN_PER_WAN
    )
    ytd = ordered["year_to_date"]
    off = ytd.notna() & ((ytd - running).abs() > 0.005)
    mask = frame.index.isin(off[off].index)
    ctx.report(
        "ytd-mismatch",
        "arrivals",
        pd.Series(mask, index=frame.index),
        "year_to_date",
        extras={"expected": running.reindex(frame.index), "month": frame["month"].dt.month},
    )


def ordered(checks: Sequence[Check]) -> list[Check]:
    """The checks in an order that honours what each reads: a check runs after every other
    check that writes a fact it reads (ties keep the given order). A cycle is an error."""
    pending = list(checks)
    done: list[Check] = []
    while pending:
        ready = next(
            (
                c
                for c in pending
                if not any(o is not c and o.writes & set(c.reads) for o in pending)
            ),
            None,
        )
        if ready is None:
            names = "、".join(c.name for c in pending)
            raise UndeclaredError(f"checks wait on each other: {names}")
        done.append(ready)
        pending.remove(ready)
    return done


def run_checks(ctx: Context, checks: Sequence[Check] | None = None) -> None:
    for item in ordered(CHECKS if checks is None else checks):
        ctx.running = item
        try:
            item.run(ctx)
        finally:
            ctx.running = None
