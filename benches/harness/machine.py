"""What the report says about the machine and the versions measured."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path


def _first(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not found"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def describe(repo: Path) -> dict[str, str]:
    def pkg(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    commit = _first(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"])
    return {
        "host": platform.node(),
        "cpu": f"{cpu_model()}, {os.cpu_count()} cores",
        "memory": f"{memory_gib():.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "hivewire": f"commit {commit} (release build)",
        "datafusion": "55 (the version hivewire is built with)",
        "duckdb": pkg("duckdb"),
        "pyspark": pkg("pyspark"),
        "java": _first(["java", "-version"]),
        "postgresql": _first(["/usr/lib/postgresql/15/bin/postgres", "--version"]),
        "psycopg": pkg("psycopg"),
        "PyHive": pkg("PyHive"),
        "python": platform.python_version(),
    }
