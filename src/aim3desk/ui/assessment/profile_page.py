"""The profile: per domain the factor ratings, the domain score where the model defines one,
its band, the concerns and strengths, and a profile graph. AIM3 builds a profile, never a risk
level, so nothing here says low, medium or high; screening records are never read."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, Band
from aim3desk.domain.profile import DomainProfile, Profile, profile
from aim3desk.ui.assessment.page_kit import colour_chip, explanation, heading, scrolling_body
from aim3desk.ui.assessment.pages import AssessmentPage

GRAPH_NAME = "Profile graph"
_BAR_COLOUR = QColor("#37474f")
_DOT_COLOUR = QColor("#1565c0")
_AXIS_COLOUR = QColor("#424242")


def _tint(colour: str, alpha: int = 70) -> QColor:
    tinted = QColor(colour)
    tinted.setAlpha(alpha)
    return tinted


def _band_words(band: Band | None) -> str:
    return f"{band.label} band" if band else "outside the bands"


def describe_profile(result: Profile) -> str:
    """The graph's values in words, for screen readers and the tooltip."""
    parts = []
    if result.scored:
        for domain in result.domains:
            if domain.total is None:
                rated = sum(r.score is not None for r in domain.ratings)
                parts.append(
                    f"{domain.title}: no total yet ({rated} of {FACTORS_PER_DOMAIN} factors "
                    "have a scored rating)"
                )
            else:
                parts.append(
                    f"{domain.title}: {domain.total} out of {domain.max_total}, "
                    f"{_band_words(domain.band)}"
                )
        return "Domain totals. " + "; ".join(parts) + "."
    for domain in result.domains:
        rated = sum(r.rating is not None for r in domain.ratings)
        parts.append(
            f"{domain.title}: {domain.concern_count} of {FACTORS_PER_DOMAIN} factors with "
            f"concern recorded ({rated} rated)"
        )
    return "Concerns recorded per domain (a count, not a risk level). " + "; ".join(parts) + "."


def profile_note(scored: bool) -> str:
    """Our own words: the form file's note may quote the very labels the profile avoids."""
    note = (
        "The profile describes the young person across the five domains, with concerns and "
        "strengths; it is not a risk level."
    )
    if scored:
        note += " A domain total appears once every factor in the domain has a scored rating."
    return note


_DOT_LEGEND = (
    "Each dot: how many",
    "of the 5 factors",
    "are rated with",
    "concern.",
    "",
    "Hollow dot:",
    "nothing rated yet.",
)


class ProfileGraph(QWidget):
    """Bars of domain totals over the model's coloured bands (scored models such as AIM u12),
    or, for models without domain scores, dots of the number of concerns recorded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: Profile | None = None
        self._bands: tuple[Band, ...] = ()
        self.setAccessibleName(GRAPH_NAME)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so its description is read
        self.setMinimumHeight(300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(700, 300)

    def set_profile(self, result: Profile | None, bands: tuple[Band, ...] = ()) -> None:
        self._profile = result
        self._bands = bands
        description = describe_profile(result) if result else ""
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    # -- drawing -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self._profile is None or not self._profile.domains:
            painter.end()
            return
        metrics = painter.fontMetrics()
        line = metrics.height()
        plot = QRectF(
            metrics.horizontalAdvance("20") + 44, line * 3 + 10, 0, 0
        )  # left and top margins: axis label, title and a value label above the top
        plot.setRight(self.width() - self._legend_width(metrics, self._profile.scored) - 24)
        plot.setBottom(self.height() - line * 3 - 8)  # two-line domain names under the axis
        scored = self._profile.scored
        top_value = (
            max((d.max_total or 0) for d in self._profile.domains) or 20
            if scored
            else FACTORS_PER_DOMAIN
        )
        title = (
            f"Domain totals (0 to {top_value})"
            if scored
            else "Concerns recorded per domain (factors rated with concern; not a risk level)"
        )
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(self.palette().text().color())
        painter.drawText(QPointF(plot.left(), line + 2), title)
        painter.setFont(self.font())

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * value / top_value

        if scored:
            self._draw_bands(painter, plot, y_of, top_value)
        self._draw_axis(painter, plot, y_of, top_value, scored)
        count = len(self._profile.domains)
        slot_width = plot.width() / count
        name_font = self._font_fitting(
            painter, [w for d in self._profile.domains for w in d.title.split()], slot_width - 6
        )
        for index, domain in enumerate(self._profile.domains):
            centre = plot.left() + slot_width * (index + 0.5)
            if scored:
                self._draw_bar(painter, domain, centre, slot_width, y_of, plot)
            else:
                self._draw_dot(painter, domain, centre, y_of)
            name_rect = QRectF(
                centre - slot_width / 2 + 2, plot.bottom() + 6, slot_width - 4, line * 2.6
            )
            painter.setPen(self.palette().text().color())
            painter.setFont(name_font)
            painter.drawText(
                name_rect,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap),
                domain.title,
            )
            painter.setFont(self.font())
        self._draw_legend(painter, plot, scored)
        painter.end()

    def _band_edges(self, top_value: int) -> list[tuple[Band, float, float]]:
        """Each band's stripe; gaps between bands (odd totals no model reaches) are split."""
        bands = sorted(self._bands, key=lambda b: b.min)
        edges = []
        for index, band in enumerate(bands):
            low = 0.0 if index == 0 else (bands[index - 1].max + band.min) / 2
            up = (
                float(top_value)
                if index == len(bands) - 1
                else (band.max + bands[index + 1].min) / 2
            )
            edges.append((band, low, up))
        return edges

    def _draw_bands(self, painter: QPainter, plot: QRectF, y_of, top_value: int) -> None:
        for band, low, up in self._band_edges(top_value):
            stripe = QRectF(plot.left(), y_of(up), plot.width(), y_of(low) - y_of(up))
            painter.fillRect(stripe, _tint(band.colour))

    def _draw_axis(self, painter: QPainter, plot: QRectF, y_of, top_value: int, scored: bool):
        painter.setPen(QPen(_AXIS_COLOUR, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        step = 4 if scored and top_value >= 12 else 1
        metrics = painter.fontMetrics()
        for value in range(0, top_value + 1, step):
            y = y_of(value)
            painter.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y))
            text = str(value)
            painter.drawText(
                QPointF(
                    plot.left() - 8 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2 - 1
                ),
                text,
            )
        painter.save()
        painter.translate(12, plot.center().y())
        painter.rotate(-90)
        label = "Domain total" if scored else "Concerns recorded"
        painter.drawText(QPointF(-metrics.horizontalAdvance(label) / 2, metrics.ascent()), label)
        painter.restore()

    def _draw_bar(self, painter, domain: DomainProfile, centre, slot_width, y_of, plot) -> None:
        width = min(70.0, slot_width * 0.5)
        metrics = painter.fontMetrics()
        if domain.total is None:
            outline = QRectF(centre - width / 2, y_of(2), width, plot.bottom() - y_of(2))
            painter.setPen(QPen(_AXIS_COLOUR, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(outline)
            painter.setPen(self.palette().text().color())
            label = QRectF(
                centre - slot_width / 2 + 2,
                y_of(2) - 6 - 2.2 * metrics.height(),
                slot_width - 4,
                2.2 * metrics.height(),
            )
            painter.drawText(
                label,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
                | int(Qt.TextFlag.TextWordWrap),
                "no total yet",
            )
            return
        bar = QRectF(
            centre - width / 2, y_of(domain.total), width, plot.bottom() - y_of(domain.total)
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(_BAR_COLOUR))
        painter.drawRect(bar)
        text = f"{domain.total}" + (f" {domain.band.label}" if domain.band else "")
        painter.setPen(self.palette().text().color())
        painter.drawText(QPointF(centre - metrics.horizontalAdvance(text) / 2, bar.top() - 5), text)

    def _draw_dot(self, painter, domain: DomainProfile, centre, y_of) -> None:
        y = y_of(domain.concern_count)
        rated = sum(r.rating is not None for r in domain.ratings)
        painter.setPen(QPen(_DOT_COLOUR.darker(130), 2))
        # A hollow dot: nothing rated yet, so "0" would mislead.
        painter.setBrush(QBrush(_DOT_COLOUR) if rated else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(centre, y), 7, 7)
        text = f"{domain.concern_count} of {rated} rated" if rated else "nothing rated yet"
        metrics = painter.fontMetrics()
        painter.setPen(self.palette().text().color())
        painter.drawText(QPointF(centre - metrics.horizontalAdvance(text) / 2, y - 12), text)

    def _legend_lines(self, scored: bool) -> list[str]:
        if not scored:
            return list(_DOT_LEGEND)
        return ["Bands", *(f"{b.label} {b.min}-{b.max}" for b in self._bands)]

    def _legend_width(self, metrics, scored: bool) -> int:
        swatch = 22 if scored else 0
        return swatch + max(metrics.horizontalAdvance(t) for t in self._legend_lines(scored))

    def _font_fitting(self, painter: QPainter, words: list[str], width: float) -> QFont:
        """The widget font, made smaller (not below 7 pt) until every word fits the width:
        domain names wrap between words but a word must never be cut."""
        font = QFont(self.font())
        size = font.pointSizeF()
        while size > 7:
            font.setPointSizeF(size)
            if max(QFontMetricsF(font).horizontalAdvance(w) for w in words) <= width:
                break
            size -= 0.5
        return font

    def _draw_legend(self, painter: QPainter, plot: QRectF, scored: bool) -> None:
        metrics = painter.fontMetrics()
        x = plot.right() + 20
        y = plot.top() + 4
        painter.setPen(self.palette().text().color())
        if not scored:
            for text in _DOT_LEGEND:
                painter.drawText(QPointF(x, y + metrics.ascent()), text)
                y += metrics.height()
            return
        painter.drawText(QPointF(x, y + metrics.ascent()), "Bands")
        y += metrics.height() + 4
        for band in sorted(self._bands, key=lambda b: -b.min):
            swatch = QRectF(x, y, 16, metrics.height() - 2)
            painter.fillRect(swatch, QColor(band.colour))
            painter.drawText(
                QPointF(x + 22, y + metrics.ascent()), f"{band.label} {band.min}-{band.max}"
            )
            y += metrics.height() + 6


class ProfilePage(AssessmentPage):
    title = "Profile"
    nav_key = "profile"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.profile: Profile | None = None
        self._layout = scrolling_body(self)
        self._layout.addWidget(heading(f"Profile ({context.model.name})", level=1))
        self.note_label = explanation(profile_note(context.model.domain_score == "sum"))
        self._layout.addWidget(self.note_label)
        self.graph = ProfileGraph()
        self._layout.addWidget(self.graph)
        self._domains_box = QVBoxLayout()
        self._layout.addLayout(self._domains_box)
        self._layout.addStretch(1)
        self._domain_widgets: list[QWidget] = []

    def refresh(self, content: AssessmentContent) -> None:
        result = profile(content, self.context.model, self.context.form_set)
        self.profile = result
        self.graph.set_profile(result, self.context.model.bands)
        for widget in self._domain_widgets:
            widget.setParent(None)
            widget.deleteLater()
        self._domain_widgets = [self._domain_box(d, result.scored) for d in result.domains]
        for widget in self._domain_widgets:
            self._domains_box.addWidget(widget)

    def _domain_box(self, domain: DomainProfile, scored: bool) -> QGroupBox:
        box = QGroupBox(domain.title)
        box.setAccessibleName(f"Profile of {domain.title}")
        layout = QVBoxLayout(box)
        summary = QGridLayout()
        column = 0
        if scored:
            if domain.total is None:
                score_text = "Domain score: not complete yet (every factor needs a scored rating)"
            else:
                score_text = f"Domain score: {domain.total} out of {domain.max_total}"
            score = QLabel(score_text)
            score.setWordWrap(True)
            score.setAccessibleName(score_text)
            summary.addWidget(score, 0, column)
            column += 1
            if domain.band is not None:
                summary.addWidget(colour_chip(domain.band.label, domain.band.colour), 0, column)
                column += 1
        concern_text = (
            f"Factors with concern recorded: {domain.concern_count} of {len(domain.ratings)}"
        )
        concerns = QLabel(concern_text)
        concerns.setWordWrap(True)
        concerns.setAccessibleName(concern_text)
        summary.addWidget(concerns, 0, column)
        summary.setColumnStretch(0, 1)
        summary.setColumnStretch(column, 1)
        summary.setHorizontalSpacing(18)
        layout.addLayout(summary)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        headers = ["Factor", "Rating"] + (["Score"] if scored else []) + ["Strength noted"]
        for col, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            label.setAccessibleName(text)
            grid.addWidget(label, 0, col)
        for row, rating in enumerate(domain.ratings, start=1):
            cells = [
                f"{rating.slot}. {rating.factor_label}",
                rating.rating_label or "Not rated yet",
            ]
            if scored:
                cells.append("" if rating.score is None else str(rating.score))
            cells.append(rating.strength_note)
            for col, text in enumerate(cells):
                label = QLabel(text)
                label.setWordWrap(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setAccessibleName(f"{headers[col]}: {text}" if text else headers[col])
                if col == 1 and not rating.rating_label:
                    label.setStyleSheet("color: palette(placeholder-text); font-style: italic;")
                grid.addWidget(label, row, col)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(len(headers) - 1, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)
        for caption, text in (("Strengths", domain.strengths), ("Concerns", domain.concerns)):
            shown = text.strip() or f"No {caption.lower()} recorded yet."
            label = QLabel(f"<b>{caption}:</b> {_escape(shown)}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"{caption}: {shown}")
            layout.addWidget(label)
        return box

    def clear_sensitive(self) -> None:
        self.profile = None
        self.graph.set_profile(None)
        for widget in self._domain_widgets:
            widget.setParent(None)
            widget.deleteLater()
        self._domain_widgets = []
        self._stale = True


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )
