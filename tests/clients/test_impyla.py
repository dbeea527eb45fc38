"""impyla against hivewire's HiveServer2 binary transport, NOSASL and PLAIN: it executes
asynchronously and polls, reads columnar row sets, and calls GetLog (not in Hive's interface),
which must fail as an unknown method so that it falls back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import unique

impala_dbapi = pytest.importorskip("impala.dbapi")


def connect(srv, mechanism):
    host, port = srv.listeners["hiveserver2"]
    return impala_dbapi.connect(host=host, port=port, auth_mechanism=mechanism, user="tester", password="x")


@pytest.mark.parametrize("mechanism", ["NOSASL", "PLAIN"])
def test_queries_types_and_nulls(hs2, mechanism):
    conn = connect(hs2, mechanism)
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 AS a, 'x' AS s, CAST(2.50 AS DECIMAL(5,2)) AS d, CAST(NULL AS INT) AS n, true AS t")
        assert [(d[0], d[1]) for d in cur.description] == [("a", "INT"), ("s", "STRING"), ("d", "DECIMAL"), ("n", "INT"), ("t", "BOOLEAN")]
        assert cur.description[2][4:6] == (5, 2), cur.description
        assert cur.fetchall() == [(1, "x", Decimal("2.50"), None, True)]
        cur.execute("SELECT value FROM generate_series(1, 3000) ORDER BY value")
        assert [r[0] for r in cur.fetchall()] == list(range(1, 3001))
    finally:
        conn.close()


def test_tables_written_over_one_protocol_are_read_over_the_other(hs2):
    name = unique("imp")
    with hs2.connect() as pg:
        pg.execute(f"CREATE TABLE default.{name} (id INT, label STRING) STORED AS PARQUET")
        pg.execute(f"INSERT INTO default.{name} VALUES (1, 'one'), (2, NULL)")
    conn = connect(hs2, "NOSASL")
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT id, label FROM default.{name} ORDER BY id")
        assert cur.fetchall() == [(1, "one"), (2, None)]
        cur.execute(f"INSERT INTO default.{name} VALUES (3, 'three')")
    finally:
        conn.close()
    with hs2.connect() as pg:
        assert pg.execute(f"SELECT count(*) FROM default.{name}").fetchone() == (3,)
        pg.execute(f"DROP TABLE default.{name}")


def test_http_transport(hs2):
    host, port = hs2.listeners["hiveserver2-http"]
    conn = impala_dbapi.connect(host=host, port=port, use_http_transport=True, http_path="cliservice",
                                auth_mechanism="PLAIN", user="tester", password="x")
    try:
        cur = conn.cursor()
        cur.execute("SELECT 3 AS c")
        assert cur.fetchall() == [(3,)]
    finally:
        conn.close()
