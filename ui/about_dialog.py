"""Help ▸ About: the version, the licence and every third-party notice the bundle must show.

The texts come from resources/licenses (shipped in the bundle); the caller passes what only
the shell knows (version lines, log folder, workspace), so ui/ needs nothing from desktop/.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

NOTICES = "THIRD-PARTY-NOTICES.md"
APP_LICENCE = "Baseline-MIT.txt"


def licence_dir() -> Path:
    return Path(str(resources.files("resources") / "licenses"))


def licence_texts() -> dict[str, Path]:
    """Every full licence text shipped: the folder's .txt files and the fonts' OFL."""
    texts = {path.stem: path for path in sorted(licence_dir().glob("*.txt"))}
    texts["OFL-1.1 (Noto Sans)"] = Path(str(resources.files("resources") / "fonts" / "OFL.txt"))
    return texts


def show_log_folder(parent: QWidget, folder: Path) -> bool:
    """Open the log folder in the file manager; if none opens, say where it is."""
    folder.mkdir(parents=True, exist_ok=True)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    QMessageBox.information(parent, "Log folder", f"The log files are in:\n{folder}")
    return False


class AboutDialog(QDialog):
    """Name, version, licence, notices; a button to the log folder."""

    def __init__(
        self, parent: QWidget | None, version_lines: list[str], log_folder: Path, workspace: Path
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Baseline")
        self.setObjectName("about-dialog")
        self.log_folder = log_folder
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        icon = QLabel(self)
        icon.setPixmap(self.windowIcon().pixmap(64, 64))
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<h2>{version_lines[0]}</h2><p>Board-level technology capability audits of "
            "government departments, offline.</p><p>Free software under the MIT licence. It "
            "includes Qt and other third-party software under their own licences: see the "
            "tabs below.</p>",
            self,
        )
        title.setWordWrap(True)
        head.addWidget(title, 1)
        layout.addLayout(head)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._versions(version_lines, log_folder, workspace), "Versions")
        self.tabs.addTab(self._text(licence_dir() / APP_LICENCE), "Licence")
        notices = QTextBrowser(self)
        notices.setObjectName("notices")
        notices.setOpenExternalLinks(False)
        notices.setMarkdown((licence_dir() / NOTICES).read_text(encoding="utf-8"))
        self.tabs.addTab(notices, "Third-party notices")
        self.tabs.addTab(self._full_texts(), "Licence texts")
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.log_button = QPushButton("Show &log folder", self)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button.clicked.connect(lambda: show_log_folder(self, self.log_folder))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(680, 520)

    def _versions(self, lines: list[str], log_folder: Path, workspace: Path) -> QWidget:
        extra = ["", f"Workspace: {workspace}", f"Log folder: {log_folder}"]
        return self._plain("\n".join([*lines, *extra]), "versions")

    def _text(self, path: Path) -> QPlainTextEdit:
        return self._plain(path.read_text(encoding="utf-8", errors="replace"), path.stem)

    def _plain(self, text: str, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(text, self)
        box.setObjectName(name)
        box.setReadOnly(True)
        box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        return box

    def _full_texts(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        chooser = QComboBox(page)
        texts = licence_texts()
        chooser.addItems(list(texts))
        view = self._plain("", "licence-text")
        view.setParent(page)
        column.addWidget(chooser)
        column.addWidget(view, 1)

        def show(name: str) -> None:
            view.setPlainText(texts[name].read_text(encoding="utf-8", errors="replace"))

        chooser.currentTextChanged.connect(show)
        show(chooser.currentText())
        self.licence_chooser = chooser
        return page
