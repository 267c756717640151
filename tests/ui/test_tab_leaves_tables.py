"""Tab moves on from a read-only list to the dialog's buttons, as in a form: the audit
history, a workbook's import preview and the backups list each went round their own cells
(a keyboard user reached no button past them but by Ctrl+Tab, which few know)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from exporters.audit_workbook import export_audits
from importers.own_workbook import read_own_workbook
from importers.workbook_import import plan_import
from models.backups import Backup
from models.questionnaire import current_questionnaire
from models.store import Store
from ui.backup_dialogs import RestoreDialog
from ui.history_dialog import HistoryDialog, HistoryLine
from ui.import_preview import ImportPreviewDialog


def tab_leaves(qtbot, dialog: QDialog, table: QAbstractItemView) -> list[QWidget]:
    """Focus the table, press Tab a few times: the widgets reached."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    reached = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    return reached


def test_tab_leaves_the_history_list(qtbot) -> None:
    lines = [
        HistoryLine(f"7 Dec 2026 10:0{i}", "A. Auditor", "An answer", "1", "2", "", "form")
        for i in range(3)
    ]
    dialog = HistoryDialog("Audit history", "Department, 2014 review", lines)
    qtbot.addWidget(dialog)
    reached = tab_leaves(qtbot, dialog, dialog.table)
    assert any(w is not dialog.table for w in reached), "Tab stays in the list"


def test_tab_leaves_the_backups_list(qtbot, tmp_path: Path) -> None:
    backups = []
    for i in range(3):
        path = tmp_path / f"b{i}.sqlite"
        path.write_bytes(b"")
        backups.append(Backup(path, datetime(2026, 12, 7, 10, i, tzinfo=UTC), "timed", 0))
    dialog = RestoreDialog(tmp_path / "w.sqlite", backups)
    qtbot.addWidget(dialog)
    reached = tab_leaves(qtbot, dialog, dialog.table)
    assert any(w is not dialog.table for w in reached), "Tab stays in the list"


def test_tab_leaves_the_workbook_preview_tables(qtbot, tmp_path: Path) -> None:
    with Store(tmp_path / "w.sqlite") as store:
        dept = store.add_department("Department for Transport", "DfT")
        audit = store.create_audit(dept.id, "2014 review", current_questionnaire())
        store.set_answer(audit.id, "digital_leader_post", "CDO")
        store.set_answer(audit.id, "board_tech_expert_count", 2)
        export_audits(store, [audit.id], tmp_path / "a.xlsx")
        store.set_answer(audit.id, "digital_leader_post", "CIO")
        store.set_answer(audit.id, "board_tech_expert_count", 3)
        plan = plan_import(store, read_own_workbook(tmp_path / "a.xlsx"))
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    tables = dialog.findChildren(QAbstractItemView)
    assert tables
    for table in tables:
        if table.isVisibleTo(dialog) and table.model().rowCount() > 1:
            reached = tab_leaves(qtbot, dialog, table)
            assert any(w is not table for w in reached), f"Tab stays in {table.accessibleName()}"
