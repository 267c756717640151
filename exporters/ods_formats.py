"""Excel number formats (the ones the app's workbooks use) as ODF data styles.

The XLSX writer's formats are the one definition; this turns each into the equivalent
<number:…-style>: digits and grouping ('#,##0.00'), literal text ('"£"', '" points"',
'"<1%"'), percentages ('0%'), General, ISO dates and times ('yyyy-mm-dd hh:mm'), and
positive;negative;zero sections (as style:map conditions).
"""

from __future__ import annotations

import re
from typing import Any

from odf.number import DateStyle as OdfDateStyle
from odf.number import (
    Day,
    Hours,
    Minutes,
    Month,
    Number,
    NumberStyle,
    PercentageStyle,
    Text,
    Year,
)
from odf.style import Map

_TOKEN = re.compile(r'"([^"]*)"|(General)|([#0,]+(?:\.0+)?)|(%)|(yyyy|mm|dd|hh)|(.)')


def _sections(fmt: str) -> list[str]:
    """The format's ';'-separated sections (a ';' inside quotes is literal)."""
    parts, current, quoted = [], "", False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


class DataStyles:
    """Data styles added to one document's styles, one per distinct format."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.names: dict[str, str] = {}

    def style(self, fmt: str) -> str:
        """The name of the data style for an Excel number format (made on first use)."""
        if fmt in self.names:
            return self.names[fmt]
        name = f"N{len(self.names) + 1}"
        sections = _sections(fmt)
        if len(sections) == 1:
            self._add(name, sections[0])
        else:  # positive;negative[;zero]: the last is the base, the others are mapped
            positive, negative = sections[0], sections[1]
            zero = sections[2] if len(sections) > 2 else positive
            self._add(f"{name}P", positive, volatile=True)
            self._add(f"{name}N", negative, volatile=True)
            self._add(
                name,
                zero,
                maps=[("value()>0", f"{name}P"), ("value()<0", f"{name}N")],
            )
        self.names[fmt] = name
        return name

    def _add(
        self,
        name: str,
        section: str,
        *,
        volatile: bool = False,
        maps: list[tuple[str, str]] | None = None,
    ) -> None:
        tokens = list(_TOKEN.finditer(section))
        is_date = any(t.group(5) for t in tokens)
        is_percent = any(t.group(4) for t in tokens)
        kind = OdfDateStyle if is_date else PercentageStyle if is_percent else NumberStyle
        attrs: dict[str, Any] = {"name": name}
        if volatile:
            attrs["volatile"] = "true"
        style = kind(**attrs)
        seen_hours = False
        for token in tokens:
            literal, general, digits, percent, part, other = token.groups()
            if literal is not None:
                style.addElement(Text(text=literal))
            elif general:
                style.addElement(Number(minintegerdigits=1))  # no decimal places: General
            elif digits:
                places = len(digits.split(".")[1]) if "." in digits else 0
                style.addElement(
                    Number(
                        decimalplaces=places,
                        minintegerdigits=1,
                        grouping="true" if "," in digits else "false",
                    )
                )
            elif percent:
                style.addElement(Text(text="%"))
            elif part == "yyyy":
                style.addElement(Year(style="long"))
            elif part == "mm":  # months after a date, minutes after hours
                style.addElement(Minutes(style="long") if seen_hours else Month(style="long"))
            elif part == "dd":
                style.addElement(Day(style="long"))
            elif part == "hh":
                seen_hours = True
                style.addElement(Hours(style="long"))
            elif other is not None and other not in "\\":
                style.addElement(Text(text=other))
        for condition, target in maps or []:
            style.addElement(Map(condition=condition, applystylename=target))
        self.document.automaticstyles.addElement(style)
