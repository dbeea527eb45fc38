"""hivewire itself, the release binary, answering over PostgreSQL (psycopg) and HiveServer2 (PyHive)
from one server process."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from ..procs import terminate
from . import System
from .pyhive_client import PyHiveClient

LISTEN_RE = re.compile(r"^hivewire: (\S+) listening on (\S+):(\d+)$")


class HivewireServer:
    """One `hivewire serve` process on a fresh data directory, with port 0 everywhere."""

    def __init__(self, binary: Path, memory_limit: str, workdir: Path | None = None):
        self.binary = binary
        self.memory_limit = memory_limit
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="hivewire-bench-"))
        self.proc: subprocess.Popen | None = None
        self.listeners: dict[str, tuple[str, int]] = {}

    def start(self) -> float:
        """Starts the server; returns seconds from the process start to the first answered query."""
        config = self.workdir / "hivewire.toml"
        config.write_text(
            f'[server]\ndata_dir = "{self.workdir / "data"}"\n'
            '[postgres]\nlisten = "127.0.0.1:0"\n'
            '[hiveserver2]\nlisten = "127.0.0.1:0"\nhttp_listen = "127.0.0.1:0"\n'
            f'[engine]\nmemory_limit = "{self.memory_limit}"\n'
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIVEWIRE__")}
        lines: queue.Queue = queue.Queue()
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(self.binary), "serve", "--config", str(config)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=open(self.workdir / "stderr.log", "wb"),
            text=True, bufsize=1, env=env, cwd=self.workdir,
        )

        def read(stream):
            for line in stream:
                lines.put(line.rstrip("\n"))
            lines.put(None)

        threading.Thread(target=read, args=(self.proc.stdout,), daemon=True).start()
        while True:
            line = lines.get(timeout=60)
            if line is None:
                raise RuntimeError(f"hivewire exited while starting; see {self.workdir / 'stderr.log'}")
            m = LISTEN_RE.match(line)
            if m:
                self.listeners[m.group(1)] = (m.group(2), int(m.group(3)))
            if line == "hivewire: ready":
                break
        host, port = self.listeners["postgres"]
        with psycopg.connect(host=host, port=port, user="bench", dbname="default", autocommit=True) as c:
            c.execute("SELECT 1").fetchall()
        return time.perf_counter() - started

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def stop(self) -> None:
        terminate(self.proc)
        self.proc = None


class HivewirePg(System):
    """hivewire over the PostgreSQL wire protocol, with psycopg 3 (text results)."""

    name = "hivewire-pg"

    def __init__(self, server: HivewireServer):
        self.server = server
        self.conn: psycopg.Connection | None = None

    @property
    def pid(self):
        return self.server.pid

    def start(self) -> float:
        host, port = self.server.listeners["postgres"]
        self.conn = psycopg.connect(host=host, port=port, user="bench", dbname="default", autocommit=True)
        return 0.0

    def query(self, sql):
        assert self.conn is not None
        cur = self.conn.execute(sql)
        return (cur.fetchall() if cur.description else []), None

    def stop(self) -> None:
        if self.conn:
            self.conn.close()
            self.conn = None


class HivewireHs2(PyHiveClient):
    """hivewire over HiveServer2, with PyHive: the same client Spark Thrift Server is measured with."""

    name = "hivewire-hs2"

    def __init__(self, server: HivewireServer):
        super().__init__()
        self.server = server

    @property
    def pid(self):
        return self.server.pid

    def start(self) -> float:
        host, port = self.server.listeners["hiveserver2"]
        self.connect(host, port)
        return 0.0

    def stop(self) -> None:
        self.close()
