"""The `aim3desk` command, run in-process against real profiles (real crypto, real SQLCipher
files in tmp_path), plus a real subprocess for `--version` and `selftest`."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import tampering
from aim3desk import __version__, cli
from aim3desk.domain.assessment import EvidenceEntry
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.security.kdf import KdfParams
from aim3desk.services.profile import ProfileService

PASSPHRASE = "quill lantern orchard seventeen ribbon"
FAST_KDF = KdfParams(8192, 1, 1)
RECOVERY_KEY = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){8}\b")


def make_profile(folder: Path, name: str = "Ottoline Samplewright") -> Path:
    session, _recovery = ProfileService(folder).create(PASSPHRASE, name, kdf=FAST_KDF)
    session.close()
    return folder


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = make_profile(tmp_path / "profile")
    monkeypatch.setenv("AIM3DESK_PROFILE", str(folder))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def open_session(folder: Path):
    return ProfileService(folder).unlock(PASSPHRASE)


def invented_case(reference: str = "CLI-0001", **changes: object) -> Case:
    case = Case(
        id=new_id(),
        reference=reference,
        young_person_name="Fenwick Notaperson",
        date_of_birth=date(2011, 5, 17),
        lead_agency=LeadAgency.CHILDRENS_SOCIAL_CARE,
        lead_worker="Marisol Examplecroft",
        requested_by=Requester.REVIEWING_OFFICER,
        request_date=date(2024, 9, 2),
        co_workers=("Tobias Placeholm", "Ζωή Κυπαρισσάκη"),
        joint_with_social_worker=True,
        status=CaseStatus.IN_ASSESSMENT,
    )
    return replace(case, **changes)


# -- fast answers and usage -------------------------------------------------------------------


def test_version_in_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aim3desk", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"aim3desk {__version__}"


def test_version_and_help_import_no_heavy_module() -> None:
    """The command answers at once: Qt, SQLAlchemy, reportlab and the crypto wait for a
    command that needs them."""
    program = (
        "import contextlib, io, json, sys\n"
        "from aim3desk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['--version']), main(['--help']), main(['report', '--help'])]\n"
        "print(json.dumps({'codes': codes, 'modules': sorted(sys.modules)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["codes"] == [0, 0, 0]
    heavy = ("PySide6", "sqlalchemy", "sqlcipher3", "reportlab", "jsonschema_rs", "cryptography")
    loaded = [name for name in answer["modules"] if name.split(".")[0] in heavy]
    assert not loaded


def test_selftest_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AIM3DESK_POLICY": str(tmp_path / "none")}
    result = subprocess.run(
        [sys.executable, "-m", "aim3desk", "selftest", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert report["ok"] is True
    assert report["version"] == __version__
    names = {c["name"] for c in report["checks"]}
    assert {"qt", "crypto", "store", "forms", "fonts", "policy"} <= names
    assert all(c["ok"] for c in report["checks"])


def test_selftest_lines_and_a_failing_policy(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad_policy = tmp_path / "policy.toml"
    bad_policy.write_text("[settings\nbroken", encoding="utf-8")
    monkeypatch.setenv("AIM3DESK_POLICY", str(bad_policy))
    code, out, _err = run(capsys, "selftest")
    assert code == 1
    assert re.search(r"^PASS  crypto: ", out, re.MULTILINE)
    assert re.search(r"^FAIL  policy: .*could not be read", out, re.MULTILINE)


def tamper_with_audit_entry(folder: Path, seq: int) -> None:
    with open_session(folder) as session:
        tampering.tamper_with_audit_entry(session, seq)


def test_selftest_audit_passes_then_reports_a_tampered_trail(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(profile.parent / "no-policy.toml"))
    assert run(capsys, "demo", "--count", "2")[0] == 0
    code, out, _err = run(capsys, "selftest", "--audit")
    assert code == 0, out
    assert re.search(
        r"^PASS  audit: The audit trail is intact \(\d+ entries\) and matches its signed head\.$",
        out,
        re.M,
    )

    tamper_with_audit_entry(profile, seq=2)
    code, out, _err = run(capsys, "selftest", "--audit")
    assert code == 1
    assert re.search(r"^FAIL  audit: Audit entry 2 has been altered\.$", out, re.MULTILINE)
    assert re.search(r"^PASS  store: ", out, re.MULTILINE)  # the other checks still ran
    assert out.rstrip().endswith("Some checks FAILED.")
    code, out, _err = run(capsys, "selftest", "--audit", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert {"name": "audit", "ok": False, "detail": "Audit entry 2 has been altered."} in report[
        "checks"
    ]


def test_selftest_audit_with_a_wrong_passphrase_fails_that_check_only(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(profile.parent / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", "not the passphrase")
    code, out, _err = run(capsys, "selftest", "--audit")
    assert code == 1
    assert re.search(r"^FAIL  audit: The passphrase is not right\.", out, re.MULTILINE)
    assert re.search(r"^PASS  crypto: ", out, re.MULTILINE)


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "frobnicate")
    assert code == 2
    assert "invalid choice" in err


def test_no_bare_passphrase_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = run(capsys, "--passphrase", "secret", "cases")
    assert code == 2


# -- init -------------------------------------------------------------------------------------


def test_init_prints_the_recovery_key_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "new-profile"
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "--profile",
        str(folder),
        "--passphrase-file",
        str(secret),
        "init",
        "--name",
        "Ottoline Samplewright",
    )
    assert code == 0, err
    keys = RECOVERY_KEY.findall(out + err)
    assert len(keys) == 1
    assert out.count(keys[0]) == 1
    assert "shown only this once" in out
    # The recovery key really opens the profile; the trailing newline was not part of the
    # passphrase.
    service = ProfileService(folder)
    session = service.unlock(PASSPHRASE)
    session.close()
    # A second init leaves the profile alone.
    code, _out, err = run(
        capsys, "--profile", str(folder), "--passphrase-file", str(secret), "init", "--name", "X"
    )
    assert code == 1
    assert "already exists" in err


def test_init_refuses_a_weak_passphrase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "weak"
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", "password1")
    code, out, err = run(capsys, "--profile", str(folder), "init", "--name", "Ottoline Sample")
    assert code == 1
    assert "too easy to guess" in err
    assert "Traceback" not in err
    assert not RECOVERY_KEY.search(out)
    assert not ProfileService(folder).exists()


def test_init_needs_a_name_without_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    code, _out, err = run(capsys, "--profile", str(tmp_path / "p"), "init")
    assert code == 1
    assert "--name" in err


def test_init_beside_a_store_without_its_key_leaves_it_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "half-profile"
    folder.mkdir()
    store = ProfileService(folder).store_path
    store.write_bytes(b"stand-in for an encrypted store")
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    code, out, err = run(capsys, "--profile", str(folder), "init", "--name", "Ottoline Sample")
    assert code == 1
    assert err.splitlines()[-1] == f"There is already a profile in {folder}; unlock it instead."
    assert store.read_bytes() == b"stand-in for an encrypted store"
    assert not RECOVERY_KEY.search(out)


def test_error_table_names_only_real_error_classes() -> None:
    """A misspelt class would be skipped silently and its error reported as internal."""
    import importlib

    from aim3desk.cli.errors import ERRORS_OF_LAZY_MODULES

    for module_name, class_names in ERRORS_OF_LAZY_MODULES.items():
        module = importlib.import_module(module_name)
        for name in class_names:
            assert issubclass(getattr(module, name), Exception), f"{module_name}.{name}"


# -- opening a profile ------------------------------------------------------------------------


def test_wrong_passphrase_is_one_sentence(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", "not the right passphrase at all")
    code, out, err = run(capsys, "cases")
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "passphrase is not right" in err


def test_missing_profile(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "nothing-here"
    code, _out, err = run(capsys, "--profile", str(folder), "cases")
    assert code == 1
    assert err.strip() == f"No profile at {folder}. Run 'aim3desk init' first."
    assert not folder.exists()


def test_no_passphrase_and_no_terminal(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIM3DESK_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = run(capsys, "cases")
    assert code == 1
    assert "--passphrase-file" in err


def test_passphrase_from_standard_input(
    profile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIM3DESK_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    code, out, _err = run(capsys, "--passphrase-file", "-", "cases", "--json")
    assert code == 0
    assert json.loads(out) == []


# -- demo and cases ---------------------------------------------------------------------------


def test_demo_then_cases_json(profile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--count", "16")
    assert code == 0, err
    assert "DEMO-0001 to DEMO-0016" in out
    code, out, _err = run(capsys, "cases", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["reference"] for r in rows] == [f"DEMO-{n:04d}" for n in range(1, 17)]
    assert {r["model"] for r in rows} == {"aim3", "aim-u12"}
    assert len({r["status"] for r in rows}) >= 4
    assert any(r["overdue"] for r in rows)
    assert any(not r["overdue"] for r in rows)
    # Running demo again numbers on, never clashing.
    code, out, _err = run(capsys, "demo", "--count", "2")
    assert code == 0
    assert "DEMO-0017 to DEMO-0018" in out
    code, out, _err = run(capsys, "cases")
    assert "DEMO-0018" in out
    assert out.splitlines()[0].startswith("REFERENCE")


def test_demo_is_repeatable_with_a_seed(tmp_path: Path) -> None:
    from aim3desk.services.demo import add_demo_cases

    def names(folder: Path) -> list[tuple]:
        make_profile(folder)
        with open_session(folder) as session:
            added = add_demo_cases(session, count=6, seed=42, today=date(2025, 3, 1))
            return [
                (
                    c.reference,
                    c.young_person_name,
                    c.date_of_birth,
                    c.status,
                    c.current_assessment.model,
                    session.assessments.load(c.current_assessment.id),
                )
                for c in added
            ]

    first, second = names(tmp_path / "a"), names(tmp_path / "b")
    assert first == second
    for row in first:
        age = (date(2025, 3, 1) - row[2]).days / 365.25
        assert 7.9 < age < 18.1


# -- export and import ------------------------------------------------------------------------


def _add(folder: Path, case: Case) -> Case:
    with open_session(folder) as session:
        added = session.cases.add_case(case, model=AssessmentModel.AIM3)
        current = added.current_assessment
        for domain_id, text in (
            ("developmental", "Line one.\nLine two: <b> & é."),
            ("self_regulation", "Invented text " * 500),
        ):
            entry = EvidenceEntry(
                id=f"ev-{domain_id}",
                domain_id=domain_id,
                factor_slot=None,
                text=text,
                date=date(2024, 6, 1),
                source="practitioner_observation",
                category="background",
                sharing="practitioner_reflection",
            )
            session.assessments.save_item(current.id, entry)
        return session.cases.get_case(added.id)


def test_export_import_round_trip(
    profile: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = _add(profile, invented_case())
    with open_session(profile) as session:
        original_content = session.assessments.load(original.current_assessment.id)
    assert len(original_content.evidence) == 2
    out = tmp_path / "exports" / "CLI-0001.json"
    out.parent.mkdir()
    code, stdout, err = run(capsys, "export", "cli-0001", "--out", str(out), "--plaintext")
    assert code == 0, err
    assert "NOT encrypted" in err
    assert "CLI-0001" in stdout
    assert [p.name for p in out.parent.iterdir()] == ["CLI-0001.json"]  # no temp file left
    assert out.stat().st_mode & 0o077 == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "aim3desk-case-export"
    assert document["schema_version"] == 5

    # The same profile refuses it: the reference is taken.
    code, _stdout, err = run(capsys, "import", str(out))
    assert code == 1
    assert "already in this profile" in err

    other = make_profile(tmp_path / "other", name="Benedikt Trialworth")
    monkeypatch.setenv("AIM3DESK_PROFILE", str(other))
    code, stdout, err = run(capsys, "import", str(out))
    assert code == 0, err
    assert "Imported case CLI-0001 with 1 assessment(s)" in stdout
    with open_session(other) as session:
        imported = session.cases.find_case("CLI-0001")
        actions = [e.action for e in session.audit.entries()]
        imported_content = session.assessments.load(imported.current_assessment.id)
    assert imported == original  # every case field (assessments are compare=False)
    assert imported.assessments == original.assessments  # ids, versions, finished
    assert imported_content == original_content  # the evidence, every field
    assert "case.import" in actions
    with open_session(profile) as session:
        assert "case.export" in [e.action for e in session.audit.entries()]


def _tampered(tmp_path: Path, profile: Path, capsys: pytest.CaptureFixture[str], edit) -> str:
    _add(profile, invented_case())
    out = tmp_path / "case.json"
    assert run(capsys, "export", "CLI-0001", "--out", str(out), "--plaintext")[0] == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    edit(document)
    out.write_text(json.dumps(document), encoding="utf-8")
    with open_session(profile) as session:  # so that only the file can be refused
        assert session.cases.find_case("CLI-0001")
    other = make_profile(tmp_path / "b")
    code, _stdout, err = run(capsys, "--profile", str(other), "import", str(out))
    assert code == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    return err


def test_import_of_a_tampered_file_names_the_json_path(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(document: dict) -> None:
        document["case"]["date_of_birth"] = "2015-13-40"

    err = _tampered(tmp_path, profile, capsys, edit)
    assert "$.case.date_of_birth: '2015-13-40' is not a valid date" in err


def test_import_names_a_bad_nested_field(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(document: dict) -> None:
        document["case"]["assessments"][0]["model"] = "aim9"
        document["case"]["status"] = 7

    err = _tampered(tmp_path, profile, capsys, edit)
    assert "$.case.assessments[0].model: 'aim9' is not one of" in err
    assert "$.case.status:" in err


def test_import_refuses_a_newer_schema_version(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(document: dict) -> None:
        document["schema_version"] = 6

    err = _tampered(tmp_path, profile, capsys, edit)
    assert "schema version 6" in err
    assert "newer version of AIM3 Desk" in err


def test_import_of_something_else(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(junk))
    assert code == 1
    assert "not valid JSON" in err
    code, _out, err = run(capsys, "import", str(tmp_path / "missing.json"))
    assert code == 1
    assert "cannot be read" in err and "no such file" in err.lower()
    assert "Traceback" not in err


def test_export_errors_are_sentences(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(profile, invented_case())
    code, _out, err = run(
        capsys, "export", "NO-SUCH-CASE", "--out", str(tmp_path / "x.json"), "--plaintext"
    )
    assert code == 1
    assert "No case with the reference or id 'NO-SUCH-CASE'" in err
    target = tmp_path / "no-folder" / "x.json"
    code, _out, err = run(capsys, "export", "CLI-0001", "--out", str(target), "--plaintext")
    assert code == 1
    # The folder the user named, never the temporary file beside the target.
    assert err.strip() == (
        f"The folder {target.parent} does not exist; nothing was written. Create it or "
        "choose another folder."
    )


def test_report_command_writes_and_audits(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(profile, invented_case(assessments=(), reference="CLI-0002"))
    code, out, err = run(capsys, "report", "CLI-0002", "--out", str(tmp_path))
    assert code == 0, err
    written = tmp_path / "CLI-0002-assessment-v1-DRAFT.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert str(written) in out
    with open_session(profile) as session:
        assert "report.export" in [e.action for e in session.audit.entries()]


def test_assessment_fixture_has_one_assessment() -> None:
    case = invented_case()
    assessment = start_assessment(case)
    assert assessment.model is AssessmentModel.AIM3
