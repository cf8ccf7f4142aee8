"""``qala spark``: a thin PySpark driver mapping ``qala.nlp.analyze`` over WARC and JSONL files.

The cc-pyspark pattern: the driver lists the input files, and each Spark task opens one file
and runs ``process_record`` on every record in it, which reads the record with the
``qala.ingest`` readers (decoding, HTML extraction, language), analyzes it and yields rows
for the tables of ``qala.spark.tables``. There is no extraction logic here.

Input files are the unit of parallelism and of checkpointing: files go in batches, each
batch is one Spark job writing the Parquet tables (``append``, partitioned by ``date``), and
only once the writes are committed is each file of the batch marked done in
``<output>/_checkpoint/``; a rerun skips marked files. A batch cut short is redone whole;
rows it had written are written again with the same ids, which ``qala load`` deduplicates.

    run_job(["crawl/"], "out/", master="local[2]")  # -> JobSummary
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.jsonl import JsonlLine, iter_jsonl
from qala.ingest.sources import kind_of, read_item
from qala.ingest.warc import Ignored, WarcPage, iter_warc
from qala.nlp import Options, analyze
from qala.spark.tables import PARTITIONED, TABLES, arrow_schema, article_rows, skip_row, union_schema

NOT_ARABIC = "not-arabic"  # read and extracted, but not in Arabic (language guessed or given)
NOT_HTML = "not-html"  # a WARC response that is no HTML page (an image, a PDF, a script)
NOT_RESPONSE = "not-response"  # a WARC request, metadata or warcinfo record
REDIRECT = "redirect"  # a WARC response with a 3xx status
CHECKPOINT = "_checkpoint"
READABLE = ("warc", "jsonl")  # the file kinds the job reads

Row = tuple[str, dict[str, Any]]  # (table, row)


# -- executors -------------------------------------------------------------------------------


def process_record(item: WarcPage | JsonlLine | Failure | Ignored, options: Options) -> Iterator[Row]:
    """The rows of one record: a ``skips`` row, or the article's rows (see ``tables.article_rows``).

    ``item`` is what ``iter_warc`` or ``iter_jsonl`` yields. Never raises for a bad record.
    """
    if isinstance(item, Ignored):
        yield "skips", skip_row(item.key, item.key.rsplit("#", 1)[0], _ignored_reason(item.why), item.why)
        return
    if isinstance(item, Failure):
        yield "skips", skip_row(item.key, item.source, item.reason, item.detail)
        return
    try:
        record = read_item(item)
        if isinstance(record, Failure):
            yield "skips", skip_row(record.key, record.source, record.reason, record.detail)
            return
        if record.language != "ar":
            yield "skips", skip_row(item.key, item.source, NOT_ARABIC, record.language or "no letters")
            return
        doc = analyze(record.text, record.meta(), id=record.id, options=options)
        rows = list(article_rows(record, doc, item.key))
    except Exception as e:  # a bug on one record must not cost the file; the skips table keeps it
        yield "skips", skip_row(item.key, item.source, failures.ANALYSIS_ERROR, f"{type(e).__name__}: {e}")
        return
    yield from rows


def _ignored_reason(why: str) -> str:
    if why.startswith("redirect"):
        return REDIRECT
    if why in ("request", "metadata", "warcinfo", "resource", "revisit", "conversion", "continuation"):
        return NOT_RESPONSE
    return NOT_HTML


def process_file(uri: str, options: Options) -> Iterator[Row]:
    """The rows of every record of one WARC/ARC or JSONL file (a local path or any pyarrow-readable URI)."""
    local = local_path(uri)
    if local is not None:
        yield from _process_local(Path(local), uri, options)
        return
    # A remote file is copied to the executor's local disk: iter_warc seeks to resume after
    # a damaged gzip member, which a stream cannot do.
    tmp = tempfile.mkdtemp(prefix="qala-")
    copy = Path(tmp, Path(urllib.parse.urlsplit(uri).path).name or "input")
    try:
        try:
            _download(uri, copy)
        except Exception as e:
            yield "skips", skip_row(uri, uri, failures.UNREADABLE, f"{type(e).__name__}: {e}")
            return
        for table, row in _process_local(copy, uri, options):
            for name in ("key", "source"):  # name the URI, not the temporary copy
                if isinstance(row.get(name), str):
                    row[name] = row[name].replace(str(copy), uri, 1)
            yield table, row
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _process_local(path: Path, name: str, options: Options) -> Iterator[Row]:
    kind = kind_of(path)
    try:
        items = iter_jsonl(path) if kind == "jsonl" else iter_warc(path)
        for item in items:
            yield from process_record(item, options)
    except OSError as e:
        yield "skips", skip_row(name, name, failures.UNREADABLE, e.strerror or str(e))


def _download(uri: str, to: Path) -> None:
    from pyarrow import fs as pafs

    filesystem, path = pafs.FileSystem.from_uri(uri.replace("s3a://", "s3://", 1))
    with filesystem.open_input_stream(path) as src, to.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def local_path(uri: str) -> str | None:
    """``"/data/a.warc.gz"`` for ``"file:/data/a.warc.gz"`` or a plain path; None for ``hdfs://``, ``s3a://``."""
    scheme = urllib.parse.urlsplit(uri).scheme
    if scheme == "file":
        return urllib.parse.unquote(urllib.parse.urlsplit(uri).path)
    return uri if scheme == "" or len(scheme) == 1 else None  # a Windows drive letter is no scheme


ARROW_ROWS = 2048  # rows per Arrow batch handed to the JVM


def process_partition(batches: Iterable[Any], options: Any) -> Iterator[Any]:
    """Arrow batches of union rows (``tables.union_schema``) for the ``(file_id, uri)`` rows of a partition.

    ``options`` is a broadcast ``Options``; this runs in a Spark task (``mapInArrow``).
    """
    import pyarrow as pa

    schema = arrow_schema()
    opts = options.value
    pending: list[dict[str, Any]] = []
    for files in batches:
        for file_id, uri in zip(
            files.column("file_id").to_pylist(), files.column("uri").to_pylist(), strict=True
        ):
            for table, row in process_file(uri, opts):
                reason = row["reason"] if table == "skips" else None
                pending.append({"file_id": file_id, "table": table, "reason": reason, table: row})
                if len(pending) >= ARROW_ROWS:
                    yield pa.RecordBatch.from_pylist(pending, schema=schema)
                    pending = []
    if pending:
        yield pa.RecordBatch.from_pylist(pending, schema=schema)


# -- driver ----------------------------------------------------------------------------------


@dataclass(slots=True)
class JobSummary:
    files_done: int = 0  # input files processed by this run
    files_skipped: int = 0  # finished by an earlier run (checkpoint)
    missing: list[str] = field(default_factory=list)
    records_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # records, by reason
    written: Counter[str] = field(default_factory=Counter)  # rows, by table
    batches: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_done": self.files_done,
            "files_skipped": self.files_skipped,
            "missing": list(self.missing),
            "records_read": self.records_read,
            "skipped": dict(sorted(self.skipped.items())),
            "written": {t: self.written.get(t, 0) for t in TABLES},
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
        }


def run_job(
    inputs: Iterable[str],
    output: str,
    *,
    master: str | None = None,
    resume: bool = True,
    options: Options | None = None,
    files_per_batch: int | None = None,
    log: Any = None,
) -> JobSummary:
    """Process ``inputs`` (files, folders, globs; local or Hadoop URIs) into Parquet tables under ``output``."""
    started = time.perf_counter()
    summary = JobSummary()
    say = log or (lambda message: print(message, file=sys.stderr))
    master = master or (None if os.environ.get("PYSPARK_GATEWAY_PORT") else "local[*]")
    is_local = master is None or master.startswith("local")
    inputs = [_absolute(i) if is_local else i for i in inputs]
    output = _absolute(output) if is_local else output
    spark = _session(master)
    try:
        sc = spark.sparkContext
        hfs = _HadoopFS(spark)
        files = []
        for value in inputs:
            found = hfs.list(value)
            if found is None:
                summary.missing.append(value)
            files.extend(found or [])
        files = list(dict.fromkeys(files))  # (uri, size), once each
        done = hfs.names(f"{output}/{CHECKPOINT}") if resume else set()
        todo = [(file_id(uri, size), uri) for uri, size in files]
        summary.files_skipped = sum(fid in done for fid, _ in todo)
        todo = [(fid, uri) for fid, uri in todo if fid not in done]
        say(f"qala spark: {len(todo)} input files to do, {summary.files_skipped} done before")
        per_batch = files_per_batch or max(4 * sc.defaultParallelism, 1)
        options_bc = sc.broadcast(options or Options())
        sizes = dict(files)
        for start in range(0, len(todo), per_batch):
            batch = todo[start : start + per_batch]
            _run_batch(spark, batch, output, options_bc, summary)
            for fid, uri in batch:  # only now are its rows committed
                hfs.write(
                    f"{output}/{CHECKPOINT}/{fid}.json",
                    json.dumps({"input": uri, "size": sizes[uri], "finished": time.time()}),
                )
            summary.files_done += len(batch)
            summary.batches += 1
            say(f"qala spark: {summary.files_done}/{len(todo)} input files done")
    finally:
        spark.stop()
        summary.seconds = time.perf_counter() - started
    return summary


def _run_batch(
    spark: Any, batch: list[tuple[str, str]], output: str, options_bc: Any, summary: JobSummary
) -> None:
    from pyspark import StorageLevel

    sc = spark.sparkContext
    # One partition per input file; the rows of every table come out of one pass through Python.
    files = spark.createDataFrame(sc.parallelize(batch, len(batch)), "file_id string, uri string")
    rows = files.mapInArrow(lambda it: process_partition(it, options_bc), union_schema())
    rows.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts = rows.groupBy("table", "reason").count().collect()  # computes and caches every row
        for table, reason, n in counts:
            if table == "skips":
                summary.skipped[reason] += n
            else:
                summary.written[table] += n
            if table in ("skips", "articles"):
                summary.records_read += n
        for table in (*TABLES, "skips"):
            if not any(c[0] == table for c in counts):
                continue
            frame = rows.filter(rows.table == table).select(f"`{table}`.*")
            if table in PARTITIONED:  # one file per day and batch, not one per day and input file
                frame.repartition("date").write.mode("append").partitionBy("date").parquet(
                    f"{output}/{table}"
                )
            else:
                frame.coalesce(1).write.mode("append").parquet(f"{output}/{table}")
    finally:
        rows.unpersist()


def file_id(uri: str, size: int) -> str:
    """The checkpoint name of an input file: a file rewritten with another size is new input."""
    return hashlib.sha256(f"{uri}\n{size}".encode()).hexdigest()[:32]


def _absolute(value: str) -> str:
    return os.path.abspath(value) if local_path(value) == value else value


def _session(master: str | None) -> Any:
    if not os.environ.get("JAVA_HOME"):
        java = shutil.which("java")
        if java:  # .../jvm/java-17-openjdk-amd64/bin/java -> .../jvm/java-17-openjdk-amd64
            os.environ["JAVA_HOME"] = str(Path(os.path.realpath(java)).parent.parent)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("qala").config("spark.ui.showConsoleProgress", "false")
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        # One machine: no network, no web UI, the venv's python in the workers, scratch in tmp.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.local.dir", tempfile.gettempdir())
            .config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class _HadoopFS:
    """The driver's file operations through Spark's Hadoop FileSystem, so any Hadoop URI works."""

    def __init__(self, spark: Any) -> None:
        self.jvm = spark.sparkContext._jvm
        self.conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _path(self, value: str) -> tuple[Any, Any]:
        path = self.jvm.org.apache.hadoop.fs.Path(value)
        return path.getFileSystem(self.conf), path

    def list(self, value: str) -> list[tuple[str, int]] | None:
        """``(uri, size)`` of the readable files at a path, under a folder or matching a glob; None if none exist."""
        fs, path = self._path(value)
        statuses = fs.globStatus(path)
        if not statuses:
            return None
        found = []
        for status in statuses:
            if status.isDirectory():
                it = fs.listFiles(status.getPath(), True)
                while it.hasNext():
                    found.append(it.next())
            else:
                found.append(status)
        files = []
        for status in found:
            p = status.getPath()
            name = p.getName()
            if name.startswith((".", "_")) or kind_of(Path(name)) not in READABLE:
                continue
            uri = p.toString()
            files.append((local_path(uri) if uri.startswith("file:") else uri, status.getLen()))
        return sorted(files)

    def names(self, folder: str) -> set[str]:
        """The checkpoint ids recorded in ``folder``."""
        fs, path = self._path(folder)
        if not fs.exists(path):
            return set()
        return {
            s.getPath().getName().removesuffix(".json") for s in fs.listStatus(path) if not s.isDirectory()
        }

    def write(self, target: str, text: str) -> None:
        fs, path = self._path(target)
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()


def main(argv: list[str] | None = None) -> None:
    """``spark-submit .../qala/spark/job.py --input ... --output ...``: ``qala spark`` under spark-submit."""
    from qala.cli import app

    app(["spark", *(sys.argv[1:] if argv is None else argv)], prog_name="qala")


if __name__ == "__main__":
    main()
