"""Build departments.tsv from the GOV.UK organisation list.

Usage:
    python resources/reference/build_departments.py SOURCE_TSV [OUTPUT_TSV]

SOURCE_TSV is ``shared/reference/10_govuk_organisations_2017.tsv`` (GOV.UK
organisation list, April 2017, Open Government Licence v3; tab-separated with
columns government-organisation, abbreviation, government-organisation-type,
govuk, name, website, parent-govuks). OUTPUT_TSV defaults to
``departments.tsv`` next to this script.

Output: UTF-8, tab-separated, header ``govuk_id, name, abbreviation, type,
parent``; ``govuk_id`` is the GOV.UK slug and ``parent`` the name of the first
parent organisation listed. Every source row is kept. Ministerial departments
come first, then non-ministerial departments, then everything else, each
alphabetically by name. Re-running the script on the same source gives the
same file.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUTPUT_COLUMNS = ["govuk_id", "name", "abbreviation", "type", "parent"]
SOURCE_COLUMNS = {
    "govuk_id": "govuk",
    "name": "name",
    "abbreviation": "abbreviation",
    "type": "government-organisation-type",
    "parent": "parent-govuks",
}
TYPE_ORDER = {"ministerial department": 0, "non-ministerial department": 1}


def _clean(text: str | None) -> str:
    """Trim, drop one pair of wrapping quotes, collapse inner whitespace."""
    text = (text or "").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return " ".join(text.split())


def read_source(source: Path) -> list[dict[str, str]]:
    """Read the organisation list into cleaned dicts keyed by source column.

    Raises:
        SystemExit: a required column is missing, or a row has no slug or name.
    """
    with source.open(encoding="utf-8-sig", newline="") as handle:
        # The register's TSV is unquoted: read fields literally, so a stray
        # quote in a name cannot swallow the rest of the file.
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            header = [_clean(name).lower() for name in next(reader)]
        except StopIteration:
            raise SystemExit(f"{source}: empty file") from None
        missing = set(SOURCE_COLUMNS.values()) - set(header)
        if missing:
            raise SystemExit(f"{source}: missing column(s) {', '.join(sorted(missing))}")
        rows = []
        for line_no, fields in enumerate(reader, start=2):
            if not any(field.strip() for field in fields):
                continue
            if len(fields) > len(header):
                raise SystemExit(
                    f"{source}, line {line_no}: {len(fields)} fields, header has {len(header)}"
                )
            fields = fields + [""] * (len(header) - len(fields))
            row = {name: _clean(value) for name, value in zip(header, fields, strict=True)}
            if not row["govuk"] or not row["name"]:
                raise SystemExit(f"{source}, line {line_no}: no GOV.UK slug or no name")
            rows.append(row)
    return rows


def build_rows(rows: list[dict[str, str]]) -> list[list[str]]:
    """Resolve parents to names and sort; returns output rows without header."""
    name_by_slug = {row["govuk"]: row["name"] for row in rows}
    out = []
    for row in rows:
        parents = [slug.strip() for slug in row["parent-govuks"].split(";") if slug.strip()]
        parent = ""
        if parents:
            parent = name_by_slug.get(parents[0], "")
            if not parent:
                slug = row["govuk"]
                message = f"warning: {slug}: parent {parents[0]!r} not listed; kept the slug"
                print(message, file=sys.stderr)
                parent = parents[0]
        out.append(
            [
                row["govuk"],
                row["name"],
                row["abbreviation"],
                row["government-organisation-type"],
                parent,
            ]
        )
    out.sort(key=lambda r: (TYPE_ORDER.get(r[3].casefold(), 2), r[1].casefold(), r[0]))
    return out


def write_tsv(output: Path, rows: list[list[str]]) -> None:
    """Write the header and rows as UTF-8 TSV with Unix line endings."""
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[1])
    if not source.is_file():
        print(f"{source}: no such file", file=sys.stderr)
        return 2
    output = Path(argv[2]) if len(argv) == 3 else Path(__file__).with_name("departments.tsv")
    rows = build_rows(read_source(source))
    write_tsv(output, rows)
    print(f"wrote {output}: {len(rows)} organisations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
