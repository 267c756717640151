"""Writing an export safely: a temporary file beside the target, replacing it only on success.

Progress and Cancelled live in models/progress.py (shared with the importers and the ui).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.filesystem import PART_SUFFIX, temporary_beside

STALE_PART_S = 3600  # a temporary file this old was left by an export that was killed
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_LXML_NO_ROOM = {"IO_ENOSPC", "IO_EFBIG", "IO_EDQUOT"}


class ExportWriteError(OSError):
    """An export could not be written; the message says why in words, with no errno."""

    def __str__(self) -> str:
        return str(self.strerror)


def no_room_error(path: Path) -> ExportWriteError:
    return ExportWriteError(
        errno.ENOSPC,
        f"there is no room on the disk to write {path.name} (the disk or your quota is full). "
        "Free some space and export again; any earlier file of that name is unchanged.",
        str(path),
    )


def sweep_parts(path: Path, *, now: float | None = None) -> list[Path]:
    """Remove what killed exports of `path` left beside it (older than STALE_PART_S)."""
    removed = []
    cutoff = (time.time() if now is None else now) - STALE_PART_S
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent if str(path.parent) else "."):
            name = entry.name
            if not (name.startswith(f".{path.name}.") and name.endswith(PART_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if info.st_mtime < cutoff and not stat.S_ISDIR(info.st_mode):
                    os.unlink(entry.path)  # a symlink itself, never what it points to
                    removed.append(Path(entry.path))
    return removed


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only when the block succeeds.

    A cancelled or failed export leaves no half-written workbook and keeps any old file;
    one killed outright leaves its temporary file, swept by the next export of that name.
    A full disk is reported in words (ExportWriteError), not as an errno.
    """
    from models.workbook_format.long_text import collecting

    path = Path(path)
    sweep_parts(path)
    try:
        temp = temporary_beside(path)
    except OSError as exc:
        if exc.errno in _NO_ROOM:
            raise no_room_error(path) from None
        raise
    try:
        try:
            with collecting():  # a text too long for a cell is kept whole (long_text.py)
                yield temp
        except OSError as exc:
            if exc.errno in _NO_ROOM:
                raise no_room_error(path) from None
            raise
        except Exception as exc:
            # lxml (openpyxl's streaming writer) reports a failed write as its own
            # SerialisationError("IO_ENOSPC"), not as an OSError.
            code = str(exc)
            if type(exc).__name__ != "SerialisationError" or not code.startswith("IO_"):
                raise
            if code in _LXML_NO_ROOM:
                raise no_room_error(path) from None
            raise ExportWriteError(
                errno.EIO,
                f"{path.name} could not be written: the disk reported {code[3:]}.",
                str(path),
            ) from None
        try:
            os.replace(temp, path)
        except OSError as exc:
            if path.is_dir():  # not a file anything has open: say what is in the way
                # the path is the error's filename: every caller prints it once, before this
                raise OSError(
                    exc.errno, "it is a folder: choose another file name", str(path)
                ) from None
            hint = " Is it open in Excel? Close it and try again." if path.exists() else ""
            raise OSError(exc.errno, f"{exc.strerror}.{hint}", str(path)) from None
    finally:
        temp.unlink(missing_ok=True)
