"""The subject access export's sections for what a case keeps beside its assessments, each
in full: supervision sessions (marked for the reviewer), the intervention plan with every
track, goal, review, meeting, keeping-safe plan and the ending, the escalation and
consultation logs, and the decisions to share or not to share."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from aim3desk.domain.intervention import InterventionPlan
from aim3desk.domain.supervision import SupervisionSession
from aim3desk.services.reports.access_request import AccessRequest
from aim3desk.services.reports.marking import section_mark
from aim3desk.services.reports.outline import Outline, Styles, minor_heading
from aim3desk.services.reports.style import (
    details_table,
    grid_table,
    long_date,
    text,
    text_paragraphs,
)


def labelled_table(
    label: str,
    header: tuple[str, ...],
    rows: list,
    shares: tuple[float, ...],
    st: Styles,
) -> list:
    """A small bold label over a table, for a section holding more than one table."""
    return [Paragraph(text(label), st["label"]), Spacer(1, 2), grid_table(header, rows, shares, st)]


def nothing(what: str, st: Styles) -> list:
    """The line a section shows when there is nothing of its kind."""
    return [Paragraph(text(what), st["muted"])]


def _prompt(req: AccessRequest, prompt_id: str, *, agenda_of: str | None = None) -> str:
    """The words of an agenda item or risk question, or a readable form of its id."""
    forms = req.supervision_forms
    if forms is not None:
        try:
            prompts = forms.session_type(agenda_of).agenda if agenda_of else forms.risk_questions
        except KeyError:
            prompts = ()
        for prompt in prompts:
            if prompt.id == prompt_id:
                return prompt.text
    return prompt_id.replace("_", " ").capitalize()


def _session_type(req: AccessRequest, session: SupervisionSession) -> str:
    forms = req.supervision_forms
    try:
        return forms.session_type(session.type.value).label if forms else session.type.value
    except KeyError:
        return session.type.value.replace("_", " ").capitalize()


def supervision_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h2("Supervision sessions", need=70 * mm)
    sessions = req.records.sessions
    if not sessions:
        return [*flowables, *nothing("No supervision sessions recorded.", st)]
    for number, session in enumerate(sessions):
        rows = [
            ("Date", long_date(session.date)),
            ("Session", _session_type(req, session)),
            ("Supervisor", session.supervisor),
            (
                "Agenda covered",
                "\n".join(
                    _prompt(req, item, agenda_of=session.type.value) for item in session.agenda_done
                )
                or "None ticked",
            ),
            ("Notes", session.notes or "None"),
        ]
        for answer in session.risk_questions:
            rows.append((_prompt(req, answer.prompt_id), answer.response or "No answer"))
        for action in session.actions:
            due = f", by {long_date(action.due)}" if action.due else ""
            done = " (done)" if action.done else ""
            rows.append(("Agreed action", f"{action.what} - {action.owner}{due}{done}"))
        flowables += [
            *([CondPageBreak(40 * mm)] if number else []),
            section_mark("supervision", st),
            details_table(rows, st),
            Spacer(1, 3 * mm),
        ]
    return flowables


def _goal_rows(req: AccessRequest, plan: InterventionPlan, st: Styles) -> list:
    tracks = {t.id: t.label for t in plan.tracks}
    rows = []
    for goal in plan.goals:
        words = text_paragraphs(goal.text, st["cell"])
        if goal.plain_words:
            words += text_paragraphs(f"In their words: {goal.plain_words}", st["cell"])
        if goal.who_can_help:
            words += text_paragraphs(f"Who can help: {goal.who_can_help}", st["cell"])
        reviews = [
            f"{long_date(r.date)}: {r.rating} of {req.progress_max}"
            + (f" - {r.note}" if r.note else "")
            for r in goal.reviews
        ]
        rows.append(
            [
                f"{tracks.get(goal.track_id, 'Unknown track')}, stage {goal.stage}",
                words or "",
                text_paragraphs("\n".join(reviews), st["cell"]) or "Not yet reviewed",
            ]
        )
    return rows


def intervention_plan_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    plan = req.records.plan
    flowables = outline.h2("Intervention plan")
    if plan.is_empty:
        return [*flowables, *nothing("No intervention plan has been started.", st)]
    if plan.tracks:
        rows = [
            [
                t.label,
                f"Stage {t.stage}",
                "; ".join(f"stage {h.stage} on {long_date(h.on)}" for h in t.history) or "-",
            ]
            for t in plan.tracks
        ]
        flowables.append(
            grid_table(("Track", "Stage now", "Stage history"), rows, (0.3, 0.16, 0.54), st)
        )
    if plan.goals:
        flowables += [
            *minor_heading("Goals and progress reviews", st),
            grid_table(
                ("Track", "Goal", "Progress reviews"),
                _goal_rows(req, plan, st),
                (0.2, 0.45, 0.35),
                st,
            ),
        ]
    for meeting in plan.meetings:
        flowables += minor_heading(f"Risk management meeting, {long_date(meeting.date)}", st)
        flowables.append(
            details_table(
                [
                    ("Attendees", ", ".join(meeting.attendees) or "None recorded"),
                    ("Decisions", meeting.decisions or "None recorded"),
                    ("Safety plan changes", meeting.safety_plan_changes or "None recorded"),
                    ("Responsibility lies with", meeting.responsibility.value.replace("_", " ")),
                    ("Next review", long_date(meeting.next_review, "Not set")),
                ],
                st,
            )
        )
    for version in plan.keeping_safe_plans:
        agreed = f", agreed with {version.agreed_with}" if version.agreed_with else ""
        flowables += [
            *minor_heading(f"Keeping-safe plan, version {version.version}", st),
            Paragraph(text(f"Of {long_date(version.date)}{agreed}."), st["small"]),
            *text_paragraphs(version.text, st["body"]),
        ]
    if plan.ending is not None:
        flowables += [
            *minor_heading("Ending summary", st),
            details_table(
                [
                    ("Progress", plan.ending.progress or "Not recorded"),
                    ("Risk and change", plan.ending.risk_and_change or "Not recorded"),
                    ("Outstanding areas", plan.ending.outstanding or "Not recorded"),
                ],
                st,
            ),
        ]
    return flowables


def case_logs_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    records = req.records
    flowables = outline.h2("Escalations and consultations")
    if records.escalations:
        rows = [
            [
                long_date(e.date),
                text_paragraphs(e.barrier_or_delay, st["cell"]) or "",
                f"{e.reported_to}, {long_date(e.reported_on, 'not yet reported')}",
                text_paragraphs(e.outcome, st["cell"]) or "No outcome yet",
            ]
            for e in records.escalations
        ]
        flowables += [
            *labelled_table(
                "Barriers and delays escalated",
                ("Arose", "Barrier or delay", "Reported to", "Outcome"),
                rows,
                (0.16, 0.36, 0.22, 0.26),
                st,
            ),
            Spacer(1, 3 * mm),
        ]
    if records.consultations:
        rows = [
            [long_date(c.date), c.service, text_paragraphs(c.advice, st["cell"]) or "None recorded"]
            for c in records.consultations
        ]
        flowables += [
            *labelled_table(
                "Consultations with specialist services",
                ("Date", "Service", "Advice"),
                rows,
                (0.16, 0.28, 0.56),
                st,
            ),
        ]
    if not records.escalations and not records.consultations:
        flowables += nothing("No escalations or consultations recorded.", st)
    return flowables


def sharing_decisions_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h2("Decisions to share or not to share", need=60 * mm)
    decisions = req.records.sharing_decisions
    if not decisions:
        return [*flowables, *nothing("No decisions to share recorded.", st)]
    for number, decision in enumerate(sorted(decisions, key=lambda d: d.at)):
        basis = decision.lawful_basis_text or decision.lawful_basis
        version = decision.assessment_version
        flowables += [
            *([CondPageBreak(30 * mm)] if number else []),
            details_table(
                [
                    ("Decided", f"{long_date(decision.at.date())} by {decision.by}"),
                    ("Shared", "Yes" if decision.shared else "No (decided not to share)"),
                    ("Audience", decision.audience.replace("-", " ")),
                    ("Recipient", decision.recipient),
                    ("Reason", decision.reason),
                    ("Lawful basis", basis),
                    ("Assessment version", str(version) if version else "Not recorded"),
                    ("What", decision.what or "Not recorded"),
                ],
                st,
            ),
            Spacer(1, 3 * mm),
        ]
    return flowables


def case_records_part(req: AccessRequest, st: Styles, outline: Outline) -> list:
    return [
        *outline.h1("Case records", need=90 * mm),
        *supervision_section(req, st, outline),
        *intervention_plan_section(req, st, outline),
        *case_logs_section(req, st, outline),
        *sharing_decisions_section(req, st, outline),
    ]
