"""The bundled sample: reproducible, calibrated as docs/sample.md says, plausible to a local reader.

Every expectation here is computed from the raw files with csv and openpyxl (never with wuhai_zs)
or written by hand from the plan and the sample's calibration.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import (
    DISTRICTS,
    OUTSIDE_REGIONS,
    REPO,
    SAMPLE,
    YI,
    sample_csv,
    sample_projects,
    sample_projects_by_id,
    share,
)

AS_OF = dt.date(2025, 12, 31)


@cache
def figures() -> dict[str, dict[int, float]]:
    """Per calendar year: counted 到位资金 (区外, ≥ 5000 万元, not 否, 飞地 out of the city at
    its share) and its 先进制造业 part in 亿元, 实际利用外资 in 万美元; 2025 also to September."""
    plan = tomllib.loads((REPO / "src/wuhai_zs/plan/default.toml").read_text("utf-8"))
    advanced = set(plan["advanced_industries"])
    by_id = sample_projects_by_id()
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for a in sample_csv("到位资金台账.csv"):
        p = by_id[a["项目编号"]]
        day = dt.date.fromisoformat(a["到位日期"])
        if p["来源地区"] == "境外" and p["是否纳统"] != "否":
            out["fdi"][day.year] += float(a["外资金额（万美元）"])
        if (
            p["来源地区"] in OUTSIDE_REGIONS
            and p["总投资（万元）"] >= 5000
            and p["是否纳统"] != "否"
        ):
            weight = 1.0
            if p["飞地类型"] == "飞出" and p["飞入地"] not in DISTRICTS:
                weight = share(p["飞出地分成比例"])
            amount = float(a["到位金额（万元）"]) * weight / YI
            out["counted"][day.year] += amount
            if day.month <= 9:
                out["counted_to_sep"][day.year] += amount
            if p["产业类别"] in advanced:
                out["advanced"][day.year] += amount
    return out


def output() -> dict[tuple[str, int, int], float]:
    """(scope, year, months) -> 工业总产值 in 亿元; months 12 for a full-year row."""
    rows = sample_csv("产值台账.csv", "gb18030")
    return {
        (r["统计范围"], int(r["年度"]), int(r["月份"] or 12)): float(r["工业总产值（万元）"]) / YI
        for r in rows
    }


def zone_per_mu(year: int) -> tuple[float, float, float]:
    """All parks' 亩均投资, 亩均产值, 亩均税收 of a year: sums over the summed land."""
    rows = [r for r in sample_csv("园区台账.csv", "utf-8") if int(r["年度"]) == year]
    land = sum(float(r["用地面积（亩）"]) for r in rows)
    columns = ("固定资产投资（万元）", "工业总产值（万元）", "税收收入（万元）")
    invest, value, tax = (sum(float(r[c]) for r in rows) / land for c in columns)
    return invest, value, tax


def cagr(first: float, last: float, years: int) -> float:
    return (last / first) ** (1 / years) - 1


# ---------------------------------------------------------------- reproducible
def test_the_generator_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, str(REPO / "scripts/make_sample.py"), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        runs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert runs[0] == runs[1]
    bundled = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    assert (
        set(runs[0])
        == set(bundled)
        == {
            ".wuhai-zs-sample",
            "项目台账.xlsx",
            "到位资金台账.csv",
            "园区台账.csv",
            "产值台账.csv",
            "招商活动台账.csv",
        }
    )
    for name, data in runs[0].items():  # the bundled sample is exactly what the generator writes
        assert data == bundled[name], f"{name}: run python scripts/make_sample.py"


# ---------------------------------------------------------------- calibration
def test_money_is_calibrated_to_the_plan_base_and_the_years_before() -> None:
    f = figures()
    assert round(f["counted"][2022], 2) == 184.80  # the plan's base, 2023 政府工作报告
    assert [round(f["counted"][y], 2) for y in (2023, 2024)] == [212.00, 243.00]
    assert round(f["counted_to_sep"][2025], 2) == 195.00
    assert round(f["counted"][2025], 2) == 268.00
    assert [round(f["fdi"][y], 2) for y in (2022, 2023, 2024, 2025)] == [2400, 2560, 2730, 2950]
    # 先进制造业、高新技术产业 money grows every year, and faster than the total
    advanced = [f["advanced"][y] for y in (2022, 2023, 2024, 2025)]
    assert advanced == sorted(advanced) and len(set(advanced)) == 4
    assert cagr(advanced[0], advanced[-1], 3) > cagr(f["counted"][2022], f["counted"][2025], 3)


def test_output_moves_with_the_citys_trend() -> None:
    o = output()
    city = [o["全市", y, 12] for y in (2022, 2023, 2024, 2025)]
    assert city == [2850, 2610, 2740, 2880]  # industry fell in 2023, then recovered
    assert o["全市", 2025, 9] == pytest.approx(2880 * 0.733, abs=0.01)
    clusters = {scope for scope, _, _ in o} - {"全市"}
    assert len(clusters) == 7
    for year in (2022, 2023, 2024, 2025):
        assert sum(o[c, year, 12] for c in clusters) < o["全市", year, 12]
    assert o["现代煤化工", 2023, 12] < o["现代煤化工", 2022, 12]


def test_parks_report_every_year_and_the_zone_figures_follow() -> None:
    rows = sample_csv("园区台账.csv", "utf-8")
    years = defaultdict(set)
    for r in rows:
        years[int(r["年度"])].add(r["园区"])
    assert sorted(years) == [2022, 2023, 2024, 2025] and all(len(v) == 4 for v in years.values())
    hi_tech = next(r for r in rows if r["园区"] == "乌海高新技术产业开发区" and r["年度"] == "2022")
    land = float(hi_tech["用地面积（亩）"])
    assert round(float(hi_tech["工业总产值（万元）"]) / land, 2) == 127.19  # public figures
    assert round(float(hi_tech["税收收入（万元）"]) / land, 2) == 5.14
    invest, value, tax = zone_per_mu(2025)
    assert invest > 230 and value < 150 and tax < 9  # the plan's 230 / 150 / 9 万元 per 亩
    assert zone_per_mu(2023)[1] < zone_per_mu(2022)[1]  # output per 亩 fell with industry


def test_docs_state_the_figures_the_files_hold() -> None:
    """docs/sample.md's calibration table equals the raw files, to the digit it shows."""
    text = (REPO / "docs/sample.md").read_text("utf-8")
    f, o = figures(), output()
    want = {
        year: [
            f["counted"][year],
            f["advanced"][year],
            f["fdi"][year],
            o["全市", year, 12],
            *zone_per_mu(year),
        ]
        for year in (2022, 2023, 2024, 2025)
    }
    clusters = {scope for scope, _, _ in o} - {"全市"}
    for cluster in clusters:
        want[cluster] = [
            *(o[cluster, y, 12] for y in (2022, 2023, 2024, 2025)),
            o[cluster, 2025, 9],
        ]
    seen = set()
    for line in text.splitlines():
        cells = [c.strip().replace(",", "") for c in line.strip().strip("|").split("|")]
        key: Any = int(cells[0]) if cells[0].isdigit() else cells[0]
        if key in want and not (isinstance(key, int) and len(cells) != 8):
            numbers = cells[1:] if isinstance(key, int) else cells[2:]
            for cell, value in zip(numbers, want[key], strict=True):
                places = len(cell.partition(".")[2])
                assert float(cell) == round(value, places), (key, cell, value)
            seen.add(key)
    assert seen == set(want)
    # the final-outcome table quotes the same figures
    outcome = text[text.index("## 示例数据展示的结果") :]
    counted, fdi, adv = f["counted"], f["fdi"], f["advanced"]
    quoted = [
        f"{counted[2023] + counted[2024] + counted[2025]:.2f} 亿元",
        f"{cagr(counted[2022], counted[2025], 3):.2%}",
        f"{cagr(fdi[2022], fdi[2025], 3):.2%}",
        f"{cagr(adv[2022], adv[2025], 3):.2%}",
        *(f"{v:.2f} 万元" for v in zone_per_mu(2025)),
        *(f"{o[c, 2025, 12]:.2f}" for c in clusters),
    ]
    assert [q for q in quoted if q not in outcome] == []


# ---------------------------------------------------------------- plausible to a local reader
def test_dates_stop_at_the_as_of_and_the_report_date_is_january() -> None:
    ws = load_workbook(SAMPLE / "项目台账.xlsx")["项目台账"]
    assert "合成示例数据" in str(ws["A1"].value)
    assert any("填报时间：2026-01-0" in str(c.value) for c in ws[2] if c.value)
    for p in sample_projects():
        for column in ("签约日期", "开工日期", "竣工日期", "投产日期"):
            assert p[column] is None or p[column].date() <= AS_OF
    dates = [r["到位日期"] for r in sample_csv("到位资金台账.csv")]
    dates += [r["日期"] for r in sample_csv("招商活动台账.csv")]
    assert max(dates) <= AS_OF.isoformat()
    assert max(r["到位日期"] for r in sample_csv("到位资金台账.csv")) >= "2025-12-01"


def _holder(label: str) -> tuple[str, str]:
    name, title = re.fullmatch(r"(.+某)（(.+)）", label).groups()  # type: ignore[union-attr]
    return name, title


def test_one_holder_of_an_office_at_a_time() -> None:
    spans: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in sample_csv("招商活动台账.csv"):
        if r["带队领导"]:
            name, title = _holder(r["带队领导"])
            spans[title][name].append(r["日期"])
    for title in ("市委书记", "市长", "高新区党工委书记", "乌达区区长"):
        holders = sorted(spans[title].values(), key=min)
        assert len(holders) >= 2, title  # the office changed hands during the plan
        for before, after in itertools.pairwise(holders):
            assert max(before) < min(after), title  # never two at once
    # live projects name today's holders: one 市委书记 and one 市长
    live = [p for p in sample_projects() if p["包联领导"] and p["项目阶段"] not in {"投产", "终止"}]
    for title in ("市委书记", "市长"):
        assert (
            len({_holder(p["包联领导"])[0] for p in live if _holder(p["包联领导"])[1] == title})
            == 1
        )


def test_leaders_belong_to_the_unit() -> None:
    for p in sample_projects():
        if not p["包联领导"]:
            continue
        _, title = _holder(p["包联领导"])
        if p["总投资（万元）"] >= 100_000:
            assert not any(title.startswith(d) for d in DISTRICTS), p["项目编号"]  # city leaders
        elif p["所属区"] == "高新区":
            assert title in {"高新区党工委书记", "高新区管委会主任", "高新区管委会副主任"}
        else:
            assert title.startswith(p["所属区"]), (p["项目编号"], title)
    for r in sample_csv("招商活动台账.csv"):
        if r["带队领导"] and r["所属区"] in DISTRICTS:
            assert _holder(r["带队领导"])[1].startswith(r["所属区"])
        main = {"市委书记", "市长", "高新区党工委书记", "高新区管委会主任"}
        if r["带队领导"] and r["是否主要领导"] == "是":
            title = _holder(r["带队领导"])[1]
            assert title in main or title.endswith(("区委书记", "区区长")), title


def test_tags_and_origins_fit_the_investor() -> None:
    for p in sample_projects():
        tags = set((p["企业标签"] or "").split("、")) - {""}
        investor, name = p["投资方"], p["项目名称"]
        if "央企" in tags:
            assert p["来源地区"] in OUTSIDE_REGIONS and "株式会社" not in investor
        if tags & {"世界500强", "中国500强", "民营500强", "制造业500强", "央企"}:
            assert p["总投资（万元）"] >= 10_000, investor
        if "小巨人" in tags:
            assert "专精特新" in tags
        if "上市公司" in tags and p["来源地区"] != "境外":
            assert investor.endswith("股份有限公司"), investor
        if re.search("农贸市场|种植|物流配送", name):
            assert not tags, (name, tags)
        if p["来源地区"] == "境外":
            assert p["来源国别"] and (p["来源国别"] in investor or "株式会社" in investor)
        if p["来源国别"] in {"香港", "澳门", "台湾"} or re.search("香港|澳门", investor):
            assert p["来源地区"] == "境外", investor
    countries = {p["来源国别"] for p in sample_projects() if p["来源地区"] == "境外"}
    assert "香港" in countries


def test_land_and_money_in_proportion() -> None:
    for p in sample_projects():
        total, land, name = p["总投资（万元）"], p["用地面积（亩）"], p["项目名称"]
        if land:
            assert total / land <= 1_500, (name, total, land)  # 万元 per 亩
            if total >= 100_000 and "储能" not in name:
                assert land >= 100, (name, total, land)
        solar = re.search(r"(\d+)万千瓦(?:光伏发电|光伏治理)", name)
        if solar:
            yuan_per_watt = total * 10_000 / (int(solar.group(1)) * 10_000 * 1_000)
            assert 3.4 <= yuan_per_watt <= 4.8, (name, yuan_per_watt)


def test_the_city_conference_is_held_once_a_year() -> None:
    rows = [
        r for r in sample_csv("招商活动台账.csv") if "全市招商引资暨优化营商环境大会" in r["目的地"]
    ]
    assert [r["日期"][:4] for r in rows] == ["2023", "2024", "2025"]
    assert {r["所属区"] for r in rows} == {"市区域经济合作局"}
    assert all(_holder(r["带队领导"])[1] == "市委书记" for r in rows)
