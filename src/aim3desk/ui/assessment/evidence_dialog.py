"""The one evidence dialog: records or edits an entry with its provenance, on a domain page
or to answer an unknown, marking the sharing classes that may not leave the network."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import EvidenceEntry, new_evidence
from aim3desk.domain.forms import DomainDef, EvidenceRules
from aim3desk.ui.assessment.evidence_rows import sharing_label, vocabulary_label
from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField, accept_if_dates_valid


class EvidenceDialog(QDialog):
    """Records or edits one entry: the one evidence dialog (domain pages and answering an
    unknown). The sharing class follows the rules for the chosen source and category (with
    the rule's reason shown) until the person picks one by hand; classes that may not leave
    the network are marked "Internal only" (domain/share_rule.py).

    With `about` (domain id, factor slot) the entry's subject is fixed (an unknown's) and no
    "About" choice is shown; otherwise the person picks the domain or one of its factors."""

    def __init__(
        self,
        rules: EvidenceRules,
        domain: DomainDef | None,
        entry: EvidenceEntry | None = None,
        slot: int | None = None,
        parent: QWidget | None = None,
        read_only: bool = False,
        *,
        title: str | None = None,
        intro: str = "",
        about: tuple[str | None, int | None] | None = None,
    ) -> None:
        super().__init__(parent)
        if domain is None and about is None:
            raise ValueError("an evidence entry is about a domain or a fixed subject")
        self._rules = rules
        self._domain = domain
        self._about = about
        self._original = entry
        self._sharing_by_hand = entry is not None  # an existing entry keeps its class
        if title is None:
            assert domain is not None
            title = f"{'Edit' if entry else 'Add'} evidence: {domain.title}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(620)

        self.text_edit = GrowingTextEdit(
            "Evidence text",
            "What was found, in plain words; quote the source where it matters.",
            min_lines=5,
        )
        self.text_edit.setUndoRedoEnabled(True)  # not bound to the assessment until OK
        self.date_edit = DateField("Date of the evidence")
        self.source_combo = self._combo("Source", [(s.id, s.label) for s in rules.sources])
        self.category_combo = self._combo(
            "Information category", [(c.id, c.label) for c in rules.categories]
        )
        for index, category in enumerate(rules.categories):
            self.category_combo.setItemData(
                index, category.description, Qt.ItemDataRole.ToolTipRole
            )
        self.sharing_combo = self._combo(
            "Sharing class",
            [(c.id, sharing_label(rules, c.id)) for c in rules.sharing_classes],
        )
        for index, sharing in enumerate(rules.sharing_classes):
            self.sharing_combo.setItemData(index, sharing.description, Qt.ItemDataRole.ToolTipRole)
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setObjectName("hintLabel")
        self.why_label.setAccessibleName("Why this sharing class")
        self.about_combo: QComboBox | None = None
        if about is None:
            assert domain is not None
            self.about_combo = self._combo(
                "About",
                [(None, f"The domain as a whole ({domain.title})")]
                + [(f.slot, f"{f.slot}. {f.label}") for f in domain.factors],
            )
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setAccessibleName("Problem")
        self.error_label.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Evidence:", self.text_edit)
        form.addRow("&Date:", self.date_edit)
        form.addRow("S&ource:", self.source_combo)
        form.addRow("&Category:", self.category_combo)
        sharing_box = QWidget()
        sharing_layout = QVBoxLayout(sharing_box)
        sharing_layout.setContentsMargins(0, 0, 0, 0)
        sharing_layout.setSpacing(2)
        sharing_layout.addWidget(self.sharing_combo)
        sharing_layout.addWidget(self.why_label)
        sharing_caption = QLabel("S&haring:")
        sharing_caption.setBuddy(self.sharing_combo)
        form.addRow(sharing_caption, sharing_box)
        if self.about_combo is not None:
            form.addRow("&About:", self.about_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save entry" if not read_only else "OK")
        self.ok_button.setAccessibleName(self.ok_button.text())
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            intro_label = explanation(intro)
            intro_label.setMinimumWidth(520)  # wrapped labels otherwise ask for a tall dialog
            layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._show(entry, slot)
        self.source_combo.currentIndexChanged.connect(self._follow_rules)
        self.category_combo.currentIndexChanged.connect(self._follow_rules)
        self.sharing_combo.activated.connect(self._sharing_chosen)
        if read_only:
            self.text_edit.setReadOnly(True)
            for widget in (
                self.date_edit,
                self.source_combo,
                self.category_combo,
                self.sharing_combo,
                self.about_combo,
            ):
                if widget is not None:
                    widget.setEnabled(False)
            cancel.hide()
            buttons.accepted.disconnect(self._accept)
            buttons.accepted.connect(self.reject)
        self.text_edit.setFocus()

    def _combo(self, name: str, items: list[tuple[Any, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for value, label in items:
            combo.addItem(label, value)
        return combo

    def _select(self, combo: QComboBox | None, value: Any) -> None:
        if combo is None:
            return
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show(self, entry: EvidenceEntry | None, slot: int | None) -> None:
        if entry is None:
            self.date_edit.set_value(date.today())
            self._select(self.source_combo, "practitioner_observation")
            self._select(self.about_combo, slot)
            self._follow_rules()
            return
        self.date_edit.set_value(entry.date)  # an undated entry stays undated
        self.text_edit.setPlainText(entry.text)
        for combo, value in (
            (self.source_combo, entry.source),
            (self.category_combo, entry.category),
            (self.sharing_combo, entry.sharing),
            (self.about_combo, entry.factor_slot),
        ):
            self._select(combo, value)
        self._update_why()

    def _follow_rules(self) -> None:
        if not self._sharing_by_hand:
            source, category = self.source_combo.currentData(), self.category_combo.currentData()
            self._select(self.sharing_combo, self._rules.default_sharing(source, category))
        self._update_why()

    def _sharing_chosen(self) -> None:
        self._sharing_by_hand = True
        self._update_why()

    def _update_why(self) -> None:
        source, category = self.source_combo.currentData(), self.category_combo.currentData()
        default = self._rules.default_sharing(source, category)
        why = self._rules.default_why(source, category)
        if self.sharing_combo.currentData() == default:
            self.why_label.setText(f"Suggested for this source and category: {why}")
        else:
            suggested = vocabulary_label(self._rules.sharing_class, default)
            self.why_label.setText(f"Chosen by hand. The rules would suggest “{suggested}”: {why}")

    def _accept(self) -> None:
        if not self.text_edit.toPlainText().strip():
            self.error_label.setText("Write what the evidence is before saving it.")
            self.error_label.show()
            self.text_edit.setFocus()
            return
        accept_if_dates_valid(self)

    def subject(self) -> tuple[str | None, int | None]:
        """(domain id, factor slot) the entry is about."""
        if self._about is not None:
            domain_id, slot = self._about
            return domain_id, slot if domain_id is not None else None
        assert self._domain is not None and self.about_combo is not None
        return self._domain.id, self.about_combo.currentData()

    def entry(self) -> EvidenceEntry:
        """The entry as filled in (a new id for a new one)."""
        when = self.date_edit.value()
        text = self.text_edit.toPlainText()
        source, category = self.source_combo.currentData(), self.category_combo.currentData()
        sharing = self.sharing_combo.currentData()
        domain_id, slot = self.subject()
        if self._original is not None:
            return replace(
                self._original,
                text=text,
                date=when,
                source=source,
                category=category,
                sharing=sharing,
                domain_id=domain_id,
                factor_slot=slot,
            )
        return new_evidence(
            self._rules,
            text=text,
            source=source,
            category=category,
            when=when,
            domain_id=domain_id,
            factor_slot=slot,
            sharing=sharing,
        )
