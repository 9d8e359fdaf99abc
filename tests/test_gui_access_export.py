"""Case > Records held (subject access)...: the menu item opens the dialog for the open case,
which writes the PDF off the UI thread and says where, and the export is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.reports import AUDIT_ACCESS_EXPORT
from aim3desk.ui.access_export_dialog import AccessExportDialog
from aim3desk.ui.main_window import MainWindow
from bundle_people import new_person
from signed_off import new_case

pytestmark = pytest.mark.gui

WAIT_MS = 30_000


def test_case_menu_writes_the_records_held(qtbot, runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    alex = new_person(tmp_path, "Alex Inventedworker")
    try:
        case = new_case(alex, "SAR-0100")
        window = MainWindow(runner)
        qtbot.addWidget(window)
        window.attach(alex, load_form_set())
        window.show()
        tools = window.tools
        assert not tools.access_action.isEnabled()  # no case open
        assert tools.access_action in tools.case_menu.actions()
        window.open_case(case.id)
        qtbot.waitUntil(lambda: tools.access_action.isEnabled(), timeout=WAIT_MS)
        tools.access_action.trigger()
        dialog = next(w for w in window.findChildren(AccessExportDialog))
        assert dialog.path.path().name == "SAR-0100-records-held.pdf"
        dialog.path.set_path(tmp_path / "missing" / "x.pdf")
        dialog.create_button.click()
        assert "does not exist" in dialog.error_label.text()
        out = tmp_path / "records.pdf"
        dialog.path.set_path(out)
        dialog.create_button.click()
        assert not dialog.create_button.isEnabled()  # working: the busy indicator shows
        qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT_MS)
        assert "Written to" in dialog.done_label.text() and dialog.close_button.text() == "Close"
        assert "Records held" in PdfReader(out).pages[0].extract_text()
        entries = alex.audit.entries()
        assert [e.target for e in entries if e.action == AUDIT_ACCESS_EXPORT] == ["SAR-0100"]
        dialog.close_button.click()
        window.detach()  # stops the window's timers (sync) before the runner shuts down
    finally:
        runner.shutdown()  # every pending task delivered before the profile closes
        alex.close()
