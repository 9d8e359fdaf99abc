"""Screenshots of the tables a practitioner reads, with invented demo data, at 1366x768 (the
supervision pane docked as it opens): the Unknowns page (answered ones shown), the
chronology, the safety plan's actions, a domain page's evidence list, the
evidence dialog's sharing hint, the sharing log, the intervention board after a second carer
is added, and the annual return dialog.
Run: .venv/bin/python scripts/shots_tables.py [prefix] (writes shots/tables-<name>.png)."""

import sys
from datetime import date

from shot_kit import Shots, demo_session, start

from aim3desk.domain.assessment import new_evidence
from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.intervention import TrackKind
from aim3desk.services.forms_loader import load_evidence_rules
from aim3desk.ui.annual_return_dialog import AnnualReturnDialog
from aim3desk.ui.assessment.domain_page import domain_nav_key
from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog

INVENTED_EVIDENCE = (
    (
        "Invented: the designated safeguarding lead reports two further incidents of "
        "sexualised comments to younger pupils on the school bus; both were reported by the "
        "driver the same day and the parents were told.",
        "education",
        "risk_factor",
        1,
    ),
    (
        "Invented: the football coach describes good teamwork and a trusted adult at the club.",
        "voluntary_community",
        "protective_factor",
        2,
    ),
    (
        "Invented: the police officer confirms no further reports since the safety plan began.",
        "police",
        "multi_agency",
        None,
    ),
)
PREFIX = sys.argv[1] if len(sys.argv) > 1 else "tables"
app, out, tmp = start()
session, cases = demo_session(tmp / "profile", 8, seed=0)  # what `aim3desk demo` adds
shots = Shots(app, out)
wait = shots.wait
window = shots.main_window(session)


def save(widget, name: str) -> None:
    shots.save(widget, f"{PREFIX}-{name}.png")


def open_case(case_id: str):
    window.open_case(case_id)
    wait(lambda: window.case_view is not None and window.tools.forms_ready())
    workspace = window.case_view.workspace
    wait(lambda: workspace.page("unknowns") is not None)
    return workspace


# A case in assessment with open unknowns and evidence in a domain.
in_assessment = [
    c
    for c in cases
    if c.status is CaseStatus.IN_ASSESSMENT
    and session.assessments.load(c.assessments[-1].id).unknowns
]
case = in_assessment[0]
content = session.assessments.load(case.assessments[-1].id)
domain_id = max({e.domain_id for e in content.evidence}, key=lambda d: len(content.evidence_for(d)))
rules = load_evidence_rules()
for text, source, category, slot in INVENTED_EVIDENCE:
    entry = new_evidence(
        rules,
        text=text,
        source=source,
        category=category,
        when=date.today(),
        domain_id=domain_id,
        factor_slot=slot,
    )
    session.assessments.save_item(case.assessments[-1].id, entry)
workspace = open_case(case.id)
workspace.go_to("unknowns")
unknowns = workspace.page("unknowns")
unknowns.show_answered.setChecked(True)
save(window, "unknowns")

# Other item tables with the same cell padding: the chronology and the safety plan's actions.
for key in ("chronology", "safety_plan"):
    workspace.go_to(key)
    wait()
    save(window, key.replace("_", "-"))

domain_key = domain_nav_key(domain_id)
workspace.go_to(domain_key)
page = workspace.page(domain_key)
wait()
page.scroll.verticalScrollBar().setValue(page.scroll.verticalScrollBar().maximum())
save(window, "evidence-list")

dialog = EvidenceDialog(rules, page.domain, parent=window)
dialog.text_edit.setPlainText("Invented: the school reports two further incidents on the bus.")
for combo, value in ((dialog.source_combo, "education"), (dialog.category_combo, "risk_factor")):
    combo.setCurrentIndex(combo.findData(value))
dialog.show()
save(dialog, "evidence-hint")
dialog.reject()

# The sharing log, with a decision whose "what" is long.
session.sharing.record_decision(
    case.id,
    "police",
    "DS Alex Example, Public Protection Unit, Police",
    "Police are investigating the bus incidents; the safety plan needs to be coordinated.",
    "public-task",
    True,
    what="Share report for police: what this is about, the assessment profile, strengths, "
    "information from the assessment, chronology, what is not yet known, safety plan, "
    "intervention plan summary; 4 evidence entries included, 2 left out.",
)
window.tools.sharing_log_action.trigger()
log_window = window.tools.windows[-1]
wait(lambda: log_window.content.decisions)
save(log_window, "sharing-log")
log_window.done(0)

# The intervention board of a case in intervention, after a second carer is added.
in_intervention = [c for c in cases if c.status is CaseStatus.IN_INTERVENTION]
open_case(in_intervention[0].id)
window.tools.plan_action.trigger()
plan_window = window.tools.windows[-1]
board = plan_window.content
wait(lambda: board.stages.cards)
tracks = len(board.plan.tracks)
board.stages.add_track(TrackKind.PARENT_CARER, "Daniel Invented-Carer (father)")
wait(lambda: len(board.plan.tracks) > tracks)
save(plan_window, "intervention-board")
plan_window.done(0)

window.tools.annual_return_action.trigger()
annual = window.findChildren(AnnualReturnDialog)[-1]
wait(lambda: annual.result_shown is not None)
save(annual, "annual-return")
annual.reject()

window.tools.case_closing()
shots.finish(session)
