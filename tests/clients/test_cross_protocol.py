"""One corpus of queries run over both protocols, PostgreSQL (psycopg) and HiveServer2 (PyHive),
whose answers must agree value for value, NULLs included."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from conftest import unique

hive = pytest.importorskip("pyhive.hive")

SETUP = [
    "CREATE TABLE {t} (i INT, b BIGINT, s SMALLINT, ti TINYINT, f FLOAT, d DOUBLE, dec DECIMAL(10,3), str STRING, "
    "ok BOOLEAN, day DATE, ts TIMESTAMP, bin BINARY, arr ARRAY<INT>, m MAP<STRING,INT>, st STRUCT<a:INT,b:STRING>) "
    "STORED AS PARQUET",
    "INSERT INTO {t} SELECT 1, 10000000000, 7, 3, 1.5, 2.25, 12.345, 'alpha', true, DATE '2024-02-29', "
    "TIMESTAMP '2024-02-29 12:34:56.5', X'6162', array(1, 2), map('k', 1), named_struct('a', 5, 'b', 'x')",
    "INSERT INTO {t} (i, str) VALUES (2, NULL)",
    "INSERT INTO {t} (i, str, d) VALUES (3, 'gamma', -0.5)",
]

QUERIES = [
    "SELECT i, b, s, ti, f, d, dec, str, ok FROM {t} ORDER BY i",
    "SELECT i, day, ts FROM {t} ORDER BY i",
    "SELECT i, arr, m FROM {t} ORDER BY i",
    # Subscripts differ by design (HiveQL arrays count from 0, PostgreSQL's from 1); array_element is 1-based in both.
    "SELECT i, st.a, st.b, array_element(arr, 1), m['k'] FROM {t} ORDER BY i",
    "SELECT count(*), count(str), sum(i), avg(d), min(str), max(dec) FROM {t}",
    "SELECT str IS NULL, coalesce(str, 'none'), length(str), upper(str) FROM {t} ORDER BY i",
    "SELECT i % 2 AS parity, count(*) FROM {t} GROUP BY i % 2 ORDER BY parity",
    "SELECT i, d * 2, dec + 1, CAST(i AS DOUBLE) / 2 FROM {t} ORDER BY i",
    "SELECT CAST(NULL AS INT) AS n1, CAST(NULL AS STRING) AS n2, CAST(NULL AS DATE) AS n3, CAST(NULL AS DECIMAL(5,2)) AS n4",
    "SELECT 1 + 1, 'a' || 'b', DATE '2024-01-01' + INTERVAL '1' DAY",
    "SELECT i FROM {t} WHERE str LIKE 'a%' OR str IS NULL ORDER BY i",
    "SELECT x.i, y.i FROM {t} x JOIN {t} y ON x.i = y.i - 1 ORDER BY x.i",
    "SELECT value FROM generate_series(1, 5) ORDER BY value DESC",
]


def norm(v):
    """A value in one comparable text form, whichever driver produced it."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, float):
        return repr(round(v, 9))
    if isinstance(v, dt.datetime):
        s = v.strftime("%Y-%m-%d %H:%M:%S.%f").rstrip("0").rstrip(".")
        return s
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, list):
        return json.dumps([json.loads(norm(x)) if norm(x) is not None and norm(x).lstrip("-").replace(".", "").isdigit() else norm(x) for x in v], separators=(",", ":"))
    if isinstance(v, str):
        # Numbers and timestamps that HiveServer2 sends as text compare as the values they are.
        try:
            if "." in v and v.replace(".", "").lstrip("-").isdigit():
                return str(Decimal(v))
        except Exception:
            pass
        if v.startswith("[") or v.startswith("{"):
            try:
                return json.dumps(json.loads(v), separators=(",", ":"))
            except ValueError:
                return v
        return v
    return str(v)


@pytest.fixture(scope="module")
def corpus_table(hs2):
    t = f"default.{unique('xp')}"
    with hs2.connect() as c:
        for sql in SETUP:
            c.execute(sql.format(t=t))
    yield t
    with hs2.connect() as c:
        c.execute(f"DROP TABLE {t}")


@pytest.mark.parametrize("query", QUERIES)
def test_both_protocols_give_the_same_answer(hs2, corpus_table, query):
    sql = query.format(t=corpus_table)
    with hs2.connect() as pg:
        pg_rows = pg.execute(sql).fetchall()
    host, port = hs2.listeners["hiveserver2"]
    conn = hive.connect(host=host, port=port, username="tester", auth="NOSASL")
    try:
        cur = conn.cursor()
        cur.execute(sql)
        hs2_rows = cur.fetchall()
    finally:
        conn.close()
    assert len(pg_rows) == len(hs2_rows), (pg_rows, hs2_rows)
    for p, h in zip(pg_rows, hs2_rows):
        assert [norm(x) for x in p] == [norm(x) for x in h], (sql, p, h)
