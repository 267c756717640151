"""verify's checks against records kept outside the file, and of what a sign-off was of.

- A chain head recorded outside the workspace (the sidecar, a backup, a package, a report;
  models/chain_anchor.py) must name an entry the chain still holds, with the same hash:
  else the history was cut short and its recorded end pointed back, or rewritten.
- A signed-off audit's department, cycle and auditor must be those its sign-off recorded
  (audits.signed_as): else it was moved or renamed after sign-off.
- A sign-off seal printed on a report must be that of a signed-off audit as it is now
  (recomputed, not read from signed_as, which a forger could rewrite to match).
"""

from __future__ import annotations

import json
import sqlite3

from models.chain_anchor import ChainHead, SignOffSeal
from models.content_hash import IDENTITY_FIELDS, current_seal, recorded_seal, signed_identity
from models.history_chain import head, workspace_id

_FIELD_WORDS = {
    "department_id": "department (by id)",
    "department": "department's name",
    "department_name": "department name recorded on the audit",
    "cycle": "cycle",
    "auditor": "auditor",
}

Found = tuple[str, str, int]  # (record, what is wrong, history seq or 0): verify words the rest


def anchor_problems(conn: sqlite3.Connection, anchor: ChainHead) -> list[Found]:
    """What is wrong with this workspace's history given where `anchor` saw it end."""
    record = f"the chain head recorded in {anchor.source or 'the record given'}"
    here = workspace_id(conn)
    if anchor.workspace and here and anchor.workspace != here:
        what = (
            f"is of another workspace (id {anchor.workspace}, this one is {here}): it "
            "cannot vouch for this workspace's history"
        )
        return [(record, what, 0)]
    if anchor.seq == 0:
        return []
    end_seq, _ = head(conn)
    row = conn.execute("SELECT hash FROM history WHERE seq = ?", [anchor.seq]).fetchone()
    sealed_end = conn.execute("SELECT max(seq) FROM history WHERE hash IS NOT NULL").fetchone()[0]
    ends = f"entry {sealed_end}" if sealed_end else "nothing: no sealed history is left"
    if row is None or row[0] is None:
        if sealed_end is None or anchor.seq > int(sealed_end):
            what = (
                f"says the sealed history reached entry {anchor.seq}, but here it ends at "
                f"{ends} (the app's own record of the end says entry {end_seq}): the newest "
                "recorded changes were removed and the record of where the history ends was "
                "pointed back"
            )
        else:
            what = (
                f"names entry {anchor.seq} as the end of the sealed history then, and that "
                "entry is no longer in the history: it was deleted"
            )
        return [(record, what, anchor.seq)]
    if not str(row[0]).startswith(anchor.hash):
        what = (
            f"names entry {anchor.seq} with a different seal from the one it has now: the "
            "history up to that entry was rewritten and sealed again, or this workspace "
            "was restored from a backup older than that record"
        )
        return [(record, what, anchor.seq)]
    return []


def identity_problems(conn: sqlite3.Connection, audit_id: str) -> list[Found]:
    """A signed-off audit's department, cycle and auditor against what its sign-off recorded."""
    row = conn.execute("SELECT signed_as FROM audits WHERE id = ?", [audit_id]).fetchone()
    record = "department, cycle and auditor at sign-off"
    kept_text = str(row[0]) if row else ""
    try:
        kept = json.loads(kept_text) if kept_text else None
    except ValueError:
        kept = None
    if not isinstance(kept, dict):
        what = (
            "the audit is signed off but the record of what the sign-off covered is "
            "missing or unreadable: it was signed off, or that record changed, outside the app"
        )
        return [(record, what, 0)]
    now = signed_identity(conn, audit_id)
    found: list[Found] = []
    for name in IDENTITY_FIELDS:
        was, is_now = kept.get(name), now[name]
        if was != is_now:
            what = (
                f"the {_FIELD_WORDS[name]} changed after sign-off: signed off as {was!r}, "
                f"now {is_now!r}"
            )
            found.append((record, what, 0))
    stored = conn.execute("SELECT content_hash FROM audits WHERE id = ?", [audit_id]).fetchone()
    if stored and kept.get("content_hash") != stored[0]:
        what = (
            "the content hash kept at sign-off is not the one the sign-off recorded: it "
            "was replaced outside the app"
        )
        found.append((record, what, 0))
    return found


def seal_problems(conn: sqlite3.Connection, seal: SignOffSeal) -> list[tuple[str, Found]]:
    """(audit id or "", problem) when no signed-off audit here, as it is now, has the seal a
    report printed: it was moved, its department or auditor renamed, its content changed or
    it was reopened since; the audit is named when its sign-off record still has the seal."""
    record = f"the sign-off seal {_grouped(seal.hash)} printed on a report"
    audits = conn.execute(
        "SELECT id, signed_as FROM audits WHERE status = 'signed_off' ORDER BY id"
    ).fetchall()
    for audit_id, _signed_as in audits:
        if current_seal(conn, str(audit_id)).startswith(seal.hash):
            return []
    for audit_id, signed_as in conn.execute("SELECT id, signed_as FROM audits ORDER BY id"):
        if recorded_seal(str(signed_as)).startswith(seal.hash):
            what = (
                "no longer matches the audit it sealed: its department, cycle, auditor or "
                "content has changed since it was signed off"
            )
            return [(str(audit_id), (record, what, 0))]
    what = (
        "matches no signed-off audit here as it is now: since that report the audit was "
        "moved to another department, its department or auditor renamed, its content "
        "changed, or it was reopened (or the seal is from another workspace)"
    )
    return [("", (record, what, 0))]


def _grouped(digest: str) -> str:
    return " ".join(digest[i : i + 4] for i in range(0, min(len(digest), 16), 4))
