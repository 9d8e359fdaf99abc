"""intervention.toml: the four stages of the AIM intervention framework."""

from __future__ import annotations

from dataclasses import dataclass

from aim3desk.domain.forms.reader import (
    Table,
    by_id,
    check_fixed_ids,
    check_unique,
    describe,
    load_toml,
)
from aim3desk.domain.forms.supervision import Prompt

INTERVENTION_FILE = "intervention.toml"
STAGE_COUNT = 4
CONTENT_TRACKS = ("adults", "young_person", "risk_meeting")
RESPONSIBILITY_IDS = ("adults", "shared", "young_person")


@dataclass(frozen=True)
class StageItem:
    """One piece of stage content; `part` is 1 or 2 in stage three, else None."""

    id: str
    text: str
    part: int | None = None


@dataclass(frozen=True)
class StageDef:
    number: int
    id: str
    title: str
    summary: str
    adults: tuple[StageItem, ...]
    young_person: tuple[StageItem, ...]
    risk_meeting: tuple[StageItem, ...]
    responsibility: str  # where responsibility for risk management usually lies

    def items_for(self, content_track: str) -> tuple[StageItem, ...]:
        if content_track not in CONTENT_TRACKS:
            raise KeyError(f"no content track {content_track!r}")
        return getattr(self, content_track)


@dataclass(frozen=True)
class ProgressScale:
    min: int
    max: int
    low_label: str
    high_label: str

    def check(self, rating: int) -> bool:
        return self.min <= rating <= self.max


@dataclass(frozen=True)
class InterventionForms:
    stages: tuple[StageDef, ...]
    responsibility: tuple[Prompt, ...]  # id and label
    progress: ProgressScale

    def stage(self, number: int) -> StageDef:
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise KeyError(f"no stage {number}")

    def item(self, item_id: str) -> tuple[StageDef, str, StageItem]:
        """The stage, content track and item of a stage item id."""
        for stage in self.stages:
            for track in CONTENT_TRACKS:
                for item in stage.items_for(track):
                    if item.id == item_id:
                        return stage, track, item
        raise KeyError(f"no stage item {item_id!r}")

    def responsibility_label(self, responsibility_id: str) -> str:
        return by_id(self.responsibility, responsibility_id, "responsibility").text


def _read_stage_items(table: Table, key: str, number: int, seen: set[str]) -> tuple[StageItem, ...]:
    tables = table.tables(key)
    if not tables:
        raise table.error(key, "must list at least one item")
    items = []
    for item in tables:
        part = item.integer("part", None)
        # Stage three's work with the adults and the young person comes in two parts.
        if number == 3 and key != "risk_meeting":
            if part not in (1, 2):
                raise item.error("part", "stage three items need part = 1 or part = 2")
        elif part is not None:
            raise item.error("part", "only stage three work with adults or young person has parts")
        stage_item = StageItem(item.identifier("id"), item.text("text"), part)
        if stage_item.id in seen:
            raise item.error("id", f"duplicate item id {describe(stage_item.id)}")
        seen.add(stage_item.id)
        item.done()
        items.append(stage_item)
    return tuple(items)


def parse_intervention(name: str, text: str) -> InterventionForms:
    """Parse forms/intervention.toml. Raises FormError naming `name` and the key path at fault."""
    root = load_toml(name, text)
    stage_tables = root.tables("stages")
    if len(stage_tables) != STAGE_COUNT:
        raise root.error(
            "stages", f"expected exactly {STAGE_COUNT} stages, got {len(stage_tables)}"
        )
    seen: set[str] = set()
    stages = []
    for expected, table in enumerate(stage_tables, start=1):
        number = table.integer("number")
        if number != expected:
            raise table.error("number", f"expected {expected} here, got {number}")
        responsibility = table.text("responsibility")
        if responsibility not in RESPONSIBILITY_IDS:
            raise table.error("responsibility", f"expected one of {', '.join(RESPONSIBILITY_IDS)}")
        stages.append(
            StageDef(
                number=number,
                id=table.identifier("id"),
                title=table.text("title"),
                summary=table.text("summary"),
                adults=_read_stage_items(table, "adults", number, seen),
                young_person=_read_stage_items(table, "young_person", number, seen),
                risk_meeting=_read_stage_items(table, "risk_meeting", number, seen),
                responsibility=responsibility,
            )
        )
        table.done()
    check_unique([(t, s.id) for t, s in zip(stage_tables, stages, strict=True)], "id", "stage id")
    responsibility_tables = root.tables("responsibility")
    check_fixed_ids(responsibility_tables, root, "responsibility", RESPONSIBILITY_IDS)
    options = []
    for table in responsibility_tables:
        options.append(Prompt(table.identifier("id"), table.text("label")))
        table.done()
    progress_table = root.table("progress")
    progress = ProgressScale(
        progress_table.integer("min"),
        progress_table.integer("max"),
        progress_table.text("low_label"),
        progress_table.text("high_label"),
    )
    if not 0 <= progress.min < progress.max <= 100:
        raise progress_table.error("max", "expected 0 <= min < max <= 100")
    progress_table.done()
    root.done()
    return InterventionForms(tuple(stages), tuple(options), progress)
