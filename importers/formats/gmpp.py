"""Government Major Projects Portfolio data: one row per project (2016 onwards) and the
transposed layout of 2014 and 2015 (field names down column A, one project per column)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from importers.column_mapping import ColumnMapping, header_unit, normalise_header
from importers.formats.base import HeaderSpec, MappedFormat, Names, Recognition, extract_mapped
from importers.header_detect import cell_text, collapse
from importers.source_table import CellValue, ExtractedRow, HeaderLayout, SourceBook
from models.questionnaire import Question, Questionnaire

# Annual Report Categories that make a project technology whatever its name says.
TECH_CATEGORIES = ("ICT", "Digital", "Digital and Technology", "Information Technology")


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
        sro_rating = names.containing(*SRO_RATING)
        cols["delivery_confidence"] = next(
            (i for i in _columns_containing(names, "Delivery Confidence") if i != sro_rating),
            sro_rating,
        )
        if cols["delivery_confidence"] is not None:  # the rating as published, word for word
            mapping.source_fields["rating_published"] = cols["delivery_confidence"]
        if sro_rating is not None and sro_rating != cols["delivery_confidence"]:
            # Since 2021-22 a project the IPA did not assess is published with its SRO's rating
            mapping.source_fields["sro_rating_published"] = sro_rating
            notes.append(
                "a project whose IPA delivery confidence is blank keeps the SRO's rating, as "
                "the annual report publishes it; each such row says so (in the report and "
                "as 'rating_by: SRO' in its source)"
            )
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
        notes.append(
            "ratings are kept as published (five-point to 2015, three-point since 2023); "
            "'No DCA', 'Reset', exemptions and early-planning projects are recorded as not "
            "assessed, with the published words kept beside the row"
        )

    def technology(self, source: Mapping[str, Any]) -> str | None:
        category = " ".join(str(source.get("category") or "").split())
        if category and _squashed(category) in {_squashed(c) for c in TECH_CATEGORIES}:
            return f"GMPP category {category!r}"
        return super().technology(source)

    def extract(
        self,
        rec: Recognition,
        rows: Iterable[Sequence[CellValue]],
        table: Question,
        mapping: ColumnMapping,
    ) -> Iterator[ExtractedRow]:
        rating = mapping.columns.get("delivery_confidence")
        cost = mapping.columns.get("whole_life_cost")
        sro = mapping.source_fields.get("sro_rating_published")
        return _rated(rec, rows, table, mapping, self, (rating, sro, cost))


# What GMPP files write where there is no rating or no figure: not a value, and not guessed
# ('Date exempt under section 43…' is the 2014 file's own typo for 'Data exempt').
_NOT_RATED = re.compile(
    r"^(no dca|reset|not assessed|dat[ae] (exempt|not provided)|exempt|early planning)", re.I
)


# Headers of the SRO's own delivery confidence column (2021-22 onwards), beside the IPA's.
SRO_RATING = (
    "SRO Delivery Confidence",
    "Senior Responsible Owner Delivery Confidence",
    "Senior Responsible Owner's Delivery Confidence",
)
SRO_USED = "rating is the SRO's delivery confidence (the IPA's is blank)"


def _columns_containing(names: Names, phrase: str) -> list[int]:
    key = f" {normalise_header(phrase)} "
    return [i for i, name in enumerate(names.keys) if key in f" {name} "]


def _rated(
    rec: Recognition,
    rows: Iterable[Sequence[CellValue]],
    table: Question,
    mapping: ColumnMapping,
    fmt: Gmpp,
    columns: tuple[int | None, int | None, int | None],
) -> Iterator[ExtractedRow]:
    """The rows as published: the SRO's rating where the IPA's cell is blank, each such row
    saying so in its source (rating_by) and its line of the import report; a rating read as
    not assessed keeps its published words in the source."""
    rating, sro, cost = columns
    if sro == rating:
        sro = None
    by_sro: set[int] = set()  # 1-based numbers of the rows whose rating is the SRO's
    words: dict[int, str] = {}  # the published words of ratings read as 'Not assessed'

    def published(numbered: Iterable[Sequence[CellValue]]) -> Iterator[Sequence[CellValue]]:
        for number, row in enumerate(numbered, start=1):
            if rating is not None and sro is not None and sro < len(row):
                ipa_blank = rating >= len(row) or not cell_text(row[rating]).strip()
                if ipa_blank and cell_text(row[sro]).strip():
                    row = [*row, *[None] * (rating + 1 - len(row))]
                    row[rating] = row[sro]
                    by_sro.add(number)
            turned = _published(row, rating, cost)
            if turned is not row and rating is not None and rating < len(row):
                text = cell_text(row[rating]).strip()
                if text and text != cell_text(turned[rating]).strip():
                    words[number] = text
            yield turned

    for extracted in extract_mapped(rec, published(rows), table, mapping, fmt):
        number = extracted.source_row
        if number in words:
            extracted.source["rating_published"] = words[number]
        if number in by_sro:
            extracted.source["rating_by"] = "SRO"
            extracted.note = SRO_USED
        elif sro is not None and extracted.cells.get("delivery_confidence") is not None:
            extracted.source["rating_by"] = "IPA"
        yield extracted


def _squashed(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _published(
    row: Sequence[CellValue], rating: int | None, cost: int | None
) -> Sequence[CellValue]:
    """The row with unrated projects' ratings read as 'Not assessed' and a cost cell that is
    an exemption or 'not provided' text read as blank (the words stay in the provenance)."""
    changed: list[CellValue] | None = None
    for index, replacement in ((rating, "Not assessed"), (cost, None)):
        if index is None or index >= len(row):
            continue
        if _NOT_RATED.match(cell_text(row[index])):
            changed = changed if changed is not None else list(row)
            changed[index] = replacement
    return changed if changed is not None else row


def _transposed_names(rows: Sequence[Sequence[CellValue]]) -> list[str] | None:
    """Column A's field names when the sheet is the transposed layout of 2014-2015, else None."""
    names = [cell_text(row[0]) if row else "" for row in rows]
    keys = [normalise_header(n) for n in names]
    if "project name" not in keys or "department" not in keys:
        return None
    rating = any("delivery confidence" in k or "rag rating" in k for k in keys)
    cost = any("whole life cost" in k for k in keys)
    return names if rating and cost else None


def transpose(rows: Sequence[Sequence[CellValue]]) -> list[list[CellValue]]:
    """Rows as columns: field names (column A) become the header row, each project a row."""
    width = max((len(r) for r in rows), default=0)
    return [[row[c] if c < len(row) else None for row in rows] for c in range(width)]


class TransposedGmpp(Gmpp):
    """The GMPP layout of 2014 and 2015: field names down column A, one project per column."""

    id = "gmpp_transposed"
    title = "Government Major Projects Portfolio (2014-2015, one project per column)"

    def recognise(
        self,
        book: SourceBook,
        sheet: str,
        rows: Sequence[Sequence[CellValue]],
        header: HeaderLayout | None,
        questionnaire: Questionnaire,
    ) -> Recognition | None:
        if not questionnaire.has_question(self.target):
            return None
        names = _transposed_names(rows)
        if names is None:
            return None
        parts = tuple((collapse(n),) if collapse(n) else () for n in names)
        turned = HeaderLayout(sheet, (0,), 1, parts)
        rec = self.recognise_header(turned, questionnaire)
        if rec is None:
            return None
        rec.confidence = min(1.0, rec.confidence + 0.05)  # beats any reading of its first row
        rec.notes.insert(
            0,
            "transposed layout: each column from B on is one project, field names down column "
            "A; 'row N' in the report is the file's column N",
        )
        return rec

    def sheet_rows(self, book: SourceBook, rec: Recognition) -> Iterator[list[CellValue]]:
        return iter(transpose(list(book.rows(rec.sheet))))
