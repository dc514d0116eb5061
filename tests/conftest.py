"""Helpers that write real ledger files (CSV in any encoding, .xlsx with titles and merges)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

# The fuzz and property tests run a CI-sized number of examples; a longer local run:
#   WUHAI_FUZZ_SCALE=50 pytest tests/test_properties.py tests/test_hardening.py
FUZZ_SCALE = max(1, int(os.environ.get("WUHAI_FUZZ_SCALE", "1")))

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


def table(rows: Sequence[dict[str, Any]], header: Sequence[str] | None = None) -> list[list[Any]]:
    header = list(header or rows[0].keys())
    return [header] + [[r.get(h, "") for h in header] for r in rows]


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


def run_json(*args: str) -> Any:
    result = run_cli(*args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def unwrap(payload: dict[str, Any], command: str) -> dict[str, Any]:
    """A command's JSON document without its envelope (schema_version, command), after
    checking that the envelope names the command."""
    assert payload["command"] == command, payload.get("command")
    assert isinstance(payload["schema_version"], str) and payload["schema_version"]
    return {k: v for k, v in payload.items() if k not in ("schema_version", "command")}


@pytest.fixture
def today() -> dt.date:
    return dt.date(2025, 9, 30)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `wuhai-zs ARGS` in-process (fast); returns exit code, stdout and stderr."""
    from wuhai_zs.cli.app import main

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke
