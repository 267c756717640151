"""What an import did with every source row, for the screen, the terminal and a CSV file."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

# A cell a spreadsheet would read as a formula starts with one of these (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

IMPORTED = "imported"
SKIPPED = "skipped"
PROBLEM = "problem"


@dataclass(frozen=True, slots=True)  # no __dict__: an import makes one per row
class ReportLine:
    """One source row's fate (or one of its values' problems)."""

    source_row: int | None  # 1-based, as the spreadsheet shows it
    outcome: str  # IMPORTED, SKIPPED or PROBLEM
    audit: str  # "Department for Work and Pensions, 2025" or "" when it went nowhere
    detail: str  # why it was skipped, or what was wrong with a value


@dataclass
class ImportReport:
    """Rows imported, rows skipped and why, values left blank and why."""

    file_name: str
    checksum: str
    layout: str
    sheet: str
    table: str
    dry_run: bool = True
    imported: int = 0
    skipped: int = 0
    per_audit: dict[str, int] = field(default_factory=dict)
    lines: list[ReportLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Never silently partial: each source column left out and why; why the import is
    # refused as it stands; the file's own totals checked; a confirmation it needs.
    columns: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    confirm: str = ""
    confirmed: bool = False

    @property
    def blocked(self) -> str:
        """Why nothing may be written as things stand, or '' when the import may go ahead."""
        if self.refused:
            return "Refused: " + "; ".join(self.refused)
        if self.confirm and not self.confirmed:
            return f"Needs your confirmation: {self.confirm}."
        return ""

    def add(self, line: ReportLine) -> None:
        self.lines.append(line)
        if line.outcome == IMPORTED:
            self.imported += 1
            self.per_audit[line.audit] = self.per_audit.get(line.audit, 0) + 1
        elif line.outcome == SKIPPED:
            self.skipped += 1

    @property
    def problems(self) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == PROBLEM]

    def skipped_reasons(self) -> Counter[str]:
        """How many rows were skipped for each reason."""
        return Counter(line.detail for line in self.lines if line.outcome == SKIPPED)

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        audits = len(self.per_audit)
        text = (
            f"{verb} {self.imported:,} row{'s' if self.imported != 1 else ''} from "
            f"{self.file_name} into {audits} audit{'s' if audits != 1 else ''}"
        )
        if self.skipped:
            text += f"; {self.skipped:,} row{'s' if self.skipped != 1 else ''} left out"
        problems = len(self.problems)
        if problems:
            text += f"; {problems:,} value{'s' if problems != 1 else ''} left blank"
        return text + "."

    def to_text(self, *, limit: int | None = 200) -> str:
        """The report as a terminal shows it: summary, per audit, reasons, then rows."""
        out = [self.summary(), f"File: {self.file_name} (sha256 {self.checksum})"]
        out.append(f"Read as: {self.layout}" + (f", sheet {self.sheet!r}" if self.sheet else ""))
        out.append(f"Into: {self.table}")
        for audit, count in sorted(self.per_audit.items()):
            out.append(f"  {audit}: {count:,} row{'s' if count != 1 else ''}")
        reasons = self.skipped_reasons()
        if reasons:
            out.append("Left out:")
            for reason, count in reasons.most_common():
                out.append(f"  {count:,} × {reason}")
        for note in self.notes:
            out.append(f"Note: {note}")
        if self.checks:
            out.append("Checked against the file's own totals: " + self.checks[0])
            out.extend(self.checks[1:])
        if self.columns:
            out.append(f"Columns not imported ({len(self.columns)}):")
            out.extend(f"  {column}" for column in self.columns)
        for refusal in self.refused:
            out.append(f"Refused: {refusal}")
        if self.confirm:
            state = "confirmed" if self.confirmed else "NOT confirmed"
            out.append(f"Whole-department figures ({state}): {self.confirm}")
        detail = [line for line in self.lines if line.outcome != IMPORTED]
        if detail:
            out.append("Rows left out and values left blank:")
            shown = detail if limit is None else detail[:limit]
            for line in shown:
                where = f"row {line.source_row}" if line.source_row else "file"
                out.append(f"  {where}: {line.outcome}: {line.detail}")
            if len(shown) < len(detail):
                out.append(f"  … and {len(detail) - len(shown):,} more (export the report for all)")
        return "\n".join(out)

    def write_csv(self, path: Path, temp: Path | None = None) -> None:
        """Every line of the report, one per row, for a spreadsheet.

        Written to `temp` (one claimed beforehand with claim_report_file, else a new one
        beside `path`) and renamed over `path` only when whole. Text that a spreadsheet
        would run as a formula (a file named "=HYPERLINK(...).csv") is written as text.
        """
        from models.filesystem import temporary_beside

        path = Path(path)
        temp = temp or temporary_beside(path)
        try:
            with temp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                row = writer.writerow
                row(_safe(["File", self.file_name, "SHA-256", self.checksum]))
                row(_safe(["Read as", self.layout, "Sheet", self.sheet, "Into", self.table]))
                row(_safe(["Summary", self.summary()]))
                for note in self.notes:
                    row(_safe(["Note", note]))
                for check in self.checks:
                    row(_safe(["Totals check", check.strip()]))
                for column in self.columns:
                    row(_safe(["Column not imported", column]))
                for refusal in self.refused:
                    row(_safe(["Refused", refusal]))
                if self.confirm:
                    confirmed = "confirmed" if self.confirmed else "not confirmed"
                    row(_safe(["Whole department", self.confirm, confirmed]))
                row([])
                row(["Source row", "Outcome", "Audit", "Detail"])
                for line in self.lines:
                    row(_safe([line.source_row or "", line.outcome, line.audit, line.detail]))
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ImportReport:
        data = json.loads(text)
        lines = [ReportLine(**line) for line in data.pop("lines", [])]
        report = cls(**data)
        report.lines = lines
        return report


def csv_text(value: object) -> object:
    """A CSV cell that no spreadsheet runs: formula-looking text gets a leading apostrophe,
    as Excel itself shows text typed that way; numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(values: list[object]) -> list[object]:
    return [csv_text(v) for v in values]


def claim_report_file(path: Path) -> Path:
    """Before an import commits: make the report's temporary file beside `path`, so a
    folder that cannot be written is found while nothing has been written yet (OSError)."""
    from models.filesystem import temporary_beside

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "it is a folder, not a file name", str(path))
    return temporary_beside(path)
