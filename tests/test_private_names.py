"""No module imports another module's private (_name) names: what a module shares with
others is its public API, so a reader can change a private helper without searching the tree."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "aim3desk"
# Every layer, and the top-level modules (app.py, config.py, ...) as "." .
CHECKED_LAYERS = ("domain", "security", "store", "services", "ui", "cli", ".")


def private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{'.' * node.level}{node.module or ''} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


@pytest.mark.parametrize("layer", CHECKED_LAYERS)
def test_no_private_names_imported_across_modules(layer: str) -> None:
    bad = [
        f"{path.relative_to(PACKAGE)}: from {found}"
        for path in sorted(
            (PACKAGE / layer).glob("*.py") if layer == "." else (PACKAGE / layer).rglob("*.py")
        )
        for found in private_imports(path)
    ]
    assert not bad, "\n".join(bad)


def test_the_check_sees_absolute_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "planted.py"
    module.write_text("from aim3desk.domain.codec import _x\nfrom .forms import (ok, _y)\n")
    assert private_imports(module) == [
        "aim3desk.domain.codec import _x",
        ".forms import _y",
    ]
