"""Numbered schema migrations keyed on PRAGMA user_version; each runs in its own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x42534C4E  # "BSLN": marks a file as a Baseline workspace (PRAGMA application_id)


def _v1_initial(db: sqlite_utils.Database) -> None:
    """Departments, audits, answers and table rows."""
    db.execute(
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE departments (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            abbreviation TEXT NOT NULL DEFAULT '',
            govuk_id TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE audits (
            id TEXT PRIMARY KEY,
            department_id TEXT NOT NULL REFERENCES departments(id),
            department_name TEXT NOT NULL,
            cycle TEXT NOT NULL,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft',
            auditor TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            copied_from TEXT REFERENCES audits(id),
            UNIQUE (department_id, cycle)
        )"""
    )
    db.execute(
        """CREATE TABLE answers (
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (audit_id, question_id)
        )"""
    )
    db.execute(
        """CREATE TABLE table_rows (
            id TEXT PRIMARY KEY,
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            cells TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX table_rows_by_table ON table_rows (audit_id, question_id, position)")
    db.execute("CREATE INDEX audits_by_department ON audits (department_id)")


def _v2_comments_and_source(db: sqlite_utils.Database) -> None:
    """Auditor's comments per question, and where an audit came from (typed, copied, imported)."""
    db.execute(
        """CREATE TABLE comments (
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (audit_id, question_id)
        )"""
    )
    db.execute("ALTER TABLE audits ADD COLUMN source TEXT NOT NULL DEFAULT ''")


def _v3_score_cache(db: sqlite_utils.Database) -> None:
    """Each audit's figures, kept once worked out, and dropped by triggers when it changes.

    Triggers rather than the app's write paths clear it, so no edit can leave a stale
    figure behind: not an import, not a future write path, not the sqlite3 shell.
    """
    db.execute(
        """CREATE TABLE score_cache (
            audit_id TEXT PRIMARY KEY REFERENCES audits(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            figures TEXT NOT NULL
        )"""
    )
    for table in ("answers", "table_rows"):
        for event, refs in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            keys = " OR ".join(f"audit_id = {ref}.audit_id" for ref in refs)
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_drops_scores AFTER {event} ON {table}"
                f" BEGIN DELETE FROM score_cache WHERE {keys}; END"
            )
    db.execute(
        "CREATE TRIGGER audits_form_drops_scores"
        " AFTER UPDATE OF questionnaire_id, questionnaire_version ON audits"
        " BEGIN DELETE FROM score_cache WHERE audit_id = NEW.id; END"
    )


_STAMP = "strftime('%Y-%m-%dT%H:%M:%f', 'now')"  # UTC, milliseconds: sorts as text


def _v4_history(db: sqlite_utils.Database) -> None:
    """Every change to an answer, comment or table row, old and new, recorded by triggers.

    Triggers, not the app's write paths, so an import or a future write path is recorded as
    surely as a typed edit. What an audit held at any moment is today's content with the
    later changes undone (models/audit_history.py).
    """
    db.execute(
        """CREATE TABLE history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            audit_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            item TEXT NOT NULL,
            question_id TEXT NOT NULL,
            old TEXT,
            new TEXT,
            old_position INTEGER,
            new_position INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX history_by_audit ON history (audit_id, at)")
    columns = "(audit_id, kind, item, question_id, old, new, old_position, new_position, at)"
    for table, kind, value, item, position in (
        ("answers", "answer", "value", "question_id", None),
        ("comments", "comment", "text", "question_id", None),
        ("table_rows", "row", "cells", "id", "position"),
    ):
        for event in ("INSERT", "UPDATE", "DELETE"):
            old = "NULL" if event == "INSERT" else f"OLD.{value}"
            new = "NULL" if event == "DELETE" else f"NEW.{value}"
            old_pos = "NULL" if event == "INSERT" or not position else f"OLD.{position}"
            new_pos = "NULL" if event == "DELETE" or not position else f"NEW.{position}"
            ref = "OLD" if event == "DELETE" else "NEW"
            when = ""
            if event == "UPDATE":
                when = f" WHEN OLD.{value} IS NOT NEW.{value}"
                if position:
                    when += f" OR OLD.{position} IS NOT NEW.{position}"
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_history AFTER {event} ON {table}{when}"
                f" BEGIN INSERT INTO history {columns} VALUES ({ref}.audit_id, '{kind}',"
                f" {ref}.{item}, {ref}.question_id, {old}, {new}, {old_pos}, {new_pos},"
                f" {_STAMP}); END"
            )


_CONTENT_TABLES = ("answers", "comments", "table_rows")


def _v5_lifecycle_and_chain(db: sqlite_utils.Database) -> None:
    """Who made each change, a hash chain over history, status changes, the signed-off lock.

    The app seals each change it makes (who, a global change id, the chain hash) in the
    transaction that made it (Store._seal). A change the triggers record outside the app
    stays unsealed, and `verify` names it. A signed-off audit's content cannot change
    until it is reopened: triggers refuse it, whoever writes.
    """
    db.execute("ALTER TABLE history ADD COLUMN who TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE history ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE history ADD COLUMN origin TEXT")  # "<workspace id>:<seq>"
    db.execute("ALTER TABLE history ADD COLUMN hash TEXT")  # NULL: not sealed by the app
    db.execute("CREATE INDEX history_unsealed ON history (seq) WHERE hash IS NULL")
    db.execute("CREATE INDEX history_by_item ON history (audit_id, kind, item)")
    db.execute("ALTER TABLE audits ADD COLUMN content_hash TEXT NOT NULL DEFAULT ''")
    db.execute(
        "CREATE TRIGGER audits_status_history AFTER UPDATE OF status ON audits"
        " WHEN OLD.status IS NOT NEW.status BEGIN INSERT INTO history (audit_id, kind, item,"
        " question_id, old, new, at) VALUES (NEW.id, 'status', NEW.id, '', OLD.status,"
        f" NEW.status, {_STAMP}); END"
    )
    db.execute(
        "CREATE TRIGGER audits_insert_history AFTER INSERT ON audits BEGIN INSERT INTO history"
        " (audit_id, kind, item, question_id, old, new, at) VALUES (NEW.id, 'status', NEW.id,"
        f" '', NULL, NEW.status, {_STAMP}); END"
    )
    for table in _CONTENT_TABLES:
        for event, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_signed_off BEFORE {event} ON {table}"
                f" WHEN (SELECT status FROM audits WHERE id = {ref}.audit_id) = 'signed_off'"
                " BEGIN SELECT RAISE(ABORT, 'baseline: the audit is signed off'); END"
            )
    # Changes other workspaces made that this one has taken in from packages (models/merge).
    db.execute(
        """CREATE TABLE absorbed_changes (
            audit_id TEXT NOT NULL,
            origin TEXT NOT NULL,
            kind TEXT NOT NULL,
            item TEXT NOT NULL,
            question_id TEXT NOT NULL,
            old TEXT,
            new TEXT,
            who TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (audit_id, origin)
        )"""
    )
    db.execute("CREATE INDEX absorbed_by_item ON absorbed_changes (audit_id, kind, item)")
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('workspace_id', ?)", [str(uuid.uuid4())]
    )
    # What v4 recorded, and what was there before any history, starts the chain: content
    # with no history gets one 'recorded' entry, so every stored value has a last change.
    for table, kind, value, item in (
        ("answers", "answer", "value", "question_id"),
        ("comments", "comment", "text", "question_id"),
        ("table_rows", "row", "cells", "id"),
    ):
        position = "position" if table == "table_rows" else "NULL"
        db.execute(
            f"INSERT INTO history (audit_id, kind, item, question_id, old, new, old_position,"
            f" new_position, at, note) SELECT t.audit_id, '{kind}', t.{item}, t.question_id,"
            f" NULL, t.{value}, NULL, {position}, {_STAMP}, 'recorded when history began'"
            f" FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM history h WHERE"
            f" h.audit_id = t.audit_id AND h.kind = '{kind}' AND h.item = t.{item})"
        )
    db.execute(
        "INSERT INTO history (audit_id, kind, item, question_id, old, new, at, note)"
        f" SELECT id, 'status', id, '', NULL, status, {_STAMP}, 'recorded when history began'"
        " FROM audits"
    )
    from models.content_hash import content_hash
    from models.history_chain import seal_all

    seal_all(db.conn, who="")
    for (audit_id,) in db.execute("SELECT id FROM audits WHERE status = 'signed_off'").fetchall():
        db.execute(
            "UPDATE audits SET content_hash = ? WHERE id = ?",
            [content_hash(db.conn, audit_id), audit_id],
        )


def _v6_foreign_imports(db: sqlite_utils.Database) -> None:
    """Which file each imported row came from, so a figure traces to its source row, a
    repeat import of the same file is recognised, and a column mapping is remembered."""
    db.execute(
        """CREATE TABLE imports (
            id TEXT PRIMARY KEY,
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            table_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            layout TEXT NOT NULL,
            sheet TEXT NOT NULL DEFAULT '',
            rows_imported INTEGER NOT NULL,
            report TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX imports_by_checksum ON imports (audit_id, checksum)")
    db.execute(
        """CREATE TABLE imported_rows (
            row_id TEXT PRIMARY KEY,
            import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
            source_row INTEGER NOT NULL,
            source TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX imported_rows_by_import ON imported_rows (import_id)")
    db.execute(
        "CREATE TRIGGER table_rows_delete_drops_provenance AFTER DELETE ON table_rows"
        " BEGIN DELETE FROM imported_rows WHERE row_id = OLD.id; END"
    )
    db.execute(
        """CREATE TABLE import_mappings (
            name TEXT PRIMARY KEY,
            signature TEXT NOT NULL,
            target TEXT NOT NULL,
            mapping TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX import_mappings_by_signature ON import_mappings (signature)")


def _v7_identity_history(db: sqlite_utils.Database) -> None:
    """Renames and moves recorded in history, and what a sign-off was of and by.

    An audit's department, cycle and auditor and a department's name change through
    triggers that record it (kind 'audit' or 'department', audit_id '' so packages do not
    carry them), sealed like any change when the app makes it, unsealed (and named by
    verify) when made behind its back. `signed_as` keeps the identity a sign-off covered.
    """
    db.execute("ALTER TABLE audits ADD COLUMN signed_as TEXT NOT NULL DEFAULT ''")
    columns = "(audit_id, kind, item, question_id, old, new, at)"
    for column in ("department_id", "department_name", "cycle", "auditor"):
        db.execute(
            f"CREATE TRIGGER audits_{column}_history AFTER UPDATE OF {column} ON audits"
            f" WHEN OLD.{column} IS NOT NEW.{column} BEGIN INSERT INTO history {columns}"
            f" VALUES ('', 'audit', NEW.id, '{column}', OLD.{column}, NEW.{column}, {_STAMP});"
            " END"
        )
    for column in ("id", "name"):
        db.execute(
            f"CREATE TRIGGER departments_{column}_history AFTER UPDATE OF {column} ON departments"
            f" WHEN OLD.{column} IS NOT NEW.{column} BEGIN INSERT INTO history {columns}"
            f" VALUES ('', 'department', OLD.id, '{column}', OLD.{column}, NEW.{column},"
            f" {_STAMP}); END"
        )
    from models.content_hash import sign_off_record

    for audit_id, digest in db.execute(
        "SELECT id, content_hash FROM audits WHERE status = 'signed_off' AND content_hash != ''"
    ).fetchall():
        db.execute(
            "UPDATE audits SET signed_as = ? WHERE id = ?",
            [sign_off_record(db.conn, audit_id, digest), audit_id],
        )


def _v8_evidence(db: sqlite_utils.Database) -> None:
    """Evidence files behind answers: metadata here, the bytes in a folder beside the file.

    `record` is the row's metadata as one JSON text, so history records, verify compares
    and packages carry evidence exactly like an answer (models/evidence.py). A removal only
    sets `removed`, so undo and an older backup find the file still there.
    """
    db.execute(
        """CREATE TABLE evidence (
            id TEXT PRIMARY KEY,
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            row_id TEXT,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL DEFAULT '',
            removed INTEGER NOT NULL DEFAULT 0,
            record TEXT GENERATED ALWAYS AS (json_object('name', name, 'size', size, 'sha256',
                sha256, 'row', row_id, 'added_at', added_at, 'added_by', added_by,
                'removed', removed)) VIRTUAL
        )"""
    )
    db.execute("CREATE INDEX evidence_by_question ON evidence (audit_id, question_id)")
    db.execute("CREATE INDEX evidence_by_hash ON evidence (sha256)")
    columns = "(audit_id, kind, item, question_id, old, new, at)"
    for event in ("INSERT", "UPDATE", "DELETE"):
        old = "NULL" if event == "INSERT" else "OLD.record"
        new = "NULL" if event == "DELETE" else "NEW.record"
        ref = "OLD" if event == "DELETE" else "NEW"
        when = " WHEN OLD.record IS NOT NEW.record" if event == "UPDATE" else ""
        db.execute(
            f"CREATE TRIGGER evidence_{event.lower()}_history AFTER {event} ON evidence{when}"
            f" BEGIN INSERT INTO history {columns} VALUES ({ref}.audit_id, 'evidence',"
            f" {ref}.id, {ref}.question_id, {old}, {new}, {_STAMP}); END"
        )
        db.execute(
            f"CREATE TRIGGER evidence_{event.lower()}_signed_off BEFORE {event} ON evidence"
            f" WHEN (SELECT status FROM audits WHERE id = {ref}.audit_id) = 'signed_off'"
            " BEGIN SELECT RAISE(ABORT, 'baseline: the audit is signed off'); END"
        )


def _v9_signed_off_identity(db: sqlite_utils.Database) -> None:
    """A signed-off audit's department, cycle and auditor cannot change until it is reopened,
    as its content cannot (v5): triggers refuse it, whoever writes. Only a new sign-off
    record written with the change (a package that signed the audit off again with a new
    auditor, models/merge_identity.py) passes, and is sealed again at once."""
    changed = " OR ".join(
        f"OLD.{c} IS NOT NEW.{c}" for c in ("department_id", "department_name", "cycle", "auditor")
    )
    db.execute(
        "CREATE TRIGGER audits_identity_signed_off BEFORE UPDATE OF department_id,"
        " department_name, cycle, auditor ON audits WHEN OLD.status = 'signed_off'"
        " AND NEW.status = 'signed_off' AND OLD.signed_as IS NEW.signed_as"
        f" AND ({changed}) BEGIN SELECT RAISE(ABORT, 'baseline: the audit is signed off'); END"
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v1_initial,
    _v2_comments_and_source,
    _v3_score_cache,
    _v4_history,
    _v5_lifecycle_and_chain,
    _v6_foreign_imports,
    _v7_identity_history,
    _v8_evidence,
    _v9_signed_off_identity,
)
LATEST_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database, current: int, target: int = LATEST_VERSION) -> None:
    """Run every step after `current` up to `target`, each in its own transaction."""
    for version in range(current + 1, target + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
            if version == 1:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('created_at', ?)",
                    [datetime.now(UTC).isoformat(timespec="milliseconds")],
                )
