"""DuckDB in-process (the `duckdb` package), with as many threads and as much memory as hivewire."""

from __future__ import annotations

import time

import duckdb

from . import System


class DuckDB(System):
    name = "duckdb"

    def __init__(self, threads: int, memory: str):
        self.threads = threads
        self.memory = memory
        self.con = None

    def start(self) -> float:
        started = time.perf_counter()
        self.con = duckdb.connect()
        self.con.execute(f"SET threads = {self.threads}")
        self.con.execute(f"SET memory_limit = '{self.memory}'")
        self.con.execute("SELECT 1").fetchall()
        return time.perf_counter() - started

    def create_table_sql(self, table, location):
        return f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{location}/*.parquet')"

    def query(self, sql):
        return self.con.execute(sql).fetchall(), None

    def stop(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
