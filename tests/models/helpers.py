"""Small builders for questionnaire YAML written inside tests."""

from __future__ import annotations

import textwrap


def definition(questions: str, *, scored: bool = False, indicators: str = "") -> str:
    """A one-section questionnaire around `questions` (YAML list items at column 0)."""
    body = textwrap.indent(textwrap.dedent(questions).strip(), " " * 6)
    text = (
        "id: t\n"
        "version: 1\n"
        "title: T\n"
        "sections:\n"
        "  - id: s\n"
        "    title: S\n"
        f"    scored: {'true' if scored else 'false'}\n"
        "    questions:\n"
        f"{body}\n"
    )
    if indicators:
        text += "indicators:\n" + textwrap.indent(textwrap.dedent(indicators).strip(), "  ") + "\n"
    return text
