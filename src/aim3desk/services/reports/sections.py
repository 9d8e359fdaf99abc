"""Report sections built from a ReportRequest, shared by the full report and the share reports.

Long text is always split into paragraphs (one per line of the text), and every table splits
between rows and, where one row is taller than a page, inside the row: nothing is ever cut.
Each heading is preceded by a conditional page break, so it never sits alone at the foot of a
page without the start of what it heads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from aim3desk.domain.assessment import EvidenceEntry
from aim3desk.domain.forms import ModelDef
from aim3desk.domain.intervention import InterventionPlan
from aim3desk.domain.profile import Profile, profile
from aim3desk.domain.sharing import SUMMARY_PART
from aim3desk.services.reports.document import Heading
from aim3desk.services.reports.graph import profile_drawing
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    details_table,
    grid_table,
    long_date,
    notice,
    text,
    text_paragraphs,
)

Styles = dict[str, ParagraphStyle]


class Outline:
    """Numbered headings (1., 1.1) that also feed the contents list and PDF bookmarks."""

    def __init__(self, st: Styles) -> None:
        self.st = st
        self.headings: list[Heading] = []
        self._numbers = [0, 0]

    def h1(self, title: str, need: float = 45 * mm) -> list[Flowable]:
        self._numbers = [self._numbers[0] + 1, 0]
        return self._add(f"{self._numbers[0]}. {title}", "h1", 0, need)

    def h2(self, title: str, need: float = 35 * mm) -> list[Flowable]:
        self._numbers[1] += 1
        number = f"{self._numbers[0]}.{self._numbers[1]}"
        return self._add(f"{number} {title}", "h2", 1, need)

    def _add(self, title: str, style: str, level: int, need: float) -> list[Flowable]:
        heading = Heading(title, self.st[style], f"h{len(self.headings) + 1}", level)
        self.headings.append(heading)
        return [CondPageBreak(need), heading]


def minor_heading(title: str, st: Styles, need: float = 25 * mm) -> list[Flowable]:
    return [CondPageBreak(need), Paragraph(text(title), st["h3"])]


# -- labels -----------------------------------------------------------------------------------


def model_def(req: ReportRequest) -> ModelDef | None:
    assessment = req.assessment
    model_id = assessment.model.value if assessment else None
    if model_id is None:
        from aim3desk.domain.cases import propose_model

        model_id = propose_model(req.case.date_of_birth, req.case.request_date).value
    try:
        return req.form_set.model(model_id)
    except KeyError:
        return None


def model_name(req: ReportRequest) -> str:
    model = model_def(req)
    if model is None:
        return req.assessment.model.label if req.assessment else "Not chosen"
    return f"{model.name} ({model.min_age}-{model.max_age})"


def factor_label(req: ReportRequest, domain_id: str, slot: int) -> str:
    try:
        return req.form_set.domain(domain_id).factor(slot).label
    except KeyError:
        return f"Factor {slot}"


def domain_title(req: ReportRequest, domain_id: str | None) -> str:
    if domain_id is None:
        return "General"
    try:
        return req.form_set.domain(domain_id).title
    except KeyError:
        return domain_id.replace("_", " ").capitalize()


def rating_label(model: ModelDef | None, value: str | None) -> str:
    if value is None:
        return "Not rated"
    if model is not None:
        try:
            return model.scale.option(value).label
        except KeyError:
            pass
    return value.replace("_", " ").capitalize()


def _vocab(lookup: Callable[[str], object], value: str) -> str:
    try:
        return str(getattr(lookup(value), "label"))  # noqa: B009 - any labelled item
    except KeyError:
        return value.replace("_", " ").capitalize()


def source_label(req: ReportRequest, source: str) -> str:
    return _vocab(req.rules.source, source)


def category_label(req: ReportRequest, category: str) -> str:
    return _vocab(req.rules.category, category)


def sharing_label(req: ReportRequest, sharing: str) -> str:
    return _vocab(req.rules.sharing_class, sharing)


def the_profile(req: ReportRequest) -> Profile | None:
    model = model_def(req)
    if model is None:
        return None
    try:
        return profile(req.content, model, req.form_set)
    except KeyError:
        return None


# -- sections ---------------------------------------------------------------------------------


def case_details(req: ReportRequest, st: Styles, outline: Outline, *, full: bool) -> list:
    case, assessment = req.case, req.assessment
    person = [
        ("Young person", case.young_person_name),
        ("Date of birth", long_date(case.date_of_birth)),
        ("Age at request", f"{case.age_at_request} years"),
        ("Case reference", case.reference),
        ("Lead agency", case.lead_agency.label),
        ("Lead worker", case.lead_worker),
    ]
    if full:
        person += [
            ("Status", case.status.label),
            ("Co-workers", ", ".join(case.co_workers) or "None recorded"),
            ("Joint with social worker", "Yes" if case.joint_with_social_worker else "No"),
        ]
    referral = [
        ("Requested by", case.requested_by.label),
        ("Request date", long_date(case.request_date)),
        ("Assessment model", model_name(req)),
        ("Assessment version", str(assessment.version) if assessment else "Not started"),
        ("Due date", long_date(assessment.due_date if assessment else None)),
        ("Assessment finished", "Yes" if assessment and assessment.finished else "No"),
    ]
    return [
        *outline.h1("Case and referral details" if full else "Who this is about"),
        details_table(person, st),
        Spacer(1, 5 * mm),
        KeepTogether([Paragraph("Referral", st["h3"]), details_table(referral, st)]),
    ]


def chronology(req: ReportRequest, st: Styles, outline: Outline) -> list:
    events = req.content.chronology_sorted()
    flowables = outline.h1("Chronology")
    if not events:
        return [*flowables, Paragraph("No chronology events recorded yet.", st["muted"])]
    rows = [
        [long_date(e.date), text_paragraphs(e.what, st["cell"]) or "", e.source or "Not recorded"]
        for e in events
    ]
    return [
        *flowables,
        grid_table(("Date", "What happened", "Source"), rows, (0.2, 0.58, 0.22), st),
    ]


def profile_section(
    req: ReportRequest, st: Styles, outline: Outline, *, with_rationale: bool
) -> list:
    flowables = outline.h1("The assessment profile", need=90 * mm)
    found = the_profile(req)
    model = model_def(req)
    if found is None or model is None:
        return [*flowables, Paragraph("The assessment model is not known.", st["muted"])]
    intro = (
        "The graph shows each domain's total over its bands. "
        if found.scored
        else "The graph shows how many of each domain's five factors were rated as a concern. "
    )
    # The heading, its introduction and the graph stay on one page.
    page_break, heading = flowables
    graph = [
        heading,
        Paragraph(
            text(
                intro
                + "It is a profile of the young person, not a risk level: read it with the "
                "strengths and the evidence behind each rating."
            ),
            st["body"],
        ),
        Spacer(1, 2 * mm),
        profile_drawing(found, model.bands),
        Spacer(1, 4 * mm),
    ]
    if found.note:
        graph.append(Paragraph(text(found.note), st["small"]))
    flowables = [page_break, KeepTogether(graph)]
    if not with_rationale:
        rows = []
        for domain in found.domains:
            for rating in domain.ratings:
                rows.append(
                    [
                        domain.title,
                        rating.factor_label,
                        rating.rating_label or "Not rated",
                    ]
                )
        flowables += [
            *minor_heading("Factor ratings", st),
            grid_table(("Domain", "Factor", found.scale_label), rows, (0.34, 0.36, 0.30), st),
        ]
    return flowables


def ratings_table(req: ReportRequest, st: Styles, domain_id: str) -> list:
    """Rated factors of a domain with rating, rationale and strengths, in slot order."""
    model = model_def(req)
    rated = sorted(
        (r for r in req.content.ratings if r.domain_id == domain_id), key=lambda r: r.slot
    )
    if not rated:
        return [Paragraph("No factors rated yet.", st["muted"])]
    rows = []
    for rating in rated:
        rationale = text_paragraphs(rating.rationale, st["cell"]) or [
            Paragraph("No rationale recorded yet.", st["cell_muted"])
        ]
        if rating.strength_note.strip():
            rationale += [
                Spacer(1, 3),
                Paragraph("<b>Strengths:</b>", st["cell"]),
                *text_paragraphs(rating.strength_note, st["cell"]),
            ]
        rows.append(
            [
                f"{rating.slot}. {factor_label(req, domain_id, rating.slot)}",
                rating_label(model, rating.rating),
                rationale,
            ]
        )
    return [grid_table(("Factor", "Rating", "Rationale"), rows, (0.26, 0.2, 0.54), st)]


def evidence_entries(
    req: ReportRequest,
    entries: Sequence[EvidenceEntry],
    st: Styles,
    *,
    show_sharing: bool,
    show_domain: bool = False,
) -> list:
    """Each entry in full (it may run over pages) under a line naming its source, date,
    category, factor, and in the full report its sharing class."""
    flowables: list = []
    for entry in entries:
        facts = [
            source_label(req, entry.source),
            long_date(entry.date, "Undated"),
            category_label(req, entry.category),
        ]
        if show_domain and entry.domain_id:
            facts.append(domain_title(req, entry.domain_id))
        if entry.domain_id and entry.factor_slot:
            facts.append(factor_label(req, entry.domain_id, entry.factor_slot))
        if show_sharing:
            facts.append(sharing_label(req, entry.sharing))
        flowables += [
            CondPageBreak(18 * mm),
            Paragraph(text(" · ".join(facts)), st["entry_head"]),
            *text_paragraphs(entry.text, st["body"]),
        ]
    return flowables


def domains_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Full report: each domain with concerns, ratings, rationale and every evidence entry."""
    model = model_def(req)
    if model is not None:
        domains = [(d.id, d.title) for d in req.form_set.domains_for(model.id)]
    else:
        domains = [(d.id, d.title) for d in req.form_set.domains]
    content = req.content
    known = {domain_id for domain_id, _ in domains}
    # Content under a domain this form set does not know is still printed, never dropped.
    other = [e.domain_id for e in content.evidence if e.domain_id and e.domain_id not in known]
    other += [r.domain_id for r in content.ratings if r.domain_id not in known]
    domains += [(d, f"Other evidence ({d})") for d in dict.fromkeys(other)]
    flowables = outline.h1("Assessment by domain", need=80 * mm)
    for domain_id, title in domains:
        flowables += outline.h2(title, need=50 * mm)
        notes = content.notes(domain_id)
        if notes.concerns.strip():
            flowables += [
                Paragraph("Concerns", st["label"]),
                *text_paragraphs(notes.concerns, st["body"]),
            ]
        flowables += [*ratings_table(req, st, domain_id), Spacer(1, 3 * mm)]
        entries = content.evidence_for(domain_id)
        flowables += minor_heading("Evidence", st)
        if entries:
            flowables += evidence_entries(req, entries, st, show_sharing=True)
        else:
            flowables.append(Paragraph("No evidence recorded yet.", st["muted"]))
    general = [e for e in content.evidence if e.domain_id is None]
    if general:
        flowables += outline.h2("General evidence")
        flowables += evidence_entries(req, general, st, show_sharing=True)
    return flowables


def strengths_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Strengths")
    rows = []
    for note in req.content.domain_notes:
        if note.strengths.strip():
            rows.append(
                [domain_title(req, note.domain_id), text_paragraphs(note.strengths, st["cell"])]
            )
    for rating in sorted(req.content.ratings, key=lambda r: (r.domain_id, r.slot)):
        if rating.strength_note.strip():
            where = (
                f"{domain_title(req, rating.domain_id)}: "
                f"{factor_label(req, rating.domain_id, rating.slot)}"
            )
            rows.append([where, text_paragraphs(rating.strength_note, st["cell"])])
    if not rows:
        return [*flowables, Paragraph("No strengths recorded yet.", st["muted"])]
    return [*flowables, grid_table(("Where", "Strengths"), rows, (0.32, 0.68), st)]


def unknowns_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("What is not yet known")
    open_unknowns = req.content.open_unknowns()
    if not open_unknowns:
        return [*flowables, Paragraph("No open unknowns.", st["muted"])]
    rows = []
    for unknown in open_unknowns:
        about = domain_title(req, unknown.about_domain) if unknown.about_domain else "General"
        if unknown.about_domain and unknown.about_slot:
            about += f": {factor_label(req, unknown.about_domain, unknown.about_slot)}"
        rows.append(
            [
                [
                    Paragraph(text(about), st["label"]),
                    *text_paragraphs(unknown.question, st["cell"]),
                ],
                text_paragraphs(unknown.how, st["cell"]) or "Not yet decided",
                unknown.who or "Not yet decided",
                long_date(unknown.by_when, "No date"),
            ]
        )
    return [
        *flowables,
        grid_table(
            ("What is not known", "How it will be found out", "Who", "By when"),
            rows,
            (0.38, 0.3, 0.16, 0.16),
            st,
        ),
    ]


def voices_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Views of the young person and their family")
    if not req.content.voices:
        return [*flowables, Paragraph("No views recorded yet.", st["muted"])]
    for voice in req.content.voices:
        who = voice.speaker_kind.label
        if voice.speaker_name:
            who += f": {voice.speaker_name}"
        if voice.relationship:
            who += f" ({voice.relationship})"
        flowables += [
            CondPageBreak(18 * mm),
            Paragraph(text(f"{who} · {long_date(voice.date, 'Undated')}"), st["entry_head"]),
            *text_paragraphs(voice.words, st["body"]),
        ]
    return flowables


def formulation_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Full report only: every part of the case formulation with what it cites."""
    flowables = outline.h1("Case formulation")
    evidence = {e.id: e for e in req.content.evidence}
    for part_id, part in req.content.formulation.parts():
        flowables += minor_heading(part_id.label, st)
        if part.is_empty:
            flowables.append(Paragraph("Not written yet.", st["muted"]))
            continue
        flowables += text_paragraphs(part.text, st["body"])
        cites = [
            f"{domain_title(req, d)}: {factor_label(req, d, s)}" for d, s in part.cites_factors
        ]
        cites += [
            f"evidence from {source_label(req, evidence[e].source)}"
            f" ({long_date(evidence[e].date, 'undated')})"
            for e in part.cites_evidence
            if e in evidence
        ]
        if cites:
            flowables.append(Paragraph(text("Draws on: " + "; ".join(cites) + "."), st["small"]))
    return flowables


def formulation_summary_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Share reports: only the formulation's conclusion for planning (SUMMARY_PART)."""
    flowables = outline.h1("What the assessment means for intervention and supervision")
    summary = req.content.formulation.part(SUMMARY_PART).text
    if not summary.strip():
        return [*flowables, Paragraph("Not written yet.", st["muted"])]
    return [*flowables, *text_paragraphs(summary, st["body"])]


def safety_plan_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    plan = req.content.safety_plan
    flowables = outline.h1("Safety plan")
    if not plan.risks.strip() and not plan.actions and not plan.supervision_level.strip():
        return [*flowables, Paragraph("No safety plan recorded yet.", st["muted"])]
    flowables += [
        Paragraph("Risks the plan manages", st["label"]),
        *(text_paragraphs(plan.risks, st["body"]) or [Paragraph("Not recorded.", st["muted"])]),
        Spacer(1, 2 * mm),
    ]
    if plan.actions:
        rows = [
            [a.who, text_paragraphs(a.what, st["cell"]) or "", a.where or "Anywhere"]
            for a in plan.actions
        ]
        flowables.append(grid_table(("Who", "What they do", "Where"), rows, (0.24, 0.54, 0.22), st))
        flowables.append(Spacer(1, 3 * mm))
    flowables.append(
        details_table(
            [
                ("Level of supervision", plan.supervision_level or "Not recorded"),
                ("Review date", long_date(plan.review_date, "Not set")),
            ],
            st,
        )
    )
    return flowables


def intervention_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    plan: InterventionPlan = req.records.plan
    flowables = outline.h1("Intervention plan summary")
    if plan.is_empty:
        return [*flowables, Paragraph("No intervention plan has been started.", st["muted"])]
    if plan.tracks:
        rows = [
            [t.label, f"Stage {t.stage}", long_date(t.history[-1].on if t.history else None)]
            for t in plan.tracks
        ]
        flowables += [
            grid_table(("Track", "Stage", "At this stage since"), rows, (0.46, 0.2, 0.34), st),
            Spacer(1, 3 * mm),
        ]
    if plan.goals:
        tracks = {t.id: t.label for t in plan.tracks}
        rows = []
        for goal in plan.goals:
            latest = goal.reviews[-1] if goal.reviews else None
            progress = (
                f"{latest.rating} of {req.progress_max} ({long_date(latest.date)})"
                if latest
                else "Not yet reviewed"
            )
            rows.append(
                [
                    tracks.get(goal.track_id, "Unknown track"),
                    text_paragraphs(goal.text, st["cell"]) or "",
                    progress,
                ]
            )
        flowables += [
            *minor_heading("Goals", st),
            grid_table(("Track", "Goal", "Latest progress"), rows, (0.24, 0.48, 0.28), st),
        ]
    meeting = plan.latest_meeting
    if meeting is not None:
        flowables += minor_heading("Latest risk management meeting", st)
        flowables.append(
            details_table(
                [
                    ("Date", long_date(meeting.date)),
                    ("Decisions", meeting.decisions or "None recorded"),
                    ("Safety plan changes", meeting.safety_plan_changes or "None recorded"),
                    ("Next review", long_date(meeting.next_review, "Not set")),
                ],
                st,
            )
        )
    current = plan.keeping_safe_plan
    if current is not None:
        flowables += minor_heading("Keeping-safe plan", st)
        agreed = f", agreed with {current.agreed_with}" if current.agreed_with else ""
        flowables.append(
            Paragraph(
                text(f"Version {current.version} of {long_date(current.date)}{agreed}."),
                st["small"],
            )
        )
        flowables += text_paragraphs(current.text, st["body"])
    return flowables


def signoff_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Who wrote the report and who signed it off: the names and dates, or lines to sign.
    Only the date and supervisor of the sign-off session: never its notes or well-being."""
    status = req.sign_off
    blank = "_" * 34
    flowables = outline.h1("Supervision and sign-off", need=80 * mm)
    if status.signed_off:
        intro = (
            "This assessment version is finished and was quality assured and signed off in "
            "the third assessment supervision session."
        )
    else:
        intro = (
            "This report is a DRAFT. It is final once the assessment version is finished and "
            "the third assessment supervision session (quality assurance of the written "
            "report and sign-off) has been recorded."
        )
    rows = [
        ("Assessor", req.author),
        ("Assessment finished on", long_date(status.finished_on, blank)),
        ("Supervisor", status.supervisor or blank),
        ("Signed off on", long_date(status.supervised_on, blank) if status.signed_off else blank),
        ("Supervisor's signature", "" if status.signed_off else blank),
    ]
    held = [s for s in req.records.sessions if s.type.is_assessment]
    return [
        *flowables,
        KeepTogether(
            [
                Paragraph(text(intro), st["body"]),
                Spacer(1, 2 * mm),
                details_table(rows, st, label_share=0.4),
                Spacer(1, 3 * mm),
                Paragraph(
                    text(
                        f"Assessment supervision sessions recorded: {len(held)}"
                        + (
                            " (" + "; ".join(long_date(s.date) for s in held) + ")."
                            if held
                            else "."
                        )
                    ),
                    st["small"],
                ),
            ]
        ),
    ]


def marking_notice(st: Styles, extra: str = "") -> Flowable:
    return notice(
        "<b>OFFICIAL-SENSITIVE.</b> This report holds personal data about a child. Share it "
        "only with people who need it to keep children safe, on a lawful basis, and record "
        "each decision to share. Keep it on encrypted, access-controlled storage." + extra,
        st,
    )
