"""First-page figures: this month and year, pace needed against recent pace, lights, what lags."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from wuhai_zs.metrics.base import arrivals_table, fen_wan, months_elapsed, num, wan_yi
from wuhai_zs.metrics.rounding import pct, points
from wuhai_zs.metrics.targets import TargetResult
from wuhai_zs.pipeline import Checked

PACE_WINDOW = 12  # months of the recent pace
# A target behind its schedule by more than this many 个百分点 gets a red light, less a yellow.
RED_POINTS = 5.0
Light = Literal["green", "yellow", "red", "grey"]
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "无灯"}
LIGHT_RULE = (
    f"绿灯：已完成或符合序时进度；黄灯：落后序时进度不超过 {RED_POINTS:g} 个百分点；"
    f"红灯：落后序时进度超过 {RED_POINTS:g} 个百分点，或考核期结束未完成；无灯：无数据或待数据。"
)
RATE_UNIT = "比率"


@dataclass
class CapitalPace:
    """The 到位资金 target's pace: what is still needed a month against what the last months gave.

    Money is counted 到位资金 in 亿元 (6 decimals). `recent_*` covers the last `window_months`
    whole months of the plan period up to as-of (12, fewer early in the period); the
    projection carries that pace to the period's end.
    """

    target_yi: float
    actual_yi: float
    month_yi: float  # counted in the as-of month, to as-of
    year_yi: float  # counted from 1 January of the as-of year to as-of
    last_year_yi: float | None  # the same period a year earlier; None without ledger rows then
    months_left: int
    remaining_yi: float  # still to arrive (0 once met)
    needed_per_month_yi: float | None  # None once met or when no month is left
    window_months: int
    window_yi: float
    recent_per_month_yi: float | None  # None when no whole month has passed
    projected_yi: float | None  # actual + recent pace × months left
    projected_completion: float | None
    needed_ratio: float | None  # needed a month ÷ recent pace a month

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def capital_pace(checked: Checked, target_wan: float) -> CapitalPace | None:
    """The pace of counted 到位资金 against the cumulative target; None without arrivals."""
    arrivals = arrivals_table(checked)
    if arrivals is None:
        return None
    plan = checked.plan
    as_of = checked.as_of
    counted = arrivals[arrivals["counted"]]
    when = counted["when"]
    cents = counted["city_fen"].to_numpy()  # the city's share, as the 800 亿 figure counts

    def total(start: pd.Timestamp, end: pd.Timestamp) -> Decimal:
        mask = ((when >= start) & (when <= end)).to_numpy(dtype=bool)
        return fen_wan(cents[mask].sum())

    start = pd.Timestamp(plan.start)
    actual = total(start, as_of)
    month_start = pd.Timestamp(as_of.year, as_of.month, 1)
    year_start = pd.Timestamp(as_of.year, 1, 1)
    year_ago = as_of - pd.DateOffset(years=1)
    had_last_year = bool((arrivals["when"].dt.year == as_of.year - 1).any())
    elapsed = months_elapsed(plan, as_of)
    months_left = plan.period_months - elapsed
    window = min(PACE_WINDOW, elapsed)
    window_end = start + pd.DateOffset(months=elapsed) - pd.Timedelta(days=1)
    window_start = window_end + pd.Timedelta(days=1) - pd.DateOffset(months=window)
    recent = total(window_start, window_end) if window else Decimal(0)
    target = Decimal(str(target_wan))
    remaining = max(target - actual, Decimal(0))
    needed = remaining / months_left if months_left and remaining else None
    pace = recent / window if window else None
    projected = actual + pace * months_left if pace is not None else None
    return CapitalPace(
        target_yi=wan_yi(target, 6),
        actual_yi=wan_yi(actual, 6),
        month_yi=wan_yi(total(month_start, as_of), 6),
        year_yi=wan_yi(total(max(year_start, start), as_of), 6),
        last_year_yi=wan_yi(total(year_start - pd.DateOffset(years=1), year_ago), 6)
        if had_last_year
        else None,
        months_left=months_left,
        remaining_yi=wan_yi(remaining, 6),
        needed_per_month_yi=wan_yi(needed, 6),
        window_months=window,
        window_yi=wan_yi(recent, 6),
        recent_per_month_yi=wan_yi(pace, 6),
        projected_yi=wan_yi(projected, 6),
        projected_completion=None if projected is None or not target else num(projected / target),
        needed_ratio=None if needed is None or not pace else num(needed / pace),
    )


def is_rate(result: TargetResult) -> bool:
    return result.unit == RATE_UNIT


def schedule_points(result: TargetResult) -> float | None:
    """How far ahead (+) or behind (−) what is due now, in 个百分点, from the shown figures.

    For a rate target (增速): the rate against the target rate. For any other: the share of
    the target completed against the share due (序时进度).
    """
    if result.actual is None or result.target is None:
        return None
    if is_rate(result):
        return points(result.actual, result.target)
    return points(result.completion, result.expected)


def light(result: TargetResult) -> Light:
    """The traffic light of a target (LIGHT_RULE)."""
    if result.status in ("met", "on_track"):
        return "green"
    if result.status == "missed":
        return "red"
    if result.status == "behind":
        behind = schedule_points(result)
        return "red" if behind is not None and -behind > RED_POINTS else "yellow"
    return "grey"


def progress_words(result: TargetResult) -> str:
    """The target's progress as such reports say it: 完成目标任务的 81.3%，欠进度 10.4 个百分点."""
    if result.status not in ("met", "on_track", "behind", "missed"):
        why = f"：{result.basis}" if result.basis else ""
        return ("待数据" if result.status == "pending" else "无数据") + why
    pts = schedule_points(result)
    if is_rate(result):
        actual, target = pct(result.actual), pct(result.target)
        if result.status == "met":
            return f"达到 {actual}，达到目标（{target}）"
        return f"达到 {actual}，低于目标（{target}）{abs(pts or 0):.1f} 个百分点"
    done = f"完成目标任务的 {pct(result.completion)}" if result.completion is not None else ""
    if result.status == "met":
        return "已完成目标任务" + (f"（{pct(result.completion)}）" if result.completion else "")
    if result.status == "missed":
        return f"{done}，未完成"
    if pts is None:
        return done
    if pts >= 0:
        return f"{done}，超进度 {pts:.1f} 个百分点"
    return f"{done}，欠进度 {-pts:.1f} 个百分点"


def most_behind(results: list[TargetResult], limit: int = 3) -> list[TargetResult]:
    """The targets furthest behind: missed first, then behind, by 个百分点 behind."""

    def key(r: TargetResult) -> tuple[int, float]:
        return (0 if r.status == "missed" else 1, schedule_points(r) or 0.0)

    behind = [r for r in results if r.status in ("missed", "behind")]
    return sorted(behind, key=key)[:limit]
