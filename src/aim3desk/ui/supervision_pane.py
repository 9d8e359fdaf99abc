"""The supervision notes pane: a dock beside the open case, so notes can be taken while the
profile or any assessment page is in view.

Sessions of the case (a list) and the chosen one in an editor: date, supervisor, type, the
type's agenda as a checklist, notes, agreed actions (owner, due date, done), the staff
well-being prompts in their three groups and the risk-management key questions, each with a
response. Well-being responses are private to the practitioner and the supervisor. The
pane saves itself (debounced, as named operations) and shows when the next session is due.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import new_id
from aim3desk.domain.forms import SupervisionForms
from aim3desk.domain.supervision import (
    ASSESSMENT_TYPES,
    AgreedAction,
    PromptResponse,
    SupervisionDue,
    SupervisionSession,
    SupervisionType,
)
from aim3desk.ui.assessment.page_kit import DATE_FORMAT, confirm, fmt_date
from aim3desk.ui.operations.base import Changes, Latest, Record
from aim3desk.ui.operations.supervision import (
    SupervisionRecords,
    delete_supervision_session,
    read_supervision,
    read_supervision_due,
    save_supervision_session,
)
from aim3desk.ui.record_saver import SAVED, RecordSaver
from aim3desk.ui.record_widgets import ActionRow, ClickLabel, NoteEdit, prompt_label, qdate
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session

PRIVATE_NOTE = (
    "Private: well-being responses are for you and your supervisor only. They never appear "
    "in a report, a case export or the annual return, unless you tick \u201cInclude this "
    "record for the supervisor\u201d below, and then only in the supervision record given "
    "to the supervisor."
)
RESPONSE_LINES = 3


class SupervisionPane(QDockWidget):
    """`set_case(session, case_id)` shows a case's sessions; `flush()` queues unsaved
    changes; `clear_sensitive()` empties every field (on lock or when the case closes).
    Emits `save_state_changed(text)`."""

    save_state_changed = Signal(str)
    OBJECT_NAME = "supervisionPane"

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        autosave_delay_ms: int = 800,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__("Supervision notes", parent)
        self.setObjectName(self.OBJECT_NAME)
        self.setAccessibleName("Supervision notes")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self._runner = runner
        self._today = today
        self._session: Session | None = None
        self.case_id: str | None = None
        self.forms: SupervisionForms | None = None
        self.sessions: list[SupervisionSession] = []
        self.current_id: str | None = None
        self._showing = False
        self._reads = Latest()
        self._due_reads = Latest()
        self.saver = RecordSaver(autosave_delay_ms, self)
        self.saver.state_changed.connect(self._state_changed)
        runner.changes.changed.connect(self._store_changed)

        self.due_label = QLabel()
        self.due_label.setObjectName("supervisionDue")
        self.due_label.setWordWrap(True)
        self.due_label.setAccessibleName("Next supervision due")
        self.state_label = QLabel(SAVED)
        self.state_label.setAccessibleName("Supervision save state")
        self.session_list = QListWidget()
        self.session_list.setAccessibleName("Supervision sessions")
        self.session_list.setMinimumHeight(70)
        self.session_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.session_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.new_button = QPushButton("&New session")
        self.new_button.setAccessibleName("New supervision session")
        self.new_button.setAutoDefault(False)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove supervision session")
        self.remove_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.state_label)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.due_label)
        top_layout.addWidget(self.session_list, 1)
        top_layout.addLayout(buttons)

        self.editor = QWidget()
        self.editor_layout = QVBoxLayout(self.editor)
        self.editor_layout.setContentsMargins(4, 4, 12, 4)
        self.empty_label = QLabel("Choose a session above, or start a new one.")
        self.empty_label.setWordWrap(True)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.editor)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 600])
        split.setChildrenCollapsible(False)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 4, 6, 4)
        body_layout.addWidget(split)
        body.setMinimumWidth(380)
        self.setWidget(body)

        self.agenda_checks: dict[str, QCheckBox] = {}
        self.wellbeing_edits: dict[str, NoteEdit] = {}
        self.risk_edits: dict[str, NoteEdit] = {}
        self.action_rows: list[ActionRow] = []
        self._built = False
        self.new_button.clicked.connect(self.new_session)
        self.remove_button.clicked.connect(self.remove_session)
        self.session_list.currentItemChanged.connect(self._session_chosen)
        self._set_enabled(False)

    # -- loading ------------------------------------------------------------------------------
    def set_case(self, session: Session, case_id: str) -> None:
        """Show the sessions of a case (read on the worker thread)."""
        self.flush()
        self.clear_sensitive()
        self._session = session
        self.case_id = case_id
        read_supervision(self._runner, session, case_id, self._today()).latest(self._reads).on_done(
            self._loaded
        ).run()

    def _loaded(self, records: SupervisionRecords) -> None:
        forms = records.forms
        self.forms = forms
        if not self._built:
            self._build_editor(forms)
        self.sessions = sorted(records.sessions, key=lambda s: (s.date, s.id))
        self._show_due(records.due)
        self._fill_list()
        if self.sessions:
            self.session_list.setCurrentRow(self.session_list.count() - 1)
        else:
            self._show_session(None)
        self.new_button.setEnabled(True)

    def _refresh_due(self) -> None:
        if self._session is None or self.case_id is None:
            return
        read_supervision_due(self._runner, self._session, self.case_id, self._today()).latest(
            self._due_reads
        ).on_done(self._show_due).on_error(
            lambda _exc: None  # the case may have gone; the list says so
        ).run()

    def _show_due(self, due: SupervisionDue) -> None:
        if due.next_due is None:
            text = html.escape(due.reason)
        elif due.overdue:
            days = (self._today() - due.next_due).days
            text = (
                f"<b>Overdue:</b> next supervision was due {fmt_date(due.next_due)} "
                f"({days} day{'s' if days != 1 else ''} ago). {html.escape(due.reason)}"
            )
        else:
            text = f"Next supervision due <b>{fmt_date(due.next_due)}</b>. " + html.escape(
                due.reason
            )
        self.due_label.setText(text)
        self.due_label.setProperty("overdue", bool(due.overdue))
        self.due_label.setStyleSheet(
            "QLabel { background: #fde7e9; color: #8a0014; border: 1px solid #d9534f;"
            " border-radius: 4px; padding: 4px; }"
            if due.overdue
            else "QLabel { padding: 4px; }"
        )
        self.due = due

    # -- the editor ---------------------------------------------------------------------------
    def _build_editor(self, forms: SupervisionForms) -> None:
        layout = self.editor_layout
        layout.addWidget(self.empty_label)
        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Session date")
        self.supervisor_edit = QLineEdit()
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
        layout.addWidget(self.details_box)

        self.agenda_box = QGroupBox("Agenda")
        self.agenda_layout = QVBoxLayout(self.agenda_box)
        layout.addWidget(self.agenda_box)

        self.notes_edit = NoteEdit("Supervision notes", "What was discussed and reflected on", 5)
        notes_box = QGroupBox("Notes")
        QVBoxLayout(notes_box).addWidget(self.notes_edit)
        layout.addWidget(notes_box)

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
        layout.addWidget(self.actions_box)

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
                wellbeing_layout.addWidget(prompt_label(prompt.text))
                edit = NoteEdit(prompt.text, "Response", RESPONSE_LINES - 1)
                self.wellbeing_edits[prompt.id] = edit
                wellbeing_layout.addWidget(edit)
        layout.addWidget(self.wellbeing_box)

        self.risk_box = QGroupBox("Risk-management key questions")
        risk_layout = QVBoxLayout(self.risk_box)
        if forms.risk_note:
            note = prompt_label(forms.risk_note)
            note.setStyleSheet("QLabel { font-style: italic; }")
            risk_layout.addWidget(note)
        for question in forms.risk_questions:
            risk_layout.addWidget(prompt_label(question.text))
            edit = NoteEdit(question.text, "Response", RESPONSE_LINES - 1)
            self.risk_edits[question.id] = edit
            risk_layout.addWidget(edit)
        layout.addWidget(self.risk_box)
        layout.addStretch(1)

        self.date_edit.dateChanged.connect(self._edited)
        self.supervisor_edit.textChanged.connect(self._edited)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.notes_edit.textChanged.connect(self._edited)
        self.include_check.toggled.connect(self._edited)
        for edit in (*self.wellbeing_edits.values(), *self.risk_edits.values()):
            edit.textChanged.connect(self._edited)
        self.add_action_button.clicked.connect(self.add_action)
        self._built = True

    def _editor_parts(self) -> list[QWidget]:
        return [
            self.details_box,
            self.agenda_box,
            self.actions_box,
            self.wellbeing_box,
            self.risk_box,
            self.notes_edit.parentWidget(),
        ]

    def _set_enabled(self, enabled: bool) -> None:
        self.remove_button.setEnabled(enabled)
        self.new_button.setEnabled(self.forms is not None)
        if self._built:
            for part in self._editor_parts():
                part.setVisible(enabled)
            self.empty_label.setVisible(not enabled)

    def _build_agenda(self, type_id: str, done: tuple[str, ...]) -> None:
        while self.agenda_layout.count():
            item = self.agenda_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.agenda_checks = {}
        assert self.forms is not None
        definition = self.forms.session_type(type_id)
        self.agenda_box.setTitle(f"Agenda: {definition.label}")
        for item in definition.agenda:
            check = QCheckBox()
            check.setAccessibleName(item.text)
            check.setChecked(item.id in done)
            check.toggled.connect(self._edited)
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

    # -- sessions -----------------------------------------------------------------------------
    def _describe(self, session: SupervisionSession) -> str:
        label = session.type.value
        if self.forms is not None:
            label = self.forms.session_type(session.type.value).label
        who = f" with {session.supervisor}" if session.supervisor.strip() else ""
        return f"{fmt_date(session.date)}  {label}{who}"

    def _fill_list(self) -> None:
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for session in self.sessions:
            item = QListWidgetItem(self._describe(session))
            item.setData(Qt.ItemDataRole.UserRole, session.id)
            item.setToolTip(item.text())
            self.session_list.addItem(item)
            if session.id == self.current_id:
                self.session_list.setCurrentItem(item)
        self.session_list.blockSignals(False)

    def _session_chosen(
        self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None
    ) -> None:
        self.flush()
        session_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._show_session(next((s for s in self.sessions if s.id == session_id), None))

    def _next_type(self) -> SupervisionType:
        reason = getattr(getattr(self, "due", None), "reason", "")
        if reason.startswith("Intervention"):
            return SupervisionType.INTERVENTION
        held = {s.type for s in self.sessions}
        return next((t for t in ASSESSMENT_TYPES if t not in held), SupervisionType.INTERVENTION)

    def new_session(self) -> None:
        if self.forms is None or self.case_id is None:
            return
        self.flush()
        supervisor = self.sessions[-1].supervisor if self.sessions else ""
        session = SupervisionSession(
            id=new_id(), date=self._today(), supervisor=supervisor, type=self._next_type()
        )
        self.sessions.append(session)
        self.current_id = session.id
        self._fill_list()
        self._show_session(session)
        self._save(session)
        (self.supervisor_edit if not supervisor else self.notes_edit).setFocus()

    def remove_session(self) -> None:
        session = self.current()
        if session is None:
            return

        def remove() -> None:
            self.saver.discard()
            case_id = self.case_id
            self.sessions = [s for s in self.sessions if s.id != session.id]
            self.current_id = None
            self._fill_list()
            self._show_session(None)
            self.saver.now(
                f"delete:{session.id}",
                delete_supervision_session(self._runner, self._session, case_id, session.id),
            )

        confirm(
            self,
            "Remove supervision session",
            f"Remove the supervision session of {fmt_date(session.date)} and all its notes? "
            "This cannot be undone.",
            remove,
        )

    def current(self) -> SupervisionSession | None:
        return next((s for s in self.sessions if s.id == self.current_id), None)

    def _show_session(self, session: SupervisionSession | None) -> None:
        self.current_id = session.id if session else None
        self._set_enabled(session is not None)
        if session is None or not self._built:
            return
        self._showing = True
        try:
            self.date_edit.setMaximumDate(qdate(self._today()))
            self.date_edit.setDate(qdate(session.date))
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
            for row in self.action_rows:
                row.deleteLater()
            self.action_rows = []
            for action in session.actions:
                self._add_action_row(action)
        finally:
            self._showing = False
        self.scroll.verticalScrollBar().setValue(0)

    def _add_action_row(self, action: AgreedAction) -> ActionRow:
        row = ActionRow(action)
        row.changed.connect(self._edited)
        row.remove_requested.connect(self._remove_action)
        self.actions_list_layout.addWidget(row)
        self.action_rows.append(row)
        return row

    def add_action(self) -> None:
        row = self._add_action_row(AgreedAction(new_id(), "", ""))
        row.what_edit.setFocus()

    def _remove_action(self, row: ActionRow) -> None:
        self.action_rows.remove(row)
        row.deleteLater()
        self._edited()

    def _type_changed(self) -> None:
        if self._showing or self.current() is None:
            return
        done = tuple(i for i, c in self.agenda_checks.items() if c.isChecked())
        self._build_agenda(self.type_combo.currentData(), done)
        self._edited()

    def session_from_editor(self) -> SupervisionSession | None:
        current = self.current()
        if current is None:
            return None
        agenda = tuple(i for i, c in self.agenda_checks.items() if c.isChecked())
        return replace(
            current,
            date=self.date_edit.date().toPython(),
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

    # -- saving -------------------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        if self._showing:
            return
        session = self.session_from_editor()
        if session is None:
            return
        self.sessions = [session if s.id == session.id else s for s in self.sessions]
        item = self.session_list.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == session.id:
            item.setText(self._describe(session))
        self._save(session, delayed=True)

    def _save(self, session: SupervisionSession, delayed: bool = False) -> None:
        save = save_supervision_session(
            self._runner, self._session, self.case_id, session, self._today()
        )
        if delayed:
            self.saver.schedule(session.id, save)
        else:
            self.saver.now(session.id, save)

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """A session saved or removed (or the case's status changed): when is the next due."""
        if self.case_id is not None and (
            changes.touches(self.case_id, Record.SUPERVISION)
            or (changes.case_details and changes.case_id == self.case_id)
        ):
            self._refresh_due()

    def _state_changed(self, text: str) -> None:
        self.state_label.setText(text if text != SAVED else "Saved")
        self.state_label.setToolTip(text)
        self.save_state_changed.emit(text)

    def flush(self) -> None:
        """Queue every unsaved change now (before locking, closing or switching)."""
        self.saver.flush()

    def has_unsaved(self) -> bool:
        return self.saver.has_unsaved()

    def clear_sensitive(self) -> None:
        """Empty every field and forget the sessions (after flush and the saves have run)."""
        self._reads.drop()
        self._due_reads.drop()
        self.saver.discard()
        self.sessions = []
        self.current_id = None
        self.case_id = None
        self._session = None
        self.session_list.blockSignals(True)
        self.session_list.clear()
        self.session_list.blockSignals(False)
        self.due_label.clear()
        if self._built:
            self._showing = True
            self.supervisor_edit.clear()
            self.notes_edit.setPlainText("")
            for edit in (*self.wellbeing_edits.values(), *self.risk_edits.values()):
                edit.setPlainText("")
            for row in self.action_rows:
                row.deleteLater()
            self.action_rows = []
            self._showing = False
        self._set_enabled(False)
