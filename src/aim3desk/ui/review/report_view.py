"""The report beside the assessment in the review window: its pages rendered to images with
PDFium (pypdfium2), off the UI thread as a Job, and its sections from the PDF's bookmarks
(the report's numbered outline feeds them), so a comment can name the section on screen.

The PDF is held in memory only: it is decrypted from the bundle and never written to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from aim3desk.ui.operations.base import Job, Latest

if TYPE_CHECKING:
    from aim3desk.ui.tasks import TaskRunner

RENDER_SCALE = 1.4  # about 100 dpi: A4 reads at the width of half a 1366 px screen


@dataclass(frozen=True)
class ReportSection:
    title: str
    level: int
    page: int  # 0-based


@dataclass(frozen=True)
class RenderedReport:
    pages: list[QImage]
    sections: list[ReportSection]


def render_report(
    pdf: bytes,
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    scale: float = RENDER_SCALE,
) -> RenderedReport:
    """Every page as an image (QImage is safe to make off the UI thread; QPixmap is not)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        sections = []
        for bookmark in document.get_toc(max_depth=2):
            dest = bookmark.get_dest()
            page = dest.get_index() if dest is not None else None
            if page is not None:
                sections.append(ReportSection(bookmark.get_title(), bookmark.level, page))
        pages: list[QImage] = []
        count = len(document)
        for number in range(count):
            if cancelled():
                break
            progress(number / max(count, 1), f"Showing page {number + 1} of {count}")
            page = document[number]
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888
                if bitmap.n_channels == 3
                else QImage.Format.Format_RGBA8888,
            ).copy()  # the bitmap's buffer goes with it
            bitmap.close()
            page.close()
            pages.append(image)
        return RenderedReport(pages, sections)
    finally:
        document.close()


class ReportView(QWidget):
    """The report's pages one under another, with a section list that scrolls to one.
    Signals: `rendered(pages)` once the pages are shown."""

    rendered = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._renders = Latest()
        self.sections: list[ReportSection] = []
        self._page_labels: list[QLabel] = []
        self.section_combo = QComboBox()
        self.section_combo.setAccessibleName("Report section")
        self.section_combo.activated.connect(self._go_to_section)
        self.status = QLabel("Laying out the report...")
        self.status.setWordWrap(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setSpacing(10)
        self.body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.body)
        self.scroll.setAccessibleName("The report")
        self.scroll.setStyleSheet("QScrollArea { background: #777; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.section_combo)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll, 1)

    def show_pdf(self, pdf: bytes) -> None:
        self.clear_sensitive()
        self.status.setText("Laying out the report...")
        self.status.show()
        Job(
            self._runner,
            lambda progress, cancelled: render_report(pdf, progress, cancelled),
            "showing the report",
        ).latest(self._renders).on_done(self._show).on_error(self._failed).run()

    def _show(self, report: RenderedReport) -> None:
        self.sections = report.sections
        self.section_combo.clear()
        for section in report.sections:
            indent = "    " * max(section.level, 0)
            self.section_combo.addItem(f"{indent}{section.title}", section.page)
        # Pages fit the panel's width (sharp enough: rendered at about 100 dpi, scaled down).
        width = max(self.scroll.viewport().width() - 40, 300)
        for number, image in enumerate(report.pages):
            label = QLabel()
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(f"Report page {number + 1}")
            self.body_layout.insertWidget(self.body_layout.count() - 1, label)
            self._page_labels.append(label)
        self.status.hide()
        self.rendered.emit(len(report.pages))

    def _failed(self, exc: BaseException) -> None:
        from aim3desk.ui.tasks import report_to_stderr

        report_to_stderr(exc)
        self.status.setText("The report could not be shown. The assessment beside it is complete.")

    def _go_to_section(self, index: int) -> None:
        page = self.section_combo.itemData(index)
        if page is not None and 0 <= page < len(self._page_labels):
            self.scroll.verticalScrollBar().setValue(self._page_labels[page].y())

    def current_section(self) -> ReportSection | None:
        """The section on screen: the last one starting on or before the page at the top."""
        if not self._page_labels:
            return None
        top = self.scroll.verticalScrollBar().value()
        page = max(
            (i for i, label in enumerate(self._page_labels) if label.y() <= top + 40), default=0
        )
        starting = [s for s in self.sections if s.page <= page]
        chosen = self.sections[self.section_combo.currentIndex()] if self.sections else None
        if chosen is not None and chosen.page == page:
            return chosen
        return starting[-1] if starting else None

    @property
    def page_count(self) -> int:
        return len(self._page_labels)

    def clear_sensitive(self) -> None:
        self._renders.drop()
        for label in self._page_labels:
            self.body_layout.removeWidget(label)
            label.deleteLater()
        self._page_labels.clear()
        self.sections = []
        self.section_combo.clear()
