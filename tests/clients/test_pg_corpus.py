"""Replays the catalog queries that real PostgreSQL clients send, from the captured corpus.

The corpus lives outside the repository (``$HIVEWIRE_SHARED_DIR``, by default ``../shared``
beside the project root).  When it is absent, as in a user's clone, these tests skip and say so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HIVEWIRE_SHARED_DIR", REPO.parent / "shared"))
PSQL_DIR = SHARED / "corpora" / "pg-clients" / "psql15-echo-hidden"

QUERY_RE = re.compile(r"\*{9} QUERY \*{10}\n(.*?)\n\*{26}", re.S)


def psql_queries():
    if not PSQL_DIR.is_dir():
        return []
    out = []
    for f in sorted(PSQL_DIR.glob("*.txt")):
        for i, q in enumerate(QUERY_RE.findall(f.read_text())):
            out.append(pytest.param(q, id=f"{f.stem}-{i}"))
    return out


QUERIES = psql_queries()


@pytest.mark.skipif(not QUERIES, reason=f"psql corpus not found at {PSQL_DIR} (set HIVEWIRE_SHARED_DIR)")
@pytest.mark.parametrize("query", QUERIES or [None])
def test_psql_catalog_query_runs(conn, query):
    """Every query psql 15 sends for its backslash commands plans and runs."""
    rows = conn.execute(query.replace("%", "%%")).fetchall()
    assert isinstance(rows, list)


def test_psql_meta_commands_do_not_fail(server):
    """The backslash commands people use, run by the real psql binary."""
    from test_psql import psql

    for command in [r"\l", r"\l+", r"\dn", r"\dn+", r"\dt", r"\dt+", r"\dv", r"\di", r"\ds", r"\df",
                    r"\dT", r"\du", r"\dp", r"\d", r"\d+", r"\db", r"\dc", r"\do", r"\conninfo"]:
        result = psql(server, command, check=False)
        assert result.returncode == 0 and "ERROR" not in result.stderr, (command, result.stderr)
