"""Settings: defaults, the user's own choices, and machine policy set by IT.

Machine policy (a TOML file in platformdirs' site config folder, or AIM3DESK_POLICY) may set a
value and lock it; a locked value wins over the user's file. A policy file that cannot be read
is reported and ignored: every default here is already the safe choice, and security settings
only ever move towards more cost (see `_merge`).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from aim3desk.domain.limits import MAX_POLICY_FILE_BYTES

APP_NAME = "aim3desk"
POLICY_FILE_NAME = "policy.toml"
SETTINGS_FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Settings:
    organisation_name: str = ""
    report_logo: str = ""
    idle_lock_minutes: int = 10
    assessment_deadline_weeks: int = 6
    # Argon2id floor for new passphrases and calibration target (seconds per unlock).
    kdf_min_memory_kib: int = 65536
    kdf_min_iterations: int = 3
    kdf_target_seconds: float = 0.5
    licensed_form_file: str = ""
    autosave_delay_ms: int = 800
    # Supervision cadence (seed 000) and how often intervention goals are reviewed.
    assessment_supervision_sessions: int = 3
    intervention_supervision_weeks: int = 4
    goal_review_weeks: int = 6
    # The organisation's escrow key (an age public key, "age1..."): every bundle is also
    # encrypted to it. Set only by machine policy; the organisation keeps the secret half.
    escrow_recipient: str = ""
    # The shared folder bundles travel through (a mapped drive or a synced cloud folder); empty
    # means no sync. Machine policy may set and lock it (docs/share-folder.md).
    share_folder: str = ""
    # Retention (domain/retention.py): a closed case is kept this many years after closure,
    # or until the young person's birthday at this age, whichever is later. Conservative
    # defaults (nothing is ever deleted without a person's decision); set to the
    # organisation's retention schedule by policy and lock.
    retention_years_after_closure: int = 7
    retention_until_age: int = 25


# Settings only machine policy may set (a user's own file cannot add an escrow key).
POLICY_ONLY = {"escrow_recipient"}
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")

# Settings where policy may only raise the value (never weaken security by policy or user file).
_AT_LEAST = {"kdf_min_memory_kib", "kdf_min_iterations", "kdf_target_seconds"}
_BOUNDS: dict[str, tuple[float, float]] = {
    "idle_lock_minutes": (1, 240),
    "assessment_deadline_weeks": (1, 52),
    "kdf_min_memory_kib": (65536, 4 * 1024 * 1024),
    "kdf_min_iterations": (3, 50),
    "kdf_target_seconds": (0.5, 5.0),
    "autosave_delay_ms": (100, 5000),
    "assessment_supervision_sessions": (1, 12),
    "intervention_supervision_weeks": (1, 26),
    "goal_review_weeks": (1, 52),
    "retention_years_after_closure": (1, 100),
    "retention_until_age": (18, 100),
}


@dataclass(frozen=True)
class EffectiveSettings:
    values: Settings
    locked: frozenset[str] = frozenset()
    policy_path: Path | None = None
    problems: tuple[str, ...] = field(default=())  # plain-English, shown at start and by selftest

    def is_locked(self, name: str) -> bool:
        return name in self.locked


BUSY_WAIT_ENV = "AIM3DESK_BUSY_WAIT"  # seconds; for scripts that run many commands at once
DEFAULT_BUSY_WAIT_SECONDS = 30.0
_BUSY_WAIT_BOUNDS = (0.1, 3600.0)


def busy_wait_seconds() -> float:
    """How long a change waits for another window's or command's change to the same profile
    before saying the profile is in use: $AIM3DESK_BUSY_WAIT if it is a number of seconds
    within bounds, else the default. Each change holds the profile for milliseconds, but many
    commands started together on a loaded machine queue up."""
    try:
        seconds = float(os.environ.get(BUSY_WAIT_ENV, ""))
    except ValueError:
        return DEFAULT_BUSY_WAIT_SECONDS
    lo, hi = _BUSY_WAIT_BOUNDS
    return seconds if lo <= seconds <= hi else DEFAULT_BUSY_WAIT_SECONDS


def policy_path() -> Path:
    override = os.environ.get("AIM3DESK_POLICY")
    if override:
        return Path(override)
    import platformdirs  # lazily: start-up time

    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / POLICY_FILE_NAME


def _check_value(name: str, value: object, source: str) -> str | None:
    default = getattr(Settings(), name)
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or isinstance(value, bool) != isinstance(default, bool):
        return f"{source}: '{name}' must be {expected.__name__}, not {type(value).__name__}."
    if name == "escrow_recipient" and value and not _AGE_RECIPIENT.fullmatch(str(value)):
        return f"{source}: 'escrow_recipient' must be an age public key (age1...)."
    if name in _BOUNDS:
        lo, hi = _BOUNDS[name]
        if not lo <= value <= hi:  # type: ignore[operator]
            return f"{source}: '{name}' must be between {lo:g} and {hi:g}."
    return None


def _merge(base: Settings, raw: dict, source: str, problems: list[str]) -> Settings:
    known = {f.name for f in fields(Settings)}
    changes: dict[str, object] = {}
    for name, value in raw.items():
        if name not in known:
            problems.append(f"{source}: unknown setting '{name}' ignored.")
            continue
        problem = _check_value(name, value, source)
        if problem:
            problems.append(problem + " The default is used.")
            continue
        if isinstance(getattr(base, name), float):
            value = float(value)
        if name in _AT_LEAST and value < getattr(base, name):
            continue
        changes[name] = value
    return replace(base, **changes)


def read_policy(path: Path) -> tuple[dict, frozenset[str], list[str]]:
    """Policy file: `[settings]` values and `locked = [names]`. Returns values, locks, problems."""
    if not path.exists():
        return {}, frozenset(), []
    try:
        raw = _read_capped(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        problem = f"The machine policy {path} could not be read ({reason}); safe defaults are used."
        return {}, frozenset(), [problem]
    return policy_from_bytes(raw, path)


def policy_from_bytes(raw: bytes, path: Path) -> tuple[dict, frozenset[str], list[str]]:
    """The policy file's bytes read as `read_policy` does: never raises; a file that cannot
    be read is reported (its name and the place) and ignored as a whole."""
    from aim3desk.domain.outside_input import OutsideInputError, read_toml  # start-up time

    try:
        data = read_toml(
            raw,
            f"The machine policy {path}",
            MAX_POLICY_FILE_BYTES,
            non_finite=True,  # refused setting by setting below, like any value out of range
        )
    except OutsideInputError as exc:
        return {}, frozenset(), [f"{exc} Safe defaults are used."]
    problems: list[str] = []
    unknown = set(data) - {"settings", "locked"}
    if unknown:
        problems.append(f"{path}: unknown section(s) {', '.join(sorted(unknown))} ignored.")
    values = data.get("settings", {})
    locked = data.get("locked", [])
    if not isinstance(values, dict):
        problems.append(f"{path}: 'settings' must be a table; safe defaults are used.")
        values = {}
    if not isinstance(locked, list) or not all(isinstance(x, str) for x in locked):
        problems.append(f"{path}: 'locked' must be a list of setting names; nothing is locked.")
        locked = []
    return values, frozenset(locked), problems


def _read_capped(path: Path) -> bytes:
    """A settings or policy file's bytes, no further than one past the limit (the reader
    refuses a larger file without this one reading it all)."""
    with path.open("rb") as handle:
        return handle.read(MAX_POLICY_FILE_BYTES + 1)


def read_user_settings(user_file: Path) -> dict:
    """The user's settings file as a dict; OSError or OutsideInputError if unreadable."""
    return user_settings_from_bytes(_read_capped(user_file), user_file)


def user_settings_from_bytes(raw: bytes, user_file: Path) -> dict:
    """The user's settings as a dict; OutsideInputError (naming the file) if unreadable."""
    from aim3desk.domain.outside_input import OutsideInputError, read_json  # start-up time

    user = read_json(raw, f"Your settings file {user_file}", MAX_POLICY_FILE_BYTES)
    if not isinstance(user, dict):
        raise OutsideInputError(f"Your settings file {user_file}", "it does not hold settings")
    return user


def load_settings(profile_dir: Path | None) -> EffectiveSettings:
    """Defaults, then the user's settings file, then machine policy (locked values win)."""
    problems: list[str] = []
    pol_path = policy_path()
    policy_values, locked, pol_problems = read_policy(pol_path)
    problems += pol_problems
    settings = _merge(Settings(), policy_values, str(pol_path), problems)
    if profile_dir is not None:
        user_file = profile_dir / SETTINGS_FILE_NAME
        if user_file.exists():
            try:
                user = read_user_settings(user_file)
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                problems.append(
                    f"Your settings file {user_file} could not be read ({reason}); defaults "
                    "are used."
                )
                user = {}
            except ValueError as exc:  # OutsideInputError: names the file and the place
                problems.append(f"{exc} Defaults are used.")
                user = {}
            problems += [
                f"{user_file}: '{k}' can only be set by machine policy; ignored."
                for k in sorted(POLICY_ONLY & set(user))
            ]
            user = {k: v for k, v in user.items() if k not in locked and k not in POLICY_ONLY}
            settings = _merge(settings, user, str(user_file), problems)
    known = {f.name for f in fields(Settings)}
    # A misspelt name would otherwise leave the intended setting silently unlocked.
    problems += [
        f"{pol_path}: 'locked' names unknown setting '{n}'; it is ignored."
        for n in sorted(locked - known)
    ]
    locked = frozenset(locked & known)
    return EffectiveSettings(
        settings, locked, pol_path if pol_path.exists() else None, tuple(problems)
    )


def save_user_settings(
    profile_dir: Path, effective: EffectiveSettings, **changes: object
) -> EffectiveSettings:
    """Write the user's choices (never locked ones) and return the new effective settings."""
    import json

    refused = [n for n in changes if effective.is_locked(n) or n in POLICY_ONLY]
    if refused:
        raise PermissionError(f"Set by your organisation and locked: {', '.join(refused)}.")
    user_file = profile_dir / SETTINGS_FILE_NAME
    current: dict = {}
    if user_file.exists():
        try:
            current = read_user_settings(user_file)
        except (OSError, ValueError):  # unreadable: it is replaced by the choices made now
            current = {}
    current.update(changes)
    from aim3desk.atomic_file import write_text_atomically

    write_text_atomically(user_file, json.dumps(current, indent=2, sort_keys=True))
    return load_settings(profile_dir)


def default_profile_dir() -> Path:
    override = os.environ.get("AIM3DESK_PROFILE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def settings_as_dict(settings: Settings) -> dict:
    return asdict(settings)
