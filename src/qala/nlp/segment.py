"""Sentences and tokens with offsets into the original text.

Quote extraction works sentence by sentence, so a sentence must keep a quotation
together: ``وتساءل: “ما هي هذه السياسات؟ إنها ...”.`` is one sentence even though it holds
a question mark. Dots that are not sentence ends (``3.5``, ``د.``, ``U.S.``, URLs,
``روسيا.. حذرنا``) are skipped. Newlines end sentences, except in hard-wrapped texts
(some outlets wrap paragraphs at ~75 chars), where a line ends its paragraph only if the
next line's first word would have fit on it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from qala.nlp import langdata
from qala.nlp.doc import Sentence, Token
from qala.nlp.normalize import DELETED_CHARS, fold

SENTENCE_END = ".!?؟۔…"
# Straight and typographic quotation marks (``lang/ar/quote_marks.txt``); the direction of
# “ ” « » is not trusted (Arabic outlets use them both ways), so their role comes from the context.
QUOTE_MARKS = "".join(mark for row in langdata.rows("quote_marks.txt") for mark in row[1].split())
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_NOT_OPEN_BEFORE = frozenset(".,،;؛:!?؟…)]}")  # a mark followed by these closes
_NOT_CLOSE_AFTER = frozenset("([{:")  # a mark preceded by these opens
_CONTINUES_AFTER = frozenset(",،;؛:")  # "...؟"، قال" : the sentence goes on

_URL = r"(?:https?://|www\.)[^\s\"“”«»<>()\[\]]*[^\s\"“”«»<>()\[\].,،:;؛!?؟']"
# A local part has at most 64 chars (RFC 5321): unbounded, a run of dots with no @ was tried
# from each of its chars to its end, quadratic in the run's length.
_EMAIL = r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
# Arabic letters with their diacritics and tatweel, without Arabic digits and punctuation.
_ARABIC_LETTER = "\u0610-\u061a\u0621-\u065f\u066e-\u06d3\u06d5-\u06ed\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufd3d\ufd50-\ufdff\ufe70-\ufefc"
_LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TOKEN = re.compile(
    rf"[{_ARABIC_LETTER}]+"  # first: by far the most frequent
    rf"|{_URL}|{_EMAIL}"
    r"|\d+(?:[.,٫٬/:]\d+)*"  # 3.5  1,971  ٣٫٥  2015/9/4  10:05
    rf"|[{_LATIN_LETTER}][{_LATIN_LETTER}0-9]*"  # Latin words keep their digits: G20
    r"|[^\W\d_]+"  # letters of other scripts
    rf"|[^\s{_INVISIBLE}]"  # any other visible char is a token of its own
)
_URL_OR_EMAIL = re.compile(rf"{_URL}|{_EMAIL}")
_ABBREVIATION_TAIL = re.compile(r"(?:[^\W\d_]|[.\u0610-\u061a\u064b-\u065f\u0670])+\Z")
_TERMINAL_RUN = re.compile(r"[.!?؟۔…]+")
_QUOTE = re.compile(f"[{QUOTE_MARKS}]")
_NEWLINE = re.compile(r"\r\n?|[\n\u2028\u2029\x85\x0b\x0c]")


@cache
def abbreviations() -> frozenset[str]:
    """Folded abbreviations (without their final dot) from ``lang/ar/abbreviations.txt``."""
    lines = (line.split("#", 1)[0].strip() for line in langdata.text("abbreviations.txt").splitlines())
    return frozenset(fold(line).casefold() for line in lines if line)


def _urls_and_emails(text: str) -> list[tuple[int, int]]:
    """Spans whose dots and question marks are not sentence ends."""
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    return [m.span() for m in _URL_OR_EMAIL.finditer(text)]


def _is_blank(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, next_start) of each line; ``end`` excludes the line break."""
    out = []
    pos = 0
    for m in _NEWLINE.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    out.append((pos, len(text), len(text)))
    return out


def _wrap_width(text: str, lines: list[tuple[int, int, int]]) -> int | None:
    """The wrap width if the text looks hard-wrapped, else None.

    Hard-wrapped: most lines are close to one width that no line exceeds by much, and
    most of those long lines stop mid-sentence (no final punctuation).
    """
    stripped = [text[s:e].strip() for s, e, _ in lines]
    lens = sorted(len(t) for t in stripped if t)
    if len(lens) < 3:
        return None
    width = lens[int(0.9 * (len(lens) - 1))]
    if not 50 <= width <= 100 or lens[-1] > 1.15 * width:
        return None
    long = [t for t in stripped if len(t) >= 0.7 * width]
    if len(long) < 0.5 * len(lens):
        return None
    open_ended = sum(1 for t in long if t[-1] not in SENTENCE_END + QUOTE_MARKS + ":")
    return lens[-1] if open_ended >= 0.5 * len(long) else None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: the lines, or in a hard-wrapped text, runs of wrapped lines.

    A wrapper breaks a line only when the next word does not fit, so a line that
    would have had room for the next line's first word ends its paragraph.
    """
    lines = _lines(text)
    width = _wrap_width(text, lines)
    if width is None:
        return [(s, e) for s, e, _ in lines]
    paras = []
    start = 0
    for k, (s, e, nxt) in enumerate(lines):
        line = text[s:e].rstrip()  # leading indentation takes room too
        following = text[nxt : lines[k + 1][1]].split(maxsplit=1) if k + 1 < len(lines) else []
        if not line.strip() or not following or len(line) + 1 + len(following[0]) <= width:
            paras.append((start, e))
            start = nxt
    if start < len(text):
        paras.append((start, len(text)))
    return paras


def _quote_spans(text: str, ps: int, pe: int) -> tuple[list[tuple[int, int]], set[int]]:
    """Quotations that hold a sentence together in one paragraph, and all closing marks.

    A mark opens when it starts a word and closes when it ends one; otherwise it
    toggles. Straight quotes pair by parity. An opener never closed holds up to the
    last closer after it (a nested quote closed by the outer mark), or holds nothing.
    An opener glued to the word before it (``صغيرة"على``) pairs but holds nothing:
    such marks are typos as often as quotes.
    """
    stack: list[int] = []
    straight: int | None = None
    pairs: list[tuple[int, int]] = []
    closers: set[int] = set()
    glued: set[int] = set()
    for m in _QUOTE.finditer(text, ps, pe):
        i = m.start()
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        can_open = not (_is_blank(nxt) or nxt in _NOT_OPEN_BEFORE)
        can_close = not (_is_blank(prev) or prev in _NOT_CLOSE_AFTER)
        if text[i] == '"':
            if straight is None:
                if can_open or not can_close:  # a lone closing " is stray
                    straight = i
            else:
                pairs.append((straight, i))
                closers.add(i)
                straight = None
        elif (can_open and not can_close) or (can_open == can_close and not stack):
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
            closers.add(i)
            continue
        else:
            continue
        if can_close and i not in closers:
            glued.add(i)
    closed = sorted(pairs)
    last_closer = [c for _, c in closed]  # from the k-th pair on, the last closer
    for k in range(len(closed) - 2, -1, -1):
        last_closer[k] = max(last_closer[k], last_closer[k + 1])
    for o in stack + ([straight] if straight is not None else []):
        k = bisect_right(closed, (o, len(text)))  # the first pair opened after o
        if k < len(closed):
            pairs.append((o, last_closer[k]))
    return [(o, c) for o, c in pairs if o not in glued], closers


def _dot_continues(text: str, p: int, ps: int, pe: int) -> bool:
    """Whether the single ``.`` at ``p`` is inside a sentence: 3.5, bbc.com, د. , U.S. , 1. ."""
    prev = text[p - 1] if p > ps else ""
    nxt = text[p + 1] if p + 1 < pe else ""
    if prev.isdigit():
        if nxt.isdigit():  # 3.5, 4.9.2015
            return True
        head = text[ps:p].strip() if p - ps <= 8 else ""
        return head.isdigit() and len(head) <= 3  # numbered list marker at paragraph start
    if nxt.isascii() and nxt.isalnum():  # bfmtv.com, e.g
        return True
    if nxt.isalpha() and prev.isalpha():
        # «سي.بي.إس», «أو.إن.جي.سي»: short letter groups dotted without a space (not «الوزير.وقال»)
        a = p
        while a > ps and text[a - 1].isalpha():
            a -= 1
        b = p + 1
        while b < pe and text[b].isalpha():
            b += 1
        if p - a <= 3 and b - p - 1 <= 3:
            return True
    if not prev.isalpha() and prev not in DELETED_CHARS:
        return False
    chunk = _ABBREVIATION_TAIL.search(text, max(ps, p - 16), p)
    folded = fold(chunk.group()).strip(".") if chunk else ""
    if not folded:
        return False
    if all(len(part) == 1 for part in folded.split(".")):  # د.  أ.د.  U.S.  ج.م.ع.
        return True
    return folded.casefold() in abbreviations()


def _masked(masks: list[tuple[int, int]], starts: list[int], p: int) -> bool:
    """Whether ``p`` is inside one of ``masks`` (in order, not overlapping; ``starts`` their starts)."""
    k = bisect_right(starts, p) - 1
    return k >= 0 and p < masks[k][1]


def _sentence_ends(text: str, ps: int, pe: int, masks: list[tuple[int, int]], starts: list[int]) -> list[int]:
    """Sentence end offsets inside paragraph ``[ps, pe)`` (the paragraph end not included)."""
    ends: list[int] = []
    quotes: tuple[list[tuple[int, int]], set[int]] | None = None
    holding: list[tuple[int, int]] = []  # the quotations by opening mark ...
    reach: list[int] = []  # ... and the furthest closing mark among the first k of them
    for m in _TERMINAL_RUN.finditer(text, ps, pe):
        p, q = m.span()
        if masks and _masked(masks, starts, p):
            continue
        run = m.group()
        if run == "." and _dot_continues(text, p, ps, pe):
            continue
        # An ellipsis goes on ("إننا في روسيا.. حذرنا مرارا") unless it follows a closing
        # quote ("...بعدها".. وأكد).
        if len(run) > 1 or run == "…":
            ellipsis = not any(ch in "!?؟۔" for ch in run)
            if ellipsis and (p == ps or text[p - 1] not in QUOTE_MARKS):
                continue
        if quotes is None:
            quotes = _quote_spans(text, ps, pe)
            holding = sorted(quotes[0])
            for _, c in holding:
                reach.append(max(c, reach[-1]) if reach else c)
        closers = quotes[1]
        while q < pe and q in closers:  # the closing mark belongs to the sentence it ends
            q += 1
        r = q
        while r < pe and _is_blank(text[r]):
            r += 1
        if r >= pe or text[r] in _CONTINUES_AFTER:
            continue
        k = bisect_left(holding, (q, -1))  # the quotations opened before q
        if k and reach[k - 1] >= q:  # one of them goes on past q
            continue
        ends.append(q)
    return ends


def split_sentences(text: str) -> list[Sentence]:
    """Sentence spans, blanks trimmed, covering every visible char exactly once.

    ``split_sentences("قال: “نعم. سنأتي”. ثم غادر.")`` gives two sentences, the quote whole.
    """
    bounds: list[int] = []
    masks = _urls_and_emails(text)
    starts = [s for s, _ in masks]
    for ps, pe in _paragraphs(text):
        bounds.extend(_sentence_ends(text, ps, pe, masks, starts))
        bounds.append(pe)
    bounds.append(len(text))
    sentences = []
    prev = 0
    for b in bounds:
        if b <= prev:
            continue
        s, e = prev, b
        while s < e and _is_blank(text[s]):
            s += 1
        while e > s and _is_blank(text[e - 1]):
            e -= 1
        if s < e:
            sentences.append(Sentence(s, e))
        prev = b
    return sentences


def tokenize(text: str, sentences: list[Sentence]) -> list[Token]:
    """Word, number, URL and single punctuation tokens, each with its sentence index.

    ``tokenize("قالَ: 3.5%", ...)`` -> ``قالَ`` (norm ``قال``), ``:``, ``3.5``, ``%``.
    """
    tokens: list[Token] = []
    append = tokens.append
    find = text.find
    findall = _TOKEN.findall
    shadow = fold(text)
    aligned = len(shadow) == len(text)  # no diacritics: a token's norm is a slice of the shadow
    memo: dict[str, str] = {}
    for si, sentence in enumerate(sentences):
        pos = sentence.start
        for word in findall(text, pos, sentence.end):
            start = find(word, pos)  # only blanks lie between tokens, so this is its offset
            pos = start + len(word)
            if aligned:
                norm = shadow[start:pos]
            else:
                norm = memo.get(word)
                if norm is None:
                    norm = memo[word] = fold(word)
            append(Token(start, pos, word, norm, si))
    return tokens
