"""A PyHive connection, as hivewire's HiveServer2 front end and Spark Thrift Server are both
measured with it."""

from __future__ import annotations

from pyhive import hive

from . import System

# Rows per FetchResults call. PyHive's default (1000) makes a call per thousand rows.
FETCH_ROWS = 10_000


class PyHiveClient(System):
    def __init__(self):
        self.conn = None

    def connect(self, host: str, port: int) -> None:
        self.conn = hive.connect(host=host, port=port, username="bench")

    def query(self, sql):
        cur = self.conn.cursor(arraysize=FETCH_ROWS)
        try:
            cur.execute(sql)
            rows = cur.fetchall() if cur.description else []
        finally:
            cur.close()
        return rows, None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
