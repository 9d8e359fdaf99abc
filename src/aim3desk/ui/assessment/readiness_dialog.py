"""'Ready for supervision?': exactly what is missing, grouped by kind, or a clear "Ready".
Double-click (or Enter on) an item to go to it: `go_to(domain_id, slot)` for a factor or a
domain (slot 0 for the domain as a whole), `go_to_page(nav_key)` for unknowns, the
formulation and the recommendations."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.domain.profile import Missing, MissingKind, readiness
from aim3desk.ui.assessment.page_kit import explanation, heading
from aim3desk.ui.assessment.sharing_page import SharingPage

KIND_TITLES = {
    MissingKind.UNRATED_FACTOR: "Factors not rated",
    MissingKind.RATING_WITHOUT_RATIONALE: "Ratings without a rationale",
    MissingKind.OPEN_UNKNOWN: "Unknowns still open",
    MissingKind.STRENGTHS_NOT_RECORDED: "Domains without strengths recorded",
    MissingKind.EMPTY_FORMULATION_PART: "Empty parts of the case formulation",
    MissingKind.RECOMMENDATIONS_NOT_WRITTEN: "Recommendations not written",
}
_MISSING_ROLE = Qt.ItemDataRole.UserRole


class MissingTree(QTreeWidget):
    """What is missing, grouped by kind; `activated_missing(missing)` on Enter or a
    double-click. Also shown by "Send for review" (ui/review/send_dialog.py)."""

    activated_missing = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName("What is missing")
        self.setWordWrap(True)
        self.itemDoubleClicked.connect(lambda item, _col: self._activate(item))

    def show_missing(self, missing: list[Missing]) -> None:
        self.clear()
        for kind in MissingKind:
            items = [m for m in missing if m.kind is kind]
            if not items:
                continue
            group = QTreeWidgetItem(self, [f"{KIND_TITLES[kind]} ({len(items)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in items:
                child = QTreeWidgetItem(group, [item.message])
                child.setToolTip(0, item.message)
                child.setData(0, _MISSING_ROLE, item)
        self.expandAll()
        first = self.topLevelItem(0)
        if first is not None and first.childCount():
            self.setCurrentItem(first.child(0))

    def _activate(self, item: QTreeWidgetItem) -> None:
        missing = item.data(0, _MISSING_ROLE)
        if missing is not None:
            self.activated_missing.emit(missing)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            missing = item.data(0, _MISSING_ROLE)
            if missing is not None:
                self.activated_missing.emit(missing)
                event.accept()
                return
        super().keyPressEvent(event)


class ReadinessDialog(QDialog):
    go_to = Signal(str, int)  # domain id, factor slot (0: the domain as a whole)
    go_to_page = Signal(str)  # a page's nav_key: unknowns, formulation or recommendations

    def __init__(
        self,
        content: AssessmentContent,
        model: ModelDef,
        form_set: FormSet,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ready for supervision?")
        self.setAccessibleName("Ready for supervision?")
        self.resize(720, 520)
        self.missing: list[Missing] = readiness(content, model, form_set)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Ready for supervision?", level=1))
        self.tree = MissingTree()
        self.tree.activated_missing.connect(self._go)
        if not self.missing:
            self.status_label = QLabel(
                "<b>Ready.</b> Every factor is rated with a rationale, strengths are recorded "
                "in every domain, no unknown is open, every part of the formulation is "
                "written and so are the recommendations."
            )
            self.status_label.setObjectName("readyLabel")
            self.status_label.setStyleSheet(
                "QLabel#readyLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid "
                "#66bb6a; border-radius: 6px; padding: 10px; }"
            )
            self.status_label.setAccessibleName("Ready for supervision: nothing is missing.")
            self.status_label.setWordWrap(True)
            layout.addWidget(self.status_label)
            layout.addStretch(1)
            self.tree.hide()
        else:
            count = len(self.missing)
            text = (
                f"Not yet: {count} thing{'s' if count != 1 else ''} to complete before "
                "supervision. Double-click or press Enter on an item to go to it."
            )
            self.status_label = explanation(text)
            layout.addWidget(self.status_label)
            self.tree.show_missing(self.missing)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout.addWidget(buttons)

    @property
    def ready(self) -> bool:
        return not self.missing

    def _go(self, missing: Missing) -> None:
        if missing.kind is MissingKind.EMPTY_FORMULATION_PART:
            self.go_to_page.emit("formulation")
        elif missing.kind is MissingKind.RECOMMENDATIONS_NOT_WRITTEN:
            self.go_to_page.emit(SharingPage.nav_key)
        elif missing.kind is MissingKind.OPEN_UNKNOWN and missing.domain_id is None:
            self.go_to_page.emit("unknowns")
        elif missing.domain_id is not None:
            self.go_to.emit(missing.domain_id, missing.slot or 0)
