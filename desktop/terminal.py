"""What the headless commands print and which files they accept, safe against hostile input.

Text from outside (a package's department names, a file name, a cell) can hold terminal
escape sequences that recolour, retitle or rewrite the screen, or bidirectional overrides
that reorder what is shown; every command's output passes through `escaped_output`, which
shows them as visible escapes. Every file a command is given is refused before any work
if it is a FIFO, device or socket (reading one can hang or never end), and a workspace
given as a zero-length file is refused as not a workspace rather than made into one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

_KEEP = {"\n", "\t"}
# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return ch not in _KEEP and (code < 0x20 or 0x7F <= code <= 0x9F or ch in _BIDI)


def escape(text: str) -> str:
    """`text` with control and direction-override characters shown as \\x1b, \\u0085, \\u202e.

    C0 controls (which JSON output already holds as \\u001b) as \\x1b; DEL, C1 controls and
    overrides as \\u…, an escape JSON has, so `--json` output stays valid JSON of the same text.
    """
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x20 else f"\\u{ord(ch):04x}") if _unsafe(ch) else ch
        for ch in text
    )


class OutputClosed(Exception):
    """Standard output's reader has gone (`baseline audit list | head -1`): not an OSError,
    so no command's own handler reports it as a failure; the command line ends quietly."""


_PIECE = 1024  # characters: at most 4 KB of UTF-8, within any text stream's buffer


class EscapingStream:
    """A text stream that escapes what it is given before passing it on."""

    def __init__(self, inner: TextIO | None) -> None:
        self.inner = inner
        # Why the output could not be written (a full disk under `> log`): the command goes
        # on, since an OSError here would read as its own failure after it had saved.
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        if self.inner is None:  # the stream was closed when the command started (`>&-`)
            return len(text)
        shown = escape(text)
        try:
            # In pieces smaller than the stream's buffer: CPython passes a larger write
            # straight to the pipe and drops, unreported, what a closing reader did not
            # take, so a document cut short ended with exit 0.
            for start in range(0, len(shown), _PIECE):
                self.inner.write(shown[start : start + _PIECE])
        except BrokenPipeError:
            raise OutputClosed from None
        except OSError as exc:
            self.failed = self.failed or exc
        return len(text)

    def flush(self) -> None:
        if self.inner is None:
            return
        try:
            self.inner.flush()
        except BrokenPipeError:
            raise OutputClosed from None
        except OSError as exc:
            self.failed = self.failed or exc

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[EscapingStream]:
    """Within: sys.stdout and sys.stderr escape control characters (see module docstring).
    Gives the standard output stream, whose `failed` says if what was written was lost."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = stream = EscapingStream(out)
    sys.stderr = EscapingStream(err)
    try:
        yield stream
        sys.stdout.flush()  # a reader gone by the end is seen here, not at the exit's flush
    finally:
        sys.stdout, sys.stderr = out, err


def close_output() -> None:
    """After OutputClosed: point standard output at the null device, so the interpreter's
    own flush at exit does not report the broken pipe again."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _paths(args: argparse.Namespace) -> Iterator[tuple[str, Path]]:
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, Path):
                yield name, item
            elif name == "against" and isinstance(item, str):
                yield name, Path(item)


def _not_utf8(args: argparse.Namespace) -> str | None:
    """Why a text argument cannot be used: bytes that are not UTF-8 reach argv as lone
    surrogates, which nothing can store (file names may hold them: they are paths)."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and name != "against":  # --against may name a file
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    shown = item.encode("utf-8", "backslashreplace").decode()
                    return (
                        f"'{shown}' (the {name.replace('_', ' ')} given) holds bytes that are "
                        "not UTF-8, shown as \\udc..: give it as UTF-8 text. Nothing was read or "
                        "changed."
                    )
    return None


def refused_file(args: argparse.Namespace) -> str | None:
    """Why a file the command was given cannot be used, or None: checked before any work."""
    problem = _not_utf8(args)
    if problem:
        return problem
    for name, path in _paths(args):
        try:
            info = os.stat(path)
        except OSError:
            continue  # missing: the command says so in its own words
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            continue  # the command says a folder will not do, in its own words
        if not stat.S_ISREG(mode):
            kind = (
                "a named pipe (FIFO)"
                if stat.S_ISFIFO(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "a device"
            )
            return f"{path} is {kind}, not a file: refused. Nothing was read or changed."
        if name == "db" and info.st_size == 0:
            return (
                f"{path} is empty (0 bytes), so it is not a Baseline workspace. It has not been "
                "changed. Give a workspace file, or a name that does not exist yet to make one."
            )
    return None
