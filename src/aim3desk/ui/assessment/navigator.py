"""The workspace's left column: how complete the assessment is overall, the list of its pages
(the domains with each one's completeness, then the pages across the assessment, under bold
headers) and the button that checks readiness for supervision.

It knows pages only by their nav keys: the workspace builds the pages and shows the one
chosen here (`page_chosen(key)`).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.profile import Completeness

KEY_ROLE = Qt.ItemDataRole.UserRole
PERCENT_ROLE = Qt.ItemDataRole.UserRole + 1
DOMAIN_ROLE = Qt.ItemDataRole.UserRole + 2  # the domain a page's completeness is counted for


class NavigatorDelegate(QStyledItemDelegate):
    """Draws a page's completeness right-aligned beside its name."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        percent = index.data(PERCENT_ROLE)
        super().paint(painter, option, index)
        if percent is None:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            option.palette.ColorRole.HighlightedText if selected else option.palette.ColorRole.Text
        )
        painter.setPen(option.palette.color(role))
        rect = QRect(option.rect).adjusted(0, 0, -8, 0)
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{percent}%"
        )
        painter.restore()

    def sizeHint(  # noqa: N802 - Qt API
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 48, max(size.height(), option.fontMetrics.height() + 10))


class PageNavigator(QListWidget):
    """The pages by nav key. Emits `page_chosen(key)` when the user (or `go_to`) picks one;
    filling and clearing emit nothing."""

    page_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Assessment pages")
        self.setItemDelegate(NavigatorDelegate(self))
        self.setMinimumWidth(230)
        self.setToolTip(
            "Ctrl+PgDown / Ctrl+PgUp: next or previous page. F6: between this list and the page."
        )
        self.currentItemChanged.connect(self._chosen)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        key = item.data(KEY_ROLE) if item is not None else None
        if key:
            self.page_chosen.emit(key)

    def add_header(self, text: str) -> None:
        item = QListWidgetItem(text.upper())
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        item.setFont(font)
        self.addItem(item)

    def add_page(self, nav_key: str, title: str, domain_id: str | None = None) -> None:
        """A page's entry; with `domain_id` it shows that domain's completeness."""
        item = QListWidgetItem(title)
        item.setData(KEY_ROLE, nav_key)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        if domain_id is not None:
            item.setData(DOMAIN_ROLE, domain_id)
        self.addItem(item)

    def clear_pages(self) -> None:
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)

    def go_to(self, nav_key: str) -> bool:
        """Choose the page with this key; False if there is none."""
        for row in range(self.count()):
            if self.item(row).data(KEY_ROLE) == nav_key:
                self.setCurrentRow(row)
                return True
        return False

    def step(self, step: int) -> bool:
        """Choose the next (1) or previous (-1) page, round the ends; False if none."""
        rows = [
            row
            for row in range(self.count())
            if self.item(row).flags() & Qt.ItemFlag.ItemIsSelectable
        ]
        if not rows:
            return False
        current = self.currentRow()
        position = rows.index(current) if current in rows else -1
        self.setCurrentRow(rows[(position + step) % len(rows)])
        return True

    def show_completeness(self, progress: Completeness) -> None:
        for row in range(self.count()):
            item = self.item(row)
            domain_id = item.data(DOMAIN_ROLE)
            if domain_id is None:
                continue
            domain_progress = progress.domain(domain_id)
            percent = round(100 * domain_progress.fraction)
            if item.data(PERCENT_ROLE) != percent:
                item.setData(PERCENT_ROLE, percent)
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole, f"{item.text()}, {percent}% complete"
                )
                item.setToolTip(
                    f"{domain_progress.done} of {domain_progress.total} done: each factor "
                    "rated with a rationale, and strengths recorded"
                )


class NavigatorPanel(QWidget):
    """The overall completeness above the page list (`navigator`), the readiness button
    (`ready_button`) below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overall_label = QLabel("Overall")
        self.overall_label.setAccessibleName("Overall completeness")
        self.overall_bar = QProgressBar()
        self.overall_bar.setAccessibleName("Overall completeness")
        self.overall_bar.setRange(0, 100)
        self.overall_bar.setTextVisible(True)
        self.overall_bar.setFormat("%p% complete")
        self.navigator = PageNavigator()
        self.ready_button = QPushButton("Ready for supervision?")
        self.ready_button.setAccessibleName("Ready for supervision?")
        self.ready_button.setToolTip("List what is still missing before a supervision session")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.overall_label)
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.navigator, 1)
        layout.addWidget(self.ready_button)

    def show_completeness(self, progress: Completeness) -> None:
        self.navigator.show_completeness(progress)
        overall = progress.overall
        self.overall_bar.setValue(round(100 * overall.fraction))
        self.overall_label.setText(f"<b>Overall</b>: {overall.done} of {overall.total} done")
        self.overall_label.setToolTip(
            "Counts each factor rated with a rationale, strengths in each domain and each part "
            "of the case formulation"
        )
