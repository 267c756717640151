"""Rules a workspace can opt into, kept in its meta table (no schema change)."""

from __future__ import annotations

from models.audit_history import MERGED, status_changes
from models.store import Store

SEPARATE_SIGN_OFF = "rule_separate_sign_off"  # meta key: "1" when the rule is on


def separate_sign_off(store: Store) -> bool:
    """True when whoever submitted an audit may not also sign it off."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", [SEPARATE_SIGN_OFF]).fetchone()
    return row is not None and row[0] == "1"


def set_separate_sign_off(store: Store, on: bool) -> None:
    """Turn the rule on or off for everyone using this workspace (read-only: refused)."""
    with store.transaction("change the workspace's sign-off rule"):
        store.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SEPARATE_SIGN_OFF, "1" if on else "0"],
        )


def submitted_by(store: Store, audit_id: str) -> str | None:
    """Who made the audit's latest submission here (None: never submitted, or unknown)."""
    made = [c for c in status_changes(store, audit_id) if c.new == "submitted"]
    own = [c for c in made if c.source != MERGED]
    last = (own or made)[-1] if made else None
    return last.who if last is not None and last.who else None


def sign_off_refusal(store: Store, audit_id: str, who: str) -> str | None:
    """Why `who` may not sign this audit off under the workspace's rule (None: they may)."""
    if not separate_sign_off(store):
        return None
    submitter = submitted_by(store, audit_id)
    if submitter is not None and submitter.strip().casefold() == who.strip().casefold():
        return (
            f"{who} submitted this audit, and this workspace requires someone else to sign it "
            "off (Tools ▸ Workspace rules)."
        )
    return None
