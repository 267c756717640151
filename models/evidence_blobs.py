"""Writing an evidence file into the content-addressed folder: fast, whole, never half-kept.

Attaching copies a local file with the kernel (`copy_file_range`, the call `cp` uses), so
the bytes never pass through Python, then hashes the copy it made while the disk flushes
it: the hash is of the bytes kept, and attaching costs about one durable copy. A source
that is not a local file (a package member) or a system without the call is copied in
chunks, hashed on a thread as it is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.evidence_checks import MAX_FILE_BYTES, SHA256, EvidenceError, refuse, size_text

CHUNK = 1 << 20
COPY_CHUNK = 4 << 20  # chunked copies: few enough chunks that handing them over costs nothing


class _KernelCopyUnavailable(Exception):
    """copy_file_range cannot copy these two files; nothing has been written."""


def blob_path(folder: Path, sha256: str) -> Path:
    """Where the file with this content is kept (the name is checked: 64 hex digits)."""
    if not SHA256.match(sha256):
        raise EvidenceError(f"{sha256[:80]!r} is not a SHA-256 of an evidence file.")
    return folder / sha256[:2] / sha256


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` survive a power cut (POSIX; Windows has no folder fd)."""
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Hasher:
    """Hashes chunks on a thread while the caller writes them: hashlib and file writes both
    release the GIL, so a chunked copy costs about the longer of the two, not their sum.
    The bytes hashed are the bytes written, in order."""

    def __init__(self, digest: Any) -> None:
        self.digest = digest
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self.thread = threading.Thread(target=self._work, name="evidence-hash", daemon=True)

    def _work(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            self.digest.update(chunk)

    def put(self, chunk: bytes) -> None:
        self.chunks.put(chunk)

    def __enter__(self) -> _Hasher:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.chunks.put(None)
        self.thread.join()


def _kernel_copy(source: int, offset: int, out: int, limit: int) -> int:
    """Copy from `offset` of `source` to the end (at most `limit` bytes) into `out` in the
    kernel; the bytes copied. _KernelCopyUnavailable if the call cannot copy these files
    and nothing was copied yet."""
    copy = getattr(os, "copy_file_range", None)
    if copy is None:
        raise _KernelCopyUnavailable
    copied = 0
    while copied < limit:
        try:
            n = copy(source, out, min(limit - copied, 1 << 30), offset + copied)
        except OSError:
            # Before anything is copied, any refusal (another file system, a file system or
            # sandbox without the call: EXDEV, ENOSYS, EPERM, ...) means: copy in chunks, as
            # shutil does; a real read error then shows there, naming the file.
            if copied == 0:
                raise _KernelCopyUnavailable from None
            raise
        if n == 0:
            break
        copied += n
    return copied


def _hash_while_flushing(fd: int) -> str:
    """SHA-256 of the file just written to `fd` (mkstemp's, open for reading and writing),
    read back from the page cache while another thread fsyncs it: attaching waits for the
    longer of the two, not their sum."""
    failure: list[OSError] = []

    def flush() -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            failure.append(exc)

    flusher = threading.Thread(target=flush, name="evidence-fsync", daemon=True)
    flusher.start()
    try:
        with os.fdopen(os.dup(fd), "rb") as copy:  # the file written, not whatever has its name
            copy.seek(0)
            sha = hashlib.file_digest(copy, "sha256").hexdigest()
    finally:
        flusher.join()
    if failure:
        raise failure[0]
    return sha


def _chunked_copy(
    source: io.BufferedIOBase, first: bytes, out: int, too_large: Callable[[], EvidenceError]
) -> tuple[str, int]:
    """Copy `first` then the rest of `source` in chunks, hashing on a thread; fsync."""
    digest = hashlib.sha256()
    size = 0
    with _Hasher(digest) as hasher:
        chunk = first
        while True:
            if chunk:
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise too_large()
                hasher.put(chunk)
                _write_all(out, chunk)
            chunk = source.read(COPY_CHUNK)
            if not chunk:
                break
    os.fsync(out)
    return digest.hexdigest(), size


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy_into(source: io.BufferedIOBase, first: bytes, out: int, name: str) -> tuple[str, int]:
    """Copy the whole of `source` (after `first`, already read) into `out`; (hash, size)."""

    def too_large() -> EvidenceError:
        return refuse(name, f"it is larger than {size_text(MAX_FILE_BYTES)}")

    if not isinstance(source, io.BufferedReader | io.FileIO):  # a package member, say
        return _chunked_copy(source, first, out, too_large)
    fileno = source.fileno()
    offset = source.tell()  # where `first` ended, whatever the reader buffered ahead
    _write_all(out, first)
    try:
        copied = _kernel_copy(fileno, offset, out, MAX_FILE_BYTES + 1 - len(first))
    except _KernelCopyUnavailable:
        return _rest_chunked(source, first, out, too_large)
    size = len(first) + copied
    if size > MAX_FILE_BYTES:
        raise too_large()
    return _hash_while_flushing(out), size


def _rest_chunked(
    source: io.BufferedIOBase, first: bytes, out: int, too_large: Callable[[], EvidenceError]
) -> tuple[str, int]:
    """The chunked copy after `first` was written already: start the hash over from it."""
    os.lseek(out, 0, os.SEEK_SET)
    os.ftruncate(out, 0)
    return _chunked_copy(source, first, out, too_large)


def put_blob(
    folder: Path,
    source: io.BufferedIOBase,
    name: str,
    *,
    expected: str | None = None,
    first: bytes = b"",
) -> tuple[str, int]:
    """Copy a file into the folder under its SHA-256; (hash, size).

    Written under a temporary name, fsynced and renamed, so a kept file is always whole.
    `expected`: the hash the file must have (a package's), else nothing is kept. Content
    already kept is not written again. `first`: bytes already read from `source`.
    """
    incoming = folder / "incoming"
    try:
        incoming.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".part-", dir=incoming)
    except OSError as exc:
        raise refuse(name, f"the evidence folder {folder} cannot be written ({exc})") from None
    try:
        try:
            sha, size = _copy_into(source, first, fd, name)
        finally:
            os.close(fd)
        if expected is not None and sha != expected:
            raise refuse(name, "its content does not match the SHA-256 it was sent with")
        target = blob_path(folder, sha)
        if target.exists():
            os.unlink(temp)
        else:
            target.parent.mkdir(exist_ok=True)
            os.chmod(temp, 0o444)
            os.replace(temp, target)
            fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise refuse(name, f"it could not be copied into {folder} ({exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return sha, size
