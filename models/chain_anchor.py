"""The chain head kept outside the workspace file, so cutting history off its end shows.

The hash chain (models/history_chain.py) proves every sealed entry is as it was written,
but its end is recorded inside the same file: whoever deletes the newest entries and
points that record back leaves a shorter chain that is whole. So the head (the last
sealed entry's seq and hash) is also kept where an editor of the file does not reach:

- a sidecar, `<workspace>.chain`, rewritten atomically after every commit that sealed
  something (it may lag a crash behind, never run ahead);
- each backup and each package (a backup is a copy of the file; a package's manifest
  carries `chain_head`);
- each board report, printed beside a signed-off audit's content hash ("1234:9f2c…"),
  and on a draft's cover too.

verify checks that the entry each of them names is still in the chain with the same hash.
A report also prints the audit's sign-off seal (SignOffSeal), which verify recomputes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from models.held_files import read_head, read_only_uri
from models.history_chain import head, workspace_id

SIDECAR_SUFFIX = ".chain"
SIDECAR_FORMAT = "baseline-chain-head"
MAX_SIDECAR_BYTES = 4096
MAX_MANIFEST_BYTES = 1 << 20
PRINTED_HEX = 16  # hex digits a report prints: 64 bits, beyond forging by trial
_TEXT = re.compile(
    r"^\s*(?:chain head\s*:?\s*)?(\d{1,18})\s*[:·]\s*([0-9a-fA-F][0-9a-fA-F ]*)\s*$", re.IGNORECASE
)
_HEX = re.compile(r"^[0-9a-f]{16,64}$")


_SEAL = re.compile(r"^\s*(?:sign-?off seal\s*:?\s*)?([0-9a-fA-F][0-9a-fA-F ]*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SignOffSeal:
    """A signed-off audit's sign-off seal as its report prints it (models/content_hash.py):
    a hash over the audit's department, cycle, auditor and content at sign-off."""

    hash: str  # its first 16+ hex digits
    source: str = ""


def parse_seal(text: str, source: str = "") -> SignOffSeal:
    """A sign-off seal as a report prints it: "9f2c 81d0 77aa 0e13" (spaces optional)."""
    match = _SEAL.match(text)
    digest = match.group(1).replace(" ", "").lower() if match else ""
    if not match or not _HEX.match(digest):
        raise AnchorError(
            f"{text[:80]!r} is not a sign-off seal: expected at least 16 hex digits, as a "
            "report prints it (9f2c 81d0 77aa 0e13)."
        )
    return SignOffSeal(digest, source or f"the sign-off seal {text.strip()}")


class AnchorError(ValueError):
    """A file or text given as a chain head that cannot be read as one."""


@dataclass(frozen=True)
class ChainHead:
    """Where the sealed history ended when something outside the file recorded it."""

    seq: int
    hash: str  # the whole hash, or (from a printed report) its first 16+ hex digits
    workspace: str = ""  # the workspace's id; "" when the record does not say
    source: str = ""  # what recorded it, for messages: "the backup x.sqlite"

    def text(self) -> str:
        """The form a report prints and `verify --against` reads back: "1234:9f2c…" (16 hex)."""
        return f"{self.seq}:{self.hash[:PRINTED_HEX]}" if self.seq else "0:nothing sealed"


def current_head(conn: sqlite3.Connection, source: str = "") -> ChainHead:
    """This workspace's head as the app last sealed it."""
    seq, digest = head(conn)
    return ChainHead(seq, digest, workspace_id(conn), source)


def sidecar_path(workspace: Path) -> Path:
    """Beside the file itself: through a symlink, beside what it points to."""
    real = Path(os.path.realpath(workspace))
    return real.with_name(real.name + SIDECAR_SUFFIX)


def write_sidecar(workspace: Path, known: ChainHead) -> None:
    """Replace the sidecar atomically: a new file under an unguessable name, then renamed.

    Best effort: a read-only folder or a full disk leaves the old sidecar, which lags
    behind and so still passes; nothing the app committed depends on it.
    """
    target = sidecar_path(workspace)
    data = json.dumps(
        {
            "format": SIDECAR_FORMAT,
            "workspace_id": known.workspace,
            "seq": known.seq,
            "hash": known.hash,
            "written_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
    ).encode()
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temp, flags, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def read_sidecar(workspace: Path) -> ChainHead | None:
    """The sidecar's head, None when there is none; AnchorError when it is unreadable."""
    path = sidecar_path(workspace)
    if not path.exists() and not path.is_symlink():
        return None
    return _from_json(_read_small(path, MAX_SIDECAR_BYTES), f"the sidecar {path.name}")


def _read_small(path: Path, limit: int) -> bytes:
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError as exc:
        raise AnchorError(f"{path.name} cannot be read ({exc.strerror}).") from None
    with os.fdopen(fd, "rb") as fh:
        if not _is_regular(fh.fileno()):
            raise AnchorError(f"{path.name} is not a regular file.")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise AnchorError(f"{path.name} is too large to be a chain head record.")
    return data


def _is_regular(fd: int) -> bool:
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)


def _from_json(data: bytes, source: str) -> ChainHead:
    try:
        raw = json.loads(data)
        seq = raw["seq"]
        digest = raw["hash"]
        ws = raw.get("workspace_id", "")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise TypeError("seq")
        if not isinstance(digest, str) or not isinstance(ws, str):
            raise TypeError("hash")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AnchorError(f"{source} is damaged: it does not hold a chain head.") from None
    if seq and not _HEX.match(digest):
        raise AnchorError(f"{source} is damaged: its hash is not a SHA-256 in hex.")
    return ChainHead(seq, digest, ws, source)


def parse_text(text: str, source: str = "") -> ChainHead:
    """A chain head as a report prints it: "1234:9f2c 81d0 77aa 0e13" (spaces optional)."""
    match = _TEXT.match(text)
    digest = match.group(2).replace(" ", "").lower() if match else ""
    if not match or not _HEX.match(digest):
        raise AnchorError(
            f"{text[:80]!r} is not a chain head: expected the form a report prints, an entry "
            "number, a colon and at least 16 hex digits (1234:9f2c81d077aa0e13)."
        )
    return ChainHead(int(match.group(1)), digest, "", source or f"the chain head {text.strip()}")


def read_anchor(given: str) -> ChainHead | SignOffSeal:
    """A chain head from a backup or workspace copy, a package, a sidecar, or printed text;
    or a signed-off audit's sign-off seal as its report prints it."""
    path = Path(given)
    if not path.exists():
        if _TEXT.match(given):
            return parse_text(given)
        with contextlib.suppress(AnchorError):
            return parse_seal(given)
        raise AnchorError(
            f"{given} is neither a file nor a chain head such as 1234:9f2c81d077aa0e13 "
            "nor a sign-off seal such as 9f2c 81d0 77aa 0e13."
        )
    if not path.is_file():
        raise AnchorError(f"{given} is not a regular file.")
    start = read_head(path, 16)  # the open workspace itself, perhaps: models/held_files
    if start.startswith(b"SQLite format 3"):
        return _from_workspace_file(path)
    if start.startswith(b"PK"):
        return _from_package(path)
    if start.lstrip().startswith(b"{"):
        return _from_json(_read_small(path, MAX_SIDECAR_BYTES), f"the sidecar {path.name}")
    text = _read_small(path, MAX_SIDECAR_BYTES).decode("utf-8", "replace").strip()
    if not _TEXT.match(text) and _SEAL.match(text):
        return parse_seal(text, f"the sign-off seal in {path.name}")
    return parse_text(text, f"the chain head in {path.name}")


def _from_workspace_file(path: Path) -> ChainHead:
    source = f"the backup {path.name}"
    try:
        conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True)
    except sqlite3.Error as exc:
        raise AnchorError(f"{path.name} cannot be read ({exc}).") from None
    try:
        return current_head(conn, source)
    except (sqlite3.Error, ValueError) as exc:
        raise AnchorError(f"{path.name} is not a Baseline workspace or backup ({exc}).") from None
    finally:
        conn.close()


def _from_package(path: Path) -> ChainHead:
    source = f"the package {path.name}"
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("manifest.json")
            if info.file_size > MAX_MANIFEST_BYTES:
                raise AnchorError(f"{path.name} has a manifest too large to read.")
            with archive.open(info) as member:
                data = member.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, AnchorError):
            raise
        raise AnchorError(f"{path.name} is not a readable Baseline package ({exc}).") from None
    try:
        manifest = json.loads(data)
        recorded = manifest["chain_head"]
        ws = manifest.get("workspace_id", "")
        if not isinstance(recorded, dict) or not isinstance(ws, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise AnchorError(
            f"{path.name} records no chain head (packages made before this version do not)."
        ) from None
    found = _from_json(json.dumps({**recorded, "workspace_id": ws}).encode(), source)
    return found


def manifest_field(conn: sqlite3.Connection) -> dict[str, object]:
    """What a package's manifest records as `chain_head`."""
    seq, digest = head(conn)
    return {"seq": seq, "hash": digest}
