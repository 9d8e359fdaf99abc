"""Every error a caller of the services may need to tell apart, importable from one place.

The UI words its messages from these classes and never imports the store or the security
layer itself. Each error's str() is already a sentence for a person. This module is light on
purpose (no SQLAlchemy, no cryptography): the unlock window imports it before the store.
"""

from __future__ import annotations

from aim3desk.domain.assessment import ReadOnlyVersion
from aim3desk.domain.bundle import (
    BundleRefused,
    DamagedBundle,
    NotAddressedToYou,
    OlderVersion,
    SignatureMismatch,
    UnconfirmedSigner,
)
from aim3desk.domain.cases import ValidationError
from aim3desk.domain.gates import GateClosed
from aim3desk.domain.identity import CardError
from aim3desk.domain.retention import CaseOnHold, RetentionError
from aim3desk.security.errors import (
    DamagedKeyFile,
    KeyFileError,
    MissingKeyFile,
    MistypedRecoveryKey,
    UnsupportedKeyFile,
    WrongPassphrase,
    WrongRecoveryKey,
)
from aim3desk.store.errors import (
    StoreBusy,
    StoreClosed,
    StoreCorrupt,
    StoreError,
    StoreKeyError,
)

__all__ = [
    "BundleRefused",
    "CardError",
    "CaseAlreadyExists",
    "CaseFileError",
    "CaseNotFound",
    "CaseOnHold",
    "DamagedBundle",
    "DamagedKeyFile",
    "GateClosed",
    "KeyFileError",
    "MissingKeyFile",
    "MistypedRecoveryKey",
    "NotAddressedToYou",
    "OlderVersion",
    "ProfileExists",
    "ReadOnlyVersion",
    "RetentionError",
    "SignatureMismatch",
    "StoreBusy",
    "StoreClosed",
    "StoreCorrupt",
    "StoreError",
    "StoreKeyError",
    "UnconfirmedSigner",
    "UnsupportedKeyFile",
    "ValidationError",
    "WrongPassphrase",
    "WrongRecoveryKey",
    "is_worded_for_a_person",
]


class CaseNotFound(LookupError):  # noqa: N818 - agreed public name
    """No case (or assessment) with that reference or id."""


class CaseFileError(Exception):
    """An export file cannot be imported; str() is one sentence for a person."""


class CaseAlreadyExists(CaseFileError):  # noqa: N818 - reads as what happened
    """The file's case reference (or id) is already in this profile."""


class ProfileExists(FileExistsError):  # noqa: N818 - reads better at the call site
    """create() was asked to make a profile where one already is."""


def is_worded_for_a_person(exc: BaseException) -> bool:
    """True for the errors whose str() can be shown as it is (unlocking, the store, cases,
    case files); anything else is unexpected and is described rather than shown."""
    return isinstance(
        exc,
        KeyFileError
        | StoreError
        | CaseNotFound
        | CaseFileError
        | ProfileExists
        | BundleRefused
        | CardError
        | GateClosed
        | RetentionError,
    )
