"""A flag whose answer and table disagree says "resolve before sign-off": sign-off waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import lifecycle
from models.questionnaire import Questionnaire
from models.store import Store

CIO = {"post_ref": "C1", "job_title": "Chief Information Officer", "role_type": "cio"}
CIO |= {"grade": "scs2", "employment_type": "permanent", "board_member": True}
CIO |= {"vacant_or_interim": "filled"}


def test_an_audit_with_a_conflicting_flag_is_not_signed_off(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    with Store(tmp_path / "ws.sqlite") as store:
        dept = store.add_department("Department for Work and Pensions", "DWP")
        audit = store.create_audit(dept.id, "2015 review", questionnaire, "Ann").id
        store.set_answer(audit, "cio_on_board", False)  # and the table lists a CIO on the board
        store.insert_rows(audit, "senior_roles", 0, [CIO])
        store.set_status(audit, "reviewed")
        history = store.conn.execute("SELECT count(*) FROM history").fetchone()
        with pytest.raises(lifecycle.LifecycleError) as refused:
            lifecycle.apply(store, audit, "sign_off")
        words = str(refused.value)
        assert "cannot be signed off" in words and "A CIO or equivalent sits on the board" in words
        assert store.audit(audit).status == "reviewed"
        assert store.conn.execute("SELECT count(*) FROM history").fetchone() == history
        store.set_answer(audit, "cio_on_board", True)  # resolved: the two agree
        assert lifecycle.apply(store, audit, "sign_off").status == "signed_off"
