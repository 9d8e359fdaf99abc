"""Reading form files: TOML parsed into tables whose typed getters keep the key path, so every
error names the file and the key (or line and column) at fault.

Shared by every form file reader (model files, evidence rules, screening, supervision,
intervention) and by the sharing policy (domain/sharing.py). Pure Python, no file system.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aim3desk.domain.limits import MAX_FORM_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_toml

FORMAT_VERSION = 1

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# AIM3 builds a profile, never a risk level (domain.md): refuse such labels outright.
_RISK_LABEL_PATTERN = re.compile(r"\b(low|medium|moderate|high)[\s-]+risk\b", re.IGNORECASE)


class FormError(ValueError):
    """A form file is wrong; names the file and the key path (or line and column) at fault."""

    def __init__(
        self,
        file: str,
        key_path: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
    ):
        self.file = file
        self.key_path = key_path
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is not None:
            where = f"line {self.line}, column {self.column}"
        else:
            where = self.key_path or "(top level)"
        return f"{self.file}: {where}: {self.message}"


_MISSING: Any = object()


def describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class Table:
    """A TOML table being read: typed getters that name the key path, then done() rejects
    any key nobody asked for."""

    def __init__(self, file: str, data: Mapping[str, Any], path: str = ""):
        self.file = file
        self.data = data
        self.path = path
        self._seen: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, message: str) -> FormError:
        return FormError(self.file, self.key_path(key) if key else self.path, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, default: Any) -> Any:
        self._seen.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.error(key, "required key is missing")
        return default

    def _typed(self, key: str, default: Any, check: Callable[[Any], bool], expected: str) -> Any:
        value = self._get(key, default)
        if value is default and key not in self.data:
            return value
        if not check(value):
            raise self.error(key, f"expected {expected}, got {describe(value)}")
        return value

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self._typed(key, default, lambda v: isinstance(v, str), "a string")
        if key in self.data and not value.strip():
            raise self.error(key, "must not be empty")
        return value.strip() if isinstance(value, str) else value

    def identifier(self, key: str) -> str:
        value = self.text(key)
        if not _ID_PATTERN.match(value):
            raise self.error(
                key,
                f"expected an id of lower-case letters, digits, _ or - (at most 40), "
                f"got {describe(value)}",
            )
        return value

    def integer(self, key: str, default: Any = _MISSING) -> int:
        return self._typed(
            key, default, lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"
        )

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        return self._typed(key, default, lambda v: isinstance(v, bool), "true or false")

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._typed(key, _MISSING, lambda v: isinstance(v, list), "an array of strings")
        if not values:
            raise self.error(key, "must list at least one entry")
        result = []
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise self.error(f"{key}[{index}]", f"expected a string, got {describe(value)}")
            if not value.strip():
                raise self.error(f"{key}[{index}]", "must not be empty")
            result.append(value.strip())
        return tuple(result)

    def table(self, key: str) -> Table:
        value = self._typed(key, _MISSING, lambda v: isinstance(v, dict), "a table")
        return Table(self.file, value, self.key_path(key))

    def tables(self, key: str, default: Any = _MISSING) -> list[Table]:
        value = self._typed(key, default, lambda v: isinstance(v, list), "an array of tables")
        result = []
        for index, item in enumerate(value):
            item_path = f"{self.key_path(key)}[{index}]"
            if not isinstance(item, dict):
                raise FormError(self.file, item_path, f"expected a table, got {describe(item)}")
            result.append(Table(self.file, item, item_path))
        return result

    def subtables(self) -> Iterator[tuple[str, Table]]:
        """Every key of a table whose keys are ids (such as [domains.<id>]) as a table."""
        for key in self.data:
            yield key, self.table(key)

    def done(self) -> None:
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            allowed = ", ".join(sorted(self._seen)) or "none"
            raise self.error(unknown[0], f"unknown key (allowed here: {allowed})")


def load_toml(file: str, text: str) -> Table:
    """The root table of a form file's text, read through the hardened reader (size, nesting,
    numbers, text); FormError naming the file and the line or key at fault."""
    try:
        data = read_toml(text, file, MAX_FORM_FILE_BYTES)
    except OutsideInputError as exc:
        raise FormError(
            file, exc.path or "", exc.problem, line=exc.line, column=exc.column
        ) from None
    table = Table(file, data)
    version = table.integer("format")
    if version != FORMAT_VERSION:
        raise table.error("format", f"unsupported format {version} (this version reads 1)")
    return table


def check_unique(items: list[tuple[Table, str]], key: str, what: str) -> None:
    seen: set[str] = set()
    for table, value in items:
        if value in seen:
            raise table.error(key, f"duplicate {what} {describe(value)}")
        seen.add(value)


def reject_risk_label(table: Table, key: str, label: str) -> None:
    if _RISK_LABEL_PATTERN.search(label):
        raise table.error(
            key, "AIM3 Desk does not label risk as low, medium or high: reword this label"
        )


def check_colour(table: Table, key: str, colour: str) -> None:
    if not _COLOUR_PATTERN.match(colour):
        raise table.error(key, f'expected a colour like "#2e7d32", got {describe(colour)}')


def check_fixed_ids(tables: list[Table], root: Table, key: str, expected: tuple[str, ...]) -> None:
    ids = [t.data.get("id") for t in tables]
    if ids != list(expected):
        raise root.error(key, f"expected exactly the ids {', '.join(expected)} in this order")


def by_id(items: tuple[Any, ...], item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")
