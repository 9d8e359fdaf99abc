"""Tables that can be read: each column gets its share of the width the view has (the long-text
columns the most), long text wraps, and every row grows to show all of its text.

`ColumnShares(view, shares)` does it for a table view; `fit_height=True` also sizes a table
that sits in a scrolling page to its rows (within limits), so the page scrolls, not the table.
`PaddedItemDelegate` gives each cell a little room around its text and asks for the height that
text needs inside it (ColumnShares installs it; ItemTable uses it too).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from PySide6.QtCore import (
    QEvent,
    QMargins,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)
from shiboken6 import isValid

_Index = QModelIndex | QPersistentModelIndex
_TITLE_PADDING = 16  # a heading's margins and its sort indicator's room
# Room around a cell's text (left, top, right, bottom), beyond the style's own text margin.
ITEM_PADDING = QMargins(4, 3, 4, 3)
# Where text may wrap: at spaces and after a hyphen ("Self-" / "regulation").
_WRAP_POINTS = re.compile(r"\s+|(?<=-)")
# A word that cannot wrap widens its column up to this; a longer one (a web address) may be cut.
_LONGEST_WORD_ROOM = 200
# A table with more rows than this measures only the rows in view, as they come into view:
# measuring every wrapped row (Qt's ResizeToContents) holds the UI thread for seconds at
# thousands of rows. Rows not yet seen keep the default height until they are.
LAZY_ROWS = 40
# Of a long table's words, this many of the longest (by characters) are measured in pixels.
_WORDS_MEASURED = 64


def grid_line(view: object) -> int:
    """The pixels a table's grid takes from each cell's right and bottom edge."""
    return 1 if isinstance(view, QTableView) and view.showGrid() else 0


class PaddedItemDelegate(QStyledItemDelegate):
    """Draws a cell's text inside ITEM_PADDING and asks for the size that text needs there.

    Not a style sheet's `::item { padding }`: for a size hint the style sheet wraps the text at
    the whole column width and then adds the padding, but draws it wrapped inside the padding,
    so a wrapped cell came out a line short and ended in "…". Here both use the same width:
    a table view also measures at the whole column but draws the cell less its grid line."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        inner = QStyleOptionViewItem(option)
        # Only the width narrows: the view marks a wrapping measure by a rect of some height,
        # and an invalid rect would measure the text unwrapped.
        if option.rect.isValid():
            right = ITEM_PADDING.right() + grid_line(option.widget)
            inner.rect = option.rect.adjusted(ITEM_PADDING.left(), 0, -right, 0)
            inner.rect.setWidth(max(1, inner.rect.width()))
        return super().sizeHint(inner, index).grownBy(ITEM_PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # The selection and any background colour fill the whole cell, padding included.
        whole = QStyleOptionViewItem(option)
        self.initStyleOption(whole, index)
        style = whole.widget.style() if whole.widget is not None else QApplication.style()
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_PanelItemViewItem, whole, painter, whole.widget
        )
        inner = QStyleOptionViewItem(option)
        inner.rect = option.rect.marginsRemoved(ITEM_PADDING)
        super().paint(painter, inner, index)


@dataclass(frozen=True)
class Share:
    """A column's part of the width (relative to the others) and the least it may have."""

    weight: float
    minimum: int = 60

    @classmethod
    def row(cls, *pairs: tuple[float, int]) -> tuple[Share, ...]:
        """One share per column, in column order: (weight, minimum width) pairs."""
        return tuple(cls(weight, minimum) for weight, minimum in pairs)


def _floors(shares: Sequence[Share], least: Sequence[int], available: int) -> list[int]:
    """The least width of each column: its share's minimum, and what its content needs
    (`least`). When they do not all fit, the shares' minimums give way (each in proportion to
    what it asks beyond the content) before any heading or word is cut short."""
    needs = [least[i] if i < len(least) else 0 for i in range(len(shares))]
    floors = [max(s.minimum, need) for s, need in zip(shares, needs, strict=True)]
    excess = sum(floors) - available
    give = sum(floors) - sum(needs)
    if excess <= 0 or give <= 0:
        return floors
    ratio = min(1.0, excess / give)
    return [f - math.ceil((f - need) * ratio) for f, need in zip(floors, needs, strict=True)]


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
        if type(view.itemDelegate()) is QStyledItemDelegate:  # a table's own delegate stays
            view.setItemDelegate(PaddedItemDelegate(view))
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._lazy = False  # rows measured as they come into view (over LAZY_ROWS rows)
        self._measured: set[int] = set()
        view.verticalScrollBar().valueChanged.connect(self._measure_visible)
        view.viewport().installEventFilter(self)
        # Rows are measured after the widths change; a timer lets the model's reset land first.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._content_changed)
        self._word_widths: list[int] = []
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(self._follow_row_count)  # before Qt measures every row
                signal.connect(self._refit.start)
            model.dataChanged.connect(self._refit.start)
        self._content_changed()

    def _content_changed(self) -> None:
        self._word_widths = self._longest_words()
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

    def _longest_words(self) -> list[int]:
        """What each column's longest word needs with the cell's padding and text margin: a
        word cannot wrap, so a narrower column would cut it short with "…"."""
        view, model = self.view, self.view.model()
        if model is None:
            return []
        text_margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view)
        room = 2 * (text_margin + 1) + ITEM_PADDING.left() + ITEM_PADDING.right() + grid_line(view)
        column_words = getattr(model, "column_words", None)
        if column_words is not None and model.rowCount() > LAZY_ROWS:
            longest_of = self._longest_of_many(column_words)
        else:
            longest_of = self._longest_of_cells
        widths = []
        for column in range(min(len(self.shares), model.columnCount())):
            longest = longest_of(column)
            widths.append(min(_LONGEST_WORD_ROOM, longest + room) if longest else 0)
        return widths

    def _longest_of_cells(self, column: int) -> int:
        """Every word of every cell of `column`, measured in the cell's font."""
        model, longest = self.view.model(), 0
        for row in range(model.rowCount()):
            index = model.index(row, column)
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetricsF(font if isinstance(font, QFont) else self.view.font())
            words = _WRAP_POINTS.split(str(index.data() or ""))
            longest = max([longest, *(math.ceil(metrics.horizontalAdvance(w)) for w in words)])
        return longest

    def _longest_of_many(self, column_words: Callable[[int], list[str]]) -> Callable[[int], int]:
        """For a long table whose model names each row's longest word (`column_words`):
        the longest of those by characters, measured in the view's font."""
        metrics = QFontMetricsF(self.view.font())

        def longest_of(column: int) -> int:
            words = heapq.nlargest(_WORDS_MEASURED, set(column_words(column)), key=len)
            return max((math.ceil(metrics.horizontalAdvance(w)) for w in words), default=0)

        return longest_of

    def widths(self, available: int, least: Sequence[int] = ()) -> list[int]:
        """Each column's width for `available` pixels: its share, never under its minimum (nor
        under what its heading or longest word needs, given in `least`). A column held at its
        minimum leaves the others to share what remains."""
        floors = _floors(self.shares, least, available)
        shares = tuple(Share(s.weight, floor) for s, floor in zip(self.shares, floors, strict=True))
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
        least = [
            max(pair) for pair in zip_longest(self._title_widths(), self._word_widths, fillvalue=0)
        ]
        for column, width in enumerate(self.widths(available, least)):
            if column < header.count() and header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Rows take the height their wrapped text needs; a fitted table follows its rows."""
        self._follow_row_count()
        if self._lazy:
            self._measured.clear()  # the widths or the rows changed: measure again
            self._measure_visible()
        else:
            self.view.resizeRowsToContents()
        self._fit_height()

    def _follow_row_count(self) -> None:
        """Over LAZY_ROWS rows, rows are measured here as they come into view; under, Qt
        fits them all."""
        if not isValid(self.view):
            return  # the model outlives its view by a moment when the view goes
        model = self.view.model()
        lazy = model is not None and model.rowCount() > LAZY_ROWS
        if lazy != self._lazy:
            self._lazy = lazy
            mode = QHeaderView.ResizeMode.Fixed if lazy else QHeaderView.ResizeMode.ResizeToContents
            self.view.verticalHeader().setSectionResizeMode(mode)

    def _measure_visible(self) -> None:
        """A long table: fit the rows in view (measuring one can bring the next into view)."""
        if not self._lazy:
            return
        view = self.view
        last = view.model().rowCount() - 1
        for _ in range(8):
            top = view.rowAt(0)
            if top < 0:
                return
            bottom = view.rowAt(view.viewport().height() - 1)
            end = last if bottom < 0 else bottom  # the rows may end above the bottom
            rows = [r for r in range(top, end + 1) if r not in self._measured]
            if not rows:
                return
            for row in rows:
                self._measured.add(row)
                view.resizeRowToContents(row)

    def _fit_height(self) -> None:
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
