"""The error table: which exceptions are problems the user can fix (one sentence on stderr,
exit code 1) and which are internal errors (a crash report without case data, exit code 3).

Error classes from heavy modules are looked up only if their module was imported, so a fast
command never pays for them; the services' errors come from `aim3desk.services.errors`.
"""

from __future__ import annotations

import errno
import sys
from contextlib import suppress

from aim3desk.cli.console import EXIT_INTERNAL, UserError, warn

DEBUG_ENV = "AIM3DESK_DEBUG"  # set to 1 to see the full traceback of an internal error

_ERRNO_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EROFS: "the disk is read-only",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EEXIST: "it already exists",
    errno.ENAMETOOLONG: "the name is too long",
}

# module -> its error classes whose str() is a sentence for a person; a module that was never
# imported cannot have raised them.
ERRORS_OF_LAZY_MODULES = {
    "aim3desk.services.reports.style": ("ReportError", "ReportCancelled"),
    "aim3desk.domain.forms": ("FormError",),
    # outside data refused by the hardened reader where no caller worded it (they normally do)
    "aim3desk.domain.outside_input": ("OutsideInputError",),
    # a gate that needs a written reason; a review decision that cannot be made yet
    "aim3desk.domain.gates": ("GateClosed",),
    "aim3desk.domain.review": ("ReviewProblem", "DamagedReview"),
    # an age file the services did not word themselves (they normally do)
    "aim3desk.security.identity": ("AgeError",),
}


def _os_error_sentence(exc: OSError) -> str:
    if exc.errno is None and str(exc):  # raised by our code with its own sentence
        return str(exc)
    reason = _ERRNO_WORDS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    if exc.filename:
        return f"Could not use {exc.filename}: {reason}."
    return f"A file operation failed: {reason}."


def _as_sentence(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.endswith((".", "!", "?")) else text + "."


def user_error_sentence(exc: BaseException) -> str | None:
    """The sentence for an error the user can act on, or None if it is an internal error."""
    if isinstance(exc, UserError):
        return str(exc)
    from aim3desk.services import errors

    if isinstance(exc, errors.KeyFileError):  # before OSError: a missing key file is both
        return str(exc)
    if isinstance(exc, errors.ValidationError):
        return f"The case is not valid: {exc}."
    known: list[type[BaseException]] = [
        errors.CaseNotFound,
        errors.CaseFileError,
        errors.StoreError,
        errors.ProfileExists,
        errors.BundleRefused,  # each refusal (damaged, not addressed, ...) words itself
        errors.CardError,  # a bad card, or a contact that cannot be used yet
        errors.RetentionError,  # retention, legal hold and deletion refusals (a case on hold)
    ]
    for module, names in ERRORS_OF_LAZY_MODULES.items():
        loaded = sys.modules.get(module)
        known += [getattr(loaded, n) for n in names if loaded and hasattr(loaded, n)]
    if isinstance(exc, tuple(known)):
        return _as_sentence(exc)
    if isinstance(exc, OSError):
        return _os_error_sentence(exc)
    return None


def is_busy(exc: BaseException) -> bool:
    """The profile is in use by another window or command (exit code EXIT_BUSY)."""
    from aim3desk.services.errors import StoreBusy

    return isinstance(exc, StoreBusy)


def carry_on_sentence(exc: BaseException) -> str | None:
    """For a command working through many files or cases: the sentence to tell for one that
    failed before carrying on, or None if the command must stop (an internal error, or the
    profile in use elsewhere: every later one would wait and fail the same way)."""
    return None if is_busy(exc) else user_error_sentence(exc)


def report_internal_error(exc: BaseException) -> int:
    """Write a crash report without case data to the logs folder and say where it is."""
    from aim3desk import logs

    path = None
    with suppress(OSError):
        path = logs.write_crash_report(type(exc), exc, exc.__traceback__)
    where = f" A report without any case data is in {path}." if path else ""
    warn(f"AIM3 Desk stopped because of an internal error ({type(exc).__name__}).{where}")
    return EXIT_INTERNAL
