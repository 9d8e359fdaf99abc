"""Guards against binding bugs that would crash a practitioner's session, not just a test.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call of a method that
returns nothing, so after a few thousand clicks the interpreter aborted ("none_dealloc").
None and the booleans are not immortal before Python 3.12, so a release with this fault must
never be pinned again.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox

CALLS = 2000


class _Emitter(QObject):
    flag = Signal(bool)


def test_void_methods_and_bool_signals_keep_reference_counts(qapp) -> None:
    box = QCheckBox()
    emitter = _Emitter()
    emitter.flag.connect(lambda _value: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        box.toggle()
        emitter.flag.emit(True)
    assert sys.getrefcount(None) >= none_before - 10
    assert sys.getrefcount(True) >= true_before - 10
