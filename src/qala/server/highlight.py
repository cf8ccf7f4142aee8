"""Offsets to highlight events: the article text cut into text pieces and nested open/close marks.

Nothing here builds HTML. ``events(text, spans)`` returns a flat list of
``{"t": "open", "cls", "attrs"}``, ``{"t": "text", "text"}`` and ``{"t": "close"}`` that the
template renders with Jinja2 autoescaping, so an article's ``<script>`` is shown as text.
Spans nest (a mention inside a statement); a span that crosses the end of an open one is cut
there into pieces, each piece keeping its attributes and its own ``data-start``/``data-end``:
``events("قال بوتين", [Mark(4, 9, "ent")])`` ->
``[text "قال ", open ent, text "بوتين", close]``.

Display of bidi controls: ``show_controls`` escapes a string and replaces every embedding,
override and isolate control (U+202A-202E, U+2066-2069) by a visible mark, so a hostile title
cannot reorder what the reader sees; the stored text keeps them.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

# outer before inner when two spans have the same extent
RANK = {"content": 0, "mention": 1, "cue": 2, "ent": 3, "link": 4, "date": 5}

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}


@dataclass(slots=True)
class Mark:
    """A span to highlight: ``kind`` is a key of ``RANK``; ``attrs`` become HTML attributes."""

    start: int
    end: int
    kind: str
    attrs: dict[str, Any] = field(default_factory=dict)
    classes: str = ""


def events(text: str, marks: list[Mark]) -> list[dict[str, Any]]:
    """Text pieces and properly nested open/close events covering ``text`` exactly once."""
    n = len(text)
    heap: list[tuple[int, int, int, int, Mark]] = []
    for i, m in enumerate(marks):
        if 0 <= m.start < m.end <= n:
            heapq.heappush(heap, (m.start, -m.end, RANK.get(m.kind, 9), i, m))
    out: list[dict[str, Any]] = []
    stack: list[int] = []  # ends of the open marks, innermost last
    pos = 0
    seq = len(marks)

    def text_to(end: int) -> None:
        nonlocal pos
        if end > pos:
            out.append({"t": "text", "text": text[pos:end]})
            pos = end

    def close_to(limit: int) -> None:
        while stack and stack[-1] <= limit:
            text_to(stack.pop())
            out.append({"t": "close"})

    while heap:
        start, neg_end, rank, _, m = heapq.heappop(heap)
        end = -neg_end
        close_to(start)
        if stack and end > stack[-1]:  # crosses the innermost open mark: cut at its end
            cut = stack[-1]
            seq += 1
            rest = Mark(cut, end, m.kind, {k: v for k, v in m.attrs.items() if k != "id"}, m.classes)
            heapq.heappush(heap, (cut, -end, rank, seq, rest))  # only the first piece keeps the id
            end = cut
        text_to(start)
        attrs = dict(m.attrs) | {"data-start": start, "data-end": end}
        out.append({"t": "open", "cls": " ".join(filter(None, ("hl", m.kind, m.classes))), "attrs": attrs})
        stack.append(end)
    close_to(n)
    text_to(n)
    return out


def show_controls(value: object) -> Markup:
    """Escaped text with bidi controls shown as visible marks (display only)."""
    s = "" if value is None else str(value)
    parts = BIDI_CONTROLS.split(s)
    if len(parts) == 1:
        return escape(s)
    controls = BIDI_CONTROLS.findall(s)
    out = [escape(parts[0])]
    for ctl, part in zip(controls, parts[1:], strict=True):
        code = f"U+{ord(ctl):04X}"
        out.append(
            Markup('<span class="ctl" dir="ltr" title="{}">[{}]</span>').format(code, _CONTROL_NAMES[ctl])
        )
        out.append(escape(part))
    return Markup("").join(out)


def strip_controls(value: object) -> str:
    """Plain text without bidi controls, for places that cannot hold marks (``<title>``, attributes)."""
    return BIDI_CONTROLS.sub("", "" if value is None else str(value))


RESOLUTION_LABELS = {
    "explicit": "مذكور صراحة",
    "pronoun": "ضمير مستتر",
    "title": "باللقب",
    "description": "بالوصف",
    "headline": "من العنوان",
}

TYPE_LABELS = {"direct": "مباشر", "indirect": "غير مباشر", "mixed": "مختلط"}

ENTITY_LABELS = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان", "MISC": "أخرى"}


def speaker_tip(q: dict[str, Any]) -> str:
    """What hovering or focusing a statement shows: the speaker and how it was resolved."""
    name = q.get("speaker_name") or "متحدث غير محدد"
    title = q.get("speaker_title")
    res = q.get("resolution")
    how = f"{RESOLUTION_LABELS.get(res, res)} ({res})" if res else "غير معروف"
    who = f"{name} ({title})" if title else name
    return strip_controls(f"المتحدث: {who} · الإسناد: {how}")


def article_marks(art: dict[str, Any]) -> list[Mark]:
    """Every statement's content, cue and speaker mention, every entity mention, link and date."""
    marks: list[Mark] = []
    for q in art.get("quotes", []):
        seq = q["seq"]
        tip = speaker_tip(q)
        marks.append(
            Mark(
                q["content_start"],
                q["content_end"],
                "content",
                {"id": f"q{seq}", "data-quote": seq, "title": tip, "data-tip": tip, "tabindex": 0},
                f"q-{q['type']}",
            )
        )
        marks.append(
            Mark(q["cue_start"], q["cue_end"], "cue", {"data-quote": seq, "title": f"فعل القول · {tip}"})
        )
        if q.get("mention_start") is not None and q.get("mention_end") is not None:
            marks.append(
                Mark(
                    q["mention_start"],
                    q["mention_end"],
                    "mention",
                    {"data-quote": seq, "title": f"ذكر المتحدث · {tip}"},
                )
            )
    for e in art.get("entities", []):
        label = strip_controls(f"{e['name']} · {ENTITY_LABELS.get(e['type'], e['type'])}")
        for m in e.get("mentions", []):
            marks.append(Mark(m["start"], m["end"], "ent", {"title": label}, f"ent-{e['type']}"))
    for x in art.get("links", []):
        marks.append(Mark(x["start"], x["end"], "link", {"title": strip_controls(x["url"])}))
    for d in art.get("dates", []):
        if d.get("value"):
            marks.append(Mark(d["start"], d["end"], "date", {"title": d["value"]}))
    return marks
