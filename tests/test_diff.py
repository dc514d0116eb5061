"""`wuhai-zs diff`: two submissions written in the test, every planted change found, nothing else."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    ARRIVAL_HEADER,
    MONTH_HEADER,
    MONTHLY_HEADER,
    OUTPUT_HEADER,
    PARK_HEADER,
    PROJECT_HEADER,
    REPO,
    get_target,
    project,
    table,
    unwrap,
    write_csv,
    write_xlsx,
)

# ---------------------------------------------------------------- the old submission (CSV folder)
OLD_PROJECTS = [
    project("P1"),  # 长三角 20,000 万元: counted
    project(
        "P2", 来源地区="京津冀", 项目阶段="开工", 开工日期="2023-06-01", **{"总投资（万元）": 60000}
    ),
    project("P3", 来源地区="区内", **{"总投资（万元）": 30000}),  # 区内: not counted
    project("P4", 是否纳统="是", **{"总投资（万元）": 8000}),
    project("P5"),  # removed in the new submission
    project("P6", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例="60%"),
    project("WH-9"),
]
OLD_ARRIVALS = [
    ("P1", "2025-03-05", "100"),
    ("P1", "2025-04-10", "200"),
    ("P1", "2025-06-06", "80"),
    ("P1", "2025-06-06", "80"),
    ("P2", "2024-06-01", "500"),
    ("P2", "2025-07-01", "40"),
    ("P2", "2025-08-20", "300"),
    ("P3", "2025-01-15", "90"),
    ("P3", "2025-05-05", "70"),
    ("P4", "2025-02-02", "1000"),
    ("WH-9", "2025-01-20", "10"),
]
OLD_PARKS = [
    ["乌达产业园", 2023, 1000, 50000, 30000, 1000],
    ["乌达产业园", 2024, 1000, 60000, 35000, 1200],
    ["海南产业园", 2023, 2000, 80000, 40000, 1500],
    ["海南产业园", 2024, 2000, 90000, 45000, 1600],
]
OLD_OUTPUT = [[2024, "", "全市", 3000000], [2025, 6, "全市", 1500000]]

# ---------------------------------------------------------------- the new submission (one workbook)
FULL_WIDTH_ID = "ＷＨ－９\u200b"  # WH-9 typed full-width with a zero-width space: the same project
NEW_PROJECTS = [
    project("P1", 项目阶段="开工", 开工日期="2025-08-15"),  # stage change
    project(
        "P2",
        来源地区="京津冀",
        项目阶段="开工",
        开工日期="2023-06-01",
        所属区="乌达区",
        **{"总投资（万元）": 65000},
    ),
    project("P3", 来源地区="区内", **{"总投资（万元）": 30000}),
    project("P4", 是否纳统="否", **{"总投资（万元）": 8000}),  # leaves the 统计口径
    project("P6", 飞地类型="飞出", 飞出地="海南区", 飞入地="乌达区", 飞出地分成比例=0.5),
    project(FULL_WIDTH_ID),
    project("P7", 签约日期="2025-09-01"),  # added
]
NEW_ARRIVALS = [
    ("P1", dt.date(2025, 3, 5), 150),  # changed +50
    ("P1", dt.date(2025, 4, 10), 200),
    ("P1", dt.date(2025, 6, 6), 80),  # the other 80 of that day is removed
    ("P2", dt.date(2025, 6, 28), 40),  # moved from 2025-07-01
    ("P2", dt.date(2025, 8, 20), 300.0001),  # one 元 more
    ("P2", dt.date(2025, 8, 25), 60),  # added in a month already reported
    ("P3", "2025-13-45", 90),  # unreadable date: rejected here, so left out, not "removed"
    ("P3", dt.date(2025, 5, 5), 70),
    ("P4", dt.date(2025, 2, 2), 1000),
    (FULL_WIDTH_ID, dt.date(2025, 1, 20), 10),
    ("P1", dt.date(2025, 9, 10), 400),  # new month
    ("P7", dt.date(2025, 9, 12), 1000),  # new month
]
NEW_PARKS = [
    ["乌达产业园", 2023, 1000, 50000, 30000, 1000],
    ["乌达产业园", 2024, 1000, 60000, 36000, 1200],  # output revised
    ["海南产业园", 2023, 2000, 80000, 40000, 1450],  # tax revised
    ["海南产业园", 2024, 2000, 90000, 45000, 1600],
    ["乌达产业园", 2025, 1100, 65000, 20000, 700],  # a year the old one did not have
]
NEW_OUTPUT = [
    [2024, None, "全市", 3000000],
    [2025, 6, "全市", 1510000],  # revised
    [2025, 9, "全市", 2300000],  # a new period
]


def write_old(folder: Path) -> Path:
    write_csv(folder / "项目台账.csv", OLD_PROJECTS)
    write_csv(
        folder / "到位资金台账.csv",
        [[p, d, a, "", ""] for p, d, a in OLD_ARRIVALS],
        header=ARRIVAL_HEADER,
    )
    write_csv(folder / "园区台账.csv", OLD_PARKS, header=PARK_HEADER)
    write_csv(folder / "产值台账.csv", OLD_OUTPUT, header=OUTPUT_HEADER, encoding="gbk")
    return folder


def write_new(path: Path) -> Path:
    return write_xlsx(
        path,
        {
            "项目台账": table(NEW_PROJECTS, PROJECT_HEADER),
            "到位资金台账": [ARRIVAL_HEADER, *([p, d, a, None, None] for p, d, a in NEW_ARRIVALS)],
            "园区台账": [PARK_HEADER, *NEW_PARKS],
            "产值台账": [OUTPUT_HEADER, *NEW_OUTPUT],
        },
    )


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("planted")
    return write_old(root / "old"), write_new(root / "new" / "台账.xlsx")


@pytest.fixture(scope="module")
def result(planted: tuple[Path, Path]) -> Any:
    """The planted comparison, computed once for the tests that only read it."""
    return _compare(*planted)


def _compare(old: Path, new: Path) -> Any:
    from wuhai_zs.metrics.diff import compare, read
    from wuhai_zs.plan.model import load_plan

    plan = load_plan(None)
    return compare(read(old, plan), read(new, plan), str(old), str(new))


D = Decimal


def test_projects_added_removed_stages_and_fields(result: Any) -> None:
    assert [(p.project_id, p.total_investment) for p in result.added] == [("P7", D(20000))]
    assert [p.project_id for p in result.removed] == ["P5"]
    assert [s.to_dict() for s in result.stages] == [
        {
            "project_id": "P1",
            "name": "项目P1",
            "old_stage": "签约",
            "new_stage": "开工",
            "old_date": "2023-01-10",
            "new_date": "2025-08-15",
            "dates": {"开工日期": "2025-08-15"},
        }
    ]
    # WH-9 typed full-width with a zero-width space is the same project: neither added nor removed.
    assert [(f.project_id, f.column, f.old, f.new, f.unit) for f in result.fields] == [
        ("P2", "所属区", "海南区", "乌达区", None),
        ("P2", "总投资（万元）", D(60000), D(65000), "万元"),
        ("P4", "是否纳统", True, False, None),
        ("P6", "飞出地分成比例", 0.6, 0.5, None),
    ]


def _changes(result: Any) -> list[tuple[Any, ...]]:
    return [
        (c.kind, c.project_id, c.old_when, c.new_when, c.old_amount, c.new_amount, c.revision)
        for c in result.arrivals.changes
    ]


def test_arrival_rows_matched_and_each_change_reported_with_its_figures(result: Any) -> None:
    assert result.arrivals.coverage == "2025-08"
    assert sorted(_changes(result), key=str) == sorted(
        [
            ("changed", "P1", "2025-03-05", "2025-03-05", D(100), D(150), True),
            ("removed", "P1", "2025-06-06", None, D(80), None, True),
            ("moved", "P2", "2025-07-01", "2025-06-28", D(40), D(40), True),
            ("changed", "P2", "2025-08-20", "2025-08-20", D(300), D("300.0001"), True),
            ("added", "P2", None, "2025-08-25", None, D(60), True),
            ("removed", "P2", "2024-06-01", None, D(500), None, True),
            ("added", "P1", None, "2025-09-10", None, D(400), False),
            ("added", "P7", None, "2025-09-12", None, D(1000), False),
        ],
        key=str,
    )
    cents = next(c for c in result.arrivals.changes if c.new_amount == D("300.0001"))
    assert cents.difference == D("0.0001") and cents.counted_effect == D("0.0001")
    # P4 left the 统计口径: its unchanged row is a 口径 change, not a row change.
    assert [s.to_dict() for s in result.arrivals.scope] == [
        {
            "project_id": "P4",
            "name": "项目P4",
            "old_status": "纳统",
            "new_status": "标记不纳统",
            "rows": 1,
            "effect_wan": -1000.0,
            "covered_effect_wan": -1000.0,
        }
    ]
    # The P3 row whose date became unreadable is left out on both sides, and said so.
    assert sorted((x.reason, x.old_rows, x.new_rows) for x in result.left_out) == [
        ("本次报送中同一项目有错误行，无法确定对应关系", 1, 0),
        ("本次报送中该行有错误", 0, 1),
    ]
    assert result.arrivals.year_to_date == []
    assert result.revision is True


def test_counted_total_of_each_month_and_the_plan_period(result: Any) -> None:
    # Counted (统计口径) money by month, summed by hand from the rows above.
    old = {"2024-06": 500, "2025-01": 10, "2025-02": 1000, "2025-03": 100, "2025-04": 200}
    old |= {"2025-06": 160, "2025-07": 40, "2025-08": 300}
    new = {"2025-01": 10, "2025-03": 150, "2025-04": 200, "2025-06": 120}
    new |= {"2025-08": D("360.0001"), "2025-09": 1400}
    expected = {
        m: D(new.get(m, 0)) - D(old.get(m, 0))
        for m in old.keys() | new.keys()
        if D(new.get(m, 0)) != D(old.get(m, 0))
    }
    months = {m.month: m for m in result.arrivals.months}
    assert {m: e.change for m, e in months.items()} == expected
    assert months["2025-02"].scope == D(-1000) and months["2025-02"].rows == 0
    assert months["2025-06"].rows == D(-40)  # 80 removed, 40 moved in from July
    assert {m for m, e in months.items() if not e.covered} == {"2025-09"}
    for e in months.values():
        assert e.change == e.rows + e.scope + e.left_out
    period = result.arrivals.period
    assert period["old_counted_yi"] == pytest.approx(2310 / 10000)
    assert period["new_counted_yi"] == pytest.approx(float(D("2240.0001") / 10000))
    assert period["revisions_wan"] == pytest.approx(-1469.9999)
    assert period["new_months_wan"] == pytest.approx(1400)


def test_parks_and_output_figures(result: Any) -> None:
    got = [
        (f.ledger, f.subject, f.period, f.field, f.kind, f.old, f.new, f.revision)
        for f in result.figures
    ]
    assert sorted(got, key=str) == sorted(
        [
            ("parks", "海南产业园", "2023年", "tax", "changed", D(1500), D(1450), True),
            ("parks", "乌达产业园", "2024年", "output", "changed", D(35000), D(36000), True),
            ("parks", "乌达产业园", "2025年", "land_mu", "added", None, D(1100), False),
            ("parks", "乌达产业园", "2025年", "fixed_investment", "added", None, D(65000), False),
            ("parks", "乌达产业园", "2025年", "output", "added", None, D(20000), False),
            ("parks", "乌达产业园", "2025年", "tax", "added", None, D(700), False),
            ("output", "全市", "2025年1—6月", "output", "changed", D(1500000), D(1510000), True),
            ("output", "全市", "2025年1—9月", "output", "added", None, D(2300000), False),
        ],
        key=str,
    )


def test_effect_on_targets_split_into_revisions_and_new_months(result: Any) -> None:
    capital = next(t for t in result.targets if t.id == "capital_cumulative")
    assert capital.unit == "亿元"
    assert capital.old == pytest.approx(0.2310)
    assert capital.new == pytest.approx(0.22400001)
    assert capital.from_revisions == pytest.approx(-0.14699999)
    assert capital.from_new_periods == pytest.approx(0.14)
    output = next(t for t in result.targets if t.id == "industrial_output")
    assert output.old == pytest.approx(150) and output.new == pytest.approx(230)
    assert output.from_revisions == pytest.approx(1) and output.from_new_periods == pytest.approx(
        79
    )
    for t in result.targets:
        if t.change is not None:
            assert t.change == pytest.approx(t.from_revisions + t.from_new_periods, abs=1e-9)


def test_summary_line_comes_first_and_counts_every_kind(
    planted: tuple[Path, Path], result: Any, cli
) -> None:  # type: ignore[no-untyped-def]
    old, new = planted
    summary = (
        "新增项目 1 个，删除项目 1 个，阶段变化 1 个，项目字段变化 4 处，"
        "新增月份资金 2 笔 1,400.00 万元，修订已报月份资金 6 笔，合计 -469.9999 万元，"
        "口径变化使已报月份纳统资金 -1,000.00 万元，园区台账修订 2 项，园区台账新增 4 项，"
        "产值台账修订 1 项，产值台账新增 1 项，因有错误未比较：上次报送 1 行、本次报送 1 行"
    )
    assert result.summary == summary
    shown = cli("diff", str(old), str(new))
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[0] == summary
    assert "300.0001" in shown.out and "-469.9999" not in shown.out.splitlines()[1]
    assert "示例数据" not in shown.out


def test_fail_on_revision_and_json_equal_to_the_result(
    planted: tuple[Path, Path], result: Any, cli
) -> None:  # type: ignore[no-untyped-def]
    old, new = planted
    flagged = cli("diff", str(old), str(new), "--fail-on-revision", "--json")
    assert flagged.code == 1
    payload = flagged.json()
    assert unwrap(payload, "diff") == json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert payload["revision"] is True
    assert list(payload) == [
        "schema_version",
        "command",
        "summary",
        "revision",
        "synthetic",
        "old",
        "new",
        "cut",
        "unreadable",
        "left_out",
        "projects",
        "arrivals",
        "figures",
        "targets",
        "notes",
    ]
    assert set(payload["arrivals"]) == {
        "compared",
        "coverage",
        "changes",
        "year_to_date",
        "scope",
        "months",
        "period",
    }
    assert payload["old"]["coverage"] == {
        "arrivals": "2025-08",
        "parks": "2024",
        "output": "2025-06",
    }
    assert payload["cut"] == "2025-08-31"
    change = next(c for c in payload["arrivals"]["changes"] if c["old_amount_wan"] == 100)
    assert change["new_amount_wan"] == 150 and change["difference_wan"] == 50
    assert change["old_at"] == "到位资金台账.csv 第2行"
    assert change["new_at"] == "台账.xlsx [到位资金台账] 第2行"
    money_keys = {k for c in payload["arrivals"]["changes"] for k in c if "amount" in k}
    assert money_keys and all(k.endswith(("_wan", "_wan_usd")) for k in money_keys)
    # The same ledgers compared with themselves: nothing to report, exit 0 even with the flag.
    same = cli("diff", str(old), str(old), "--fail-on-revision")
    assert same.code == 0 and same.out.splitlines()[0] == "两次报送无变化"


def _reformatted(src: Path, folder: Path) -> Path:
    """The old submission re-typed: title rows, columns reordered, 亿元, GBK, another encoding."""
    header = list(reversed(PROJECT_HEADER))
    header[header.index("总投资（万元）")] = "总投资（亿元）"
    rows = []
    for p in OLD_PROJECTS:
        row = dict(p)
        row["总投资（亿元）"] = str(D(row.pop("总投资（万元）")) / 10000)
        rows.append(row)
    write_csv(
        folder / "项目台账.csv",
        rows,
        header=header,
        encoding="gbk",
        above=[["乌海市招商引资项目台账（2025年）"], ["填报单位：海南区"]],
    )
    write_csv(
        folder / "到位资金台账.csv",
        [
            ["", a_yi, d, p]
            for p, d, a_yi in ((p, d, str(D(a) / 10000)) for p, d, a in OLD_ARRIVALS)
        ],
        header=["备注", "到位金额（亿元）", "到位日期", "项目编号"],
        encoding="gbk",
        above=[["乌海市到位资金台账"]],
    )
    write_csv(
        folder / "园区台账.csv",
        [[r[5], r[4], r[3], r[2], r[1], r[0]] for r in OLD_PARKS],
        header=list(reversed(PARK_HEADER)),
        encoding="utf-8-sig",
    )
    write_csv(folder / "产值台账.csv", OLD_OUTPUT, header=OUTPUT_HEADER, encoding="utf-8")
    return folder


def test_a_change_that_only_reformats_reports_nothing(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old = write_old(tmp_path / "old")
    new = _reformatted(old, tmp_path / "new")
    result = _compare(old, new)
    assert result.summary == "两次报送无变化"
    assert (result.added, result.removed, result.stages, result.fields) == ([], [], [], [])
    assert result.arrivals.changes == [] and result.arrivals.months == []
    assert result.figures == [] and result.left_out == [] and not result.revision
    assert all(t.change in (0, None) for t in result.targets)
    assert cli("diff", str(old), str(new), "--fail-on-revision").code == 0


def _monthly(rows: list[tuple[str, str, Any, Any]]) -> list[list[Any]]:
    return [MONTHLY_HEADER, *([p, m, a, y] for p, m, a, y in rows)]


def test_monthly_report_compared_month_by_month_with_year_to_date(tmp_path: Path) -> None:
    projects = table([project("P1"), project("P2")], PROJECT_HEADER)
    old = write_xlsx(
        tmp_path / "old.xlsx",
        {
            "项目台账": projects,
            "到位资金台账": _monthly(
                [
                    ("P1", "2025-01", 100, 100),
                    ("P1", "2025-02", 50, 150),
                    ("P1", "2025-03", 0, 150),
                    ("P2", "2025-03", 30, 30),
                ]
            ),
        },
    )
    new = write_xlsx(
        tmp_path / "new.xlsx",
        {
            "项目台账": projects,
            "到位资金台账": _monthly(
                [
                    ("P1", "2025年1月", 100, 110),  # 本年累计 alone revised
                    ("P1", "2025年2月", 80, 180),  # 本月 revised, 本年累计 follows
                    ("P1", "2025年3月", 0, 180),
                    ("P2", "2025年3月", 30, 30),
                    ("P1", "2025年4月", 20, 200),  # new month
                ]
            ),
        },
    )
    result = _compare(old, new)
    assert result.arrivals.coverage == "2025-03"
    assert _changes(result) == [
        ("changed", "P1", "2025-02", "2025-02", D(50), D(80), True),
        ("added", "P1", None, "2025-04", None, D(20), False),
    ]
    assert [
        (y.month, y.old, y.new, y.from_month_changes) for y in result.arrivals.year_to_date
    ] == [
        ("2025-01", D(100), D(110), D(0)),
        ("2025-02", D(150), D(180), D(30)),
        ("2025-03", D(150), D(180), D(30)),
    ]
    assert result.revision
    assert "本年累计修订 3 处" in result.summary


def test_equal_monthly_payments_and_a_month_given_its_date(tmp_path: Path) -> None:
    monthly = [["P1", f"2025-{m:02d}-05", "", 100] for m in range(1, 9)]
    old = tmp_path / "old"
    write_csv(old / "项目台账.csv", [project("P1"), project("P2")])
    write_csv(old / "到位资金台账.csv", [*monthly, ["P2", "", "2025-04", 70]], header=MONTH_HEADER)
    new = tmp_path / "new"
    write_csv(new / "项目台账.csv", [project("P1"), project("P2")])
    kept = [r for r in monthly if r[1] != "2025-03-05"]  # March dropped, September added
    rows = [*kept, ["P1", "2025-09-05", "", 100], ["P2", "2025-04-18", "", 70]]
    write_csv(new / "到位资金台账.csv", rows, header=MONTH_HEADER)
    result = _compare(old, new)
    assert _changes(result) == [
        ("removed", "P1", "2025-03-05", None, D(100), None, True),
        ("moved", "P2", "2025-04", "2025-04-18", D(70), D(70), True),
        ("added", "P1", None, "2025-09-05", None, D(100), False),
    ]
    assert "修订已报月份资金 2 笔，合计 -100.00 万元" in result.summary


def test_rows_rejected_on_one_side_and_unreadable_sheets(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old = write_old(tmp_path / "old")
    new = tmp_path / "new"
    write_csv(new / "项目台账.csv", OLD_PROJECTS)
    write_csv(new / "园区台账.csv", OLD_PARKS, header=PARK_HEADER)
    write_csv(new / "产值台账.csv", OLD_OUTPUT, header=OUTPUT_HEADER)
    # The amount column's header mistyped: the sheet is unreadable, every row is rejected.
    write_csv(
        new / "到位资金台账.csv",
        [[p, d, a] for p, d, a in OLD_ARRIVALS],
        header=["项目编号", "到位日期", "到位钱"],
    )
    result = _compare(old, new)
    assert [(side, f.code, f.file, f.row) for side, f in result.unreadable] == [
        ("new", "missing-column", "到位资金台账.csv", 1)
    ]
    assert result.arrivals.changes == []
    assert [(x.reason, x.old_rows, x.new_rows) for x in result.left_out] == [
        ("本次报送中该行有错误", len(OLD_ARRIVALS), len(OLD_ARRIVALS))
    ]
    # The counted total falls to zero, and the month table says it is the rejected rows.
    for m in result.arrivals.months:
        assert m.new_fen == 0 and m.left_out == m.change and m.rows == 0
    assert not result.revision
    assert result.summary == "因有错误未比较：上次报送 11 行、本次报送 11 行"
    shown = cli("diff", str(old), str(new))
    assert shown.code == 0
    assert "missing-column" in shown.out and "到位资金台账.csv 第1行" in shown.out
    assert "未比较" in shown.out


def test_a_project_rejected_in_the_new_submission_is_left_out_not_removed(tmp_path: Path) -> None:
    old = write_old(tmp_path / "old")
    new = write_old(tmp_path / "new")
    projects = [dict(p) for p in OLD_PROJECTS]
    projects[1]["所属区"] = "海淀区"  # P2: not a district of the plan, so the row is rejected
    projects[4]["总投资（万元）"] = "两亿"  # P5: an unreadable amount
    write_csv(new / "项目台账.csv", projects)
    result = _compare(old, new)
    assert (result.added, result.removed, result.fields) == ([], [], [])
    assert result.arrivals.changes == []
    assert sorted((x.ledger, x.reason, x.old_rows, x.new_rows) for x in result.left_out) == [
        ("arrivals", "本次报送中该行有错误", 3, 3),  # P2's rows: its project is rejected
        ("projects", "本次报送中该项目的行有错误", 2, 2),
    ]
    # Not a revision, but the counted money it takes out is shown, month by month.
    assert not result.revision
    assert {m.month: m.left_out for m in result.arrivals.months} == {
        "2024-06": D(-500),
        "2025-07": D(-40),
        "2025-08": D(-300),
    }


def test_a_ledger_missing_from_the_new_submission_is_a_revision(tmp_path: Path) -> None:
    old = write_old(tmp_path / "old")
    new = write_old(tmp_path / "new")
    (new / "园区台账.csv").unlink()
    result = _compare(old, new)
    assert result.revision and result.figures == []
    assert result.summary == "本次报送缺少上次报送有的台账"
    assert "本次报送未提供园区台账：未比较，上次报送中的数字无法核对" in result.notes


def test_output_workbook_needs_force_and_is_reproducible(
    planted: tuple[Path, Path], result: Any, cli
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    old, new = planted
    out = new.parent / "变化.xlsx"
    out.write_bytes(b"a ledger someone filled in")
    refused = cli("diff", str(old), str(new), "--output", str(out))
    assert refused.code == 2 and "--force" in refused.err
    assert out.read_bytes() == b"a ledger someone filled in"
    assert cli("diff", str(old), str(new), "--output", str(out), "--force").code == 0
    # The same comparison written again, twice: byte for byte the same workbook.
    from wuhai_zs.render.diff_book import write_diff

    again = out.with_name("again.xlsx")
    for _ in range(2):
        write_diff(result, again)
        assert again.read_bytes() == out.read_bytes()
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "说明",
        "项目变化",
        "到位资金变化",
        "各月纳统资金",
        "园区与产值",
        "目标影响",
    ]
    cells = [c for row in wb["到位资金变化"].iter_rows(values_only=True) for c in row]
    assert 300.0001 in cells and -500 in cells
    about = [c for row in wb["说明"].iter_rows(values_only=True) for c in row]
    assert result.summary in about


def test_unusable_input_is_one_line_exit_2(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old = write_old(tmp_path / "old")
    missing = cli("diff", str(old), str(tmp_path / "nope"))
    assert missing.code == 2
    assert missing.err.strip().count("\n") == 0 and "路径不存在" in missing.err


def test_sample_copies_say_it_is_sample_data(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old, new = tmp_path / "old", tmp_path / "new"
    assert cli("sample", "--output", str(old)).code == 0
    assert cli("sample", "--output", str(new)).code == 0
    text = (new / "到位资金台账.csv").read_text("utf-8-sig").splitlines()
    first = text[1].split(",")
    first[2] = str(D(first[2]) + D("0.01"))
    (new / "到位资金台账.csv").write_text(
        "\n".join([text[0], ",".join(first), *text[2:]]) + "\n", encoding="utf-8-sig"
    )
    shown = cli("diff", str(old), str(new), "--fail-on-revision")
    assert shown.code == 1
    assert shown.out.splitlines()[0] == "修订已报月份资金 1 笔，合计 +0.01 万元"
    assert "示例数据" in shown.out


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ＷＨ－２０２１－０００６", "WH-2021-0006"),
        (" WH-1\u200b ", "WH-1"),
        ("\ufeffP1\u3000", "P1"),
    ],
)
def test_normalise_id(typed: str, expected: str) -> None:
    from wuhai_zs.ledgers.values import normalise_id

    assert normalise_id(typed) == expected


def test_money_shown_to_the_fen() -> None:
    from wuhai_zs.metrics.diff import wan_text

    assert wan_text(D(100)) == "100.00"
    assert wan_text(D("12345.6"), signed=True) == "+12,345.60"
    assert wan_text(D("0.0001"), signed=True) == "+0.0001"
    assert wan_text(D("-469.9999")) == "-469.9999"


def _readme_snippet(marker: str) -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    after = readme.split(f"<!-- {marker} -->", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def test_readme_ci_snippet_flags_a_revision_against_the_previous_commit(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    git = shutil.which("git")
    assert git, "git is needed to test the README's CI recipe"
    repo = tmp_path / "报送"
    write_old(repo / "台账")
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("BASE", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    def commit(message: str) -> None:
        assert run(git, "add", "-A").returncode == 0
        done = run(git, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)
        assert done.returncode == 0, done.stderr

    assert run(git, "init", "-q").returncode == 0
    commit("八月")
    arrivals = repo / "台账" / "到位资金台账.csv"
    # September added (fine) and March's 100 quietly made 120 (a revision): flagged.
    text = arrivals.read_text("utf-8").replace("P1,2025-03-05,100,", "P1,2025-03-05,120,")
    arrivals.write_text(text + "P1,2025-09-03,55,,\r\n", "utf-8")
    commit("九月")
    flagged = run("sh", "-c", _readme_snippet("ci-diff: shell"))
    assert flagged.returncode == 1, flagged.stdout + flagged.stderr
    assert "发现 0 个错误" in flagged.stdout  # validate ran first and passed
    summary = "新增月份资金 1 笔 55.00 万元，修订已报月份资金 1 笔，合计 +20.00 万元"
    assert summary in flagged.stdout.splitlines()
    assert run(git, "worktree", "list").stdout.count("\n") == 1  # the base checkout is removed


def test_old_equal_to_new_without_its_last_month_has_no_revision(tmp_path: Path) -> None:
    """Every target's change then comes from the new month alone (the sample ends in December,
    so the new month completes a year: the restricted view must know its own coverage)."""
    import shutil

    from wuhai_zs.ledgers.sources import sample_path

    new = tmp_path / "new"
    shutil.copytree(sample_path(), new)
    old = tmp_path / "old"
    shutil.copytree(sample_path(), old)
    lines = (new / "到位资金台账.csv").read_text("utf-8-sig").splitlines()
    last = max(line.split(",")[1][:7] for line in lines[1:])
    kept = [line for line in lines[1:] if not line.split(",")[1].startswith(last)]
    assert 0 < len(kept) < len(lines) - 1
    (old / "到位资金台账.csv").write_text("\n".join([lines[0], *kept]) + "\n", "utf-8-sig")
    result = _compare(old, new)
    assert not result.revision
    assert {c.kind for c in result.arrivals.changes} == {"added"}
    assert {c.new_when[:7] for c in result.arrivals.changes if c.new_when} == {last}
    moved = [t for t in result.targets if t.change]
    assert moved, "the new month moves at least the cumulative capital"
    for t in result.targets:
        assert t.from_revisions in (0, None), t


def test_money_of_a_project_flown_out_of_the_city_counts_at_the_city_share(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    """60% stays in 海南区, 40% goes to 集宁: a revision moves the city's figure by 60% of it,
    and the diff's plan-period total is the figure `targets` shows."""
    flown = project(
        "F1", 飞地类型="飞出", 飞出地="海南区", 飞入地="集宁先进制造业集中区", 飞出地分成比例="0.6"
    )
    for name, amount in (("old", "1000"), ("new", "1500")):
        write_csv(tmp_path / name / "项目台账.csv", [flown, project("P1")])
        write_csv(
            tmp_path / name / "到位资金台账.csv",
            [
                {"项目编号": "F1", "到位日期": "2024-03-05", "到位金额（万元）": amount},
                {"项目编号": "P1", "到位日期": "2024-04-05", "到位金额（万元）": "200"},
            ],
            header=ARRIVAL_HEADER,
        )
    shown = cli("diff", str(tmp_path / "old"), str(tmp_path / "new"), "--json")
    period = shown.json()["arrivals"]["period"]
    # By hand: old 1000 × 0.6 + 200 = 800 万元; new 1500 × 0.6 + 200 = 1100 万元.
    assert (period["old_counted_yi"], period["new_counted_yi"]) == (0.08, 0.11)
    assert period["change_wan"] == 300.0
    for name, expected in (("old", 0.08), ("new", 0.11)):
        targets = cli("targets", "--data", str(tmp_path / name), "--json").json()
        actual = get_target(targets, "capital_cumulative")["actual"]
        assert actual == pytest.approx(expected)
