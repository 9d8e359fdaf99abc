"""Screening of each described sexual behaviour on the Hackett continuum and the traffic light.
Kept apart from the AIM3 profile: it describes one behaviour, never the young person, and is
never a risk label. The wording comes from forms/screening.toml."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import (
    AssessmentContent,
    HackettPosition,
    ScreeningRecord,
    TrafficLight,
    new_screening,
)
from aim3desk.domain.forms import ScreeningScale
from aim3desk.ui.assessment.card_list_page import CardListPage
from aim3desk.ui.assessment.page_kit import (
    add_row,
    button,
    colour_chip,
    confirm,
    explanation,
    heading,
    marks_edit,
)
from aim3desk.ui.assessment.text import GrowingTextEdit

BANNER_TEXT = "Screening only, kept apart from the AIM3 profile."


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class _ScreeningCard(QGroupBox):
    def __init__(self, page: ScreeningPage, record: ScreeningRecord, number: int) -> None:
        super().__init__(f"Behaviour {number}")
        self.page = page
        self.record_id = record.id
        scale: ScreeningScale = page.context.screening
        self.setAccessibleName(f"Screened behaviour {number}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.behaviour_edit = GrowingTextEdit(
            f"Description of behaviour {number}", "Describe the behaviour in plain words"
        )
        self.behaviour_edit.bind(lambda text: self._change("behaviour", behaviour=text))
        self.hackett_combo = marks_edit(QComboBox())
        self.hackett_combo.setAccessibleName(f"Hackett continuum position of behaviour {number}")
        for option in scale.hackett:
            self.hackett_combo.addItem(option.label, option.id)
            self.hackett_combo.setItemData(
                self.hackett_combo.count() - 1, option.description, Qt.ItemDataRole.ToolTipRole
            )
        self.hackett_help = explanation("")
        self.light_combo = marks_edit(QComboBox())
        self.light_combo.setAccessibleName(f"Traffic-light colour of behaviour {number}")
        for option in scale.traffic_lights:
            self.light_combo.addItem(_swatch(option.colour), option.label, option.id)
            self.light_combo.setItemData(
                self.light_combo.count() - 1, option.description, Qt.ItemDataRole.ToolTipRole
            )
        self.light_chip = QLabel()
        self.light_help = explanation("")
        self.note_edit = GrowingTextEdit(f"Note on behaviour {number}", "Context, source, age")
        self.note_edit.bind(lambda text: self._change("note", note=text))
        hackett_row = QHBoxLayout()
        hackett_row.addWidget(self.hackett_combo)
        hackett_row.addWidget(self.hackett_help, 1)
        light_row = QHBoxLayout()
        light_row.addWidget(self.light_combo)
        light_row.addWidget(self.light_chip)
        light_row.addWidget(self.light_help, 1)
        add_row(form, "&Behaviour:", self.behaviour_edit, self.behaviour_edit)
        add_row(form, "&Hackett continuum:", hackett_row, self.hackett_combo)
        add_row(form, "&Traffic light:", light_row, self.light_combo)
        add_row(form, "&Note:", self.note_edit, self.note_edit)
        layout.addLayout(form)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.remove_button = button("Remove...", f"Remove screened behaviour {number}")
        self.remove_button.clicked.connect(lambda: page.ask_remove(self.record_id))
        actions.addWidget(self.remove_button)
        layout.addLayout(actions)
        self.hackett_combo.activated.connect(
            lambda _i: self._change(
                "hackett", hackett=HackettPosition(self.hackett_combo.currentData())
            )
        )
        self.light_combo.activated.connect(
            lambda _i: self._change(
                "light", traffic_light=TrafficLight(self.light_combo.currentData())
            )
        )
        self.show_record(record)

    def _change(self, field_key: str, **changes: object) -> None:
        record_id = self.record_id

        def change(c: AssessmentContent) -> AssessmentContent:
            current = next(s for s in c.screenings if s.id == record_id)
            return c.put_screening(replace(current, **changes))

        self.page.editor.edit(
            "Edit a screening record", change, merge_key=f"screening:{record_id}:{field_key}"
        )

    def show_record(self, record: ScreeningRecord) -> None:
        scale: ScreeningScale = self.page.context.screening
        self.behaviour_edit.show_text(record.behaviour)
        self.note_edit.show_text(record.note)
        self.hackett_combo.setCurrentIndex(self.hackett_combo.findData(record.hackett.value))
        self.light_combo.setCurrentIndex(self.light_combo.findData(record.traffic_light.value))
        hackett = scale.hackett_option(record.hackett.value)
        self.hackett_help.setText(hackett.description)
        light = scale.traffic_light(record.traffic_light.value)
        self.light_chip.setText(light.label)
        self.light_chip.setAccessibleName(f"Traffic light: {light.label}")
        self.light_chip.setStyleSheet(colour_chip(light.label, light.colour).styleSheet())
        self.light_help.setText(light.description)


class ScreeningPage(CardListPage):
    title = "Screening (kept apart)"
    nav_key = "screening"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        outer = QVBoxLayout(self)
        outer.addWidget(heading("Screening of described behaviour (kept apart)", level=1))
        self.banner = QLabel(f"<b>{BANNER_TEXT}</b><br>{context.screening.note}")
        self.banner.setObjectName("screeningBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(f"{BANNER_TEXT} {context.screening.note}")
        self.banner.setStyleSheet(
            "QLabel#screeningBanner { background: #e8eaf6; color: #1a237e; "
            "border: 1px solid #7986cb; border-radius: 6px; padding: 8px; }"
        )
        outer.addWidget(self.banner)
        self._add_card_list(outer, "No behaviour has been screened yet.")
        row = QHBoxLayout()
        self.add_button = button("&Add a described behaviour", "Add a described behaviour")
        self.add_button.clicked.connect(self.add_record)
        row.addWidget(self.add_button)
        row.addStretch(1)
        outer.addLayout(row)
        self.set_read_only(editor.read_only)

    def refresh(self, content: AssessmentContent) -> None:
        self._show_cards(content.screenings)

    def _make_card(self, item: ScreeningRecord, number: int) -> _ScreeningCard:
        return _ScreeningCard(self, item, number)

    def _show_on_card(self, card: _ScreeningCard, item: ScreeningRecord) -> None:
        card.show_record(item)

    def add_record(self) -> None:
        record = new_screening("", HackettPosition.NORMAL, TrafficLight.GREEN)
        self.editor.edit("Add a screening record", lambda c: c.put_screening(record))
        self.refresh(self.editor.content)
        card = self.cards.get(record.id)
        if card is not None:
            card.behaviour_edit.setFocus()

    def ask_remove(self, record_id: str) -> None:
        confirm(
            self,
            "Remove screening record",
            "Remove this screened behaviour? Undo (Ctrl+Z) brings it back.",
            lambda: self.editor.edit(
                "Remove a screening record", lambda c: c.remove_screening(record_id)
            ),
        )
