"""The editors stop at the limits the services hold a record to: typing and pasting stop at
the limit with a note of the room left, line fields take setMaxLength, date fields refuse a
date outside limits.date_in_range."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QLineEdit

from aim3desk.domain.limits import MAX_LINE_CHARS, MAX_TEXT_CHARS
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField
from aim3desk.ui.record_widgets import NoteEdit
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line, room_words


def _lines(chars: int, letter: str = "x") -> str:
    """`chars` characters as lines of 100 (one line as long would take Qt seconds to lay out
    at every change; a practitioner's text has paragraphs)."""
    line = letter * 99 + "\n"
    return (line * (chars // 100 + 1))[:chars]


def _long_field(qtbot, text: str) -> GrowingTextEdit:
    edit = GrowingTextEdit("Rationale", spell_check=False)
    qtbot.addWidget(edit)
    edit.show()
    edit.setPlainText(text)
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    return edit


def test_typing_stops_at_the_limit_with_a_note(qtbot) -> None:
    edit = _long_field(qtbot, _lines(MAX_TEXT_CHARS - 3))
    typed: list[str] = []
    edit.bind(typed.append)
    qtbot.keyClicks(edit, "abcdef")
    assert edit.toPlainText().endswith("abc")
    assert len(edit.toPlainText()) == MAX_TEXT_CHARS
    assert max(len(t) for t in typed) == MAX_TEXT_CHARS  # nothing over it ever reached a save
    assert edit.room_note() == room_words(MAX_TEXT_CHARS, MAX_TEXT_CHARS)
    assert edit.room_note().startswith("No room left")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.room_note() == "1 character left"


def test_a_paste_that_does_not_fit_adds_nothing_and_says_so(qtbot) -> None:
    edit = _long_field(qtbot, _lines(MAX_TEXT_CHARS - 10))
    pasted = QMimeData()
    pasted.setText("p" * 11)
    edit.insertFromMimeData(pasted)
    assert len(edit.toPlainText()) == MAX_TEXT_CHARS - 10
    assert edit.room_note() == ("Nothing was added: that is 11 characters and there is room for 10")
    pasted.setText("p" * 10)
    edit.insertFromMimeData(pasted)
    assert len(edit.toPlainText()) == MAX_TEXT_CHARS


def test_the_note_appears_only_near_the_limit_and_says_what_is_left(qtbot) -> None:
    edit = _long_field(qtbot, "short")
    assert edit.room_note() == ""
    edit.setPlainText(_lines(MAX_TEXT_CHARS - 1234, "y"))
    assert edit.room_note() == "1,234 characters left"


def test_an_older_text_over_the_limit_is_shown_whole_and_named_over(qtbot) -> None:
    edit = _long_field(qtbot, _lines(MAX_TEXT_CHARS + 7, "z"))
    assert len(edit.toPlainText()) == MAX_TEXT_CHARS + 7
    assert edit.room_note() == room_words(MAX_TEXT_CHARS + 7, MAX_TEXT_CHARS)
    assert "7 characters over the limit" in edit.room_note()


def test_every_kind_of_field_has_its_limit(qtbot) -> None:
    note = NoteEdit("Supervision notes")
    box = LimitedPlainTextEdit("co_workers")
    line = limit_line(QLineEdit(), "lead_worker")
    for widget in (note, box, line):
        qtbot.addWidget(widget)
    assert note.text_limit == MAX_TEXT_CHARS
    assert box.text_limit == MAX_LINE_CHARS
    assert line.maxLength() == MAX_LINE_CHARS


def test_a_date_field_refuses_a_date_outside_the_range(qtbot) -> None:
    field = DateField("Session date", None)
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field.line_edit, "31/12/9999")
    field.line_edit.editingFinished.emit()
    assert not field.is_valid()
    assert field.value() is None
