"""Every command drawn at 80 and 200 columns: no number and no target name is ever cut."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.render.text import cell_width

COMMANDS = [
    ["validate"],
    ["targets"],
    ["rules"],
    ["projects"],
    ["projects", "--warnings"],
    ["projects", "--list", "--district", "海南区"],
    ["projects", "--id", "WH-2024-0056"],
    ["districts", "--rank"],
    ["dispatch"],
    ["tasks"],
    ["tasks", "--unit", "乌达区"],
    ["plan", "show"],
    ["review"],
]
# A figure as printed: maximal runs of digits with separators, signs and a percent sign.
NUMBER = re.compile(r"(?<![\d.,])[-+]?\d[\d,]*(?:\.\d+)?%?(?![\d,]|\.\d)")


@pytest.fixture(scope="module")
def sample_once() -> Any:
    """The sample read and checked once for the whole module (commands only read it)."""
    from wuhai_zs import pipeline

    cache: dict[tuple[Path, Any], Any] = {}
    real = pipeline.run

    def run(path: Path, plan: Any, as_of: Any = None, progress: Any = None) -> Any:
        key = (path, as_of)
        if key not in cache:
            cache[key] = real(path, plan, as_of, progress)
        return cache[key]

    return run


def _draw(cli, monkeypatch, run, args: list[str], width: int) -> str:  # type: ignore[no-untyped-def]
    from wuhai_zs import pipeline

    monkeypatch.setattr(pipeline, "run", run)
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*args)
    assert result.code in (0, 1), (args, result.err)
    return str(result.out)


def _numbers(text: str) -> set[str]:
    lines = [line for line in text.splitlines() if not line.startswith("（终端宽")]
    return set(NUMBER.findall("\n".join(lines)))


def _target_names() -> list[str]:
    from wuhai_zs.plan.model import load_plan

    plan = load_plan(None)
    return [t.name for t in plan.targets] + [f"{c.name}产业集群" for c in plan.clusters]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_number_or_name_is_cut_at_80_or_200_columns(
    args: list[str],
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    sample_once: Any,
) -> None:
    narrow = _draw(cli, monkeypatch, sample_once, args, 80)
    wide = _draw(cli, monkeypatch, sample_once, args, 200)
    for text, width in ((narrow, 80), (wide, 200)):
        assert "…" not in text, (args, width)
        too_long = [line for line in text.splitlines() if cell_width(line) > width]
        assert not too_long, (args, width, too_long[:3])
    fragments = _numbers(narrow) - _numbers(wide)
    assert not fragments, (args, sorted(fragments)[:10])
    assert "（终端宽" not in wide  # at 200 columns every column is shown
    if args[0] in ("targets", "plan", "review"):
        for name in _target_names():
            for text in (narrow, wide):
                assert any(name in line for line in text.splitlines()), (args, name)
    if args[0] in ("districts", "dispatch"):
        for unit in ("海勃湾区", "乌达区", "海南区", "高新区", "全市"):
            assert any(unit in line for line in narrow.splitlines())


def test_a_cut_number_would_be_caught() -> None:
    """The check above is not vacuous: a figure split over two lines leaves a fragment."""
    whole = "│ 高新区 │ 22,061.38 │ 442,390.00 │"
    split = "│ 高新区 │ 22,061 │ 442,39 │\n│        │ .38    │ 0.00   │"
    assert {"22,061", "442,39"} <= _numbers(split) - _numbers(whole)


def test_targets_table_at_200_and_stacked_at_80(
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    sample_once: Any,
) -> None:
    wide = _draw(cli, monkeypatch, sample_once, ["targets"], 200)
    assert "┃ 目标" in wide and "完成情况" in wide
    narrow = _draw(cli, monkeypatch, sample_once, ["targets"], 80)
    name = _target_names()[0]
    block = narrow.split(f"\n{name}\n", 1)[1].splitlines()  # the name alone, then its fields
    assert block[0].startswith("  ") and "：" in block[0]
    assert "┃ 目标" not in narrow.split("口径与说明")[0]


def test_piped_output_follows_columns(
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("rules").out
    assert max(cell_width(line) for line in out.splitlines()) <= 60
    monkeypatch.delenv("COLUMNS")
    wide = cli("rules").out
    assert max(cell_width(line) for line in wide.splitlines()) > 60  # 160 when piped


def test_wrapping_never_splits_a_number() -> None:
    from wuhai_zs.render.text import wrap

    text = (
        "计划期内到位资金累计4,000.00亿元，完成率（按序时）83.5%，还需 1,234.56 亿元才能完成目标。"
    )
    for width, phrases in ((w, p) for w in range(10, 40) for p in (False, True)):
        lines = wrap(text, width, phrases)
        assert all(cell_width(line) <= width for line in lines)
        joined = "\n".join(lines)
        for figure in ("4,000.00", "83.5%", "1,234.56"):
            assert figure in joined, (width, lines)


def test_diff_and_the_writing_commands_at_80_and_200_columns(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import arrival, project, write_csv

    old, new = tmp_path / "old", tmp_path / "new"
    write_csv(old / "项目台账.csv", [project("P1", 签约日期="2024-03-01")])
    write_csv(old / "到位资金台账.csv", [arrival("P1", "2024-04-05", 1234.5)])
    write_csv(
        new / "项目台账.csv",
        [
            project("P1", 签约日期="2024-03-01"),
            project("P2", 项目名称="新增的项目", 签约日期="2024-06-01"),
        ],
    )
    write_csv(
        new / "到位资金台账.csv",
        [arrival("P1", "2024-04-05", 2234.5), arrival("P2", "2024-07-01", 98765.43)],
    )
    outputs: dict[int, dict[str, str]] = {}
    for width in (80, 200):
        monkeypatch.setenv("COLUMNS", str(width))
        out = tmp_path / str(width)
        out.mkdir()
        runs = {
            "diff": ["diff", str(old), str(new)],
            "export": ["export", "--data", str(new), "-o", str(out / "r.xlsx")],
            "template": ["template", "-o", str(out / "t.xlsx")],
            "sample": ["sample", "-o", str(out / "s")],
            "plan init": ["plan", "init", str(out / "p.toml")],
        }
        outputs[width] = {}
        for name, args in runs.items():
            result = cli(*args)
            assert result.code == 0, (name, result.err)
            outputs[width][name] = result.out
        # diff's tables fit; its summary line stays one line on purpose (CI logs grep it whole)
        tables = outputs[width]["diff"].splitlines()[1:]
        assert all(cell_width(line) <= width for line in tables), width
    for name, narrow in outputs[80].items():
        wide = outputs[200][name].replace(str(tmp_path / "200"), str(tmp_path / "80"))
        assert not _numbers(narrow) - _numbers(wide), name
    assert "新金额（万元）：98,765.43" in outputs[80]["diff"]  # stacked at 80, whole
