"""The report's charts as inline SVG, drawn from figures already computed (no library,
no script, no network): facility against discrimination, mastery per level, activity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

from .flags import DISCRIMINATION_LOW, FACILITY_HIGH, FACILITY_LOW

__all__ = ["activity_chart", "mastery_chart", "scatter_chart"]

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_MAX_LABELS = 40


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" {_FONT}><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def scatter_chart(
    items: Sequence[Mapping[str, Any]], flagged: Mapping[tuple[Any, ...], str]
) -> str:
    """Facility (x) against discrimination (y), one dot per question; `flagged` maps a
    question key (deck, item, card, hash) to its label, drawn beside a red dot."""
    w, h, left, right, top, bottom = 760, 440, 56, 16, 16, 44
    values = [i["discrimination"] for i in items if i["discrimination"] is not None]
    y_low = min(-0.2, min(values, default=0.0) - 0.05)
    y_high = 1.0

    def x(v: float) -> float:
        return left + v * (w - left - right)

    def y(v: float) -> float:
        return top + (y_high - v) / (y_high - y_low) * (h - top - bottom)

    body = [f'<rect x="{left}" y="{top}" width="{w - left - right}" '
            f'height="{h - top - bottom}" fill="#fafafa" stroke="#ccc"/>']  # fmt: skip
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        body.append(f'<text x="{x(tick):.1f}" y="{h - bottom + 16}" text-anchor="middle">'
                    f"{tick:.1f}</text>")  # fmt: skip
    tick = round(y_low * 5) / 5
    while tick <= y_high + 1e-9:
        body.append(f'<line x1="{left}" x2="{w - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                    f'stroke="#eee"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" '
                    f'text-anchor="end">{tick:.1f}</text>')  # fmt: skip
        tick = round(tick + 0.2, 10)
    for v in (FACILITY_LOW, FACILITY_HIGH):
        body.append(f'<line class="threshold" x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{top}" '
                    f'y2="{h - bottom}" stroke="#b58900" stroke-dasharray="4 3"/>')  # fmt: skip
    body.append(f'<line class="threshold" x1="{left}" x2="{w - right}" '
                f'y1="{y(DISCRIMINATION_LOW):.1f}" y2="{y(DISCRIMINATION_LOW):.1f}" '
                'stroke="#b58900" stroke-dasharray="4 3"/>')  # fmt: skip
    body.append(f'<text x="{(left + w - right) / 2}" y="{h - 6}" text-anchor="middle">'
                "facility at first exposure (share right)</text>")  # fmt: skip
    body.append(f'<text transform="translate(14 {(top + h - bottom) / 2}) rotate(-90)" '
                'text-anchor="middle">discrimination (point-biserial)</text>')  # fmt: skip
    labels = 0
    ordered = sorted(items, key=lambda i: _key(i) in flagged)  # flagged dots drawn last
    for item in ordered:
        d = item["discrimination"]
        if d is None:
            continue
        cx, cy = x(item["facility"]), y(d)
        name = escape(_label(item))
        if _key(item) in flagged:
            body.append(f'<circle class="dot flagged" cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" '
                        f'fill="#d62728"><title>{name}</title></circle>')  # fmt: skip
            if labels < _MAX_LABELS:
                anchor = "end" if cx > w * 0.7 else "start"
                dx = -7 if anchor == "end" else 7
                body.append(f'<text class="label" x="{cx + dx:.1f}" y="{cy + 4:.1f}" '
                            f'text-anchor="{anchor}" fill="#a11">{name}</text>')  # fmt: skip
                labels += 1
        else:
            body.append(f'<circle class="dot" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="#1f77b4" '
                        f'fill-opacity="0.6"><title>{name}</title></circle>')  # fmt: skip
    return _svg(w, h, "Facility against discrimination, one dot per item", body)


def _key(item: Mapping[str, Any]) -> tuple[Any, ...]:
    return (item["deck_id"], item["item_id"], item["card"], item["content_hash"])


def _label(item: Mapping[str, Any]) -> str:
    card = f" c{item['card']}" if item["item_type"] == "cloze" else ""
    return f"{item['item_id']}{card}"


def mastery_chart(levels: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    """One box plot per level: the share of the level's cards each trainee has mature
    (whiskers min to max, box the quartiles, bar the median, dot the mean)."""
    row, left, right, top = 34, 170, 24, 10
    w = 760
    h = top + row * len(levels) + 34

    def x(v: float) -> float:
        return left + v * (w - left - right)

    body = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" '
                    f'y2="{h - 28}" stroke="#eee"/><text x="{x(tick):.1f}" y="{h - 14}" '
                    f'text-anchor="middle">{tick:.0%}</text>')  # fmt: skip
    for n, level in enumerate(levels):
        mid = top + row * n + row / 2
        label = escape(names.get(level["level"], level["level"]))
        body.append(f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end">{label} '
                    f'({level["cards"]})</text>')  # fmt: skip
        lo, q1, med, q3, hi = (level[f"mastery_{k}"] for k in ("min", "q1", "median", "q3", "max"))
        body.append(
            f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
            f'stroke="#555"/><rect class="box" x="{x(q1):.1f}" y="{mid - 9:.1f}" '
            f'width="{max(x(q3) - x(q1), 1.5):.1f}" height="18" fill="#9ecae1" stroke="#3182bd"/>'
            f'<line x1="{x(med):.1f}" x2="{x(med):.1f}" y1="{mid - 9:.1f}" y2="{mid + 9:.1f}" '
            f'stroke="#08306b" stroke-width="2"/><circle cx="{x(level["mastery_mean"]):.1f}" '
            f'cy="{mid:.1f}" r="3" fill="#08306b"><title>mean {level["mastery_mean"]:.0%}, '
            f"median {med:.0%}, {level['trainees']} trainees</title></circle>"
        )
    body.append(f'<text x="{(left + w - right) / 2}" y="{h - 1}" text-anchor="middle">'
                "share of the level's cards mature (interval 21 days or more), per trainee"
                "</text>")  # fmt: skip
    return _svg(w, h, "Mastery per level: distribution over trainees", body)


def activity_chart(activity: Sequence[Mapping[str, Any]]) -> str:
    """Reviews per day (per week over long spans) as bars, active trainees as a line."""
    w, h, left, right, top, bottom = 760, 240, 56, 56, 12, 40
    days = [(date.fromisoformat(a["day"]), a["reviews"], a["trainees"]) for a in activity]
    first, last = days[0][0], days[-1][0]
    step = 7 if (last - first).days > 120 else 1
    buckets: dict[date, list[int]] = {}
    for day, reviews, trainees in days:
        start = first + timedelta(days=(day - first).days // step * step)
        total = buckets.setdefault(start, [0, 0])
        total[0] += reviews
        total[1] = max(total[1], trainees)
    span = max((last - first).days // step + 1, 1)
    top_reviews = max(v[0] for v in buckets.values()) or 1
    top_trainees = max(v[1] for v in buckets.values()) or 1
    bar = (w - left - right) / span

    def y(v: float, top_value: float) -> float:
        return top + (1 - v / top_value) * (h - top - bottom)

    body = [f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" '
            'stroke="#999"/>']  # fmt: skip
    points = []
    for start, (reviews, trainees) in sorted(buckets.items()):
        i = (start - first).days // step
        bx = left + i * bar
        body.append(f'<rect class="bar" x="{bx:.1f}" y="{y(reviews, top_reviews):.1f}" '
                    f'width="{max(bar - 1, 0.8):.1f}" '
                    f'height="{h - bottom - y(reviews, top_reviews):.1f}" fill="#74c476">'
                    f"<title>{start}: {reviews:,} reviews, {trainees} trainees</title>"
                    "</rect>")  # fmt: skip
        points.append(f"{bx + bar / 2:.1f},{y(trainees, top_trainees):.1f}")
    body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#6a3d9a" '
                'stroke-width="1.5"/>')  # fmt: skip
    unit = "week" if step == 7 else "day"
    body.append(f'<text x="{left - 6}" y="{top + 8}" text-anchor="end">{top_reviews:,}</text>'
                f'<text x="{w - right + 6}" y="{top + 8}" fill="#6a3d9a">{top_trainees:,}</text>'
                f'<text x="{left}" y="{h - bottom + 16}">{first}</text>'
                f'<text x="{w - right}" y="{h - bottom + 16}" text-anchor="end">{last}</text>'
                f'<text x="{(left + w - right) / 2}" y="{h - 6}" text-anchor="middle">'
                f"reviews per {unit} (bars) and most trainees active in a day "
                '(<tspan fill="#6a3d9a">line</tspan>)</text>')  # fmt: skip
    return _svg(w, h, f"Cohort activity per {unit}", body)
