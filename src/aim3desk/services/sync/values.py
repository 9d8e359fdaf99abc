"""What a sync round hands back, the cheap status for the status bar, and the retry schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from aim3desk.services.bundles import ImportOutcome

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the n-th failure in a row (1 min, 2, 4, ... at most 1 h)."""
    if failed_attempts < 1:
        return timedelta(0)
    doubled = FIRST_RETRY * (2 ** min(failed_attempts - 1, 12))
    return min(doubled, LONGEST_RETRY)


class RoundState(StrEnum):
    ONLINE = "online"  # the round reached the share
    OFFLINE = "offline"  # no folder, unreachable, unmarked or damaged marker: nothing changed
    DIFFERENT_SHARE = "different-share"  # a marker of another share: nothing changed
    NOT_SET = "not-set"  # no shared folder is configured


@dataclass(frozen=True)
class Delivery:
    bundle_id: str
    recipient: str  # fingerprint
    file_name: str
    already_there: bool = False  # an earlier, interrupted round had placed it


@dataclass(frozen=True)
class DeliveryFailure:
    bundle_id: str
    recipient: str
    message: str  # one sentence, no case data
    next_attempt_at: str


@dataclass(frozen=True)
class CardSeen:
    path: str  # relative to the share
    fingerprint: str
    added: bool  # a new, unconfirmed contact
    message: str


@dataclass
class SyncRound:
    """One round: delivered, failed, collected and cards seen; offline changes nothing."""

    state: RoundState
    share: Path | None
    message: str
    at: datetime
    delivered: list[Delivery] = field(default_factory=list)
    failures: list[DeliveryFailure] = field(default_factory=list)
    collected: list[ImportOutcome] = field(default_factory=list)
    cards: list[CardSeen] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files on the share left alone, and why
    withdrawn: list[str] = field(default_factory=list)  # own files of deleted cases removed
    stopped: str = ""  # why a round that began online stopped early (the share went away)

    @property
    def offline(self) -> bool:
        return self.state is not RoundState.ONLINE or bool(self.stopped)

    @property
    def quarantined(self) -> list[ImportOutcome]:
        return [o for o in self.collected if o.status == "quarantined"]

    @property
    def imported(self) -> list[ImportOutcome]:
        return [o for o in self.collected if o.status == "imported"]

    @property
    def changed_anything(self) -> bool:
        """Whether lists in the app may need a refresh (a bundle or a contact arrived)."""
        return bool(self.imported) or any(c.added for c in self.cards)


class StatusState(StrEnum):
    NEVER = "never"  # no round since the profile was opened
    OFFLINE = "offline"
    ONLINE = "online"
    NOT_SET = "not-set"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows; read cheaply from the outbox and the last round."""

    state: StatusState
    queued: int
    delivered_last_round: int = 0
    last_round_at: datetime | None = None
    message: str = ""  # why offline, or what the last round did
    last_error: str = ""
    next_retry_at: str | None = None
