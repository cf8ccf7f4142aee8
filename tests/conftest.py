"""Fixtures shared by the tests: the server's small database, and PostgreSQL databases.

PostgreSQL: ``QALA_TEST_PG`` (a URL of a server where we may create databases) if set, else a
throwaway server this session starts (``tests/pg_server.py``); the PostgreSQL variants skip,
saying why, only when no server can be had.
"""

from __future__ import annotations

import pg_server
import pytest
import server_data

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def server_db(tmp_path_factory):
    """``(path, ids)`` of a small database: corpus articles, a near-duplicate, a hostile article."""
    path = tmp_path_factory.mktemp("server") / "server.db"
    ids = server_data.build(path)
    return path, ids


@pytest.fixture(scope="session")
def pg_admin():
    """The URL of a PostgreSQL database we may create databases from (skips when there is none)."""
    server, why = pg_server.start()
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    try:
        pg_server.prepare_template(server.admin_url)
        yield server.admin_url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_admin):
    """A fresh database with the qala schema, dropped after the test."""
    url = pg_server.new_database(pg_admin)
    yield url
    pg_server.drop_database(pg_admin, url)


@pytest.fixture
def pg_empty_url(pg_admin):
    """A fresh database without the qala schema."""
    url = pg_server.new_database(pg_admin, template=None)
    yield url
    pg_server.drop_database(pg_admin, url)


@pytest.fixture(scope="session")
def server_pg_db(pg_admin):
    """The server tests' database in PostgreSQL: ``(url, ids)``, the same rows as ``server_db``."""
    url = pg_server.new_database(pg_admin)
    ids = server_data.build(url)
    return url, ids


@pytest.fixture(scope="module", params=BACKENDS)
def api_db(request):
    """``server_db`` in each backend."""
    return request.getfixturevalue("server_db" if request.param == "sqlite" else "server_pg_db")
