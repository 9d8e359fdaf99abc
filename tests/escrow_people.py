"""Organisation escrow set-up for the tests: an organisation key pair written as `age-keygen`
writes it (with real pyrage keys), a machine policy naming its public half, and a profile."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from aim3desk.config import load_settings
from aim3desk.services.profile import ProfileService
from bundle_people import FAST_KDF

OLD_PASSPHRASE = "marigold tunnel seventeen harbour"
NEW_PASSPHRASE = "velvet quarry lighthouse ninety"
PRACTITIONER = "Perpetua Inventedname"


def org_key(folder: Path, name: str = "escrow") -> tuple[Path, str]:
    """An organisation key file in age-keygen's layout; returns (file, public key)."""
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    path = folder / f"{name}.agekey"
    path.write_text(
        f"# created: 2025-01-06T09:00:00Z\n# public key: {public}\n{identity}\n", "ascii"
    )
    return path, public


def set_policy(monkeypatch: pytest.MonkeyPatch, folder: Path, recipient: str | None) -> None:
    """Machine policy naming `recipient` as the escrow key (None: a policy without one)."""
    policy = folder / f"policy-{(recipient or 'none')[-8:]}.toml"
    body = f'[settings]\nescrow_recipient = "{recipient}"\n' if recipient else "[settings]\n"
    policy.write_text('locked = ["escrow_recipient"]\n\n' + body, "utf-8")
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))


def service(folder: Path) -> ProfileService:
    """The profile service as the app makes it: the settings (and policy) read now."""
    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)


def new_profile(folder: Path) -> tuple[str, str]:
    """A profile made under the current policy; returns (profile id, recovery key)."""
    session, recovery_key = service(folder).create(OLD_PASSPHRASE, PRACTITIONER)
    with session:
        return session.profile_id, recovery_key


def audit_actions(folder: Path, passphrase: str = OLD_PASSPHRASE) -> list[tuple[str, str, dict]]:
    with service(folder).unlock(passphrase) as session:
        return [(e.actor, e.action, e.detail) for e in session.audit.entries()]
