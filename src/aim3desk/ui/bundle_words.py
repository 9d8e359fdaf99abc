"""What File > Open bundle... says about a bundle, in words a person reads: who signed it,
for whom, which version, when, what each file is, and what to do after a refusal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aim3desk.domain.bundle import BundleKind, Member, MemberKind
from aim3desk.services.reports import ReportKind

if TYPE_CHECKING:
    from aim3desk.domain.bundle import Manifest
    from aim3desk.ui.operations.bundles import CheckedBundle

NOT_OPENED = "This bundle was not opened"
NOTHING_WRITTEN = "Nothing was written to disk and nothing in your profile changed."
OWN_BUNDLE = "You made this bundle, so it is in your profile already: there is nothing to import."
SHA_CHECKED = "SHA-256 checked"

# What to do after each refusal (by its reason code), beyond what its own sentence says.
ADVICE = {
    "damaged": (
        "Ask the person who sent it to send it again: a copy saved from email or a shared "
        "drive may be incomplete."
    ),
    "not-addressed": (
        "Only the people a bundle is addressed to can open it. Ask its author to send it to you."
    ),
    "unconfirmed-signer": (
        "Open Contacts to do that, comparing it by phone or in person rather than by email; "
        "then open the bundle again."
    ),
    "bad-signature": (
        "Do not use it. Tell the person it claims to come from, by phone rather than email, "
        "and ask them to send it again."
    ),
}
DEFAULT_ADVICE = "Ask the person who sent it to send it again."


def local_time(created: str) -> str:
    """The manifest's UTC time as a person reads it, in this computer's time zone."""
    try:
        moment = datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created
    return f"{moment.day} {moment:%B %Y at %H:%M}"


def member_description(member: Member) -> str:
    if member.kind is MemberKind.CASE_DOCUMENT:
        return "The case's structured data"
    try:
        return ReportKind(member.audience or "").label
    except ValueError:
        return f"Report ({member.audience})"


def version_text(manifest: Manifest) -> str:
    if manifest.kind is BundleKind.HANDOVER:
        return "The whole case, handed over: every assessment version and its records"
    state = "finished" if manifest.finished else "draft, not finished yet"
    return f"Assessment version {manifest.assessment_version} ({state})"


def signer_text(checked: CheckedBundle) -> str:
    opened = checked.opened
    signer = opened.signer
    if opened.from_me:
        return f"You ({signer.fingerprint})\nMade by you: the signature matches your key."
    return (
        f"{signer.name}, {signer.role.label.lower()} ({signer.fingerprint})\n"
        "The signature matches the key you confirmed for them."
    )


def recipients_text(checked: CheckedBundle) -> str:
    lines = []
    for fingerprint in checked.opened.manifest.recipients:
        contact = checked.known_recipients.get(fingerprint)
        if fingerprint == checked.my_fingerprint:
            lines.append("You")
        elif contact is not None:
            role = contact.identity.role.label.lower()
            lines.append(f"{contact.identity.name}, {role} ({fingerprint})")
        else:
            lines.append(f"Someone not among your contacts ({fingerprint})")
    return "\n".join(lines)
