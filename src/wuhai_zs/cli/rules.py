"""`wuhai-zs rules`: the catalogue of finding codes."""

from __future__ import annotations

from wuhai_zs.cli.options import JsonOption

HELP = "列出所有校验规则的代码、级别和含义。"


def command(as_json: JsonOption = False) -> None:
    from wuhai_zs.findings.catalog import RULES
    from wuhai_zs.ledgers.columns import LEDGERS
    from wuhai_zs.render import console

    def ledgers_zh(spec: str) -> str:
        if spec == "*":
            return "全部"
        return "、".join(LEDGERS[k].stem_zh for k in spec.split(","))

    rows = [
        {
            "code": r.code,
            "severity": r.severity,
            "ledgers": r.ledgers,
            "ledgers_zh": ledgers_zh(r.ledgers),
            "title": r.title,
        }
        for r in RULES
    ]
    console.rules_table(rows, as_json)
