"""A coarse language label from the script and a few function words; no model, no network.

Enough to flag the non-Arabic articles a crawl brings in: ``guess_language("قال الرئيس")``
is ``"ar"``, ``guess_language("The minister said")`` is ``"en"``.
"""

from __future__ import annotations

import re

ARABIC_SHARE = 0.5  # of all letters
# Letters Persian and Urdu use and Arabic does not (پ چ ژ گ ک ی ۀ ٹ ڈ ڑ ں ے).
PERSIAN_URDU = frozenset("پچژگکیۀٹڈڑںے")
WORD = re.compile(r"[^\W\d_]+")
# The most frequent function words of each language, in lowercase.
FUNCTION_WORDS = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is that for on with was as by said it at from",
        "fr": "le la les des du de et en un une est que dans pour qui sur au par pas",
        "es": "el la los las del de y en que un una por con para es se al",
        "de": "der die das und den zu ist von mit des sich auf für nicht ein eine dem",
    }.items()
}


def _is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def guess_language(text: str, sample: int = 20_000) -> str | None:
    """``"ar"``, ``"fa"`` (Persian/Urdu script), ``"en"``, ``"fr"``, ``"es"``, ``"de"``, ``"other"``; None without letters."""
    text = text[:sample]
    letters = arabic = persian = latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        if _is_arabic_script(ch):
            arabic += 1
            persian += ch in PERSIAN_URDU
        elif ch < "\u0250":
            latin += 1
    if not letters:
        return None
    if arabic / letters >= ARABIC_SHARE:
        return "fa" if persian / arabic > 0.02 else "ar"
    if latin / letters < 0.5:
        return "other"
    words = [w.lower() for w in WORD.findall(text)]
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in FUNCTION_WORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= max(2, 0.05 * len(words)) else "other"
