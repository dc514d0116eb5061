"""Generate the deterministic SYNTHETIC sample ledgers of Wuhai's investment-promotion plan."""

# Usage:  python scripts/make_sample.py [OUT_DIR]      (default: <repo>/data/sample)
#
# The figures (yearly totals, output, parks, project counts) are in scripts/sample/calibration.toml
# and the vocabulary (places, firms, products, office holders, events) in scripts/sample/names.toml;
# the ledger headers and the plan's vocabularies come from the package. Everything is drawn from
# one random.Random(seed) stream in a fixed order and nothing reads the clock, so two runs write
# identical bytes (the workbook's properties and zip timestamps are pinned to the 填报时间).

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import tomllib
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from wuhai_zs.ledgers.columns import ACTIVITY_KINDS, LEDGERS, STAGES
from wuhai_zs.ledgers.sources import SAMPLE_MARKER
from wuhai_zs.plan.model import load_plan
from wuhai_zs.render.excel.book import dated_core

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "data" / "sample"
CAL: dict[str, Any] = tomllib.loads((HERE / "sample" / "calibration.toml").read_text("utf-8"))
NAMES: dict[str, Any] = tomllib.loads((HERE / "sample" / "names.toml").read_text("utf-8"))
PLAN = load_plan()

AS_OF: date = CAL["as_of"]
FIRST_DAY: date = CAL["first_day"]
REPORTED: datetime = CAL["reported"]
COUNTING = CAL["counting"]
INDUSTRIES: dict[str, dict[str, Any]] = NAMES["industries"]
DISTRICTS: dict[str, dict[str, Any]] = NAMES["districts"]
MARKER_TEXT = (
    "本文件夹是 wuhai-zs 内置的合成示例台账（示例数据），不是乌海市的真实台账。\n"
    "This folder holds the synthetic sample ledgers bundled with wuhai-zs; every output built"
    " from them says 示例数据.\n"
)
TITLE = "乌海市招商引资项目台账（合成示例数据）"
REPORTER = "乌海市区域经济合作局（汇总）"
FOOTER = "填报人：张某    联系电话：0473-0000000"
ARRIVAL_KEYS = ("project_id", "date", "amount", "fdi_usd", "note")  # the log form, one per arrival


def headers(ledger: str, keys: tuple[str, ...] | None = None) -> list[str]:
    columns = LEDGERS[ledger].by_key
    return [columns[k].display for k in keys or columns]


# ---------------------------------------------------------------- model
@dataclass
class Project:
    """One row of the projects ledger; the fields after `foreign` are its columns, by key."""

    key: int  # generation order, before IDs are given
    stage: str
    major: bool = False
    foreign: dict[str, str] | None = None  # the names.toml [[foreign]] entry of a 境外 project
    terminated: date | None = None  # not a column: written into 备注
    no_money: bool = False
    project_id: str = ""
    name: str = ""
    district: str = ""
    park: str = ""
    industry: str = ""
    investor: str = ""
    investor_tags: list[str] = field(default_factory=list)
    source_region: str = ""
    source_country: str = ""
    total_investment: float = 0.0
    signed_on: date | None = None
    planned_start: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    producing_on: date | None = None
    land_mu: float | None = None
    leader: str = ""
    task_force: str = ""
    work_plan: str = ""
    permits_required: int | None = None
    permits_done: int | None = None
    enclave: str = ""
    enclave_from: str = ""
    enclave_to: str = ""
    enclave_share: float | str | None = None
    counted: str = "是"
    note: list[str] = field(default_factory=list)

    @property
    def sector(self) -> str:
        return str(INDUSTRIES[self.industry]["sector"])

    @property
    def in_scope(self) -> bool:
        """Within the 口径 the money is calibrated to (区外, ≥ 5000 万元, not 否)."""
        return (
            self.total_investment >= COUNTING["min_investment"]
            and PLAN.region_group[self.source_region] in COUNTING["groups"]
            and self.counted != "否"
        )

    @property
    def city_share(self) -> float:
        """Share of the project's money credited to the city: a 飞地 out of the city keeps its share."""
        if self.enclave == "飞出" and self.enclave_to not in DISTRICTS:
            return share_value(self.enclave_share)
        return 1.0

    def row(self) -> list[object]:
        """The ledger row, in the column order of the package's contract."""
        values = [getattr(self, c.key) for c in LEDGERS["projects"].columns]
        return [
            ("、" if v is self.investor_tags else "；").join(v) if isinstance(v, list) else v
            for v in values
        ]


@dataclass
class Arrival:
    project: Project
    day: date
    amount: float  # 万元
    rate: float  # 万元 per 万美元
    note: str = ""
    fdi: float | None = None  # 万美元, 境外 projects only


@dataclass(frozen=True)
class Office:
    unit: str
    title: str
    role: str
    holders: tuple[tuple[date, str], ...]

    def label(self, day: date) -> str:
        """The holder on that day, as ledgers write it: 孟某（市委书记）."""
        name = [n for start, n in self.holders if start <= day][-1]
        return f"{name}（{self.title}）"


OFFICES = [
    Office(o["unit"], o["title"], o["role"], tuple((h["from"], h["name"]) for h in o["holders"]))
    for o in NAMES["offices"]
]


def offices(unit: str, roles: tuple[str, ...]) -> list[Office]:
    return [o for o in OFFICES if o.unit == unit and o.role in roles]


# ---------------------------------------------------------------- helpers
def share_value(share: float | str | None) -> float:
    return float(share.rstrip("%")) / 100 if isinstance(share, str) else float(share or 0)


def clip(value: float, bounds: list[float]) -> float:
    return float(min(max(value, bounds[0]), bounds[1]))


def rand_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def shift(day: date, lo: int, hi: int, rng: random.Random) -> date:
    return day + timedelta(days=rng.randint(lo, hi))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    first = date(index // 12, index % 12 + 1, 1)
    return min(first.replace(day=28) + timedelta(days=day.day - 28), month_end(first))


def month_end(day: date) -> date:
    return add_month_start(day) - timedelta(days=1)


def add_month_start(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def round_total(value: float) -> float:
    """Round a 总投资 the way ledgers state it (round hundreds / thousands of 万元)."""
    step = 10 if value < 5_000 else 100 if value < 100_000 else 1_000
    return float(max(step, round(value / step) * step))


def brand(rng: random.Random, pool: list[str] | None = None) -> str:
    if pool:
        return rng.choice(pool)
    while True:
        name = rng.choice(NAMES["brands"]["a"]) + rng.choice(NAMES["brands"]["b"])
        if name not in NAMES["brands"]["blocklist"]:
            return name


# ---------------------------------------------------------------- projects
def skeletons(rng: random.Random) -> list[Project]:
    """Stage, major and foreign flag of every project: counts from the data files, shuffled."""
    stages = CAL["stages"]
    assert (
        list(stages) == list(STAGES) and sum(s["all"] for s in stages.values()) == CAL["projects"]
    )
    projects = [Project(0, stage) for stage, s in stages.items() for _ in range(s["all"])]
    rng.shuffle(projects)
    majors = {stage: s["major"] for stage, s in stages.items()}
    foreign = list(NAMES["foreign"])
    for key, p in enumerate(projects):
        p.key, p.major = key, majors[p.stage] > 0
        majors[p.stage] -= p.major
        p.foreign = None if p.major else next((f for f in foreign if f["stage"] == p.stage), None)
        if p.foreign:
            foreign.remove(p.foreign)
    assert not any(majors.values()) and not foreign
    return projects


def product_options(industry: str, lo: float, hi: float) -> Iterator[tuple[dict[str, Any], int]]:
    """(product, capacity) pairs whose cost can fall in [lo, hi]; capacity 0 for fixed ranges."""
    for product in INDUSTRIES[industry]["products"]:
        if "n" in product:
            yield from ((product, n) for n in product["n"] if lo <= n * product["per_n"] <= hi)
        elif product["cost"][0] <= hi and product["cost"][1] >= lo:
            yield product, 0


def assign_product(rng: random.Random, p: Project, size: float) -> dict[str, Any] | None:
    """Name, 总投资, 用地 and park from a product whose cost fits the drawn size."""
    lo, hi = (
        (COUNTING["major_threshold"], CAL["sizes"]["major"][1])
        if p.major
        else (0, CAL["sizes"]["other"][1])
    )
    options = []
    for product, n in product_options(p.industry, lo, hi):
        a, b = (n * product["per_n"],) * 2 if n else product["cost"]
        cost = min(max(size, a, lo), b, hi)
        options.append((abs(math.log(cost / size)), product, n, cost))
    options.sort(key=lambda o: o[0])
    b_name = brand(rng)
    if p.sector == "manufacturing" and size < options[0][3] / 2:
        p.name = b_name + p.industry + rng.choice(NAMES["small"]["products"])
        p.total_investment = round_total(size)
        p.land_mu = p.total_investment / rng.uniform(*NAMES["small"]["per_mu"])
        product = None
    else:
        _, product, n, cost = rng.choice(options[:2])  # the two nearest, for variety
        p.name = b_name + product["name"].format(n=n, m=n * product.get("m", 1))
        noise = rng.uniform(0.88, 1.12) if n else 1.0
        p.total_investment = min(max(round_total(cost * noise), lo), hi)
        if "mu_per_n" in product:
            p.land_mu = n * product["mu_per_n"] * rng.uniform(0.85, 1.15)
        elif "per_mu" in product:
            p.land_mu = p.total_investment / rng.uniform(*product["per_mu"])
    if p.land_mu is not None and (p.stage in {"储备", "在谈"} and rng.random() < 0.5):
        p.land_mu = None  # land not settled yet
    if p.land_mu is not None:
        p.land_mu = max(1.0, round(p.land_mu) if p.land_mu >= 100 else round(p.land_mu, 1))
    in_park = product is None or product.get("park", True)
    chance = 0.95 if p.sector != "services" and p.land_mu is not None else 0.3
    p.park = DISTRICTS[p.district]["park"] if in_park and rng.random() < chance else ""
    return product


def assign_investor(rng: random.Random, p: Project, product: dict[str, Any] | None) -> None:
    """An investor whose kind fits region, size and industry, with tags that fit the investor."""
    allowed = set(NAMES["sector_tags"][p.sector])
    if p.total_investment < NAMES["big_tags"]["min_total"]:
        allowed -= set(NAMES["big_tags"]["tags"])
    if p.total_investment > NAMES["sme_tags"]["max_total"]:
        allowed -= set(NAMES["sme_tags"]["tags"])
    if product is not None and product.get("tags", True) is False:
        allowed = set()  # a market stall or a farm: no ranking lists
    suffix = INDUSTRIES[p.industry]["suffix"]
    if p.foreign:
        spec = NAMES["countries"][p.source_country]
        combos = [c for c in spec["tags"] if set(c) <= allowed] or [[]]
        p.investor_tags = list(rng.choice(combos))
        pattern = rng.choice(spec["names"])
        p.investor = pattern.format(
            brand=brand(rng, spec.get("brands")), suffix=suffix, legal="有限公司"
        )
        return
    kinds = {}
    for kind in NAMES["investors"]:
        combos = [c for c in kind["tags"] if set(c) <= allowed]
        fits = (
            p.source_region in kind["regions"]
            and kind.get("min_total", 0) <= p.total_investment <= kind.get("max_total", math.inf)
            and p.industry in kind.get("industries", [p.industry])
        )
        if fits and combos:
            kinds[kind["kind"]] = (kind, combos)
    kind, combos = kinds[weighted(rng, {k: v[0]["weight"] for k, v in kinds.items()})]
    p.investor_tags = list(rng.choice(combos))
    patterns = kind["names"]
    if p.source_region == "市内":  # local firms are written 乌海市…
        patterns = [n for n in patterns if n.startswith("{place}")] or ["{place}" + patterns[0]]
    p.investor = rng.choice(patterns).format(
        place=rng.choice(NAMES["regions"][p.source_region]["places"]),
        brand=brand(rng),
        suffix=suffix,
        legal="股份有限公司" if "上市公司" in p.investor_tags else "有限公司",
    )


def assign_identity(rng: random.Random, projects: list[Project]) -> None:
    """Industry, place, region, product (name, 总投资, 用地, park) and investor of each project."""
    unused = list(INDUSTRIES)  # every industry at least once
    # Majors of a stage alternate between traditional and advanced industries, and their sizes
    # are spread evenly over the range, so that every year's money has both kinds behind it.
    pools = [
        {k: v for k, v in NAMES["major_industries"].items() if (k in PLAN.advanced_industries) == a}
        for a in (False, True)
    ]
    majors = {s: c["major"] for s, c in CAL["stages"].items()}
    strata = {s: rng.sample(range(n), n) for s, n in majors.items()}
    for p in projects:
        u = rng.random()
        if p.foreign:
            p.industry, p.source_country = p.foreign["industry"], p.foreign["country"]
            p.source_region = "境外"
        else:
            if p.major:
                n = majors[p.stage] - len(strata[p.stage])  # the stage's majors so far
                p.industry = weighted(rng, pools[n % 2])
                u = (strata[p.stage].pop() + u) / majors[p.stage]
            else:
                p.industry = unused.pop(0) if unused else weighted(rng, weights(INDUSTRIES))
            key = "major_weight" if p.major else "weight"
            p.source_region = weighted(rng, weights(NAMES["regions"], key))
        districts = INDUSTRIES[p.industry].get("districts", NAMES["sector_districts"][p.sector])
        p.district = weighted(rng, districts)
        lo, hi = CAL["sizes"]["major" if p.major else "foreign" if p.foreign else "other"]
        assign_investor(rng, p, assign_product(rng, p, lo * (hi / lo) ** u))
    used = {t for p in projects for t in p.investor_tags}
    if used != set(PLAN.tags):
        raise SystemExit(f"tags never drawn: {sorted(set(PLAN.tags) - used)}; adjust names.toml")


def weights(table: Mapping[str, Mapping[str, Any]], key: str = "weight") -> dict[str, float]:
    return {k: float(v[key]) for k, v in table.items()}


def assign_dates(rng: random.Random, projects: list[Project]) -> None:
    """Stage-consistent 签约/计划开工/开工/竣工/投产 dates (and hidden termination dates)."""
    sit = CAL["situations"]
    by_stage = defaultdict(list)
    for p in projects:
        by_stage[p.stage].append(p)

    for p in by_stage["投产"]:
        early = p.major or (p.foreign is not None and rng.random() < 0.8)
        while True:
            p.signed_on = rand_date(
                rng, date(2021, 1, 10), date(2022, 12, 31) if early else add_months(AS_OF, -12)
            )
            p.started_on = shift(p.signed_on, 15, 180, rng)
            p.completed_on = shift(p.started_on, *((300, 720) if p.major else (120, 540)), rng)
            p.producing_on = shift(p.completed_on, 0, 75, rng)
            if date(2022, 6, 1) <= p.producing_on <= AS_OF - timedelta(days=5):
                break

    late = set(rng.sample(range(len(by_stage["竣工"])), sit["not_producing"]))
    for i, p in enumerate(by_stage["竣工"]):
        if i in late:  # completed ≥ 6 months ago, still not producing
            first, last = add_months(AS_OF, -16), add_months(AS_OF, -6) - timedelta(days=10)
        else:
            first, last = add_months(AS_OF, -6) + timedelta(days=5), AS_OF - timedelta(days=5)
        p.completed_on = rand_date(rng, first, last)
        p.started_on = p.completed_on - timedelta(days=rng.randint(150, 600))
        p.signed_on = p.started_on - timedelta(days=rng.randint(15, 180))

    overdue = set(rng.sample(range(len(by_stage["开工"])), sit["overdue_construction"]))
    recent = add_months(AS_OF, -24) + timedelta(days=10)
    for i, p in enumerate(by_stage["开工"]):
        if i in overdue:  # started ≥ 24 months ago and not completed
            p.started_on = rand_date(rng, date(2022, 1, 10), recent - timedelta(days=20))
        elif p.major or p.foreign:
            p.started_on = rand_date(rng, recent, add_months(AS_OF, -3))
        else:
            p.started_on = rand_date(rng, recent, AS_OF - timedelta(days=10))
        p.signed_on = p.started_on - timedelta(days=rng.randint(10, 180))

    for p in by_stage["投产"] + by_stage["竣工"] + by_stage["开工"]:
        assert p.signed_on is not None
        p.planned_start = (
            None if rng.random() < 0.08 else min(shift(p.signed_on, 20, 200, rng), AS_OF)
        )

    assign_signed_only(rng, by_stage["签约"])
    assign_terminated(rng, by_stage["终止"])
    for p in by_stage["在谈"]:
        if rng.random() < 0.15:
            p.planned_start = rand_date(rng, add_months(AS_OF, 1), add_months(AS_OF, 9))


def assign_signed_only(rng: random.Random, signed: list[Project]) -> None:
    """签约 projects: a mix of on-time, overdue and undated starts (for the warnings)."""
    sit = CAL["situations"]
    kinds = ["passed"] * sit["start_passed"] + ["overdue"] * sit["start_overdue"]
    kinds += ["unplanned_old"] * sit["unplanned_old"] + ["unplanned_new"] * sit["unplanned_new"]
    kinds += ["future"] * (len(signed) - len(kinds))
    rng.shuffle(kinds)
    recent = add_months(AS_OF, -3) + timedelta(days=5), AS_OF - timedelta(days=5)
    for p, kind in zip(signed, kinds, strict=True):
        if kind == "passed":  # 计划开工日期 passed by less than 3 months
            p.planned_start = rand_date(rng, *recent)
            p.signed_on = p.planned_start - timedelta(days=rng.randint(60, 300))
        elif kind == "overdue":  # passed by more than 3 months
            p.planned_start = rand_date(
                rng, add_months(AS_OF, -17), add_months(AS_OF, -3) - timedelta(15)
            )
            p.signed_on = p.planned_start - timedelta(days=rng.randint(60, 300))
        elif kind == "unplanned_old":  # no planned date, signed more than 3 months ago
            p.signed_on = rand_date(rng, add_months(AS_OF, -19), add_months(AS_OF, -4))
        elif kind == "unplanned_new":
            p.signed_on = rand_date(rng, *recent)
        else:
            p.signed_on = rand_date(rng, add_months(AS_OF, -13), AS_OF - timedelta(days=5))
            p.planned_start = rand_date(rng, AS_OF + timedelta(days=15), add_months(AS_OF, 9))
        if p.foreign and kind in {"future", "unplanned_new"}:  # foreign deals take longer
            p.signed_on = rand_date(rng, add_months(AS_OF, -19), add_months(AS_OF, -11))
    cutoff = add_months(AS_OF, -6) - timedelta(days=15)
    candidates = [
        p for p in signed if p.signed_on and p.signed_on <= cutoff and not (p.foreign or p.major)
    ]
    for p in rng.sample(candidates, min(CAL["situations"]["no_money"], len(candidates))):
        p.no_money = True  # signed ≥ 6 months ago and no money at all


def assign_terminated(rng: random.Random, terminated: list[Project]) -> None:
    """终止 projects: about half had been signed, some started, some received money."""
    last = add_months(AS_OF, -1)
    for i, p in enumerate(terminated):
        if i < 14:
            p.signed_on = rand_date(rng, date(2021, 6, 1), add_months(AS_OF, -18))
            if i < 5:
                p.started_on = shift(p.signed_on, 30, 150, rng)
            p.terminated = min(shift(p.started_on or p.signed_on, 120, 700, rng), last)
            p.no_money = i >= 9
        else:
            p.terminated = rand_date(rng, date(2022, 6, 1), last)
        reason = rng.choice(NAMES["notes"]["termination"])
        p.note.append(f"{p.terminated.year}年{p.terminated.month}月终止：{reason}")


def leader_day(p: Project) -> date:
    """The day whose office holder a project's 包联领导 is: today's, or when it ended."""
    return p.terminated or p.producing_on or AS_OF


def assign_tracking(rng: random.Random, projects: list[Project]) -> None:
    """五个一 for majors (city leaders), permits, 飞地, 是否纳统 and free-text notes."""
    sit = CAL["situations"]
    city = offices("全市", ("top", "city"))
    by_title = defaultdict(list)
    for office in city:
        by_title[office.title].append(office)
    candidates = [p for p in projects if p.major and p.stage in {"开工", "签约", "在谈"}]
    gaps = dict(zip((p.key for p in rng.sample(candidates, 3)), sit["five_ones_gaps"], strict=True))
    for p in projects:
        short = p.name[:2] + p.industry
        if p.major:
            office = rng.choice(by_title[weighted(rng, NAMES["major_leaders"])])
            p.leader = office.label(leader_day(p))
        elif rng.random() < 0.15:
            p.leader = rng.choice(offices(p.district, ("top", "deputy"))).label(leader_day(p))
        if p.major or rng.random() < 0.08:
            p.task_force = f"{short}项目工作专班"
        if p.major:
            p.work_plan = "是" if rng.random() < 0.4 else f"{short}项目推进方案"
        elif rng.random() < 0.06:
            p.work_plan = "是"
        if p.key in gaps:  # one of the three 五个一 fields left blank
            setattr(p, gaps[p.key], "")

    started = [p for p in projects if p.stage == "开工"]
    low = {p.key for p in rng.sample(started, sit["low_permits"])}
    for p in projects:
        if p.stage in {"储备", "在谈"} or (p.stage == "终止" and p.signed_on is None):
            continue
        if p.stage == "签约" and rng.random() < 0.2:
            continue
        p.permits_required = required = rng.randint(8, 18)
        if p.stage in {"竣工", "投产"}:
            p.permits_done = required
        elif p.key in low:
            p.permits_done = math.floor(required * rng.uniform(0.45, 0.75))
        elif p.stage == "开工":
            p.permits_done = rng.randint(math.ceil(required * 0.8), required)
        else:
            p.permits_done = rng.randint(0, required)

    assign_enclaves(rng, projects)
    assign_excluded(rng, projects)
    for p in rng.sample(projects, 40):
        if not p.note:
            p.note.append(rng.choice(NAMES["notes"]["project"]))


def assign_enclaves(rng: random.Random, projects: list[Project]) -> None:
    """飞地: land-short districts fly projects into another district's park, two out to 集宁."""
    sit = CAL["situations"]
    pool = [
        p
        for p in projects
        if p.stage in {"签约", "开工", "投产", "竣工"}
        and not (p.major or p.foreign)
        and p.sector == "manufacturing"
        and p.land_mu is not None
    ]
    # out of the city: signed in the plan period, 区外 and counted, so the share shows in 800 亿
    jining = [p for p in pool if p.signed_on and p.signed_on.year >= 2023 and p.in_scope]
    chosen = rng.sample(jining, 2)
    chosen = rng.sample([p for p in pool if p not in chosen], sit["enclaves"] - 2) + chosen
    for i, (p, share) in enumerate(zip(chosen, sit["enclave_shares"], strict=True)):
        p.enclave_share = share
        if i < len(chosen) - 2:  # inside the city, sitting in the park of the district flown into
            other = rng.choice([d for d in DISTRICTS if d != p.district])
            if i % 2 == 0:
                p.enclave, p.enclave_from, p.enclave_to = "飞出", p.district, other
                p.park = DISTRICTS[other]["park"]
            else:
                p.enclave, p.enclave_from, p.enclave_to = "飞入", other, p.district
                p.park = DISTRICTS[p.district]["park"]
        else:
            p.enclave, p.enclave_from, p.enclave_to = "飞出", p.district, "集宁先进制造业集中区"
            p.park = ""
            p.note.append(NAMES["notes"]["jining"])


def assign_excluded(rng: random.Random, projects: list[Project]) -> None:
    """Projects outside the statistics: real estate, and public works paid from the budget."""
    spec, n_estate = NAMES["excluded"], CAL["situations"]["estate"]
    pool = [p for p in projects if not (p.major or p.foreign or p.enclave) and p.stage != "储备"]
    estate = rng.sample([p for p in pool if p.stage in spec["estate_stages"]], n_estate)
    fiscal = rng.sample(
        [p for p in pool if p not in estate], CAL["situations"]["excluded"] - n_estate
    )
    for i, p in enumerate(estate + fiscal):
        p.counted, p.investor_tags, p.park = "否", [], ""
        b_name = brand(rng)
        if i < n_estate:
            p.industry = rng.choice(spec["estate_industries"])
            p.name = b_name + rng.choice(spec["estate_products"])
            place = rng.choice(NAMES["regions"][p.source_region]["places"])
            p.investor = spec["estate_investor"].format(place=place, brand=b_name)
            p.total_investment = clip(p.total_investment, spec["estate_cost"])
            p.land_mu = round(p.total_investment / rng.uniform(*spec["estate_per_mu"]), 1)
            p.note.append(NAMES["notes"]["estate"])
        else:
            works = [
                w for w in spec["fiscal_products"] if p.district in w.get("districts", DISTRICTS)
            ]
            work = rng.choice(works)
            p.industry, p.source_region, p.name = work["industry"], "市内", b_name + work["name"]
            p.total_investment = clip(p.total_investment, work["cost"])
            p.investor = spec["fiscal_investor"].format(brand=brand(rng))
            per_mu = work.get("per_mu")
            p.land_mu = round(p.total_investment / rng.uniform(*per_mu), 1) if per_mu else None
            p.note.append(NAMES["notes"]["fiscal"])


def assign_ids(projects: list[Project]) -> list[Project]:
    """WH-<year>-<seq>: year of signing (or of entry into the 项目库), numbered by date."""

    def entry(p: Project) -> date:
        if p.signed_on:
            return p.signed_on
        return p.terminated or date(2023 + p.key % 3, 1 + p.key % 9, 1 + p.key % 28)

    seq: dict[int, int] = defaultdict(int)
    for p in sorted(projects, key=lambda p: (entry(p), p.key)):
        seq[entry(p).year] += 1
        p.project_id = f"WH-{entry(p).year}-{seq[entry(p).year]:04d}"
    return sorted(projects, key=lambda p: p.project_id)


def make_projects(rng: random.Random) -> list[Project]:
    projects = skeletons(rng)
    assign_identity(rng, projects)
    assign_dates(rng, projects)
    assign_tracking(rng, projects)
    return assign_ids(projects)


# ---------------------------------------------------------------- arrivals (到位资金)
def arrival_window(p: Project) -> tuple[date, date] | None:
    """First and last day on which money may arrive for a project."""
    if p.signed_on is None or p.no_money or p.stage not in CAL["arrived_share"]:
        return None
    first, last = max(p.signed_on, FIRST_DAY), AS_OF
    if p.stage == "投产" and p.producing_on:
        last = min(AS_OF, p.producing_on + timedelta(days=120))
    elif p.stage == "竣工" and p.completed_on:
        last = min(AS_OF, p.completed_on + timedelta(days=90))
    elif p.stage == "终止" and p.terminated:  # only its month is recorded: stop before it
        last = p.terminated.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


def raw_arrivals(rng: random.Random, projects: list[Project]) -> list[Arrival]:
    """Months of arrival and uncalibrated amounts, at most one row per project and month."""
    arrivals = []
    for p in projects:
        window = arrival_window(p)
        if window is None:
            continue
        first, last = window
        assert p.signed_on is not None
        life = max(30, (last - p.signed_on).days)
        share = rng.uniform(*CAL["arrived_share"][p.stage]) * min(
            1, (last - first).days / life + 0.1
        )
        months, month = [], first.replace(day=1)
        while month <= last:
            months.append(month)
            month = add_month_start(month)
        chance = (
            0.55 if p.total_investment >= 50_000 else 0.35 if p.total_investment >= 5_000 else 0.2
        )
        picked = [m for m in months if rng.random() < chance] or [rng.choice(months)]
        draws = [rng.uniform(0.3, 1.0) ** 2 for _ in picked]
        for m, w in zip(picked, draws, strict=True):
            day = rand_date(rng, max(m, first), min(month_end(m), last))
            note = rng.choice(NAMES["notes"]["arrival"]) if rng.random() < 0.06 else ""
            rate = CAL["cny_per_usd"][str(day.year)] * rng.uniform(0.985, 1.015)
            arrivals.append(
                Arrival(p, day, w * share * p.total_investment / sum(draws), rate, note)
            )
    return arrivals


def key_of(a: Arrival) -> tuple[str, int]:
    """The calibration figure an arrival belongs to: its group, and its year (FDI) or period."""
    p = a.project
    if p.source_region == "境外" and p.counted != "否":
        return "fdi", a.day.year
    group = "uncounted"
    if p.in_scope:
        group = "advanced" if p.industry in PLAN.advanced_industries else "other"
    return group, next(i for i, c in enumerate(CAL["capital"]) if c["first"] <= a.day <= c["last"])


def value(a: Arrival, group: str) -> float:
    """What an arrival adds to its group's calibrated figure."""
    if group == "fdi":
        return a.amount / a.rate
    return a.amount * (a.project.city_share if group in {"advanced", "other"} else 1.0)


def targets() -> dict[tuple[str, int], float]:
    out = {("fdi", int(year)): float(usd) for year, usd in CAL["fdi_usd"].items()}
    for i, c in enumerate(CAL["capital"]):
        out["advanced", i] = c["counted"] * c["advanced_share"]
        out["other", i] = c["counted"] * (1 - c["advanced_share"])
        out["uncounted", i] = c["counted"] * COUNTING["uncounted_share"]
    return out


def calibrate(arrivals: list[Arrival]) -> None:
    """Scale arrivals by group and period to the targets, never beyond a project's cap.

    The money outside the 口径 ("uncounted") is only steered towards its share: where its
    projects have no room left it stays below, and nothing else depends on it.
    """
    want = targets()
    keys = [key_of(a) for a in arrivals]
    for _ in range(400):
        sums: dict[tuple[str, int], float] = defaultdict(float)
        for a, k in zip(arrivals, keys, strict=True):
            sums[k] += value(a, k[0])
        if empty := [k for k in want if not sums[k]]:
            raise SystemExit(f"calibration failed: no arrivals at all for {empty}")
        factor = {k: want[k] / sums[k] for k in want}
        for a, k in zip(arrivals, keys, strict=True):
            a.amount *= factor[k]
        per_project: dict[int, float] = defaultdict(float)
        for a in arrivals:
            per_project[a.project.key] += a.amount
        capped = set()
        for a, (group, _) in zip(arrivals, keys, strict=True):
            cap = COUNTING["max_arrived_share"] * a.project.total_investment
            if per_project[a.project.key] > cap * 1.0001:
                a.amount *= cap / per_project[a.project.key]
                capped.add(group)
        hard = {k: f for k, f in factor.items() if k[0] != "uncounted"}
        if not capped - {"uncounted"} and all(abs(f - 1) < 1e-9 for f in hard.values()):
            return
    short = [k for k, f in hard.items() if f > 1]
    raise SystemExit(f"calibration failed: no room left in the projects for {short}")


def settle(arrivals: list[Arrival]) -> None:
    """Round to 0.01 万元 (and 万美元) and put the rounding residue on one arrival per period."""
    for a in arrivals:
        a.amount = round(a.amount, 2)
        a.fdi = round(a.amount / a.rate, 2) if a.project.source_region == "境外" else None
    want = targets()
    by_key: dict[tuple[str, int], list[Arrival]] = defaultdict(list)
    for a in arrivals:
        by_key[key_of(a)].append(a)
    for (group, period), rows in by_key.items():
        if group == "uncounted":
            continue
        plain = [a for a in rows if a.project.city_share == 1.0]
        largest = max(plain, key=lambda a: a.amount)
        if group == "fdi":
            residue = want[group, period] - sum(a.fdi or 0 for a in rows)
            largest.fdi = round((largest.fdi or 0) + residue, 2)
        else:
            residue = want[group, period] - sum(value(a, group) for a in rows)
            largest.amount = round(largest.amount + residue, 2)


def make_arrivals(rng: random.Random, projects: list[Project]) -> list[Arrival]:
    arrivals = raw_arrivals(rng, projects)
    calibrate(arrivals)
    arrivals = [a for a in arrivals if a.amount >= 1.0]
    settle(arrivals)
    arrivals.sort(key=lambda a: (a.day, a.project.project_id))
    return arrivals


# ---------------------------------------------------------------- parks, output, activities
def make_parks(rng: random.Random) -> list[list[object]]:
    """Park figures from calibration.toml with a little noise, except the pinned (public) ones."""
    table = {k: v for k, v in CAL["parks"].items() if k != "pinned"}
    pinned = (CAL["parks"]["pinned"]["park"], CAL["parks"]["pinned"]["year"])
    rows: list[list[object]] = []
    for year in sorted({int(y) for by_year in table.values() for y in by_year}):
        for park, by_year in table.items():
            land, invest, output, tax = by_year[str(year)]
            exact = (park, year) == pinned
            land += 0 if exact else rng.randint(-150, 150)
            values = [
                land * ratio * (1.0 if keep else rng.uniform(0.995, 1.005))
                for ratio, keep in ((invest, False), (output, exact), (tax, exact))
            ]
            rows.append([park, year, land, *(f"{v:.2f}" for v in values)])
    return rows


def make_output(rng: random.Random) -> list[list[object]]:
    """全市 and cluster 工业总产值: full years, and the year-to-date rows of calibration.toml."""
    spec = CAL["output"]
    full = {("全市", int(y)): v * 10_000 for y, v in spec["city"].items()}
    for cluster, by_year in spec["clusters"].items():
        full.update(
            {(cluster, int(y)): v * 10_000 * rng.uniform(0.99, 1.01) for y, v in by_year.items()}
        )
    scopes = ["全市", *spec["clusters"]]
    rows: list[list[object]] = []
    for year in sorted(int(y) for y in spec["city"]):
        for month in [*spec["ytd_rows"].get(str(year), []), None]:
            for scope in scopes:
                value = full[scope, year]
                if month is not None:
                    noise = 1.0 if scope == "全市" else rng.uniform(0.99, 1.01)
                    value *= spec["ytd_share"][str(month)] * noise
                rows.append([year, "" if month is None else month, scope, round(value)])
    return rows


def activity(
    day: date,
    kind: str,
    unit: str,
    office: Office | None,
    place: str,
    firms: int,
    signed: int,
    amount: float,
) -> list[object]:
    top = office is not None and office.role == "top"
    leader = office.label(day) if office else ""
    money = f"{round(amount, -2):.0f}" if signed else "0"
    return [day.isoformat(), kind, unit, leader, "是" if top else "否", place, firms, signed, money]


def signings(rng: random.Random, kind: str) -> tuple[int, int, float]:
    firms = rng.randint(3, 40) if kind in {"展会", "行业大会", "推介会"} else rng.randint(1, 12)
    signed = rng.choice([0, 0, 0, 1, 1, 2, 3]) if kind != "行业大会" else rng.randint(3, 12)
    amount = sum(math.exp(rng.uniform(math.log(2_000), math.log(200_000))) for _ in range(signed))
    return firms, signed, amount


def leader_for(rng: random.Random, unit: str, kind: str) -> Office | None:
    """Who leads a unit's activity: district or zone leaders, or city leaders and the bureau head."""
    if kind != "带队招商" and rng.random() < 0.5:
        return None
    if unit in DISTRICTS:
        return rng.choice(offices(unit, ("top", "top", "deputy")))
    titles = NAMES["activities"]["city_leaders"][unit]
    return rng.choice([o for o in OFFICES if o.title in titles])


def make_activities(rng: random.Random) -> list[list[object]]:
    spec = NAMES["activities"]
    assert set(spec["kinds"]) <= set(ACTIVITY_KINDS)
    rows = []
    month = date(2023, 1, 1)
    while month <= AS_OF:
        for _ in range(rng.choice(CAL["activities"]["per_month"])):
            kind = weighted(rng, spec["kinds"])
            unit = rng.choice(spec["units"])
            office = leader_for(rng, unit, kind)
            if kind == "经贸洽谈" and rng.random() < 0.25:
                place = rng.choice(spec["overseas"])
            elif kind == "推介会" and rng.random() < 0.3:
                place = "乌海"
            else:
                place = rng.choice(spec["destinations"])
            day = rand_date(rng, month, min(month_end(month), AS_OF))
            rows.append(activity(day, kind, unit, office, place, *signings(rng, kind)))
        month = add_month_start(month)
    years = range(2023, AS_OF.year + 1)
    deputies = [o for o in OFFICES if o.title == "副市长"]
    for fair in NAMES["fairs"]:  # the yearly fairs the city attends
        for year in years:
            day = date(year, fair["month"], rng.randint(3, 25))
            office = rng.choice(deputies + offices(fair["unit"], ("head",)))
            place = f"{fair['city']}（{fair['name']}）"
            rows.append(activity(day, "展会", fair["unit"], office, place, *signings(rng, "展会")))
    mayor = next(o for o in OFFICES if o.title == "市长")
    for conf in NAMES["conferences"]:  # the industry conferences held in Wuhai
        for year in years:
            day = date(year, conf["month"], rng.randint(8, 26))
            place = f"乌海（{conf['name']}）"
            figures = signings(rng, "行业大会")
            rows.append(activity(day, "行业大会", conf["unit"], mayor, place, *figures))
    meeting = NAMES["city_conference"]  # 全市招商引资暨优化营商环境大会, once a year
    chair = next(o for o in OFFICES if o.title == meeting["leader"])
    for m in meeting["meetings"]:
        place = f"乌海（{meeting['name']}）"
        figures = (m["firms"], m["signed"], m["amount"])
        rows.append(activity(m["date"], meeting["kind"], meeting["unit"], chair, place, *figures))
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    return rows


# ---------------------------------------------------------------- writers
def write_projects_xlsx(path: Path, projects: list[Project]) -> None:
    """One sheet as a district clerk makes it: title, reporter line, 序号, 合计 row, footer."""
    header = ["序号", *headers("projects")]
    wb = Workbook()
    ws = wb.active
    ws.title = LEDGERS["projects"].stem_zh
    last_col = get_column_letter(len(header))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = TITLE
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws["A2"] = f"填报单位：{REPORTER}"
    ws.cell(row=2, column=len(header) - 2, value=f"填报时间：{REPORTED.date().isoformat()}")
    body = [[i, *p.row()] for i, p in enumerate(projects, start=1)]
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, name in enumerate(header, start=1):
        cell = ws.cell(row=3, column=col, value=name)
        cell.font, cell.fill, cell.border = Font(bold=True), fill, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        values = [str(row[col - 1] or "") for row in body[:60]] + [name]
        width = max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in v) for v in values) + 2
        ws.column_dimensions[get_column_letter(col)].width = min(42, max(8, width))
    ws.row_dimensions[3].height = 32
    formats = {"date": "yyyy-mm-dd", "money": "#,##0.00"}
    styles = {
        kind: NamedStyle(f"台账{kind}", border=border, number_format=formats.get(kind, "General"))
        for kind in ("text", *formats)
    }
    kinds = [
        "text",
        *(c.kind if c.kind in formats else "text" for c in LEDGERS["projects"].columns),
    ]
    for i, row in enumerate(body, start=1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=3 + i, column=col, value=None if value == "" else value)
            cell.style = styles[kinds[col - 1]]
    total_row = 4 + len(projects)
    ws.cell(row=total_row, column=2, value="合计").font = Font(bold=True)
    total = ws.cell(
        row=total_row,
        column=header.index(LEDGERS["projects"].by_key["total_investment"].display) + 1,
        value=round(sum(p.total_investment for p in projects), 2),
    )
    total.number_format, total.font = "#,##0.00", Font(bold=True)
    ws.cell(row=total_row + 2, column=1, value=FOOTER)
    ws.freeze_panes = "D4"
    wb.properties.creator = "乌海市区域经济合作局（合成示例数据）"
    wb.properties.title = TITLE
    wb.properties.created = wb.properties.modified = REPORTED
    wb.properties.lastModifiedBy = "wuhai-zs make_sample.py"
    save_stable(wb, path)


def save_stable(wb: Workbook, path: Path) -> None:
    """Save a workbook byte-for-byte reproducibly (fixed properties and zip timestamps)."""
    buffer = io.BytesIO()
    wb.save(buffer)  # stamps 'modified' with the time of saving: set back to REPORTED below
    stamp = REPORTED.timetuple()[:6]
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = dated_core(data, REPORTED)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def arrival_rows(arrivals: list[Arrival]) -> list[list[object]]:
    return [
        [
            a.project.project_id,
            a.day.isoformat(),
            f"{a.amount:.2f}",
            "" if a.fdi is None else f"{a.fdi:.2f}",
            a.note,
        ]
        for a in arrivals
    ]


# ---------------------------------------------------------------- summary
def check_calibration(arrivals: list[Arrival]) -> dict[tuple[str, int], float]:
    """Each calibration figure as written; fail loudly if one misses its target."""
    got: dict[tuple[str, int], float] = defaultdict(float)
    for a in arrivals:
        key = key_of(a)
        got[key] += (a.fdi or 0.0) if key[0] == "fdi" else value(a, key[0])
    for key, want in targets().items():
        if key[0] != "uncounted" and abs(got[key] - want) > 0.011:
            raise SystemExit(f"calibration failed: {key} = {got[key]:,.2f}, want {want:,.2f}")
    return got


def check_vocabulary() -> None:
    """names.toml and calibration.toml must speak the plan's vocabulary."""
    problems = [
        f"{what}: {sorted(set(mine) - set(plans))}"
        for what, mine, plans in (
            ("districts", DISTRICTS, PLAN.districts),
            (
                "district weights",
                {d for w in NAMES["sector_districts"].values() for d in w},
                PLAN.districts,
            ),
            ("parks", [d["park"] for d in DISTRICTS.values()], PLAN.parks),
            ("industries", INDUSTRIES, PLAN.industries),
            ("regions", [*NAMES["regions"], "境外"], PLAN.region_group),
            ("tags", {t for ts in NAMES["sector_tags"].values() for t in ts}, PLAN.tags),
            ("clusters", CAL["output"]["clusters"], [c.name for c in PLAN.clusters]),
            ("park rows", [k for k in CAL["parks"] if k != "pinned"], PLAN.parks),
        )
        if set(mine) - set(plans)
    ]
    if problems:
        raise SystemExit("names not in the plan: " + "; ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    out: Path = parser.parse_args(argv).out_dir
    out.mkdir(parents=True, exist_ok=True)
    check_vocabulary()

    rng = random.Random(CAL["seed"])
    projects = make_projects(rng)
    arrivals = make_arrivals(rng, projects)
    sums = check_calibration(arrivals)
    parks, output, activities = make_parks(rng), make_output(rng), make_activities(rng)

    write_projects_xlsx(out / "项目台账.xlsx", projects)
    write_csv(
        out / "到位资金台账.csv",
        headers("arrivals", ARRIVAL_KEYS),
        arrival_rows(arrivals),
        "utf-8-sig",
    )
    write_csv(out / "园区台账.csv", headers("parks"), parks, "utf-8")
    write_csv(out / "产值台账.csv", headers("output"), output, "gb18030")
    write_csv(out / "招商活动台账.csv", headers("activities"), activities, "utf-8-sig")
    (out / SAMPLE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    counts = [len(projects), len(arrivals), len(parks), len(output), len(activities)]
    print(f"wrote {out}: projects, arrivals, parks, output, activities = {counts}")
    for i, c in enumerate(CAL["capital"]):  # 万元, counted at the city's share
        line = ", ".join(f"{g} {sums[g, i]:,.2f}" for g in ("advanced", "other", "uncounted"))
        print(f"  {c['first']} to {c['last']}: {line}")
    print(
        "  FDI (万美元): " + ", ".join(f"{y} {v:,.2f}" for (g, y), v in sums.items() if g == "fdi")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
