"""The ingest run: inputs → work items → worker processes (read, extract, analyze) → one writer.

Workers do everything but writing; the calling process is the only writer and stores each
result as soon as it arrives: ``store.add_article`` (one transaction), then
``store.log_input``. A run killed at any point loses only the items in flight, and a rerun
skips every input the ingest log already has an outcome for, redoes the rest, and cannot
double an article because the store deduplicates by canonical URL and content hash.

``ingest(["../shared/data/news/"], "qala.db")`` returns a ``Summary``.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.record import ArticleRecord
from qala.ingest.sources import Skipped, WorkItem, count_items, expand, read_item
from qala.ingest.warc import Ignored
from qala.nlp import Doc, analyze
from qala.store import StoreError, open_store

IN_FLIGHT_PER_WORKER = 8  # enough to keep workers busy, few enough to bound memory
PR_SET_PDEATHSIG = 1


@dataclass(slots=True)
class Analyzed:
    """A worker's result: the record and its Doc in JSON form (what crosses the process boundary)."""

    key: str
    record: ArticleRecord
    doc: dict[str, Any]


@dataclass(slots=True)
class Summary:
    new: int = 0
    duplicate: int = 0
    skipped: int = 0  # inputs done by an earlier run
    ignored: int = 0  # WARC records that are no pages (requests, images, redirects)
    failed: Counter[str] = field(default_factory=Counter)  # by reason code
    missing: list[str] = field(default_factory=list)  # input paths that do not exist
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def n_failed(self) -> int:
        return sum(self.failed.values())

    @property
    def processed(self) -> int:
        """Inputs given an outcome by this run."""
        return self.new + self.duplicate + self.n_failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "duplicate": self.duplicate,
            "skipped": self.skipped,
            "ignored": self.ignored,
            "failed": dict(sorted(self.failed.items())),
            "missing": list(self.missing),
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
        }


def process_item(item: WorkItem) -> Analyzed | Failure:
    """Read, decode, extract and analyze one item; never raises for a bad input (runs in a worker)."""
    try:
        record = read_item(item)
        if isinstance(record, Failure):
            return record
        doc = analyze(record.text, record.meta(), id=record.id)
        return Analyzed(item.key, record, doc.to_dict())
    except Exception as e:  # a bug on one input must not cost the batch; the log keeps the reason
        return Failure(item.key, item.source, failures.ANALYSIS_ERROR, f"{type(e).__name__}: {e}")


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers just finish their item.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):  # die with the parent, even when it is killed with -9
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _ready() -> bool:
    return True


class _Writer:
    """Stores results and counts them; the only code that writes to the store."""

    def __init__(self, store: Any, summary: Summary, on_write: Any) -> None:
        self.store, self.summary, self.on_write = store, summary, on_write

    def failure(self, failure: Failure) -> None:
        self.store.log_input(failure.key, failure.source, "failed", failure.logged_reason())
        self.summary.failed[failure.reason] += 1
        if failure.reason == failures.NOT_FOUND:
            self.summary.missing.append(failure.source)
        self.on_write()

    def result(self, result: Analyzed | Failure) -> None:
        if isinstance(result, Failure):
            self.failure(result)
            return
        record = result.record
        try:
            outcome, article_id = self.store.add_article(record, Doc.from_dict(result.doc))
        except StoreError as e:
            self.failure(Failure(result.key, record.source, failures.STORE_ERROR, str(e)))
            return
        self.store.log_input(result.key, record.source, outcome, article_id=article_id)
        if outcome == "new":
            self.summary.new += 1
        else:
            self.summary.duplicate += 1
        self.on_write()


class _Pool:
    """A process pool that is rebuilt when a worker dies; ``workers <= 1`` runs in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.start()

    def start(self) -> None:
        if self.workers > 1:
            context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
            self.executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker)
            # Start the workers now, before the progress bar's thread exists (fork + threads).
            self.executor.submit(_ready).result()

    def submit(self, item: WorkItem) -> Future:
        if self.executor is None:
            future: Future = Future()
            future.set_result(process_item(item))
            return future
        return self.executor.submit(process_item, item)

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def ingest(
    inputs: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    workers: int | None = None,
    progress: bool = True,
    console: Console | None = None,
) -> Summary:
    """Ingest files, folders and URLs into the store at ``db``; Ctrl-C stops cleanly (``interrupted``)."""
    inputs = [os.fspath(i) for i in inputs]
    workers = (os.cpu_count() or 1) if workers is None else workers
    summary = Summary()
    started = time.perf_counter()
    pool = _Pool(workers)
    store = open_store(db)
    try:
        total = count_items(inputs) if progress else None
        with _progress_bar(progress, console) as bar:
            task = bar.add_task("ingesting", total=total, counts="")

            def advance() -> None:
                s = summary
                bar.update(
                    task,
                    advance=1,
                    counts=(
                        f"[green]{s.new} new[/] · {s.duplicate} duplicate · [red]{s.n_failed} failed[/]"
                        f" · {s.skipped} skipped"
                    ),
                )

            writer = _Writer(store, summary, advance)
            _run(expand(inputs, skip=store.input_done), pool, writer, summary, advance)
    finally:
        pool.shutdown()
        store.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _run(items: Iterator, pool: _Pool, writer: _Writer, summary: Summary, advance: Any) -> None:
    # In this process, one at a time: results are stored in input order.
    limit = pool.workers * IN_FLIGHT_PER_WORKER if pool.executor is not None else 1
    pending: dict[Future, WorkItem] = {}  # in submission order
    retry: list[WorkItem] = []  # items in flight when a worker died, rerun one at a time
    retried: set[str] = set()
    exhausted = False

    def collect(future: Future, item: WorkItem) -> None:
        try:
            writer.result(future.result())
        except BrokenProcessPool:
            if item.key in retried:
                writer.failure(Failure(item.key, item.source, failures.WORKER_CRASHED, "twice"))
            else:
                retried.add(item.key)
                retry.append(item)

    try:
        while True:
            if retry and not pending:
                item = retry.pop()
                pending[pool.submit(item)] = item
            while not retry and not exhausted and len(pending) < limit:
                item = next(items, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, Skipped):
                    summary.skipped += 1
                    advance()
                elif isinstance(item, Ignored):
                    summary.ignored += 1
                elif isinstance(item, Failure):
                    writer.failure(item)
                else:
                    pending[pool.submit(item)] = item
            if not pending:
                if retry:
                    continue
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in [f for f in pending if f in done]:  # stored in input order, as far as done
                item = pending.pop(future)
                broken |= isinstance(future.exception(), BrokenProcessPool)
                collect(future, item)
            if broken:
                for future, item in list(pending.items()):  # all of them fail with the pool
                    wait([future])
                    pending.pop(future)
                    collect(future, item)
                pool.restart()
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in pending:
            future.cancel()
        try:  # the items already running finish in a moment: store them rather than redo them
            for future, item in pending.items():
                if not future.cancelled():
                    wait([future])
                    collect(future, item)
        except KeyboardInterrupt:
            pass


def _progress_bar(enabled: bool, console: Console | None) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        disable=not enabled,
        transient=False,
    )
