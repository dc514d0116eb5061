"""Rounding for display: half-up to the shown precision, and parts that add up to their total."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal


def _decimal(value: float | Decimal | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def half_up(value: float | Decimal | int | None, places: int) -> float | None:
    """`value` rounded as Excel shows it: half away from zero at `places` decimals."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-places)
    return float(_decimal(value).quantize(step, ROUND_HALF_UP))


def apportion(
    parts: Sequence[float | Decimal | None], places: int, total: float | Decimal | None = None
) -> list[float | None]:
    """Parts rounded to `places` decimals so that they add up to their total rounded the same way.

    The total is the sum of the parts unless given (it must then equal that sum up to noise
    far below the last place). Each part is its floor plus one unit for the largest
    remainders (Hamilton's method), so it is never more than one unit of the last place from
    its exact value; equal remainders go to the earlier part. None stays None.
    """
    step = Decimal(1).scaleb(-places)
    exact = [None if p is None else _decimal(p) / step for p in parts]
    known = [e for e in exact if e is not None]
    whole = sum(known, Decimal(0)) if total is None else _decimal(total) / step
    target = int(whole.quantize(Decimal(1), ROUND_HALF_UP))
    floors = [None if e is None else int(e.to_integral_value(ROUND_FLOOR)) for e in exact]
    extra = target - sum(f for f in floors if f is not None)
    order = sorted(
        (i for i, e in enumerate(exact) if e is not None),
        key=lambda i: (-(exact[i] - floors[i]), i),  # type: ignore[operator]
    )
    if not 0 <= extra <= len(order):
        # the given total is not the sum of the parts: round each on its own
        return [half_up(p, places) for p in parts]
    bumped = set(order[:extra])
    return [
        None if f is None else float((Decimal(f) + (1 if i in bumped else 0)) * step)
        for i, f in enumerate(floors)
    ]


def points(rate: float | None, other: float | None) -> float | None:
    """`rate` − `other` in 个百分点, from both as shown to one decimal of a per cent."""
    if rate is None or other is None:
        return None
    step = Decimal("0.1")
    mine = (_decimal(rate) * 100).quantize(step, ROUND_HALF_UP)
    theirs = (_decimal(other) * 100).quantize(step, ROUND_HALF_UP)
    return float(mine - theirs)


def pct(rate: float | Decimal | None, places: int = 1) -> str:
    """A rate as the page shows it: 0.8125 -> 81.3% (half up, never half to even)."""
    if rate is None:
        return "—"
    step = Decimal(1).scaleb(-places)
    return f"{(_decimal(rate) * 100).quantize(step, ROUND_HALF_UP)}%"


def amount(value: float | Decimal | None, places: int = 2) -> str:
    """An amount as the page shows it, with thousands separators: 1234.565 -> 1,234.57."""
    if value is None:
        return "—"
    step = Decimal(1).scaleb(-places)
    return f"{_decimal(value).quantize(step, ROUND_HALF_UP):,}"
