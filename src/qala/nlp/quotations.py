"""Quotation-mark spans, paired by context rather than by glyph.

Arabic news uses “ and ” in both directions, sometimes the same mark on both sides
(«وأكد: “للأسف ... مرة أخرى “.»), and leaves nested quotes unclosed. A mark with a
space (or a clitic و/ب/ل) before it and a letter after it opens; any other mark closes.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from qala.nlp.doc import Doc

OPENERS = {"«": "guillemet", "“": "curly", "”": "curly", "„": "curly", "‟": "curly", '"': "straight"}
CLOSERS = {"»": "guillemet", "“": "curly", "”": "curly", "‟": "curly", '"': "straight"}
CLITICS = set("وبلفك")


@dataclass(slots=True)
class Quotation:
    """A quoted run: ``open``/``close`` are token indices of the marks (close may be None)."""

    open: int
    close: int | None
    start: int  # first char inside the marks
    end: int  # char after the last one inside
    depth: int
    words: int = 0

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end


def _role(text: str, pos: int) -> str:
    """Whether the mark at ``pos`` opens or closes, read from its neighbours."""
    ch = text[pos]
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if ch == "«":
        return "open"
    if ch == "»":
        return "close"
    after_word = after.isalnum() or after in OPENERS
    before_space = before.isspace() or before in "(:،,[—-" or before in OPENERS
    clitic = before in CLITICS and (pos < 2 or text[pos - 2].isspace())
    if after_word and (before_space or clitic):
        return "open"
    if not after_word:
        return "close"
    return "either"


def find_quotations(doc: Doc) -> list[Quotation]:
    """Pair the quotation marks of each line; unclosed quotes end at the last closer or line end."""
    text = doc.text
    result: list[Quotation] = []
    stack: list[tuple[int, str]] = []  # (token index, kind)
    at: dict[str, list[int]] = {}  # kind -> its places in the stack, innermost last
    line_closers: list[int] = []

    def flush(line_end_tok: int) -> None:
        # An unclosed outer quote takes the line's last closing mark after it (an inner
        # quote's closer doubles as its own), else it runs to the line end.
        if stack:
            ti = stack[0][0]
            closer = max((c for c in line_closers if c > ti), default=None)
            end = doc.tokens[closer].start if closer is not None else doc.tokens[line_end_tok].end
            result.append(Quotation(ti, closer, doc.tokens[ti].end, end, 0))
            stack.clear()
            at.clear()
        line_closers.clear()

    prev_line_end = 0
    for i, tok in enumerate(doc.tokens):
        if i > 0 and "\n" in text[prev_line_end:tok.start]:
            flush(i - 1)
        prev_line_end = tok.end
        ch = tok.text
        if len(ch) != 1 or (ch not in OPENERS and ch not in CLOSERS):
            continue
        role = _role(text, tok.start)
        kind = OPENERS.get(ch) or CLOSERS.get(ch)
        if role == "either":
            role = "close" if at.get(kind) else "open"
        if role == "open":
            at.setdefault(kind, []).append(len(stack))
            stack.append((i, kind))
            continue
        line_closers.append(i)
        # close the innermost open quote of the same kind (curly marks close curly ones)
        if at.get(kind):
            j = at[kind][-1]
            ti = stack[j][0]
            for _, k in reversed(stack[j:]):
                at[k].pop()
            del stack[j:]
            result.append(Quotation(ti, i, doc.tokens[ti].end, tok.start, len(stack)))
    if doc.tokens:
        flush(len(doc.tokens) - 1)
    result.sort(key=lambda q: (q.start, -q.end))
    _count_words(doc, result)
    _count_depths(result)
    return result


def _count_words(doc: Doc, quotations: list[Quotation]) -> None:
    """Each quotation's word count: tokens starting inside it that start with a letter or digit."""
    starts = [t.start for t in doc.tokens]
    words_before = [0]
    for t in doc.tokens:
        words_before.append(words_before[-1] + t.text[0].isalnum())
    for q in quotations:
        q.words = words_before[bisect_left(starts, q.end)] - words_before[bisect_left(starts, q.start)] \
            if q.start < q.end else 0


def _count_depths(quotations: list[Quotation]) -> None:
    """Each quotation's depth: how many other quotations contain it (``start <= q.start``,
    ``q.end <= end``), counted with a Fenwick tree over the ends in one pass by start."""
    ends = sorted({q.end for q in quotations})
    tree = [0] * (len(ends) + 1)
    by_start = sorted(range(len(quotations)), key=lambda k: quotations[k].start)
    k = 0
    inserted = 0
    for q in quotations:  # sorted by start
        while k < len(by_start) and quotations[by_start[k]].start <= q.start:
            i = bisect_left(ends, quotations[by_start[k]].end) + 1
            while i <= len(ends):
                tree[i] += 1
                i += i & -i
            inserted += 1
            k += 1
        i = bisect_left(ends, q.end)  # inserted ends below q.end
        below = 0
        while i > 0:
            below += tree[i]
            i -= i & -i
        q.depth = inserted - below - 1  # the others that end at or after it; q itself is one
