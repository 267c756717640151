"""The Word board report and summary say what the PDFs say (python-docx and pypdf read back).

Every heading, paragraph and table cell of the .docx must appear in the PDF of the same
audit, in the same order; both have the same figures (one image per chart, same captions);
every header and footer of every section carries the protective marking and, for an audit
not signed off, the draft line; the document properties are set; Word styles carry the look.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, Phase, given, settings

from exporters.board_report import write_board_report
from exporters.report_options import ReportOptions
from exporters.summary_report import write_summary_report
from models.questionnaire import Questionnaire
from models.store import Store
from tests.exporters.test_board_report import ISSUED, prior_and_sample
from tests.exporters.test_figures_agree import AUDITS, RandomAudit, _store_audit

_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def docx_items(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of every non-empty heading, paragraph and table cell, in reading order."""
    document: DocxDocument = docx.Document(str(path))
    items: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                kind = "heading" if block.style.name.startswith("Heading") else "text"
                items.append((kind, block.text))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell.text.strip():
                        items.append(("cell", cell.text))
    return items


def pdf_stream(path: Path, issued: date) -> str:
    """The PDF's text without the page furniture, whitespace removed."""
    from models.formatting import format_date

    end = f"Issued {format_date(issued)}"
    pages = []
    for page in pypdf.PdfReader(path).pages:
        text = page.extract_text()
        at = text.find(end)  # the furniture is drawn first on every page
        pages.append(text[at + len(end) :] if at >= 0 else text)
    return _flat("".join(pages))


def assert_same_content(docx_path: Path, pdf_path: Path, issued: date) -> None:
    stream = pdf_stream(pdf_path, issued)
    at = 0
    for kind, text in docx_items(docx_path):
        number = re.match(r"(\d+\.)\t", text)
        wanted = _flat(text[number.end() :] if number else text)
        if number:  # pypdf may read a list item's number where it is drawn, not first
            bullet = f"(?:{re.escape(number.group(1))})?"
            match = re.compile(bullet.join(map(re.escape, wanted))).search(stream, at)
            found, end = (match.start(), match.end()) if match else (-1, 0)
        else:
            found = stream.find(wanted, at)
            end = found + len(wanted)
        if found < 0:  # say where the two part
            common = max(n for n in range(len(wanted) + 1) if stream.find(wanted[:n], at) >= 0)
            place = stream.find(wanted[:common], at) + common
            raise AssertionError(
                f"{kind} {text!r}: the PDF has {stream[place - 40 : place + 40]!r} after "
                f"{wanted[:common]!r}; the item before ended at {stream[at - 60 : at]!r}"
            )
        at = end
    document = docx.Document(str(docx_path))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(document.inline_shapes)
    for number, caption in enumerate(captions, 1):
        assert caption.startswith(f"Figure {number}")
        assert _flat(caption) in stream


def furniture_texts(path: Path) -> list[str]:
    """The text of every header and footer of every section (first-page ones included)."""
    document = docx.Document(str(path))
    texts = []
    for section in document.sections:
        parts: list[Any] = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        for part in parts:
            assert not part.is_linked_to_previous
            texts.append("\n".join(p.text for p in part.paragraphs))
    return texts


@pytest.fixture
def sample(store: Store, questionnaire: Questionnaire, tmp_path: Path) -> tuple[Store, str]:
    _prior, current = prior_and_sample(store, questionnaire)
    return store, current.id


def test_board_report_docx_says_what_the_pdf_says(
    sample: tuple[Store, str], tmp_path: Path
) -> None:
    store, audit_id = sample
    options = ReportOptions("OFFICIAL-SENSITIVE")
    pdf = write_board_report(store, audit_id, tmp_path / "board.pdf", options, issued=ISSUED)
    word = write_board_report(store, audit_id, tmp_path / "board.docx", options, issued=ISSUED)
    assert word.path.suffix == ".docx" and pdf.pages > 1
    assert_same_content(word.path, pdf.path, ISSUED)
    items = docx_items(word.path)
    headings = [t for k, t in items if k == "heading"]
    for title in ("Executive summary", "Recommendations", "The picture in charts"):
        assert title in headings
    assert any(t.startswith("Appendix A: ") for t in headings)
    document = docx.Document(str(word.path))
    assert len(document.inline_shapes) >= 3  # the charts, as pictures
    texts = furniture_texts(word.path)
    assert len(texts) >= 4  # cover header/footer, body header/footer, landscape sections
    for text in texts:
        assert "OFFICIAL-SENSITIVE" in text
        assert "DRAFT" in text  # the sample audit is not signed off
    props = document.core_properties
    assert props.title.endswith("technology capability board report, 2014 review")
    assert props.category == "OFFICIAL-SENSITIVE"
    assert props.language == "en-GB"
    assert props.author and props.subject and "board report" in props.keywords
    # landscape sections for the appendices
    assert any(s.page_width > s.page_height for s in document.sections)


def test_docx_is_built_on_word_styles(sample: tuple[Store, str], tmp_path: Path) -> None:
    store, audit_id = sample
    out = write_board_report(store, audit_id, tmp_path / "board.docx", issued=ISSUED).path
    document = docx.Document(str(out))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Caption"} <= used
    assert {t.style.name for t in document.tables} == {"Baseline Table"}
    # the header row repeats on every page of a long table
    first = document.tables[1].rows[0]._tr
    assert first.trPr is not None and first.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None


def test_signed_off_report_has_marking_but_no_draft_line(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    store.set_status(current.id, "submitted")
    store.set_status(current.id, "reviewed")
    store.set_status(current.id, "signed_off")
    out = write_board_report(store, current.id, tmp_path / "b.docx", issued=ISSUED).path
    for text in furniture_texts(out):
        assert "OFFICIAL" in text and "DRAFT" not in text
    assert docx.Document(str(out)).core_properties.content_status == "Signed off"


def test_summary_report_docx_says_what_the_pdf_says(demo: Store, tmp_path: Path) -> None:
    cycle = demo.audits()[-1].cycle
    pdf = write_summary_report(demo, cycle, tmp_path / "s.pdf", issued=ISSUED)
    word = write_summary_report(demo, cycle, tmp_path / "s.docx", issued=ISSUED)
    assert_same_content(word.path, pdf.path, ISSUED)
    headings = [t for k, t in docx_items(word.path) if k == "heading"]
    assert "Maturity by department and section" in headings
    for text in furniture_texts(word.path):
        assert "OFFICIAL" in text


def test_typed_markup_and_control_characters_are_plain_text(
    store: Store, questionnaire: Questionnaire, tmp_path: Path
) -> None:
    _prior, current = prior_and_sample(store, questionnaire)
    question = next(q for q in questionnaire.questions() if q.type == "long_text")
    typed = 'Board <b>minutes</b> & "papers"\x01\x0b line\ntwo'
    store.set_answer(current.id, question.id, typed)
    out = write_board_report(store, current.id, tmp_path / "b.docx", issued=ISSUED).path
    texts = [t for _, t in docx_items(out)]
    assert 'Board <b>minutes</b> & "papers"   line\ntwo' in texts


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(audit=AUDITS)
def test_random_audits_docx_and_pdf_agree(audit: RandomAudit) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with Store(tmp / "workspace.sqlite") as store:
            audit_id = _store_audit(store, audit)
            pdf = write_board_report(store, audit_id, tmp / "r.pdf", issued=ISSUED)
            word = write_board_report(store, audit_id, tmp / "r.docx", issued=ISSUED)
        assert_same_content(word.path, pdf.path, ISSUED)
        for text in furniture_texts(word.path):
            assert "OFFICIAL" in text


def test_cli_writes_word_reports(demo_file: Path, tmp_path: Path, capsys: Any) -> None:
    from desktop.cli import main
    from tests.exporters import demo_copy

    workspace = demo_copy(demo_file, tmp_path / "audits.sqlite")
    out = tmp_path / "DWP board.docx"
    args = ["report", "--db", str(workspace), "--department", "DWP", "--cycle", "2014 review"]
    assert main([*args, "--out", str(out), "--marking", "OFFICIAL-SENSITIVE"]) == 0
    assert f"Wrote a Word document to {out}" in capsys.readouterr().out
    document = docx.Document(str(out))
    assert "Executive summary" in [p.text for p in document.paragraphs]
    assert all("OFFICIAL-SENSITIVE" in t for t in furniture_texts(out))
    summary = tmp_path / "summary.docx"
    cycle = ["--cycle", "2014 review", "--out", str(summary)]
    assert main(["summary-report", "--db", str(workspace), *cycle]) == 0
    assert docx.Document(str(summary)).core_properties.title.endswith("2014 review")


def test_evidence_appendix_and_citations_are_in_the_word_report(
    demo: Store, tmp_path: Path
) -> None:
    from models import evidence

    audit_id = next(a.id for a in demo.audits() if a.status == "draft")
    source = tmp_path / "Board minutes 2013-03.pdf"
    source.write_bytes(b"%PDF-1.4 minutes " * 64)
    evidence.attach(demo, audit_id, "digital_leader_post", source)
    pdf = write_board_report(demo, audit_id, tmp_path / "r.pdf", issued=ISSUED)
    word = write_board_report(demo, audit_id, tmp_path / "r.docx", issued=ISSUED)
    assert_same_content(word.path, pdf.path, ISSUED)
    items = docx_items(word.path)
    assert any(k == "heading" and re.fullmatch(r"Appendix [A-Z]: Evidence", t) for k, t in items)
    assert ("cell", "Board minutes 2013-03.pdf") in items
