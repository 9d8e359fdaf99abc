"""Which pages a workspace has, which are built, and building them without a stall.

Opening a version builds only its first domain page, a slice at a time (staged.py), while
the workspace still says "Opening the assessment..."; it is shown whole. The other domain
pages follow on idle, one after another, each in slices; the pages across the assessment are
built the first time they are shown. A page wanted before its turn is built (or finished) at
once, so every page is complete whenever it is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from aim3desk.ui.assessment.domain_page import DomainPage, domain_nav_key
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.pages import AssessmentPage, PageContext
from aim3desk.ui.assessment.staged import BuildSteps, StagedBuild
from aim3desk.ui.tasks import TaskRunner, report_to_stderr


class PageBuilds(QObject):
    """The pages of the version shown, in `stack`. Emits `adopted(page)` for each page built,
    for the workspace to ready it."""

    adopted = Signal(object)

    def __init__(self, stack: QStackedWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pages: dict[str, AssessmentPage] = {}  # the pages built so far, by nav key
        self._stack = stack
        self._classes: dict[str, type[AssessmentPage]] = {}  # the pages across, by nav key
        self._domain_ids: dict[str, str] = {}  # nav key -> domain, for every domain page
        self._editor: AssessmentEditor | None = None
        self._context: PageContext | None = None
        # A version being opened: its editor and first page, in slices.
        self._opening: tuple[StagedBuild, AssessmentEditor, DomainPage] | None = None
        # A domain page being built on idle: (its nav key, the page, the build).
        self._building: tuple[str, DomainPage, StagedBuild] | None = None
        self._runner: TaskRunner | None = None  # held while a version opens

    # -- opening ------------------------------------------------------------------------------
    def open(
        self, editor: AssessmentEditor, context: PageContext, done: Callable[[DomainPage], None]
    ) -> None:
        """Build the first domain page of the version in slices; `done(page)` when whole."""
        self.cancel()
        first_domain = context.form_set.domains_for(context.model.id)[0]
        first = DomainPage(editor, context, first_domain.id, self._stack, staged=True)
        build = StagedBuild(self._into_stack(first), self)
        self._opening = (build, editor, first)
        self._runner = context.runner
        self._runner.hold()  # the open is in hand until the first page is shown
        build.finished.connect(partial(self._opened, first, done))
        build.start()

    def _opened(self, first: DomainPage, done: Callable[[DomainPage], None]) -> None:
        self._opening = None
        try:
            done(first)
        finally:
            self._release()

    def _release(self) -> None:
        if self._runner is not None:
            self._runner.release()
            self._runner = None

    def finish_opening(self) -> None:
        """Complete the opening now (the review window shows its version at once)."""
        if self._opening is not None:
            self._opening[0].finish_now()

    def know(
        self,
        editor: AssessmentEditor,
        context: PageContext,
        other_pages: tuple[type[AssessmentPage], ...],
    ) -> None:
        """The version shown: its editor, its domain pages and the pages across it."""
        self._editor, self._context = editor, context
        for domain in context.form_set.domains_for(context.model.id):
            self._domain_ids[domain_nav_key(domain.id)] = domain.id
        for cls in other_pages:
            self._classes[cls.nav_key] = cls

    def _into_stack(self, page: DomainPage) -> BuildSteps:
        yield from page.build_steps()
        self._stack.addWidget(page)  # hidden until chosen

    # -- the pages ----------------------------------------------------------------------------
    def adopt(self, page: AssessmentPage) -> None:
        """A page built: kept and in the stack; the workspace readies it (`adopted`)."""
        self.pages[page.nav_key] = page
        if self._stack.indexOf(page) < 0:
            self._stack.addWidget(page)
        self.adopted.emit(page)

    def page(self, nav_key: str) -> AssessmentPage | None:
        """The page for nav_key, built now if it is not yet (a domain page being built on
        idle is finished at once; a page across the assessment is built on first use)."""
        page = self.pages.get(nav_key)
        editor, context = self._editor, self._context
        if page is not None or editor is None or context is None:
            return page
        building = self._building
        if building is not None and building[0] == nav_key:
            building[2].finish_now()  # adopts it and goes on to the next
            return self.pages.get(nav_key)
        if nav_key in self._domain_ids:
            page = DomainPage(editor, context, self._domain_ids[nav_key], self._stack)
        elif nav_key in self._classes:
            try:
                page = self._classes[nav_key](editor, context)
            except Exception as exc:  # a broken page must not take the assessment with it
                report_to_stderr(exc)
                return None
        else:
            return None
        self.adopt(page)
        return page

    def build_rest_on_idle(self) -> None:
        """Build the next domain page not built yet, a slice at a time, then the next."""
        self._building = None
        editor, context = self._editor, self._context
        if editor is None or context is None:
            return
        for key, domain_id in self._domain_ids.items():
            if key not in self.pages:
                page = DomainPage(editor, context, domain_id, self._stack, staged=True)
                build = StagedBuild(self._into_stack(page), self)
                self._building = (key, page, build)
                build.finished.connect(partial(self._built_on_idle, page))
                build.start()
                return

    def _built_on_idle(self, page: DomainPage) -> None:
        self.adopt(page)
        self.build_rest_on_idle()

    # -- ending -------------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop building; a version half opened is thrown away with its editor."""
        if self._building is not None:
            _key, page, build = self._building
            self._building = None
            build.cancel()
            page.deleteLater()
        if self._opening is not None:
            build, editor, first = self._opening
            self._opening = None
            build.cancel()
            first.deleteLater()
            editor.clear()
            editor.deleteLater()
            self._release()

    def drop(self) -> None:
        """Forget the version's pages (emptied of case data first)."""
        self.cancel()
        for page in self.pages.values():
            page.clear_sensitive()
            self._stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self._classes.clear()
        self._domain_ids.clear()
        self._editor = self._context = None


__all__ = ["PageBuilds"]
