"""The folder tree is the architecture: lower layers must not reach up into Qt or the UI."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "aim3desk"

# layer -> module prefixes it must never import
FORBIDDEN = {
    "domain": (
        "PySide6",
        "sqlalchemy",
        "sqlcipher3",
        "alembic",
        "reportlab",
        "aim3desk.ui",
        "aim3desk.store",
        "aim3desk.services",
        "aim3desk.security",
        "aim3desk.app",
    ),
    "security": ("PySide6", "aim3desk.ui", "aim3desk.services", "aim3desk.app"),
    "store": ("PySide6", "aim3desk.ui", "aim3desk.services", "aim3desk.app"),
    # The store owns all SQL: services reach it through its unit of work only.
    "services": (
        "PySide6.QtWidgets",
        "aim3desk.ui",
        "aim3desk.app",
        "sqlalchemy",
        "aim3desk.store.schema",
    ),
    # The UI reaches the store and the keys only through the session's services.
    "ui": ("aim3desk.store", "aim3desk.security", "sqlalchemy", "cryptography"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_upwards(layer: str) -> None:
    bad = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert not bad, "\n".join(bad)
