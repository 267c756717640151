"""The New audit dialog pre-fills from the latest-dated cycle, not the audit entered last."""

from __future__ import annotations

import time
from pathlib import Path

from models.questionnaire import current_questionnaire
from models.store import Store
from ui.dialogs import NewAuditDialog


def test_prefill_offers_the_2015_review_when_2014_was_back_filled_after_it(
    qtbot, tmp_path: Path
) -> None:
    store = Store(tmp_path / "w.sqlite")
    try:
        dwp = store.add_department("Department for Work and Pensions", "DWP")
        newest = store.create_audit(dwp.id, "2015 review", current_questionnaire())
        time.sleep(0.01)  # created_at has millisecond resolution: 2014 is entered second
        store.create_audit(dwp.id, "2014 review", current_questionnaire())
        dialog = NewAuditDialog(store.departments(), store.audits(), copy_forward=True)
        qtbot.addWidget(dialog)
        assert dialog.prefill.text() == "Pre-fill from the latest audit (2015 review)"
        assert dialog.cycle.text() == "2016 review"
        dialog.cycle.setText("2016 review")
        assert dialog.choice().copy_from == newest.id
    finally:
        store.close()
