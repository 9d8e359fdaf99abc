"""The reports of issue 12 with invented demo data: the report dialog at 1366x768 offering the
supervision record, and every kind of report written as a PDF for a case in intervention and a
finished one (full, a share report, young person's, ending, supervision record) to look at
page by page (for example with pdftoppm -png -r 70).
Run: .venv/bin/python scripts/shots_reports.py (writes shots/ and shots/reports/)."""

from shot_kit import Shots, demo_session, start

from aim3desk.domain.cases import CaseStatus
from aim3desk.services.reports import ShareAnswers, default_filename
from aim3desk.ui.report_dialog import ReportDialog

app, out, tmp = start()
PDFS = out / "reports"
PDFS.mkdir(exist_ok=True)
session, cases = demo_session(tmp / "profile")
shots = Shots(app, out)
runner = shots.runner

in_intervention = next(c for c in cases if c.status is CaseStatus.IN_INTERVENTION)
dialog = ReportDialog(session, in_intervention, runner)
dialog.resize(760, 420)
dialog.set_kind("supervision-record")
dialog.show()
shots.wait()
shots.save(dialog, "report_dialog_supervision_record.png")
dialog.close()

answers = ShareAnswers(
    "Invented officer, public protection unit",
    "Invented: joint safety planning for the strategy meeting",
    "public-task",
    override_reason="Invented: needed for the strategy meeting today",
)
finished = [c for c in cases if c.status in (CaseStatus.COMPLETED, CaseStatus.IN_INTERVENTION)]
for case in finished[:2]:
    for kind in ("full", "police", "young-person", "ending", "supervision-record"):
        name = default_filename(case, kind, session.cases.sign_off(case))
        given = answers if kind == "police" else None
        done = session.reports.produce(case.id, kind, PDFS / name, given, replace=True)
        print("wrote", done.path.name)

shots.finish(session)
