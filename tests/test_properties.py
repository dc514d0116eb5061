"""Round trips: records written in any untidy form the spec allows read back to the same records."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wuhai_zs.ledgers.load import load
from wuhai_zs.ledgers.values import MISSING_TOKENS

from conftest import DISTRICTS, FUZZ_SCALE, PROJECT_HEADER, get_target, write_csv, write_xlsx

NAME_CHARS = "项目年产万吨新材料一期工程光伏硅基有限公司甲乙丙ABCxyz0123456789（）-·"
UNITS = {"元": Decimal(10000), "万元": Decimal(1), "亿元": Decimal("0.0001")}

records = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(NAME_CHARS, min_size=1, max_size=12).filter(
                lambda s: s.strip() == s and s not in MISSING_TOKENS
            ),
            "district": st.sampled_from(DISTRICTS),
            "investment": st.decimals(
                min_value=Decimal("1"),
                max_value=Decimal("999999"),
                places=2,
                allow_nan=False,
                allow_infinity=False,
            ),
            "signed": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 9, 30)),
        }
    ),
    min_size=1,
    max_size=8,
)

DATE_FORMS = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dots": lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "serial": lambda d: str((d - dt.date(1899, 12, 30)).days),
}


@st.composite
def layouts(draw: Any) -> dict[str, Any]:
    return {
        "container": draw(st.sampled_from(["csv", "xlsx"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"])),
        "titles": draw(st.integers(0, 2)),
        "unit": draw(st.sampled_from(list(UNITS))),
        "unit_in_header": draw(st.booleans()),
        "date_form": draw(st.sampled_from([*DATE_FORMS, "excel-date"])),
        "total": draw(st.sampled_from(["", "合计", "合  计", "2024年小计", "总计"])),
        "blank_rows": draw(st.integers(0, 2)),
        "footer": draw(st.booleans()),
        "thousands": draw(st.booleans()),
    }


def _money(value: Decimal, unit: str, thousands: bool) -> str:
    scaled = (value * UNITS[unit]).normalize()
    text = f"{scaled:f}"
    if thousands and "." not in text and len(text) > 3:
        text = f"{int(scaled):,}"
    return text


def _write(folder: Path, rows: list[dict[str, Any]], layout: dict[str, Any]) -> None:
    unit = layout["unit"]
    money_header = f"总投资（{unit}）" if layout["unit_in_header"] else "总投资"
    header = [h if h != "总投资（万元）" else money_header for h in PROJECT_HEADER]
    above: list[list[Any]] = [[f"乌海市招商引资项目台账{i}"] for i in range(layout["titles"])]
    if not layout["unit_in_header"]:
        above.append(["填报单位：某区", "", f"单位：{unit}"])
    body: list[list[Any]] = []
    for i, r in enumerate(rows):
        signed: Any
        if layout["date_form"] == "excel-date":
            signed = r["signed"] if layout["container"] == "xlsx" else r["signed"].isoformat()
        else:
            signed = DATE_FORMS[layout["date_form"]](r["signed"])
        values = {
            "项目编号": f"P{i:03d}",
            "项目名称": r["name"],
            "所属区": r["district"],
            "产业类别": "光伏",
            "投资方": "某公司",
            "来源地区": "长三角",
            money_header: _money(r["investment"], unit, layout["thousands"]),
            "项目阶段": "签约",
            "签约日期": signed,
        }
        body.append([values.get(h, "") for h in header])
        if i == 0:
            body.extend([[""] * len(header)] * layout["blank_rows"])
    if layout["total"]:
        body.append([layout["total"]] + [""] * (len(header) - 1))
    below = (
        [["填报人：某某", "", "联系电话：0473-0000000"], ["注：数据为示例"]]
        if layout["footer"]
        else []
    )
    if layout["container"] == "csv":
        write_csv(
            folder / "项目台账.csv",
            body,
            header=header,
            encoding=layout["encoding"],
            above=above,
            below=below,
        )
    else:
        write_xlsx(
            folder / "台账.xlsx",
            {"项目台账": [*above, header, *body, *below]},
            merges={"项目台账": [f"A{i + 1}:F{i + 1}" for i in range(layout["titles"])]},
        )


@settings(max_examples=30 * FUZZ_SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=records, layout=layouts())
def test_untidy_projects_read_back_to_the_same_records(
    rows: list[dict[str, Any]], layout: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, rows, layout)
        data = load(folder)
    frame = data.ledgers["projects"].frame
    stats = data.ledgers["projects"].stats
    assert frame["project_id"].tolist() == [f"P{i:03d}" for i in range(len(rows))]
    assert frame["name"].tolist() == [r["name"] for r in rows]
    assert frame["district"].tolist() == [r["district"] for r in rows]
    got = [Decimal(str(v)).quantize(Decimal("0.01")) for v in frame["total_investment"]]
    assert got == [r["investment"] for r in rows]
    assert [d.date() for d in frame["signed_on"]] == [r["signed"] for r in rows]
    assert stats.read == stats.accepted + stats.rejected + stats.skipped
    assert stats.accepted == len(rows)
    unit_warnings = [f for f in data.findings if f.code == "unit-missing"]
    assert unit_warnings == []


REGIONS = ["京津冀", "长三角", "其他区外", "区内", "市内", "境外"]
OUTSIDE = {"京津冀", "长三角", "其他区外"}  # 区外 only: 境外 is its own indicator

projects_st = st.lists(
    st.fixed_dictionaries(
        {
            "region": st.sampled_from(REGIONS),
            "investment": st.sampled_from(
                [Decimal("4999.99"), Decimal("5000"), Decimal("20000"), Decimal("150000")]
            ),
            "excluded": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
)
# At most 25 arrivals per project: their sum stays under ten times the smallest 总投资 (4,999.99),
# above which the money is implausible by the spec (an error, not counted).
amounts_st = st.decimals(
    min_value=Decimal("0.01"),
    max_value=Decimal("1999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=25 * FUZZ_SCALE, deadline=None)
@given(
    projects=projects_st,
    arrivals=st.lists(
        st.tuples(
            st.integers(0, 5), amounts_st, st.dates(dt.date(2022, 1, 1), dt.date(2025, 9, 30))
        ),
        min_size=1,
        max_size=25,
    ),
    container=st.sampled_from(["csv", "xlsx"]),
    unit=st.sampled_from(list(UNITS)),
)
def test_capital_equals_an_independent_decimal_sum(
    projects: list[dict[str, Any]],
    arrivals: list[tuple[int, Decimal, dt.date]],
    container: str,
    unit: str,
) -> None:
    from wuhai_zs.metrics.targets import compute
    from wuhai_zs.pipeline import check
    from wuhai_zs.plan.model import load_plan

    project_rows = []
    for i, p in enumerate(projects):
        project_rows.append(
            {
                "项目编号": f"P{i}",
                "项目名称": "甲",
                "所属区": "海南区",
                "产业类别": "光伏",
                "投资方": "某",
                "来源地区": p["region"],
                "来源国别": "德国" if p["region"] == "境外" else "",
                "总投资（万元）": str(p["investment"]),
                "项目阶段": "签约",
                "签约日期": "2021-06-01",
                "是否纳统": "否" if p["excluded"] else "",
            }
        )
    header = ["项目编号", "到位日期", f"到位金额（{unit}）", "外资金额（万美元）"]
    arrival_rows = [
        [
            f"P{k % len(projects)}",
            day.isoformat(),
            _money(amount, unit, False),
            "1" if projects[k % len(projects)]["region"] == "境外" else "",
        ]
        for k, amount, day in arrivals
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if container == "csv":
            write_csv(folder / "项目台账.csv", project_rows, encoding="gbk")
            write_csv(
                folder / "到位资金台账.csv",
                arrival_rows,
                header=header,
                above=[["到位资金台账"]],
                below=[["合计", "", "999999"]],
            )
        else:
            keys = list(project_rows[0])
            write_xlsx(
                folder / "台账.xlsx",
                {
                    "项目台账": [["项目台账"], keys, *[[r[k] for k in keys] for r in project_rows]],
                    "到位资金台账": [header, *arrival_rows, ["小计", "", "999999"]],
                },
            )
        checked = check(load(folder), load_plan(), dt.date(2025, 9, 30))
    result = compute(checked).to_dict()
    expected = Decimal(0)
    for k, amount, day in arrivals:
        p = projects[k % len(projects)]
        if (
            day.year >= 2023
            and p["region"] in OUTSIDE
            and p["investment"] >= 5000
            and not p["excluded"]
        ):
            expected += amount
    capital = get_target(result, "capital_cumulative")
    assert Decimal(str(capital["actual"])) == (expected / 10000).quantize(Decimal("1e-10"))
    assert checked.report.errors == 0


JUNK = [
    "",
    "—",
    "两千",
    "2025-13-40",
    "海淀区",
    "−5",
    "１２３",
    "2999-01-01",
    "合计",
    "=1+1",
    "注：补充说明",
    "\t",
    "0",
]


@settings(max_examples=30 * FUZZ_SCALE, deadline=None)
@given(
    cells=st.lists(
        st.tuples(st.integers(0, 9), st.sampled_from(PROJECT_HEADER), st.sampled_from(JUNK)),
        max_size=12,
    ),
    form=st.sampled_from(["csv", "xlsx"]),
)
def test_every_row_is_accounted_for_and_every_rejection_explained(
    cells: list[tuple[int, str, str]], form: str
) -> None:
    from wuhai_zs.pipeline import check
    from wuhai_zs.plan.model import load_plan

    from conftest import project

    rows = [project(f"P{i}", 项目阶段="开工", 开工日期="2023-05-01") for i in range(10)]
    for index, column, junk in cells:
        rows[index][column] = junk
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if form == "csv":
            write_csv(folder / "项目台账.csv", rows, above=[["标题"]])
        else:
            write_xlsx(
                folder / "台账.xlsx",
                {
                    "项目台账": [
                        ["标题"],
                        PROJECT_HEADER,
                        *[[r[h] for h in PROJECT_HEADER] for r in rows],
                    ]
                },
            )
        checked = check(load(folder), load_plan(), dt.date(2025, 9, 30))
    stats = checked.report.ledgers["projects"]
    assert stats.read == 11 == stats.accepted + stats.rejected + stats.skipped
    frame = checked.data.ledgers["projects"].frame
    explained = {f.row for f in checked.report.findings if f.severity == "error"}
    assert set(frame.loc[frame["_reject"], "_row"]) <= explained
    assert len(explained - set(frame["_row"])) == 0 or all(
        f.code == "missing-column"
        for f in checked.report.findings
        if f.row not in set(frame["_row"]) and f.severity == "error"
    )


# Cells as a fuzzer types them into a CSV: (text as written, value or None when the cell is
# invalid, quoted line breaks it holds). `{nl}` is the file's own line end.
CSV_IDS = [("P1", "P1"), ("P2", "P2"), ("Ｐ３", "P3"), ("P9", None), ("", None)]
CSV_DATES = [
    ("2024-03-05", True),
    ("2024/3/5", True),
    ("2024年3月5日", True),
    ("2025-09-30 10:15", True),
    ("2024-13-05", False),
    ("2099-01-01", False),
    ("昨天", False),
]
CSV_AMOUNTS = [
    ("500", Decimal("500")),
    ('"1,234.5"', Decimal("1234.5")),
    ("１２３", Decimal("123")),
    (" 88 ", Decimal("88")),
    ("0.01", Decimal("0.01")),
    ('"4,999"', Decimal("4999")),
    ("1,234.5", None),  # unquoted: one cell too many
    ('"1,2"', None),
    ('"1.234,5"', None),
    ("6222021234567890123", None),
    ("十万", None),
    ("#N/A", None),
    ("-5", None),
    ("0", None),
    ("", None),
    ("—", None),
]
CSV_NOTES = [
    ("", True, 0),
    ("首笔", True, 0),
    ('"含,逗号"', True, 0),
    ('"两行{nl}说明"', True, 1),
    ('"他说""好"""', True, 0),
    ('"没有结束的引号', False, 0),
    ("a,b", False, 0),
]


@settings(max_examples=30 * FUZZ_SCALE, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(CSV_IDS),
            st.sampled_from(CSV_DATES),
            st.sampled_from(CSV_AMOUNTS),
            st.sampled_from(CSV_NOTES),
        ),
        min_size=1,
        max_size=30,
    ),
    end=st.sampled_from(["\n", "\r\n", "\r", "\r\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
)
def test_csv_records_match_physical_lines_and_junk_never_moves_a_figure(
    rows: list[tuple[Any, Any, Any, Any]], end: str, encoding: str
) -> None:
    from wuhai_zs.metrics.targets import compute
    from wuhai_zs.pipeline import check
    from wuhai_zs.plan.model import load_plan

    from conftest import project

    inner = "\n" if end == "\r\r\n" else end
    lines = ["项目编号,到位日期,到位金额（万元）,备注"]
    quoted_breaks = 0
    expected = Decimal(0)
    valid_amounts: list[Decimal] = []
    for (pid, key), (date, date_ok), (amount, value), (note, note_ok, breaks) in rows:
        lines.append(f"{pid},{date},{amount},{note.format(nl=inner)}")
        quoted_breaks += breaks
        if key is not None and date_ok and value is not None and note_ok:
            valid_amounts.append(value)
            expected += value
    body = end.join(lines) + end
    # Lines a text editor shows below the header (CR CR LF counts once, as the spec says).
    editor = body.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    physical = editor.count("\n") - 1
    projects = [project(p, **{"总投资（万元）": 1_000_000}) for p in ("P1", "P2", "P3")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_csv(folder / "项目台账.csv", projects)
        data = body.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding)
        (folder / "到位资金台账.csv").write_bytes(data)
        checked = check(load(folder), load_plan(), dt.date(2025, 9, 30))
    stats = checked.report.ledgers["arrivals"]
    # every line is a record or a line break inside a quoted cell, whatever else is wrong
    assert stats.read == physical - quoted_breaks, [f.code for f in checked.report.findings]
    assert stats.read == stats.accepted + stats.rejected + stats.skipped
    frame = checked.data.ledgers["arrivals"].frame
    accepted = sorted(Decimal(str(a)) for a in frame.loc[~frame["_reject"], "amount"])
    assert accepted == sorted(valid_amounts)
    capital = get_target(compute(checked).to_dict(), "capital_cumulative")
    if valid_amounts:
        assert Decimal(str(capital["actual"])) == (expected / 10000).quantize(Decimal("1e-10"))
    else:
        assert capital["status"] == "no_data"
