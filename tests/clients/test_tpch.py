"""TPC-H through the benchmark harness (benches/), at SF 0.01: all 22 queries answered over
PostgreSQL (psycopg) and HiveServer2 (PyHive), each answer checked against the reference answers
in the shared corpora (and against DuckDB's for the five queries whose reference depends on
dbgen's random text). It also keeps the harness itself working: the report and its JSON figures
are written and read back.

The queries and answers live outside the repository (``$HIVEWIRE_SHARED_DIR``, by default
``../shared`` beside the project root). When they are absent, as in a user's clone, this skips and
says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import hivewire_bin

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HIVEWIRE_SHARED_DIR", REPO.parent / "shared"))
TPCH = SHARED / "corpora/tpch"
SYSTEMS = ["hivewire-pg", "hivewire-hs2", "duckdb"]


@pytest.mark.skipif(not (TPCH / "answers/sf0.01").is_dir(),
                    reason=f"TPC-H queries and answers not found under {TPCH} (set HIVEWIRE_SHARED_DIR)")
def test_every_tpch_query_is_answered_correctly_over_both_protocols(tmp_path):
    data_root = Path(os.environ.get("HIVEWIRE_TPCH_DATA", Path.home() / ".cache/hivewire/tpch"))
    cmd = [sys.executable, "-m", "harness", "--sf", "0.01", "--runs", "1", "--only", "tpch",
           "--systems", ",".join(SYSTEMS), "--shared", str(SHARED), "--data-root", str(data_root),
           "--hivewire-bin", str(hivewire_bin()), "--out", str(tmp_path), "--no-charts", "--memory", "1g"]
    done = subprocess.run(cmd, cwd=REPO / "benches", stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    reports = list(tmp_path.glob("*.json"))
    assert len(reports) == 1, done.stdout
    figures = json.loads(reports[0].read_text())
    assert set(figures["tpch"]) == set(SYSTEMS)
    for system, queries in figures["tpch"].items():
        assert len(queries) == 22, system
        failed = {q: r["error"] for q, r in queries.items() if r["error"]}
        assert not failed, f"{system}: {failed}"
        assert all(r["median"] > 0 for r in queries.values()), system
    # The Markdown report is written beside the figures, with the hivewire start-up measured.
    report = reports[0].with_suffix(".md").read_text()
    assert "| q22 |" in report
    assert figures["startup"]["hivewire"]["start"] > 0
    assert 0 < figures["startup"]["hivewire"]["idle_anon"] <= figures["startup"]["hivewire"]["idle_rss"]
