"""Tables that can be read: each column gets its share of the width the view has (the long-text
columns the most), long text wraps, and every row grows to show all of its text.

`ColumnShares(view, shares)` does it for a table view; `fit_height=True` also sizes a table
that sits in a scrolling page to its rows (within limits), so the page scrolls, not the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

_TITLE_PADDING = 16  # a heading's margins and its sort indicator's room


@dataclass(frozen=True)
class Share:
    """A column's part of the width (relative to the others) and the least it may have."""

    weight: float
    minimum: int = 60

    @classmethod
    def row(cls, *pairs: tuple[float, int]) -> tuple[Share, ...]:
        """One share per column, in column order: (weight, minimum width) pairs."""
        return tuple(cls(weight, minimum) for weight, minimum in pairs)


class ColumnShares(QObject):
    """Keeps a table's column widths at their shares of the viewport as it resizes."""

    def __init__(
        self,
        view: QTableView,
        shares: Sequence[Share],
        fit_height: bool = False,
        max_height: int = 480,
        min_rows: int = 3,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.shares = tuple(shares)
        self.fit_height = fit_height
        self.max_height = max_height
        self.min_rows = min_rows
        view.setWordWrap(True)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.viewport().installEventFilter(self)
        # Rows are measured after the widths change; a timer lets the model's reset land first.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_rows)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(self._refit.start)
            model.dataChanged.connect(self._refit.start)
        self.fit_columns()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Only the viewport is watched; its type is all that is read (it may be going away).
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return False

    def _title_widths(self) -> list[int]:
        """What each column's heading needs, so no heading is cut short."""
        header = self.view.horizontalHeader()
        model, metrics = self.view.model(), header.fontMetrics()
        if model is None:
            return []
        titles = (model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(self.shares)))
        return [metrics.horizontalAdvance(str(t or "")) + _TITLE_PADDING for t in titles]

    def widths(self, available: int, titles: Sequence[int] = ()) -> list[int]:
        """Each column's width for `available` pixels: its share, never under its minimum (nor
        under its heading's width, given in `titles`). A column held at its minimum leaves the
        others to share what remains."""
        shares = tuple(
            Share(s.weight, max(s.minimum, titles[i] if i < len(titles) else 0))
            for i, s in enumerate(self.shares)
        )
        at_minimum: set[int] = set()
        while True:
            free = available - sum(shares[i].minimum for i in at_minimum)
            weight = sum(s.weight for i, s in enumerate(shares) if i not in at_minimum)
            short = {
                i
                for i, s in enumerate(shares)
                if i not in at_minimum and (weight <= 0 or free * s.weight / weight < s.minimum)
            }
            if not short:
                break
            at_minimum |= short
        widths = [
            s.minimum if i in at_minimum else int(free * s.weight / weight)
            for i, s in enumerate(shares)
        ]
        spare = available - sum(widths)
        if spare > 0:  # rounding left a few pixels: the heaviest column takes them
            heaviest = max(range(len(shares)), key=lambda i: shares[i].weight)
            widths[heaviest] += spare
        return widths

    def fit_columns(self) -> None:
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        if available <= 0:
            return
        for column, width in enumerate(self.widths(available, self._title_widths())):
            if column < header.count() and header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Rows take the height their wrapped text needs; a fitted table follows its rows."""
        self.view.resizeRowsToContents()
        if not self.fit_height:
            return
        view = self.view
        rows = view.verticalHeader().length()
        least = view.verticalHeader().defaultSectionSize() * self.min_rows
        scroll = view.horizontalScrollBar()
        extra = view.horizontalHeader().height() + 2 * view.frameWidth()
        if scroll.isVisible():
            extra += scroll.height()
        view.setFixedHeight(min(self.max_height, max(least, rows) + extra))
