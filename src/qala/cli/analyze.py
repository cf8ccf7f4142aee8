"""``qala analyze``: a text file, stdin or a JSONL batch in, one Doc per document out.

A bad input never raises: it is reported as one line on stderr, e.g.
``error: articles.jsonl:7: line is not a JSON object``; the other documents of a
batch are still analyzed and printed, and the exit code is 2. A component that fails on a
text is one ``warning: FILE[:LINE]: COMPONENT failed: ERROR`` line; its Doc is still printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from qala.cli import app

STDIN = "-"
EXIT_INPUT_ERROR = 2


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class InputError(Exception):
    """An input that cannot be analyzed; the message is the reason, shown after the input's name."""


@dataclass(slots=True)
class Document:
    """One text to analyze, with where it came from (``where`` names it in error messages)."""

    where: str
    text: str
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Failure:
    where: str
    reason: str


@app.command("analyze")
def analyze_command(
    path: Annotated[
        str,
        typer.Argument(
            help="A .txt file, a .jsonl batch (id, text, title, url, outlet, date a line), or - for stdin.",
            show_default=False,
        ),
    ],
    format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output: json, jsonl or table. Default: table for text, jsonl for a .jsonl batch.",
            show_default=False,
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date (ISO, e.g. 2015-09-15) for resolving relative dates; a JSONL line's own date wins.",
            show_default=False,
        ),
    ] = None,
    id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Document id for a text input (default: the file name without extension).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract who said what from an Arabic news text, e.g. ``qala analyze article.txt --format json``."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if published is not None and not _is_iso_date(published):
        _report(err, Failure("--published", f"not an ISO date: {published!r}"))
        raise typer.Exit(EXIT_INPUT_ERROR)

    is_batch = path != STDIN and path.lower().endswith(".jsonl")
    output = format or (OutputFormat.jsonl if is_batch else OutputFormat.table)
    name = "<stdin>" if path == STDIN else path
    try:
        data = sys.stdin.buffer.read() if path == STDIN else _read_bytes(Path(path))
    except InputError as e:
        _report(err, Failure(name, str(e)))
        raise typer.Exit(EXIT_INPUT_ERROR) from None

    from qala.nlp import analyze  # imported here so `qala --help` stays fast

    failed = False
    emit = _Emitter(output, batch=is_batch)
    items = (
        _read_jsonl(name, data, published)
        if is_batch
        else iter([_read_text(name, data, path, id, published)])
    )
    total = sum(1 for line in data.split(b"\n") if line.strip()) if is_batch else 1
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not (is_batch and sys.stderr.isatty()),
        # Output to a terminal goes above the bar; output to a file or pipe must stay on stdout.
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    ) as progress:
        task = progress.add_task("analyzing", total=total)
        for item in items:
            progress.advance(task)
            if isinstance(item, Failure):
                _report(err, item)
                failed = True
                continue
            doc = analyze(item.text, item.meta, id=item.id)  # a failing component is skipped, not raised
            for component, error in doc.analysis_errors:
                err.print(f"warning: {item.where}: {component} failed: {error}", markup=False)
            emit(doc)
    emit.close()
    if failed:
        raise typer.Exit(EXIT_INPUT_ERROR)


def _is_iso_date(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return True
        except ValueError:
            pass
    return False


def _report(err: Console, failure: Failure) -> None:
    reason = " ".join(failure.reason.split())  # always one line
    err.print(f"error: {failure.where}: {reason}", markup=False)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from None


def _decode(data: bytes) -> str:
    """UTF-8 with an optional BOM; the text is otherwise kept byte for byte (offsets refer to it)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def _read_text(
    name: str, data: bytes, path: str, id: str | None, published: str | None
) -> Document | Failure:
    try:
        text = _decode(data)
    except InputError as e:
        return Failure(name, str(e))
    doc_id = id if id is not None else (None if path == STDIN else Path(path).stem)
    meta = {"title": None, "url": None, "outlet": None, "published": published}
    return Document(name, text, doc_id, meta)


def _read_jsonl(name: str, data: bytes, published: str | None) -> Iterator[Document | Failure]:
    """One Document or Failure per non-blank line, in input order."""
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{name}:{lineno}"
        if not raw.strip():
            continue
        try:
            line = _decode_line(raw.removeprefix(b"\xef\xbb\xbf") if lineno == 1 else raw)
        except InputError as e:
            yield Failure(where, f"line is {e}")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Failure(where, f"line is not valid JSON ({e.msg} at column {e.colno})")
            continue
        except RecursionError:
            yield Failure(where, "line is not valid JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield Failure(where, "line is not a JSON object")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield Failure(where, 'field "text" is missing or not a string')
            continue
        raw_id = record.get("id")
        meta = {
            "title": record.get("title"),
            "url": record.get("url"),
            "outlet": record.get("outlet"),
            "published": record.get("date") or published,
        }
        yield Document(where, text, None if raw_id is None else str(raw_id), meta)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})") from None


class _Emitter:
    """Writes Docs to stdout as they come, so a long batch streams."""

    def __init__(self, output: OutputFormat, *, batch: bool) -> None:
        self.output = output
        self.batch = batch
        self.count = 0

    def __call__(self, doc: Any) -> None:
        out = sys.stdout
        if self.output is OutputFormat.jsonl:
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
        elif self.output is OutputFormat.json:
            body = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
            if self.batch:  # a list, written item by item; same bytes as json.dumps(list, indent=2)
                body = ("[\n" if self.count == 0 else ",\n") + "\n".join("  " + ln for ln in body.split("\n"))
            out.write(body if self.batch else body + "\n")
        else:
            Console(highlight=False).print(_quote_table(doc))
        out.flush()
        self.count += 1

    def close(self) -> None:
        if self.output is OutputFormat.json and self.batch:
            sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")
            sys.stdout.flush()


def _quote_table(doc: Any) -> Table:
    title = " · ".join(str(x) for x in (doc.id, doc.meta.get("title")) if x)
    caption = (
        f"{len(doc.quotes)} quotes · {len(doc.entities)} entities · {len(doc.sentences)} sentences"
        f" · {len(doc.dates)} dates · {len(doc.links)} links"
    )
    table = Table(title=title or None, caption=caption, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("speaker", overflow="fold")
    table.add_column("cue", no_wrap=True)
    table.add_column("content", overflow="fold", ratio=1)
    for n, quote in enumerate(doc.quotes, start=1):
        speaker = quote.speaker
        who = f"{speaker.name}\n({speaker.resolution})" if speaker else "—"
        table.add_row(str(n), quote.type, who, quote.cue.text, quote.content.text)
    return table
