"""PostgreSQL 15 from Debian's packages, on loopback in a fresh data directory: the peer for result
transfer to PostgreSQL clients."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import free_port


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"{name} not found: install Debian's postgresql package")
    return found[-1]


class PostgresServer:
    """initdb + pg_ctl as the `postgres` user when run as root (PostgreSQL refuses root)."""

    def __init__(self, workdir: Path | None = None):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="pg-bench-"))
        self.port = 0
        self.pid: int | None = None

    def _run(self, args: list[str]) -> None:
        if os.geteuid() == 0:
            args = ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        data = self.workdir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        self._run([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        self.port = free_port()
        opts = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB"
        self._run([pg_bin("pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l", str(self.workdir / "log"), "start"])
        self.pid = int((data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        if self.pid:
            self._run([pg_bin("pg_ctl"), "-D", str(self.workdir / "data"), "-m", "fast", "-w", "stop"])
            self.pid = None
        shutil.rmtree(self.workdir, ignore_errors=True)
