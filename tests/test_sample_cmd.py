"""`wuhai-zs sample`: the bundled ledgers copied out, never over a user's files by accident."""

from __future__ import annotations

from pathlib import Path

from wuhai_zs.ledgers.sources import sample_path


def test_sample_copies_the_bundled_ledgers(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "new" / "sample"
    result = cli("sample", "--output", str(out))
    assert result.code == 0, result.err
    bundled = {p.name: p.read_bytes() for p in sample_path().iterdir() if p.is_file()}
    assert {p.name: p.read_bytes() for p in out.iterdir()} == bundled
    assert "项目台账.xlsx" in bundled and "示例数据" in result.out
    check = cli("validate", "--data", str(out), "--format", "json")
    assert check.code == 0 and check.json()["counts"]["errors"] == 0


def test_sample_refuses_to_overwrite_without_force(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "项目台账.xlsx"
    mine.write_bytes(b"my own ledger")
    refused = cli("sample", "--output", str(tmp_path))
    assert refused.code == 2
    assert "项目台账.xlsx" in refused.err and "--force" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    assert mine.read_bytes() == b"my own ledger"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["项目台账.xlsx"]  # nothing copied
    assert cli("sample", "--output", str(tmp_path), "--force").code == 0
    assert mine.read_bytes() == (sample_path() / "项目台账.xlsx").read_bytes()


def test_sample_output_that_is_a_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = cli("sample", "--output", str(target))
    assert result.code == 2 and "不是文件夹" in result.err
