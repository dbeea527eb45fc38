"""psycopg 3 against hivewire's PostgreSQL listener."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import psycopg
import psycopg.errors as pge
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from psycopg.pq import TransactionStatus

from conftest import raw_startup, unique

UTC = dt.timezone.utc

# Type OIDs, as PostgreSQL assigns them.
BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC = 16, 21, 23, 20, 700, 701, 1700
TEXT, VARCHAR, BYTEA = 25, 1043, 17
DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL = 1082, 1083, 1114, 1184, 1186
INT4_ARRAY, INT8_ARRAY, TEXT_ARRAY, VARCHAR_ARRAY = 1007, 1016, 1009, 1015
STRINGS = {TEXT, VARCHAR}

# ---------------------------------------------------------------- result types
# (id, SQL expression, expected Python value, acceptable type OIDs or None)
TYPE_CASES = [
    ("bool_true", "true", True, {BOOL}),
    ("bool_false", "1 > 2", False, {BOOL}),
    ("bool_null", "CAST(NULL AS BOOLEAN)", None, {BOOL}),
    ("smallint", "CAST(-7 AS SMALLINT)", -7, {INT2}),
    ("int", "CAST(2147483647 AS INT)", 2147483647, {INT4}),
    ("int_null", "CAST(NULL AS INT)", None, {INT4}),
    ("bigint", "CAST(9007199254740993 AS BIGINT)", 9007199254740993, {INT8}),
    ("bigint_neg", "CAST(-9223372036854775807 AS BIGINT)", -9223372036854775807, {INT8}),
    ("real", "CAST(1.5 AS REAL)", 1.5, {FLOAT4}),
    ("double", "CAST(-2.25 AS DOUBLE)", -2.25, {FLOAT8}),
    ("decimal", "CAST('12345.67' AS DECIMAL(10,2))", Decimal("12345.67"), {NUMERIC}),
    ("decimal_neg", "CAST('-0.005' AS DECIMAL(6,3))", Decimal("-0.005"), {NUMERIC}),
    ("numeric_big", "CAST('123456789012345678.9' AS NUMERIC(20,1))",
     Decimal("123456789012345678.9"), {NUMERIC}),
    ("text", "'héllo, wörld'", "héllo, wörld", STRINGS),
    ("text_empty", "CAST('' AS STRING)", "", STRINGS),
    ("text_null", "CAST(NULL AS STRING)", None, STRINGS),
    ("bytea", "CAST('abc' AS BYTEA)", b"abc", {BYTEA}),
    ("date", "DATE '2024-02-29'", dt.date(2024, 2, 29), {DATE}),
    ("time", "CAST('12:34:56.789' AS TIME)", dt.time(12, 34, 56, 789000), {TIME}),
    ("timestamp", "TIMESTAMP '2024-01-02 03:04:05.123456'",
     dt.datetime(2024, 1, 2, 3, 4, 5, 123456), {TIMESTAMP}),
    ("timestamptz", "CAST('2024-01-02 03:04:05+00' AS TIMESTAMPTZ)",
     dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), {TIMESTAMPTZ}),
    ("interval", "INTERVAL '1 day 2 hours 3 minutes'",
     dt.timedelta(days=1, hours=2, minutes=3), {INTERVAL}),
    ("int_array", "make_array(1, 2, 3)", [1, 2, 3], {INT8_ARRAY, INT4_ARRAY}),
    ("text_array", "make_array('a', NULL, 'c')", ["a", None, "c"], {TEXT_ARRAY, VARCHAR_ARRAY}),
    ("null", "NULL", None, None),
]

MODES = ["simple", "extended_text", "extended_binary"]


def run_select(conn, sql, mode, params=None):
    """Run ``sql`` with the wire path that ``mode`` names; return the cursor."""
    if mode == "simple":
        assert params is None
        return conn.execute(sql)  # no params: simple Query message
    if mode == "extended_text":
        return conn.cursor().execute(sql, params, prepare=True)
    if mode == "extended_binary":
        return conn.cursor(binary=True).execute(sql, params)
    raise AssertionError(mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "expr,expected,oids", [c[1:] for c in TYPE_CASES], ids=[c[0] for c in TYPE_CASES]
)
def test_result_types(conn, mode, expr, expected, oids):
    cur = run_select(conn, f"SELECT {expr} AS v", mode)
    assert cur.description[0].name == "v"
    if oids is not None:
        assert cur.description[0].type_code in oids, cur.description[0]
    row = cur.fetchone()
    assert row == (expected,)
    if expected is not None:
        assert type(row[0]) is type(expected)
    if isinstance(expected, dt.datetime) and expected.tzinfo is not None:
        assert row[0].tzinfo is not None, "timestamptz must come back timezone-aware"
    assert cur.fetchone() is None


@pytest.mark.parametrize("mode", MODES)
def test_wide_row_mixed_types(conn, mode):
    cur = run_select(
        conn,
        "SELECT CAST(1 AS INT) AS i, 'x' AS s, CAST(NULL AS DOUBLE) AS d, "
        "DATE '2000-01-01' AS day, CAST(2.50 AS DECIMAL(4,2)) AS n, false AS b",
        mode,
    )
    assert [c.name for c in cur.description] == ["i", "s", "d", "day", "n", "b"]
    assert cur.fetchall() == [(1, "x", None, dt.date(2000, 1, 1), Decimal("2.50"), False)]


@pytest.mark.parametrize("mode", MODES)
def test_many_rows_span_batches(conn, mode):
    cur = run_select(conn, "SELECT value FROM generate_series(1, 20000) ORDER BY value", mode)
    rows = cur.fetchall()
    assert len(rows) == 20000
    assert rows[0] == (1,) and rows[-1] == (20000,)
    assert sum(r[0] for r in rows) == 20000 * 20001 // 2


def test_no_rows(conn):
    cur = conn.execute("SELECT CAST(1 AS INT) AS a WHERE 1 = 0")
    assert [c.name for c in cur.description] == ["a"]
    assert cur.fetchall() == []


# ------------------------------------------------------------ extended protocol
def test_params_typed(conn):
    cur = conn.execute(
        "SELECT %s::int + 1, %s::bigint * 2, %s::text || '!', %s::double / 2, %s::boolean",
        (41, 2**40, "hi", 5.0, True),
    )
    assert cur.fetchone() == (42, 2**41, "hi!", 2.5, True)


def test_params_untyped_string_in_where(conn):
    cur = conn.execute(
        "SELECT n FROM (SELECT 1 AS n, 'a' AS s UNION ALL SELECT 2 AS n, 'b' AS s) t WHERE s = %s",
        ("b",),
    )
    assert cur.fetchall() == [(2,)]


def test_params_null(conn):
    assert conn.execute("SELECT %s::int IS NULL", (None,)).fetchone() == (True,)


def test_params_text_and_binary_formats(conn):
    # %t forces a text-format parameter, %b a binary-format one.
    assert conn.execute("SELECT %t::int * 3, %b::int * 3", (5, 7)).fetchone() == (15, 21)


def test_params_bytea_roundtrip(conn):
    data = bytes(range(256))
    for binary in (False, True):
        cur = conn.cursor(binary=binary)
        assert cur.execute("SELECT %s::bytea", (data,)).fetchone() == (data,)


def test_params_temporal_and_numeric(conn):
    day = dt.date(1999, 12, 31)
    ts = dt.datetime(2021, 6, 7, 8, 9, 10, 500000)
    cur = conn.execute(
        "SELECT %s::date, %s::timestamp, CAST(%s AS DECIMAL(10,3))", (day, ts, Decimal("3.125"))
    )
    assert cur.fetchone() == (day, ts, Decimal("3.125"))


@pytest.mark.parametrize("binary", [False, True])
def test_prepared_statement_reuse(conn, binary):
    cur = conn.cursor(binary=binary)
    sql = "SELECT %s::int * 10, %s::text"
    for i in range(4):
        cur.execute(sql, (i, f"v{i}"), prepare=True)
        assert cur.fetchone() == (i * 10, f"v{i}")


def test_prepare_threshold_zero(server):
    with server.connect(prepare_threshold=0) as c:
        for i in range(3):
            assert c.execute("SELECT %s::bigint + 1", (i,)).fetchone() == (i + 1,)


def test_raw_cursor_dollar_placeholders(conn):
    cur = psycopg.RawCursor(conn)
    cur.execute("SELECT $1::int + $2::int, $1::int", (40, 2))
    assert cur.fetchone() == (42, 40)


def test_executemany_and_read_back(conn):
    name = unique("em")
    conn.execute(f"CREATE TABLE default.{name} (id INT, label STRING) STORED AS PARQUET")
    try:
        cur = conn.cursor()
        cur.executemany(
            f"INSERT INTO default.{name} VALUES (%s, %s)", [(1, "one"), (2, "two"), (3, None)]
        )
        rows = conn.execute(f"SELECT id, label FROM default.{name} ORDER BY id").fetchall()
        assert rows == [(1, "one"), (2, "two"), (3, None)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


# -------------------------------------------------------------------- errors
def assert_usable(conn):
    assert conn.execute("SELECT 40 + 2").fetchone() == (42,)


def test_syntax_error_has_position(conn):
    with pytest.raises(pge.SyntaxError) as ei:
        conn.execute("SELEC 1")
    assert ei.value.sqlstate == "42601"
    pos = ei.value.diag.statement_position
    assert pos is not None and int(pos) >= 1
    assert_usable(conn)


def test_syntax_error_extended_protocol(conn):
    with pytest.raises(psycopg.Error) as ei:
        conn.execute("SELECT %s FROMM nowhere WHERE", (1,))
    assert ei.value.sqlstate == "42601"
    assert_usable(conn)


def test_undefined_table(conn):
    with pytest.raises(pge.UndefinedTable) as ei:
        conn.execute(f"SELECT * FROM default.{unique('missing')}")
    assert ei.value.sqlstate == "42P01"
    assert_usable(conn)


def test_undefined_column(conn):
    with pytest.raises(pge.UndefinedColumn) as ei:
        conn.execute("SELECT no_such_column FROM (SELECT 1 AS a) t")
    assert ei.value.sqlstate == "42703"
    assert_usable(conn)


@pytest.mark.parametrize("mode", MODES)
def test_division_by_zero(conn, mode):
    with pytest.raises(psycopg.errors.DivisionByZero) as ei:
        run_select(conn, "SELECT CAST(1 AS INT) / CAST(0 AS INT)", mode).fetchall()
    assert ei.value.sqlstate == "22012"
    assert_usable(conn)


def test_data_exception_class_22(conn):
    with pytest.raises(psycopg.errors.DataError) as ei:
        conn.execute("SELECT CAST('not a number' AS INT)").fetchall()
    assert ei.value.sqlstate.startswith("22")
    assert_usable(conn)


def test_update_not_supported(conn):
    name = unique("ro")
    conn.execute(f"CREATE TABLE default.{name} (a INT) STORED AS PARQUET")
    try:
        with pytest.raises(psycopg.errors.FeatureNotSupported) as ei:
            conn.execute(f"UPDATE default.{name} SET a = 1")
        assert ei.value.sqlstate == "0A000"
        assert_usable(conn)
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_many_errors_in_a_row_keep_session(conn):
    for _ in range(20):
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT * FROM default.definitely_not_here_123")
    assert_usable(conn)


# ---------------------------------------------------------------- transactions
def test_explicit_transaction_status(conn):
    assert conn.info.transaction_status == TransactionStatus.IDLE
    conn.execute("BEGIN")
    assert conn.info.transaction_status == TransactionStatus.INTRANS
    assert conn.execute("SELECT 1").fetchone() == (1,)
    conn.execute("COMMIT")
    assert conn.info.transaction_status == TransactionStatus.IDLE
    conn.execute("BEGIN")
    assert conn.info.transaction_status == TransactionStatus.INTRANS
    conn.execute("ROLLBACK")
    assert conn.info.transaction_status == TransactionStatus.IDLE


def test_error_inside_transaction(conn):
    conn.execute("BEGIN")
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT CAST(1 AS INT) / CAST(0 AS INT)").fetchall()
    assert conn.info.transaction_status == TransactionStatus.INERROR
    conn.execute("ROLLBACK")
    assert conn.info.transaction_status == TransactionStatus.IDLE
    assert_usable(conn)


def test_driver_managed_transaction(server):
    # autocommit=False: psycopg sends BEGIN itself, and COMMIT/ROLLBACK on request.
    with server.connect(autocommit=False) as c:
        assert c.execute("SELECT 1").fetchone() == (1,)
        assert c.info.transaction_status == TransactionStatus.INTRANS
        c.commit()
        assert c.info.transaction_status == TransactionStatus.IDLE
        c.execute("SELECT 2")
        c.rollback()
        assert c.info.transaction_status == TransactionStatus.IDLE
        with c.transaction():
            assert c.execute("SELECT 3").fetchone() == (3,)
        assert c.info.transaction_status == TransactionStatus.IDLE


# ---------------------------------------------------------------------- cancel
# Filtered so that no optimiser can answer it from row-count statistics.
LONG_QUERY = "SELECT count(*) FROM generate_series(1, 10000000000) WHERE value % 3 = 0"


@pytest.mark.timeout(120)
def test_cancel_long_query(server):
    with server.connect() as c:
        done = threading.Event()
        errors: list[BaseException] = []

        def canceller():
            # Cancel until the query is gone: a request that lands before the
            # query starts cancels nothing, as in PostgreSQL.
            try:
                for _ in range(120):
                    if done.wait(0.5):
                        return
                    c.cancel()
            except BaseException as exc:  # surfaced by the assertion below
                errors.append(exc)

        t = threading.Thread(target=canceller, daemon=True)
        t.start()
        try:
            with pytest.raises(pge.QueryCanceled) as ei:
                c.execute(LONG_QUERY).fetchall()
        finally:
            done.set()
            t.join()
        assert not errors, f"conn.cancel() failed: {errors!r}"
        assert ei.value.sqlstate == "57014"
        assert c.execute("SELECT 'still here'").fetchone() == ("still here",)


# ------------------------------------------------------------------------ COPY
COPY_QUERY = (
    "SELECT CAST(a AS BIGINT) AS a, b FROM ("
    "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2 AS a, CAST(NULL AS STRING) AS b "
    "UNION ALL SELECT 3 AS a, 'tab\there' AS b) t ORDER BY a"
)


def copy_out(conn, statement) -> bytes:
    with conn.cursor() as cur:
        with cur.copy(statement) as copy:
            return b"".join(bytes(chunk) for chunk in copy)


def test_copy_to_stdout_text(conn):
    data = copy_out(conn, f"COPY ({COPY_QUERY}) TO STDOUT")
    assert data == b"1\tx\n2\t\\N\n3\ttab\\there\n"


def test_copy_to_stdout_csv(conn):
    data = copy_out(conn, f"COPY ({COPY_QUERY}) TO STDOUT WITH (FORMAT csv)")
    assert data == b'1,x\n2,\n3,"tab\there"\n' or data == b"1,x\n2,\n3,tab\there\n"


def test_copy_to_stdout_binary(conn):
    with conn.cursor() as cur:
        with cur.copy(f"COPY ({COPY_QUERY}) TO STDOUT WITH (FORMAT binary)") as copy:
            copy.set_types(["int8", "text"])
            rows = list(copy.rows())
    assert rows == [(1, "x"), (2, None), (3, "tab\there")]


def test_copy_rows_text_typed(conn):
    with conn.cursor() as cur:
        with cur.copy(f"COPY ({COPY_QUERY}) TO STDOUT") as copy:
            copy.set_types(["int8", "text"])
            rows = list(copy.rows())
    assert rows == [(1, "x"), (2, None), (3, "tab\there")]
    assert_usable(conn)


# ------------------------------------------------------------- tables on files
def describe(conn, table):
    rows = conn.execute(f"DESCRIBE {table}").fetchall()
    return [(r[0], r[1]) for r in rows if r[0] and not r[0].startswith("#")]


def test_describe_columns(conn):
    name = unique("desc")
    conn.execute(
        f"CREATE TABLE default.{name} (a INT, b STRING, c BIGINT, d DOUBLE, e BOOLEAN) "
        "STORED AS PARQUET"
    )
    try:
        cur = conn.execute(f"DESCRIBE default.{name}")
        assert [c.name for c in cur.description] == ["col_name", "data_type", "comment"]
        assert describe(conn, f"default.{name}") == [
            ("a", "int"), ("b", "string"), ("c", "bigint"), ("d", "double"), ("e", "boolean"),
        ]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_external_parquet_table_with_schema(conn, files_dir):
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "name": pa.array(["ann", "bob", None], pa.string()),
            "score": pa.array([1.5, 2.5, 4.0], pa.float64()),
        }
    )
    pq.write_table(table.slice(0, 2), files_dir / "part-00000.parquet")
    pq.write_table(table.slice(2), files_dir / "part-00001.parquet")
    name = unique("pq_ext")
    conn.execute(
        f"CREATE EXTERNAL TABLE default.{name} (id INT, name STRING, score DOUBLE) "
        f"STORED AS PARQUET LOCATION '{files_dir}'"
    )
    try:
        rows = conn.execute(f"SELECT id, name, score FROM default.{name} ORDER BY id").fetchall()
        assert rows == [(1, "ann", 1.5), (2, "bob", 2.5), (3, None, 4.0)]
        agg = conn.execute(f"SELECT count(*), sum(score) FROM default.{name}").fetchone()
        assert agg == (3, 8.0)
        assert describe(conn, f"default.{name}") == [
            ("id", "int"), ("name", "string"), ("score", "double"),
        ]
    finally:
        conn.execute(f"DROP TABLE default.{name}")
    # Dropping an EXTERNAL table leaves its files alone.
    assert (files_dir / "part-00000.parquet").exists()


def test_parquet_table_using_inferred_schema(conn, files_dir):
    pq.write_table(
        pa.table(
            {
                "k": pa.array([10, 20], pa.int64()),
                "v": pa.array(["p", "q"], pa.string()),
                "ok": pa.array([True, False], pa.bool_()),
            }
        ),
        files_dir / "data.parquet",
    )
    name = unique("pq_using")
    conn.execute(f"CREATE TABLE default.{name} USING parquet LOCATION '{files_dir}'")
    try:
        assert describe(conn, f"default.{name}") == [("k", "bigint"), ("v", "string"), ("ok", "boolean")]
        rows = conn.execute(f"SELECT v, k FROM default.{name} WHERE ok").fetchall()
        assert rows == [("p", 10)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_csv_table_using_header(conn, files_dir):
    (files_dir / "people.csv").write_text("id,name\n1,alpha\n2,beta\n3,gamma\n")
    name = unique("csv_using")
    conn.execute(
        f"CREATE TABLE default.{name} USING csv OPTIONS (header 'true') LOCATION '{files_dir}'"
    )
    try:
        assert conn.execute(f"SELECT name FROM default.{name} WHERE id = 2").fetchall() == [("beta",)]
        assert conn.execute(f"SELECT count(*) FROM default.{name}").fetchone() == (3,)
        # As in Spark, CSV columns are strings unless inferSchema is asked for.
        assert describe(conn, f"default.{name}") == [("id", "string"), ("name", "string")]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_csv_table_using_options_infer_schema_and_separator(conn, files_dir):
    (files_dir / "people.csv").write_text("id;name\n1;alpha\n2;beta\n")
    name = unique("csv_infer")
    conn.execute(
        f"CREATE TABLE default.{name} USING csv "
        f"OPTIONS ('header' = 'true', sep ';', inferSchema true) LOCATION '{files_dir}'"
    )
    try:
        assert describe(conn, f"default.{name}") == [("id", "bigint"), ("name", "string")]
        assert conn.execute(f"SELECT id + 1 FROM default.{name} ORDER BY id").fetchall() == [(2,), (3,)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_malformed_options_clause_is_a_positioned_syntax_error(conn, files_dir):
    with pytest.raises(psycopg.errors.SyntaxError) as e:
        conn.execute(f"CREATE TABLE default.{unique('bad')} USING csv OPTIONS (header) LOCATION '{files_dir}'")
    assert "OPTIONS" in str(e.value)
    assert e.value.diag.statement_position is not None


def test_hive_textfile_table(conn, files_dir):
    (files_dir / "000000_0").write_text("1,alpha\n2,beta\n")
    name = unique("txt")
    conn.execute(
        f"CREATE EXTERNAL TABLE default.{name} (id INT, name STRING) "
        "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
        f"STORED AS TEXTFILE LOCATION '{files_dir}'"
    )
    try:
        rows = conn.execute(f"SELECT id, name FROM default.{name} ORDER BY id").fetchall()
        assert rows == [(1, "alpha"), (2, "beta")]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_managed_parquet_insert_values_and_select(conn, data_dir):
    name = unique("ins")
    conn.execute(
        f"CREATE TABLE default.{name} (id INT, name STRING, amount DECIMAL(10,2)) STORED AS PARQUET"
    )
    try:
        cur = conn.execute(
            f"INSERT INTO default.{name} VALUES (1, 'one', 1.50), (2, 'two', 2.25)"
        )
        assert cur.rowcount == 2
        assert (cur.statusmessage or "").startswith("INSERT")
        cur = conn.execute(
            f"INSERT INTO default.{name} SELECT id + 10, upper(name), amount * 2 "
            f"FROM default.{name} WHERE id <= 2"
        )
        assert cur.rowcount == 2
        rows = conn.execute(f"SELECT id, name, amount FROM default.{name} ORDER BY id").fetchall()
        assert rows == [
            (1, "one", Decimal("1.50")),
            (2, "two", Decimal("2.25")),
            (11, "ONE", Decimal("3.00")),
            (12, "TWO", Decimal("4.50")),
        ]
        # The data really is Parquet, somewhere under the server's data dir.
        files = [p for p in data_dir.rglob("*.parquet") if name in str(p)]
        assert files, f"no parquet files for {name} under {data_dir}"
        ids = sorted(i for f in files for i in pq.read_table(f).column("id").to_pylist())
        assert ids == [1, 2, 11, 12]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_backtick_identifiers(conn):
    name = unique("bt")
    conn.execute(f"CREATE TABLE `default`.`{name}` (`my col` INT, `select` STRING) STORED AS PARQUET")
    try:
        conn.execute(f"INSERT INTO `default`.`{name}` VALUES (7, 'kw')")
        cur = conn.execute(f"SELECT `my col`, `select` FROM `default`.`{name}`")
        assert [c.name for c in cur.description] == ["my col", "select"]
        assert cur.fetchall() == [(7, "kw")]
    finally:
        conn.execute(f"DROP TABLE `default`.`{name}`")


# ------------------------------------------------------- databases and tables
def test_databases_tables_lifecycle(conn):
    db = unique("hwdb")
    conn.execute(f"CREATE DATABASE {db}")
    try:
        cur = conn.execute("SHOW DATABASES")
        assert [c.name for c in cur.description] == ["namespace"]
        names = [r[0] for r in cur.fetchall()]
        assert "default" in names and db in names

        conn.execute(f"USE {db}")
        conn.execute("CREATE TABLE t1 (a INT) STORED AS PARQUET")
        conn.execute("INSERT INTO t1 VALUES (5)")
        assert conn.execute("SELECT a FROM t1").fetchall() == [(5,)]
        assert conn.execute(f"SELECT a FROM {db}.t1").fetchall() == [(5,)]

        cur = conn.execute(f"SHOW TABLES IN {db}")
        assert [c.name for c in cur.description] == ["namespace", "tableName", "isTemporary"]
        assert [tuple(r) for r in cur.fetchall()] == [(db, "t1", False)]
        cur = conn.execute("SHOW TABLES")  # current database, after USE
        assert [r[1] for r in cur.fetchall()] == ["t1"]
        assert "t1" not in [r[1] for r in conn.execute("SHOW TABLES IN default").fetchall()]

        conn.execute("DROP TABLE t1")
        assert conn.execute(f"SHOW TABLES IN {db}").fetchall() == []
        conn.execute(f"CREATE TABLE {db}.t2 (b STRING) STORED AS TEXTFILE")
    finally:
        conn.execute("USE default")
        conn.execute(f"DROP DATABASE {db} CASCADE")
    names = [r[0] for r in conn.execute("SHOW DATABASES").fetchall()]
    assert db not in names
    with pytest.raises(pge.UndefinedTable):
        conn.execute(f"SELECT * FROM {db}.t2")


def test_connect_to_hive_database(server, conn):
    db = unique("hwconn")
    conn.execute(f"CREATE DATABASE {db}")
    try:
        conn.execute(f"CREATE TABLE {db}.items (x INT) STORED AS PARQUET")
        conn.execute(f"INSERT INTO {db}.items VALUES (1), (2)")
        with server.connect(dbname=db) as c:
            assert c.execute("SELECT sum(x) FROM items").fetchone() == (3,)
        with server.connect(dbname="default") as c:
            assert c.execute("SELECT 1").fetchone() == (1,)
    finally:
        conn.execute(f"DROP DATABASE {db} CASCADE")


def test_unknown_database_refused(server):
    missing = unique("nodb")
    fields = raw_startup(server.host, server.port, {"user": "hwtest", "database": missing})
    assert fields is not None, "server accepted a connection to an unknown database"
    assert fields.get("C") == "3D000", fields
    with pytest.raises(psycopg.OperationalError):
        server.connect(dbname=missing)
    # And a known database is accepted on the same raw path.
    assert raw_startup(server.host, server.port, {"user": "hwtest", "database": "hivewire"}) is None


# ------------------------------------------------- simple-protocol specifics
def test_multi_statement_simple_query(conn):
    cur = conn.execute("SELECT 1 AS a; SELECT 'two' AS b, 3 AS c")
    assert cur.fetchall() == [(1,)]
    assert cur.nextset()
    assert [c.name for c in cur.description] == ["b", "c"]
    assert cur.fetchall() == [("two", 3)]
    assert not cur.nextset()


def test_multi_statement_stops_at_error(conn):
    db = unique("ms")
    with pytest.raises(pge.UndefinedTable):
        conn.execute(
            f"SELECT 1; SELECT * FROM default.{unique('missing')}; CREATE DATABASE {db}"
        )
    # Statements after the failing one are skipped, as in PostgreSQL.
    assert db not in [r[0] for r in conn.execute("SHOW DATABASES").fetchall()]
    assert_usable(conn)


@pytest.mark.parametrize("sql", ["", "   ", ";"])
def test_empty_query(conn, sql):
    cur = conn.execute(sql)
    assert cur.pgresult.status == psycopg.pq.ExecStatus.EMPTY_QUERY
    assert cur.description is None
    assert_usable(conn)


# ------------------------------------------------ session and pg_catalog bits
def test_startup_parameters(conn):
    assert conn.info.server_version > 0
    assert conn.info.parameter_status("client_encoding") == "UTF8"
    assert conn.info.backend_pid != 0


def test_set_and_show(conn):
    conn.execute("SET application_name = 'hw_client_test'")
    assert conn.execute("SHOW application_name").fetchone() == ("hw_client_test",)


def test_catalog_functions(conn):
    assert conn.execute("SELECT current_database()").fetchone() == ("hivewire",)
    version = conn.execute("SELECT version()").fetchone()[0]
    assert "PostgreSQL" in version
    schemas = [r[0] for r in conn.execute("SELECT nspname FROM pg_catalog.pg_namespace").fetchall()]
    assert "default" in schemas and "pg_catalog" in schemas


def test_pg_class_lists_tables(conn):
    name = unique("pgc")
    conn.execute(f"CREATE TABLE default.{name} (a INT) STORED AS PARQUET")
    try:
        rows = conn.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = %s",
            ("default", name),
        ).fetchall()
        assert rows == [(name,)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


# -------------------------------------------------------------- durability
def test_restart_keeps_databases_tables_and_data(fresh_server, files_dir):
    srv = fresh_server
    db = unique("durable")
    pq.write_table(pa.table({"k": pa.array([1, 2], pa.int32())}), files_dir / "k.parquet")
    with srv.connect() as c:
        c.execute(f"CREATE DATABASE {db}")
        c.execute(f"CREATE TABLE {db}.facts (id INT, s STRING) STORED AS PARQUET")
        c.execute(f"INSERT INTO {db}.facts VALUES (1, 'x'), (2, 'y')")
        c.execute(
            f"CREATE EXTERNAL TABLE {db}.ext (k INT) STORED AS PARQUET LOCATION '{files_dir}'"
        )
    rc = srv.restart()
    assert rc == 0, f"hivewire exited with {rc} on SIGTERM\n{srv.stderr_tail()}"
    with srv.connect() as c:
        assert db in [r[0] for r in c.execute("SHOW DATABASES").fetchall()]
        tables = sorted(r[1] for r in c.execute(f"SHOW TABLES IN {db}").fetchall())
        assert tables == ["ext", "facts"]
        assert c.execute(f"SELECT id, s FROM {db}.facts ORDER BY id").fetchall() == [(1, "x"), (2, "y")]
        assert c.execute(f"SELECT sum(k) FROM {db}.ext").fetchone() == (3,)
        assert describe(c, f"{db}.facts") == [("id", "int"), ("s", "string")]


def test_using_join_columns_in_where(conn):
    """An unqualified USING column reads in WHERE as in PostgreSQL, for inner, left and full joins."""
    conn.execute("CREATE TEMPORARY VIEW uj_a AS SELECT * FROM (VALUES ('one', 1), ('two', 2), ('three', 3)) AS t(k, v)")
    conn.execute("CREATE TEMPORARY VIEW uj_b AS SELECT * FROM (VALUES ('one', 10), ('two', 20), ('four', 40)) AS t(k, w)")
    rows = conn.execute("SELECT k, v, w FROM uj_a JOIN uj_b USING (k) WHERE k = 'one'").fetchall()
    assert rows == [("one", 1, 10)]
    rows = conn.execute("SELECT k, v FROM uj_a LEFT JOIN uj_b USING (k) WHERE k <> 'one' AND w IS NULL").fetchall()
    assert rows == [("three", 3)]
    rows = conn.execute("SELECT k FROM uj_a FULL JOIN uj_b USING (k) WHERE k LIKE 'f%' OR k LIKE 't%' ORDER BY k").fetchall()
    assert rows == [("four",), ("three",), ("two",)]
