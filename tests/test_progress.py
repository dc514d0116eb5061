"""Progress goes to stderr on a terminal only: CI logs and pipes stay clean."""

from __future__ import annotations

import io
import os
import pty
import sys

import pytest

from wuhai_zs.render import console


def test_progress_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    master, slave = pty.openpty()
    terminal = io.TextIOWrapper(
        os.fdopen(slave, "wb", buffering=0), encoding="utf-8", write_through=True
    )
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(console, "SHOW_AFTER_SECONDS", 0.0)
    with console.progress("读取台账") as step:
        step(0, 2, "读取 项目台账.csv")
        step(1, 2, "校验")
    terminal.flush()
    drawn = os.read(master, 65536).decode("utf-8", errors="replace")
    os.close(master)
    assert "读取台账" in drawn and "校验" in drawn


def test_no_progress_when_stderr_is_not_a_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("targets", "--json")
    assert result.code == 0
    assert result.err.strip().splitlines() == [
        line for line in result.err.strip().splitlines() if line.startswith("未指定 --data")
    ]
    assert "━" not in result.err
