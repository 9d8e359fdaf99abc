"""The profile graph as vector drawing (reportlab.graphics): never a bitmap, never a risk label.

A scored model (AIM u12) gets each domain's total as a bar over its band colours; a model
without domain scores (AIM3) gets the number of factors rated as a concern, with unknown and
unrated factors named beside the bar.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from aim3desk.domain.assessment import UNKNOWN_RATING
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, Band
from aim3desk.domain.profile import Profile
from aim3desk.services.reports.style import ACCENT, FONT, FONT_BOLD, FRAME_WIDTH, INK, MUTED, RULE

ROW = 30
LABEL_WIDTH = 150
NOTE_WIDTH = 125
TOP = 6
AXIS = 32
LEGEND = 22
TRACK = colors.Color(0.95, 0.96, 0.97)


def _wrap(label: str, width: float, size: float) -> list[str]:
    """A domain title on as many lines as it needs within `width` (whole words)."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        trial = f"{line} {word}".strip()
        if stringWidth(trial, FONT, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line]


def _tint(hex_colour: str, alpha: float) -> colors.Color:
    base = colors.HexColor(hex_colour)
    return colors.Color(base.red, base.green, base.blue, alpha=alpha)


def band_spans(bands: Sequence[Band]) -> list[tuple[float, float, str]]:
    """(low, high, colour) spans covering the scale; a gap between two bands (u12 totals are
    even, so 0-4 and 6-12 leave 5) is split at its middle."""
    ordered = sorted(bands, key=lambda b: b.min)
    spans = []
    for index, band in enumerate(ordered):
        low = band.min if index == 0 else (ordered[index - 1].max + band.min) / 2
        last = index == len(ordered) - 1
        high = band.max if last else (band.max + ordered[index + 1].min) / 2
        spans.append((low, high, band.colour))
    return spans


def profile_drawing(
    profile: Profile, bands: Sequence[Band] = (), width: float = FRAME_WIDTH
) -> Drawing:
    model_max = max((d.max_total or 0 for d in profile.domains), default=0)
    scored = profile.scored and model_max > 0
    scale_max = model_max if scored else FACTORS_PER_DOMAIN
    rows = len(profile.domains)
    height = TOP + rows * ROW + AXIS + (LEGEND if scored and bands else 0)
    drawing = Drawing(width, height)
    plot_left = LABEL_WIDTH
    plot_width = width - LABEL_WIDTH - NOTE_WIDTH
    note_x = plot_left + plot_width + 8

    def x_of(value: float) -> float:
        return plot_left + plot_width * value / scale_max

    for index, domain in enumerate(profile.domains):
        y = height - TOP - (index + 1) * ROW
        lines = _wrap(domain.title, LABEL_WIDTH - 10, 9)
        for n, line in enumerate(lines):
            offset = ROW / 2 + (len(lines) - 1) * 5.5 - n * 11 - 3
            drawing.add(String(0, y + offset, line, fontName=FONT, fontSize=9, fillColor=INK))
        track_y, track_h = y + 6, ROW - 12
        drawing.add(
            Rect(plot_left, track_y, plot_width, track_h, fillColor=TRACK, strokeColor=None)
        )
        if scored:
            for low, high, colour in band_spans(bands):
                drawing.add(
                    Rect(
                        x_of(low),
                        track_y,
                        x_of(high) - x_of(low),
                        track_h,
                        fillColor=_tint(colour, 0.30),
                        strokeColor=None,
                    )
                )
        value = domain.total if scored else domain.concern_count
        if value:
            drawing.add(
                Rect(
                    plot_left,
                    track_y + track_h * 0.28,
                    x_of(value) - plot_left,
                    track_h * 0.44,
                    fillColor=INK if scored else ACCENT,
                    strokeColor=None,
                )
            )
        if scored:
            note = (
                "Not yet scored"
                if domain.total is None
                else f"Total {domain.total} of {domain.max_total}"
            )
        else:
            note = f"{domain.concern_count} of {FACTORS_PER_DOMAIN} of concern"
        unknown = sum(1 for r in domain.ratings if r.rating == UNKNOWN_RATING)
        unrated = sum(1 for r in domain.ratings if r.rating is None)
        extra = [f"{unknown} unknown"] * bool(unknown) + [f"{unrated} not rated"] * bool(unrated)
        drawing.add(
            String(
                note_x,
                y + ROW / 2 + (1 if extra else -3),
                note,
                fontName=FONT_BOLD,
                fontSize=8,
                fillColor=INK,
            )
        )
        if extra:
            drawing.add(
                String(
                    note_x,
                    y + ROW / 2 - 9,
                    ", ".join(extra),
                    fontName=FONT,
                    fontSize=7.5,
                    fillColor=MUTED,
                )
            )
    axis_y = height - TOP - rows * ROW
    drawing.add(Line(plot_left, axis_y, plot_left + plot_width, axis_y, strokeColor=RULE))
    step = 2 if scale_max > 10 else 1
    for tick in range(0, scale_max + 1, step):
        x = x_of(tick)
        drawing.add(Line(x, axis_y, x, axis_y - 3, strokeColor=RULE))
        drawing.add(
            String(
                x,
                axis_y - 12,
                str(tick),
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    caption = "Domain total" if scored else "Number of factors rated as a concern"
    drawing.add(
        String(
            plot_left + plot_width / 2,
            axis_y - 25,
            caption,
            fontName=FONT,
            fontSize=8,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    if scored and bands:
        x = plot_left
        for band in sorted(bands, key=lambda b: b.min):
            words = f"{band.label}: totals {band.min} to {band.max}"
            drawing.add(Rect(x, 4, 10, 10, fillColor=_tint(band.colour, 0.6), strokeColor=None))
            drawing.add(String(x + 14, 6, words, fontName=FONT, fontSize=8, fillColor=INK))
            x += 28 + stringWidth(words, FONT, 8)
    return drawing
