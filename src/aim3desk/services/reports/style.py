"""What every report shares: the DejaVu fonts (any name renders: Latin, Greek, Cyrillic), the
protective marking, colours, paragraph styles and small flowable helpers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from aim3desk.domain.dates import long_date as long_date  # the one date style, for reports
from aim3desk.paths import data_dir

MARKING = "OFFICIAL-SENSITIVE"
DRAFT_MARK = "DRAFT"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_GAP = 6 * mm  # between the marking and the text frame
ENTRY_ROOM = 18 * mm  # an entry head and the first two lines of its text
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#b0b4b8")
LABEL_FILL = colors.HexColor("#eef1f4")
ACCENT = colors.HexColor("#1f4e79")
WATERMARK = colors.Color(0.78, 0.16, 0.16, alpha=0.13)


class ReportError(Exception):
    """The report could not be produced; str() is a sentence for a person."""


class ReportCancelled(Exception):  # noqa: N818 - reads as what happened
    """The user cancelled the build; nothing was written."""


def fonts_dir() -> Path:
    return data_dir("resources") / "fonts"


def register_fonts() -> None:
    """Register DejaVu Sans with bold and oblique faces as one family; idempotent."""
    if FONT_BOLD_ITALIC in pdfmetrics.getRegisteredFontNames():
        return
    folder = fonts_dir()
    for name, file_name in FONT_FILES.items():
        path = folder / file_name
        if not path.is_file():
            raise ReportError(f"The report font {path} is missing; reinstall AIM3 Desk.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


def text(value: str) -> str:
    """Escape a value for Paragraph markup (its mini-HTML)."""
    return escape(value)


# -- styles -----------------------------------------------------------------------------------


def styles(base_size: float = 10.5) -> dict[str, ParagraphStyle]:
    scale = base_size / 10.5
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=base_size,
        leading=14.5 * scale,
        textColor=INK,
        spaceAfter=5 * scale,
    )
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor=MUTED),
        "cell": ParagraphStyle(
            "cell", parent=base, fontSize=base_size - 0.5, leading=13 * scale, spaceAfter=0
        ),
        "cell_muted": ParagraphStyle(
            "cell_muted",
            parent=base,
            fontSize=base_size - 0.5,
            leading=13 * scale,
            spaceAfter=0,
            textColor=MUTED,
        ),
        "label": ParagraphStyle(
            "label",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=base_size - 0.5,
            leading=13 * scale,
            spaceAfter=0,
        ),
        "entry_head": ParagraphStyle(
            "entry_head",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=base_size - 1,
            leading=13 * scale,
            textColor=ACCENT,
            spaceBefore=6,
            spaceAfter=2,
            # No keepWithNext: platypus would keep the head with the WHOLE of its first
            # paragraph, so a long entry that does not fit moves on and leaves the rest of the
            # page empty. ENTRY_ROOM before each head keeps it with two lines of its text.
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=22 * scale,
            leading=28 * scale,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=13 * scale,
            leading=18 * scale,
            textColor=MUTED,
            spaceAfter=14,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=15 * scale,
            leading=20 * scale,
            spaceBefore=14,
            spaceAfter=8,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5 * scale,
            leading=17 * scale,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=base_size + 0.5,
            leading=15 * scale,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=14, bulletIndent=2, bulletFontName=FONT
        ),
        "notice": ParagraphStyle("notice", parent=base, fontSize=9.5, leading=13, spaceAfter=0),
        "toc1": ParagraphStyle("toc1", parent=base, fontName=FONT_BOLD, spaceBefore=4),
        "toc2": ParagraphStyle("toc2", parent=base, leftIndent=14, spaceAfter=2),
    }


# -- flowables ----------------------------------------------------------------------------------


class RoomFor(CondPageBreak):
    """A new page unless `height` is left. Unlike platypus's own it passes the space after the
    paragraph before it on, so that space merges with the next one's space before as it would
    without the break; otherwise both are added (5 pt more at every entry, pages more in a
    long report)."""

    _SPACETRANSFER = True


# Platypus re-wraps a paragraph from where it was cut at every page it is split over, so one
# paragraph costs about the square of its length: 300,000 characters typed without a line
# break took 11 s to lay out, as 150-word paragraphs 0.25 s. A longer line is laid out as runs
# of at most this many characters, cut at the end of a sentence (else between words), set
# one under the other with no space between: it reads as the one paragraph it was.
PARAGRAPH_RUN_CHARS = 2_000
_SENTENCE_ENDS = (". ", "? ", "! ", '." ', ".' ", "; ")


def line_runs(line: str, most: int = PARAGRAPH_RUN_CHARS) -> list[str]:
    """`line` cut into runs of at most `most` characters: after a sentence's end in the
    second half of a run, else at its last space, else (one unbroken word) at `most`. Only
    the spaces at the cuts are dropped."""
    runs: list[str] = []
    start = 0
    while len(line) - start > most:
        end = start + most
        sentence = max(line.rfind(mark, start + most // 2, end) for mark in _SENTENCE_ENDS)
        cut = line.index(" ", sentence) if sentence >= 0 else line.rfind(" ", start + 1, end)
        if cut <= start:
            cut = end
        runs.append(line[start:cut])
        start = cut + 1 if line[cut : cut + 1] == " " else cut
    runs.append(line[start:])
    return [run for run in runs if run] or [line]


def _run_style(style: ParagraphStyle, *, first: bool, last: bool) -> ParagraphStyle:
    """`style` without the space a paragraph break would put between two runs."""
    if first and last:
        return style
    return ParagraphStyle(
        f"{style.name}-run",
        parent=style,
        spaceBefore=style.spaceBefore if first else 0,
        spaceAfter=style.spaceAfter if last else 0,
    )


def paragraphs(line: str, style: ParagraphStyle, bullet: str | None = None) -> list[Flowable]:
    """One line of written text as Paragraphs (one for any line of ordinary length; runs for
    a very long one, see PARAGRAPH_RUN_CHARS). A bullet marks the first run only."""
    runs = line_runs(line)
    return [
        Paragraph(
            text(run),
            _run_style(style, first=index == 0, last=index == len(runs) - 1),
            bulletText=bullet if index == 0 else None,
        )
        for index, run in enumerate(runs)
    ]


def text_paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per line (runs of a very long one) so long text can break between pages
    anywhere; blank lines become space. Every character of the text is kept."""
    flowables: list[Flowable] = []
    for line in value.splitlines():
        if line.strip():
            flowables += paragraphs(line, style)
        elif flowables:
            flowables.append(Spacer(1, style.leading * 0.4))
    return flowables


BULLET = "•"
_LIST_MARKS = ("- ", "* ", "• ")


def bullets(items: Sequence[str], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Each item as a bulleted paragraph: the one way a report lists things."""
    return [para for item in items for para in paragraphs(item, st["bullet"], BULLET)]


def listed_paragraphs(value: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Written text with its list lines ("- ", "* " or "• " at the start) as bullets and every
    other line as a paragraph: a list the practitioner typed reads as a list."""
    flowables: list[Flowable] = []
    for line in value.splitlines():
        stripped = line.strip()
        mark = next((m for m in _LIST_MARKS if stripped.startswith(m)), None)
        if mark is not None and stripped[len(mark) :].strip():
            flowables += bullets([stripped[len(mark) :].strip()], st)
        elif stripped:
            flowables += paragraphs(stripped, st["body"])
        elif flowables:
            flowables.append(Spacer(1, st["body"].leading * 0.4))
    return flowables


GRID_STYLE = [
    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
]


def details_table(
    rows: Sequence[tuple[str, str]], st: dict[str, ParagraphStyle], label_share: float = 0.34
) -> Table:
    """Label | value rows; a value of any length splits across pages."""
    data = [
        [Paragraph(text(label), st["label"]), text_paragraphs(value, st["cell"]) or ""]
        for label, value in rows
    ]
    table = Table(
        data,
        colWidths=[FRAME_WIDTH * label_share, FRAME_WIDTH * (1 - label_share)],
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,
    )
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), *GRID_STYLE]))
    return table


def _cell(value: str, style: ParagraphStyle) -> Flowable | list[Flowable]:
    """A table cell's text: one Paragraph, or the runs of a very long one."""
    runs = paragraphs(value, style)
    return runs[0] if len(runs) == 1 else runs


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    shares: Sequence[float],
    st: dict[str, ParagraphStyle],
) -> Table:
    """A table with a shaded heading row repeated on every page; rows split between pages
    and, when one row is taller than a page, inside the row."""
    data: list[list[object]] = [[Paragraph(text(h), st["label"]) for h in header]]
    for row in rows:
        data.append([_cell(cell, st["cell"]) if isinstance(cell, str) else cell for cell in row])
    table = Table(
        data,
        colWidths=[FRAME_WIDTH * share for share in shares],
        hAlign="LEFT",
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
    )
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL), *GRID_STYLE]))
    return table


def notice(markup: str, st: dict[str, ParagraphStyle]) -> Table:
    """A shaded box as wide as the text frame."""
    table = Table([[Paragraph(markup, st["notice"])]], colWidths=[FRAME_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL),
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
