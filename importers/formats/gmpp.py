"""Government Major Projects Portfolio data: one row per project (2016 onwards) and the
transposed layout of 2014 and 2015 (field names down column A, one project per column)."""

from __future__ import annotations

import re

from importers.column_mapping import ColumnMapping, header_unit
from importers.formats.base import HeaderSpec, MappedFormat, Names


class Gmpp(MappedFormat):
    """Projects with whole-life cost in £m and the published delivery confidence rating."""

    id = "gmpp"
    title = "Government Major Projects Portfolio"
    target = "major_programmes"
    tech_filter = True
    spec = HeaderSpec(
        required=(
            ("Project Name",),
            ("Delivery Confidence",),
            ("Whole Life Cost", "Whole Life Costs"),
        ),
        optional=("GMPP ID Number", "Department", "Annual Report Category", "Start Date",
                  "End Date", "Description / Aims"),
        contains=True,
    )  # fmt: skip

    def map_columns(self, names: Names, mapping: ColumnMapping, notes: list[str]) -> None:
        cols = mapping.columns
        cols["name"] = names.find("Project Name")
        cols["gmpp_id"] = names.find("GMPP ID Number", "GMPP ID")
        cost = names.containing("Whole Life Cost", "Whole Life Costs")
        cols["whole_life_cost"] = cost
        if cost is not None:
            header = names.header.names[cost]
            unit = header_unit(header)
            if unit == 1.0 and not re.search(r"£|\bgbp\b|\bpounds?\b", header, re.IGNORECASE):
                # GMPP publishes £m; a header that says plain pounds is taken at its word
                unit = 1e6
            mapping.units["whole_life_cost"] = unit
            if unit == 1e6:
                notes.append("whole-life costs are published in £ millions: stored in pounds")
        cols["delivery_confidence"] = names.containing("Delivery Confidence")
        cols["sro"] = names.find("SRO", "Senior Responsible Owner", "SRO name")
        category = names.find("Annual Report Category", "Category")
        if category is not None:
            mapping.source_fields["category"] = category
        if cols["name"] is not None:  # a project named for its technology counts without a category
            mapping.source_fields["project"] = cols["name"]
        notes.append(
            "'NA' and Section 43 exemptions in cost columns are left blank; independent "
            "review is not in the GMPP data: fill it in"
        )
