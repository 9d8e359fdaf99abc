"""A share report for one audience: it opens with "How to read this", then only what the
sharing policy gives that audience.

Redaction is enforced here and in domain/sharing.py, whatever the policy says: evidence comes
only from share_extract() (internal-only and never-shared classes removed), sections only from
allowed_sections(), the formulation only as its planning conclusion, and there is no code path
from a share report to voices, formulation notes or supervision records.

After "How to read this" every share report carries the practitioner's analysis for partner
agencies (seed 004: shared information comes with what it means and how it should inform
decisions): the summary for partner agencies and the recommendations written for THIS
audience, never another audience's. The full report's own recommendations (intervention,
supervision level, who does what) stay in the full report: they are written for the
practitioner network, and what a partner should do is what the practitioner writes for that
partner. The reader is told whom to ask: the lead worker, with the author's contact details
from the profile.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from aim3desk.domain.gates import Gate
from aim3desk.domain.sharing import AudiencePolicy, share_extract
from aim3desk.services.reports.form_note import factor_wording_note
from aim3desk.services.reports.labels import category_label, model_name, sharing_label
from aim3desk.services.reports.outline import Outline, Styles, marking_notice, minor_heading
from aim3desk.services.reports.plan_sections import (
    formulation_summary_section,
    intervention_section,
    safety_plan_section,
)
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.sections import (
    case_details,
    chronology,
    evidence_entries,
    profile_section,
    strengths_section,
    unknowns_section,
)
from aim3desk.services.reports.style import (
    ReportError,
    bullets,
    details_table,
    long_date,
    text,
    text_paragraphs,
)

# Sections that print factor names: a share report with any of them carries the note on
# placeholder factor wording (form_note.py) once.
_FACTOR_SECTIONS = frozenset({"profile", "strengths", "evidence", "open_unknowns"})


def how_to_read(req: ReportRequest, audience: AudiencePolicy, st: Styles, outline: Outline) -> list:
    assert req.policy is not None
    guide = req.policy.how_to_read
    return [
        *outline.h1("How to read this"),
        *minor_heading("What this information means", st),
        *[Paragraph(text(p), st["body"]) for p in guide.what_it_means],
        Paragraph(text(audience.uses), st["body"]),
        *minor_heading("Its limits", st),
        *[Paragraph(text(p), st["body"]) for p in guide.limits],
        *minor_heading("How it should inform decisions", st),
        *bullets([*guide.should, *audience.should], st),
        *minor_heading("How it should not be used", st),
        *bullets([*guide.should_not, *audience.should_not], st),
    ]


def for_your_agency(
    req: ReportRequest, audience: AudiencePolicy, st: Styles, outline: Outline
) -> list:
    """The summary for partner agencies and this audience's recommendations, each saying so
    when it is not written yet."""
    notes = req.content.sharing_notes
    summary = notes.partner_summary.strip()
    recommendations = notes.for_audience(audience.id).strip()
    not_written = "The lead worker has not written {} yet: ask them (see “Who to ask”)."
    return [
        *outline.h1(f"What the assessment means for {audience.label.lower()}"),
        *minor_heading("Summary for partner agencies", st),
        *(
            text_paragraphs(summary, st["body"])
            if summary
            else [Paragraph(text(not_written.format("a summary")), st["muted"])]
        ),
        *minor_heading(f"Recommendations for {audience.label.lower()}", st),
        *(
            text_paragraphs(recommendations, st["body"])
            if recommendations
            else [Paragraph(text(not_written.format("recommendations for you")), st["muted"])]
        ),
    ]


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def who_to_ask(req: ReportRequest) -> list[tuple[str, str]]:
    """(label, value) rows naming the lead worker to ask, with contact details: the author's
    own when the author is the lead worker; otherwise the author's, honestly, for questions
    about this report."""
    lead = req.case.lead_worker.strip() or "Not recorded"
    contact = req.author_contact.strip()
    reach = contact.replace("\n", ", ") if contact else "contact details not recorded"
    if _same_person(lead, req.author):
        return [("Who to ask", f"The lead worker, {lead}: {reach}")]
    return [
        ("Who to ask", f"The lead worker, {lead}, about the child and any decision"),
        ("About this report", f"Its author, {req.author}: {reach}"),
    ]


def about_extract(
    req: ReportRequest, audience: AudiencePolicy, st: Styles, outline: Outline, extract
) -> list:
    share = req.share
    rows = [
        ("Shared with", share.recipient if share else "Not recorded"),
        ("Agency", audience.label),
        ("Why it is shared", share.reason if share else "Not recorded"),
        ("Lawful basis", share.lawful_basis if share else "Not recorded"),
        ("Shared by", req.author + (f", {req.organisation}" if req.organisation else "")),
        ("Date", long_date(req.produced)),
        ("Case reference", req.case.reference),
        *who_to_ask(req),
        (
            "Assessment",
            f"{model_name(req)}, version "
            f"{req.assessment.version if req.assessment else 0}" + f", {req.sign_off.summary}",
        ),
    ]
    if share and share.override_reason:
        rows.append(("Readiness check", f"{Gate.SHARE.label}: {share.override_reason}"))
    included = [
        f"{category_label(req, c)}: {n} entr{'y' if n == 1 else 'ies'}"
        for c, n in sorted(extract.included_by_category.items())
    ] or ["No evidence entries"]
    left_out = [
        f"{category_label(req, c)} (not shared with {audience.label.lower()}): {n}"
        for c, n in sorted(extract.excluded_by_category.items())
    ] + [f"{sharing_label(req, c)}: {n}" for c, n in sorted(extract.excluded_by_class.items())]
    never = [
        "formulation notes and the case formulation's detailed analysis",
        "practitioner reflections",
        "verbatim session material, including the young person's and family's own words",
        "sensitive background",
        "supervision records and well-being responses",
    ]
    return [
        *outline.h1("About this extract"),
        details_table(rows, st),
        *minor_heading("Evidence included", st),
        *bullets(included, st),
        *minor_heading("Left out of this extract", st),
        *bullets(left_out or ["No evidence entries were left out."], st),
        *(factor_wording_note(req, st) if _FACTOR_SECTIONS & set(extract.sections) else []),
        KeepTogether(
            [
                Paragraph(
                    text("Never included in any shared extract: " + "; ".join(never) + "."),
                    st["small"],
                ),
                Spacer(1, 4 * mm),
                marking_notice(
                    st,
                    " Do not pass it on without the agreement of the lead worker named above.",
                ),
            ]
        ),
    ]


def share_story(req: ReportRequest, st: Styles) -> list:
    if req.policy is None:
        raise ReportError("The sharing policy (forms/sharing.toml) was not loaded.")
    try:
        audience = req.policy.audience(req.kind.value)
    except KeyError:
        raise ReportError(f"The sharing policy has no audience {req.kind.value}.") from None
    extract = share_extract(req.content, req.rules, audience)
    outline = Outline(st)
    story: list = [
        Paragraph(text(f"Information shared with {audience.label.lower()}"), st["title"]),
        Paragraph(
            text(f"From an AIM assessment · case {req.case.reference} · {long_date(req.produced)}"),
            st["subtitle"],
        ),
        *how_to_read(req, audience, st, outline),
        Spacer(1, 3 * mm),
        *for_your_agency(req, audience, st, outline),
        Spacer(1, 3 * mm),
        *about_extract(req, audience, st, outline, extract),
    ]
    for section in extract.sections:
        if section == "case_details":
            story += case_details(req, st, outline, full=False)
        elif section == "profile":
            story += profile_section(req, st, outline, with_rationale=False)
        elif section == "strengths":
            story += strengths_section(req, st, outline)
        elif section == "evidence":
            story += outline.h1("Information from the assessment")
            if not extract.evidence:
                story.append(Paragraph("No evidence entries are shared.", st["muted"]))
            for category in req.rules.categories:
                entries = [e for e in extract.evidence if e.category == category.id]
                if entries:
                    story += outline.h2(category.label)
                    story += evidence_entries(
                        req, entries, st, show_sharing=False, show_domain=True
                    )
        elif section == "chronology":
            story += chronology(req, st, outline)
        elif section == "open_unknowns":
            story += unknowns_section(req, st, outline)
        elif section == "formulation_summary":
            story += formulation_summary_section(req, st, outline)
        elif section == "safety_plan":
            story += safety_plan_section(req, st, outline)
        elif section == "intervention_summary":
            story += intervention_section(req, st, outline)
    return story
