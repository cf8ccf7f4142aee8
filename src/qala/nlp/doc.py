"""The annotated document: the original text plus typed span layers, all offset-based.

Every span holds ``start``/``end`` character offsets into ``Doc.text`` (Python string
indices), so ``doc.text[s.start:s.end] == s.text`` always holds and anything can be
highlighted exactly. ``Doc.to_dict()`` is the JSON form of ``spec/output.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qala.nlp.words import Word


@dataclass(slots=True)
class Span:
    """A run of the original text, e.g. the cue ``قال`` at 0..3."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Span | None:
        return None if d is None else cls(d["start"], d["end"], d["text"])


@dataclass(slots=True)
class Token:
    """A whitespace/punctuation token; ``norm`` is its match form (see ``normalize``)."""

    start: int
    end: int
    text: str
    norm: str
    sent: int = 0
    word: Word | None = None  # its analysis, from the word layer (``qala.nlp.words``)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    tok_start: int = 0  # its tokens are ``doc.tokens[tok_start:tok_end]`` (set by the word layer)
    tok_end: int = 0


@dataclass(slots=True)
class Entity:
    """A cluster of mentions of one person, organization or place."""

    id: str
    name: str
    type: str
    titles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "titles": list(self.titles),
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(d["id"], d["name"], d["type"], list(d.get("titles", [])),
                   [Span.from_dict(m) for m in d.get("mentions", [])])


@dataclass(slots=True)
class Speaker:
    """Who a statement is attributed to; ``resolution`` says how we found them."""

    name: str
    resolution: str  # explicit | pronoun | title | description | headline
    mention: Span | None = None
    title: str | None = None
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "entity": self.entity,
            "title": self.title,
            "mention": self.mention.to_dict() if self.mention else None,
            "resolution": self.resolution,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Speaker | None:
        if d is None:
            return None
        return cls(d["name"], d["resolution"], Span.from_dict(d.get("mention")),
                   d.get("title"), d.get("entity"))


@dataclass(slots=True)
class Quote:
    """One statement: ``type`` is direct | indirect | mixed."""

    type: str
    cue: Span
    content: Span
    speaker: Speaker | None = None
    date: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "date": self.date,
            "confidence": round(self.confidence, 2),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        return cls(d["type"], Span.from_dict(d["cue"]), Span.from_dict(d["content"]),
                   Speaker.from_dict(d.get("speaker")), d.get("date"), d.get("confidence", 0.5))


@dataclass(slots=True)
class DateSpan:
    start: int
    end: int
    text: str
    value: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "value": self.value}


@dataclass(slots=True)
class Link:
    start: int
    end: int
    url: str
    kind: str
    video_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "url": self.url, "kind": self.kind}
        if self.video_id is not None:
            d["video_id"] = self.video_id
        return d


META_KEYS = ("title", "url", "outlet", "published")


@dataclass(slots=True)
class Doc:
    """Original text (never modified) and its layers."""

    text: str
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # (component, error) for each component that failed on this text and was skipped
    analysis_errors: list[tuple[str, str]] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def offset_errors(self) -> list[str]:
        """Every span that does not point at its own text, e.g. ``quote 0 cue 4..9 'قال'``; [] when sound."""
        n = len(self.text)
        spans: list[tuple[str, int, int, str | None]] = []
        spans += [(f"sentence {k}", s.start, s.end, None) for k, s in enumerate(self.sentences)]
        spans += [(f"token {k}", t.start, t.end, t.text) for k, t in enumerate(self.tokens)]
        for e in self.entities:
            spans += [(f"entity {e.id} mention", m.start, m.end, m.text) for m in e.mentions]
        for k, q in enumerate(self.quotes):
            spans += [(f"quote {k} cue", q.cue.start, q.cue.end, q.cue.text),
                      (f"quote {k} content", q.content.start, q.content.end, q.content.text)]
            if q.speaker is not None and q.speaker.mention is not None:
                m = q.speaker.mention
                spans.append((f"quote {k} speaker mention", m.start, m.end, m.text))
        spans += [(f"date {k}", d.start, d.end, d.text) for k, d in enumerate(self.dates)]
        spans += [(f"link {k}", x.start, x.end, None) for k, x in enumerate(self.links)]
        return [f"{where} {s}..{e} {t!r}" for where, s, e, t in spans
                if not 0 <= s <= e <= n or (t is not None and self.text[s:e] != t)]

    def to_dict(self) -> dict[str, Any]:
        meta = {k: self.meta.get(k) for k in META_KEYS}
        meta.update({k: v for k, v in self.meta.items() if k not in META_KEYS})
        return {
            "id": self.id,
            "text": self.text,
            "meta": meta,
            "sentences": [{"start": s.start, "end": s.end} for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "dates": [d.to_dict() for d in self.dates],
            "links": [ln.to_dict() for ln in self.links],
            "analysis_errors": [{"component": c, "error": e} for c, e in self.analysis_errors],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Doc:
        return cls(
            text=d["text"],
            id=d.get("id"),
            meta=dict(d.get("meta") or {}),
            sentences=[Sentence(s["start"], s["end"]) for s in d.get("sentences", [])],
            entities=[Entity.from_dict(e) for e in d.get("entities", [])],
            quotes=[Quote.from_dict(q) for q in d.get("quotes", [])],
            dates=[DateSpan(x["start"], x["end"], x["text"], x.get("value")) for x in d.get("dates", [])],
            links=[Link(x["start"], x["end"], x["url"], x["kind"], x.get("video_id")) for x in d.get("links", [])],
            analysis_errors=[(x["component"], x["error"]) for x in d.get("analysis_errors", [])],
        )
