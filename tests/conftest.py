"""Helpers that write real ledger files (CSV in any encoding, .xlsx with titles and merges)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

# The fuzz and property tests run a CI-sized number of examples; a longer local run:
#   WUHAI_FUZZ_SCALE=50 pytest tests/test_properties.py tests/test_hardening.py
FUZZ_SCALE = max(1, int(os.environ.get("WUHAI_FUZZ_SCALE", "1")))
REPO = Path(__file__).resolve().parent.parent
# Output is read as piped (PIPE_WIDTH) unless a test sets COLUMNS itself; pytest-xdist's
# workers inherit COLUMNS=80 and LINES=24 from their launcher, a plain run has neither.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)


SAMPLE = REPO / "data" / "sample"


@functools.cache
def sample_projects() -> list[dict[str, Any]]:
    """The bundled sample's 项目台账 read with openpyxl (title rows above the header)."""
    from openpyxl import load_workbook

    ws = load_workbook(SAMPLE / "项目台账.xlsx")["项目台账"]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[2]]
    return [dict(zip(header, r, strict=True)) for r in rows[3:] if str(r[1]).startswith("WH-")]


@functools.cache
def sample_projects_by_id() -> dict[str, dict[str, Any]]:
    return {p["项目编号"]: p for p in sample_projects()}


@functools.cache
def sample_csv(name: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """A CSV ledger of the bundled sample, read with the csv module (read once; do not change
    the rows)."""
    with (SAMPLE / name).open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _main_checkout(repo: Path) -> Path:
    """The repository's main working tree: `repo` itself, or, for a linked worktree (whose .git
    is a file naming its git dir), the working tree that holds the common .git folder."""
    marker = repo / ".git"
    if not marker.is_file():
        return repo
    gitdir = Path(marker.read_text("utf-8").split(":", 1)[1].strip())
    common = gitdir / "commondir"
    if common.is_file():
        return (gitdir / common.read_text("utf-8").strip()).resolve().parent
    return repo


def shared(*parts: str) -> Path:
    """A file of ../shared/ beside the repository root (the spec, the plan text); a missing one
    fails the test with where it was looked for, never a silent skip."""
    roots = dict.fromkeys([REPO, _main_checkout(REPO)])
    tried = [root.parent / "shared" / Path(*parts) for root in roots]
    for path in tried:
        if path.exists():
            return path
    pytest.fail("not found beside the repository: " + ", ".join(map(str, tried)))


PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "所属区",
    "所在园区",
    "产业类别",
    "投资方",
    "企业标签",
    "来源地区",
    "来源国别",
    "总投资（万元）",
    "项目阶段",
    "签约日期",
    "计划开工日期",
    "开工日期",
    "竣工日期",
    "投产日期",
    "用地面积（亩）",
    "包联领导",
    "工作专班",
    "推进方案",
    "应办手续数",
    "已办手续数",
    "飞地类型",
    "飞出地",
    "飞入地",
    "飞出地分成比例",
    "是否纳统",
    "备注",
]
ARRIVAL_HEADER = ["项目编号", "到位日期", "到位金额（万元）", "外资金额（万美元）", "备注"]
# 到位资金台账 by month: a 到位月份 beside (or instead of) the date, and the monthly report.
MONTH_HEADER = ["项目编号", "到位日期", "到位月份", "到位金额（万元）"]
MONTHLY_HEADER = ["项目编号", "报告月份", "本月到位资金（万元）", "本年累计到位资金（万元）"]
PARK_HEADER = [
    "园区",
    "年度",
    "用地面积（亩）",
    "固定资产投资（万元）",
    "工业总产值（万元）",
    "税收收入（万元）",
]
OUTPUT_HEADER = ["年度", "月份", "统计范围", "工业总产值（万元）"]
ACTIVITY_HEADER = [
    "日期",
    "活动类型",
    "所属区",
    "带队领导",
    "是否主要领导",
    "目的地",
    "对接企业数",
    "签约项目数",
    "签约金额（万元）",
]
ACTIVITY_SHORT_HEADER = ACTIVITY_HEADER[:6]  # without the three counts (企业数, 项目数, 金额)

# The plan's vocabulary, written out by hand from the plan text: the districts in its order,
# the 区外 regions, the places whose money is 境外 whatever region is typed; 万元 per 亿元.
DISTRICTS = ("海勃湾区", "乌达区", "海南区", "高新区")
OUTSIDE_REGIONS = {"京津冀", "长三角", "长江经济带", "成渝经济圈", "粤港澳大湾区", "其他区外"}
FOREIGN_PLACES = {"香港", "澳门", "台湾"}
YI = 10_000


def project(pid: str, **over: Any) -> dict[str, Any]:
    """A valid 项目台账 row (signed, 长三角, 2 亿元); override any column by its header."""
    row: dict[str, Any] = {h: "" for h in PROJECT_HEADER}
    row.update(
        {
            "项目编号": pid,
            "项目名称": f"项目{pid}",
            "所属区": "海南区",
            "所在园区": "海南产业园",
            "产业类别": "精细化工",
            "投资方": "某公司",
            "来源地区": "长三角",
            "总投资（万元）": 20000,
            "项目阶段": "签约",
            "签约日期": "2023-01-10",
        }
    )
    row.update(over)
    return row


def arrival(pid: str, date: str, amount: Any, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {h: "" for h in ARRIVAL_HEADER}
    row.update({"项目编号": pid, "到位日期": date, "到位金额（万元）": amount})
    row.update(over)
    return row


def city_wide(*projects: dict[str, Any]) -> list[dict[str, Any]]:
    """The given projects and one more in each district, so the ledgers are city-wide."""
    return [*projects] + [project(f"Z{n}", 所属区=d, 所在园区="") for n, d in enumerate(DISTRICTS)]


# The plan's counting rules (spec, 统计口径), written out by hand for raw rows (the sample's
# files read with csv and openpyxl): independent of wuhai_zs.
def share(value: Any) -> float:
    """A 飞出地分成比例 as typed: "60%" or 0.6."""
    return float(value.rstrip("%")) / 100 if isinstance(value, str) else float(value)


def credit(p: dict[str, Any]) -> dict[str, float]:
    """Who is credited with a project's money (飞地: 飞出地 its share, 飞入地 the rest; sides
    outside the city are nobody's)."""
    if not p["飞地类型"]:
        return {p["所属区"]: 1.0}
    s = share(p["飞出地分成比例"])
    out: dict[str, float] = defaultdict(float)
    for unit, part in ((p["飞出地"], s), (p["飞入地"], 1 - s)):
        if unit in DISTRICTS:
            out[unit] += part
    return dict(out)


def is_foreign(p: dict[str, Any]) -> bool:
    return p["来源地区"] == "境外" or (p["来源国别"] or "") in FOREIGN_PLACES


def is_counted(p: dict[str, Any]) -> bool:
    """区外, not 境外, 总投资 of 5,000 万元 or more, not marked 否."""
    return (
        p["来源地区"] in OUTSIDE_REGIONS
        and not is_foreign(p)
        and float(p["总投资（万元）"]) >= 5000
        and p["是否纳统"] != "否"
    )


def write_csv(
    path: Path,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    header: Sequence[str] | None = None,
    encoding: str = "utf-8",
    above: Sequence[Sequence[Any]] = (),
    below: Sequence[Sequence[Any]] = (),
) -> Path:
    """A CSV as Excel or a person writes it: optional title lines above, footers below."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in above:
        writer.writerow(line)
    if rows and isinstance(rows[0], dict):
        header = header or list(rows[0].keys())
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(h, "") for h in header])  # type: ignore[union-attr]
    else:
        if header:
            writer.writerow(header)
        for r in rows:
            writer.writerow(r)
    for line in below:
        writer.writerow(line)
    text = buffer.getvalue()
    data = text.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_xlsx(
    path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None
) -> Path:
    """An .xlsx with the given cell grid per sheet (row 1 first) and merged ranges."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, grid in sheets.items():
        ws = wb.create_sheet(name)
        for row in grid:
            ws.append(list(row))
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def ledger_folder(
    folder: Path,
    projects: list[dict[str, Any]] | None = None,
    arrivals: list[dict[str, Any]] | None = None,
    parks: list[list[Any]] | None = None,
    output: list[list[Any]] | None = None,
    activities: list[list[Any]] | None = None,
    leave_out: Sequence[str] = (),
) -> Path:
    """All five ledgers as CSV files, valid unless a ledger's rows are given (`leave_out` names
    ledgers not to write): two signed projects, their arrivals, a park, output, an activity."""
    files: dict[str, tuple[Path, Any, Sequence[str] | None]] = {
        "projects": (
            folder / "项目台账.csv",
            projects
            if projects is not None
            else [project("P1"), project("P2", 项目阶段="开工", 开工日期="2023-03-01")],
            None,
        ),
        "arrivals": (
            folder / "到位资金台账.csv",
            arrivals
            if arrivals is not None
            else [arrival("P1", "2023-02-01", 100), arrival("P2", "2023-04-01", 200)],
            ARRIVAL_HEADER,
        ),
        "parks": (
            folder / "园区台账.csv",
            parks if parks is not None else [["海南产业园", 2024, 100, 23000, 15000, 900]],
            PARK_HEADER,
        ),
        "output": (
            folder / "产值台账.csv",
            output if output is not None else [[2024, "", "全市", 100]],
            OUTPUT_HEADER,
        ),
        "activities": (
            folder / "招商活动台账.csv",
            activities
            if activities is not None
            else [["2024-05-01", "带队招商", "海南区", "王某", "是", "上海", 3, 1, 500]],
            ACTIVITY_HEADER,
        ),
    }
    for key, (path, rows, header) in files.items():
        if key not in leave_out:
            write_csv(path, rows, header=header)
    return folder


def compute_targets(
    path: Path, as_of: dt.date | None, plan_text: str | None = None
) -> dict[str, Any]:
    """`targets` of the ledgers at `path` (the default plan unless a plan text is given)."""
    from wuhai_zs.ledgers.load import load
    from wuhai_zs.metrics.targets import compute
    from wuhai_zs.pipeline import check
    from wuhai_zs.plan.model import load_plan, parse_plan

    plan = parse_plan(plan_text, "test") if plan_text else load_plan()
    return compute(check(load(path), plan, as_of)).to_dict()


def get_target(result: dict[str, Any], target_id: str) -> dict[str, Any]:
    return next(t for t in result["targets"] if t["id"] == target_id)


def plan_without_base() -> str:
    """The default plan text without the 2022 base of 到位资金 (growth then needs the ledgers)."""
    from wuhai_zs.plan.model import default_plan_text

    return (
        default_plan_text()
        .replace('base = "184.8亿元"\n', "")
        .replace("base_source =", "# base_source =")
    )


def table(rows: Sequence[dict[str, Any]], header: Sequence[str] | None = None) -> list[list[Any]]:
    header = list(header or rows[0].keys())
    return [header] + [[r.get(h, "") for h in header] for r in rows]


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "wuhai_zs", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def _exit_code(args: Sequence[str]) -> int:
    """`wuhai-zs ARGS` in-process; its exit code."""
    from wuhai_zs.cli.app import main

    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def invoke(*args: str) -> CliResult:
    """`wuhai-zs ARGS` in-process without a capture fixture (for module-scoped fixtures)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _exit_code(args)
    return CliResult(code, out.getvalue(), err.getvalue())


def unwrap(payload: dict[str, Any], command: str) -> dict[str, Any]:
    """A command's JSON document without its envelope (schema_version, command), after
    checking that the envelope names the command."""
    assert payload["command"] == command, payload.get("command")
    assert isinstance(payload["schema_version"], str) and payload["schema_version"]
    return {k: v for k, v in payload.items() if k not in ("schema_version", "command")}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `wuhai-zs ARGS` in-process (fast); returns exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = _exit_code(args)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
