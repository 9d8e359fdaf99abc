"""The independent baseline for the full report: the same words the full report prints, as
plain reportlab platypus paragraphs under a SimpleDocTemplate (default margins, no page
decoration), written from the same inputs (the case, the assessment content, the form set and
the evidence rules) WITHOUT anything from aim3desk.services.reports.

Typography is held equal so the page counts compare layout, not type: the same DejaVu Sans
body at 10.5 pt on 14.5 pt leading with 5 pt after each paragraph, and headings in bold at the
report's heading sizes. Tables become "label: value" lines, and headings carry no keep-with-
next: a plain document. What only the report prints (running header and footer, page numbers,
the contents, the protective marking notice, the profile graph, the ratings sentences and the
sign-off wording) is left out here and named by report_bench.word_difference.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Case
from aim3desk.domain.dates import long_date
from aim3desk.domain.forms import EvidenceRules, FormSet, ModelDef
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.paths import data_dir

REGULAR, BOLD = "BaselineSans", "BaselineSans-Bold"


@dataclass(frozen=True)
class BaselineInputs:
    """What the full report is written from."""

    case: Case
    content: AssessmentContent
    form_set: FormSet
    rules: EvidenceRules
    author: str
    produced: date


def _register_fonts() -> None:
    if BOLD in pdfmetrics.getRegisteredFontNames():
        return
    fonts = data_dir("resources") / "fonts"
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


def _plain_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("b", fontName=REGULAR, fontSize=10.5, leading=14.5, spaceAfter=5)

    def bold(name: str, size: float, leading: float, before: float, after: float):
        return ParagraphStyle(
            name, fontName=BOLD, fontSize=size, leading=leading, spaceBefore=before,
            spaceAfter=after,
        )  # fmt: skip

    return {
        "body": body,
        "small": ParagraphStyle("s", parent=body, fontSize=9, leading=12),
        "title": bold("t", 22, 28, 0, 4),
        "h1": bold("h1", 15, 20, 14, 8),
        "h2": bold("h2", 12.5, 17, 12, 6),
        "h3": bold("h3", 11, 15, 8, 4),
        "head": bold("e", 9.5, 13, 6, 2),
    }


class _Writer:
    """Appends paragraphs; numbers the section headings as the report does (1., 1.1)."""

    def __init__(self) -> None:
        self.st = _plain_styles()
        self.story: list[Flowable] = []
        self.h1_count = 0
        self.h2_count = 0

    def para(self, words: str, style: str = "body") -> None:
        self.story.append(Paragraph(escape(words), self.st[style]))

    def labelled(self, label: str, value: str) -> None:
        markup = f'<font name="{BOLD}">{escape(label)}</font> {escape(value)}'
        self.story.append(Paragraph(markup, self.st["body"]))

    def lines(self, words: str, style: str = "body", empty: str = "") -> None:
        written = [line for line in words.splitlines() if line.strip()]
        for line in written:
            self.para(line, style)
        if not written and empty:
            self.para(empty)

    def h1(self, title: str) -> None:
        self.h1_count, self.h2_count = self.h1_count + 1, 0
        self.para(f"{self.h1_count}. {title}", "h1")

    def h2(self, title: str) -> None:
        self.h2_count += 1
        self.para(f"{self.h1_count}.{self.h2_count} {title}", "h2")


def _label(lookup, value: str) -> str:
    try:
        return lookup(value).label
    except KeyError:
        return value.replace("_", " ").capitalize()


def _factor(forms: FormSet, domain_id: str, slot: int) -> str:
    try:
        return forms.domain(domain_id).factor(slot).label
    except KeyError:
        return f"Factor {slot}"


def _domains(out: _Writer, inputs: BaselineInputs, model: ModelDef | None) -> None:
    """Each domain: its notes, its factors with their rationales, then its evidence."""
    content, forms, rules = inputs.content, inputs.form_set, inputs.rules
    out.h1("Assessment by domain")
    for domain in forms.domains_for(model.id) if model else forms.domains:
        out.h2(domain.title)
        notes = content.notes(domain.id)
        for label, written in (("Concerns", notes.concerns), ("Strengths", notes.strengths)):
            out.para(label, "head")
            out.lines(written, empty=f"No {label.lower()} were written for {domain.title.lower()}.")
        out.para("What the ratings say", "head")
        out.para("Factor by factor", "h3")
        ratings = [r for r in content.ratings if r.domain_id == domain.id]
        for rating in sorted(ratings, key=lambda r: r.slot):
            value = "Not rated" if rating.rating is None else rating.rating
            if model is not None and rating.rating is not None:
                value = _label(model.scale.option, rating.rating)
            out.para(f"{rating.slot}. {_factor(forms, domain.id, rating.slot)} · {value}", "head")
            out.lines(rating.rationale, empty="No rationale recorded yet.")
            if rating.strength_note.strip():
                out.para(f"Strengths: {rating.strength_note.strip()}")
        out.para("Evidence", "h3")
        entries = [e for e in content.evidence if e.domain_id == domain.id]
        for entry in entries:
            facts = [
                _label(rules.source, entry.source),
                long_date(entry.date, "Undated"),
                _label(rules.category, entry.category),
            ]
            if entry.factor_slot:
                facts.append(_factor(forms, domain.id, entry.factor_slot))
            facts.append(_label(rules.sharing_class, entry.sharing))
            out.para(" · ".join(facts), "head")
            out.lines(entry.text)
        if not entries:
            out.para("No evidence recorded yet.")


def baseline_story(inputs: BaselineInputs) -> list[Flowable]:
    case, content, forms, rules = inputs.case, inputs.content, inputs.form_set, inputs.rules
    assessment = case.assessments[-1] if case.assessments else None
    model = forms.model(assessment.model.value) if assessment else None
    model_words = f"{model.name} ({model.min_age}-{model.max_age})" if model else "Not chosen"
    status = SignOffRecords().state(assessment)
    out = _Writer()
    out.para("Assessment report", "title")
    out.para(f"{model_words} · {status.summary}", "h3")
    front = {
        "The young person": [
            ("Young person", case.young_person_name),
            (
                "Date of birth",
                f"{long_date(case.date_of_birth)} (aged {case.age_at_request} at the request)",
            ),
            ("Case reference", case.reference),
            ("Lead agency", case.lead_agency.label),
            ("Lead worker", case.lead_worker),
            ("Social worker", case.social_worker or "None recorded"),
            ("Co-workers", ", ".join(case.co_workers) or "None recorded"),
        ],
        "The request": [
            ("Requested by", case.requested_by.label),
            ("Why it was requested", case.request_reason or "Not recorded"),
            ("Request date", long_date(assessment.request_date if assessment else None)),
            ("Due date", long_date(assessment.due_date if assessment else None)),
        ],
        "The assessment": [
            ("Assessment model", model_words),
            ("Assessment version", str(assessment.version) if assessment else "Not started"),
            ("Case status", case.status.label),
            ("Author", inputs.author),
            ("Report produced", long_date(inputs.produced)),
        ],
    }
    for title, rows in front.items():
        out.para(title, "h3")
        for label, value in rows:
            out.labelled(label, value)

    out.h1("Chronology")
    out.para("Date What happened Source", "head")
    for event in content.chronology_sorted():
        out.para(f"{long_date(event.date)} {event.source or 'Not recorded'}", "head")
        out.lines(event.what)
    out.h1("The assessment profile")

    _domains(out, inputs, model)
    out.h1("What is not yet known")
    for unknown in content.open_unknowns():
        out.lines(unknown.question)
        out.lines(unknown.how, empty="Not yet decided")
        out.para(f"{unknown.who or 'Not yet decided'} · {long_date(unknown.by_when, 'No date')}")
    if not content.open_unknowns():
        out.para("No open unknowns.")
    out.h1("Views of the young person and their family")
    for voice in content.voices:
        out.para(f"{voice.speaker_kind.label} · {long_date(voice.date, 'Undated')}", "head")
        out.lines(voice.words)
    out.h1("Overall analysis: the case formulation")
    evidence = {e.id: e for e in content.evidence}
    for part_id, part in content.formulation.parts():
        out.para(part_id.label, "h3")
        out.lines(part.text, empty="Not written yet.")
        cites = [f"{forms.domain(d).title}: {_factor(forms, d, s)}" for d, s in part.cites_factors]
        cites += [
            f"evidence from {_label(rules.source, evidence[e].source)} "
            f"({long_date(evidence[e].date, 'undated')})"
            for e in part.cites_evidence
            if e in evidence
        ]
        if cites:
            out.para("Draws on: " + "; ".join(cites) + ".", "small")
    out.h1("Recommendations")
    recommendations = content.recommendations
    for title, written in (
        ("Intervention", recommendations.intervention),
        ("Level of supervision", recommendations.supervision_level),
        ("Who does what", recommendations.who_does_what),
    ):
        out.para(title, "h3")
        out.lines(written, empty="Not yet written.")
    out.h1("Safety plan")
    plan = content.safety_plan
    out.lines(plan.risks, empty="No safety plan recorded yet.")
    for action in plan.actions:
        out.para(f"{action.who} · {action.where or 'Anywhere'}", "head")
        out.lines(action.what)
    out.h1("Supervision and sign-off")
    return out.story


def baseline_pdf(inputs: BaselineInputs) -> bytes:
    """The baseline document in memory."""
    _register_fonts()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(baseline_story(inputs))
    return buffer.getvalue()
