"""The application's look: one font all session, and a focus ring a keyboard user can see."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.style import FOCUS, prepare_application


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ui_font_does_not_change_when_a_report_loads_its_font(qtbot) -> None:
    """Loading the reports' Noto Sans (first chart or report) used to switch every screen
    from the system font to Noto Sans mid-session, reflowing them all."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    prepare_application(app)
    label = QLabel("Board")
    qtbot.addWidget(label)
    before = QFontInfo(label.font()).family()
    from ui.chart_widget import chart_font_family

    chart_font_family()  # what the first report preview or chart does
    later = QLabel("Board")
    qtbot.addWidget(later)
    assert QFontInfo(label.font()).family() == before == QFontInfo(later.font()).family()
    assert before == "Noto Sans"


def _grab(button: QPushButton) -> QImage:
    button.repaint()
    return button.grab().toImage()


def test_a_focused_flat_button_is_drawn_with_a_ring_of_enough_contrast(qtbot) -> None:
    """ "Clear" and "Add comment" are flat buttons: Fusion drew nothing on focus, so Space
    cleared an answer with no sign of where it would land."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    prepare_application(app)
    host = QWidget()
    layout = QVBoxLayout(host)
    first, flat = QPushButton("Add comment", host), QPushButton("Clear", host)
    flat.setFlat(True)
    layout.addWidget(first)
    layout.addWidget(flat)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    plain = _grab(flat)
    flat.setFocus()
    qtbot.waitUntil(flat.hasFocus)
    focused = _grab(flat)
    assert plain.size() == focused.size()
    changed = [
        (x, y)
        for y in range(plain.height())
        for x in range(plain.width())
        if plain.pixel(x, y) != focused.pixel(x, y)
    ]
    # A ring all round: changed pixels on every edge of the button.
    w, h = plain.width(), plain.height()
    assert any(x <= 2 for x, _ in changed) and any(x >= w - 3 for x, _ in changed)
    assert any(y <= 2 for _, y in changed) and any(y >= h - 3 for _, y in changed)
    ring = QColor(focused.pixel(1, h // 2))
    background = QColor(plain.pixel(1, h // 2))
    assert ring == FOCUS
    assert contrast(ring, background) >= 3.0  # WCAG 2.2 non-text contrast


def test_a_focused_push_button_and_line_edit_show_the_ring(qtbot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    prepare_application(app)
    from PySide6.QtWidgets import QLineEdit

    host = QWidget()
    layout = QVBoxLayout(host)
    button, edit = QPushButton("Submit for review…", host), QLineEdit(host)
    layout.addWidget(button)
    layout.addWidget(edit)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    for widget in (button, edit):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        widget.repaint()
        image = widget.grab().toImage()
        assert QColor(image.pixel(1, image.height() // 2)) == FOCUS, type(widget).__name__


def test_a_signed_off_answer_is_plain_text_not_greyed_controls(qtbot, session) -> None:
    """Signed-off answers were disabled radio buttons: greyed, hard to read, a live-looking
    Clear. Read-only now shows the answer as selectable text and hides the controls."""
    from models.questionnaire import current_questionnaire
    from ui.question_editors import ButtonsEditor, make_editor

    question = current_questionnaire().question("digital_leader_nominated")
    session.set_answer(question.id, False)
    editor = make_editor(question, session, lambda _m: None)
    assert isinstance(editor, ButtonsEditor)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_value(False)
    editor.set_read_only(True)
    assert editor._stored_text is not None and editor._stored_text.isVisible()
    assert editor._stored_text.text() == "No"
    assert not editor.clear_button.isVisible()
    assert not any(b.isVisible() for b in editor.group.buttons())
    editor.set_read_only(False)
    assert editor.clear_button.isVisible() and not editor._stored_text.isVisible()


def test_a_signed_off_typed_answer_has_no_box(qtbot, session) -> None:
    from models.questionnaire import current_questionnaire
    from ui.question_editors import LineEditor, make_editor

    question = current_questionnaire().question("board_tech_expert_count")
    editor = make_editor(question, session, lambda _m: None)
    assert isinstance(editor, LineEditor)
    qtbot.addWidget(editor)
    editor.set_read_only(True)
    assert editor.edit.isReadOnly() and not editor.edit.hasFrame()
    editor.set_read_only(False)
    assert editor.edit.hasFrame()


def test_the_focused_section_list_rings_its_current_section(qtbot) -> None:
    """The section list showed no focus at all."""
    from PySide6.QtWidgets import QLineEdit, QListWidget

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    prepare_application(app)
    host = QWidget()
    layout = QVBoxLayout(host)
    other, sections = QLineEdit(host), QListWidget(host)
    sections.addItems(["Board capability", "Strategy and alignment"])
    sections.setCurrentRow(0)
    layout.addWidget(other)
    layout.addWidget(sections)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)

    def ring_pixels() -> int:
        sections.viewport().repaint()
        image = sections.viewport().grab().toImage()
        item = sections.visualItemRect(sections.item(0))
        return sum(
            QColor(image.pixel(x, y)) == FOCUS
            for y in range(item.top(), item.bottom() + 1)
            for x in range(item.left(), item.right() + 1)
        )

    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert ring_pixels() == 0
    sections.setFocus()
    qtbot.waitUntil(sections.hasFocus)
    assert ring_pixels() > 2 * sections.visualItemRect(sections.item(0)).width()
