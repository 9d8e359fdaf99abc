"""The reports of issue 12 with invented demo data: the report dialog at 1366x768 offering the
supervision record, and every kind of report written as a PDF for a case in intervention and a
finished one (full, a share report, young person's, ending, supervision record) to look at
page by page (for example with pdftoppm -png -r 70).
Run: .venv/bin/python scripts/shots_reports.py (writes shots/ and shots/reports/)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "shots"
PDFS = OUT / "reports"
PDFS.mkdir(parents=True, exist_ok=True)
tmp = Path(tempfile.mkdtemp())
os.environ["AIM3DESK_POLICY"] = str(tmp / "none.toml")

from shot_kit import Shots, demo_session  # noqa: E402

from aim3desk.app import create_application  # noqa: E402
from aim3desk.domain.cases import CaseStatus  # noqa: E402
from aim3desk.services.reports import ShareAnswers, default_filename  # noqa: E402
from aim3desk.ui.report_dialog import ReportDialog  # noqa: E402
from aim3desk.ui.tasks import TaskRunner  # noqa: E402

app = create_application(["shots"])
session, cases = demo_session(tmp / "profile")
runner = TaskRunner()
shots = Shots(app, runner, OUT)

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
        done = session.reports.produce(case.id, kind, PDFS / name, given)
        print("wrote", done.path.name)

runner.shutdown()
session.close()
