"""Numbered schema migrations keyed on PRAGMA user_version; each runs in its own transaction."""

from __future__ import annotations

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


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v1_initial,
    _v2_comments_and_source,
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
