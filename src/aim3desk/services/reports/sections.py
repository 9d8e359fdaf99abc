"""What the assessment found, as report sections shared by the full report and the share
reports: case details, chronology, profile, evidence entries, strengths, unknowns and voices
(the domain-by-domain account of the full report is in domain_sections.py).

Long text is always split into paragraphs (one per line of the text), and every table splits
between rows and, where one row is taller than a page, inside the row: nothing is ever cut.
Each heading is preceded by a conditional page break, so it never sits alone at the foot of a
page without the start of what it heads.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from aim3desk.domain.assessment import EvidenceEntry
from aim3desk.services.reports.document import Deferred
from aim3desk.services.reports.graph import profile_drawing
from aim3desk.services.reports.labels import (
    category_label,
    domain_title,
    factor_label,
    model_def,
    model_name,
    sharing_label,
    source_label,
    the_profile,
)
from aim3desk.services.reports.marking import evidence_mark, section_mark
from aim3desk.services.reports.outline import Outline, Styles, minor_heading
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    ENTRY_ROOM,
    RoomFor,
    details_table,
    grid_table,
    long_date,
    text,
    text_paragraphs,
)


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
            ("Social worker", case.social_worker or "None recorded"),
            ("Co-workers", ", ".join(case.co_workers) or "None recorded"),
            ("Joint with social worker", "Yes" if case.joint_with_social_worker else "No"),
        ]
    referral = [
        ("Requested by", case.requested_by.label),
        *([("Why it was requested", case.request_reason or "Not recorded")] if full else []),
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
                intro + "It is a profile of the young person, not a risk level: read it with the "
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


def evidence_entries(
    req: ReportRequest,
    entries: Sequence[EvidenceEntry],
    st: Styles,
    *,
    show_sharing: bool,
    show_domain: bool = False,
) -> list:
    """Each entry in full (it may run over pages) under a line naming its source, date,
    category, factor, and in the full report its sharing class. The paragraphs are made as
    the layout reaches them (Deferred): a long case's entries are most of its report."""
    parts = (
        evidence_entry(req, entry, st, show_sharing=show_sharing, show_domain=show_domain)
        for entry in entries
    )
    return [Deferred(parts, count=3 * len(entries))] if entries else []


def evidence_entry(
    req: ReportRequest, entry: EvidenceEntry, st: Styles, *, show_sharing: bool, show_domain: bool
) -> list:
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
    mark = evidence_mark(req.rules, entry.sharing, st) if req.mark_internal else None
    return [
        RoomFor(ENTRY_ROOM + 12 * mm if mark else ENTRY_ROOM),
        *([mark] if mark else []),
        Paragraph(text(" · ".join(facts)), st["entry_head"]),
        *text_paragraphs(entry.text, st["body"]),
    ]


def strengths_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Share reports: one row per domain, its strengths in the practitioner's words and the
    strengths noted against its factors, the same words written against several factors
    printed once with the factors they were written for."""
    flowables = outline.h1("Strengths")
    domain_ids = [n.domain_id for n in req.content.domain_notes if n.strengths.strip()]
    domain_ids += [r.domain_id for r in req.content.ratings if r.strength_note.strip()]
    rows = []
    for domain_id in dict.fromkeys(domain_ids):
        cell = text_paragraphs(req.content.notes(domain_id).strengths, st["cell"])
        noted: dict[str, list[int]] = {}
        for rating in sorted(req.content.ratings, key=lambda r: r.slot):
            if rating.domain_id == domain_id and rating.strength_note.strip():
                noted.setdefault(rating.strength_note.strip(), []).append(rating.slot)
        for words, slots in noted.items():
            factors = "; ".join(factor_label(req, domain_id, slot) for slot in slots)
            cell += [
                Spacer(1, 3),
                Paragraph(text(factors), st["label"]),
                *text_paragraphs(words, st["cell"]),
            ]
        rows.append([domain_title(req, domain_id), cell])
    if not rows:
        return [*flowables, Paragraph("No strengths recorded yet.", st["muted"])]
    return [*flowables, grid_table(("Domain", "Strengths"), rows, (0.26, 0.74), st)]


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
            RoomFor(ENTRY_ROOM + 12 * mm if req.mark_internal else ENTRY_ROOM),
            *([section_mark("voices", st)] if req.mark_internal else []),
            Paragraph(text(f"{who} · {long_date(voice.date, 'Undated')}"), st["entry_head"]),
            *text_paragraphs(voice.words, st["body"]),
        ]
    return flowables
