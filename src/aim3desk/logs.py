"""Diagnostic logs and crash reports that never hold a child's details.

The rule for every log call in AIM3 Desk: the message is a constant describing an event
("case saved", "store migrated %s -> %s"), and its arguments are ids, counts, revisions, enum
values or timings - never a name, a case's text, a passphrase, a path under the user's home
chosen by them, or an exception message. `SafeArgsFilter` enforces the argument half of the
rule (anything else is replaced by "<redacted>"); `SafeFormatter` drops exception messages and
keeps only the exception type and where it happened, because messages (SQL errors, validation
errors, OS errors naming a file) can carry user data.

Log files live in <profile>/logs/, readable only by the user, and rotate at 1 MB x 5.
"""

from __future__ import annotations

import enum
import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "aim3desk.log"
LOGS_DIR_NAME = "logs"
REDACTED = "<redacted>"
_MAX_BYTES = 1_000_000
_BACKUP_COUNT = 5

# Strings allowed as log arguments: uuid4 hex ids, alembic revisions, dotted event names.
_SAFE_TEXT = re.compile(
    r"^(?:[0-9a-f]{32}|[0-9a-f-]{36}|[0-9]{4}|[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)$"
)
_SAFE_TYPES = (int, float, bool, type(None), enum.Enum, uuid.UUID)

_logs_dir: Path | None = None


def _safe_arg(value: object) -> object:
    if isinstance(value, _SAFE_TYPES):
        return value
    if isinstance(value, str) and len(value) <= 64 and _SAFE_TEXT.match(value):
        return value
    return REDACTED


class SafeArgsFilter(logging.Filter):
    """Replace every log argument that is not an id, number, enum or event name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str):
            record.msg, record.args = "%s", (REDACTED,)
        elif isinstance(record.args, dict):
            record.args = {k: _safe_arg(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(_safe_arg(a) for a in record.args)
        return True


def describe_exception(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """Exception type and frames (file, line, function) for the whole chain; no messages,
    no source lines, no locals."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    current_type: type[BaseException] = exc_type
    current_tb = tb
    while True:
        frames = traceback.extract_tb(current_tb)
        lines = [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames]
        parts.append("\n".join([f"{current_type.__module__}.{current_type.__qualname__}", *lines]))
        if current is None:
            break
        seen.add(id(current))
        following = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
        if following is None or id(following) in seen:
            break
        parts.append("caused while handling / by:")
        current, current_type, current_tb = following, type(following), following.__traceback__
    return "\n".join(parts)


class SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Another handler may already have cached a traceback *with* the message in
        # exc_text; format our own and put theirs back afterwards.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # noqa: N802 - logging API
        exc_type, exc, tb = ei
        if exc_type is None:
            return ""
        return describe_exception(exc_type, exc, tb)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging API
        return ""  # stack_info includes source lines


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates log files with mode 0600 whatever the umask."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def setup_logging(profile_dir: Path, level: int = logging.INFO) -> Path:
    """Log to <profile>/logs/aim3desk.log (rotating). Returns the logs folder. Idempotent."""
    global _logs_dir
    logs_dir = _private_dir(Path(profile_dir) / LOGS_DIR_NAME)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(
        logs_dir / LOG_FILE_NAME,
        maxBytes=_MAX_BYTES,
        backupCount=_BACKUP_COUNT,
        encoding="utf-8",
        delay=True,
    )
    handler.addFilter(SafeArgsFilter())
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    _logs_dir = logs_dir
    return logs_dir


def write_crash_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    logs_dir: Path | None = None,
) -> Path | None:
    """Write logs/crash-<UTC>.txt (mode 0600) with the exception type and frames only."""
    folder = logs_dir or _logs_dir
    if folder is None:
        return None
    _private_dir(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"crash-{stamp}.txt"
    body = (
        f"AIM3 Desk crash report {stamp}\n"
        f"python {sys.version.split()[0]} on {sys.platform}\n"
        "(exception messages and values are left out on purpose: they can hold case data)\n\n"
        + describe_exception(exc_type, exc, tb)
        + "\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body)
    return path


def install_excepthook(logs_dir: Path | None = None) -> None:
    """Route uncaught exceptions (main and worker threads) to a crash report instead of a
    traceback with messages on stderr. Uses the folder from setup_logging unless given."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = write_crash_report(exc_type, exc, tb, logs_dir)
        logging.getLogger("aim3desk.crash").critical(
            "uncaught %s", exc_type.__qualname__.lower().replace(".", "_")
        )
        where = f" A report is in {path}." if path else ""
        sys.stderr.write(
            f"AIM3 Desk stopped because of an internal error ({exc_type.__name__}).{where}\n"
        )

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
