"""The guided assessment workspace of one case: a navigator (the five domains with their
completeness, then the pages that bring the assessment together: navigator.py) beside the
chosen page.

The version's content is read on the TaskRunner, then one AssessmentEditor holds it; every
page edits through that editor, so undo, redo and autosave cover the whole assessment.

Keyboard: Ctrl+PgDown / Ctrl+PgUp next or previous page; Alt+Down / Alt+Up next or previous
factor on a domain page; F6 between the navigator and the page; Ctrl+Z undo; Ctrl+Shift+Z or
Ctrl+Y redo; Ctrl+Shift+E adds evidence on a domain page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Assessment, Case
from aim3desk.domain.profile import completeness
from aim3desk.ui.assessment import shortcuts, spelling
from aim3desk.ui.assessment.chronology_page import ChronologyPage
from aim3desk.ui.assessment.domain_page import DomainPage, domain_nav_key
from aim3desk.ui.assessment.editor import READ_ONLY, SAVED, AssessmentEditor
from aim3desk.ui.assessment.formulation_page import FormulationPage
from aim3desk.ui.assessment.navigator import NavigatorPanel
from aim3desk.ui.assessment.page_builds import PageBuilds
from aim3desk.ui.assessment.pages import AssessmentPage, PageContext
from aim3desk.ui.assessment.profile_page import ProfilePage
from aim3desk.ui.assessment.readiness_dialog import ReadinessDialog
from aim3desk.ui.assessment.safety_page import SafetyPlanPage
from aim3desk.ui.assessment.screening_page import ScreeningPage
from aim3desk.ui.assessment.sharing_page import SharingPage
from aim3desk.ui.assessment.unknowns_page import UnknownsPage
from aim3desk.ui.assessment.versions_page import VersionsPage
from aim3desk.ui.assessment.voices_page import VoicesPage
from aim3desk.ui.heap import collect_again
from aim3desk.ui.operations.assessments import OpenedAssessment, open_assessment
from aim3desk.ui.operations.base import Changes, Latest, Record
from aim3desk.ui.operations.cases import read_case
from aim3desk.ui.review.practitioner import ReceivedReviews, ReviewPage
from aim3desk.ui.tasks import TaskRunner, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.session import Session

log = logging.getLogger(__name__)

# The pages that bring the assessment together, in navigator order, after the domain pages.
# Each is built the first time it is shown.
OTHER_PAGES: tuple[type[AssessmentPage], ...] = (
    UnknownsPage,
    ChronologyPage,
    ScreeningPage,
    VoicesPage,
    ProfilePage,
    FormulationPage,
    SharingPage,
    SafetyPlanPage,
    ReviewPage,
    VersionsPage,
)


class AssessmentWorkspace(QWidget):
    """Signals: `save_state_changed(text)`, `loaded()` once the content is shown,
    `load_failed(message)`, `case_reloaded(case)` after a change to the case (its status or
    model, a version finished or started) was read; the current version then opens again if
    it is another one or changed shape."""

    save_state_changed = Signal(str)
    case_reloaded = Signal(object)  # the case as it is after a change
    other_pages: tuple[type[AssessmentPage], ...] = OTHER_PAGES  # the review window drops one
    loaded = Signal()
    load_failed = Signal(str)

    def __init__(
        self,
        case: Case,
        session: Session,
        form_set: FormSet,
        runner: TaskRunner,
        autosave_delay_ms: int,
        assessment: Assessment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.session = session
        self.form_set = form_set
        self.runner = runner
        self.autosave_delay_ms = autosave_delay_ms
        self.assessment = assessment or case.current_assessment
        self.editor: AssessmentEditor | None = None
        self.context: PageContext | None = None
        self._content_reads = Latest()
        self._case_reads = Latest()
        self.received = ReceivedReviews(session, runner, form_set, self)
        runner.changes.changed.connect(self._store_changed)
        self._following_changes = True

        self.side = NavigatorPanel()
        self.navigator = self.side.navigator  # F6 and the case view's tab order land here
        self.ready_button = self.side.ready_button
        self.ready_button.clicked.connect(self.check_readiness)

        self.banner = QLabel()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Read-only version")
        self.banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fff4d6; color: #4a3800; "
            "border: 1px solid #d9b44a; border-radius: 4px; padding: 6px; }"
        )
        self.banner.hide()
        self.undo_action = QAction("Undo", self)
        self.redo_action = QAction("Redo", self)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_button = QToolButton()
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.setAccessibleName("Undo")
        self.redo_button = QToolButton()
        self.redo_button.setDefaultAction(self.redo_action)
        self.redo_button.setAccessibleName("Redo")
        self.version_label = QLabel()
        self.version_label.setAccessibleName("Assessment version")
        tools = QHBoxLayout()
        tools.addWidget(self.version_label, 1)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.redo_button)
        self.stack = QStackedWidget()
        self.loading_label = QLabel("Opening the assessment...")
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setAccessibleName("Opening the assessment")
        self.stack.addWidget(self.loading_label)
        # The pages, built a slice at a time or on first visit (page_builds.py).
        self._builds = PageBuilds(self.stack, self)
        self._builds.adopted.connect(self._adopted)
        self.pages = self._builds.pages  # the pages built so far, by nav key
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 0)
        right_layout.addLayout(tools)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.side)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 950])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._add_shortcuts()
        self.navigator.page_chosen.connect(self._page_chosen)
        self.setTabOrder(self.navigator, self.ready_button)
        if self.assessment is None:
            self.loading_label.setText("This case has no assessment yet.")
            self.ready_button.setEnabled(False)
        else:
            self.load()

    # -- shortcuts ----------------------------------------------------------------------------
    def _shortcut(
        self, key: shortcuts.WorkspaceKey, slot: Callable[[], None], action: QAction | None = None
    ) -> QAction:
        action = action or QAction(self)
        action.setShortcuts([QKeySequence(k) for k in key.keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _add_shortcuts(self) -> None:  # the keys are named in shortcuts.py (Help > Guide)
        self._shortcut(shortcuts.NEXT_PAGE, lambda: self.step_page(1))
        self._shortcut(shortcuts.PREVIOUS_PAGE, lambda: self.step_page(-1))
        self._shortcut(shortcuts.NEXT_FACTOR, lambda: self.step_factor(1))
        self._shortcut(shortcuts.PREVIOUS_FACTOR, lambda: self.step_factor(-1))
        self._shortcut(shortcuts.SWITCH_FOCUS, self.toggle_focus)
        self._shortcut(shortcuts.ADD_EVIDENCE, self.add_evidence)
        self._shortcut(shortcuts.UNDO, self.undo, self.undo_action)
        self._shortcut(shortcuts.REDO, self.redo, self.redo_action)

    # -- loading ------------------------------------------------------------------------------
    def load(self, assessment: Assessment | None = None) -> None:
        """(Re)load a version: the current one, or `assessment` (a new version just made)."""
        if assessment is not None:
            self.assessment = assessment
        if self.assessment is None:
            return

        def failed(exc: BaseException) -> None:
            report_to_stderr(exc)
            message = "The assessment could not be opened. Your saved work is safe."
            self.loading_label.setText(message)
            self.load_failed.emit(message)

        self._drop_pages()
        self.stack.setCurrentWidget(self.loading_label)
        self.loading_label.setText("Opening the assessment...")
        open_assessment(self.runner, self.session, self.assessment.id, self.form_set).latest(
            self._content_reads
        ).on_done(self._show).on_error(failed).run()

    def _show(self, opened: OpenedAssessment) -> None:
        """Build the version's editor and first domain page a slice at a time (the
        "Opening the assessment..." label stays up meanwhile), then show them at once."""
        model = self.form_set.model(opened.assessment.model.value)
        context = PageContext(
            case=self.case,
            form_set=self.form_set,
            model=model,
            evidence_rules=opened.evidence_rules,
            screening=opened.screening,
            session=self.session,
            runner=self.runner,
            evidence_rows=opened.evidence_rows,
        )
        editor = AssessmentEditor(
            self.session,
            opened.assessment,
            opened.content,
            self.runner,
            self.autosave_delay_ms,
            self,
        )
        self._builds.open(
            editor, context, lambda first: self._show_opened(opened, context, editor, first)
        )

    def finish_opening(self) -> None:
        """Complete the opening of the version now (the review window shows it at once)."""
        self._builds.finish_opening()

    def _show_opened(
        self,
        opened: OpenedAssessment,
        context: PageContext,
        editor: AssessmentEditor,
        first: DomainPage,
    ) -> None:
        assessment, content = opened.assessment, opened.content
        self.assessment = assessment
        self.context = context
        self.editor = editor
        editor.save_state_changed.connect(self.save_state_changed)
        editor.changed.connect(self._content_changed)
        editor.undo_stack.indexChanged.connect(self._update_undo)
        editor.undo_stack.cleanChanged.connect(self._update_undo)

        self._builds.know(editor, context, self.other_pages)
        self.navigator.blockSignals(True)
        self.navigator.clear()
        self.navigator.add_header("Domains")
        for domain in self.form_set.domains_for(context.model.id):
            self.navigator.add_page(domain_nav_key(domain.id), domain.title, domain_id=domain.id)
        self.navigator.add_header("Across the assessment")
        for cls in self.other_pages:
            self.navigator.add_page(cls.nav_key, cls.title)
        self.navigator.blockSignals(False)
        self._builds.adopt(first)

        read_only = editor.read_only
        self.version_label.setText(
            f"{context.model.name}, version {assessment.version}"
            + (" (finished)" if read_only else "")
        )
        self.banner.setText(
            f"Version {assessment.version} is finished and read-only. To record changes, start "
            "a new version from the Versions page."
        )
        self.banner.setVisible(read_only)
        self._update_progress(content)
        self._update_undo()
        self.save_state_changed.emit(READ_ONLY if read_only else SAVED)
        self.go_to(first.nav_key)
        self.read_reviews()
        self.loaded.emit()
        self._builds.build_rest_on_idle()

    def _adopted(self, page: AssessmentPage) -> None:
        """A page built: read-only as the version, linked, with the comments on it."""
        if self.editor is not None:
            page.set_read_only(self.editor.read_only)
        self._connect_navigation(page)
        self.received.show_on(page)

    def _connect_navigation(self, page: AssessmentPage) -> None:
        """Pages that point elsewhere (a cited factor or entry) or change the version."""
        go_to_factor = getattr(page, "go_to_factor", None)
        if go_to_factor is not None:
            go_to_factor.connect(self.focus_factor)
        go_to_evidence = getattr(page, "go_to_evidence", None)
        if go_to_evidence is not None:
            go_to_evidence.connect(self.show_evidence)

    def _drop_pages(self) -> None:
        self._builds.drop()
        self.navigator.clear_pages()
        if self.editor is not None:
            self.editor.flush()
            self.editor.clear()
            self.editor.deleteLater()
            self.editor = None

    # -- pages --------------------------------------------------------------------------------
    def page(self, nav_key: str) -> AssessmentPage | None:
        """The page for nav_key, built now if it is not yet (page_builds.py)."""
        return self._builds.page(nav_key)

    def current_page(self) -> AssessmentPage | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, AssessmentPage) else None

    def _page_chosen(self, nav_key: str) -> None:
        page = self.page(nav_key)
        if page is not None:
            self.stack.setCurrentWidget(page)

    def go_to(self, nav_key: str) -> bool:
        return self.navigator.go_to(nav_key)

    def _go_to_missing(self, domain_id: str, slot: int) -> None:
        if slot:
            self.focus_factor(domain_id, slot)
        elif self.go_to(domain_nav_key(domain_id)):
            page = self.page(domain_nav_key(domain_id))
            if isinstance(page, DomainPage):
                page.strengths.setFocus(Qt.FocusReason.OtherFocusReason)
                page.scroll.ensureWidgetVisible(page.strengths, 0, 60)

    def show_evidence(self, evidence_id: str) -> None:
        """Go to the domain page of a cited evidence entry and select it."""
        if self.editor is None:
            return
        try:
            entry = self.editor.content.evidence_entry(evidence_id)
        except KeyError:
            return
        if entry.domain_id is None or not self.go_to(domain_nav_key(entry.domain_id)):
            return
        page = self.page(domain_nav_key(entry.domain_id))
        if isinstance(page, DomainPage):
            page.evidence_list.select(evidence_id)
            page.evidence_list.table.setFocus(Qt.FocusReason.OtherFocusReason)
            page.scroll.ensureWidgetVisible(page.evidence_list, 0, 40)

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """Read the case again after a change to its details or versions (made here or in
        the status dialog), or after bundles came in (an import, a shared-folder round: a
        returned review opens a new version); read what came back from review again after
        a change to reviews."""
        arrived = changes.case_list and changes.case_id is None
        if (changes.case_details and changes.case_id == self.case.id) or arrived:
            read_case(self.runner, self.session, self.case.id).latest(self._case_reads).on_done(
                self._case_read
            ).run()
        if arrived or changes.touches(self.case.id, Record.REVIEWS):
            self.read_reviews()

    def read_reviews(self) -> None:
        """What came back from review, placed on the pages (ui/review/practitioner.py)."""
        if self.editor is not None and self.assessment is not None:
            self.received.read(self.case.id, self.assessment, self.editor, self.pages.values())

    def _case_read(self, case: Case) -> None:
        self.case = case
        self.case_reloaded.emit(case)
        current, shown = case.current_assessment, self.assessment
        if current is None:
            return
        if shown is None or (current.id, current.model, current.finished) != (
            shown.id,
            shown.model,
            shown.finished,
        ):
            self.flush()
            self.load(current)

    def focus_factor(self, domain_id: str, slot: int) -> None:
        if self.go_to(domain_nav_key(domain_id)):
            page = self.page(domain_nav_key(domain_id))
            if isinstance(page, DomainPage):
                page.focus_factor(slot)

    def step_page(self, step: int) -> None:
        if self.navigator.step(step) and not self.navigator.hasFocus():
            self.focus_page()

    def step_factor(self, step: int) -> None:
        page = self.current_page()
        if isinstance(page, DomainPage):
            page.step_factor(step)

    def add_evidence(self) -> None:
        page = self.current_page()
        if isinstance(page, DomainPage) and self.editor is not None and not self.editor.read_only:
            page.add_evidence()

    def focus_page(self) -> None:
        page = self.current_page()
        if isinstance(page, DomainPage):
            page.focus_first()
        elif page is not None:
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.focusNextChild()

    def toggle_focus(self) -> None:
        page = self.current_page()
        if self.navigator.hasFocus() and page is not None:
            self.focus_page()
        else:
            self.navigator.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- progress, undo, readiness ------------------------------------------------------------
    def _content_changed(self, content: AssessmentContent) -> None:
        self._update_progress(content)

    def _update_progress(self, content: AssessmentContent) -> None:
        if self.context is not None:
            self.side.show_completeness(completeness(content, self.context.model))

    def _update_undo(self, *_args: object) -> None:
        editor = self.editor
        if editor is None or not isValid(editor) or editor.read_only:
            for action, word in ((self.undo_action, "Undo"), (self.redo_action, "Redo")):
                action.setEnabled(False)
                action.setText(word)
                action.setToolTip(word)
            return
        stack = editor.undo_stack
        for action, word, can, text, keys in (
            (self.undo_action, "Undo", stack.canUndo(), stack.undoText(), shortcuts.UNDO.keys),
            (self.redo_action, "Redo", stack.canRedo(), stack.redoText(), shortcuts.REDO.keys),
        ):
            label = f"{word} {text.lower()}" if can and text else word
            action.setEnabled(can)
            action.setText(label)
            action.setToolTip(f"{label} ({', '.join(keys)})")

    def undo(self) -> None:
        if self.editor is not None and not self.editor.read_only:
            self.editor.undo_stack.undo()

    def redo(self) -> None:
        if self.editor is not None and not self.editor.read_only:
            self.editor.undo_stack.redo()

    def check_readiness(self) -> None:
        if self.editor is None or self.context is None:
            return
        context = self.context
        dialog = ReadinessDialog(self.editor.content, context.model, context.form_set, self)
        dialog.go_to.connect(
            lambda domain_id, slot: (dialog.accept(), self._go_to_missing(domain_id, slot))
        )
        dialog.go_to_page.connect(lambda key: (dialog.accept(), self.go_to(key), self.focus_page()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal without a nested event loop (it may open on arrival)

    # -- saving and locking -------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.editor is not None and self.editor.read_only

    def flush(self) -> None:
        if self.editor is not None:
            self.editor.flush()

    def has_unsaved(self) -> bool:
        return self.editor is not None and self.editor.has_unsaved()

    def clear_sensitive(self) -> None:
        """Locking or closing: after flush() and the saves have run, forget everything.
        The workspace stops following changes too: it is thrown away, and a change that
        lands before it is deleted (the case's own deletion) must not read the case again."""
        if self._following_changes:
            self._following_changes = False
            self.runner.changes.changed.disconnect(self._store_changed)
        self._content_reads.drop()  # reads still in flight are dropped on arrival
        self._case_reads.drop()
        self._builds.cancel()
        self.received.clear()
        for page in self.pages.values():
            page.clear_sensitive()
        if self.editor is not None:
            self.editor.clear()
        self.navigator.clear()
        self.version_label.clear()
        spell = spelling.checker()
        if spell is not None:
            spell.forget_session_words()
        collect_again()  # what the open set aside goes back to the collector (heap.py)


__all__ = ["AssessmentWorkspace"]
