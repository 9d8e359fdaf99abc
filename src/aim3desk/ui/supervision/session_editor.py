"""The form of one supervision session, built from the supervision forms: date, supervisor,
type, the type's agenda as a checklist, notes, agreed actions (owner, due date, done), the
staff well-being prompts in their three groups and the risk-management key questions, each
with a response.

It knows nothing of the store: the pane shows a session in it, hears `edited` and reads the
form back with `edited_session()`.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import new_id
from aim3desk.domain.forms import SupervisionForms
from aim3desk.domain.supervision import (
    AgreedAction,
    PromptResponse,
    SupervisionSession,
    SupervisionType,
)
from aim3desk.ui.date_field import DateField
from aim3desk.ui.record_widgets import ActionRow, ClickLabel, NoteEdit, prompt_label
from aim3desk.ui.text_limit import limit_line

PRIVATE_NOTE = (
    "Private: well-being responses are for you and your supervisor only. They never appear "
    "in a report, a case export or the annual return, unless you tick \u201cInclude this "
    "record for the supervisor\u201d below, and then only in the supervision record given "
    "to the supervisor."
)
RESPONSE_LINES = 3


class SessionEditor(QWidget):
    """`show_session(session, today)` fills the form (or, with None, hides it behind a hint)
    without emitting anything; each change the user makes emits `edited`, and
    `edited_session(session)` is that session as the form now has it."""

    edited = Signal()

    def __init__(self, forms: SupervisionForms, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms = forms
        self.agenda_checks: dict[str, QCheckBox] = {}
        self.wellbeing_edits: dict[str, NoteEdit] = {}
        self.risk_edits: dict[str, NoteEdit] = {}
        self.action_rows: list[ActionRow] = []
        self._showing = False  # filling the form: the widgets' signals are not edits
        self._session_shown = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        self.empty_label = QLabel("Choose a session above, or start a new one.")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        layout.addWidget(self._details(forms))

        self.agenda_box = QGroupBox("Agenda")
        self.agenda_layout = QVBoxLayout(self.agenda_box)
        layout.addWidget(self.agenda_box)

        self.notes_edit = NoteEdit("Supervision notes", "What was discussed and reflected on", 5)
        self.notes_box = QGroupBox("Notes")
        QVBoxLayout(self.notes_box).addWidget(self.notes_edit)
        layout.addWidget(self.notes_box)

        layout.addWidget(self._actions())
        layout.addWidget(self._wellbeing(forms))
        layout.addWidget(self._risk_questions(forms))
        layout.addStretch(1)

        self.date_edit.dateChanged.connect(self._changed)
        self.supervisor_edit.textChanged.connect(self._changed)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.notes_edit.textChanged.connect(self._changed)
        self.include_check.toggled.connect(self._changed)
        for edit in (*self.wellbeing_edits.values(), *self.risk_edits.values()):
            edit.textChanged.connect(self._changed)
        self.add_action_button.clicked.connect(self.add_action)
        self._set_shown(False)

    # -- building -----------------------------------------------------------------------------
    def _details(self, forms: SupervisionForms) -> QWidget:
        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.date_edit = DateField("Session date", required=True)
        self.supervisor_edit = limit_line(QLineEdit(), "supervisor")
        self.supervisor_edit.setAccessibleName("Supervisor")
        self.supervisor_edit.setPlaceholderText("The supervisor's name")
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName("Session type")
        for session_type in forms.session_types:
            self.type_combo.addItem(session_type.label, session_type.id)
        details.addRow("&Date:", self.date_edit)
        details.addRow("S&upervisor:", self.supervisor_edit)
        details.addRow("&Type:", self.type_combo)
        self.details_box = QWidget()
        self.details_box.setLayout(details)
        return self.details_box

    def _actions(self) -> QWidget:
        self.actions_box = QGroupBox("Agreed actions")
        actions_layout = QVBoxLayout(self.actions_box)
        self.actions_list_layout = QVBoxLayout()
        self.actions_list_layout.setSpacing(0)
        actions_layout.addLayout(self.actions_list_layout)
        self.add_action_button = QPushButton("&Add action")
        self.add_action_button.setAccessibleName("Add an agreed action")
        self.add_action_button.setAutoDefault(False)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_action_button)
        add_row.addStretch(1)
        actions_layout.addLayout(add_row)
        return self.actions_box

    def _wellbeing(self, forms: SupervisionForms) -> QWidget:
        self.wellbeing_box = QGroupBox("Staff well-being (private)")
        self.wellbeing_box.setObjectName("wellbeingBox")
        wellbeing_layout = QVBoxLayout(self.wellbeing_box)
        self.private_label = QLabel(PRIVATE_NOTE)
        self.private_label.setWordWrap(True)
        self.private_label.setObjectName("privateNote")
        self.private_label.setAccessibleName("Well-being responses are private")
        self.private_label.setStyleSheet(
            "QLabel { background: #eef4fb; border: 1px solid #9bb8d9; border-radius: 4px;"
            " padding: 6px; }"
        )
        wellbeing_layout.addWidget(self.private_label)
        self.include_check = QCheckBox("Include this record for the supervisor")
        self.include_check.setAccessibleName("Include this record for the supervisor")
        self.include_check.setToolTip(
            "Puts this session's well-being responses in the supervision record given to the "
            "supervisor. They still never appear in reports, exports or the annual return."
        )
        wellbeing_layout.addWidget(self.include_check)
        for group in forms.wellbeing:
            title = QLabel(f"<b>{html.escape(group.title)}</b>")
            title.setAccessibleName(group.title)
            wellbeing_layout.addSpacing(6)
            wellbeing_layout.addWidget(title)
            for prompt in group.prompts:
                self.wellbeing_edits[prompt.id] = _add_response(wellbeing_layout, prompt.text)
        return self.wellbeing_box

    def _risk_questions(self, forms: SupervisionForms) -> QWidget:
        self.risk_box = QGroupBox("Risk-management key questions")
        risk_layout = QVBoxLayout(self.risk_box)
        if forms.risk_note:
            note = prompt_label(forms.risk_note)
            note.setStyleSheet("QLabel { font-style: italic; }")
            risk_layout.addWidget(note)
        for question in forms.risk_questions:
            self.risk_edits[question.id] = _add_response(risk_layout, question.text)
        return self.risk_box

    def _build_agenda(self, type_id: str, done: tuple[str, ...]) -> None:
        while self.agenda_layout.count():
            item = self.agenda_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.agenda_checks = {}
        definition = self.forms.session_type(type_id)
        self.agenda_box.setTitle(f"Agenda: {definition.label}")
        for item in definition.agenda:
            check = QCheckBox()
            check.setAccessibleName(item.text)
            check.setChecked(item.id in done)
            check.toggled.connect(self._changed)
            label = ClickLabel(item.text)
            label.clicked.connect(check.toggle)  # the words tick the box too
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            holder = QWidget()
            holder.setLayout(row)
            self.agenda_layout.addWidget(holder)
            self.agenda_checks[item.id] = check

    # -- showing ------------------------------------------------------------------------------
    def _set_shown(self, shown: bool) -> None:
        self._session_shown = shown
        for part in (
            self.details_box,
            self.agenda_box,
            self.actions_box,
            self.wellbeing_box,
            self.risk_box,
            self.notes_box,
        ):
            part.setVisible(shown)
        self.empty_label.setVisible(not shown)

    def show_session(self, session: SupervisionSession | None, today: date) -> None:
        """Fill the form from `session` (a session may not be dated after `today`)."""
        self._set_shown(session is not None)
        if session is None:
            return
        self._showing = True
        try:
            self.date_edit.set_range(maximum=today)
            self.date_edit.set_value(session.date)
            self.supervisor_edit.setText(session.supervisor)
            self.type_combo.setCurrentIndex(self.type_combo.findData(session.type.value))
            self._build_agenda(session.type.value, session.agenda_done)
            self.notes_edit.setPlainText(session.notes)
            self.include_check.setChecked(session.include_for_supervisor)
            answers = {r.prompt_id: r.response for r in session.wellbeing}
            for prompt_id, edit in self.wellbeing_edits.items():
                edit.setPlainText(answers.get(prompt_id, ""))
            answers = {r.prompt_id: r.response for r in session.risk_questions}
            for prompt_id, edit in self.risk_edits.items():
                edit.setPlainText(answers.get(prompt_id, ""))
            self._drop_action_rows()
            for action in session.actions:
                self._add_action_row(action)
        finally:
            self._showing = False

    def clear(self) -> None:
        """Empty every field that holds what was written, and hide the form."""
        self._showing = True
        self.supervisor_edit.clear()
        self.notes_edit.setPlainText("")
        for edit in (*self.wellbeing_edits.values(), *self.risk_edits.values()):
            edit.setPlainText("")
        self._drop_action_rows()
        self._showing = False
        self._set_shown(False)

    # -- agreed actions -----------------------------------------------------------------------
    def _add_action_row(self, action: AgreedAction) -> ActionRow:
        row = ActionRow(action)
        row.changed.connect(self._changed)
        row.remove_requested.connect(self._remove_action)
        self.actions_list_layout.addWidget(row)
        self.action_rows.append(row)
        return row

    def _drop_action_rows(self) -> None:
        for row in self.action_rows:
            row.deleteLater()
        self.action_rows = []

    def add_action(self) -> None:
        row = self._add_action_row(AgreedAction(new_id(), "", ""))
        row.what_edit.setFocus()

    def _remove_action(self, row: ActionRow) -> None:
        self.action_rows.remove(row)
        row.deleteLater()
        self._changed()

    # -- edits --------------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if not self._showing and self._session_shown:
            self.edited.emit()

    def _type_changed(self) -> None:
        """Another type has another agenda: ticks carry over where an item id is shared."""
        if self._showing or not self._session_shown:
            return
        done = tuple(i for i, c in self.agenda_checks.items() if c.isChecked())
        self._build_agenda(self.type_combo.currentData(), done)
        self._changed()

    def edited_session(self, session: SupervisionSession) -> SupervisionSession:
        """`session` with every field as the form has it now."""
        agenda = tuple(i for i, c in self.agenda_checks.items() if c.isChecked())
        return replace(
            session,
            date=self.date_edit.value() or session.date,  # kept while the text is no date
            supervisor=self.supervisor_edit.text().strip(),
            type=SupervisionType(self.type_combo.currentData()),
            agenda_done=agenda,
            notes=self.notes_edit.toPlainText(),
            wellbeing=tuple(
                PromptResponse(pid, e.toPlainText())
                for pid, e in self.wellbeing_edits.items()
                if e.toPlainText().strip()
            ),
            risk_questions=tuple(
                PromptResponse(pid, e.toPlainText())
                for pid, e in self.risk_edits.items()
                if e.toPlainText().strip()
            ),
            actions=tuple(a for a in (r.action() for r in self.action_rows) if a is not None),
            include_for_supervisor=self.include_check.isChecked(),
        )


def _add_response(layout: QVBoxLayout, prompt: str) -> NoteEdit:
    """A prompt's words and, below them, the field for the response."""
    layout.addWidget(prompt_label(prompt))
    edit = NoteEdit(prompt, "Response", RESPONSE_LINES - 1)
    layout.addWidget(edit)
    return edit
