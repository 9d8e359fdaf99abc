"""Issue 15 item 9: every file the app writes is readable by its owner only (0600) and every
folder it makes is 0700, settings.json included, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aim3desk import cli, config
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import WrongPassphrase
from aim3desk.services.profile import ProfileService
from bundle_people import FAST_KDF, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")}


def test_every_file_is_0600_and_every_folder_0700(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    old_umask = os.umask(0o022)  # a common, permissive umask: our modes must not depend on it
    try:
        profile = tmp_path / "profile"
        service = ProfileService(profile, kdf=FAST_KDF)
        session, _recovery = service.create(PASSPHRASE, "Ida Testmoor")
        add_demo_cases(session, count=1, seed=15)
        session.close()
        config.save_user_settings(profile, config.load_settings(profile), autosave_delay_ms=900)
        with pytest.raises(WrongPassphrase):
            service.unlock("not the passphrase at all, sorry")
        assert (profile / "unlock-failures.json").exists()
        monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
        exports = tmp_path / "new" / "exports"
        code = cli.main(
            ["--profile", str(profile), "export", "--all", "--plaintext", "--out-dir", str(exports)]
        )
        assert code == 0, capsys.readouterr().err
    finally:
        os.umask(old_umask)
    seen = modes(profile)
    assert "settings.json" in seen and "profile.key" in seen and "logs" in seen
    wrong = {
        name: oct(mode)
        for name, mode in seen.items()
        if mode != (0o700 if (profile / name).is_dir() else 0o600)
    }
    assert wrong == {}
    assert stat.S_IMODE(exports.stat().st_mode) == 0o700
    assert {oct(m) for m in modes(exports).values()} == {"0o600"}
