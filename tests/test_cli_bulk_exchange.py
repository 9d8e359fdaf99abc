"""Many cases in one command: `export --all/--out-dir` and `import FOLDER`, each in one unlock,
against real profiles (real crypto, real SQLCipher files in tmp_path) with invented demo
cases."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Case
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import CaseNotFound
from aim3desk.services.profile import ProfileService

PASSPHRASE = "quill lantern orchard seventeen ribbon"
FILE_PASSPHRASE = "copper meadow lantern ninety harbour"
FAST_KDF = KdfParams(8192, 1, 1)
TODAY = date(2026, 11, 24)


def make_profile(folder: Path, name: str, demo_cases: int = 0) -> Path:
    session, _recovery = ProfileService(folder).create(PASSPHRASE, name, kdf=FAST_KDF)
    try:
        add_demo_cases(session, count=demo_cases, seed=3, today=TODAY)
    finally:
        session.close()
    return folder


def run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--profile", str(folder), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def everything(folder: Path) -> dict[str, tuple[Case, tuple, object, object]]:
    """Each case by reference with its assessments, their content and its records as an
    export carries them (a supervision session's well-being responses never leave)."""
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        held = {}
        for summary in session.cases.list_cases():
            case = session.cases.find_case(summary.reference)
            contents = tuple(session.assessments.load(a.id) for a in case.assessments)
            held[case.reference] = (
                case,
                case.assessments,
                contents,
                exported_records(session.case_records.load(case.id)),
            )
        return held


def exported_records(records: CaseRecords) -> CaseRecords:
    sessions = tuple(replace(s, wellbeing=()) for s in records.sessions)
    return replace(records, sessions=sessions)


def audit_actions(folder: Path) -> list[str]:
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        return [entry.action for entry in session.audit.entries()]


def export_plain(
    capsys: pytest.CaptureFixture[str], source: Path, out: Path, *cases: str
) -> tuple[int, str, str]:
    """`export CASE... --out-dir OUT --plaintext` run on the profile `source`."""
    return run(capsys, source, "export", *cases, "--out-dir", str(out), "--plaintext")


def exported_demo_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int) -> Path:
    """`count` demo cases exported as plain JSON into one folder by `export --all`."""
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=count)
    out = tmp_path / "exports"
    assert export_plain(capsys, source, out, "--all")[0] == 0
    return out


def edit_file(path: Path, edit: Callable[[dict], None]) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return document


@pytest.fixture(autouse=True)
def _passphrase_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("AIM3DESK_EXPORT_PASSPHRASE", FILE_PASSPHRASE)


def test_bulk_export_then_bulk_import_round_trips_every_case_in_one_unlock_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=5)
    unlocks_before = audit_actions(source).count("profile.unlock")
    out = tmp_path / "exports"
    code, stdout, err = export_plain(capsys, source, out, "--all")
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"DEMO-000{n}-case.json" for n in range(1, 6)]  # no temp file left
    assert all(p.stat().st_mode & 0o077 == 0 for p in out.iterdir())
    assert stdout.count("Exported case DEMO-") == 5
    assert "Exported 5 of 5 case(s); 0 could not be exported." in stdout
    assert err.count("NOT encrypted") == 1  # the warning once, not once a case
    actions = audit_actions(source)
    assert actions.count("case.export") == 5
    assert actions.count("profile.unlock") == unlocks_before + 2  # the export, this look

    target = make_profile(tmp_path / "target", "Benedikt Trialworth")
    code, stdout, err = run(capsys, target, "import", str(out))
    assert code == 0, err
    assert stdout.count("Imported case DEMO-") == 5
    assert "Imported 5 of 5 file(s); 0 not imported." in stdout
    actions = audit_actions(target)
    assert actions.count("case.import") == 5
    assert actions.count("profile.unlock") == 2  # the import, this look
    assert everything(target) == everything(source)


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported_demo_files(tmp_path, capsys, 3)
    broken = out / "DEMO-0002-case.json"
    edit_file(broken, lambda d: d["case"].update(date_of_birth="2015-13-40"))
    (out / "notes.txt").write_text("not a case file, and not offered for import")

    target = make_profile(tmp_path / "target", "Benedikt Trialworth")
    code, stdout, err = run(capsys, target, "import", str(out))
    assert code == 1
    assert f"{broken}: The file cannot be imported: $.case.date_of_birth: '2015-13-40'" in err
    assert "notes.txt" not in stdout + err
    assert "Imported 2 of 3 file(s); 1 not imported." in stdout
    assert sorted(everything(target)) == ["DEMO-0001", "DEMO-0003"]


def test_a_failing_case_leaves_earlier_ones_imported_and_itself_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = exported_demo_files(tmp_path, capsys, 3)
    # The second file's assessment carries the first case's assessment id: the clash shows
    # only when its rows are written, inside that case's own transaction.
    first = json.loads((out / "DEMO-0001-case.json").read_text(encoding="utf-8"))
    held_id = first["case"]["assessments"][0]["id"]
    clash = out / "DEMO-0002-case.json"
    document = edit_file(clash, lambda d: d["case"]["assessments"][0].update(id=held_id))

    target = make_profile(tmp_path / "target", "Benedikt Trialworth")
    code, stdout, err = run(capsys, target, "import", str(out))
    assert code == 1
    assert f"{clash}: An assessment in this file is already in this profile" in err
    assert "Imported 2 of 3 file(s)" in stdout
    assert sorted(everything(target)) == ["DEMO-0001", "DEMO-0003"]
    with ProfileService(target).unlock(PASSPHRASE) as session, pytest.raises(CaseNotFound):
        session.cases.find_case(document["case"]["id"])


def test_a_pattern_the_shell_left_alone_is_expanded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=3)
    out = tmp_path / "exports"
    code, _out, err = export_plain(capsys, source, out, "DEMO-0001", "demo-0003")
    assert code == 0, err
    target = make_profile(tmp_path / "target", "Benedikt Trialworth")
    code, stdout, err = run(capsys, target, "import", str(out / "DEMO-*-case.json"))
    assert code == 0, err
    assert "Imported 2 of 2 file(s)" in stdout
    code, _out, err = run(capsys, target, "import", str(out / "NOTHING-*.json"))
    assert code == 1
    assert "cannot be read" in err


def test_bulk_export_tells_each_case_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=2)
    out = tmp_path / "exports"
    code, stdout, err = export_plain(capsys, source, out, "DEMO-0001", "NO-SUCH-CASE", "DEMO-0002")
    assert code == 1
    assert "NO-SUCH-CASE: No case with the reference or id 'NO-SUCH-CASE'" in err
    assert "Exported 2 of 3 case(s); 1 could not be exported." in stdout
    earlier = (out / "DEMO-0001-case.json").read_bytes()

    code, stdout, err = export_plain(capsys, source, out, "DEMO-0001")
    assert code == 1
    assert "DEMO-0001-case.json is already in" in err
    assert "was not exported there" in err
    assert (out / "DEMO-0001-case.json").read_bytes() == earlier
    assert sorted(p.name for p in out.iterdir()) == ["DEMO-0001-case.json", "DEMO-0002-case.json"]


def test_bulk_export_arguments_are_checked_before_unlocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=2)
    out = str(tmp_path / "x")
    for args, words in [
        (("DEMO-0001", "DEMO-0002", "--out", out), "use --out-dir FOLDER"),
        (("--all", "--out", out), "use --out-dir FOLDER"),
        (("--out-dir", out), "Name the case(s) to export, or use --all"),
        (("DEMO-0001", "--all", "--out-dir", out), "Name the case(s) to export, or use --all"),
        (("DEMO-0001",), "--out FILE for one case, --out-dir FOLDER"),
    ]:
        code, _out, err = run(capsys, source, "export", *args, "--plaintext")
        assert code == 1
        assert words in err
    assert not Path(out).exists()


def test_passphrase_protected_bulk_export_imports_with_the_passphrase_asked_for_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_profile(tmp_path / "source", "Ottoline Samplewright", demo_cases=2)
    out = tmp_path / "exports"
    code, stdout, err = run(capsys, source, "export", "--all", "--out-dir", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["DEMO-0001-case.age", "DEMO-0002-case.age"]
    assert stdout.count("protected by a passphrase") == 2
    assert all(not p.read_bytes().lstrip().startswith(b"{") for p in out.iterdir())

    target = make_profile(tmp_path / "target", "Benedikt Trialworth")
    code, stdout, err = run(capsys, target, "import", str(out))
    assert code == 0, err
    assert "Imported 2 of 2 file(s)" in stdout
    assert everything(target) == everything(source)
