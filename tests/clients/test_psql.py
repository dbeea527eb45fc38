"""The real `psql` binary against hivewire."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import unique

PSQL = shutil.which("psql")


def psql(server, *commands: str, dbname: str = "hivewire", extra=(), check=True):
    """Run psql with one ``-c`` per command; return the CompletedProcess."""
    assert PSQL, "psql is not installed (scripts/test.sh installs postgresql-client)"
    args = [PSQL, "-X", "-w", "-v", "ON_ERROR_STOP=1",
            "-h", server.host, "-p", str(server.port), "-U", "hwtest", "-d", dbname, *extra]
    for c in commands:
        args += ["-c", c]
    env = dict(os.environ, PGCONNECT_TIMEOUT="10", PAGER="cat", PSQL_PAGER="cat",
               LC_ALL="C.UTF-8", PGCLIENTENCODING="UTF8")
    env.pop("PGPASSWORD", None)
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60, env=env)
    if check:
        assert proc.returncode == 0, (
            f"psql {' '.join(args[1:])} exited {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}\n"
            f"--- server stderr tail ---\n{server.stderr_tail(30)}"
        )
    return proc


@pytest.fixture
def psql_table(conn):
    name = unique("pt")
    conn.execute(f"CREATE TABLE default.{name} (id INT, label STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO default.{name} VALUES (1, 'alpha'), (2, 'beta')")
    try:
        yield name
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_query_aligned(server):
    out = psql(server, "SELECT 40 + 2 AS answer, 'hi' AS greeting").stdout
    assert re.search(r"answer\s*\|\s*greeting", out), out
    assert re.search(r"42\s*\|\s*hi", out), out
    assert "(1 row)" in out


def test_query_unaligned_tuples_only(server):
    out = psql(server, "SELECT value FROM generate_series(1, 3) ORDER BY value",
               extra=["-A", "-t"]).stdout
    assert out.split() == ["1", "2", "3"]


def test_query_table(server, psql_table):
    out = psql(server, f"SELECT id, label FROM default.{psql_table} ORDER BY id",
               extra=["-A", "-t", "-F", ","]).stdout
    assert out.split() == ["1,alpha", "2,beta"]


def test_expanded_output(server):
    out = psql(server, r"\x on", "SELECT 1 AS a, 'two' AS b").stdout
    assert "Expanded display is on." in out
    assert "-[ RECORD 1 ]" in out
    assert re.search(r"^a\s*\|\s*1\s*$", out, re.M), out
    assert re.search(r"^b\s*\|\s*two\s*$", out, re.M), out


def test_timing(server):
    out = psql(server, r"\timing on", "SELECT 1 AS one").stdout
    assert "Timing is on." in out
    assert re.search(r"^Time: \d+(\.\d+)? ms", out, re.M), out


def test_error_exit_code_and_sqlstate(server):
    proc = psql(server, r"\set VERBOSITY verbose", "SELECT * FROM default.no_such_table_psql",
                check=False)
    assert proc.returncode != 0
    assert "42P01" in proc.stderr, proc.stderr


def test_list_databases(server):
    out = psql(server, r"\l").stdout
    assert "List of databases" in out
    assert "hivewire" in out


def test_list_schemas(server, conn):
    db = unique("psqldb")
    conn.execute(f"CREATE DATABASE {db}")
    try:
        out = psql(server, r"\dn").stdout
        assert "List of schemas" in out
        assert re.search(r"^\s*default\s*\|", out, re.M), out
        assert db in out
    finally:
        conn.execute(f"DROP DATABASE {db} CASCADE")


def test_list_tables(server, psql_table):
    out = psql(server, r"\dt default.*").stdout
    assert "List of relations" in out
    line = next((l for l in out.splitlines() if psql_table in l), None)
    assert line is not None, out
    assert re.search(r"default\s*\|\s*" + psql_table + r"\s*\|\s*table", line), line


def test_describe_table(server, psql_table):
    out = psql(server, rf"\d default.{psql_table}").stdout
    assert f'Table "default.{psql_table}"' in out
    assert re.search(r"^\s*id\s*\|\s*integer", out, re.M), out
    assert re.search(r"^\s*label\s*\|\s*(text|character varying)", out, re.M), out


def test_describe_table_verbose(server, psql_table):
    out = psql(server, rf"\d+ default.{psql_table}").stdout
    assert f'Table "default.{psql_table}"' in out
    assert "Storage" in out
    assert re.search(r"^\s*id\s*\|\s*integer", out, re.M), out
    assert re.search(r"^\s*label\s*\|", out, re.M), out


def test_connect_to_hive_database_and_copy(server, psql_table):
    out = psql(server, f"COPY (SELECT id, label FROM {psql_table} ORDER BY id) TO STDOUT "
               "WITH (FORMAT csv)", dbname="default").stdout
    assert out.split() == ["1,alpha", "2,beta"]
