"""The intervention plan of a case (AIM intervention framework, seed 002). Pure Python.

Tracks for the young person, each named parent or carer and the multi-agency risk management
meeting, each at its own stage (1-4) with the history of its moves. Goals belong to a track,
start from stage content or are written fresh, carry a plain-words version for the young person
and are rated at reviews. Risk management meetings record decisions, safety plan changes and
where responsibility for risk management lies. The keeping-safe plan is versioned; stage four
produces the ending summary.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date

from aim3desk.domain.cases import ValidationError
from aim3desk.domain.dates import long_date

FIRST_STAGE, LAST_STAGE = 1, 4
DEFAULT_PROGRESS_MAX = 10


def progress_looked_at(last_review: date | None, created: date | None) -> date | None:
    """The day a goal's progress was last looked at: its latest review, else the day it was
    set (None for an older goal with neither). The goal review deadline counts from it."""
    return last_review if last_review is not None else created


class TrackKind(enum.StrEnum):
    YOUNG_PERSON = "young_person"
    PARENT_CARER = "parent_carer"
    RISK_MEETING = "risk_meeting"

    @property
    def content_track(self) -> str:
        """The content track of forms/intervention.toml this kind of track works from."""
        return "adults" if self is TrackKind.PARENT_CARER else self.value


class Responsibility(enum.StrEnum):
    """Where responsibility for risk management lies (ids of forms/intervention.toml)."""

    ADULTS = "adults"
    SHARED = "shared"
    YOUNG_PERSON = "young_person"


@dataclass(frozen=True)
class StageChange:
    stage: int
    on: date


@dataclass(frozen=True)
class Track:
    id: str
    kind: TrackKind
    name: str = ""  # the parent's or carer's name; empty for the other kinds
    stage: int = FIRST_STAGE
    history: tuple[StageChange, ...] = ()  # every stage it was put at, oldest first

    @property
    def label(self) -> str:
        if self.kind is TrackKind.PARENT_CARER:
            return self.name or "Parent or carer"
        return {
            TrackKind.YOUNG_PERSON: "Young person",
            TrackKind.RISK_MEETING: "Risk management meeting",
        }[self.kind]


@dataclass(frozen=True)
class ProgressReview:
    date: date
    rating: int
    note: str = ""


@dataclass(frozen=True)
class Goal:
    id: str
    track_id: str
    stage: int
    text: str
    plain_words: str = ""  # the goal as the young person would put it
    who_can_help: str = ""  # who the young person thinks can help
    from_stage_item: str | None = None  # forms/intervention.toml item id, or None if fresh
    created: date | None = None
    reviews: tuple[ProgressReview, ...] = ()  # oldest first

    @property
    def latest_rating(self) -> int | None:
        return self.reviews[-1].rating if self.reviews else None

    @property
    def progress_looked_at(self) -> date | None:
        return progress_looked_at(self.reviews[-1].date if self.reviews else None, self.created)


@dataclass(frozen=True)
class RiskMeeting:
    id: str
    date: date
    attendees: tuple[str, ...] = ()
    decisions: str = ""
    safety_plan_changes: str = ""
    responsibility: Responsibility = Responsibility.ADULTS
    next_review: date | None = None


@dataclass(frozen=True)
class KeepingSafePlan:
    version: int
    date: date
    text: str
    agreed_with: str = ""


@dataclass(frozen=True)
class EndingSummary:
    progress: str = ""
    risk_and_change: str = ""
    outstanding: str = ""


@dataclass(frozen=True)
class InterventionPlan:
    tracks: tuple[Track, ...] = ()
    goals: tuple[Goal, ...] = ()
    meetings: tuple[RiskMeeting, ...] = ()
    keeping_safe_plans: tuple[KeepingSafePlan, ...] = ()  # every version, oldest first
    ending: EndingSummary | None = field(default=None)

    @property
    def is_empty(self) -> bool:
        return self == InterventionPlan()

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(f"no track {track_id!r}")

    def goals_of(self, track_id: str) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.track_id == track_id)

    @property
    def keeping_safe_plan(self) -> KeepingSafePlan | None:
        return max(self.keeping_safe_plans, key=lambda p: p.version, default=None)

    @property
    def latest_meeting(self) -> RiskMeeting | None:
        """The meeting of the latest date; of several that day, the first recorded."""
        return max(self.meetings, key=lambda m: m.date, default=None)

    @property
    def next_meeting_review(self) -> date | None:
        """When the latest risk management meeting said the plan is next reviewed."""
        latest = self.latest_meeting
        return latest.next_review if latest is not None else None

    @property
    def goal_progress_days(self) -> tuple[date | None, ...]:
        """Each goal's day its progress was last looked at (Goal.progress_looked_at)."""
        return tuple(g.progress_looked_at for g in self.goals)


# ---------------------------------------------------------------------------------------------
# Changes (each returns the new item; the caller saves it)


def _check_stage(stage: int) -> None:
    if not FIRST_STAGE <= stage <= LAST_STAGE:
        raise ValidationError({"stage": f"A stage is {FIRST_STAGE} to {LAST_STAGE}."})


def new_track(track_id: str, kind: TrackKind, on: date, name: str = "", stage: int = 1) -> Track:
    _check_stage(stage)
    if kind is TrackKind.PARENT_CARER and not name.strip():
        raise ValidationError({"name": "Enter the parent's or carer's name."})
    return Track(track_id, kind, name.strip(), stage, (StageChange(stage, on),))


def move_track(track: Track, stage: int, on: date) -> Track:
    """The track at `stage` from `on` (forwards or back: work is not a one-way street)."""
    _check_stage(stage)
    if stage == track.stage:
        return track
    if track.history and on < track.history[-1].on:
        raise ValidationError({"on": "The move is dated before the track's last move."})
    return replace(track, stage=stage, history=(*track.history, StageChange(stage, on)))


def add_review(
    goal: Goal, review: ProgressReview, scale_max: int = DEFAULT_PROGRESS_MAX, scale_min: int = 0
) -> Goal:
    if not scale_min <= review.rating <= scale_max:
        raise ValidationError({"rating": f"Rate progress from {scale_min} to {scale_max}."})
    if goal.reviews and review.date < goal.reviews[-1].date:
        raise ValidationError({"date": "The review is dated before the goal's last review."})
    return replace(goal, reviews=(*goal.reviews, review))


def next_keeping_safe_plan(
    plan: InterventionPlan, on: date, text: str, agreed_with: str = ""
) -> KeepingSafePlan:
    """The next version of the keeping-safe plan (earlier versions are kept as they were)."""
    if not text.strip():
        raise ValidationError({"text": "Write the keeping-safe plan."})
    current = plan.keeping_safe_plan
    if current is not None and on < current.date:
        raise ValidationError({"date": "The new version is dated before the current one."})
    return KeepingSafePlan((current.version if current else 0) + 1, on, text, agreed_with)


def validate_goal(goal: Goal, plan: InterventionPlan) -> None:
    problems: dict[str, str] = {}
    if goal.track_id not in {t.id for t in plan.tracks}:
        problems["track_id"] = "The goal's track is not in the plan."
    if not FIRST_STAGE <= goal.stage <= LAST_STAGE:
        problems["stage"] = f"A stage is {FIRST_STAGE} to {LAST_STAGE}."
    if not goal.text.strip():
        problems["text"] = "Write the goal."
    if problems:
        raise ValidationError(problems)


def validate_meeting(meeting: RiskMeeting) -> None:
    problems: dict[str, str] = {}
    if meeting.next_review is not None and meeting.next_review < meeting.date:
        problems["next_review"] = "The next review is before the meeting."
    if any(not a.strip() for a in meeting.attendees):
        problems["attendees"] = "An attendee's name is empty."
    if problems:
        raise ValidationError(problems)


# ---------------------------------------------------------------------------------------------
# Stage four: the ending summary


def _progress_line(goal: Goal, scale_max: int) -> str:
    if not goal.reviews:
        return f"- {goal.text}: not yet reviewed."
    first, last = goal.reviews[0], goal.reviews[-1]
    if len(goal.reviews) == 1:
        return f"- {goal.text}: rated {last.rating}/{scale_max} on {long_date(last.date)}."
    return (
        f"- {goal.text}: from {first.rating}/{scale_max} ({long_date(first.date)}) to "
        f"{last.rating}/{scale_max} ({long_date(last.date)}) over {len(goal.reviews)} reviews."
    )


RESPONSIBILITY_WORDS = {
    Responsibility.ADULTS: "mainly with the adults",
    Responsibility.SHARED: "becoming shared with the young person",
    Responsibility.YOUNG_PERSON: "with the young person",
}


def draft_ending_summary(
    plan: InterventionPlan, scale_max: int = DEFAULT_PROGRESS_MAX
) -> EndingSummary:
    """A first draft of the ending summary from the plan's own records, for the practitioner
    to edit: progress per track and goal, risk and change from the risk management meetings
    and the keeping-safe plan, and what is outstanding (goals below the middle of the scale
    or never reviewed, tracks not yet at stage four)."""
    progress: list[str] = []
    outstanding: list[str] = []
    for track in plan.tracks:
        goals = plan.goals_of(track.id)
        progress.append(f"{track.label} (stage {track.stage}):")
        progress += [_progress_line(g, scale_max) for g in goals] or ["- No goals recorded."]
        if track.stage < LAST_STAGE:
            outstanding.append(f"- {track.label} is at stage {track.stage}, not yet moving on.")
        for goal in goals:
            if goal.latest_rating is None:
                outstanding.append(f"- {track.label}: '{goal.text}' has not been reviewed.")
            elif goal.latest_rating * 2 < scale_max:
                outstanding.append(
                    f"- {track.label}: '{goal.text}' is at {goal.latest_rating}/{scale_max}."
                )
    risk: list[str] = []
    meetings = sorted(plan.meetings, key=lambda m: m.date)
    if meetings:
        first, last = meetings[0], meetings[-1]
        risk.append(
            f"{len(meetings)} risk management meeting(s) from {long_date(first.date)} to "
            f"{long_date(last.date)}. Responsibility for risk management moved from "
            f"{RESPONSIBILITY_WORDS[first.responsibility]} to "
            f"{RESPONSIBILITY_WORDS[last.responsibility]}."
            if first is not last
            else f"One risk management meeting on {long_date(last.date)}: responsibility "
            f"for risk management lies {RESPONSIBILITY_WORDS[last.responsibility]}."
        )
        if last.decisions.strip():
            risk.append(f"Latest decisions: {last.decisions.strip()}")
        changes = [m.safety_plan_changes.strip() for m in meetings if m.safety_plan_changes.strip()]
        if changes:
            risk.append("Safety plan changes: " + " ".join(changes))
    else:
        risk.append("No risk management meetings recorded.")
    current = plan.keeping_safe_plan
    if current is not None:
        risk.append(
            f"Keeping-safe plan version {current.version} of {long_date(current.date)}"
            + (f", agreed with {current.agreed_with}." if current.agreed_with else ".")
        )
    return EndingSummary(
        progress="\n".join(progress) or "No tracks recorded.",
        risk_and_change="\n".join(risk),
        outstanding="\n".join(outstanding) or "None recorded.",
    )
