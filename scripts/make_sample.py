"""Generate the deterministic SYNTHETIC sample ledgers of Wuhai's investment-promotion plan."""

# Usage:  python scripts/make_sample.py [OUT_DIR]      (default: <repo>/data/sample)
#
# Everything comes from one random.Random(SEED) stream consumed in a fixed order, and no
# content depends on the clock, so two runs write identical files (the workbook included:
# its document properties and zip timestamps are pinned to EXPORT_TIME).
#
# The figures are invented but calibrated (see the *_TARGET constants): summed under the
# plan's default 统计口径 they reproduce the public 2022 base and plausible 2023-2025 growth.

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from wuhai_zs.ledgers.columns import LEDGERS
from wuhai_zs.plan.model import load_plan

# ---------------------------------------------------------------------------------------
# Fixed parameters
# ---------------------------------------------------------------------------------------

SEED = 20230101
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "sample"

DATA_START = date(2022, 1, 1)  # first date of ledger data (signing may reach into 2021)
AS_OF = date(2025, 9, 30)  # the sample's as-of date: nothing happens after it
EXPORT_TIME = datetime(2025, 10, 8, 9, 0, 0)  # 填报时间; workbook properties and zip stamps
EXPORT_DATE_TEXT = "2025-10-08"

N_PROJECTS = 450
MAJOR_THRESHOLD = 100_000  # 万元 = 10 亿元
COUNT_MIN_INVESTMENT = 5_000  # 万元, 统计口径
COUNTED_REGIONS = (
    "京津冀",
    "长三角",
    "长江经济带",
    "成渝经济圈",
    "粤港澳大湾区",
    "其他区外",
    "境外",
)

# Calibration targets --------------------------------------------------------------------
# 统计口径 (counted) arrivals by calendar year, 万元 (2025 = January to September).
COUNTED_CAPITAL_TARGET = {2022: 1_848_000, 2023: 2_120_000, 2024: 2_430_000, 2025: 1_950_000}
# arrivals outside the 口径 (区内/市内, small, 不纳统), as a share of the counted ones
UNCOUNTED_SHARE = 0.17
# 实际利用外资 (外资金额 of 境外 projects not 不纳统) by year, 万美元
FDI_TARGET = {2022: 2_400, 2023: 2_560, 2024: 2_730, 2025: 2_200}
CNY_PER_USD = {2022: 6.92, 2023: 7.05, 2024: 7.12, 2025: 7.18}  # 万元 per 万美元, ± noise
MAX_ARRIVED_SHARE = 0.97  # a project never receives more than this share of its 总投资

# 全市 工业总产值, 万元: full years, and 2025 cumulative 1–9月
CITY_OUTPUT_TARGET = {2022: 28_500_000, 2023: 30_800_000, 2024: 33_600_000}
CITY_OUTPUT_2025_M9 = 27_000_000
# cluster output 2024 (万元) and each cluster's yearly growth rate
CLUSTER_OUTPUT_2024 = {
    "现代煤化工": (8_600_000, 0.07),
    "硅基新材料": (4_900_000, 0.16),
    "精细化工": (1_250_000, 0.12),
    "冶金建材": (4_200_000, 0.04),
    "装备制造": (620_000, 0.10),
    "现代能源": (3_100_000, 0.13),
    "可降解材料": (380_000, 0.32),
}
# share of a year's output produced by the end of month N (cumulative)
CUMULATIVE_SHARE = {3: 0.236, 6: 0.484, 9: 0.733}

# Parks: (用地面积 亩, 亩均投资, 亩均产值, 亩均税收) per year. 高新区 2022 is pinned to the
# public 127.19 / 5.14 万元 per 亩; 2024 zone-wide comes out ≈ 215 / 142 / 8.3.
PINNED_PARK_YEAR = ("乌海高新技术产业开发区", 2022)  # 亩均产值 and 亩均税收 exact to 2 decimals
PARK_TARGETS = {
    "乌海高新技术产业开发区": {
        2022: (52_000, 218.40, 127.19, 5.14),
        2023: (54_000, 229.60, 138.70, 7.46),
        2024: (56_000, 242.50, 155.00, 9.62),
    },
    "海勃湾区产业园": {
        2022: (12_500, 121.80, 71.30, 3.52),
        2023: (13_200, 132.50, 80.60, 4.30),
        2024: (14_000, 144.20, 93.00, 5.40),
    },
    "乌达产业园": {
        2022: (27_500, 178.60, 113.40, 5.48),
        2023: (28_600, 190.30, 124.70, 6.72),
        2024: (30_000, 202.70, 139.50, 7.81),
    },
    "海南产业园": {
        2022: (36_000, 186.20, 116.90, 5.86),
        2023: (38_000, 197.40, 128.30, 7.05),
        2024: (40_000, 209.80, 144.00, 8.03),
    },
}

# Vocabulary -----------------------------------------------------------------------------

DISTRICT_PARK = {
    "海勃湾区": "海勃湾区产业园",
    "乌达区": "乌达产业园",
    "海南区": "海南产业园",
    "高新区": "乌海高新技术产业开发区",
}
DISTRICT_WEIGHTS = {"高新区": 0.35, "海南区": 0.25, "乌达区": 0.22, "海勃湾区": 0.18}

# industry → weight, product templates ({n} = a capacity figure), and whether it is industrial
INDUSTRIES: dict[str, tuple[float, list[str], bool]] = {
    "现代煤化工": (
        12,
        [
            "年产{n}万吨煤制烯烃项目",
            "焦炉煤气综合利用制{n}万吨LNG项目",
            "年产{n}万吨煤焦油深加工项目",
            "焦化产业整合升级改造项目",
            "年产{n}万吨甲醇下游深加工项目",
        ],
        True,
    ),
    "硅基新材料": (
        10,
        [
            "年产{n}万吨工业硅项目",
            "年产{n}万吨多晶硅项目",
            "碳化硅材料项目",
            "年产{n}万吨硅基负极材料项目",
            "高纯石英砂项目",
        ],
        True,
    ),
    "精细化工": (
        9,
        [
            "年产{n}万吨电子级化学品项目",
            "医药中间体项目",
            "年产{n}万吨氯碱下游精细化学品项目",
            "农药中间体及制剂项目",
            "年产{n}万吨电子特气项目",
        ],
        True,
    ),
    "光伏": (
        8,
        [
            "年产{n}GW单晶硅棒及切片项目",
            "年产{n}GW光伏组件项目",
            "光伏玻璃项目",
            "光伏支架及配套项目",
        ],
        True,
    ),
    "锂电池": (
        7,
        [
            "年产{n}万吨磷酸铁锂正极材料项目",
            "年产{n}万吨人造石墨负极材料项目",
            "年产{n}万吨电解液项目",
            "年产{n}千吨六氟磷酸锂项目",
        ],
        True,
    ),
    "可降解材料": (
        7,
        ["年产{n}万吨PBAT项目", "年产{n}万吨BDO项目", "年产{n}万吨PBS项目", "聚乳酸（PLA）项目"],
        True,
    ),
    "现代能源": (
        8,
        [
            "{n}万千瓦光伏发电项目",
            "{n}万千瓦风光储一体化项目",
            "独立储能电站项目",
            "源网荷储一体化项目",
        ],
        True,
    ),
    "冶金建材": (
        5,
        [
            "年产{n}万吨硅锰合金项目",
            "固废新型建材项目",
            "年产{n}万吨石墨电极项目",
            "绿色水泥改造项目",
        ],
        True,
    ),
    "装备制造": (
        4,
        ["化工装备制造项目", "矿山装备再制造项目", "储能装备制造项目", "氢能装备制造项目"],
        True,
    ),
    "有机硅": (4, ["年产{n}万吨有机硅单体项目", "硅橡胶及硅油项目", "有机硅下游深加工项目"], True),
    "氢能": (4, ["焦炉煤气提氢项目", "绿电制氢项目", "加氢站建设项目", "氢能重卡示范项目"], True),
    "生物医药": (2, ["原料药项目", "中蒙药生产项目", "医用材料项目"], True),
    "工业互联网": (2, ["工业互联网平台项目", "智慧园区平台项目"], False),
    "临空经济": (1, ["航空物流园项目", "通用航空产业园项目"], False),
    "生态环保": (
        4,
        ["煤矸石综合利用项目", "危废处置中心项目", "固废资源化利用项目", "矿山生态修复项目"],
        True,
    ),
    "农牧业": (2, ["设施农业示范园项目", "肉牛养殖基地项目", "特色果蔬种植项目"], False),
    "商贸流通": (2, ["商业综合体项目", "汽车商贸城项目", "农贸市场改造项目"], False),
    "现代物流": (2, ["公铁联运物流园项目", "冷链物流中心项目", "危化品物流园项目"], False),
    "数字产业": (2, ["数据中心项目", "算力中心项目", "数字经济产业园项目"], False),
    "文化旅游": (2, ["乌海湖文旅综合开发项目", "沙漠旅游度假区项目", "书法文化街区项目"], False),
    "葡萄酒": (1, ["葡萄酒庄项目", "酿酒葡萄种植基地项目"], False),
    "其他": (1, ["职业技能培训中心项目", "健康养老综合体项目"], False),
}
# industries whose projects usually sit in no park
PARKLESS = {"农牧业", "商贸流通", "文化旅游", "葡萄酒", "其他", "临空经济"}

REGION_WEIGHTS = {  # 境外 is assigned separately (N_FOREIGN projects)
    "京津冀": 18,
    "长三角": 21,
    "长江经济带": 5,
    "成渝经济圈": 3,
    "粤港澳大湾区": 5,
    "其他区外": 18,
    "区内": 15,
    "市内": 15,
}
REGION_PLACES = {
    "京津冀": ["北京", "天津", "河北"],
    "长三角": ["上海", "江苏", "浙江", "安徽"],
    "长江经济带": ["湖北", "湖南", "江西"],
    "成渝经济圈": ["四川", "重庆"],
    "粤港澳大湾区": ["广东", "深圳", "香港"],
    "其他区外": ["宁夏", "陕西", "山东", "河南", "新疆", "山西", "福建"],
    "区内": ["鄂尔多斯", "包头", "呼和浩特", "阿拉善"],
    "市内": ["乌海"],
}
N_FOREIGN = 12
FOREIGN_COUNTRIES = ["俄罗斯", "蒙古国", "日本", "韩国", "德国", "美国", "新加坡"]

TAGS_BIG = ["世界500强", "中国500强", "民营500强", "制造业500强", "行业100强", "上市公司", "央企"]
TAGS_SMALL = ["专精特新", "小巨人", "隐形冠军", "瞪羚企业", "上市公司"]
TAG_PAIRS_BIG = [
    ("中国500强", "央企"),
    ("世界500强", "央企"),
    ("民营500强", "制造业500强"),
    ("上市公司", "行业100强"),
]
TAG_PAIRS_SMALL = [("上市公司", "专精特新"), ("专精特新", "小巨人"), ("专精特新", "瞪羚企业")]
ALL_TAGS = list(load_plan().tags)

BRAND_A = list("华瑞鑫恒泰宏远金盛通晟邦源科祥锦博凯融昊")
BRAND_B = list("能达丰信润安和泽新宇海创隆嘉辰峰川")
# brand pairs that are well-known real company names: never drawn
BRAND_BLOCKLIST = {"华润", "华能", "华信", "华海", "金川", "泰达", "恒安", "宏达", "盛和", "通达"}
INVESTOR_SUFFIX = {
    "现代煤化工": "能源化工",
    "硅基新材料": "硅材料",
    "精细化工": "精细化工",
    "光伏": "光伏科技",
    "锂电池": "新能源材料",
    "可降解材料": "生物材料",
    "现代能源": "新能源",
    "冶金建材": "冶金",
    "装备制造": "装备制造",
    "有机硅": "有机硅",
    "氢能": "氢能科技",
    "生物医药": "药业",
    "工业互联网": "信息技术",
    "临空经济": "航空物流",
    "生态环保": "环保科技",
    "农牧业": "农牧业",
    "商贸流通": "商业管理",
    "现代物流": "物流",
    "数字产业": "数据科技",
    "文化旅游": "文旅发展",
    "葡萄酒": "酒业",
    "其他": "实业",
}
SMALL_TEMPLATES = ["技术改造项目", "配套项目", "研发中心项目", "产品深加工项目", "仓储配套项目"]
FISCAL_PROJECTS = [
    ("生态环保", "污水处理及中水回用项目"),
    ("生态环保", "矿山生态修复项目"),
    ("现代物流", "园区道路及物流通道项目"),
    ("农牧业", "高标准农田建设项目"),
]
ESTATE_TEMPLATES = ["住宅小区开发项目", "商住综合体项目", "城市更新片区开发项目"]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
LEADER_TITLES = [
    "市委常委、副市长",
    "副市长",
    "市人大常委会副主任",
    "市政协副主席",
    "区委书记",
    "区长",
]

STAGES = ["储备", "在谈", "签约", "开工", "竣工", "投产", "终止"]
STAGE_COUNTS = {
    "储备": 45,
    "在谈": 55,
    "签约": 75,
    "开工": 110,
    "竣工": 35,
    "投产": 100,
    "终止": 30,
}
MAJOR_STAGE_COUNTS = {"储备": 3, "在谈": 5, "签约": 8, "开工": 20, "竣工": 6, "投产": 15, "终止": 3}
FOREIGN_STAGES = [
    "投产",
    "投产",
    "投产",
    "投产",
    "开工",
    "开工",
    "开工",
    "竣工",
    "签约",
    "签约",
    "在谈",
    "储备",
]

PROJECT_HEADERS = ["序号", *(c.display for c in LEDGERS["projects"].columns)]
PROJECT_COLUMN_WIDTHS = {
    "序号": 6,
    "项目编号": 14,
    "项目名称": 40,
    "所属区": 10,
    "所在园区": 24,
    "产业类别": 12,
    "投资方": 34,
    "企业标签": 20,
    "来源地区": 12,
    "来源国别": 10,
    "总投资（万元）": 15,
    "项目阶段": 10,
    "签约日期": 12,
    "计划开工日期": 14,
    "开工日期": 12,
    "竣工日期": 12,
    "投产日期": 12,
    "用地面积（亩）": 14,
    "包联领导": 24,
    "工作专班": 26,
    "推进方案": 28,
    "应办手续数": 11,
    "已办手续数": 11,
    "飞地类型": 10,
    "飞出地": 10,
    "飞入地": 22,
    "飞出地分成比例": 15,
    "是否纳统": 10,
    "备注": 40,
}
DATE_HEADERS = {"签约日期", "计划开工日期", "开工日期", "竣工日期", "投产日期"}

ACTIVITY_KINDS = {"带队招商": 45, "推介会": 20, "行业大会": 8, "经贸洽谈": 17, "展会": 10}
ACTIVITY_UNITS = ["海勃湾区", "乌达区", "海南区", "高新区", "市区域经济合作局", "市商务局"]
TOUR_DESTINATIONS = [
    "北京",
    "天津",
    "上海",
    "苏州",
    "杭州",
    "宁波",
    "南京",
    "合肥",
    "武汉",
    "长沙",
    "成都",
    "重庆",
    "深圳",
    "广州",
    "西安",
    "银川",
    "济南",
    "郑州",
    "鄂尔多斯",
    "包头",
]
FAIRS = [  # (name, city, month)
    ("中国国际服务贸易交易会", "北京", 9),
    ("中国国际进口博览会", "上海", 11),
    ("中国国际投资贸易洽谈会", "厦门", 9),
    ("丝绸之路国际博览会", "西安", 5),
    ("中国中部投资贸易博览会", "合肥", 6),
    ("中国—蒙古国博览会", "乌兰察布", 8),
]
CONFERENCES = [
    ("可降解塑料产业发展峰会", 6),
    ("硅基新材料发展大会", 8),
    ("乌海市招商引资暨优化营商环境大会", 3),
]
OVERSEAS = ["乌兰巴托", "首尔", "东京", "新加坡", "法兰克福"]


# ---------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------


@dataclass
class Project:
    key: int  # generation order, before IDs are given
    stage: str
    major: bool
    foreign: bool
    district: str = ""
    park: str = ""
    industry: str = ""
    name: str = ""
    investor: str = ""
    tags: str = ""
    region: str = ""
    country: str = ""
    total: float = 0.0
    signed: date | None = None
    planned: date | None = None
    started: date | None = None
    completed: date | None = None
    producing: date | None = None
    terminated: date | None = None  # not a column: written into 备注
    land: float | None = None
    leader: str = ""
    task_force: str = ""
    work_plan: str = ""
    permits_required: int | None = None
    permits_done: int | None = None
    enclave: str = ""
    enclave_from: str = ""
    enclave_to: str = ""
    enclave_share: float | str | None = None
    counted_flag: str = "是"
    notes: list[str] = field(default_factory=list)
    no_money: bool = False
    pid: str = ""

    @property
    def counted(self) -> bool:
        """Whether the project's arrivals fall within the default 统计口径."""
        return (
            self.total >= COUNT_MIN_INVESTMENT
            and self.region in COUNTED_REGIONS
            and self.counted_flag != "否"
        )


@dataclass
class Arrival:
    project: Project
    day: date
    amount: float  # 万元
    note: str = ""
    fdi: float | None = None  # 万美元, 境外 projects only


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def rand_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def shift(day: date, lo: int, hi: int, rng: random.Random) -> date:
    return day + timedelta(days=rng.randint(lo, hi))


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def round_total(value: float) -> float:
    """Round a 总投资 the way ledgers state it (round hundreds / thousands of 万元)."""
    step = 10 if value < 5_000 else 100 if value < 100_000 else 1_000
    return float(max(step, round(value / step) * step))


# ---------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------


def plan_skeletons(rng: random.Random) -> list[Project]:
    """Decide stage, major and foreign flags for every project."""
    assert list(STAGE_COUNTS) == STAGES and sum(STAGE_COUNTS.values()) == N_PROJECTS
    stages: list[str] = []
    for stage, count in STAGE_COUNTS.items():
        stages += [stage] * count
    majors = dict(MAJOR_STAGE_COUNTS)
    foreign = list(FOREIGN_STAGES)
    rng.shuffle(stages)
    projects = []
    for key, stage in enumerate(stages):
        is_major = majors.get(stage, 0) > 0
        if is_major:
            majors[stage] -= 1
        is_foreign = not is_major and stage in foreign
        if is_foreign:
            foreign.remove(stage)
        projects.append(Project(key=key, stage=stage, major=is_major, foreign=is_foreign))
    assert not any(majors.values()) and not foreign
    return projects


def assign_identity(rng: random.Random, projects: list[Project]) -> None:
    """Industry, place, investor, region, tags, size and land of each project."""
    industry_weights = {k: v[0] for k, v in INDUSTRIES.items()}
    industries = list(INDUSTRIES)  # every industry at least once, then weighted
    foreign_countries = list(FOREIGN_COUNTRIES)
    for p in projects:
        if p.major:  # major projects are industrial
            p.industry = rng.choice(
                [
                    "现代煤化工",
                    "现代煤化工",
                    "硅基新材料",
                    "可降解材料",
                    "现代能源",
                    "锂电池",
                    "光伏",
                    "精细化工",
                    "冶金建材",
                    "有机硅",
                ]
            )
        else:
            p.industry = industries.pop(0) if industries else weighted(rng, industry_weights)
        p.district = weighted(rng, DISTRICT_WEIGHTS)
        parkless = p.industry in PARKLESS or not INDUSTRIES[p.industry][2]
        if (parkless and rng.random() < 0.7) or (not parkless and rng.random() < 0.05):
            p.park = ""
        else:
            p.park = DISTRICT_PARK[p.district]

        if p.foreign:
            p.region = "境外"
            p.country = (
                foreign_countries.pop(0) if foreign_countries else rng.choice(FOREIGN_COUNTRIES)
            )
        elif p.major:
            p.region = rng.choices(list(REGION_WEIGHTS), weights=[22, 26, 6, 4, 6, 22, 8, 6])[0]
        else:
            p.region = weighted(rng, REGION_WEIGHTS)

        # 总投资: majors log-uniform 10–80 亿元; the rest log-uniform 500–100,000 万元,
        # a little bigger for 区外 investors; 境外 ones modest.
        if p.major:
            p.total = round_total(
                math.exp(rng.uniform(math.log(MAJOR_THRESHOLD), math.log(800_000)))
            )
        elif p.foreign:
            p.total = round_total(math.exp(rng.uniform(math.log(3_000), math.log(90_000))))
        else:
            p.total = round_total(math.exp(rng.uniform(math.log(500), math.log(96_000))))
        p.total = min(p.total, 800_000.0)

        p.name, p.investor = project_name(rng, p)
        p.tags = pick_tags(rng, p)
        if INDUSTRIES[p.industry][2] and (p.park or rng.random() < 0.5):
            per_mu = rng.uniform(180, 650)  # 万元 invested per 亩
            p.land = round(p.total / per_mu, 1 if p.total < 20_000 else 0)
            p.land = max(p.land, 5.0)
        elif rng.random() < 0.3:
            p.land = float(rng.randint(10, 300))
    ensure_all_tags(projects)


def ensure_all_tags(projects: list[Project]) -> None:
    """Give any tag that was never drawn to a single-tag project whose tag is common."""
    for tag in ALL_TAGS:
        counts: dict[str, int] = defaultdict(int)
        for q in projects:
            for t in filter(None, q.tags.split("、")):
                counts[t] += 1
        if counts[tag]:
            continue
        donor = next(q for q in projects if q.tags in counts and counts[q.tags] > 3)
        donor.tags = tag


def project_name(
    rng: random.Random, p: Project, suffix: str = "", templates: list[str] | None = None
) -> tuple[str, str]:
    """An invented project name and investor; small projects get modest names."""
    brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
    while brand in BRAND_BLOCKLIST:
        brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
    if templates:
        name = brand + rng.choice(templates)
    elif p.total < 5_000 and INDUSTRIES[p.industry][2]:
        name = brand + p.industry + rng.choice(SMALL_TEMPLATES)
    else:
        template = rng.choice(INDUSTRIES[p.industry][1])
        scale = min(4, max(0, int(math.log10(p.total / 5_000) * 2)))  # 0 … 4 by size
        n = rng.choice([(1, 2), (2, 3), (3, 5), (5, 10), (10, 20)][scale])
        name = brand + template.format(n=n)
    suffix = suffix or INVESTOR_SUFFIX[p.industry]
    if p.region == "境外":
        kind = "株式会社" if p.country == "日本" else "有限公司"
        investor = f"{brand}（{p.country}）{suffix}{kind}"
    elif p.region == "市内":
        investor = f"乌海市{brand}{suffix}有限公司"
    else:
        place = rng.choice(REGION_PLACES[p.region])
        investor = (
            f"{place}{brand}{suffix}有限公司"
            if rng.random() < 0.5
            else f"{brand}（{place}）{suffix}有限公司"
        )
    if p.major and rng.random() < 0.4:
        investor = investor.replace("有限公司", "股份有限公司")
    return name, investor


def pick_tags(rng: random.Random, p: Project) -> str:
    if rng.random() < 0.38 or (p.region == "市内" and rng.random() < 0.5):
        return ""
    big = p.total >= 30_000
    if rng.random() < 0.18:
        return "、".join(rng.choice(TAG_PAIRS_BIG if big else TAG_PAIRS_SMALL))
    return rng.choice(TAGS_BIG if big else TAGS_SMALL)


def assign_dates(rng: random.Random, projects: list[Project]) -> None:
    """Stage-consistent 签约/计划开工/开工/竣工/投产 dates (and hidden termination dates)."""
    by_stage = defaultdict(list)
    for p in projects:
        by_stage[p.stage].append(p)

    for p in by_stage["投产"]:
        early = p.major or (p.foreign and rng.random() < 0.8)
        while True:
            window_end = date(2022, 12, 31) if early else date(2024, 9, 30)
            p.signed = rand_date(rng, date(2021, 1, 10), window_end)
            p.started = shift(p.signed, 15, 180, rng)
            build = (300, 720) if p.major else (120, 540)
            p.completed = shift(p.started, *build, rng)
            p.producing = shift(p.completed, 0, 75, rng)
            if date(2022, 6, 1) <= p.producing <= AS_OF - timedelta(days=5):
                break

    not_producing_yet = set(rng.sample(range(len(by_stage["竣工"])), 6))
    for i, p in enumerate(by_stage["竣工"]):
        if i in not_producing_yet:  # completed ≥ 6 months ago, still not producing
            p.completed = rand_date(rng, date(2024, 6, 1), date(2025, 3, 20))
        else:
            p.completed = rand_date(rng, date(2025, 4, 5), date(2025, 9, 25))
        p.started = p.completed - timedelta(days=rng.randint(150, 600))
        p.signed = p.started - timedelta(days=rng.randint(15, 180))

    overdue = set(rng.sample(range(len(by_stage["开工"])), 12))
    for i, p in enumerate(by_stage["开工"]):
        if i in overdue:  # started ≥ 24 months ago and not completed
            p.started = rand_date(rng, date(2022, 1, 10), date(2023, 9, 20))
        elif p.major or p.foreign:
            p.started = rand_date(rng, date(2023, 10, 10), date(2025, 6, 30))
        else:
            p.started = rand_date(rng, date(2023, 10, 10), date(2025, 9, 20))
        p.signed = p.started - timedelta(days=rng.randint(10, 180))

    for p in by_stage["投产"] + by_stage["竣工"] + by_stage["开工"]:
        assert p.signed is not None
        p.planned = shift(p.signed, 20, 200, rng)
        p.planned = min(p.planned, AS_OF)
        if rng.random() < 0.08:
            p.planned = None

    assign_signed_only(rng, by_stage["签约"])
    assign_terminated(rng, by_stage["终止"])
    for p in by_stage["储备"] + by_stage["在谈"]:
        if p.stage == "在谈" and rng.random() < 0.15:
            p.planned = rand_date(rng, date(2025, 12, 1), date(2026, 9, 30))


def assign_signed_only(rng: random.Random, signed: list[Project]) -> None:
    """签约 projects: a mix of on-time, overdue and undated starts (for the warnings)."""
    kinds = ["passed_lt3"] * 5 + ["passed_gt3"] * 6 + ["noplan_old"] * 3 + ["noplan_new"] * 3
    kinds += ["future"] * (len(signed) - len(kinds))
    rng.shuffle(kinds)
    for p, kind in zip(signed, kinds, strict=True):
        if kind == "passed_lt3":  # 计划开工日期 passed by less than 3 months
            p.planned = rand_date(rng, date(2025, 7, 5), date(2025, 9, 25))
            p.signed = p.planned - timedelta(days=rng.randint(60, 300))
        elif kind == "passed_gt3":  # passed by more than 3 months
            p.planned = rand_date(rng, date(2024, 8, 1), date(2025, 6, 15))
            p.signed = p.planned - timedelta(days=rng.randint(60, 300))
        elif kind == "noplan_old":  # no planned date, signed more than 3 months ago
            p.signed = rand_date(rng, date(2024, 6, 1), date(2025, 6, 1))
        elif kind == "noplan_new":
            p.signed = rand_date(rng, date(2025, 7, 5), date(2025, 9, 25))
        else:
            p.signed = rand_date(rng, date(2024, 9, 1), date(2025, 9, 25))
            p.planned = rand_date(rng, date(2025, 10, 15), date(2026, 6, 30))
        if p.foreign and kind in {"future", "noplan_new"}:  # foreign deals take longer
            p.signed = rand_date(rng, date(2024, 3, 1), date(2024, 10, 31))
    # signed ≥ 6 months ago and no money at all
    candidates = [
        p
        for p in signed
        if p.signed and p.signed <= date(2025, 3, 15) and not p.foreign and not p.major
    ]
    for p in rng.sample(candidates, min(6, len(candidates))):
        p.no_money = True


def assign_terminated(rng: random.Random, terminated: list[Project]) -> None:
    """终止 projects: about half had been signed, some started, some received money."""
    reasons = [
        "投资方资金链紧张",
        "投资方战略调整",
        "市场行情变化",
        "用地及环评条件不具备",
        "能耗指标无法落实",
        "投资方主动退出",
    ]
    for i, p in enumerate(terminated):
        if i < 14:
            p.signed = rand_date(rng, date(2021, 6, 1), date(2024, 6, 30))
            if i < 5:
                p.started = shift(p.signed, 30, 150, rng)
            p.terminated = shift(p.started or p.signed, 120, 700, rng)
            p.terminated = min(p.terminated, date(2025, 8, 31))
            p.no_money = i >= 9
        else:
            p.terminated = rand_date(rng, date(2022, 6, 1), date(2025, 8, 31))
        p.notes.append(f"{p.terminated.year}年{p.terminated.month}月终止：{rng.choice(reasons)}")


def assign_tracking(rng: random.Random, projects: list[Project]) -> None:
    """五个一 for majors, permits, 飞地, 是否纳统 and free-text notes."""
    majors = [p for p in projects if p.major]
    gaps: dict[int, str] = {}
    gap_candidates = [p for p in majors if p.stage in {"开工", "签约", "在谈"}]
    for p, missing in zip(
        rng.sample(gap_candidates, 3), ["leader", "task_force", "work_plan"], strict=True
    ):
        gaps[p.key] = missing
    for p in projects:
        short = p.name[:2] + p.industry
        if p.major or rng.random() < 0.15:
            p.leader = f"{rng.choice(SURNAMES)}某（{rng.choice(LEADER_TITLES)}）"
        if p.major or rng.random() < 0.08:
            p.task_force = f"{short}项目工作专班"
        if p.major:
            p.work_plan = "是" if rng.random() < 0.4 else f"{short}项目推进方案"
        elif rng.random() < 0.06:
            p.work_plan = "是"
        if p.key in gaps:  # one of the three 五个一 fields left blank
            setattr(p, gaps[p.key], "")

    # permits: from 签约 on; started projects mostly ≥ 80 % done, four below
    started = [p for p in projects if p.stage in {"开工", "竣工", "投产"}]
    low_rate = {p.key for p in rng.sample([p for p in started if p.stage == "开工"], 4)}
    for p in projects:
        if p.stage in {"储备", "在谈"} or (p.stage == "终止" and p.signed is None):
            continue
        if p.stage == "签约" and rng.random() < 0.2:
            continue
        p.permits_required = rng.randint(8, 18)
        if p.stage in {"竣工", "投产"}:
            p.permits_done = p.permits_required
        elif p.key in low_rate:
            p.permits_done = math.floor(p.permits_required * rng.uniform(0.45, 0.75))
        elif p.stage == "开工":
            p.permits_done = rng.randint(math.ceil(p.permits_required * 0.8), p.permits_required)
        else:
            p.permits_done = rng.randint(0, p.permits_required)

    assign_enclaves(rng, projects)
    assign_excluded(rng, projects)
    extra = [
        "已纳入自治区重大项目清单",
        "配套园区基础设施同步建设",
        "分两期建设",
        "一期已建成",
        "环评已批复",
        "能评已批复",
        "用地预审办理中",
        "招商引资推介会签约项目",
    ]
    for p in rng.sample(projects, 40):
        if not p.notes:
            p.notes.append(rng.choice(extra))


def assign_enclaves(rng: random.Random, projects: list[Project]) -> None:
    pool = [
        p
        for p in projects
        if p.stage in {"签约", "开工", "投产", "竣工"}
        and not p.major
        and INDUSTRIES[p.industry][2]
        and not p.foreign
    ]
    chosen = rng.sample(pool, 8)
    shares: list[float | str] = [0.6, "40%", 0.5, "60%", 0.7, "50%"]
    districts = list(DISTRICT_PARK)
    for i, p in enumerate(chosen):
        if i < 6:  # inside the city: from a land-short district into another district's park
            other = rng.choice([d for d in districts if d != p.district])
            if i % 2 == 0:
                p.enclave, p.enclave_from, p.enclave_to = "飞出", p.district, other
                p.park = DISTRICT_PARK[other]
            else:
                p.enclave, p.enclave_from, p.enclave_to = "飞入", other, p.district
                p.park = DISTRICT_PARK[p.district]
            p.enclave_share = shares[i]
        else:  # out of the city into the Jining advanced-manufacturing zone
            p.enclave, p.enclave_from, p.enclave_to = "飞出", p.district, "集宁先进制造业集中区"
            p.park = ""
            p.enclave_share = 0.5 if i == 6 else "60%"
            p.notes.append("以“飞地”模式引入内蒙古（集宁）先进制造业集中区")


def assign_excluded(rng: random.Random, projects: list[Project]) -> None:
    """About 15 projects outside the statistics (财政性资金 or 房地产)."""
    pool = [
        p for p in projects if not p.major and not p.foreign and not p.enclave and p.stage != "储备"
    ]
    for i, p in enumerate(rng.sample(pool, 15)):
        p.counted_flag = "否"
        if i < 7:
            p.industry = rng.choice(["商贸流通", "文化旅游", "其他"])
            p.name, p.investor = project_name(
                rng, p, suffix="房地产开发", templates=ESTATE_TEMPLATES
            )
            p.notes.append("房地产开发项目，不纳入招商引资统计")
            p.park = ""
        else:  # public works paid from the budget, built by a city-owned company
            p.industry, template = rng.choice(FISCAL_PROJECTS)
            p.region = "市内"
            p.tags = ""
            p.name, p.investor = project_name(rng, p, suffix="城市建设投资", templates=[template])
            p.notes.append("财政性资金项目，不纳入招商引资统计")


def assign_ids(projects: list[Project]) -> list[Project]:
    """WH-<year>-<seq>: year of signing (or of entry into the 项目库), numbered by date."""

    def entry(p: Project) -> date:
        if p.signed:
            return p.signed
        return p.terminated or date(2023 + p.key % 3, 1 + p.key % 9, 1 + p.key % 28)

    ordered = sorted(projects, key=lambda p: (entry(p), p.key))
    seq: dict[int, int] = defaultdict(int)
    for p in ordered:
        year = entry(p).year
        seq[year] += 1
        p.pid = f"WH-{year}-{seq[year]:04d}"
    return sorted(ordered, key=lambda p: p.pid)


def make_projects(rng: random.Random) -> list[Project]:
    projects = plan_skeletons(rng)
    assign_identity(rng, projects)
    assign_dates(rng, projects)
    assign_tracking(rng, projects)
    return assign_ids(projects)


# ---------------------------------------------------------------------------------------
# Arrivals (到位资金)
# ---------------------------------------------------------------------------------------


ARRIVED_SHARE = {  # share of 总投资 a project receives over its life, by stage
    "投产": (0.70, 0.95),
    "竣工": (0.60, 0.90),
    "开工": (0.25, 0.70),
    "签约": (0.03, 0.20),
    "终止": (0.05, 0.30),
}
ARRIVAL_NOTES = ["首笔资金到位", "设备购置款", "股权投资款", "银行贷款到位", "工程进度款", "增资款"]


def arrival_window(p: Project) -> tuple[date, date] | None:
    """First and last day on which money may arrive for a project."""
    if p.signed is None or p.no_money or p.stage not in ARRIVED_SHARE:
        return None
    first = max(p.signed, DATA_START)
    last = AS_OF
    if p.stage == "投产" and p.producing:
        last = min(AS_OF, p.producing + timedelta(days=120))
    elif p.stage == "竣工" and p.completed:
        last = min(AS_OF, p.completed + timedelta(days=90))
    elif p.stage == "终止" and p.terminated:  # only its month is recorded: stop before it
        last = month_start(p.terminated) - timedelta(days=1)
    return (first, last) if first <= last else None


def raw_arrivals(rng: random.Random, projects: list[Project]) -> list[Arrival]:
    """Months of arrival and uncalibrated amounts, one row per project and month."""
    arrivals = []
    for p in projects:
        window = arrival_window(p)
        if window is None:
            continue
        first, last = window
        assert p.signed is not None
        life_days = max(30, (last - p.signed).days)
        share = rng.uniform(*ARRIVED_SHARE[p.stage]) * min(
            1.0, (last - first).days / life_days + 0.1
        )
        months = []
        month = month_start(first)
        while month <= last:
            months.append(month)
            month = next_month(month)
        chance = 0.55 if p.total >= 50_000 else 0.35 if p.total >= 5_000 else 0.2
        picked = [m for m in months if rng.random() < chance] or [rng.choice(months)]
        weights = [rng.uniform(0.3, 1.0) ** 2 for _ in picked]
        scale = share * p.total / sum(weights)
        for m, w in zip(picked, weights, strict=True):
            lo = max(m, first)
            hi = min(month_end(m), last)
            note = rng.choice(ARRIVAL_NOTES) if rng.random() < 0.06 else ""
            arrivals.append(Arrival(p, rand_date(rng, lo, hi), w * scale, note))
    return arrivals


def fdi_of(arrival: Arrival, rates: dict[int, float]) -> float:
    return arrival.amount / rates[id(arrival)]


def calibrate(arrivals: list[Arrival], rates: dict[int, float]) -> None:
    """Scale arrivals by group and year to the targets, never beyond a project's 总投资."""

    def group(a: Arrival) -> str:
        if a.project.region == "境外" and a.project.counted_flag != "否":
            return "fdi"
        return "counted" if a.project.counted else "uncounted"

    groups = [group(a) for a in arrivals]
    for _ in range(60):
        sums: dict[tuple[str, int], float] = defaultdict(float)
        for a, g in zip(arrivals, groups, strict=True):
            sums[g, a.day.year] += fdi_of(a, rates) if g == "fdi" else a.amount
        counted_foreign: dict[int, float] = defaultdict(float)
        factor = {}
        for year in COUNTED_CAPITAL_TARGET:
            factor["fdi", year] = FDI_TARGET[year] / sums["fdi", year]
        for a, g in zip(arrivals, groups, strict=True):
            if g == "fdi" and a.project.counted:
                counted_foreign[a.day.year] += a.amount * factor["fdi", a.day.year]
        for year, target in COUNTED_CAPITAL_TARGET.items():
            factor["counted", year] = (target - counted_foreign[year]) / sums["counted", year]
            factor["uncounted", year] = UNCOUNTED_SHARE * target / sums["uncounted", year]
        for a, g in zip(arrivals, groups, strict=True):
            a.amount *= factor[g, a.day.year]
        # cap each project at MAX_ARRIVED_SHARE of its 总投资
        per_project: dict[int, float] = defaultdict(float)
        for a in arrivals:
            per_project[a.project.key] += a.amount
        capped = False
        for a in arrivals:
            cap = MAX_ARRIVED_SHARE * a.project.total
            if per_project[a.project.key] > cap * 1.0001:
                a.amount *= cap / per_project[a.project.key]
                capped = True
        if not capped and all(abs(f - 1) < 1e-6 for f in factor.values()):
            break


def make_arrivals(rng: random.Random, projects: list[Project]) -> list[Arrival]:
    arrivals = raw_arrivals(rng, projects)
    rates = {id(a): CNY_PER_USD[a.day.year] * rng.uniform(0.985, 1.015) for a in arrivals}
    calibrate(arrivals, rates)
    for a in arrivals:
        a.amount = round(a.amount, 2)
        if a.project.region == "境外":
            a.fdi = round(a.amount / rates[id(a)], 2)
    arrivals = [a for a in arrivals if a.amount >= 1.0]
    arrivals.sort(key=lambda a: (a.day, a.project.pid))
    return arrivals


# ---------------------------------------------------------------------------------------
# Parks, output, activities
# ---------------------------------------------------------------------------------------


def make_parks(rng: random.Random) -> list[list[object]]:
    """Park figures from PARK_TARGETS with a little noise, except the pinned 高新区 2022 ones."""
    rows: list[list[object]] = []
    for year in (2022, 2023, 2024):
        for park, by_year in PARK_TARGETS.items():
            land, invest, output, tax = by_year[year]
            pinned = (park, year) == PINNED_PARK_YEAR
            if not pinned:
                land += rng.randint(-150, 150)

            values = [
                land * ratio * (1.0 if exact else rng.uniform(0.995, 1.005))
                for ratio, exact in ((invest, False), (output, pinned), (tax, pinned))
            ]
            rows.append([park, year, land, *(f"{v:.2f}" for v in values)])
    return rows


def make_output(rng: random.Random) -> list[list[object]]:
    """全市 and cluster 工业总产值: full years 2022–2024, 2024 1–6月, 2025 1–3/6/9月."""
    rows: list[list[object]] = []
    full: dict[tuple[str, int], float] = {}
    for year, value in CITY_OUTPUT_TARGET.items():
        full["全市", year] = value
    for cluster, (v2024, growth) in CLUSTER_OUTPUT_2024.items():
        g23 = growth * rng.uniform(0.85, 1.15)
        g24 = growth * rng.uniform(0.85, 1.15)
        full[cluster, 2024] = v2024
        full[cluster, 2023] = v2024 / (1 + g24)
        full[cluster, 2022] = full[cluster, 2023] / (1 + g23)
    city_2025 = CITY_OUTPUT_2025_M9 / CUMULATIVE_SHARE[9]
    scopes = ["全市", *CLUSTER_OUTPUT_2024]
    for scope in scopes:
        growth25 = city_2025 / CITY_OUTPUT_TARGET[2024] - 1
        if scope != "全市":
            growth25 = CLUSTER_OUTPUT_2024[scope][1] * rng.uniform(0.9, 1.1)
        full[scope, 2025] = full[scope, 2024] * (1 + growth25)
    for year in (2022, 2023, 2024, 2025):
        for scope in scopes:
            if year == 2024:
                h1 = full[scope, 2024] * CUMULATIVE_SHARE[6] * rng.uniform(0.99, 1.01)
                rows.append([2024, 6, scope, round(h1)])
            if year == 2025:
                for month in (3, 6, 9):
                    noise = 1.0 if scope == "全市" and month == 9 else rng.uniform(0.99, 1.01)
                    cumulative = full[scope, 2025] * CUMULATIVE_SHARE[month] * noise
                    rows.append([2025, month, scope, round(cumulative)])
            else:
                rows.append([year, "", scope, round(full[scope, year])])
    return rows


def make_activities(rng: random.Random) -> list[list[object]]:
    rows = []
    month = date(2023, 1, 1)
    while month <= AS_OF:
        for _ in range(rng.choice([4, 5, 6, 6, 7, 8])):
            rows.append(activity(rng, month))
        month = next_month(month)
    for name, city, fair_month in FAIRS:  # the yearly fairs the city attends
        for year in (2023, 2024, 2025):
            day = date(year, fair_month, rng.randint(3, 25))
            if day <= AS_OF:
                place = f"{city}（{name}）"
                rows.append(activity(rng, day.replace(day=1), kind="展会", place=place, day=day))
    for name, conf_month in CONFERENCES:
        for year in (2023, 2024, 2025):
            day = date(year, conf_month, rng.randint(8, 26))
            rows.append(
                activity(rng, day.replace(day=1), kind="行业大会", place=f"乌海（{name}）", day=day)
            )
    rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    return [[str(r[0]), *r[1:]] for r in rows]  # str(date) is YYYY-MM-DD


def activity(
    rng: random.Random,
    month: date,
    kind: str | None = None,
    place: str | None = None,
    day: date | None = None,
) -> list[object]:
    kind = kind or weighted(
        rng, {k: v for k, v in ACTIVITY_KINDS.items() if k not in {"展会", "行业大会"}}
    )
    day = day or rand_date(rng, month, min(month_end(month), AS_OF))
    unit = rng.choice(ACTIVITY_UNITS)
    top = False
    leader = ""
    if kind == "带队招商" or rng.random() < 0.5:
        if unit.startswith("市"):
            title = rng.choice(
                ["市委书记", "市长", "副市长", "市委常委、副市长", "市区域经济合作局局长"]
            )
            top = title in {"市委书记", "市长"}
        else:
            title = rng.choice(["区委书记", "区长", "副区长", "区委常委"])
            top = title in {"区委书记", "区长"}
        leader = f"{rng.choice(SURNAMES)}某（{title}）"
    if place is None:
        if kind == "经贸洽谈" and rng.random() < 0.25:
            place = rng.choice(OVERSEAS)
        elif kind == "推介会" and rng.random() < 0.3:
            place = "乌海"
        else:
            place = rng.choice(TOUR_DESTINATIONS)
    firms = rng.randint(3, 40) if kind in {"展会", "行业大会", "推介会"} else rng.randint(1, 12)
    signed = rng.choice([0, 0, 0, 1, 1, 2, 3]) if kind != "行业大会" else rng.randint(3, 12)
    amount = round(
        sum(math.exp(rng.uniform(math.log(2_000), math.log(200_000))) for _ in range(signed)), -2
    )
    return [
        day,
        kind,
        unit,
        leader,
        "是" if top else "否",
        place,
        firms,
        signed,
        f"{amount:.0f}" if signed else "0",
    ]


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------


def project_row(index: int, p: Project) -> list[object]:
    return [
        index,
        p.pid,
        p.name,
        p.district,
        p.park,
        p.industry,
        p.investor,
        p.tags,
        p.region,
        p.country,
        p.total,
        p.stage,
        p.signed,
        p.planned,
        p.started,
        p.completed,
        p.producing,
        p.land,
        p.leader,
        p.task_force,
        p.work_plan,
        p.permits_required,
        p.permits_done,
        p.enclave,
        p.enclave_from,
        p.enclave_to,
        p.enclave_share,
        p.counted_flag,
        "；".join(p.notes),
    ]


def write_projects_xlsx(path: Path, projects: list[Project]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ncol = len(PROJECT_HEADERS)
    last_col = get_column_letter(ncol)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws["A1"] = "乌海市招商引资项目台账（合成示例数据）"
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws["A2"] = "填报单位：乌海市区域经济合作局（汇总）"
    ws.cell(row=2, column=ncol - 2, value=f"填报时间：{EXPORT_DATE_TEXT}")

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, header in enumerate(PROJECT_HEADERS, start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = PROJECT_COLUMN_WIDTHS[header]
    ws.row_dimensions[3].height = 32

    total_col = PROJECT_HEADERS.index("总投资（万元）") + 1
    for i, p in enumerate(projects, start=1):
        row = 3 + i
        for col, value in enumerate(project_row(i, p), start=1):
            cell = ws.cell(row=row, column=col, value=None if value == "" else value)
            cell.border = border
            header = PROJECT_HEADERS[col - 1]
            if header in DATE_HEADERS and value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif header == "总投资（万元）":
                cell.number_format = "#,##0.00"
    total_row = 4 + len(projects)
    ws.cell(row=total_row, column=2, value="合计").font = Font(bold=True)
    total_cell = ws.cell(
        row=total_row, column=total_col, value=round(sum(p.total for p in projects), 2)
    )
    total_cell.number_format = "#,##0.00"
    total_cell.font = Font(bold=True)
    ws.cell(row=total_row + 2, column=1, value="填报人：张某    联系电话：0473-0000000")
    ws.freeze_panes = "D4"

    wb.properties.creator = "乌海市区域经济合作局（合成示例数据）"
    wb.properties.title = "乌海市招商引资项目台账（合成示例数据）"
    wb.properties.created = EXPORT_TIME
    wb.properties.modified = EXPORT_TIME
    wb.properties.lastModifiedBy = "wuhai-zs make_sample.py"
    save_stable(wb, path)


def save_stable(wb: Workbook, path: Path) -> None:
    """Save a workbook byte-for-byte reproducibly (fixed properties and zip timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # not save_workbook: it stamps 'modified'
    stamp = EXPORT_TIME.timetuple()[:6]
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def arrival_rows(arrivals: list[Arrival]) -> list[list[object]]:
    return [
        [
            a.project.pid,
            a.day.isoformat(),
            f"{a.amount:.2f}",
            "" if a.fdi is None else f"{a.fdi:.2f}",
            a.note,
        ]
        for a in arrivals
    ]


# ---------------------------------------------------------------------------------------
# Summary and README
# ---------------------------------------------------------------------------------------


def measure(arrivals: list[Arrival]) -> dict[str, dict[int, float]]:
    counted: dict[int, float] = defaultdict(float)
    uncounted: dict[int, float] = defaultdict(float)
    fdi: dict[int, float] = defaultdict(float)
    for a in arrivals:
        (counted if a.project.counted else uncounted)[a.day.year] += a.amount
        if a.project.region == "境外" and a.project.counted_flag != "否":
            fdi[a.day.year] += a.fdi or 0.0
    return {"counted": dict(counted), "uncounted": dict(uncounted), "fdi": dict(fdi)}


def zone_per_mu(parks: list[list[object]], year: int) -> tuple[float, float, float]:
    """Zone-wide 亩均投资/产值/税收 of a year: sums of numerators over the sum of areas."""
    rows = [r for r in parks if r[1] == year]
    land = sum(float(str(r[2])) for r in rows)
    invest, output, tax = (sum(float(str(r[i])) for r in rows) / land for i in (3, 4, 5))
    return invest, output, tax


def check_calibration(sums: dict[str, dict[int, float]]) -> None:
    """Fail loudly if the written arrivals drift more than 1 % from the targets."""
    for kind, targets in (("counted", COUNTED_CAPITAL_TARGET), ("fdi", FDI_TARGET)):
        for year, target in targets.items():
            got = sums[kind].get(year, 0.0)
            if abs(got / target - 1) > 0.01:
                raise SystemExit(f"calibration failed: {kind} {year} = {got:,.2f}, want {target:,}")


def readme_text(
    counts: dict[str, int], sums: dict[str, dict[int, float]], parks: list[list[object]]
) -> str:
    def yi(v: float) -> str:
        return f"{v / 10_000:,.1f}"

    years = sorted(COUNTED_CAPITAL_TARGET)
    capital = "、".join(
        f"{y}年{'1—9月' if y == 2025 else ''} {yi(sums['counted'][y])} 亿元" for y in years
    )
    capital_en = ", ".join(
        f"{y}{' Jan–Sep' if y == 2025 else ''} {yi(sums['counted'][y])}" for y in years
    )
    fdi = "、".join(f"{y}年 {sums['fdi'][y]:,.0f} 万美元" for y in years)
    fdi_en = ", ".join(f"{y} {sums['fdi'][y]:,.0f}" for y in years)
    invest24, output24, tax24 = zone_per_mu(parks, 2024)
    zone24 = f"{invest24:.1f}、{output24:.1f}、{tax24:.2f}"
    zone24_en = f"{invest24:.1f} / {output24:.1f} / {tax24:.2f}"
    table = [
        (
            "项目台账.xlsx",
            f"{counts['projects']} 个项目",
            "工作表“项目台账”：第 1 行合并标题，第 2 行填报单位和填报时间，第 3 行表头"
            "（首列为序号），数据下方有“合计”行，空一行后是“填报人”页脚。覆盖 4 个区、"
            "4 个园区、22 个产业、9 类来源地区、11 种企业标签和 7 个项目阶段；60 个重大项目"
            "（≥ 10 亿元），其中 3 个“五个一”不全；8 个飞地项目（2 个飞入集宁先进制造业"
            "集中区，市内飞地项目落在飞入地的园区）；15 个不纳统项目（房地产、财政性资金）；"
            "终止项目的终止年月写在备注中。",
        ),
        (
            "到位资金台账.csv",
            f"{counts['arrivals']} 笔",
            "UTF-8（带 BOM），逐笔记录：项目编号、到位日期、到位金额（万元）、"
            "外资金额（万美元，仅境外项目填写）、备注。每个项目每月至多一笔；只有签约后"
            "（终止项目在终止当月之前）才有到位资金；单个项目累计到位不超过其总投资。",
        ),
        (
            "园区台账.csv",
            f"{counts['parks']} 行",
            "UTF-8（无 BOM）：4 个园区 2022—2024 年的用地面积、固定资产投资（累计）、"
            "工业总产值和税收收入。截至 2025-09-30，2025 年全年数据尚未产生，故没有 2025 年。",
        ),
        (
            "产值台账.csv",
            f"{counts['output']} 行",
            "GB18030 编码（中文版 Excel 另存的 CSV）：全市及 7 个产业集群的工业总产值，"
            "2022—2024 年全年（月份为空）、2024 年 1—6 月累计、2025 年 1—3、1—6、1—9 月累计。",
        ),
        (
            "招商活动台账.csv",
            f"{counts['activities']} 场",
            "UTF-8（带 BOM）：2023-01 至 2025-09 的带队招商、推介会、行业大会、经贸洽谈和展会，"
            "含带队领导、是否主要领导、目的地、对接企业数、签约项目数和签约金额。",
        ),
    ]
    table_md = "\n".join(f"| `{name}` | {count} | {text} |" for name, count, text in table)
    return f"""# 示例台账（合成数据） / Sample ledgers (synthetic data)

**本目录中的全部数据均为合成示例数据，不是乌海市的真实台账。**
项目、企业、人名（“某”）、金额和日期都是 `scripts/make_sample.py`
用固定随机种子（{SEED}）生成的虚构数据：数字是编造的，但按行动方案和公开数字做了校准，
供演示和测试 `wuhai-zs` 使用。CSV 文件没有标题行，所以“合成示例数据”的说明写在本文件里；
工作簿的标题行写明了“合成示例数据”。

重新生成：`python scripts/make_sample.py [输出目录]`（默认 `data/sample/`，
每次运行结果逐字节相同）。台账截止日期为 **2025-09-30**（填报时间 2025-10-08）：
除计划开工日期外，没有任何日期晚于 2025-09-30。

| 文件 | 规模 | 内容 |
| --- | --- | --- |
{table_md}

校准结果（默认统计口径：项目总投资 ≥ 5000 万元、来源为区外或境外、未标“不纳统”）：

- 到位资金 {capital}；2022 年即行动方案的公开基数 184.8 亿元。
  口径外的到位资金（区内、市内、小项目、不纳统）另有口径内的约 {UNCOUNTED_SHARE:.0%}。
- 实际利用外资 {fdi}。
- 工业总产值 2022—2024 年 2850、3080、3360 亿元，2025 年 1—9 月 2700 亿元。
- 乌海高新技术产业开发区 2022 年亩均产值 127.19 万元、亩均税收 5.14 万元；
  2024 年开发区整体亩均投资、亩均产值、亩均税收 {zone24} 万元。
- 项目跟踪预警（以 2025-09-30 为准）：签约未开工（计划开工日期已过不足 3 个月、
  超过 3 个月、无计划日期且签约超过 3 个月）、签约满 6 个月无到位资金、开工满 24 个月
  未竣工、竣工满 6 个月未投产、已开工项目手续办结率低于 80%，样例中都有。

---

**All data in this folder is synthetic sample data, not Wuhai's real ledgers.** Projects,
companies, people (“某” = “so-and-so”), amounts and dates are invented by
`scripts/make_sample.py` from a fixed seed ({SEED}); the figures are invented but calibrated
to the plan and to public figures, for demonstrating and testing `wuhai-zs`. CSV files have no
title row, so their synthetic nature is stated here; the workbook's title row says so.

Regenerate with `python scripts/make_sample.py [OUT_DIR]` (default `data/sample/`; every run
writes byte-identical files). The ledgers' as-of date is **2025-09-30** (reported 2025-10-08):
no date is later than 2025-09-30 except planned start dates (计划开工日期).

- `项目台账.xlsx`: {counts["projects"]} projects on sheet `项目台账`: a merged title row, a
  reporting unit / date line, the header (led by a `序号` column), the data, a `合计` row and,
  after a blank row, a `填报人` footer. All 4 districts and parks, all 22 industries, 9 source
  regions, 11 investor tags and 7 stages; 60 major projects (≥ 1 billion yuan), 3 of which lack
  one of leader / task force / work plan; 8 enclave (飞地) projects, 2 of them in the Jining
  advanced-manufacturing zone (an in-city enclave project sits in the park of the district it
  flew into); 15 projects outside the statistics (real estate, fiscal money); a terminated
  project's termination month is in its 备注.
- `到位资金台账.csv`: {counts["arrivals"]} capital arrivals, UTF-8 with BOM, at most one row per
  project and month; 外资金额（万美元） only for foreign (境外) projects. Money arrives only
  after signing (and before the month of termination) and never exceeds a project's 总投资.
- `园区台账.csv`: {counts["parks"]} rows, UTF-8 without BOM: land, cumulative fixed investment,
  output and tax of the 4 parks for 2022–2024. The 2025 annual figures are not in yet at the
  as-of date, so there are no 2025 rows.
- `产值台账.csv`: {counts["output"]} rows, GB18030 (as saved by Excel on Chinese Windows):
  industrial output of the city and its 7 clusters, full years 2022–2024 (月份 empty), 2024
  Jan–Jun, and 2025 cumulative Jan–Mar, Jan–Jun and Jan–Sep.
- `招商活动台账.csv`: {counts["activities"]} promotion activities, UTF-8 with BOM, 2023-01 to
  2025-09.

Calibration (default counting rule: 总投资 ≥ 50 million yuan, from outside Inner Mongolia or
abroad, not flagged 不纳统):

- counted arrivals in 亿元: {capital_en}; 2022 is the plan's public base of 184.8. Arrivals
  outside the rule (区内, 市内, small or 不纳统 projects) add about {UNCOUNTED_SHARE:.0%}.
- FDI in 万美元: {fdi_en}.
- Industrial output 2022–2024: 2,850 / 3,080 / 3,360 亿元; 2025 Jan–Sep: 2,700 亿元.
- 乌海高新技术产业开发区 2022: 127.19 万元 output and 5.14 万元 tax per 亩; development zones
  as a whole in 2024: {zone24_en} 万元 investment / output / tax per 亩.
- Every project-tracking warning is exercised (as of 2025-09-30): signed but not started
  (planned start passed by less / more than 3 months, or no planned date and signed over 3
  months ago), no money 6 months after signing, not completed 24 months after starting, not
  producing 6 months after completion, permits below 80 % done on a started project.
"""


# ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help="folder to write the ledgers to (default: data/sample)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)

    rng = random.Random(SEED)
    projects = make_projects(rng)
    arrivals = make_arrivals(rng, projects)
    parks = make_parks(rng)
    output = make_output(rng)
    activities = make_activities(rng)

    write_projects_xlsx(out / "项目台账.xlsx", projects)
    write_csv(
        out / "到位资金台账.csv",
        ["项目编号", "到位日期", "到位金额（万元）", "外资金额（万美元）", "备注"],
        arrival_rows(arrivals),
        "utf-8-sig",
    )
    write_csv(
        out / "园区台账.csv",
        [
            "园区",
            "年度",
            "用地面积（亩）",
            "固定资产投资（万元）",
            "工业总产值（万元）",
            "税收收入（万元）",
        ],
        parks,
        "utf-8",
    )
    write_csv(
        out / "产值台账.csv", ["年度", "月份", "统计范围", "工业总产值（万元）"], output, "gb18030"
    )
    write_csv(
        out / "招商活动台账.csv",
        [
            "日期",
            "活动类型",
            "所属区",
            "带队领导",
            "是否主要领导",
            "目的地",
            "对接企业数",
            "签约项目数",
            "签约金额（万元）",
        ],
        activities,
        "utf-8-sig",
    )

    counts = {
        "projects": len(projects),
        "arrivals": len(arrivals),
        "parks": len(parks),
        "output": len(output),
        "activities": len(activities),
    }
    sums = measure(arrivals)
    check_calibration(sums)
    (out / "README.md").write_text(readme_text(counts, sums, parks), encoding="utf-8")

    print(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for kind, by_year in sums.items():
        print(f"  {kind}: " + ", ".join(f"{y} {v:,.2f}" for y, v in sorted(by_year.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
