"""screening.toml: the Hackett continuum and traffic-light colours, kept apart from the profile."""

from __future__ import annotations

from dataclasses import dataclass

from aim3desk.domain.forms.reader import Table, by_id, check_colour, load_toml, reject_risk_label

SCREENING_FILE = "screening.toml"

# The fixed structure; the file supplies the wording. Order matters (least to most concerning).
HACKETT_IDS = ("normal", "inappropriate", "problematic", "abusive", "violent")
TRAFFIC_LIGHT_IDS = ("green", "amber", "red")


@dataclass(frozen=True)
class ScreeningOption:
    id: str
    label: str
    description: str = ""
    colour: str = ""


@dataclass(frozen=True)
class ScreeningScale:
    """Screening wording: never a risk label and never part of the AIM3 profile."""

    note: str
    hackett: tuple[ScreeningOption, ...]
    traffic_lights: tuple[ScreeningOption, ...]

    def hackett_option(self, option_id: str) -> ScreeningOption:
        return by_id(self.hackett, option_id, "Hackett continuum position")

    def traffic_light(self, option_id: str) -> ScreeningOption:
        return by_id(self.traffic_lights, option_id, "traffic-light colour")


def _read_screening_options(
    root: Table, key: str, expected: tuple[str, ...], colours: bool
) -> tuple[ScreeningOption, ...]:
    tables = root.tables(key)
    if len(tables) != len(expected):
        raise root.error(
            key,
            f"expected exactly {len(expected)} entries ({', '.join(expected)}), got {len(tables)}",
        )
    options = []
    for table, expected_id in zip(tables, expected, strict=True):
        option_id = table.identifier("id")
        if option_id != expected_id:
            raise table.error("id", f"expected {expected_id!r} here, got {option_id!r}")
        label = table.text("label")
        reject_risk_label(table, "label", label)
        description = table.text("description", "")
        reject_risk_label(table, "description", description)
        colour = table.text("colour") if colours else ""
        if colours:
            check_colour(table, "colour", colour)
        table.done()
        options.append(ScreeningOption(option_id, label, description, colour))
    return tuple(options)


def parse_screening(name: str, text: str) -> ScreeningScale:
    """Parse forms/screening.toml. Raises FormError naming `name` and the key path at fault."""
    root = load_toml(name, text)
    note = root.text("note")
    reject_risk_label(root, "note", note)
    scale = ScreeningScale(
        note=note,
        hackett=_read_screening_options(root, "hackett", HACKETT_IDS, colours=False),
        traffic_lights=_read_screening_options(root, "traffic_lights", TRAFFIC_LIGHT_IDS, True),
    )
    root.done()
    return scale
