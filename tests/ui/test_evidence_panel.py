"""The evidence list under a question: drop, attach, open (a byte-identical private copy),
remove and undo, refused files named, nothing attachable once signed off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from models import evidence
from ui.audit_session import AuditSession
from ui.form_view import QuestionBlock

PDF = b"%PDF-1.6 organogram " * 300


def _block(qtbot, session: AuditSession, question_id: str = "digital_leader_post") -> QuestionBlock:
    block = QuestionBlock(session.questionnaire.question(question_id), session)
    qtbot.addWidget(block)
    block.show()
    return block


def _drop(block: QuestionBlock, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    # Qt delivers a drop only during a real drag, which offscreen has none of: hand the
    # event to the filter the question's frame sends its drops through.
    assert block.evidence.eventFilter(block, event) is True


def test_drop_lists_opens_removes_and_undo_puts_back(
    qtbot, session: AuditSession, tmp_path: Path
) -> None:
    source = tmp_path / "Organogram 2013.pdf"
    source.write_bytes(PDF)
    session.store.actor = "ann"
    block = _block(qtbot, session)
    panel = block.evidence
    assert panel.list is None  # made only when there is something to list
    _drop(block, [source])
    view = panel.list
    assert view is not None and view.topLevelItemCount() == 1
    item = view.topLevelItem(0)
    assert [item.text(c) for c in (0, 1, 3)] == ["Organogram 2013.pdf", "6 KB", "ann"]
    opened: list[QUrl] = []
    panel.opener = opened.append
    copy = panel.open_item(item)
    assert copy is not None and copy.read_bytes() == PDF
    assert opened == [QUrl.fromLocalFile(str(copy))]
    panel.remove_item(item)
    assert view.topLevelItemCount() == 0 and view.isHidden()
    session.undo_stack.undo()  # puts the file back
    assert [e.name for e in evidence.listed(session.store, session.audit.id)] == [source.name]
    assert view.topLevelItemCount() == 1
    session.undo_stack.undo()  # undoes the attaching
    assert evidence.listed(session.store, session.audit.id) == []
    session.undo_stack.redo()
    assert view.topLevelItemCount() == 1


def test_attach_evidence_menu_action_and_refusals_named(
    qtbot, session: AuditSession, tmp_path: Path
) -> None:
    good, bad = tmp_path / "minutes.pdf", tmp_path / "tool.exe"
    good.write_bytes(PDF)
    bad.write_bytes(PDF)
    block = _block(qtbot, session)
    block.evidence.chooser = lambda: [str(bad), str(good)]
    block.evidence.attach_button.click()
    view = block.evidence.list
    assert view is not None and view.topLevelItemCount() == 1
    assert "tool.exe cannot be kept as evidence" in block.evidence.message.text()
    assert block.evidence.message.isVisible()


def test_a_changed_file_is_not_opened(qtbot, session: AuditSession, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(PDF)
    kept = evidence.attach(session.store, session.audit.id, "digital_leader_post", source)
    blob = evidence.blob_path(evidence.evidence_folder(session.store.path), kept.sha256)
    blob.chmod(0o644)
    blob.write_bytes(b"%PDF altered")
    block = _block(qtbot, session)
    opened: list[QUrl] = []
    block.evidence.opener = opened.append
    view = block.evidence.list
    assert view is not None
    assert block.evidence.open_item(view.topLevelItem(0)) is None
    assert opened == [] and "has changed since it was attached" in block.evidence.message.text()


def test_signed_off_offers_no_attaching(qtbot, session: AuditSession, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(PDF)
    session.set_audit(session.store.set_status(session.audit.id, "signed_off"))
    block = _block(qtbot, session)
    assert block.evidence.attach_button.isHidden()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    assert block.evidence.eventFilter(block, event) is False  # not taken: nothing attached
    assert evidence.listed(session.store, session.audit.id) == []


def test_a_file_dropped_on_a_table_row_is_that_rows(
    qtbot, session: AuditSession, tmp_path: Path
) -> None:
    source = tmp_path / "Contract schedule.pdf"
    source.write_bytes(PDF)
    block = _block(qtbot, session, "workforce_mix")
    assert block.table is not None
    view = block.table.view
    second = view.visualRect(view.model().index(1, 0)).center()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(
        QPointF(second), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    assert block.evidence.eventFilter(view.viewport(), event) is True
    (kept,) = evidence.listed(session.store, session.audit.id, "workforce_mix")
    assert kept.row_id == session.store.rows(session.audit.id, "workforce_mix")[1].id
    listed = block.evidence.list
    assert listed is not None and listed.topLevelItem(0).text(0) == f"{source.name} (row 2)"
