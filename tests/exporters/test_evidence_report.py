"""The board report lists the evidence each section cites (name, date, SHA-256) in an
appendix, and a finding cites the files on the answers it rests on; read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from exporters.board_report import gather, write_board_report
from exporters.evidence_appendix import _questions_behind, appendix_rows
from exporters.report_options import ReportOptions
from models import evidence
from models.store import Store


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


def _draft(demo: Store) -> str:
    return next(a.id for a in demo.audits() if a.status == "draft")


def test_appendix_lists_evidence_and_findings_cite_it(demo: Store, tmp_path: Path) -> None:
    audit_id = _draft(demo)
    data = gather(demo, audit_id, ReportOptions())
    q = data.figures.questionnaire
    cited = next(f for f in data.findings if any(_questions_behind(r, q) for r in f.refs))
    question = sorted(set().union(*(_questions_behind(r, q) for r in cited.refs)))[0]
    source = tmp_path / "Board minutes 2013-03.pdf"
    source.write_bytes(b"%PDF-1.4 minutes " * 64)
    kept = evidence.attach(demo, audit_id, question, source)
    unrelated = evidence.attach(demo, audit_id, "digital_leader_post", source)
    out = tmp_path / "report.pdf"
    write_board_report(demo, audit_id, out)
    text = _text(out)
    assert re.search(r"Appendix [A-Z]: Evidence", text)
    assert "Board minutes 2013-03.pdf" in text and kept.added_on in text
    for group in appendix_rows([kept], q)[0].sha256_text.split():
        assert group in text  # the whole SHA-256, in groups of sixteen
    rows = appendix_rows([kept, unrelated], q)
    ref = next(r.ref for r in rows if r.question == q.question(question).label)
    first_words = " ".join(cited.text.split()[:6])
    at = text.index(first_words)
    assert f"(evidence {ref}" in text[at : at + len(cited.text) + 60]


def test_no_evidence_no_appendix_and_removed_files_are_not_cited(
    demo: Store, tmp_path: Path
) -> None:
    audit_id = _draft(demo)
    source = tmp_path / "strategy.pdf"
    source.write_bytes(b"%PDF-1.4 s " * 64)
    kept = evidence.attach(demo, audit_id, "digital_leader_post", source)
    evidence.remove(demo, kept.id)
    out = tmp_path / "report.pdf"
    write_board_report(demo, audit_id, out)
    text = _text(out)
    assert "Evidence" not in re.findall(r"Appendix [A-Z]: (\w+)", text)
    assert "strategy.pdf" not in text and "(evidence E" not in text


def test_redacted_report_withholds_file_names(demo: Store, tmp_path: Path) -> None:
    audit_id = _draft(demo)
    source = tmp_path / "Jane Smith CV.pdf"
    source.write_bytes(b"%PDF-1.4 cv " * 64)
    evidence.attach(demo, audit_id, "digital_leader_post", source)
    out = tmp_path / "report.pdf"
    write_board_report(demo, audit_id, out, ReportOptions(redact_names=True))
    text = _text(out)
    assert "Jane Smith" not in text and "(name withheld)" in text
