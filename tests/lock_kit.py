"""For the locking tests: a real profile whose case carries unique canaries (in the young
person's name, the reference and a factor's reason) and a walk over every live widget for
text that still holds one of them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTreeView,
    QWidget,
)

from aim3desk.domain.assessment_items import (
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
)
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from aim3desk.ui.controller import AppController
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.unlock import UnlockDialog

FAST_KDF = KdfParams(8192, 1, 1)
PASSPHRASE = "ochre lantern tidal quibble meadow"


def start_and_unlock(qtbot, controller: AppController, wait_ms: int = 15_000) -> MainWindow:
    """Start the app on an existing profile, type the passphrase, click Unlock: the window."""
    controller.start()
    dialog = controller.dialog
    assert isinstance(dialog, UnlockDialog)
    dialog.passphrase_edit.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.session is not None, timeout=wait_ms)
    window = controller.main_window
    assert window is not None
    qtbot.waitUntil(window.isVisible, timeout=wait_ms)
    return window


def canary(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class CanaryCase:
    case_id: str
    name: str
    reference: str
    reason: str
    domain_id: str

    @property
    def all(self) -> tuple[str, ...]:
        return (self.name, self.reference, self.reason)


def profile_with_canary_case(profile_dir: Path, long_text_chars: int = 0) -> CanaryCase:
    """A profile (made through the service) with one demo case carrying fresh canaries;
    with `long_text_chars`, each part of its formulation is that long (a slow report)."""
    session, _recovery = ProfileService(profile_dir, kdf=FAST_KDF).create(
        PASSPHRASE, "Alex Testworker"
    )
    try:
        [case] = add_demo_cases(session, count=1)
        name, reference, reason = canary("Zorvenka"), canary("QX"), canary("Plimsquaw")
        case = session.cases.update_case(replace(case, young_person_name=name, reference=reference))
        assessment_id = case.current_assessment.id
        domain = session.assessments.form_set.domains_for(case.current_assessment.model.value)[0]
        factor = domain.factors[0]
        items: list[object] = [FactorRating(domain.id, factor.slot, None, f"Reason: {reason}.")]
        if long_text_chars:
            prose = ("An invented sentence about nothing in particular. " * 4 + "\n\n") * (
                long_text_chars // 210 + 1
            )
            formulation = Formulation()
            for part_id in FormulationPartId:
                formulation = formulation.with_part(
                    part_id, FormulationPart(prose[:long_text_chars])
                )
            items.append(formulation)
        session.assessments.save_items(assessment_id, items)
    finally:
        session.close()
    return CanaryCase(case.id, name, reference, reason, domain.id)


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _model_texts(view: QAbstractItemView) -> list[str]:
    tree = isinstance(view, QTreeView)
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []
    pending = [QModelIndex()]
    while pending:  # every row of every level (trees too), every column
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(_columns(model, parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        texts.append(value)
            first = model.index(row, 0, parent)
            if tree and model.rowCount(first) > 0:
                pending.append(first)
    return texts


def widget_texts(widget: QWidget) -> list[str]:
    """Everything readable the widget holds: its title, tooltip and its text or rows."""
    texts = [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
    if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QPlainTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())] + [widget.currentText()]
    if isinstance(widget, QAbstractItemView):
        texts += _model_texts(widget)
    return texts


def widgets_holding(needles: tuple[str, ...]) -> list[str]:
    """Every live widget (shown or hidden, any window) with text containing a needle."""
    found: list[str] = []
    for widget in QApplication.allWidgets():
        for text in widget_texts(widget):
            if any(needle in text for needle in needles):
                window = widget.window()
                found.append(
                    f"{type(widget).__name__} {widget.objectName()!r} in "
                    f"{type(window).__name__} {window.objectName()!r}: {text[:80]!r}"
                )
                break
    return found


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]
