"""Finding the ledgers under --data: per-ledger files, district workbooks, subfolders at any depth."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from wuhai_zs.errors import SourceError
from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.ledgers.read import TEXT_SUFFIXES, WORKBOOK_SUFFIXES, Workbook, open_workbook, sniff

LEDGER_SUFFIXES = (*TEXT_SUFFIXES, *WORKBOOK_SUFFIXES)
WORKBOOK_KINDS = ("xlsx", "xls", "ods", "html", "xml2003")

# A folder holding this file is the bundled synthetic sample or a copy made by `wuhai-zs sample`.
SAMPLE_MARKER = ".wuhai-zs-sample"

# Why a file or sheet was not read (listed with it).
NOT_NAMED = "名称中没有台账名称（项目台账、到位资金台账、园区台账、产值台账、招商活动台账）"
TWO_NAMES = "名称中含有多个台账名称，无法确定是哪个台账"
NOT_A_TABLE = "不是表格文件"
HIDDEN_FILE = "隐藏文件或系统文件"
HIDDEN_FOLDER = "隐藏文件夹，其中的文件未读取"
SAME_FILE = "与 {other} 是同一个文件（链接），只读取一次"
SAME_FOLDER = "链接指向已读取的文件夹 {other}，不重复读取"
LOCK_FILE = (
    "Excel/WPS 的临时锁定文件：说明“{name}”正在被打开，尚未保存的修改不在文件中；"
    "请保存并关闭该文件后再运行"
)
HIDDEN_SHEET = "隐藏工作表（同一工作簿中已有可见的{stem}工作表）"
NO_HEADER = "工作表中没有{stem}的表头，不是台账"
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})

_ENGLISH = re.compile(
    r"(?<![a-z])(" + "|".join(LEDGERS) + r")(?![a-z])",
)


def _named(name: str) -> set[str]:
    """Every ledger whose stem (spaces aside) or English key a file or sheet name contains."""
    text = unicodedata.normalize("NFKC", name)
    squeezed = re.sub(r"\s+", "", text)
    found = {key for key, spec in LEDGERS.items() if spec.stem_zh in squeezed}
    return found | set(_ENGLISH.findall(text.lower()))


def ledger_of(name: str) -> str | None:
    """The ledger a file or sheet name names: it contains the ledger's stem, whatever is around it.

    `到位资金台账（2025年9月）`, `乌达区-项目台账`, `项目台账(新)`, `到位资金台账 (1)`, `arrivals_2025`;
    a name with two stems names none.
    """
    found = _named(name)
    return found.pop() if len(found) == 1 else None


def _names_two(name: str) -> bool:
    return len(_named(name)) > 1


@dataclass(frozen=True)
class Source:
    ledger: str
    path: Path
    display: str  # the path as findings name it: relative to --data
    sheet: str | None  # None for a CSV file
    guessed: bool = False  # ledger taken from the workbook's name: read if its header fits


@dataclass(frozen=True)
class Unreadable:
    """A file (or sheet) that could not be read: a finding, while the rest is still read."""

    display: str
    sheet: str | None
    ledger: str | None
    message: str


@dataclass
class Discovery:
    sources: list[Source]
    ignored: list[tuple[str, str | None, str]]  # (file, sheet or None, why it was not read)
    workbooks: dict[Path, Workbook]  # opened once, reused for every sheet
    synthetic: bool = False  # the bundled sample (or a copy of it): outputs say 示例数据
    unreadable: list[Unreadable] = field(default_factory=list)


def _workbook_sources(path: Path, display: str, kind: str, found: Discovery) -> None:
    workbook = open_workbook(path, display, kind)
    found.workbooks[path] = workbook
    names = list(workbook.sheet_names)
    hidden = workbook.hidden
    by_sheet = {n: ledger_of(n) for n in names}
    file_ledger = ledger_of(path.stem)
    if not any(by_sheet.values()) and file_ledger:
        # A workbook named after one ledger (到位资金台账（9月）.xlsx) whose data sit on a sheet
        # named anything: each visible sheet is a candidate, kept when its header is the ledger's.
        visible = [n for n in names if n not in hidden] or names
        for n in visible:
            found.sources.append(Source(file_ledger, path, display, n, guessed=True))
        found.ignored += [(display, n, "隐藏工作表") for n in names if n not in visible]
        return
    for name in names:
        ledger = by_sheet[name]
        if ledger is None:
            found.ignored.append((display, name, TWO_NAMES if _names_two(name) else NOT_NAMED))
            continue
        shown = [n for n in names if by_sheet[n] == ledger and n not in hidden]
        if name in hidden and shown:
            stem = f"“{LEDGERS[ledger].stem_zh}”"
            found.ignored.append((display, name, HIDDEN_SHEET.format(stem=stem)))
            continue
        found.sources.append(Source(ledger, path, display, name))


def _skip_reason(entry: os.DirEntry[str]) -> str | None:
    name = entry.name
    if name.startswith("~$"):
        return LOCK_FILE.format(name=name[2:])
    if name.startswith(".~lock.") and name.endswith("#"):
        return LOCK_FILE.format(name=name[len(".~lock.") : -1])
    if name.lower() in SYSTEM_FILES or name.startswith("."):
        return HIDDEN_FILE
    return None


def _add_file(path: Path, display: str, found: Discovery) -> None:
    suffix = path.suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        found.ignored.append((display, None, f"{NOT_A_TABLE}（{suffix or '无扩展名'}）"))
        return
    ledger = ledger_of(path.stem)
    kind = sniff(path)
    if kind == "text":
        if ledger is None:
            reason = TWO_NAMES if _names_two(path.stem) else NOT_NAMED
            found.ignored.append((display, None, f"文件{reason}"))
        else:
            found.sources.append(Source(ledger, path, display, None))
        return
    if kind in WORKBOOK_KINDS:
        try:
            _workbook_sources(path, display, kind, found)
        except SourceError as exc:
            message = str(exc).removeprefix(f"{display}: ")
            found.unreadable.append(Unreadable(display, None, ledger, message))
        return
    from wuhai_zs.errors import NOT_TEXT
    from wuhai_zs.ledgers.read import not_a_workbook

    binary = kind == "unknown" and suffix in TEXT_SUFFIXES
    message = NOT_TEXT if binary else not_a_workbook(kind)
    found.unreadable.append(Unreadable(display, None, ledger, message))


def _walk(
    root: Path,
    folder: Path,
    found: Discovery,
    seen: dict[tuple[int, int], str],
    links: list[os.DirEntry[str]],
) -> None:
    """Files of `folder`, then its subfolders, in name order; links are only collected."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        shown = folder.relative_to(root).as_posix()
        found.unreadable.append(Unreadable(shown, None, None, f"无法打开文件夹（{exc.strerror}）"))
        return
    files: list[os.DirEntry[str]] = []
    folders: list[os.DirEntry[str]] = []
    for entry in entries:
        if entry.is_symlink():
            links.append(entry)
            continue
        (folders if entry.is_dir(follow_symlinks=False) else files).append(entry)
    for entry in files:
        if entry.name == SAMPLE_MARKER and folder == root:
            continue
        _visit(root, entry, found, seen, links)
    for entry in folders:
        _visit(root, entry, found, seen, links)


def _visit(
    root: Path,
    entry: os.DirEntry[str],
    found: Discovery,
    seen: dict[tuple[int, int], str],
    links: list[os.DirEntry[str]],
) -> None:
    """One file or folder, read once however many links lead to it."""
    path = Path(entry.path)
    display = path.relative_to(root).as_posix()
    try:
        is_dir = entry.is_dir()
        stat = entry.stat()
    except OSError:
        found.ignored.append((display, None, "链接指向的文件不存在"))
        return
    if is_dir:
        display += "/"
        if entry.name.startswith("."):
            found.ignored.append((display, None, HIDDEN_FOLDER))
            return
    else:
        reason = _skip_reason(entry)
        if reason:
            found.ignored.append((display, None, reason))
            return
    key = (stat.st_dev, stat.st_ino)
    if key in seen:
        other = seen[key] or "."
        reason = (SAME_FOLDER if is_dir else SAME_FILE).format(other=other)
        found.ignored.append((display, None, reason))
        return
    seen[key] = display
    if is_dir:
        _walk(root, path, found, seen, links)
    else:
        _add_file(path, display, found)


def _walk_tree(root: Path, found: Discovery) -> None:
    """Every real file under `root` at any depth, then what links lead to (each thing once)."""
    stat = root.stat()
    seen = {(stat.st_dev, stat.st_ino): ""}
    links: list[os.DirEntry[str]] = []
    _walk(root, root, found, seen, links)
    while links:
        _visit(root, links.pop(0), found, seen, links)


def discover(data: Path) -> Discovery:
    found = Discovery([], [], {})
    if not data.exists():
        raise SourceError(f"{data}: 路径不存在")
    if data.is_file():
        kind = sniff(data)
        ledger = ledger_of(data.stem)
        if kind in WORKBOOK_KINDS:
            _workbook_sources(data, data.name, kind, found)
        elif kind == "text" and ledger and data.suffix.lower() in LEDGER_SUFFIXES:
            found.sources.append(Source(ledger, data, data.name, None))
        elif kind in ("text", "empty") or data.suffix.lower() not in LEDGER_SUFFIXES:
            raise SourceError(
                f"{data}: 不是台账文件（应为文件夹、.xlsx/.xls/.ods 工作簿，或以台账名命名的 .csv）"
            )
        else:
            from wuhai_zs.ledgers.read import not_a_workbook

            raise SourceError(f"{data}: {not_a_workbook(kind)}")
    else:
        found.synthetic = (data / SAMPLE_MARKER).is_file()
        _walk_tree(data, found)
    if not found.sources:
        problems = "；".join(f"{u.display}: {u.message}" for u in found.unreadable)
        raise SourceError(
            f"{data}: 未找到任何台账（文件或工作表应命名为 项目台账/到位资金台账/园区台账/产值台账/"
            "招商活动台账，或 projects/arrivals/parks/output/activities）"
            + (f"；无法读取的文件：{problems}" if problems else "")
        )
    return found


def sample_path() -> Path:
    """The bundled synthetic sample: inside the installed package, or data/sample in a checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("wuhai_zs"))) / "_sample"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / "sample"
