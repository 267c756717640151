"""Evidence on a table row: the appendix names the row, and a file whose row has since been
deleted is listed as such and cited by no finding (D13). Read back from the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from exporters.board_report import gather, write_board_report
from exporters.evidence_appendix import ROW_DELETED, finding_references
from exporters.report_options import ReportOptions
from models import evidence
from models.store import Store


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


def test_row_evidence_names_its_row_and_a_deleted_row_is_not_cited(
    demo: Store, tmp_path: Path
) -> None:
    audit_id = next(a.id for a in demo.audits() if a.status == "draft")
    rows = demo.rows(audit_id, "senior_roles")
    assert len(rows) >= 2
    second = rows[1]
    post = second.cells["post_ref"]
    source = tmp_path / "CIO contract.pdf"
    source.write_bytes(b"%PDF-1.4 contract " * 64)
    kept = evidence.attach(demo, audit_id, "senior_roles", source, row_id=second.id)

    data = gather(demo, audit_id, ReportOptions())
    assert data.evidence_places == {kept.id: f"role 2 ({post})"}
    citing = [
        f for f in data.findings if finding_references(f, data.evidence, data.figures.questionnaire)
    ]
    assert citing, "a finding rests on the senior roles"
    out = tmp_path / "before.pdf"
    write_board_report(demo, audit_id, out)
    text = _text(out)
    assert f"role 2 ({post})" in text
    assert "(evidence E1" in text

    demo.delete_rows(audit_id, "senior_roles", [second.id])
    data = gather(demo, audit_id, ReportOptions())
    assert data.evidence_places == {kept.id: None}
    for finding in data.findings:
        places = data.evidence_places
        assert finding_references(finding, data.evidence, data.figures.questionnaire, places) == []
    out = tmp_path / "after.pdf"
    write_board_report(demo, audit_id, out)
    text = _text(out)
    assert re.search(r"Appendix [A-Z]: Evidence", text)  # still kept with the audit
    assert "CIO contract.pdf" in text
    assert ROW_DELETED.replace(" ", "") in text.replace(" ", "")  # the table may wrap it
    assert "(evidence E" not in text
