"""Regenerate docs/rules.md from the rule catalogue (a test checks it is current)."""

from __future__ import annotations

import sys
from pathlib import Path

from wuhai_zs.findings.catalog import RULES
from wuhai_zs.ledgers.columns import LEDGERS

SEVERITY = {"error": "错误 error", "warning": "警告 warning"}


def ledgers_zh(spec: str) -> str:
    if spec == "*":
        return "全部"
    return "、".join(LEDGERS[k].stem_zh for k in spec.split(","))


def rules_markdown() -> str:
    lines = [
        "# 校验规则 / Validation rules",
        "",
        "由 `scripts/gen_docs.py` 从 `src/wuhai_zs/findings/catalog.py` 生成，请勿手改。",
        "Generated from the rule catalogue; `wuhai-zs rules` prints the same list.",
        "",
        "错误（error）使该行被拒绝、不计入任何指标，`validate` 以退出码 1 结束；"
        "警告（warning）保留该行。",
        "An error sets the row aside (rejected, left out of every figure; `validate` exits 1); "
        "a warning keeps it.",
        "",
        "| 代码 code | 级别 severity | 台账 ledgers | 含义 meaning | 提示模板 message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in RULES:
        template = r.template.replace(":,}", "}").replace("|", "\\|")  # {x:,}: a number
        lines.append(
            f"| `{r.code}` | {SEVERITY[r.severity]} | {ledgers_zh(r.ledgers)} | "
            f"{r.title} | {template} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    target = root / "docs" / "rules.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
