"""File ▸ Export audit package and Import audit package, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.main_window import MainWindow
from models.audit_package import read_package, write_package
from models.merge import apply_merge
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.ui.conftest import DialogScript
from tests.ui.test_workbook_ui import menu_action, script_chooser
from ui.package_actions import ExportPackageDialog, MergeDialog, actions

POST = "digital_leader_post"


def add_audits(window: MainWindow) -> tuple[str, str]:
    store, q = window.store, current_questionnaire()
    dept = store.add_department("Department for Transport", "DfT")
    first = store.create_audit(dept.id, "2013 baseline", q).id
    second = store.create_audit(dept.id, "2014 review", q).id
    store.set_answer(first, POST, "Chief Digital Officer")
    store.insert_rows(first, "senior_roles", 0, [{"job_title": "CIO"}])
    window.refresh_navigator()
    return first, second


def state(store: Store) -> tuple[object, ...]:
    return (
        sorted((a.id, store.content_hash(a.id), a.status) for a in store.audits()),
        store.conn.execute("SELECT count(*) FROM history").fetchone()[0],
        store.conn.execute("SELECT count(*) FROM absorbed_changes").fetchone()[0],
    )


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent: object, _title: str, text: str, *args: object, **kwargs: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def wait_for_read(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: actions(window).task is None, timeout=5000)


def test_export_defaults_to_the_open_audit_and_can_take_all(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    first, second = add_audits(window)
    window.open_audit(first)
    target = tmp_path / "dft.baseline-package"
    asked = script_chooser(window, target)

    def pick(dialog: ExportPackageDialog) -> bool:
        assert dialog.chosen() == [first]  # the open audit, by default
        dialog.none_button.click()
        assert not dialog.export_button.isEnabled()
        dialog.all_button.click()
        assert dialog.count.text() == "2 audits chosen"
        return True

    dialogs.then(pick)  # type: ignore[arg-type]
    menu_action(window, "File", "Export audit package…").trigger()
    assert asked and asked[0][1] is True
    package = read_package(target)
    assert sorted(a.audit.id for a in package.audits) == sorted([first, second])
    assert "Wrote 2 audit(s)" in window.statusBar().currentMessage()


def test_import_shows_a_conflict_side_by_side_and_merges_the_choice(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path, errors: list[str]
) -> None:
    first, _ = add_audits(window)
    window.store.actor = "me"
    # Another auditor's workspace takes the audits, then both sides edit.
    write_package(window.store, tmp_path / "out.baseline-package", [first])
    with Store(tmp_path / "other.sqlite") as other:
        other.actor = "Ann Other"
        apply_merge(other, read_package(tmp_path / "out.baseline-package"))
        other.set_answer(first, POST, "Director of Digital (Ann)")
        other.set_answer(first, "board_tech_expert_count", 3)
        write_package(other, tmp_path / "back.baseline-package", [first])
    window.store.set_answer(first, POST, "CDIO (mine)")
    window.open_audit(first)
    script_chooser(window, tmp_path / "back.baseline-package")

    def choose(dialog: MergeDialog) -> bool:
        assert dialog.table is not None and dialog.table.rowCount() == 1
        row = [dialog.table.item(0, c).text() for c in range(4)]
        assert row[1] == current_questionnaire().question(POST).label
        assert row[2].startswith("CDIO (mine)") and "me" in row[2]
        assert row[3].startswith("Director of Digital (Ann)") and "Ann Other" in row[3]
        assert not dialog.merge_button.isEnabled()  # undecided: Merge waits
        [key] = dialog.combos
        dialog.choose(key, "theirs")
        assert dialog.merge_button.isEnabled()
        return True

    dialogs.then(choose)  # type: ignore[arg-type]
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert errors == []
    assert window.store.answers(first)[POST] == "Director of Digital (Ann)"
    assert window.store.answers(first)["board_tech_expert_count"] == 3
    assert window.session is not None and window.session.audit.id == first  # reopened
    assert "1 updated" in window.statusBar().currentMessage()


def test_conflicts_show_values_as_the_form_does(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path, errors: list[str]
) -> None:
    """Money read "240000000.0" against "250000000.0", a choice by its stored code: the
    one screen where the auditor must pick printed values the form never shows."""
    first, _ = add_audits(window)
    window.store.actor = "me"
    role = window.store.rows(first, "senior_roles")[0].id
    write_package(window.store, tmp_path / "out.baseline-package", [first])
    with Store(tmp_path / "other.sqlite") as other:
        other.actor = "Ann Other"
        apply_merge(other, read_package(tmp_path / "out.baseline-package"))
        other.set_answer(first, "total_tech_spend", 250000000.0)
        other.set_cells(first, [(role, "pay_floor", 98000.0), (role, "role_type", "cto")])
        write_package(other, tmp_path / "back.baseline-package", [first])
    window.store.set_answer(first, "total_tech_spend", 240000000.0)
    window.store.set_cells(first, [(role, "pay_floor", 96500.5), (role, "role_type", "cio")])
    script_chooser(window, tmp_path / "back.baseline-package")
    seen: list[list[str]] = []

    def read(dialog: MergeDialog) -> bool:
        assert dialog.table is not None
        for r in range(dialog.table.rowCount()):
            seen.append([dialog.table.item(r, c).text() for c in range(4)])
        return False

    dialogs.then(read)  # type: ignore[arg-type]
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert errors == []
    money = next(row for row in seen if row[1].startswith("What was the department's total"))
    assert money[2].startswith("£240,000,000.00\n— me")
    assert money[3].startswith("£250,000,000.00\n— Ann Other")
    row = next(row for row in seen if row[1].startswith("Row"))
    assert "£96,500.50" in row[2] and "£98,000.00" in row[3]
    assert "Chief Information Officer" in row[2] and "Chief Technology Officer" in row[3]
    shown = " ".join(text for r in seen for text in r[2:])
    assert "240000000" not in shown and "98000.0" not in shown and "cto" not in shown


def test_cancel_leaves_the_workspace_unchanged(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path, errors: list[str]
) -> None:
    first, _ = add_audits(window)
    write_package(window.store, tmp_path / "out.baseline-package", [first])
    with Store(tmp_path / "other.sqlite") as other:
        apply_merge(other, read_package(tmp_path / "out.baseline-package"))
        other.set_answer(first, POST, "theirs")
        write_package(other, tmp_path / "back.baseline-package", [first])
    window.store.set_answer(first, POST, "mine")
    before = state(window.store)
    script_chooser(window, tmp_path / "back.baseline-package")

    def take_all_then_cancel(dialog: MergeDialog) -> bool:
        dialog.all_theirs.click()
        assert dialog.merge_button.isEnabled()
        return False

    dialogs.then(take_all_then_cancel)  # type: ignore[arg-type]
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert state(window.store) == before
    assert "nothing was changed" in window.statusBar().currentMessage()


def test_a_damaged_package_is_refused_with_a_message(
    qtbot, window: MainWindow, tmp_path: Path, errors: list[str]
) -> None:
    first, _ = add_audits(window)
    path = tmp_path / "broken.baseline-package"
    write_package(window.store, path, [first])
    path.write_bytes(path.read_bytes()[:100])
    before = state(window.store)
    script_chooser(window, path)
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert len(errors) == 1 and "damaged or incomplete" in errors[0]
    assert state(window.store) == before
