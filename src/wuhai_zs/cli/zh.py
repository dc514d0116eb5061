"""click's help pages and usage errors in Chinese: one help layout, one error line."""

from __future__ import annotations

import re
import shutil
from enum import Enum
from typing import Any

from typer.core import TyperCommand, TyperGroup

from wuhai_zs.render.text import cell_width, wrap

try:  # typer ≥ 0.20 vendors click
    from typer import _click as click
except ImportError:  # pragma: no cover - older typer with click installed beside it
    import click  # type: ignore[no-redef]

HELP_OPTION_HELP = "显示本帮助并退出。"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HELP_NAMES = ["-h", "--help"]
# Help pages are wrapped to the terminal (COLUMNS when piped), at most this wide.
MAX_HELP_WIDTH = 100
NAME_COLUMN = 30


def help_width() -> int:
    return max(40, min(MAX_HELP_WIDTH, shutil.get_terminal_size((MAX_HELP_WIDTH, 24)).columns))


# ---------------------------------------------------------------- help pages
def short_help(command: Any) -> str:
    """A command's first sentence, for the list of commands."""
    if command.short_help:
        return str(command.short_help)
    text = (command.help or "").strip().split("\n")[0]
    head, stop, _ = text.partition("。")
    return head + stop


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None)
    if choices is None:  # click's own Choice type (older typer)
        choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(c.value if isinstance(c, Enum) else c) for c in choices or ()]


def metavar(param: Any) -> str:
    """What an option takes, as the help page and errors name it (set on every option)."""
    if param.metavar:
        return str(param.metavar)
    choices = _choices(param)
    return "|".join(choices) if choices else "值"


def option_names(param: Any) -> str:
    return ", ".join(sorted(param.opts, key=len))


def _record(param: Any, ctx: Any) -> tuple[str, str] | None:
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        return metavar(param), param.help or ""
    name = option_names(param)
    if not param.is_flag:
        name += f" {metavar(param)}"
    extras = []
    if not param.is_flag and param.show_default:
        default = param.get_default(ctx, call=False)
        if default is not None and not callable(default):
            extras.append(f"默认：{default.value if isinstance(default, Enum) else default}")
    if param.required:
        extras.append("必填")
    text = param.help or ""
    if extras:
        text += f"  [{'；'.join(extras)}]"
    return name, text


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    column = min(NAME_COLUMN, max(cell_width(name) for name, _ in rows))
    text_width = max(20, width - column - 4)
    out: list[str] = []
    for name, text in rows:
        lines = wrap(text, text_width) if text else [""]
        if cell_width(name) > column:
            out.append(f"  {name}")
            pad = " " * (column + 4)
            out.extend((pad + line).rstrip() for line in lines)
            continue
        first = f"  {name}{' ' * (column - cell_width(name))}  {lines[0]}"
        out.append(first.rstrip())
        out.extend(f"{' ' * (column + 4)}{line}".rstrip() for line in lines[1:])
    return out


def help_page(command: Any, ctx: Any) -> str:
    """The whole help page of a command or group, in Chinese, wrapped to the terminal."""
    width = help_width()
    usage = f"{ctx.command_path} {' '.join(command.collect_usage_pieces(ctx))}".rstrip()
    out = wrap(f"用法：{usage}", width)
    if command.help:
        out.append("")
        for paragraph in command.help.strip().split("\n\n"):
            out.extend(f"  {line}".rstrip() for line in wrap(paragraph.strip(), width - 2))
            out.append("")
        out.pop()
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        record = _record(param, ctx)
        if record is not None:
            (arguments if param.param_type_name == "argument" else options).append(record)
    commands: list[tuple[str, str]] = []
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                commands.append((name, short_help(sub)))
    for title, rows in (("参数", arguments), ("选项", options), ("命令", commands)):
        if rows:
            out += ["", f"{title}：", *_definitions(rows, width)]
    return "\n".join(out) + "\n"


class ZhCommand(TyperCommand):
    """A command whose help page, usage line and help option speak Chinese."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.options_metavar = OPTIONS_METAVAR

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_page(self, ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)


class ZhGroup(TyperGroup):
    """A group of commands whose help page, usage line and help option speak Chinese."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.options_metavar = OPTIONS_METAVAR
        self.subcommand_metavar = SUBCOMMAND_METAVAR

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_page(self, ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)


# ---------------------------------------------------------------- usage errors
def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    if param.param_type_name == "argument":
        return metavar(param)
    return option_names(param)


def usage_error(exc: Any) -> str:
    """A click usage error as one Chinese line: what is wrong and where to look."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "wuhai-zs"
    hint = f"（用 {where} --help 查看用法）"
    message = str(getattr(exc, "message", "") or "")
    param = getattr(exc, "param", None)
    if isinstance(exc, click.exceptions.NoSuchOption):
        text = f"{where} 没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"，你是不是要用 {'、'.join(sorted(exc.possibilities))}"
        return text + hint
    if isinstance(exc, click.exceptions.MissingParameter):
        kind = "参数" if param is not None and param.param_type_name == "argument" else "选项"
        return f"{where} 缺少{kind} {_param_name(param)}{hint}"
    if isinstance(exc, click.exceptions.BadParameter):
        name = _param_name(param)
        wrong = re.search(r"'(.*)' is not one of", message)
        if wrong:
            return f"{name} 不接受“{wrong[1]}”，可用：{'、'.join(_choices(param))}"
        if "integer" in message:
            return f"{name} 应为整数{hint}"
        low = re.search(r"greater than or equal to (\S+)", message)
        if low:
            return f"{name} 应不小于 {low[1]}"
        return f"{name} 的取值无效{hint}"
    if isinstance(exc, click.exceptions.BadOptionUsage):
        if "requires" in message:
            return f"选项 {exc.option_name} 后面需要一个值{hint}"
        if "does not take a value" in message:
            return f"选项 {exc.option_name} 不带值{hint}"
    command = re.match(r"No such command '(.*?)'\.(?: Did you mean (.*)\?)?", message)
    if command:
        text = f"{where} 没有命令“{command[1]}”"
        if command[2]:
            near = re.findall(r"'([^']*)'", command[2])
            text += f"，你是不是要用 {'、'.join(near)}"
        return text + hint
    extra = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra[1]}（值里有空格时请加引号）{hint}"
    if message.startswith("Missing command"):
        return f"{where} 缺少命令{hint}"
    return f"命令行有误{hint}"


def chinese(command: Any) -> None:
    """Make a whole command tree speak Chinese, whatever class each command was built with."""
    if isinstance(command, TyperGroup):
        if not isinstance(command, ZhGroup):
            command.__class__ = ZhGroup
        command.options_metavar = OPTIONS_METAVAR
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            chinese(sub)
    elif isinstance(command, TyperCommand):
        if not isinstance(command, ZhCommand):
            command.__class__ = ZhCommand
        command.options_metavar = OPTIONS_METAVAR
