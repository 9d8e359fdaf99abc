"""Voices: the young person's views and each parent's or carer's views, in their own words,
with who said it and when."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent, SpeakerKind, Voice, new_voice
from aim3desk.ui.assessment.card_list_page import CardListPage
from aim3desk.ui.assessment.page_kit import (
    add_row,
    button,
    confirm,
    marks_edit,
    page_layout,
)
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField
from aim3desk.ui.text_limit import limit_line


def voice_title(voice: Voice) -> str:
    if voice.speaker_kind is SpeakerKind.YOUNG_PERSON:
        return "The young person's views"
    who = voice.speaker_name or "A parent or carer"
    return f"{who} ({voice.relationship})" if voice.relationship else who


class _VoiceCard(QGroupBox):
    def __init__(self, page: VoicesPage, voice: Voice) -> None:
        super().__init__(voice_title(voice))
        self.page = page
        self.voice_id = voice.id
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = marks_edit(QComboBox())
        self.kind_combo.setAccessibleName("Whose views")
        for kind in SpeakerKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.name_edit = limit_line(QLineEdit(), "speaker_name")
        self.name_edit.setAccessibleName("Name of the speaker")
        self.name_edit.setPlaceholderText("Their name (optional for the young person)")
        self.relationship_edit = limit_line(QLineEdit(), "relationship")
        self.relationship_edit.setAccessibleName("Relationship to the young person")
        self.relationship_edit.setPlaceholderText("For example: mother, foster carer")
        self.date_edit = DateField("Date the views were given")
        self.words_edit = GrowingTextEdit("Their views in their own words", "In their own words")
        who_row = QHBoxLayout()
        who_row.addWidget(self.kind_combo)
        who_row.addWidget(self.name_edit, 1)
        who_row.addWidget(self.relationship_edit, 1)
        add_row(form, "&Who:", who_row, self.kind_combo)
        add_row(form, "&Date:", self.date_edit, self.date_edit)
        add_row(form, "&In their words:", self.words_edit, self.words_edit)
        layout.addLayout(form)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.remove_button = button("Remove...", "Remove these views")
        self.remove_button.clicked.connect(lambda: page.ask_remove(self.voice_id))
        actions.addWidget(self.remove_button)
        layout.addLayout(actions)
        self.kind_combo.activated.connect(
            lambda _i: self._change("kind", speaker_kind=SpeakerKind(self.kind_combo.currentData()))
        )
        self.name_edit.textEdited.connect(lambda t: self._change("name", speaker_name=t))
        self.relationship_edit.textEdited.connect(
            lambda t: self._change("relationship", relationship=t)
        )
        self.date_edit.dateChanged.connect(
            lambda _d: self._change("date", date=self.date_edit.value())
        )
        self.words_edit.bind(lambda text: self._change("words", words=text))
        self.show_voice(voice)

    def _change(self, field_key: str, **changes: object) -> None:
        voice_id = self.voice_id

        def change(c: AssessmentContent) -> AssessmentContent:
            current = next(v for v in c.voices if v.id == voice_id)
            return c.put_voice(replace(current, **changes))

        self.page.editor.edit("Edit views", change, merge_key=f"voice:{voice_id}:{field_key}")

    def show_voice(self, voice: Voice) -> None:
        title = voice_title(voice)
        self.setTitle(title)
        self.setAccessibleName(title)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(voice.speaker_kind.value))
        if self.name_edit.text() != voice.speaker_name:
            self.name_edit.setText(voice.speaker_name)
        if self.relationship_edit.text() != voice.relationship:
            self.relationship_edit.setText(voice.relationship)
        self.date_edit.set_value(voice.date)
        self.words_edit.show_text(voice.words)


class VoicesPage(CardListPage):
    title = "Voices"
    nav_key = "voices"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        outer = page_layout(
            self,
            "Voices",
            "The young person's views and each parent's or carer's views, in their own "
            "words. Record what they said, not your reading of it.",
        )
        self._add_card_list(outer, "No views recorded yet.")
        row = QHBoxLayout()
        self.add_young_person = button(
            "Add the &young person's views", "Add the young person's views"
        )
        self.add_young_person.clicked.connect(lambda: self.add_voice(SpeakerKind.YOUNG_PERSON))
        self.add_parent = button(
            "Add a &parent's or carer's views", "Add a parent's or carer's views"
        )
        self.add_parent.clicked.connect(lambda: self.add_voice(SpeakerKind.PARENT_CARER))
        row.addWidget(self.add_young_person)
        row.addWidget(self.add_parent)
        row.addStretch(1)
        outer.addLayout(row)
        self.set_read_only(editor.read_only)

    def refresh(self, content: AssessmentContent) -> None:
        self._show_cards(content.voices)

    def _make_card(self, item: Voice, number: int) -> _VoiceCard:
        return _VoiceCard(self, item)

    def _show_on_card(self, card: _VoiceCard, item: Voice) -> None:
        card.show_voice(item)

    def add_voice(self, kind: SpeakerKind) -> None:
        voice = new_voice(kind, "")
        self.editor.edit(f"Add {kind.label.lower()}'s views", lambda c: c.put_voice(voice))
        self.refresh(self.editor.content)
        card = self.cards.get(voice.id)
        if card is not None:
            (card.words_edit if kind is SpeakerKind.YOUNG_PERSON else card.name_edit).setFocus()

    def ask_remove(self, voice_id: str) -> None:
        confirm(
            self,
            "Remove views",
            "Remove these views? Undo (Ctrl+Z) brings them back.",
            lambda: self.editor.edit("Remove views", lambda c: c.remove_voice(voice_id)),
        )
