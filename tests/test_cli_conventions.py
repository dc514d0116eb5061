"""The command line as one whole: Chinese help and errors, shared option rules, quiet runs."""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, arrival, project, run_cli, table, write_csv, write_xlsx

AS_OF = "2025-09-30"
# Words a help page or an error line may show although they are Latin letters: our own
# command names, option names and choices, formats, file types and the shells we complete.
ALLOWED_WORDS = {
    "wuhai",
    "zs",
    "TOML",
    "toml",
    "xlsx",
    "xls",
    "ods",
    "csv",
    "Excel",
    "WPS",
    "Word",  # review --output 终期评估.docx
    "docx",
    "JSON",
    "json",
    "table",
    "github",
    "GitHub",
    "Actions",
    "junit",
    "JUnit",
    "XML",
    "GitLab",
    "Jenkins",
    "CI",
    "year",
    "plan",
    "YYYY",
    "MM",
    "shell",
    "bash",
    "zsh",
    "fish",
    "PowerShell",
    "Python",
    "UTF",
    "BOM",
    "GBK",
    "min",
}
ENGLISH_LEAKS = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "default:",
    "required",
    "Error",
    "Possible options",
    "Did you mean",
    "Try '",
    "for help",
    "Permission denied",
    "No such file",
    "Traceback",
    "Exception",
    "typer",
    "click",
    "<str>",
    "<path>",
    "<int",
    "None",
)


@functools.cache
def _app_commands() -> list[tuple[list[str], Any]]:
    """Every command path with its click command, the root first (built once; do not change)."""
    from wuhai_zs.cli.app import build

    root = build()
    found: list[tuple[list[str], Any]] = [([], root)]

    def walk(cmd: Any, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            found.append(([*path, name], sub))
            walk(sub, [*path, name])

    walk(root, [])
    return found


def _foreign_words(text: str) -> list[str]:
    """Latin words in a text that are neither our names (options, commands) nor allowed."""
    commands = {name for path, _ in _app_commands() for name in path}
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"\[[a-z_.]+\]", " ", text)  # plan file sections: [warnings]
    text = re.sub(r"[\w./-]+\.(?:md|toml|xlsx|csv|ya?ml)\b", " ", text)  # file names
    text = re.sub(r"[a-z]+(?:[-_.][a-z]+)+", " ", text)  # rule codes and plan keys
    words = re.findall(r"[A-Za-z]{2,}", text)
    return [w for w in words if w not in ALLOWED_WORDS and w not in commands]


def _ledgers(folder: Path) -> Path:
    """Two districts' projects and their money, by hand: P1 (海南区) has 10 + 5.5 万元."""
    write_csv(
        folder / "项目台账.csv",
        [
            project("P1", 签约日期="2024-03-01"),
            project("P2", 所属区="乌达区", 所在园区="乌达产业园", 签约日期="2024-05-02"),
        ],
    )
    write_csv(
        folder / "到位资金台账.csv",
        [arrival("P1", "2024-04-05", 10), arrival("P1", "2025-01-20", 5.5)],
    )
    return folder


# ---------------------------------------------------------------- help and errors
def test_every_help_page_is_chinese(cli) -> None:  # type: ignore[no-untyped-def]
    for path, command in _app_commands():
        result = cli(*path, "--help")
        assert result.code == 0, (path, result.err)
        page = result.out
        assert page.startswith("用法：wuhai-zs"), path
        for leak in ENGLISH_LEAKS:
            assert leak not in page, (path, leak)
        assert not _foreign_words(page), (path, _foreign_words(page))
        assert "..." not in page.replace("[参数]...", ""), path  # no truncated descriptions
        assert "显示本帮助并退出。" in page
        for param in command.params:
            if param.param_type_name == "option" and not param.is_flag:
                assert param.metavar and "<" not in param.metavar, (path, param.name)
    root = cli("--help").out
    for name in ("export", "template"):
        line = next(line for line in root.splitlines() if line.strip().startswith(name))
        assert "Excel" in line and len(line.split(maxsplit=1)[1]) > 10


def _bad_paths() -> list[list[str]]:
    paths: list[list[str]] = []
    for path, command in _app_commands():
        paths.append([*path, "--no-such-option"])
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if "--as-of" in options:
            paths.append([*path, "--as-of"])  # a value missing
            paths.append([*path, "--as-of", "2025-02-30"])
        if "--month" in options:
            paths.append([*path, "--month", "2025年13月"])
    paths += [
        ["validate", "--format", "xml"],
        ["validate", "--max-findings", "many"],
        ["validate", "--max-findings", "-1"],
        ["validate", "--strict=yes"],
        ["validate", "stray"],
        ["valdate"],
        ["plan", "bogus"],
        ["plan", "init"],
        ["sample"],
        ["template"],
        ["districts", "--period", "month"],
        ["tasks", "--unit", "工信"],
        ["projects", "--district", "乌达"],
        ["projects", "--stage", "施工"],
        ["projects", "--id", "X", "--list"],
        ["export", "--all-months"],
    ]
    return paths


@pytest.mark.parametrize("args", _bad_paths(), ids=" ".join)
def test_every_bad_command_line_is_one_chinese_line(args: list[str], cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 2, result.err
    assert result.out == ""
    lines = [line for line in result.err.splitlines() if not line.startswith("未指定 --data")]
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("wuhai-zs: ") and re.search(r"[\u4e00-\u9fff]", line)
    for leak in ENGLISH_LEAKS:
        assert leak not in line, leak
    for typed in args:  # what the user typed may be repeated back
        line = line.replace(typed, " ")
    assert not _foreign_words(line), _foreign_words(line)


def test_debug_anywhere_shows_the_traceback_and_still_exits_2(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    missing = str(tmp_path / "missing")
    for args in (
        ["--debug", "validate", "--data", missing],
        ["validate", "--data", missing, "--debug"],
        ["validate", "--debug", "--data", missing],
        ["validate", "--bogus", "--debug"],
    ):
        result = cli(*args)
        assert result.code == 2, args
        assert "Traceback" in result.err and (
            "SourceError" in result.err or "NoSuchOption" in result.err
        )
        assert result.err.strip().splitlines()[-1].startswith("wuhai-zs: ")
    quiet = cli("validate", "--data", missing)
    assert quiet.code == 2 and "Traceback" not in quiet.err
    after_dashes = cli("validate", "--data", missing, "--", "--debug")  # after -- it is an argument
    assert after_dashes.code == 2 and "Traceback" not in after_dashes.err


@pytest.mark.parametrize("args", [[], ["plan"], ["--debug"]])
def test_bare_groups_show_their_help(args: list[str], cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("用法：wuhai-zs") and "命令：" in result.out


def test_plan_init_to_a_folder_or_an_unwritable_place(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder = cli("plan", "init", str(tmp_path))
    assert folder.code == 2 and "是一个文件夹" in folder.err
    inside_a_file = tmp_path / "plan.txt"
    inside_a_file.write_text("x")
    nested = cli("plan", "init", str(inside_a_file / "plan.toml"))
    assert nested.code == 2 and "不存在" in nested.err
    unwritable = cli("plan", "init", "/proc/wuhai-zs-plan.toml")  # no one may create files here
    assert unwritable.code == 2
    (line,) = unwritable.err.strip().splitlines()
    assert "无法写入" in line and not _foreign_words(line.split(": ", 2)[-1])
    for result in (folder, nested):
        assert len(result.err.strip().splitlines()) == 1 and "Error" not in result.err


# ---------------------------------------------------------------- options
def test_validate_json_is_format_json(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path))
    short = cli("validate", "--data", data, "--json")
    long = cli("validate", "--data", data, "--format", "json")
    assert short.code == long.code == 0
    assert short.json() == long.json()
    clash = cli("validate", "--data", data, "--json", "--format", "github")
    assert clash.code == 2 and "只能选一个" in clash.err


@pytest.mark.parametrize(
    "text", ["2025-09-30", "2025/09/30", "2025/9/30", "2025.9.30", "2025年9月30日", "20250930"]
)
def test_as_of_takes_what_ledgers_take(text: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--data", str(_ledgers(tmp_path)), "--as-of", text, "--json")
    assert result.code == 0, result.err
    assert result.json()["as_of"] == "2025-09-30"


@pytest.mark.parametrize("text", ["2025-09", "2025/9", "2025.9", "2025年9月", "2025年09月"])
def test_month_takes_what_ledgers_take(text: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path))
    result = cli("dispatch", "--data", data, "--as-of", AS_OF, "--month", text, "--json")
    assert result.code == 0, result.err
    assert result.json()["month"] == "2025-09"


@pytest.mark.parametrize("text", ["45930", "2025", "30.9.2025", "2025-9-31", "202509301"])
def test_as_of_refuses_what_is_not_a_date(text: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--data", str(_ledgers(tmp_path)), "--as-of", text)
    assert result.code == 2 and "2025年9月30日" in result.err


def test_one_month_rule_for_dispatch_and_export(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2026-12-01")  # an as-of in 2026 is not in the future
    data = str(_ledgers(tmp_path / "data"))
    # before the plan period: both run and say where the plan period is
    for args in (
        ["dispatch", "--month", "2022-06"],
        ["export", "--month", "2022-06", "--output", str(tmp_path / "early.xlsx")],
    ):
        result = cli(*args, "--data", data, "--as-of", AS_OF)
        assert result.code == 0, result.err
        assert "注意：--month 2022-06 在计划期（2023-01-01 至 2025-12-31）之前" in result.err
    # after the as-of date: no data at all, both refuse the same way
    for args in (
        ["dispatch", "--month", "2025-10"],
        ["export", "--month", "2025-10", "--output", str(tmp_path / "late.xlsx")],
    ):
        result = cli(*args, "--data", data, "--as-of", AS_OF)
        assert result.code == 2 and "晚于截止日期 2025-09-30" in result.err
    assert not (tmp_path / "late.xlsx").exists()
    # after the plan and after the data: the report is written, and stderr says both
    out = tmp_path / "after.xlsx"
    result = cli(
        "export",
        "--data",
        data,
        "--as-of",
        "2026-05-31",
        "--month",
        "2026-05",
        "--output",
        str(out),
    )
    assert result.code == 0, result.err and out.is_file()
    notes = [line for line in result.err.splitlines() if line.startswith("注意：")]
    assert any("2026-05 在计划期（2023-01-01 至 2025-12-31）之后" in n for n in notes)
    assert any("截止日期 2026-05-31 在计划期（2023-01-01 至 2025-12-31）之后" in n for n in notes)
    assert any("晚于台账数据" in n and "到位资金台账至 2025-01-20" in n for n in notes)
    same = cli("dispatch", "--data", data, "--as-of", "2026-05-31", "--month", "2026-05")
    assert same.code == 0
    assert [line for line in same.err.splitlines() if line.startswith("注意：")] == notes


def test_one_overwrite_rule(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path / "data"))
    cases = {
        "export.xlsx": ["export", "--data", data, "--as-of", AS_OF, "--output"],
        "template.xlsx": ["template", "--output"],
        "plan.toml": ["plan", "init"],
    }
    for name, args in cases.items():
        target = tmp_path / name
        target.write_bytes(b"a filled ledger")
        refused = cli(*args, str(target))
        assert refused.code == 2, name
        assert "已存在" in refused.err and "--force" in refused.err
        assert target.read_bytes() == b"a filled ledger", name
        assert cli(*args, str(target), "--force").code == 0, name
        assert target.read_bytes() != b"a filled ledger", name
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "项目台账.xlsx").write_bytes(b"mine")
    assert cli("sample", "--output", str(folder)).code == 2
    assert (folder / "项目台账.xlsx").read_bytes() == b"mine"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["projects", "--district", "乌达"], "乌达区"),
        (["projects", "--industry", "精细"], "精细化工"),
        (["projects", "--stage", "施工"], "开工"),
        (["projects", "--region", "长三"], "长三角"),
        (["projects", "--warnings", "--district", "乌达"], "乌达区"),
        (["projects", "--list", "--district", "乌达"], "乌达区"),
        (["tasks", "--unit", "工信"], "市工信局"),
    ],
)
def test_a_filter_that_names_nothing_exits_2(args: list[str], named: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.strip().splitlines()
    option = next(a for a in args if a.startswith("--") and a not in ("--warnings", "--list"))
    assert f"{option} “" in line and "不是可用的取值" in line and "可用：" in line
    assert named in line


def test_a_valid_filter_that_matches_nothing_says_so(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path))
    for extra in ([], ["--warnings"], ["--list"]):
        result = cli(
            "projects", "--data", data, "--as-of", AS_OF, "--district", "高新区", *extra, "--json"
        )
        assert result.code == 0, result.err
        assert "注意：没有符合筛选条件（所属区=高新区）的项目" in result.err
    listing = cli("projects", "--data", data, "--as-of", AS_OF, "--district", "高新区", "--list")
    assert "0 个项目" in listing.out
    matched = cli("projects", "--data", data, "--as-of", AS_OF, "--district", "海南区")
    assert "没有符合筛选条件" not in matched.err


# ---------------------------------------------------------------- noise and silence
def test_the_bundled_sample_runs_quietly(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate")
    assert result.err.splitlines()[0] == "未指定 --data，使用内置示例台账（示例数据，合成）"
    assert "site-packages" not in result.err and "/" not in result.err.splitlines()[0]
    assert "README" not in result.out and "未读取" not in result.out


def test_a_copy_with_a_stray_file_still_lists_it(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(tmp_path / "项目台账.csv", [project("P1")])
    (tmp_path / "README.md").write_text("说明")
    result = cli("validate", "--data", str(tmp_path))
    assert "未读取的文件和工作表" in result.out and "README.md：" in result.out


def test_export_says_how_many_rows_were_rejected(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = _ledgers(tmp_path / "data")
    write_csv(
        data / "项目台账.csv",
        [
            project("P1", 签约日期="2024-03-01"),
            project("P2", 所属区="海淀区"),
            project("P3", 所属区="朝阳区"),
        ],
    )
    out = tmp_path / "report.xlsx"
    result = cli("export", "--data", str(data), "--as-of", AS_OF, "--output", str(out))
    assert result.code == 0, result.err
    assert "已生成" in result.out and "2 行因错误未计入" in result.out
    clean = cli(
        "export",
        "--data",
        str(_ledgers(tmp_path / "clean")),
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--force",
    )
    assert clean.code == 0 and "未计入" not in clean.out


def test_an_open_workbook_is_noted(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    write_xlsx(data / "乌达区-项目台账.xlsx", {"项目台账": table([project("P1")])})
    write_csv(data / "到位资金台账.csv", [arrival("P1", "2024-04-05", 10)])
    quiet = cli("validate", "--data", str(data), "--as-of", AS_OF)
    assert "Excel" not in quiet.err
    (data / "~$区-项目台账.xlsx").write_bytes(b"\x00lock")  # Excel: first two characters replaced
    loud = cli("validate", "--data", str(data), "--as-of", AS_OF)
    assert loud.code == quiet.code
    (note,) = [line for line in loud.err.splitlines() if "Excel" in line]
    assert (
        "乌达区-项目台账.xlsx 正在 Excel 或 WPS 中打开" in note and "未保存的修改不会被读取" in note
    )
    (data / "~$区-项目台账.xlsx").unlink()
    (data / "~$乌达区-项目台账.xlsx").write_bytes(b"\x00lock")  # WPS: the whole name
    again = cli("validate", "--data", str(data / "乌达区-项目台账.xlsx"), "--as-of", AS_OF)
    assert "乌达区-项目台账.xlsx 正在 Excel 或 WPS 中打开" in again.err


# ---------------------------------------------------------------- shell completion
def test_shell_completion_is_on(tmp_path: Path) -> None:
    env = {**os.environ, "SHELL": "/bin/bash"}
    shown = run_cli("--show-completion", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "_WUHAI_ZS_COMPLETE" in shown.stdout and "complete" in shown.stdout
    words = {
        **env,
        "_WUHAI_ZS_COMPLETE": "complete_bash",
        "COMP_WORDS": "wuhai-zs val",
        "COMP_CWORD": "1",
    }
    completed = run_cli(env=words)
    assert completed.stdout.split() == ["validate"]
    choices = {**words, "COMP_WORDS": "wuhai-zs validate --format j", "COMP_CWORD": "3"}
    assert run_cli(env=choices).stdout.split() == ["json", "junit"]
    district = {**words, "COMP_WORDS": "wuhai-zs projects --district 乌", "COMP_CWORD": "3"}
    assert run_cli(env=district).stdout.split() == ["乌达区"]


# ---------------------------------------------------------------- projects behind a count
def test_projects_list_with_filters(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path))
    payload = cli("projects", "--data", data, "--as-of", AS_OF, "--list", "--json").json()
    assert [p["project_id"] for p in payload["projects"]] == ["P1", "P2"]
    first = payload["projects"][0]
    assert first["total_investment_wan"] == 20000 and first["capital_wan"] == 15.5
    assert (first["district"], first["signed_on"]) == ("海南区", "2024-03-01")
    only = cli(
        "projects", "--data", data, "--as-of", AS_OF, "--list", "--district", "乌达区", "--json"
    )
    assert [p["project_id"] for p in only.json()["projects"]] == ["P2"]
    table = cli("projects", "--data", data, "--as-of", AS_OF, "--list").out
    assert "20,000" in table and "20,000.00" not in table
    assert re.search(r"│\s+16\s+│", table)  # 15.5 万元 shown whole, rounded half up


def test_projects_id_shows_one_project(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = str(_ledgers(tmp_path))
    payload = cli("projects", "--data", data, "--as-of", AS_OF, "--id", "P1", "--json").json()
    assert payload["project"]["project_id"] == "P1" and payload["where"] == "项目台账.csv 第2行"
    assert payload["capital_wan"] == 15.5 and payload["capital_counted_wan"] == 15.5
    assert [(a["date"], a["amount_wan"]) for a in payload["arrivals"]] == [
        ("2024-04-05", 10),
        ("2025-01-20", 5.5),
    ]
    assert [a["where"] for a in payload["arrivals"]] == [
        "到位资金台账.csv 第2行",
        "到位资金台账.csv 第3行",
    ]
    codes = {w["code"] for w in payload["warnings"]}
    assert "start-unplanned" in codes  # signed 2024-03-01, no start 18 months on
    shown = cli("projects", "--data", data, "--as-of", AS_OF, "--id", "Ｐ1")  # full-width typed
    assert shown.code == 0 and "项目P1" in shown.out and "16 万元" in shown.out
    pasted = cli("projects", "--data", data, "--as-of", AS_OF, "--id", "P\u200b1", "--json")
    assert pasted.code == 0 and pasted.json()["project"]["project_id"] == "P1"  # zero-width space
    missing = cli("projects", "--data", data, "--as-of", AS_OF, "--id", "P9")
    assert missing.code == 2 and "--id “P9”不在项目台账中" in missing.err


def test_projects_id_of_a_rejected_row_says_where(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write_csv(tmp_path / "项目台账.csv", [project("P1"), project("P2", 所属区="海淀区")])
    result = cli("projects", "--data", str(tmp_path), "--as-of", AS_OF, "--id", "P2")
    assert result.code == 2 and "项目台账.csv 第3行" in result.err and "validate" in result.err


# ---------------------------------------------------------------- CI for ledger repositories
def _hook() -> dict[str, str]:
    """The first hook of .pre-commit-hooks.yaml (flat `key: value` lines, no YAML library)."""
    hook: dict[str, str] = {}
    for line in (REPO / ".pre-commit-hooks.yaml").read_text("utf-8").splitlines():
        match = re.match(r"^(?:- |  )(\w+): (.*)$", line)
        if match:
            hook[match[1]] = match[2]
    return hook


def test_pre_commit_hook_entry_validates_a_ledger_repository(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook = _hook()
    assert hook["id"] == "wuhai-zs-validate" and hook["language"] == "python"
    assert hook["pass_filenames"] == "false"
    entry = hook["entry"].split()
    args = [a.strip() for a in hook["args"].strip("[]").split(",")]
    assert entry[0] == "wuhai-zs"  # the console script pre-commit installs (pyproject scripts)
    repo = tmp_path / "ledger-repo"
    _ledgers(repo)
    monkeypatch.chdir(repo)  # pre-commit runs hooks at the repository root
    clean = cli(*entry[1:], *args)
    assert clean.code == 0, clean.err
    write_csv(repo / "项目台账.csv", [project("P1"), project("P2", 所属区="海淀区")])
    broken = cli(*entry[1:], *args)
    assert broken.code == 1 and "海淀区" in broken.out
    action = (REPO / "action.yml").read_text("utf-8")
    assert "using: composite" in action
    assert 'wuhai-zs validate "${args[@]}" --format github' in action
    assert "--format junit" in action


def test_junit_report_is_valid_xml_with_each_finding(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    write_csv(
        tmp_path / "台账" / "项目台账.csv",
        [
            project("P1"),
            project("P2", 所属区="海淀区", 项目名称="名称\x01含控制字符"),
            project("P3", **{"总投资（万元）": 150000}),
        ],
    )
    data = tmp_path / "台账"
    result = cli("validate", "--data", str(data), "--as-of", AS_OF, "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.out)
    payload = cli("validate", "--data", str(data), "--as-of", AS_OF, "--json").json()
    errors, all_warnings = payload["counts"]["errors"], payload["counts"]["warnings"]
    assert root.tag == "testsuites" and int(root.get("failures", "")) == errors
    mine = [f for f in payload["findings"] if f["ledger"] == "projects"]
    (suite,) = [s for s in root.iter("testsuite") if s.get("name") == "项目台账"]
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "")) == len(cases) == 1 + len(mine)  # the file read, each finding
    assert int(root.get("tests", "")) == 1 + len(payload["findings"])
    warnings = sum(f["severity"] == "warning" for f in mine)
    failure_cases = [c for c in cases if c.find("failure") is not None]
    (bad,) = [c for c in failure_cases if c.find("failure").get("type") == "not-allowed"]  # type: ignore[union-attr]
    assert bad.get("line") == "3" and bad.get("file") == (data / "项目台账.csv").as_posix()
    assert "海淀区" in (bad.find("failure").text or "")  # type: ignore[union-attr]
    warned = [c for c in cases if c.find("system-out") is not None]
    assert len(warned) == warnings and "five-ones" in warned[0].get("classname", "")
    strict = cli("validate", "--data", str(data), "--as-of", AS_OF, "-f", "junit", "--strict")
    assert int(ET.fromstring(strict.out).get("failures", "")) == errors + all_warnings
    assert "发现" in result.err  # the summary goes to stderr, the XML alone to stdout


# ---------------------------------------------------------------- the README
def _readme_table() -> dict[str, set[str]]:
    """The README's command table: each `wuhai-zs …` command with the options its first cell
    names (the description may mention other commands' options)."""
    text = (REPO / "README.md").read_text("utf-8")
    block = text.split("<!-- commands: start -->")[1].split("<!-- commands: end -->")[0]
    rows: dict[str, set[str]] = {}
    for line in block.splitlines():
        if not line.startswith("| `wuhai-zs"):
            continue
        first = re.split(r"(?<!\\)\|", line)[1]  # the command cell (\| is a literal bar)
        name = re.match(r"\s*`wuhai-zs((?: [a-z]+)*)", first)
        assert name, line
        key = name[1].strip()
        rows.setdefault(key, set()).update(re.findall(r"(?<![\w-])--[a-z][a-z-]*", first))
    return rows


def test_readme_lists_every_command_and_option() -> None:
    rows = _readme_table()
    for path, command in _app_commands():
        key = " ".join(path)
        options = {
            o
            for p in command.params
            if p.param_type_name == "option"
            for o in p.opts
            if o.startswith("--")
        } - {"--help"}
        assert key in rows, f"README 命令表缺少 wuhai-zs {key}"
        assert rows[key] == options, (key, rows[key] ^ options)
    assert set(rows) == {" ".join(p) for p, _ in _app_commands()}


def test_help_is_fast_to_import() -> None:
    """--help never loads the data stack (pandas, pyarrow, openpyxl, rich)."""
    probe = (
        "import sys; from wuhai_zs.cli.app import build; build(); "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'openpyxl', 'rich') if m in sys.modules))"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.replace("'", '"')) == []
