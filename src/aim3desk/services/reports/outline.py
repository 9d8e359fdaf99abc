"""The numbered outline every report's headings go through, and the marking notice every
report carries."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from aim3desk.services.reports.document import Heading
from aim3desk.services.reports.style import RoomFor, notice, text

Styles = dict[str, ParagraphStyle]


class Outline:
    """Numbered headings (1., 1.1) that also feed the contents list and PDF bookmarks."""

    def __init__(self, st: Styles) -> None:
        self.st = st
        self.headings: list[Heading] = []
        self._numbers = [0, 0]

    @property
    def part(self) -> int:
        """The number of the latest top-level heading (a nested outline numbers under it)."""
        return self._numbers[0]

    def h1(self, title: str, need: float = 45 * mm) -> list[Flowable]:
        self._numbers = [self._numbers[0] + 1, 0]
        return self._add(f"{self._numbers[0]}. {title}", "h1", 0, need)

    def h2(self, title: str, need: float = 35 * mm) -> list[Flowable]:
        self._numbers[1] += 1
        number = f"{self._numbers[0]}.{self._numbers[1]}"
        return self._add(f"{number} {title}", "h2", 1, need)

    def _add(self, title: str, style: str, level: int, need: float) -> list[Flowable]:
        heading = Heading(title, self.st[style], f"h{len(self.headings) + 1}", level)
        self.headings.append(heading)
        return [RoomFor(need), heading]


def minor_heading(title: str, st: Styles, need: float = 25 * mm) -> list[Flowable]:
    return [RoomFor(need), Paragraph(text(title), st["h3"])]


def marking_notice(st: Styles, extra: str = "") -> Flowable:
    return notice(
        "<b>OFFICIAL-SENSITIVE.</b> This report holds personal data about a child. Share it "
        "only with people who need it to keep children safe, on a lawful basis, and record "
        "each decision to share. Keep it on encrypted, access-controlled storage." + extra,
        st,
    )
