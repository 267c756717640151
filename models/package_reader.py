"""Reading an audit package: a regular file only, sizes limited before anything is inflated,
checksum and manifest checked, content parsed by models/package_shape.py."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from models.migrations import LATEST_VERSION
from models.package_records import (
    CONTENT,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_CONTENT_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_RATIO,
    Manifest,
    Package,
    PackageError,
    _why,
)
from models.questionnaire import DefinitionError, get_questionnaire, questionnaire_key_problem


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
    if any(a.evidence for a in audits):  # each file against its declared hash, before merging
        from models.package_evidence import check_files

        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as archive:
                check_files(archive, path, audits)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise PackageError(
                f"{path.name} is damaged or incomplete ({exc}). Nothing was imported."
            ) from None
    for packaged in audits:
        key = (packaged.audit.questionnaire_id, packaged.audit.questionnaire_version)
        if key not in manifest.questionnaires:
            raise PackageError(f"{path.name} is damaged: its manifest does not list {key}.")
    return Package(path, manifest, audits)


def _check_sizes(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse a package whose members claim more than a package holds, before inflating any."""
    from models.package_evidence import MAX_FILES, member_limit

    infos = archive.infolist()
    if len(infos) > 16 + MAX_FILES:
        raise PackageError(f"{path.name} is not an audit package ({len(infos)} files in it).")
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_CONTENT_BYTES
        limit = member_limit(info.filename) or limit  # an evidence file: models/package_evidence
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
