"""Arabic match form (shadow text) with an offset map back to the original.

Matching and search must ignore spelling noise that news text is full of (optional
diacritics, tatweel, hamza-on-alef, final ى/ي and ة/ه, Arabic-Indic digits), while every
span we report must still point into the original, unmodified text. ``fold`` gives the
match form of a string; ``normalize`` folds a whole document and keeps, for each
shadow char, the index of the original char it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The alphabet tables are data, not a lexicon: each removed or mapped code point.
_DELETED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0610, 0x061A),  # Quranic honorifics and small letters above/below
    (0x064B, 0x065F),  # harakat: tanwin, fatha, damma, kasra, shadda, sukun, maddah, hamza marks
    (0x0670, 0x0670),  # superscript (dagger) alef
    (0x0640, 0x0640),  # tatweel (kashida), pure typographic stretching
    (0x06D6, 0x06DC),  # Quranic annotation signs
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
)

_MAPPED: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",  # alef wasla
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",  # alef maqsura is written for final ي in Egyptian spelling and vice versa
    "ی": "ي",  # Persian yeh, typed on Persian keyboards
    "ک": "ك",  # Persian keheh
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian (Eastern Arabic-Indic) digits
}

DELETED_CHARS: frozenset[str] = frozenset(chr(cp) for lo, hi in _DELETED_RANGES for cp in range(lo, hi + 1))

# A list indexed by code point is a faster translate table than a dict; code points past
# its end raise IndexError, which str.translate reads as "keep the char". It reaches past the
# surrogates: a lone one (which no UTF-8 can hold: the CRF, SQLite and JSON refuse it) folds to
# U+FFFD, so every match form can be encoded.
_TABLE: list[str | None] = [chr(cp) for cp in range(0xE000)]
for _cp in range(0xD800, 0xE000):
    _TABLE[_cp] = "\ufffd"
for _c in DELETED_CHARS:
    _TABLE[ord(_c)] = None
for _k, _v in _MAPPED.items():
    _TABLE[ord(_k)] = _v
_DELETED_RUN = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _DELETED_RANGES) + "]+")


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(s: str) -> str:
    """``s`` with each lone surrogate (which no UTF-8 can hold) replaced by U+FFFD, offsets kept."""
    return _SURROGATE.sub("\ufffd", s)


def fold(s: str) -> str:
    """The match form of ``s``, one code point in at most one out: ``fold("أَحْمَدُ")`` -> ``"احمد"``."""
    return s.translate(_TABLE)


@dataclass(slots=True)
class Normalized:
    """A folded document and, per shadow char, its index in the original text.

    ``offsets`` has ``len(text) + 1`` entries; the last one is the original length, so
    a shadow span ``[i, j)`` maps back to ``[offsets[i], offsets[j])`` and thereby takes
    in the diacritics that follow its last letter (``"قالَ"`` -> ``"قال"`` 0..3 -> 0..4).
    """

    text: str
    offsets: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of shadow span ``[start, end)``, trailing diacritics included."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"shadow span {start}..{end} outside 0..{len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end]


def normalize(text: str) -> Normalized:
    """Fold a whole document keeping the offset map: ``normalize("سَلام").text == "سلام"``."""
    shadow = text.translate(_TABLE)
    n = len(text)
    if len(shadow) == n:  # nothing deleted (most news text): the identity map
        return Normalized(shadow, list(range(n + 1)))
    offsets: list[int] = []
    pos = 0
    for m in _DELETED_RUN.finditer(text):
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    offsets.extend(range(pos, n + 1))
    return Normalized(shadow, offsets)
