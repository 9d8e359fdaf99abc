"""Screenshots of searching what you wrote, with invented data, at 1366x768: the case list
with a word from the demo evidence typed into its search box (the matching cases and the page
of each match below the list), then the case opened at the page of the first match.
Run: .venv/bin/python scripts/shots_search.py (writes shots/)."""

import sys

from shot_kit import Shots, demo_session, start

WORD = sys.argv[1] if len(sys.argv) > 1 else "coach"  # a word of the demo evidence
app, out, tmp = start()
alex, _cases = demo_session(tmp / "alex", 12, seed=3)
shots = Shots(app, out)
window = shots.main_window(alex)
shots.wait(lambda: window.case_list.model.rowCount() > 0)
window.case_list.search_edit.setFocus()
window.case_list.search_edit.setText(WORD)
shots.wait(lambda: not window.case_list._content_timer.isActive())  # typing settles
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
shots.finish(alex)
