"""Locking after a spell without user input: an application-wide event filter restarts a
single-shot timer on every key, click, wheel or touch; when it runs out, `idle` is emitted and
the controller locks."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


def minutes_to_ms(minutes: float) -> int:
    return int(minutes * 60_000)


class IdleLock(QObject):
    """`start()` after unlock and `stop()` while locked. The application-wide event filter is
    installed only while started: every event passes through it, and nothing needs watching
    while the profile is locked (nor at start-up). `timeout_ms` is milliseconds so tests can
    use a short interval."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        self._active = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timer.setInterval(timeout_ms)
        if self._active:
            self._timer.start()

    def start(self) -> None:
        if not self._active:
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self._active = True
        self._timer.start()

    def stop(self) -> None:
        if self._active:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
        self._active = False
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._active

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Several objects see the same input event; restarting a timer is cheap either way.
        if self._active and event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False
