"""The generated docs are what `scripts/gen_docs.py` writes now, and say what the contract says."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from wuhai_zs.ledgers.columns import LEDGERS

from conftest import REPO


def _gen_docs() -> ModuleType:
    script = REPO / "scripts" / "gen_docs.py"
    spec = importlib.util.spec_from_file_location("gen_docs", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "writer"), [("rules.md", "rules_markdown"), ("ledgers.md", "ledgers_markdown")]
)
def test_generated_docs_are_current(name: str, writer: str) -> None:
    current = (REPO / "docs" / name).read_text("utf-8")
    assert current == getattr(_gen_docs(), writer)(), "run: python scripts/gen_docs.py"


def test_ledgers_doc_lists_every_column_with_its_alias() -> None:
    text = (REPO / "docs" / "ledgers.md").read_text("utf-8")
    for spec in LEDGERS.values():
        assert f"### {spec.stem_zh} ({spec.key}" in text
        for column in spec.columns:
            assert f"| {column.display} | `{column.key}` |" in text, (spec.key, column.key)


def test_ledgers_doc_states_the_conditional_requirements_of_the_spec() -> None:
    """The spec's yes* rows, written here by hand from shared/spec/ledgers.md."""
    text = (REPO / "docs" / "ledgers.md").read_text("utf-8")
    for row in (
        "| 来源国别 | `source_country` | 是*（境外） |",
        "| 签约日期 | `signed_on` | 是*（签约及以后） |",
        "| 开工日期 | `started_on` | 是*（开工及以后） |",
        "| 竣工日期 | `completed_on` | 是*（竣工及以后） |",
        "| 投产日期 | `producing_on` | 是*（投产） |",
        "| 包联领导 | `leader` | 是*（重大项目，警告） |",
        "| 工作专班 | `task_force` | 是*（重大项目，警告） |",
        "| 推进方案 | `work_plan` | 是*（重大项目，警告） |",
        "| 飞出地 | `enclave_from` | 是*（飞地项目） |",
        "| 飞入地 | `enclave_to` | 是*（飞地项目） |",
        "| 飞出地分成比例 | `enclave_share` | 是*（飞地项目） |",
        "| 到位日期 | `date` | 是*（与到位月份至少填一项） |",
        "| 到位月份 | `month` | 是*（与到位日期至少填一项） |",
        "| 外资金额（万美元） | `fdi_usd` | 是*（境外项目） |",
        "| 本月外资金额（万美元） | `month_fdi_usd` | 是*（境外项目） |",
        "| 带队领导 | `leader` | 是*（带队招商） |",
    ):
        assert row in text, row
