"""What the bundle is built from: the lock, the resource list, icons, Linux and Windows metadata."""

from __future__ import annotations

import configparser
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from PIL import Image

from desktop.version import __version__
from importers import department_match

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_files  # noqa: E402
import make_icons  # noqa: E402
import windows_version  # noqa: E402

APP_ID = "uk.gov.baseline.Baseline"


def test_every_run_time_resource_is_in_the_bundle() -> None:
    """A new kind of resource file (say .json) must be added to the bundle's list, not lost."""
    bundled = {path for path, _folder in bundle_files.resource_files(ROOT)}
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and path.suffix not in {".py", ".pyc", ".ico", ".icns"}:
            assert path in bundled, f"{path.relative_to(ROOT)} would be missing from the bundle"
    folders = {folder for _path, folder in bundle_files.resource_files(ROOT)}
    assert {"resources/questionnaires", "resources/reference", "resources/fonts"} <= folders
    assert {"resources/icons", "resources/licenses"} <= folders


def test_resources_are_found_where_the_bundle_puts_them() -> None:
    """importlib.resources and the __file__-relative path agree: both land in resources/."""
    base = Path(str(resources.files("resources")))
    assert (
        department_match.HISTORY_FILE.resolve()
        == (base / "reference" / "department_history.tsv").resolve()
    )
    assert department_match.HISTORY_FILE.exists()
    for _path, folder in bundle_files.resource_files(ROOT):
        assert folder.split("/")[0] == base.name  # same relative place in the bundle


def test_the_lock_pins_every_dependency_with_hashes_for_every_platform() -> None:
    """A dependency added or re-ranged in pyproject.toml without `make lock` fails here."""
    lock = (ROOT / "packaging" / "requirements-bundle.lock").read_text()
    pins = {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", lock, re.MULTILINE)
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"] + project["optional-dependencies"]["bundle"]:
        wanted = Requirement(line)
        pinned = pins.get(canonicalize_name(wanted.name))
        assert pinned is not None, f"{wanted.name} is not in the lock: run `make lock`"
        assert wanted.specifier.contains(pinned), f"{wanted} but {pinned} locked: `make lock`"
    blocks = re.split(r"\n(?=[A-Za-z])", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    assert "sys_platform == 'win32'" in lock and "sys_platform == 'darwin'" in lock


def test_icons_are_generated_from_the_svg_at_every_size(qapp, tmp_path: Path) -> None:
    made = make_icons.make_icons(tmp_path)
    assert {p.name for p in made} == {p.name for p in (ROOT / "resources" / "icons").iterdir()} - {
        "baseline.svg"
    }
    for size in make_icons.PNG_SIZES:
        with Image.open(tmp_path / f"baseline-{size}.png") as png:
            assert png.size == (size, size) and png.mode == "RGBA"
            assert png.getpixel((0, 0))[3] == 0  # transparent corner: a rounded tile
            assert png.getpixel((size // 2, size - size // 5))[3] == 255
    with Image.open(tmp_path / "baseline.ico") as ico:
        assert ico.info["sizes"] == {(s, s) for s in make_icons.ICO_SIZES}
    with Image.open(tmp_path / "baseline.icns") as icns:
        assert (512, 512, 2) in icns.info["sizes"] and (16, 16, 2) in icns.info["sizes"]


def test_desktop_entry_and_appstream_metadata_name_the_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging" / "linux" / f"{APP_ID}.desktop")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Baseline"
    assert section["Icon"] == APP_ID and section["Exec"] == "baseline"  # no file argument: the
    # command line takes a workspace only as --db, and a menu start passes none
    info = ET.parse(ROOT / "packaging" / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert info.findtext("id") == APP_ID
    assert info.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert info.findtext("project_license") == "MIT"
    assert info.find("releases/release").get("version") == __version__  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1", (2, 0, 0, 0)),
     ("1.10.0.dev3", (1, 10, 0, 0)), ("70000.1", (65535, 1, 0, 0)), ("7", (7, 0, 0, 0))],
)  # fmt: skip
def test_windows_version_resource_has_four_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert windows_version.version_tuple(version) == numbers


def test_windows_version_file_names_the_product(tmp_path: Path) -> None:
    text = Path(windows_version.write_version_file(tmp_path / "v.txt", __version__)).read_text()
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert f"filevers={windows_version.version_tuple(__version__)!r}" in text
    compile(text, "version_info", "eval")  # PyInstaller evaluates it as Python


def test_the_apps_licence_is_shipped_as_it_stands_in_the_repository() -> None:
    licences = ROOT / "resources" / "licenses"
    assert (licences / "Baseline-MIT.txt").read_text() == (ROOT / "LICENSE").read_text()
    notices = (licences / "THIRD-PARTY-NOTICES.md").read_text()
    for name in ("PySide6", "LGPL", "Relinking", "Noto Sans", "OFL", "ReportLab", "orjson"):
        assert name in notices
    for dist in bundle_files.RUNTIME_DISTRIBUTIONS:
        if dist not in {"PySide6-Essentials", "PySide6-Addons", "shiboken6", "rl_accel"}:
            assert dist.lower() in notices.lower(), f"{dist} has no notice"
