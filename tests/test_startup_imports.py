"""The main window is imported on the UI thread while the unlock window waits for the
passphrase (ui/controller.py preloads it), so it must not pull in the store, the reports or
the crypto: those arrive with the session, on the worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_the_main_window_imports_no_store_reports_or_crypto() -> None:
    program = (
        "import json, sys\nimport aim3desk.ui.main_window\nprint(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    heavy = (
        "sqlalchemy",
        "sqlcipher3",
        "reportlab",
        "pyrage",
        "pypdfium2",
        "alembic",
        "jsonschema_rs",
    )
    loaded = sorted({name.split(".")[0] for name in json.loads(result.stdout)} & set(heavy))
    assert loaded == []
