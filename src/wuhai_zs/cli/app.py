"""The `wuhai-zs` application: commands registered here, errors turned into exit codes here."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from wuhai_zs import __version__
from wuhai_zs.cli import diff as diff_cmd
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
from wuhai_zs.cli.zh import HELP_NAMES, chinese, click, usage_error

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
DEBUG = "--debug"
PROG = "wuhai-zs"

app = typer.Typer(
    name=PROG,
    help="乌海市招商引资三年行动方案（2023—2025年）台账校验与目标监测。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": HELP_NAMES},
)


def _version(value: bool) -> None:
    if value:
        print(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(DEBUG, help="出错时显示完整的 Python 调用栈（可写在命令行的任何位置）。"),
    ] = False,
) -> None:
    """乌海市招商引资三年行动方案（2023—2025年）台账校验与目标监测。"""


COMMANDS = (
    ("validate", validate_cmd),
    ("targets", targets_cmd),
    ("rules", rules_cmd),
    ("projects", projects_cmd),
    ("districts", districts_cmd),
    ("dispatch", dispatch_cmd),
    ("tasks", tasks_cmd),
    ("export", export_cmd),
    ("diff", diff_cmd),
    ("template", template_cmd),
    ("sample", sample_cmd),
    ("review", review_cmd),
)
for _name, _module in COMMANDS:
    app.command(_name, help=_module.HELP)(_module.command)
app.add_typer(plan_cmd.app, name="plan", help=plan_cmd.HELP)


# ---------------------------------------------------------------- shell completion
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMPLETION_HELP = {
    "install_completion": "为当前 shell（bash、zsh、fish、PowerShell）安装命令补全，重新打开终端后生效。",
    "show_completion": "显示当前 shell 的命令补全脚本，可复制后自行安装。",
}


def _shell() -> str:
    import os

    from typer._completion_shared import _get_shell_name

    shell = _get_shell_name() or os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        from wuhai_zs.errors import UsageError

        raise UsageError(
            f"无法识别当前 shell（{shell or '未知'}）；命令补全支持 bash、zsh、fish 和 PowerShell"
        )
    return shell


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    shell, path = install(shell=_shell(), prog_name=PROG)
    print(f"已为 {shell} 安装 {PROG} 的命令补全：{path}（重新打开终端后生效）")
    raise typer.Exit(EXIT_OK)


def _show_completion(ctx: Any, param: Any, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import get_completion_script

    complete_var = f"_{PROG.replace('-', '_').upper()}_COMPLETE"
    print(get_completion_script(prog_name=PROG, complete_var=complete_var, shell=_shell()))
    raise typer.Exit(EXIT_OK)


def build() -> Any:
    """The click command tree of the app: every command, however it was registered, speaks
    Chinese (zh.chinese), and the completion options have Chinese help."""
    command = typer.main.get_command(app)
    chinese(command)
    callbacks = {"install_completion": _install_completion, "show_completion": _show_completion}
    param: Any
    for param in command.params:
        if param.name in COMPLETION_HELP:
            param.help = COMPLETION_HELP[param.name]
            param.callback = callbacks[param.name]
    return command


# ---------------------------------------------------------------- errors and exit codes
INTERNAL = (
    "内部错误：程序出现了意外情况（不是台账的问题）；请加 --debug 重新运行，并把输出发给维护者"
)


def _split_debug(args: list[str]) -> tuple[list[str], bool]:
    """--debug anywhere before a bare `--`, taken out so that no command has to know it."""
    end = args.index("--") if "--" in args else len(args)
    head = [a for a in args[:end] if a != DEBUG]
    return head + args[end:], len(head) < end


def main(argv: list[str] | None = None) -> None:
    from wuhai_zs.errors import WuhaiError, os_reason

    args, debug = _split_debug(list(sys.argv[1:] if argv is None else argv))
    command = build()
    message: str | None = None
    failure: BaseException | None = None
    try:
        code = command.main(args=args, prog_name=PROG, standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort as exc:
        message, failure = "已取消", exc
    except click.exceptions.ClickException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, not an error
            print(exc.ctx.get_help())  # type: ignore[attr-defined]
            code = EXIT_OK
        else:
            message, failure = f"错误：{usage_error(exc)}", exc
    except WuhaiError as exc:
        message, failure = str(exc), exc
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:  # a file the command could not read or write
        message, failure = (f"{exc.filename}: " if exc.filename else "") + os_reason(exc), exc
    except Exception as exc:  # a bug: still one line, unless --debug
        message, failure = INTERNAL, exc
    if message is not None:
        if debug and failure is not None:
            import traceback

            traceback.print_exception(failure)
        print(f"{PROG}: {message}", file=sys.stderr)
        code = EXIT_UNUSABLE
    sys.exit(code if isinstance(code, int) else EXIT_OK)
