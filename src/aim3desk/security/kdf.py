"""Passphrase stretching with Argon2id, calibrated on the user's machine.

Parameters are stored in the key file, so each profile keeps the cost it was made with
and can be raised later (re-wrap on passphrase change) without breaking old profiles.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_LENGTH = 32

# Sanity bounds for parameters read from a file: a damaged header must not make us
# allocate terabytes or spin for hours.
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_ITERATIONS = 100
_MAX_LANES = 64

# Calibration caps (memory is grown first, as RFC 9106 advises, up to a size a shared
# council laptop can spare; then iterations; only then more memory).
CALIBRATION_PREFERRED_MEMORY_KIB = 256 * 1024
CALIBRATION_MAX_MEMORY_KIB = 1024 * 1024
CALIBRATION_MAX_ITERATIONS = 20
_CALIBRATION_ROUNDS = 8


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB (as cryptography's ``memory_cost``), passes, lanes."""

    memory_kib: int
    iterations: int
    lanes: int

    def __post_init__(self) -> None:
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"KdfParams.{name} must be an int")
        if not 1 <= self.lanes <= _MAX_LANES:
            raise ValueError(f"lanes must be 1..{_MAX_LANES}")
        if not 1 <= self.iterations <= _MAX_ITERATIONS:
            raise ValueError(f"iterations must be 1..{_MAX_ITERATIONS}")
        if not 8 * self.lanes <= self.memory_kib <= _MAX_MEMORY_KIB:
            raise ValueError(f"memory_kib must be 8*lanes..{_MAX_MEMORY_KIB}")

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        """Return a 32-byte key from ``secret`` and ``salt``."""
        kdf = Argon2id(
            salt=salt,
            length=KEY_LENGTH,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret)

    def at_least(self, floor: KdfParams) -> KdfParams:
        """Component-wise maximum with ``floor``."""
        return KdfParams(
            memory_kib=max(self.memory_kib, floor.memory_kib),
            iterations=max(self.iterations, floor.iterations),
            lanes=max(self.lanes, floor.lanes),
        )

    def to_header(self) -> dict[str, object]:
        return {
            "algorithm": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_header(cls, fields: object) -> KdfParams:
        """Parse the header form; raises ValueError/TypeError on anything unexpected."""
        if not isinstance(fields, dict) or set(fields) != {
            "algorithm",
            "memory_kib",
            "iterations",
            "lanes",
        }:
            raise ValueError("kdf fields")
        if fields["algorithm"] != "argon2id":
            raise ValueError("kdf algorithm")
        return cls(fields["memory_kib"], fields["iterations"], fields["lanes"])


# 64 MiB, 3 passes, 4 lanes: about 0.24 s on the development machine (design notes).
DEFAULT_KDF_FLOOR = KdfParams(memory_kib=65536, iterations=3, lanes=4)


def _grow_memory(memory_kib: int, factor: float, cap_kib: int) -> int:
    # Whole MiB keeps stored parameters readable.
    return min(cap_kib, math.ceil(memory_kib * factor / 1024) * 1024)


def _seconds_for(params: KdfParams) -> float:
    salt = os.urandom(16)
    start = time.perf_counter()
    params.derive(b"calibration only", salt)
    return time.perf_counter() - start


def calibrate_kdf(target_seconds: float = 0.5, floor: KdfParams = DEFAULT_KDF_FLOOR) -> KdfParams:
    """Find Argon2id parameters that take at least ``target_seconds`` here.

    Starts at ``floor`` and never goes below it. Grows memory to 256 MiB, then
    iterations to 20, then memory to 1 GiB; stops at those caps even if the machine
    is faster still (a slower user's laptop must still open the profile).
    """
    params = floor
    for _ in range(_CALIBRATION_ROUNDS):
        elapsed = _seconds_for(params)
        if elapsed >= target_seconds:
            break
        # A little over the ratio so that timing noise does not cost another round.
        factor = min(8.0, 1.15 * target_seconds / max(elapsed, 1e-4))
        memory, iterations = params.memory_kib, params.iterations
        if memory < CALIBRATION_PREFERRED_MEMORY_KIB:
            memory = _grow_memory(memory, factor, CALIBRATION_PREFERRED_MEMORY_KIB)
        elif iterations < CALIBRATION_MAX_ITERATIONS:
            iterations = min(CALIBRATION_MAX_ITERATIONS, math.ceil(iterations * factor))
        elif memory < CALIBRATION_MAX_MEMORY_KIB:
            memory = _grow_memory(memory, factor, CALIBRATION_MAX_MEMORY_KIB)
        else:
            break
        params = KdfParams(memory, iterations, params.lanes)
    return params.at_least(floor)
