"""Statements per day, week or month as a server-side SVG bar chart (geometry only; the template draws).

``bins(["2015-09-14", "2015-09-16"], "day")`` counts statements per day, empty days included,
so gaps show; ``chart(...)`` turns the bins into bar rectangles and axis labels in SVG units.
Days of lower precision (a statement dated only ``2015-09``) cannot be placed on a day axis
and are counted apart as ``undated``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

UNITS = ("day", "week", "month")
MAX_BARS = 400

WIDTH, HEIGHT = 720, 220
PAD_TOP, PAD_BOTTOM, PAD_SIDE = 16, 40, 36


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _floor(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())  # ISO weeks start on Monday
    if unit == "month":
        return d.replace(day=1)
    return d


def _next(d: date, unit: str) -> date:
    if unit == "week":
        return d + timedelta(days=7)
    if unit == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return d + timedelta(days=1)


def pick_unit(days: list[date]) -> str:
    """Days for up to three months, weeks for up to three years, else months."""
    if not days:
        return "day"
    span = (max(days) - min(days)).days
    return "day" if span <= 92 else "week" if span <= 3 * 366 else "month"


def bins(values: list[str | None], unit: str | None = None) -> dict[str, Any]:
    """Counts per ``unit`` from the first to the last dated statement, empty bins included."""
    days = [d for d in map(_day, values) if d is not None]
    if unit is None:
        unit = pick_unit(days)
    if unit not in UNITS:
        raise ValueError(f"timeline unit {unit!r} is not one of {', '.join(UNITS)}")
    counts = Counter(_floor(d, unit) for d in days)
    out: list[dict[str, Any]] = []
    if counts:
        cur, last = min(counts), max(counts)
        while cur <= last and len(out) < MAX_BARS:
            out.append({"start": cur.isoformat(), "count": counts.get(cur, 0)})
            cur = _next(cur, unit)
        if cur <= last and unit != "month":  # too many bars for this unit: a coarser one
            return bins(values, UNITS[UNITS.index(unit) + 1])
    return {"unit": unit, "bins": out, "undated": len(values) - len(days)}


def chart(timeline: dict[str, Any]) -> dict[str, Any]:
    """Bars and labels in SVG user units for ``templates/_timeline.html``."""
    data = timeline["bins"]
    top = max((b["count"] for b in data), default=0)
    inner_w = WIDTH - 2 * PAD_SIDE
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = inner_w / max(len(data), 1)
    bars = []
    for i, b in enumerate(data):
        h = inner_h * b["count"] / top if top else 0
        bars.append(
            {
                # time runs right to left, as the page reads
                "x": round(WIDTH - PAD_SIDE - (i + 1) * slot + slot * 0.1, 2),
                "y": round(PAD_TOP + inner_h - h, 2),
                "w": round(max(slot * 0.8, 1), 2),
                "h": round(h, 2),
                "start": b["start"],
                "count": b["count"],
            }
        )
    step = max(1, -(-len(data) // 6))  # at most about six labels
    shown = [i for i in range(0, len(bars), step)]
    if bars and len(bars) - 1 - shown[-1] >= step / 2:
        shown.append(len(bars) - 1)
    labels = [{"x": round(bars[i]["x"] + bars[i]["w"] / 2, 2), "text": bars[i]["start"]} for i in shown]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": PAD_TOP + inner_h,
        "left": PAD_SIDE,
        "right": WIDTH - PAD_SIDE,
        "top": top,
        "top_y": PAD_TOP,
        "bars": bars,
        "labels": labels,
        "unit": timeline["unit"],
    }
