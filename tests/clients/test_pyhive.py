"""PyHive against hivewire's HiveServer2 binary transport, with SASL (PLAIN) and NOSASL.

Sessions, statements, typed result metadata, columnar fetches in pieces, empty results, NULLs and
errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import unique

hive = pytest.importorskip("pyhive.hive")


def connect(srv, auth):
    host, port = srv.listeners["hiveserver2"]
    return hive.connect(host=host, port=port, username="tester", auth=auth)


@pytest.mark.parametrize("auth", ["NOSASL", "NONE"])
def test_query_types_and_nulls(hs2, auth):
    with connect(hs2, auth) as conn:
        cur = conn.cursor()
        cur.execute("SELECT 1 AS a, CAST(2 AS BIGINT) AS b, CAST(1.5 AS DOUBLE) AS c, 'x' AS s, true AS t, "
                    "CAST(2.50 AS DECIMAL(5,2)) AS d, DATE '2024-02-29' AS day, CAST(NULL AS INT) AS n")
        assert [(d[0], d[1]) for d in cur.description] == [
            ("a", "INT_TYPE"), ("b", "BIGINT_TYPE"), ("c", "DOUBLE_TYPE"), ("s", "STRING_TYPE"),
            ("t", "BOOLEAN_TYPE"), ("d", "DECIMAL_TYPE"), ("day", "DATE_TYPE"), ("n", "INT_TYPE")]
        assert cur.fetchall() == [(1, 2, 1.5, "x", True, Decimal("2.50"), "2024-02-29", None)]


@pytest.mark.parametrize("auth", ["NOSASL", "NONE"])
def test_fetch_in_pieces_and_session_state(hs2, auth):
    with connect(hs2, auth) as conn:
        cur = conn.cursor()
        cur.arraysize = 1000
        cur.execute("SELECT value FROM generate_series(1, 2500) ORDER BY value")
        rows = cur.fetchall()
        assert [r[0] for r in rows] == list(range(1, 2501))
        db = unique("hs2db")
        cur.execute(f"CREATE DATABASE {db}")
        cur.execute(f"USE {db}")
        cur.execute("CREATE TABLE t (id INT, label STRING) STORED AS PARQUET")
        cur.execute("INSERT INTO t VALUES (1, 'one'), (2, NULL)")
        cur.execute("SELECT id, label FROM t ORDER BY id")
        assert cur.fetchall() == [(1, "one"), (2, None)]
        cur.execute("SHOW TABLES")
        assert [r[1] for r in cur.fetchall()] == ["t"]
        cur.execute(f"DROP DATABASE {db} CASCADE")


@pytest.mark.parametrize("auth", ["NOSASL", "NONE"])
def test_empty_results_and_the_connection_goes_on(hs2, auth):
    with connect(hs2, auth) as conn:
        cur = conn.cursor()
        for _ in range(3):
            cur.execute("SELECT value FROM generate_series(1, 10) WHERE value > 100")
            assert [d[0] for d in cur.description] == ["value"]
            assert cur.fetchall() == []
        cur.execute("SELECT 1 WHERE false")
        assert cur.fetchall() == []
        cur.execute("SELECT 3")
        assert cur.fetchall() == [(3,)]


def test_errors_carry_sqlstate_and_the_session_goes_on(hs2):
    with connect(hs2, "NOSASL") as conn:
        cur = conn.cursor()
        with pytest.raises(Exception) as e:
            cur.execute("SELEC 1")
        assert "42601" in str(e.value)
        with pytest.raises(Exception) as e:
            cur.execute("SELECT * FROM no_such_table_hs2")
        assert "42P01" in str(e.value)
        cur.execute("SELECT 2")
        assert cur.fetchall() == [(2,)]


def test_a_garbage_first_byte_closes_only_that_connection(hs2):
    import socket

    host, port = hs2.listeners["hiveserver2"]
    with socket.create_connection((host, port)) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        s.settimeout(10)
        try:
            assert s.recv(100) == b""  # closed...
        except ConnectionResetError:
            pass  # ...or reset, with the request unread
    with connect(hs2, "NOSASL") as conn:
        cur = conn.cursor()
        cur.execute("SELECT 3")
        assert cur.fetchall() == [(3,)]


def test_sqlalchemy_hive_dialect_and_pandas(hs2):
    sa = pytest.importorskip("sqlalchemy")
    pd = pytest.importorskip("pandas")
    host, port = hs2.listeners["hiveserver2"]
    name = unique("sa_hive")
    with connect(hs2, "NOSASL") as conn:
        cur = conn.cursor()
        cur.execute(f"CREATE TABLE default.{name} (id INT, label STRING, price DECIMAL(10,2)) PARTITIONED BY (dt STRING) STORED AS PARQUET")
        cur.execute(f"INSERT INTO default.{name} PARTITION (dt='d1') VALUES (1, 'apple', 1.25), (2, 'pear', 2.50)")
    engine = sa.create_engine(f"hive://tester@{host}:{port}/default")
    try:
        insp = sa.inspect(engine)
        # PyHive's dialect takes the first column of SHOW TABLES. Spark's SHOW TABLES (and so
        # hivewire's) starts with the database, so against Spark Thrift Server it lists one
        # database name per table; hivewire answers the same.
        with engine.connect() as c:
            shown = c.execute(sa.text("SHOW TABLES")).fetchall()
        assert insp.get_table_names() == [r[0] for r in shown]
        assert any(r[1] == name for r in shown)
        assert insp.has_table(name)
        assert "default" in insp.get_schema_names()
        cols = {c["name"]: str(c["type"]) for c in insp.get_columns(name)}
        assert list(cols) == ["id", "label", "price", "dt"], cols
        df = pd.read_sql(f"SELECT id, label FROM default.{name} ORDER BY id", engine)
        assert df.to_dict("records") == [{"id": 1, "label": "apple"}, {"id": 2, "label": "pear"}]
    finally:
        engine.dispose()
        with connect(hs2, "NOSASL") as conn:
            conn.cursor().execute(f"DROP TABLE default.{name}")


def test_http_transport_and_its_errors(hs2):
    import http.client

    host, port = hs2.listeners["hiveserver2-http"]
    conn = hive.connect(host=host, port=port, scheme="http", username="tester", password="x")
    cur = conn.cursor()
    cur.execute("SELECT 2 AS b, 'y' AS s")
    assert cur.fetchall() == [(2, "y")]
    conn.close()

    def status(method, path, headers=None, body=b""):
        c = http.client.HTTPConnection(host, port, timeout=10)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        c.close()
        return r.status, dict(r.getheaders())

    assert status("POST", "/elsewhere")[0] == 404
    assert status("GET", "/cliservice")[0] == 405
    code, headers = status("POST", "/cliservice", body=b"\x80\x01")
    assert code == 401 and "Basic" in headers.get("WWW-Authenticate", "")
    import base64
    auth = {"Authorization": "Basic " + base64.b64encode(b"tester:x").decode()}
    assert status("POST", "/cliservice", headers=auth, body=b"not thrift")[0] == 400


def test_session_functions_answer_as_spark(hs2):
    with connect(hs2, "NOSASL") as conn:
        cur = conn.cursor()
        cur.execute("SELECT current_database(), current_user(), upper(current_catalog())")
        assert cur.fetchall() == [("default", "tester", "SPARK_CATALOG")]
        # Spark's names: current_database() is current_schema().
        assert [d[0] for d in cur.description] == ["current_schema()", "current_user()", "upper(current_catalog())"]
        db = unique("fdb")
        cur.execute(f"CREATE DATABASE {db}")
        cur.execute(f"USE {db}")
        cur.execute("SELECT current_database()")
        assert cur.fetchall() == [(db,)]
        cur.execute("SELECT version()")
        assert cur.fetchone()[0].startswith("4.3.0")
        cur.execute(f"DROP DATABASE {db} CASCADE")


def test_malformed_sasl_and_oversized_frames_close_only_their_connection(hs2):
    import socket
    import struct

    host, port = hs2.listeners["hiveserver2"]
    # SASL with a mechanism that is not offered: BAD, then closed.
    with socket.create_connection((host, port)) as s:
        s.sendall(b"\x01" + struct.pack(">I", 6) + b"GSSAPI")
        s.settimeout(10)
        reply = s.recv(100)
        assert reply[:1] == b"\x03", reply
    # A PLAIN response that is not `authzid NUL user NUL password`: BAD, then closed.
    with socket.create_connection((host, port)) as s:
        s.sendall(b"\x01" + struct.pack(">I", 5) + b"PLAIN" + b"\x02" + struct.pack(">I", 3) + b"abc")
        s.settimeout(10)
        data = b""
        while len(data) < 1:
            chunk = s.recv(100)
            if not chunk:
                break
            data += chunk
        assert data[:1] == b"\x03", data
    # After SASL, a frame far over the message size limit: closed.
    with socket.create_connection((host, port)) as s:
        s.sendall(b"\x01" + struct.pack(">I", 5) + b"PLAIN" + b"\x05" + struct.pack(">I", 7) + b"\x00u\x00pass")
        s.settimeout(10)
        assert s.recv(5) == b"\x05\x00\x00\x00\x00"
        s.sendall(struct.pack(">I", 0x7FFFFFFF) + b"x" * 16)
        try:
            assert s.recv(100) == b""
        except ConnectionResetError:
            pass
    # Other sessions go on.
    with connect(hs2, "NONE") as conn:
        cur = conn.cursor()
        cur.execute("SELECT 4")
        assert cur.fetchall() == [(4,)]


def test_a_thousand_idle_connections_do_not_need_a_thousand_threads(hs2):
    import resource
    import socket

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 1000
    if soft < want + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, want + 500), hard))
    host, port = hs2.listeners["hiveserver2"]
    socks = []
    try:
        # Each connects, then sits idle, as pooled BI connections do.
        for _ in range(want):
            socks.append(socket.create_connection((host, port)))
        with connect(hs2, "NOSASL") as conn:
            cur = conn.cursor()
            cur.execute("SELECT 5")
            assert cur.fetchall() == [(5,)]
        status = open(f"/proc/{hs2.proc.pid}/status").read()
        threads = int(next(l.split()[1] for l in status.splitlines() if l.startswith("Threads:")))
        assert threads < 64, f"{threads} threads for {want} connections"
    finally:
        for s in socks:
            s.close()


def _range_batches(cur) -> int:
    """The `output_batches` of the range scan in EXPLAIN ANALYZE of ten rows."""
    cur.execute("EXPLAIN ANALYZE SELECT * FROM range(10)")
    text = " ".join(str(v) for row in cur.fetchall() for v in row)
    return int(text.split("output_batches=", 1)[1].split(",", 1)[0].split("]", 1)[0])


def test_datafusion_settings_apply_to_the_session(hs2):
    """Spark's SET form reaches DataFusion's options, RESET puts them back, and a bad value is an
    error that changes nothing."""
    with connect(hs2, "NONE") as conn:
        cur = conn.cursor()
        assert _range_batches(cur) == 1
        cur.execute("SET datafusion.execution.batch_size=3")
        assert cur.fetchall() == [("datafusion.execution.batch_size", "3")]
        assert _range_batches(cur) == 4
        cur.execute("SET datafusion.execution.batch_size")
        assert cur.fetchall() == [("datafusion.execution.batch_size", "3")]
        cur.execute("RESET datafusion.execution.batch_size")
        assert _range_batches(cur) == 1

        with pytest.raises(Exception) as bad:
            cur.execute("SET datafusion.execution.batch_size=many")
        assert "datafusion.execution.batch_size" in str(bad.value)
        assert _range_batches(cur) == 1
