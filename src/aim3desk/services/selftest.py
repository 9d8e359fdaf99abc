"""`aim3desk selftest`: check on this machine that every part AIM3 Desk relies on works.

Run by support and by installers after an upgrade. No profile is needed: every check uses
scratch keys and files in a private temporary folder that is removed afterwards, and no
check writes a real person's data anywhere.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk import __version__

if TYPE_CHECKING:
    from aim3desk.services.session import Session


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class CheckFailed(Exception):  # noqa: N818 - reads as what happened
    """A check found a problem; str() says what."""


# Low Argon2id cost: the check is that the algorithm works, not how slow it is.
_SELFTEST_KDF = (8192, 1, 1)
_MARKER = "SELFTEST-PLAINTEXT-7f3a9c"


def check_version() -> str:
    return (
        f"AIM3 Desk {__version__} on Python {platform.python_version()} "
        f"({platform.system()} {platform.machine()})"
    )


def check_qt() -> str:
    if not os.environ.get("QT_QPA_PLATFORM") and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    existing = QGuiApplication.instance()
    if existing is not None:
        return f"platform plugin '{existing.platformName()}', PySide6 {pyside_version}"
    # A temporary application loads the platform plugin; it is deleted again so a caller in
    # the same process (the GUI, a test) can still create its own QApplication afterwards.
    import shiboken6

    app = QGuiApplication([sys.argv[0] if sys.argv else "aim3desk"])
    try:
        return f"platform plugin '{app.platformName()}', PySide6 {pyside_version}"
    finally:
        shiboken6.delete(app)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def check_crypto() -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from aim3desk.security.kdf import KdfParams
    from aim3desk.security.keyfile import KeyFile, WrongPassphrase

    params = KdfParams(*_SELFTEST_KDF)
    salt = os.urandom(16)
    key = params.derive(b"selftest passphrase", salt)
    if key != params.derive(b"selftest passphrase", salt) or len(key) != 32:
        raise CheckFailed("Argon2id did not give the same 32-byte key twice.")
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, b"selftest message", b"header")
    if AESGCM(key).decrypt(nonce, sealed, b"header") != b"selftest message":
        raise CheckFailed("AES-256-GCM did not give back what it sealed.")
    with tempfile.TemporaryDirectory(prefix="aim3desk-selftest-") as folder:
        path = Path(folder) / "profile.key"
        _keyfile, data_key, _recovery = KeyFile.create(path, "selftest passphrase", params)
        opened = KeyFile.load(path).unlock("selftest passphrase")
        if bytes(opened) != bytes(data_key):
            raise CheckFailed("The key file did not unlock to the data key it was made with.")
        try:
            KeyFile.load(path).unlock("not the passphrase")
        except WrongPassphrase:
            pass
        else:
            raise CheckFailed("The key file opened with a wrong passphrase.")
    return "Argon2id and AES-256-GCM round trip; key file created and unlocked"


def check_store() -> str:
    from aim3desk.store.db import Store, StoreKeyError
    from aim3desk.store.selfcheck import round_trip, sqlite_version

    with tempfile.TemporaryDirectory(prefix="aim3desk-selftest-") as folder:
        path = Path(folder) / "scratch.db"
        key = bytearray(os.urandom(32))
        store = Store(path, key, create=True)
        try:
            if not round_trip(store, _MARKER):
                raise CheckFailed("A row written to the encrypted store did not read back.")
            store.check_integrity()
        finally:
            store.close()
        raw = b"".join(p.read_bytes() for p in Path(folder).iterdir() if p.is_file())
        if _MARKER.encode() in raw or b"SQLite format 3" in raw:
            raise CheckFailed("The database file holds plaintext: it is not encrypted.")
        try:
            Store(path, bytearray(os.urandom(32))).close()
        except StoreKeyError:
            pass
        else:
            raise CheckFailed("The encrypted store opened with a wrong key.")
        cipher = sqlite_version()
    return (
        "SQLCipher store encrypts, reads back, passes its integrity check and refuses a wrong "
        f"key (SQLite {cipher})"
    )


def check_forms() -> str:
    from aim3desk.services.forms_loader import load_form_set

    form_set = load_form_set()
    models = ", ".join(m.name for m in form_set.models)
    return f"{len(form_set.domains)} domains; models {models}"


def check_fonts() -> str:
    from aim3desk.services.reports import FONT_FILES, fonts_dir, register_fonts

    folder = fonts_dir()
    missing = [name for name in FONT_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise CheckFailed(f"Report fonts missing from {folder}: {', '.join(missing)}.")
    register_fonts()
    return f"{', '.join(FONT_FILES.values())} in {folder}"


def check_policy() -> str:
    from aim3desk.config import load_settings

    effective = load_settings(None)
    if effective.problems:
        raise CheckFailed(" ".join(effective.problems))
    if effective.policy_path is None:
        return "no machine policy file; safe defaults apply"
    locked = ", ".join(sorted(effective.locked)) or "nothing"
    return f"{effective.policy_path} read; locked: {locked}"


def check_licensed_forms(profile_dir: Path | None = None) -> str:
    """Whether the organisation's licensed AIM3 form file is installed (machine policy, or
    the profile's own settings); without it factor names are placeholders and the check
    suggests installing it, with where. Not a failure: the app works with the placeholders."""
    from aim3desk.config import load_settings, policy_path
    from aim3desk.services.forms_loader import load_form_set

    licensed = load_settings(profile_dir).values.licensed_form_file
    if licensed:
        form_set = load_form_set(licensed_file=Path(licensed))  # a broken file fails here
        note = (
            "; some factors still have placeholder names"
            if form_set.has_placeholder_factors()
            else ""
        )
        return f"licensed form file {licensed} applied{note}"
    return (
        'not installed: factor names are placeholders ("Sexual behaviour factor 2"). '
        "Install your organisation's licensed AIM3 form file: set licensed_form_file under "
        f"[settings] in the machine policy ({policy_path()}) or in Preferences > Reports > "
        "Licensed form file (the file format is in docs/forms.md)"
    )


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("version", check_version),
    ("qt", check_qt),
    ("crypto", check_crypto),
    ("store", check_store),
    ("forms", check_forms),
    ("licensed forms", check_licensed_forms),
    ("fonts", check_fonts),
    ("policy", check_policy),
)


def check_profile_store(session: Session) -> Check:
    """A profile's whole database through SQLite's integrity check (`aim3desk selftest
    --audit`): a damaged page fails, with what to do."""
    from aim3desk.store.errors import StoreCorrupt

    start = time.perf_counter()
    try:
        session.check_integrity()
    except StoreCorrupt as exc:
        return Check("integrity", False, str(exc))
    elapsed = time.perf_counter() - start
    return Check("integrity", True, f"the profile's database is intact ({elapsed:.2f} s)")


def check_audit_trail(session: Session) -> Check:
    """A profile's audit trail walked end to end: an edited, removed or re-linked entry, or
    a removed append-only guard, fails (`aim3desk selftest --audit`)."""
    found = session.audit.verify()
    return Check("audit", found.ok, found.message)


def run_selftest(profile_dir: Path | None = None) -> list[Check]:
    """Run every check; a check that raises fails with the reason, the rest still run.
    `profile_dir` lets the licensed-forms check read that profile's settings."""
    results: list[Check] = []
    for name, check in CHECKS:
        run = partial(check_licensed_forms, profile_dir) if check is check_licensed_forms else check
        start = time.perf_counter()
        try:
            detail = run()
        except Exception as exc:  # a selftest reports every failure and carries on
            reason = str(exc) or type(exc).__name__
            results.append(Check(name, False, f"{type(exc).__name__}: {reason}"))
            continue
        elapsed = time.perf_counter() - start
        results.append(Check(name, True, f"{detail} ({elapsed:.2f} s)"))
    return results
