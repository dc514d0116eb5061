"""Where a key of a TOML plan file stands: its line, and its path as a person reads it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Path = tuple[str | int, ...]

BARE = r"[A-Za-z0-9_-]+"
QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
KEY = rf"(?:{BARE}|{QUOTED})"
DOTTED = rf"{KEY}(?:\s*\.\s*{KEY})*"


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(m.strip("\"'") for m in re.findall(KEY, dotted))


def _code(line: str) -> tuple[str, int]:
    """The line without its comment, and how far brackets open (+) or close (-) on it."""
    out, depth, quote = [], 0, ""
    for ch in line:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        out.append(ch)
    return "".join(out), depth


def key_lines(text: str) -> dict[Path, int]:
    """The 1-based line of every table header and key, by its path (array tables indexed)."""
    lines: dict[Path, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: Path = ()
    depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        code, change = _code(raw)
        if depth > 0:  # inside a value that spans lines
            depth += change
            continue
        stripped = code.strip()
        if match := re.fullmatch(rf"\[\[\s*({DOTTED})\s*\]\]", stripped):
            names = _parts(match.group(1))
            index = counts.get(names, 0)
            counts[names] = index + 1
            table = (*_resolve(names[:-1], counts), names[-1], index)
            lines.setdefault(table, number)
            lines.setdefault(table[:-1], number)
            continue
        if match := re.fullmatch(rf"\[\s*({DOTTED})\s*\]", stripped):
            table = _resolve(_parts(match.group(1)), counts)
            lines.setdefault(table, number)
            continue
        if match := re.match(rf"\s*({DOTTED})\s*=(.*)$", code):
            key = (*table, *_parts(match.group(1)))
            lines.setdefault(key, number)
            value = match.group(2)
            if value.strip().startswith("{"):
                for inner in re.finditer(rf"[{{,]\s*({DOTTED})\s*=", value):
                    lines.setdefault((*key, *_parts(inner.group(1))), number)
            depth = max(0, change)
    return lines


def _resolve(names: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> Path:
    """A table name with the current index of every array of tables it passes through."""
    out: list[str | int] = []
    for i, name in enumerate(names):
        out.append(name)
        if names[: i + 1] in counts:
            out.append(counts[names[: i + 1]] - 1)
    return tuple(out)


def line_of(lines: dict[Path, int], path: Sequence[str | int]) -> int | None:
    """The line of the longest prefix of `path` that the file names."""
    for end in range(len(path), 0, -1):
        found = lines.get(tuple(path[:end]))
        if found is not None:
            return found
    return None


def describe(path: Sequence[str | int], data: Any, table: bool = False) -> str:
    """A key path in the words of the file: 第 6 个 [[targets]]（id = x）中的 year.

    With `table`, the path names a table: [assessment.units.乌达区].
    """
    if table and path and isinstance(path[-1], str):
        return _table_words(path, data)
    return _words(path, data)


def _table_words(path: Sequence[str | int], data: Any) -> str:
    head = _words(path[:-1], data) if any(isinstance(p, int) for p in path) else ""
    if head.startswith("第"):
        return f"{head}中的 [{path[-1]}]"
    return f"[{'.'.join(str(p) for p in path)}]"


def _words(path: Sequence[str | int], data: Any) -> str:
    table: list[str] = []
    words: list[str] = []
    node = data
    i = 0
    while i < len(path):
        part = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        child = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
        if isinstance(nxt, int) and isinstance(child, list):
            item = child[nxt] if nxt < len(child) else None
            name = ".".join([*table, str(part)])
            if isinstance(item, dict):
                label = next(
                    (f"（{k} = {item[k]}）" for k in ("id", "name", "title") if k in item), ""
                )
                words = [f"第 {nxt + 1} 个 [[{name}]]{label}"]
                table = [name]
                node = item
            else:
                words.append(f"{name} 的第 {nxt + 1} 项")
                node = item
            i += 2
            continue
        last = i == len(path) - 1
        if last:
            if words:
                words.append(f"中的 {part}")
            elif table:
                words.append(f"[{'.'.join(table)}] 中的 {part}")
            else:
                words.append(str(part))
        else:
            table.append(str(part))
            node = child
        i += 1
    if not words and table:
        words.append(f"[{'.'.join(table)}]")
    return "".join(words)
