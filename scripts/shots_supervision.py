"""Screenshots of issue 4 with invented demo data, 1280x800: the supervision notes pane docked
beside the assessment profile, the intervention plan board, the deadlines dashboard.
Run: .venv/bin/python scripts/shots_supervision.py (writes shots/)."""

from PySide6.QtCore import Qt
from shot_kit import Shots, demo_session, start

from aim3desk.domain.cases import CaseStatus

app, out, tmp = start()
session, cases = demo_session(tmp / "profile")
shots = Shots(app, out)
wait, save = shots.wait, shots.save
window = shots.main_window(session, (1280, 800))

# The dashboard (Ctrl+D).
window.tools.deadlines_action.trigger()
wait(lambda: window.tools.dashboard.table.rowCount() > 0)
save(window, "deadlines_dashboard.png")

# The supervision pane beside the assessment's profile page.
in_assessment = [
    c for c in cases if c.status is CaseStatus.IN_ASSESSMENT and session.supervision.sessions(c.id)
]
case = in_assessment[0]
window.open_case(case.id)
wait(lambda: window.case_view is not None and window.tools.pane.sessions)
workspace = getattr(window.case_view, "workspace", None)
if workspace is not None:
    wait(lambda: workspace.page("profile") is not None)
    workspace.go_to("profile")
pane = window.tools.pane
pane.editor.wellbeing_edits["resilience"].setPlainText(
    "Invented: walking the dog, time with friends."
)
pane.editor.notes_edit.setPlainText(
    "Invented: reflected on the scoring of the developmental domain; two unknowns agreed."
)
window.resizeDocks([pane], [440], Qt.Orientation.Horizontal)
pane.flush()
wait(lambda: pane.state_label.text() == "Saved")
save(window, "supervision_pane_beside_profile.png")
pane.scroll.ensureWidgetVisible(pane.editor.wellbeing_box, 0, 0)
pane.scroll.verticalScrollBar().setValue(pane.editor.wellbeing_box.y())
save(window, "supervision_pane_wellbeing.png")

# The intervention board of a case in intervention, tracks at different stages.
in_intervention = [
    c
    for c in cases
    if c.status is CaseStatus.IN_INTERVENTION
    and len({t.stage for t in session.intervention.plan(c.id).tracks}) > 1
]
window.open_case(in_intervention[0].id)
wait(lambda: window.case_view is not None and window.tools.case.id == in_intervention[0].id)
window.tools.plan_action.trigger()
plan_window = window.tools.windows[-1]
plan_window.resize(1280, 800)
board = plan_window.content
wait(lambda: board.stages.cards)
save(plan_window, "intervention_board.png")
board.tabs.setCurrentIndex(3)
board.ending.draft()
wait()
save(plan_window, "intervention_ending.png")
window.tools.case_closing()
shots.finish(session)
