"""The supervision notes pane: a dock beside the open case, so notes can be taken while the
profile or any assessment page is in view.

Sessions of the case (a list) and the chosen one in an editor: date, supervisor, type, the
type's agenda as a checklist, notes, agreed actions (owner, due date, done), the staff
well-being prompts in their three groups and the risk-management key questions, each with a
response. Well-being responses are private to the practitioner and the supervisor. The
pane saves itself (debounced, as named operations) and shows when the next session is due.

`pane.py` is the dock that hosts the list and does the reading and saving;
`session_editor.py` is one session's form; `due_label.py` the next-due strip.
"""

from aim3desk.ui.supervision.pane import SupervisionPane
from aim3desk.ui.supervision.session_editor import PRIVATE_NOTE

__all__ = ["PRIVATE_NOTE", "SupervisionPane"]
