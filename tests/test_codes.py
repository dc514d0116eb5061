"""Every finding code of the catalogue, fired on a real ledger file and asserted where it points.

The registry below keeps, per code, the cases that make it fire (as frictionless keeps, per
check, the errors it can emit): each case writes real files, runs the reading and the checks
(what `validate` runs) and asserts every finding of that code at its file, sheet, row and
column, written here by hand. A code added to the catalogue without a case fails
`test_every_code_has_a_case`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.findings.catalog import BY_CODE, RULES
from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import load_plan
from wuhai_zs.rules.checks import CHECKS

from conftest import (
    ACTIVITY_HEADER,
    ARRIVAL_HEADER,
    MONTH_HEADER,
    MONTHLY_HEADER,
    OUTPUT_HEADER,
    PROJECT_HEADER,
    arrival,
    ledger_folder,
    project,
    table,
    write_csv,
    write_xlsx,
)

TODAY = "2026-12-01"
AS_OF = dt.date(2025, 9, 30)
P = project
Where = tuple[str, str | None, int | None, str | None]  # file, sheet, row, column


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    build: Callable[[Path], Path]  # writes the files into a folder; returns what --data names
    where: tuple[Where, ...]  # every finding of the code: (file, sheet, row, column)
    as_of: dt.date | None = AS_OF
    ledger: str | None = None  # the finding's ledger, when it says more than the file
    today: str = TODAY
    patch: Callable[[pytest.MonkeyPatch], None] | None = None


CASES: list[Case] = []


def case(name: str, code: str, build: Callable[[Path], Path], *where: Where, **more: Any) -> None:
    CASES.append(Case(name, code, build, tuple(where), **more))


def folder(**ledgers: Any) -> Callable[[Path], Path]:
    return lambda path: ledger_folder(path, **ledgers)


def _with(build: Callable[[Path], Path], then: Callable[[Path], None]) -> Callable[[Path], Path]:
    def both(path: Path) -> Path:
        out = build(path)
        then(path)
        return out

    return both


def _arrivals_csv(header: list[str], rows: list[list[Any]]) -> Callable[[Path], None]:
    return lambda path: write_csv(path / "到位资金台账.csv", rows, header=header)


def _bytes(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda path: (path / name).write_bytes(data)


PROJECTS_CSV = "项目台账.csv"
ARRIVALS_CSV = "到位资金台账.csv"
PARKS_CSV = "园区台账.csv"
OUTPUT_CSV = "产值台账.csv"
ACTIVITIES_CSV = "招商活动台账.csv"
FOREIGN = P("P1", 来源地区="境外", 来源国别="日本")


# ---------------------------------------------------------------- files and ledgers as a whole
case(
    "a damaged workbook beside good files",
    "unreadable-file",
    _with(folder(), _bytes("海南区台账.xlsx", b"PK\x03\x04 this is not a zip")),
    ("海南区台账.xlsx", None, None, None),
    ledger="files",
)
case(
    "no parks ledger",
    "ledger-missing",
    folder(leave_out=("parks",)),
    ("", None, None, None),
    ledger="parks",
)
case(
    "an output ledger with only its header",
    "ledger-empty",
    _with(folder(leave_out=("output",)), lambda p: write_csv(p / OUTPUT_CSV, [], OUTPUT_HEADER)),
    (OUTPUT_CSV, None, None, None),
    ledger="output",
)


def _drop_last_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that loses a record, as a bug in it would."""
    from wuhai_zs.ledgers import read

    real = read.split_records

    def lossy(text: str, *args: Any, **kwargs: Any) -> Any:
        records, starts, spans, untrusted = real(text, *args, **kwargs)
        if len(records) > 1 and not kwargs.get("limit") and (len(args) < 3 or not args[2]):
            return records[:-1], starts[:-1], spans[:-1], untrusted
        return records, starts, spans, untrusted

    monkeypatch.setattr(read, "split_records", lossy)


# `line-count` guards the CSV reader itself: every record it splits is checked against the
# lines of the file, and no file makes a correct reader lose one (quoted line breaks, unclosed
# quotes and every line end are counted, see test_reading_loss and test_properties). So this
# case breaks the reader (a record lost, as a bug would lose it) on a real file with quotes.
case(
    "the reader loses a record of a quoted CSV",
    "line-count",
    _with(
        folder(leave_out=("arrivals",)),
        _arrivals_csv(
            ARRIVAL_HEADER,
            [["P1", "2023-02-01", 100, "", '"首笔"'], ["P2", "2023-04-01", 200, "", ""]],
        ),
    ),
    (ARRIVALS_CSV, None, None, None),
    patch=_drop_last_record,
)

# ---------------------------------------------------------------- structure of a sheet
case(
    "parks without 用地面积",
    "missing-column",
    _with(
        folder(leave_out=("parks",)),
        lambda p: write_csv(
            p / PARKS_CSV, [["海南产业园", 2024, 100]], header=["园区", "年度", "面积"]
        ),
    ),
    (PARKS_CSV, None, 1, None),
)


def _two_amount_columns(path: Path) -> Path:
    from openpyxl import Workbook

    ledger_folder(path, leave_out=("arrivals",))
    wb = Workbook()
    hidden = wb.active
    hidden.title = "到位资金台账"
    hidden.append(["项目编号", "到位日期", "到位金额（万元）", "到位金额（万元）"])
    hidden.append(["P1", "2023-02-01", 999, 100])
    hidden.column_dimensions["C"].hidden = True
    both = wb.create_sheet("arrivals")
    both.append(["项目编号", "到位日期", "到位金额（万元）", "到位金额"])
    both.append(["P2", "2023-04-01", 80, 80])
    both.append(["P2", "2023-04-02", 70, 7])
    wb.save(path / "台账.xlsx")
    return path


case(
    "two visible amount columns",
    "duplicate-column",
    _two_amount_columns,
    ("台账.xlsx", "arrivals", 1, "到位金额（万元）"),
)
case(
    "an amount column beside its hidden twin",
    "hidden-duplicate-column",
    _two_amount_columns,
    ("台账.xlsx", "到位资金台账", 1, "到位金额（万元）"),
)
case(
    "two amount columns that differ on a row",
    "column-conflict",
    _two_amount_columns,
    ("台账.xlsx", "arrivals", 3, "到位金额（万元）"),
)


def _note_far_away(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    for row in table([P("P1"), P("P2")], PROJECT_HEADER):
        ws.append(row)
    ws["XFD3"] = "补充说明"
    wb.save(path / "台账.xlsx")
    return path


case(
    "a note in a column without a header",
    "cell-outside-table",
    _note_far_away,
    ("台账.xlsx", "项目台账", 3, "XFD列"),
)
case(
    "an unquoted 1,234.56 shifts a CSV row",
    "extra-cells",
    _with(
        folder(leave_out=("arrivals",)),
        lambda p: (p / ARRIVALS_CSV).write_text(
            "项目编号,到位日期,到位金额（万元）,备注\nP1,2023-02-01,100,\nP2,2023-04-01,1,234.56,\n",
            "utf-8",
        ),
    ),
    (ARRIVALS_CSV, None, 3, None),
)
case(
    "a quote that never closes",
    "unclosed-quote",
    _with(
        folder(leave_out=("arrivals",)),
        lambda p: (p / ARRIVALS_CSV).write_text(
            '项目编号,到位日期,到位金额（万元）,备注\nP1,2023-02-01,100,"首笔\nP2,2023-04-01,200,\n',
            "utf-8",
        ),
    ),
    (ARRIVALS_CSV, None, 2, None),
)


def _no_unit(path: Path) -> Path:
    ledger_folder(path, leave_out=("projects",))
    header = [h.replace("（万元）", "") for h in PROJECT_HEADER]
    rows = [[r[h] for h in PROJECT_HEADER] for r in (P("P1"), P("P2"))]
    write_csv(path / PROJECTS_CSV, rows, header=header)
    return path


case("总投资 without a unit", "unit-missing", _no_unit, (PROJECTS_CSV, None, 1, "总投资"))

# ---------------------------------------------------------------- cell values
case(
    "总投资 in words",
    "bad-number",
    folder(projects=[P("P1"), P("P2", **{"总投资（万元）": "两千"})]),
    (PROJECTS_CSV, None, 3, "总投资（万元）"),
)
case(
    "a comma that does not group three digits",
    "bad-number",
    folder(arrivals=[arrival("P1", "2023-02-01", "1,2")]),
    (ARRIVALS_CSV, None, 2, "到位金额（万元）"),
)
case(
    "a bank-card number pasted as an amount",
    "too-large",
    folder(arrivals=[arrival("P1", "2023-02-01", "6222021234567890123")]),
    (ARRIVALS_CSV, None, 2, "到位金额（万元）"),
)


def _error_cell(path: Path) -> Path:
    grid = table([P("P1"), P("P2")], PROJECT_HEADER)
    grid[2][PROJECT_HEADER.index("是否纳统")] = "#N/A"  # openpyxl saves it as an error cell
    write_xlsx(path / "台账.xlsx", {"项目台账": grid})
    with zipfile.ZipFile(path / "台账.xlsx") as z:
        assert b't="e"' in z.read("xl/worksheets/sheet1.xml")
    return path


case("#N/A in a workbook", "cell-error", _error_cell, ("台账.xlsx", "项目台账", 3, "是否纳统"))
case(
    "#REF! typed into a CSV",
    "cell-error",
    folder(projects=[P("P1", 投资方="#REF!"), P("P2")]),
    (PROJECTS_CSV, None, 2, "投资方"),
)


def _formula(path: Path) -> Path:
    grid = table([P("P1"), P("P2")], PROJECT_HEADER)
    grid[1][PROJECT_HEADER.index("总投资（万元）")] = "=1000*20"  # openpyxl stores no value
    write_xlsx(path / "台账.xlsx", {"项目台账": grid})
    return path


case(
    "a formula saved without its value",
    "formula-no-value",
    _formula,
    ("台账.xlsx", "项目台账", 2, "总投资（万元）"),
)
case(
    "2.5 permits",
    "bad-integer",
    folder(projects=[P("P1", 应办手续数="2.5")]),
    (PROJECTS_CSV, None, 2, "应办手续数"),
)
case(
    "month 13",
    "bad-date",
    folder(projects=[P("P1"), P("P2", 签约日期="2023-13-45")]),
    (PROJECTS_CSV, None, 3, "签约日期"),
)
case(
    "1900 is out of range",
    "bad-date",
    folder(projects=[P("P1"), P("P2", 签约日期="1900-01-01")]),
    (PROJECTS_CSV, None, 3, "签约日期"),
)
case(
    "30 February in Chinese",
    "bad-date",
    folder(projects=[P("P1"), P("P2", 签约日期="2023年2月30日")]),
    (PROJECTS_CSV, None, 3, "签约日期"),
)
case(
    "a 到位月份 of month 13",
    "bad-month",
    _with(
        folder(leave_out=("arrivals",)),
        _arrivals_csv(MONTH_HEADER, [["P1", "", "2023-02", 5], ["P1", "", "2023-13", 5]]),
    ),
    (ARRIVALS_CSV, None, 3, "到位月份"),
)
case(
    "a 报告月份 in words",
    "bad-month",
    _with(
        folder(leave_out=("arrivals",)),
        _arrivals_csv(MONTHLY_HEADER, [["P1", "二月", 100, 100]]),
    ),
    (ARRIVALS_CSV, None, 2, "报告月份"),
)
case(
    "去年 as a year",
    "bad-year",
    folder(parks=[["海南产业园", "去年", 10, 1, 1, 1]]),
    (PARKS_CSV, None, 2, "年度"),
)
case(
    "也许 as yes/no",
    "bad-yes-no",
    folder(projects=[P("P1", 是否纳统="也许")]),
    (PROJECTS_CSV, None, 2, "是否纳统"),
)
case(
    "六成 as a share",
    "bad-share",
    folder(
        projects=[P("P1", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例="六成")]
    ),
    (PROJECTS_CSV, None, 2, "飞出地分成比例"),
)

# ---------------------------------------------------------------- rules of the contract
case(
    "no 投资方",
    "required-cell",
    folder(projects=[P("P1"), P("P2", 投资方="")]),
    (PROJECTS_CSV, None, 3, "投资方"),
)
case(
    "no 到位金额",
    "required-cell",
    folder(arrivals=[arrival("P1", "2023-02-01", "")]),
    (ARRIVALS_CSV, None, 2, "到位金额（万元）"),
)
case(
    "no 本月到位资金 in a monthly report",
    "required-cell",
    _with(
        folder(leave_out=("arrivals",)), _arrivals_csv(MONTHLY_HEADER, [["P1", "2023-02", "", ""]])
    ),
    (ARRIVALS_CSV, None, 2, "本月到位资金（万元）"),
)
case(
    "neither 到位日期 nor 到位月份",
    "required-one-of",
    folder(arrivals=[arrival("P1", "", 5)]),
    (ARRIVALS_CSV, None, 2, "到位日期、到位月份"),
)
for name, column, value in (
    ("a district of another city", "所属区", "海淀区"),
    ("a park not of the plan", "所在园区", "中关村"),
    ("an industry not of the plan", "产业类别", "房地产"),
    ("a stage not of the contract", "项目阶段", "洽谈"),
    ("a region not of the plan", "来源地区", "欧洲"),
    ("a tag not of the plan", "企业标签", "上市公司、网红企业"),
    ("an enclave type not of the contract", "飞地类型", "飞来"),
):
    case(
        name,
        "not-allowed",
        folder(projects=[P("P1", **{column: value})]),
        (PROJECTS_CSV, None, 2, column),
    )
case(
    "a park not of the plan in 园区台账",
    "not-allowed",
    folder(parks=[["某园", 2024, 10, 1, 1, 1]]),
    (PARKS_CSV, None, 2, "园区"),
)
case(
    "a scope that is no cluster",
    "not-allowed",
    folder(output=[[2024, "", "钢铁", 1]]),
    (OUTPUT_CSV, None, 2, "统计范围"),
)
case(
    "an activity kind not of the contract",
    "not-allowed",
    folder(activities=[["2024-05-01", "考察", "海南区", "", "", "", "", "", ""]]),
    (ACTIVITIES_CSV, None, 2, "活动类型"),
)
case(
    "总投资 0",
    "not-positive",
    folder(projects=[P("P1", **{"总投资（万元）": 0})]),
    (PROJECTS_CSV, None, 2, "总投资（万元）"),
)
case(
    "a negative arrival",
    "not-positive",
    folder(arrivals=[arrival("P1", "2023-02-01", -5)]),
    (ARRIVALS_CSV, None, 2, "到位金额（万元）"),
)
case(
    "用地面积 0 in 园区台账",
    "not-positive",
    folder(parks=[["海南产业园", 2024, 0, 1, 1, 1]]),
    (PARKS_CSV, None, 2, "用地面积（亩）"),
)
case(
    "negative land of a project",
    "negative",
    folder(projects=[P("P1", **{"用地面积（亩）": -3})]),
    (PROJECTS_CSV, None, 2, "用地面积（亩）"),
)
case(
    "negative output",
    "negative",
    folder(output=[[2024, "", "全市", -1]]),
    (OUTPUT_CSV, None, 2, "工业总产值（万元）"),
)
case(
    "a negative month in a monthly report (0 is allowed)",
    "negative",
    _with(
        folder(leave_out=("arrivals",)),
        _arrivals_csv(MONTHLY_HEADER, [["P1", "2023-02", 0, 0], ["P1", "2023-03", -5, -5]]),
    ),
    (ARRIVALS_CSV, None, 3, "本月到位资金（万元）"),
    (ARRIVALS_CSV, None, 3, "本年累计到位资金（万元）"),
)
case(
    "month 13 of the output ledger",
    "month-range",
    folder(output=[[2024, 13, "全市", 1]]),
    (OUTPUT_CSV, None, 2, "月份"),
)
case(
    "a share of 160%",
    "share-range",
    folder(
        projects=[P("P1", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例="160%")]
    ),
    (PROJECTS_CSV, None, 2, "飞出地分成比例"),
)
# future-date: today is pinned to 2026-12-01 (the fixture below)
case(
    "signed in 2052",
    "future-date",
    folder(projects=[P("P1", 签约日期="2052-09-18")]),
    (PROJECTS_CSV, None, 2, "签约日期"),
)
case(
    "money arriving in 2052",
    "future-date",
    folder(arrivals=[arrival("P1", "2052-09-18", 5)]),
    (ARRIVALS_CSV, None, 2, "到位日期"),
)
case(
    "a 到位月份 after this month",
    "future-date",
    _with(folder(leave_out=("arrivals",)), _arrivals_csv(MONTH_HEADER, [["P1", "", "2027-01", 5]])),
    (ARRIVALS_CSV, None, 2, "到位月份"),
)
case(
    "an activity in 2052",
    "future-date",
    folder(activities=[["2052-09-18", "推介会", "海南区", "", "", "", "", "", ""]]),
    (ACTIVITIES_CSV, None, 2, "日期"),
)
case(
    "a park year to come",
    "future-date",
    folder(parks=[["海南产业园", 2052, 10, 1, 1, 1]]),
    (PARKS_CSV, None, 2, "年度"),
)
case(
    "an output year to come",
    "future-date",
    folder(output=[[2052, "", "全市", 1]]),
    (OUTPUT_CSV, None, 2, "年度"),
)
case(
    "this year's output to a month that has not begun (mid-June: 1—6月 may be in, 1—7月 not)",
    "future-date",
    folder(output=[[2026, 6, "全市", 1], [2026, 7, "全市", 1]]),
    (OUTPUT_CSV, None, 3, "月份"),
    today="2026-06-15",
)
case(
    "P1 twice",
    "duplicate-id",
    folder(projects=[P("P1"), P("P2"), P("P1")]),
    (PROJECTS_CSV, None, 2, "项目编号"),
    (PROJECTS_CSV, None, 4, "项目编号"),
)
case(
    "a park's year twice",
    "duplicate-period",
    folder(parks=[["海南产业园", 2024, 10, 1, 1, 1], ["海南产业园", 2024, 12, 1, 1, 1]]),
    (PARKS_CSV, None, 2, "园区"),
    (PARKS_CSV, None, 3, "园区"),
)
case(
    "the same months of output twice",
    "duplicate-period",
    folder(output=[[2024, 6, "全市", 1], [2024, "", "全市", 3], [2024, 6, "全市", 2]]),
    (OUTPUT_CSV, None, 2, "统计范围"),
    (OUTPUT_CSV, None, 4, "统计范围"),
)
case(
    "signed without a 签约日期",
    "stage-date-missing",
    folder(projects=[P("P1", 签约日期="")]),
    (PROJECTS_CSV, None, 2, "签约日期"),
)
case(
    "producing without its dates",
    "stage-date-missing",
    folder(projects=[P("P1", 项目阶段="投产", 开工日期="2023-03-01", 竣工日期="2024-01-01")]),
    (PROJECTS_CSV, None, 2, "投产日期"),
)
case(
    "started before it was signed",
    "date-order",
    folder(projects=[P("P1", 项目阶段="开工", 开工日期="2022-12-01")]),
    (PROJECTS_CSV, None, 2, "开工日期"),
)
case(
    "five permits done of three",
    "permits-exceed",
    folder(projects=[P("P1", 应办手续数=3, 已办手续数=5)]),
    (PROJECTS_CSV, None, 2, "已办手续数"),
)
case(
    "a 飞地 without its 飞入地",
    "enclave-incomplete",
    folder(projects=[P("P1", 飞地类型="飞出", 飞出地="海南区", 飞出地分成比例=0.6)]),
    (PROJECTS_CSV, None, 2, "飞入地"),
)
case(
    "境外 without a country",
    "foreign-country-missing",
    folder(projects=[P("P1", 来源地区="境外")]),
    (PROJECTS_CSV, None, 2, "来源国别"),
)
case(
    "a major project whose plan is 否",
    "five-ones",
    folder(
        projects=[
            P("P1", **{"总投资（万元）": 100000}, 包联领导="张某", 工作专班="专班", 推进方案="否"),
            P("P2", 项目阶段="终止", **{"总投资（万元）": 100000}),  # terminated: no 五个一
        ]
    ),
    (PROJECTS_CSV, None, 2, "推进方案"),
)
case(
    "money for a project that is not in 项目台账",
    "unknown-project",
    folder(arrivals=[arrival("P9", "2023-02-01", 1)]),
    (ARRIVALS_CSV, None, 2, "项目编号"),
)
case(
    "money for a project whose row has an error",
    "project-rejected",
    folder(projects=[P("P1", 所属区="")], arrivals=[arrival("P1", "2023-02-01", 1)]),
    (ARRIVALS_CSV, None, 2, "项目编号"),
)
case(
    "money for a project still being negotiated",
    "not-signed",
    folder(
        projects=[P("P1", 项目阶段="在谈", 签约日期="")], arrivals=[arrival("P1", "2023-02-01", 1)]
    ),
    (ARRIVALS_CSV, None, 2, "项目编号"),
)
case(
    "money the day before signing",
    "before-signing",
    folder(arrivals=[arrival("P1", "2023-01-09", 1)]),
    (ARRIVALS_CSV, None, 2, "到位日期"),
)
case(
    "money in a month that ended before signing",
    "before-signing",
    _with(folder(leave_out=("arrivals",)), _arrivals_csv(MONTH_HEADER, [["P1", "", "2022-12", 5]])),
    (ARRIVALS_CSV, None, 2, "到位月份"),
)
case(
    "境外 money without its dollars",
    "fdi-missing",
    folder(projects=[FOREIGN], arrivals=[arrival("P1", "2023-02-01", 700)]),
    (ARRIVALS_CSV, None, 2, "外资金额（万美元）"),
)
case(
    "a monthly report of 境外 money without its dollars (a month of 0 needs none)",
    "fdi-missing",
    _with(
        folder(projects=[FOREIGN], leave_out=("arrivals",)),
        _arrivals_csv(
            ["项目编号", "报告月份", "本月到位资金（万元）", "本月外资金额（万美元）"],
            [["P1", "2023-02", 0, ""], ["P1", "2023-03", 700, ""], ["P1", "2023-04", 70, 10]],
        ),
    ),
    (ARRIVALS_CSV, None, 3, "本月外资金额（万美元）"),
)
case(
    "one arrival of 100 times 总投资",
    "implausible-amount",
    folder(arrivals=[arrival("P1", "2023-02-01", 2_000_000), arrival("P1", "2023-02-02", 10)]),
    (ARRIVALS_CSV, None, 2, "到位金额（万元）"),
)
case(
    "arrivals summing to ten times 总投资",
    "implausible-total",
    folder(arrivals=[arrival("P1", f"2023-02-{d:02d}", 19_000) for d in range(1, 12)]),
    *((ARRIVALS_CSV, None, r, "到位金额（万元）") for r in range(2, 13)),
)
case(
    "arrivals passing 总投资",
    "exceeds-investment",
    folder(
        arrivals=[
            arrival("P1", "2023-02-01", 15_000),
            arrival("P1", "2023-03-01", 6_000),  # 21,000 > 20,000 from here
            arrival("P1", "2023-04-01", 1_000),
        ]
    ),
    (ARRIVALS_CSV, None, 3, "到位金额（万元）"),
)


def _arrivals_twice(path: Path) -> Path:
    ledger_folder(path, leave_out=("arrivals",))
    rows = table(
        [arrival("P1", "2023-02-01", 100), arrival("P2", "2023-04-01", 50)], ARRIVAL_HEADER
    )
    write_xlsx(
        path / "台账.xlsx", {"到位资金台账": rows, "arrivals": [*rows, ["P2", "2023-05-01", 70]]}
    )
    return path


case(
    "the same arrivals in two sheets",
    "repeated-row",
    _arrivals_twice,
    ("台账.xlsx", "arrivals", 2, None),
    ("台账.xlsx", "arrivals", 3, None),
    ("台账.xlsx", "到位资金台账", 2, None),
    ("台账.xlsx", "到位资金台账", 3, None),
)


def _activities_twice(path: Path) -> Path:
    ledger_folder(path)
    write_csv(
        path / "海南区" / "招商活动台账.csv",
        [["2024-05-01", "带队招商", "海南区", "王某", "是", "上海", 3, 1, 500]],
        header=ACTIVITY_HEADER,
    )
    return path


case(
    "the same activity from two districts' folders",
    "repeated-row",
    _activities_twice,
    (ACTIVITIES_CSV, None, 2, None),
    ("海南区/招商活动台账.csv", None, 2, None),
)
case(
    "the same arrival typed twice",
    "probable-duplicate",
    folder(arrivals=[arrival("P1", "2023-02-01", 5), arrival("P1", "2023-02-01", 5)]),
    (ARRIVALS_CSV, None, 2, "项目编号"),
    (ARRIVALS_CSV, None, 3, "项目编号"),
)
case(
    "本年累计 that is not the sum of the months",
    "ytd-mismatch",
    _with(
        folder(leave_out=("arrivals",)),
        _arrivals_csv(MONTHLY_HEADER, [["P1", "2023-02", 100, 100], ["P1", "2023-03", 50, 160]]),
    ),
    (ARRIVALS_CSV, None, 3, "本年累计到位资金（万元）"),
)
case(
    "带队招商 without its leader",
    "leader-missing",
    folder(activities=[["2024-05-01", "带队招商", "海南区", "", "是", "", "", "", ""]]),
    (ACTIVITIES_CSV, None, 2, "带队领导"),
)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)


def test_the_baseline_is_clean(tmp_path: Path) -> None:
    assert check(load(ledger_folder(tmp_path)), load_plan(), AS_OF).report.findings == []


@pytest.mark.parametrize("item", CASES, ids=[f"{c.code}: {c.name}" for c in CASES])
def test_each_code_at_its_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, item: Case) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", item.today)
    data = item.build(tmp_path)
    if item.patch is not None:
        item.patch(monkeypatch)
    findings = check(load(data), load_plan(), item.as_of).report.findings
    hits = [f for f in findings if f.code == item.code]
    assert sorted((f.file, f.sheet, f.row, f.column) for f in hits) == sorted(item.where), [
        (f.code, f.file, f.sheet, f.row, f.column) for f in findings
    ]
    rule = BY_CODE[item.code]
    for f in hits:
        assert f.severity == rule.severity and f.message and "{" not in f.message
        assert rule.ledgers == "*" or f.ledger in rule.ledgers.split(","), f.ledger
        if item.ledger is not None:
            assert f.ledger == item.ledger


def test_every_code_has_a_case() -> None:
    covered = {c.code for c in CASES}
    assert [r.code for r in RULES if r.code not in covered] == []
    assert covered <= set(BY_CODE)


# Codes found while reading a file (ledgers/load.py, ledgers/read.py), before any check runs.
READING = {
    "unreadable-file",
    "ledger-missing",
    "ledger-empty",
    "line-count",
    "missing-column",
    "duplicate-column",
    "hidden-duplicate-column",
    "column-conflict",
    "cell-outside-table",
    "extra-cells",
    "unclosed-quote",
    "unit-missing",
    "bad-number",
    "too-large",
    "cell-error",
    "formula-no-value",
    "bad-integer",
    "bad-date",
    "bad-month",
    "bad-year",
    "bad-yes-no",
    "bad-share",
}


def test_every_check_declares_its_codes_and_each_code_has_one_place() -> None:
    declared = [code for c in CHECKS for code in c.codes]
    assert len(declared) == len(set(declared)), "a code emitted by two checks"
    assert set(declared) | READING == set(BY_CODE)
    assert not set(declared) & READING
