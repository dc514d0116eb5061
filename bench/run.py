#!/usr/bin/env python3
"""wuhai-zs benchmark (issue 6): whole processes against floors and a peer, in one run.

    python bench/run.py                 # full: 1,000,000 arrivals (CSV), 100,000 (.xlsx), 3 runs
    python bench/run.py --quick         # 100,000 / 10,000 rows, 1 run: a try in seconds
    python bench/run.py --runs 5 --skip-peer

Run it with the Python of the environment wuhai-zs is installed in: that interpreter runs the
floors, and the `wuhai-zs` next to it is the command timed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402  (bench/gen.py, beside this file)

MIB = 1024 * 1024
RSS_LIMIT_MIB = 1536  # 1.5 GiB
# Issue 10: the sample with one stray space at XFD1048576 (the last cell of a sheet).
STRAY_CELL = "XFD1048576"
STRAY_SECONDS = 2.0
STRAY_RSS_MIB = 300
EXPORT_MONTH = "2025-09"

PY_FLOOR_PASS = "pass"
PY_FLOOR_PANDAS = "import pandas"
PY_FLOOR_ARROW = """\
import sys
import pyarrow as pa
import pyarrow.csv as pacsv
path = sys.argv[1]
with open(path, encoding="utf-8-sig") as fh:
    names = fh.readline().rstrip("\\r\\n").split(",")
table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
    column_types={n: pa.string() for n in names}))
frame = table.to_pandas()
assert len(frame) > 0
"""
PY_FLOOR_CALAMINE = """\
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[2]).to_python()
assert len(rows) > 1
"""


# --------------------------------------------------------------------------------------------
# Measuring one process


@dataclass
class Sample:
    seconds: float
    rss_mib: float
    cpu: float  # user + system seconds of the process
    code: int


@dataclass
class Result:
    key: str
    label: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    status: str = "ok"  # ok | failed | skipped | peer unavailable
    detail: str = ""
    short: str = ""  # how the table names it as a floor

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.samples)

    @property
    def median(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.ok else None

    @property
    def rss(self) -> float | None:
        return max(s.rss_mib for s in self.samples) if self.ok else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(s.cpu for s in self.samples) if self.ok else None

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]


# Peak RSS has to come from a parent that is small itself: on Linux a process's ru_maxrss
# starts from the high-water mark of the memory it was forked from (exec keeps it), so wait4
# on a child of this runner (which holds numpy and pyarrow) would report at least the runner's
# own size. GNU time forks the command from its own small process and reports its wait4.
TIME = "/usr/bin/time"
# Fallback without GNU time: the same done by `python -S` (adds that launcher's ~8 MiB floor).
LAUNCHER = """\
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(f"{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _gnu_time() -> bool:
    if not os.access(TIME, os.X_OK):
        return False
    probe = subprocess.run([TIME, "-f", "%M", "true"], capture_output=True, text=True)
    return probe.returncode == 0 and probe.stderr.strip().isdigit()


USE_GNU_TIME = _gnu_time()


def run_once(cmd: list[str], log_dir: Path, name: str, env: dict[str, str]) -> Sample:
    """One process: wall time around it (perf_counter), its peak RSS from its parent's wait4."""
    log_dir.mkdir(parents=True, exist_ok=True)
    rss_file = log_dir / f"{name}.rss"
    rss_file.unlink(missing_ok=True)
    exe = shutil.which(cmd[0]) or cmd[0]
    if USE_GNU_TIME:
        wrapped = [TIME, "-f", "%M %U %S", "-o", str(rss_file), "--", exe, *cmd[1:]]
    else:
        wrapped = [sys.executable, "-S", "-c", LAUNCHER, str(rss_file), exe, *cmd[1:]]
    with open(log_dir / f"{name}.out", "wb") as out, open(log_dir / f"{name}.err", "wb") as err:
        t0 = time.perf_counter()
        code = subprocess.run(
            wrapped, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=ROOT, env=env
        ).returncode
        seconds = time.perf_counter() - t0
    try:
        # GNU time may put "Command exited with non-zero status N" on a line before
        kib, user, system = rss_file.read_text().split()[-3:]
        rss, cpu = int(kib) * 1024 / MIB, float(user) + float(system)
    except (OSError, ValueError):
        rss, cpu = 0.0, 0.0
    return Sample(seconds, rss, cpu, code)


def measure(result: Result, runs: int, ok_codes: tuple[int, ...], ctx: Ctx) -> Result:
    """Median of `runs` processes; a wuhai-zs case that exits 2 is waited for and retried."""
    for attempt in range(ctx.retries + 1):
        result.samples.clear()
        failure = ""
        for i in range(runs):
            sample = run_once(result.command, ctx.log_dir, f"{result.key}-{i + 1}", ctx.env)
            if sample.code not in ok_codes:
                err = (ctx.log_dir / f"{result.key}-{i + 1}.err").read_text("utf-8", "replace")
                tail = err.strip().splitlines()[-1:] or [""]
                failure = f"exit {sample.code}: {tail[0][:200]}"
                break
            result.samples.append(sample)
            print(
                f"    {result.label}: run {i + 1}/{runs} {sample.seconds:.3f} s "
                f"(CPU {sample.cpu:.2f} s), {sample.rss_mib:.0f} MiB",
                flush=True,
            )
        if not failure:
            result.status = "ok"
            return result
        result.status, result.detail = "failed", failure
        if attempt < ctx.retries and result.key.startswith("wz-"):
            print(
                f"    {result.label} failed ({failure}); the CLI may be mid-change, "
                f"retrying in {ctx.retry_wait:.0f} s",
                flush=True,
            )
            time.sleep(ctx.retry_wait)
        else:
            break
    print(f"    {result.label}: FAILED ({result.detail})", flush=True)
    result.samples.clear()
    return result


# --------------------------------------------------------------------------------------------
# Setup: data, its verification, the peer


@dataclass
class Ctx:
    python: str
    wuhai: list[str]
    env: dict[str, str]
    log_dir: Path
    retries: int
    retry_wait: float


def wuhai_command(python: str) -> list[str]:
    beside = Path(python).parent / "wuhai-zs"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("wuhai-zs")
    return [found] if found else [python, "-m", "wuhai_zs"]


def make_stray(folder: Path) -> Path:
    """The bundled sample with one stray space in the last cell of its 项目台账 sheet.

    Read as a dense grid that cell asks for 17 billion cells (calamine aborts); read as the cells
    that exist it costs what the sample costs. Rebuilt on every run (it takes a second).
    """
    from openpyxl import load_workbook

    from wuhai_zs.ledgers.sources import sample_path

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(sample_path(), folder)
    book_path = folder / "项目台账.xlsx"
    book = load_workbook(book_path)
    book["项目台账"][STRAY_CELL] = " "
    book.save(book_path)
    return folder


def verify(ctx: Ctx, folder: Path, expected: dict[str, int]) -> None:
    """`validate --format json` must report 0 errors and accept every generated row."""
    cmd = [
        *ctx.wuhai,
        "validate",
        "--data",
        str(folder),
        "--format",
        "json",
        "--max-findings",
        "20",
    ]
    for attempt in range(ctx.retries + 1):
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=ctx.env)
        try:
            report = json.loads(proc.stdout)
            break
        except ValueError:
            if attempt == ctx.retries:
                sys.exit(
                    f"FAILED: {shlex.join(cmd)} gave no JSON (exit {proc.returncode}):\n"
                    f"{proc.stderr.decode('utf-8', 'replace')[-2000:]}"
                )
            print(
                f"  validate gave no JSON (exit {proc.returncode}); the CLI may be mid-change, "
                f"retrying in {ctx.retry_wait:.0f} s",
                flush=True,
            )
            time.sleep(ctx.retry_wait)
    errors = report["counts"]["errors"]
    warnings = report["counts"]["warnings"]
    accepted = {k: v["accepted"] for k, v in report["ledgers"].items()}
    short = {k: (accepted.get(k), n) for k, n in expected.items() if accepted.get(k) != n}
    if errors or short:
        shown = json.dumps(report["findings"][:20], ensure_ascii=False, indent=1)
        sys.exit(
            f"FAILED: generated data in {folder} is not clean: {errors} errors, "
            f"accepted vs generated rows {short or 'match'}\n{shown}"
        )
    print(
        f"  verified: `wuhai-zs validate` on {folder.relative_to(ROOT)} reports 0 errors, "
        f"{warnings} warnings; accepted {', '.join(f'{k} {n:,}' for k, n in accepted.items())}",
        flush=True,
    )


def diff_copies(folder: Path) -> tuple[Path, Path]:
    """Two submissions of the sample for `diff` (issue 14): OLD lacks the sample's last month of
    arrivals; NEW has it, one amount revised (+900 万元), one row deleted, one park's tax revised."""
    sample = ROOT / "data" / "sample"
    old, new = folder / "old", folder / "new"
    for copy in (old, new):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(sample, copy)
    arrivals = (sample / "到位资金台账.csv").read_text("utf-8-sig").splitlines()
    head, rows = arrivals[0], arrivals[1:]
    last = max(r.split(",")[1][:7] for r in rows)
    kept = [r for r in rows if not r.split(",")[1].startswith(last)]
    (old / "到位资金台账.csv").write_text("\n".join([head, *kept]) + "\n", "utf-8-sig")
    march = next(i for i, r in enumerate(rows) if r.split(",")[1].startswith("2025-03"))
    cells = rows[march].split(",")
    cells[2] = f"{float(cells[2]) + 900:.2f}"
    rows[march] = ",".join(cells)
    del rows[next(i for i, r in enumerate(rows) if r.split(",")[1].startswith("2024-06"))]
    (new / "到位资金台账.csv").write_text("\n".join([head, *rows]) + "\n", "utf-8-sig")
    parks = (sample / "园区台账.csv").read_text("utf-8").splitlines()
    cells = parks[-1].split(",")
    cells[-1] = f"{float(cells[-1]) + 100:.2f}"
    (new / "园区台账.csv").write_text("\n".join([*parks[:-1], ",".join(cells)]) + "\n", "utf-8")
    return old, new


def ensure_peer(venv: Path) -> tuple[list[str] | None, str]:
    """frictionless in the benchmark's own venv, never in the project's environment."""
    exe = venv / "bin" / "frictionless"
    if not exe.exists():
        print(f"  installing frictionless into {venv.relative_to(ROOT)} (once)", flush=True)
        try:
            subprocess.run(
                [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True
            )
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "frictionless"],
                check=True,
                capture_output=True,
                timeout=900,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            out = getattr(exc, "stderr", b"") or b""
            detail = out.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(exc)]
            return None, f"peer unavailable: {detail[0][:200]}"
    version = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from importlib.metadata import version; print(version('frictionless'))",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [str(exe)], f"frictionless {version or '?'}"


# --------------------------------------------------------------------------------------------
# The machine


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    commit = (
        subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        or "?"
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "CPU": cpu,
        "cores": str(cores),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "packages": ", ".join(
            f"{n} {version(n)}"
            for n in ("wuhai-zs", "pandas", "pyarrow", "python-calamine", "numpy")
        ),
        "commit": commit + (" (src/ has uncommitted changes)" if dirty else ""),
    }


# --------------------------------------------------------------------------------------------
# Ratios, goals and the table


@dataclass(frozen=True)
class Goal:
    """A goal of the issues: `short` in its case's row, `text` in the goals table, judged by
    `passes` on the figure `show` names (median s, × floor, peer ÷ ours, peak RSS MiB)."""

    short: str
    text: str
    show: str
    passes: Callable[[float], bool]


SHOWN = {  # how the goals table writes each figure: format and unit
    "median": (".3f", " s"),
    "floor": (".2f", "×"),
    "peer": (".1f", "×"),
    "rss": (".0f", " MiB"),
}


def goals(big: str) -> dict[str, Goal]:
    """The issues' goals, in the order of the goals table; `big` is the CSV cases' row count."""
    csv = f"validate/targets on {big} rows"
    return {
        "csv-floor": Goal("≤ 3× floor", f"{csv} ≤ 3× pyarrow floor", "floor", lambda v: v <= 3.0),
        "csv-peer": Goal(
            "≥ 20× peer", f"{csv} ≥ 20× faster than frictionless", "peer", lambda v: v >= 20.0
        ),
        "csv-rss": Goal(
            "< 1.5 GiB", f"{csv} peak memory < 1.5 GiB", "rss", lambda v: v < RSS_LIMIT_MIB
        ),
        "help": Goal("< 0.25 s", "`wuhai-zs --help` < 0.25 s", "median", lambda v: v < 0.25),
        "targets": Goal("< 1 s", "`targets` on the sample < 1 s", "median", lambda v: v < 1.0),
        "export": Goal(
            "< 2 s", "monthly `export` on the sample < 2 s", "median", lambda v: v < 2.0
        ),
        "diff": Goal(
            "< 2 s",
            "`diff` on two copies of the sample (planted changes) < 2 s",
            "median",
            lambda v: v < 2.0,
        ),
        "review": Goal(
            "< 3 s",
            "`review` (final evaluation, .docx) on the sample < 3 s",
            "median",
            lambda v: v < 3.0,
        ),
        "xlsx": Goal(
            "≤ 1.5× calamine", ".xlsx reading ≤ 1.5× calamine", "floor", lambda v: v <= 1.5
        ),
        "stray-time": Goal(
            "< 2 s",
            f"stray cell at {STRAY_CELL}: validate < 2 s",
            "median",
            lambda v: v < STRAY_SECONDS,
        ),
        "stray-rss": Goal(
            "< 300 MiB",
            f"stray cell at {STRAY_CELL}: validate < 300 MiB",
            "rss",
            lambda v: v < STRAY_RSS_MIB,
        ),
    }


@dataclass
class Row:
    result: Result
    floor: Result | None = None
    peer: Result | None = None
    targets: tuple[Goal, ...] = ()  # the goals this case is judged on

    @property
    def floor_ratio(self) -> float | None:
        if self.floor is None or not self.floor.ok or not self.result.ok:
            return None
        return self.result.median / self.floor.median  # type: ignore[operator]

    @property
    def peer_ratio(self) -> float | None:
        if self.peer is None or not self.peer.ok or not self.result.ok:
            return None
        return self.peer.median / self.result.median  # type: ignore[operator]

    def figure(self, show: str) -> float | None:
        return {
            "median": self.result.median,
            "floor": self.floor_ratio,
            "peer": self.peer_ratio,
            "rss": self.result.rss,
        }[show]

    def verdict(self, goal: Goal) -> bool | None:
        """Whether the case meets the goal (None: it could not be measured)."""
        value = self.figure(goal.show)
        return None if value is None else goal.passes(value)

    @property
    def goals(self) -> list[tuple[str, bool | None]]:
        return [(g.short, self.verdict(g)) for g in self.targets]


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def _verdict(goals: list[tuple[str, bool | None]]) -> str:
    if not goals:
        return ""
    return "; ".join(
        f"{t} {'PASS' if ok else 'FAIL' if ok is not None else 'n/a'}" for t, ok in goals
    )


HEAD = (
    "case",
    "median s",
    "runs (s)",
    "floor",
    "× floor",
    "CPU s",
    "CPU × floor",
    "peer ÷ ours",
    "peak RSS MiB",
    "goals",
)


def _cpu_ratio(row: Row) -> float | None:
    r, f = row.result, row.floor
    if f is None or not f.ok or not r.ok or not f.cpu:
        return None
    return r.cpu / f.cpu  # type: ignore[operator]


def table_rows(rows: list[Row], floors: list[Result], peer: Result | None) -> list[list[str]]:
    blank = [""] * (len(HEAD) - 3)
    out: list[list[str]] = []
    for row in rows:
        r = row.result
        if not r.ok:
            out.append([r.label, r.status, *blank, _verdict(row.goals)])
            continue
        out.append(
            [
                r.label,
                f"{r.median:.3f}",
                " ".join(f"{t:.2f}" for t in r.times),
                row.floor.short if row.floor else "—",
                _fmt(row.floor_ratio, ".2f", "×"),
                _fmt(r.cpu, ".2f"),
                _fmt(_cpu_ratio(row), ".2f", "×"),
                _fmt(row.peer_ratio, ".1f", "×"),
                f"{r.rss:.0f}",
                _verdict(row.goals),
            ]
        )
    for f in [*floors, *([peer] if peer else [])]:
        kind = "peer" if f is peer else "floor"
        if f.ok:
            times = " ".join(f"{t:.2f}" for t in f.times)
            cells = [f"{kind}: {f.label}", f"{f.median:.3f}", times, "", "", _fmt(f.cpu, ".2f")]
            out.append([*cells, "", "", f"{f.rss:.0f}", ""])
        else:
            status = f.status + (f" ({f.detail})" if f.detail else "")
            out.append([f"{kind}: {f.label}", status, *blank, ""])
    return out


def plain_table(cells: list[list[str]]) -> str:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    widths = [max(width(c) for c in col) for col in zip(HEAD, *cells, strict=True)]
    lines = []
    for i, row in enumerate([list(HEAD), *cells]):
        lines.append(
            "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def goal_summary(rows: list[Row], table: list[Goal]) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) for the issues' goals, in the table's order."""
    out: list[tuple[str, str, str]] = []
    for goal in table:
        spec, unit = SHOWN[goal.show]
        judged = [row for row in rows if goal in row.targets]
        measured = [f"{r.result.label}: {_fmt(r.figure(goal.show), spec, unit)}" for r in judged]
        verdicts = [r.verdict(goal) for r in judged]
        verdict = (
            "n/a"
            if not verdicts
            or (any(v is None for v in verdicts) and not any(v is False for v in verdicts))
            else "PASS"
            if all(verdicts)
            else "FAIL"
        )
        out.append((goal.text, "; ".join(measured) or "not measured", verdict))
    return out


def markdown(
    cells: list[list[str]],
    goals: list[tuple[str, str, str]],
    info: dict[str, str],
    command: str,
    args: argparse.Namespace,
    sizes: gen.Sizes,
    notes: list[str],
) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    lines = [
        "# wuhai-zs benchmark results",
        "",
        f"Run {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} with "
        f"`{command}`: median of {args.runs} run(s) per case, {args.peer_runs} for the peer"
        + (" (quick mode: smaller data)" if args.quick else "")
        + ".",
        f"Data: {sizes.projects:,} projects; {sizes.arrivals:,} arrivals as CSV; "
        f"{sizes.xlsx_rows:,} arrivals as .xlsx (seed {gen.SEED}, generated by bench/gen.py).",
        "",
        "## Goals (issue 6)",
        "",
        "| goal | measured | verdict |",
        "| --- | --- | --- |",
        *(f"| {esc(g)} | {esc(m)} | **{v}** |" for g, m, v in goals),
        "",
        "## All cases",
        "",
        "Whole processes, wall time (`time.perf_counter` around each), peak RSS of each process "
        + ("from GNU `time -f %M`" if USE_GNU_TIME else "from `wait4` in a small launcher")
        + ". *× floor* divides by the floor named; *peer ÷ ours* is frictionless's time "
        "divided by ours (higher is better). *CPU s* is the median user + system time of the "
        "process, less disturbed than wall time by other work on a shared machine; the goals "
        "are judged on wall time. Compare ratios within one run (see the load average below).",
        "",
        "| " + " | ".join(HEAD) + " |",
        "| " + " | ".join("---" for _ in HEAD) + " |",
        *("| " + " | ".join(esc(c) for c in row) + " |" for row in cells),
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
    ]
    if notes:
        lines += ["## Notes", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def profile(ctx: Ctx, csv_dir: Path, xlsx_dir: Path, out: Path, tag: str = "") -> None:
    """pyinstrument profiles of validate and targets on the CSV folder, if it is installed.

    Writes, per command, bench/out/profile-<command>.pyisession (the raw session),
    profile-<command>.txt (pyinstrument's call tree; library internals collapsed) and
    profile-<command>-summary.txt (time per src/wuhai_zs function: see profile_summary.py).
    """
    probe = subprocess.run([ctx.python, "-c", "import pyinstrument"], capture_output=True)
    if probe.returncode:
        print(
            "  pyinstrument is not installed in this environment; skipping --profile "
            "(pip install pyinstrument: a tool of the benchmark, not a dependency)"
        )
        return
    for command, folder, suffix in (
        ("validate", csv_dir, ""),
        ("targets", csv_dir, ""),
        ("validate", xlsx_dir, "-xlsx"),
    ):
        flags = ["--format", "json"] if command == "validate" else ["--json"]
        name = f"profile{tag}-{command}{suffix}"
        session = out / f"{name}.pyisession"
        text = out / f"{name}.txt"
        summary = out / f"{name}-summary.txt"
        record = [
            ctx.python,
            "-m",
            "pyinstrument",
            "-r",
            "session",
            "-o",
            str(session),
            "-m",
            "wuhai_zs",
            command,
            "--data",
            str(folder),
            *flags,
        ]
        proc = subprocess.run(
            record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ctx.env
        )
        if not session.exists():
            print(f"  profile of {command} failed: {proc.stderr.decode()[-300:]}")
            continue
        subprocess.run(
            [ctx.python, "-m", "pyinstrument", "--load", str(session), "-o", str(text)],
            cwd=ROOT,
            env=ctx.env,
            capture_output=True,
        )
        subprocess.run(
            [ctx.python, str(HERE / "profile_summary.py"), str(session)],
            cwd=ROOT,
            env=ctx.env,
            stdout=summary.open("wb"),
        )
        print(
            f"  profile of {command}: {text.relative_to(ROOT)}, {summary.relative_to(ROOT)}",
            flush=True,
        )


def wait_for_quiet(limit: float, at_most: float) -> None:
    start = time.monotonic()
    while os.getloadavg()[0] >= limit and time.monotonic() - start < at_most:
        print(f"  load average {os.getloadavg()[0]:.2f} ≥ {limit}: waiting", flush=True)
        time.sleep(15)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--runs", type=int, default=None, help="runs per case (median); default 3, 1 with --quick"
    )
    p.add_argument("--peer-runs", type=int, default=1, help="runs of frictionless (default 1)")
    p.add_argument("--regen", action="store_true", help="regenerate the data even if cached")
    p.add_argument("--skip-peer", action="store_true", help="do not run frictionless")
    p.add_argument(
        "--quick",
        action="store_true",
        help="100,000 arrivals, 10,000 .xlsx rows, 1 run; results to bench/out/",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the CSV ledgers go (default bench/out/data; the .xlsx folder is "
        "the same name + '-xlsx')",
    )
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help="Markdown results file (default bench/RESULTS.md; "
        "bench/out/RESULTS-quick.md with --quick)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="also write pyinstrument profiles of validate/targets on the CSV folder "
        "to bench/out/ (needs pyinstrument in this environment)",
    )
    p.add_argument(
        "--retries", type=int, default=2, help="retries of a wuhai-zs case that exits 2 (default 2)"
    )
    p.add_argument("--retry-wait", type=float, default=60.0, help="seconds before a retry")
    p.add_argument(
        "--max-load",
        type=float,
        default=None,
        help="before timing, wait (at most 10 minutes) until the 1-minute load average is "
        "below this, for quieter figures on a shared machine",
    )
    args = p.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    if args.runs < 1 or args.peer_runs < 1:
        p.error("--runs and --peer-runs must be at least 1")

    out = HERE / "out"
    sizes = gen.Sizes(20_000, 100_000, 10_000) if args.quick else gen.Sizes()
    csv_dir = (args.data_dir or out / ("data-quick" if args.quick else "data")).resolve()
    xlsx_dir = csv_dir.with_name(csv_dir.name + "-xlsx")
    results_md = args.results or (out / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.setdefault("PYTHONUTF8", "1")
    ctx = Ctx(
        sys.executable,
        wuhai_command(sys.executable),
        env,
        out / "logs",
        args.retries,
        args.retry_wait,
    )
    command = shlex.join(
        [
            os.path.relpath(sys.executable, ROOT)
            if sys.executable.startswith(str(ROOT))
            else sys.executable,
            os.path.relpath(__file__, ROOT),
            *sys.argv[1:],
        ]
    )
    print(f"wuhai-zs benchmark: {shlex.join(ctx.wuhai)}, {args.runs} run(s) per case")

    print("data:")
    if not gen.ensure_data(csv_dir, xlsx_dir, sizes, args.regen):
        print(
            f"  cached in {csv_dir.relative_to(ROOT)} and {xlsx_dir.relative_to(ROOT)} "
            "(--regen to rebuild)"
        )
    stray_dir = make_stray(out / "data-stray")
    print(f"  sample with a stray cell at {STRAY_CELL}: {stray_dir.relative_to(ROOT)}")
    verify(ctx, csv_dir, {"projects": sizes.projects, "arrivals": sizes.arrivals})
    verify(ctx, xlsx_dir, {"projects": sizes.projects, "arrivals": sizes.xlsx_rows})

    peer_cmd, peer_note = None, "skipped (--skip-peer)"
    if not args.skip_peer:
        peer_cmd, peer_note = ensure_peer(out / "peer-venv")
        print(f"  peer: {peer_note}")

    if args.max_load is not None:
        wait_for_quiet(args.max_load, 600.0)
    load_before = os.getloadavg()
    csv_file = csv_dir / gen.ARRIVALS_FILE
    xlsx_file = xlsx_dir / gen.ARRIVALS_XLSX
    py = ctx.python
    floors = {
        "python": Result(
            "floor-python", "python -c pass", [py, "-c", PY_FLOOR_PASS], short="python"
        ),
        "pandas": Result(
            "floor-pandas",
            "python -c 'import pandas'",
            [py, "-c", PY_FLOOR_PANDAS],
            short="import pandas",
        ),
        "arrow": Result(
            "floor-arrow",
            f"pyarrow read_csv → pandas ({sizes.arrivals:,} rows)",
            [py, "-c", PY_FLOOR_ARROW, str(csv_file)],
            short="pyarrow CSV",
        ),
        "calamine": Result(
            "floor-calamine",
            f"calamine to_python ({sizes.xlsx_rows:,} rows)",
            [py, "-c", PY_FLOOR_CALAMINE, str(xlsx_file), gen.ARRIVALS_SHEET],
            short="calamine",
        ),
    }
    wz = ctx.wuhai
    export_out = out / "export" / f"调度表-{EXPORT_MONTH}.xlsx"
    review_out = out / "review" / "终期评估.docx"
    n_csv, n_x = f"{sizes.arrivals // 1000:,}k", f"{sizes.xlsx_rows // 1000:,}k"
    diff_old, diff_new = diff_copies(out / "diff")
    goal = goals(f"{sizes.arrivals:,}")

    def case(
        key: str, label: str, argv: list[str], floor: str, *targets: str, ok: tuple[int, ...] = (0,)
    ) -> tuple[Row, tuple[int, ...]]:
        """A wuhai-zs command timed against a floor, the goals it is judged on, its exit codes."""
        result = Result(key, label, [*wz, *argv])
        return Row(result, floors[floor], targets=tuple(goal[t] for t in targets)), ok

    cases = [
        case("wz-help", "wuhai-zs --help", ["--help"], "python", "help"),
        case("wz-validate-sample", "validate (sample)", ["validate"], "pandas", ok=(0, 1)),
        case("wz-targets-sample", "targets (sample)", ["targets"], "pandas", "targets"),
        case(
            "wz-export-sample",
            f"export --month {EXPORT_MONTH} (sample)",
            ["export", "--month", EXPORT_MONTH, "--output", str(export_out), "--force"],
            "pandas",
            "export",
        ),
        case(
            "wz-diff-sample",
            "diff (sample, planted changes)",
            ["diff", str(diff_old), str(diff_new)],
            "pandas",
            "diff",
        ),
        case(
            "wz-review-sample",
            "review --output 终期评估.docx (sample)",
            ["review", "--output", str(review_out), "--force"],
            "pandas",
            "review",
        ),
        *(
            case(
                f"wz-{command}-csv",
                f"{command} (CSV, {n_csv} arrivals)",
                [command, "--data", str(csv_dir)],
                "arrow",
                "csv-floor",
                "csv-peer",
                "csv-rss",
            )
            for command in ("validate", "targets")
        ),
        case(
            "wz-validate-stray",
            f"validate (sample, stray cell at {STRAY_CELL})",
            ["validate", "--data", str(stray_dir)],
            "pandas",
            "stray-time",
            "stray-rss",
            ok=(0, 1),
        ),
        *(
            case(
                f"wz-{command}-xlsx",
                f"{command} (.xlsx, {n_x} arrivals)",
                [command, "--data", str(xlsx_dir)],
                "calamine",
                "xlsx",
            )
            for command in ("validate", "targets")
        ),
    ]

    notes: list[str] = []
    print("floors:")
    for f in floors.values():
        measure(f, args.runs, (0,), ctx)

    print("wuhai-zs:")
    export_out.parent.mkdir(parents=True, exist_ok=True)
    review_out.parent.mkdir(parents=True, exist_ok=True)
    for row, ok_codes in cases:
        measure(row.result, args.runs, ok_codes, ctx)
    rows = [row for row, _ in cases]

    peer = Result(
        "peer-frictionless",
        f"frictionless validate (CSV, {n_csv})",
        [*(peer_cmd or []), "validate", "--trusted", str(csv_file)],
    )
    if peer_cmd is None:
        peer.status, peer.detail = (
            ("skipped", "--skip-peer") if args.skip_peer else ("peer unavailable", peer_note)
        )
        notes.append(f"Peer: {peer_note}.")
    else:
        print("peer:")
        measure(peer, args.peer_runs, (0,), ctx)  # 1 would mean "invalid": a broken run
        notes.append(f"Peer: {peer_note}, in its own venv (bench/out/peer-venv).")
    for row in rows:
        if any(g.show == "peer" for g in row.targets):
            row.peer = peer

    cells = table_rows(rows, list(floors.values()), peer)
    summary = goal_summary(rows, list(goal.values()))
    info = machine()
    load_after = os.getloadavg()
    info["load average (1 min) before / after"] = f"{load_before[0]:.2f} / {load_after[0]:.2f}"
    if peer_cmd is not None:
        info["peer"] = peer_note
    print()
    print(plain_table(cells))
    print()
    width = max(len(g) for g, _, _ in summary)
    for g, m, v in summary:
        print(f"{g:<{width}}  {v:<4}  {m}")
    print()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()))

    notes.append(
        "Floors: `python -c pass` for --help; `import pandas` for the sample commands; "
        "pyarrow's CSV reader (all columns as strings, then `to_pandas()`) for the CSV "
        "cases; python-calamine's `to_python()` of the same sheet for the .xlsx cases."
    )
    notes.append(
        "Output of every run is kept in bench/out/logs/ (stdout is a file, not a "
        "terminal, so no progress bars are drawn)."
    )
    results_md.parent.mkdir(parents=True, exist_ok=True)
    results_md.write_text(
        markdown(cells, summary, info, command, args, sizes, notes), encoding="utf-8"
    )
    print(f"written: {os.path.relpath(results_md, Path.cwd())}")

    if args.profile:
        print("profiles:")
        profile(ctx, csv_dir, xlsx_dir, out, "-quick" if args.quick else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
