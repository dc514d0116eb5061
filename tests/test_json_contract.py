"""Every JSON document a command prints: the envelope, a unit in every money key, pinned keys.

The app's commands are walked: a command that takes --json and is not run here fails. Each
document must carry schema_version and its command; every number must be under a key that
says its unit (_yi, _wan, _wan_usd, _wan_per_mu, _mu, _points), be one of the figures of an
object that names its `unit` (a target), or be listed below as not money. A new money key
without a unit fails. The key sets are pinned in tests/json_shapes.json: a change fails until
SCHEMA_VERSION is bumped as docs/json.md says and the file is regenerated with
WUHAI_UPDATE_SHAPES=1 pytest tests/test_json_contract.py.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from wuhai_zs.render.console import SCHEMA_VERSION

from conftest import unwrap

SHAPES = Path(__file__).parent / "json_shapes.json"
TODAY = "2026-12-01"
ONE_PROJECT = "WH-2024-0056"
OLD, NEW = "<old>", "<new>"  # the diff's two submissions, written in tmp_path

# (the command as the envelope names it, the arguments): every way a command prints JSON.
RUNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("validate", ("validate", "--json")),
    ("validate", ("validate", "--format", "json")),
    ("targets", ("targets", "--json")),
    ("rules", ("rules", "--json")),
    ("projects", ("projects", "--json")),
    ("projects --list", ("projects", "--list", "--json")),
    ("projects --id", ("projects", "--id", ONE_PROJECT, "--json")),
    ("projects --warnings", ("projects", "--warnings", "--json")),
    ("districts", ("districts", "--rank", "--json")),
    ("dispatch", ("dispatch", "--json")),
    ("tasks", ("tasks", "--json")),
    ("diff", ("diff", OLD, NEW, "--json")),
    ("review", ("review", "--json")),
    ("plan show", ("plan", "show", "--json")),
)

UNIT_SUFFIXES = ("_yi", "_wan", "_wan_usd", "_wan_per_mu", "_mu", "_points")
# Numbers that are not money: counts, rates and shares (fractions), years, months, days, rows,
# ranks, scores and weights. Add a key here only if it can never hold an amount.
NOT_MONEY = {
    # counts
    "accepted",
    "count",
    "denominator",
    "eligible",
    "enclave_projects",
    "errors",
    "leaving_city",
    "not_elapsed",
    "reached",
    "not_elapsed_started",
    "numerator",
    "of",
    "out_of_scope",
    "parks",
    "permits_done",
    "permits_required",
    "producing",
    "projects",
    "read",
    "rejected",
    "relabelled_foreign_projects",
    "relabelled_without_usd",
    "rows",
    "rows_out_of_scope",
    "rows_rejected",
    "rows_used",
    "signed",
    "skipped",
    "started",
    "total",
    "warnings",
    "warnings_red",
    "within_city",
    "new_rows",
    "old_rows",
    # rates, shares and growth (fractions)
    "arrival_rate",
    "cap",
    "capped",
    "completion",
    "enclave_share",
    "expected",
    "fdi_growth",
    "growth",
    "growth_implied_by_cumulative",
    "growth_target",
    "largest_share_of_counted",
    "min_permit_rate",
    "output_growth",
    "rate",
    "share",
    "threshold_rate",
    "value",
    "weight",
    "year_elapsed",
    "yoy",
    "yoy_month",
    "yoy_year_to_date",
    # time
    "base_year",
    "construction_months",
    "days_late",
    "elapsed_months",
    "months",
    "no_money_months",
    "not_started_red_months",
    "output_months",
    "park_year",
    "period_months",
    "production_months",
    "threshold_months",
    "year",
    "years",
    # where in a file, places, scores
    "number",
    "points",
    "rank",
    "row",
    "score",
}
# The counts of a rate (numerator, denominator) and its value: `value` is a fraction wherever
# it appears; a target's figures are in its `unit`.
IN_UNIT = {
    "actual",
    "change",
    "difference",
    "due",
    "from_new_periods",
    "from_revisions",
    "gap",
    "needed",
    "new",
    "old",
    "remaining",
    "target",
}
# Maps whose keys are data (codes, reasons, weights' names): their numbers are counts or weights.
NOT_MONEY_MAPS = {"counts", "levels", "skip_reasons", "weights"}
# Per indicator, dispatch values are counts (个, 次), rates or 亿元 (_yi): only the 亿元 ones
# are money, and their keys say so; `month` and the others bare are counts or rates.
DISPATCH_BARE = {"month", "year_to_date", "previous_month", "last_year_month", "last_year_to_date"}
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], Any]:
    """Every run's document, from the sample read once (the commands only read it)."""
    from test_diff import write_new, write_old
    from wuhai_zs import pipeline
    from wuhai_zs.cli.app import main

    root = tmp_path_factory.mktemp("contract")
    old, new = write_old(root / "old"), write_new(root / "new" / "台账.xlsx")
    cache: dict[tuple[Any, Any], Any] = {}
    real = pipeline.run

    def run(path: Path, plan: Any, as_of: Any = None, progress: Any = None) -> Any:
        if (path, as_of) not in cache:
            cache[(path, as_of)] = real(path, plan, as_of, progress)
        return cache[(path, as_of)]

    out: dict[tuple[str, ...], Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "run", run)
        patch.setenv("WUHAI_ZS_TODAY", TODAY)
        for _, args in RUNS:
            argv = [str(old) if a == OLD else str(new) if a == NEW else a for a in args]
            out[args] = _run(main, argv)
    return out


def _run(main: Any, argv: list[str]) -> Any:
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    assert code in (0, 1), (argv, stderr.getvalue())
    return json.loads(stdout.getvalue())


def test_every_command_with_json_is_covered() -> None:
    from wuhai_zs.cli.app import build

    def walk(command: Any, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        children = getattr(command, "commands", None)
        if children:
            return [p for name, c in children.items() for p in walk(c, (*path, name))]
        takes = any("--json" in getattr(p, "opts", ()) for p in command.params)
        return [path] if takes else []

    with_json = {" ".join(p) for p in walk(build(), ())}
    covered = {args[0] if args[0] != "plan" else "plan show" for _, args in RUNS}
    assert with_json == covered


@pytest.mark.parametrize(("command", "args"), RUNS, ids=[" ".join(a) for _, a in RUNS])
def test_envelope(
    documents: dict[tuple[str, ...], Any], command: str, args: tuple[str, ...]
) -> None:
    document = documents[args]
    assert list(document)[:2] == ["schema_version", "command"]
    assert document["schema_version"] == SCHEMA_VERSION
    assert re.fullmatch(r"\d+\.\d+", SCHEMA_VERSION)
    assert unwrap(document, command)


def _numbers(node: Any, path: tuple[str, ...], parent: dict[str, Any] | None) -> list[tuple]:
    """(path, key, the dict holding it) of every number, a list's items under the list's key."""
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return []
    if isinstance(node, int | float):
        return [(path, path[-1] if path else "", parent)]
    if isinstance(node, list):
        return [n for item in node for n in _numbers(item, path, parent)]
    return [n for k, v in node.items() for n in _numbers(v, (*path, str(k)), node)]


def money_without_unit(document: Any) -> list[str]:
    """Numbers under a key that neither says a unit nor is known not to be money."""
    bad = []
    for path, key, holder in _numbers(document, (), None):
        parents = path[:-1]
        if key.endswith(UNIT_SUFFIXES) or key in NOT_MONEY:
            continue
        if parents and parents[-1] in NOT_MONEY_MAPS:
            continue
        if key in IN_UNIT and holder is not None and "unit" in holder:
            continue
        if len(parents) >= 2 and parents[-2] == "values" and key in DISPATCH_BARE | {"change"}:
            indicator = parents[-1]
            units = {i["key"]: i["unit"] for i in document.get("indicators", [])}
            if units.get(indicator) in ("个", "次") or (
                units.get(indicator) == "比率" and key != "change"
            ):
                continue
        bad.append(".".join(path))
    return sorted(set(bad))


@pytest.mark.parametrize(("command", "args"), RUNS, ids=[" ".join(a) for _, a in RUNS])
def test_every_money_key_says_its_unit(
    documents: dict[tuple[str, ...], Any], command: str, args: tuple[str, ...]
) -> None:
    assert money_without_unit(documents[args]) == []


def test_a_new_money_key_without_a_unit_would_fail() -> None:
    """The check above is not vacuous: the keys it would let through are the listed ones."""
    document = {
        "units": [{"unit": "海南区", "signed": 3, "investment": 1.5, "capital_yi": 2.0}],
        "targets": [{"unit": "亿元", "target": 800.0, "actual": 723.0, "completion": 0.9}],
        "amounts": {"total_wan": 10.0, "revenue": 7.0},
        "indicators": [{"key": "capital", "unit": "亿元"}, {"key": "signed", "unit": "个"}],
        "values": {"capital": {"month": 1.2, "month_yi": 1.2}, "signed": {"month": 3}},
    }
    assert money_without_unit(document) == [
        "amounts.revenue",
        "units.investment",
        "values.capital.month",
    ]


def shape(node: Any, path: str = "") -> set[str]:
    """Every key path of a document: [] for a list's items, * for a key that is data."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            name = key if IDENT.match(str(key)) else "*"
            here = f"{path}.{name}" if path else name
            out.add(here)
            out |= shape(value, here)
    elif isinstance(node, list):
        for item in node:
            out |= shape(item, f"{path}[]")
    return out


def test_key_sets_are_pinned(documents: dict[tuple[str, ...], Any]) -> None:
    found: dict[str, list[str]] = {}
    for command, args in RUNS:
        keys = shape(documents[args])
        found[command] = sorted(set(found.get(command, [])) | keys)
    pinned = json.loads(SHAPES.read_text("utf-8")) if SHAPES.exists() else {}
    if os.environ.get("WUHAI_UPDATE_SHAPES"):
        if pinned and found != pinned["documents"]:
            assert pinned["schema_version"] != SCHEMA_VERSION, (
                "the keys changed: bump SCHEMA_VERSION (render/console.py) as docs/json.md says"
            )
        SHAPES.write_text(
            json.dumps(
                {"schema_version": SCHEMA_VERSION, "documents": found},
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            "utf-8",
        )
        return
    assert pinned, f"{SHAPES.name} is missing: run WUHAI_UPDATE_SHAPES=1 pytest {__file__}"
    assert pinned["schema_version"] == SCHEMA_VERSION, "regenerate tests/json_shapes.json"
    for command, keys in found.items():
        want = set(pinned["documents"].get(command, []))
        assert set(keys) == want, (
            command,
            {"new": sorted(set(keys) - want), "gone": sorted(want - set(keys))},
            "a JSON contract changed: bump SCHEMA_VERSION (docs/json.md) and regenerate",
        )
    assert set(found) == set(pinned["documents"])
