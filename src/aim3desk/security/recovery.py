"""Recovery keys: 160 random bits a person can print, read and type back.

Crockford base32 (no I, L, O, U; case-insensitive) avoids misreadings, and a check
group lets us say "typing mistake" at once instead of "wrong key" after a KDF.
Check group: one symbol that is the sum of the data symbols mod 32 (catches every
single-symbol substitution for certain) plus three symbols of a SHA-256 of the secret
(catches transpositions and most other slips, all but about 1 in 32,768).
"""

from __future__ import annotations

import base64
import hashlib
import os

from aim3desk.security.errors import MistypedRecoveryKey

RECOVERY_SECRET_BYTES = 20  # 160 bits = exactly 32 base32 symbols
_DATA_SYMBOLS = 32
_CHECK_SYMBOLS = 4
_GROUP = 4
RECOVERY_KEY_SYMBOLS = _DATA_SYMBOLS + _CHECK_SYMBOLS

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = str.maketrans(_RFC4648, CROCKFORD)
_FROM_CROCKFORD = str.maketrans(CROCKFORD, _RFC4648)
# Crockford's decoding leniency for look-alike letters.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = frozenset(" -\t\n\r._\u00a0\u2010\u2011\u2012\u2013\u2014")
_CHECK_DOMAIN = b"aim3desk recovery key check v1"


def new_recovery_secret() -> bytes:
    return os.urandom(RECOVERY_SECRET_BYTES)


def _check_group(data_symbols: str, raw: bytes) -> str:
    total = sum(CROCKFORD.index(symbol) for symbol in data_symbols) % 32
    digest = hashlib.sha256(_CHECK_DOMAIN + raw).digest()
    bits = int.from_bytes(digest[:2], "big") >> 1  # 15 bits -> 3 symbols
    hashed = "".join(CROCKFORD[(bits >> shift) & 31] for shift in (10, 5, 0))
    return CROCKFORD[total] + hashed


def format_recovery_key(raw: bytes) -> str:
    """Return ``raw`` (20 bytes) as nine dash-separated groups of four, the last a check."""
    if len(raw) != RECOVERY_SECRET_BYTES:
        raise ValueError(f"a recovery secret is {RECOVERY_SECRET_BYTES} bytes")
    data = base64.b32encode(raw).decode("ascii").translate(_TO_CROCKFORD)
    symbols = data + _check_group(data, raw)
    return "-".join(symbols[i : i + _GROUP] for i in range(0, len(symbols), _GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Return the 20-byte secret from typed text; raise MistypedRecoveryKey on any slip.

    Spaces, dashes and lower case are accepted, and O/I/L are read as 0/1/1.
    """
    symbols = "".join(c for c in text.upper() if c not in _SEPARATORS).translate(_LOOKALIKES)
    if any(c not in CROCKFORD for c in symbols):
        raise MistypedRecoveryKey(
            "The recovery key contains a character that recovery keys never use (such as "
            "U or a punctuation mark); compare it with the printed copy and try again.",
            detail="invalid symbol",
        )
    if len(symbols) != RECOVERY_KEY_SYMBOLS:
        raise MistypedRecoveryKey(
            f"The recovery key should have {RECOVERY_KEY_SYMBOLS} letters and digits but "
            f"this has {len(symbols)}; compare it with the printed copy and try again.",
            detail="wrong length",
        )
    data, check = symbols[:_DATA_SYMBOLS], symbols[_DATA_SYMBOLS:]
    raw = base64.b32decode(data.translate(_FROM_CROCKFORD))
    if _check_group(data, raw) != check:
        raise MistypedRecoveryKey(detail="check group mismatch")
    return raw
