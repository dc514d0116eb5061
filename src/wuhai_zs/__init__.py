"""wuhai-zs: ledger validation and target tracking for Wuhai's investment-promotion plan."""

__version__ = "0.1.0"
