"""Loads the editable linguistic data of ``qala/lang/ar`` once, in folded form.

Code never spells reporting verbs, titles or function words: they live in plain files a
linguist can extend. Cue inflections (قال → قالت، قالوا، يقول، تقول، قائلا، قائلة ...) are
generated here from the stems each line gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from qala.nlp import langdata
from qala.nlp.clitics import bare
from qala.nlp.normalize import fold


@dataclass(frozen=True, slots=True)
class CueForm:
    """One surface form of a cue, e.g. ``مؤكدة``: lemma أكد, participle, feminine singular."""

    lemma: str
    kind: str  # verb | participle | phrase
    gender: str  # m | f | ?
    number: str  # sg | du | pl
    preps: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    tense: str = "past"  # past | present (participles: past)


@dataclass(frozen=True, slots=True)
class Lexicon:
    cues: dict[str, CueForm]
    complementizers: frozenset[str]
    attribution_by_first: dict[str, tuple[tuple[str, ...], ...]]
    titles: frozenset[str]
    bodies: frozenset[str]
    function_words: frozenset[str]
    time_words: frozenset[str]
    documents: frozenset[str]
    media: frozenset[tuple[str, ...]]
    relations: frozenset[str]
    groups: frozenset[str]
    commentary: tuple[tuple[str, ...], ...]
    place_heads: frozenset[str]
    title_modifiers: frozenset[str]
    vague_sources: frozenset[str]
    name_links: frozenset[str]
    honorifics: frozenset[str]
    compound_seconds: frozenset[str]
    before_subject: frozenset[str]  # «أيضا», «بدوره»: skipped between a cue and its subject
    source_prepositions: frozenset[str]  # «في», «على»: carry an unnamed source's description on
    title_links: frozenset[str]  # «باسم»: joins a title to the body it speaks for
    title_prepositions: frozenset[str]  # «في»: a body's title goes on through it
    verb_particles: frozenset[str]  # «قد», «كما»: a verb comes next
    addressee_prepositions: frozenset[str]  # «لـ»: opens the addressee after a cue
    nisba_endings: tuple[str, ...]  # «ي», «ية», «يون»: endings of relative adjectives


_lines = langdata.lines


def _words(name: str) -> frozenset[str]:
    return frozenset(fold(ln.strip()) for ln in _lines(name))


def _bare_words(name: str) -> set[str]:
    """Folded words without ال, for matching «المسؤولون» and «مسؤولون» alike."""
    return {bare(w) for w in _words(name)}


def _inflect(past: str, present: str, participle: str) -> list[tuple[str, str, str, str]]:
    """Regular forms as (form, kind, gender, number)."""
    forms: list[tuple[str, str, str, str]] = []
    if past:
        forms += [(past, "verb", "m", "sg"), (past + "ت", "verb", "f", "sg"), (past + "وا", "verb", "m", "pl"),
                  (past + "ا", "verb", "m", "du"), (past + "تا", "verb", "f", "du")]
    if present and present.startswith("ي"):
        stem = present[1:]
        forms += [(present, "verb", "m", "sg"), ("ت" + stem, "verb", "f", "sg"), (present + "ون", "verb", "m", "pl"),
                  (present + "ان", "verb", "m", "du"), ("س" + present, "verb", "m", "sg"),
                  ("ست" + stem, "verb", "f", "sg")]
    if participle:
        # the bare stem (مصر، مقر، مركز) is left out: as a participle cue it always carries an ending
        forms += [(participle + "ا", "participle", "m", "sg"),
                  (participle + "ة", "participle", "f", "sg"), (participle + "ين", "participle", "m", "pl"),
                  (participle + "ات", "participle", "f", "pl"), (participle + "تين", "participle", "f", "du"),
                  (participle + "ان", "participle", "m", "du")]
    return forms


def _guess_features(form: str) -> tuple[str, str, str]:
    """Features of an irregular form listed by hand (دعت، داعيا، يدعون ...), read off its ending."""
    if form.endswith("وا"):
        return "verb", "m", "pl"
    if form.endswith("ون") and form.startswith(("ي", "ت")):
        return "verb", "m", "pl"
    if form.startswith(("ي", "ت", "س")) and len(form) > 3 and not form.endswith("ت"):
        return "verb", "f" if form.startswith("ت") else "m", "sg"
    if form.endswith("ت"):
        return "verb", "f", "sg"
    if form.endswith("ن") and not form.endswith("ين"):
        return "verb", "f", "pl"
    if form.endswith("ين"):
        return "participle", "m", "pl"
    if form.endswith("ه"):
        return "participle", "f", "sg"
    if form.endswith("ا"):
        return "participle", "m", "sg"
    return "verb", "m", "sg"


def _load_cues() -> dict[str, CueForm]:
    cues: dict[str, CueForm] = {}
    for line in _lines("cues.tsv"):
        cols = (line.split("\t") + [""] * 6)[:6]
        past, present, participle, preps, flags, extra = (c.strip() for c in cols)
        past, present, participle = (fold(x) if x != "-" else "" for x in (past, present, participle))
        prep_t = tuple(fold(p) for p in preps.split()) if preps and preps != "-" else ()
        flag_s = frozenset(f for f in flags.split(",") if f and f != "-")
        lemma = past or present or participle
        for form, kind, gender, number in _inflect(past, present, participle):
            tense = "present" if present and form.endswith(present[1:]) and form[:1] in "يتس" and form != past else "past"
            cues.setdefault(fold(form), CueForm(lemma, kind, gender, number, prep_t, flag_s, tense))
        for form in extra.split():
            form = fold(form)
            kind, gender, number = _guess_features(form)
            tense = "present" if kind == "verb" and form[:1] in "يت" and len(form) > 3 else "past"
            cues[form] = CueForm(lemma, kind, gender, number, prep_t, flag_s, tense)
    return cues


@cache
def lexicon() -> Lexicon:
    """The Arabic lexicon, loaded on first use and shared read-only."""
    attribution = tuple(tuple(fold(w) for w in ln.split("\t")[0].split()) for ln in _lines("attribution.tsv"))
    return Lexicon(
        cues=_load_cues(),
        complementizers=_words("complementizers.txt"),
        attribution_by_first={w: tuple(sorted((p for p in attribution if p[0] == w), key=len, reverse=True))
                              for w in {p[0] for p in attribution}},
        titles=_words("titles.txt"),
        bodies=_words("bodies.txt"),
        function_words=_words("function_words.txt"),
        time_words=_words("time_words.txt"),
        documents=_words("documents.txt"),
        media=frozenset(tuple(fold(ln).split()) for ln in _lines("media.txt")),
        relations=_words("relations.txt"),
        groups=frozenset(_bare_words("group_nouns.txt")),
        place_heads=frozenset(_bare_words("place_heads.txt")),
        title_modifiers=_words("title_modifiers.txt"),
        commentary=tuple(sorted((tuple(fold(ln).split()) for ln in _lines("commentary.txt")), key=len, reverse=True)),
        vague_sources=_words("vague_sources.txt"),
        name_links=_words("name_links.txt"),
        honorifics=_words("honorifics.txt"),
        compound_seconds=_words("compound_names.txt"),
        before_subject=_words("before_subject.txt"),
        source_prepositions=_words("source_prepositions.txt"),
        title_links=_words("title_links.txt"),
        title_prepositions=_words("title_prepositions.txt"),
        verb_particles=_words("verb_particles.txt"),
        addressee_prepositions=_words("addressee_prepositions.txt"),
        nisba_endings=tuple(fold(ln) for ln in _lines("nisba_endings.txt")),
    )


def cue_form(norm: str, lex: Lexicon, raw: str = "") -> CueForm | None:
    """The cue a folded token spells, with or without و/ف: «واكدت» → أكد (verb, f.sg).

    ``raw`` is the token as written: an object pronoun («أكده») is only split off a ه that is
    not a folded ة («حملة» is no «حمّله»)."""
    form = lex.cues.get(norm)
    if form is None and len(norm) > 2 and norm[0] in "وف":
        form = lex.cues.get(norm[1:])
    if form is None and len(norm) > 4 and raw.endswith(("ه", "ها")):
        # «وفق ما أكده», «حسب ما ذكرها»: a verb with its object pronoun
        stem = norm[:-2] if norm.endswith("ها") else norm[:-1]
        form = lex.cues.get(stem) or (lex.cues.get(stem[1:]) if stem[:1] in "وف" else None)
        if form is not None and form.kind != "verb":
            form = None
    return form
