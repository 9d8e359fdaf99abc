"""Screenshots of searching what you wrote, with invented data, at 1366x768: the case list
with a word from the demo evidence typed into its search box (the matching cases and the page
of each match below the list), then the case opened at the page of the first match.
Run: .venv/bin/python scripts/shots_search.py (writes shots/)."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "shots"
OUT.mkdir(exist_ok=True)

from shot_kit import Shots  # noqa: E402

from aim3desk.app import create_application  # noqa: E402
from aim3desk.config import load_settings  # noqa: E402
from aim3desk.security.kdf import KdfParams  # noqa: E402
from aim3desk.services.demo import add_demo_cases  # noqa: E402
from aim3desk.services.forms_loader import load_form_set  # noqa: E402
from aim3desk.services.profile import ProfileService  # noqa: E402
from aim3desk.ui.main_window import MainWindow  # noqa: E402
from aim3desk.ui.tasks import TaskRunner  # noqa: E402

SIZE = (1366, 768)
WORD = sys.argv[1] if len(sys.argv) > 1 else "coach"  # a word of the demo evidence
PASSPHRASE = "ochre lantern tidal quibble meadow"  # noqa: S105 - an invented profile
app = create_application(["shots"])
folder = Path(tempfile.mkdtemp()) / "alex"
alex = ProfileService(folder, load_settings(folder), kdf=KdfParams(8192, 1, 1)).create(
    PASSPHRASE, "Alex Testworker"
)[0]
add_demo_cases(alex, 12, seed=3)
runner = TaskRunner()
shots = Shots(app, runner, OUT)

window = MainWindow(runner)
window.resize(*SIZE)
window.attach(alex, load_form_set())
window.show()
shots.wait(lambda: window.case_list.model.rowCount() > 0)
window.case_list.search_edit.setFocus()
window.case_list.search_edit.setText(WORD)
shots.wait(lambda: not window.case_list._search_timer.isActive())  # typing settles
found = window.case_list.found  # the matches in what was written
shots.wait(lambda: found.model.rowCount() > 0, timeout=10)
shots.save(window, "search-case-list.png")

found.table.setFocus()
found.table.setCurrentIndex(found.model.index(0, 0))
place = found.model.hit(0).place.key
found.open_current()


def shown() -> bool:
    view = window.case_view
    page = view.workspace.current_page() if view is not None else None
    return page is not None and page.nav_key == place


shots.wait(shown)
shots.save(window, "search-opened-at-page.png")
window.close()
alex.close()
