"""A throwaway PostgreSQL server for the tests and benchmarks, or the one ``QALA_TEST_PG`` names.

``start()`` runs ``initdb`` into a new temporary folder and ``pg_ctl start`` on a free loopback
port (as the ``postgres`` OS user when we are root: PostgreSQL refuses to run as root), with
trust authentication for local connections only. ``new_database(admin_url)`` makes a fresh
database with the qala schema already migrated (copied from a template, which is fast).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TEMPLATE = "qala_test_template"


@dataclass
class Server:
    admin_url: str  # a URL of a database we may CREATE DATABASE from
    stop: object  # () -> None


def _bindir() -> Path | None:
    candidates = []
    if shutil.which("pg_config"):
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(fast: bool = True) -> tuple[Server | None, str]:
    """A running server, or None and the reason none could be had.

    ``fast`` turns off fsync (a test server's data is thrown away); benchmarks pass False.
    """
    url = os.environ.get("QALA_TEST_PG")
    if url:
        return Server(url, lambda: None), ""
    bindir = _bindir()
    if bindir is None:
        return None, "no PostgreSQL server binaries (initdb, pg_ctl); install postgresql or set QALA_TEST_PG"
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no 'postgres' user to run PostgreSQL as"
        runuser = shutil.which("runuser")
        prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
    home = Path(tempfile.mkdtemp(prefix="qala-pg-"))
    if owner is not None:
        os.chown(home, owner.pw_uid, owner.pw_gid)

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [*prefix, *args] if prefix[:1] != ["su"] else [*prefix, " ".join(f"'{a}'" for a in args)]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    data = home / "data"
    done = run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    if done.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        return None, f"initdb failed: {(done.stderr or done.stdout).strip()[-300:]}"
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c max_connections=100"
    if fast:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    done = run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(home / "log"),
        "-w",
        "-t",
        "60",
        "-o",
        options,
        "start",
    )
    if done.returncode != 0:
        log = (home / "log").read_text(errors="replace")[-300:] if (home / "log").exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        return None, f"pg_ctl start failed: {(done.stderr or done.stdout).strip()[-300:]} {log}"

    def stop() -> None:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(home, ignore_errors=True)

    return Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", stop), ""


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def prepare_template(admin_url: str) -> None:
    """The template database every test database is copied from, with the qala schema."""
    import psycopg

    from qala.store import open_store

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
    open_store(with_database(admin_url, TEMPLATE)).close()


def new_database(admin_url: str, template: str | None = TEMPLATE) -> str:
    """A new, uniquely named database (with the schema when copied from the template); its URL."""
    import psycopg

    name = f"qala_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template or 'template0'} ENCODING 'UTF8'")
    return with_database(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
