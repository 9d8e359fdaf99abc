"""Screenshots of issue 15's text limits with invented demo data, 1366x768: the supervision
notes near their limit (the note of the room left), then after a paste that would not fit;
a bundle's note at the manifest's limit, and a review comment near the long text limit.
Run: .venv/bin/python scripts/shots_text_limits.py (writes shots/)."""

from PySide6.QtCore import QMimeData
from shot_kit import Shots, demo_session, person, start

from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.limits import MAX_NOTE_CHARS, MAX_TEXT_CHARS
from aim3desk.domain.review import Anchor, AnchorKind
from aim3desk.ui.bundle_dialogs import SendBundleDialog
from aim3desk.ui.review.comments import CommentDialog

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

colleague = person(tmp / "sam", "Sam Madeupsupervisor", role="supervisor")
card = colleague.identity.write_card(tmp / "sam.aim3card")
session.identity.confirm(session.identity.add_card_file(card).contact.fingerprint)
colleague.close()
bundle = SendBundleDialog(session, case, shots.runner)
bundle.note_edit.setPlainText(paragraphs[: MAX_NOTE_CHARS - 2].rstrip())
bundle.show()
bundle.note_edit.setFocus()
bundle.note_edit.moveCursor(bundle.note_edit.textCursor().MoveOperation.End)
wait()
save(bundle, "text_limit_bundle_note.png")
bundle.close()
general = Anchor(AnchorKind.GENERAL)
comment = CommentDialog([general], general, text[: MAX_TEXT_CHARS - 3_000])
comment.show()
comment.text_edit.moveCursor(comment.text_edit.textCursor().MoveOperation.End)
wait()
save(comment, "text_limit_review_comment.png")
comment.close()
shots.finish(session)
