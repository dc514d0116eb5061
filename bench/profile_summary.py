"""Summarise a pyinstrument session by the functions of src/wuhai_zs.

    python bench/profile_summary.py bench/out/profile-validate.pyisession

For each of our functions: total time (with everything it calls), and own time (total minus
the time of the wuhai_zs functions it calls: its own lines plus the pandas/pyarrow/... calls it
makes directly). Then the library calls behind the own time, so "what to change" is visible.
Needs pyinstrument (run with the environment that recorded the session).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

OURS = "/wuhai_zs/"


def _ours(frame: Any) -> str | None:
    path = frame.file_path or ""
    if OURS not in path or frame.is_synthetic:
        return None
    rel = path[path.index(OURS) + 1 :]
    name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
    if name.startswith("<") and name != "<module>":  # <lambda>, <listcomp>: say which
        name += f"@{frame.line_no}"
    return f"{rel}:{name}"


def _lib(frame: Any) -> str:
    path = frame.file_path or ""
    if "importlib" in path or frame.function in ("_find_and_load", "_handle_fromlist"):
        return "imports (lazy import)"
    if frame.is_synthetic:
        return frame.function
    short = path
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            short = path.split(marker, 1)[1]
            break
    name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
    return f"{name} ({short})"


def summarize(session_path: Path, top: int = 30) -> str:
    from pyinstrument.session import Session

    session = Session.load(str(session_path))
    root = session.root_frame()
    if root is None:
        return f"{session_path}: empty session\n"
    duration = root.time
    total: dict[str, float] = defaultdict(float)
    own: dict[str, float] = defaultdict(float)
    lib_calls: dict[tuple[str, str], float] = defaultdict(float)

    def ours_below(frame: Any) -> float:
        t = 0.0
        for child in frame.children:
            t += child.time if _ours(child) else ours_below(child)
        return t

    def walk(frame: Any, ancestors: frozenset[str], owner: str | None, lib_top: str | None) -> None:
        key = _ours(frame)
        if key:
            if key not in ancestors:
                total[key] += frame.time
            own[key] += frame.time - ours_below(frame)
            ancestors = ancestors | {key}
            owner, lib_top = key, None
        elif owner is not None and lib_top is None:
            lib_top = _lib(frame)
            lib_calls[(owner, lib_top)] += frame.time - ours_below(frame)
        for child in frame.children:
            walk(child, ancestors, owner, lib_top)

    walk(root, frozenset(), None, None)
    outside = duration - sum(v for k, v in own.items())

    def pct(x: float) -> str:
        return f"{100 * x / duration:5.1f}%"

    lines = [
        f"Session {session_path.name}: {duration:.3f} s sampled "
        f"({session.sample_count} samples); {session.target_description}",
        "",
        "Functions of src/wuhai_zs, by total time (with callees)",
        f"{'total s':>8} {'%':>6}  {'own s':>7} {'%':>6}  function",
    ]
    for key, t in sorted(total.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{t:8.3f} {pct(t)}  {own[key]:7.3f} {pct(own[key])}  {key}")
    lines += [
        "",
        "By own time (own lines + the library calls made directly from them)",
        f"{'own s':>8} {'%':>6}  function",
    ]
    for key, t in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{t:8.3f} {pct(t)}  {key}")
    lines += [
        "",
        "Library calls behind the own time (caller -> first library frame)",
        f"{'s':>8} {'%':>6}  call",
    ]
    for (owner, lib), t in sorted(lib_calls.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{t:8.3f} {pct(t)}  {owner} -> {lib}")
    lines += [
        "",
        f"{outside:8.3f} {pct(outside)}  outside src/wuhai_zs functions "
        "(interpreter start, module imports at top level, CLI framework)",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(summarize(Path(arg)))
