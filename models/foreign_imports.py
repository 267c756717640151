"""Rows imported from foreign spreadsheets: written in one transaction, traced to their source.

Each import is recorded with its file's name and checksum, so a repeat of the same file
into the same audit is recognised (and replaced or skipped, never duplicated), and each
row it added keeps the source's own granularity (organisation, unit, grade, …) beside it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from models.bulk_rows import row_writer
from models.json_text import dumps, loads
from models.progress import Cancelled
from models.questionnaire import Questionnaire, get_questionnaire
from models.store import Store, _now
from models.wal_checkpoint import checkpoint_after

# Cells and provenance as the store keeps them: models.json_text.dumps, without its call.
_encode = orjson.dumps

BIG_IMPORT = 5000  # rows: about the 1,000 log pages past which SQLite checkpoints
REPLACE = "replace"
SKIP = "skip"


@dataclass(frozen=True)
class ImportRecord:
    """One file imported into one audit's table."""

    id: str
    audit_id: str
    table_id: str
    file_name: str
    checksum: str
    layout: str
    sheet: str
    rows_imported: int
    report: str
    imported_at: str
    who: str


@dataclass
class AuditRows:
    """Rows bound for one audit's table: an existing audit, or a new one to create."""

    table_id: str
    department_id: str
    cycle: str
    audit_id: str | None = None  # None: create the audit, marked as imported
    rows: list[tuple[dict[str, Any], int, dict[str, Any]]] = field(default_factory=list)
    # each row: (cells, source row number, provenance)
    # Rows other files' imports added with the same keys (a corrected return): deleted in the
    # same transaction when the user chose to replace.
    replace_rows: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportSource:
    """The file the rows came from."""

    file_name: str
    checksum: str
    layout: str
    sheet: str = ""
    report: str = ""


@dataclass
class AppliedImport:
    """What one audit got from an import."""

    audit_id: str
    created: bool
    rows_added: int
    rows_replaced: int
    skipped_as_repeat: bool


_COLUMNS = (
    "id, audit_id, table_id, file_name, checksum, layout, sheet, rows_imported, report,"
    " imported_at, who"
)


def imports_of(store: Store, audit_id: str) -> list[ImportRecord]:
    """An audit's imports, oldest first."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM imports WHERE audit_id = ? ORDER BY imported_at, id", [audit_id]
    ).fetchall()
    return [ImportRecord(*r) for r in rows]


def all_imports(store: Store) -> list[ImportRecord]:
    """Every import in the workspace, oldest first: what a plan checks repeats against."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM imports ORDER BY imported_at, id")
    return [ImportRecord(*r) for r in rows.fetchall()]


def edited_counts(store: Store) -> dict[str, int]:
    """For each import, how many of its rows were edited since: what a replace would undo."""
    rows = store.conn.execute(
        "SELECT i.id, count(*) FROM imports i JOIN imported_rows r ON r.import_id = i.id"
        " JOIN table_rows t ON t.id = r.row_id WHERE t.updated_at > i.imported_at"
        " GROUP BY i.id"
    ).fetchall()
    return {import_id: int(count) for import_id, count in rows}


def repeats_of(
    store: Store, audit_id: str, checksum: str, table_id: str, sheet: str = ""
) -> list[ImportRecord]:
    """Earlier imports of the same file (same checksum) and sheet into the same audit table:
    another sheet of the same workbook is another import, not a repeat."""
    return [
        r
        for r in imports_of(store, audit_id)
        if r.checksum == checksum and r.table_id == table_id and r.sheet == sheet
    ]


def provenance(store: Store, row_id: str) -> tuple[ImportRecord, int, dict[str, Any]] | None:
    """Where an imported row came from: its import, source row number and source fields."""
    found = store.conn.execute(
        "SELECT import_id, source_row, source FROM imported_rows WHERE row_id = ?", [row_id]
    ).fetchone()
    if found is None:
        return None
    record = store.conn.execute(f"SELECT {_COLUMNS} FROM imports WHERE id = ?", [found[0]])
    return ImportRecord(*record.fetchone()), int(found[1]), loads(found[2])


def row_sources(store: Store, audit_id: str) -> dict[str, tuple[str, str, int]]:
    """Row id -> (source body, file name, source row) for an audit's imported rows, for exports."""
    found = store.conn.execute(
        "SELECT r.row_id, i.file_name, r.source_row, r.source FROM imported_rows r"
        " JOIN imports i ON i.id = r.import_id WHERE i.audit_id = ?",
        [audit_id],
    ).fetchall()
    sources: dict[str, tuple[str, str, int]] = {}
    for row_id, file_name, source_row, source in found:
        fields = loads(source) if source else {}
        body = next(
            (str(fields[k]) for k in ("organisation", "unit", "department") if fields.get(k)), ""
        )
        sources[row_id] = (body, str(file_name), int(source_row))
    return sources


def imported_rows(store: Store, import_id: str) -> list[tuple[str, int, dict[str, Any]]]:
    """(row id, source row, source fields) for every row an import added that still exists."""
    rows = store.conn.execute(
        "SELECT row_id, source_row, source FROM imported_rows WHERE import_id = ?"
        " ORDER BY source_row",
        [import_id],
    ).fetchall()
    return [(r[0], int(r[1]), loads(r[2])) for r in rows]


class TableNotInVersionError(ValueError):
    """An import into an audit whose questionnaire version has no such table."""


def apply_rows(
    store: Store,
    questionnaire: Questionnaire,
    source: ImportSource,
    batches: Sequence[AuditRows],
    *,
    on_repeat: str = SKIP,
    should_cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[AppliedImport]:
    """Write every batch in one transaction: all of it, or (on error or cancel) none."""
    if on_repeat not in (REPLACE, SKIP):
        raise ValueError(f"on_repeat must be {REPLACE!r} or {SKIP!r}")
    total = sum(len(b.rows) for b in batches)
    done = 0
    results: list[AppliedImport] = []
    # A big import's pages are copied from the write-ahead log into the file after it
    # commits, on a thread (models/wal_checkpoint.py), instead of inside its COMMIT.
    with (
        checkpoint_after(store) if total >= BIG_IMPORT else contextlib.nullcontext(),
        store.transaction(f"import {source.file_name}"),
        store.recording(note=f"imported from {source.file_name}"),
    ):
        for batch in batches:
            created = batch.audit_id is None
            if batch.audit_id is None:
                audit = store.create_audit(
                    batch.department_id,
                    batch.cycle,
                    questionnaire,
                    source=f"imported from {source.file_name} (sha256 {source.checksum[:12]})",
                )
                audit_id = audit.id
            else:
                audit_id = batch.audit_id
                audit = store.audit(audit_id)
                form = get_questionnaire(audit.questionnaire_id, audit.questionnaire_version)
                if not form.has_question(batch.table_id):
                    raise TableNotInVersionError(
                        f"The {audit.department_name or audit.department_id} audit for "
                        f"{audit.cycle} uses questionnaire version {audit.questionnaire_version}, "
                        f"which has no table {batch.table_id!r}: nothing was imported."
                    )
            earlier = (
                []
                if created
                else repeats_of(store, audit_id, source.checksum, batch.table_id, source.sheet)
            )
            if earlier and on_repeat == SKIP:
                results.append(AppliedImport(audit_id, False, 0, 0, True))
                done += len(batch.rows)
                continue
            replaced = 0
            for record in earlier:
                replaced += _remove_import(store, audit_id, batch.table_id, record.id)
            if batch.replace_rows:  # a corrected copy's: the plan was made choosing so
                replaced += store.conn.executemany(
                    "DELETE FROM table_rows WHERE id = ? AND audit_id = ?",
                    [(i, audit_id) for i in batch.replace_rows],
                ).rowcount
                store._renumber(audit_id, batch.table_id)
            import_id = str(uuid.uuid4())
            now = _now()
            store.conn.execute(
                f"INSERT INTO imports ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    import_id, audit_id, batch.table_id, source.file_name, source.checksum,
                    source.layout, source.sheet, len(batch.rows), source.report, now, store.actor,
                ],
            )  # fmt: skip
            # Consecutive ids under one random prefix: rows and their history go into the
            # indexes in order, which writes a 100,000-row import a third faster than
            # scattered random ids (96 random bits still keep every import's ids apart).
            prefix = str(uuid.UUID(int=uuid.uuid4().int & ~0xFFFFFFFF))[:-8]
            start = store.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM table_rows WHERE audit_id = ?"
                " AND question_id = ?",
                [audit_id, batch.table_id],
            ).fetchone()[0]
            # The rows' history is written and sealed with them, set-wise (models/bulk_rows).
            with row_writer(
                store.conn,
                store._history_start,
                store.actor,
                own=store._seal_own,
                note=store._seal_note,
            ) as insert:
                for first in range(0, len(batch.rows), 5000):
                    if should_cancel is not None and should_cancel():
                        raise Cancelled("Import cancelled; nothing was written.")
                    chunk = batch.rows[first : first + 5000]
                    base = start + first
                    rows = [
                        (f"{prefix}{first + i:08x}", audit_id, batch.table_id, base + i,
                         _encode(cells).decode(), now)
                        for i, (cells, _, _) in enumerate(chunk)
                    ]  # fmt: skip
                    insert(rows)
                    store.conn.executemany(
                        "INSERT INTO imported_rows (row_id, import_id, source_row, source)"
                        " VALUES (?, ?, ?, ?)",
                        [
                            (row[0], import_id, number, _encode(fields).decode())
                            for row, (_, number, fields) in zip(rows, chunk, strict=True)
                        ],
                    )
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
            store.conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", [now, audit_id])
            results.append(AppliedImport(audit_id, created, len(batch.rows), replaced, False))
    return results


def _remove_import(store: Store, audit_id: str, table_id: str, import_id: str) -> int:
    """Delete the rows an earlier import added (those still there) and its record."""
    ids = [
        r[0]
        for r in store.conn.execute(
            "SELECT row_id FROM imported_rows WHERE import_id = ?", [import_id]
        ).fetchall()
    ]
    store.conn.executemany(
        "DELETE FROM table_rows WHERE id = ? AND audit_id = ?", [(i, audit_id) for i in ids]
    )
    store.conn.execute("DELETE FROM imports WHERE id = ?", [import_id])
    store._renumber(audit_id, table_id)  # close the gaps, as deleting rows in the editor does
    return len(ids)


# ---------------------------------------------------------------- in audit packages
_PACKAGED = ("id", "table_id", "file_name", "checksum", "layout", "sheet", "rows_imported",
             "imported_at", "who")  # fmt: skip


def packaged_imports(store: Store, audit_id: str) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """An audit's import records and its rows' provenance, as an audit package carries them."""
    records = [
        dict(zip(_PACKAGED, row, strict=True))
        for row in store.conn.execute(
            f"SELECT {', '.join(_PACKAGED)} FROM imports WHERE audit_id = ? ORDER BY id",
            [audit_id],
        )
    ]
    provenance = [
        [row_id, import_id, int(source_row), loads(source)]
        for row_id, import_id, source_row, source in store.conn.execute(
            "SELECT r.row_id, r.import_id, r.source_row, r.source FROM imported_rows r"
            " JOIN imports i ON i.id = r.import_id WHERE i.audit_id = ? ORDER BY r.row_id",
            [audit_id],
        )
    ]
    return records, provenance


def merge_imports(
    store: Store, audit_id: str, records: Sequence[dict[str, Any]], provenance: Sequence[Any]
) -> None:
    """Take in a package's import records for an audit, and the provenance of the rows the
    audit now holds; what this workspace already knows is kept as it is."""
    mine = imports_of(store, audit_id)
    known_ids = {r.id for r in mine}
    known_files = {(r.checksum, r.table_id, r.sheet) for r in mine}  # imported here already
    for record in records:
        same_file = (record.get("checksum"), record.get("table_id"), record.get("sheet"))
        if record.get("id") in known_ids or same_file in known_files:
            continue
        store.conn.execute(
            f"INSERT OR IGNORE INTO imports ({', '.join(_PACKAGED)}, audit_id, report)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,'')",
            [*(record.get(k) for k in _PACKAGED), audit_id],
        )
    store.conn.executemany(
        "INSERT OR IGNORE INTO imported_rows (row_id, import_id, source_row, source)"
        " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM table_rows WHERE id = ? AND audit_id = ?)"
        " AND EXISTS (SELECT 1 FROM imports WHERE id = ? AND audit_id = ?)",
        [
            (row_id, import_id, int(row), dumps(source), row_id, audit_id, import_id, audit_id)
            for row_id, import_id, row, source in provenance
        ],
    )


# ---------------------------------------------------------------- remembered mappings
@dataclass(frozen=True)
class SavedMapping:
    """A column mapping the user confirmed, kept for the next file of the same shape."""

    name: str
    signature: str
    target: str
    mapping: str  # JSON, as importers.column_mapping.ColumnMapping.to_json writes it
    updated_at: str


def save_mapping(store: Store, name: str, signature: str, target: str, mapping: str) -> None:
    """Keep (or overwrite) a named mapping."""
    name = name.strip()
    if not name:
        raise ValueError("A saved mapping needs a name.")
    with store.transaction("save the column mapping"):
        store.conn.execute(
            "INSERT OR REPLACE INTO import_mappings (name, signature, target, mapping,"
            " updated_at) VALUES (?, ?, ?, ?, ?)",
            [name, signature, target, mapping, _now()],
        )


def saved_mappings(store: Store) -> list[SavedMapping]:
    rows = store.conn.execute(
        "SELECT name, signature, target, mapping, updated_at FROM import_mappings"
        " ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [SavedMapping(*r) for r in rows]


def mapping_named(store: Store, name: str) -> SavedMapping | None:
    row = store.conn.execute(
        "SELECT name, signature, target, mapping, updated_at FROM import_mappings"
        " WHERE lower(name) = lower(?)",
        [name.strip()],
    ).fetchone()
    return SavedMapping(*row) if row else None


def mapping_for_shape(store: Store, signature: str) -> SavedMapping | None:
    """The most recently saved mapping for files whose header has this signature."""
    row = store.conn.execute(
        "SELECT name, signature, target, mapping, updated_at FROM import_mappings"
        " WHERE signature = ? ORDER BY updated_at DESC LIMIT 1",
        [signature],
    ).fetchone()
    return SavedMapping(*row) if row else None


RowKey = tuple[str, ...]
# The columns that say two rows of a table count the same thing: a body's staff group in a
# month, a post, a programme. Another file giving a row with the same key counts it twice.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "department_workforce": ("body", "month", "staff_group", "grade_group"),
    "senior_roles": ("post_ref", "job_title", "grade"),
    "major_programmes": ("name",),
}


def row_key(table_id: str, cells: Mapping[str, Any]) -> RowKey:
    """A row's identity in its table (spacing and case aside), by ROW_KEYS."""
    return tuple(" ".join(str(cells.get(c) or "").split()).casefold() for c in ROW_KEYS[table_id])


def held_rows(
    store: Store, audit_ids: Sequence[str] | None = None
) -> dict[str, dict[str, dict[RowKey, tuple[str, str, list[str]]]]]:
    """Table -> audit -> the keys of the rows it holds, with the file and checksum each came
    from ('', '' when typed in): what another file's rows would count a second time. Of the
    audits given (an import's cycle: a big workspace's every row took a second), else all."""
    columns = sorted({c for key in ROW_KEYS.values() for c in key})
    picked = ", ".join(f"json_extract(t.cells, '$.{c}')" for c in columns)
    marks = ", ".join("?" for _ in ROW_KEYS)
    if audit_ids is not None and not audit_ids:
        return {}
    chosen = "" if audit_ids is None else f" AND t.audit_id IN ({', '.join('?' * len(audit_ids))})"
    rows = store.conn.execute(
        f"SELECT t.question_id, t.audit_id, coalesce(i.file_name, ''), coalesce(i.checksum, ''),"
        f" t.id,"
        f" {picked} FROM table_rows t LEFT JOIN imported_rows r ON r.row_id = t.id"
        f" LEFT JOIN imports i ON i.id = r.import_id WHERE t.question_id IN ({marks}){chosen}",
        [*ROW_KEYS, *(audit_ids or ())],
    ).fetchall()
    held: dict[str, dict[str, dict[RowKey, tuple[str, str, list[str]]]]] = {}
    for table_id, audit_id, file_name, checksum, row_id, *values in rows:
        key = row_key(table_id, dict(zip(columns, values, strict=True)))
        audits = held.setdefault(table_id, {})
        found = audits.setdefault(audit_id, {}).setdefault(key, (file_name, checksum, []))
        if file_name and (found[0], found[1]) == (file_name, checksum):
            found[2].append(row_id)  # an import's rows: what replacing it deletes
    return held
