"""The row-level checks behind the catalogue, as column operations over whole ledgers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wuhai_zs import clock
from wuhai_zs.findings import Finding
from wuhai_zs.findings.catalog import BY_CODE
from wuhai_zs.findings.emit import emit
from wuhai_zs.ledgers.columns import ACTIVITY_KINDS, ENCLAVE_TYPES, LEDGERS, STAGE_RANK, STAGES
from wuhai_zs.ledgers.load import Dataset
from wuhai_zs.ledgers.values import FEN_PER_WAN, codes, explode_tags, fen, positions, take
from wuhai_zs.plan.model import Plan

NOT_A_PLAN = ("否", "无", "n", "no", "false", "0", "×")


@dataclass
class Context:
    """What the checks see. Row checks judge dates against `today` only, never the as-of date:
    a date after an earlier --as-of is out of scope for a look back, not an error (pipeline)."""

    plan: Plan
    as_of: pd.Timestamp  # the explicit --as-of, else today
    data: Dataset
    findings: list[Finding] = field(default_factory=list)
    today: pd.Timestamp = field(default_factory=lambda: pd.Timestamp(clock.today()))

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


Check = Callable[[Context], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def vocabularies(plan: Plan) -> dict[tuple[str, str], tuple[str, ...]]:
    """The values a column may hold, by (ledger, column): the checks refuse others."""
    return {
        ("projects", "district"): tuple(plan.districts),
        ("projects", "park"): tuple(plan.parks),
        ("projects", "industry"): tuple(plan.industries),
        ("projects", "source_region"): tuple(plan.region_group),
        ("projects", "stage"): STAGES,
        ("projects", "enclave"): ENCLAVE_TYPES,
        ("parks", "park"): tuple(plan.parks),
        ("output", "scope"): ("全市", *(c.name for c in plan.clusters)),
        ("activities", "kind"): ACTIVITY_KINDS,
    }


# Sign rules: (ledger, column, code, which rows: None for all, else the arrivals form)
SIGNS: tuple[tuple[str, str, str, str | None], ...] = (
    ("projects", "total_investment", "not-positive", None),
    ("projects", "land_mu", "negative", None),
    ("projects", "permits_required", "negative", None),
    ("projects", "permits_done", "negative", None),
    ("arrivals", "amount", "not-positive", "log"),
    ("arrivals", "fdi_usd", "not-positive", "log"),
    ("arrivals", "month_amount", "negative", "monthly"),
    ("arrivals", "year_to_date", "negative", "monthly"),
    ("arrivals", "month_fdi_usd", "negative", "monthly"),
    ("parks", "land_mu", "not-positive", None),
    ("parks", "fixed_investment", "negative", None),
    ("parks", "output", "negative", None),
    ("parks", "tax", "negative", None),
    ("output", "output", "negative", None),
    ("activities", "firms_met", "negative", None),
    ("activities", "projects_signed", "negative", None),
    ("activities", "signed_amount", "negative", None),
)

# Dates that say something happened (or a period reported on): none can be after the day the
# command runs. Such a date is a typing slip (2052 for 2025): an error on its row, and it never
# sets the default as-of date. 计划开工日期 looks ahead and is not checked.
FUTURE_DATES: tuple[tuple[str, str], ...] = (
    ("projects", "signed_on"),
    ("projects", "started_on"),
    ("projects", "completed_on"),
    ("projects", "producing_on"),
    ("arrivals", "date"),
    ("arrivals", "month"),
    ("activities", "date"),
)

# Stage reached -> the date it needs.
STAGE_DATES: tuple[tuple[str, str], ...] = (
    ("签约", "signed_on"),
    ("开工", "started_on"),
    ("竣工", "completed_on"),
    ("投产", "producing_on"),
)
DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("started_on", "signed_on"),
    ("completed_on", "started_on"),
    ("producing_on", "started_on"),
)
FIVE_ONES = ("leader", "task_force", "work_plan")
ENCLAVE_FIELDS = ("enclave_from", "enclave_to", "enclave_share")


@check
def required_cells(ctx: Context) -> None:
    for key, data in ctx.data.ledgers.items():
        frame = data.frame
        for form_name in frame["_form"].dropna().unique():
            form = data.spec.form_named(str(form_name))
            rows = frame["_form"] == form_name
            for col in form.required:
                ctx.report("required-cell", key, rows & frame[col].isna(), col)
            for group in form.one_of:
                none = rows & frame[list(group)].isna().all(axis=1)
                bad = frame[[f"_bad_{c}" for c in group if f"_bad_{c}" in frame]].any(axis=1)
                label = "、".join(LEDGERS[key].by_key[c].display for c in group)
                ctx.report("required-one-of", key, none & ~bad, None, label=label)


@check
def allowed_values(ctx: Context) -> None:
    for (ledger, col), allowed in vocabularies(ctx.plan).items():
        frame = ctx.data.frame(ledger)
        if frame is None:
            continue
        bad = frame[col].notna() & ~frame[col].isin(allowed)
        ctx.report("not-allowed", ledger, bad, col, extras={"allowed": "、".join(allowed)})
    projects = ctx.data.frame("projects")
    if projects is not None and projects["investor_tags"].notna().any():
        exploded = explode_tags(projects["investor_tags"])
        unknown = exploded[~exploded.isin(ctx.plan.tags)]
        if len(unknown):
            first_bad = unknown.groupby(level=0).agg("、".join)
            mask = projects.index.isin(first_bad.index)
            ctx.report(
                "not-allowed",
                "projects",
                pd.Series(mask, index=projects.index),
                "investor_tags",
                value=first_bad.reindex(projects.index),
                extras={"allowed": "、".join(ctx.plan.tags)},
            )


@check
def signs(ctx: Context) -> None:
    for ledger, col, code, form in SIGNS:
        frame = ctx.data.frame(ledger)
        if frame is None:
            continue
        values = frame[col]
        failing = values <= 0 if code == "not-positive" else values < 0
        if form is not None:
            failing = failing & (frame["_form"] == form)
        ctx.report(code, ledger, failing.fillna(False), col)


@check
def future_dates(ctx: Context) -> None:
    today = ctx.today
    extras = {"today": today.date()}
    for ledger, col in FUTURE_DATES:
        frame = ctx.data.frame(ledger)
        if frame is None:
            continue
        late = frame[col] > today
        if not late.any():
            continue
        value = frame[col].dt.strftime("%Y-%m") if col == "month" else None
        ctx.report("future-date", ledger, late, col, value=value, extras=extras)
    parks = ctx.data.frame("parks")
    if parks is not None:
        ctx.report("future-date", "parks", parks["year"] > today.year, "year", extras=extras)
    output = ctx.data.frame("output")
    if output is not None:
        year = output["year"]
        ctx.report("future-date", "output", year > today.year, "year", extras=extras)
        this_year = ((year == today.year) & (output["month"] > today.month)).fillna(False)
        if this_year.any():
            value = year.astype("string") + "年1—" + output["month"].astype("string") + "月"
            ctx.report("future-date", "output", this_year, "month", value=value, extras=extras)


@check
def output_months(ctx: Context) -> None:
    frame = ctx.data.frame("output")
    if frame is not None:
        month = frame["month"]
        ctx.report("month-range", "output", month.notna() & ((month < 1) | (month > 12)), "month")


@check
def unique_project_ids(ctx: Context) -> None:
    frame = ctx.data.frame("projects")
    if frame is None:
        return
    ids = frame["project_id"]
    dup = ids.notna() & ids.duplicated(keep=False)
    if dup.any():
        ctx.report(
            "duplicate-id",
            "projects",
            dup,
            "project_id",
            extras={"others": _others(ctx, "projects", frame[dup], ["project_id"])},
        )


def _others(ctx: Context, ledger: str, rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    where = ctx.where(ledger, rows.index)
    groups = rows.groupby(keys[0] if len(keys) == 1 else keys, dropna=False).groups
    out = pd.Series("", index=rows.index, dtype=object)
    for members in groups.values():
        for i in members:
            out[i] = "；".join(where[j] for j in members if j != i)
    return out


@check
def duplicate_periods(ctx: Context) -> None:
    for ledger, keys, label in (
        ("parks", ["park", "year"], "park"),
        ("output", ["scope", "year", "month"], "scope"),
    ):
        frame = ctx.data.frame(ledger)
        if frame is None:
            continue
        filled = frame[keys[:2]].notna().all(axis=1)
        dup = filled & frame.duplicated(keys, keep=False)
        if dup.any():
            value = frame[label].astype(object) + " " + frame["year"].astype(str) + "年"
            if "month" in keys:
                value = value + frame["month"].map(
                    lambda m: "" if pd.isna(m) else f"1—{int(m)}月", na_action=None
                )
            ctx.report(
                "duplicate-period",
                ledger,
                dup,
                label,
                value=value,
                extras={"others": _others(ctx, ledger, frame[dup], keys)},
            )


@check
def project_stages(ctx: Context) -> None:
    frame = ctx.data.frame("projects")
    if frame is None:
        return
    rank = frame["stage"].map(STAGE_RANK)
    for stage, col in STAGE_DATES:
        needed = (rank >= STAGE_RANK[stage]) & frame[col].isna()
        ctx.report("stage-date-missing", "projects", needed, col, extras={"stage": frame["stage"]})
    for col, other in DATE_ORDER:
        early = frame[col] < frame[other]
        ctx.report(
            "date-order",
            "projects",
            early,
            col,
            extras={
                "other_column": LEDGERS["projects"].by_key[other].display,
                "other_value": frame[other],
            },
        )


@check
def project_fields(ctx: Context) -> None:
    frame = ctx.data.frame("projects")
    if frame is None:
        return
    over = frame["permits_done"] > frame["permits_required"]
    ctx.report(
        "permits-exceed",
        "projects",
        over,
        "permits_done",
        extras={"required": frame["permits_required"]},
    )
    enclave = frame["enclave"].notna()
    for col in ENCLAVE_FIELDS:
        ctx.report(
            "enclave-incomplete",
            "projects",
            enclave & frame[col].isna(),
            col,
            extras={"enclave": frame["enclave"]},
        )
    share = frame["enclave_share"]
    ctx.report("share-range", "projects", (share < 0) | (share > 1), "enclave_share")
    foreign = frame["source_region"] == "境外"
    ctx.report(
        "foreign-country-missing",
        "projects",
        foreign & frame["source_country"].isna(),
        "source_country",
    )
    major = (frame["total_investment"] >= ctx.plan.major_project.threshold) & (
        frame["stage"] != "终止"
    )
    for col in FIVE_ONES:
        missing = frame[col].isna()
        if col == "work_plan":
            missing = missing | frame[col].str.lower().isin(NOT_A_PLAN)
        ctx.report(
            "five-ones",
            "projects",
            major & missing,
            col,
            extras={"investment": frame["total_investment"]},
        )


@check
def arrivals_against_projects(ctx: Context) -> None:
    arrivals = ctx.data.frame("arrivals")
    projects = ctx.data.frame("projects")
    if arrivals is None or projects is None:
        return
    pid = arrivals["project_id"]
    at = positions(pid, projects["project_id"])
    known = pd.Series(at >= 0, index=arrivals.index)
    ctx.report("unknown-project", "arrivals", pid.notna() & ~known, "project_id")

    rejected = projects[projects["_reject"] & projects["project_id"].notna()]
    if len(rejected):
        where = ctx.where("projects", rejected.index)
        by_id = where.groupby(rejected["project_id"]).agg("；".join)
        hit = pid.isin(by_id.index)
        if hit.any():
            ctx.report(
                "project-rejected", "arrivals", hit, "project_id", extras={"where": pid.map(by_id)}
            )

    stage = take(projects["stage"], at, arrivals.index)
    signed_on = take(projects["signed_on"], at, arrivals.index)
    region = take(projects["source_region"], at, arrivals.index)
    unsigned = known & (stage.isin(["储备", "在谈"]) | ((stage == "终止") & signed_on.isna()))
    ctx.report("not-signed", "arrivals", unsigned, "project_id", extras={"stage": stage})

    dated = arrivals["date"].notna()
    when = arrivals["date"].where(dated, arrivals["month"] + pd.offsets.MonthEnd(0))
    early = known & ~unsigned & (when < signed_on)
    ctx.report("before-signing", "arrivals", early & dated, "date", extras={"signed_on": signed_on})
    ctx.report(
        "before-signing", "arrivals", early & ~dated, "month", extras={"signed_on": signed_on}
    )

    foreign = known & (region == "境外") & (arrivals["amount"] > 0) & arrivals["fdi_usd"].isna()
    ctx.report("fdi-missing", "arrivals", foreign, "fdi_usd", value=pid, skip_bad=True)


# Money against its project: a sum over 总投资 is a warning; a single arrival, or the sum, at
# this many times 总投资 or more is an error (the likely slip: 元 typed into a 万元 column).
IMPLAUSIBLE_RATIO = 10


def _series(ratio: np.ndarray, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(np.round(ratio, 1), index=frame.index)


@check
def money_against_projects(ctx: Context) -> None:
    arrivals = ctx.data.frame("arrivals")
    projects = ctx.data.frame("projects")
    if arrivals is None or projects is None or arrivals.empty or projects.empty:
        return
    at = positions(arrivals["project_id"], projects["project_id"])
    known = at >= 0
    invest = fen(projects["total_investment"])[np.where(known, at, 0)]
    amount = fen(arrivals["amount"].where(arrivals["amount"] > 0))
    live = known & (invest > 0) & (amount > 0) & ~arrivals["_reject"].to_numpy(dtype=bool)
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
    ratio = np.divide(
        totals, fen(projects["total_investment"]), out=np.zeros(len(projects)), where=totals > 0
    )
    per_row = np.where(known, ratio[np.where(known, at, 0)], 0.0)
    huge = rest & (per_row >= IMPLAUSIBLE_RATIO)
    total_wan = pd.Series(totals[np.where(known, at, 0)] / FEN_PER_WAN, index=arrivals.index)
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
        limit = fen(projects["total_investment"])[rows["p"].to_numpy()]
        passed = (running > limit) & (running - rows["fen"].to_numpy() <= limit)
        mask = pd.Series(arrivals.index.isin(rows.index[passed]), index=arrivals.index)
        ctx.report(
            "exceeds-investment",
            "arrivals",
            mask,
            "amount",
            extras={"total": total_wan, "investment": investment},
        )


@check
def repeated_rows(ctx: Context) -> None:
    """Rows that repeat another source's row exactly: an error on every copy.

    The same rows arriving from two sources (a sheet and its English copy, two visible sheets
    of one ledger) would otherwise be counted twice. Only ledgers without a key of their own:
    projects (duplicate-id) and parks/output (duplicate-period) already flag both rows.
    """
    for ledger in ("arrivals", "activities"):
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
            frame["_repeated"] = dup.to_numpy()
            ctx.report(
                "repeated-row",
                ledger,
                dup,
                None,
                extras={"others": _others(ctx, ledger, frame[dup], keys)},
            )


@check
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
    )
    if "_repeated" in frame.columns:  # already an error on every copy
        usable &= ~frame["_repeated"]
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


@check
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


@check
def activity_leaders(ctx: Context) -> None:
    frame = ctx.data.frame("activities")
    if frame is not None:
        ctx.report(
            "leader-missing",
            "activities",
            (frame["kind"] == "带队招商") & frame["leader"].isna(),
            "leader",
        )


def run_checks(ctx: Context) -> None:
    for fn in CHECKS:
        fn(ctx)
