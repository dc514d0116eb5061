"""Vectorised parsing of cell text: numbers, money units, dates, months, years, yes/no, tags."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wuhai_zs.errors import SourceError
from wuhai_zs.ledgers.columns import FIRST_YEAR, LAST_YEAR

STR = pd.StringDtype("pyarrow")

MISSING_TOKENS = ("", "—", "——", "-", "--", "－", "/", "／", "\\", "无")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％／：　", "0123456789.,-+%/: ")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates this far out are typing mistakes, not plans.
DATE_MIN = pd.Timestamp(FIRST_YEAR, 1, 1)
DATE_MAX = pd.Timestamp(LAST_YEAR, 12, 31)

_DATE_RE = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_MONTH_RE = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$"
# An Excel serial day number; a fraction is the time of day, which a date does not keep.
_SERIAL_RE = r"^\d{4,5}(?:\.\d+)?$"
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


def arrow(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow array behind a text column (no copy for Arrow-backed strings)."""
    return pa.chunked_array(s.astype(STR).array.__arrow_array__())


def positions(keys: pd.Series, table: pd.Series) -> np.ndarray:
    """Where each key first stands in `table`, -1 where absent: one hash pass in Arrow."""
    found = pc.index_in(arrow(keys), value_set=arrow(table).combine_chunks())
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


def take(values: pd.Series, where: np.ndarray, index: pd.Index) -> pd.Series:
    """values at positions `where` (NA where -1), labelled with `index`."""
    missing = where < 0
    if len(values) == 0:
        return pd.Series(pd.NA, index=index, dtype=values.dtype)
    if values.dtype == STR:  # Arrow strings: Arrow's take, no Python objects
        picked = pc.take(arrow(values), pa.array(where, mask=missing))
        return pd.Series(pd.array(picked, dtype=STR), index=index)
    out = values.iloc[np.where(missing, 0, where)]
    out.index = index
    return out.where(~missing) if missing.any() else out


def codes(values: pd.Series) -> np.ndarray:
    """A small integer per distinct value (equal values, equal codes; -1 for NA)."""
    encoded = pc.dictionary_encode(arrow(values).combine_chunks())
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


_MISSING = pa.array(MISSING_TOKENS, pa.large_string())


def clean(s: pd.Series) -> pd.Series:
    """Trimmed text with NA for every form of "missing"."""
    text = pc.utf8_trim_whitespace(arrow(s))
    missing = pc.is_in(text, value_set=_MISSING.cast(text.type))
    cleaned = pc.if_else(missing, pa.scalar(None, text.type), text)
    return pd.Series(pd.array(cleaned, dtype=STR), index=s.index)


def _halfwidth(text: pd.Series) -> pd.Series:
    if text.str.contains(r"[０-９．，－＋％／：　]", regex=True).any():
        text = text.map(lambda v: v.translate(_FULLWIDTH), na_action="ignore").astype(STR)
    return text


def _normalise_digits(text: pd.Series) -> pd.Series:
    return _halfwidth(text).str.replace(r"[\s,]", "", regex=True)


# Thousands separators (a comma, or a space) must group three digits: `1,234.56` and `1 234` are
# numbers, `1,2` and `1.234,5` are not (read as 12 and 1.2345 they would be silent errors).
_GROUPED_RE = r"^[+-]?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?$"
_SEPARATOR_RE = r"[,\s]"


def _grouped_numbers(text: pd.Series) -> pd.Series:
    """Numbers from text whose separators group three digits; NaN for any other text."""
    half = _halfwidth(text).str.strip()
    grouped = half.str.fullmatch(_GROUPED_RE).fillna(False).astype(bool)
    plain = ~half.str.contains(_SEPARATOR_RE, regex=True).fillna(False).astype(bool)
    candidate = half.where(plain, half.str.replace(_SEPARATOR_RE, "", regex=True).where(grouped))
    return pd.to_numeric(candidate, errors="coerce").astype("float64")


# A number this large cannot be an amount, an area or a count in a ledger (1 万亿元 in 万元):
# it is a pasted bank-card or ID number. Rejecting it also keeps every sum in int64 分.
MAX_MAGNITUDE = 1e8


NUMERIC_KINDS = frozenset({"money", "usd", "area", "number", "int"})
DATE_KINDS = frozenset({"date", "month"})


def typed_cells(cells: pd.Series, kind: str) -> pd.Series:
    """Workbook cells for a column of `kind`: numbers and dates kept as typed, all else text."""
    if cells.dtype == STR:
        return cells
    blank = cells.where(cells != "")
    inferred = pd.api.types.infer_dtype(blank, skipna=True)
    if kind in NUMERIC_KINDS and inferred in (
        "floating",
        "integer",
        "mixed-integer-float",
        "empty",
    ):
        return blank.astype("float64")
    if kind in DATE_KINDS and inferred in ("date", "datetime", "empty"):
        dates = pd.to_datetime(blank, errors="coerce")
        if dates.isna().sum() == blank.isna().sum():  # nothing out of range
            return dates.astype("datetime64[s]")
    return pd.Series([cell_to_text(v) for v in cells], index=cells.index, dtype=STR)


def _in_range(dates: pd.Series) -> pd.Series:
    return dates.where((dates >= DATE_MIN) & (dates <= DATE_MAX))


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN where missing) and a mask of cells that hold text that is not a number."""
    if pd.api.types.is_float_dtype(s):
        return s.where(np.isfinite(s)), pd.Series(False, index=s.index)
    text = clean(s)
    present = text.notna()
    try:  # the common case, every cell a plain number: Arrow parses it in one pass
        fast = pc.cast(arrow(text), pa.float64()).to_numpy(zero_copy_only=False)
        num = pd.Series(fast, index=text.index, dtype="float64")
    except pa.ArrowInvalid:
        num = pd.to_numeric(text, errors="coerce")
    failed = present & num.isna()
    if failed.any():
        num = num.astype("float64")
        num.loc[failed] = _grouped_numbers(text[failed])
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
    if pd.api.types.is_datetime64_dtype(s):
        # A date-time compares by its date: 2025-09-30 10:15 is on 2025-09-30.
        out = _in_range(s.dt.floor("D"))
        return out, s.notna() & out.isna()
    text = clean(s)
    present = text.notna()
    iso = pc.strptime(arrow(text), format="%Y-%m-%d", unit="s", error_is_null=True)
    out = pd.Series(iso.to_numpy(zero_copy_only=False), index=text.index).astype("datetime64[s]")
    # Arrow rolls 2025-02-30 over into March (day 1-3): recheck those strictly.
    rolled = (out.dt.day <= 3).to_numpy(dtype=bool)
    if rolled.any():
        strict = pd.to_datetime(text[rolled], format="%Y-%m-%d", errors="coerce")
        out.loc[rolled] = strict.astype("datetime64[s]")
    todo = present & out.isna()
    if todo.any():
        rest = _halfwidth(text[todo])
        parts = rest.str.extract(_DATE_RE)
        built = _from_parts(parts[0], parts[1], parts[2])
        serial = rest.str.fullmatch(_SERIAL_RE).fillna(False) & built.isna()
        if serial.any():
            days = np.floor(pd.to_numeric(rest[serial], errors="coerce"))
            built.loc[serial] = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
        out = out.astype("datetime64[s]")
        out.loc[todo] = built
    out = _in_range(out)
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
        # Strict: 2025-02-30 is not a date (assembling from parts would roll it into March).
        parts = frame[ok].astype("int64")
        iso = (
            parts["year"].astype(str).str.zfill(4)
            + "-"
            + parts["month"].astype(str).str.zfill(2)
            + "-"
            + parts["day"].astype(str).str.zfill(2)
        )
        result.loc[ok] = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    return result


def parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First day of the month, from `2025-03`, `2025年3月` or any full date."""
    if pd.api.types.is_datetime64_dtype(s):
        out = _in_range(s.dt.to_period("M").dt.start_time.astype("datetime64[s]"))
        return out, s.notna() & out.isna()
    text = clean(s)
    present = text.notna()
    rest = _halfwidth(text.fillna(""))
    parts = rest.str.extract(_MONTH_RE)
    out = _from_parts(parts[0], parts[1], pd.Series("1", index=s.index))
    need_date = present & out.isna()
    if need_date.any():
        as_date, _ = parse_date(text[need_date])
        out.loc[need_date] = as_date.dt.to_period("M").dt.start_time
    out = _in_range(out)
    return out, present & out.isna()


def parse_year(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = clean(s)
    present = text.notna()
    year = pd.to_numeric(
        _normalise_digits(text.fillna("")).str.extract(_YEAR_RE)[0], errors="coerce"
    )
    year = year.where((year >= FIRST_YEAR) & (year <= LAST_YEAR)).astype("Int64")
    return year, present & year.isna()


def whole_numbers(num: pd.Series, bad: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parsed numbers as whole numbers; a fraction is marked bad (too-large ones are NaN first)."""
    whole = num.where((num == np.floor(num)) & (num.abs() <= 2**53))
    return whole.astype("Int64"), bad | (num.notna() & whole.isna())


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = clean(s)
    key = text.str.lower()
    mapped = key.map(YES_NO, na_action="ignore")
    result = mapped.astype("boolean")
    return result, text.notna() & result.isna()


def explode_tags(s: pd.Series) -> pd.Series:
    """One row per tag, indexed by the row it came from (cells without tags give none)."""
    present = clean(s).dropna()
    tags = present.str.split(TAG_SPLIT, regex=True).explode().str.strip()
    return tags[tags.notna() & (tags != "")]


def split_tags(s: pd.Series) -> pd.Series:
    """Each cell's tags as a list (empty list where none)."""
    grouped: dict[object, list[str]] = {i: [] for i in s.index}
    for i, tag in explode_tags(s).items():
        grouped[i].append(tag)
    return pd.Series(grouped, dtype=object).reindex(s.index)


# Money is summed in whole 分 (1 万元 = 1,000,000 分), so sums and thresholds are exact.
FEN_PER_WAN = 1_000_000


# No sum of the 分 of one call can leave int64 (2**63), even added to a few others.
FEN_SUM_LIMIT = 2**60


def fen(values: pd.Series) -> np.ndarray:
    """万元 amounts as whole 分 (missing counts as 0); refuses amounts whose sum could overflow."""
    scaled = values.fillna(0).to_numpy(dtype="float64") * FEN_PER_WAN
    if not np.abs(scaled).sum() < FEN_SUM_LIMIT:  # also catches inf and NaN
        raise SourceError(
            "金额合计超出可计算范围（单个金额均已限于 1 万亿元以内，但合计仍过大），"
            "请检查台账中的金额单位是否填错"
        )
    return np.rint(scaled).astype("int64")


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = f"[{ZERO_WIDTH}]"
_ZERO_WIDTH_TABLE = dict.fromkeys(map(ord, ZERO_WIDTH), None)


def normalise_id(text: str) -> str:
    """One identifier as matched (spec: Identifiers); normalise_ids does a whole column."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH_TABLE).strip()


def normalise_ids(s: pd.Series) -> pd.Series:
    """Identifiers as matched: NFKC (full-width to half-width), zero-width and outer spaces gone.

    ASCII text is already in that form, so the common case costs one vectorised check.
    """
    text = arrow(s)
    if pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return s
    out = pc.utf8_normalize(text, form="NFKC")
    out = pc.replace_substring_regex(out, pattern=_ZERO_WIDTH, replacement="")
    out = pc.utf8_trim_whitespace(out)
    out = pc.if_else(pc.equal(out, ""), pa.scalar(None, out.type), out)
    return pd.Series(pd.array(out, dtype=STR), index=s.index)
