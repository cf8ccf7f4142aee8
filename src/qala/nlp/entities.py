"""Entity resolution inside one document: mentions clustered into entities.

«فلاديمير بوتين», «بوتين» and «الرئيس الروسي فلاديمير بوتين» are one person named by
the most complete form; «أوروبا» and «أوربا» are one place (a spelling variant); «تنظيم داعش»
and «داعش» one organization. «الولايات المتحدة» and «واشنطن» stay apart: a capital is no
alias of its country.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from qala.nlp.clitics import bare, skeleton
from qala.nlp.doc import Doc, Entity
from qala.nlp.lexicon import lexicon
from qala.nlp.normalize import fold


def _words(text: str) -> list[str]:
    """Folded words without ال; a hashtag reads as its words («#عاصي_الحلاني» → عاصي الحلاني)."""
    words = fold(text).replace("#", " ").replace("_", " ").split()
    if words and words[0].startswith("لا") and len(words[0]) > 4:
        words[0] = "ا" + words[0][1:]  # «لاتحاد الأوروبي» of «للاتحاد الأوروبي» is «الاتحاد الأوروبي»
    return [bare(w) for w in words]


_skeleton = skeleton  # «أوروبا» and «أوربا» both give «ارب»: the first letter and the consonants


def _joined(words: list[str]) -> str:
    """A name's letters without spaces or articles: «عبد الله» and «عبدالله» are one name."""
    return "".join(words).replace("ال", "")


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def _same(a: list[str], b: list[str], etype: str, heads: frozenset[str]) -> bool:
    """Whether two mentions of one type name the same thing («بوتين» in «فلاديمير بوتين»)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if etype == "PER":
        if _joined(a) == _joined(b):
            return True  # «عبد الفتاح السيسي» / «عبدالفتاح السيسي»
        # a surname or a first+last name inside a longer name
        if _contains_run(long_, short) and (len(short) > 1 or short[-1] == long_[-1]):
            return True
        # the same with spelling variants of long words: «ترمب» in «دونالد ترامب», «نتانياهو»
        if all(len(w) > 3 for w in short):
            ls, ss = [_skeleton(w) for w in long_], [_skeleton(w) for w in short]
            return _contains_run(ls, ss) and (len(short) > 1 or ss[-1] == ls[-1])
        return False
    if long_[1:] == short and long_[0] in heads:
        return True  # «تنظيم داعش» / «داعش», «منظمة معاهدة الأمن الجماعي» / «معاهدة الأمن الجماعي»
    if etype == "ORG" and len(short) > 1 and long_[:len(short)] == short:
        return True  # «تنظيم الدولة» / «تنظيم الدولة الإسلامية»
    # «أوروبا» / «أوربا»
    return len(a) == len(b) and all(len(x) > 3 and _skeleton(x) == _skeleton(y) for x, y in zip(a, b, strict=True))


def find_entities(doc: Doc) -> list[Entity]:
    """NER mentions of ``doc`` clustered into entities with their titles."""
    from qala.nlp.ner import recognize

    links = ("http", "www.")
    mentions = [m for m in recognize(doc) if not doc.text[m[0]:m[1]].lower().startswith(links)]
    entities = cluster(doc, mentions)
    attach_titles(doc, entities)
    return entities


def cluster(doc: Doc, mentions: Iterable[tuple[int, int, str]]) -> list[Entity]:
    """Group mentions (start, end, type) into entities, numbered in order of first mention.

    Any two mentions that name the same thing join (transitively), whatever their order:
    «داعش» joins «تنظيم داعش الإرهابي» through «تنظيم داعش»."""
    heads = lexicon().bodies
    spans = [doc.span(s, e) for s, e, _ in sorted(mentions)]
    types = [t for _, _, t in sorted(mentions)]
    words = [_words(sp.text) for sp in spans]
    keep = [k for k in range(len(spans)) if words[k]]
    parent = {k: k for k in keep}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    forms: dict[tuple[str, tuple[str, ...]], int] = {}
    for k in keep:  # identical forms join at once: the pairwise pass runs over distinct forms
        key = (types[k], tuple(words[k]))
        if key in forms:
            parent[root(k)] = root(forms[key])
        else:
            forms[key] = k
    for (ta, wa), ka, (tb, wb), kb in _pairs_to_compare(list(forms.items())):
        if ta == tb and _same(list(wa), list(wb), ta, heads):
            parent[root(kb)] = root(ka)
    groups: dict[int, list[int]] = {}
    for k in keep:
        groups.setdefault(root(k), []).append(k)
    entities = []
    for n, members in enumerate(sorted(groups.values(), key=lambda g: min(g)), start=1):
        ms = [spans[k] for k in sorted(members)]
        name = max(ms, key=lambda s: (len(s.text.split()), len(s.text), -s.start)).text
        entities.append(Entity(id=f"e{n}", name=name, type=types[members[0]], mentions=ms))
    return entities


def _pairs_to_compare(
    distinct: list[tuple[tuple[str, tuple[str, ...]], int]],
) -> Iterator[tuple[tuple[str, tuple[str, ...]], int, tuple[str, tuple[str, ...]], int]]:
    """The pairs of distinct forms ``_same`` can join: one type, and a shared word or the same
    skeletons. The shorter form lies inside the longer one in every rule but the spelling
    variant, so pairs that share no word need not be compared: the pass stays near-linear."""
    by_word: dict[tuple[str, str], list[int]] = {}
    by_skeleton: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for k, ((etype, words), _) in enumerate(distinct):
        for w in set(words):
            by_word.setdefault((etype, w), []).append(k)
        by_skeleton.setdefault((etype, tuple(_skeleton(w) for w in words)), []).append(k)
        by_skeleton.setdefault((etype, ("=" + _joined(list(words)),)), []).append(k)  # «عبد الفتاح» / «عبدالفتاح»
        for w in set(words):
            by_skeleton.setdefault((etype, ("~" + _skeleton(w),)), []).append(k)  # «ترمب» / «دونالد ترامب»
    for a, ((etype, words), ka) in enumerate(distinct):
        partners: set[int] = set(by_skeleton[(etype, tuple(_skeleton(w) for w in words))])
        partners.update(by_skeleton[(etype, ("=" + _joined(list(words)),))])
        for w in set(words):
            partners.update(by_skeleton[(etype, ("~" + _skeleton(w),))])
        for w in set(words):
            partners.update(by_word[(etype, w)])
        for b in sorted(partners):
            if b > a:
                yield distinct[a][0], ka, distinct[b][0], distinct[b][1]


def attach_titles(doc: Doc, entities: list[Entity]) -> None:
    """«الرئيس الروسي فلاديمير بوتين» → titles ["الرئيس الروسي"] on the person."""
    from qala.nlp.phrases import PhraseParser

    parser = PhraseParser(doc, lexicon())
    starts = {t.start: i for i, t in enumerate(doc.tokens)}
    for e in entities:
        if e.type != "PER":
            continue
        for m in e.mentions:
            i = starts.get(m.start)
            if i is None:
                continue
            for k in range(max(0, i - 12), i):
                t = doc.tokens[k]
                if t.sent != doc.tokens[i].sent or not parser.title_word(t):
                    continue
                np = parser.phrase(k, min(len(doc.tokens), i + len(m.text.split()) + 1))
                if np.title and np.name and np.name.startswith(m.text.split()[0]) and np.title not in e.titles:
                    e.titles.append(np.title)
                break
