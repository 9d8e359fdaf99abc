"""The intervention plan of a case: tracks at their stages, goals and their progress
reviews, risk management meetings, keeping-safe plan versions and the ending summary.

Each part is one row (store/case_items.py), so a goal's review rewrites one small row; the
whole plan loads in one query. Every write is one transaction with its audit entry (kinds
only, never text).
"""

from __future__ import annotations

from datetime import date

from aim3desk.domain.case_codec import ENDING_ITEM_ID, PLAN_KINDS
from aim3desk.domain.cases import ValidationError, new_id
from aim3desk.domain.forms import InterventionForms
from aim3desk.domain.intervention import (
    EndingSummary,
    Goal,
    InterventionPlan,
    KeepingSafePlan,
    ProgressReview,
    RiskMeeting,
    Track,
    TrackKind,
    add_review,
    draft_ending_summary,
    move_track,
    new_track,
    next_keeping_safe_plan,
    validate_goal,
    validate_meeting,
)
from aim3desk.services.case_records import CaseRecordService


class InterventionService(CaseRecordService):
    area = "intervention"
    kinds = PLAN_KINDS
    _forms: InterventionForms | None = None

    @property
    def forms(self) -> InterventionForms:
        """forms/intervention.toml, loaded when first needed (FormError if broken)."""
        if self._forms is None:
            from aim3desk.services.forms_loader import load_intervention

            self._forms = load_intervention()
        return self._forms

    # -- read API ----------------------------------------------------------------------

    def plan(self, case_id: str) -> InterventionPlan:
        """The whole plan (one query); empty if none has been started."""
        return self._records(case_id).plan

    def draft_ending(self, case_id: str) -> EndingSummary:
        """A draft ending summary from the plan's records, for the practitioner to edit."""
        return draft_ending_summary(self.plan(case_id), self.forms.progress.max)

    # -- write API ---------------------------------------------------------------------

    def add_track(
        self,
        case_id: str,
        kind: TrackKind,
        name: str = "",
        stage: int = 1,
        on: date | None = None,
    ) -> Track:
        """A new track (the young person, a named parent or carer, or the risk management
        meeting) at `stage`. One young person and one meeting track per plan."""
        plan = self.plan(case_id)
        if kind is not TrackKind.PARENT_CARER and any(t.kind is kind for t in plan.tracks):
            raise ValidationError({"kind": "The plan already has this track."})
        track = new_track(new_id(), kind, self._today(on), name, stage)
        self._write(case_id, [track])
        return track

    def move_track(self, case_id: str, track_id: str, stage: int, on: date | None = None) -> Track:
        """Put a track at another stage from `on` (kept in its history)."""
        moved = move_track(self.plan(case_id).track(track_id), stage, self._today(on))
        self._write(case_id, [moved])
        return moved

    def rename_track(self, case_id: str, track_id: str, name: str) -> Track:
        track = self.plan(case_id).track(track_id)
        if track.kind is TrackKind.PARENT_CARER and not name.strip():
            raise ValidationError({"name": "Enter the parent's or carer's name."})
        renamed = Track(track.id, track.kind, name.strip(), track.stage, track.history)
        self._write(case_id, [renamed])
        return renamed

    def delete_track(self, case_id: str, track_id: str) -> bool:
        """Remove a track and its goals."""
        plan = self.plan(case_id)
        refs = [("track", track_id)] + [("goal", g.id) for g in plan.goals_of(track_id)]
        return self._write(case_id, deletes=refs)

    def save_goal(self, case_id: str, goal: Goal) -> bool:
        """Insert or replace a goal (its stage item, if any, must be in the forms)."""
        plan = self.plan(case_id)
        validate_goal(goal, plan)
        if goal.from_stage_item is not None:
            try:
                self.forms.item(goal.from_stage_item)
            except KeyError:
                raise ValidationError(
                    {"from_stage_item": "The goal's stage item is not in the framework."}
                ) from None
        for review in goal.reviews:
            if not self.forms.progress.check(review.rating):
                raise ValidationError({"reviews": "A review's rating is off the scale."})
        return self._write(case_id, [goal])

    def goal_from_stage_item(
        self, case_id: str, track_id: str, item_id: str, on: date | None = None
    ) -> Goal:
        """A new goal on the track, its text taken from a stage item of the framework (the
        practitioner then edits it and adds the plain-words version)."""
        stage, _content_track, item = self.forms.item(item_id)
        goal = Goal(
            id=new_id(),
            track_id=track_id,
            stage=stage.number,
            text=item.text,
            from_stage_item=item.id,
            created=self._today(on),
        )
        self.save_goal(case_id, goal)
        return goal

    def review_goal(self, case_id: str, goal_id: str, review: ProgressReview) -> Goal:
        """Add a progress review (rating on forms' progress scale) to a goal."""
        goal = next((g for g in self.plan(case_id).goals if g.id == goal_id), None)
        if goal is None:
            raise KeyError(f"no goal {goal_id!r}")
        scale = self.forms.progress
        reviewed = add_review(goal, review, scale.max, scale.min)
        self._write(case_id, [reviewed])
        return reviewed

    def delete_goal(self, case_id: str, goal_id: str) -> bool:
        return self._write(case_id, deletes=[("goal", goal_id)])

    def save_meeting(self, case_id: str, meeting: RiskMeeting) -> bool:
        validate_meeting(meeting)
        return self._write(case_id, [meeting])

    def delete_meeting(self, case_id: str, meeting_id: str) -> bool:
        return self._write(case_id, deletes=[("risk_meeting", meeting_id)])

    def new_keeping_safe_plan(
        self, case_id: str, text: str, agreed_with: str = "", on: date | None = None
    ) -> KeepingSafePlan:
        """Record the next version of the keeping-safe plan; earlier versions stay."""
        version = next_keeping_safe_plan(self.plan(case_id), self._today(on), text, agreed_with)
        self._write(case_id, [version])
        return version

    def save_ending(self, case_id: str, ending: EndingSummary) -> bool:
        return self._write(case_id, [ending])

    def delete_ending(self, case_id: str) -> bool:
        return self._write(case_id, deletes=[("ending", ENDING_ITEM_ID)])
