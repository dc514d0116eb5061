"""Deterministic synthetic ledgers for the benchmark: valid by the spec (shared/spec/ledgers.md).

Everything is drawn from one ``numpy.random.default_rng(SEED)`` and built column by column,
so the same sizes always give byte-identical files. From wuhai_zs it takes only the contract's
headers and the plan's tags, never its reading or checks: the benchmark's input must not depend
on the code it measures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.plan.model import load_plan

# Bump when the generated content changes, so cached data is regenerated.
GENERATOR_VERSION = 3
SEED = 20250930
AS_OF = np.datetime64("2025-09-30", "D")
MANIFEST = ".bench-manifest.json"

PROJECTS_FILE = "项目台账.csv"
ARRIVALS_FILE = "到位资金台账.csv"
ARRIVALS_XLSX = "到位资金台账.xlsx"
ARRIVALS_SHEET = "到位资金台账"

DISTRICTS = ("海勃湾区", "乌达区", "海南区", "高新区")
PARKS = ("乌海高新技术产业开发区", "海勃湾区产业园", "乌达产业园", "海南产业园")
INDUSTRIES = (
    "现代煤化工",
    "硅基新材料",
    "精细化工",
    "冶金建材",
    "装备制造",
    "现代能源",
    "可降解材料",
    "光伏",
    "锂电池",
    "有机硅",
    "氢能",
    "生物医药",
    "工业互联网",
    "临空经济",
    "生态环保",
    "农牧业",
    "商贸流通",
    "现代物流",
    "数字产业",
    "文化旅游",
    "葡萄酒",
    "其他",
)
TAGS = tuple(load_plan().tags)
REGIONS = (
    "京津冀",
    "长三角",
    "长江经济带",
    "成渝经济圈",
    "粤港澳大湾区",
    "其他区外",
    "区内",
    "市内",
    "境外",
)
REGION_P = (0.16, 0.16, 0.10, 0.06, 0.10, 0.12, 0.14, 0.08, 0.08)
COUNTRIES = ("俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡")
STAGES = ("储备", "在谈", "签约", "开工", "竣工", "投产", "终止")
STAGE_P = (0.04, 0.08, 0.20, 0.33, 0.10, 0.20, 0.05)
LEADERS = (
    "王某（市委书记）",
    "李某（市长）",
    "张某（常务副市长）",
    "刘某（副市长）",
    "陈某（副市长）",
    "杨某（市委常委）",
    "赵某（区委书记）",
    "黄某（区长）",
)
MAJOR_THRESHOLD = 100_000.0  # 万元: the plan's 重大项目 threshold (10 亿元)
USD_RATE = 7.1  # 万元 per 万美元, for 外资金额

PROJECT_HEADERS = tuple(c.display for c in LEDGERS["projects"].columns)
ARRIVAL_HEADERS = ("项目编号", "到位日期", "到位金额（万元）", "外资金额（万美元）")

DAY0 = np.datetime64("2021-01-01", "D")
LAST_SIGNING = np.datetime64("2025-06-30", "D")


@dataclass(frozen=True)
class Sizes:
    projects: int = 20_000
    arrivals: int = 1_000_000
    xlsx_rows: int = 100_000


@dataclass
class Projects:
    """What the arrivals need to know about each project."""

    ids: np.ndarray  # str
    signed: np.ndarray  # datetime64[D], NaT where not signed
    foreign: np.ndarray  # bool
    eligible: np.ndarray  # bool: may receive money
    investment: np.ndarray  # float64, 总投资 in 万元


def _pick(
    rng: np.random.Generator, values: tuple[str, ...], n: int, p: tuple[float, ...] | None = None
) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _masked(values: np.ndarray, keep: np.ndarray) -> list[str | None]:
    return [v if k else None for v, k in zip(values.tolist(), keep.tolist(), strict=True)]


def _dates(days: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = days.astype("datetime64[D]").copy()
    out[~keep] = np.datetime64("NaT")
    return out


def make_projects(rng: np.random.Generator, n: int) -> tuple[dict[str, object], Projects]:
    """The 项目台账 as columns (lists with None for empty cells), and a summary for arrivals."""
    ids = np.array([f"BM-{i:06d}" for i in range(1, n + 1)], dtype=object)
    district = _pick(rng, DISTRICTS, n)
    park = _pick(rng, PARKS, n)
    has_park = rng.random(n) < 0.75
    industry = _pick(rng, INDUSTRIES, n)
    investor = np.array(
        [f"乌海{INDUSTRIES[i % len(INDUSTRIES)]}投资{i % 3000:04d}号有限公司" for i in range(n)],
        dtype=object,
    )
    names = [f"{ind}基准项目{i + 1:06d}" for i, ind in enumerate(industry.tolist())]

    tag_a = _pick(rng, TAGS, n)
    tag_b = _pick(rng, TAGS, n)
    n_tags = rng.choice(3, size=n, p=(0.75, 0.18, 0.07))
    tags = [
        None if k == 0 else a if k == 1 or a == b else f"{a}、{b}"
        for k, a, b in zip(n_tags.tolist(), tag_a.tolist(), tag_b.tolist(), strict=True)
    ]

    region = _pick(rng, REGIONS, n, REGION_P)
    foreign = region == "境外"
    country = _pick(rng, COUNTRIES, n)

    # 总投资: lognormal around 8,000 万元; a few percent reach the 10 亿元 major threshold.
    invest = np.round(np.exp(rng.normal(9.0, 1.35, n)), 2)
    invest = np.clip(invest, 50.0, 5_000_000.0)

    stage = _pick(rng, STAGES, n, STAGE_P)
    rank = np.select([stage == s for s in STAGES[:-1]], list(range(6)), default=-1)
    terminated = stage == "终止"
    signed_before_end = terminated & (rng.random(n) < 0.5)
    has_signed = (rank >= 2) | signed_before_end
    has_started = rank >= 3
    has_completed = rank >= 4
    has_producing = rank >= 5

    span = int((LAST_SIGNING - DAY0).astype(int))
    signed = DAY0 + rng.integers(0, span + 1, n).astype("timedelta64[D]")
    started = np.minimum(signed + rng.integers(0, 181, n).astype("timedelta64[D]"), AS_OF)
    completed = np.minimum(started + rng.integers(60, 720, n).astype("timedelta64[D]"), AS_OF)
    producing = np.minimum(completed + rng.integers(0, 91, n).astype("timedelta64[D]"), AS_OF)
    planned = signed + rng.integers(30, 366, n).astype("timedelta64[D]")
    has_planned = has_signed & ~has_started & ~terminated

    land = np.round(rng.uniform(5, 800, n), 1)
    has_land = rng.random(n) < 0.7

    major = (invest >= MAJOR_THRESHOLD) & ~terminated
    # The 五个一 are filled for every major project: the data should give no warnings.
    five = major | (rng.random(n) < 0.1)
    leader = _pick(rng, LEADERS, n)
    task_force = np.array([f"{ind}项目工作专班" for ind in industry.tolist()], dtype=object)
    work_plan = np.where(rng.random(n) < 0.5, "是", "项目推进方案（2024年）").astype(object)

    permits_req = rng.integers(3, 16, n)
    permits_done = (permits_req * rng.random(n)).astype(np.int64)
    has_permits = has_signed & (rng.random(n) < 0.8)

    enclave_roll = rng.random(n)
    out_enclave = enclave_roll < 0.02
    in_enclave = (enclave_roll >= 0.02) & (enclave_roll < 0.03)
    enclave = np.where(out_enclave, "飞出", np.where(in_enclave, "飞入", "")).astype(object)
    is_enclave = out_enclave | in_enclave
    enclave_from = np.where(out_enclave, district, "鄂尔多斯市").astype(object)
    enclave_to = np.where(out_enclave, "集宁先进制造业集中区", district).astype(object)
    enclave_share = np.where(out_enclave, "60%", "0.4").astype(object)

    counted_roll = rng.random(n)
    counted = np.where(counted_roll < 0.03, "否", "是").astype(object)
    has_counted = counted_roll < 0.9

    def iso(days: np.ndarray, keep: np.ndarray) -> list[str | None]:
        text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)
        return _masked(text, keep)

    columns: dict[str, object] = {
        "项目编号": ids.tolist(),
        "项目名称": names,
        "所属区": district.tolist(),
        "所在园区": _masked(park, has_park),
        "产业类别": industry.tolist(),
        "投资方": investor.tolist(),
        "企业标签": tags,
        "来源地区": region.tolist(),
        "来源国别": _masked(country, foreign),
        "总投资（万元）": invest,
        "项目阶段": stage.tolist(),
        "签约日期": iso(signed, has_signed),
        "计划开工日期": iso(planned, has_planned),
        "开工日期": iso(started, has_started),
        "竣工日期": iso(completed, has_completed),
        "投产日期": iso(producing, has_producing),
        "用地面积（亩）": [
            float(x) if k else None for x, k in zip(land.tolist(), has_land.tolist(), strict=True)
        ],
        "包联领导": _masked(leader, five),
        "工作专班": _masked(task_force, five),
        "推进方案": _masked(work_plan, five),
        "应办手续数": [
            int(x) if k else None
            for x, k in zip(permits_req.tolist(), has_permits.tolist(), strict=True)
        ],
        "已办手续数": [
            int(x) if k else None
            for x, k in zip(permits_done.tolist(), has_permits.tolist(), strict=True)
        ],
        "飞地类型": _masked(enclave, is_enclave),
        "飞出地": _masked(enclave_from, is_enclave),
        "飞入地": _masked(enclave_to, is_enclave),
        "飞出地分成比例": _masked(enclave_share, is_enclave),
        "是否纳统": _masked(counted, has_counted),
        "备注": [None] * n,
    }
    summary = Projects(
        ids=ids,
        signed=_dates(signed, has_signed),
        foreign=foreign,
        eligible=has_signed,
        investment=invest,
    )
    return columns, summary


@dataclass
class Arrivals:
    project: np.ndarray  # index into the projects
    date: np.ndarray  # datetime64[D]
    amount: np.ndarray  # float64, 万元, 2 decimals
    fdi: np.ndarray  # float64, 万美元, NaN for domestic projects


def make_arrivals(rng: np.random.Generator, projects: Projects, n: int) -> Arrivals:
    """Log-form arrivals: each for a signed project, dated between its signing and the as-of."""
    eligible = np.flatnonzero(projects.eligible)
    project = eligible[rng.integers(0, len(eligible), n)]
    signed = projects.signed[project]
    window = (AS_OF - signed).astype(np.int64) + 1
    date = signed + (rng.random(n) * window).astype(np.int64).astype("timedelta64[D]")
    # Each project's arrivals share out at most 90 % of its 总投资 (money arriving past 总投资
    # is a warning, ten times over an error: the benchmark data must validate cleanly).
    weight = np.exp(rng.normal(0.0, 1.0, n))
    per_project = np.bincount(project, weights=weight, minlength=len(projects.ids))
    share = weight / per_project[project]
    amount = np.maximum(np.floor(projects.investment[project] * 0.9 * share * 100) / 100, 0.01)
    usd = np.maximum(np.round(amount / USD_RATE, 2), 0.01)
    fdi = np.where(projects.foreign[project], usd, np.nan)
    # Ledgers are kept in date order, as an office appends them.
    order = np.lexsort((project, date))
    # Pin the as-of: the last arrival is on the as-of date, so it is the inferred one too.
    arrivals = Arrivals(project[order], date[order], amount[order], fdi[order])
    arrivals.date[-1] = AS_OF
    return arrivals


def _write_csv(path: Path, headers: tuple[str, ...], table: object) -> None:
    """UTF-8 with a byte-order mark and no quoting, as Excel's 'CSV UTF-8' saves it."""
    import pyarrow.csv as pacsv

    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(b"\xef\xbb\xbf" + (",".join(headers) + "\n").encode("utf-8"))
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    tmp.replace(path)


def write_projects(path: Path, columns: dict[str, object]) -> None:
    import pyarrow as pa

    _write_csv(path, PROJECT_HEADERS, pa.table({k: pa.array(v) for k, v in columns.items()}))


def write_arrivals_csv(path: Path, projects: Projects, arr: Arrivals) -> None:
    import pyarrow as pa

    ids = pa.array(projects.ids.tolist(), pa.string())
    table = pa.table(
        {
            "项目编号": ids.take(pa.array(arr.project)),
            "到位日期": pa.array(arr.date),
            "到位金额（万元）": pa.array(arr.amount),
            "外资金额（万美元）": pa.array(arr.fdi, from_pandas=True),
        }
    )
    _write_csv(path, ARRIVAL_HEADERS, table)


def write_arrivals_xlsx(path: Path, projects: Projects, arr: Arrivals) -> None:
    """One sheet, real Excel dates and numbers, written row by row in openpyxl's write-only mode."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ARRIVALS_SHEET)
    ws.append(list(ARRIVAL_HEADERS))
    ids = projects.ids[arr.project].tolist()
    dates = arr.date.astype(object).tolist()  # datetime.date
    amounts = arr.amount.tolist()
    fdis = [None if f != f else f for f in arr.fdi.tolist()]
    for row in zip(ids, dates, amounts, fdis, strict=True):
        ws.append(row)  # a datetime.date gets the yyyy-mm-dd number format
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)


def _manifest(sizes: Sizes, kind: str) -> dict[str, object]:
    return {"generator": GENERATOR_VERSION, "seed": SEED, "kind": kind, **asdict(sizes)}


def _fresh(folder: Path, expected: dict[str, object], files: tuple[str, ...]) -> bool:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found == expected and all((folder / f).is_file() for f in files)


def ensure_data(
    csv_dir: Path, xlsx_dir: Path, sizes: Sizes, regen: bool, log: Callable[[str], object] = print
) -> bool:
    """Write both folders unless they already hold data of these sizes; True if written."""
    csv_files = (PROJECTS_FILE, ARRIVALS_FILE)
    xlsx_files = (PROJECTS_FILE, ARRIVALS_XLSX)
    want_csv = _manifest(sizes, "csv")
    want_xlsx = _manifest(sizes, "xlsx")
    if (
        not regen
        and _fresh(csv_dir, want_csv, csv_files)
        and _fresh(xlsx_dir, want_xlsx, xlsx_files)
    ):
        return False
    import time

    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    columns, projects = make_projects(rng, sizes.projects)
    arrivals = make_arrivals(rng, projects, sizes.arrivals)
    for folder in (csv_dir, xlsx_dir):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MANIFEST).unlink(missing_ok=True)
    write_projects(csv_dir / PROJECTS_FILE, columns)
    write_arrivals_csv(csv_dir / ARRIVALS_FILE, projects, arrivals)
    (csv_dir / MANIFEST).write_text(json.dumps(want_csv), encoding="utf-8")
    log(
        f"  wrote {sizes.projects:,} projects and {sizes.arrivals:,} arrivals (CSV) to "
        f"{csv_dir} in {time.perf_counter() - t0:.1f} s"
    )

    t1 = time.perf_counter()
    # The .xlsx holds every k-th arrival of the CSV: the same projects, still in date order.
    step = max(1, sizes.arrivals // sizes.xlsx_rows)
    picked = np.arange(0, sizes.arrivals, step)[: sizes.xlsx_rows]
    subset = Arrivals(
        arrivals.project[picked],
        arrivals.date[picked],
        arrivals.amount[picked],
        arrivals.fdi[picked],
    )
    (xlsx_dir / PROJECTS_FILE).write_bytes((csv_dir / PROJECTS_FILE).read_bytes())
    write_arrivals_xlsx(xlsx_dir / ARRIVALS_XLSX, projects, subset)
    (xlsx_dir / MANIFEST).write_text(json.dumps(want_xlsx), encoding="utf-8")
    log(
        f"  wrote {len(picked):,} arrivals (.xlsx, sheet {ARRIVALS_SHEET}) to {xlsx_dir} in "
        f"{time.perf_counter() - t1:.1f} s"
    )
    return True
