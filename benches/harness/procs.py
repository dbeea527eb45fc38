"""Processes the harness starts, and their memory: resident set sizes of a process tree, sampled
while something runs."""

from __future__ import annotations

import subprocess
import threading
import time
from contextlib import contextmanager

import psutil


def _tree(pid: int) -> list:
    """`pid` and all its descendants (Spark runs a JVM under a launcher)."""
    try:
        p = psutil.Process(pid)
        return [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _memory(pid: int) -> list:
    """`memory_info()` of `pid` and all its descendants."""
    out = []
    for q in _tree(pid):
        try:
            out.append(q.memory_info())
        except psutil.NoSuchProcess:
            pass
    return out


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) used so far by `pid` and all its descendants, including those
    that have exited since (PostgreSQL's backends end with their connections): a process's
    `children_*` times hold what its exited and reaped children used."""
    total = 0.0
    for q in _tree(pid):
        try:
            t = q.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and all its descendants."""
    return sum(m.rss for m in _memory(pid))


def idle_memory(pid: int) -> dict:
    """The process tree's RSS, and the part of it that is anonymous memory (the heap: what the
    server itself holds), as opposed to file-backed pages (mostly the executable's code, which the
    kernel maps in fault-around blocks as it runs)."""
    infos = _memory(pid)
    # On Linux, psutil's `shared` is RssFile + RssShmem.
    return {"idle_rss": sum(m.rss for m in infos), "idle_anon": sum(m.rss - m.shared for m in infos)}


class PeakSampler:
    """The highest `tree_rss` seen while it runs, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        self.peak = tree_rss(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.pid))


@contextmanager
def timer():
    """Yields a dict whose "s" is set to the elapsed seconds on exit."""
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["s"] = time.perf_counter() - start


def settle(busy: float = 0.15, window: float = 0.05, timeout: float = 3.0) -> None:
    """Waits until the machine's CPUs are quiet: less than `busy` of their time used over a
    `window`, or `timeout` passed. A JVM keeps compiling and collecting for a while after a query
    ends; on two cores, that would slow whichever system runs next."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if psutil.cpu_percent(interval=window) < busy * 100:
            return


def wait_until(check, timeout: float, what: str, pause: float = 0.05):
    """Calls `check` until it returns a true value (which is returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # the thing is not up yet
            last = e
        time.sleep(pause)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s (last error: {last})")


def terminate(proc: subprocess.Popen | None, timeout: float = 60) -> None:
    """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
