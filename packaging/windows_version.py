"""Windows version resources for baseline.exe (File Properties > Details), from the app version."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = """\
VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple}, prodvers={tuple}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', 'The Baseline authors'),
      StringStruct('FileDescription', 'Baseline: technology capability audits'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'baseline'),
      StringStruct('LegalCopyright', 'MIT licence; third-party notices in THIRD-PARTY-NOTICES.md'),
      StringStruct('OriginalFilename', 'baseline.exe'),
      StringStruct('ProductName', 'Baseline'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [0x0809, 1200])])
  ]
)
"""


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0): Windows wants four numbers; each part's leading digits count."""
    numbers = []
    for part in version.split(".")[:4]:
        leading = re.match(r"\d+", part)
        numbers.append(min(int(leading.group()), 65535) if leading else 0)
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def write_version_file(path: Path, version: str) -> str:
    """Write PyInstaller's version-resource text for this version; return the path as str."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.replace("{tuple}", repr(version_tuple(version))).replace("{version}", version)
    path.write_text(text, encoding="utf-8")
    return str(path)
