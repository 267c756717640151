"""Every write reaches the open views through WorkspaceEvents: nobody refreshes them by hand."""

from __future__ import annotations

from pathlib import Path

from desktop.main_window import MainWindow
from models.audit_package import write_package
from models.questionnaire import current_questionnaire
from models.store import Store
from tests.importers.foreign_files import DWP_WMI_CSV
from tests.ui.conftest import DialogScript
from tests.ui.test_import_wizard import DWP, open_on, settle, to_preview
from tests.ui.test_workbook_ui import menu_action, script_chooser
from ui.dialogs import AuditChoice, DepartmentChoice
from ui.package_actions import actions

WAIT_MS = 10000


def test_dashboard_and_department_view_follow_every_kind_of_write(
    qtbot, window: MainWindow, dialogs: DialogScript, tmp_path: Path
) -> None:
    dashboard = window.comparisons.show_dashboard().view
    department = window.comparisons.show_department().view

    def rows() -> set[tuple[str, str | None]]:
        return {
            (r.department.name, r.audit.cycle if r.audit else None) for r in dashboard.shown_rows()
        }

    def cycles() -> list[str]:
        combo = dashboard.cycle_combo
        return [combo.itemText(i) for i in range(combo.count())]

    def shown_audits() -> int:
        return department.audits_model.rowCount()

    # Add a department: the department view lists it (and shows it: it is the only one).
    dwp = window.add_department(DepartmentChoice(DWP, "DWP", ""))
    qtbot.waitUntil(lambda: department.department_id == dwp, timeout=WAIT_MS)
    assert shown_audits() == 0

    # Create an audit: the dashboard has its cycle, with the department's audit in it.
    first = window.create_audit(AuditChoice(dwp, "2013 baseline", "Ann Auditor", None))
    qtbot.waitUntil(lambda: (DWP, "2013 baseline") in rows(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown_audits() == 1, timeout=WAIT_MS)

    # Copy forward: a new cycle on the dashboard, a second audit over time.
    window.create_audit(AuditChoice(dwp, "2014 review", "Ann Auditor", first))
    qtbot.waitUntil(lambda: "2014 review" in cycles(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown_audits() == 2, timeout=WAIT_MS)

    # Import a file (on a worker thread, through its own store): a third audit.
    wizard = open_on(qtbot, window, DWP_WMI_CSV)
    to_preview(qtbot, wizard, "2015")
    wizard.next.click()  # Import
    settle(qtbot, wizard)
    assert wizard.report is not None
    qtbot.waitUntil(lambda: "2015" in cycles(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown_audits() == 3, timeout=WAIT_MS)
    wizard.reject()

    # Merge a package from another workspace: a new department with its audit.
    package = tmp_path / "cabinet.baseline-package"
    with Store(tmp_path / "other.sqlite") as other:
        office = other.add_department("Cabinet Office", "CO")
        audit = other.create_audit(office.id, "2013 baseline", current_questionnaire())
        write_package(other, package, [audit.id])
    script_chooser(window, package)
    dialogs.then(lambda _dialog: True)  # Merge
    menu_action(window, "File", "Import audit package…").trigger()
    qtbot.waitUntil(lambda: actions(window).task is None, timeout=WAIT_MS)
    assert window.store.find_department("Cabinet Office") is not None
    qtbot.waitUntil(lambda: ("Cabinet Office", "2013 baseline") in rows(), timeout=WAIT_MS)
    combo = department.department_combo
    qtbot.waitUntil(
        lambda: any("Cabinet Office" in combo.itemText(i) for i in range(combo.count())),
        timeout=WAIT_MS,
    )
    # The navigator follows too: both departments and all four audits.
    model = window.navigator.tree
    assert [model.item(r).rowCount() for r in range(model.rowCount())] in ([1, 3], [3, 1])


def test_the_navigator_is_rebuilt_for_new_audits_and_statuses_not_for_answers(
    qtbot, window: MainWindow
) -> None:
    """Every answer commits: re-reading every department and audit for each would cost the
    form ~5 ms a keystroke on the 50-department workspace, for nothing the navigator shows.
    A status changed anywhere (here straight in the store) shows at once."""
    store = window.store
    dept = store.add_department("Home Office", "HO")
    audit = store.create_audit(dept.id, "2013 baseline", current_questionnaire())
    rebuilt: list[int] = []
    window.navigator.tree.rowsRemoved.connect(lambda *_: rebuilt.append(1))
    read = store.audits
    reads: list[int] = []

    def audits(*args: object) -> object:
        reads.append(1)
        return read(*args)  # type: ignore[arg-type]

    store.audits = audits  # type: ignore[method-assign]  # counts the window's reads
    store.set_answer(audit.id, "board_capability_maturity", 3)
    store.insert_rows(audit.id, "senior_roles", 0, [{"job_title": "CIO"}])
    assert rebuilt == [] and reads == []
    store.set_status(audit.id, "submitted")
    assert rebuilt == [1] and reads
    model = window.navigator.tree
    assert model.item(0).child(0).text() == "2013 baseline — Submitted"
