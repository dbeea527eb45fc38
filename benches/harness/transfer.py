"""Result transfer: a 10-million-row, six-column result (lineitem columns of mixed types) fetched
whole by each client, from hivewire, from PostgreSQL serving the same rows, and from Spark Thrift
Server. Clients read row by row and keep nothing, so the figure is the server's and the client's
speed, not the client's memory."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg

from .procs import PeakSampler, tree_cpu

ROWS = 10_000_000
COLUMNS = "l_orderkey, l_partkey, l_quantity, l_extendedprice, l_shipdate, l_comment"
PG_DDL = ("CREATE TABLE transfer (l_orderkey bigint, l_partkey bigint, l_quantity numeric(15,2), "
          "l_extendedprice numeric(15,2), l_shipdate date, l_comment varchar(44))")
SQL = "SELECT * FROM transfer"


def prepare(data: Path) -> Path:
    """`<data>/transfer/transfer.parquet`: the first 10M rows of lineitem, repeated if it is smaller."""
    out = data / "transfer"
    target = out / "transfer.parquet"
    if target.exists():
        return out
    out.mkdir(exist_ok=True)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW lineitem AS SELECT * FROM read_parquet('{data}/lineitem/*.parquet')")
    n = con.execute("SELECT count(*) FROM lineitem").fetchone()[0]
    copies = -(-ROWS // n)
    union = " UNION ALL ".join(f"SELECT {COLUMNS} FROM lineitem" for _ in range(copies))
    tmp = out / "transfer.parquet.tmp"
    con.execute(f"COPY (SELECT * FROM ({union}) LIMIT {ROWS}) TO '{tmp}' (FORMAT parquet)")
    tmp.rename(target)
    return out


def load_postgres(conninfo: str, folder: Path) -> None:
    """Loads the same rows into PostgreSQL, through a CSV file DuckDB writes (beside the table's
    folder, which must hold Parquet files only)."""
    csv = folder.parent / "transfer.csv"
    if not csv.exists():
        duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet('{folder}/transfer.parquet')) TO '{csv}' (HEADER false)")
    with psycopg.connect(conninfo, autocommit=True) as c:
        c.execute(PG_DDL)
        with c.cursor().copy("COPY transfer FROM STDIN (FORMAT csv)") as copy, open(csv, "rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        c.execute("VACUUM ANALYZE transfer")


# ------------------------------------------------------------------ clients
def psycopg_rows(conninfo: str, binary: bool) -> int:
    n = 0
    with psycopg.connect(conninfo, autocommit=True) as c, c.cursor() as cur:
        for _ in cur.stream(SQL, binary=binary):
            n += 1
    return n


def copy_rows(conninfo: str) -> int:
    lines = 0
    with psycopg.connect(conninfo, autocommit=True) as c, c.cursor() as cur:
        with cur.copy(f"COPY ({SQL}) TO STDOUT") as copy:
            for block in copy:
                lines += bytes(block).count(b"\n")
    return lines


def asyncpg_rows(host: str, port: int, user: str, database: str) -> int:
    import asyncpg

    async def go() -> int:
        conn = await asyncpg.connect(host=host, port=port, user=user, database=database)
        n = 0
        try:
            async with conn.transaction():
                async for _ in conn.cursor(SQL, prefetch=10_000):
                    n += 1
        finally:
            await conn.close()
        return n

    return asyncio.run(go())


def pyhive_rows(host: str, port: int, conf: dict[str, str]) -> int:
    from pyhive import hive

    conn = hive.connect(host=host, port=port, username="bench",
                        configuration={f"set:hiveconf:{k}": v for k, v in conf.items()})
    cur = conn.cursor(arraysize=10_000)
    cur.execute(SQL)
    n = 0
    while rows := cur.fetchmany(10_000):
        n += len(rows)
    conn.close()
    return n


def beeline_rows(host: str, port: int, conf: dict[str, str]) -> int:
    """beeline's CSV output goes to /dev/null; the row count is the one beeline reports."""
    from .systems.spark import spark_home

    home = spark_home()
    cmd = [str(home / "bin/beeline"), "-u", f"jdbc:hive2://{host}:{port}/default", "-n", "bench",
           "--outputformat=csv2", "--incremental=true", "-e", SQL]
    for k, v in conf.items():
        cmd += ["--hiveconf", f"{k}={v}"]
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, SPARK_HOME=str(home)), check=True, text=True)
    m = re.search(r"([\d,]+) rows? selected", done.stderr)
    if not m:
        raise RuntimeError("beeline did not report a row count: " + done.stderr[-300:])
    return int(m.group(1).replace(",", ""))


@dataclass
class Transfer:
    server: str
    client: str
    rows: int = 0
    seconds: float = 0.0
    error: str | None = None
    peak_rss: int | None = None
    server_cpu: float | None = None  # CPU seconds the server spent, user and system

    @property
    def cpu_per_million(self) -> float | None:
        return self.server_cpu / self.rows * 1e6 if self.server_cpu is not None and self.rows and not self.error else None

    @property
    def rate(self) -> float | None:
        return self.rows / self.seconds if self.seconds and not self.error else None


def measure(server: str, client: str, fetch, pid: int | None = None, log=print) -> Transfer:
    t = Transfer(server, client)
    try:
        start = time.perf_counter()
        if pid:
            cpu = tree_cpu(pid)
            with PeakSampler(pid, interval=0.05) as s:
                t.rows = fetch()
            t.peak_rss = s.peak
            t.server_cpu = tree_cpu(pid) - cpu
        else:
            t.rows = fetch()
        t.seconds = time.perf_counter() - start
        if t.rows != ROWS:
            t.error = f"{t.rows} rows, expected {ROWS}"
    except Exception as e:  # a failure is a result
        t.error = str(e).splitlines()[0][:200]
    log(f"  {server} / {client}: " + (t.error or f"{t.seconds:.1f} s, {t.rate:,.0f} rows/s"))
    return t


def pg_clients(server: str, host: str, port: int, user: str, database: str, pid: int | None, log=print) -> list[Transfer]:
    conninfo = f"host={host} port={port} user={user} dbname={database}"
    return [
        measure(server, "psycopg text", lambda: psycopg_rows(conninfo, False), pid, log),
        measure(server, "psycopg binary", lambda: psycopg_rows(conninfo, True), pid, log),
        measure(server, "asyncpg", lambda: asyncpg_rows(host, port, user, database), pid, log),
        measure(server, "COPY TO STDOUT", lambda: copy_rows(conninfo), pid, log),
    ]


def hs2_clients(server: str, host: str, port: int, pid: int | None, conf: dict[str, str] | None = None,
                log=print) -> list[Transfer]:
    """`conf`: session settings both clients pass when they connect."""
    conf = conf or {}
    return [
        measure(server, "PyHive", lambda: pyhive_rows(host, port, conf), pid, log),
        measure(server, "beeline csv2", lambda: beeline_rows(host, port, conf), pid, log),
    ]
