"""SQLAlchemy 2 (psycopg 3 driver) and pandas against hivewire."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from conftest import unique


@pytest.fixture
def engine(server):
    eng = sa.create_engine(server.sqlalchemy_url(), pool_pre_ping=True)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def table_in_default(conn):
    """A Parquet table in Hive database `default`, with two rows."""
    name = unique("sa")
    conn.execute(
        f"CREATE TABLE default.{name} (id INT, label STRING, price DECIMAL(8,2), ok BOOLEAN) "
        "STORED AS PARQUET"
    )
    conn.execute(
        f"INSERT INTO default.{name} VALUES (1, 'apple', 1.25, true), (2, 'pear', 0.75, false)"
    )
    try:
        yield name
    finally:
        conn.execute(f"DROP TABLE default.{name}")


def test_connect_and_select_one(engine):
    with engine.connect() as c:
        assert c.execute(sa.select(1)).scalar_one() == 1
        assert c.execute(sa.select(sa.literal("héllo"))).scalar_one() == "héllo"
    # The dialect parsed the server version from version().
    assert engine.dialect.server_version_info >= (9, 0)


def test_text_query_with_bound_params(engine):
    with engine.connect() as c:
        row = c.execute(
            sa.text("SELECT CAST(:a AS INT) * 2 AS doubled, CAST(:b AS STRING) AS s"),
            {"a": 21, "b": "x"},
        ).one()
    assert row.doubled == 42 and row.s == "x"


def test_schema_names(engine):
    schemas = sa.inspect(engine).get_schema_names()
    assert "default" in schemas
    assert not any(s.startswith("pg_") for s in schemas)


def test_table_names_and_has_table(engine, table_in_default):
    insp = sa.inspect(engine)
    assert table_in_default in insp.get_table_names(schema="default")
    assert insp.has_table(table_in_default, schema="default")
    assert not insp.has_table(unique("nope"), schema="default")


def test_get_columns(engine, table_in_default):
    cols = sa.inspect(engine).get_columns(table_in_default, schema="default")
    assert [c["name"] for c in cols] == ["id", "label", "price", "ok"]
    types = {c["name"]: c["type"] for c in cols}
    assert isinstance(types["id"], sa.Integer)
    assert isinstance(types["label"], sa.String)
    assert isinstance(types["price"], sa.Numeric)
    assert isinstance(types["ok"], sa.Boolean)


def test_reflected_table_core_select(engine, table_in_default):
    md = sa.MetaData()
    t = sa.Table(table_in_default, md, schema="default", autoload_with=engine)
    with engine.connect() as c:
        rows = c.execute(
            sa.select(t.c.id, t.c.label, t.c.price).where(t.c.ok.is_(True)).order_by(t.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [(1, "apple", Decimal("1.25"))]


def test_core_select_with_params(engine, table_in_default):
    t = sa.table(table_in_default, sa.column("id"), sa.column("label"), schema="default")
    with engine.connect() as c:
        label = c.execute(sa.select(t.c.label).where(t.c.id == 2)).scalar_one()
    assert label == "pear"


def test_pandas_read_sql(engine, table_in_default):
    with engine.connect() as c:
        df = pd.read_sql(
            sa.text(f"SELECT id, label, price FROM default.{table_in_default} ORDER BY id"), c
        )
    assert list(df.columns) == ["id", "label", "price"]
    assert df["id"].tolist() == [1, 2]
    assert df["label"].tolist() == ["apple", "pear"]
    assert [Decimal(str(p)) for p in df["price"]] == [Decimal("1.25"), Decimal("0.75")]


def test_pandas_read_sql_generated(engine):
    with engine.connect() as c:
        df = pd.read_sql(
            sa.text("SELECT value AS n, value * value AS sq FROM generate_series(1, 1000) ORDER BY n"),
            c,
        )
    assert len(df) == 1000
    assert int(df["sq"].sum()) == sum(i * i for i in range(1, 1001))
