"""The page machinery of every report: protective marking top and bottom, a DRAFT mark across
the page until the assessment is signed off, "Page n of N", a contents list with page numbers
and PDF bookmarks, progress reporting and cancellation.

Everything is laid out in ONE pass. The canvas holds each finished page back until the end
(the NumberedCanvas recipe), so the total page count, the contents page numbers, the links and
the bookmarks are all filled in when the last page is known; a two-pass multiBuild would
double the time of a 200-page report for the same result.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from aim3desk import __version__
from aim3desk.services.reports.style import (
    DRAFT_MARK,
    FONT,
    FONT_BOLD,
    FRAME_WIDTH,
    HEADER_GAP,
    INK,
    MARGIN,
    MARKING,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    WATERMARK,
    ReportCancelled,
    text,
)

ProgressCallback = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


class Heading(Paragraph):
    """A section heading that appears in the contents and the PDF bookmarks."""

    def __init__(self, title: str, style: ParagraphStyle, key: str, level: int = 0) -> None:
        super().__init__(text(title), style)
        self.toc_title = title
        self.toc_key = key
        self.toc_level = level


class Deferred(Flowable):
    """Flowables made only as the layout reaches them, some entries at a time, so a report of
    50,000 evidence entries never holds all their paragraphs at once, and platypus's list of
    what is left to lay out (which it shortens from the front, a cost that grows with its
    length) stays short. Only ReportDocument lays these out."""

    CHUNK = 64  # flowables made at a time

    def __init__(self, parts: Iterable[list[Flowable]], count: int) -> None:
        super().__init__()
        self._parts = iter(parts)
        self.count = count  # flowables it will make, for the progress fraction

    def take(self) -> list[Flowable]:
        """The next flowables (whole parts only); empty when it is used up."""
        chunk: list[Flowable] = []
        for part in self._parts:
            chunk += part
            if len(chunk) >= self.CHUNK:
                break
        return chunk

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        raise TypeError("Deferred flowables are laid out only by ReportDocument.")


class ContentsLine(Flowable):
    """One line of the contents: the title (wrapped if long), a dotted leader, and the page
    number, which the canvas writes in once the heading's page is known."""

    NUMBER_WIDTH = 14 * mm

    def __init__(self, heading: Heading, style: ParagraphStyle) -> None:
        super().__init__()
        self.heading = heading
        self.para = Paragraph(text(heading.toc_title), style)
        self.style = style

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _w, self.height = self.para.wrap(avail_width - self.NUMBER_WIDTH, avail_height)
        return avail_width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab API
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab API
        return self.style.spaceAfter

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)
        last = self.para.blPara.lines[-1]
        extra = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0)
        text_end = self.width - self.NUMBER_WIDTH - max(0.0, extra)
        baseline = self.style.leading - self.style.fontSize + 1
        number_x = self.width
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setDash(1, 2.5)
        canv.setLineWidth(0.6)
        if number_x - 10 * mm > text_end + 3:
            canv.line(text_end + 4, baseline, number_x - 10 * mm, baseline)
        canv.restoreState()
        x, y = canv.absolutePosition(number_x, baseline)
        left, bottom = canv.absolutePosition(0, 0)
        canv.note_contents_slot(x, y, left, bottom, self.height, self.heading)  # type: ignore[attr-defined]


@dataclass
class _Slot:
    x: float
    y: float
    left: float
    bottom: float
    height: float
    key: str
    font: str


class NumberedCanvas(rl_canvas.Canvas):
    """Holds each page back until save() so every page can say 'Page n of N' and the
    contents can give each heading's page."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        self._slots: dict[int, list[_Slot]] = {}
        self._marks: dict[int, list[tuple[str, str, int, float]]] = {}
        self.heading_pages: dict[str, int] = {}
        self.footer_size = 8.5

    # called while laying out
    def note_contents_slot(
        self, x: float, y: float, left: float, bottom: float, height: float, heading: Heading
    ) -> None:
        font = FONT_BOLD if heading.toc_level == 0 else FONT
        self._slots.setdefault(self._pageNumber, []).append(
            _Slot(x, y, left, bottom, height, heading.toc_key, font)
        )

    def note_heading(self, heading: Heading, top: float) -> None:
        self.heading_pages[heading.toc_key] = self._pageNumber
        self._marks.setdefault(self._pageNumber, []).append(
            (heading.toc_key, heading.toc_title, heading.toc_level, top)
        )

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            # Each page's state was saved before any link existed; carry the link count on,
            # or a contents list over two pages would name two links alike.
            links = self._annotationCount
            self.__dict__.update(state)
            self._annotationCount = links
            number = self._pageNumber
            for key, title, level, top in self._marks.get(number, []):
                self.bookmarkPage(key, fit="XYZ", top=top)
                self.addOutlineEntry(title, key, level=level)
            for slot in self._slots.get(number, []):
                self.setFont(slot.font, 10)
                self.setFillColor(INK)
                page = self.heading_pages.get(slot.key)
                self.drawRightString(slot.x, slot.y, str(page) if page else "")
                self.linkRect(
                    "",
                    slot.key,
                    (slot.left, slot.bottom, slot.x, slot.bottom + slot.height),
                    relative=0,
                    thickness=0,
                )
            self.setFont(FONT, self.footer_size)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN / 2 - 3, f"Page {number} of {total}")
            super().showPage()
        super().save()


class ReportDocument(BaseDocTemplate):
    """A4 portrait, one frame between the running header and footer, with progress and
    cancellation checked between flowables."""

    def __init__(
        self,
        buffer: io.BytesIO,
        *,
        title: str,
        author: str,
        reference: str,
        footer_left: str,
        draft: bool,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
        marking_size: float = 11,
    ) -> None:
        super().__init__(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            # Metadata is readable without opening the report: never the child's name.
            title=title,
            author=author,
            subject=MARKING,
            creator=f"AIM3 Desk {__version__}",
            producer=f"AIM3 Desk {__version__}",
            keywords=[],
        )
        frame = Frame(
            MARGIN,
            MARGIN + HEADER_GAP,
            FRAME_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - 2 * HEADER_GAP,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self._reference = reference
        self._footer_left = footer_left
        self._draft = draft
        self._marking_size = marking_size
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self._progress = progress
        self._cancelled = cancelled
        self._total = 1
        self._reported = -1.0
        self._last_check = 0.0

    def _decorate(self, canvas: rl_canvas.Canvas, _doc: BaseDocTemplate) -> None:
        if self._draft:
            # The DRAFT mark first, so the text is printed over it and stays readable.
            canvas.saveState()
            canvas.setFillColor(WATERMARK)
            canvas.setFont(FONT_BOLD, 120)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -40, DRAFT_MARK)
            canvas.restoreState()
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, self._marking_size)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN + 2, MARKING)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2 + 8, MARKING)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, PAGE_HEIGHT - MARGIN - 4, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN - 4)
        canvas.line(MARGIN, MARGIN + 4, PAGE_WIDTH - MARGIN, MARGIN + 4)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN / 2 - 3, self._footer_left)
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 2, self._reference)
        canvas.restoreState()

    def build(self, flowables: list[Flowable], **kwargs: object) -> None:  # type: ignore[override]
        self._total = max(1, sum(f.count if isinstance(f, Deferred) else 1 for f in flowables))
        self._done = 0
        super().build(flowables, canvasmaker=NumberedCanvas, **kwargs)

    LOOK_AHEAD = 8  # platypus groups a keep-with-next run from the front of the list

    def _expand_deferred(self, flowables: list[Flowable]) -> None:
        """Make the flowables of any Deferred near the front, before platypus looks at it."""
        index = 0
        while index < min(len(flowables), self.LOOK_AHEAD):
            deferred = flowables[index]
            if isinstance(deferred, Deferred):
                made = deferred.take()
                flowables[index : index + 1] = [*made, deferred] if made else []
                continue
            index += 1

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        self._expand_deferred(flowables)
        if not flowables:
            return
        self._done += 1
        now = time.monotonic()
        if now - self._last_check >= 0.05:
            self._last_check = now
            if self._cancelled is not None and self._cancelled():
                raise ReportCancelled("The report was cancelled; no file was written.")
            if self._progress is not None:
                fraction = min(0.97, self._done / self._total * 0.97)
                if fraction - self._reported >= 0.01:
                    self._reported = fraction
                    self._progress(fraction, f"Laying out page {self.page}")
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab API
        if isinstance(flowable, Heading):
            frame = self.frame
            top = frame._y + flowable.height + 4 if frame is not None else PAGE_HEIGHT
            self.canv.note_heading(flowable, top)  # type: ignore[attr-defined]


def contents(
    headings: list[Heading], st: dict[str, ParagraphStyle], title: str = "Contents"
) -> list[Flowable]:
    """The contents list for these headings (the levels 0 and 1 only)."""
    lines: list[Flowable] = [Paragraph(text(title), st["h1"])]
    for heading in headings:
        if heading.toc_level <= 1:
            lines.append(ContentsLine(heading, st["toc1" if heading.toc_level == 0 else "toc2"]))
    return lines
