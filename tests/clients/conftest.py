"""Shared fixtures for the client test suite.

The suite runs real client libraries and tools against a real ``hivewire``
binary.  The binary is taken from ``$HIVEWIRE_BIN`` or, failing that, from
``${CARGO_TARGET_DIR:-$HOME/.cache/hivewire/target}/debug/hivewire``.

Server contract relied upon here (see scripts/test.sh and the project docs):

* ``hivewire serve --config FILE`` with a TOML config;
* once every listener is bound it prints, on stdout, one line per listener
  (``hivewire: postgres listening on 127.0.0.1:PORT``) and then
  ``hivewire: ready``; logs go to stderr;
* SIGTERM stops it gracefully.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import struct
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

START_TIMEOUT = float(os.environ.get("HIVEWIRE_START_TIMEOUT", "120"))
# Above the server's own shutdown_timeout_secs (30 s by default) for running statements.
STOP_TIMEOUT = float(os.environ.get("HIVEWIRE_STOP_TIMEOUT", "45"))
CONNECT_TIMEOUT = 10
READY_LINE = "hivewire: ready"
LISTEN_RE = re.compile(r"^hivewire: ([\w-]+) listening on (\S+):(\d+)\s*$")

_EOF = object()

# Every server started by this suite, so failure reports can show their stderr.
_SERVERS: list["HivewireServer"] = []


def hivewire_bin() -> Path:
    explicit = os.environ.get("HIVEWIRE_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "hivewire", "target"
    )
    return Path(target) / "debug" / "hivewire"


def unique(prefix: str) -> str:
    """A name that no other test (or earlier run on the same data dir) uses."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class HivewireServer:
    """One ``hivewire serve`` process on a given data directory.

    ``port`` changes on every (re)start because the config asks for port 0.
    """

    def __init__(self, workdir: Path, data_dir: Path | None = None, name: str = "server"):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = Path(data_dir) if data_dir else self.workdir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.config_path = self.workdir / "hivewire.toml"
        # More TOML for the config file (sections such as [object_store]).
        self.extra_config = ""
        # Whether to serve HiveServer2 too.
        self.hiveserver2 = False
        self.stderr_path = self.workdir / "stderr.log"
        self.stdout_lines: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.listeners: dict[str, tuple[str, int]] = {}
        self._lines: queue.Queue = queue.Queue()
        self._reader: threading.Thread | None = None
        self._stderr_file = None
        self.starts = 0

    # ----------------------------------------------------------------- config
    def write_config(self) -> None:
        # TOML basic strings: escape backslashes and quotes in the path.
        data_dir = str(self.data_dir).replace("\\", "\\\\").replace('"', '\\"')
        self.config_path.write_text(
            "[server]\n"
            f'data_dir = "{data_dir}"\n'
            "\n"
            "[postgres]\n"
            'listen = "127.0.0.1:0"\n'
            "\n"
            "[hiveserver2]\n"
            + ('enabled = true\nlisten = "127.0.0.1:0"\nhttp_listen = "127.0.0.1:0"\n' if self.hiveserver2 else "enabled = false\n")
            + self.extra_config
        )

    # -------------------------------------------------------------- diagnostics
    def stderr_tail(self, lines: int = 60) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return "(no stderr captured)"
        tail = text.splitlines()[-lines:]
        return "\n".join(tail) if tail else "(stderr is empty)"

    def describe(self) -> str:
        rc = None if self.proc is None else self.proc.poll()
        return (
            f"hivewire {self.name}: binary={hivewire_bin()} config={self.config_path} "
            f"data_dir={self.data_dir} port={self.port} exit_code={rc}\n"
            f"--- stdout so far ---\n" + "\n".join(self.stdout_lines[-20:]) + "\n"
            f"--- stderr tail ({self.stderr_path}) ---\n{self.stderr_tail()}"
        )

    # -------------------------------------------------------------- lifecycle
    def _read_stdout(self, stream) -> None:
        try:
            for line in stream:
                self._lines.put(line.rstrip("\r\n"))
        finally:
            self._lines.put(_EOF)

    def start(self) -> "HivewireServer":
        binary = hivewire_bin()
        if not binary.is_file() or not os.access(binary, os.X_OK):
            pytest.fail(
                f"hivewire binary not found or not executable at {binary}. "
                "Build it with `cargo build --bins` (target dir "
                "${CARGO_TARGET_DIR:-$HOME/.cache/hivewire/target}) or set HIVEWIRE_BIN.",
                pytrace=False,
            )
        assert self.proc is None, "server already running"
        self.write_config()
        self.starts += 1
        self._stderr_file = open(self.stderr_path, "ab")
        self._stderr_file.write(f"==== start #{self.starts} ====\n".encode())
        self._stderr_file.flush()
        # HIVEWIRE__SECTION__KEY variables override the config file: drop them so
        # the file written above is the whole configuration.
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIVEWIRE__")}
        env.setdefault("RUST_BACKTRACE", "1")
        self._lines = queue.Queue()
        self.stdout_lines = []
        self.listeners = {}
        self.port = None
        self.proc = subprocess.Popen(
            [str(binary), "serve", "--config", str(self.config_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            text=True,
            bufsize=1,
            env=env,
            cwd=str(self.workdir),
        )
        if self not in _SERVERS:
            _SERVERS.append(self)
        self._reader = threading.Thread(
            target=self._read_stdout, args=(self.proc.stdout,), daemon=True
        )
        self._reader.start()

        deadline = time.monotonic() + START_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._abort()
                pytest.fail(
                    f"hivewire did not print {READY_LINE!r} within {START_TIMEOUT:.0f}s\n"
                    + self.describe(),
                    pytrace=False,
                )
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue  # loop re-checks the deadline and fails
            if line is _EOF:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
                msg = "hivewire closed stdout before printing the ready line\n" + self.describe()
                self._abort()
                pytest.fail(msg, pytrace=False)
            self.stdout_lines.append(line)
            m = LISTEN_RE.match(line)
            if m:
                self.listeners[m.group(1)] = (m.group(2), int(m.group(3)))
            if line.strip() == READY_LINE:
                break

        if "postgres" not in self.listeners:
            msg = "hivewire became ready without announcing a postgres listener\n" + self.describe()
            self._abort()
            pytest.fail(msg, pytrace=False)
        self.host, self.port = self.listeners["postgres"]
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        while True:
            line = self._lines.get()
            if line is _EOF:
                return
            self.stdout_lines.append(line)

    def _abort(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        self.proc = None
        if self._stderr_file is not None:
            self._stderr_file.close()
            self._stderr_file = None

    def stop(self) -> int:
        """SIGTERM and wait. Returns the exit code; fails if it does not exit in time."""
        proc = self.proc
        if proc is None:
            return 0
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            msg = f"hivewire did not exit within {STOP_TIMEOUT:.0f}s of SIGTERM\n" + self.describe()
            self._cleanup()
            pytest.fail(msg, pytrace=False)
        if self._reader is not None:
            self._reader.join(timeout=5)
        self._cleanup()
        return rc

    def restart(self) -> int:
        """Stop gracefully and start again on the same data dir. Returns the stop exit code."""
        rc = self.stop()
        self.start()
        return rc

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # ---------------------------------------------------------------- clients
    def conninfo(self, dbname: str = "hivewire", user: str = "hwtest") -> str:
        return (
            f"host={self.host} port={self.port} user={user} dbname={dbname} "
            f"connect_timeout={CONNECT_TIMEOUT}"
        )

    def connect(self, dbname: str = "hivewire", autocommit: bool = True, **kwargs):
        import psycopg

        return psycopg.connect(self.conninfo(dbname), autocommit=autocommit, **kwargs)

    def sqlalchemy_url(self, dbname: str = "hivewire", user: str = "hwtest") -> str:
        return f"postgresql+psycopg://{user}@{self.host}:{self.port}/{dbname}"


# ----------------------------------------------------------------------- hooks
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # Setup/teardown failures of the server fixtures already carry the tail.
    if report.failed and report.when == "call":
        for server in _SERVERS:
            report.sections.append(
                (f"hivewire {server.name} stderr tail ({server.stderr_path})", server.stderr_tail())
            )


# -------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The shared server for the whole session (read ``server.port`` when connecting)."""
    workdir = tmp_path_factory.mktemp("hivewire")
    srv = HivewireServer(workdir, name="session")
    srv.start()
    try:
        yield srv
    finally:
        if srv.proc is not None:
            srv.stop()


@pytest.fixture(scope="session")
def pg_port(server) -> int:
    return server.port


@pytest.fixture(scope="session")
def data_dir(server) -> Path:
    return server.data_dir


@pytest.fixture
def fresh_server(tmp_path):
    """A private server on its own data dir, for tests that restart it."""
    srv = HivewireServer(tmp_path / "hivewire", name="private")
    srv.start()
    try:
        yield srv
    finally:
        if srv.proc is not None:
            srv.stop()
        if srv in _SERVERS:
            _SERVERS.remove(srv)


@pytest.fixture
def conn(server):
    """An autocommit psycopg connection to the ``hivewire`` database."""
    c = server.connect()
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def files_dir(tmp_path) -> Path:
    """A directory for data files that external tables point at."""
    d = tmp_path / "files"
    d.mkdir()
    return d


# ------------------------------------------------------- raw protocol helper
def raw_startup(host: str, port: int, params: dict[str, str], timeout: float = 10.0):
    """Send a v3 StartupMessage and return the server's first ErrorResponse
    fields (``{'C': sqlstate, 'M': message, ...}``), or None if it reached
    ReadyForQuery.  Used where libpq hides the SQLSTATE of a failed connect.
    """
    body = struct.pack("!i", 196608)
    for k, v in params.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(struct.pack("!i", len(body) + 4) + body)
        buf = b""

        def read_exact(n: int) -> bytes:
            nonlocal buf
            while len(buf) < n:
                chunk = s.recv(65536)
                if not chunk:
                    raise ConnectionError("server closed the connection")
                buf += chunk
            out, buf = buf[:n], buf[n:]
            return out

        while True:
            tag = read_exact(1)
            (length,) = struct.unpack("!i", read_exact(4))
            payload = read_exact(length - 4)
            if tag == b"E":
                fields = {}
                for part in payload.split(b"\0"):
                    if part:
                        fields[chr(part[0])] = part[1:].decode(errors="replace")
                return fields
            if tag == b"Z":
                return None
            if tag == b"R":
                (code,) = struct.unpack("!i", payload[:4])
                if code != 0:
                    raise AssertionError(f"server asked for authentication method {code}")


@pytest.fixture(scope="module")
def hs2(tmp_path_factory):
    """A server with HiveServer2 on a free port too (read ``hs2.listeners["hiveserver2"]``)."""
    srv = HivewireServer(tmp_path_factory.mktemp("hs2"), name="hs2")
    srv.hiveserver2 = True
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def hive_cursor(hs2):
    """A PyHive cursor on the module's HiveServer2 server."""
    from pyhive import hive

    host, port = hs2.listeners["hiveserver2"]
    with hive.connect(host=host, port=port, username="tester", auth="NOSASL") as conn:
        yield conn.cursor()


def answer(cur, sql):
    """The rows a statement gives."""
    cur.execute(sql)
    return cur.fetchall()


def described(cur, sql):
    """The (name, HiveServer2 type) of each column a statement gives."""
    cur.execute(sql)
    cur.fetchall()
    return [(d[0], d[1]) for d in cur.description]
