"""The one rule for how strong a new passphrase must be: a profile's, or an export file's.

zxcvbn estimates how guessable a passphrase is (score 0-4); 3 ("safely unguessable") or more
is accepted, as NIST-style guidance asks. The unlock window, Change passphrase, the export
dialog and the command line all ask `assess`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_SCORE = 3
APP_WORDS = ("aim3desk", "aim3")  # a passphrase built on the app's name is easy to guess
_ZXCVBN_MAX_CHARS = 100  # zxcvbn slows down sharply on long input; the start is enough


@dataclass(frozen=True)
class Strength:
    score: int  # zxcvbn 0-4
    advice: str  # zxcvbn's warning and suggestions as one plain paragraph ("" if none)

    @property
    def acceptable(self) -> bool:
        return self.score >= MIN_SCORE

    def refusal(self) -> str:
        """Why a passphrase of this strength is refused, for a person."""
        return (
            f"That passphrase is too easy to guess (strength {self.score} of 4, at least "
            f"{MIN_SCORE} is needed). {self.advice + ' ' if self.advice else ''}A few "
            "unrelated words make a strong passphrase that is easy to remember."
        )


def assess(passphrase: str, user_inputs: Iterable[str] = ()) -> Strength:
    """How guessable `passphrase` is; `user_inputs` are words the person is known by (their
    name), which make a passphrase weaker."""
    from zxcvbn import zxcvbn  # imported on first use, not at start-up

    words = [w for text in user_inputs for w in text.split() if w] + list(APP_WORDS)
    result = zxcvbn(passphrase[:_ZXCVBN_MAX_CHARS], user_inputs=words)
    feedback = result.get("feedback") or {}
    hints = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    advice = " ".join(h.strip().rstrip(".") + "." for h in hints if h and h.strip())
    return Strength(int(result["score"]), advice)
