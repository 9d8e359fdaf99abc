"""Pages of a dialog shown one at a time, sized to the page on screen.

QStackedWidget is as tall as its tallest page (word-wrapped labels make this hard to undo), so
a short unlock page would sit in the height of the recovery page; hidden pages here take no
space at all."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


class Pages(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current = -1
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 - mirrors QStackedWidget
        self._pages.append(page)
        self._layout.addWidget(page)
        if self._current < 0:
            self._current = 0
        else:
            page.hide()
        return len(self._pages) - 1

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentIndex(self) -> int:  # noqa: N802 - mirrors QStackedWidget
        return self._current

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - mirrors QStackedWidget
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)
        self._current = index
        window = self.window()
        if window is not None and window.layout() is not None:
            window.layout().activate()
            window.resize(window.width(), window.sizeHint().height())
