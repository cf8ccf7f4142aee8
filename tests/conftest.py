"""Fixtures shared by the server tests (API and browser)."""

from __future__ import annotations

import pytest
import server_data


@pytest.fixture(scope="session")
def server_db(tmp_path_factory):
    """``(path, ids)`` of a small database: corpus articles, a near-duplicate, a hostile article."""
    path = tmp_path_factory.mktemp("server") / "server.db"
    ids = server_data.build(path)
    return path, ids
