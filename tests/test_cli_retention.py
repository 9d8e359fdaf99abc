"""`aim3desk retention` and `aim3desk hold` on a real profile under a machine policy that
sets and locks a short retention rule: the due list as a table and as JSON, a keep
decision taking the case off it, and a hold set and lifted with reasons."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bundle_people import PASSPHRASE, new_person
from cli_kit import run
from retention_cases import add_case, closed_case

POLICY = """
locked = ["retention_years_after_closure", "retention_until_age"]

[settings]
retention_years_after_closure = 6
retention_until_age = 18
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("AIM3DESK_PROFILE", raising=False)
    session = new_person(tmp_path, "Alex Inventedworker")
    closed_case(session, "RET-CLI-OLD")
    closed_case(session, "RET-CLI-NEW", closed_on=date.today())
    add_case(session, "RET-CLI-OPEN")
    session.close()
    return session.profile_dir


def test_retention_list_and_decisions(capsys, folder: Path) -> None:
    code, out, err = run(capsys, folder, "retention", "list")
    assert code == 0 and "Note:" not in err, err
    assert "6 years after closure" in err and "18th birthday" in err
    assert "RET-CLI-OLD" in out and "2021-05-01" in out and "RET-CLI-NEW" not in out

    code, out, err = run(capsys, folder, "retention", "list", "--json")
    [row] = json.loads(out)
    assert row["reference"] == "RET-CLI-OLD" and row["due"] is True
    assert row["closed_on"] == "2015-05-01" and row["retain_until"] == "2021-05-01"
    assert row["status"] == "closed" and row["on_hold"] is False
    assert row["latest_decision"] is None and len(row["case_id"]) == 32

    code, out, _err = run(capsys, folder, "retention", "list", "--all", "--json")
    assert [r["reference"] for r in json.loads(out)] == ["RET-CLI-OLD", "RET-CLI-NEW"]

    code, _out, err = run(
        capsys, folder, "retention", "decide", "RET-CLI-NEW", "--decision", "keep",
        "--reason", "Linked proceedings still open", "--authorised-by", "Mo Manager",
        "--keep-until", "2040-01-01",
    )  # fmt: skip
    assert code == 1 and "not yet due: kept until" in err
    code, out, err = run(
        capsys, folder, "retention", "decide", "rEt-cli-old", "--decision", "keep",
        "--reason", "Linked proceedings still open", "--authorised-by", "Mo Manager",
        "--keep-until", "2040-01-01",
    )  # fmt: skip
    assert code == 0, err
    assert "kept until 01 Jan 2040" in err and len(out.strip()) == 32
    code, out, _err = run(capsys, folder, "retention", "list")
    assert "No case is due" in out
    code, out, _err = run(capsys, folder, "retention", "list", "--all", "--json")
    kept = next(r for r in json.loads(out) if r["reference"] == "RET-CLI-OLD")
    assert kept["retain_until"] == "2040-01-01" and kept["latest_decision"]["decision"] == "keep"
    assert kept["latest_decision"]["authorised_by"] == "Mo Manager"


def test_hold_set_list_and_lift(capsys, folder: Path) -> None:
    code, _out, err = run(capsys, folder, "hold", "set", "RET-CLI-OLD", "--reason", "x")
    assert code == 1 and "Reason for the legal hold" in err
    code, out, err = run(
        capsys, folder, "hold", "set", "RET-CLI-OLD", "--reason", "Subject access dispute"
    )
    assert code == 0 and "on legal hold" in err
    hold_id = out.strip()
    code, _out, err = run(
        capsys, folder, "hold", "set", "RET-CLI-OLD", "--reason", "Subject access dispute"
    )
    assert code == 1 and "already on legal hold" in err
    code, out, _err = run(capsys, folder, "retention", "list")
    assert "No case is due" in out
    code, out, _err = run(
        capsys, folder, "retention", "decide", "RET-CLI-OLD", "--decision", "delete",
        "--reason", "Past its retention date", "--authorised-by", "Mo Manager",
    )  # fmt: skip
    assert code == 1 and "cannot be deleted until the hold is lifted" in _err

    code, out, _err = run(capsys, folder, "hold", "list", "--json")
    [held] = json.loads(out)
    assert held["hold_id"] == hold_id and held["reason"] == "Subject access dispute"

    code, _out, err = run(
        capsys, folder, "hold", "lift", "RET-CLI-OLD", "--reason", "The dispute was resolved"
    )
    assert code == 0 and "lifted" in err
    code, out, _err = run(capsys, folder, "hold", "list")
    assert "No case is on legal hold" in out
    code, out, _err = run(capsys, folder, "hold", "list", "RET-CLI-OLD")
    assert "lifted" in out and "The dispute was resolved" in out and "Subject access dispute" in out
    code, _out, err = run(
        capsys, folder, "hold", "lift", "RET-CLI-OLD", "--reason", "Lifted a second time"
    )
    assert code == 1 and "not on legal hold" in err


def test_a_decision_to_delete_from_the_command_line(capsys, folder: Path) -> None:
    code, out, err = run(
        capsys, folder, "retention", "decide", "RET-CLI-OLD", "--decision", "delete",
        "--reason", "Past its retention date", "--authorised-by", "Mo Manager",
    )  # fmt: skip
    assert code == 0, err
    assert "Case RET-CLI-OLD" in err and "deleted" in err and len(out.strip()) == 32
    code, out, _err = run(capsys, folder, "retention", "list", "--all", "--json")
    assert [r["reference"] for r in json.loads(out)] == ["RET-CLI-NEW"]
    code, _out, err = run(
        capsys, folder, "retention", "decide", "RET-CLI-NEW", "--decision", "delete",
        "--reason", "Not yet due though", "--authorised-by", "Mo Manager",
    )  # fmt: skip
    assert code == 1 and "not yet due" in err
