"""The board report's evidence: an appendix of the files each section cites (name, date,
SHA-256) and the references findings make to the files their answers rest on.

`appendix_rows` and `finding_references` are the content, for any renderer (PDF here, DOCX
when the report content model has it); `evidence_appendix` lays the rows out for the PDF.
Each file is numbered E1, E2, … in questionnaire order, so a finding's "(evidence E2)"
points at one row, and the SHA-256 lets a reader check the file they hold is the one cited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from exporters.pdf_document import WIDE_FRAME_WIDTH, Styles, para
from exporters.pdf_tables import Column, RowsTable
from exporters.report_blocks import heading
from models.evidence import Evidence
from models.findings import Finding
from models.questionnaire import Questionnaire
from models.store import Store
from models.validation import format_value
from models.values import is_empty

WITHHELD = "(name withheld)"
ROW_DELETED = "its row has since been deleted: not cited"
# Where each row-level file is: evidence id → 'role 2 (DIG-02)', or None when the row is gone.
Places = Mapping[str, str | None]


@dataclass(frozen=True)
class EvidenceRow:
    """One cited file as the appendix lists it."""

    ref: str  # "E1"
    section: str
    question: str
    name: str
    added: str  # "7 December 2026"
    sha256: str
    row: str = ""  # the table row the file is attached to: 'role 2 (DIG-02)', or ROW_DELETED

    @property
    def question_text(self) -> str:
        """The question, and the row when the file is attached to one."""
        return f"{self.question} — {self.row}" if self.row else self.question

    @property
    def sha256_text(self) -> str:
        """The hash in four groups of sixteen, so a narrow column wraps it cleanly."""
        return " ".join(self.sha256[i : i + 16] for i in range(0, len(self.sha256), 16))


def _ranked(items: Sequence[Evidence], questionnaire: Questionnaire) -> list[Evidence]:
    """Questionnaire order (section, question), then as added; unknown questions last."""
    order = {q.id: n for n, q in enumerate(questionnaire.questions())}
    return sorted(items, key=lambda e: (order.get(e.question_id, len(order)), e.added_at, e.id))


def row_places(
    store: Store, audit_id: str, items: Sequence[Evidence], questionnaire: Questionnaire
) -> dict[str, str | None]:
    """Where each file attached to a table row is, as the appendix names it; None for a
    file whose row has been deleted since (kept with the audit, but evidence of nothing)."""
    places: dict[str, str | None] = {}
    tables: dict[str, list[tuple[str | None, dict[str, object]]]] = {}
    for item in items:
        if item.row_id is None:
            continue
        if item.question_id not in tables:
            found = store.rows(audit_id, item.question_id)
            tables[item.question_id] = [(r.id, r.cells) for r in found]
        rows = tables[item.question_id]
        number = next((n for n, (rid, _) in enumerate(rows, 1) if rid == item.row_id), None)
        places[item.id] = (
            None
            if number is None
            else _row_name(questionnaire, item.question_id, number, rows[number - 1][1])
        )
    return places


def _row_name(
    questionnaire: Questionnaire, table_id: str, number: int, cells: Mapping[str, object]
) -> str:
    """'role 2 (DIG-02)': the row's number and its first cell (post reference, supplier…)."""
    if not questionnaire.has_question(table_id) or not questionnaire.question(table_id).columns:
        return f"row {number}"
    table = questionnaire.question(table_id)
    first = table.columns[0]
    value = cells.get(first.id)
    shown = "" if is_empty(value) else format_value(first, value)
    return f"{table.row_label or 'row'} {number}" + (f" ({shown})" if shown else "")


def _gone(item: Evidence, places: Places) -> bool:
    """A file attached to a row that no longer exists: not evidence for any figure."""
    return item.row_id is not None and item.id in places and places[item.id] is None


def appendix_rows(
    items: Sequence[Evidence],
    questionnaire: Questionnaire,
    *,
    redact_names: bool = False,
    places: Places | None = None,
) -> list[EvidenceRow]:
    """The audit's evidence in questionnaire order, numbered E1…, each with its row if any."""
    places = places or {}
    rows = []
    for n, e in enumerate(_ranked(items, questionnaire), 1):
        if questionnaire.has_question(e.question_id):
            question = questionnaire.question(e.question_id)
            section, label = questionnaire.section(question.section_id).title, question.label
        else:
            section, label = "Not in this questionnaire", e.question_id
        name = WITHHELD if redact_names else e.name
        row = ROW_DELETED if _gone(e, places) else (places.get(e.id) or "")
        rows.append(EvidenceRow(f"E{n}", section, label, name, e.added_on, e.sha256, row))
    return rows


def _questions_behind(ref: str, questionnaire: Questionnaire) -> set[str]:
    """The questions a finding's reference rests on: a section's, or an indicator's sources
    (a difference's: both shares' sources)."""
    kind, _, key = ref.partition(":")
    if kind == "section":
        try:
            return {q.id for q in questionnaire.section(key).questions}
        except KeyError:
            return set()
    if kind != "indicator":
        return set()
    by_id = {i.id: i for i in questionnaire.indicators}
    found: set[str] = set()
    pending, seen = [key], set()
    while pending:
        indicator = by_id.get(pending.pop())
        if indicator is None or indicator.id in seen:
            continue
        seen.add(indicator.id)
        found |= {source for _, source, _ in indicator.sources}
        found |= {indicator.table} if indicator.table else set()
        pending += [i for i in (indicator.of, indicator.minus) if i]
    return found


def finding_references(
    finding: Finding,
    items: Sequence[Evidence],
    questionnaire: Questionnaire,
    places: Places | None = None,
) -> list[str]:
    """The evidence numbers (E1…) of the files on the questions a finding rests on; never a
    file whose row has been deleted."""
    behind: set[str] = set()
    for ref in finding.refs:
        behind |= _questions_behind(ref, questionnaire)
    ranked = _ranked(items, questionnaire)
    places = places or {}
    return [
        f"E{n}" for n, e in enumerate(ranked, 1) if e.question_id in behind and not _gone(e, places)
    ]


def citation(
    finding: Finding,
    items: Sequence[Evidence],
    questionnaire: Questionnaire,
    places: Places | None = None,
) -> str:
    """What a finding adds when its answers have evidence: " (evidence E1, E3)", else ""."""
    refs = finding_references(finding, items, questionnaire, places)
    return f" (evidence {', '.join(refs)})" if refs else ""


def evidence_appendix(rows: Sequence[EvidenceRow], letter: str, styles: Styles) -> list[Flowable]:
    """Appendix `letter` listing every cited file, or nothing when the audit has none."""
    if not rows:
        return []
    n = len(rows)
    story: list[Flowable] = [NextPageTemplate("wide"), PageBreak()]
    story += heading(f"Appendix {letter}: Evidence", styles.h1, 0, "appendix", letter)
    story.append(
        para(
            f"{n} evidence file{'s' if n != 1 else ''} kept with this audit, by the section "
            "and question each supports. Findings cite them by number. The SHA-256 identifies "
            "each file exactly: a copy whose SHA-256 differs is not the file cited.",
            styles.body,
        )
    )
    columns = [
        Column("No.", 0.4), Column("Section", 1.2), Column("Question", 1.6), Column("File", 1.5),
        Column("Added", 0.9), Column("SHA-256", 1.5),
    ]  # fmt: skip
    table = [[r.ref, r.section, r.question_text, r.name, r.added, r.sha256_text] for r in rows]
    story.append(Spacer(1, 4))
    story.append(RowsTable(columns, table, width=WIDE_FRAME_WIDTH, max_lines=8))
    return story
