"""Scoring predicted statements against gold, as ``spec/annotation.md`` (Scoring) defines it.

Pure: gold documents come in as dicts of the gold JSONL form, predictions as dicts of the
Doc JSON form (``spec/output.md``); ``evaluate(gold, predicted)`` returns a ``Report``.

A prediction matches a gold statement when their content tokens reach token F1 >= 0.5,
e.g. ``قال إن "الأزمة كانت متوقعة"`` against gold content ``الأزمة كانت متوقعة تماما``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qala.nlp.normalize import fold

MATCH_F1 = 0.5
TYPES = ("direct", "indirect", "mixed")
METRICS = (
    "statement_precision",
    "statement_recall",
    "statement_f1",
    "speaker_accuracy",
    "e2e_precision",
    "e2e_recall",
    "e2e_f1",
)

_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_TATWEEL = "\u0640"


def _is_dropped(ch: str) -> bool:
    """Diacritics (Mn), tatweel and invisible format marks (Cf: RLM, ZWNJ ...) vanish."""
    return ch == _TATWEEL or unicodedata.category(ch) in ("Mn", "Cf")


def fold_for_scoring(s: str) -> str:
    """The comparison form of ``annotation.md``: ``«إنّ المسألةَ»،`` -> ``ان المساله``.

    ``normalize.fold`` first (it also folds Persian letters and Arabic-Indic digits), then the
    spec's own letter table again so the yardstick holds even if ``fold`` changes. Punctuation
    (any Unicode ``P*``: ، ؛ ؟ « » “ ” . - ...) becomes a space rather than vanishing, so
    ``الأمن،والاستقرار`` still splits into two words; whitespace is collapsed.
    """
    out = []
    for ch in fold(s):
        if _is_dropped(ch):
            continue
        out.append(" " if unicodedata.category(ch).startswith("P") else ch)
    return " ".join("".join(out).translate(_LETTERS).split())


def scoring_tokens(s: str) -> list[str]:
    """Whitespace tokens of the folded text: ``"بوتين: نعم"`` -> ``["بوتين", "نعم"]``."""
    return fold_for_scoring(s).split()


def _common(predicted: Sequence[str], gold: Sequence[str]) -> int:
    return sum((Counter(predicted) & Counter(gold)).values())


def token_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Bag-of-tokens F1 with multiset counts; 0.0 when either side is empty."""
    if not predicted or not gold:
        return 0.0
    return 2 * _common(predicted, gold) / (len(predicted) + len(gold))


def _reaches_match(predicted: Sequence[str], gold: Sequence[str]) -> bool:
    # F1 = 2c / (p + g) >= MATCH_F1 without the division, so exactly 0.5 is never lost to rounding.
    return bool(predicted and gold) and 2 * _common(predicted, gold) >= MATCH_F1 * (
        len(predicted) + len(gold)
    )


def speaker_is_right(predicted_name: str | None, gold_speaker: str, aliases: Iterable[str]) -> bool:
    """True when the gold speaker or an alias is a run of whole words inside the predicted name.

    ``بوتين`` is inside ``الرئيس فلاديمير بوتين``; ``بوت`` is not (not a whole word).
    """
    if not predicted_name:
        return False
    name = scoring_tokens(predicted_name)
    for alias in (gold_speaker, *aliases):
        words = scoring_tokens(alias)
        if words and any(name[i : i + len(words)] == words for i in range(len(name) - len(words) + 1)):
            return True
    return False


# -- input forms -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldStatement:
    speaker: str
    aliases: tuple[str, ...]
    type: str
    content: str
    cue: str | None = None
    optional: bool = False

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GoldStatement:
        if not isinstance(d, Mapping):
            raise ValueError(f"a quote must be an object, not {type(d).__name__}")
        for key in ("speaker", "content", "type"):
            if not isinstance(d.get(key), str):
                raise ValueError(f"a quote needs a string {key!r}")
        if d["type"] not in TYPES:
            raise ValueError(f"unknown quote type {d['type']!r} (expected {', '.join(TYPES)})")
        aliases = d.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError("'aliases' must be a list of strings")
        return cls(
            d["speaker"],
            tuple(aliases),
            d["type"],
            d["content"],
            d.get("cue"),
            bool(d.get("optional", False)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "type": self.type,
            "content": self.content,
            "optional": self.optional,
        }


@dataclass(frozen=True, slots=True)
class PredictedStatement:
    speaker: str | None
    type: str | None
    content: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PredictedStatement:
        """Doc JSON quote: ``{"content": {"text": ...}, "speaker": {"name": ...} | null, ...}``."""
        if not isinstance(d, Mapping):
            raise ValueError(f"a quote must be an object, not {type(d).__name__}")
        content = d.get("content")
        text = content.get("text") if isinstance(content, Mapping) else content
        if not isinstance(text, str):
            raise ValueError("a quote needs 'content.text' as a string")
        speaker = d.get("speaker")
        name = speaker.get("name") if isinstance(speaker, Mapping) else speaker
        return cls(name if isinstance(name, str) else None, d.get("type"), text)

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "type": self.type, "content": self.content}


def _quotes(doc: Mapping[str, Any], what: str) -> list[Any]:
    if not isinstance(doc, Mapping):
        raise ValueError(f"a {what} document must be an object, not {type(doc).__name__}")
    if not isinstance(doc.get("id"), str):
        raise ValueError(f"a {what} document needs a string 'id'")
    quotes = doc.get("quotes", [])
    if not isinstance(quotes, list):
        raise ValueError(f"{what} document {doc['id']!r}: 'quotes' must be a list")
    return quotes


def parse_gold(doc: Mapping[str, Any]) -> tuple[str, list[GoldStatement]]:
    """Check one gold document and return ``(id, statements)``; ``ValueError`` says what is wrong."""
    quotes = _quotes(doc, "gold")
    try:
        return doc["id"], [GoldStatement.from_dict(q) for q in quotes]
    except ValueError as e:
        raise ValueError(f"gold document {doc['id']!r}: {e}") from None


def parse_predicted(doc: Mapping[str, Any]) -> tuple[str, list[PredictedStatement]]:
    """Check one predicted Doc dict and return ``(id, statements)``."""
    quotes = _quotes(doc, "predicted")
    try:
        return doc["id"], [PredictedStatement.from_dict(q) for q in quotes]
    except ValueError as e:
        raise ValueError(f"predicted document {doc['id']!r}: {e}") from None


# -- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    gold: int
    predicted: int
    f1: float


def match_statements(gold: Sequence[GoldStatement], predicted: Sequence[PredictedStatement]) -> list[Match]:
    """Greedy one-to-one matching, best pairs first, over required and optional gold alike.

    Ties on F1 go to required gold before optional (a tie should not throw away a true
    positive), then to the earlier gold statement, then to the earlier prediction.
    """
    gold_tokens = [scoring_tokens(g.content) for g in gold]
    pred_tokens = [scoring_tokens(p.content) for p in predicted]
    pairs = [
        (token_f1(pt, gt), gi, pi)
        for gi, gt in enumerate(gold_tokens)
        for pi, pt in enumerate(pred_tokens)
        if _reaches_match(pt, gt)
    ]
    pairs.sort(key=lambda x: (-x[0], gold[x[1]].optional, x[1], x[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches = []
    for f1, gi, pi in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append(Match(gi, pi, f1))
    return sorted(matches, key=lambda m: m.gold)


# -- report ------------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class WrongSpeaker:
    gold: GoldStatement
    predicted: PredictedStatement

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold.to_dict(), "predicted": self.predicted.to_dict()}


@dataclass(slots=True)
class DocumentScore:
    """One document's counts; ``predicted`` counts only predictions not matched to optional gold."""

    id: str
    gold_required: int
    predicted: int
    matched: int
    speaker_right: int
    optional_matched: int = 0
    has_prediction: bool = True
    missed: list[GoldStatement] = field(default_factory=list)
    false_positives: list[PredictedStatement] = field(default_factory=list)
    wrong_speaker: list[WrongSpeaker] = field(default_factory=list)
    per_type: dict[str, TypeScore] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "gold_required": self.gold_required,
            "predicted": self.predicted,
            "matched": self.matched,
            "speaker_right": self.speaker_right,
            "optional_matched": self.optional_matched,
            "has_prediction": self.has_prediction,
            "missed": [g.to_dict() for g in self.missed],
            "false_positives": [p.to_dict() for p in self.false_positives],
            "wrong_speaker": [w.to_dict() for w in self.wrong_speaker],
        }


@dataclass(slots=True)
class TypeScore:
    """Recall over the required gold statements of one type."""

    gold: int = 0
    matched: int = 0
    speaker_right: int = 0

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def e2e_recall(self) -> float:
        return _ratio(self.speaker_right, self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "matched": self.matched,
            "speaker_right": self.speaker_right,
            "recall": self.recall,
            "e2e_recall": self.e2e_recall,
        }


@dataclass(slots=True)
class Report:
    """Micro-averaged figures over all documents; ``metrics()`` is what floors are checked against."""

    documents: list[DocumentScore] = field(default_factory=list)
    per_type: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in TYPES})

    @property
    def gold_required(self) -> int:
        return sum(d.gold_required for d in self.documents)

    @property
    def predicted(self) -> int:
        return sum(d.predicted for d in self.documents)

    @property
    def matched(self) -> int:
        return sum(d.matched for d in self.documents)

    @property
    def speaker_right(self) -> int:
        return sum(d.speaker_right for d in self.documents)

    @property
    def optional_matched(self) -> int:
        return sum(d.optional_matched for d in self.documents)

    def metrics(self) -> dict[str, float]:
        sp = _ratio(self.matched, self.predicted)
        sr = _ratio(self.matched, self.gold_required)
        ep = _ratio(self.speaker_right, self.predicted)
        er = _ratio(self.speaker_right, self.gold_required)
        return {
            "statement_precision": sp,
            "statement_recall": sr,
            "statement_f1": _f1(sp, sr),
            "speaker_accuracy": _ratio(self.speaker_right, self.matched),
            "e2e_precision": ep,
            "e2e_recall": er,
            "e2e_f1": _f1(ep, er),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics(),
            "counts": {
                "documents": len(self.documents),
                "gold_required": self.gold_required,
                "predicted": self.predicted,
                "matched": self.matched,
                "speaker_right": self.speaker_right,
                "optional_matched": self.optional_matched,
            },
            "per_type": {t: s.to_dict() for t, s in self.per_type.items()},
            "documents": [d.to_dict() for d in self.documents],
        }


def score_document(
    doc_id: str, gold: Sequence[GoldStatement], predicted: Sequence[PredictedStatement] | None
) -> DocumentScore:
    """Score one document; ``predicted=None`` (no prediction for it) misses every statement."""
    preds = list(predicted or [])
    matches = match_statements(gold, preds)
    by_gold = {m.gold: m.predicted for m in matches}
    on_optional = {m.predicted for m in matches if gold[m.gold].optional}
    score = DocumentScore(
        id=doc_id,
        gold_required=sum(not g.optional for g in gold),
        predicted=len(preds) - len(on_optional),
        matched=0,
        speaker_right=0,
        optional_matched=len(on_optional),
        has_prediction=predicted is not None,
    )
    for gi, g in enumerate(gold):
        if g.optional:
            continue
        t = score.per_type.setdefault(g.type, TypeScore())
        t.gold += 1
        if gi not in by_gold:
            score.missed.append(g)
            continue
        p = preds[by_gold[gi]]
        score.matched += 1
        t.matched += 1
        if speaker_is_right(p.speaker, g.speaker, g.aliases):
            score.speaker_right += 1
            t.speaker_right += 1
        else:
            score.wrong_speaker.append(WrongSpeaker(g, p))
    matched_preds = set(by_gold.values())
    score.false_positives = [p for pi, p in enumerate(preds) if pi not in matched_preds]
    return score


def evaluate(gold_docs: Iterable[Mapping[str, Any]], predicted_docs: Iterable[Mapping[str, Any]]) -> Report:
    """Score predicted Doc dicts against gold dicts; predictions for ids not in gold are ignored.

    Raises ``ValueError`` for malformed documents and for an id that occurs twice on one side.
    """
    gold: dict[str, list[GoldStatement]] = {}
    for d in gold_docs:
        doc_id, statements = parse_gold(d)
        if doc_id in gold:
            raise ValueError(f"gold document {doc_id!r} occurs twice")
        gold[doc_id] = statements
    predicted: dict[str, list[PredictedStatement]] = {}
    for d in predicted_docs:
        doc_id, statements = parse_predicted(d)
        if doc_id in predicted:
            raise ValueError(f"predicted document {doc_id!r} occurs twice")
        predicted[doc_id] = statements

    report = Report()
    for doc_id, statements in gold.items():
        score = score_document(doc_id, statements, predicted.get(doc_id))
        report.documents.append(score)
        for type_, counts in score.per_type.items():
            total = report.per_type.setdefault(type_, TypeScore())
            total.gold += counts.gold
            total.matched += counts.matched
            total.speaker_right += counts.speaker_right
    return report
