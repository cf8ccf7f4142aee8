"""``qala corpus``: the annotation corpus's tools (import passes, disputes, merge, check, agreement, gold).

    qala corpus import A /tmp/annot/A            # an annotator's written-out files -> corpus/passes/A.jsonl
    qala corpus disputes --output /tmp/disputes  # what the third reader decides, one file an article
    qala corpus import-decisions /tmp/annot/C    # the third reader's decisions -> corpus/passes/C.jsonl
    qala corpus merge                            # passes A, B, C -> corpus/annotations.jsonl
    qala corpus check                            # every corpus file against the texts (hashes, offsets)
    qala corpus agreement                        # pass A against pass B, per batch
    qala corpus gold --split train --output-dir out/   # gold.jsonl + articles.jsonl for `qala eval`

Texts come from ``--data`` (default ``../shared/data``); no article text is written into the corpus.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated as Arg
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qala.cli import app
from qala.corpus.merge import decision_for, disputes, merge
from qala.corpus.passes import agreement, import_pass
from qala.corpus.resolve import resolve
from qala.corpus.standoff import CorpusError, load, read_lines, write_lines
from qala.corpus.texts import TextError, Texts

corpus_app = typer.Typer(
    help="The annotation corpus: passes, merge, checks, agreement, gold files.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")

CORPUS = Path("corpus")
DataOpt = Arg[Path | None, typer.Option("--data", help="the shared data folder (default ../shared/data)")]
CorpusOpt = Arg[Path, typer.Option("--corpus", help="the corpus folder")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"qala corpus: error: {message}", err=True)
    return typer.Exit(2)


def _selection(corpus: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for _, d in read_lines(corpus / "selection.jsonl")}


def _texts(data: Path | None) -> Texts:
    return Texts(data) if data else Texts()


def _records(path: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for _, d in read_lines(path)} if path.exists() else {}


@corpus_app.command("import")
def import_command(
    name: Arg[str, typer.Argument(help="pass name: A, B")],
    folder: Arg[Path, typer.Argument(help="folder of ID.json files written by one pass")],
    corpus: CorpusOpt = CORPUS,
    data: DataOpt = None,
) -> None:
    """Resolve a pass's written-out files to offsets and add them to corpus/passes/NAME.jsonl."""
    try:
        records, problems = import_pass(folder, _selection(corpus), _texts(data))
    except (CorpusError, TextError) as e:
        raise _fail(str(e)) from None
    path = corpus / "passes" / f"{name}.jsonl"
    kept = _records(path)
    kept.update({r["id"]: r for r in records})
    n = write_lines(path, [kept[k] for k in sorted(kept)])
    for p in problems:
        typer.echo(f"skipped: {p}", err=True)
    typer.echo(f"{path}: {len(records)} imported, {n} in all, {len(problems)} skipped")
    if problems:
        raise typer.Exit(1)


def _pass_docs(corpus: Path, name: str, texts: Texts) -> dict[str, Any]:
    path = corpus / "passes" / f"{name}.jsonl"
    return {d.id: d for d in load(path, texts)} if path.exists() else {}


def _passes(corpus: Path, data: Path | None) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Passes A and B (checked against the texts) and the third reader's decisions, by article id."""
    texts = _texts(data)
    try:
        a, b = _pass_docs(corpus, "A", texts), _pass_docs(corpus, "B", texts)
    except (CorpusError, TextError) as e:
        raise _fail(str(e)) from None
    return a, b, _records(corpus / "passes" / "C.jsonl")


def _statement_view(doc, s: dict[str, Any]) -> dict[str, Any]:
    view = {k: s.get(k) for k in ("type", "kind", "resolution", "optional", "speaker", "aliases")}
    view["cue"] = doc.span(s["cue"])
    view["content"] = doc.span(s["content"])
    view["mention"] = doc.span(s.get("mention"))
    return view


def _undecided(found, decided: dict[str, Any]):
    """The disputes of an article that no decision of the third reader settles yet."""
    decisions = decided.get("decisions", {})
    found.statements = [d for d in found.statements if decision_for(decisions, d) is None]
    found.entities = {f: v for f, v in found.entities.items() if f not in decided.get("entities", {})}
    return found


@corpus_app.command("disputes")
def disputes_command(
    output: Arg[Path, typer.Option(help="folder for one disputes file an article (outside the repository)")],
    corpus: CorpusOpt = CORPUS,
    data: DataOpt = None,
) -> None:
    """Write what a third reader must decide for each article that passes A and B both have."""
    a, b, decided = _passes(corpus, data)
    output.mkdir(parents=True, exist_ok=True)
    written = Counter()
    for doc_id in sorted(set(a) & set(b)):
        found = _undecided(disputes(a[doc_id], b[doc_id]), decided.get(doc_id, {}))
        if not found:
            continue
        items = []
        for d in found.statements:
            item = {"id": d["id"], "issues": d["issues"], "key": d["key"]}
            if d["a"] is not None:
                item["A"] = _statement_view(a[doc_id], a[doc_id].statements[d["a"]])
            if d["b"] is not None:
                item["B"] = _statement_view(b[doc_id], b[doc_id].statements[d["b"]])
            items.append(item)
            written.update(d["issues"])
        written["entity forms"] += len(found.entities)
        (output / f"{doc_id}.json").write_text(
            json.dumps(
                {"id": doc_id, "statements": items, "entities": found.entities}, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        written["articles"] += 1
    typer.echo(f"{output}: " + ", ".join(f"{v} {k}" for k, v in sorted(written.items())))


def _asked(path: Path) -> dict[str, str]:
    """Dispute id -> key, from the disputes file the third reader was given."""
    try:
        return {x["id"]: x["key"] for x in json.loads(path.read_text(encoding="utf-8"))["statements"]}
    except (OSError, ValueError, KeyError):
        return {}


@corpus_app.command("import-decisions")
def import_decisions(
    folder: Arg[Path, typer.Argument(help="folder of ID.json decision files written by the third reader")],
    disputes_dir: Arg[Path, typer.Option("--disputes", help="the disputes folder the decisions answer")],
    corpus: CorpusOpt = CORPUS,
) -> None:
    """Add a third reader's decisions to corpus/passes/C.jsonl (ids, choices and entity forms only).

    Each decision keeps the key of the dispute it answers, so a pass redone later cannot have
    an old decision applied to another statement.
    """
    selection = _selection(corpus)
    path = corpus / "passes" / "C.jsonl"
    kept = _records(path)
    bad = 0
    for f in sorted(folder.glob("*.json")):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
            row = selection[d["id"]]
        except (OSError, ValueError, KeyError) as e:
            typer.echo(f"skipped: {f}: {e}", err=True)
            bad += 1
            continue
        asked = _asked(disputes_dir / f"{d['id']}.json")
        decisions = {k: {**v, "key": asked[k]} for k, v in d.get("decisions", {}).items() if k in asked}
        previous = kept.get(d["id"], {})
        kept[d["id"]] = {
            "id": d["id"],
            "sha256": row["sha256"],
            "annotator": d.get("annotator"),
            "decisions": {**previous.get("decisions", {}), **decisions},
            "entities": {**previous.get("entities", {}), **d.get("entities", {})},
        }
    n = write_lines(path, [kept[k] for k in sorted(kept)])
    typer.echo(f"{path}: {n} articles decided")
    if bad:
        raise typer.Exit(1)


@corpus_app.command("merge")
def merge_command(corpus: CorpusOpt = CORPUS, data: DataOpt = None) -> None:
    """Merge passes A and B (and the decisions of C) into corpus/annotations.jsonl."""
    selection = _selection(corpus)
    a, b, decided = _passes(corpus, data)
    undecided: Counter = Counter()
    merged = []
    for doc_id in sorted(set(a) & set(b)):
        record = merge(a[doc_id], b[doc_id], decided.get(doc_id), undecided)
        row = selection[doc_id]
        record.update(
            {"split": row["split"], "outlet": row["outlet"], "batch": row["batch"], "origin": "corpus"}
        )
        record.update({k: row[k] for k in ("group", "excluded") if k in row})
        merged.append(record)
    path = corpus / "annotations.jsonl"
    write_lines(path, merged)
    left = ", ".join(f"{v} {k}" for k, v in sorted(undecided.items())) or "none"
    typer.echo(
        f"{path}: {len(merged)} articles, {sum(len(r['statements']) for r in merged)} statements; "
        f"undecided disputes (cautious fallback): {left}"
    )


@corpus_app.command("import-gold")
def import_gold(
    gold: Arg[list[Path], typer.Argument(help="gold JSONL files of annotation.md (text form)")],
    corpus: CorpusOpt = CORPUS,
    data: DataOpt = None,
) -> None:
    """Store existing text-form gold (seed, dev) stand-off in corpus/gold.jsonl."""
    texts = _texts(data)
    out, problems = [], []
    for path in gold:
        for n, d in read_lines(path):
            source = "seed" if d["id"].startswith("seed") else "news"
            try:
                article = texts.get(source, d["id"])
            except TextError as e:
                raise _fail(str(e)) from None
            res = resolve(
                article.text,
                {
                    "quotes": [
                        {
                            **q,
                            "kind": q.get("kind", "other"),
                            "resolution": q.get("resolution", "explicit"),
                            "cue_fallback": True,
                        }
                        for q in d["quotes"]
                    ]
                },
            )
            problems += [f"{path}:{n}: {d['id']}: {e}" for e in res.errors]
            for s in res.statements:  # the text-form gold records neither kind nor resolution
                s["kind"] = s["resolution"] = None
            out.append(
                {
                    "id": d["id"],
                    "source": source,
                    "sha256": article.sha256,
                    "statements": res.statements,
                    "split": "seed" if source == "seed" else "train",
                    "outlet": article.meta.get("outlet"),
                    "origin": f"{path.stem}-gold",
                }
            )
    if problems:
        for p in problems:
            typer.echo(f"error: {p}", err=True)
        raise typer.Exit(2)
    n = write_lines(corpus / "gold.jsonl", out)
    typer.echo(f"{corpus / 'gold.jsonl'}: {n} articles, {sum(len(r['statements']) for r in out)} statements")


def corpus_files(corpus: Path) -> list[Path]:
    files = [corpus / "gold.jsonl", corpus / "annotations.jsonl"]
    files += sorted((corpus / "passes").glob("[AB].jsonl"))
    return [f for f in files if f.exists()]


@corpus_app.command("check")
def check_command(corpus: CorpusOpt = CORPUS, data: DataOpt = None) -> None:
    """Load every corpus file: text hashes, offsets in range, each span's text as annotated."""
    texts = _texts(data)
    for path in corpus_files(corpus):
        try:
            docs = load(path, texts)
        except CorpusError as e:
            raise _fail(str(e)) from None
        spans = sum(len(d.statements) for d in docs)
        typer.echo(
            f"ok {path}: {len(docs)} articles, {spans} statements, {sum(len(d.entities) for d in docs)} "
            "entity mentions"
        )


def agreement_rows(corpus: Path, texts: Texts) -> list[dict[str, Any]]:
    """Agreement of pass A with pass B for each batch and in all."""
    selection = _selection(corpus)
    a, b = _pass_docs(corpus, "A", texts), _pass_docs(corpus, "B", texts)
    batches: dict[Any, list[str]] = defaultdict(list)
    for doc_id in sorted(set(a) & set(b)):
        batches[selection[doc_id]["batch"]].append(doc_id)
    rows = []
    for batch in sorted(batches):
        ids = batches[batch]
        rows.append({"batch": batch, **agreement([a[i] for i in ids], [b[i] for i in ids]).to_dict()})
    ids = [i for batch in batches.values() for i in batch]
    if ids:
        rows.append({"batch": "all", **agreement([a[i] for i in ids], [b[i] for i in ids]).to_dict()})
    return rows


@corpus_app.command("agreement")
def agreement_command(
    corpus: CorpusOpt = CORPUS,
    data: DataOpt = None,
    as_json: Arg[bool, typer.Option("--json", help="print the rows as JSON")] = False,
    floor: Arg[float, typer.Option(help="a batch below this end-to-end F1 is to be redone")] = 0.95,
) -> None:
    """End-to-end F1 of pass A scored against pass B (and back), per batch; exit 1 if a batch is below floor."""
    try:
        rows = agreement_rows(corpus, _texts(data))
    except (CorpusError, TextError) as e:
        raise _fail(str(e)) from None
    low = [r["batch"] for r in rows if r["batch"] != "all" and r["e2e_f1"] < floor]
    if as_json:
        typer.echo(json.dumps({"rows": rows, "below_floor": low}, indent=1))
    else:
        table = Table(title="agreement of pass A with pass B")
        for col in (
            "batch",
            "articles",
            "statements A/B",
            "statement F1",
            "speaker acc.",
            "e2e F1",
            "entity F1",
        ):
            table.add_column(col, justify="right")
        for r in rows:
            ent = "" if r["entity_f1"] is None else f"{r['entity_f1']:.3f}"
            table.add_row(
                str(r["batch"]),
                str(r["articles"]),
                f"{r['statements_a']}/{r['statements_b']}",
                f"{r['statement_f1']:.3f}",
                f"{r['speaker_accuracy']:.3f}",
                f"{r['e2e_f1']:.3f}",
                ent,
            )
        Console().print(table)
    if low:
        typer.echo(f"batches below {floor}: {', '.join(map(str, low))} (redo them)", err=True)
        raise typer.Exit(1)


@corpus_app.command("gold")
def gold_command(
    output_dir: Arg[
        Path, typer.Option(help="where gold.jsonl and articles.jsonl go (outside the repository)")
    ],
    split: Arg[str, typer.Option(help="train | seed | all (all but the sealed test set)")] = "train",
    corpus: CorpusOpt = CORPUS,
    data: DataOpt = None,
) -> None:
    """Write the annotation.md gold form and the articles it refers to, for `qala eval --gold --articles`."""
    if split == "sealed":  # scored as aggregates by `qala eval --corpus`, never written out to be read
        raise _fail("the sealed test set is not written out; `qala eval --corpus corpus` scores it")
    try:
        docs = load_corpus(corpus, _texts(data), split)
    except (CorpusError, TextError) as e:
        raise _fail(str(e)) from None
    output_dir.mkdir(parents=True, exist_ok=True)
    write_lines(output_dir / "gold.jsonl", [d.gold() for d in docs])
    write_lines(output_dir / "articles.jsonl", [d.article_dict() for d in docs])
    typer.echo(f"{output_dir}: {len(docs)} articles, {sum(len(d.statements) for d in docs)} statements")


def load_corpus(corpus: Path, texts: Texts, split: str) -> list:
    """The gold and merged annotations of one split (``all``: train and seed, never sealed)."""
    docs = []
    for path in (corpus / "gold.jsonl", corpus / "annotations.jsonl"):
        if path.exists():
            docs += [
                d
                for d in load(path, texts)
                if d.record.get("split") == split or (split == "all" and d.record.get("split") != "sealed")
            ]
    return docs


def train_split(corpus: Path, command: str) -> list:
    """The train split a ``qala train-*`` command learns from, or one ``error:`` line and exit 2."""
    try:
        docs = load_corpus(corpus, Texts(), "train")
    except (CorpusError, TextError) as e:
        typer.echo(f"qala {command}: error: {e}", err=True)
        raise typer.Exit(2) from None
    if not docs:
        typer.echo(f"qala {command}: error: {corpus}: no annotated articles of the train split", err=True)
        raise typer.Exit(2)
    return docs
