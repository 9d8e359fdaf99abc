"""A page that shows one card per item (voices, screened behaviours): the cards sit in a
scroll area under the page's own header, with a note when there are none yet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from aim3desk.ui.assessment.page_kit import apply_read_only, explanation
from aim3desk.ui.assessment.pages import AssessmentPage


class CardListPage(AssessmentPage):
    """Subclasses call `_add_card_list` while laying out, and `_show_cards` from `refresh`."""

    def _add_card_list(self, outer: QVBoxLayout, empty_text: str) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # The content wraps to fit (down to ~480 px beside the supervision dock).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        body = QWidget()
        scroll.setWidget(body)
        self._cards_layout = QVBoxLayout(body)
        self.empty_label = explanation(empty_text)
        self._cards_layout.addWidget(self.empty_label)
        self._cards_layout.addStretch(1)
        self.cards: dict[str, Any] = {}
        self._order: tuple[str, ...] = ()

    def _make_card(self, item: Any, number: int) -> QWidget:
        raise NotImplementedError

    def _show_on_card(self, card: Any, item: Any) -> None:
        raise NotImplementedError

    def _show_cards(self, items: Sequence[Any]) -> None:
        """Rebuild the cards only when items come or go or move, so typing in a card keeps
        its focus; otherwise each card just shows its item again."""
        order = tuple(item.id for item in items)
        if order != self._order:
            self._drop_cards()
            for number, item in enumerate(items, start=1):
                card = self._make_card(item, number)
                self.cards[item.id] = card
                self._cards_layout.insertWidget(self._cards_layout.count() - 1, card)
            self._order = order
            apply_read_only(self, self.editor.read_only)
        else:
            for item in items:
                self._show_on_card(self.cards[item.id], item)
        self.empty_label.setVisible(not items)

    def _drop_cards(self) -> None:
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards = {}

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)

    def clear_sensitive(self) -> None:
        self._drop_cards()
        self._order = ()
        self._stale = True
