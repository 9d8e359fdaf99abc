"""Machine policy: locked values win, bad policy files fall back safely, Preferences obeys locks."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from aim3desk import config
from aim3desk.config import Settings, load_settings, save_user_settings

TEMPLATE = Path(__file__).resolve().parents[1] / "packaging" / "policy.example.toml"
DEFAULTS = Settings()


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "etc" / "policy.toml"
    path.parent.mkdir()
    monkeypatch.setenv("AIM3DESK_POLICY", str(path))
    return path


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    folder = tmp_path / "profile"
    folder.mkdir()
    return folder


def write_user(profile: Path, **values: object) -> None:
    (profile / config.SETTINGS_FILE_NAME).write_text(json.dumps(values), encoding="utf-8")


# ----- locked values win


def test_policy_path_honours_override(policy_file: Path) -> None:
    assert config.policy_path() == policy_file


def test_locked_policy_value_wins_over_user_file(policy_file: Path, profile: Path) -> None:
    policy_file.write_text(
        'locked = ["idle_lock_minutes", "organisation_name"]\n'
        "[settings]\n"
        "idle_lock_minutes = 5\n"
        'organisation_name = "Northvale Youth Justice Service"\n'
        "assessment_deadline_weeks = 8\n",
        encoding="utf-8",
    )
    write_user(
        profile, idle_lock_minutes=60, organisation_name="Mine", assessment_deadline_weeks=12
    )
    effective = load_settings(profile)
    assert effective.values.idle_lock_minutes == 5
    assert effective.values.organisation_name == "Northvale Youth Justice Service"
    # Set by policy but not locked: the user's own choice wins.
    assert effective.values.assessment_deadline_weeks == 12
    assert effective.is_locked("idle_lock_minutes")
    assert not effective.is_locked("assessment_deadline_weeks")
    assert effective.policy_path == policy_file
    assert effective.problems == ()


def test_locking_without_a_value_locks_the_default(policy_file: Path, profile: Path) -> None:
    policy_file.write_text('locked = ["autosave_delay_ms"]\n', encoding="utf-8")
    write_user(profile, autosave_delay_ms=3000)
    effective = load_settings(profile)
    assert effective.values.autosave_delay_ms == DEFAULTS.autosave_delay_ms


def test_no_policy_file_means_defaults_and_no_locks(policy_file: Path) -> None:
    effective = load_settings(None)
    assert effective.values == DEFAULTS
    assert effective.locked == frozenset()
    assert effective.policy_path is None
    assert effective.problems == ()


def test_save_user_settings_refuses_locked_values(policy_file: Path, profile: Path) -> None:
    policy_file.write_text(
        'locked = ["idle_lock_minutes"]\n[settings]\nidle_lock_minutes = 5\n', encoding="utf-8"
    )
    effective = load_settings(profile)
    with pytest.raises(PermissionError, match="idle_lock_minutes"):
        save_user_settings(profile, effective, idle_lock_minutes=120, autosave_delay_ms=400)
    # Nothing at all was written: a refused save is not half-applied.
    assert not (profile / config.SETTINGS_FILE_NAME).exists()

    saved = save_user_settings(profile, effective, autosave_delay_ms=400)
    assert saved.values.autosave_delay_ms == 400
    assert saved.values.idle_lock_minutes == 5
    stored = json.loads((profile / config.SETTINGS_FILE_NAME).read_text(encoding="utf-8"))
    assert stored == {"autosave_delay_ms": 400}


def test_value_locked_after_user_chose_it_is_overridden(policy_file: Path, profile: Path) -> None:
    saved = save_user_settings(profile, load_settings(profile), idle_lock_minutes=90)
    assert saved.values.idle_lock_minutes == 90
    policy_file.write_text(
        'locked = ["idle_lock_minutes"]\n[settings]\nidle_lock_minutes = 15\n', encoding="utf-8"
    )
    assert load_settings(profile).values.idle_lock_minutes == 15


# ----- malformed policy files fall back to safe defaults, with problems reported


@pytest.mark.parametrize(
    "text",
    [
        "[settings\nidle_lock_minutes = 5\n",  # bad TOML
        "idle_lock_minutes = = 5\n",
        "\x00\x01 not toml",
    ],
)
def test_unreadable_policy_is_ignored_as_a_whole(
    policy_file: Path, profile: Path, text: str
) -> None:
    policy_file.write_text(text, encoding="utf-8")
    write_user(profile, idle_lock_minutes=30)
    effective = load_settings(profile)
    assert effective.locked == frozenset()
    assert effective.values == Settings(idle_lock_minutes=30)
    assert len(effective.problems) == 1
    assert "could not be read" in effective.problems[0]
    assert str(policy_file) in effective.problems[0]


def test_policy_that_is_not_utf8_is_reported(policy_file: Path) -> None:
    policy_file.write_bytes(b"[settings]\norganisation_name = '\xff\xfe'\n")
    effective = load_settings(None)
    assert effective.values == DEFAULTS
    assert effective.problems and "could not be read" in effective.problems[0]


@pytest.mark.parametrize(
    ("line", "name", "words"),
    [
        ('idle_lock_minutes = "five"', "idle_lock_minutes", "must be int"),
        ("idle_lock_minutes = true", "idle_lock_minutes", "must be int"),
        ("idle_lock_minutes = 2.5", "idle_lock_minutes", "must be int"),
        ("organisation_name = 42", "organisation_name", "must be str"),
        ('kdf_target_seconds = "slow"', "kdf_target_seconds", "must be float"),
        ("idle_lock_minutes = 0", "idle_lock_minutes", "between 1 and 240"),
        ("idle_lock_minutes = 100000", "idle_lock_minutes", "between 1 and 240"),
        ("assessment_deadline_weeks = -1", "assessment_deadline_weeks", "between 1 and 52"),
        ("autosave_delay_ms = 10", "autosave_delay_ms", "between 100 and 5000"),
        ("kdf_target_seconds = nan", "kdf_target_seconds", "between"),
        ("kdf_target_seconds = inf", "kdf_target_seconds", "between"),
        # Attempts to weaken passphrase protection below the built-in floor.
        ("kdf_min_memory_kib = 1024", "kdf_min_memory_kib", "between 65536"),
        ("kdf_min_iterations = 1", "kdf_min_iterations", "between 3"),
        ("kdf_target_seconds = 0.01", "kdf_target_seconds", "between 0.5"),
    ],
)
def test_bad_value_falls_back_to_default_and_is_reported(
    policy_file: Path, line: str, name: str, words: str
) -> None:
    policy_file.write_text(
        f'locked = ["{name}"]\n[settings]\n{line}\nassessment_deadline_weeks = 9\n'
        if name != "assessment_deadline_weeks"
        else f'locked = ["{name}"]\n[settings]\n{line}\n',
        encoding="utf-8",
    )
    effective = load_settings(None)
    assert getattr(effective.values, name) == getattr(DEFAULTS, name)
    # The rest of the file still applies, and the bad value is still locked (to the default).
    if name != "assessment_deadline_weeks":
        assert effective.values.assessment_deadline_weeks == 9
    assert effective.is_locked(name)
    assert any(name in p and words in p for p in effective.problems), effective.problems


def test_security_settings_are_never_weakened(policy_file: Path, profile: Path) -> None:
    policy_file.write_text(
        "[settings]\nkdf_min_memory_kib = 262144\nkdf_min_iterations = 6\n"
        "kdf_target_seconds = 1.5\n",
        encoding="utf-8",
    )
    # A user file may raise them, never lower them below what policy set (even unlocked).
    write_user(profile, kdf_min_memory_kib=65536, kdf_min_iterations=8, kdf_target_seconds=0.5)
    values = load_settings(profile).values
    assert values.kdf_min_memory_kib == 262144
    assert values.kdf_min_iterations == 8
    assert values.kdf_target_seconds == 1.5


def test_integer_accepted_for_float_setting(policy_file: Path) -> None:
    policy_file.write_text("[settings]\nkdf_target_seconds = 2\n", encoding="utf-8")
    effective = load_settings(None)
    assert effective.values.kdf_target_seconds == 2.0
    assert isinstance(effective.values.kdf_target_seconds, float)
    assert effective.problems == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("settings = 5\n", "'settings' must be a table"),
        ('locked = "idle_lock_minutes"\n', "'locked' must be a list"),
        ("locked = [1, 2]\n", "'locked' must be a list"),
        ("[general]\nidle_lock_minutes = 5\n", "unknown section"),
        ("[settings]\nidle_lock_minute = 5\n", "unknown setting 'idle_lock_minute'"),
        ('locked = ["idle_lock_minute"]\n', "unknown setting 'idle_lock_minute'"),
    ],
)
def test_structural_mistakes_are_reported(policy_file: Path, text: str, words: str) -> None:
    policy_file.write_text(text, encoding="utf-8")
    effective = load_settings(None)
    assert effective.values == DEFAULTS
    assert effective.locked == frozenset()
    assert any(words in p for p in effective.problems), effective.problems


def test_unreadable_user_file_is_reported_and_policy_still_applies(
    policy_file: Path, profile: Path
) -> None:
    policy_file.write_text(
        'locked = ["idle_lock_minutes"]\n[settings]\nidle_lock_minutes = 3\n', encoding="utf-8"
    )
    (profile / config.SETTINGS_FILE_NAME).write_text("{not json", encoding="utf-8")
    effective = load_settings(profile)
    assert effective.values.idle_lock_minutes == 3
    assert any("settings file" in p for p in effective.problems)


def test_policy_folder_is_platformdirs_site_config(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("AIM3DESK_POLICY", raising=False)
    expected = Path(platformdirs.site_config_dir("aim3desk", appauthor=False)) / "policy.toml"
    assert config.policy_path() == expected


# ----- the template IT copies


def _uncommented_template() -> str:
    """The template with every `# name = value` line switched on."""
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    return "\n".join(re.sub(r"^# (\w+ = .*)$", r"\1", line) for line in lines) + "\n"


def test_template_as_shipped_changes_nothing(policy_file: Path) -> None:
    policy_file.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    effective = load_settings(None)
    assert effective.values == DEFAULTS
    assert effective.locked == frozenset()
    assert effective.problems == ()


def test_template_documents_every_setting_with_valid_examples(policy_file: Path) -> None:
    policy_file.write_text(_uncommented_template(), encoding="utf-8")
    effective = load_settings(None)
    assert effective.problems == ()
    every = {f.name for f in fields(Settings)}
    text = TEMPLATE.read_text(encoding="utf-8")
    for name in every:
        assert re.search(rf"^# {name} = ", text, re.MULTILINE), f"{name} missing from template"
    assert effective.locked <= every and effective.locked
    changed = {n for n in every if getattr(effective.values, n) != getattr(DEFAULTS, n)}
    assert changed >= {"organisation_name", "idle_lock_minutes", "kdf_min_memory_kib"}


# ----- Preferences shows locked values read-only


@pytest.mark.gui
def test_preferences_shows_locked_settings_disabled(
    qtbot, policy_file: Path, profile: Path
) -> None:
    from aim3desk.ui.preferences_dialog import LOCK_NOTE, PreferencesDialog

    policy_file.write_text(
        'locked = ["idle_lock_minutes", "report_logo", "kdf_min_memory_kib"]\n'
        "[settings]\nidle_lock_minutes = 5\n"
        'report_logo = "/etc/xdg/aim3desk/logo.png"\nkdf_min_memory_kib = 131072\n',
        encoding="utf-8",
    )
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.it_toggle.setChecked(True)  # the key-derivation settings are folded "For IT"

    for name in ("idle_lock_minutes", "report_logo", "kdf_min_memory_kib"):
        widget = dialog.field_widget(name)
        assert not widget.isEnabled(), name
        note = dialog.lock_note(name)
        assert note is not None and note.text() == LOCK_NOTE and note.isVisible()
        assert LOCK_NOTE in widget.toolTip() or LOCK_NOTE in widget.parentWidget().toolTip()
        assert str(policy_file) in note.toolTip()
    assert dialog.field_widget("idle_lock_minutes").value() == 5
    assert dialog.field_widget("kdf_min_memory_kib").value() == 128  # shown in MiB
    for name in ("organisation_name", "autosave_delay_ms", "kdf_min_iterations"):
        assert dialog.field_widget(name).isEnabled(), name
        assert dialog.lock_note(name) is None


@pytest.mark.gui
def test_preferences_saves_only_changed_unlocked_values(
    qtbot, policy_file: Path, profile: Path
) -> None:
    from aim3desk.ui.preferences_dialog import PreferencesDialog

    policy_file.write_text(
        'locked = ["idle_lock_minutes"]\n[settings]\nidle_lock_minutes = 5\n'
        "kdf_min_memory_kib = 100000\n",  # not a whole MiB: display rounding is no change
        encoding="utf-8",
    )
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    saved: list[object] = []
    dialog.settings_saved.connect(saved.append)
    dialog.field_widget("autosave_delay_ms").setValue(1500)
    dialog.field_widget("organisation_name").setText("Eastmoor Children's Services")
    assert dialog.changed_values() == {
        "autosave_delay_ms": 1500,
        "organisation_name": "Eastmoor Children's Services",
    }
    dialog._save_button.click()

    stored = json.loads((profile / config.SETTINGS_FILE_NAME).read_text(encoding="utf-8"))
    assert stored == {
        "autosave_delay_ms": 1500,
        "organisation_name": "Eastmoor Children's Services",
    }
    assert len(saved) == 1 and saved[0].values.autosave_delay_ms == 1500
    assert load_settings(profile).values.idle_lock_minutes == 5
    assert load_settings(profile).values.kdf_min_memory_kib == 100000


@pytest.mark.gui
def test_preferences_security_spin_boxes_cannot_go_below_policy_floor(
    qtbot, policy_file: Path, profile: Path
) -> None:
    from aim3desk.ui.preferences_dialog import PreferencesDialog

    policy_file.write_text(
        "[settings]\nkdf_min_iterations = 5\nkdf_target_seconds = 1.0\n", encoding="utf-8"
    )
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    assert dialog.field_widget("kdf_min_iterations").minimum() == 5
    assert dialog.field_widget("kdf_target_seconds").minimum() == 1.0
    assert dialog.field_widget("kdf_min_memory_kib").minimum() == 64


@pytest.mark.gui
def test_preferences_lists_policy_problems(qtbot, policy_file: Path, profile: Path) -> None:
    from PySide6.QtWidgets import QLabel

    from aim3desk.ui.preferences_dialog import PreferencesDialog

    policy_file.write_text("[settings]\nidle_lock_minutes = 0\n", encoding="utf-8")
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    banner = dialog.findChild(QLabel, "settingsProblems")
    assert banner is not None and "idle_lock_minutes" in banner.text()
