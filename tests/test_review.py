"""`wuhai-zs review`: the plan period in review, on the sample, a district's own workbook and a
second plan file; every figure checked against the raw files (csv, openpyxl) or hand-made ledgers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
import zipfile
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import (
    DISTRICTS,
    OUTSIDE_REGIONS,
    PROJECT_HEADER,
    YI,
    arrival,
    credit,
    get_target,
    is_counted,
    is_foreign,
    project,
    sample_csv,
    sample_projects,
    sample_projects_by_id,
    shared,
    unwrap,
    write_csv,
)

EXAMPLE = ("examples", "海南区台账-示例.xlsx")  # in ../shared beside the repository
TODAY = "2026-12-01"
START, END = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
# What a staff member must never have to fill in or delete in the draft.
PLACEHOLDER = re.compile(r"X{2,}|×{2}|○○|TODO|待填|None|nan|\{|\}")


# ---------------------------------------------------------------- the sample, read directly
def day(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value))


def add_months(when: dt.date, months: int) -> dt.date:
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(when.day, calendar.monthrange(year, month)[1]))


@cache
def sample_sums() -> dict[str, Any]:
    """Per year (万元, city share): counted money, its 新签约/续建 split, 区内, FDI (万美元); per
    district over the plan period: counted money; the share flown out of the city."""
    projects = sample_projects_by_id()
    years: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[str, float] = defaultdict(float)
    outside = 0.0
    for a in sample_csv("到位资金台账.csv"):
        p = projects[a["项目编号"]]
        when = dt.date.fromisoformat(a["到位日期"])
        amount = float(a["到位金额（万元）"])
        shares = credit(p)
        city = sum(shares.values())
        flagged = p["是否纳统"] == "否"
        if is_counted(p):
            years["counted"][when.year] += amount * city
            signed = day(p["签约日期"])
            assert signed is not None
            key = "new" if signed.year == when.year else "continuing"
            years[key][when.year] += amount * city
            if START <= when <= END:
                for unit, part in shares.items():
                    units[unit] += amount * part
                outside += amount * (1 - city)
        if (
            p["来源地区"] == "区内"
            and float(p["总投资（万元）"]) >= 5000
            and not flagged
            and not is_foreign(p)
        ):
            years["within"][when.year] += amount * city
        if is_foreign(p) and not flagged and a["外资金额（万美元）"]:
            years["usd"][when.year] += float(a["外资金额（万美元）"]) * city
    return {"years": years, "units": units, "outside": outside}


@pytest.fixture(scope="module")
def sample_review() -> dict[str, Any]:
    """The library's review of the sample at today (the plan has ended): one computation."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WUHAI_ZS_TODAY", TODAY)
        from wuhai_zs import clock
        from wuhai_zs.ledgers.sources import sample_path
        from wuhai_zs.metrics.review import compute, review_as_of
        from wuhai_zs.pipeline import run
        from wuhai_zs.plan.model import load_plan

        plan = load_plan()
        when, _ = review_as_of(plan, None, clock.today())
        result = compute(run(sample_path(), plan, when))
        return {"result": result, "json": result.to_dict()}


def year_row(payload: dict[str, Any], year: int) -> dict[str, Any]:
    return next(y for y in payload["years"] if y["year"] == year)


# ---------------------------------------------------------------- sample: the command
def test_review_json_is_the_library_result(cli, monkeypatch, sample_review) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    result = cli("review", "--json")
    assert result.code == 0, result.err
    payload = result.json()
    assert unwrap(payload, "review") == sample_review["json"]  # its keys: test_json_contract
    assert payload["as_of"] == "2025-12-31" and payload["final"] is True
    assert payload["synthetic"] is True
    # the verdicts are those of `targets` at the plan's end
    targets = cli("targets", "--json", "--as-of", "2025-12-31").json()
    assert payload["targets"] == targets["targets"]


def test_review_terminal_says_sample_and_gives_the_sentence(cli, monkeypatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    result = cli("review")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "示例数据" in out.split("截止日期")[0]  # in the header, before anything else
    assert "终期评估报告" in out
    assert "三年累计引进区外到位资金 723.00 亿元，完成目标（800.00 亿元）的 90.4%" in out
    for heading in (
        "一、主要目标完成情况",
        "二、逐年推进情况",
        "三、各区完成情况",
        "四、项目建设情况",
    ):
        assert heading in out


# ---------------------------------------------------------------- sample: the figures
def test_sample_years_against_the_raw_files(sample_review) -> None:
    payload = sample_review["json"]
    sums = sample_sums()["years"]
    for year in (2022, 2023, 2024, 2025):
        row = year_row(payload, year)
        assert row["complete"] is True and row["months"] == 12
        assert row["capital_counted_yi"] == pytest.approx(sums["counted"][year] / YI, abs=1e-4)
        assert row["capital_new_yi"] == pytest.approx(sums["new"][year] / YI, abs=1e-4)
        assert row["capital_continuing_yi"] == pytest.approx(
            sums["continuing"][year] / YI, abs=1e-4
        )
        assert row["within_region_yi"] == pytest.approx(sums["within"][year] / YI, abs=1e-4)
        assert row["fdi_wan_usd"] == pytest.approx(sums["usd"][year], abs=0.01)
    # 同比 against the year before; the first plan year against the plan's base 184.8 亿元
    base = year_row(payload, 2022)
    assert base["role"] == "base" and base["capital_plan_base_yi"] == pytest.approx(184.8)
    assert year_row(payload, 2023)["growth"] == pytest.approx(
        sums["counted"][2023] / YI / 184.8 - 1, abs=1e-6
    )
    for year in (2024, 2025):
        row = year_row(payload, year)
        expected = sums["counted"][year] / sums["counted"][year - 1] - 1
        assert row["growth"] == pytest.approx(expected, abs=1e-6)
        assert row["growth_kind"] == "同比" and row["growth_target"] == pytest.approx(0.15)
        assert row["meets_rate"] is (expected >= 0.15)
        usd = sums["usd"][year] / sums["usd"][year - 1] - 1
        assert row["fdi_growth"] == pytest.approx(usd, abs=1e-6)


def test_sample_output_clusters_and_parks_against_the_raw_files(sample_review) -> None:
    payload = sample_review["json"]
    output: dict[tuple[int, str], float] = {}
    for r in sample_csv("产值台账.csv", "gb18030"):
        if not r["月份"]:
            output[(int(r["年度"]), r["统计范围"])] = float(r["工业总产值（万元）"]) / YI
    parks: dict[int, list[dict[str, str]]] = defaultdict(list)
    for r in sample_csv("园区台账.csv", "utf-8"):
        parks[int(r["年度"])].append(r)
    for year in (2022, 2023, 2024, 2025):
        row = year_row(payload, year)
        assert row["output_yi"] == pytest.approx(output[(year, "全市")], abs=1e-6)
        assert row["output_months"] == 12
        for c in row["clusters"]:
            assert c["output_yi"] == pytest.approx(output[(year, c["name"])], abs=1e-6)
        land = sum(float(p["用地面积（亩）"]) for p in parks[year])
        for key, column in (
            ("investment_wan_per_mu", "固定资产投资（万元）"),
            ("output_wan_per_mu", "工业总产值（万元）"),
            ("tax_wan_per_mu", "税收收入（万元）"),
        ):
            expected = sum(float(p[column]) for p in parks[year]) / land
            assert row["per_mu"][key] == pytest.approx(expected, abs=1e-6)
        assert row["per_mu"]["complete"] is True
    growth = output[(2023, "全市")] / output[(2022, "全市")] - 1
    assert year_row(payload, 2023)["output_growth"] == pytest.approx(growth, abs=1e-9)


def test_sample_districts_against_the_raw_files(sample_review) -> None:
    payload = sample_review["json"]
    sums = sample_sums()
    total = sum(sums["units"].values())
    counts: dict[str, dict[str, int]] = {u: defaultdict(int) for u in DISTRICTS}
    for p in sample_projects():
        for key, column in (
            ("signed", "签约日期"),
            ("started", "开工日期"),
            ("producing", "投产日期"),
        ):
            when = day(p[column])
            if when is not None and START <= when <= END:
                counts[p["所属区"]][key] += 1
    rows = {d["unit"]: d for d in payload["districts"]}
    assert list(rows) == list(DISTRICTS)
    for unit in DISTRICTS:
        d = rows[unit]
        assert d["capital_counted_yi"] == pytest.approx(sums["units"][unit] / YI, abs=1e-4)
        assert d["share"] == pytest.approx(sums["units"][unit] / total, abs=1e-6)
        for key in ("signed", "started", "producing"):
            assert d[key] == counts[unit][key], (unit, key)
    ranked = sorted(DISTRICTS, key=lambda u: -sums["units"][u])
    assert [rows[u]["rank"] for u in ranked] == [1, 2, 3, 4]
    # the city is the sum of the districts; the share flown out of the city is its own row
    city = payload["district_total"]
    assert city["capital_counted_yi"] == pytest.approx(total / YI, abs=1e-4)
    assert city["capital_counted_yi"] == pytest.approx(723.0, abs=1e-4)
    outside = payload["district_outside"]
    assert outside["in_city"] is False
    assert outside["capital_counted_yi"] == pytest.approx(sums["outside"] / YI, abs=1e-4)
    assert outside["capital_counted_yi"] > 0


def test_sample_projects_cohorts_and_largest_against_the_raw_files(sample_review) -> None:
    payload = sample_review["json"]
    projects = sample_projects()
    as_of = END
    by_year = {p["year"]: p for p in payload["projects"]["by_year"]}
    for year in (2023, 2024, 2025):
        signed = [p for p in projects if (d := day(p["签约日期"])) and d.year == year]
        assert by_year[year]["signed"] == len(signed)
        started = [p for p in projects if (d := day(p["开工日期"])) and d.year == year]
        assert by_year[year]["started"] == len(started)
        cohort = next(c for c in payload["projects"]["cohorts"] if c["year"] == year)
        assert cohort["signed"] == len(signed)
        for window in cohort["windows"]:
            months = window["months"]
            eligible = [p for p in signed if add_months(day(p["签约日期"]), months) <= as_of]
            landed = [
                p
                for p in eligible
                if (s := day(p["开工日期"])) and s <= add_months(day(p["签约日期"]), months)
            ]
            assert window["eligible"] == len(eligible), (year, months)
            assert window["started"] == len(landed), (year, months)
            assert window["not_elapsed"] == len(signed) - len(eligible)
            if eligible:
                assert window["rate"] == pytest.approx(len(landed) / len(eligible))
            else:
                assert window["rate"] is None
    # the 2025 signings have not had 12 months: no rate, said so
    late = next(c for c in payload["projects"]["cohorts"] if c["year"] == 2025)
    assert late["windows"][1]["rate"] is None and late["windows"][1]["eligible"] == 0
    # the largest projects signed in the plan period and what they brought in it
    in_period = [p for p in projects if (d := day(p["签约日期"])) and START <= d <= END]
    top = sorted(in_period, key=lambda p: (-float(p["总投资（万元）"]), p["项目编号"]))[:10]
    largest = payload["projects"]["largest"]
    assert [p["project_id"] for p in largest] == [p["项目编号"] for p in top]
    arrived: dict[str, float] = defaultdict(float)
    for a in sample_csv("到位资金台账.csv"):
        if dt.date.fromisoformat(a["到位日期"]) >= START:
            arrived[a["项目编号"]] += float(a["到位金额（万元）"])
    for p in largest:
        assert p["arrived_wan"] == pytest.approx(arrived[p["project_id"]], abs=0.01)
        assert p["total_investment_wan"] == pytest.approx(
            float(sample_projects_by_id()[p["project_id"]]["总投资（万元）"])
        )


def test_sample_final_year_and_the_plans_own_inconsistency(sample_review) -> None:
    payload = sample_review["json"]
    sums = sample_sums()["years"]["counted"]
    rows = {r["id"]: r for r in payload["final_year"]}
    cumulative = rows["capital_cumulative"]
    assert cumulative["year"] == 2025
    assert cumulative["needed"] == pytest.approx(800 - (sums[2023] + sums[2024]) / YI, abs=1e-4)
    assert cumulative["actual"] == pytest.approx(sums[2025] / YI, abs=1e-4)
    growth = rows["capital_growth"]
    assert growth["needed"] == pytest.approx(184.8 * 1.15**3, abs=1e-6)
    assert rows["industrial_output"]["needed"] == pytest.approx(4000)
    notes = " ".join(payload["notes"])
    assert "737.98" in notes and "19.5%" in notes
    assert payload["basis"]["consistency"]["cumulative_at_growth_target_yi"] == pytest.approx(
        184.8 * (1.15 + 1.15**2 + 1.15**3), abs=0.005
    )
    # what the figures rest on: 未纳统 by reason, 飞地, validation
    reasons = {x["key"]: x["amount_yi"] for x in payload["basis"]["not_counted"]}
    assert set(reasons) == {"境外", "市内", "规模以下", "标记不纳统"}
    assert payload["basis"]["enclave"]["leaving_city"] == 2
    assert payload["basis"]["validation"]["rows_rejected"] == 0


# ---------------------------------------------------------------- sample: the Word draft
def docx_text(path: Path) -> tuple[Any, list[str]]:
    doc = Document(str(path))
    return doc, [p.text for p in doc.paragraphs]


def test_docx_is_a_draft_to_paste(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    out = tmp_path / "终期评估.docx"
    result = cli("review", "--output", str(out))
    assert result.code == 0, result.err
    assert "示例数据" in result.out
    doc, paragraphs = docx_text(out)
    # title page: the sample mark, the title, then the body in its own section (page 1)
    first = paragraphs[: paragraphs.index("一、主要目标完成情况")]
    assert "示例数据" in first
    assert any("终期评估报告" in p for p in first)
    # numbered sections in the usual order, as Word headings
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == [
        "一、主要目标完成情况",
        "二、逐年推进情况",
        "三、各区完成情况",
        "四、项目建设情况",
    ]
    assert headings[-1].endswith("评估依据与数据说明")
    assert (
        next(p.text for p in doc.paragraphs if p.style.name == "Heading 2") == "（一）区外到位资金"
    )
    # sentences from the figures, as a report prints them (no space between figure and word)
    body = "\n".join(paragraphs)
    assert "三年累计引进区外到位资金723.00亿元，完成目标（800.00亿元）的90.4%" in body
    assert "2023年引进区外到位资金212.00亿元，同比增长14.7%" in body
    assert not PLACEHOLDER.search(body), PLACEHOLDER.search(body)
    # real tables, each with a header row that repeats on every page
    assert len(doc.tables) >= 10
    for table in doc.tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.find(qn("w:tblHeader")) is not None
        cells = [c.text for row in table.rows for c in row.cells]
        assert not any(PLACEHOLDER.search(c) for c in cells), cells
    targets = doc.tables[0]
    assert [c.text for c in targets.rows[0].cells][:3] == ["序号", "目标", "单位"]
    assert [c.text for c in targets.rows[1].cells][:5] == [
        "1",
        "招商引资到位资金累计",
        "亿元",
        "800.00",
        "723.00",
    ]
    # A4, Chinese fonts named for East Asian text, page numbers in the footer
    for section in doc.sections:
        assert round(section.page_width.cm, 1) == 21.0
        assert round(section.page_height.cm, 1) == 29.7
    fonts = {
        name: doc.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("Normal", "Heading 1", "Heading 2", "Title")
    }
    assert fonts == {
        "Normal": "仿宋_GB2312",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Title": "黑体",
    }
    cell_font = targets.rows[1].cells[1].paragraphs[0].runs[0]._r.rPr.rFonts
    assert cell_font.get(qn("w:eastAsia")) == "宋体"
    footer = doc.sections[-1].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    assert 'w:start="1"' in doc.sections[-1]._sectPr.xml  # the body starts at page 1
    # every page's header says 示例数据
    assert "示例数据" in doc.sections[-1].header.paragraphs[0].text


def test_docx_and_xlsx_are_reproducible(sample_review, tmp_path: Path) -> None:
    from wuhai_zs.render.review_book import write_review_book
    from wuhai_zs.render.review_docx import docx_bytes

    result = sample_review["result"]
    assert docx_bytes(result) == docx_bytes(result)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_review_book(result, a)
    write_review_book(result, b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 12, 31, 0, 0, 0)}


def test_xlsx_has_the_sections_and_the_sample_mark(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    out = tmp_path / "终期评估.xlsx"
    assert cli("review", "-o", str(out)).code == 0
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == [
        "说明",
        "主要目标完成情况",
        "逐年推进情况",
        "各区完成情况",
        "项目建设情况",
    ]
    for ws in wb.worksheets:
        assert "示例数据" in (ws.oddHeader.left.text or ""), ws.title
        assert "终期评估报告" in (ws.oddHeader.center.text or ""), ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    values = [c for row in wb["主要目标完成情况"].iter_rows(values_only=True) for c in row]
    assert 723 in [round(v, 6) for v in values if isinstance(v, int | float)]
    assert "未完成" in values
    districts = [r for r in wb["各区完成情况"].iter_rows(values_only=True) if r[1] == "全市"]
    assert districts and districts[0][2] == pytest.approx(723.0, abs=1e-4)


# ---------------------------------------------------------------- the CLI's rules for files
def test_output_rules(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    existing = tmp_path / "终期评估.docx"
    existing.write_bytes(b"old")
    refused = cli("review", "--output", str(existing))
    assert refused.code == 2 and "已存在" in refused.err and "--force" in refused.err
    assert existing.read_bytes() == b"old"
    bad = cli("review", "--output", str(tmp_path / "评估.pdf"))
    assert bad.code == 2 and ".docx" in bad.err and ".xlsx" in bad.err
    both = cli("review", "--json", "--output", str(tmp_path / "x.xlsx"))
    assert both.code == 2 and "--json" in both.err
    early = cli("review", "--as-of", "2022-06-30")
    assert early.code == 2 and "早于计划期" in early.err
    forced = cli("review", "--output", str(existing), "--force")
    assert forced.code == 0, forced.err
    assert zipfile.is_zipfile(existing)


def test_as_of_after_the_plan_is_brought_back_to_its_end(cli, monkeypatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    result = cli("review", "--json", "--as-of", "2026-06-30")
    assert result.code == 0, result.err
    assert "晚于计划期末 2025-12-31" in result.err
    payload = result.json()
    assert payload["as_of"] == "2025-12-31"
    assert any("晚于计划期末" in n for n in payload["notes"])


def test_a_look_back_is_an_interim_review(cli, monkeypatch) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    payload = cli("review", "--json", "--as-of", "2025-09-30").json()
    assert payload["final"] is False
    row = year_row(payload, 2025)
    assert row["complete"] is False and row["months"] == 9 and row["growth_kind"] == "同期比"
    # 2025 to September against 2024 to September, from the raw files
    sums: dict[int, float] = defaultdict(float)
    projects = sample_projects_by_id()
    for a in sample_csv("到位资金台账.csv"):
        when = dt.date.fromisoformat(a["到位日期"])
        p = projects[a["项目编号"]]
        if is_counted(p) and when.month <= 9:
            sums[when.year] += float(a["到位金额（万元）"]) * sum(credit(p).values())
    assert row["capital_counted_yi"] == pytest.approx(sums[2025] / YI, abs=1e-4)
    assert row["growth"] == pytest.approx(sums[2025] / sums[2024] - 1, abs=1e-6)
    statuses = {t["id"]: t["status"] for t in payload["targets"]}
    assert statuses["capital_cumulative"] == "behind"


# ---------------------------------------------------------------- a district's own workbook
def example_month_amounts() -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    wb = load_workbook(shared(*EXAMPLE))
    rows = list(wb["项目台账"].iter_rows(values_only=True))
    header = [str(h) for h in rows[2]]
    projects = {
        r[1]: dict(zip(header, r, strict=True)) for r in rows[3:] if str(r[1]).startswith("HN-")
    }
    money: dict[str, float] = defaultdict(float)
    for r in list(wb["到位资金台账"].iter_rows(values_only=True))[2:]:
        if r[0] in projects:
            money[r[0]] += float(str(r[2]).replace(",", ""))
    return money, projects


def test_review_of_a_districts_own_workbook(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", TODAY)
    money, projects = example_month_amounts()
    result = cli("review", "--json", "--data", str(shared(*EXAMPLE)))
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["as_of"] == "2025-12-31" and payload["synthetic"] is False
    # 总投资 is in 亿元 there (单位：亿元 line): counted when 区外 and at least 0.5 亿元
    expected = sum(
        amount
        for pid, amount in money.items()
        if projects[pid]["来源地区"] in OUTSIDE_REGIONS
        and float(projects[pid]["总投资"]) * YI >= 5000
    )
    row = year_row(payload, 2025)
    assert row["capital_counted_yi"] == pytest.approx(expected / YI)
    assert row["complete"] is False and row["months"] == 7  # the ledger stops in July
    for year in (2022, 2023, 2024):  # before the ledger's first arrival: no data, not zero
        assert year_row(payload, year)["capital_counted_yi"] is None
    statuses = {t["id"]: t for t in payload["targets"]}
    cumulative = statuses["capital_cumulative"]
    assert cumulative["status"] == "pending"
    assert "2025-08 至 2025-12" in cumulative["awaiting"]
    assert any("台账只含部分区" in w for w in payload["warnings"])
    districts = {d["unit"]: d for d in payload["districts"]}
    assert districts["海南区"]["capital_counted_yi"] == pytest.approx(expected / YI)
    assert districts["海南区"]["share"] == pytest.approx(1.0) and districts["海南区"]["rank"] == 1
    assert districts["海南区"]["signed"] == len(projects)
    for unit in ("海勃湾区", "乌达区", "高新区"):  # not in the workbook: no data, no rank
        assert districts[unit]["capital_counted_yi"] is None and districts[unit]["rank"] is None
    assert payload["partial_units"] == ["海勃湾区", "乌达区", "高新区"]
    # the 2025 cohort at 2025-12-31 (hand-checked against the workbook): HN-2025-01 signed
    # 2025-02-14 started 2025-04-08; HN-2025-02 signed 2025-06-30, not started; HN-2025-03
    # signed 2025-08-01 has not had 6 months
    cohort = next(c for c in payload["projects"]["cohorts"] if c["year"] == 2025)
    six = cohort["windows"][0]
    assert (six["eligible"], six["started"], six["not_elapsed"]) == (2, 1, 1)
    assert six["rate"] == pytest.approx(0.5)
    # the Word draft names what is missing instead of concluding
    out = tmp_path / "海南区.docx"
    assert cli("review", "--data", str(shared(*EXAMPLE)), "-o", str(out)).code == 0
    _, paragraphs = docx_text(out)
    body = "\n".join(paragraphs)
    assert "示例数据" not in body
    assert "结论待数据" in body and "2025年8月至2025年12月的到位资金数据" in body
    assert "台账中没有海勃湾区、乌达区、高新区的项目或到位资金" in body
    assert not PLACEHOLDER.search(body)


# ---------------------------------------------------------------- a second plan: 2026—2028
def plan_2026(tmp_path: Path) -> Path:
    """The default plan file moved to 2026—2028 with other targets."""
    from wuhai_zs.plan.model import default_plan_text

    text = default_plan_text()
    head, _, rest = text.partition("[[targets]]")
    tail = rest[rest.index("[major_project]") :]
    head = (
        head.replace(
            "乌海市招商引资三年行动方案（2023—2025年）", "乌海市招商引资三年行动方案（2026—2028年）"
        )
        .replace("start = 2023-01-01", "start = 2026-01-01")
        .replace("end = 2025-12-31", "end = 2028-12-31")
        .replace("base_year = 2022", "base_year = 2025")
    )
    targets = """
[[targets]]
id = "capital_cumulative"
name = "招商引资到位资金累计"
kind = "cumulative"
measure = "capital"
target = "40亿元"

[[targets]]
id = "capital_growth"
name = "到位资金年均增长"
kind = "growth"
measure = "capital"
target = "20%"
base = "1.5亿元"

[[targets]]
id = "fdi_growth"
name = "实际利用外资年均增长"
kind = "growth"
measure = "fdi"
target = "5%"
base = "1200万美元"

[[targets]]
id = "industrial_output"
name = "工业总产值"
kind = "level"
measure = "output"
scope = "全市"
target = "3000亿元"
year = 2028

[[targets]]
id = "park_investment_per_mu"
name = "开发区亩均投资"
kind = "ratio"
measure = "fixed_investment_per_mu"
target = "250万元/亩"
year = 2028

"""
    path = tmp_path / "plan-2026.toml"
    path.write_text(head + targets + tail, encoding="utf-8")
    tomllib.loads(path.read_text("utf-8"))
    return path


def ledgers_2026(tmp_path: Path) -> Path:
    """Hand-made ledgers for 2025—2028: each 口径 line, a 飞地 out of the city, cohorts."""
    folder = tmp_path / "台账"
    projects = [
        project(
            "P0", 所属区="海南区", 签约日期="2024-06-01", 开工日期="2024-08-01", 项目阶段="开工"
        ),
        project(
            "P1", 所属区="海南区", 签约日期="2025-11-10", 开工日期="2026-03-01", 项目阶段="开工"
        ),
        project(
            "P2",
            所属区="高新区",
            所在园区="乌海高新技术产业开发区",
            来源地区="京津冀",
            **{"总投资（万元）": 500000},
            签约日期="2026-02-01",
            开工日期="2026-10-01",
            竣工日期="2027-10-01",
            投产日期="2027-12-01",
            项目阶段="投产",
            包联领导="某某",
            工作专班="专班",
            推进方案="是",
        ),
        project(
            "P3",
            所属区="乌达区",
            来源地区="区内",
            **{"总投资（万元）": 300000},
            签约日期="2027-01-15",
            包联领导="某某",
            工作专班="专班",
            推进方案="是",
        ),
        project(
            "P4",
            所属区="海勃湾区",
            来源地区="境外",
            来源国别="新加坡",
            **{"总投资（万元）": 400000},
            签约日期="2026-05-01",
            包联领导="某某",
            工作专班="专班",
            推进方案="是",
        ),
        project(
            "P5",
            所属区="乌达区",
            **{"总投资（万元）": 1000000},
            签约日期="2026-06-01",
            开工日期="2026-07-01",
            项目阶段="开工",
            飞地类型="飞出",
            飞出地="乌达区",
            飞入地="集宁先进制造业集中区",
            飞出地分成比例="60%",
            包联领导="某某",
            工作专班="专班",
            推进方案="是",
        ),
        project("P6", 所属区="海南区", **{"总投资（万元）": 3000}, 签约日期="2027-03-01"),
        project(
            "P7",
            所属区="海勃湾区",
            来源地区="其他区外",
            **{"总投资（万元）": 80000},
            是否纳统="否",
            签约日期="2028-02-01",
        ),
        project(
            "P8",
            所属区="高新区",
            **{"总投资（万元）": 60000},
            签约日期="2028-09-01",
            开工日期="2028-12-15",
            项目阶段="开工",
        ),
    ]
    write_csv(folder / "项目台账.csv", projects, header=PROJECT_HEADER)
    arrivals = [
        arrival("P0", "2025-01-05", 5000),
        arrival("P1", "2025-12-01", 10000),
        arrival("P1", "2026-04-01", 30000),
        arrival("P1", "2027-05-01", 40000),
        arrival("P2", "2026-03-01", 50000),
        arrival("P2", "2027-06-01", 60000),
        arrival("P2", "2028-01-15", 70000),
        arrival("P2", "2028-12-20", 1000),
        arrival("P3", "2027-02-01", 20000),
        arrival("P3", "2028-03-01", 25000),
        arrival("P4", "2026-06-01", 10000, **{"外资金额（万美元）": 1400}),
        arrival("P4", "2027-06-01", 12000, **{"外资金额（万美元）": 1650}),
        arrival("P4", "2028-06-01", 13000, **{"外资金额（万美元）": 1800}),
        arrival("P5", "2026-08-01", 100000),
        arrival("P5", "2027-08-01", 100000),
        arrival("P6", "2027-04-01", 500),
        arrival("P7", "2028-03-01", 4000),
        arrival("P8", "2028-10-01", 3000),
    ]
    write_csv(folder / "到位资金台账.csv", arrivals)
    output = [
        {"年度": y, "月份": "", "统计范围": "全市", "工业总产值（万元）": v}
        for y, v in ((2025, 28_000_000), (2026, 28_500_000), (2027, 29_000_000), (2028, 30_500_000))
    ]
    write_csv(folder / "产值台账.csv", output, encoding="gbk")
    parks = []
    for year, a, b in ((2025, 200000, 100000), (2026, 220000, 110000), (2027, 240000, 120000)):
        parks.append(("乌海高新技术产业开发区", year, 1000, a))
        parks.append(("海南产业园", year, 500, b))
    parks.append(("乌海高新技术产业开发区", 2028, 1000, 270000))  # 海南产业园 has not reported
    write_csv(
        folder / "园区台账.csv",
        [
            {
                "园区": p,
                "年度": y,
                "用地面积（亩）": land,
                "固定资产投资（万元）": fixed,
                "工业总产值（万元）": fixed // 2,
                "税收收入（万元）": fixed // 40,
            }
            for p, y, land, fixed in parks
        ],
    )
    return folder


def test_review_with_a_second_plan(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2029-03-01")
    plan = plan_2026(tmp_path)
    data = ledgers_2026(tmp_path)
    result = cli("review", "--json", "--plan", str(plan), "--data", str(data))
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["plan"]["name"] == "乌海市招商引资三年行动方案（2026—2028年）"
    assert payload["as_of"] == "2028-12-31" and payload["final"] is True
    assert [y["year"] for y in payload["years"]] == [2025, 2026, 2027, 2028]
    # counted money by year (万元, hand-computed from the rows above): 区外, ≥ 5000 万元, not 否,
    # P5 at the city's 60%; 新签约 = signed that year
    counted = {2025: 15000, 2026: 140000, 2027: 160000, 2028: 74000}
    new = {2025: 10000, 2026: 110000, 2027: 0, 2028: 3000}
    for year, amount in counted.items():
        row = year_row(payload, year)
        assert row["capital_counted_yi"] == pytest.approx(amount / YI), year
        assert row["capital_new_yi"] == pytest.approx(new[year] / YI), year
        assert row["capital_continuing_yi"] == pytest.approx((amount - new[year]) / YI), year
    assert year_row(payload, 2027)["within_region_yi"] == pytest.approx(2.0)
    assert year_row(payload, 2026)["foreign_yi"] == pytest.approx(1.0)
    assert year_row(payload, 2028)["fdi_wan_usd"] == pytest.approx(1800)
    assert year_row(payload, 2026)["growth"] == pytest.approx(14.0 / 1.5 - 1)  # the plan's base
    assert year_row(payload, 2026)["fdi_growth"] == pytest.approx(1400 / 1200 - 1)
    assert year_row(payload, 2028)["growth"] == pytest.approx(7.4 / 16.0 - 1)
    assert year_row(payload, 2028)["output_yi"] == pytest.approx(3050)
    assert year_row(payload, 2028)["per_mu"]["complete"] is False
    statuses = {t["id"]: t["status"] for t in payload["targets"]}
    assert statuses["capital_cumulative"] == "missed"
    assert statuses["capital_growth"] == "met"
    assert statuses["fdi_growth"] == "met"
    assert statuses["industrial_output"] == "met"
    assert statuses["park_investment_per_mu"] == "pending"  # 海南产业园's 2028 is not in
    assert all(s == "no_data" for k, s in statuses.items() if k.startswith("cluster."))
    growth = get_target(payload, "capital_growth")
    assert growth["actual"] == pytest.approx((7.4 / 1.5) ** (1 / 3) - 1)
    final = {r["id"]: r for r in payload["final_year"]}
    assert final["capital_cumulative"]["needed"] == pytest.approx(40 - 30)
    assert final["capital_cumulative"]["gap"] == pytest.approx(7.4 - 10)
    assert final["capital_growth"]["needed"] == pytest.approx(1.5 * 1.2**3)
    assert final["fdi_growth"]["needed"] == pytest.approx(1200 * 1.05**3)
    # 2028 亩均 over one of the two parks is shown in the years, never as the final figure
    assert final["park_investment_per_mu"]["actual"] is None
    assert final["park_investment_per_mu"]["gap"] is None
    assert year_row(payload, 2028)["per_mu"]["investment_wan_per_mu"] == pytest.approx(270.0)
    assert year_row(payload, 2025)["fdi_plan_base_wan_usd"] == pytest.approx(1200)
    # districts over 2026—2028: 飞地 P5 gives 乌达区 60%, the 40% flown to 集宁 is its own row
    districts = {d["unit"]: d for d in payload["districts"]}
    expected = {"高新区": 18.4, "乌达区": 12.0, "海南区": 7.0, "海勃湾区": 0.0}
    for unit, amount in expected.items():
        assert districts[unit]["capital_counted_yi"] == pytest.approx(amount), unit
        assert districts[unit]["share"] == pytest.approx(amount / 37.4), unit
    assert [districts[u]["rank"] for u in expected] == [1, 2, 3, 4]
    assert districts["乌达区"]["capital_not_counted_yi"] == pytest.approx(4.5)  # P3 区内
    assert payload["district_total"]["capital_counted_yi"] == pytest.approx(37.4)
    assert payload["district_outside"]["capital_counted_yi"] == pytest.approx(8.0)
    assert {u: d["signed"] for u, d in districts.items()} == {
        "海勃湾区": 2,
        "乌达区": 2,
        "海南区": 1,
        "高新区": 2,
    }
    assert payload["district_total"]["started"] == 4
    assert payload["district_total"]["producing"] == 1
    # projects by year and cohorts at 2028-12-31
    by_year = {p["year"]: p for p in payload["projects"]["by_year"]}
    assert [
        (by_year[y]["signed"], by_year[y]["started"], by_year[y]["producing"])
        for y in (2026, 2027, 2028)
    ] == [(3, 3, 0), (2, 0, 1), (2, 1, 0)]
    cohorts = {c["year"]: c["windows"] for c in payload["projects"]["cohorts"]}
    six, twelve = cohorts[2026]
    assert (six["eligible"], six["started"]) == (3, 1)  # P5 within 6 months; P2 took 8
    assert (twelve["eligible"], twelve["started"]) == (3, 2)
    six, twelve = cohorts[2028]
    assert (six["eligible"], six["started"], six["not_elapsed"], six["not_elapsed_started"]) == (
        1,
        0,
        1,
        1,
    )
    assert twelve["rate"] is None and twelve["not_elapsed"] == 2
    largest = payload["projects"]["largest"]
    assert [p["project_id"] for p in largest] == ["P5", "P2", "P4", "P3", "P7", "P8", "P6"]
    assert largest[0]["arrived_wan"] == pytest.approx(200000)
    assert largest[0]["counted_wan"] == pytest.approx(120000)
    assert largest[1]["arrived_wan"] == pytest.approx(181000)
    # both files for this plan: its own name and years, no sample mark
    docx = tmp_path / "评估.docx"
    args = ("--plan", str(plan), "--data", str(data))
    assert cli("review", *args, "-o", str(docx)).code == 0
    _, paragraphs = docx_text(docx)
    body = "\n".join(paragraphs)
    assert "（2026—2028年）终期评估报告" in body
    assert "三年累计引进区外到位资金37.40亿元，完成目标（40.00亿元）的93.5%" in body
    assert "2023" not in body and "示例数据" not in body
    assert "高新区、乌达区、海勃湾区最多（各2个）" in body  # a tie is said as one
    assert "结论待数据（待2028年全部园区的年报：2028年只有1/2个园区报送，缺海南产业园）" in body
    assert "实际利用外资2025年1,200.00万美元（计划文件的基数）" in body
    assert not PLACEHOLDER.search(body)
    book = tmp_path / "评估.xlsx"
    assert cli("review", *args, "-o", str(book)).code == 0
    wb = load_workbook(book)
    assert not (wb["说明"].oddHeader.left.text or "")  # not the sample: no mark


def test_second_plan_before_its_end_is_an_interim_review(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WUHAI_ZS_TODAY", "2029-03-01")
    plan = plan_2026(tmp_path)
    data = ledgers_2026(tmp_path)
    args = ("--plan", str(plan), "--data", str(data), "--as-of", "2027-06-30")
    payload = cli("review", "--json", *args).json()
    assert payload["final"] is False and payload["as_of"] == "2027-06-30"
    assert [y["year"] for y in payload["years"]] == [2025, 2026, 2027]
    row = year_row(payload, 2027)
    assert row["months"] == 6 and row["growth_kind"] == "同期比"
    # 2027 to June: P1 40000 + P2 60000; 2026 to June: P1 30000 + P2 50000
    assert row["capital_counted_yi"] == pytest.approx(10.0)
    assert row["growth"] == pytest.approx(100000 / 80000 - 1)
    assert payload["final_year"] == []  # the final year has not come
    statuses = {t["id"]: t["status"] for t in payload["targets"]}
    assert statuses["capital_cumulative"] in ("on_track", "behind")
    docx = tmp_path / "期中.docx"
    assert cli("review", *args, "-o", str(docx)).code == 0
    _, paragraphs = docx_text(docx)
    assert any("实施情况评估报告" in p for p in paragraphs)
    assert not any("终期评估报告" in p for p in paragraphs)
