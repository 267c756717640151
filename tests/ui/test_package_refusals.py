"""Import audit package with a malformed or relabelled package: a message, never a traceback."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from desktop.main_window import MainWindow
from exporters.audit_workbook import export_audits
from models.audit_package import CONTENT, MANIFEST, read_package, write_package
from models.merge import apply_merge
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.ui.conftest import DialogScript
from tests.ui.test_package_ui import add_audits, errors, state, wait_for_read
from tests.ui.test_workbook_ui import menu_action, script_chooser
from ui.package_actions import MergeDialog

__all__ = ["errors"]  # the fixture, used by name below


def rewrite(path: Path, change: Any) -> None:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        content = json.loads(zf.read(CONTENT))
    change(content["audits"][0])
    data = json.dumps(content).encode()
    manifest["content_sha256"] = hashlib.sha256(data).hexdigest()
    manifest["content_bytes"] = len(data)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(CONTENT, data)


def test_a_malformed_package_is_refused_with_a_message_naming_the_field(
    qtbot, window: MainWindow, tmp_path: Path, errors: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = add_audits(window)
    path = tmp_path / "malformed.baseline-package"
    write_package(window.store, path, [first])
    rewrite(path, lambda item: item["department"].update(name=None))
    hooked: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: hooked.append(exc))
    before = state(window.store)
    script_chooser(window, path)
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert len(errors) == 1, errors
    assert "content.json: audits[0].department.name is null" in errors[0]
    assert hooked == [] and state(window.store) == before


def test_a_relabelled_workbook_is_refused_with_both_audits_named(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path, errors: list[str]
) -> None:
    store, form = window.store, current_questionnaire()
    dft = store.add_department("Department for Transport", "DfT")
    ho = store.add_department("Home Office", "HO")
    ours = store.create_audit(dft.id, "2013 baseline", form).id
    theirs = store.create_audit(ho.id, "2013 baseline", form).id
    store.set_answer(theirs, "digital_leader_post", "Chief Digital Officer")
    window.refresh_navigator()
    path = tmp_path / "dft.xlsx"
    export_audits(store, [ours], path)
    book = load_workbook(path)
    sheet = book["_baseline"]
    for row in sheet.iter_rows():
        if row[0].value == "audit":
            row[1].value = theirs  # the audit id, first of the audit fields
    book.save(path)
    before = state(store)
    script_chooser(window, path)
    window.import_workbook_dialog()
    qtbot.waitUntil(lambda: window.workbooks.task is None, timeout=5000)
    assert dialogs.seen == []  # no preview offering to change the other audit
    assert len(errors) == 1 and "Home Office" in errors[0]
    assert "Department for Transport" in errors[0]
    assert state(store) == before


def test_values_left_out_of_a_merge_are_shown_before_merging(
    qtbot,
    window: MainWindow,
    dialogs: DialogScript,
    tmp_path: Path,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    path = tmp_path / "dft.baseline-package"
    with Store(tmp_path / "elsewhere.sqlite") as elsewhere:
        dept = elsewhere.add_department("Department for Transport", "DfT")
        audit = elsewhere.create_audit(dept.id, "2013 baseline", current_questionnaire()).id
        elsewhere.set_answer(audit, "digital_leader_post", "CDO")
        write_package(elsewhere, path, [audit])

    def plant(item: dict[str, Any]) -> None:
        item["answers"]["board_tech_expert_count"] = float("nan")
        item["answers"]["cio_on_board"] = "<b>yes</b>"

    rewrite(path, plant)
    shown: list[str] = []

    def check(dialog: MergeDialog) -> bool:
        shown.append(dialog.summary.text())
        return True

    dialogs.then(check)
    script_chooser(window, path)
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    [summary] = shown
    assert "2 value(s) in the package do not fit the questionnaire" in summary
    assert "'board_tech_expert_count': nan is not a number" in summary
    assert "'cio_on_board': Answer yes or no." in summary
    assert window.store.answers(audit) == {"digital_leader_post": "CDO"}
    assert len(told) == 1 and "do not fit the questionnaire" in told[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_chosen_as_a_package_is_refused_without_hanging(
    qtbot, window: MainWindow, tmp_path: Path, errors: list[str]
) -> None:
    pipe = tmp_path / "pipe.baseline-package"
    os.mkfifo(pipe)
    before = state(window.store)
    script_chooser(window, pipe)
    menu_action(window, "File", "Import audit package…").trigger()
    try:
        wait_for_read(qtbot, window)
    finally:  # had the read blocked, a writer opening and closing the pipe ends it
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert len(errors) == 1, errors
    assert "pipe.baseline-package is a named pipe (FIFO), not a file" in errors[0]
    assert state(window.store) == before


def test_a_department_renamed_on_both_sides_is_a_conflict_to_decide_in_the_window(
    qtbot,
    window: MainWindow,
    dialogs: DialogScript,
    tmp_path: Path,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    first, _ = add_audits(window)
    dept = window.store.audit(first).department_id
    write_package(window.store, tmp_path / "out.baseline-package", [first])
    with Store(tmp_path / "other.sqlite") as other:
        apply_merge(other, read_package(tmp_path / "out.baseline-package"))
        other.rename_department(dept, "Department for Transport (there)")
        write_package(other, tmp_path / "back.baseline-package", [first])
    window.store.rename_department(dept, "Department for Transport (here)")
    script_chooser(window, tmp_path / "back.baseline-package")

    def choose(dialog: MergeDialog) -> bool:
        assert dialog.table is not None and dialog.table.rowCount() == 1
        row = [dialog.table.item(0, c).text() for c in range(4)]
        assert row[1] == "Department name"
        assert row[2].startswith("Department for Transport (here)")
        assert row[3].startswith("Department for Transport (there)")
        assert not dialog.merge_button.isEnabled()
        [key] = dialog.combos
        dialog.choose(key, "theirs")
        return True

    dialogs.then(choose)  # type: ignore[arg-type]
    menu_action(window, "File", "Import audit package…").trigger()
    wait_for_read(qtbot, window)
    assert errors == []
    assert window.store.department(dept).name == "Department for Transport (there)"
    assert any("department renamed to “Department for Transport (there)”" in t for t in told)
