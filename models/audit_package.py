"""Audit packages: audits with their content and change history in one file to e-mail or carry.

A package is a zip of `manifest.json` (what it is, who made it, which questionnaires, a
SHA-256 of the content) and `content.json` (each audit's record, department, answers,
comments, rows and every change it knows of, by change id). models/merge.py takes one in.
Packages are written atomically and read with size limits set before anything is inflated.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from models.chain_anchor import manifest_field
from models.history_chain import workspace_id
from models.json_text import loads
from models.migrations import LATEST_VERSION
from models.questionnaire import DefinitionError, get_questionnaire, questionnaire_key_problem
from models.records import Audit, Department
from models.store import Store

FORMAT = "baseline-audit-package"
FORMAT_VERSION = 1
SUFFIX = ".baseline-package"
MANIFEST = "manifest.json"
CONTENT = "content.json"
MAX_MANIFEST_BYTES = 1 << 20
MAX_CONTENT_BYTES = 1 << 30  # 1 GiB of JSON is far beyond any real set of audits
MAX_RATIO = 200  # JSON deflates 5-30x; a zip bomb deflates ~1000x


class PackageError(ValueError):
    """A package that cannot be read or written; the message says why and what to do."""


@dataclass(frozen=True)
class PackageChange:
    """One change a workspace knows of: its change id and what it did."""

    origin: str  # "<workspace id>:<seq>" of the workspace that made it
    kind: str  # answer | comment | row | status
    item: str  # question id, row id, or audit id for a status
    question_id: str
    old: str | None  # as stored in history: JSON text for answers and rows, else plain
    new: str | None
    who: str
    at: str
    note: str = ""

    @property
    def moved_only(self) -> bool:
        """A row that only changed place: its cells are what they were."""
        return self.kind == "row" and self.old is not None and self.old == self.new


@dataclass(frozen=True)
class PackagedRow:
    id: str
    table: str
    position: int
    cells: dict[str, Any]


@dataclass
class PackagedAudit:
    """One audit as the package carries it."""

    audit: Audit
    department: Department
    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    rows: list[PackagedRow] = field(default_factory=list)
    changes: list[PackageChange] = field(default_factory=list)
    # Which file each imported row came from (models/foreign_imports.py): carried so that
    # importing the same file again after a merge is known as a repeat, not doubled.
    imports: list[dict[str, Any]] = field(default_factory=list)
    provenance: list[list[Any]] = field(default_factory=list)  # [row id, import id, row, source]
    # What reading left out because it does not fit the questionnaire (models/incoming.py):
    # a merge leaves this workspace's own value for each, and says so.
    refused: list[str] = field(default_factory=list)
    refused_answers: set[str] = field(default_factory=set)
    refused_comments: set[str] = field(default_factory=set)
    refused_cells: dict[str, set[str]] = field(default_factory=dict)  # row id: column ids
    refused_rows: set[str] = field(default_factory=set)  # row ids

    @property
    def title(self) -> str:
        return f"{self.department.name}, {self.audit.cycle}"


@dataclass(frozen=True)
class Manifest:
    format_version: int
    schema_version: int
    workspace_id: str
    created_at: str
    created_by: str
    questionnaires: tuple[tuple[str, int], ...]
    audit_ids: tuple[str, ...]
    content_sha256: str
    content_bytes: int


@dataclass
class Package:
    """A package read and checked: its manifest and its audits."""

    path: Path
    manifest: Manifest
    audits: list[PackagedAudit]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def refused(self) -> list[str]:
        """Every value reading left out, "audit: where: why"."""
        return [line for a in self.audits for line in a.refused]


@dataclass(frozen=True)
class PackageSummary:
    """What write_package wrote."""

    path: Path
    audits: int
    changes: int
    bytes: int

    def text(self) -> str:
        return (
            f"Wrote {self.audits} audit(s) with {self.changes:,} recorded change(s) to "
            f"{self.path} ({self.bytes:,} bytes)."
        )


# ---------------------------------------------------------------- writing


def _digest(at: str, new: str | None) -> str:
    return hashlib.sha256(f"{at}\x1f{new}".encode()).hexdigest()[:8]


def known_changes(store: Store, audit_id: str) -> list[PackageChange]:
    """Every change this workspace knows of for an audit: its own (by change id; those made
    outside the app get the id a seal would have given them) and those taken in from
    other workspaces. Changes a merge wrote here carry no id: their ids are absorbed ones."""
    here = workspace_id(store.conn)
    found: dict[str, PackageChange] = {}
    cursor = store.conn.execute(
        "SELECT seq, kind, item, question_id, old, new, who, at, note, origin, hash"
        " FROM history WHERE audit_id = ? AND (origin IS NOT NULL OR hash IS NULL) ORDER BY seq",
        [audit_id],
    )
    for seq, kind, item, qid, old, new, who, at, note, origin, digest in cursor:
        # A change made outside the app has no id; this one is the same on every read, and
        # differs between copies of one file that each had their own outside change.
        change_id = origin if origin is not None else f"{here}:{seq}:outside:{_digest(at, new)}"
        if digest is None and not note:
            note = "made outside the app"
        found.setdefault(
            change_id, PackageChange(change_id, kind, item, qid, old, new, who, at, note)
        )
    cursor = store.conn.execute(
        "SELECT origin, kind, item, question_id, old, new, who, at, note FROM absorbed_changes"
        " WHERE audit_id = ? ORDER BY at, origin",
        [audit_id],
    )
    for origin, kind, item, qid, old, new, who, at, note in cursor:
        found.setdefault(origin, PackageChange(origin, kind, item, qid, old, new, who, at, note))
    row = store.conn.execute("SELECT department_id FROM audits WHERE id = ?", [audit_id]).fetchone()
    for change in identity_changes(store, audit_id, str(row[0]) if row else ""):
        found.setdefault(change.origin, change)
    return list(found.values())


IDENTITY = (("department", "name"), ("audit", "auditor"))  # (kind, question_id) of renames


def identity_changes(store: Store, audit_id: str, department_id: str) -> list[PackageChange]:
    """The renames of an audit's department and changes of its auditor this workspace knows
    of (history keeps them with an empty audit id, migration v7), so a package carries them
    and a merge takes them like any other change (models/merge_identity.py)."""
    here = workspace_id(store.conn)
    found: list[PackageChange] = []
    cursor = store.conn.execute(
        "SELECT seq, kind, item, question_id, old, new, who, at, note, origin, hash FROM history"
        " WHERE audit_id = '' AND ((kind = 'department' AND item = ? AND question_id = 'name')"
        " OR (kind = 'audit' AND item = ? AND question_id = 'auditor'))"
        " AND (origin IS NOT NULL OR hash IS NULL) ORDER BY seq",
        [department_id, audit_id],
    )
    for seq, kind, item, qid, old, new, who, at, note, origin, digest in cursor:
        change_id = origin if origin is not None else f"{here}:{seq}:outside:{_digest(at, new)}"
        note = note or ("made outside the app" if digest is None else "")
        found.append(PackageChange(change_id, kind, item, qid, old, new, who, at, note))
    cursor = store.conn.execute(  # taken in by merges, with this audit or another of its department
        "SELECT origin, kind, item, question_id, old, new, who, at, note FROM absorbed_changes"
        " WHERE audit_id IN (SELECT id FROM audits WHERE department_id = ?) AND"
        " ((kind = 'department' AND question_id = 'name') OR (kind = 'audit' AND item = ?"
        " AND question_id = 'auditor')) ORDER BY at, origin",
        [department_id, audit_id],
    )
    found += [PackageChange(*row) for row in cursor]
    return found


def packaged_audit(store: Store, audit_id: str) -> PackagedAudit:
    """An audit of this workspace as a package carries it."""
    audit = store.audit(audit_id)
    rows = [
        PackagedRow(rid, table, int(pos), loads(cells))
        for rid, table, pos, cells in store.conn.execute(
            "SELECT id, question_id, position, cells FROM table_rows WHERE audit_id = ?"
            " ORDER BY question_id, position, id",
            [audit_id],
        )
    ]
    from models.foreign_imports import packaged_imports

    imports, provenance = packaged_imports(store, audit_id)
    return PackagedAudit(
        audit,
        store.department(audit.department_id),
        store.answers(audit_id),
        store.comments(audit_id),
        rows,
        known_changes(store, audit_id),
        imports,
        provenance,
    )


def _audit_json(item: PackagedAudit) -> dict[str, Any]:
    return {
        "audit": asdict(item.audit),
        "department": asdict(item.department),
        "answers": item.answers,
        "comments": item.comments,
        "rows": [[r.id, r.table, r.position, r.cells] for r in item.rows],
        "changes": [
            [c.origin, c.kind, c.item, c.question_id, c.old, c.new, c.who, c.at, c.note]
            for c in item.changes
        ],
        "imports": item.imports,  # absent from older packages; older apps ignore it
        "provenance": item.provenance,
    }


def write_package(
    store: Store, path: Path | str, audit_ids: Iterable[str], *, created_by: str | None = None
) -> PackageSummary:
    """Write the audits, with everything they know of their history, to one package file.

    Written to a temporary file beside `path` and renamed over it, so a full disk or a
    pulled USB stick leaves no half-written package behind.
    """
    path = Path(path)
    ids = list(dict.fromkeys(audit_ids))
    if not ids:
        raise PackageError("Choose at least one audit to put in the package.")
    with store.snapshot():  # one consistent state of the workspace
        audits = [packaged_audit(store, audit_id) for audit_id in ids]
        source = workspace_id(store.conn)
        chain_head = manifest_field(store.conn)  # verify --against reads it (chain_anchor)
    content = json.dumps(
        {"audits": [_audit_json(a) for a in audits]}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    questionnaires = sorted(
        {(a.audit.questionnaire_id, a.audit.questionnaire_version) for a in audits}
    )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": LATEST_VERSION,
        "workspace_id": source,
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "created_by": store.actor if created_by is None else created_by,
        "questionnaires": [{"id": q, "version": v} for q, v in questionnaires],
        "audits": [
            {"id": a.audit.id, "department": a.department.name, "cycle": a.audit.cycle}
            for a in audits
        ],
        "content_sha256": hashlib.sha256(content).hexdigest(),
        "content_bytes": len(content),
        "chain_head": chain_head,
    }
    _write_atomically(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode(), content)
    return PackageSummary(
        path, len(audits), sum(len(a.changes) for a in audits), path.stat().st_size
    )


def _write_atomically(path: Path, manifest: bytes, content: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, manifest)
                archive.writestr(CONTENT, content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
        temp = None
        with contextlib.suppress(OSError):  # make the rename itself durable where possible
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise PackageError(f"Could not write {path}: {_why(exc)}. Nothing was written.") from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EFBIG:
        return "the file is too large for that disk (or the disk is full)"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only or you may not write there"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    return exc.strerror or str(exc)


# ---------------------------------------------------------------- reading


def read_package(path: Path | str) -> Package:
    """Read and check a package: refuses newer formats, damage, tampering, zip bombs and
    questionnaire versions this app does not have, before anything is merged."""
    path = Path(path)
    with _open_regular(path) as fh:
        return _read_open(path, fh)


def _open_regular(path: Path) -> BinaryIO:
    """The file open for reading, refused unless it is a regular file: a named pipe would
    block the read forever and a device would never end, so neither is ever read from."""
    try:  # non-blocking: opening a named pipe with no writer must not wait for one
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise PackageError(f"There is no file {path}.") from None
    except OSError as exc:
        with contextlib.suppress(OSError):  # a socket cannot even be opened: say what it is
            _refuse_special(path, os.stat(path).st_mode)
        raise PackageError(f"{path} cannot be read: {_why(exc)}.") from None
    try:
        _refuse_special(path, os.fstat(fd).st_mode)
    except PackageError:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _refuse_special(path: Path, mode: int) -> None:
    """Refuse anything but a regular file, saying what it is."""
    if stat.S_ISREG(mode):
        return
    kind = (
        "a folder" if stat.S_ISDIR(mode)
        else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "a device"
    )  # fmt: skip
    raise PackageError(
        f"{path.name} is {kind}, not a file: it cannot be an audit package. Nothing was imported."
    )


def _read_open(path: Path, fh: BinaryIO) -> Package:
    try:
        archive = zipfile.ZipFile(fh)
    except OSError as exc:
        raise PackageError(f"{path} cannot be read: {_why(exc)}.") from None
    except zipfile.BadZipFile:
        raise PackageError(
            f"{path.name} is not an audit package, or it is damaged or incomplete (was it "
            "copied in full?). Nothing was imported."
        ) from None
    with archive:
        try:
            _check_sizes(archive, path)
            manifest = _manifest(path, _member(archive, path, MANIFEST, MAX_MANIFEST_BYTES))
            content = _member(archive, path, CONTENT, MAX_CONTENT_BYTES)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            if isinstance(exc, PackageError):
                raise
            raise PackageError(
                f"{path.name} is damaged or incomplete ({exc}). Nothing was imported."
            ) from None
    if len(content) != manifest.content_bytes or (
        hashlib.sha256(content).hexdigest() != manifest.content_sha256
    ):
        raise PackageError(
            f"{path.name} has been tampered with or damaged: its content does not match the "
            "checksum it was written with. Nothing was imported; ask for it to be sent again."
        )
    from models.package_shape import parse_content

    audits = parse_content(content, path.name)  # every field and value checked, or refused
    for packaged in audits:
        key = (packaged.audit.questionnaire_id, packaged.audit.questionnaire_version)
        if key not in manifest.questionnaires:
            raise PackageError(f"{path.name} is damaged: its manifest does not list {key}.")
    return Package(path, manifest, audits)


def _check_sizes(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse a package whose members claim more than a package holds, before inflating any."""
    infos = archive.infolist()
    if len(infos) > 16:
        raise PackageError(f"{path.name} is not an audit package ({len(infos)} files in it).")
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_CONTENT_BYTES
        if info.file_size > limit or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 4096:
            raise PackageError(
                f"{path.name} is refused: {info.filename} would inflate to {info.file_size:,} "
                f"bytes from {info.compress_size:,}, far more than an audit package holds. "
                "Nothing was imported."
            )


def _member(archive: zipfile.ZipFile, path: Path, name: str, limit: int) -> bytes:
    """A member's bytes, refused before inflating when it claims, or turns out, too big."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise PackageError(
            f"{path.name} is not an audit package (it has no {name}). Nothing was imported."
        ) from None
    if info.file_size > limit:
        raise PackageError(f"{path.name} is refused: {name} is too large for an audit package.")
    with archive.open(info) as fh:
        data = fh.read(info.file_size + 1)  # never more than declared, whatever the data says
    if len(data) != info.file_size:
        raise PackageError(f"{path.name} is damaged: {name} is not the size it declares.")
    return data


def _manifest(path: Path, data: bytes) -> Manifest:
    from models.package_shape import ShapeError, parse_json, text, whole

    try:
        raw = parse_json(data, MANIFEST)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise PackageError(
                f"{path.name} is not a Baseline audit package. Nothing was imported."
            )
        version = whole(raw["format_version"], f"{MANIFEST} format_version")
        schema = whole(raw["schema_version"], f"{MANIFEST} schema_version")
        if version > FORMAT_VERSION or schema > LATEST_VERSION:
            raise PackageError(
                f"{path.name} was made by a newer version of Baseline (package format {version}, "
                f"workspace format {schema}; this version reads up to {FORMAT_VERSION} and "
                f"{LATEST_VERSION}). Update the app to import it. Nothing was imported."
            )
        questionnaires = tuple((q["id"], q["version"]) for q in raw["questionnaires"])
        for qid, qversion in questionnaires:
            problem = questionnaire_key_problem(qid, qversion)
            if problem is not None:
                raise PackageError(f"{path.name} is refused: {MANIFEST}: {problem}.")
        manifest = Manifest(
            version,
            schema,
            text(raw["workspace_id"], f"{MANIFEST} workspace_id"),
            text(raw["created_at"], f"{MANIFEST} created_at"),
            text(raw.get("created_by", ""), f"{MANIFEST} created_by"),
            questionnaires,
            tuple(text(a["id"], f"{MANIFEST} audits: id") for a in raw["audits"]),
            text(raw["content_sha256"], f"{MANIFEST} content_sha256"),
            whole(raw["content_bytes"], f"{MANIFEST} content_bytes"),
        )
    except PackageError:
        raise
    except ShapeError as exc:
        raise PackageError(f"{path.name} is refused: {exc}. Nothing was imported.") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise PackageError(
            f"{path.name} has a damaged manifest ({exc!r}). Nothing was imported."
        ) from None
    for qid, qversion in questionnaires:
        try:
            get_questionnaire(qid, qversion)
        except DefinitionError:
            raise PackageError(
                f"{path.name} holds audits on questionnaire {qid!r} version {qversion}, which "
                "this version of Baseline does not have. Update the app to import it. Nothing "
                "was imported."
            ) from None
    return manifest
