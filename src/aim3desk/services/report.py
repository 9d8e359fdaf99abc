"""The full written report of a case as a PDF (reportlab platypus).

Every page carries the protective marking top and bottom, "Page n of N" and a DRAFT mark
across it (nothing is signed off yet). The child's name appears only in the case details in
the body: never on the cover, in the running header or footer, in the PDF metadata or in the
suggested file name. Evidence is printed in full, one paragraph per line of the text, so long
text flows over as many pages as it needs and is never cut.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from aim3desk import __version__
from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry
from aim3desk.domain.cases import Assessment, AssessmentModel, Case, propose_model
from aim3desk.domain.forms import EvidenceRules, FormSet
from aim3desk.paths import data_dir
from aim3desk.services.files import write_bytes_atomically

MARKING = "OFFICIAL-SENSITIVE"
DRAFT_MARK = "DRAFT"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_GAP = 10 * mm  # between the marking and the text frame
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#b0b4b8")
LABEL_FILL = colors.HexColor("#eef1f4")
WATERMARK = colors.Color(0.78, 0.16, 0.16, alpha=0.13)


class ReportError(Exception):
    """The report could not be produced; str() is a sentence for a person."""


def fonts_dir() -> Path:
    return data_dir("resources") / "fonts"


def register_fonts() -> None:
    """Register DejaVu Sans (covers Latin, Greek and Cyrillic names); idempotent."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = fonts_dir()
    for name, file_name in FONT_FILES.items():
        path = folder / file_name
        if not path.is_file():
            raise ReportError(f"The report font {path} is missing; reinstall AIM3 Desk.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not recorded"


def default_report_filename(case: Case) -> str:
    """A file name from the case reference and version: never the child's name."""
    assessment = case.current_assessment
    version = assessment.version if assessment else 0
    safe_reference = re.sub(r"[^A-Za-z0-9_.-]", "-", case.reference)
    return f"{safe_reference}-assessment-v{version}-DRAFT.pdf"


# -- styles -----------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK, spaceAfter=5
    )
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13, spaceAfter=0),
        "label": ParagraphStyle(
            "label", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=22, leading=28, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=18, textColor=MUTED, spaceAfter=18
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=20,
            spaceBefore=10,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=17,
            spaceBefore=12,
            spaceAfter=6,
        ),
        "notice": ParagraphStyle("notice", parent=base, fontSize=9.5, leading=13, spaceAfter=0),
    }


def _text(value: str) -> str:
    """Escape a value for Paragraph markup (its mini-HTML)."""
    return escape(value)


def text_paragraphs(text: str, style: ParagraphStyle) -> list:
    """One Paragraph per line so long text can break between pages anywhere; blank lines
    become space. Every character of the text is kept."""
    flowables: list = []
    for line in text.splitlines():
        if line.strip():
            flowables.append(Paragraph(_text(line), style))
        elif flowables:
            flowables.append(Spacer(1, style.leading * 0.4))
    return flowables


def _details_table(rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    data = [
        [Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["cell"])]
        for label, value in rows
    ]
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(data, colWidths=[width * 0.34, width * 0.66], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _notice(markup: str, styles: dict[str, ParagraphStyle]) -> Table:
    """A shaded box exactly as wide as the text frame."""
    table = Table([[Paragraph(markup, styles["notice"])]], colWidths=[PAGE_WIDTH - 2 * MARGIN])
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


# -- pages ------------------------------------------------------------------------------------


class _NumberedCanvas(rl_canvas.Canvas):
    """Holds each page back until the end so the footer can say 'Page n of N'."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8.5)
            self.setFillColor(MUTED)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, MARGIN / 2 - 3, f"Page {self._pageNumber} of {total}"
            )
            super().showPage()
        super().save()


def _page_decorations(reference: str, footer_left: str) -> Callable[..., None]:
    def draw(canvas: rl_canvas.Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        # The DRAFT mark first, so the text is printed over it and stays readable.
        canvas.setFillColor(WATERMARK)
        canvas.setFont(FONT_BOLD, 120)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -40, DRAFT_MARK)
        canvas.restoreState()

        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN + 2, MARKING)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2 + 8, MARKING)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, PAGE_HEIGHT - MARGIN - 4, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN - 4)
        canvas.line(MARGIN, MARGIN + 4, PAGE_WIDTH - MARGIN, MARGIN + 4)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN / 2 - 3, footer_left)
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 2, reference)
        canvas.restoreState()

    return draw


def _document(buffer: io.BytesIO, case: Case, author: str) -> BaseDocTemplate:
    frame = Frame(
        MARGIN,
        MARGIN + HEADER_GAP,
        PAGE_WIDTH - 2 * MARGIN,
        PAGE_HEIGHT - 2 * MARGIN - 2 * HEADER_GAP,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    footer_left = f"Case {case.reference} · DRAFT assessment report"
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        # Metadata is readable without opening the report: no name of the child in it.
        title=f"Assessment report, case {case.reference} (DRAFT)",
        author=author,
        subject=MARKING,
        creator=f"AIM3 Desk {__version__}",
        producer=f"AIM3 Desk {__version__}",
        keywords=[],
    )
    decorate = _page_decorations(case.reference, footer_left)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    return doc


# -- content ----------------------------------------------------------------------------------


def _model_name(form_set: FormSet, model: AssessmentModel) -> str:
    """The form set's name for the model (a licensed file may rename it) with its age range."""
    try:
        definition = form_set.model(model.value)
    except KeyError:
        return model.label
    return f"{definition.name} ({definition.min_age}-{definition.max_age})"


def _cover(
    case: Case,
    assessment: Assessment | None,
    model: AssessmentModel,
    form_set: FormSet,
    author: str,
    organisation: str,
    produced: date,
    styles: dict[str, ParagraphStyle],
) -> list:
    rows = [
        ("Case reference", case.reference),
        ("Assessment model", _model_name(form_set, model)),
        ("Assessment version", str(assessment.version) if assessment else "Not started"),
        ("Status", case.status.label),
        ("Author", author),
    ]
    if organisation:
        rows.append(("Organisation", organisation))
    rows += [
        ("Request date", long_date(assessment.request_date if assessment else case.request_date)),
        ("Due date", long_date(assessment.due_date if assessment else None)),
        ("Report produced", long_date(produced)),
    ]
    return [
        Spacer(1, 18 * mm),
        Paragraph("Assessment report", styles["title"]),
        Paragraph(
            _text(f"{_model_name(form_set, model)} · DRAFT: not yet signed off"),
            styles["subtitle"],
        ),
        _details_table(rows, styles),
        Spacer(1, 8 * mm),
        _notice(
            "<b>OFFICIAL-SENSITIVE.</b> This report holds personal data about a child. Share it "
            "only with people who need it to keep children safe, on a lawful basis, and record "
            "each decision to share. Keep it on encrypted, access-controlled storage. It is a "
            "draft until the assessment has been quality assured and signed off.",
            styles,
        ),
        PageBreak(),
    ]


def _case_details(
    case: Case,
    assessment: Assessment | None,
    model: AssessmentModel,
    form_set: FormSet,
    styles: dict[str, ParagraphStyle],
) -> list:
    person = [
        ("Young person", case.young_person_name),
        ("Date of birth", long_date(case.date_of_birth)),
        ("Age at request", f"{case.age_at_request} years"),
        ("Case reference", case.reference),
        ("Status", case.status.label),
        ("Lead agency", case.lead_agency.label),
        ("Lead worker", case.lead_worker),
        ("Co-workers", ", ".join(case.co_workers) or "None recorded"),
        ("Joint with social worker", "Yes" if case.joint_with_social_worker else "No"),
    ]
    referral = [
        ("Requested by", case.requested_by.label),
        ("Request date", long_date(case.request_date)),
        ("Assessment model", _model_name(form_set, model)),
        ("Assessment version", str(assessment.version) if assessment else "Not started"),
        ("Due date", long_date(assessment.due_date if assessment else None)),
        ("Assessment finished", "Yes" if assessment and assessment.finished else "No"),
    ]
    return [
        Paragraph("1. Case details", styles["h1"]),
        _details_table(person, styles),
        Spacer(1, 8 * mm),
        KeepTogether([Paragraph("2. Referral", styles["h1"]), _details_table(referral, styles)]),
        Spacer(1, 4 * mm),
    ]


def _label(lookup: Callable[[str], object] | None, value: str) -> str:
    """A vocabulary id's label from the evidence rules, else the id in plain words."""
    if lookup is not None:
        try:
            return str(getattr(lookup(value), "label"))  # noqa: B009 - any labelled item
        except KeyError:
            pass
    return value.replace("_", " ").capitalize()


def _rating_label(form_set: FormSet, model: AssessmentModel, value: str | None) -> str:
    if value is None:
        return "Not rated"
    try:
        return form_set.model(model.value).scale.option(value).label
    except KeyError:
        return value


def _factor_label(form_set: FormSet, domain_id: str, slot: int) -> str:
    try:
        return form_set.domain(domain_id).factor(slot).label
    except KeyError:
        return f"Factor {slot}"


def _ratings_table(
    content: AssessmentContent,
    domain_id: str,
    model: AssessmentModel,
    form_set: FormSet,
    styles: dict[str, ParagraphStyle],
) -> list:
    """Rated factors of the domain with rating, rationale and strengths, slot order."""
    rated = sorted((r for r in content.ratings if r.domain_id == domain_id), key=lambda r: r.slot)
    if not rated:
        return [Paragraph("No factors rated yet.", styles["muted"])]
    rows = [
        [
            Paragraph("Factor", styles["label"]),
            Paragraph("Rating", styles["label"]),
            Paragraph("Rationale", styles["label"]),
        ]
    ]
    for rating in rated:
        rationale = text_paragraphs(rating.rationale, styles["cell"]) or [
            Paragraph("No rationale recorded yet.", styles["muted"])
        ]
        if rating.strength_note.strip():
            rationale += [
                Paragraph("<b>Strengths:</b>", styles["cell"]),
                *text_paragraphs(rating.strength_note, styles["cell"]),
            ]
        label = _factor_label(form_set, domain_id, rating.slot)
        rows.append(
            [
                Paragraph(_text(f"{rating.slot}. {label}"), styles["cell"]),
                Paragraph(_text(_rating_label(form_set, model, rating.rating)), styles["cell"]),
                rationale,
            ]
        )
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(
        rows, colWidths=[width * 0.28, width * 0.2, width * 0.52], hAlign="LEFT", repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [table]


def _evidence_flowables(
    entries: Sequence[EvidenceEntry],
    form_set: FormSet,
    rules: EvidenceRules | None,
    styles: dict[str, ParagraphStyle],
) -> list:
    """Each entry in full (it may run over pages), under a line naming its source, date,
    factor and whether it is internal only."""
    flowables: list = []
    for entry in entries:
        facts = [
            _label(rules.source if rules else None, entry.source),
            long_date(entry.date) if entry.date else "Undated",
        ]
        if entry.domain_id and entry.factor_slot:
            facts.append(_factor_label(form_set, entry.domain_id, entry.factor_slot))
        if rules is None or _is_internal(rules, entry.sharing):
            facts.append("internal only")
        flowables += [
            CondPageBreak(15 * mm),
            Paragraph(_text(" · ".join(facts)), styles["label"]),
            *text_paragraphs(entry.text, styles["body"]),
        ]
    return flowables


def _is_internal(rules: EvidenceRules, sharing: str) -> bool:
    try:
        return rules.is_internal_only(sharing)
    except KeyError:
        return True  # a sharing class no longer known is treated as internal


def _domains(
    content: AssessmentContent | None,
    model: AssessmentModel,
    form_set: FormSet,
    rules: EvidenceRules | None,
    styles: dict[str, ParagraphStyle],
) -> list:
    try:
        domains = [(d.id, d.title) for d in form_set.domains_for(model.value)]
    except KeyError:
        domains = [(d.id, d.title) for d in form_set.domains]
    content = content or AssessmentContent()
    known = {domain_id for domain_id, _ in domains}
    # Content under a domain this form set does not know is still printed, never dropped.
    other = [e.domain_id for e in content.evidence if e.domain_id and e.domain_id not in known]
    other += [r.domain_id for r in content.ratings if r.domain_id not in known]
    domains += [(d, f"Other evidence ({d})") for d in dict.fromkeys(other)]
    flowables: list = [CondPageBreak(60 * mm), Paragraph("3. Assessment by domain", styles["h1"])]
    for number, (domain_id, title) in enumerate(domains, start=1):
        heading = Paragraph(_text(f"3.{number} {title}"), styles["h2"])
        ratings = _ratings_table(content, domain_id, model, form_set, styles)
        entries = content.evidence_for(domain_id)
        body = _evidence_flowables(entries, form_set, rules, styles)
        if not body:
            body = [Paragraph("No evidence recorded yet.", styles["muted"])]
        # Keep each heading with the first lines of its content.
        flowables += [
            CondPageBreak(25 * mm),
            heading,
            *ratings,
            Spacer(1, 3 * mm),
            Paragraph("Evidence", styles["label"]),
            *body,
        ]
    general = [e for e in content.evidence if e.domain_id is None]
    if general:
        flowables += [
            CondPageBreak(25 * mm),
            Paragraph(f"3.{len(domains) + 1} General evidence", styles["h2"]),
            *_evidence_flowables(general, form_set, rules, styles),
        ]
    return flowables


def build_case_report(
    case: Case,
    form_set: FormSet,
    out_path: Path,
    author: str,
    organisation: str = "",
    produced: date | None = None,
    *,
    content: AssessmentContent | None = None,
    evidence_rules: EvidenceRules | None = None,
) -> Path:
    """Write the full DRAFT report of `case` to `out_path` (atomically) and return the path.
    `content` is the current assessment's content; `evidence_rules` give the labels of
    evidence sources and which sharing classes are internal only.

    The caller records `report.export` in the audit trail.
    """
    register_fonts()
    styles = _styles()
    assessment = case.current_assessment
    model = assessment.model if assessment else propose_model(case.date_of_birth, case.request_date)
    produced = produced or datetime.now().date()
    story = [
        *_cover(case, assessment, model, form_set, author, organisation, produced, styles),
        *_case_details(case, assessment, model, form_set, styles),
        *_domains(content, model, form_set, evidence_rules, styles),
    ]
    buffer = io.BytesIO()
    doc = _document(buffer, case, author)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return write_bytes_atomically(Path(out_path), buffer.getvalue())
