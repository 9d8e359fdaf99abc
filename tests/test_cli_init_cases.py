"""`init` without --name (asked at a terminal; help and refusal agree otherwise) and `cases`
printing the status and model words the app shows (JSON keeps the machine values)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from aim3desk.domain.cases import AssessmentModel, CaseStatus
from aim3desk.security.kdf import KdfParams
from aim3desk.services.profile import ProfileService
from cli_kit import run

PASSPHRASE = "quill lantern orchard seventeen ribbon"


class TerminalInput(io.StringIO):
    """What a person types at a terminal: lines of input, and isatty() says so."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _no_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)


def test_init_without_name_asks_for_it_at_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", TerminalInput("Ottoline Samplewright\n"))
    folder = tmp_path / "profile"
    code, out, err = run(capsys, folder, "init")
    assert code == 0, err
    assert "Created the profile for Ottoline Samplewright" in out
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        assert session.practitioner == "Ottoline Samplewright"


def test_init_without_name_and_terminal_says_what_help_says(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    folder = tmp_path / "profile"
    code, _out, err = run(capsys, folder, "init")
    assert code == 1
    assert "--name" in err and "only at a terminal" in err
    assert not ProfileService(folder).exists()
    code, help_text, _err = run(capsys, folder, "init", "--help")
    assert code == 0
    help_text = " ".join(help_text.split())
    assert "asked for when run at a terminal, needed when not" in help_text


def test_cases_prints_status_words_and_json_keeps_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "profile"
    ProfileService(folder).create(PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1))[
        0
    ].close()
    code, _out, err = run(capsys, folder, "demo", "--count", "8")
    assert code == 0, err
    code, out, _err = run(capsys, folder, "cases", "--json")
    rows = json.loads(out)
    statuses = {CaseStatus(r["status"]) for r in rows}
    assert len(statuses) >= 3
    code, table, _err = run(capsys, folder, "cases")
    assert code == 0
    for status in statuses:
        assert status.label in table
    assert AssessmentModel.AIM3.label in table
    assert not any(code.value in table for code in CaseStatus if "_" in code.value)
    assert AssessmentModel.AIM_U12.value not in table
