"""Screenshot of Preferences with values locked by a machine policy (for review and docs).

    QT_QPA_PLATFORM=offscreen python packaging/screenshot_preferences.py [OUT.png]

Uses a throwaway policy and profile folder; nothing on the machine is read or changed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

POLICY = """\
locked = ["organisation_name", "idle_lock_minutes", "kdf_min_memory_kib", "report_logo"]

[settings]
organisation_name = "Northvale Youth Justice Service"
report_logo = "/etc/xdg/aim3desk/northvale-logo.png"
idle_lock_minutes = 5
kdf_min_memory_kib = 131072
"""


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots/preferences.png").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "policy.toml"
        policy.write_text(POLICY, encoding="utf-8")
        os.environ["AIM3DESK_POLICY"] = str(policy)
        profile = Path(tmp) / "profile"
        profile.mkdir()

        from PySide6.QtWidgets import QApplication

        from aim3desk import config
        from aim3desk.ui.preferences_dialog import PreferencesDialog

        app = QApplication.instance() or QApplication([])
        dialog = PreferencesDialog(config.load_settings(profile), profile)
        dialog.show()
        dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSizeHint()))
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(out))
        print(f"saved {out} ({dialog.width()}x{dialog.height()})")
        dialog.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
