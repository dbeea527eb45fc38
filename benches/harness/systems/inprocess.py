"""DataFusion in-process with hivewire's session settings (`benches/tpch_inprocess.rs`): the limit
for what the wire protocols cost. Its times are its own, taken inside the process."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from . import System


class DataFusionInProcess(System):
    name = "datafusion"

    def __init__(self, binary: Path, memory_limit: str):
        self.binary = binary
        self.memory_limit = memory_limit
        self.proc: subprocess.Popen | None = None
        self.data: Path | None = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self) -> float:
        return 0.0

    def create_tables(self, data: Path) -> None:
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(self.binary), str(data), self.memory_limit], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        self.query("SELECT 1")
        self.started = time.perf_counter() - started

    def query(self, sql):
        assert self.proc and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"sql": sql}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the in-process runner exited")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return [tuple(r) for r in answer["rows"]], answer["ms"] / 1000.0

    def stop(self) -> None:
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
            self.proc = None
