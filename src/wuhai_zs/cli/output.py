"""The one rule for files a command writes: never over an existing file without --force."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wuhai_zs.errors import UsageError, os_reason

FORCE_HINT = "加 --force 覆盖"


def check_output(path: Path, force: bool, suffix: str) -> None:
    """An output file: the right suffix, an existing folder, not a folder itself, and not an
    existing file unless --force. Checked before any ledger is read."""
    if path.is_dir():
        raise UsageError(f"{path}: 是一个文件夹，请给出文件名（如 {path / ('输出' + suffix)}）")
    if path.suffix.lower() != suffix:
        raise UsageError(f"{path}: 输出文件应以 {suffix} 结尾")
    if not path.parent.is_dir():
        raise UsageError(f"{path}: 文件夹 {path.parent} 不存在（请先创建，或换一个位置）")
    if path.exists() and not force:
        raise UsageError(f"{path}: 文件已存在，未覆盖（{FORCE_HINT}）")


def check_folder(folder: Path, names: Iterable[str], force: bool) -> None:
    """An output folder: not a file, and none of `names` already in it unless --force."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: 已存在同名文件，不是文件夹")
    clashes = [name for name in names if (folder / name).exists()]
    if clashes and not force:
        shown = "、".join(clashes[:5]) + (f" 等 {len(clashes)} 个文件" if len(clashes) > 5 else "")
        raise UsageError(f"{folder}: 已有 {shown}，未覆盖（{FORCE_HINT}）")


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: 无法创建文件夹（{os_reason(exc)}）") from exc


def write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: 无法写入（{os_reason(exc)}）") from exc
