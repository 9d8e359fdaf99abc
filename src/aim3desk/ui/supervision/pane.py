"""The supervision notes pane: the dock that hosts a case's sessions (a list, with when the
next one is due above it) and the chosen session's form (session_editor.py). It reads and
saves through named operations (ui/operations/supervision.py), saving itself debounced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
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
    SupervisionDue,
    SupervisionSession,
    SupervisionType,
)
from aim3desk.ui.assessment.page_kit import confirm, fmt_date
from aim3desk.ui.operations.base import Changes, Latest, Record
from aim3desk.ui.operations.supervision import (
    SupervisionRecords,
    delete_supervision_session,
    read_supervision,
    read_supervision_due,
    save_supervision_session,
)
from aim3desk.ui.record_saver import SAVED, RecordSaver
from aim3desk.ui.supervision.due_label import SupervisionDueLabel
from aim3desk.ui.supervision.session_editor import SessionEditor
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session


class SupervisionPane(QDockWidget):
    """`set_case(session, case_id)` shows a case's sessions; `flush()` queues unsaved
    changes; `clear_sensitive()` empties every field (on lock or when the case closes).
    Emits `save_state_changed(text)`. `editor` is None until the forms are first read."""

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
        self.editor: SessionEditor | None = None
        self._reads = Latest()
        self._due_reads = Latest()
        self.saver = RecordSaver(autosave_delay_ms, self)
        self.saver.state_changed.connect(self._state_changed)
        runner.changes.changed.connect(self._store_changed)

        self.due_label = SupervisionDueLabel()
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

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(QWidget())  # the session form takes its place once built
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
        self.forms = records.forms
        if self.editor is None:
            # Built once, from the forms of the first case read: they are the profile's own.
            self.editor = SessionEditor(records.forms)
            self.editor.edited.connect(self._edited)
            self.scroll.setWidget(self.editor)
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
        self.due_label.show_due(due, self._today())

    # -- sessions -----------------------------------------------------------------------------
    def _set_enabled(self, enabled: bool) -> None:
        self.remove_button.setEnabled(enabled)
        self.new_button.setEnabled(self.forms is not None)

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
        due = self.due_label.due
        if due is not None and due.reason.startswith("Intervention"):
            return SupervisionType.INTERVENTION
        held = {s.type for s in self.sessions}
        return next((t for t in ASSESSMENT_TYPES if t not in held), SupervisionType.INTERVENTION)

    def new_session(self) -> None:
        if self.editor is None or self.case_id is None:
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
        (self.editor.supervisor_edit if not supervisor else self.editor.notes_edit).setFocus()

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
        if self.editor is None:
            return
        self.editor.show_session(session, self._today())
        if session is not None:
            self.scroll.verticalScrollBar().setValue(0)

    # -- saving -------------------------------------------------------------------------------
    def _edited(self) -> None:
        current = self.current()
        if current is None or self.editor is None:
            return
        session = self.editor.edited_session(current)
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
        if self.editor is not None:
            self.editor.clear()
        self._set_enabled(False)
