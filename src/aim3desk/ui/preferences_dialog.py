"""Preferences: the user's own settings, with values locked by machine policy shown read-only.

Only settings the user changed are written (via config.save_user_settings), so a later change
to the organisation's defaults still reaches settings the user never touched. Security
settings can only be raised: their spin boxes start at the floor set by the defaults and
machine policy, matching what config.py would accept anyway.

The key-derivation settings (memory, passes, unlock time) are for IT, not for practitioners:
they sit folded under "For IT" (normally machine policy sets them), rather than being removed,
so IT can still raise them on one laptop without writing a policy file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk import config
from aim3desk.config import EffectiveSettings, Settings
from aim3desk.ui.contact_details_box import ContactDetailsBox
from aim3desk.ui.share_folder_row import ShareFolderRow
from aim3desk.ui.text_limit import limit_line

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

LOCK_NOTE = "Set by your organisation"
KIB_PER_MIB = 1024


@dataclass(frozen=True)
class _Field:
    """How one Settings field is shown: label, help text, group and widget kind."""

    name: str
    label: str
    help: str
    group: str


_FIELDS = (
    _Field("organisation_name", "Organisation name", "Printed in report headers.", "Reports"),
    _Field("report_logo", "Report logo", "PNG or JPEG printed at the top of reports.", "Reports"),
    _Field(
        "licensed_form_file",
        "Licensed form file",
        "Form content licensed to your organisation. Empty: the forms shipped with the app.",
        "Reports",
    ),
    _Field(
        "idle_lock_minutes",
        "Lock after",
        "Minutes without activity before the profile locks and asks for the passphrase.",
        "Working",
    ),
    _Field(
        "assessment_deadline_weeks",
        "Assessment deadline",
        "Weeks from the start of an assessment to its due date.",
        "Working",
    ),
    _Field(
        "autosave_delay_ms",
        "Autosave delay",
        "Pause after typing before a form is saved.",
        "Working",
    ),
    _Field(
        "assessment_supervision_sessions",
        "Assessment supervision",
        "Supervision sessions needed before an assessment is due.",
        "Supervision",
    ),
    _Field(
        "intervention_supervision_weeks",
        "Intervention supervision",
        "Weeks allowed between supervision sessions during intervention.",
        "Supervision",
    ),
    _Field(
        "goal_review_weeks",
        "Goal reviews",
        "Weeks between reviews of progress on each intervention goal.",
        "Supervision",
    ),
    _Field(
        "kdf_min_memory_kib",
        "Minimum memory",
        "Memory used to protect your passphrase (Argon2id). More is stronger but slower to "
        "unlock. Applies when you next set or change your passphrase.",
        "For IT: passphrase protection",
    ),
    _Field(
        "kdf_min_iterations",
        "Minimum passes",
        "Argon2id passes. Applies when you next set or change your passphrase.",
        "For IT: passphrase protection",
    ),
    _Field(
        "kdf_target_seconds",
        "Unlock time target",
        "How long one unlock may take on this computer; the protection is raised to fit.",
        "For IT: passphrase protection",
    ),
    _Field(
        "retention_years_after_closure",
        "Keep closed cases",
        "Years a closed case is kept after the day it was closed (or until the age below, "
        "whichever is later) before it is listed as due for a retention decision.",
        "Retention",
    ),
    _Field(
        "retention_until_age",
        "Keep until age",
        "A closed case is kept at least until the young person's birthday at this age.",
        "Retention",
    ),
    _Field(
        "escrow_recipient",
        "Escrow key",
        "Your organisation's public key: every bundle you send can also be opened by the "
        "organisation with its secret key, kept offline. Only machine policy sets it.",
        "Organisation",
    ),
    _Field(
        "share_folder",
        "Shared folder",
        "A mapped network drive or synced cloud folder your team shares: bundles you send "
        "wait in your outbox until it is reachable, and bundles for you are collected from "
        "it. Empty: no sync.",
        "Shared folder",
    ),
)
_GROUPS = (
    "Reports",
    "Working",
    "Supervision",
    "For IT: passphrase protection",
    "Retention",
    "Organisation",
    "Shared folder",
)
PREFERRED_WIDTH = 1040  # two columns whose paths and names read in full; fits 1366 px
_LEFT_GROUPS = 3  # Reports, Working and Supervision on the left; the rest on the right
_FLOOR_FIELDS = {"kdf_min_memory_kib", "kdf_min_iterations", "kdf_target_seconds"}
IT_GROUP = "For IT: passphrase protection"  # folded until shown (see the module notes)
IT_NOTE = (  # two short lines: a wrapped label in a form row is cut short
    "Usually set by your organisation's policy: leave them as they are\n"
    "unless your IT team asks. They apply when a passphrase is next set."
)


class PreferencesDialog(QDialog):
    """A form of every setting; locked ones disabled with "Set by your organisation"."""

    settings_saved = Signal(object)  # the new EffectiveSettings

    def __init__(
        self,
        effective: EffectiveSettings,
        profile_dir: Path,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
        session: Session | None = None,
    ) -> None:
        """`runner` lets the shared folder be tested without holding up the window; with
        `session` too, your contact details (kept in the profile) are edited here."""
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.effective = effective
        self._profile_dir = profile_dir
        # Floors for the security settings: defaults raised by machine policy (never lower).
        self._floor = config.load_settings(None).values
        self._widgets: dict[str, QWidget] = {}
        self._shown: dict[str, object] = {}
        self._readers: dict[str, Callable[[], object]] = {}
        self._lock_notes: dict[str, QLabel] = {}
        self.contact_box = (
            ContactDetailsBox(session, runner) if session is not None and runner else None
        )
        self._build()

    # ----- public API used by the app and by tests
    def field_widget(self, name: str) -> QWidget:
        return self._widgets[name]

    def lock_note(self, name: str) -> QLabel | None:
        return self._lock_notes.get(name)

    def changed_values(self) -> dict[str, object]:
        """Unlocked settings the user edited (compared with what the dialog first showed, so
        rounding for display, e.g. KiB shown as MiB, never counts as a change)."""
        return {
            name: read()
            for name, read in self._readers.items()
            if not self.effective.is_locked(name)
            and name not in config.POLICY_ONLY
            and read() != self._shown[name]
        }

    # ----- layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(12)
        if self.effective.problems:
            outer.addWidget(self._problems_banner())

        forms: dict[str, QFormLayout] = {}
        # Two columns of groups: in one, the dialog no longer fits a 1366x768 screen.
        columns = QHBoxLayout()
        columns.setSpacing(12)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column in (left, right):
            column.setSpacing(12)
            columns.addLayout(column, 1)
        for index, group_name in enumerate(_GROUPS):
            box = QGroupBox(group_name)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            forms[group_name] = form
            column = left if index < _LEFT_GROUPS else right
            if group_name == IT_GROUP:
                column.addWidget(self._it_fold(box, form))
            column.addWidget(box)
        if self.contact_box is not None:
            left.addWidget(self.contact_box)
        left.addStretch(1)
        right.addStretch(1)
        outer.addLayout(columns)

        if {f.name for f in fields(Settings)} != {f.name for f in _FIELDS}:
            raise RuntimeError("every setting needs a row in Preferences")
        labels: list[QLabel] = []
        for spec in _FIELDS:
            editor, read = self._editor(spec.name)
            editor.setToolTip(spec.help)
            self._readers[spec.name] = read
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            is_text = isinstance(self._widgets[spec.name], QLineEdit | ShareFolderRow)
            if not is_text:  # numbers stay compact; text fields take the width
                editor.setMinimumWidth(150)
            row_layout.addWidget(editor, 1 if is_text else 0)
            if self.effective.is_locked(spec.name) or spec.name in config.POLICY_ONLY:
                self._lock(spec.name, editor, row_layout)
            if not is_text:
                row_layout.addStretch(1)
            label = QLabel(spec.label + ":")
            label.setToolTip(spec.help)
            label.setBuddy(self._widgets[spec.name])
            labels.append(label)
            forms[spec.group].addRow(label, row)
        # One label column width for all groups, so the fields line up down the dialog.
        label_width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(label_width)

        self._shown = {name: read() for name, read in self._readers.items()}
        outer.addWidget(self._policy_line())
        outer.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self._save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        outer.addWidget(buttons)
        # The layout's minimum is the dialog's (labels never clip); text fields get room.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        hint = self.sizeHint()
        self.resize(max(hint.width(), PREFERRED_WIDTH), hint.height())

    def _it_fold(self, box: QGroupBox, form: QFormLayout) -> QToolButton:
        """A button that shows or hides the IT group; folded at first."""
        note = QLabel(IT_NOTE)
        note.setStyleSheet("QLabel { color: palette(dark); }")
        form.addRow(note)
        toggle = QToolButton()
        toggle.setObjectName("itToggle")
        toggle.setText("For IT: passphrase protection settings")
        toggle.setAccessibleName("Show the passphrase protection settings for IT")
        toggle.setCheckable(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setAutoRaise(True)
        box.setTitle("")  # the button is its title
        box.setVisible(False)

        def shown(on: bool) -> None:
            toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
            box.setVisible(on)

        toggle.toggled.connect(shown)
        self.it_toggle, self.it_group = toggle, box
        return toggle

    def _problems_banner(self) -> QLabel:
        text = "Some settings could not be used; safe defaults apply:\n" + "\n".join(
            f"• {p}" for p in self.effective.problems
        )
        banner = QLabel(text)
        banner.setObjectName("settingsProblems")
        banner.setWordWrap(True)
        banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner.setStyleSheet(
            "QLabel { background: #fff4e5; border: 1px solid #e0a040; padding: 8px; }"
        )
        return banner

    def _policy_line(self) -> QLabel:
        if self.effective.policy_path is not None:
            text = f"Your organisation's policy: {self.effective.policy_path}"
        else:
            text = "No organisation policy is installed on this computer."
        line = QLabel(text)
        line.setObjectName("policyLine")
        line.setWordWrap(True)
        line.setStyleSheet("QLabel { color: palette(mid); }")
        return line

    def _lock(self, name: str, editor: QWidget, row_layout: QHBoxLayout) -> None:
        where = self.effective.policy_path or config.policy_path()
        tip = (
            f"{LOCK_NOTE}: this value comes from the machine policy ({where}) "
            "and cannot be changed here. Ask your IT team if it needs to change."
        )
        if isinstance(editor, ShareFolderRow):
            editor.lock()  # it can still be tested
        else:
            editor.setEnabled(False)
        editor.setToolTip(tip)
        note = QLabel(LOCK_NOTE)
        note.setObjectName(f"lockNote_{name}")
        note.setToolTip(tip)
        note.setStyleSheet("QLabel { color: palette(dark); font-style: italic; }")
        row_layout.addWidget(note)
        self._lock_notes[name] = note

    def _editor(self, name: str) -> tuple[QWidget, Callable[[], object]]:
        """The widget for one setting and a function reading its value back."""
        value = getattr(self.effective.values, name)
        if name == "share_folder":
            row = ShareFolderRow(value, self._runner)
            self._widgets[name] = row
            return row, row.value
        if name in ("organisation_name", "report_logo", "licensed_form_file", "escrow_recipient"):
            return self._text_editor(name, value)
        if name == "kdf_min_memory_kib":
            spin = QSpinBox()
            spin.setRange(self._floor.kdf_min_memory_kib // KIB_PER_MIB, 4096)
            spin.setSingleStep(64)
            spin.setSuffix(" MiB")
            spin.setValue(value // KIB_PER_MIB)
            self._widgets[name] = spin
            return spin, lambda: spin.value() * KIB_PER_MIB
        if name == "kdf_target_seconds":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(2)
            dspin.setSingleStep(0.1)
            dspin.setRange(self._floor.kdf_target_seconds, 5.0)
            dspin.setSuffix(" s")
            dspin.setValue(value)
            self._widgets[name] = dspin
            return dspin, lambda: round(dspin.value(), 2)
        ranges = {
            "idle_lock_minutes": (1, 240, 1, " min"),
            "assessment_deadline_weeks": (1, 52, 1, " weeks"),
            "autosave_delay_ms": (100, 5000, 100, " ms"),
            "assessment_supervision_sessions": (1, 12, 1, " sessions"),
            "intervention_supervision_weeks": (1, 26, 1, " weeks"),
            "goal_review_weeks": (1, 52, 1, " weeks"),
            "retention_years_after_closure": (1, 100, 1, " years"),
            "retention_until_age": (18, 100, 1, " years old"),
            "kdf_min_iterations": (self._floor.kdf_min_iterations, 50, 1, ""),
        }
        low, high, step, suffix = ranges[name]
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setValue(value)
        self._widgets[name] = spin
        return spin, spin.value

    def _text_editor(self, name: str, value: str) -> tuple[QWidget, Callable[[], object]]:
        edit = QLineEdit(value)
        edit.setObjectName(f"edit_{name}")
        self._widgets[name] = edit
        if name == "organisation_name":
            limit_line(edit, name)  # printed on every report
            edit.setPlaceholderText("None")
            return edit, lambda: edit.text().strip()
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        browse = QPushButton("Browse…")
        filters = "Images (*.png *.jpg *.jpeg)" if name == "report_logo" else "Form files (*.toml)"
        browse.clicked.connect(lambda: self._browse(edit, filters))
        layout.addWidget(browse)
        edit.setPlaceholderText(
            "Forms shipped with the app" if name == "licensed_form_file" else "None"
        )
        return box, lambda: edit.text().strip()

    def _browse(self, edit: QLineEdit, filters: str) -> None:
        start = str(Path(edit.text()).parent) if edit.text() else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose a file", start, filters)
        if chosen:
            edit.setText(chosen)

    # ----- saving
    def _save(self) -> None:
        if self.contact_box is not None:
            self.contact_box.save()
        changes = self.changed_values()
        if not changes:
            self.accept()
            return
        try:
            self.effective = config.save_user_settings(self._profile_dir, self.effective, **changes)
        except PermissionError as exc:  # a value became locked while the dialog was open
            QMessageBox.warning(self, "Preferences", str(exc))
            return
        except OSError as exc:
            QMessageBox.warning(self, "Preferences", f"Your settings could not be saved: {exc}")
            return
        self.settings_saved.emit(self.effective)
        self.accept()
