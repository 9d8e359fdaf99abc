"""Errors of the key hierarchy.

Each error's ``str()`` is one plain-English sentence a practitioner can act on; the
technical reason (never a secret) is kept apart in ``detail`` for logs and support.
"""

# ruff: noqa: N818  (public names are agreed with other modules; "Error" suffix would break them)

from __future__ import annotations


class KeyFileError(Exception):
    """Base class: something stops a profile's key file from being used."""

    default_message = "The profile's key file cannot be used."

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        super().__init__(message or self.default_message)
        self.detail = detail


class WrongPassphrase(KeyFileError):
    default_message = "The passphrase is not right. Check Caps Lock and try again."


class WrongRecoveryKey(KeyFileError):
    default_message = (
        "That recovery key is typed correctly but does not open this profile; "
        "check it is the one printed when this profile was created."
    )


class MistypedRecoveryKey(KeyFileError):
    default_message = (
        "The recovery key has a typing mistake (its check group does not match); "
        "compare each group with the printed copy and try again."
    )


class DamagedKeyFile(KeyFileError):
    default_message = (
        "The profile's key file is damaged, so the profile cannot be opened; restore "
        "profile.key from a backup (the previous copy is kept as profile.key.bak) and then "
        "use your passphrase or recovery key."
    )


class MissingKeyFile(DamagedKeyFile, FileNotFoundError):
    """The key file of a profile is not there.

    Both a DamagedKeyFile (for the person: the profile cannot be opened) and a
    FileNotFoundError (for code asking "is there a profile here yet?").
    """

    default_message = (
        "The profile's key file (profile.key) is missing, so the profile cannot be opened; "
        "restore it from a backup or rename profile.key.bak to profile.key."
    )


class UnsupportedKeyFile(KeyFileError):
    default_message = (
        "This profile was saved by a newer version of AIM3 Desk; install the latest "
        "version to open it."
    )
