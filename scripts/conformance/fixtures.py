"""The tables Spark's golden files expect to exist: testdata, arraydata, mapdata, aggtest, onek and
tenk1, as Spark's SQLQueryTestSuite creates them before each run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

TENK_COLUMNS = (
    "unique1 INT, unique2 INT, two INT, four INT, ten INT, twenty INT, hundred INT, thousand INT, "
    "twothousand INT, fivethous INT, tenthous INT, odd INT, even INT, stringu1 STRING, "
    "stringu2 STRING, string4 STRING"
)

# table name, columns, data file under test-data/postgresql
TEXT_TABLES = [
    ("aggtest", "a INT, b FLOAT", "agg.data"),
    ("onek", TENK_COLUMNS, "onek.data"),
    ("tenk1", TENK_COLUMNS, "tenk.data"),
]


def stage(corpus: Path, scratch: Path) -> dict[str, Path]:
    """Copies each data file into a directory of its own (a table's location is a directory)."""
    dirs = {}
    for table, _, data in TEXT_TABLES:
        d = scratch / table
        d.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / "test-data/postgresql" / data, d / data)
        dirs[table] = d
    return dirs


def plain_tables() -> dict[str, list[str]]:
    """The DDL and inserts of each fixture table made from literals alone (testdata, arraydata and
    mapdata): plain SQL, which Spark runs too (the differential mode makes them there)."""
    maps = [
        [(1, "a1"), (2, "b1"), (3, "c1"), (4, "d1"), (5, "e1")],
        [(1, "a2"), (2, "b2"), (3, "c2"), (4, "d2")],
        [(1, "a3"), (2, "b3"), (3, "c3")],
        [(1, "a4"), (2, "b4")],
        [(1, "a5")],
    ]
    return {
        "testdata": [
            "CREATE TABLE testdata (key INT, value STRING) USING parquet",
            "INSERT INTO testdata VALUES " + ", ".join(f"({i}, '{i}')" for i in range(1, 101)),
        ],
        "arraydata": [
            "CREATE TABLE arraydata (arraycol ARRAY<INT>, nestedarraycol ARRAY<ARRAY<INT>>) USING parquet",
            "INSERT INTO arraydata VALUES (array(1, 2, 3), array(array(1, 2, 3))), "
            "(array(2, 3, 4), array(array(2, 3, 4)))",
        ],
        "mapdata": [
            "CREATE TABLE mapdata (mapcol MAP<INT, STRING>) USING parquet",
            "INSERT INTO mapdata VALUES " + ", ".join(
                "(map(" + ", ".join(f"{k}, '{v}'" for k, v in m) + "))" for m in maps),
        ],
    }


def statements(dirs: dict[str, Path]) -> list[str]:
    """The DDL and inserts that make the fixture tables in the current database."""
    out = [sql for table in plain_tables().values() for sql in table]
    for table, columns, _ in TEXT_TABLES:
        out.append(
            f"CREATE EXTERNAL TABLE {table} ({columns}) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' "
            f"STORED AS TEXTFILE LOCATION '{dirs[table]}'"
        )
    return out
