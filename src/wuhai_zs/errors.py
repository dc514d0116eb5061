"""The one error family the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class WuhaiError(Exception):
    """Input that cannot be used at all: the CLI prints the message and exits 2."""


class SourceError(WuhaiError):
    """A path, file or sheet that cannot be read."""


class PlanError(WuhaiError):
    """A plan file that does not load or does not validate."""


class UsageError(WuhaiError):
    """An option value that makes no sense."""


# Messages that tell the user how to fix something.
UNDECODABLE = "无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、GB18030/GBK），请在 Excel 中另存为“CSV UTF-8”后重试"
NOT_TEXT = "不是文本格式的 CSV 文件（含有二进制内容），请确认文件类型"
