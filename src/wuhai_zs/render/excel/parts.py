"""Pieces the monthly sheets share: the title block, status words, and per-unit figures as shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wuhai_zs.ledgers.columns import CITY_DEPARTMENT
from wuhai_zs.metrics.rounding import apportion, half_up
from wuhai_zs.render.excel.book import SHARE_COUNT, BookInfo, Sheet

if TYPE_CHECKING:
    from wuhai_zs.metrics.report import MonthReport

WAN_PER_YI = Decimal(10_000)
BLANK_OFFICE = "　" * 12
CITY_DEPARTMENTS = CITY_DEPARTMENT  # the 调度表 row of what 全市 holds beyond its districts
OUTSIDE_ROW = "飞出市外份额"
OUTSIDE_NOTE = (
    f"注：“{OUTSIDE_ROW}”为飞出市外的飞地项目中市外一方的纳统到位资金：计入全市总目标，"
    "不计入任何区。"
)


def book_info(report: MonthReport) -> BookInfo:
    plan = report.checked.plan
    return BookInfo(
        title=f"乌海市招商引资调度表（{report.label}）",
        subject=plan.name,
        office=plan.office,
        synthetic=report.synthetic,
        keywords=f"招商引资;调度表;{report.month:%Y-%m}",
    )


def opening(
    sheet: Sheet, report: MonthReport, title: str, unit: str = "", right: str | None = None
) -> None:
    """Title, 示例数据 line when the sample was used, and 填报单位 / 截至 / 单位 line."""
    office = report.checked.plan.office or BLANK_OFFICE
    sheet.title(title)
    if right is None:
        right = f"数据截至 {report.as_of_date.isoformat()}" + (f"　　单位：{unit}" if unit else "")
    sheet.byline(f"填报单位：{office}", right)


def status_zh(status: str) -> str:
    from wuhai_zs.metrics.targets import STATUS_ZH

    return STATUS_ZH.get(status, "待数据" if status == "pending" else status)


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


@dataclass
class CitySeries:
    """The city's counted 到位资金 month by month as shown: each cumulative figure rounded, each
    month's figure the difference of two shown cumulative figures, so that they all add up."""

    months: list[str]  # YYYY-MM
    month: list[float]  # 亿元, 2 decimals
    cumulative: list[float]
    expected: list[float]

    def year_to_date(self, month: str) -> float | None:
        """From January of `month`'s year (or the period's start) to `month`."""
        if month not in self.months:
            return None
        i = self.months.index(month)
        january = next(j for j in range(i + 1) if self.months[j][:4] == month[:4])
        before = self.cumulative[january - 1] if january else 0.0
        return float(Decimal(repr(self.cumulative[i])) - Decimal(repr(before)))

    def year_total(self, year: int) -> float | None:
        inside = [m for m in self.months if m.startswith(f"{year}-")]
        return self.year_to_date(inside[-1]) if inside else None


def city_series(report: MonthReport) -> CitySeries | None:
    if not report.capital_months:
        return None
    months = [m.month for m in report.capital_months]
    cumulative = [half_up(m.cumulative_yi, 2) or 0.0 for m in report.capital_months]
    month = [
        float(Decimal(repr(c)) - Decimal(repr(cumulative[i - 1] if i else 0.0)))
        for i, c in enumerate(cumulative)
    ]
    expected = [half_up(m.expected_yi, 2) or 0.0 for m in report.capital_months]
    return CitySeries(months, month, cumulative, expected)


@dataclass
class UnitFigures:
    """Per district and for 全市, as the page shows them: 亿元 apportioned so parts add up."""

    units: list[str]  # the districts, in the plan's order
    month: dict[str, dict[str, float | None]]  # indicator -> unit (and 全市) -> shown value
    year: dict[str, dict[str, float | None]]
    plan_counted: dict[str, float | None]  # 计划期累计纳统到位资金 (亿元)
    departments: dict[str, dict[str, float | None]]  # indicator -> period -> 市直部门 value
    # 纳统到位资金 the city counts beyond its districts (飞地 shares outside the city), by period
    # ("month", "year_to_date", "plan"); None where there is none
    outside: dict[str, float | None]

    @property
    def has_outside(self) -> bool:
        return any(v is not None for v in self.outside.values())


MONEY_KEYS = ("signed_investment", "capital", "capital_not_counted")


def _against(
    parts: list[Decimal], city: float | None, own: Decimal
) -> tuple[list[float | None], float | None, float | None]:
    """Districts' money as shown, against the city's figure as the 到位资金 sheet shows it.

    Returns (parts, total, outside): the parts apportioned so they add up to the city's figure;
    when that figure holds more than the districts (a 飞地 share outside the city is in the
    city's 800 亿 figure but in no district), `outside` is the difference, shown on its own row.
    """
    if city is None:
        return apportion(parts, 2, own), half_up(own, 2), None
    if abs(Decimal(repr(city)) - own) < Decimal("0.01"):
        return apportion(parts, 2, city), city, None
    shown = apportion(parts, 2)
    rest = Decimal(repr(city)) - sum((Decimal(repr(x)) for x in shown if x is not None), Decimal(0))
    return shown, city, float(rest)


def unit_figures(report: MonthReport) -> UnitFigures | None:
    """The dispatch figures of every unit as shown: money in 亿元 with 2 decimals apportioned so
    that the districts add up to 全市 (纳统到位资金 to the city's figure of the 到位资金 sheet);
    counts, rates and 亩均 as they are."""
    from wuhai_zs.metrics.dispatch import json_key
    from wuhai_zs.metrics.districts import CITY
    from wuhai_zs.metrics.report import city_departments

    dispatch = report.dispatch
    if dispatch is None:
        return None
    units = [u["unit"] for u in dispatch["units"]]
    everyone = [*dispatch["units"], dispatch["total"]]
    departments = city_departments(dispatch)
    series = city_series(report)
    label = f"{report.month:%Y-%m}"
    outside: dict[str, float | None] = {"month": None, "year_to_date": None, "plan": None}

    def period(field: str) -> dict[str, dict[str, float | None]]:
        out: dict[str, dict[str, float | None]] = {}
        for ind in dispatch["indicators"]:
            key = ind["key"]
            values = [u["values"][key][json_key(ind["unit"], field)] for u in everyone]
            shown: list[float | None]
            if key in MONEY_KEYS:  # 亿元 in the dispatch
                parts = [as_decimal(v) for v in values[:-1]]
                total = as_decimal(values[-1])
                if total is None or any(p is None for p in parts):
                    shown = [None] * len(values)
                else:
                    exact = [p for p in parts if p is not None]
                    city = None
                    if key == "capital" and series is not None:
                        city = (
                            series.month[series.months.index(label)]
                            if field == "month" and label in series.months
                            else series.year_to_date(label)
                        )
                    own = sum(exact, Decimal(0))
                    spread, whole, rest = _against(exact, city, own)
                    shown = [*spread, whole]
                    if key == "capital":
                        outside[field] = rest
            else:
                shown = list(values)
            out[key] = dict(zip([*units, CITY], shown, strict=True))
        return out

    month, year = period("month"), period("year_to_date")
    counted = {u.unit: u.counted_yi for u in report.units}
    plan_counted: dict[str, float | None] = dict.fromkeys([*units, CITY])
    if counted and all(counted.get(u) is not None for u in units):
        exact = [Decimal(repr(counted[u])) for u in units]
        city = series.cumulative[-1] if series is not None else None
        spread, whole, outside["plan"] = _against(exact, city, sum(exact, Decimal(0)))
        plan_counted = dict(zip([*units, CITY], [*spread, whole], strict=True))
    return UnitFigures(units, month, year, plan_counted, departments, outside)


def signed_count(value: Any) -> Any:
    """A project count as a cell holds it: a whole number as an int, anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


FRACTION_NOTE = "注：个数带小数的，含飞地项目按分成比例计入的份额。"


def count_formats(rows: list[list[Any]], columns: set[int]) -> list[list[str | None]] | None:
    """Row formats showing a fractional count with its decimal (SHARE_COUNT) instead of rounding
    it to look whole; None when every count is whole."""
    formats = [
        [
            SHARE_COUNT if c in columns and isinstance(v, float) and not v.is_integer() else None
            for c, v in enumerate(row)
        ]
        for row in rows
    ]
    return formats if any(f for row in formats for f in row) else None
