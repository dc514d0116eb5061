"""The command line as a user meets it: exit codes, one-line errors, formats, help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wuhai_zs import __version__

from conftest import arrival, project, run_cli, write_csv


def _broken(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "项目台账.csv",
        [
            project("P1"),
            project("P2", 所属区="海淀区"),
            project("P3", **{"总投资（万元）": 150000}),
        ],
    )
    write_csv(tmp_path / "到位资金台账.csv", [arrival("P1", "2024-01-05", 10)])
    return tmp_path


def test_validate_exit_codes_and_strict(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    broken = cli("validate", "--data", str(_broken(tmp_path)))
    assert broken.code == 1
    assert "海淀区" in broken.out and "第3行" in broken.out
    clean = tmp_path / "clean"
    write_csv(clean / "项目台账.csv", [project("P1", **{"总投资（万元）": 150000})])
    assert cli("validate", "--data", str(clean)).code == 0  # a five-ones warning only
    assert cli("validate", "--data", str(clean), "--strict").code == 1


def test_validate_json_contract(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    payload = cli("validate", "--data", str(_broken(tmp_path)), "--format", "json").json()
    assert payload["valid"] is False  # its key sets: test_json_contract
    assert payload["ledgers"]["projects"]["sources"] == [{"file": "项目台账.csv", "sheet": None}]
    finding = next(f for f in payload["findings"] if f["code"] == "not-allowed")
    assert set(finding) == {
        "ledger",
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "code",
        "severity",
        "message",
    }
    assert (finding["ledger"], finding["row"], finding["column"], finding["value"]) == (
        "projects",
        3,
        "所属区",
        "海淀区",
    )
    assert finding["severity"] == "error"


def test_validate_github_annotations(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("validate", "--data", str(_broken(tmp_path)), "--format", "github").out
    lines = out.strip().splitlines()
    assert any(
        line.startswith("::error file=") and ",line=3," in line and "title=not-allowed::" in line
        for line in lines
    )
    assert any(line.startswith("::warning ") and "title=five-ones" in line for line in lines)


def test_max_findings_caps_the_list_not_the_counts(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = [project(f"P{i}", 所属区="海淀区") for i in range(30)]
    write_csv(tmp_path / "项目台账.csv", rows)
    payload = cli("validate", "-d", str(tmp_path), "-f", "json", "--max-findings", "5").json()
    assert len(payload["findings"]) == 5 and payload["findings_truncated"] is True
    assert payload["counts"]["errors"] == 30


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--bogus"],
        ["validate", "--format", "xml"],
        ["targets", "--as-of", "2025-02-30"],
        ["validate", "--data", "/no/such/folder"],
        ["plan", "show", "--plan", "/no/plan.toml"],
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if not line.startswith("未指定 --data")]
    assert len(errors) == 1 and "wuhai-zs:" in errors[0]
    assert "Traceback" not in result.err


def test_debug_shows_the_traceback(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    quiet = cli("validate", "--data", str(tmp_path / "missing"))
    loud = cli("--debug", "validate", "--data", str(tmp_path / "missing"))
    assert "Traceback" not in quiet.err and quiet.code == 2
    assert "Traceback" in loud.err and "SourceError" in loud.err and loud.code == 2


def test_unreadable_file_names_the_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "项目台账.csv").write_bytes(b"")
    result = cli("validate", "--data", str(tmp_path))
    assert result.code == 2 and "项目台账.csv" in result.err and "空" in result.err


def test_version_and_module_entry() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"wuhai-zs {__version__}"


def _commands() -> list[list[str]]:
    from typer.main import get_command

    from wuhai_zs.cli.app import app

    root = get_command(app)
    found: list[list[str]] = []

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        for name, sub in getattr(cmd, "commands", {}).items():
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(root, [])
    return found


def test_every_command_and_option_has_help(cli) -> None:  # type: ignore[no-untyped-def]
    from typer.main import get_command

    from wuhai_zs.cli.app import app

    root = get_command(app)
    for path in _commands():
        cmd = root
        for name in path:
            cmd = cmd.commands[name]  # type: ignore[attr-defined]
        assert (cmd.help or "").strip(), path
        for param in cmd.params:
            if param.param_type_name == "option" and param.name != "help":
                assert (param.help or "").strip(), (path, param.name)
        result = cli(*path, "--help")
        assert result.code == 0, (path, result.err)


def test_rules_lists_every_code(cli) -> None:  # type: ignore[no-untyped-def]
    from wuhai_zs.findings.catalog import RULES

    listed = {r["code"] for r in json.loads(cli("rules", "--json").out)["rules"]}
    assert listed == {r.code for r in RULES}


def test_plan_init_writes_a_loadable_plan(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "plan.toml"
    assert cli("plan", "init", str(target)).code == 0
    assert "统计口径" in target.read_text("utf-8")
    assert cli("plan", "init", str(target)).code == 2  # exists, no --force
    shown = cli("plan", "show", "--plan", str(target), "--json").json()
    assert shown["counting"]["min_project_investment_wan"] == 5000
