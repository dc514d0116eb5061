"""Reading ledgers as they really arrive: encodings, title rows, merged headers, units, totals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from wuhai_zs.errors import SourceError
from wuhai_zs.ledgers.load import load

from conftest import ARRIVAL_HEADER, PROJECT_HEADER, arrival, project, table, write_csv, write_xlsx


def _projects(path: Path) -> pd.DataFrame:
    frame = load(path).ledgers["projects"].frame
    return frame.sort_values("_row").reset_index(drop=True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    rows = [
        project("P1", 项目名称="年产5万吨可降解塑料项目", 投资方="内蒙古某某集团"),
        project("P2", 项目名称="硅基新材料一期", 所属区="乌达区", 所在园区="乌达产业园"),
    ]
    write_csv(tmp_path / "项目台账.csv", rows, encoding=encoding)
    frame = _projects(tmp_path)
    assert frame["name"].tolist() == ["年产5万吨可降解塑料项目", "硅基新材料一期"]
    assert frame["investor"].tolist() == ["内蒙古某某集团", "某公司"]
    assert frame["_row"].tolist() == [2, 3]


def test_gbk_bytes_really_are_not_utf8(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "项目台账.csv", [project("P1")], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert _projects(tmp_path)["district"].tolist() == ["海南区"]


def test_undecodable_csv_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "项目台账.csv").write_bytes("项目编号,项目名称\nP1,".encode() + b"\xff\xfe\xff\n")
    with pytest.raises(SourceError, match=r"项目台账\.csv.*编码"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        (b"\n\n  \r\n", "文件为空"),
        (b"PK\x03\x04\x00\x00binary", r"projects\.csv.*损坏"),
        (b"\x00\x01\x02binary", "二进制"),
    ],
)
def test_empty_or_binary_csv(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "projects.csv").write_bytes(content)
    with pytest.raises(SourceError, match=message):
        load(tmp_path)


def test_csv_title_unit_line_totals_and_footers(tmp_path: Path) -> None:
    header = [h.replace("（万元）", "") for h in PROJECT_HEADER]
    rows = [
        [r[h] for h in PROJECT_HEADER]
        for r in (
            project("P1", **{"总投资（万元）": "1.5"}),
            project("P2", **{"总投资（万元）": "0.8"}),
        )
    ]
    blank = [""] * len(header)
    total = ["合  计"] + [""] * 8 + ["2.3"] + [""] * (len(header) - 10)
    subtotal = [""] * 3 + ["2024年小计"] + [""] * (len(header) - 4)
    write_csv(
        tmp_path / "项目台账.csv",
        [*rows, total, subtotal, blank],
        header=header,
        above=[["乌海市2025年招商引资项目台账"], ["填报单位：乌达区", "", "单位：亿元"]],
        below=[
            ["填报人：张某", "", "审核人：李某"],
            ["联系电话：0473-1234567"],
            ["注：本表金额单位为亿元"],
        ],
        encoding="gbk",
    )
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    stats = data.ledgers["projects"].stats
    assert frame["total_investment"].tolist() == [15000.0, 8000.0]
    assert frame["_row"].tolist() == [4, 5]
    assert stats.read == 2 + 3 + 3 + 2  # titles, data, totals+blank, footers
    assert stats.skipped == 8
    assert stats.skip_reasons["合计/小计行"] == 2
    assert stats.skip_reasons["表尾（填报人、注等）"] == 3
    assert stats.skip_reasons["标题/说明行"] == 2
    assert not any(f.code == "unit-missing" for f in data.findings)


def test_xlsx_merged_title_two_row_header_and_mixed_dates(tmp_path: Path) -> None:
    top = [
        "序号",
        "项目编号",
        "项目名称",
        "所属区",
        "产业类别",
        "投资方",
        "来源地区",
        "投资情况",
        "",
        "项目阶段",
        "签约日期",
        "开工日期",
    ]
    sub = ["", "", "", "", "", "", "", "总投资（亿元）", "用地面积（亩）", "", "", ""]
    base = ["海南区", "精细化工", "某公司", "长三角"]
    grid = [
        ["乌海市2025年招商引资项目台账（1—9月）"] + [""] * 11,
        ["填报单位：海南区区域经济合作局", "", "", "", "", "", "", "", "填报时间：2025-10-08"],
        top,
        sub,
        [1, "HN-1", "甲项目", *base, 12.5, 300, "开工", dt.datetime(2025, 2, 14), "2025年4月8日"],
        [2, "HN-2", "乙项目", *base, "3", "1,200", "签约", "2025/6/30", None],
        [3, "HN-3", "丙项目", *base, 0.8, None, "签约", 45870, None],
        [4, "HN-4", "丁项目", *base, "１.２", None, "签约", "2025.03.05", None],
        [None, "合  计", None, None, None, None, None, 17.5, None, None, None, None],
        [],
        ["填报人：赵某    联系电话：0473-0000000"],
    ]
    write_xlsx(
        tmp_path / "海南区台账.xlsx",
        {"项目台账": grid, "说明": [["各区每月10日前报送"]]},
        merges={"项目台账": ["A1:L1", "H3:I3", "A3:A4", "B3:B4", "C3:C4", "J3:J4"]},
    )
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert frame["project_id"].tolist() == ["HN-1", "HN-2", "HN-3", "HN-4"]
    assert frame["_row"].tolist() == [5, 6, 7, 8]
    assert frame["total_investment"].tolist() == [125000.0, 30000.0, 8000.0, 12000.0]
    assert frame["land_mu"].tolist()[:2] == [300.0, 1200.0]
    assert [d.date() for d in frame["signed_on"]] == [
        dt.date(2025, 2, 14),
        dt.date(2025, 6, 30),
        dt.date(2025, 8, 1),
        dt.date(2025, 3, 5),
    ]
    assert frame["started_on"][0].date() == dt.date(2025, 4, 8)
    stats = data.ledgers["projects"].stats
    assert (stats.read, stats.skipped) == (9, 5)
    assert ("海南区台账.xlsx", "说明") in {(f, sh) for f, sh, _ in data.ignored}


def test_header_with_spaces_line_breaks_and_english_aliases(tmp_path: Path) -> None:
    header = [
        "project_id",
        " 项目\n名称 ",
        "DISTRICT",
        "industry",
        "投 资 方",
        "source_region",
        "总投资(万元)",
        "stage",
        "signed_on",
    ]
    write_csv(
        tmp_path / "projects.csv",
        [["A1", "甲", "高新区", "光伏", "某", "京津冀", "5000", "签约", "2024-01-01"]],
        header=header,
    )
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert frame.loc[0, ["project_id", "name", "district", "investor"]].tolist() == [
        "A1",
        "甲",
        "高新区",
        "某",
    ]
    assert frame.loc[0, "total_investment"] == 5000.0


def test_money_without_unit_is_wan_with_a_warning(tmp_path: Path) -> None:
    rows = [{**project("P1"), "总投资": 300} for _ in range(1)]
    for r in rows:
        del r["总投资（万元）"]
    write_csv(tmp_path / "项目台账.csv", rows)
    data = load(tmp_path)
    assert data.ledgers["projects"].frame["total_investment"].tolist() == [300.0]
    warning = [f for f in data.findings if f.code == "unit-missing"]
    assert len(warning) == 1 and warning[0].column == "总投资" and warning[0].row == 1


def test_yuan_and_usd_units(tmp_path: Path) -> None:
    write_csv(tmp_path / "projects.csv", [project("P1", 来源地区="境外", 来源国别="德国")])
    write_csv(
        tmp_path / "arrivals.csv",
        [["P1", "2024-03-01", "12,345,600", "17000"]],
        header=["项目编号", "到位日期", "到位金额（元）", "外资金额（美元）"],
    )
    frame = load(tmp_path).ledgers["arrivals"].frame
    assert frame["amount"].tolist() == [1234.56]
    assert frame["fdi_usd"].tolist() == [1.7]


def test_monthly_report_form_reads_as_arrivals(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "乌达区台账.xlsx",
        {
            "到位资金台账": [
                ["乌达区招商引资项目到位资金月报（2025年）"],
                ["项目编号", "报告月份", "本月到位资金（万元）", "本年累计到位资金（万元）"],
                ["WD-1", "2025年5月", 3000, 3000],
                ["WD-1", "2025-06", "1,500.00", 4500],
                ["WD-1", "2025年7月", 0, 4500],
                ["合计", None, 4500, None],
            ]
        },
    )
    frame = load(tmp_path).ledgers["arrivals"].frame
    assert frame["amount"].tolist() == [3000.0, 1500.0, 0.0]
    assert [m.strftime("%Y-%m") for m in frame["month"]] == ["2025-05", "2025-06", "2025-07"]
    assert set(frame["_form"]) == {"monthly"}


def test_consolidation_of_workbooks_files_and_subfolders(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "乌达区台账.xlsx", {"项目台账": table([project("WD-1", 所属区="乌达区")])}
    )
    write_xlsx(
        tmp_path / "海南区" / "海南区台账.xlsx",
        {"项目台账": table([project("HN-1")]), "Sheet3": [["x"]]},
    )
    write_csv(tmp_path / "projects.csv", [project("GX-1", 所属区="高新区")])
    write_csv(
        tmp_path / "到位资金台账.csv", [arrival("WD-1", "2024-05-01", 100)], header=ARRIVAL_HEADER
    )
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert sorted(frame["project_id"]) == ["GX-1", "HN-1", "WD-1"]
    files = {data.sources[s].file for s in frame["_src"]}
    assert files == {"乌达区台账.xlsx", "海南区/海南区台账.xlsx", "projects.csv"}
    assert ("海南区/海南区台账.xlsx", "Sheet3") in {(f, sh) for f, sh, _ in data.ignored}
    assert data.ledgers["projects"].stats.read == 3


def test_csv_row_numbers_with_quoted_newlines_and_short_rows(tmp_path: Path) -> None:
    text = (
        "项目编号,项目名称,所属区,产业类别,投资方,来源地区,总投资（万元）,项目阶段,签约日期\n"
        'P1,"两行\n名称",海南区,光伏,某,京津冀,5000,签约,2024-01-01\n'
        "P2,乙,海南区,光伏,某,京津冀,6000,签约,2024-01-02\n"
        "填报人：某\n"
    )
    (tmp_path / "项目台账.csv").write_text(text, encoding="utf-8")
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert frame["_row"].tolist() == [2, 4]
    assert frame["name"].tolist() == ["两行\n名称", "乙"]
    assert data.ledgers["projects"].stats.skip_reasons["表尾（填报人、注等）"] == 1


def test_ragged_csv_without_quotes_keeps_every_row(tmp_path: Path) -> None:
    text = (
        "项目编号,项目名称,所属区,产业类别,投资方,来源地区,总投资（万元）,项目阶段,签约日期\n"
        "P1,甲,海南区,光伏,某,京津冀,5000,签约,2024-01-01\n"
        "P2,乙,海南区\n"
        "P3,丙,海南区,光伏,某,京津冀,7000,签约,2024-01-03\n"
        "注：以上数据截至9月底\n"
    )
    (tmp_path / "项目台账.csv").write_text(text, encoding="utf-8")
    data = load(tmp_path)
    frame = data.ledgers["projects"].frame
    assert frame["project_id"].tolist() == ["P1", "P2", "P3"]
    assert frame["_row"].tolist() == [2, 3, 4]
    stats = data.ledgers["projects"].stats
    assert stats.read == 4 and stats.skipped == 1


def test_corrupt_workbook_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "海南区台账.xlsx").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(SourceError, match=r"海南区台账\.xlsx"):
        load(tmp_path)


def test_folder_without_ledgers(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(SourceError, match="未找到任何台账"):
        load(tmp_path)
