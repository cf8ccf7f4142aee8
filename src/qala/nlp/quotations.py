"""Quotation-mark spans, paired by context rather than by glyph.

Arabic news uses “ and ” in both directions, sometimes the same mark on both sides
(«وأكد: “للأسف ... مرة أخرى “.»), and leaves nested quotes unclosed. A mark with a
space (or a clitic و/ب/ل) before it and a letter after it opens; any other mark closes.
"""

from __future__ import annotations

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
        line_closers.clear()

    prev_line_end = 0
    for i, tok in enumerate(doc.tokens):
        if "\n" in text[prev_line_end:tok.start] and i > 0:
            flush(i - 1)
        prev_line_end = tok.end
        ch = tok.text
        if len(ch) != 1 or (ch not in OPENERS and ch not in CLOSERS):
            continue
        role = _role(text, tok.start)
        kind = OPENERS.get(ch) or CLOSERS.get(ch)
        if role == "either":
            role = "close" if any(k == kind for _, k in stack) else "open"
        if role == "open":
            stack.append((i, kind))
            continue
        line_closers.append(i)
        # close the innermost open quote of the same kind (curly marks close curly ones)
        for j in range(len(stack) - 1, -1, -1):
            if stack[j][1] == kind:
                ti, _ = stack[j]
                del stack[j:]
                result.append(Quotation(ti, i, doc.tokens[ti].end, tok.start, len(stack)))
                break
    if doc.tokens:
        flush(len(doc.tokens) - 1)
    result.sort(key=lambda q: (q.start, -q.end))
    for q in result:
        q.words = sum(1 for t in doc.tokens if q.start <= t.start < q.end and t.text[0].isalnum())
        q.depth = sum(1 for o in result if o is not q and o.start <= q.start and q.end <= o.end)
    return result
