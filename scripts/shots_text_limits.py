"""Screenshots of issue 15's text limits with invented demo data, 1366x768: the supervision
notes near their limit (the note of the room left), then after a paste that would not fit.
Run: .venv/bin/python scripts/shots_text_limits.py (writes shots/)."""

from PySide6.QtCore import QMimeData
from shot_kit import Shots, demo_session, start

from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.limits import MAX_TEXT_CHARS

PARAGRAPH = (
    "Invented: we went through the developmental domain again and agreed the school records "
    "are still the gap. The practitioner reflected on how the visits have gone so far. "
) * 4

app, out, tmp = start()
session, cases = demo_session(tmp / "profile")
shots = Shots(app, out)
wait, save = shots.wait, shots.save
window = shots.main_window(session)

case = next(
    c for c in cases if c.status is CaseStatus.IN_ASSESSMENT and session.supervision.sessions(c.id)
)
window.open_case(case.id)
wait(lambda: window.case_view is not None and window.tools.pane.sessions)
pane = window.tools.pane
notes = pane.editor.notes_edit
paragraphs = (PARAGRAPH.strip() + "\n\n") * (MAX_TEXT_CHARS // len(PARAGRAPH) + 1)
text = paragraphs[: MAX_TEXT_CHARS - 420]
notes.setPlainText(text.rstrip() + " ")
notes.setFocus()
notes.moveCursor(notes.textCursor().MoveOperation.End)
notes.ensureCursorVisible()
wait()
save(window, "text_limit_near.png")
pasted = QMimeData()
pasted.setText(PARAGRAPH * 2)
notes.insertFromMimeData(pasted)
wait()
save(window, "text_limit_paste_refused.png")
window.tools.case_closing()
shots.finish(session)
