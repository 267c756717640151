"""What may be kept as evidence: one check for every way a file comes in (a file on this
computer, a package's member), so a name, size or executable refused at one door is
refused at all of them. Nothing kept is ever run: executables and scripts are refused by
their extension and by their first bytes, whatever they are called."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import unicodedata
from pathlib import Path

from models.store import WorkspaceError

MAX_FILE_BYTES = 256 * 1024 * 1024  # the largest board pack scanned at 600 dpi fits well under
MAX_NAME_CHARS = 120
HEAD_BYTES = 64  # how much of a file the magic-byte check reads
SHA256 = re.compile(r"^[0-9a-f]{64}$")

# Extensions a system viewer would run rather than show: programs, scripts, installers,
# shortcuts and documents that are programs in disguise.
REFUSED_EXTENSIONS = frozenset(
    {
        "exe", "com", "scr", "pif", "cpl", "dll", "sys", "msi", "msp", "msix", "appx", "bat",
        "cmd", "ps1", "psm1", "psd1", "ps1xml", "vbs", "vbe", "js", "jse", "mjs", "wsf", "wsh",
        "wsc", "hta", "jar", "class", "sh", "bash", "zsh", "csh", "ksh", "fish", "command",
        "py", "pyw", "pyc", "pl", "rb", "php", "lua", "tcl", "app", "lnk", "url", "scf", "reg",
        "inf", "chm", "gadget", "desktop", "appimage", "run", "bin", "elf", "so", "dylib",
        "deb", "rpm", "apk", "pkg", "dmg", "workflow", "action", "applescript", "scpt",
        "html", "htm", "xhtml", "svg", "mht", "mhtml", "xht", "library-ms", "settingcontent-ms",
    }
)  # fmt: skip
# First bytes of programs and scripts (Windows PE, ELF, Mach-O, shebang, shortcut, wasm, dex).
_MAGIC = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xfe\xed\xfa\xce", "a macOS program"),
    (b"\xfe\xed\xfa\xcf", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
    (b"#!", "a script"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "a Windows shortcut"),
    (b"\x00asm", "a WebAssembly program"),
    (b"dex\n", "an Android program"),
)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


class EvidenceError(WorkspaceError):
    """Evidence that cannot be kept, opened or found; the message names the file and why."""


def size_text(size: int) -> str:
    """A file size as a person reads it: 812 bytes, 41 KB, 3.2 MB."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024**3:.2f} GB"


def clean_name(raw: str) -> str:
    """A local file's name made safe to keep and to write anywhere: no folders, control or
    reserved characters, no leading dots, Windows' reserved names avoided, at most
    MAX_NAME_CHARS characters with its extension kept."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    # Invisible and direction-changing characters ("invoice\u202efdp.exe" shows as
    # "invoiceexe.pdf") go: a name must read as what it is.
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = _UNSAFE.sub("_", name).strip().lstrip(".").rstrip(". ")
    if _RESERVED.match(name):
        name = f"_{name}"
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        keep = MAX_NAME_CHARS - len(ext) - (1 if ext else 0)
        name = f"{(stem if dot else name)[:keep].rstrip('. ')}{'.' if ext else ''}{ext}"
    return name or "evidence"


def name_problem(name: str) -> str | None:
    """Why a file name cannot be kept as it is (None when it can): a name that is not
    already clean (a folder in it, '..', a control character) could escape a folder."""
    if not name:
        return "it has no name"
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        return "its name reaches into a folder, which could write outside the evidence folder"
    if clean_name(name) != name:
        return "its name holds characters a file name cannot safely have"
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension in REFUSED_EXTENSIONS:
        return (
            f"a .{extension} file is a program or script, which opening could run; "
            "evidence must be a document, spreadsheet or image"
        )
    return None


def content_problem(head: bytes) -> str | None:
    """Why a file whose first bytes are `head` cannot be kept (None when it can)."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"its content is {what}, whatever its name says, and opening it could run it"
    return None


def size_problem(size: int) -> str | None:
    """Why a file of `size` bytes cannot be kept (None when it can)."""
    if size > MAX_FILE_BYTES:
        return (
            f"it is {size_text(size)}; an evidence file can be at most "
            f"{size_text(MAX_FILE_BYTES)} (split it, or keep a smaller scan)"
        )
    if size == 0:
        return "it is empty"
    return None


def refuse(name: str, why: str) -> EvidenceError:
    """The error for a file that is refused: its name, why, and that nothing was kept."""
    return EvidenceError(f"{name} cannot be kept as evidence: {why}. Nothing was attached.")


def check_incoming(name: str, size: int, head: bytes) -> None:
    """Raise EvidenceError naming the file unless its name, size and content may be kept."""
    why = name_problem(name) or size_problem(size) or content_problem(head)
    if why is not None:
        raise refuse(name, why)


def open_regular(path: Path) -> tuple[io.BufferedReader, int]:
    """A local file open for reading and its size, refused unless it is a regular file
    (not a symlink, which could point anywhere, nor a folder, pipe or device)."""
    shown = path.name or str(path)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise refuse(shown, "it is a symbolic link; attach the file it points to")
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse(shown, f"there is no file {path}") from None
    except EvidenceError:
        raise
    except OSError as exc:
        raise refuse(shown, f"it cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd)
        if not stat.S_ISREG(mode.st_mode):
            kind = (
                "a folder" if stat.S_ISDIR(mode.st_mode)
                else "a named pipe" if stat.S_ISFIFO(mode.st_mode)
                else "a socket" if stat.S_ISSOCK(mode.st_mode)
                else "a device"
            )  # fmt: skip
            raise refuse(shown, f"it is {kind}, not a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        reader = os.fdopen(fd, "rb")
        assert isinstance(reader, io.BufferedReader)
        return reader, mode.st_size
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
