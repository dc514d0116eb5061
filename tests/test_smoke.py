"""The sample validates and the CLI answers, as a user would see it."""

from __future__ import annotations

from conftest import run_cli, run_json


def test_sample_validates_without_errors() -> None:
    payload = run_json("validate", "--format", "json")
    assert payload["valid"] is True
    assert payload["counts"]["errors"] == 0
    assert set(payload["ledgers"]) == {"projects", "arrivals", "parks", "output", "activities"}


def test_missing_path_is_one_line_exit_2(tmp_path) -> None:
    result = run_cli("validate", "--data", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "路径不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
