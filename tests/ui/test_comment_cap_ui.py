"""A comment past the limit typed or pasted in the form is not saved, and the form says why
(attack A13: the cap applies at every door, the form's too)."""

from __future__ import annotations

from models.validation import COMMENT_LIMIT
from ui.audit_session import AuditSession


def test_a_pasted_long_comment_is_refused_with_a_message(qtbot, session: AuditSession) -> None:
    session.set_comment("cio_on_board", "kept")
    with qtbot.waitSignal(session.writeFailed, timeout=1000) as told:
        session.set_comment("cio_on_board", "x" * (COMMENT_LIMIT + 1))
    assert "100,000 characters" in told.args[0]
    assert session.comments["cio_on_board"] == "kept"
    assert session.store.comments(session.audit.id) == {"cio_on_board": "kept"}
    session.set_comment("cio_on_board", "y" * COMMENT_LIMIT)  # at the limit: kept
    assert session.store.comments(session.audit.id) == {"cio_on_board": "y" * COMMENT_LIMIT}
