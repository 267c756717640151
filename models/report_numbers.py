"""Kept so older imports still work: every figure is formatted by models/formatting.py."""

from models.formatting import (
    MINUS,
    MISSING,
    format_change,
    format_count,
    format_maturity,
    format_money,
    format_share,
)

__all__ = [
    "MINUS",
    "MISSING",
    "format_change",
    "format_count",
    "format_maturity",
    "format_money",
    "format_share",
]
