"""The folder tree is the architecture: each layer imports only what sits below it.

Both absolute and relative imports are read (a relative import is resolved against the module
that makes it), including imports inside functions and under `if TYPE_CHECKING:`. Ruff holds
the same rules per folder (the `ruff.toml` beside each layer); this test is the one that runs
in CI whatever the linter's version.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "aim3desk"

_QT = ("PySide6",)
_SQL = ("sqlalchemy", "sqlcipher3", "alembic")

# layer -> module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (
        *_QT,
        *_SQL,
        "reportlab",
        "aim3desk.ui",
        "aim3desk.store",
        "aim3desk.services",
        "aim3desk.security",
        "aim3desk.app",
        "aim3desk.cli",
    ),
    "security": (*_QT, "aim3desk.ui", "aim3desk.services", "aim3desk.store", "aim3desk.app"),
    "store": (*_QT, "aim3desk.ui", "aim3desk.services", "aim3desk.app", "aim3desk.cli"),
    # No widgets below the UI (selftest may load QtGui to check the platform plugin); the
    # store owns every query and table.
    "services": (
        "PySide6.QtWidgets",
        *_SQL,
        "aim3desk.store.schema",
        "aim3desk.ui",
        "aim3desk.app",
        "aim3desk.cli",
    ),
    # The UI talks to services and the domain, never to the store or the keys directly.
    "ui": ("aim3desk.store", "aim3desk.security", "cryptography", *_SQL, "aim3desk.cli"),
}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(path: Path, node: ast.ImportFrom, root: Path = PACKAGE) -> str:
    """The absolute module a `from ... import` names, relative or not."""
    if node.level == 0:
        return node.module or ""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()  # a module's own package is one level up
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, root: Path = PACKAGE) -> list[str]:
    """Every module a file imports; for `from X import a, b` both X and X.a, X.b (so
    `from aim3desk.store import schema` counts as importing aim3desk.store.schema)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = resolve(path, node, root)
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return names


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(layer: str, root: Path = PACKAGE) -> list[str]:
    return [
        f"{path.relative_to(root)} imports {name}"
        for path in sorted((root / layer).rglob("*.py"))
        for name in imports_of(path, root)
        if any(_matches(name, prefix) for prefix in FORBIDDEN[layer])
    ]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_upwards(layer: str) -> None:
    bad = violations(layer)
    assert not bad, "\n".join(bad)


# -- the checker itself catches what it claims to (a planted file in a copy of the tree) ------

PLANTED = {
    "domain": "from PySide6.QtCore import QObject\n",
    "services": "from sqlalchemy import select\n",
    "store": "from ..ui import tasks\n",
    "ui": "from aim3desk.store import schema\n",
    "security": "from ..services import profile\n",
}


@pytest.mark.parametrize(("layer", "source"), sorted(PLANTED.items()))
def test_a_planted_violation_is_caught(tmp_path: Path, layer: str, source: str) -> None:
    root = tmp_path / "aim3desk"
    (root / layer).mkdir(parents=True)
    (root / layer / "planted.py").write_text(source, encoding="utf-8")
    assert violations(layer, root), f"planted {source!r} in {layer} went unnoticed"


def test_relative_imports_resolve_against_the_module() -> None:
    node = ast.parse("from ..store import schema").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert resolve(PACKAGE / "services" / "cases.py", node) == "aim3desk.store"
    in_package = PACKAGE / "services" / "reports" / "__init__.py"
    assert resolve(in_package, node) == "aim3desk.services.store"


# -- the UI takes from a service module only what it exports ----------------------------------


def exported_names(module: str, root: Path = PACKAGE) -> set[str] | None:
    """The names in a module's literal `__all__`, or None when it declares none."""
    base = root.parent.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.is_file():
        return None
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    return None


def unexported_service_imports(root: Path = PACKAGE) -> list[str]:
    """Names the UI imports from a services module whose `__all__` leaves them out (a
    re-export it does not mean to share, such as a type from the key code)."""
    found = []
    for path in sorted((root / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = resolve(path, node, root)
            exported = (
                exported_names(module, root) if _matches(module, "aim3desk.services") else None
            )
            found += [
                f"{path.relative_to(root)} imports {alias.name} from {module}"
                for alias in node.names
                if exported is not None and alias.name not in exported
            ]
    return found


def test_the_ui_imports_only_what_services_export() -> None:
    bad = unexported_service_imports()
    assert not bad, "\n".join(bad)


def test_an_unexported_service_import_is_caught(tmp_path: Path) -> None:
    root = tmp_path / "aim3desk"
    (root / "services").mkdir(parents=True)
    (root / "ui").mkdir()
    (root / "services" / "profile.py").write_text(
        'from x import KdfParams\n__all__ = ["ProfileService"]\n', encoding="utf-8"
    )
    (root / "ui" / "planted.py").write_text(
        "from aim3desk.services.profile import KdfParams\n", encoding="utf-8"
    )
    assert unexported_service_imports(root) == [
        "ui/planted.py imports KdfParams from aim3desk.services.profile"
    ]
