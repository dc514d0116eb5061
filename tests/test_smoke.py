"""The sample validates and the CLI answers, as a user would see it."""

from __future__ import annotations

from pathlib import Path


def test_sample_validates_without_errors(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--format", "json")
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["valid"] is True
    assert payload["counts"]["errors"] == 0
    assert set(payload["ledgers"]) == {"projects", "arrivals", "parks", "output", "activities"}


def test_missing_path_is_one_line_exit_2(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--data", str(tmp_path / "nope"))
    assert result.code == 2
    assert "路径不存在" in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
