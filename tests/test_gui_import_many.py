"""File > Import with many case files chosen at once: one run on the store worker, each
file's row filled in as it is done, a bad file told while the rest import; over real
encrypted profiles, offscreen."""

from __future__ import annotations

from pathlib import Path

from aim3desk.services.demo import add_demo_cases
from aim3desk.ui.import_dialog import ImportDialog
from aim3desk.ui.operations import bundles as ops
from bundle_people import new_person

WAIT_MS = 30_000


def test_many_case_files_import_in_one_run_with_a_row_done_at_a_time(
    qtbot, runner, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    author = new_person(tmp_path, "Alex Inventedworker")
    reader = new_person(tmp_path, "Robin Fictionalcolleague")
    try:
        out = tmp_path / "exports"
        out.mkdir()
        cases = add_demo_cases(author, count=5, seed=3)
        paths = [author.exchange.export_case_into(c.id, out)[1] for c in cases]
        broken = out / "broken-case.json"
        broken.write_text('{"format": "aim3desk-case-export"', encoding="utf-8")
        paths.insert(2, broken)

        dialog = ImportDialog(reader, runner, paths)
        qtbot.addWidget(dialog)
        done_one_by_one: list[tuple[Path, str]] = []
        dialog.file_done.connect(
            lambda outcome: done_one_by_one.append(
                (outcome.path, dialog.table.item(paths.index(outcome.path), 1).text())
            )
        )
        with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as ran:
            dialog.show()

        assert len(ran.args[0]) == len(paths)  # one run for every file
        assert [path for path, _shown in done_one_by_one] == paths  # told as each was done
        assert [shown for _path, shown in done_one_by_one] == [
            "Imported",
            "Imported",
            "Not imported",
            "Imported",
            "Imported",
            "Imported",
        ]
        assert dialog.outcomes[broken].status == ops.NOT_IMPORTED
        assert "not valid JSON" in dialog.table.item(2, 2).text()
        assert dialog.summary_label.text().startswith("5 imported, 1 not imported.")
        assert runner.wait_for_idle(WAIT_MS)
        held = {s.reference for s in reader.cases.list_cases()}
        assert held == {c.reference for c in cases}
        dialog.reject()
    finally:
        runner.shutdown()
        author.close()
        reader.close()
