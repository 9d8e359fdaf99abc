"""What is asked before a share report leaves the service: a recipient and a reason written out
in a few words (one rule for the share dialog, the service and the CLI), and the warning given
before a version that is not signed off (domain/sign_off.py) is shared as a DRAFT.
Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

from aim3desk.domain.sign_off import SignOff, VersionStage

# "DS Smith" names a person; "Police" or "x" does not. A reason says why in a sentence.
MIN_RECIPIENT_WORDS = 2
MIN_REASON_WORDS = 3


# field: (fewest words, what to say when it is empty, what to say when it is too short)
_ASKED = {
    "recipient": (
        MIN_RECIPIENT_WORDS,
        "Say who receives it: a named person, their role and agency.",
        f"Name who receives it in at least {MIN_RECIPIENT_WORDS} words: a named person, their "
        "role and agency (for example “DS Jo Invented, Invented Police”).",
    ),
    "reason": (
        MIN_REASON_WORDS,
        "Say why sharing is (or is not) necessary and proportionate.",
        f"Write why it is shared in at least {MIN_REASON_WORDS} words: what the recipient "
        "needs it for, and why sharing is necessary and proportionate.",
    ),
}


def share_answer_problems(recipient: str, reason: str) -> dict[str, str]:
    """What is wrong with who receives a share report and why, by field ({} when both will
    do). A decision not to share asks the same."""
    problems: dict[str, str] = {}
    for name, given in (("recipient", recipient), ("reason", reason)):
        fewest, empty, short = _ASKED[name]
        words = len(given.split())
        if words < fewest:
            problems[name] = short if words else empty
    return problems


def draft_share_warning(
    reference: str, version: int | None, audience_label: str, state: SignOff
) -> str | None:
    """The warning shown before a share report of a version that is not signed off is
    produced (None when it is signed off): what it is, that it is a DRAFT, and who has not
    signed it."""
    if state.signed_off:
        return None
    which = f"version {version}" if version else "the assessment"
    if state.stage is VersionStage.FINISHED:
        where = "it is finished, but no supervisor has signed it off"
    else:
        where = "it is still being written (not finished), and no supervisor has signed it off"
    return (
        f"This share report for {audience_label.lower()} is of {which} of case {reference}, "
        f"which is a DRAFT: {where}. Every page will be marked DRAFT, and the recipient may "
        "act on a view that changes before sign-off."
    )
