"""Vectorised parsing of cell text: numbers, money units, dates, months, years, yes/no, tags."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

STR = pd.StringDtype("pyarrow")

MISSING_TOKENS = ("", "—", "——", "-", "--", "－", "/", "／", "\\", "无")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％／：　", "0123456789.,-+%/: ")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates this far out are typing mistakes, not plans.
DATE_MIN = pd.Timestamp("1990-01-01")
DATE_MAX = pd.Timestamp("2100-12-31")

_DATE_RE = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_MONTH_RE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$"
_SERIAL_RE = r"^\d{4,5}(?:\.0+)?$"
_YEAR_RE = r"^(\d{4})(?:\.0+)?\s*(?:年度?)?$"

YES_NO = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
    "✓": True,
    "✗": False,
    "x": False,
    "t": True,
    "f": False,
    "有": True,
}
TAG_SPLIT = r"[、，,;；]"


def cell_to_text(value: object) -> str:
    """One spreadsheet cell as the text a person sees (1.0 -> '1', a date -> ISO)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def clean(s: pd.Series) -> pd.Series:
    """Trimmed text with NA for every form of "missing"."""
    text = s.astype(STR).str.strip()
    return text.mask(text.isin(MISSING_TOKENS))


def _halfwidth(text: pd.Series) -> pd.Series:
    if text.str.contains(r"[０-９．，－＋％／：　]", regex=True).any():
        text = text.map(lambda v: v.translate(_FULLWIDTH), na_action="ignore").astype(STR)
    return text


def _normalise_digits(text: pd.Series) -> pd.Series:
    return _halfwidth(text).str.replace(r"[\s,]", "", regex=True)


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN where missing) and a mask of cells that hold text that is not a number."""
    text = clean(s)
    present = text.notna()
    num = pd.to_numeric(text, errors="coerce")
    failed = present & num.isna()
    if failed.any():
        retry = pd.to_numeric(_normalise_digits(text[failed]), errors="coerce")
        num = num.astype("float64")
        num.loc[failed] = retry.astype("float64")
    num = num.astype("float64")
    num = num.where(np.isfinite(num))
    return num, present & num.isna()


def parse_share(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = clean(s)
    percent = text.str.endswith("%").fillna(False) | text.str.endswith("％").fillna(False)
    stripped = text.str.replace(r"[%％]$", "", regex=True)
    num, bad = parse_number(stripped)
    return num.where(~percent, num / 100), bad


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Timestamps from every date form of the spec; the mask marks unreadable cells."""
    text = clean(s)
    present = text.notna()
    out = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    todo = present & out.isna()
    if todo.any():
        rest = _halfwidth(text[todo])
        parts = rest.str.extract(_DATE_RE)
        built = _from_parts(parts[0], parts[1], parts[2])
        serial = rest.str.fullmatch(_SERIAL_RE).fillna(False) & built.isna()
        if serial.any():
            days = pd.to_numeric(rest[serial], errors="coerce")
            built.loc[serial] = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
        out = out.astype("datetime64[s]")
        out.loc[todo] = built
    out = out.where((out >= DATE_MIN) & (out <= DATE_MAX))
    return out, present & out.isna()


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
        }
    )
    ok = frame.notna().all(axis=1)
    result = pd.Series(pd.NaT, index=year.index, dtype="datetime64[s]")
    if ok.any():
        result.loc[ok] = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
    return result


def parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First day of the month, from `2025-03`, `2025年3月` or any full date."""
    text = clean(s)
    present = text.notna()
    rest = _halfwidth(text.fillna(""))
    parts = rest.str.extract(_MONTH_RE)
    out = _from_parts(parts[0], parts[1], pd.Series("1", index=s.index))
    need_date = present & out.isna()
    if need_date.any():
        as_date, _ = parse_date(text[need_date])
        out.loc[need_date] = as_date.dt.to_period("M").dt.start_time
    out = out.where((out >= DATE_MIN) & (out <= DATE_MAX))
    return out, present & out.isna()


def parse_year(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = clean(s)
    present = text.notna()
    year = pd.to_numeric(
        _normalise_digits(text.fillna("")).str.extract(_YEAR_RE)[0], errors="coerce"
    )
    year = year.where((year >= 1990) & (year <= 2100)).astype("Int64")
    return year, present & year.isna()


def parse_int(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    num, bad = parse_number(s)
    whole = num.where(num == np.floor(num))
    return whole.astype("Int64"), bad | (num.notna() & whole.isna())


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = clean(s)
    key = text.str.lower()
    mapped = key.map(YES_NO, na_action="ignore")
    result = mapped.astype("boolean")
    return result, text.notna() & result.isna()


def split_tags(s: pd.Series) -> pd.Series:
    """Each cell's tags as a list (empty list where none)."""
    text = clean(s).fillna("")
    return text.str.split(TAG_SPLIT, regex=True).map(
        lambda parts: [p.strip() for p in parts if p.strip()]
    )


def money_to_fen(values: pd.Series) -> np.ndarray:
    """万元 amounts as whole 分 (1 万元 = 1,000,000 分), so sums are exact."""
    return np.rint(values.fillna(0).to_numpy(dtype="float64") * 1_000_000).astype("int64")


def exact_sum(values: pd.Series) -> float:
    """Sum of 万元 amounts done in whole 分, then given back in 万元."""
    return int(money_to_fen(values).sum()) / 1_000_000


UNIT_RE = re.compile(r"^(?P<base>.*?)\((?P<unit>[^()]+)\)$")
