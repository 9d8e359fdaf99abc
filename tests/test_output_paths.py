"""Issue 15, output paths: a file the user names is never written into the profile folder,
over a device, pipe or folder, or over an existing file without --force; a missing folder is
named as the user gave it. Each seen reproduction runs through the real command line on a
real profile, and the profile is checked to open whole afterwards."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.atomic_file import TEMP_SUFFIX, write_bytes_atomically
from aim3desk.output_path import OutputExists, OutputRefused, check_output_file, write_output
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from bundle_people import FAST_KDF, PASSPHRASE

EXPORT_PASSPHRASE = "amber kettle northern willow ninety"
CASE = "DEMO-0002"


@pytest.fixture(scope="module")
def made_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs") / "profile"
    session, _recovery = ProfileService(folder, kdf=FAST_KDF).create(PASSPHRASE, "Ida Testmoor")
    try:
        add_demo_cases(session, count=3, seed=15)
    finally:
        session.close()
    return folder


@pytest.fixture
def profile(made_profile: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("AIM3DESK_PROFILE", str(made_profile))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("AIM3DESK_EXPORT_PASSPHRASE", EXPORT_PASSPHRASE)
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    return made_profile


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    return code, captured.out, captured.err


def fingerprints(folder: Path) -> dict[str, str]:
    """Every file in the profile folder and its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.name.endswith(("-wal", "-shm", ".log"))
        and p.name != "audit-head.json"
    }


def assert_profile_opens_whole(folder: Path) -> None:
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        session.check_integrity()
        assert {c.reference for c in session.cases.list_cases()} >= {CASE}


@pytest.mark.parametrize(
    "command",
    [
        ["report", CASE, "--out", "{p}/store.db"],
        ["report", CASE, "--out", "{p}/store.db", "--force"],
        ["report", CASE, "--out", "{p}"],  # the folder: a file named from the case inside it
        ["report", CASE, "--out", "{p}/backups/report.pdf"],
        ["export", CASE, "--out", "{p}/profile.key", "--force"],
        ["export", "--all", "--out-dir", "{p}/exports"],
        ["access-export", CASE, "--out", "{p}/logs/records.pdf"],
        ["annual-return", "--from", "2025-01-01", "--to", "2025-12-31", "--out", "{p}/a.csv"],
        ["identity", "card", "--out", "{p}/me.aim3card"],
        ["bundle", "export", CASE, "--to", "XXXX", "--out", "{p}"],
    ],
    ids=lambda c: " ".join(c[:1] + c[2:4] if c[0] != "annual-return" else c[:1]),
)
def test_nothing_is_written_into_the_profile_folder(
    profile: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    before = fingerprints(profile)
    code, _out, err = run(capsys, *(part.format(p=profile) for part in command))
    assert code == 1
    assert f"is inside the profile folder ({profile})" in err
    assert "Choose a place outside it." in err
    assert fingerprints(profile) == before
    assert not (profile / "exports").exists()
    assert_profile_opens_whole(profile)


def test_a_link_to_the_profile_folder_is_seen_through(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "innocent-looking"
    link.symlink_to(profile, target_is_directory=True)
    dotted = tmp_path / "elsewhere" / ".." / "innocent-looking" / "store.db"
    (tmp_path / "elsewhere").mkdir()
    for target in (link / "store.db", dotted):
        code, _out, err = run(capsys, "report", CASE, "--out", str(target), "--force")
        assert code == 1 and f"{target} is inside the profile folder" in err
    file_link = tmp_path / "report.pdf"
    file_link.symlink_to(profile / "store.db")
    code, _out, err = run(capsys, "report", CASE, "--out", str(file_link), "--force")
    assert code == 1 and "inside the profile folder" in err
    assert_profile_opens_whole(profile)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null on this system")
def test_a_device_or_a_pipe_is_never_replaced(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "export", CASE, "--out", "/dev/null", "--force")
    assert code == 1
    assert "/dev/null is not an ordinary file" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    code, _out, err = run(
        capsys, "annual-return", "--from", "2025-01-01", "--to", "2025-12-31",
        "--out", str(pipe), "--force",
    )  # fmt: skip
    assert code == 1 and f"{pipe} is not an ordinary file" in err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    with pytest.raises(OutputRefused, match="is a folder"):
        check_output_file(folder, None, replace=True)


def test_an_existing_file_is_replaced_only_with_force(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"last week's report")
    code, _out, err = run(capsys, "report", CASE, "--out", str(report))
    assert code == 1
    assert err.strip() == (
        f"{report} already exists and was left as it was. Give --force to replace it."
    )
    assert report.read_bytes() == b"last week's report"
    code, _out, err = run(capsys, "report", CASE, "--out", str(report), "--force")
    assert code == 0, err
    assert report.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    exported = tmp_path / "case.age"
    exported.write_bytes(b"keep me")
    code, _out, err = run(capsys, "export", CASE, "--out", str(exported))
    assert code == 1 and "Give --force to replace it." in err
    assert exported.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age", "report.pdf"]


def test_a_missing_folder_is_named_as_given(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "not-made-yet"
    for command in (
        ["report", CASE, "--out", str(missing / "r.pdf")],
        ["export", CASE, "--out", str(missing / "c.age")],
        ["access-export", CASE, "--out", str(missing / "r.pdf")],
    ):
        code, _out, err = run(capsys, *command)
        assert code == 1
        assert err.strip() == (
            f"The folder {missing} does not exist; nothing was written. Create it or choose "
            "another folder."
        )
        assert TEMP_SUFFIX not in err
    assert not missing.exists()


def test_the_atomic_write_names_the_path_it_was_given(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.pdf"
    with pytest.raises(FileNotFoundError) as raised:
        write_bytes_atomically(target, b"x")
    assert raised.value.filename == str(target)
    assert TEMP_SUFFIX not in str(raised.value)


def test_without_agreement_a_name_taken_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    """The check passes, then another program takes the name: the file placed by a hard link
    fails rather than replace it, and no temporary file is left."""
    target = tmp_path / "report.pdf"
    check_output_file(target, None, replace=False)
    target.write_bytes(b"written meanwhile")
    with pytest.raises(FileExistsError) as raised:
        write_bytes_atomically(target, b"ours", replace=False)
    assert raised.value.errno == errno.EEXIST and raised.value.filename == str(target)
    with pytest.raises(OutputExists):
        write_output(target, b"ours", None, replace=False)
    assert target.read_bytes() == b"written meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
