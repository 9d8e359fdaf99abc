"""Installers: the .deb is built, installed, used without Python, upgraded and removed; the
Windows installer script compiles.

The .deb test installs into this machine with dpkg (root only) and is slow (about a minute
and a half): run it with `make test-package` or `make test-slow`. Figures are printed and
written to packaging/build/package-figures.json. The installer compile needs makensis, which
`make test-slow` installs first, so there it fails rather than skips when makensis is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "packaging" / "dist"
FIGURES = ROOT / "packaging" / "build" / "package-figures.json"
NSI = ROOT / "packaging" / "windows" / "aim3desk.nsi"
INSTALLED = Path("/opt/aim3desk")
LAUNCHER = Path("/usr/bin/aim3desk")
PASSPHRASE = "Heron-Quartz-Lantern-Meadow-47"  # invented, for a throwaway profile


def app_version() -> str:
    text = (ROOT / "src" / "aim3desk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    assert match
    return match.group(1)


def timed(args: list[str], **kwargs: object) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    return result, time.perf_counter() - start


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (
        f"{' '.join(result.args)} exited {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    return result


def installed_version() -> str | None:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status} ${Version}", "aim3desk"], capture_output=True, text=True
    )
    if result.returncode != 0 or "install ok installed" not in result.stdout:
        return None
    return result.stdout.split()[-1]


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under folder: content hash, size, modification time (ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(folder))] = (digest, stat.st_size, stat.st_mtime_ns)
    return found


def folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def no_python_env(tmp: Path, home: Path) -> dict[str, str]:
    """An environment like a desktop session's but whose PATH holds no Python at all."""
    bare = tmp / "bin-without-python"
    bare.mkdir(exist_ok=True)
    env = {
        "PATH": str(bare),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "AIM3DESK_POLICY": str(tmp / "no-policy.toml"),
    }
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("python", path=env["PATH"]) is None
    return env


def install(deb: Path) -> float:
    """dpkg -i, after installing any Depends the machine lacks (apt, as IT would)."""
    fields = ok(
        subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True)
    )
    wanted = [re.sub(r"\s*\(.*\)", "", d).strip() for d in fields.stdout.split(",")]
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\n", *wanted], capture_output=True, text=True
    ).stdout
    present = {line.split()[0] for line in status.splitlines() if "install ok installed" in line}
    missing = [p for p in wanted if p not in present]
    if missing:
        ok(
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                capture_output=True,
                text=True,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        )
    result, seconds = timed(["dpkg", "-i", str(deb)])
    ok(result)
    return seconds


@pytest.mark.slow
def test_deb_builds_installs_runs_without_python_upgrades_and_removes(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None:
        pytest.skip("the .deb is built and installed on Debian/Ubuntu only")
    if os.geteuid() != 0:
        pytest.skip("dpkg -i needs root: run `make test-package` as root (e.g. in a container)")
    if installed_version() is not None:
        pytest.skip(
            "aim3desk is already installed on this machine; remove it first "
            "(dpkg -r aim3desk) so the test cannot disturb a real installation"
        )
    figures: dict[str, object] = {}
    version = app_version()
    old_version, new_version = f"{version}~upgradetest1", version

    # 1. Build: PyInstaller folder + the "old" .deb, then the "new" .deb from the same folder.
    result, figures["make_package_s"] = timed(
        ["make", "package", f"PKG_VERSION={old_version}"], cwd=ROOT
    )
    ok(result)
    old_deb = DIST / f"aim3desk_{old_version}_amd64.deb"
    result, figures["make_package_deb_s"] = timed(["make", "package-deb"], cwd=ROOT)
    ok(result)
    new_deb = DIST / f"aim3desk_{new_version}_amd64.deb"
    assert old_deb.is_file() and new_deb.is_file()
    figures["bundle_mb"] = round(folder_bytes(DIST / "aim3desk") / 1e6, 1)
    figures["deb_mb"] = round(new_deb.stat().st_size / 1e6, 1)

    home = tmp_path / "home"
    home.mkdir()
    env = no_python_env(tmp_path, home)
    profile = home / ".local" / "share" / "aim3desk"  # the default, as a user would have it
    try:
        # 2. Install the old version.
        figures["install_s"] = round(install(old_deb), 2)
        assert installed_version() == old_version
        assert LAUNCHER.is_symlink() and os.readlink(LAUNCHER) == str(INSTALLED / "aim3desk")
        assert (INSTALLED / "aim3desk").read_bytes()[:4] == b"\x7fELF"  # no interpreter script
        assert Path("/usr/share/applications/aim3desk.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/256x256/apps/aim3desk.png").is_file()
        assert Path("/usr/share/doc/aim3desk/policy.example.toml").is_file()
        for forms in ("forms", "resources"):
            assert (INSTALLED / "_internal" / forms).is_dir()
        assert (INSTALLED / "_internal/aim3desk/store/migrations/versions").is_dir()

        # Every bundled library resolves on this machine (the Depends are enough).
        unresolved = []
        for elf in INSTALLED.rglob("*.so*"):
            if elf.is_file() and not elf.is_symlink():
                out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True).stdout
                unresolved += [
                    f"{elf.name}: {line.strip()}"
                    for line in out.splitlines()
                    if "not found" in line
                ]
        assert not unresolved, "\n".join(unresolved)

        # 3. IT checks from the installed copy, with no Python on the PATH.
        result, _ = timed([str(LAUNCHER), "--version"], env=env, cwd=tmp_path)
        assert version in ok(result).stdout
        result, figures["selftest_s"] = timed(
            [str(LAUNCHER), "selftest", "--json"], env=env, cwd=tmp_path
        )
        report = json.loads(ok(result).stdout)
        assert report["ok"] is True, report
        assert {c["name"] for c in report["checks"]} >= {"store", "forms", "fonts", "policy", "qt"}
        assert any(str(INSTALLED) in c["detail"] for c in report["checks"]), "bundle data not used"

        bad_policy = tmp_path / "bad-policy.toml"
        bad_policy.write_text("[settings\nidle_lock_minutes = 5\n", encoding="utf-8")
        result, _ = timed(
            [str(LAUNCHER), "selftest", "--json"], env={**env, "AIM3DESK_POLICY": str(bad_policy)}
        )
        report = json.loads(result.stdout)
        assert result.returncode != 0 and report["ok"] is False
        (policy_check,) = [c for c in report["checks"] if c["name"] == "policy"]
        assert not policy_check["ok"] and "could not be read" in policy_check["detail"]

        # 4. A practitioner's profile made by the old version.
        user = {**env, "AIM3DESK_PASSPHRASE": PASSPHRASE}
        ok(
            subprocess.run(
                [str(LAUNCHER), "init", "--name", "Tamsin Exampleworth"],
                env=user,
                capture_output=True,
                text=True,
            )
        )
        ok(subprocess.run([str(LAUNCHER), "demo"], env=user, capture_output=True, text=True))
        cases_before = ok(
            subprocess.run([str(LAUNCHER), "cases"], env=user, capture_output=True, text=True)
        ).stdout
        assert "DEMO-0001" in cases_before
        assert (profile / "store.db").is_file()

        # 5. Upgrade in place: the profile is kept and opens (and migrates) in the new version.
        figures["upgrade_install_s"] = round(install(new_deb), 2)
        assert installed_version() == new_version
        cases_after = ok(
            subprocess.run([str(LAUNCHER), "cases"], env=user, capture_output=True, text=True)
        ).stdout
        assert cases_after == cases_before
        # The installed copy signs and encrypts (Ed25519, age): the identity the upgrade kept,
        # and a passphrase-protected export that the standard format opens.
        shown = ok(
            subprocess.run(
                [str(LAUNCHER), "identity", "show", "--json"],
                env=user,
                capture_output=True,
                text=True,
            )
        ).stdout
        assert json.loads(shown)["age_recipient"].startswith("age1")
        exported = tmp_path / "DEMO-0001.age"
        ok(
            subprocess.run(
                [str(LAUNCHER), "export", "DEMO-0001", "--out", str(exported)],
                env={**user, "AIM3DESK_EXPORT_PASSPHRASE": "quartz ember willow canal 9"},
                capture_output=True,
                text=True,
            )
        )
        assert exported.read_bytes().startswith(b"age-encryption.org/v1\n")
        result = ok(
            subprocess.run([str(LAUNCHER), "selftest"], env=env, capture_output=True, text=True)
        )

        # The app starts on a real (virtual) X server from the installed copy.
        if shutil.which("xvfb-run") and shutil.which("xwininfo"):
            gui = subprocess.run(
                [
                    "xvfb-run",
                    "-a",
                    "-s",
                    "-screen 0 1280x800x24",
                    "sh",
                    "-c",
                    'env -i DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" PATH="$BARE" HOME="$HOME" '
                    "LANG=C.UTF-8 QT_QPA_PLATFORM=xcb /usr/bin/aim3desk & pid=$!; sleep 6; "
                    "xwininfo -root -tree; kill $pid",
                ],
                env={**os.environ, "BARE": env["PATH"], "HOME": str(home)},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert '"Unlock AIM3 Desk"' in gui.stdout, gui.stdout + gui.stderr
            figures["gui_xcb_window"] = "Unlock AIM3 Desk"

        # Nothing sensitive in the log folder: no passphrase, no child's or worker's name.
        logs = profile / "logs"
        assert logs.is_dir()
        log_text = "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in logs.rglob("*") if p.is_file()
        )
        names = {
            m
            for line in cases_before.splitlines()[1:]
            for m in re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", line)
        }
        assert names, cases_before
        for secret in [PASSPHRASE, "Tamsin", "Exampleworth", *names]:
            assert secret not in log_text, f"{secret!r} found in {logs}"

        # 6. Removal and purge leave the profile exactly as it was.
        before = snapshot(home)
        result, figures["remove_s"] = timed(["dpkg", "-r", "aim3desk"])
        ok(result)
        ok(subprocess.run(["dpkg", "--purge", "aim3desk"], capture_output=True, text=True))
        assert installed_version() is None
        assert not LAUNCHER.exists() and not LAUNCHER.is_symlink()
        assert not INSTALLED.exists(), list(INSTALLED.rglob("*"))[:10]
        assert snapshot(home) == before
    finally:
        if installed_version() is not None:
            subprocess.run(["dpkg", "--purge", "aim3desk"], capture_output=True, check=False)

    for key, value in list(figures.items()):
        if isinstance(value, float):
            figures[key] = round(value, 2)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print("\npackage figures:", json.dumps(figures, indent=2))


# ----- Windows installer definition (compiled here with Debian's makensis)


@pytest.mark.slow
def test_nsis_script_compiles_against_stand_in_payload(tmp_path: Path) -> None:
    # Runs in `make test-slow`, whose set-up installs nsis: a missing makensis is a failure
    # of that set-up, never a silent skip.
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis is not installed: scripts/system-deps.sh package installs nsis")
    payload = tmp_path / "aim3desk"
    (payload / "_internal" / "forms").mkdir(parents=True)
    (payload / "aim3desk.exe").write_bytes(b"MZ stand-in for the PyInstaller GUI executable")
    (payload / "aim3desk-cli.exe").write_bytes(b"MZ stand-in for the console executable")
    (payload / "_internal" / "forms" / "aim3.toml").write_text("# stand-in\n", encoding="utf-8")
    icons = tmp_path / "icons"
    ok(
        subprocess.run(
            [sys.executable, str(ROOT / "packaging/make_icons.py"), str(icons)],
            capture_output=True,
            text=True,
        )
    )
    out = tmp_path / "AIM3Desk-9.8.7-setup.exe"
    result = subprocess.run(
        [
            makensis,
            "-V4",
            "-DVERSION=9.8.7",
            f"-DSOURCE_DIR={payload}",
            f"-DOUTFILE={out}",
            f"-DICON={icons / 'aim3desk.ico'}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
    )
    ok(result)
    assert out.read_bytes()[:2] == b"MZ"
    log = result.stdout
    for name in ("aim3desk.exe", "aim3desk-cli.exe", "aim3.toml"):
        assert f'File: "{name}"' in log, name
    assert "WriteUninstaller" in log
    assert not re.search(r"^\d+ warnings?:", log, re.MULTILINE), log[-2000:]


def test_nsis_script_is_per_machine_silent_capable_and_keeps_profiles() -> None:
    text = NSI.read_text(encoding="utf-8")
    assert "RequestExecutionLevel admin" in text
    assert "SetShellVarContext all" in text
    assert "$PROGRAMFILES64" in text
    assert "$SMPROGRAMS\\${APP_NAME}.lnk" in text
    assert "QuietUninstallString" in text  # IT's silent uninstall: uninstall.exe /S
    uninstall = text.split('Section "Uninstall"', 1)[1]
    removing = [
        line for line in uninstall.splitlines() if line.strip().startswith(("RMDir", "Delete"))
    ]
    assert removing
    for line in removing:
        assert "APPDATA" not in line and "ProgramData" not in line and "PROFILE" not in line, line
        assert line.strip() != 'RMDir /r "$INSTDIR"', "never delete a whole folder the admin chose"
