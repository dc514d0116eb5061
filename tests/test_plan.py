"""The plan file: quantities with their units, and one-line Chinese errors at the file's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from wuhai_zs.errors import PlanError
from wuhai_zs.plan.model import default_plan_text, load_plan, parse_plan

from conftest import PARK_HEADER, REPO, project, unwrap, write_csv

TEXT = default_plan_text()


def _line(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of `needle`, the first one after `after` (counted by hand, not parsed)."""
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def _error(text: str) -> str:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.toml")
    message = str(caught.value)
    assert "\n" not in message
    for english in ("Field required", "Input should", "Extra inputs", "validation error"):
        assert english not in message
    return message


def test_units_written_out_and_bare_numbers_mean_the_same() -> None:
    written = load_plan()
    bare = parse_plan(
        TEXT.replace('target = "800亿元"', "target = 8000000")
        .replace('target = "15%"', "target = 0.15")
        .replace('target = "230万元/亩"', "target = 230")
        .replace('size = "1000亿元"', "size = 10000000")
        .replace('base = "184.8亿元"', "base = 1848000")
        .replace('threshold = "10亿元"', "threshold = 100000"),
        "bare",
    )
    assert written == bare
    capital = written.target("capital_cumulative")
    assert capital is not None and capital.value == 8_000_000  # 万元
    growth = written.target("capital_growth")
    assert growth is not None and growth.value == 0.15 and growth.base == 1_848_000
    assert "预计引进到位资金184.8亿元" in (growth.base_source or "")
    assert written.clusters[0].size == 10_000_000 and written.clusters[0].size_yi == 1000
    assert written.warnings.min_permit_rate == 0.8
    assert written.assessment.units["高新区"].capital == 900_000


def test_a_growth_rate_of_15_is_an_error_at_its_line() -> None:
    text = TEXT.replace('target = "15%"', "target = 15")
    message = _error(text)
    assert message.startswith(f"plan.toml 第 {_line(text, 'target = 15')} 行：")
    assert "第 2 个 [[targets]]（id = capital_growth）中的 target" in message
    assert "0.15" in message and "“15%”" in message


def test_a_cumulative_target_of_800_wan_is_an_error() -> None:
    text = TEXT.replace('target = "800亿元"', 'target = "800万元"')
    message = _error(text)
    assert f"第 {_line(text, '800万元')} 行" in message
    assert "不到 1 亿元" in message and "“800亿元”" in message


def test_cluster_sizes_follow_the_same_unit_convention() -> None:
    text = TEXT.replace('size = "100亿元"', "size = 100", 1)  # a bare number is 万元
    message = _error(text)
    assert f"第 {_line(text, 'size = 100' + chr(10))} 行" in message
    assert "第 3 个 [[clusters]]（name = 精细化工）中的 size" in message


def test_weights_must_sum_to_one() -> None:
    text = TEXT.replace("capital = 0.4,", "capital = 0.5,")
    message = _error(text)
    assert f"第 {_line(text, 'weights = ')} 行" in message
    assert "[assessment] 中的 weights" in message and "1.1" in message


def test_an_unknown_key_names_its_table_with_a_1_based_position() -> None:
    text = TEXT.replace("year = 2025\n", "yaer = 2025\n", 1)
    message = _error(text)
    assert f"第 {_line(text, 'yaer')} 行" in message
    assert "第 5 个 [[targets]]（id = industrial_output）" in message
    assert "“yaer”" in message and "是否应为“year”" in message
    assert "targets.4" not in message


def test_a_missing_key_is_said_in_chinese() -> None:
    text = TEXT.replace(
        '[assessment.units."乌达区"]\ncapital = "55亿元"\n', '[assessment.units."乌达区"]\n'
    )
    message = _error(text)
    assert "[assessment.units.乌达区]" in message and "缺少必填的键“capital”" in message
    assert f"第 {_line(text, '[assessment.units.' + chr(34) + '乌达区')} 行" in message


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('target = "6%"', 'target = "六个点"', "无法识别"),
        ('target = "9万元/亩"', 'target = "9元/亩"', "超出常理"),
        ('kind = "ratio"', 'kind = "rate"', "cumulative、growth、level、ratio"),
        ('measure = "output"', 'measure = "capital"', "不能用 measure = capital"),
        ('not_below = "capital_growth"', 'not_below = "nothing"', "不是某个增速目标"),
        ('"区外" = [', '"省外" = [', "区外、区内、市内、境外"),
        ('min_permit_rate = "80%"', "min_permit_rate = 80", "0.8"),
        ('advanced_industries = [\n  "硅基新材料"', 'advanced_industries = [\n  "航天"', "航天"),
        ("start = 2023-01-01", 'start = "2023"', "应为日期"),
        ('name = "工业总产值"', 'name = "工业总产值"\nfoo = 1', "“foo”"),
    ],
)
def test_other_mistakes_are_one_chinese_line(old: str, new: str, words: str) -> None:
    assert old in TEXT, old
    message = _error(TEXT.replace(old, new, 1))
    assert words in message and " 行：" in message, message


def test_bad_toml_points_at_line_and_column() -> None:
    message = _error(TEXT.replace("cap = 1.2", "cap = 1.2\ncap = 2"))
    assert f"第 {_line(TEXT, 'cap = 1.2') + 1} 行" in message and "写了两次" in message


def test_the_cli_shows_the_plan_error_on_one_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.toml"
    plan.write_text(TEXT.replace('target = "15%"', "target = 15"), "utf-8")
    result = cli("plan", "show", "--plan", str(plan))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "第 2 个 [[targets]]" in result.err


def test_the_plans_vocabulary() -> None:
    plan = load_plan()
    assert {"煤焦化工", "氯碱化工"} <= set(plan.industries)
    assert "锂电池" not in plan.industry_cluster  # stands alone, and the plan file says why
    assert "集群" in plan.industry_notes["锂电池"]
    advanced = plan.target("advanced_growth")
    assert advanced is not None
    assert (advanced.value, advanced.strict, advanced.not_below) == (0.0, True, "capital_growth")
    assert plan.counting.counted_groups == ["区外"]
    assert plan.counting.foreign_countries == ["香港", "澳门", "台湾"]
    ids = [t.id for t in plan.targets]
    assert ids == [
        "capital_cumulative",
        "capital_growth",
        "fdi_growth",
        "advanced_growth",
        "industrial_output",
        "park_investment_per_mu",
        "park_output_per_mu",
        "park_tax_per_mu",
    ]


def test_docs_state_every_target_and_status() -> None:
    from wuhai_zs.metrics.targets import STATUS_ZH

    docs = (REPO / "docs" / "targets.md").read_text("utf-8")
    plan = load_plan()
    for target in plan.targets:
        assert f"`{target.id}`" in docs, target.id
    for status, words in STATUS_ZH.items():
        assert f"`{status}`" in docs and words in docs, status
    for topic in ("香港", "飞地", "同期", "待数据", "基数", "路径", "示例"):
        assert topic in docs, topic


# ---------------------------------------------------------------- vocabularies of the plan
@pytest.mark.parametrize(
    ("old", "new", "needle", "after", "words"),
    [
        (
            'title = "建立健全“飞地经济”制度机制"',
            'titel = "建立健全“飞地经济”制度机制"',
            "titel",
            "",
            "第 5 个 [[tasks]]：不认识的键“titel”，是否应为“title”",
        ),
        (
            "number = 5\n",
            "number = 4\n",
            "number = 4",
            'title = "开展“飞地”',
            "第 5 个 [[tasks]]（title = 建立健全“飞地经济”制度机制）中的 number：任务序号 4 重复",
        ),
        (
            '"乌达区" = ["乌达产业园"]',
            '"乌达县" = ["乌达产业园"]',
            '"乌达县"',
            "",
            "[district_parks] 中的 乌达县：“乌达县”不在 districts 中",
        ),
        (
            '"乌达区" = ["乌达产业园"]',
            '"乌达区" = ["乌达工业园"]',
            "乌达工业园",
            "",
            "[district_parks] 中的 乌达区：园区“乌达工业园”不在 parks 中",
        ),
        (
            'lead = ["市工信局"]\n',
            'lead = "市工信局"\n',
            'lead = "市工信局"',
            "",
            "第 4 个 [[tasks]]（title = 开展“飞地”、“飞企”招商）中的 lead：应为列表",
        ),
        (
            '"高新区" = ["高新技术产业开发区管委会"]',
            '"高新区" = "高新技术产业开发区管委会"',
            '"高新区" = "高新',
            "",
            "[unit_aliases] 中的 高新区：应为列表",
        ),
        (
            'countries = ["俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡"]',
            'countries = "俄罗斯"',
            "countries =",
            "",
            "countries：应为列表",
        ),
    ],
)
def test_mistakes_in_the_plans_vocabularies_are_one_line_at_their_line(
    old: str, new: str, needle: str, after: str, words: str
) -> None:
    assert TEXT.count(old) >= 1, old
    text = TEXT.replace(old, new, 1)
    message = _error(text)
    assert words in message, message
    assert message.startswith(f"plan.toml 第 {_line(text, needle, after)} 行："), message


def test_the_plans_vocabularies() -> None:
    plan = load_plan()
    assert plan.countries == ["俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡"]
    assert plan.district_parks == {
        "海勃湾区": ["海勃湾区产业园"],
        "乌达区": ["乌达产业园"],
        "海南区": ["海南产业园"],
        "高新区": ["乌海高新技术产业开发区"],
    }
    assert [t.number for t in plan.tasks] == list(range(1, 15))
    assert plan.unit_aliases["高新区"] == ["高新技术产业开发区管委会"]
    assert plan.scopes[0] == "全市" and set(plan.scopes[1:]) == {c.name for c in plan.clusters}


def test_a_plan_may_pair_parks_and_districts_differently(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """dispatch's 亩均投资 of a district comes from the parks the plan names for it."""
    text = TEXT.replace(
        '"乌达区" = ["乌达产业园"]', '"乌达区" = ["乌达产业园", "海南产业园"]'
    ).replace('"海南区" = ["海南产业园"]\n', "")
    plan = tmp_path / "plan.toml"
    plan.write_text(text, "utf-8")
    data = tmp_path / "data"
    write_csv(data / "项目台账.csv", [project("P1", 签约日期="2024-03-01")])
    write_csv(
        data / "园区台账.csv",
        [["乌达产业园", 2024, 100, 20000, 1, 1], ["海南产业园", 2024, 300, 40000, 1, 1]],
        header=PARK_HEADER,
    )
    args = ("dispatch", "--json", "--data", str(data), "--as-of", "2024-12-31")
    units = {
        u["unit"]: u for u in unwrap(cli(*args, "--plan", str(plan)).json(), "dispatch")["units"]
    }
    assert units["乌达区"]["parks"] == ["乌达产业园", "海南产业园"]
    assert units["乌达区"]["values"]["investment_per_mu"]["month_wan_per_mu"] == 150  # 60000 ÷ 400
    assert (
        units["海南区"]["parks"] == []
        and units["海南区"]["values"]["investment_per_mu"]["month_wan_per_mu"] is None
    )
    default = {u["unit"]: u for u in unwrap(cli(*args).json(), "dispatch")["units"]}
    assert (
        default["乌达区"]["values"]["investment_per_mu"]["month_wan_per_mu"] == 200
    )  # 20000 ÷ 100
