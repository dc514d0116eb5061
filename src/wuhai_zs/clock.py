"""Today's date, in one place: WUHAI_ZS_TODAY (YYYY-MM-DD) pins it for tests and re-runs."""

from __future__ import annotations

import datetime as dt
import os

from wuhai_zs.errors import UsageError

TODAY_ENV = "WUHAI_ZS_TODAY"


def today() -> dt.date:
    """The day the command runs; a date after it in a ledger is a typing mistake."""
    pinned = os.environ.get(TODAY_ENV, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError as exc:
        raise UsageError(f"环境变量 {TODAY_ENV}“{pinned}”不是有效日期，应为 YYYY-MM-DD") from exc
