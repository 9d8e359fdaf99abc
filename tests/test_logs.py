"""Logs and crash reports keep events and ids, never names, text or exception messages."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from aim3desk.logs import (
    REDACTED,
    SafeArgsFilter,
    install_excepthook,
    setup_logging,
    write_crash_report,
)


def _record(msg: object, args: object) -> logging.LogRecord:
    return logging.LogRecord("aim3desk.t", logging.INFO, __file__, 1, msg, args, None)


def test_filter_keeps_ids_and_numbers_and_redacts_text() -> None:
    keep = ("0123456789abcdef0123456789abcdef", 42, 1.5, None, True, "0002", "case.edit")
    record = _record("event %s %s %s %s %s %s %s", keep)
    SafeArgsFilter().filter(record)
    assert record.args == keep
    record = _record("saved %s for %s", ("Morwen Tallis", "text\nwith lines"))
    SafeArgsFilter().filter(record)
    assert record.getMessage() == f"saved {REDACTED} for {REDACTED}"
    record = _record("saved %(who)s", ({"who": "Morwen Tallis"},))
    SafeArgsFilter().filter(record)
    assert record.getMessage() == f"saved {REDACTED}"
    record = _record(ValueError("Morwen Tallis"), None)
    SafeArgsFilter().filter(record)
    assert record.getMessage() == REDACTED


def test_log_file_is_private_and_rotates(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        logs_dir = setup_logging(tmp_path)
        setup_logging(tmp_path)  # idempotent: one handler, not two
        ours = [h for h in root.handlers if h not in before]
        assert len(ours) == 1
        logging.getLogger("aim3desk.t").warning("opened %s", "0123456789abcdef0123456789abcdef")
        log_file = logs_dir / "aim3desk.log"
        assert log_file.stat().st_mode & 0o777 == 0o600
        assert logs_dir.stat().st_mode & 0o777 == 0o700
        assert "opened 0123456789abcdef0123456789abcdef" in log_file.read_text()
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def _fail_with_secret() -> None:
    try:
        raise KeyError("Secret Child Name")
    except KeyError as exc:
        raise RuntimeError("also Secret Child Name") from exc


def test_crash_report_has_types_and_frames_only(tmp_path: Path) -> None:
    try:
        _fail_with_secret()
    except RuntimeError as exc:
        path = write_crash_report(type(exc), exc, exc.__traceback__, tmp_path)
    assert path is not None and path.stat().st_mode & 0o777 == 0o600
    report = path.read_text()
    assert "builtins.RuntimeError" in report and "builtins.KeyError" in report
    assert "_fail_with_secret" in report and "test_logs.py:" in report
    assert "Secret" not in report


def test_excepthook_writes_a_report_for_main_and_worker_threads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = sys.excepthook, threading.excepthook
    try:
        install_excepthook(tmp_path)
        try:
            _fail_with_secret()
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        worker = threading.Thread(target=_fail_with_secret)
        worker.start()
        worker.join()
    finally:
        sys.excepthook, threading.excepthook = saved
    reports = sorted(tmp_path.glob("crash-*.txt"))
    assert len(reports) == 2
    assert all("Secret" not in r.read_text() for r in reports)
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err and "Secret" not in err
