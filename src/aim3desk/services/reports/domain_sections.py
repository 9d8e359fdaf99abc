"""The assessment domain by domain (full report and the subject access export): a summary in
prose (the practitioner's concerns and strengths, then one sentence of what the ratings say),
then each rated factor with its rating, rationale and strengths, then the domain's evidence.

A share report never comes here: it gets the profile table and the strengths section
(sections.py) only as far as the sharing policy allows.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from aim3desk.domain.assessment import UNKNOWN_RATING
from aim3desk.domain.profile import DomainProfile
from aim3desk.services.reports.labels import factor_label, model_def, rating_label, the_profile
from aim3desk.services.reports.outline import Outline, Styles, minor_heading
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.sections import evidence_entries
from aim3desk.services.reports.style import ENTRY_ROOM, RoomFor, text, text_paragraphs

_NUMBERS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(count: int) -> str:
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def _joined(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ratings_sentence(domain: DomainProfile) -> str:
    """What the ratings of one domain say, built from the ratings themselves: "Two of five
    factors rated a concern: X (significant concern) and Y (some concern). Two rated no
    concern; one not yet rated." A profile, never a risk level."""
    total = len(domain.ratings)
    concerns = [r for r in domain.ratings if r.is_concern]
    unrated = [r for r in domain.ratings if r.rating is None]
    unknown = [r for r in domain.ratings if r.rating == UNKNOWN_RATING]
    if len(unrated) == total:
        return f"None of the {number_word(total)} factors has been rated yet."
    if concerns:
        named = _joined([f"{r.factor_label} ({r.rating_label.lower()})" for r in concerns])
        sentence = (
            f"{number_word(len(concerns)).capitalize()} of {number_word(total)} factors "
            f"rated a concern: {named}."
        )
    else:
        sentence = f"None of the {number_word(total)} factors is rated a concern."
    others: dict[str, int] = {}
    for rating in domain.ratings:
        if rating.rating is not None and not rating.is_concern and rating not in unknown:
            others[rating.rating_label.lower()] = others.get(rating.rating_label.lower(), 0) + 1
    rest = [f"{number_word(n)} rated {label}" for label, n in others.items()]
    if unknown:
        rest.append(f"{number_word(len(unknown))} unknown (not enough information yet)")
    if unrated:
        rest.append(f"{number_word(len(unrated))} not yet rated")
    if rest:
        sentence += " " + _joined(rest).capitalize() + "."
    if domain.total is not None and domain.max_total is not None:
        band = f", in the band “{domain.band.label}”" if domain.band else ""
        sentence += f" The domain total is {domain.total} of {domain.max_total}{band}."
    return sentence


def domain_summary(req: ReportRequest, st: Styles, domain_id: str, title: str) -> list:
    """Concerns and strengths in the practitioner's words (or plainly that none were
    written), then what the ratings say."""
    notes = req.content.notes(domain_id)
    flowables: list = []
    for label, written in (("Concerns", notes.concerns), ("Strengths", notes.strengths)):
        flowables.append(Paragraph(label, st["label"]))
        flowables += text_paragraphs(written, st["body"]) or [
            Paragraph(text(f"No {label.lower()} were written for {title.lower()}."), st["muted"])
        ]
    found = the_profile(req)
    domain = next((d for d in found.domains if d.domain_id == domain_id), None) if found else None
    if domain is not None:
        flowables += [
            Paragraph("What the ratings say", st["label"]),
            Paragraph(text(ratings_sentence(domain)), st["body"]),
        ]
    return flowables


def factor_details(req: ReportRequest, st: Styles, domain_id: str) -> list:
    """Each rated factor in slot order: its name and rating on one line, then the rationale
    and any strengths noted against it, at full width."""
    model = model_def(req)
    rated = sorted(
        (r for r in req.content.ratings if r.domain_id == domain_id), key=lambda r: r.slot
    )
    if not rated:
        return [Paragraph("No factors rated yet.", st["muted"])]
    flowables: list = []
    for rating in rated:
        head = (
            f"{rating.slot}. {factor_label(req, domain_id, rating.slot)} · "
            f"{rating_label(model, rating.rating)}"
        )
        flowables += [
            RoomFor(ENTRY_ROOM),
            Paragraph(text(head), st["entry_head"]),
            *(
                text_paragraphs(rating.rationale, st["body"])
                or [Paragraph("No rationale recorded yet.", st["muted"])]
            ),
        ]
        if rating.strength_note.strip():
            flowables += [Paragraph(text(f"Strengths: {rating.strength_note.strip()}"), st["body"])]
    return flowables


def domains_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Each domain: its summary, factor by factor, then every evidence entry."""
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
    other += [n.domain_id for n in content.domain_notes if n.domain_id not in known]
    domains += [(d, f"Other evidence ({d})") for d in dict.fromkeys(other)]
    flowables = outline.h1("Assessment by domain", need=80 * mm)
    for domain_id, title in domains:
        flowables += outline.h2(title, need=50 * mm)
        flowables += domain_summary(req, st, domain_id, title)
        flowables += minor_heading("Factor by factor", st)
        flowables += [*factor_details(req, st, domain_id), Spacer(1, 3 * mm)]
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
