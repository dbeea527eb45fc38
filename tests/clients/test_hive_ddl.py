"""Hive / Spark SQL DDL and DML through the PostgreSQL listener: partitioned tables, static and
dynamic partition inserts, INSERT OVERWRITE, SHOW PARTITIONS, ALTER TABLE ... PARTITION, MSCK
REPAIR, CTAS, TRUNCATE, LOAD DATA, views, and the atomicity of writes when the server is killed.

Besides query answers, several tests look at the files the server leaves on disk:

* managed tables live at ``<data_dir>/warehouse/<table>/`` (database ``default``) and
  ``<data_dir>/warehouse/<db>.db/<table>/`` (any other database);
* Parquet data files are named ``part-NNNNN-<id>.snappy.parquet``;
* partitions are ``col=value`` directories, NULL / empty values in ``__HIVE_DEFAULT_PARTITION__``;
* a write stages its files in ``.hivewire-staging-*`` directories that never outlive it.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import unique

PART_FILE_RE = re.compile(r"^part-(\d{5})-([0-9A-Za-z-]+)\.snappy\.parquet$")
STAGING_PREFIX = ".hivewire-staging-"
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"

PARTITIONED_DDL = "(v INT, s STRING) PARTITIONED BY (dt STRING, h INT) STORED AS PARQUET"


# ------------------------------------------------------------------- helpers
def table_dir(data_dir: Path, db: str, table: str) -> Path:
    """Where a managed table's files live."""
    base = Path(data_dir) / "warehouse"
    return base / table if db == "default" else base / f"{db}.db" / table


def data_files(directory: Path) -> list[Path]:
    """Visible data files under ``directory`` (hidden ``.x`` / ``_x`` entries are skipped), sorted."""
    directory = Path(directory)
    if not directory.exists():
        return []
    out = []
    for p in directory.rglob("*"):
        rel = p.relative_to(directory).parts
        if any(part.startswith((".", "_")) for part in rel):
            continue
        if p.is_file():
            out.append(p)
    return sorted(out)


def staging_dirs(directory: Path) -> list[Path]:
    directory = Path(directory)
    if not directory.exists():
        return []
    return [p for p in directory.rglob(f"{STAGING_PREFIX}*")]


def file_values(path: Path, column: str) -> list:
    """The values of one column of one Parquet file (no partition inference from the path)."""
    return pq.ParquetFile(path).read().column(column).to_pylist()


def file_columns(path: Path) -> list[str]:
    return pq.ParquetFile(path).schema_arrow.names


def write_vs(path: Path, rows: list[tuple[int, str | None]]) -> None:
    """Writes a Parquet file with the data columns (v INT, s STRING), as another tool would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table(
            {
                "v": pa.array([r[0] for r in rows], pa.int32()),
                "s": pa.array([r[1] for r in rows], pa.string()),
            }
        ),
        path,
    )


def rows(conn, sql: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sql).fetchall()]


def describe_rows(conn, table: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(f"DESCRIBE {table}").fetchall()]


def show_partitions(conn, table: str, spec: str | None = None) -> list[str]:
    sql = f"SHOW PARTITIONS {table}" + (f" PARTITION ({spec})" if spec else "")
    cur = conn.execute(sql)
    assert [c.name for c in cur.description] == ["partition"]
    return [r[0] for r in cur.fetchall()]


def explain_text(conn, sql: str) -> str:
    return "\n".join(str(c) for r in conn.execute(f"EXPLAIN {sql}").fetchall() for c in r)


def table_names(conn, db: str = "default") -> list[str]:
    return [r[1] for r in conn.execute(f"SHOW TABLES IN {db}").fetchall()]


def assert_usable(conn) -> None:
    assert conn.execute("SELECT 40 + 2").fetchone() == (42,)


def write_ids(files: list[Path]) -> set[str]:
    ids = set()
    for f in files:
        m = PART_FILE_RE.match(f.name)
        assert m, f"{f.name} is not named part-NNNNN-<id>.snappy.parquet"
        ids.add(m.group(2))
    return ids


@pytest.fixture
def cleanup(server):
    """Objects to drop after the test: append ("TABLE"|"VIEW"|"DATABASE", qualified name)."""
    objects: list[tuple[str, str]] = []
    yield objects
    with server.connect() as c:
        for kind, name in reversed(objects):
            suffix = " CASCADE" if kind == "DATABASE" else ""
            try:
                c.execute(f"DROP {kind} IF EXISTS {name}{suffix}")
            except psycopg.Error:
                pass


@pytest.fixture
def ptable(conn, cleanup, data_dir):
    """A fresh ``default.<name> (v INT, s STRING) PARTITIONED BY (dt STRING, h INT)`` Parquet table.

    Returns (qualified name, table directory).
    """
    name = unique("pt")
    cleanup.append(("TABLE", f"default.{name}"))
    conn.execute(f"CREATE TABLE default.{name} {PARTITIONED_DDL}")
    return f"default.{name}", table_dir(data_dir, "default", name)


# ------------------------------------------------------ partitioned CREATE TABLE
def test_create_partitioned_table_describe_layout(conn, ptable):
    """DESCRIBE lists data columns, partition columns, then a '# Partition Information' section."""
    t, tdir = ptable
    cur = conn.execute(f"DESCRIBE {t}")
    assert [c.name for c in cur.description] == ["col_name", "data_type", "comment"]
    assert [tuple(r) for r in cur.fetchall()] == [
        ("v", "int", None),
        ("s", "string", None),
        ("dt", "string", None),
        ("h", "int", None),
        ("# Partition Information", "", ""),
        ("# col_name", "data_type", "comment"),
        ("dt", "string", None),
        ("h", "int", None),
    ]
    # A new table has no rows and no partitions, and SELECT * gives partition columns last.
    cur = conn.execute(f"SELECT * FROM {t}")
    assert [c.name for c in cur.description] == ["v", "s", "dt", "h"]
    assert cur.fetchall() == []
    assert show_partitions(conn, t) == []
    assert data_files(tdir) == []


def test_partition_column_also_among_columns_is_an_error(conn):
    """PARTITIONED BY (dt STRING) with dt also a data column fails, names dt, creates nothing."""
    name = unique("dup_part")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(
            f"CREATE TABLE default.{name} (v INT, dt STRING) PARTITIONED BY (dt STRING) STORED AS PARQUET"
        )
    assert "dt" in str(ei.value)
    assert name not in table_names(conn)
    assert_usable(conn)


def test_using_parquet_partitioned_by_untyped_column_moves_it_last(conn, cleanup, data_dir):
    """Spark's `USING parquet PARTITIONED BY (dt)`: dt, declared first, becomes the last column."""
    name = unique("spark_part")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (dt STRING, v INT, s STRING) USING parquet PARTITIONED BY (dt)")
    assert describe_rows(conn, t) == [
        ("v", "int", None),
        ("s", "string", None),
        ("dt", "string", None),
        ("# Partition Information", "", ""),
        ("# col_name", "data_type", "comment"),
        ("dt", "string", None),
    ]
    # A data source table takes dynamic partitions without a static one (no Hive strict mode).
    conn.execute(f"INSERT INTO {t} VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-02')")
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY v")
    assert [c.name for c in cur.description] == ["v", "s", "dt"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "a", "2024-01-01"), (2, "b", "2024-01-02")]
    assert show_partitions(conn, t) == ["dt=2024-01-01", "dt=2024-01-02"]
    tdir = table_dir(data_dir, "default", name)
    files = data_files(tdir / "dt=2024-01-01")
    assert len(files) == 1 and PART_FILE_RE.match(files[0].name)
    assert file_values(files[0], "v") == [1]


def test_unknown_type_is_an_error_naming_it(conn, data_dir):
    """CREATE TABLE with a column of type FOO fails, names FOO, and creates no table or directory."""
    name = unique("badtype")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"CREATE TABLE default.{name} (a INT, x FOO) STORED AS PARQUET")
    assert "foo" in str(ei.value).lower()
    assert name not in table_names(conn)
    assert not table_dir(data_dir, "default", name).exists()
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT * FROM default.{name}")
    assert_usable(conn)


# ------------------------------------------------------------ static partitions
def test_insert_static_partition_in_default_database(conn, ptable):
    """INSERT ... PARTITION (dt=, h=) writes part files under <table>/dt=.../h=.../ (default db)."""
    t, tdir = ptable
    cur = conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=3) VALUES (1, 'a'), (2, 'b')")
    assert cur.rowcount == 2
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "a", "2024-01-01", 3),
        (2, "b", "2024-01-01", 3),
    ]
    part_dir = tdir / "dt=2024-01-01" / "h=3"
    files = data_files(tdir)
    assert files, f"no data files under {tdir}"
    assert all(f.parent == part_dir for f in files), files
    assert all(PART_FILE_RE.match(f.name) for f in files), files
    # Partition values live in the path, not in the files (Hive layout).
    assert file_columns(files[0]) == ["v", "s"]
    assert sorted(v for f in files for v in file_values(f, "v")) == [1, 2]
    assert staging_dirs(tdir) == []
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=3"]


def test_insert_static_partition_in_other_database(conn, cleanup, data_dir):
    """A managed table of database db lives at <warehouse>/<db>.db/<table>/."""
    db = unique("hwddl")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db}")
    conn.execute(f"CREATE TABLE {db}.events {PARTITIONED_DDL}")
    conn.execute(f"INSERT INTO {db}.events PARTITION (dt='2024-05-06', h=7) VALUES (10, 'x')")
    assert rows(conn, f"SELECT * FROM {db}.events") == [(10, "x", "2024-05-06", 7)]
    tdir = table_dir(data_dir, db, "events")
    files = data_files(tdir)
    assert len(files) == 1, files
    assert files[0].parent == tdir / "dt=2024-05-06" / "h=7"
    assert PART_FILE_RE.match(files[0].name)
    assert file_values(files[0], "v") == [10]
    assert staging_dirs(tdir) == []


def test_static_int_partition_value_is_normalised(conn, ptable):
    """h=03 on an INT partition column is the partition h=3."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=03) VALUES (1, 'a')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h='03') VALUES (2, 'b')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=3) VALUES (3, 'c')")
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=3"]
    assert sorted(p.name for p in (tdir / "dt=2024-01-01").iterdir()) == ["h=3"]
    assert len(data_files(tdir / "dt=2024-01-01" / "h=3")) == 3
    assert rows(conn, f"SELECT v, h FROM {t} ORDER BY v") == [(1, 3), (2, 3), (3, 3)]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE h = 3") == [(3,)]


# ----------------------------------------------------------- dynamic partitions
def test_dynamic_partition_insert_after_static_column(conn, ptable):
    """PARTITION (dt='x', h): h comes from the last column of the query, one directory per value."""
    t, tdir = ptable
    cur = conn.execute(
        f"INSERT INTO {t} PARTITION (dt='2024-02-02', h) "
        "SELECT v, s, h FROM (VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 1)) AS x(v, s, h)"
    )
    assert cur.rowcount == 3
    assert show_partitions(conn, t) == ["dt=2024-02-02/h=1", "dt=2024-02-02/h=2"]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "a", "2024-02-02", 1),
        (2, "b", "2024-02-02", 2),
        (3, "c", "2024-02-02", 1),
    ]
    h1 = data_files(tdir / "dt=2024-02-02" / "h=1")
    h2 = data_files(tdir / "dt=2024-02-02" / "h=2")
    assert sorted(v for f in h1 for v in file_values(f, "v")) == [1, 3]
    assert sorted(v for f in h2 for v in file_values(f, "v")) == [2]
    assert staging_dirs(tdir) == []


def test_dynamic_partition_strict_mode(server, cleanup, data_dir):
    """Only dynamic partition columns on a STORED AS table: refused in strict mode, fine after
    SET hive.exec.dynamic.partition.mode=nonstrict."""
    name = unique("strict")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    insert = (
        f"INSERT INTO {t} PARTITION (dt, h) "
        "SELECT v, s, dt, h FROM (VALUES (1, 'a', '2024-03-01', 1), (2, 'b', '2024-03-02', 2)) "
        "AS x(v, s, dt, h)"
    )
    with server.connect() as c:  # a fresh session, in the default (strict) mode
        c.execute(f"CREATE TABLE {t} {PARTITIONED_DDL}")
        with pytest.raises(psycopg.Error) as ei:
            c.execute(insert)
        assert "strict" in str(ei.value).lower()
        assert rows(c, f"SELECT count(*) FROM {t}") == [(0,)]
        assert show_partitions(c, t) == []
        # No PARTITION clause at all is all-dynamic too.
        with pytest.raises(psycopg.Error) as ei:
            c.execute(f"INSERT INTO {t} VALUES (9, 'z', '2024-03-09', 9)")
        assert "strict" in str(ei.value).lower()
        assert data_files(table_dir(data_dir, "default", name)) == []

        c.execute("SET hive.exec.dynamic.partition.mode=nonstrict")
        c.execute(insert)
        assert show_partitions(c, t) == ["dt=2024-03-01/h=1", "dt=2024-03-02/h=2"]
        assert rows(c, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
            (1, "a", "2024-03-01", 1),
            (2, "b", "2024-03-02", 2),
        ]
        c.execute(f"INSERT INTO {t} VALUES (9, 'z', '2024-03-09', 9)")
        assert rows(c, f"SELECT v, dt, h FROM {t} WHERE v = 9") == [(9, "2024-03-09", 9)]


def test_static_partition_after_dynamic_is_an_error(conn, ptable):
    """PARTITION (dt, h=1): a static column after a dynamic one is refused and writes nothing."""
    t, tdir = ptable
    conn.execute("SET hive.exec.dynamic.partition.mode=nonstrict")
    with pytest.raises(psycopg.Error):
        conn.execute(f"INSERT INTO {t} PARTITION (dt, h=1) SELECT 1, 'a', '2024-01-01'")
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(0,)]
    assert show_partitions(conn, t) == []
    assert data_files(tdir) == []
    assert_usable(conn)


def test_null_and_empty_dynamic_values_go_to_default_partition(conn, ptable):
    """NULL and '' dynamic values are written to __HIVE_DEFAULT_PARTITION__ and read back as NULL."""
    t, tdir = ptable
    conn.execute("SET hive.exec.dynamic.partition.mode=nonstrict")
    conn.execute(
        f"INSERT INTO {t} PARTITION (dt, h) SELECT v, s, dt, h FROM (VALUES "
        "(1, 'a', '2024-01-01', 1), "
        "(2, 'b', CAST(NULL AS STRING), 1), "
        "(3, 'c', '', 1), "
        "(4, 'd', '2024-01-01', CAST(NULL AS INT))) AS x(v, s, dt, h)"
    )
    assert show_partitions(conn, t) == [
        "dt=2024-01-01/h=1",
        f"dt=2024-01-01/h={DEFAULT_PARTITION}",
        f"dt={DEFAULT_PARTITION}/h=1",
    ]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "a", "2024-01-01", 1),
        (2, "b", None, 1),
        (3, "c", None, 1),
        (4, "d", "2024-01-01", None),
    ]
    assert rows(conn, f"SELECT v FROM {t} WHERE dt IS NULL ORDER BY v") == [(2,), (3,)]
    assert rows(conn, f"SELECT v FROM {t} WHERE h IS NULL") == [(4,)]
    default_dir = tdir / f"dt={DEFAULT_PARTITION}" / "h=1"
    assert sorted(v for f in data_files(default_dir) for v in file_values(f, "v")) == [2, 3]
    assert data_files(tdir / "dt=2024-01-01" / f"h={DEFAULT_PARTITION}")


# ---------------------------------------------------------------------- pruning
def test_partition_pruning_in_explain(conn, ptable):
    """EXPLAIN of a query filtering both partition columns scans only that partition's files."""
    t, _ = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=3) VALUES (1, 'a')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=4) VALUES (2, 'b')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-02', h=3) VALUES (3, 'c')")
    sql = f"SELECT * FROM {t} WHERE dt='2024-01-01' AND h=3"
    plan = explain_text(conn, sql)
    assert "dt=2024-01-01/h=3/part-" in plan, plan
    assert "h=4" not in plan, plan
    assert "dt=2024-01-02" not in plan, plan
    assert rows(conn, sql) == [(1, "a", "2024-01-01", 3)]
    # Filtering one column keeps every partition with that value, and only those.
    plan = explain_text(conn, f"SELECT v FROM {t} WHERE dt='2024-01-01'")
    assert "dt=2024-01-01/h=3/part-" in plan and "dt=2024-01-01/h=4/part-" in plan, plan
    assert "dt=2024-01-02" not in plan, plan


# -------------------------------------------------------------- INSERT OVERWRITE
def test_insert_overwrite_static_partition_replaces_only_it(conn, ptable):
    """INSERT OVERWRITE ... PARTITION (dt=, h=) replaces that partition and leaves the others."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=3) VALUES (1, 'old'), (2, 'old')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=4) VALUES (3, 'keep')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-02', h=3) VALUES (4, 'keep')")
    replaced_dir = tdir / "dt=2024-01-01" / "h=3"
    old_files = set(data_files(replaced_dir))
    kept_files = set(data_files(tdir)) - old_files

    conn.execute(
        f"INSERT OVERWRITE TABLE {t} PARTITION (dt='2024-01-01', h=3) "
        "SELECT v * 10, 'new' FROM (VALUES (5), (6), (7)) AS x(v)"
    )
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (3, "keep", "2024-01-01", 4),
        (4, "keep", "2024-01-02", 3),
        (50, "new", "2024-01-01", 3),
        (60, "new", "2024-01-01", 3),
        (70, "new", "2024-01-01", 3),
    ]
    new_files = set(data_files(replaced_dir))
    assert new_files and not (new_files & old_files)
    assert len(write_ids(list(new_files))) == 1
    assert sorted(v for f in new_files for v in file_values(f, "v")) == [50, 60, 70]
    assert set(data_files(tdir)) == kept_files | new_files
    assert staging_dirs(tdir) == []


def test_insert_overwrite_dynamic_replaces_only_partitions_with_rows(conn, ptable):
    """With PARTITION (dt='a', h) only the h partitions that receive rows are replaced."""
    t, tdir = ptable
    for h in (1, 2, 3):
        conn.execute(f"INSERT INTO {t} PARTITION (dt='a', h={h}) VALUES ({h}, 'old')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='b', h=2) VALUES (99, 'other dt')")
    h1_files = set(data_files(tdir / "dt=a" / "h=1"))
    h3_files = set(data_files(tdir / "dt=a" / "h=3"))

    conn.execute(
        f"INSERT OVERWRITE TABLE {t} PARTITION (dt='a', h) "
        "SELECT v, s, h FROM (VALUES (20, 'new', 2), (21, 'new', 2), (40, 'new', 4)) AS x(v, s, h)"
    )
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "old", "a", 1),
        (3, "old", "a", 3),
        (20, "new", "a", 2),
        (21, "new", "a", 2),
        (40, "new", "a", 4),
        (99, "other dt", "b", 2),
    ]
    assert show_partitions(conn, t) == ["dt=a/h=1", "dt=a/h=2", "dt=a/h=3", "dt=a/h=4", "dt=b/h=2"]
    # Untouched partitions keep their very files; h=2 holds only the new rows.
    assert set(data_files(tdir / "dt=a" / "h=1")) == h1_files
    assert set(data_files(tdir / "dt=a" / "h=3")) == h3_files
    h2 = data_files(tdir / "dt=a" / "h=2")
    assert sorted(v for f in h2 for v in file_values(f, "v")) == [20, 21]
    assert staging_dirs(tdir) == []


def test_insert_overwrite_reading_the_same_table(conn, cleanup, data_dir):
    """INSERT OVERWRITE TABLE u SELECT ... FROM u gives the transformed rows; only new files remain."""
    name = unique("ow_self")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"INSERT INTO {t} VALUES (3, 'c')")
    tdir = table_dir(data_dir, "default", name)
    old_files = set(data_files(tdir))
    assert len(old_files) >= 2

    conn.execute(f"INSERT OVERWRITE TABLE {t} SELECT v * 10, upper(s) FROM {t}")
    assert rows(conn, f"SELECT v, s FROM {t} ORDER BY v") == [(10, "A"), (20, "B"), (30, "C")]
    new_files = data_files(tdir)
    assert new_files and not (set(new_files) & old_files), (new_files, old_files)
    assert all(f.parent == tdir for f in new_files)
    assert len(write_ids(new_files)) == 1, "files from more than one write remain"
    assert sorted(v for f in new_files for v in file_values(f, "v")) == [10, 20, 30]
    assert staging_dirs(tdir) == []

    # A second overwrite again leaves exactly its own files.
    conn.execute(f"INSERT OVERWRITE TABLE {t} SELECT 7, 'seven'")
    assert rows(conn, f"SELECT v, s FROM {t}") == [(7, "seven")]
    last = data_files(tdir)
    assert len(write_ids(last)) == 1 and not (set(last) & set(new_files))
    assert [v for f in last for v in file_values(f, "v")] == [7]


# --------------------------------------------------------------- SHOW PARTITIONS
def test_show_partitions_sorted_and_filtered(conn, ptable):
    """SHOW PARTITIONS lists 'dt=.../h=...' sorted; a PARTITION (...) spec filters them."""
    t, _ = ptable
    for dt_, h in [("2024-01-02", 1), ("2024-01-01", 3), ("2024-01-01", 1), ("2023-12-31", 9)]:
        conn.execute(f"INSERT INTO {t} PARTITION (dt='{dt_}', h={h}) VALUES ({h}, '{dt_}')")
    assert show_partitions(conn, t) == [
        "dt=2023-12-31/h=9",
        "dt=2024-01-01/h=1",
        "dt=2024-01-01/h=3",
        "dt=2024-01-02/h=1",
    ]
    assert show_partitions(conn, t, "dt='2024-01-01'") == ["dt=2024-01-01/h=1", "dt=2024-01-01/h=3"]
    assert show_partitions(conn, t, "h=1") == ["dt=2024-01-01/h=1", "dt=2024-01-02/h=1"]
    assert show_partitions(conn, t, "dt='2024-01-01', h=3") == ["dt=2024-01-01/h=3"]
    assert show_partitions(conn, t, "dt='1999-01-01'") == []


def test_show_partitions_of_unpartitioned_table_is_an_error(conn, cleanup):
    name = unique("nopart")
    cleanup.append(("TABLE", f"default.{name}"))
    conn.execute(f"CREATE TABLE default.{name} (v INT) STORED AS PARQUET")
    with pytest.raises(psycopg.Error):
        conn.execute(f"SHOW PARTITIONS default.{name}")
    assert_usable(conn)


# ------------------------------------------------- ALTER TABLE ADD/DROP PARTITION
def test_alter_table_add_partition_with_location(conn, ptable, files_dir):
    """ADD PARTITION ... LOCATION: files another tool put there are read with the partition values."""
    t, _ = ptable
    loc = files_dir / "external_part"
    write_vs(loc / "data.parquet", [(1, "x"), (2, None)])
    conn.execute(f"ALTER TABLE {t} ADD PARTITION (dt='2024-06-01', h=1) LOCATION '{loc}'")
    assert show_partitions(conn, t) == ["dt=2024-06-01/h=1"]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "x", "2024-06-01", 1),
        (2, None, "2024-06-01", 1),
    ]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE dt = '2024-06-01' AND h = 1") == [(2,)]

    # Adding it again is an error, unless IF NOT EXISTS.
    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} ADD PARTITION (dt='2024-06-01', h=1)")
    conn.execute(f"ALTER TABLE {t} ADD IF NOT EXISTS PARTITION (dt='2024-06-01', h=1)")
    assert show_partitions(conn, t) == ["dt=2024-06-01/h=1"]
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(2,)]

    # A partition added without a location is empty, and INSERT into it keeps the external rows.
    conn.execute(f"ALTER TABLE {t} ADD PARTITION (dt='2024-06-02', h=2)")
    assert show_partitions(conn, t) == ["dt=2024-06-01/h=1", "dt=2024-06-02/h=2"]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE dt = '2024-06-02'") == [(0,)]
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-06-01', h=1) VALUES (3, 'z')")
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(1,), (2,), (3,)]
    # The INSERT wrote into the partition's own location.
    assert sorted(v for f in data_files(loc) for v in file_values(f, "v")) == [1, 2, 3]


def test_alter_table_drop_partition(conn, ptable):
    """DROP PARTITION removes it from SHOW PARTITIONS and query results and deletes its directory."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='x', h=1) VALUES (1, 'a')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='x', h=2) VALUES (2, 'b')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='y', h=1) VALUES (3, 'c')")
    assert (tdir / "dt=x" / "h=1").is_dir()

    conn.execute(f"ALTER TABLE {t} DROP PARTITION (dt='x', h=1)")
    assert show_partitions(conn, t) == ["dt=x/h=2", "dt=y/h=1"]
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(2,), (3,)]
    assert rows(conn, f"SELECT count(*) FROM {t} WHERE dt = 'x' AND h = 1") == [(0,)]
    assert not (tdir / "dt=x" / "h=1").exists()
    assert data_files(tdir / "dt=x" / "h=2") and data_files(tdir / "dt=y" / "h=1")

    with pytest.raises(psycopg.Error):
        conn.execute(f"ALTER TABLE {t} DROP PARTITION (dt='x', h=1)")
    conn.execute(f"ALTER TABLE {t} DROP IF EXISTS PARTITION (dt='x', h=1)")
    assert show_partitions(conn, t) == ["dt=x/h=2", "dt=y/h=1"]
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(2,), (3,)]


# ------------------------------------------------------- MSCK / RECOVER PARTITIONS
@pytest.mark.parametrize(
    "statement", ["MSCK REPAIR TABLE {t}", "ALTER TABLE {t} RECOVER PARTITIONS"], ids=["msck", "recover"]
)
def test_repair_discovers_partition_directories(conn, ptable, statement):
    """Directories dt=.../h=... written straight under the table directory become partitions."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=1) VALUES (1, 'via insert')")
    write_vs(tdir / "dt=2024-01-01" / "h=2" / "data.parquet", [(2, "b"), (3, "c")])
    write_vs(tdir / "dt=2024-01-03" / "h=5" / "data.parquet", [(4, "d")])
    # Not in the catalog yet.
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=1"]
    assert rows(conn, f"SELECT v FROM {t}") == [(1,)]

    conn.execute(statement.format(t=t))
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=1", "dt=2024-01-01/h=2", "dt=2024-01-03/h=5"]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "via insert", "2024-01-01", 1),
        (2, "b", "2024-01-01", 2),
        (3, "c", "2024-01-01", 2),
        (4, "d", "2024-01-03", 5),
    ]
    assert rows(conn, f"SELECT sum(v) FROM {t} WHERE h = 2") == [(5,)]
    # Running it again changes nothing.
    conn.execute(statement.format(t=t))
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(4,)]


# ------------------------------------------------------------------------- CTAS
def test_ctas_plain(conn, cleanup, data_dir):
    """CREATE TABLE c AS SELECT: columns and types from the query, rows written under the warehouse."""
    name = unique("ctas")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(
        f"CREATE TABLE {t} AS SELECT CAST(value AS INT) AS id, concat('n', CAST(value AS STRING)) AS label "
        "FROM generate_series(1, 5)"
    )
    assert describe_rows(conn, t) == [("id", "int", None), ("label", "string", None)]
    assert rows(conn, f"SELECT id, label FROM {t} ORDER BY id") == [(i, f"n{i}") for i in range(1, 6)]
    assert name in table_names(conn)
    tdir = table_dir(data_dir, "default", name)
    assert data_files(tdir), f"no data files under {tdir}"
    assert staging_dirs(tdir) == []


def test_ctas_stored_as_parquet(conn, cleanup, data_dir):
    """CREATE TABLE c STORED AS PARQUET AS SELECT writes part-*.snappy.parquet files."""
    name = unique("ctas_pq")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(
        f"CREATE TABLE {t} STORED AS PARQUET AS SELECT CAST(value AS BIGINT) AS n FROM generate_series(1, 100)"
    )
    assert rows(conn, f"SELECT count(*), sum(n) FROM {t}") == [(100, 5050)]
    tdir = table_dir(data_dir, "default", name)
    files = data_files(tdir)
    assert files and all(PART_FILE_RE.match(f.name) for f in files), files
    assert len(write_ids(files)) == 1
    assert sorted(v for f in files for v in file_values(f, "n")) == list(range(1, 101))
    # It is an ordinary table afterwards.
    conn.execute(f"INSERT INTO {t} VALUES (1000)")
    assert rows(conn, f"SELECT count(*), sum(n) FROM {t}") == [(101, 6050)]


def test_ctas_using_parquet_partitioned_by(conn, cleanup, data_dir):
    """CREATE TABLE c USING parquet PARTITIONED BY (dt) AS SELECT dt, v: dt goes last, partitions made."""
    src = f"default.{unique('ctas_src')}"
    name = unique("ctas_part")
    t = f"default.{name}"
    cleanup += [("TABLE", src), ("TABLE", t)]
    conn.execute(f"CREATE TABLE {src} (v INT, dt STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {src} VALUES (1, '2024-01-01'), (2, '2024-01-02'), (3, '2024-01-01')")
    conn.execute(f"CREATE TABLE {t} USING parquet PARTITIONED BY (dt) AS SELECT dt, v FROM {src}")
    assert describe_rows(conn, t) == [
        ("v", "int", None),
        ("dt", "string", None),
        ("# Partition Information", "", ""),
        ("# col_name", "data_type", "comment"),
        ("dt", "string", None),
    ]
    cur = conn.execute(f"SELECT * FROM {t} ORDER BY v")
    assert [c.name for c in cur.description] == ["v", "dt"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "2024-01-01"), (2, "2024-01-02"), (3, "2024-01-01")]
    assert show_partitions(conn, t) == ["dt=2024-01-01", "dt=2024-01-02"]
    tdir = table_dir(data_dir, "default", name)
    d1 = data_files(tdir / "dt=2024-01-01")
    assert d1 and all(PART_FILE_RE.match(f.name) for f in d1)
    assert sorted(v for f in d1 for v in file_values(f, "v")) == [1, 3]
    assert file_columns(d1[0]) == ["v"]
    assert staging_dirs(tdir) == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT CAST('x' AS INT) AS a",
        # Fails only after many rows have been produced (and written).
        "SELECT CAST(CASE WHEN value < 150000 THEN '1' ELSE 'x' END AS INT) AS a "
        "FROM generate_series(1, 200000)",
        "SELECT * FROM default.no_such_table_for_ctas",
    ],
    ids=["bad_cast", "late_runtime_error", "missing_table"],
)
def test_ctas_with_failing_query_leaves_no_table(conn, cleanup, data_dir, query):
    """A CTAS whose query fails creates no table and leaves no data files."""
    name = unique("ctas_fail")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    with pytest.raises(psycopg.Error):
        conn.execute(f"CREATE TABLE {t} STORED AS PARQUET AS {query}")
    assert name not in table_names(conn)
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT * FROM {t}")
    tdir = table_dir(data_dir, "default", name)
    assert data_files(tdir) == []
    assert staging_dirs(tdir) == []
    # The name is free: a table of that name starts empty.
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(0,)]


def test_ctas_of_existing_table_fails(conn, cleanup, data_dir):
    """CTAS onto an existing name fails and leaves the existing table's rows alone."""
    name = unique("ctas_dup")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (a INT) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1), (2)")
    files = data_files(table_dir(data_dir, "default", name))
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"CREATE TABLE {t} AS SELECT 99 AS a")
    assert name in str(ei.value)
    assert rows(conn, f"SELECT a FROM {t} ORDER BY a") == [(1,), (2,)]
    assert data_files(table_dir(data_dir, "default", name)) == files


# --------------------------------------------------------------------- TRUNCATE
def test_truncate_table(conn, cleanup, data_dir):
    """TRUNCATE TABLE removes every row (and data file) of an unpartitioned table."""
    name = unique("trunc")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"TRUNCATE TABLE {t}")
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(0,)]
    assert data_files(table_dir(data_dir, "default", name)) == []
    assert describe_rows(conn, t) == [("v", "int", None), ("s", "string", None)]
    conn.execute(f"INSERT INTO {t} VALUES (3, 'c')")
    assert rows(conn, f"SELECT v, s FROM {t}") == [(3, "c")]


def test_truncate_partitioned_table_and_single_partition(conn, ptable):
    """TRUNCATE ... PARTITION empties only that partition; TRUNCATE TABLE empties all of them."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='x', h=1) VALUES (1, 'a'), (2, 'b')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='x', h=2) VALUES (3, 'c')")
    conn.execute(f"INSERT INTO {t} PARTITION (dt='y', h=1) VALUES (4, 'd')")
    kept = set(data_files(tdir / "dt=x" / "h=2")) | set(data_files(tdir / "dt=y" / "h=1"))

    conn.execute(f"TRUNCATE TABLE {t} PARTITION (dt='x', h=1)")
    assert rows(conn, f"SELECT v FROM {t} ORDER BY v") == [(3,), (4,)]
    assert data_files(tdir / "dt=x" / "h=1") == []
    assert set(data_files(tdir)) == kept

    conn.execute(f"TRUNCATE TABLE {t}")
    assert rows(conn, f"SELECT count(*) FROM {t}") == [(0,)]
    assert data_files(tdir) == []


# -------------------------------------------------------------------- LOAD DATA
def test_load_data_local_copies_file(conn, cleanup, files_dir, data_dir):
    """LOAD DATA LOCAL INPATH copies the file: its rows appear and the source stays."""
    name = unique("load_local")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (0, 'existing')")
    src = files_dir / "local.parquet"
    write_vs(src, [(1, "a"), (2, "b")])
    conn.execute(f"LOAD DATA LOCAL INPATH '{src}' INTO TABLE {t}")
    assert rows(conn, f"SELECT v, s FROM {t} ORDER BY v") == [(0, "existing"), (1, "a"), (2, "b")]
    assert src.exists()
    assert file_values(src, "v") == [1, 2]
    tdir = table_dir(data_dir, "default", name)
    assert sorted(v for f in data_files(tdir) for v in file_values(f, "v")) == [0, 1, 2]


def test_load_data_inpath_moves_file(conn, cleanup, files_dir, data_dir):
    """LOAD DATA INPATH (not LOCAL) moves the file away from its source path."""
    name = unique("load_move")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    src = files_dir / "move_me.parquet"
    write_vs(src, [(5, "e"), (6, "f")])
    conn.execute(f"LOAD DATA INPATH '{src}' INTO TABLE {t}")
    assert rows(conn, f"SELECT v, s FROM {t} ORDER BY v") == [(5, "e"), (6, "f")]
    assert not src.exists(), "LOAD DATA INPATH should move the file"
    tdir = table_dir(data_dir, "default", name)
    assert sorted(v for f in data_files(tdir) for v in file_values(f, "v")) == [5, 6]


def test_load_data_overwrite_replaces_rows(conn, cleanup, files_dir):
    """LOAD DATA ... OVERWRITE INTO TABLE leaves only the loaded file's rows."""
    name = unique("load_ow")
    t = f"default.{name}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (v INT, s STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'old'), (2, 'old')")
    src = files_dir / "replacement.parquet"
    write_vs(src, [(7, "new")])
    conn.execute(f"LOAD DATA LOCAL INPATH '{src}' OVERWRITE INTO TABLE {t}")
    assert rows(conn, f"SELECT v, s FROM {t}") == [(7, "new")]


def test_load_data_into_partition(conn, ptable, files_dir):
    """LOAD DATA ... INTO TABLE t PARTITION (...) puts the file in that partition."""
    t, tdir = ptable
    conn.execute(f"INSERT INTO {t} PARTITION (dt='2024-01-01', h=1) VALUES (1, 'a')")
    src = files_dir / "part.parquet"
    write_vs(src, [(8, "h"), (9, "i")])
    conn.execute(f"LOAD DATA LOCAL INPATH '{src}' INTO TABLE {t} PARTITION (dt='2024-07-07', h=2)")
    assert show_partitions(conn, t) == ["dt=2024-01-01/h=1", "dt=2024-07-07/h=2"]
    assert rows(conn, f"SELECT v, s, dt, h FROM {t} ORDER BY v") == [
        (1, "a", "2024-01-01", 1),
        (8, "h", "2024-07-07", 2),
        (9, "i", "2024-07-07", 2),
    ]
    loaded = data_files(tdir / "dt=2024-07-07" / "h=2")
    assert sorted(v for f in loaded for v in file_values(f, "v")) == [8, 9]
    assert src.exists()


# ------------------------------------------------------------------------ views
@pytest.fixture
def base_table(conn, cleanup):
    """default.<name> (id INT, name STRING, grp STRING) with four rows."""
    t = f"default.{unique('vbase')}"
    cleanup.append(("TABLE", t))
    conn.execute(f"CREATE TABLE {t} (id INT, name STRING, grp STRING) STORED AS PARQUET")
    conn.execute(f"INSERT INTO {t} VALUES (1, 'ann', 'a'), (2, 'bob', 'b'), (3, 'cy', 'a'), (4, 'di', 'b')")
    return t


def test_create_view_query_and_join(conn, cleanup, base_table):
    """A view answers like its query, follows later changes of its table, and joins like a table."""
    v = f"default.{unique('view')}"
    cleanup.append(("VIEW", v))
    conn.execute(f"CREATE VIEW {v} AS SELECT id, upper(name) AS uname FROM {base_table} WHERE grp = 'a'")
    cur = conn.execute(f"SELECT * FROM {v} ORDER BY id")
    assert [c.name for c in cur.description] == ["id", "uname"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "ANN"), (3, "CY")]
    assert rows(conn, f"SELECT count(*) FROM {v} WHERE id > 1") == [(1,)]
    # A view is not a snapshot.
    conn.execute(f"INSERT INTO {base_table} VALUES (5, 'eve', 'a')")
    assert rows(conn, f"SELECT id FROM {v} ORDER BY id") == [(1,), (3,), (5,)]
    # Joined with its own base table.
    assert rows(
        conn,
        f"SELECT b.id, v.uname, b.grp FROM {base_table} b JOIN {v} v ON b.id = v.id ORDER BY b.id",
    ) == [(1, "ANN", "a"), (3, "CY", "a"), (5, "EVE", "a")]


def test_create_or_replace_and_alter_view(conn, cleanup, base_table):
    """CREATE VIEW on an existing view fails; CREATE OR REPLACE VIEW and ALTER VIEW AS redefine it."""
    v = f"default.{unique('view_r')}"
    cleanup.append(("VIEW", v))
    conn.execute(f"CREATE VIEW {v} AS SELECT id FROM {base_table} WHERE grp = 'a'")
    with pytest.raises(psycopg.Error):
        conn.execute(f"CREATE VIEW {v} AS SELECT 1 AS x")
    assert rows(conn, f"SELECT id FROM {v} ORDER BY id") == [(1,), (3,)]

    conn.execute(f"CREATE OR REPLACE VIEW {v} AS SELECT id, name FROM {base_table} WHERE grp = 'b'")
    cur = conn.execute(f"SELECT * FROM {v} ORDER BY id")
    assert [c.name for c in cur.description] == ["id", "name"]
    assert [tuple(r) for r in cur.fetchall()] == [(2, "bob"), (4, "di")]

    conn.execute(f"ALTER VIEW {v} AS SELECT grp, count(*) AS n FROM {base_table} GROUP BY grp")
    cur = conn.execute(f"SELECT * FROM {v} ORDER BY grp")
    assert [c.name for c in cur.description] == ["grp", "n"]
    assert [tuple(r) for r in cur.fetchall()] == [("a", 2), ("b", 2)]


def test_view_with_column_list_renames_columns(conn, cleanup, base_table):
    """CREATE VIEW v (a, b) AS SELECT ... names the view's columns a and b."""
    v = f"default.{unique('view_cols')}"
    cleanup.append(("VIEW", v))
    conn.execute(f"CREATE VIEW {v} (a, b) AS SELECT id, name FROM {base_table} WHERE id <= 2")
    cur = conn.execute(f"SELECT * FROM {v} ORDER BY a")
    assert [c.name for c in cur.description] == ["a", "b"]
    assert [tuple(r) for r in cur.fetchall()] == [(1, "ann"), (2, "bob")]
    assert rows(conn, f"SELECT b FROM {v} WHERE a = 2") == [("bob",)]
    with pytest.raises(psycopg.Error):
        conn.execute(f"SELECT id FROM {v}")
    assert_usable(conn)


def test_show_views_and_drop_view(conn, cleanup):
    """SHOW VIEWS [IN db] lists views only (namespace, viewName, isTemporary); DROP VIEW removes them."""
    db = unique("hwviews")
    cleanup.append(("DATABASE", db))
    conn.execute(f"CREATE DATABASE {db}")
    try:
        conn.execute(f"CREATE TABLE {db}.t (x INT) STORED AS PARQUET")
        conn.execute(f"INSERT INTO {db}.t VALUES (1), (2)")
        conn.execute(f"CREATE VIEW {db}.v_b AS SELECT x FROM {db}.t WHERE x > 1")
        conn.execute(f"CREATE VIEW {db}.v_a AS SELECT x * 2 AS y FROM {db}.t")

        cur = conn.execute(f"SHOW VIEWS IN {db}")
        assert [c.name for c in cur.description] == ["namespace", "viewName", "isTemporary"]
        assert sorted(tuple(r) for r in cur.fetchall()) == [(db, "v_a", False), (db, "v_b", False)]

        conn.execute(f"USE {db}")
        assert sorted(r[1] for r in conn.execute("SHOW VIEWS").fetchall()) == ["v_a", "v_b"]
        assert rows(conn, "SELECT y FROM v_a ORDER BY y") == [(2,), (4,)]
        assert "v_a" not in [r[1] for r in conn.execute("SHOW VIEWS IN default").fetchall()]

        conn.execute("DROP VIEW v_a")
        assert [r[1] for r in conn.execute(f"SHOW VIEWS IN {db}").fetchall()] == ["v_b"]
        with pytest.raises(psycopg.Error):
            conn.execute(f"SELECT * FROM {db}.v_a")
        with pytest.raises(psycopg.Error):
            conn.execute(f"DROP VIEW {db}.v_a")
        conn.execute(f"DROP VIEW IF EXISTS {db}.v_a")
        conn.execute(f"DROP VIEW IF EXISTS {db}.v_b")
        assert conn.execute(f"SHOW VIEWS IN {db}").fetchall() == []
        # Dropping views leaves their table alone.
        assert rows(conn, f"SELECT count(*) FROM {db}.t") == [(2,)]
    finally:
        conn.execute("USE default")


def test_insert_into_view_is_an_error(conn, cleanup, base_table):
    """INSERT INTO a view fails and changes nothing."""
    v = f"default.{unique('view_ins')}"
    cleanup.append(("VIEW", v))
    conn.execute(f"CREATE VIEW {v} AS SELECT id, name, grp FROM {base_table}")
    with pytest.raises(psycopg.Error) as ei:
        conn.execute(f"INSERT INTO {v} VALUES (9, 'zed', 'z')")
    assert "view" in str(ei.value).lower()
    assert rows(conn, f"SELECT count(*) FROM {base_table}") == [(4,)]
    assert rows(conn, f"SELECT count(*) FROM {v}") == [(4,)]


def test_view_survives_restart(fresh_server):
    """A view, with its column list, is still there and answering after a server restart."""
    srv = fresh_server
    with srv.connect() as c:
        c.execute("CREATE TABLE default.base (id INT, name STRING) STORED AS PARQUET")
        c.execute("INSERT INTO default.base VALUES (1, 'one'), (2, 'two'), (3, 'three')")
        c.execute("CREATE VIEW default.odd (k, label) AS SELECT id, name FROM default.base WHERE id % 2 = 1")
    rc = srv.restart()
    assert rc == 0, f"hivewire exited with {rc} on SIGTERM\n{srv.stderr_tail()}"
    with srv.connect() as c:
        assert [r[1] for r in c.execute("SHOW VIEWS IN default").fetchall()] == ["odd"]
        cur = c.execute("SELECT * FROM default.odd ORDER BY k")
        assert [d.name for d in cur.description] == ["k", "label"]
        assert [tuple(r) for r in cur.fetchall()] == [(1, "one"), (3, "three")]
        c.execute("INSERT INTO default.base VALUES (5, 'five')")
        assert rows(c, "SELECT k FROM default.odd ORDER BY k") == [(1,), (3,), (5,)]


# -------------------------------------------------------------- crash atomicity
BIG_N = 30_000_000


@pytest.mark.timeout(300)
def test_insert_is_atomic_when_server_is_killed(fresh_server):
    """SIGKILL during a big INSERT: after restart the table has the old rows, or old plus all new
    rows, never a part of them; no staging directory remains."""
    srv = fresh_server
    tdir = table_dir(srv.data_dir, "default", "crash_t")
    with srv.connect() as c:
        c.execute("CREATE TABLE default.crash_t (v BIGINT) STORED AS PARQUET")
        c.execute("INSERT INTO default.crash_t SELECT value FROM generate_series(1, 1000)")
        assert rows(c, "SELECT count(*), sum(v) FROM default.crash_t") == [(1000, 500500)]
    old_files = set(data_files(tdir))
    assert old_files

    outcome: dict[str, object] = {}

    def big_insert():
        try:
            with srv.connect() as c2:
                c2.execute(f"INSERT INTO default.crash_t SELECT value FROM generate_series(1, {BIG_N})")
            outcome["finished"] = True
        except BaseException as exc:  # the kill breaks the connection
            outcome["error"] = exc

    worker = threading.Thread(target=big_insert, daemon=True)
    worker.start()
    saw_staging = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and worker.is_alive():
        if staging_dirs(tdir):
            saw_staging = True
            break
        time.sleep(0.02)
    if saw_staging:
        time.sleep(0.5)  # let it write a while
    proc = srv.proc
    proc.kill()
    proc.wait(timeout=30)
    worker.join(timeout=30)
    assert saw_staging, (
        f"no {STAGING_PREFIX}* directory appeared under {tdir} while the INSERT ran: {outcome!r}"
    )

    srv.restart()  # the stop half finds the process already dead
    assert staging_dirs(tdir) == [], "staging directories survived the restart"
    with srv.connect() as c:
        after = rows(c, "SELECT count(*), sum(v) FROM default.crash_t")[0]
    old = (1000, 500500)
    full = (1000 + BIG_N, 500500 + BIG_N * (BIG_N + 1) // 2)
    assert after in (old, full), f"a partial write is visible: {after} (expected {old} or {full})"
    files = set(data_files(tdir))
    if after == old:
        assert files == old_files, "files of the unfinished INSERT are visible in the table directory"
    else:
        assert old_files <= files and len(write_ids(list(files - old_files))) == 1


def test_bucket_specs_are_kept_and_shown(conn):
    # Hive's form, before STORED AS; SHOW CREATE TABLE writes a statement that makes the same table.
    name = unique("bucketed")
    conn.execute(f"CREATE TABLE default.{name} (a STRING, b INT) CLUSTERED BY (a) SORTED BY (b ASC) INTO 8 BUCKETS STORED AS PARQUET")
    try:
        info = dict((r[0], r[1]) for r in conn.execute(f"DESCRIBE FORMATTED default.{name}").fetchall())
        assert (info["Num Buckets"], info["Bucket Columns"], info["Sort Columns"]) == ("8", "[`a`]", "[`b`]")
        statement = conn.execute(f"SHOW CREATE TABLE default.{name}").fetchone()[0]
        assert "CLUSTERED BY (a)\nSORTED BY (b)\nINTO 8 BUCKETS\nSTORED AS PARQUET" in statement
        assert conn.execute(f"SHOW TBLPROPERTIES default.{name}").fetchall() == []
        conn.execute(f"INSERT INTO default.{name} VALUES ('x', 1)")
        assert conn.execute(f"SELECT a, b FROM default.{name}").fetchall() == [("x", 1)]
    finally:
        conn.execute(f"DROP TABLE default.{name}")
    again = unique("bucketed_again")
    conn.execute(statement.replace(f"default.{name}", f"default.{again}").split("LOCATION")[0])
    try:
        info = dict((r[0], r[1]) for r in conn.execute(f"DESCRIBE FORMATTED default.{again}").fetchall())
        assert info["Num Buckets"] == "8"
    finally:
        conn.execute(f"DROP TABLE default.{again}")
