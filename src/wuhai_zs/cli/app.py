"""The `wuhai-zs` application: commands registered here, errors turned into exit codes here."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from wuhai_zs import __version__
from wuhai_zs.cli import dispatch as dispatch_cmd
from wuhai_zs.cli import districts as districts_cmd
from wuhai_zs.cli import export as export_cmd
from wuhai_zs.cli import plan as plan_cmd
from wuhai_zs.cli import projects as projects_cmd
from wuhai_zs.cli import review as review_cmd
from wuhai_zs.cli import rules as rules_cmd
from wuhai_zs.cli import sample as sample_cmd
from wuhai_zs.cli import targets as targets_cmd
from wuhai_zs.cli import tasks as tasks_cmd
from wuhai_zs.cli import template as template_cmd
from wuhai_zs.cli import validate as validate_cmd

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

app = typer.Typer(
    name="wuhai-zs",
    help="乌海市招商引资三年行动方案（2023—2025年）台账校验与目标监测。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"wuhai-zs {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈。")
    ] = False,
) -> None:
    """乌海市招商引资三年行动方案（2023—2025年）台账校验与目标监测。"""


app.command("validate", help=validate_cmd.HELP)(validate_cmd.command)
app.command("targets", help=targets_cmd.HELP)(targets_cmd.command)
app.command("rules", help=rules_cmd.HELP)(rules_cmd.command)
app.command("projects", help=projects_cmd.HELP)(projects_cmd.command)
app.command("districts", help=districts_cmd.HELP)(districts_cmd.command)
app.command("dispatch", help=dispatch_cmd.HELP)(dispatch_cmd.command)
app.command("tasks", help=tasks_cmd.HELP)(tasks_cmd.command)
app.command("export", help=export_cmd.HELP)(export_cmd.command)
app.command("template", help=template_cmd.HELP)(template_cmd.command)
app.command("sample", help=sample_cmd.HELP)(sample_cmd.command)
app.command("review", help=review_cmd.HELP)(review_cmd.command)
app.add_typer(plan_cmd.app, name="plan", help=plan_cmd.HELP)


def _click_exception() -> type[Exception]:
    """click's ClickException (typer vendors click in newer releases), found via BadParameter."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def main(argv: list[str] | None = None) -> None:
    from wuhai_zs.errors import WuhaiError

    click_exception = _click_exception()

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="wuhai-zs", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        print("已取消", file=sys.stderr)
        code = EXIT_UNUSABLE
    except click_exception as exc:
        if debug:
            raise
        message = exc.format_message()  # type: ignore[attr-defined]
        print(f"wuhai-zs: 错误：{_translate(message)}", file=sys.stderr)
        code = EXIT_UNUSABLE
    except WuhaiError as exc:
        if debug:
            raise
        print(f"wuhai-zs: {exc}", file=sys.stderr)
        code = EXIT_UNUSABLE
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # a bug: still one line, unless --debug
        if debug:
            raise
        print(
            f"wuhai-zs: 内部错误：{type(exc).__name__}: {exc}（加 --debug 查看调用栈）",
            file=sys.stderr,
        )
        code = EXIT_UNUSABLE
    sys.exit(code if isinstance(code, int) else EXIT_OK)


_CLICK_PHRASES = (
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Missing option", "缺少选项"),
    ("Missing argument", "缺少参数"),
    ("Invalid value for", "取值无效"),
    ("requires an argument", "需要一个值"),
    ("Got unexpected extra argument", "多余的参数"),
    ("Did you mean", "你是不是要用"),
)


def _translate(message: str) -> str:
    for english, chinese in _CLICK_PHRASES:
        message = message.replace(english, chinese)
    return " ".join(message.split())
