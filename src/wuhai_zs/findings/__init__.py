"""Findings as data: the model (here), the catalogue of codes, and how a finding is built."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

# Findings about a file that is no ledger's (a damaged district workbook) carry this ledger key.
FILES = "files"
LEDGER_ORDER = (FILES, "projects", "arrivals", "parks", "output", "activities")


@dataclass(frozen=True, slots=True)
class Finding:
    ledger: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple[Any, ...]:
        ledger_rank = LEDGER_ORDER.index(self.ledger) if self.ledger in LEDGER_ORDER else 99
        return (
            ledger_rank,
            self.file,
            self.sheet or "",
            self.row or 0,
            self.column or "",
            self.code,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class LedgerStats:
    """Row accounting for one ledger: read = accepted + rejected + skipped + out_of_scope.

    out_of_scope counts rows dated after an earlier --as-of (a look back): not errors, left out
    of the figures. A row with an error is counted as rejected whatever its date.
    """

    ledger: str
    sources: list[tuple[str, str | None]] = field(default_factory=list)
    read: int = 0
    rejected: int = 0
    skipped: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    out_of_scope: int = 0

    @property
    def accepted(self) -> int:
        return self.read - self.rejected - self.skipped - self.out_of_scope

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [{"file": f, "sheet": s} for f, s in self.sources],
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "out_of_scope": self.out_of_scope,
            "skip_reasons": dict(sorted(self.skip_reasons.items())),
        }


@dataclass
class ValidationReport:
    as_of: str
    ledgers: dict[str, LedgerStats]
    findings: list[Finding]
    ignored_sheets: list[tuple[str, str | None, str]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def to_dict(self, max_findings: int | None = None) -> dict[str, Any]:
        shown = self.findings if max_findings is None else self.findings[:max_findings]
        return {
            "valid": self.valid,
            "as_of": self.as_of,
            "ledgers": {name: stats.to_dict() for name, stats in self.ledgers.items()},
            "counts": {"errors": self.errors, "warnings": self.warnings},
            "ignored_sheets": [
                {"file": f, "sheet": s, "reason": why} for f, s, why in self.ignored_sheets
            ],
            "findings": [f.to_dict() for f in shown],
            "findings_truncated": len(shown) < len(self.findings),
        }
