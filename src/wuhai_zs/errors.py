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


# What an operating-system error means, for a clerk (never errno's English text).
_OS_REASONS = {
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "ENOENT": "路径不存在",
    "EISDIR": "是一个文件夹",
    "ENOTDIR": "路径中有一段不是文件夹",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "所在位置只读",
    "EEXIST": "已存在",
    "ENAMETOOLONG": "文件名太长",
    "EBUSY": "正被其他程序占用",
    "ETXTBSY": "正被其他程序占用",
    "EIO": "读写出错（磁盘或网络盘故障）",
    "ELOOP": "链接循环",
    "EMFILE": "打开的文件太多",
}


def os_reason(exc: OSError) -> str:
    """An OSError as a short Chinese reason: 没有权限, 磁盘空间不足 …"""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误，错误码 {exc.errno}" if exc.errno else "系统错误")


def unknown_value(
    option: str, value: str, allowed: list[str], near: list[str] | None = None
) -> UsageError:
    """The one answer to a filter value that names nothing (exit 2): the near names first,
    then every valid value. A typo must never read as an empty result."""
    if near is None:
        import difflib

        near = difflib.get_close_matches(value, allowed, n=3, cutoff=0.5)
        near += [a for a in allowed if value and value in a and a not in near]
    text = f"{option} “{value}”不是可用的取值"
    if near:
        text += f"，你是不是要用 {'、'.join(near[:5])}"
    return UsageError(f"{text}；可用：{'、'.join(allowed)}")
