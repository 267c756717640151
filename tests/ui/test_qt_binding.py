"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to True on every signal emit and to
None on every call of a Qt method returning void; after about a thousand edits the
app aborted with "Fatal Python error: bool_dealloc". pyproject.toml pins it out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel


def test_signals_and_void_calls_keep_reference_counts(qtbot) -> None:
    emitter = QObject()
    label = QLabel()
    qtbot.addWidget(label)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(500):
        emitter.objectNameChanged.emit("x")
        label.setText("y")
    # Other code may create or drop a few references meanwhile; a leak loses 500.
    assert abs(sys.getrefcount(True) - true_before) < 50
    assert abs(sys.getrefcount(None) - none_before) < 50
