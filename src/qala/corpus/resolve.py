"""Turn an annotator's written-out statements and entities into character offsets.

Annotators copy content, cue and speaker mention from the text; this finds where each one stands,
so the corpus stores offsets only. Ambiguities (a content written twice, a cue not near its
content) are reported, never guessed silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

KINDS = ("claim", "denial", "accusation", "warning", "promise", "call", "other")
TYPES = ("direct", "indirect", "mixed")
RESOLUTIONS = ("explicit", "pronoun", "title", "description", "headline")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
CUE_WINDOW = 600  # characters between a cue and its content, either side
MENTION_WINDOW = 400  # characters between a speaker mention and its cue, either side
PROCLITICS = re.compile(r"(?:[وف]?[بلك]?|[وف])$")
SENTENCE_BREAK = re.compile(r"[.!?؟\n]")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


@dataclass
class Resolved:
    statements: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _nearest(text: str, needle: str, lo: int, hi: int, anchor: int, prefer_before: bool) -> int | None:
    """The occurrence of ``needle`` starting in [lo, hi) closest to ``anchor``."""
    hits = [i for i in _occurrences(text[max(0, lo) : hi], needle)]
    if not hits:
        return None
    hits = [max(0, lo) + i for i in hits]

    def distance(i: int) -> tuple[int, int]:
        end = i + len(needle)
        before = end <= anchor
        gap = anchor - end if before else i - anchor
        return (0 if before == prefer_before else 1, abs(gap))

    return min(hits, key=distance)


def _content(text: str, q: dict[str, Any], n: int, out: Resolved) -> tuple[int, int] | None:
    content = q.get("content")
    if not isinstance(content, str) or not content.strip():
        out.errors.append(f"statement {n}: 'content' must be a non-empty string")
        return None
    if content != content.strip():
        out.warnings.append(f"statement {n}: content has leading/trailing spaces (stripped)")
        content = content.strip()
    hits = _occurrences(text, content)
    if not hits:
        out.errors.append(f"statement {n}: content is not a substring of the text: {content[:60]!r}")
        return None
    which = q.get("content_occurrence", 1)
    if len(hits) > 1 and "content_occurrence" not in q:
        out.warnings.append(
            f"statement {n}: content occurs {len(hits)} times; took the first (set content_occurrence)"
        )
    if not isinstance(which, int) or not 1 <= which <= len(hits):
        out.errors.append(f"statement {n}: content_occurrence {which!r} not in 1..{len(hits)}")
        return None
    start = hits[which - 1]
    return start, start + len(content)


def _cue(
    text: str, q: dict[str, Any], content: tuple[int, int], n: int, out: Resolved
) -> tuple[int, int] | None:
    cue = q.get("cue")
    if not isinstance(cue, str) or not cue.strip():
        out.errors.append(f"statement {n}: 'cue' must be a non-empty string")
        return None
    cue = cue.strip()
    start, end = content
    # A cue stands before its content (قال ...) or after it (... قال المتحدث); never inside it.
    before = _nearest(text, cue, start - CUE_WINDOW, start, start, prefer_before=True)
    after = _nearest(text, cue, end, end + CUE_WINDOW, end, prefer_before=False)
    if after is not None and before is not None and SENTENCE_BREAK.search(text[end:after]):
        after = None  # a cue after a sentence break opens the next statement, not this one
    options = [i for i in (before, after) if i is not None]
    if not options and q.get("cue_fallback") and " " in cue:
        # Text-form gold writes split cues whole (أشار إلى for «أشار الوزير إلى»): the verb stands for it.
        return _cue(text, {**q, "cue": cue.split()[0], "cue_fallback": False}, content, n, out)
    if not options:
        out.errors.append(
            f"statement {n}: cue {cue!r} not found within {CUE_WINDOW} characters of its content"
        )
        return None
    best = min(options, key=lambda i: start - (i + len(cue)) if i < start else (i - end) * 2)
    return best, best + len(cue)


def _mention(
    text: str, q: dict[str, Any], cue: tuple[int, int], n: int, out: Resolved
) -> tuple[int, int] | None:
    mention = q.get("mention")
    if mention is None or mention == "":
        return None
    if not isinstance(mention, str):
        out.errors.append(f"statement {n}: 'mention' must be a string or null")
        return None
    mention = mention.strip()
    hit = _nearest(
        text, mention, cue[0] - MENTION_WINDOW, cue[1] + MENTION_WINDOW, cue[1], prefer_before=False
    )
    if hit is None:
        out.errors.append(
            f"statement {n}: mention {mention!r} not found within {MENTION_WINDOW} characters of the cue"
        )
        return None
    return hit, hit + len(mention)


def _choice(
    q: dict[str, Any], key: str, allowed: tuple[str, ...], n: int, out: Resolved, default: str | None
):
    value = q.get(key, default)
    if value not in allowed:
        out.errors.append(f"statement {n}: {key} {value!r} not one of {', '.join(allowed)}")
    return value


def _content_and_cue(text: str, q: dict[str, Any], n: int, out: Resolved):
    """The content occurrence asked for, or else the first one that has its cue nearby."""
    content = _content(text, q, n, out)
    if content is None:
        return None, None
    if "content_occurrence" not in q:
        for which in range(2, len(_occurrences(text, q["content"].strip())) + 1):
            probe = Resolved()
            if _cue(text, q, content, n, probe) is not None:
                break
            content = _content(text, {**q, "content_occurrence": which}, n, probe)
    return content, _cue(text, q, content, n, out)


def resolve_statement(text: str, q: dict[str, Any], n: int, out: Resolved) -> None:
    content, cue = _content_and_cue(text, q, n, out)
    if content is None or cue is None:
        return
    mention = _mention(text, q, cue, n, out)
    speaker = q.get("speaker")
    if not isinstance(speaker, str) or not speaker.strip():
        out.errors.append(f"statement {n}: 'speaker' must be a non-empty string")
        return
    aliases = q.get("aliases") or [speaker]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        out.errors.append(f"statement {n}: 'aliases' must be a list of non-empty strings")
        return
    row = {
        "cue": list(cue),
        "content": list(content),
        "mention": list(mention) if mention else None,
        "type": _choice(q, "type", TYPES, n, out, None),
        "kind": _choice(q, "kind", KINDS, n, out, None),
        "resolution": _choice(q, "resolution", RESOLUTIONS, n, out, None),
        "optional": bool(q.get("optional", False)),
        "speaker": speaker.strip(),
        "aliases": sorted({a.strip() for a in [speaker, *aliases]}),
    }
    row["hashes"] = span_hashes(text, row)
    if q.get("note"):
        row["note"] = str(q["note"])
    out.statements.append(row)


def span_hash(text: str) -> str:
    """A short fingerprint of a span's text: the loader checks ``text[start:end]`` against it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def span_hashes(text: str, statement: dict[str, Any]) -> dict[str, str]:
    return {
        key: span_hash(text[statement[key][0] : statement[key][1]])
        for key in ("cue", "content", "mention")
        if statement.get(key)
    }


def _is_word_start(text: str, i: int) -> bool:
    """True at a word start, or after a proclitic run (و ف ب ل ك) that starts a word."""
    j = i
    while j > 0 and ARABIC_LETTER.match(text[j - 1]):
        j -= 1
    return i == j or (i - j <= 3 and PROCLITICS.fullmatch(text[j:i]) is not None)


def _in_hashtag(text: str, i: int, j: int) -> bool:
    """Names written as hashtags (#الصين, #سلطان_بن_سحيم) are left untagged, as in news_dev."""
    k = i
    while k > 0 and (ARABIC_LETTER.match(text[k - 1]) or text[k - 1] == "_"):
        k -= 1
    return (k > 0 and text[k - 1] == "#") or text[j : j + 1] == "_" or text[i - 1 : i] == "_"


def _is_word_end(text: str, i: int) -> bool:
    return i >= len(text) or not (text[i].isalnum() or ARABIC_LETTER.match(text[i]))


def resolve_entities(text: str, entities: list[Any], out: Resolved) -> None:
    """Every whole-word occurrence of each listed form (after a proclitic), longest form first."""
    taken = [False] * len(text)
    forms = []
    for n, e in enumerate(entities, 1):
        if not isinstance(e, dict) or not isinstance(e.get("text"), str) or e.get("type") not in ENTITY_TYPES:
            out.errors.append(f"entity {n}: needs 'text' and 'type' in {', '.join(ENTITY_TYPES)}")
            continue
        forms.append((e["text"].strip(), e["type"]))
    for form, kind in sorted(set(forms), key=lambda f: -len(f[0])):
        found = 0
        for i in _occurrences(text, form):
            j = i + len(form)
            if (
                any(taken[i:j])
                or not _is_word_start(text, i)
                or not _is_word_end(text, j)
                or _in_hashtag(text, i, j)
            ):
                continue
            taken[i:j] = [True] * (j - i)
            out.entities.append({"start": i, "end": j, "type": kind})
            found += 1
        if not found:
            out.warnings.append(f"entity {form!r}: no whole-word occurrence left in the text")
    out.entities.sort(key=lambda e: e["start"])


def resolve(text: str, annotation: dict[str, Any]) -> Resolved:
    """Offsets for a written-out pass: ``{"quotes": [...], "entities": [...]}``."""
    out = Resolved()
    quotes = annotation.get("quotes", [])
    if not isinstance(quotes, list):
        out.errors.append("'quotes' must be a list")
        quotes = []
    for n, q in enumerate(quotes, 1):
        if not isinstance(q, dict):
            out.errors.append(f"statement {n}: must be an object")
            continue
        resolve_statement(text, q, n, out)
    if "entities" in annotation:
        if isinstance(annotation["entities"], list):
            resolve_entities(text, annotation["entities"], out)
        else:
            out.errors.append("'entities' must be a list")
    return out
