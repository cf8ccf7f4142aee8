"""Statements: a reporting cue, its content, and where the speaker should be looked for.

Four shapes are found, each anchored on a cue from ``lang/ar/cues.tsv``:

- cue + complementizer: «وأكد الرئيس أن الأسد مستعد ...» (indirect, or mixed when the
  content holds a quotation);
- cue + quotation or colon: «وأضاف: “نقبل بأي شيء ...”» (direct);
- cue + object for verbs flagged ``object`` and for participles: «محذرا من المزيد من العقوبات»;
- attribution phrases around the content: «قتل تسعة جنود ...، على ما أعلن مصدر عسكري»;

plus headlines «بوتين: السوريون يهربون من ...» (cue ``:``). Speakers are resolved later
(``qala.nlp.speakers``); here we only record where the subject noun phrase stands.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from qala.nlp.clitics import CONJUNCTIONS
from qala.nlp.doc import Doc, Token
from qala.nlp.lexicon import CueForm, Lexicon, cue_form, lexicon
from qala.nlp.normalize import fold
from qala.nlp.phrases import NounPhrase, PhraseParser, unglue
from qala.nlp.quotations import Quotation, find_quotations
from qala.nlp.words import unconj, word_of

CLAUSE_PUNCT = {"،", ",", "؛", ";"}
END_PUNCT = {".", "!", "?", "؟", "…"}
TRIM = " \t\n\r.,،؛;:-–—…!?؟)(*"
# The closed-class words of these rules live in ``lang/ar`` (``Lexicon`` fields): cue_blockers.txt,
# comp_blockers.txt, comp_prepositions.txt, naming_words.txt, quote_verbal_nouns.txt,
# clause_links.tsv, verb_relatives.tsv, content_openers.tsv, speech_breakers.txt, relays.txt.
SPEAKER_SEARCH_WINDOW = 40
_UNSEEN = object()


@dataclass(slots=True)
class Candidate:
    """A statement before speaker resolution."""

    type: str
    cue: tuple[int, int]  # char offsets
    content: tuple[int, int]
    cue_tok: int
    sent: int
    form: CueForm | None
    np: NounPhrase | None  # the subject named in the clause, if any
    shape: str  # verb | participle | attribution | headline
    confidence: float
    stop: str = ""  # what opened the content: comp | colon | quote | object (cue shapes)
    vetoes: frozenset[str] = frozenset()  # the rules' objections, weighed by the statement model
    span_tok: tuple[int, int] | None = None  # content tokens when the content is a clause


# a content: (type, char span), the rules' confidence, and its clause tokens when it is a clause
_Content = tuple[tuple[str, tuple[int, int]], float, tuple[int, int] | None]


def cue_at(tok: Token, lex: Lexicon) -> CueForm | None:
    """The cue a token spells, with or without و/ف, e.g. «وأكدت» → أكد (verb, f.sg)."""
    return cue_form(tok.norm, lex, tok.text)


def is_word(tok: Token) -> bool:
    return tok.text[:1].isalnum()


class _Finder:
    """Holds one document's tokens and quotations while statements are collected."""

    def __init__(self, doc: Doc, loose: bool = False, hard: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        # loose: a rule's objection is recorded in ``Candidate.vetoes`` instead of dropping the
        # candidate, so that a trained model weighs it with the other signals; the ``hard`` ones
        # still drop it at once
        self.loose = loose
        self.hard = hard
        self.toks = doc.tokens
        self.lex = lexicon()
        self.parser = PhraseParser(doc, self.lex)
        self.quotes = find_quotations(doc)
        self.quote_starts = [q.start for q in self.quotes]
        self.by_open = {q.open: q for q in self.quotes}
        self.by_close = {q.close: q for q in self.quotes if q.close is not None}
        # long quotations (speech, not names): cues inside them are not statements
        self.speech = [q for q in self.quotes if q.words >= 3 and q.depth == 0]
        self.speech_starts = [q.start for q in self.speech]
        self.sent_tok_end = self._sentence_token_ends()
        self.tok_starts = [t.start for t in self.toks]
        self._cues: list = [_UNSEEN] * len(self.toks)
        self._breaks: dict[tuple[int, int], int] = {}  # (token, sentence end) -> _next_break

    def _sentence_token_ends(self) -> list[int]:
        ends = [0] * len(self.doc.sentences)
        for i, t in enumerate(self.toks):
            ends[t.sent] = i + 1
        return ends

    def inside_speech(self, pos: int) -> Quotation | None:
        k = bisect_left(self.speech_starts, pos + 1) - 1
        if k >= 0 and self.speech[k].contains(pos):
            return self.speech[k]
        return None

    def inside_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation of any length (a name or a cited phrase too)."""
        k = bisect_left(self.quote_starts, pos + 1) - 1
        return k >= 0 and self.quotes[k].contains(pos)

    def with_end(self, c: Candidate, end: int) -> Candidate:
        """``c`` with its clause content ending before token ``end`` (its type read again)."""
        if c.span_tok is None:
            return c
        typed = self.typed_content(c.span_tok[0], end)
        if typed is None or typed[1][1] - typed[1][0] < 3:
            return c
        return replace(c, type=typed[0], content=typed[1], span_tok=(c.span_tok[0], end))

    def is_comp(self, i: int) -> bool:
        tok = self.toks[i]
        if tok.norm not in self.lex.complementizers:
            return False
        prev = self.toks[i - 1].norm if i > 0 else ""
        return prev not in self.lex.comp_blockers

    def cue(self, i: int) -> CueForm | None:
        """The cue at token ``i`` when the rules have no objection to it."""
        hit = self._cues[i]
        if hit is _UNSEEN:
            hit = self._cues[i] = self._cue_vetoes(i)
        return None if hit[1] else hit[0]

    def cue_vetoes(self, i: int) -> tuple[CueForm | None, frozenset[str]]:
        hit = self._cues[i]
        if hit is _UNSEEN:
            hit = self._cues[i] = self._cue_vetoes(i)
        return hit

    def _cue_vetoes(self, i: int) -> tuple[CueForm | None, frozenset[str]]:
        """The cue a token spells and the rules' objections to it as a statement verb."""
        tok = self.toks[i]
        if not is_word(tok):
            return None, frozenset()
        form = cue_at(tok, self.lex)
        if form is None or self.inside_speech(tok.start) or tok.norm in self.lex.function_words:
            return None, frozenset()
        vetoes = set()
        prev = unconj(self.toks[i - 1]) if i > 0 and self.toks[i - 1].sent == tok.sent else ""
        if form.kind == "verb" and prev in self.lex.cue_blockers:
            vetoes.add("blocked_before")
        bare_form = tok.norm[1:] if tok.norm[:1] in CONJUNCTIONS and tok.norm[1:] in self.lex.cues else tok.norm
        if bare_form not in self.lex.cues and prev not in self.lex.object_relatives:
            # a verb with an object pronoun: «وصفتها», «يعتبره» are verbs, but «أكده», «أمله» may be
            # nouns («his hope») unless «ما» introduces them («وفق ما أكده»)
            stem = bare_form[:-2] if bare_form.endswith("ها") else bare_form[:-1]
            if not (stem.endswith("ت") or stem[:1] in "يت"):
                vetoes.add("suffix_noun")
        return form, frozenset(vetoes)

    # -- content boundaries ------------------------------------------------------------

    def clause_end(self, k: int, sent: int) -> int:
        """Token index where content starting at ``k`` ends: sentence end or a new statement."""
        end = self.sent_tok_end[sent]
        q = self.by_open.get(k) if k < end else None
        end = self._next_break(q.close + 1 if q is not None and q.close is not None else k + 1, end)
        # drop the punctuation and conjunction that joined the next statement
        while end > k and (self.toks[end - 1].text in CLAUSE_PUNCT or self.toks[end - 1].norm in self.lex.clause_ends):
            end -= 1
        return end

    def _next_break(self, j: int, end: int) -> int:
        """The first token from ``j`` (quotations skipped) where a new statement starts, else ``end``.
        Remembered: each cue of a sentence scans on from its content, and «قال قال ...» has thousands."""
        seen = []
        while j < end and (j, end) not in self._breaks:
            seen.append(j)
            q = self.by_open.get(j)
            if q is not None and q.close is not None:
                j = q.close + 1
            elif is_word(self.toks[j]) and (self.starts_new_statement(j) or self._commentary_at(j)):
                break
            else:
                j += 1
        found = self._breaks.get((j, end), min(j, end))
        for m in seen:
            self._breaks[(m, end)] = found
        return found

    def starts_new_statement(self, j: int) -> bool:
        tok = self.toks[j]
        prev = self.toks[j - 1]
        form = self.cue(j)
        after_break = prev.text in CLAUSE_PUNCT or prev.norm in self.lex.clause_breaks or tok.norm[:1] in CONJUNCTIONS
        if form is not None and form.kind == "participle" and (after_break or self._opens_content(j + 1, form)):
            return True
        if form is not None and after_break:
            nxt = self.toks[j + 1] if j + 1 < len(self.toks) else None
            # «ويدعى، ينس آر» is no new statement: a cue that starts one opens its content soon
            reach = SPEAKER_SEARCH_WINDOW if "strong" in form.flags else 12
            if nxt is not None and nxt.sent == tok.sent and any(
                    self._opens_content(m, form) for m in range(j + 1, min(len(self.toks), j + reach))):
                return True
        if form is not None and form.kind == "verb" and any(
                self._opens_content(m, form) for m in range(j + 1, min(j + 4, len(self.toks)))):
            return True  # «لكنها أضافت ... إن»
        return prev.text in CLAUSE_PUNCT and self.attribution_at(j) is not None

    def _phrase_at(self, j: int, phrase: tuple[str, ...], end: int) -> bool:
        """Whether the tokens from ``j`` (before ``end``) spell ``phrase``."""
        return j + len(phrase) <= end and all(self.toks[j + n].norm == w for n, w in enumerate(phrase))

    def _commentary_at(self, j: int) -> bool:
        """«...، في إشارة إلى ...»: the journalist takes over after a comma."""
        if self.toks[j - 1].text not in CLAUSE_PUNCT:
            return False
        for phrase in self.lex.commentary:
            if all(j + n < len(self.toks) and self.toks[j + n].norm == w for n, w in enumerate(phrase)):
                return True
        return False

    def _after_clause(self, i: int) -> bool:
        """A circumstantial participle follows a comma, a و, or its clause's verb («وختم حديثه قائلا»)."""
        prev = self.toks[i - 1] if i > 0 else None
        if prev is None or prev.sent != self.toks[i].sent or prev.text in CLAUSE_PUNCT:
            return True
        return word_of(self.toks[i]).conj == "و" or prev.text.endswith(("ه", "ها", "هم"))

    def _comp_follows(self, k: int, end: int) -> bool:
        return any(self.is_comp(m) for m in range(k, min(end, k + 6)))

    def _names_quote(self, k: int) -> bool:
        """«لـ "الجوهرة اف أم"», «على موقع “تويتر”»: a quotation after a preposition is a name."""
        prev = self.toks[k - 1] if k > 0 else None
        return prev is not None and (unconj(prev) in self.lex.comp_prepositions or prev.norm in self.lex.naming_words)

    def _opens_content(self, k: int, form: CueForm) -> bool:
        """Whether a complementizer, colon or quotation follows a cue at k (after a preposition)."""
        if k < len(self.toks) and unconj(self.toks[k]) in form.preps:
            k += 1
        if k >= len(self.toks):
            return False
        t = self.toks[k]
        return self.is_comp(k) or t.text == ":" or k in self.by_open

    def attribution_at(self, i: int) -> int | None:
        """Index after the attribution phrase starting at token ``i`` (بحسب، وفقا لـ ...)."""
        first = self.toks[i]
        phrases = self.lex.attribution_by_first.get(first.norm) or self.lex.attribution_by_first.get(unconj(first))
        if not phrases:
            return None
        for phrase in phrases:  # longest first
            if phrase in self.lex.attribution_before_verb:
                # «...، كما أفادت الشركة»: the phrase counts only before a cue verb
                nxt = i + len(phrase)
                prev = self.toks[i - 1] if i > 0 and self.toks[i - 1].sent == self.toks[i].sent else None
                if (prev is None or prev.text in CLAUSE_PUNCT or (i - 1) in self.by_close) and (
                        self._phrase_at(i + 1, phrase[1:], len(self.toks)) and nxt < len(self.toks)
                        and self.toks[nxt].sent == self.toks[i].sent and cue_at(self.toks[nxt], self.lex)):
                    return nxt
                continue
            k = i + 1
            for n, word in enumerate(phrase[1:], start=1):
                if k >= len(self.toks):
                    break
                norm = self.toks[k].norm
                if norm == word:
                    k += 1
                    continue
                # «وفقا للبيان»: a final ل attaches to the next word
                if n == len(phrase) - 1 and word == "ل" and norm.startswith("ل") and len(norm) > 2:
                    return k  # the source starts inside this token
                break
            else:
                return k
        return None

    def span_of(self, i: int, j: int) -> tuple[int, int]:
        """Char span of tokens i..j-1, trimmed of outer punctuation."""
        s, e = self.toks[i].start, self.toks[j - 1].end
        text = self.doc.text
        while s < e and text[s] in TRIM:
            s += 1
        while e > s and text[e - 1] in TRIM:
            e -= 1
        return s, e

    def inner(self, q: Quotation) -> tuple[int, int]:
        """The words inside a quotation, without the space some writers leave before the mark."""
        s, e = q.start, q.end
        text = self.doc.text
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e

    def typed_content(self, i: int, j: int) -> tuple[str, tuple[int, int]] | None:
        """Content of tokens i..j-1 with its type; a lone quotation becomes direct without marks."""
        if j <= i:
            return None
        q = self.by_open.get(i)
        if q is not None and q.words >= 3 and (q.close is None or q.close >= j - 2 or self.toks[q.close + 1].text in CLAUSE_PUNCT):
            tail = [t for t in self.toks[(q.close or j) + 1:j] if is_word(t)]
            if not tail or len(tail) <= 4 or self.toks[q.close + 1].text in CLAUSE_PUNCT:
                return "direct", self.inner(q)  # «إن "مرحلة جديدة من الصراع قد بدأت"، ...»
        s, e = self.span_of(i, j)
        if e - s < 2:
            return None
        has_quote = any(q.end <= e and q.words >= 1 for q in self._quotes_from(s, e))
        # a quotation left open at the end: drop its dangling mark
        return ("mixed" if has_quote else "indirect"), (s, e)

    def _words_between(self, i: int, j: int, most: int) -> int:
        """How many of tokens i..j-1 are words, counting no further than ``most``."""
        n = 0
        for k in range(i, j):
            if is_word(self.toks[k]):
                n += 1
                if n >= most:
                    break
        return n

    def _quotes_from(self, s: int, e: int) -> Iterator[Quotation]:
        """The quotations that start in ``[s, e)``, in order."""
        k = bisect_left(self.quote_starts, s)
        while k < len(self.quotes) and self.quotes[k].start < e:
            yield self.quotes[k]
            k += 1

    # -- the shapes ----------------------------------------------------------------------

    def _veto(self, vetoes: set[str], name: str) -> bool:
        """Record a rule's objection; True when the rules alone decide (drop the candidate now)."""
        vetoes.add(name)
        return not self.loose or name in self.hard

    def _scan(self, cue_end: int, end: int, form: CueForm) -> tuple[int, str | None]:
        """Where the content opens after a cue: the token and what opens it (comp, colon, quote)."""
        window = SPEAKER_SEARCH_WINDOW if "strong" in form.flags or form.kind == "verb" else 6
        k = cue_end
        while k < end and k - cue_end < window:
            t = self.toks[k]
            if self.is_comp(k):
                prev = unconj(self.toks[k - 1])
                if k - 1 > cue_end and prev in self.lex.comp_prepositions and prev not in form.preps:
                    return k, "prep_comp"  # «على أن», «إلى أن»: a conjunction, not reported speech
                return k, "comp"
            if t.text == ":":
                return k, "colon"
            q = self.by_open.get(k)
            if q is not None and q.words >= 3 and q.depth == 0 and not self._names_quote(k):
                if q.words <= 4 and q.close is not None and self._comp_follows(q.close + 1, end):
                    k = q.close + 1  # «قالت الخطوط الجوية الهولندية "كي أل أم" الشهر الماضي إنها»: a name
                    continue
                return k, "quote"
            if k > cue_end and is_word(t):
                inner = self.cue(k)
                if inner is not None and ("bare" not in inner.flags or any(
                        self._opens_content(m, inner) for m in range(k + 1, min(end, k + 6)))):
                    break  # another statement starts («طلب عدم نشر اسمه» is a relative clause)
            k += 1
        return k, None

    def _subject(self, form: CueForm, cue_end: int, k: int,
                 vetoes: set[str]) -> tuple[NounPhrase | None, CueForm] | None:
        """The subject between the cue and its content, and the cue form as it then reads."""
        np = self.parser.subject_after_cue(cue_end, k) if form.kind == "verb" else None
        relay = next(((m, len(p)) for m in range(cue_end, k - 1) for p in self.lex.relays if self._phrase_at(m, p, k)), None)
        if relay is not None and form.kind == "verb":
            # «وذكرت هيئة الإذاعة الأسترالية نقلا عن غواصين أصدقاء للضحية أنه ...»: the original source
            np = self.parser.subject_after_cue(relay[0] + relay[1], k) or np
        if "source" in form.flags:
            # «ونقل التلفزيون السوري عن مصدر عسكري قوله:»: the speaker follows عن
            src = next((m for m in range(cue_end, k) if self.toks[m].norm in form.preps), None)
            found = self.parser.subject_after_cue(src + 1, k) if src is not None else None
            if found is None and self._veto(vetoes, "no_source"):
                return None
            np = found or np
            form = replace(form, flags=form.flags | {"strong"})
        return np, form

    def from_cue(self, i: int, form: CueForm, vetoes: set[str] | None = None) -> Candidate | None:
        tok = self.toks[i]
        sent = tok.sent
        end = self.sent_tok_end[sent]
        vetoes = set(vetoes or ())
        cue_end = i + 1
        if cue_end < end and self.toks[cue_end].norm in self.lex.quote_verbal_nouns:
            cue_end += 1
        k, stop = self._scan(cue_end, end, form)
        if stop == "prep_comp":
            if self._veto(vetoes, "prep_comp"):
                return None
            stop = "comp"
        subject = self._subject(form, cue_end, k, vetoes)
        if subject is None:
            return None
        np, form = subject
        cue_span = (tok.start, self.toks[cue_end - 1].end)
        # the cue as written, without the conjunction clitic
        if tok.norm[:1] in CONJUNCTIONS and tok.norm not in self.lex.cues:
            cue_span = (tok.start + 1, cue_span[1])
        if stop == "comp":
            got = self._comp_content(form, cue_end, k, np, sent, vetoes)
        elif stop in ("colon", "quote"):
            got = self._marked_content(form, k, np, sent, stop, vetoes)
        else:
            got = self._object_content(i, form, cue_end, np, sent, vetoes)
            stop = "object"
        if got is None:
            return None
        typed, conf, span_tok = got
        kind, content = typed
        if content[1] - content[0] < 3:
            return None
        if "weak" in form.flags:
            conf -= 0.3
        return Candidate(kind, cue_span, content, i, sent, form, np,
                         "participle" if form.kind == "participle" else "verb", conf, stop,
                         frozenset(vetoes), span_tok)

    def _comp_content(self, form: CueForm, cue_end: int, k: int, np: NounPhrase | None,
                      sent: int, vetoes: set[str]) -> _Content | None:
        """«أكد الرئيس أن ...»: the clause after the complementizer."""
        if "bare" in form.flags and k - cue_end > (15 if np is not None else 8) and self._veto(vetoes, "bare_far"):
            return None
        if "bare" in form.flags and form.tense == "present" and k == cue_end and self._veto(vetoes, "impersonal"):
            return None  # «ويعتقد أن», «يذكر أن»: impersonal, nobody is quoted
        c_start = k + 1
        c_end = self.clause_end(c_start, sent)
        typed = self.typed_content(c_start, c_end)
        return None if typed is None else (typed, 0.9, (c_start, c_end))

    def _marked_content(self, form: CueForm, k: int, np: NounPhrase | None, sent: int, stop: str,
                        vetoes: set[str]) -> _Content | None:
        """«وأضاف: ...», «وقال "..."»: direct speech after a colon or in a quotation."""
        weak_verb = form.kind == "verb" and "strong" not in form.flags and "object" not in form.flags and np is None
        if stop == "quote":
            if weak_verb and self._veto(vetoes, "quote_weak"):
                return None  # «وذكر مسؤول بالبيت الأبيض "..."»: a named source makes it speech
            return ("direct", self.inner(self.by_open[k])), 0.85, None
        if weak_verb and self._veto(vetoes, "colon_weak"):
            return None
        end = self.sent_tok_end[sent]
        c_start = k + 1
        if c_start < end and self.toks[c_start].norm in self.lex.colon_openers:
            c_start += 1  # «وأوردت الوكالة: إن إرادة كيم ...»
        q = self.by_open.get(c_start)
        if q is not None and q.words >= 2:
            return ("direct", self.inner(q)), 0.9, None
        c_end = self.extend_speech(self.clause_end(c_start, sent), sent)
        if c_end <= c_start:
            return None
        return ("direct", self.span_of(c_start, c_end)), 0.9, (c_start, c_end)

    def _object_content(self, i: int, form: CueForm, cue_end: int, np: NounPhrase | None, sent: int,
                        vetoes: set[str]) -> _Content | None:
        """«حذر من المزيد ...», «، محذرا من ...»: the verb's object is what is said."""
        strong_participle = form.kind == "participle" and "strong" in form.flags
        if ("object" not in form.flags and not strong_participle) and self._veto(vetoes, "not_object"):
            return None
        if form.tense == "present" and self._veto(vetoes, "present_object"):
            return None  # «يعتبر آخر التحقيقات»: often passive
        if form.kind == "participle" and not self._after_clause(i) and self._veto(vetoes, "adjective"):
            return None  # «معلومات مفيدة»: an adjective, not «، مفيدا أن ...»
        end = self.sent_tok_end[sent]
        c_start = self._object_start(np.tok_end if np is not None else cue_end, end, form, np is not None)
        if c_start is None or c_start >= end:  # «... وقال المدير العام ل»: the preposition ends the text
            return None
        if ("object" not in form.flags and self.toks[c_start].norm in self.lex.function_words
                and self._veto(vetoes, "adjunct_start")):
            return None  # «قائلا في سلسلة تغريدات»: an adjunct, the speech comes later
        if (c_start + 1 < end and self.toks[c_start].norm in self.lex.comp_blockers
                and self.toks[c_start + 1].norm in self.lex.complementizers and self._veto(vetoes, "time_clause")):
            return None  # «قال كلمته قبل أن يغادر»: a time clause, not what was said
        c_end = self.clause_end(c_start, sent)
        typed = self.typed_content(c_start, c_end)
        if typed is None:
            return None
        if self._words_between(c_start, c_end, most=2) < 2 and self._veto(vetoes, "short_object"):
            return None
        return typed, 0.6, (c_start, c_end)

    def _object_start(self, k: int, end: int, form: CueForm, explicit: bool = False) -> int | None:
        """Where an object content starts: after the verb's preposition («حذر من ...», «أصر ... على ...»)."""
        while k < end and (self.toks[k].text in CLAUSE_PUNCT or self.toks[k].norm in self.lex.time_words):
            k += 1
        if k >= end:
            return None
        if unconj(self.toks[k]) in form.preps:
            return k + 1
        if explicit and form.preps:
            # «وأصر نتنياهو في بيانه الأحد، على عدم ...», «واستغرب الرئيس في هذا السياق من ...»:
            # an adjunct (after a comma, or a prepositional phrase) before the verb's preposition
            adjunct = self.toks[k].norm in self.lex.function_words
            for m in range(k, min(end, k + 12)):
                if unconj(self.toks[m]) in form.preps and (
                        self.toks[m - 1].text in CLAUSE_PUNCT or adjunct and m - k <= 6):
                    return m + 1
        t = self.toks[k]
        if t.norm in self.lex.function_words and t.text.endswith(("ه", "ها", "هم")):
            return None  # «وقفات دعت لها النقابة»: a relative clause, not an object content
        return k

    def extend_speech(self, end: int, sent: int) -> int:
        """Colon speech without marks runs on over the next sentences of its line with no cue."""
        text = self.doc.text
        n = len(self.doc.sentences)
        s = sent
        while s + 1 < n and end == self.sent_tok_end[s]:
            nxt = self.doc.sentences[s + 1]
            if "\n" in text[self.doc.sentences[s].end:nxt.start]:
                break
            first = self.sent_tok_end[s]
            last = self.sent_tok_end[s + 1]
            # a new attribution at the start of the sentence ends the speech; a cue inside
            # it («يقولون إرهاب يهودي») is part of what is said
            if any(self.cue(j) is not None or self.attribution_at(j) is not None
                   for j in range(first, min(last, first + 4))):
                break
            if first < last and self.toks[first].norm in self.lex.speech_breakers:
                break
            s += 1
            end = last
        return end

    def from_attribution(self, i: int, after: int) -> Candidate | None:
        tok = self.toks[i]
        sent = tok.sent
        s_start = self.sent_tok_end[sent - 1] if sent > 0 else 0
        end = self.sent_tok_end[sent]
        # the source: an optional verb (ذكرت، أعلن، أكده) then the noun phrase
        k = after
        verb = None
        if k < end and self.toks[k].norm in self.lex.attribution_relatives:
            k += 1
        if k < end and (cue_at(self.toks[k], self.lex) is not None or (self.toks[k - 1].norm in self.lex.object_relatives and self._object_verb(self.toks[k]))):
            verb = k
            k += 1
        if k >= end:
            return None
        glued = k == after and k < end and self.toks[k - 1].norm not in ("ل", "لـ") and \
            self.lex.attribution_by_first and self.toks[k].norm[:1] == "ل" and verb is None
        np = self.attribution_source(k, min(end, k + 14), verb is not None, bool(glued))
        if np is None:
            return None
        if self._words_between(s_start, i, most=2) <= 1:
            # «وبحسب المصدر، فإن ...»: the content follows the first comma
            c = k
            while c < end and self.toks[c].text not in CLAUSE_PUNCT and self.toks[c].norm not in self.lex.source_stops:
                c += 1
            if c < end and self.toks[c].text in CLAUSE_PUNCT:
                c += 1
            if c < end and self.toks[c].norm in self.lex.attribution_openers:
                c += 1
            if c >= end:
                return None
            c_end = self.clause_end(c, sent)
            typed = self.typed_content(c, c_end)
        else:
            first = s_start
            while first < i and not is_word(self.toks[first]) and self.toks[first].text not in '"“”«':
                first += 1
            typed = self.typed_content(first, i)
        if typed is None:
            return None
        cue_end = self.toks[verb].end if verb is not None else self.toks[after - 1].end
        return Candidate(typed[0], (tok.start + len(word_of(tok).conj), cue_end),
                         typed[1], i, sent, None, np, "attribution", 0.7)

    def _object_verb(self, tok: Token) -> bool:
        """«وفق ما ذكره», «حسب ما أكده»: after «ما» a short cue verb with its object pronoun."""
        norm = tok.norm
        for suf in ("ها", "ه"):
            if tok.text.endswith(suf) and norm.endswith(suf) and len(norm) - len(suf) >= 3:
                form = self.lex.cues.get(norm[: -len(suf)])
                if form is not None and form.kind == "verb":
                    return True
        return False

    def attribution_source(self, k: int, j: int, after_verb: bool, glued: bool = False) -> NounPhrase | None:
        """The source after «بحسب»/«وفق ما أكده»: a named person, a body, a medium, a role."""
        if word_of(self.toks[k]).is_("document"):
            # «وفقا لمسودة أمر أصدرته إدارة الطيران», «بحسب دراسة لمعهد أكسفورد»: the issuer
            for m in range(k + 1, j):
                t = self.toks[m]
                if t.text in CLAUSE_PUNCT or self.is_comp(m) or t.norm in self.lex.source_stops:
                    break
                u = unglue(t)  # «لوزارة»: the glued ل/ب dropped (the token itself when none)
                if (self.parser.body_word(u) or self.parser.title_word(u)
                        or (self.parser.mention_end(m) or ("", ""))[1] in ("PER", "ORG")):
                    return self.parser.phrase(m, j, glued=u is not t)
            return None
        np = self.parser.phrase(k, j, glued=True) if glued else self.parser.subject_after_cue(k, j)
        if np is None and after_verb:
            # «وفق ما أكده لمراسل الجوهرة في المهدية، المدير الجهوي ...»: after the comma
            m = k
            while m < j and self.toks[m].text not in CLAUSE_PUNCT:
                m += 1
            np = self.parser.subject_after_cue(m + 1, j) if m + 1 < j else None
        if np is None or fold(self.doc.text[np.start:np.end]) in self.lex.vague_sources:
            return None  # «بحسب تقارير»: nobody identifiable
        key = tuple(fold(self.doc.text[np.start:np.end]).split())
        if after_verb or np.kind != "person" or np.title:
            return np
        # a bare noun after «بحسب» is usually no source («بحسب الحاجة»): keep names we know as sources
        if key in self.lex.media or (len(key) > 1 and not key[0].startswith("ال")):
            return np
        if any((self.parser.mention_end(m) or ("", ""))[1] in ("PER", "ORG") for m in range(k, min(j, k + 2))):
            return np  # «بحسب رويترز»: NER knows the name
        return None

    def headline(self, sent: int) -> Candidate | None:
        """«بوتين: السوريون يهربون ...» on a line of its own."""
        sentences = self.doc.sentences
        s = sentences[sent]
        text = self.doc.text
        # alone on its line: blanks only up to the line break before it and after it (a
        # neighbouring sentence on the same line is never blank, so look no further than it)
        before = sentences[sent - 1].end if sent > 0 else 0
        after = sentences[sent + 1].start if sent + 1 < len(sentences) else len(text)
        line_start = text.rfind("\n", before, s.start) + 1
        line_end = text.find("\n", s.end, after)
        if (line_start == 0 and sent > 0) or (line_end < 0 and after < len(text)):
            return None
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:s.start].strip() or text[s.end:line_end].strip():
            return None
        first = self.sent_tok_end[sent - 1] if sent > 0 else 0
        last = self.sent_tok_end[sent]
        for c in range(first + 1, min(first + 5, last)):
            if self.toks[c].text == ":":
                break
        else:
            return None
        name = self.toks[first:c]
        if not all(is_word(t) for t in name) or any(cue_at(t, self.lex) for t in name):
            return None
        if any(unconj(t) in self.lex.function_words or t.text.isdigit() for t in name):
            return None
        if word_of(name[0]).prep or self.parser.glued_preposition(name[0]):
            return None  # «للمزيد: ...» points to another story
        rest = [t for t in self.toks[c + 1:last] if is_word(t)]
        if len(rest) < 3 or cue_at(self.toks[c + 1], self.lex) is not None:
            return None
        content = self.span_of(c + 1, last)
        np = self.parser.phrase(first, c)
        return Candidate("direct", (self.toks[c].start, self.toks[c].end), content, c, sent, None,
                         np, "headline", 0.8)


class Decider(Protocol):
    """A trained statement model (``qala.nlp.statement_model``) as ``find_statements`` uses it."""

    hard_vetoes: frozenset[str]  # objections the model never overrules

    def decide(self, finder: _Finder, cands: list[Candidate]) -> list[Candidate]:
        """The candidates kept, each with its probability as ``confidence`` and its content end."""


def find_statements(doc: Doc, model: Decider | None = None) -> list[Candidate]:
    """All statements of a document, in text order, before speakers are resolved.

    With a ``model`` the rules over-generate (their objections become ``vetoes``) and the model
    keeps or drops each candidate; without one the rules decide alone."""
    f = _Finder(doc, loose=model is not None, hard=model.hard_vetoes if model is not None else frozenset())
    found = _candidates(f)
    if model is not None:
        found = model.decide(f, found)
    found.sort(key=lambda c: c.cue)
    # an attribution phrase inside another statement's frame («وذكر ديمترييف، بحسب رويترز، أن ...»)
    # only says who relayed it
    in_frame = _covered([(c.cue[1], c.content[0]) for c in found if c.shape in ("verb", "participle")])
    found = [c for c in found if c.shape != "attribution" or not in_frame(c.cue[0])]
    return _drop_overlaps(found)


def _candidates(f: _Finder) -> list[Candidate]:
    """Every cue, attribution and headline candidate of the document, in text order."""
    found: list[Candidate] = []
    for i in range(len(f.toks)):
        form, vetoes = f.cue_vetoes(i)
        if form is not None and (f.loose and not vetoes & f.hard or not vetoes):
            cand = f.from_cue(i, form, set(vetoes))
            if cand is not None:
                found.append(cand)
                continue
        if f.inside_speech(f.toks[i].start):
            continue
        after = f.attribution_at(i) if is_word(f.toks[i]) else None
        if after is not None:
            cand = f.from_attribution(i, after)
            if cand is not None:
                found.append(cand)
    for sent in range(len(f.doc.sentences)):
        cand = f.headline(sent)
        if cand is not None:
            found.append(cand)
    found.sort(key=lambda c: c.cue)
    return found


def _covered(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a position lies in any of ``spans`` (``a <= pos < b``): the spans by start, with the
    furthest end so far, answer it by bisection."""
    spans = sorted(spans)
    starts = [a for a, _ in spans]
    reach: list[int] = []
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)

    def covered(pos: int) -> bool:
        k = bisect_right(starts, pos)
        return k > 0 and reach[k - 1] > pos

    return covered


BUCKET = 256  # chars per bucket of the content index in ``_drop_overlaps``


def _drop_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Two cues claiming the same content keep the more confident, earlier one.

    Kept contents are indexed by the ``BUCKET``-char stretches they touch, so a candidate is
    compared only with the kept contents near it."""
    kept: list[Candidate] = []
    buckets: dict[int, list[Candidate]] = {}
    for c in sorted(cands, key=lambda c: (-c.confidence, c.cue)):
        s, e = c.content
        near = {id(k): k for b in range(s // BUCKET, e // BUCKET + 1) for k in buckets.get(b, ())}
        if any(_overlap(c.content, k.content) > 0.5 for k in near.values()):
            continue
        kept.append(c)
        for b in range(s // BUCKET, e // BUCKET + 1):
            buckets.setdefault(b, []).append(c)
    kept.sort(key=lambda c: c.cue)
    return kept


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))
