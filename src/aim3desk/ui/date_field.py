"""One date field for the whole app: a date is typed (16/03/2012, 16032012, 16-03-2012 or
2012-03-16: UK day first) or picked from a calendar, an optional date may be left empty, and
text that is not a date is shown as a problem beside the field instead of being kept.

A QDateEdit cannot be empty: an "empty" one held a sentinel day (1 January 1900) that typing
appended to and that its calendar opened at. This field holds text and a date parsed from it.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.limits import EARLIEST_DATE, LATEST_DATE


def fmt_date(value: date | None) -> str:
    """A date as every screen shows it (16/03/2012, day first); '' for none."""
    return f"{value:%d/%m/%Y}" if value else ""


EXAMPLE = "16/03/2012"
# The dates a record may carry (domain/limits.py): the field refuses any other.
EARLIEST = EARLIEST_DATE
LATEST = LATEST_DATE
INVALID_STYLE = "QLineEdit { border: 1px solid #b00020; background: #fde7e9; }"
_PROBLEM_STYLE = "color: #b00020;"

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")  # always two-digit: no date while typing
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}\s*[/.\- ]\s*\d{1,2}\s*[/.\- ]\s*\d{2}$")


class NotADateError(ValueError):
    """Typed text that is not a date; the message says how to type one."""


def parse_typed_date(text: str) -> date | None:
    """The date typed, day first as in the UK; None for nothing typed. Raises NotADateError."""
    text = text.strip()
    if not text:
        return None
    if _SHORT_YEAR.match(text):
        # 16/03/12 could be 1912 or 2012: a date of birth a century out is worse than asking.
        raise NotADateError(f"Type the year in full, for example {EXAMPLE}.")
    iso = _ISO.match(text)
    match = iso or _DAY_FIRST.match(text) or _DIGITS.match(text)
    if match is None:
        raise NotADateError(f"Not a date: type it as day/month/year, for example {EXAMPLE}.")
    first, second, third = (int(part) for part in match.groups())
    year, month, day = (first, second, third) if iso else (third, second, first)
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADateError(f"There is no such day: {text}.") from None


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class CalendarPopup(QFrame):
    """The calendar under a field: a click, or Enter on a day, chooses it; Escape closes."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Calendar")
        self.calendar.setGridVisible(False)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)

    def open_at(self, shown: date, selected: date | None, below: QWidget) -> None:
        """Show the month of `shown`, with `selected` (if any) chosen, under `below`."""
        self.calendar.setSelectedDate(_qdate(selected or shown))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.adjustSize()
        where = below.mapToGlobal(QPoint(0, below.height()))
        screen = below.screen().availableGeometry()
        if where.y() + self.height() > screen.bottom():  # no room below: open above
            where.setY(below.mapToGlobal(QPoint(0, 0)).y() - self.height())
        where.setX(max(screen.left(), min(where.x(), screen.right() - self.width())))
        self.move(where)
        self.show()
        self.calendar.setFocus()

    def _chosen(self, value: QDate) -> None:
        self.chosen.emit(value.toPython())
        self.close()


class DateField(QWidget):
    """`value()` is the date shown, or None when the field is empty or its text is not a date
    (`problem()` then says why, and the field shows it). `dateChanged(date | None)` is emitted
    when a date is typed in full, picked or cleared: never for half-typed text.

    `required`: an empty field is a problem too. `opens_at`: the day the calendar shows when
    the field is empty (default today). Alt+Down or F4 opens the calendar; an optional field
    has a clear button."""

    dateChanged = Signal(object)  # noqa: N815 - named like QDateEdit's, which it replaces

    def __init__(
        self,
        accessible_name: str,
        value: date | None = None,
        *,
        required: bool = False,
        opens_at: date | None = None,
        minimum: date = EARLIEST,
        maximum: date = LATEST,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._required = required
        self._opens_at = opens_at
        self._minimum, self._maximum = minimum, maximum
        self._value: date | None = None
        self._problem = ""
        self.line_edit = QLineEdit()
        self.line_edit.setAccessibleName(accessible_name)
        self.line_edit.setPlaceholderText("dd/mm/yyyy" if required else "Not entered (dd/mm/yyyy)")
        self.line_edit.setClearButtonEnabled(not required)
        self.line_edit.setToolTip(f"Type a date such as {EXAMPLE}, or Alt+Down for a calendar")
        self.line_edit.setMaxLength(20)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setAccessibleName(f"Calendar for {accessible_name.lower()}")
        self.calendar_button.setToolTip("Choose from a calendar (Alt+Down)")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(_PROBLEM_STYLE)
        self.problem_label.setAccessibleName(f"Problem with {accessible_name.lower()}")
        self.problem_label.hide()
        self.popup: CalendarPopup | None = None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problem_label)
        self.setFocusProxy(self.line_edit)
        self.setAccessibleName(accessible_name)
        self.line_edit.installEventFilter(self)
        self.line_edit.textEdited.connect(self._edited)
        self.line_edit.editingFinished.connect(self._finished)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.set_value(value)

    # -- the value ------------------------------------------------------------------------------
    def value(self) -> date | None:
        return None if self._problem else self._value

    def set_value(self, value: date | None) -> None:
        """Show `value` (None: empty) without emitting dateChanged, as loading a record does."""
        self._value = value
        self.line_edit.setText(fmt_date(value))
        self._show_problem(self._problem_of(value) if value or self._required else "")

    def set_range(self, minimum: date | None = None, maximum: date | None = None) -> None:
        self._minimum = minimum or EARLIEST
        self._maximum = maximum or LATEST
        self._recheck()

    def is_valid(self) -> bool:
        return not self._problem

    def problem(self) -> str:
        return self._problem

    def text(self) -> str:
        return self.line_edit.text()

    # -- typing and picking ---------------------------------------------------------------------
    def _problem_of(self, value: date | None) -> str:
        if value is None:
            return "Enter a date." if self._required else ""
        if value < self._minimum:
            return f"The date must be on or after {fmt_date(self._minimum)}."
        if value > self._maximum:
            return f"The date must be on or before {fmt_date(self._maximum)}."
        return ""

    def _parsed(self) -> tuple[date | None, str]:
        try:
            value = parse_typed_date(self.line_edit.text())
        except NotADateError as exc:
            return None, str(exc)
        return value, self._problem_of(value)

    def _edited(self, _text: str) -> None:
        """While typing, only a whole date (or nothing) counts; a problem is shown when the
        typing is finished, not at every key."""
        value, problem = self._parsed()
        if not problem:
            self._show_problem("")
            self._take(value)

    def _finished(self) -> None:
        value, problem = self._parsed()
        self._show_problem(problem)
        if not problem:
            if value is not None:
                self.line_edit.setText(fmt_date(value))
            self._take(value)

    def _recheck(self) -> None:
        if self.line_edit.text().strip() or self._required:
            self._show_problem(self._parsed()[1])

    def _take(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.dateChanged.emit(value)

    def _show_problem(self, problem: str) -> None:
        self._problem = problem
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.line_edit.setStyleSheet(INVALID_STYLE if problem else "")

    def pick(self, value: date) -> None:
        """A day chosen from the calendar."""
        self.line_edit.setText(fmt_date(value))
        self._show_problem(self._problem_of(value))
        if not self._problem:
            self._take(value)

    def calendar_start(self) -> date:
        """The month the calendar opens at: the date shown, else `opens_at`, else today
        (kept within the field's range)."""
        shown = self.value() or self._opens_at or date.today()
        return max(self._minimum, min(shown, self._maximum))

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.chosen.connect(self.pick)
        self.popup.calendar.setDateRange(_qdate(self._minimum), _qdate(self._maximum))
        self.popup.open_at(self.calendar_start(), self.value(), self.line_edit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and (
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)


def date_of_birth_field(accessible_name: str, today: date | None = None) -> DateField:
    """A date of birth: never in the future, and an empty field's calendar opens 14 years
    back, in the middle of the ages assessed (AIM u12 from 8, AIM3 to 18), so the year
    wanted is a page or two away rather than a century."""
    today = today or date.today()
    return DateField(accessible_name, opens_at=years_before(today, 14), maximum=today)


def first_invalid(container: QWidget) -> DateField | None:
    """The first date field in `container` whose text is not a date (focused, so the
    practitioner sees its problem); None when every date field holds a date or nothing."""
    for field in container.findChildren(DateField):
        if field.isVisibleTo(container) and field.isEnabled():
            field._finished()  # text still being typed counts as finished now
            if not field.is_valid():
                field.setFocus()
                return field
    return None


def accept_if_dates_valid(dialog: QDialog) -> None:
    """OK of a dialog with date fields: accept unless a date field holds text that is not a
    date."""
    if first_invalid(dialog) is None:
        dialog.accept()
