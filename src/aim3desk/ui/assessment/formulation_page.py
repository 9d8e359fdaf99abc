"""The case formulation: five parts in the practitioner's words, each able to cite factors
(domain and slot) and evidence entries, shown under the text as chips."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import (
    AssessmentContent,
    FactorRef,
    FormulationPart,
    FormulationPartId,
)
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.domain.review import AnchorKind
from aim3desk.ui.assessment.comment_strip import CommentStrip, PlacedComment
from aim3desk.ui.assessment.page_kit import (
    apply_read_only,
    button,
    explanation,
    fmt_date,
    heading,
    item_name_of,
    ok_cancel,
    scrolling_body,
)
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.text import GrowingTextEdit

_PROMPTS = {
    FormulationPartId.WHAT_HAPPENED: "What the young person did, when, where and with whom.",
    FormulationPartId.PATHWAYS_AND_NEEDS: (
        "How the young person came to behave this way, and what needs the behaviour met."
    ),
    FormulationPartId.TRIGGERS_AND_MAINTAINING: (
        "What sets the behaviour off, and what keeps it going."
    ),
    FormulationPartId.PROTECTIVE_FACTORS: (
        "Strengths, relationships and settings that help the young person stay safe."
    ),
    FormulationPartId.INTERVENTION_AND_SUPERVISION: (
        "What the formulation means for intervention targets and the level of supervision."
    ),
}
_ROLE_REF = Qt.ItemDataRole.UserRole
_SNIPPET = 70


def snippet(text: str, length: int = _SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 3].rstrip() + "..."


def evidence_caption(content: AssessmentContent, evidence_id: str) -> str:
    try:
        entry = content.evidence_entry(evidence_id)
    except KeyError:
        return "Evidence no longer recorded"
    dated = f"{fmt_date(entry.date)}: " if entry.date else ""
    return f"{dated}{snippet(entry.text, 50)}"


class CiteDialog(QDialog):
    """A checklist of factors (grouped by domain) and evidence entries to cite."""

    def __init__(
        self,
        content: AssessmentContent,
        form_set: FormSet,
        model: ModelDef,
        part: FormulationPart,
        part_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = f"Cite in: {part_label}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            explanation(
                "Tick the factors and evidence this part of the formulation rests on. "
                "Space ticks the current line."
            )
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Factors and evidence to cite")
        layout.addWidget(self.tree, 1)
        factors_root = QTreeWidgetItem(self.tree, ["Factors"])
        factors_root.setFlags(Qt.ItemFlag.ItemIsEnabled)
        cited_factors = set(part.cites_factors)
        self.factor_items: dict[FactorRef, QTreeWidgetItem] = {}
        for domain in form_set.domains_for(model.id):
            domain_item = QTreeWidgetItem(factors_root, [domain.title])
            domain_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for factor in domain.factors:
                rating = content.rating(domain.id, factor.slot).rating
                rated = (
                    model.scale.option(rating).label
                    if rating in model.scale.values
                    else "not rated yet"
                )
                item = QTreeWidgetItem(domain_item, [f"{factor.slot}. {factor.label} ({rated})"])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                key = (domain.id, factor.slot)
                item.setData(0, _ROLE_REF, key)
                item.setCheckState(
                    0,
                    Qt.CheckState.Checked if key in cited_factors else Qt.CheckState.Unchecked,
                )
                self.factor_items[key] = item
        evidence_root = QTreeWidgetItem(self.tree, ["Evidence"])
        evidence_root.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.evidence_items: dict[str, QTreeWidgetItem] = {}
        for entry in content.evidence:
            where = item_name_of(form_set, entry.domain_id, entry.factor_slot)
            dated = f"{fmt_date(entry.date)}, " if entry.date else ""
            item = QTreeWidgetItem(evidence_root, [f"{dated}{where}: {snippet(entry.text)}"])
            item.setToolTip(0, entry.text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0,
                Qt.CheckState.Checked
                if entry.id in part.cites_evidence
                else Qt.CheckState.Unchecked,
            )
            self.evidence_items[entry.id] = item
        if not content.evidence:
            empty = QTreeWidgetItem(evidence_root, ["No evidence recorded yet."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.tree.expandAll()
        layout.addWidget(ok_cancel(self, "Cite"))

    def chosen(self) -> tuple[tuple[FactorRef, ...], tuple[str, ...]]:
        factors = tuple(
            key
            for key, item in self.factor_items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        )
        evidence = tuple(
            evidence_id
            for evidence_id, item in self.evidence_items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        )
        return factors, evidence


class _PartEditor(QWidget):
    """One part: heading, prompt, text, "Cite..." and the citations as chips."""

    def __init__(self, page: FormulationPage, part_id: FormulationPartId) -> None:
        super().__init__()
        self.page = page
        self.part_id = part_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(heading(part_id.label))
        layout.addWidget(explanation(_PROMPTS[part_id]))
        self.text_edit = GrowingTextEdit(part_id.label, _PROMPTS[part_id])
        self.text_edit.bind(self._text_changed)
        layout.addWidget(self.text_edit)
        row = QHBoxLayout()
        self.cite_button = button("Cite...", f"Cite factors and evidence in {part_id.label}")
        self.cite_button.clicked.connect(lambda: page.open_cite_dialog(part_id))
        row.addWidget(self.cite_button, 0, Qt.AlignmentFlag.AlignTop)
        self.chips_box = QWidget()
        self.chips_layout = _FlowRow(self.chips_box)
        row.addWidget(self.chips_box, 1)
        layout.addLayout(row)
        self._chip_keys: tuple[str, ...] = ()

    def _text_changed(self, text: str) -> None:
        part_id = self.part_id
        self.page.editor.edit(
            f"Edit the formulation: {part_id.label}",
            lambda c: c.set_formulation_part(
                part_id, replace(c.formulation.part(part_id), text=text)
            ),
            merge_key=f"formulation:{part_id.value}",
        )

    def show_part(self, content: AssessmentContent, part: FormulationPart) -> None:
        self.text_edit.show_text(part.text)
        keys = tuple(f"{d}:{s}" for d, s in part.cites_factors) + part.cites_evidence
        captions = [
            (f"Factor: {item_name_of(self.page.context.form_set, d, s)}", ("factor", d, s))
            for d, s in part.cites_factors
        ] + [
            (f"Evidence: {evidence_caption(content, e)}", ("evidence", e, None))
            for e in part.cites_evidence
        ]
        if keys == self._chip_keys and self.chips_layout.count() == max(1, len(captions)):
            return
        self._chip_keys = keys
        self.chips_layout.clear()
        if not captions:
            none = QLabel("Nothing cited yet.")
            none.setAccessibleName(f"{self.part_id.label}: nothing cited yet")
            none.setStyleSheet("color: palette(placeholder-text); font-style: italic;")
            self.chips_layout.add(none)
            return
        for caption, target in captions:
            chip = _Chip()
            chip.setText(caption)
            chip.setToolTip(caption)
            chip.setAccessibleName(f"Cited {caption}")
            chip.setObjectName("citationChip")
            chip.setAutoRaise(False)
            chip.setStyleSheet(
                "QToolButton#citationChip { border: 1px solid palette(mid); border-radius: 9px;"
                " padding: 1px 8px; background: palette(alternate-base); }"
            )
            chip.clicked.connect(lambda _checked=False, t=target: self.page.follow_citation(*t))
            self.chips_layout.add(chip)

    def clear(self) -> None:
        self.text_edit.show_text("")
        self.chips_layout.clear()
        self._chip_keys = ()


class _Chip(QToolButton):
    """A citation chip that may shrink below its caption's width (the caption is elided when
    drawn; text, tooltip and accessible name keep it whole), so chips fit a narrow page."""

    MIN_WIDTH = 140

    def __init__(self) -> None:
        super().__init__()
        # Tool buttons are Fixed by default, which would pin the chip to its full caption.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.MIN_WIDTH), hint.height())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        spare = super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())
        room = max(0, self.width() - spare)
        option.text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)


class _FlowRow(QLayout):
    """Chips flow left to right and wrap onto as many lines as the width needs; a chip
    wider than the whole line is given the line (and elides its caption)."""

    SPACING = 6

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.setContentsMargins(0, 0, 0, 0)
        self._items: list[QLayoutItem] = []

    # -- QLayout ------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        size = QSize(0, 0)
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            width = min(hint.width(), rect.width())
            if x > rect.x() and x + width > rect.right() + 1:
                x, y, line_height = rect.x(), y + line_height + self.SPACING, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self.SPACING
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()

    # -- chips --------------------------------------------------------------------------------
    def add(self, widget: QWidget) -> None:
        self.addWidget(widget)

    def clear(self) -> None:
        while self._items:
            widget = self._items.pop().widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.invalidate()


class FormulationPage(AssessmentPage):
    """Signals `go_to_factor(domain_id, slot)` and `go_to_evidence(evidence_id)` when a
    citation chip is followed (the workspace may connect them)."""

    title = "Case formulation"
    nav_key = "formulation"
    go_to_factor = Signal(str, int)
    go_to_evidence = Signal(str)

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.cite_dialog: CiteDialog | None = None
        layout = scrolling_body(self)
        layout.addWidget(heading("Case formulation", level=1))
        layout.addWidget(
            explanation(
                "Bring the profile together in five parts. Cite the factors and evidence each "
                "part rests on, so a reader can follow the reasoning."
            )
        )
        self.parts: dict[FormulationPartId, _PartEditor] = {}
        self.comment_strips: dict[FormulationPartId, CommentStrip] = {}  # a review received
        for part_id in FormulationPartId:
            part_editor = _PartEditor(self, part_id)
            self.parts[part_id] = part_editor
            self.comment_strips[part_id] = CommentStrip()
            layout.addWidget(part_editor)
            layout.addWidget(self.comment_strips[part_id])
        layout.addStretch(1)
        apply_read_only(self, editor.read_only)

    def refresh(self, content: AssessmentContent) -> None:
        for part_id, part_editor in self.parts.items():
            part_editor.show_part(content, content.formulation.part(part_id))

    def open_cite_dialog(self, part_id: FormulationPartId) -> CiteDialog:
        content = self.editor.content
        dialog = CiteDialog(
            content,
            self.context.form_set,
            self.context.model,
            content.formulation.part(part_id),
            part_id.label,
            self,
        )
        self.cite_dialog = dialog

        def accepted() -> None:
            factors, evidence = dialog.chosen()
            self.editor.edit(
                f"Cite in the formulation: {part_id.label}",
                lambda c: c.set_formulation_part(
                    part_id,
                    replace(
                        c.formulation.part(part_id), cites_factors=factors, cites_evidence=evidence
                    ),
                ),
            )

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def follow_citation(self, kind: str, ref: str, slot: int | None) -> None:
        if kind == "factor" and slot is not None:
            self.go_to_factor.emit(ref, slot)
        elif kind == "evidence":
            self.go_to_evidence.emit(ref)

    def show_review_comments(self, placed: list[PlacedComment]) -> None:
        for part_id, strip in self.comment_strips.items():
            strip.show_comments(
                [
                    p
                    for p in placed
                    if p.present and p.kind is AnchorKind.FORMULATION and p.ref == part_id.value
                ]
            )

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)

    def clear_sensitive(self) -> None:
        for strip in self.comment_strips.values():
            strip.clear_sensitive()
        for part_editor in self.parts.values():
            part_editor.clear()
        self._stale = True
