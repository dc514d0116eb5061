"""Finding the ledgers under --data: per-ledger files, district workbooks, subfolders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wuhai_zs.errors import SourceError
from wuhai_zs.ledgers.columns import STEMS
from wuhai_zs.ledgers.read import WORKBOOK_SUFFIXES

LEDGER_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)


@dataclass(frozen=True)
class Source:
    ledger: str
    path: Path
    display: str  # the path as findings name it: relative to --data
    sheet: str | None  # None for a CSV file


@dataclass
class Discovery:
    sources: list[Source]
    ignored: list[tuple[str, str | None]]  # (file, sheet) passed over; sheet None: a whole file
    workbooks: dict[Path, object]  # opened once, reused for every sheet
    synthetic: bool = False  # the bundled sample (or a copy of it): outputs say 示例数据


def _stem(name: str) -> str | None:
    key = name.strip()
    return STEMS.get(key) or STEMS.get(key.lower())


def _workbook_sources(path: Path, display: str, found: Discovery) -> None:
    from wuhai_zs.ledgers.read import open_workbook

    workbook = open_workbook(path, display)
    found.workbooks[path] = workbook
    names: list[str] = list(workbook.sheet_names)
    matched = [(n, _stem(n)) for n in names if _stem(n)]
    file_ledger = _stem(path.stem)
    if not matched and file_ledger and names:
        # A workbook named by its ledger (项目台账.xlsx) with one sheet named anything.
        matched = [(names[0], file_ledger)]
    used = {n for n, _ in matched}
    for name, ledger in matched:
        found.sources.append(Source(ledger or "", path, display, name))
    found.ignored.extend((display, n) for n in names if n not in used)


# A folder holding this file is the bundled synthetic sample or a copy made by `wuhai-zs sample`.
SAMPLE_MARKER = ".wuhai-zs-sample"


def _is_hidden(path: Path) -> bool:
    return path.name.startswith((".", "~$"))


def discover(data: Path) -> Discovery:
    found = Discovery([], [], {})
    if not data.exists():
        raise SourceError(f"{data}: 路径不存在")
    if data.is_file():
        suffix = data.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            _workbook_sources(data, data.name, found)
        elif suffix == ".csv" and _stem(data.stem):
            found.sources.append(Source(_stem(data.stem) or "", data, data.name, None))
        else:
            raise SourceError(
                f"{data}: 不是台账文件（应为文件夹、.xlsx/.xls/.ods 工作簿，或以台账名命名的 .csv）"
            )
    else:
        found.synthetic = (data / SAMPLE_MARKER).is_file()
        files = sorted(p for p in data.iterdir() if p.is_file() and not _is_hidden(p))
        for sub in sorted(p for p in data.iterdir() if p.is_dir() and not _is_hidden(p)):
            files += sorted(p for p in sub.iterdir() if p.is_file() and not _is_hidden(p))
        for path in files:
            display = path.relative_to(data).as_posix()
            suffix = path.suffix.lower()
            if suffix in WORKBOOK_SUFFIXES:
                _workbook_sources(path, display, found)
            elif suffix == ".csv" and _stem(path.stem):
                found.sources.append(Source(_stem(path.stem) or "", path, display, None))
            else:
                found.ignored.append((display, None))
    if not found.sources:
        raise SourceError(
            f"{data}: 未找到任何台账（文件或工作表应命名为 项目台账/到位资金台账/园区台账/产值台账/"
            "招商活动台账，或 projects/arrivals/parks/output/activities）"
        )
    return found


def sample_path() -> Path:
    """The bundled synthetic sample: inside the installed package, or data/sample in a checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("wuhai_zs"))) / "_sample"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / "sample"
