"""The one clitic rule: which letters of a folded word are a conjunction, preposition or article.

Every module that strips «و», «ب», «ل», «ال» does it here, with these thresholds, so that
«وزير» is never read as و + زير by one rule and as وزير by another. A clitic is split off
only when what remains is long enough to be a word of its own.
"""

from __future__ import annotations

# -- settings --------------------------------------------------------------------------------
MIN_AFTER_PROCLITIC = 3  # letters a conjunction or preposition leaves: «وقال» → قال, «ولد» stays
MIN_AFTER_ARTICLE = 2  # letters the article leaves: «الرئيس» is definite, «الي» (إلى) is not
MIN_BEFORE_SUFFIX = 3  # letters a pronoun suffix leaves: «متحدثها» → متحدث + ها
CONJUNCTIONS = "وف"
GLUED_PREPOSITIONS = "لب"  # written onto a noun: «لوزير», «بالقول»
PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")  # longest first
LONG_VOWELS = str.maketrans("", "", "اويىه")


def definite(norm: str) -> bool:
    """«الرئيس» has the article; «الي» (إلى) is too short to."""
    return norm.startswith("ال") and len(norm) - 2 >= MIN_AFTER_ARTICLE


def bare(norm: str) -> str:
    """«الرئيس» → «رئيس»: the word without ال."""
    return norm[2:] if norm.startswith("ال") and len(norm) - 2 >= MIN_AFTER_ARTICLE else norm  # hot: inlined


def strip_conj(norm: str) -> str:
    """«وقال» → «قال», «فأكد» → «أكد»: the conjunction clitics."""
    if norm[:1] in CONJUNCTIONS and len(norm) - 1 >= MIN_AFTER_PROCLITIC:
        return norm[1:]
    return norm


def strip_preposition(norm: str) -> tuple[str, str]:
    """(preposition, rest): «للمتحدث» → (ل, المتحدث), «لوزير» → (ل, وزير), «قال» → ("", قال)."""
    if norm.startswith("لل") and len(norm) - 1 >= MIN_AFTER_PROCLITIC:
        return "ل", "ا" + norm[1:]
    if norm[:1] in GLUED_PREPOSITIONS and len(norm) - 1 >= MIN_AFTER_PROCLITIC:
        return norm[0], norm[1:]
    return "", norm


def skeleton(word: str) -> str:
    """Spelling variants of a name share it: «دوشنبيه»/«دوشانبي» → «دشنب», «ترامب»/«ترمب» → «ترمب»."""
    word = bare(word)
    return word[:1] + word[1:].translate(LONG_VOWELS)
