"""A hivewire server for the runner: its own data directory, HiveServer2 on a free port."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

LISTEN = re.compile(r"^hivewire: ([\w-]+) listening on (\S+):(\d+)\s*$")


def default_binary() -> Path:
    """`$HIVEWIRE_BIN`, or else the debug build under `$CARGO_TARGET_DIR`."""
    if os.environ.get("HIVEWIRE_BIN"):
        return Path(os.environ["HIVEWIRE_BIN"])
    target = os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache/hivewire/target"
    return Path(target) / "debug/hivewire"


class Server:
    def __init__(self, binary: Path, workdir: Path | None = None):
        self.binary = binary
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="hivewire-conformance-"))
        self.proc: subprocess.Popen | None = None
        self.hs2: tuple[str, int] | None = None

    def start(self, timeout: float = 120) -> None:
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "hivewire.toml"
        config.write_text(
            f'[server]\ndata_dir = "{data}"\n\n[postgres]\nlisten = "127.0.0.1:0"\n\n'
            '[hiveserver2]\nenabled = true\nlisten = "127.0.0.1:0"\nhttp_listen = "127.0.0.1:0"\n\n'
            '[engine]\nmemory_limit = "4g"\n'
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIVEWIRE__")}
        env.setdefault("RUST_LOG", "warn")
        with open(self.workdir / "stderr.log", "wb") as stderr:
            self.proc = subprocess.Popen(
                [str(self.binary), "serve", "--config", str(config)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
            )
        ready = threading.Event()

        def read():
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                m = LISTEN.match(line)
                if m and m.group(1) == "hiveserver2":
                    self.hs2 = (m.group(2), int(m.group(3)))
                if line.strip() == "hivewire: ready":
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(timeout) or self.hs2 is None:
            self.stop()
            raise RuntimeError(f"hivewire did not start; see {self.workdir / 'stderr.log'}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, keep: bool = False) -> None:
        """Stops the server and, unless `keep`, removes its directory."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
