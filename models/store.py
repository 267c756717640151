"""The workspace: one SQLite file holding departments, audits, answers and table rows.

Every public write commits before it returns, so nothing shown as entered can be
lost to a crash. The only SQL in the application lives in this package.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.change_events import ChangeListeners
from models.content_hash import content_hash, sign_off_record
from models.filesystem import network_filesystem
from models.history_chain import head, last_seq, seal
from models.json_text import loads
from models.migrations import APPLICATION_ID, LATEST_VERSION, migrate
from models.records import STATUSES, Audit, Department, Row

if TYPE_CHECKING:
    import sqlite_utils

    from models.questionnaire import Questionnaire

SQLITE_HEADER = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """A problem the user can act on (wrong file, newer version, disk full, locked)."""


class NotAWorkspaceError(WorkspaceError):
    """The file is not a Baseline workspace."""


class NewerWorkspaceError(WorkspaceError):
    """The workspace was written by a newer version of the app."""


class WorkspaceWriteError(WorkspaceError):
    """A write could not be committed (read-only, locked, disk full); nothing was changed."""


class DuplicateAuditError(WorkspaceError):
    """The department already has an audit for that cycle."""


class SignedOffError(WorkspaceError):
    """The audit is signed off: its content cannot change until it is reopened."""


# The chain head is written beside the file (models/chain_anchor.py) at most this often, and
# on close: an atomic replace costs about as much as the edit's own commit, so writing it on
# every keystroke would double an edit's time.
SIDECAR_INTERVAL_S = 1.0


def _default_actor() -> str:
    """Who edits when preferences name nobody: the operating-system user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        return ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _new_id() -> str:
    return str(uuid.uuid4())


def _dump(value: Any) -> str:
    """A value as stored JSON; NaN and infinity are refused (Excel calls a file holding them
    damaged), whatever door they came through."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        raise ValueError("A number that is not finite (NaN, infinity) cannot be stored.") from None


def _inspect(path: Path) -> tuple[int, int, bool]:
    """Read (application_id, user_version, has_tables) without writing to the file."""
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotAWorkspaceError(
            f"{path} is not a Baseline workspace: it is not an SQLite database file. "
            "It has not been changed."
        )
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        try:
            return _read_header(uri)
        except sqlite3.OperationalError as exc:
            # A WAL file in a read-only folder cannot be opened even read-only (SQLite
            # cannot create its -shm file); its header can still be read as immutable.
            if "readonly" not in str(exc).lower():
                raise
            return _read_header(uri + "&immutable=1")
    except sqlite3.DatabaseError as exc:
        raise NotAWorkspaceError(
            f"{path} cannot be read as a Baseline workspace ({exc}). It has not been changed."
        ) from None


def _read_header(uri: str) -> tuple[int, int, bool]:
    conn = sqlite3.connect(uri, uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    return int(app_id), int(version), bool(tables)


def opens_untouched(path: Path) -> bool:
    """True when opening the file writes nothing to it: already this version, already WAL.

    Read from the header alone (bytes 18-19 are 2 in WAL mode; user_version at 60), so it
    can be asked of a file whose integrity is not yet known.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    wal = header[18] == 2 and header[19] == 2
    return wal and int.from_bytes(header[60:64], "big") == LATEST_VERSION


def copy_workspace(source: Path, target: Path) -> None:
    """A consistent copy of a workspace file, made through SQLite so the WAL is included."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


class Store:
    """A workspace file. Build one per file; pass it to whoever needs it (never a global).

    Args:
        path: the workspace file; created if it does not exist.
        durable: fsync every commit (synchronous=FULL) so an edit survives power loss,
            not only a crash of the app. On by default.
    """

    actor: str = _default_actor()  # who the history says made the changes (preferences)
    _history_start = 0  # history seq when the outermost transaction began
    _seal_note = ""
    _seal_own = True
    _writes_held = False  # hold_writes(): shown before its integrity check has finished
    _sidecar_head: tuple[int, str] | None = None  # the chain head last written beside the file
    _sidecar_frozen = False  # the sidecar names history this file lacks: kept as evidence
    _sidecar_due: tuple[int, str] | None = None  # a head committed but not yet written beside
    _sidecar_at = -SIDECAR_INTERVAL_S  # time.monotonic() of the last write

    def __init__(
        self,
        path: Path | str,
        *,
        durable: bool = True,
        read_only: bool = False,
        lock: bool = False,
        checked: bool = False,
    ) -> None:
        from models.workspace_lock import WorkspaceLock, check_single_name

        self.path = Path(path)
        self.changes = ChangeListeners()  # told after each commit (models/change_events.py)
        self.warnings: list[str] = []
        self.backup_path: Path | None = None
        self._savepoints = 0
        self.read_only = read_only  # every write raises WorkspaceWriteError saying why
        self.read_only_reason = ""  # "Jane Smith has it open on LAPTOP-12 since 09:14"
        self.lock: WorkspaceLock | None = None  # lock=True: this copy alone writes the file
        exists = self.path.exists() and self.path.stat().st_size > 0
        if self.path.exists() and not self.path.is_file():  # a FIFO would hang the read below
            raise NotAWorkspaceError(
                f"{self.path} is not a Baseline workspace: it is not a regular file (a folder, "
                "named pipe or device). It has not been changed."
            )
        version = 0
        if exists:
            app_id, version, has_tables = self._inspect_or_damaged()
            if app_id != APPLICATION_ID and (has_tables or version):
                raise NotAWorkspaceError(
                    f"{self.path} is an SQLite database but not a Baseline workspace. "
                    "It has not been changed."
                )
            if version > LATEST_VERSION:
                raise NewerWorkspaceError(
                    f"{self.path} was saved by a newer version of Baseline (workspace format "
                    f"{version}; this version understands up to {LATEST_VERSION}). Update the "
                    "app to open it. The file has not been changed."
                )
        elif read_only:
            raise WorkspaceError(f"{self.path} does not exist, so it cannot be opened read-only.")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        fs = network_filesystem(self.path)
        if fs:
            self.warnings.append(
                f"{self.path} is on a network share ({fs}). SQLite's write-ahead log does not "
                "work reliably there: copy the workspace to this computer's disk to work on it."
            )
        self._db: sqlite_utils.Database | None = None
        if read_only:
            self._open_read_only(version)
            return
        if exists:
            check_single_name(self.path)  # a hard link would get round the lock
        if lock:
            self.lock = WorkspaceLock.acquire(self.path)
        try:
            if exists and 0 < version < LATEST_VERSION:
                self.backup_path = self.path.with_name(f"{self.path.name}.v{version}.bak")
                self._backup(self.backup_path)
            conn = sqlite3.connect(str(self.path))
        except (sqlite3.Error, OSError) as exc:
            self._release_lock()
            raise WorkspaceError(f"{self.path} cannot be opened: {exc}") from None
        conn.isolation_level = None  # autocommit; transaction() opens and closes transactions
        self.conn = conn
        try:
            with self._errors("open the workspace"):
                if exists and not checked:  # checked: by models.backups.check_workspace
                    self._check_sound()  # before anything can write to a damaged file
                self.conn.execute("PRAGMA foreign_keys = ON")
                self.conn.execute("PRAGMA busy_timeout = 5000")
                # Statement journals (kept for each write a trigger may abort) in memory, not
                # temporary files: writing 100,000 imported rows took 2.4x as long without it.
                self.conn.execute("PRAGMA temp_store = MEMORY")
                if not fs:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                if version < LATEST_VERSION:
                    migrate(self.db, version)  # sqlite-utils is loaded only when migrating
        except BaseException:
            conn.close()  # a store that failed to open holds no file handle
            self._release_lock()
            raise
        self._check_sidecar()

    def _backup(self, target: Path) -> None:
        """Copy the file before migrating it."""
        try:
            copy_workspace(self.path, target)
        except sqlite3.Error:
            shutil.copy2(self.path, target)

    # ------------------------------------------------------------------ plumbing
    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for schema work and bulk inserts.

        Imported on first use: it pulls in click, dateutil and pluggy, which the
        start-up path and single-row edits do not need.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.flush_sidecar()
        self.conn.close()
        self._release_lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn SQLite's operational errors into messages a user can act on."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            if "baseline: the audit is signed off" not in str(exc):
                raise
            raise SignedOffError(
                f"Could not {action}: the audit is signed off, so it cannot change until it "
                "is reopened (Audit ▸ Reopen…). Nothing was changed."
            ) from None
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if self._writes_held and "readonly" in text:
                why = "it is still being checked for damage, just after opening; try again"
            elif "readonly" in text or "read-only" in text:
                why = "the file or its folder is read-only"
            elif "locked" in text or "busy" in text:
                why = "another program is writing to it; try again in a moment"
            elif "full" in text:
                why = "the disk is full"
            elif "disk i/o" in text:
                why = "the disk reported an input/output error (is it full, or removed?)"
            else:
                raise
            raise WorkspaceWriteError(
                f"Could not {action} in {self.path.name}: {why}. Nothing was changed."
            ) from exc

    @contextlib.contextmanager
    def transaction(self, action: str = "save the change") -> Iterator[None]:
        """All writes inside commit together or not at all (nests as savepoints)."""
        with self._errors(action):
            conn = self.conn
            if conn.in_transaction:
                self._savepoints += 1
                name = f"sp{self._savepoints}"
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    if conn.in_transaction:
                        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                        conn.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                conn.execute(f"RELEASE SAVEPOINT {name}")
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._history_start = last_seq(conn)
                yield
                seal(
                    conn, self._history_start, self.actor, own=self._seal_own, note=self._seal_note
                )
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            sealed = head(conn)
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if sealed != self._sidecar_head:
                self._sidecar_due = sealed
                if time.monotonic() - self._sidecar_at >= SIDECAR_INTERVAL_S:
                    self.flush_sidecar()
            if self.changes:
                self.changes.committed(conn, self._history_start, action)

    @contextlib.contextmanager
    def recording(self, *, note: str = "", own: bool = True) -> Iterator[None]:
        """Changes written inside are sealed with `note` (a reason, a package's name), and
        as this workspace's own changes unless `own` is False (brought in by a merge)."""
        with self.transaction("record the change"):
            # Seal what the enclosing transaction wrote so far as it was written, then what
            # is written inside as asked: the commit seals only what is left.
            seal(
                self.conn, self._history_start, self.actor, own=self._seal_own, note=self._seal_note
            )
            kept = self._seal_note, self._seal_own
            self._seal_note, self._seal_own = note, own
            try:
                yield
                seal(self.conn, self._history_start, self.actor, own=own, note=note)
            finally:
                self._seal_note, self._seal_own = kept

    # ------------------------------------------------------------------ departments
    def add_department(self, name: str, abbreviation: str = "", govuk_id: str = "") -> Department:
        name = name.strip()
        if not name:
            raise ValueError("A department needs a name.")
        dept = Department(_new_id(), name, abbreviation.strip(), govuk_id.strip(), _now())
        with self.transaction("add the department"):
            self.conn.execute(
                "INSERT INTO departments (id, name, abbreviation, govuk_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [dept.id, dept.name, dept.abbreviation, dept.govuk_id, dept.created_at],
            )
        return dept

    def departments(self) -> list[Department]:
        rows = self.conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments"
            " ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [Department(*r) for r in rows]

    def department(self, department_id: str) -> Department:
        row = self.conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments WHERE id = ?",
            [department_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no department {department_id}")
        return Department(*row)

    def find_department(self, name_or_id: str) -> Department | None:
        """A department by id, exact name or abbreviation (case-insensitive)."""
        row = self.conn.execute(
            "SELECT id, name, abbreviation, govuk_id, created_at FROM departments"
            " WHERE id = ? OR lower(name) = lower(?) OR (abbreviation != '' AND"
            " lower(abbreviation) = lower(?)) LIMIT 1",
            [name_or_id, name_or_id, name_or_id],
        ).fetchone()
        return Department(*row) if row else None

    def rename_department(self, department_id: str, name: str) -> Department:
        """Give a department a new name: recorded in history (migration v7) and carried by
        packages, so a merge takes it like any other change (models/merge_identity.py)."""
        name = name.strip()
        if not name:
            raise ValueError("A department needs a name.")
        with self.transaction("rename the department"):
            self.department(department_id)  # KeyError for an unknown department
            self.conn.execute("UPDATE departments SET name = ? WHERE id = ?", [name, department_id])
        return self.department(department_id)

    # ------------------------------------------------------------------ audits
    _AUDIT_COLUMNS = (
        "id, department_id, department_name, cycle, questionnaire_id, questionnaire_version,"
        " status, auditor, created_at, updated_at, copied_from, source, content_hash"
    )

    def create_audit(
        self,
        department_id: str,
        cycle: str,
        questionnaire: Questionnaire,
        auditor: str = "",
        *,
        copied_from: str | None = None,
        source: str = "",
    ) -> Audit:
        cycle = cycle.strip()
        if not cycle:
            raise ValueError("An audit needs a cycle label, such as '2013 baseline'.")
        from models.questionnaire import questionnaire_key_problem

        problem = questionnaire_key_problem(questionnaire.id, questionnaire.version)
        if problem is not None:  # ids from outside are identifiers, never paths
            raise ValueError(f"An audit cannot be made on that questionnaire: {problem}.")
        dept = self.department(department_id)
        now = _now()
        audit = Audit(
            _new_id(), dept.id, dept.name, cycle, questionnaire.id, questionnaire.version,
            "draft", auditor.strip(), now, now, copied_from, source, "",
        )  # fmt: skip
        with self.transaction("create the audit"):
            if self.conn.execute(
                "SELECT 1 FROM audits WHERE department_id = ? AND cycle = ?", [dept.id, cycle]
            ).fetchone():
                raise DuplicateAuditError(f"{dept.name} already has an audit for {cycle!r}.")
            self.conn.execute(
                f"INSERT INTO audits ({self._AUDIT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    audit.id, audit.department_id, audit.department_name, audit.cycle,
                    audit.questionnaire_id, audit.questionnaire_version, audit.status,
                    audit.auditor, audit.created_at, audit.updated_at, audit.copied_from,
                    audit.source, audit.content_hash,
                ],
            )  # fmt: skip
        return audit

    def audits(self, department_id: str | None = None) -> list[Audit]:
        sql = f"SELECT {self._AUDIT_COLUMNS} FROM audits"
        params: list[Any] = []
        if department_id is not None:
            sql += " WHERE department_id = ?"
            params.append(department_id)
        sql += " ORDER BY created_at, cycle"
        return [Audit(*r) for r in self.conn.execute(sql, params).fetchall()]

    def audit(self, audit_id: str) -> Audit:
        row = self.conn.execute(
            f"SELECT {self._AUDIT_COLUMNS} FROM audits WHERE id = ?", [audit_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no audit {audit_id}")
        return Audit(*row)

    def find_audit(self, department_id: str, cycle: str) -> Audit | None:
        row = self.conn.execute(
            f"SELECT {self._AUDIT_COLUMNS} FROM audits WHERE department_id = ? AND cycle = ?",
            [department_id, cycle],
        ).fetchone()
        return Audit(*row) if row else None

    def latest_audit(self, department_id: str) -> Audit | None:
        """The department's most recently created audit: what copy forward starts from."""
        audits = self.audits(department_id)
        return audits[-1] if audits else None

    def set_audit_fields(
        self, audit_id: str, *, auditor: str | None = None, status: str | None = None
    ) -> None:
        with self.transaction("update the audit"):
            if auditor is not None:
                self.conn.execute(
                    "UPDATE audits SET auditor = ?, updated_at = ? WHERE id = ?",
                    [auditor, _now(), audit_id],
                )
            if status is not None:
                self.set_status(audit_id, status)

    def set_status(self, audit_id: str, status: str, *, note: str = "") -> Audit:
        """Move an audit to `status`, recorded in its history with `note` (a reason).

        Signing off takes the content hash; any other status clears it. The rules of which
        moves are allowed live in models/lifecycle.py; this only stores the result. Inside
        recording() (a merge) the move is sealed as that says: brought in, not made here.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.recording(note=note or self._seal_note, own=self._seal_own):
            self.audit(audit_id)  # KeyError for an unknown audit
            digest = content_hash(self.conn, audit_id) if status == "signed_off" else ""
            signed_as = sign_off_record(self.conn, audit_id, digest) if digest else ""
            self.conn.execute(
                "UPDATE audits SET status = ?, content_hash = ?, signed_as = ?, updated_at = ?"
                " WHERE id = ?",
                [status, digest, signed_as, _now(), audit_id],
            )
        return self.audit(audit_id)

    def content_hash(self, audit_id: str) -> str:
        """The hash of what the audit holds now (compare with the one kept at sign-off)."""
        return content_hash(self.conn, audit_id)

    def copy_forward(
        self,
        source_audit_id: str,
        cycle: str,
        questionnaire: Questionnaire,
        auditor: str = "",
    ) -> Audit:
        """A new audit for `cycle`, pre-filled with the answers and rows of the source audit.

        Only answers to questions (and cells of columns) that the target questionnaire
        still has are carried over; comments stay with the year they were written in.
        """
        source = self.audit(source_audit_id)
        with self.transaction("copy the audit forward"):
            audit = self.create_audit(
                source.department_id, cycle, questionnaire, auditor or source.auditor,
                copied_from=source.id, source=f"copied from {source.cycle}",
            )  # fmt: skip
            now = _now()
            for question_id, value in self.answers(source.id).items():
                if questionnaire.has_question(question_id):
                    target = questionnaire.question(question_id)
                    if not target.is_table:
                        self.conn.execute(
                            "INSERT INTO answers (audit_id, question_id, value, updated_at)"
                            " VALUES (?, ?, ?, ?)",
                            [audit.id, question_id, _dump(value), now],
                        )
            for table in questionnaire.table_questions():
                keep = {c.id for c in table.columns}
                rows = self.rows(source.id, table.id)
                self.conn.executemany(
                    "INSERT INTO table_rows"
                    " (id, audit_id, question_id, position, cells, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            _new_id(),
                            audit.id,
                            table.id,
                            r.position,
                            _dump({k: v for k, v in r.cells.items() if k in keep}),
                            now,
                        )
                        for r in rows
                    ],
                )
        return audit

    def _touch(self, audit_id: str, now: str) -> None:
        self.conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", [now, audit_id])

    # ------------------------------------------------------------------ answers
    def answers(self, audit_id: str) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT question_id, value FROM answers WHERE audit_id = ?", [audit_id]
        ).fetchall()
        return {qid: loads(value) for qid, value in rows}

    def answer(self, audit_id: str, question_id: str) -> Any:
        row = self.conn.execute(
            "SELECT value FROM answers WHERE audit_id = ? AND question_id = ?",
            [audit_id, question_id],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def set_answer(self, audit_id: str, question_id: str, value: Any) -> None:
        """Store an answer (None, '' or [] clears it) and commit."""
        now = _now()
        with self.transaction("save the answer"):
            if value is None or value == "" or value == []:
                self.conn.execute(
                    "DELETE FROM answers WHERE audit_id = ? AND question_id = ?",
                    [audit_id, question_id],
                )
            else:
                self.conn.execute(
                    "INSERT INTO answers (audit_id, question_id, value, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (audit_id, question_id)"
                    " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    [audit_id, question_id, _dump(value), now],
                )
            self._touch(audit_id, now)

    def comments(self, audit_id: str) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT question_id, text FROM comments WHERE audit_id = ?", [audit_id]
        ).fetchall()
        return dict(rows)

    def set_comment(self, audit_id: str, question_id: str, text: str) -> None:
        """The auditor's comment on a question ('' removes it)."""
        now = _now()
        with self.transaction("save the comment"):
            if not text:
                self.conn.execute(
                    "DELETE FROM comments WHERE audit_id = ? AND question_id = ?",
                    [audit_id, question_id],
                )
            else:
                self.conn.execute(
                    "INSERT INTO comments (audit_id, question_id, text, updated_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (audit_id, question_id)"
                    " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    [audit_id, question_id, text, now],
                )
            self._touch(audit_id, now)

    # ------------------------------------------------------------------ score cache
    def cached_figures(self, audit_id: str, fingerprint: str) -> str | None:
        """An audit's figures as last worked out (JSON), if nothing has changed since."""
        row = self.conn.execute(
            "SELECT figures FROM score_cache WHERE audit_id = ? AND fingerprint = ?",
            [audit_id, fingerprint],
        ).fetchone()
        return None if row is None else str(row[0])

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one state of the workspace, and figures kept at the end only
        if nobody has changed it since: under WAL a stale snapshot cannot become a write.

        Kept figures can always be worked out again, so their commit does not wait for the
        disk (synchronous=NORMAL under WAL may lose it on power loss, never corrupts).
        """
        if self.conn.in_transaction:
            yield
            return
        wal = self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        level = int(self.conn.execute("PRAGMA synchronous").fetchone()[0])
        if wal:
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
        finally:
            self.conn.execute(f"PRAGMA synchronous = {level}")

    def cache_figures(self, entries: Sequence[tuple[str, str, str]]) -> None:
        """Keep audits' figures (audit id, fingerprint, JSON) in one write; triggers drop an
        audit's entry when its answers or rows change.

        Only a speed-up, so it never waits for another writer and never fails: when the
        workspace is busy, read-only, or changed since the figures were read (inside
        snapshot()), nothing is kept.
        """
        wait = int(self.conn.execute("PRAGMA busy_timeout").fetchone()[0])
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.transaction("keep the audits' figures"):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO score_cache (audit_id, fingerprint, figures)"
                    " VALUES (?, ?, ?)",
                    entries,
                )
        except (WorkspaceError, sqlite3.IntegrityError):
            pass  # busy, read-only, stale, or the audit was deleted meanwhile
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {wait}")

    # ------------------------------------------------------------------ table rows
    def rows(
        self, audit_id: str, table_id: str, *, start: int = 0, limit: int | None = None
    ) -> list[Row]:
        """A table's rows in order; `start` and `limit` read a page (positions are 0..n-1)."""
        sql = (
            "SELECT id, position, cells FROM table_rows WHERE audit_id = ? AND question_id = ?"
            " AND position >= ? ORDER BY position"
        )
        params: list[Any] = [audit_id, table_id, start]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cursor = self.conn.execute(sql, params)
        return [Row(rid, pos, raw=cells) for rid, pos, cells in cursor]

    def all_cells(self, audit_id: str) -> list[tuple[str, str]]:
        """(table id, cells as stored JSON) of every row of the audit, each table in order."""
        return self.conn.execute(
            "SELECT question_id, cells FROM table_rows WHERE audit_id = ?"
            " ORDER BY question_id, position",
            [audit_id],
        ).fetchall()

    def row_counts(self, audit_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT question_id, count(*) FROM table_rows WHERE audit_id = ? GROUP BY question_id",
            [audit_id],
        ).fetchall()
        return dict(rows)

    def insert_rows(
        self,
        audit_id: str,
        table_id: str,
        position: int,
        cells: Sequence[dict[str, Any]],
        ids: Sequence[str] | None = None,
    ) -> list[Row]:
        """Insert rows at `position` (0 = top), shifting later rows down; commit."""
        if ids is not None and len(ids) != len(cells):
            raise ValueError("ids and cells differ in length")
        new_ids = list(ids) if ids is not None else [_new_id() for _ in cells]
        now = _now()
        count = len(cells)
        with self.transaction("add the rows"):
            self.conn.execute(
                "UPDATE table_rows SET position = position + ? WHERE audit_id = ?"
                " AND question_id = ? AND position >= ?",
                [count, audit_id, table_id, position],
            )
            self.conn.executemany(
                "INSERT INTO table_rows (id, audit_id, question_id, position, cells, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (rid, audit_id, table_id, position + i, _dump(c), now)
                    for i, (rid, c) in enumerate(zip(new_ids, cells, strict=True))
                ],
            )
            self._touch(audit_id, now)
        return [
            Row(rid, position + i, dict(c))
            for i, (rid, c) in enumerate(zip(new_ids, cells, strict=True))
        ]

    def delete_rows(self, audit_id: str, table_id: str, row_ids: Iterable[str]) -> None:
        """Delete rows and close the gaps they leave; commit."""
        ids = list(row_ids)
        now = _now()
        with self.transaction("delete the rows"):
            self.conn.executemany(
                "DELETE FROM table_rows WHERE id = ? AND audit_id = ?", [(i, audit_id) for i in ids]
            )
            self._renumber(audit_id, table_id)
            self._touch(audit_id, now)

    def _renumber(self, audit_id: str, table_id: str) -> None:
        self.conn.execute(
            "WITH ordered AS (SELECT id, row_number() OVER (ORDER BY position) - 1 AS n"
            " FROM table_rows WHERE audit_id = ? AND question_id = ?)"
            " UPDATE table_rows SET position = ordered.n FROM ordered"
            " WHERE table_rows.id = ordered.id AND table_rows.position != ordered.n",
            [audit_id, table_id],
        )

    def set_cell(self, audit_id: str, row_id: str, column_id: str, value: Any) -> None:
        """Set one cell (None clears it); commit."""
        now = _now()
        with self.transaction("save the cell"):
            if value is None or value == "" or value == []:
                self.conn.execute(
                    "UPDATE table_rows SET cells = json_remove(cells, ?), updated_at = ?"
                    " WHERE id = ? AND audit_id = ?",
                    [f'$."{column_id}"', now, row_id, audit_id],
                )
            else:
                self.conn.execute(
                    "UPDATE table_rows SET cells = json_set(cells, ?, json(?)), updated_at = ?"
                    " WHERE id = ? AND audit_id = ?",
                    [f'$."{column_id}"', _dump(value), now, row_id, audit_id],
                )
            self._touch(audit_id, now)

    def set_cells(self, audit_id: str, changes: Iterable[tuple[str, str, Any]]) -> None:
        """Set many (row id, column id, value) cells in one commit (a paste)."""
        with self.transaction("save the pasted cells"):
            for row_id, column_id, value in changes:
                self.set_cell(audit_id, row_id, column_id, value)

    def move_row(self, audit_id: str, table_id: str, row_id: str, new_position: int) -> None:
        """Move one row to `new_position` (0-based, among the table's rows); commit."""
        now = _now()
        with self.transaction("move the row"):
            row = self.conn.execute(
                "SELECT position FROM table_rows WHERE id = ? AND audit_id = ?", [row_id, audit_id]
            ).fetchone()
            if row is None:
                raise KeyError(f"no row {row_id}")
            old = int(row[0])
            last = self.conn.execute(
                "SELECT count(*) - 1 FROM table_rows WHERE audit_id = ? AND question_id = ?",
                [audit_id, table_id],
            ).fetchone()[0]
            new_position = max(0, min(new_position, last))  # past either end: to that end
            if old == new_position:
                return
            if new_position > old:
                self.conn.execute(
                    "UPDATE table_rows SET position = position - 1 WHERE audit_id = ?"
                    " AND question_id = ? AND position > ? AND position <= ?",
                    [audit_id, table_id, old, new_position],
                )
            else:
                self.conn.execute(
                    "UPDATE table_rows SET position = position + 1 WHERE audit_id = ?"
                    " AND question_id = ? AND position >= ? AND position < ?",
                    [audit_id, table_id, new_position, old],
                )
            self.conn.execute(
                "UPDATE table_rows SET position = ?, updated_at = ? WHERE id = ?",
                [new_position, now, row_id],
            )
            self._touch(audit_id, now)

    # ------------------------------------------------------------------ bulk (demo, imports)
    def bulk_rows(self, audit_id: str, table_id: str, cells: Sequence[dict[str, Any]]) -> None:
        """Append many rows in one transaction (demo data, imports)."""
        now = _now()
        with self.transaction("add the rows"):
            start = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM table_rows WHERE audit_id = ?"
                " AND question_id = ?",
                [audit_id, table_id],
            ).fetchone()[0]
            self.db.table("table_rows").insert_all(
                (
                    {
                        "id": _new_id(),
                        "audit_id": audit_id,
                        "question_id": table_id,
                        "position": start + i,
                        "cells": _dump(c),
                        "updated_at": now,
                    }
                    for i, c in enumerate(cells)
                ),
                batch_size=1000,
            )

    # ---- backups and locking
    def _inspect_or_damaged(self) -> tuple[int, int, bool]:
        """_inspect, but a file with SQLite's header that SQLite cannot read is damaged."""
        try:
            return _inspect(self.path)
        except NotAWorkspaceError as exc:
            with self.path.open("rb") as fh:
                if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise
            from models.backups import CorruptWorkspaceError

            raise CorruptWorkspaceError(self.path, "SQLite cannot read it as a database") from exc

    def _check_sound(self) -> None:
        """PRAGMA quick_check before the first write: a damaged file is never written to."""
        from models.backups import check_workspace

        try:
            check_workspace(self.path)
        except BaseException:
            self.conn.close()
            raise

    def _open_read_only(self, version: int) -> None:
        """Open for reading only: through SQLite's read-only mode (immutable on read-only media)."""
        import os

        from models.workspace_lock import ReadOnlyConnection, is_stale, read_holder, this_copy

        if version < LATEST_VERSION:
            raise WorkspaceError(
                f"{self.path} needs upgrading to this version's format, which cannot be done "
                "read-only. Open it normally once. It has not been changed."
            )
        holder = read_holder(self.path)
        me = this_copy()
        writable = os.access(self.path.parent, os.W_OK) and os.access(self.path, os.W_OK)
        ours = holder is not None and (holder.host, holder.pid) == (me.host, me.pid)
        if holder is not None and not ours and not is_stale(holder, me):
            self.read_only_reason = holder.describe()
        if not self.read_only_reason:
            self.read_only_reason = (
                "it was opened read-only" if writable else "the file or its folder is read-only"
            )
        uri = self.path.resolve().as_uri() + "?mode=ro"
        if not writable:
            uri += "&immutable=1"  # SQLite cannot make the -shm file of a WAL here
        conn = sqlite3.connect(uri, uri=True, factory=ReadOnlyConnection)
        conn.reason = self.read_only_reason
        conn.isolation_level = None
        self.conn = conn
        try:
            with self._errors("open the workspace"):
                self._check_sound()
                self.conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise

    def _release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def change_marker(self) -> tuple[int, int]:
        """Differs whenever the workspace has changed (by this connection or another):
        tells the interval backup whether there is anything new to keep."""
        data_version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        return self.conn.total_changes, data_version

    def restore_from(self, backup: Path) -> None:
        """Replace this workspace's contents with a backup's, as one SQLite transaction.

        SQLite's backup API writes into this connection under its journal (the WAL), so a
        crash or power cut leaves the workspace as it was or as the backup, never between.
        Use models.backups.restore_backup, which keeps the current state first.
        """
        if self.read_only:
            raise WorkspaceWriteError(
                f"This workspace is open read-only: {self.read_only_reason}. Nothing was changed."
            )
        if self._writes_held:  # the backup API does not heed query_only: refuse it here
            raise WorkspaceWriteError(
                f"Could not restore {self.path.name}: it is still being checked for damage, "
                "just after opening; try again. Nothing was changed."
            )
        source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            with self._errors("restore the backup"):
                source.backup(self.conn)
        finally:
            source.close()
        version = self.schema_version
        if version < LATEST_VERSION:
            with self._errors("upgrade the restored workspace"):
                migrate(self.db, version)
        self._sidecar_frozen = False  # the restore chose this history: record its head
        self._write_sidecar(head(self.conn))

    def _check_sidecar(self) -> None:
        """Compare the chain head kept beside the file with this file's history on opening.

        A sidecar naming an entry this file no longer holds (its end cut off, or the file
        replaced by an older copy) is left as it is, as evidence for verify, and said.
        """
        from models.chain_anchor import AnchorError, current_head, read_sidecar

        try:
            ours = current_head(self.conn)
            kept = read_sidecar(self.path)
            lost = bool(kept and kept.seq and kept.hash != self._hash_of(kept.seq))
        except AnchorError:
            kept, lost = None, False
        except sqlite3.DatabaseError:  # damaged: its integrity check says so; record nothing
            self._sidecar_frozen = True
            return
        if lost and kept is not None:
            self._sidecar_frozen = True
            self.warnings.append(
                f"The history record kept beside {self.path.name} names entry {kept.seq}, "
                "which this workspace no longer holds as it was: its newest history may have "
                "been removed, or the file replaced by an older copy. Run Verify."
            )
            return
        if kept is None or (kept.seq, kept.hash) != (ours.seq, ours.hash):
            self._write_sidecar((ours.seq, ours.hash))
        else:
            self._sidecar_head = (ours.seq, ours.hash)

    def _hash_of(self, seq: int) -> str | None:
        row = self.conn.execute("SELECT hash FROM history WHERE seq = ?", [seq]).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def flush_sidecar(self) -> None:
        """Write the chain head committed since the last write, if any (also done on close)."""
        if self._sidecar_due is not None and self._sidecar_due != self._sidecar_head:
            self._write_sidecar(self._sidecar_due)
        self._sidecar_due = None

    def _write_sidecar(self, sealed: tuple[int, str]) -> None:
        """Record the chain head beside the file (models/chain_anchor.py); never fails a commit."""
        if self._sidecar_frozen:
            return
        from models.chain_anchor import ChainHead, write_sidecar
        from models.history_chain import workspace_id

        write_sidecar(self.path, ChainHead(*sealed, workspace_id(self.conn)))
        self._sidecar_head = sealed
        self._sidecar_at = time.monotonic()

    def hold_writes(self, held: bool) -> None:
        """While held, SQLite refuses every write on this connection (PRAGMA query_only): the
        app shows the workspace while its integrity check is still running on a thread."""
        self.conn.execute(f"PRAGMA query_only = {1 if held else 0}")
        self._writes_held = held
