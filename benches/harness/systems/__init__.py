"""The systems a benchmark compares. Each one starts (timing its start to the first answered
query), creates the TPC-H tables over the same Parquet files, answers queries, and stops."""

from __future__ import annotations

import socket
from pathlib import Path

from ..datagen import TABLES


class System:
    """One system under test. `pid` is the process to measure, when it has one of its own."""

    name = "system"
    pid: int | None = None

    def start(self) -> float:
        """Starts it; returns seconds from process start to the first answered query."""
        raise NotImplementedError

    def create_tables(self, data: Path) -> None:
        """Makes a table of every directory in `data` (see `datagen`)."""
        for table in TABLES:
            self.execute(self.create_table_sql(table, data / table))

    def create_table_sql(self, table: str, location: Path) -> str:
        return f"CREATE TABLE IF NOT EXISTS {table} USING parquet LOCATION '{location}'"

    def execute(self, sql: str) -> None:
        """Runs a statement whose rows, if any, do not matter."""
        self.query(sql)

    def query(self, sql: str) -> tuple[list[tuple], float | None]:
        """Runs a query to its last row: the rows, and the system's own timing in seconds if it
        measures one (otherwise the harness times the call)."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


def free_port() -> int:
    """A port nobody listens on now (for servers that cannot be told to pick one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
