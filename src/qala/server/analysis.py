"""Analysis for the server: in worker processes, off the event loop, a few at a time, time-boxed.

``POST /api/analyze`` and the ``/analyze`` page hand their text to ``Analyzer.analyze``, which
runs in a thread of the server's pool: it takes one of ``workers`` idle processes (waiting at
most ``queue_seconds``, else ``busy``), sends the text, and waits at most ``time_limit`` seconds
for the Doc; a process that overruns is killed and replaced (``timeout``), one that dies is
replaced (``analysis_failed``). So one request holds one core for at most ``time_limit``
seconds whatever its text, at most ``workers`` cores analyze at once, and the event loop, the
pages and the other requests go on meanwhile. Processes start on first use (``start()`` starts
them at once) and load the models before they take a text.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import threading
from multiprocessing.connection import Connection
from typing import Any

from qala.server.errors import ApiError

STARTUP_SECONDS = 120.0  # how long a new process may take to load the models


def default_workers() -> int:
    """Half the cores: the other half serve the pages, the API reads and the event loop."""
    return max(1, (os.cpu_count() or 2) // 2)


def _serve(conn: Connection) -> None:
    """A worker process: load the models, then analyze one request at a time until the pipe closes;
    it answers the Doc as JSON text, so the server serializes nothing."""
    from qala.nlp import analyze

    analyze("قال")
    conn.send("ready")
    while True:
        try:
            text, meta, doc_id = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(json.dumps(analyze(text, meta, id=doc_id).to_dict(), ensure_ascii=False))


class _Worker:
    """One analysis process and our end of its pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: no fork
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), name="qala-analyze", daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def call(self, request: tuple[str, dict[str, Any], str | None], time_limit: float) -> str:
        """The Doc's JSON; ``TimeoutError`` past ``time_limit``, ``EOFError`` when the process died."""
        if not self.ready:
            if not self.conn.poll(STARTUP_SECONDS) or self.conn.recv() != "ready":
                raise EOFError("the analysis process did not start")
            self.ready = True
        self.conn.send(request)
        if not self.conn.poll(time_limit):
            raise TimeoutError
        return self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Analyzer:
    """The server's analysis processes: ``analyze`` blocks, so call it from a worker thread."""

    def __init__(self, workers: int | None = None, time_limit: float = 10.0, queue_seconds: float = 10.0) -> None:
        self.workers = workers or default_workers()
        self.time_limit = time_limit
        self.queue_seconds = queue_seconds
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            while len(self._all) < self.workers:
                worker = _Worker()
                self._all.append(worker)
                self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._all.clear()
            self._idle = queue.Queue()

    def analyze(self, text: str, meta: dict[str, Any], doc_id: str | None) -> str:
        """The Doc of ``text`` as JSON text, or ``ApiError`` busy / timeout / analysis_failed."""
        if not self._all:
            self.start()
        try:
            worker = self._idle.get(timeout=self.queue_seconds)
        except queue.Empty:
            raise ApiError(
                "busy", f"all {self.workers} analysis workers stayed busy for {self.queue_seconds:g} s; retry later"
            ) from None
        try:
            return worker.call((text, meta, doc_id), self.time_limit)
        except TimeoutError:
            worker = self._replace(worker)
            raise ApiError(
                "timeout", f"the analysis took longer than {self.time_limit:g} s and was stopped; send a shorter text"
            ) from None
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise ApiError("analysis_failed", "the analysis process stopped on this text; see the server log") from None
        finally:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        fresh = _Worker()
        with self._lock:
            self._all = [fresh if w is worker else w for w in self._all]
        return fresh
