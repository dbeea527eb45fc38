"""Files hivewire writes are read back correctly by Spark, and files Spark writes are read back
correctly by hivewire: Parquet (every column type, partitioned layouts) and Hive text. Spark is the
`pyspark` package from PyPI, run locally."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from conftest import unique

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (scripts/test.sh installs it)")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    session = (
        SparkSession.builder.master("local[1]")
        .appName("hivewire-interop")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def table_dir(server, name: str):
    return server.data_dir / "warehouse" / name


ALL_TYPES = (
    "i INT, b BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ok BOOLEAN, day DATE, ts TIMESTAMP, "
    "arr ARRAY<INT>, m MAP<STRING,INT>, st STRUCT<a:INT,b:STRING>"
)


def test_spark_reads_hivewire_parquet(server, conn, spark):
    name = unique("to_spark")
    conn.execute(f"CREATE TABLE default.{name} ({ALL_TYPES}) STORED AS PARQUET")
    try:
        conn.execute(
            f"INSERT INTO default.{name} SELECT 1, 2, 1.5, CAST(12.34 AS DECIMAL(10,2)), 'x', true, "
            "DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.5', array(1, 2), map('k', 1), "
            "named_struct('a', 7, 'b', 'y')"
        )
        conn.execute(f"INSERT INTO default.{name} (i, s) VALUES (NULL, NULL)")
        rows = sorted(spark.read.parquet(str(table_dir(server, name))).collect(), key=lambda r: r.i is None)
        r = rows[0]
        assert (r.i, r.b, r.d, r.dec, r.s, r.ok) == (1, 2, 1.5, Decimal("12.34"), "x", True)
        assert r.day == dt.date(2024, 2, 29)
        assert r.ts == dt.datetime(2024, 2, 29, 12, 34, 56, 500000)
        assert r.arr == [1, 2] and r.m == {"k": 1} and (r.st.a, r.st.b) == (7, "y")
        assert all(v is None for v in rows[1])
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_hivewire_reads_spark_parquet(conn, spark, tmp_path):
    from pyspark.sql import Row

    out = str(tmp_path / "from_spark")
    df = spark.createDataFrame(
        [
            Row(i=1, b=2, d=1.5, dec=Decimal("12.34"), s="x", ok=True, day=dt.date(2024, 2, 29),
                ts=dt.datetime(2024, 2, 29, 12, 34, 56), arr=[1, 2], m={"k": 1}, st=Row(a=7, b="y")),
            Row(i=None, b=None, d=None, dec=None, s=None, ok=None, day=None, ts=None, arr=None, m=None, st=None),
        ],
        schema=ALL_TYPES,
    )
    df.coalesce(1).write.parquet(out)
    name = unique("from_spark")
    conn.execute(f"CREATE EXTERNAL TABLE default.{name} ({ALL_TYPES}) STORED AS PARQUET LOCATION '{out}'")
    try:
        rows = conn.execute(
            f"SELECT i, b, d, dec, s, ok, day, ts, arr, m['k'], st.a, st.b FROM default.{name} ORDER BY i NULLS LAST"
        ).fetchall()
        assert rows[0] == (1, 2, 1.5, Decimal("12.34"), "x", True, dt.date(2024, 2, 29),
                           dt.datetime(2024, 2, 29, 12, 34, 56), [1, 2], 1, 7, "y")
        assert all(v is None for v in rows[1])
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_partitioned_layouts_go_both_ways(server, conn, spark, tmp_path):
    name = unique("parts")
    conn.execute(f"CREATE TABLE default.{name} (v INT) PARTITIONED BY (dt STRING, h INT) STORED AS PARQUET")
    try:
        conn.execute(f"INSERT INTO default.{name} PARTITION (dt='2024-01-01', h=3) VALUES (1), (2)")
        conn.execute(f"INSERT INTO default.{name} PARTITION (dt='2024-01-02', h=4) VALUES (5)")
        got = spark.read.parquet(str(table_dir(server, name))).collect()
        assert sorted((r.v, str(r.dt), r.h) for r in got) == [(1, "2024-01-01", 3), (2, "2024-01-01", 3), (5, "2024-01-02", 4)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")

    out = str(tmp_path / "spark_parts")
    spark.createDataFrame([(1, "a", 1), (2, "b", 1), (3, "b", 2)], "v INT, k STRING, h INT").write.partitionBy("k", "h").parquet(out)
    name = unique("spark_parts")
    conn.execute(f"CREATE EXTERNAL TABLE default.{name} (v INT) PARTITIONED BY (k STRING, h INT) STORED AS PARQUET LOCATION '{out}'")
    try:
        conn.execute(f"MSCK REPAIR TABLE default.{name}")
        assert conn.execute(f"SELECT v, k, h FROM default.{name} ORDER BY v").fetchall() == [(1, "a", 1), (2, "b", 1), (3, "b", 2)]
        assert conn.execute(f"SELECT sum(v) FROM default.{name} WHERE k = 'b'").fetchone() == (5,)
    finally:
        conn.execute(f"DROP TABLE default.{name}")


TEXT_SCHEMA = "i INT, s STRING, day DATE"


def test_hive_text_goes_both_ways(server, conn, spark, tmp_path):
    name = unique("text_out")
    conn.execute(f"CREATE TABLE default.{name} ({TEXT_SCHEMA}) STORED AS TEXTFILE")
    try:
        conn.execute(f"INSERT INTO default.{name} VALUES (1, 'one', DATE '2024-01-01'), (NULL, 'two, with comma', NULL)")
        got = spark.read.options(sep="\x01", nullValue="\\N").schema(TEXT_SCHEMA).csv(str(table_dir(server, name))).collect()
        assert sorted([(r.i, r.s, r.day) for r in got], key=str) == sorted(
            [(1, "one", dt.date(2024, 1, 1)), (None, "two, with comma", None)], key=str)
    finally:
        conn.execute(f"DROP TABLE default.{name}")

    out = str(tmp_path / "spark_text")
    spark.createDataFrame([(1, "uno", dt.date(2024, 5, 6)), (None, None, None)], TEXT_SCHEMA) \
        .coalesce(1).write.options(sep="\x01", nullValue="\\N").csv(out)
    name = unique("text_in")
    conn.execute(f"CREATE EXTERNAL TABLE default.{name} ({TEXT_SCHEMA}) STORED AS TEXTFILE LOCATION '{out}'")
    try:
        rows = conn.execute(f"SELECT i, s, day FROM default.{name} ORDER BY i NULLS LAST").fetchall()
        assert rows == [(1, "uno", dt.date(2024, 5, 6)), (None, None, None)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_columns_are_inferred_from_a_directory_spark_wrote(conn, spark, tmp_path):
    # Spark leaves _SUCCESS and .crc files beside its data files; they are not read as data.
    out = str(tmp_path / "inferred")
    spark.createDataFrame([(1, "a"), (2, "b")], "id INT, s STRING").coalesce(1).write.parquet(out)
    assert any(n.startswith("_SUCCESS") for n in os.listdir(out)) and any(n.endswith(".crc") for n in os.listdir(out))
    name = unique("inferred")
    conn.execute(f"CREATE TABLE default.{name} USING parquet LOCATION '{out}'")
    try:
        assert conn.execute(f"SELECT id, s FROM default.{name} ORDER BY id").fetchall() == [(1, "a"), (2, "b")]
    finally:
        conn.execute(f"DROP TABLE default.{name}")
    assert conn.execute(f"SELECT count(*) FROM parquet.`{out}`").fetchone() == (2,)


def test_spark_parquet_timestamps_are_instants_in_the_session_zone(hive_cursor, spark, tmp_path):
    """Spark stores Parquet timestamps as UTC instants; a hivewire session shows them in its own
    spark.sql.session.timeZone, as Spark does, and what it writes Spark reads as the same instant."""
    out = str(tmp_path / "instants")
    spark.sql("SELECT 1 AS id, TIMESTAMP '2024-01-15 17:30:00' AS ts").coalesce(1).write.parquet(out)
    name = unique("instants")
    cur = hive_cursor
    cur.execute(f"CREATE TABLE default.{name} (id INT, ts TIMESTAMP) USING parquet LOCATION '{out}'")
    try:
        cur.execute("SET spark.sql.session.timeZone=America/Los_Angeles")
        cur.execute(f"SELECT CAST(ts AS STRING), hour(ts) FROM default.{name}")
        assert cur.fetchall() == [("2024-01-15 09:30:00", 9)]
        cur.execute(f"INSERT INTO default.{name} VALUES (2, TIMESTAMP '2024-07-04 23:15:00')")
        cur.execute("SET spark.sql.session.timeZone=UTC")
        cur.execute(f"SELECT id, CAST(ts AS STRING) FROM default.{name} ORDER BY id")
        assert cur.fetchall() == [(1, "2024-01-15 17:30:00"), (2, "2024-07-05 06:15:00")]
        back = sorted(spark.read.parquet(out).collect())
        assert [r.ts for r in back] == [dt.datetime(2024, 1, 15, 17, 30), dt.datetime(2024, 7, 5, 6, 15)]
    finally:
        cur.execute("SET spark.sql.session.timeZone=UTC")
        cur.execute(f"DROP TABLE default.{name}")
