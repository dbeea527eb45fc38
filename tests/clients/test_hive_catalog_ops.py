"""Catalog operations through the PostgreSQL listener, as Spark SQL / Hive define them: ALTER TABLE
(RENAME, ADD / REPLACE / CHANGE COLUMNS, SET / UNSET TBLPROPERTIES, SET LOCATION, SET
SERDEPROPERTIES), ALTER VIEW RENAME, Parquet compression, Hive text and JSON tables, DESCRIBE
EXTENDED / FORMATTED / column / DATABASE, SHOW CREATE TABLE (re-executed), SHOW COLUMNS / FUNCTIONS /
CURRENT NAMESPACE / TBLPROPERTIES, ANALYZE TABLE, nested column types, and concurrent DDL.

Besides the answers, tests look at the files the server leaves on disk (managed tables live at
``<data_dir>/warehouse/<table>/`` for database ``default`` and ``<data_dir>/warehouse/<db>.db/<table>/``
otherwise).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import unique
from test_hive_ddl import (  # noqa: F401  (cleanup is a fixture)
    PARTITIONED_DDL,
    cleanup,
    data_files,
    describe_rows,
    file_values,
    rows,
    show_partitions,
    table_dir,
    table_names,
    write_vs,
)

SNAPPY_FILE_RE = re.compile(r"^part-\d{5}-[0-9A-Za-z-]+\.snappy\.parquet$")
ZSTD_FILE_RE = re.compile(r"^part-\d{5}-[0-9A-Za-z-]+\.zstd\.parquet$")

DETAIL_KEYS = [
    "Catalog",
    "Database",
    "Table",
    "Created Time",
    "Last Access",
    "Created By",
    "Type",
    "Provider",
    "Comment",
    "Table Properties",
    "Location",
    "Serde Library",
    "InputFormat",
    "OutputFormat",
]


# ------------------------------------------------------------------- helpers
def columns_of(cur) -> list[str]:
    return [d.name for d in cur.description]


def assert_usable(conn) -> None:
    assert conn.execute("SELECT 40 + 2").fetchone() == (42,)


def error_text(exc: BaseException) -> str:
    return str(exc).lower()


def tblproperties(conn, table: str) -> dict[str, str]:
    cur = conn.execute(f"SHOW TBLPROPERTIES {table}")
    assert columns_of(cur) == ["key", "value"]
    return {k: v for k, v in cur.fetchall()}


def tblproperty(conn, table: str, key: str) -> str:
    cur = conn.execute(f"SHOW TBLPROPERTIES {table} ('{key}')")
    assert columns_of(cur) == ["value"]
    got = cur.fetchall()
    assert len(got) == 1, got
    return got[0][0]


def describe_extended(conn, table: str, keyword: str = "EXTENDED") -> tuple[list[tuple], dict[str, str], list[str]]:
    """(column rows, detail map, detail keys in order) of DESCRIBE EXTENDED|FORMATTED."""
    cur = conn.execute(f"DESCRIBE {keyword} {table}")
    assert columns_of(cur) == ["col_name", "data_type", "comment"]
    all_rows = [tuple(r) for r in cur.fetchall()]
    assert ("", "", "") in all_rows, all_rows
    i = all_rows.index(("", "", ""))
    assert all_rows[i + 1] == ("# Detailed Table Information", "", ""), all_rows
    details = all_rows[i + 2 :]
    keys = [r[0] for r in details]
    return all_rows[:i], {r[0]: r[1] for r in details}, keys


def assert_in_order(keys: list[str], wanted: list[str]) -> None:
    """``wanted`` all appear in ``keys``, in that order."""
    missing = [k for k in wanted if k not in keys]
    assert not missing, f"missing detail rows {missing} in {keys}"
    positions = [keys.index(k) for k in wanted]
    assert positions == sorted(positions), f"detail rows out of order: {keys}"


def location_path(location: str) -> Path:
    assert location.startswith("file://"), location
    return Path(location[len("file://") :])


def same_dir(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def text_lines(directory: Path) -> list[bytes]:
    """Every line of every visible data file under ``directory``."""
    out = []
    for f in data_files(directory):
        out.extend(f.read_bytes().splitlines())
    return out


def show_create(conn, table: str) -> str:
    cur = conn.execute(f"SHOW CREATE TABLE {table}")
    assert columns_of(cur) == ["createtab_stmt"]
    got = cur.fetchall()
    assert len(got) == 1, got
    return got[0][0]


# ======================================================================= RENAME
def test_rename_managed_table_moves_directory_and_rows(conn, cleanup, data_dir):
    """RENAME TO moves the managed directory <warehouse>/t/ to <warehouse>/u/ with the same files."""
    old, new = unique("ren_src"), unique("ren_dst")
    cleanup += [("TABLE", f"default.{old}"), ("TABLE", f"default.{new}")]
    conn.execute(f"CREATE TABLE default.{old} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO default.{old} VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"INSERT INTO default.{old} VALUES (3, 'c')")
    old_dir, new_dir = table_dir(data_dir, "default", old), table_dir(data_dir, "default", new)
    before = sorted(f.relative_to(old_dir) for f in data_files(old_dir))
    assert len(before) == 2

    conn.execute(f"ALTER TABLE default.{old} RENAME TO {new}")
    assert rows(conn, f"SELECT v, s FROM default.{new} ORDER BY v") == [(1, "a"), (2, "b"), (3, "c")]
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT * FROM default.{old}")
    names = table_names(conn)
    assert new in names and old not in names
    assert not old_dir.exists(), f"{old_dir} is still there after the rename"
    assert sorted(f.relative_to(new_dir) for f in data_files(new_dir)) == before
    assert sorted(v for f in data_files(new_dir) for v in file_values(f, "v")) == [1, 2, 3]

    # DESCRIBE EXTENDED points at the new directory, and new rows are written there.
    _, details, _ = describe_extended(conn, f"default.{new}")
    assert details["Table"] == new
    assert same_dir(location_path(details["Location"]), new_dir)
    conn.execute(f"INSERT INTO default.{new} VALUES (4, 'd')")
    assert rows(conn, f"SELECT count(*) FROM default.{new}") == [(4,)]
    assert len(data_files(new_dir)) == 3
    assert not old_dir.exists()
    # The old name is free again.
    conn.execute(f"CREATE TABLE default.{old} (x INT) STORED AS PARQUET")
    assert rows(conn, f"SELECT count(*) FROM default.{old}") == [(0,)]


def test_rename_managed_table_in_other_database(conn, cleanup, data_dir):
    """In database db the directory <warehouse>/db.db/t/ becomes <warehouse>/db.db/u/."""
    db = unique("hwren")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db}")
    conn.execute(f"CREATE TABLE {db}.t1 (v INT) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {db}.t1 VALUES (10), (20)")
    conn.execute(f"ALTER TABLE {db}.t1 RENAME TO {db}.t2")
    assert rows(conn, f"SELECT v FROM {db}.t2 ORDER BY v") == [(10,), (20,)]
    assert table_names(conn, db) == ["t2"]
    assert not table_dir(data_dir, db, "t1").exists()
    files = data_files(table_dir(data_dir, db, "t2"))
    assert sorted(v for f in files for v in file_values(f, "v")) == [10, 20]
    # An unqualified new name stays in the table's database.
    conn.execute(f"ALTER TABLE {db}.t2 RENAME TO t3")
    assert table_names(conn, db) == ["t3"]
    assert rows(conn, f"SELECT sum(v) FROM {db}.t3") == [(30,)]
    assert data_files(table_dir(data_dir, db, "t3"))
    assert not table_dir(data_dir, db, "t2").exists()


def test_rename_partitioned_managed_table_keeps_partitions(conn, cleanup, data_dir):
    """After RENAME TO, SHOW PARTITIONS, partition filters, inserts and DROP PARTITION all work."""
    old, new = unique("ren_pt"), unique("ren_pt2")
    cleanup += [("TABLE", f"default.{old}"), ("TABLE", f"default.{new}")]
    conn.execute(f"CREATE TABLE default.{old} {PARTITIONED_DDL}")
    conn.execute(f"INSERT INTO default.{old} PARTITION (dt='2024-01-01', h=1) VALUES (1, 'a')")
    conn.execute(f"INSERT INTO default.{old} PARTITION (dt='2024-01-01', h=2) VALUES (2, 'b')")
    conn.execute(f"INSERT INTO default.{old} PARTITION (dt='2024-01-02', h=1) VALUES (3, 'c')")
    conn.execute(f"ALTER TABLE default.{old} RENAME TO default.{new}")
    t = f"default.{new}"
    new_dir = table_dir(data_dir, "default", new)
    assert not table_dir(data_dir, "default", old).exists()
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=1", "dt=2024-01-01/h=2", "dt=2024-01-02/h=1"]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "a", "2024-01-01", 1),
        (2, "b", "2024-01-01", 2),
        (3, "c", "2024-01-02", 1),
    ]
    assert rows(conn, f"SELECT v FROM {t} WHERE dt = '2024-01-01' AND h = 2") == [(2,)]
    assert rows(conn, f"SELECT v FROM {t} WHERE h = 1 ORDER BY v") == [(1,), (3,)]
    assert [v for f in data_files(new_dir / "dt=2024-01-01" / "h=2") for v in file_values(f, "v")] == [2]

    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-03', h=5) VALUES (4, 'd')")
    assert data_files(new_dir / "dt=2024-01-03" / "h=5")
    conn.execute(f"ALTER TABLE {t} DROP PARTITION (dt='2024-01-01', h=1)")
    assert not (new_dir / "dt=2024-01-01" / "h=1").exists()
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=2", "dt=2024-01-02/h=1", "dt=2024-01-03/h=5"]
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(2,), (3,), (4,)]


def test_rename_onto_existing_name_is_an_error(conn, cleanup, data_dir):
    """RENAME TO an existing table fails; both tables and their directories are untouched."""
    a, b = unique("ren_a"), unique("ren_b")
    cleanup += [("TABLE", f"default.{a}"), ("TABLE", f"default.{b}")]
    conn.execute(f"CREATE TABLE default.{a} (v INT) STORED AS PARQUET")
    conn.execute(f"CREATE TABLE default.{b} (v INT) STORED AS PARQUET")
    conn.execute(f"INSERT INTO default.{a} VALUES (1)")
    conn.execute(f"INSERT INTO default.{b} VALUES (2), (3)")
    a_files = data_files(table_dir(data_dir, "default", a))
    b_files = data_files(table_dir(data_dir, "default", b))
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE default.{a} RENAME TO {b}")
    assert "exist" in error_text(ei.value)
    assert rows(conn, f"SELECT v FROM default.{a}") == [(1,)]
    assert rows(conn, f"SELECT v FROM default.{b} ORDER BY v") == [(2,), (3,)]
    assert data_files(table_dir(data_dir, "default", a)) == a_files
    assert data_files(table_dir(data_dir, "default", b)) == b_files
    assert_usable(conn)


def test_rename_external_table_leaves_files_in_place(conn, cleanup, files_dir):
    """An EXTERNAL table keeps its LOCATION when renamed; its rows follow the new name."""
    old, new = unique("ren_ext"), unique("ren_ext2")
    cleanup += [("TABLE", f"default.{old}"), ("TABLE", f"default.{new}")]
    loc = files_dir / "ext"
    write_vs(loc / "data.parquet", [(1, "x"), (2, "y")])
    conn.execute(f"CREATE EXTERNAL TABLE default.{old} (v INT, s STRING) STORED AS PARQUET LOCATION '{loc}'")
    conn.execute(f"ALTER TABLE default.{old} RENAME TO {new}")
    assert rows(conn, f"SELECT v, s FROM default.{new} ORDER BY v") == [(1, "x"), (2, "y")]
    assert (loc / "data.parquet").exists()
    _, details, _ = describe_extended(conn, f"default.{new}")
    assert details["Type"] == "EXTERNAL"
    assert same_dir(location_path(details["Location"]), loc)


def test_alter_view_rename(conn, cleanup):
    """ALTER VIEW v RENAME TO w: w answers like v did, v is gone."""
    base = f"default.{unique('vr_base')}"
    v, w = unique("vr_v"), unique("vr_w")
    cleanup += [("VIEW", f"default.{v}"), ("VIEW", f"default.{w}"), ("TABLE", base)]
    conn.execute(f"CREATE TABLE {base} (id INT, name STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {base} VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')")
    conn.execute(f"CREATE VIEW default.{v} AS SELECT id, upper(name) AS uname FROM {base} WHERE id > 1")
    conn.execute(f"ALTER VIEW default.{v} RENAME TO {w}")
    cur = conn.execute(f"SELECT * FROM default.{w} ORDER BY id")
    assert columns_of(cur) == ["id", "uname"]
    assert [tuple(r) for r in cur.fetchall()] == [(2, "BOB"), (3, "CY")]
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT * FROM default.{v}")
    views = [r[1] for r in conn.execute("SHOW VIEWS IN default").fetchall()]
    assert w in views and v not in views
    _, details, _ = describe_extended(conn, f"default.{w}")
    assert details["Type"] == "VIEW" and details["Table"] == w


# ================================================================== ADD COLUMNS
def test_add_columns_old_rows_read_null(conn, cleanup, data_dir):
    """ADD COLUMNS appends x (with its comment) to DESCRIBE; old rows read NULL; inserts fill it."""
    name = unique("addcol")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'one'), (2, 'two')")
    old_files = data_files(table_dir(data_dir, "default", name))

    conn.execute(f"ALTER TABLE {t} ADD COLUMNS (x INT COMMENT 'c', y STRING)")
    assert describe_rows(conn, t) == [
        ("a", "int", None),
        ("b", "string", None),
        ("x", "int", "c"),
        ("y", "string", None),
    ]
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY a")
    assert columns_of(cur) == ["a", "b", "x", "y"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "one", None, None), (2, "two", None, None)]
    # The old files were not rewritten.
    assert data_files(table_dir(data_dir, "default", name)) == old_files

    conn.execute(f"INSERT INTO {t} VALUES (3, 'three', 33, 'new')")
    assert rows(conn, f"SELECT a, b, x, y FROM {t} ORDER BY a") == [
        (1, "one", None, None),
        (2, "two", None, None),
        (3, "three", 33, "new"),
    ]
    assert rows(conn, f"SELECT a FROM {t} WHERE x IS NULL ORDER BY a") == [(1,), (2,)]
    assert rows(conn, f"SELECT sum(x) FROM {t}") == [(33,)]


def test_add_columns_to_partitioned_table_goes_before_partition_columns(conn, cleanup):
    """On a partitioned table the new column comes after the data columns, before dt and h."""
    t = f"default.{unique('addcol_pt')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='d1', h=1) VALUES (1, 'a')")
    conn.execute(f"ALTER TABLE {t} ADD COLUMNS (x INT COMMENT 'c')")
    assert describe_rows(conn, t) == [
        ("v", "int", None),
        ("s", "string", None),
        ("x", "int", "c"),
        ("dt", "string", None),
        ("h", "int", None),
        ("# Partition Information", "", ""),
        ("# col_name", "data_type", "comment"),
        ("dt", "string", None),
        ("h", "int", None),
    ]
    conn.execute(f"INSERT INTO {t} PARTITION (dt='d2', h=2) VALUES (2, 'b', 22)")
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY v")
    assert columns_of(cur) == ["v", "s", "x", "dt", "h"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "a", None, "d1", 1), (2, "b", 22, "d2", 2)]
    assert rows(conn, f"SELECT x FROM {t} WHERE dt = 'd2'") == [(22,)]


def test_add_existing_column_is_an_error(conn, cleanup):
    """ADD COLUMNS with a data or partition column's name fails and leaves the table as it was."""
    t = f"default.{unique('addcol_dup')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
    before = describe_rows(conn, t)
    for col in ("v", "dt"):
        with pytest.raises(psycopg.Error) as ei:
            conn.execute(f"ALTER TABLE {t} ADD COLUMNS ({col} INT)")
        assert col in str(ei.value)
    # Nothing of a failed list is added, even the columns before the bad one.
    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} ADD COLUMNS (fresh INT, s STRING)")
    assert describe_rows(conn, t) == before
    assert_usable(conn)


def test_add_columns_with_bad_type_names_the_type(conn, cleanup):
    """A bad type in ADD COLUMNS is an error naming it; the table is unchanged."""
    t = f"default.{unique('addcol_bad')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE {t} ADD COLUMNS (z NOSUCHTYPE)")
    assert "nosuchtype" in error_text(ei.value)
    assert describe_rows(conn, t) == [("a", "int", None)]
    assert_usable(conn)


# ============================================================== REPLACE COLUMNS
def test_replace_columns(conn, cleanup):
    """REPLACE COLUMNS keeps the listed columns only; the rows of the kept ones are still read."""
    t = f"default.{unique('repcol')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING, c DOUBLE) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x', 1.5), (2, 'y', 2.5)")
    conn.execute(f"ALTER TABLE {t} REPLACE COLUMNS (a INT COMMENT 'key', b STRING)")
    assert describe_rows(conn, t) == [("a", "int", "key"), ("b", "string", None)]
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY a")
    assert columns_of(cur) == ["a", "b"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "x"), (2, "y")]
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT c FROM {t}")
    conn.execute(f"INSERT INTO {t} VALUES (3, 'z')")
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(1, "x"), (2, "y"), (3, "z")]


def test_replace_columns_on_partitioned_table_keeps_partition_columns(conn, cleanup):
    """The partition columns are not part of REPLACE COLUMNS and stay."""
    t = f"default.{unique('repcol_pt')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='d', h=1) VALUES (7, 'seven')")
    conn.execute(f"ALTER TABLE {t} REPLACE COLUMNS (v INT)")
    assert [r[0] for r in conn.execute(f"SHOW COLUMNS IN {t}").fetchall()] == ["v", "dt", "h"]
    cur = conn.execute(f"SELECT * FROM {t}")
    assert columns_of(cur) == ["v", "dt", "h"]
    assert [tuple(r) for r in cur.fetchall()] == [(7, "d", 1)]
    # A partition column cannot be listed among the data columns.
    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} REPLACE COLUMNS (v INT, dt STRING)")
    assert [r[0] for r in conn.execute(f"SHOW COLUMNS IN {t}").fetchall()] == ["v", "dt", "h"]


# =============================================================== CHANGE COLUMN
def test_change_column_comment_and_name(conn, cleanup):
    """CHANGE COLUMN a a INT COMMENT '...' changes the comment (data kept); renaming shows in DESCRIBE."""
    t = f"default.{unique('chcol')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x'), (2, 'y')")

    conn.execute(f"ALTER TABLE {t} CHANGE COLUMN a a INT COMMENT 'the key'")
    assert describe_rows(conn, t) == [("a", "int", "the key"), ("b", "string", None)]
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(1, "x"), (2, "y")]

    conn.execute(f"ALTER TABLE {t} CHANGE b label STRING COMMENT 'renamed'")
    assert describe_rows(conn, t) == [("a", "int", "the key"), ("label", "string", "renamed")]
    assert [r[0] for r in conn.execute(f"SHOW COLUMNS IN {t}").fetchall()] == ["a", "label"]
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY a")
    assert columns_of(cur) == ["a", "label"]
    assert len(cur.fetchall()) == 2
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT b FROM {t}")
    conn.execute(f"INSERT INTO {t} VALUES (3, 'z')")
    assert rows(conn, f"SELECT label FROM {t} WHERE a = 3") == [("z",)]


def test_change_column_errors(conn, cleanup):
    """CHANGE of a partition column or of an unknown column fails; renaming onto another column fails."""
    t = f"default.{unique('chcol_err')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
    before = describe_rows(conn, t)
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE {t} CHANGE COLUMN dt dt2 STRING")
    assert "dt" in str(ei.value) and "partition" in error_text(ei.value)
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE {t} CHANGE COLUMN nosuchcol x INT")
    assert "nosuchcol" in str(ei.value)
    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} CHANGE COLUMN v s INT")
    assert describe_rows(conn, t) == before
    assert_usable(conn)


# ============================================================== TBLPROPERTIES
def test_set_unset_and_show_tblproperties(conn, cleanup):
    """SET / UNSET TBLPROPERTIES and SHOW TBLPROPERTIES [('k')], with a missing key's message."""
    name = unique("props")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    assert tblproperties(conn, t) == {}

    conn.execute(f"ALTER TABLE {t} SET TBLPROPERTIES ('owner.team'='data', 'retention'='30')")
    assert tblproperties(conn, t) == {"owner.team": "data", "retention": "30"}
    assert tblproperty(conn, t, "retention") == "30"
    missing = tblproperty(conn, t, "nope")
    assert "nope" in missing and "does not have" in missing, missing
    assert name in missing

    # Setting again overwrites the value.
    conn.execute(f"ALTER TABLE {t} SET TBLPROPERTIES ('retention'='60')")
    assert tblproperty(conn, t, "retention") == "60"

    conn.execute(f"ALTER TABLE {t} UNSET TBLPROPERTIES ('retention')")
    assert tblproperties(conn, t) == {"owner.team": "data"}
    assert "does not have" in tblproperty(conn, t, "retention")

    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE {t} UNSET TBLPROPERTIES ('retention')")
    assert "retention" in str(ei.value)
    conn.execute(f"ALTER TABLE {t} UNSET TBLPROPERTIES IF EXISTS ('retention', 'owner.team')")
    assert tblproperties(conn, t) == {}
    # The table still works.
    conn.execute(f"INSERT INTO {t} VALUES (1)")
    assert rows(conn, f"SELECT a FROM {t}") == [(1,)]


def test_internal_properties_are_hidden(conn, cleanup):
    """A USING parquet table's provider property (spark.sql.sources.*) and hivewire.* keys are not shown."""
    t = f"default.{unique('props_int')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) USING parquet TBLPROPERTIES ('k'='v')")
    props = tblproperties(conn, t)
    assert props == {"k": "v"}
    assert not any(k.startswith(("hivewire.", "spark.sql.sources.")) for k in props)
    _, details, _ = describe_extended(conn, t)
    assert details["Provider"] == "parquet"
    assert details["Table Properties"] == "[k=v]"
    assert "spark.sql.sources" not in show_create(conn, t)


def test_set_tblproperties_on_view(conn, cleanup):
    """SET TBLPROPERTIES works on views too (ALTER VIEW ... SET TBLPROPERTIES)."""
    base = f"default.{unique('vp_base')}"
    v = f"default.{unique('vp_view')}"
    cleanup += [("VIEW", v), ("TABLE", base)]
    conn.execute(f"CREATE TABLE {base} (a INT) STORED AS PARQUET")
    conn.execute(f"CREATE VIEW {v} AS SELECT a FROM {base}")
    conn.execute(f"ALTER VIEW {v} SET TBLPROPERTIES ('purpose'='report')")
    assert tblproperties(conn, v) == {"purpose": "report"}


# ================================================================ compression
def test_default_parquet_compression_is_snappy(conn, cleanup, data_dir):
    name = unique("snappy")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x'), (2, 'y')")
    files = data_files(table_dir(data_dir, "default", name))
    assert files and all(SNAPPY_FILE_RE.match(f.name) for f in files), files
    for f in files:
        md = pq.ParquetFile(f).metadata
        for rg in range(md.num_row_groups):
            for c in range(md.num_columns):
                assert md.row_group(rg).column(c).compression == "SNAPPY"


def test_zstd_compression_from_create_tblproperties(conn, cleanup, data_dir):
    """TBLPROPERTIES ('parquet.compression'='zstd'): part-*.zstd.parquet files, ZSTD column chunks."""
    name = unique("zstd")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(
        f"CREATE TABLE {t} (a INT, b STRING) STORED AS PARQUET TBLPROPERTIES ('parquet.compression'='zstd')"
    )
    conn.execute(f"INSERT INTO {t} SELECT CAST(value AS INT), concat('row', CAST(value AS STRING)) FROM generate_series(1, 1000)")
    assert rows(conn, f"SELECT count(*), sum(a) FROM {t}") == [(1000, 500500)]
    files = data_files(table_dir(data_dir, "default", name))
    assert files and all(ZSTD_FILE_RE.match(f.name) for f in files), files
    seen = 0
    for f in files:
        md = pq.ParquetFile(f).metadata
        for rg in range(md.num_row_groups):
            for c in range(md.num_columns):
                assert md.row_group(rg).column(c).compression == "ZSTD"
                seen += 1
    assert seen >= 2
    assert sorted(v for f in files for v in file_values(f, "a")) == list(range(1, 1001))
    assert tblproperty(conn, t, "parquet.compression") == "zstd"


def test_set_compression_later_applies_to_new_files(conn, cleanup, data_dir):
    """SET TBLPROPERTIES ('parquet.compression'='zstd') on a snappy table: later writes are zstd."""
    name = unique("tozstd")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1)")
    tdir = table_dir(data_dir, "default", name)
    first = data_files(tdir)
    assert len(first) == 1 and SNAPPY_FILE_RE.match(first[0].name)
    conn.execute(f"ALTER TABLE {t} SET TBLPROPERTIES ('parquet.compression'='zstd')")
    conn.execute(f"INSERT INTO {t} VALUES (2)")
    new = [f for f in data_files(tdir) if f not in first]
    assert len(new) == 1 and ZSTD_FILE_RE.match(new[0].name), new
    assert pq.ParquetFile(new[0]).metadata.row_group(0).column(0).compression == "ZSTD"
    assert rows(conn, f"SELECT a FROM {t} ORDER BY a") == [(1,), (2,)]


def test_unknown_codec_in_set_tblproperties_is_an_error(conn, cleanup, data_dir):
    name = unique("badcodec")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"ALTER TABLE {t} SET TBLPROPERTIES ('parquet.compression'='bogus')")
    assert "bogus" in str(ei.value)
    assert tblproperties(conn, t) == {}
    conn.execute(f"INSERT INTO {t} VALUES (5)")
    files = data_files(table_dir(data_dir, "default", name))
    assert len(files) == 1 and SNAPPY_FILE_RE.match(files[0].name)
    assert rows(conn, f"SELECT a FROM {t}") == [(5,)]


# =============================================================== SET LOCATION
def test_set_location_reads_the_new_directory(conn, cleanup, data_dir, files_dir):
    """SET LOCATION '/dir': the table reads the Parquet files in /dir, and new rows go there."""
    name = unique("setloc")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'old')")
    old_files = data_files(table_dir(data_dir, "default", name))
    newloc = files_dir / "newloc"
    write_vs(newloc / "by_pyarrow.parquet", [(10, "p"), (20, None)])

    conn.execute(f"ALTER TABLE {t} SET LOCATION '{newloc}'")
    assert rows(conn, f"SELECT v, s FROM {t} ORDER BY v") == [(10, "p"), (20, None)]
    _, details, _ = describe_extended(conn, t)
    assert same_dir(location_path(details["Location"]), newloc)
    # The old files are not moved (nor read).
    assert data_files(table_dir(data_dir, "default", name)) == old_files

    conn.execute(f"INSERT INTO {t} VALUES (30, 'q')")
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(10,), (20,), (30,)]
    assert sorted(v for f in data_files(newloc) for v in file_values(f, "v")) == [10, 20, 30]
    assert data_files(table_dir(data_dir, "default", name)) == old_files


# =========================================================== SERDEPROPERTIES
def test_set_serdeproperties_field_delim_on_text_table(conn, cleanup, files_dir):
    """field.delim '|' on a ',' text table: reads split on '|', inserts write '|' lines."""
    t = f"default.{unique('serde')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "txt"
    conn.execute(
        f"CREATE TABLE {t} (a INT, b STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
        f"STORED AS TEXTFILE LOCATION '{loc}'"
    )
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x')")
    assert text_lines(loc) == [b"1,x"]
    assert rows(conn, f"SELECT a, b FROM {t}") == [(1, "x")]

    # Replace the data with a '|' separated file, as another tool would write it.
    for f in data_files(loc):
        f.unlink()
    (loc / "piped.txt").write_bytes(b"2|y,with comma\n3|z\n")
    conn.execute(f"ALTER TABLE {t} SET SERDEPROPERTIES ('field.delim'='|')")
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(2, "y,with comma"), (3, "z")]

    conn.execute(f"INSERT INTO {t} VALUES (4, 'w')")
    written = [f for f in data_files(loc) if f.name != "piped.txt"]
    assert len(written) == 1, written
    assert written[0].read_bytes().splitlines() == [b"4|w"]
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(2, "y,with comma"), (3, "z"), (4, "w")]


def test_set_serdeproperties_on_parquet_table_is_an_error(conn, cleanup):
    t = f"default.{unique('serde_pq')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} SET SERDEPROPERTIES ('field.delim'='|')")
    conn.execute(f"INSERT INTO {t} VALUES (1)")
    assert rows(conn, f"SELECT a FROM {t}") == [(1,)]


# ========================================================= Hive text defaults
def test_textfile_defaults_write_ctrl_a_and_backslash_n(conn, cleanup, data_dir):
    """STORED AS TEXTFILE without ROW FORMAT: fields separated by \\001, NULL written as \\N."""
    name = unique("hivetext")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS TEXTFILE")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x y'), (2, NULL), (NULL, 'z')")
    lines = sorted(text_lines(table_dir(data_dir, "default", name)))
    assert lines == sorted([b"1\x01x y", b"2\x01\\N", b"\\N\x01z"]), lines
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY b NULLS FIRST") == [(2, None), (1, "x y"), (None, "z")]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE b IS NULL") == [(1,)]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE a IS NULL") == [(1,)]


def test_textfile_defaults_read_hand_written_file(conn, cleanup, data_dir):
    """A \\001-separated file with \\N for NULL, written by hand, reads back with NULLs."""
    name = unique("hivetext_r")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS TEXTFILE")
    tdir = table_dir(data_dir, "default", name)
    tdir.mkdir(parents=True, exist_ok=True)
    (tdir / "by_hand.txt").write_bytes(b"10\x01ten\n\\N\x01none\n30\x01\\N\n")
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY b NULLS LAST") == [(None, "none"), (10, "ten"), (30, None)]
    assert rows(conn, f"SELECT count(a), count(b), count(*) FROM {t}") == [(2, 2, 3)]


# ================================================================ JSON tables
def test_jsonfile_table_insert_and_read(conn, cleanup, data_dir):
    """STORED AS JSONFILE: inserted rows read back; the file holds one JSON object per line."""
    name = unique("jsonf")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS JSONFILE")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'one'), (2, 'two'), (3, NULL)")
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(1, "one"), (2, "two"), (3, None)]
    files = data_files(table_dir(data_dir, "default", name))
    assert files
    objs = []
    for f in files:
        for line in f.read_bytes().splitlines():
            assert line.strip(), f"blank line in {f}"
            obj = json.loads(line)
            assert isinstance(obj, dict), line
            objs.append(obj)
    assert sorted((o["a"], o.get("b")) for o in objs) == [(1, "one"), (2, "two"), (3, None)]
    _, details, _ = describe_extended(conn, t)
    assert details["Provider"] == "hive"


def test_using_json_with_inferred_schema(conn, cleanup, files_dir):
    """CREATE TABLE j USING json LOCATION dir: columns inferred from the file; inserts append lines."""
    t = f"default.{unique('jsonu')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "json"
    loc.mkdir()
    (loc / "seed.json").write_text('{"a": 1, "b": "x"}\n{"a": 2, "b": null}\n')
    conn.execute(f"CREATE TABLE {t} USING json LOCATION '{loc}'")
    desc = describe_rows(conn, t)
    assert [r[0] for r in desc] == ["a", "b"]
    assert desc[0][1] in ("bigint", "int") and desc[1][1] == "string", desc
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(1, "x"), (2, None)]

    conn.execute(f"INSERT INTO {t} VALUES (3, 'z')")
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == [(1, "x"), (2, None), (3, "z")]
    new = [f for f in data_files(loc) if f.name != "seed.json"]
    assert len(new) == 1, new
    lines = new[0].read_bytes().splitlines()
    assert [json.loads(line) for line in lines] == [{"a": 3, "b": "z"}]
    _, details, _ = describe_extended(conn, t)
    assert details["Provider"] == "json" and details["Type"] == "EXTERNAL"


# =================================================================== DESCRIBE
@pytest.mark.parametrize("keyword", ["EXTENDED", "FORMATTED"])
def test_describe_extended_managed_parquet_table(conn, cleanup, data_dir, keyword):
    """Columns, a blank row, '# Detailed Table Information', then Spark's detail rows in order."""
    name = unique("descx")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(
        f"CREATE TABLE {t} (a INT COMMENT 'first', b STRING) COMMENT 'a described table' "
        "STORED AS PARQUET TBLPROPERTIES ('k1'='v1', 'k2'='v2')"
    )
    cols, details, keys = describe_extended(conn, t, keyword)
    assert cols == [("a", "int", "first"), ("b", "string", None)]
    assert_in_order(keys, DETAIL_KEYS)
    assert details["Catalog"] == "spark_catalog"
    assert details["Database"] == "default"
    assert details["Table"] == name
    assert details["Type"] == "MANAGED"
    assert details["Provider"] == "hive"
    assert details["Comment"] == "a described table"
    assert details["Table Properties"] == "[k1=v1, k2=v2]"
    assert details["Last Access"] == "UNKNOWN"
    assert details["Created Time"]
    assert same_dir(location_path(details["Location"]), table_dir(data_dir, "default", name))
    assert details["Serde Library"] == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert details["InputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert details["OutputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


def test_describe_extended_partitioned_using_parquet_and_external(conn, cleanup, files_dir):
    """USING parquet gives Provider parquet; a LOCATION gives Type EXTERNAL; partition section kept."""
    t = f"default.{unique('descp')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "descp"
    conn.execute(f"CREATE TABLE {t} (v INT, dt STRING) USING parquet PARTITIONED BY (dt) LOCATION '{loc}'")
    cols, details, keys = describe_extended(conn, t)
    assert cols == [
        ("v", "int", None),
        ("dt", "string", None),
        ("# Partition Information", "", ""),
        ("# col_name", "data_type", "comment"),
        ("dt", "string", None),
    ]
    assert_in_order(keys, [k for k in DETAIL_KEYS if k not in ("Comment", "Table Properties")])
    assert "Comment" not in details and "Table Properties" not in details
    assert details["Type"] == "EXTERNAL"
    assert details["Provider"] == "parquet"
    assert same_dir(location_path(details["Location"]), loc)


def test_describe_extended_text_table(conn, cleanup):
    t = f"default.{unique('desct')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE")
    _, details, keys = describe_extended(conn, t, "FORMATTED")
    assert_in_order(keys, ["Type", "Provider", "Location", "Serde Library", "InputFormat", "OutputFormat"])
    assert details["Provider"] == "hive"
    assert details["Serde Library"] == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    assert details["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"


def test_describe_extended_view(conn, cleanup):
    base = f"default.{unique('dv_base')}"
    vname = unique("dv_view")
    v = f"default.{vname}"
    cleanup += [("VIEW", v), ("TABLE", base)]
    conn.execute(f"CREATE TABLE {base} (a INT, b STRING) STORED AS PARQUET")
    view_sql = f"SELECT a, upper(b) AS ub FROM {base} WHERE a > 0"
    conn.execute(f"CREATE VIEW {v} AS {view_sql}")
    cols, details, keys = describe_extended(conn, v)
    assert cols == [("a", "int", None), ("ub", "string", None)]
    assert_in_order(keys, ["Catalog", "Database", "Table", "Created Time", "Last Access", "Created By", "Type", "View Text"])
    assert details["Type"] == "VIEW"
    assert details["Table"] == vname
    assert details["View Text"] == view_sql
    assert "Location" not in details


def test_describe_column(conn, cleanup):
    """DESCRIBE t col: (info_name, info_value) rows col_name / data_type / comment."""
    t = f"default.{unique('desccol')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT COMMENT 'the a', b DECIMAL(10,2)) PARTITIONED BY (dt STRING) STORED AS PARQUET")
    cur = conn.execute(f"DESCRIBE {t} a")
    assert columns_of(cur) == ["info_name", "info_value"]
    assert [tuple(r) for r in cur.fetchall()] == [("col_name", "a"), ("data_type", "int"), ("comment", "the a")]
    got = {k: v for k, v in conn.execute(f"DESCRIBE {t} b").fetchall()}
    assert got["col_name"] == "b" and got["data_type"] == "decimal(10,2)"
    assert got["comment"] in (None, "NULL")
    got = {k: v for k, v in conn.execute(f"DESCRIBE {t} dt").fetchall()}
    assert got["col_name"] == "dt" and got["data_type"] == "string"
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"DESCRIBE {t} nosuchcol")
    assert "nosuchcol" in str(ei.value)


@pytest.mark.parametrize("extended", [False, True], ids=["plain", "extended"])
def test_describe_database(conn, cleanup, data_dir, extended):
    db = unique("hwdescdb")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db}")
    cur = conn.execute(f"DESCRIBE DATABASE {'EXTENDED ' if extended else ''}{db}")
    assert columns_of(cur) == ["info_name", "info_value"]
    got = [tuple(r) for r in cur.fetchall()]
    names = [r[0] for r in got]
    expected = ["Catalog Name", "Namespace Name", "Comment", "Location", "Owner"]
    assert names == expected + (["Properties"] if extended else [])
    info = dict(got)
    assert info["Namespace Name"] == db
    assert info["Catalog Name"] == "spark_catalog"
    assert same_dir(location_path(info["Location"]), Path(data_dir) / "warehouse" / f"{db}.db")
    assert info["Owner"] == "hwtest"
    with pytest.raises(psycopg.Error):
        conn.execute(f"DESCRIBE DATABASE {db}_missing")


def test_create_database_with_comment_shows_in_describe(conn, cleanup):
    """Spark / Hive: CREATE DATABASE db COMMENT '...' and DESCRIBE DATABASE shows the comment."""
    db = unique("hwcommentdb")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db} COMMENT 'sales data'")
    info = dict(conn.execute(f"DESCRIBE DATABASE {db}").fetchall())
    assert info["Comment"] == "sales data"


# ========================================================= SHOW CREATE TABLE
def test_show_create_table_external_parquet_roundtrip(conn, cleanup, files_dir):
    """SHOW CREATE TABLE of an EXTERNAL STORED AS PARQUET table re-creates it after DROP."""
    t = f"default.{unique('sct_ext')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "sct_ext"
    write_vs(loc / "seed.parquet", [(1, "a"), (2, None)])
    conn.execute(
        f"CREATE EXTERNAL TABLE {t} (v INT COMMENT 'value', s STRING) STORED AS PARQUET LOCATION '{loc}'"
    )
    conn.execute(f"INSERT INTO {t} VALUES (3, 'c')")
    desc = describe_rows(conn, t)
    answer = rows(conn, f"SELECT v, s FROM {t} ORDER BY v")
    assert answer == [(1, "a"), (2, None), (3, "c")]
    stmt = show_create(conn, t)
    assert stmt.lstrip().upper().startswith("CREATE")

    conn.execute(f"DROP TABLE {t}")
    assert (loc / "seed.parquet").exists(), "DROP of an EXTERNAL table deleted its files"
    conn.execute(stmt)
    assert describe_rows(conn, t) == desc
    assert rows(conn, f"SELECT v, s FROM {t} ORDER BY v") == answer
    _, details, _ = describe_extended(conn, t)
    assert details["Type"] == "EXTERNAL" and details["Provider"] == "hive"
    assert same_dir(location_path(details["Location"]), loc)
    assert show_create(conn, t) == stmt


def test_show_create_table_partitioned_roundtrip(conn, cleanup, files_dir):
    """A partitioned STORED AS table: the statement re-creates it; MSCK REPAIR finds its partitions."""
    t = f"default.{unique('sct_part')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "sct_part"
    conn.execute(
        f"CREATE EXTERNAL TABLE {t} (v INT, s STRING) PARTITIONED BY (dt STRING, h INT) "
        f"STORED AS PARQUET LOCATION '{loc}'"
    )
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=1) VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-02', h=2) VALUES (3, 'c')")
    desc = describe_rows(conn, t)
    parts = show_partitions(conn, t)
    answer = rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v")
    stmt = show_create(conn, t)
    assert "PARTITIONED BY" in stmt.upper()

    conn.execute(f"DROP TABLE {t}")
    conn.execute(stmt)
    assert describe_rows(conn, t) == desc
    conn.execute(f"MSCK REPAIR TABLE {t}")
    assert show_partitions(conn, t) == parts
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == answer
    assert rows(conn, f"SELECT v FROM {t} WHERE dt = '2024-01-02' AND h = 2") == [(3,)]


def test_show_create_table_using_csv_with_header_roundtrip(conn, cleanup, files_dir):
    """USING csv OPTIONS (header 'true'): the re-created table still skips the header line."""
    t = f"default.{unique('sct_csv')}"
    cleanup.append(("TABLE", t))
    loc = files_dir / "sct_csv"
    loc.mkdir()
    (loc / "people.csv").write_text("id,name\n1,ann\n2,bob\n")
    conn.execute(f"CREATE TABLE {t} (id INT, name STRING) USING csv OPTIONS (header 'true') LOCATION '{loc}'")
    desc = describe_rows(conn, t)
    answer = rows(conn, f"SELECT id, name FROM {t} ORDER BY id")
    assert answer == [(1, "ann"), (2, "bob")]
    stmt = show_create(conn, t)
    assert "USING CSV" in stmt.upper() and "header" in stmt.lower()

    conn.execute(f"DROP TABLE {t}")
    assert (loc / "people.csv").exists()
    conn.execute(stmt)
    assert describe_rows(conn, t) == desc
    assert rows(conn, f"SELECT id, name FROM {t} ORDER BY id") == answer
    _, details, _ = describe_extended(conn, t)
    assert details["Provider"] == "csv"


def test_show_create_table_with_properties_and_comment_roundtrip(conn, cleanup, data_dir):
    """A managed table with COMMENT and TBLPROPERTIES: after renaming it away, the statement
    re-creates a table with the same columns, comment and properties at the same location; with the
    renamed table's files copied back it answers the same."""
    name = unique("sct_props")
    t = f"default.{name}"
    moved = f"default.{name}_moved"
    cleanup += [("TABLE", t), ("TABLE", moved)]
    conn.execute(
        f"CREATE TABLE {t} (a INT COMMENT 'key col', b STRING) COMMENT 'tbl with props' "
        "STORED AS PARQUET TBLPROPERTIES ('parquet.compression'='zstd', 'team'='analytics')"
    )
    conn.execute(f"INSERT INTO {t} VALUES (1, 'x'), (2, 'y')")
    desc = describe_rows(conn, t)
    props = tblproperties(conn, t)
    assert props == {"parquet.compression": "zstd", "team": "analytics"}
    _, details_before, _ = describe_extended(conn, t)
    answer = rows(conn, f"SELECT a, b FROM {t} ORDER BY a")
    stmt = show_create(conn, t)
    assert "tbl with props" in stmt and "team" in stmt

    conn.execute(f"ALTER TABLE {t} RENAME TO {name}_moved")
    conn.execute(stmt)
    assert describe_rows(conn, t) == desc
    assert tblproperties(conn, t) == props
    _, details, _ = describe_extended(conn, t)
    assert details["Comment"] == "tbl with props"
    assert details["Table Properties"] == details_before["Table Properties"]
    assert details["Provider"] == "hive"
    assert same_dir(location_path(details["Location"]), location_path(details_before["Location"]))

    src = table_dir(data_dir, "default", f"{name}_moved")
    dst = location_path(details["Location"])
    for f in data_files(src):
        shutil.copy2(f, dst / f.name)
    assert rows(conn, f"SELECT a, b FROM {t} ORDER BY a") == answer
    # It writes zstd files like the original.
    conn.execute(f"INSERT INTO {t} VALUES (3, 'z')")
    assert all(ZSTD_FILE_RE.match(f.name) for f in data_files(dst))


def test_show_create_view(conn, cleanup):
    base = f"default.{unique('scv_base')}"
    v = f"default.{unique('scv')}"
    cleanup += [("VIEW", v), ("TABLE", base)]
    conn.execute(f"CREATE TABLE {base} (a INT) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {base} VALUES (1), (2), (3)")
    conn.execute(f"CREATE VIEW {v} AS SELECT a * 10 AS ten_a FROM {base} WHERE a > 1")
    stmt = show_create(conn, v)
    conn.execute(f"DROP VIEW {v}")
    conn.execute(stmt)
    assert rows(conn, f"SELECT ten_a FROM {v} ORDER BY ten_a") == [(20,), (30,)]


# ======================================================================= SHOW
def test_show_columns(conn, cleanup):
    """SHOW COLUMNS IN t [IN db]: col_name, data columns then partition columns."""
    db = unique("hwcols")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db}")
    conn.execute(f"CREATE TABLE {db}.pt (v INT, s STRING) PARTITIONED BY (dt STRING, h INT) STORED AS PARQUET")
    cur = conn.execute(f"SHOW COLUMNS IN {db}.pt")
    assert columns_of(cur) == ["col_name"]
    assert [r[0] for r in cur.fetchall()] == ["v", "s", "dt", "h"]
    assert [r[0] for r in conn.execute(f"SHOW COLUMNS IN pt IN {db}").fetchall()] == ["v", "s", "dt", "h"]
    assert [r[0] for r in conn.execute(f"SHOW COLUMNS FROM pt FROM {db}").fetchall()] == ["v", "s", "dt", "h"]
    with pytest.raises(psycopg.Error):
        conn.execute(f"SHOW COLUMNS IN nosuch_table_xyz IN {db}")


def test_show_functions(conn):
    cur = conn.execute("SHOW FUNCTIONS")
    assert columns_of(cur) == ["function"]
    names = [r[0] for r in cur.fetchall()]
    for f in ("abs", "count", "concat", "sum", "upper"):
        assert f in names, f
    assert len(names) == len(set(names))

    con = [r[0] for r in conn.execute("SHOW FUNCTIONS LIKE 'con*'").fetchall()]
    assert "concat" in con
    assert all(n.startswith("con") for n in con), con
    assert "abs" not in con and "count" not in con
    assert con == sorted(n for n in names if n.startswith("con"))


def test_show_current_namespace_follows_use(server, cleanup):
    db = unique("hwns")
    cleanup.append(("DATABASE", db))
    with server.connect() as c:
        cur = c.execute("SHOW CURRENT NAMESPACE")
        assert columns_of(cur) == ["catalog", "namespace"]
        assert [tuple(r) for r in cur.fetchall()] == [("spark_catalog", "default")]
        c.execute(f"CREATE DATABASE {db}")
        c.execute(f"USE {db}")
        assert [tuple(r) for r in c.execute("SHOW CURRENT NAMESPACE").fetchall()] == [("spark_catalog", db)]
        # Unqualified names now go to db.
        c.execute("CREATE TABLE here (a INT) STORED AS PARQUET")
        assert table_names(c, db) == ["here"]
        c.execute("USE default")
        assert [tuple(r) for r in c.execute("SHOW CURRENT NAMESPACE").fetchall()] == [("spark_catalog", "default")]
    # Another session is not affected by USE elsewhere.
    with server.connect() as c2:
        assert c2.execute("SHOW CURRENT NAMESPACE").fetchall()[0][1] == "default"


# ==================================================================== ANALYZE
def test_analyze_table_compute_statistics(conn, cleanup, data_dir):
    """numRows is the row count; numFiles and totalSize match the data files on disk."""
    name = unique("analyze")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT, b STRING) STORED AS PARQUET TBLPROPERTIES ('keep'='me')")
    conn.execute(f"INSERT INTO {t} SELECT CAST(value AS INT), 'r' FROM generate_series(1, 1234)")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'one'), (2, 'two')")
    conn.execute(f"ANALYZE TABLE {t} COMPUTE STATISTICS")
    files = data_files(table_dir(data_dir, "default", name))
    props = tblproperties(conn, t)
    assert props["numRows"] == "1236"
    assert props["numFiles"] == str(len(files))
    assert props["totalSize"] == str(sum(os.path.getsize(f) for f in files))
    assert props["keep"] == "me"

    # Re-analysing after a change updates the numbers.
    conn.execute(f"INSERT INTO {t} VALUES (3, 'three')")
    conn.execute(f"ANALYZE TABLE {t} COMPUTE STATISTICS")
    files = data_files(table_dir(data_dir, "default", name))
    props = tblproperties(conn, t)
    assert props["numRows"] == "1237"
    assert props["numFiles"] == str(len(files))
    assert props["totalSize"] == str(sum(os.path.getsize(f) for f in files))


def test_analyze_partitioned_table(conn, cleanup, data_dir):
    name = unique("analyze_pt")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='a', h=1) VALUES (1, 'x'), (2, 'y')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='b', h=2) VALUES (3, 'z')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='b', h=3) VALUES (4, 'w'), (5, 'v'), (6, 'u')")
    conn.execute(f"ANALYZE TABLE {t} COMPUTE STATISTICS")
    files = data_files(table_dir(data_dir, "default", name))
    assert len(files) == 3
    assert tblproperty(conn, t, "numRows") == "6"
    assert tblproperty(conn, t, "numFiles") == "3"
    assert tblproperty(conn, t, "totalSize") == str(sum(os.path.getsize(f) for f in files))


# ============================================================== nested types
def test_map_struct_array_columns_in_parquet_table(conn, cleanup, data_dir):
    name = unique("nested")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(
        f"CREATE TABLE {t} (m MAP<STRING,INT>, s STRUCT<a:INT,b:STRING>, arr ARRAY<STRUCT<x:DOUBLE>>) "
        "STORED AS PARQUET"
    )
    assert describe_rows(conn, t) == [
        ("m", "map<string,int>", None),
        ("s", "struct<a:int,b:string>", None),
        ("arr", "array<struct<x:double>>", None),
    ]
    conn.execute(
        f"INSERT INTO {t} SELECT map('k', 1), named_struct('a', 1, 'b', 'x'), array(named_struct('x', 1.5))"
    )
    cur = conn.execute(f"SELECT m, s, arr FROM {t}")
    assert columns_of(cur) == ["m", "s", "arr"]
    got = cur.fetchall()
    assert len(got) == 1
    m, s, arr = (str(v) for v in got[0])
    assert "k" in m and "1" in m, m
    assert "1" in s and "x" in s, s
    assert "1.5" in arr, arr
    # The file holds real nested Parquet columns.
    files = data_files(table_dir(data_dir, "default", name))
    assert len(files) == 1
    schema = pq.ParquetFile(files[0]).schema_arrow
    assert pa.types.is_map(schema.field("m").type)
    assert pa.types.is_struct(schema.field("s").type)
    assert pa.types.is_list(schema.field("arr").type)
    table = pq.read_table(files[0])
    assert table.column("s").to_pylist() == [{"a": 1, "b": "x"}]
    assert table.column("arr").to_pylist() == [[{"x": 1.5}]]
    assert table.column("m").to_pylist() == [[("k", 1)]]


# ================================================================ concurrency
def _run_concurrently(n: int, work):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def runner(i):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", work(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[i] = ("error", exc)

    threads = [threading.Thread(target=runner, args=(i,), daemon=True) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=110)
    assert not any(th.is_alive() for th in threads), "a session hung"
    return results


def test_concurrent_create_same_table_exactly_one_wins(server, cleanup, data_dir):
    name = unique("x_same")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conns = [server.connect() for _ in range(16)]
    try:
        results = _run_concurrently(16, lambda i: conns[i].execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET"))
    finally:
        for c in conns:
            c.close()
    ok = [r for r in results if r[0] == "ok"]
    errors = [r[1] for r in results if r[0] == "error"]
    assert len(ok) == 1, f"{len(ok)} sessions created the table; errors: {errors}"
    assert len(errors) == 15
    for e in errors:
        assert isinstance(e, psycopg.Error), repr(e)
        assert "already exists" in error_text(e), str(e)
    with server.connect() as c:
        assert table_names(c).count(name) == 1
        assert describe_rows(c, t) == [("a", "int", None)]
        c.execute(f"INSERT INTO {t} VALUES (1)")
        assert rows(c, f"SELECT a FROM {t}") == [(1,)]


def test_concurrent_create_and_insert_distinct_tables(server, cleanup, data_dir):
    base = unique("conc")
    names = [f"{base}_{i}" for i in range(16)]
    cleanup.extend(("TABLE", f"default.{n}") for n in names)

    def work(i):
        with server.connect() as c:
            t = f"default.{names[i]}"
            c.execute(f"CREATE TABLE {t} (id INT, who STRING) STORED AS PARQUET")
            c.execute(f"INSERT INTO {t} SELECT CAST(value AS INT), 't{i}' FROM generate_series(1, {i + 1})")
            c.execute(f"INSERT INTO {t} VALUES (-1, 'extra')")
            return rows(c, f"SELECT count(*) FROM {t}")

    results = _run_concurrently(16, work)
    errors = [(i, r[1]) for i, r in enumerate(results) if r[0] != "ok"]
    assert not errors, errors
    with server.connect() as c:
        listed = set(table_names(c))
        for i, n in enumerate(names):
            assert n in listed, n
            assert rows(c, f"SELECT count(*), sum(id) FROM default.{n} WHERE who = 't{i}'") == [
                (i + 1, (i + 1) * (i + 2) // 2)
            ]
            assert rows(c, f"SELECT count(*) FROM default.{n}") == [(i + 2,)]
            assert data_files(table_dir(data_dir, "default", n)), n


# ============================================================== error cases
@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE default.{t} RENAME TO {t}_x",
        "ALTER TABLE default.{t} ADD COLUMNS (x INT)",
        "ALTER TABLE default.{t} REPLACE COLUMNS (x INT)",
        "ALTER TABLE default.{t} CHANGE COLUMN a b INT",
        "ALTER TABLE default.{t} SET TBLPROPERTIES ('k'='v')",
        "ALTER TABLE default.{t} UNSET TBLPROPERTIES IF EXISTS ('k')",
        "ALTER TABLE default.{t} SET LOCATION '/tmp'",
        "ALTER TABLE default.{t} SET SERDEPROPERTIES ('field.delim'='|')",
        "ANALYZE TABLE default.{t} COMPUTE STATISTICS",
        "SHOW TBLPROPERTIES default.{t}",
        "SHOW CREATE TABLE default.{t}",
        "DESCRIBE EXTENDED default.{t}",
    ],
    ids=[
        "rename", "add_columns", "replace_columns", "change_column", "set_props", "unset_props",
        "set_location", "set_serde", "analyze", "show_props", "show_create", "describe_ext",
    ],
)
def test_unknown_table_is_an_error(conn, statement):
    name = unique("no_such_tbl")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(statement.format(t=name))
    assert name in str(ei.value)
    assert name not in table_names(conn)
    assert_usable(conn)


# ==================================================== nested values in text
def test_text_table_nested_values_use_hive_separators(conn, cleanup, data_dir):
    """ARRAY, MAP and STRUCT columns of a TEXTFILE table: \\002 between items, \\003 between a map
    key and its value; written that way and read back, also from a file written by hand."""
    name = unique("nested_text")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (id INT, tags ARRAY<STRING>, m MAP<STRING,INT>, s STRUCT<a:INT,b:STRING>) STORED AS TEXTFILE")
    conn.execute(f"INSERT INTO {t} SELECT 1, array('a', 'b'), map('k', 1), named_struct('a', 5, 'b', 'x')")
    conn.execute(f"INSERT INTO {t} (id) VALUES (2)")
    lines = sorted(text_lines(table_dir(data_dir, "default", name)))
    assert lines == sorted([b"1\x01a\x02b\x01k\x031\x015\x02x", b"2\x01\\N\x01\\N\x01\\N"]), lines
    (table_dir(data_dir, "default", name) / "by_hand").write_bytes(b"3\x01p\x02q\x02r\x01u\x037\x02v\x038\x019\x02y\n")
    rows = conn.execute(f"SELECT id, tags[1], cardinality(tags), m['k'], m['v'], s.a, s.b FROM {t} ORDER BY id").fetchall()
    assert rows == [(1, "a", 2, 1, None, 5, "x"), (2, None, None, None, None, None, None), (3, "p", 3, None, 8, 9, "y")]


def test_text_table_custom_collection_separators(conn, cleanup, data_dir):
    name = unique("nested_sep")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (id INT, tags ARRAY<STRING>, m MAP<STRING,INT>) ROW FORMAT DELIMITED "
                 "FIELDS TERMINATED BY ',' COLLECTION ITEMS TERMINATED BY '|' MAP KEYS TERMINATED BY ':' STORED AS TEXTFILE")
    conn.execute(f"INSERT INTO {t} SELECT 1, array('x', 'y'), map('a', 1, 'b', 2)")
    assert text_lines(table_dir(data_dir, "default", name)) == [b"1,x|y,a:1|b:2"]
    assert conn.execute(f"SELECT tags[2], m['b'] FROM {t}").fetchone() == ("y", 2)


# ============================================================ session settings
def test_spark_set_show_and_reset(conn):
    """SET key=value with any text as the value, SET key (key, value), SET -v, RESET key."""
    conn.execute("SET spark.sql.session.timeZone=America/Los_Angeles")
    assert conn.execute("SET spark.sql.session.timeZone").fetchall() == [("spark.sql.session.timeZone", "America/Los_Angeles")]
    verbose = conn.execute("SET -v")
    assert [d.name for d in verbose.description] == ["key", "value", "meaning"]
    assert any(r[1] == "America/Los_Angeles" for r in verbose.fetchall())
    conn.execute("RESET spark.sql.session.timeZone")
    assert conn.execute("SET spark.sql.session.timeZone").fetchall() == [("spark.sql.session.timeZone", "<undefined>")]
    # Unknown keys are kept and echoed, as in Spark.
    conn.execute("SET my.own.key = 'quoted value'")
    assert conn.execute("SET my.own.key").fetchone() == ("my.own.key", "quoted value")


def test_drop_table_refuses_a_view_and_drop_view_a_table(conn, cleanup):
    t, v = f"default.{unique('dt_t')}", f"default.{unique('dt_v')}"
    cleanup.extend([("VIEW", v), ("TABLE", t)])
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    conn.execute(f"CREATE VIEW {v} AS SELECT a FROM {t}")
    with pytest.raises(psycopg.Error, match="DROP VIEW"):
        conn.execute(f"DROP TABLE {v}")
    with pytest.raises(psycopg.Error, match="DROP TABLE"):
        conn.execute(f"DROP VIEW {t}")
    assert conn.execute(f"SELECT count(*) FROM {v}").fetchone() == (0,)
