"""Rules beyond one cell (every code at its cell is in test_codes), and checks in any order."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import load_plan
from wuhai_zs.rules import checks

from conftest import (
    ARRIVAL_HEADER,
    MONTHLY_HEADER,
    arrival,
    ledger_folder,
    project,
    table,
    write_csv,
    write_xlsx,
)

AS_OF = dt.date(2025, 9, 30)


def _findings(path: Path, as_of: dt.date | None = AS_OF) -> list[Any]:
    return check(load(path), load_plan(), as_of).report.findings


def test_duplicate_id_across_sources_flags_both_rows(tmp_path: Path) -> None:
    ledger_folder(tmp_path)
    write_csv(tmp_path / "海南区" / "projects.csv", [project("P2")])
    hits = [f for f in _findings(tmp_path) if f.code == "duplicate-id"]
    assert sorted((f.file, f.row) for f in hits) == [
        ("海南区/projects.csv", 2),
        ("项目台账.csv", 3),
    ]
    assert "海南区/projects.csv 第2行" in next(f for f in hits if f.file == "项目台账.csv").message


def test_missing_required_column_names_expected_and_found(tmp_path: Path) -> None:
    ledger_folder(tmp_path)
    write_csv(
        tmp_path / "园区台账.csv", [["海南产业园", 2024, 100]], header=["园区", "年度", "面积"]
    )
    hits = [f for f in _findings(tmp_path) if f.code == "missing-column"]
    assert len(hits) == 1
    assert "用地面积（亩）" in hits[0].message and "园区 | 年度 | 面积" in hits[0].message
    assert hits[0].row == 1


def test_ytd_mismatch_names_both_figures(tmp_path: Path) -> None:
    ledger_folder(tmp_path)
    write_csv(
        tmp_path / "到位资金台账.csv",
        [["P1", "2023-02", 100, 100], ["P1", "2023-03", 50, 160]],
        header=MONTHLY_HEADER,
    )
    hits = [f for f in _findings(tmp_path) if f.code == "ytd-mismatch"]
    assert [(h.row, h.severity) for h in hits] == [(3, "warning")]
    assert "160" in hits[0].message and "150" in hits[0].message


def test_errors_reject_rows_and_warnings_keep_them(tmp_path: Path) -> None:
    path = ledger_folder(
        tmp_path,
        projects=[
            project("P1", 所属区="海淀区"),
            project("P2", **{"总投资（万元）": 200000}),
            project("P3"),
        ],
    )
    checked = check(load(path), load_plan(), AS_OF)
    stats = checked.report.ledgers["projects"]
    assert (stats.read, stats.accepted, stats.rejected, stats.skipped) == (3, 2, 1, 0)
    rejected_rows = {
        f.row for f in checked.report.findings if f.severity == "error" and f.ledger == "projects"
    }
    assert rejected_rows == {2}


def test_as_of_defaults_to_latest_event_date(tmp_path: Path) -> None:
    path = ledger_folder(tmp_path)
    checked = check(load(path), load_plan())
    assert checked.as_of.date() == dt.date(2024, 5, 1)


# ---------------------------------------------------------------- checks in any order
def _busy(path: Path) -> Path:
    """Ledgers on which most checks fire, several of them on rows another check rejects."""
    ledger_folder(
        path,
        projects=[
            project("P1"),
            project("P2", 所属区="海淀区"),  # rejected: its money is project-rejected
            project("P3", 项目阶段="在谈", 签约日期=""),
            project("P4", **{"总投资（万元）": 150000}),
            project("P5", 来源地区="境外", 来源国别="日本"),
            project("P1"),
            project("P7", 项目阶段="开工", 开工日期="2022-12-01"),
        ],
        arrivals=[
            arrival("P2", "2023-02-01", 100),
            arrival("P3", "2023-02-01", 100),
            arrival("P4", "2023-02-01", 2_000_000),
            arrival("P5", "2023-02-01", 700),
            arrival("P9", "2023-02-01", 5),
            arrival("P1", "2052-01-01", 5),
        ],
        parks=[["海南产业园", 2024, 10, 1, 1, 1], ["海南产业园", 2024, 0, 1, 1, 1]],
        output=[[2024, 13, "全市", 1], [2024, 13, "全市", 2]],
        activities=[["2024-05-01", "带队招商", "海南区", "", "是", "", "", "", ""]],
    )
    _twice(path)
    return path


def _twice(path: Path) -> None:
    """The same arrivals in two sheets of a workbook (repeated-row), pushing P6 past 总投资."""
    write_csv(path / "项目台账-补充.csv", [project("P6")])
    rows = table([arrival("P6", "2023-05-01", 15000)], ARRIVAL_HEADER)
    write_xlsx(
        path / "补充.xlsx",
        {"到位资金台账": rows, "arrivals": [*rows, ["P6", "2023-06-01", 1000]]},
    )


def _outcome(path: Path, order: list[checks.Check]) -> tuple[list[Any], dict[str, list[bool]]]:
    data = load(path)
    ctx = checks.Context(load_plan(), data, list(data.findings))
    checks.run_checks(ctx, order)
    findings = sorted((f.to_dict() for f in ctx.findings), key=lambda f: repr(sorted(f.items())))
    rejected = {k: d.frame["_reject"].tolist() for k, d in data.ledgers.items()}
    return findings, rejected


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_the_order_checks_are_listed_in_cannot_change_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int | None
) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2026-12-01")
    path = _busy(tmp_path)
    listed = list(checks.CHECKS)
    shuffled = (
        list(reversed(listed))
        if seed is None
        else random.Random(seed).sample(listed, k=len(listed))
    )
    expected = _outcome(path, listed)
    assert _outcome(path, shuffled) == expected
    # By hand from _busy; no exceeds-investment: P6's repeated rows are rejected before its
    # money is summed against 总投资, so only its 1,000 万元 is live.
    assert {f["code"] for f in expected[0]} == {
        "duplicate-id",
        "not-allowed",
        "five-ones",
        "date-order",
        "project-rejected",
        "not-signed",
        "implausible-amount",
        "fdi-missing",
        "unknown-project",
        "future-date",
        "duplicate-period",
        "not-positive",
        "month-range",
        "leader-missing",
        "repeated-row",
    }


def test_a_check_reading_an_undeclared_fact_or_emitting_an_undeclared_code_fails(
    tmp_path: Path,
) -> None:
    data = load(ledger_folder(tmp_path))

    def reads_rejections(ctx: checks.Context) -> None:
        ctx.rejected("projects")

    def emits_another_code(ctx: checks.Context) -> None:
        frame = ctx.data.frame("projects")
        assert frame is not None
        ctx.report("duplicate-id", "projects", frame["project_id"].notna(), "project_id")

    for run, codes in ((reads_rejections, ("negative",)), (emits_another_code, ("negative",))):
        ctx = checks.Context(load_plan(), data)
        with pytest.raises(checks.UndeclaredError):
            checks.run_checks(ctx, [checks.Check(run, codes)])


def test_checks_that_wait_on_each_other_are_refused() -> None:
    def nothing(ctx: checks.Context) -> None:
        return None

    first = checks.Check(nothing, ("negative",), reads=("arrivals.rejected",))
    second = checks.Check(nothing, ("not-signed",), reads=("projects.rejected",))
    with pytest.raises(checks.UndeclaredError, match="wait on each other"):
        checks.ordered([first, second])
    # a check that reads what only it writes runs (money_against_projects does)
    alone = checks.Check(nothing, ("implausible-amount",), reads=("arrivals.rejected",))
    assert checks.ordered([alone]) == [alone]
