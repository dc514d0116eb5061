"""Plan-file quantities: "800亿元", "15%", "230万元/亩", or bare numbers in one documented unit."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic_core import PydanticCustomError

# A bare number in the plan file is in these units (the file's header says so too).
MONEY_UNIT = "万元"
USD_UNIT = "万美元"
PER_MU_UNIT = "万元/亩"

MONEY_FACTORS = {"亿元": 10_000.0, "亿": 10_000.0, "万元": 1.0, "万": 1.0, "元": 0.0001}
USD_FACTORS = {"亿美元": 10_000.0, "万美元": 1.0, "美元": 0.0001}
PER_MU_FACTORS = {"万元/亩": 1.0, "元/亩": 0.0001}

NUMBER = r"([+-]?\d[\d,]*(?:\.\d+)?)"


def plan_error(
    message: str, field: str | tuple[str | int, ...] | None = None
) -> PydanticCustomError:
    """An error pydantic carries as data: the Chinese message, and the key it is about.

    `field` is the key below the validated model that the error is about (a path for keys
    deeper down), so that the message can point at the file's line.
    """
    context: dict[str, Any] = {"msg": message}
    if field is not None:
        context["field"] = field
    return PydanticCustomError("plan", "{msg}", context)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _number(text: str) -> float:
    if re.search(r",\d{0,2}(?!\d)|,\d{4}", text):
        raise ValueError(text)
    return float(text.replace(",", ""))


def _with_unit(value: Any, factors: dict[str, float], what: str, example: str, bare: str) -> float:
    if isinstance(value, bool):
        raise plan_error(f"应为{what}，不是 true/false（如 {example}）")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise plan_error(f"应为{what}（如 {example}）")
    text = _text(value).replace(" ", "")
    units = "|".join(re.escape(u) for u in sorted(factors, key=len, reverse=True))
    match = re.fullmatch(NUMBER + f"({units})?", text)
    if match is None:
        raise plan_error(f"“{value}”无法识别：应写成 {example}，或只写数字（单位为{bare}）")
    try:
        number = _number(match.group(1))
    except ValueError:
        raise plan_error(f"“{value}”中的数字无法识别（千分位逗号每三位一组）") from None
    unit = match.group(2)
    return number * factors[unit] if unit else number


def money(value: Any) -> float:
    """An amount in 万元: "800亿元", "5000万元", or a number of 万元."""
    return _with_unit(value, MONEY_FACTORS, "金额", "“800亿元”或“5000万元”", MONEY_UNIT)


def usd(value: Any) -> float:
    """An amount in 万美元: "2400万美元", or a number of 万美元."""
    return _with_unit(value, USD_FACTORS, "外资金额", "“2400万美元”", USD_UNIT)


def per_mu(value: Any) -> float:
    """An amount per 亩 in 万元/亩: "230万元/亩", or a number of 万元/亩."""
    return _with_unit(value, PER_MU_FACTORS, "亩均金额", "“230万元/亩”", PER_MU_UNIT)


def rate(value: Any) -> float:
    """A rate as a fraction: "15%" is 0.15; a bare number is the fraction itself (0.15).

    A bare number of 1 or more is refused: 15 nearly always means 15 %, and a yearly rate of
    100 % or more is a slip either way.
    """
    if isinstance(value, bool):
        raise plan_error("应为比率，不是 true/false（如 “15%” 或 0.15）")
    if isinstance(value, int | float):
        if abs(value) >= 1:
            raise plan_error(
                f"比率写成了 {value:g}：请写小数（{value / 100:g}）或带百分号（“{value:g}%”）"
            )
        return float(value)
    if not isinstance(value, str):
        raise plan_error("应为比率（如 “15%” 或 0.15）")
    text = _text(value).replace(" ", "")
    match = re.fullmatch(NUMBER + "(%)?", text)
    if match is None:
        raise plan_error(f"“{value}”无法识别：比率请写成“15%”或小数 0.15")
    number = float(match.group(1).replace(",", ""))
    if match.group(2):
        number /= 100
    if abs(number) >= 1:
        raise plan_error(f"比率 {value} 达到或超过 100%，不合常理：是否多写了一位？")
    return number


def yi(wan: float) -> str:
    """万元 as 亿元 text for messages: 8000000 -> "800亿元"."""
    return f"{wan / 10_000:,.4g}亿元" if abs(wan) >= 10_000 else f"{wan:,.4g}万元"
