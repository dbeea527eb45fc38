"""The regression scripts under tests/differential/ are answered by hivewire as a local Spark answers them
(scripts/conformance/differential.py, docs/conformance.md).

Every script runs through hivewire and through PySpark in one `python -m conformance.differential`
process, with one Spark session for all of them, once under ANSI rules and once without; the test
fails when any answer differs, and prints each query that does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import hivewire_bin

pytest.importorskip("pyspark", reason="pyspark is not installed (scripts/test.sh installs it)")
if shutil.which("java") is None:
    pytest.skip("Java is not installed; Spark needs it", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "tests/differential").glob("*.sql"))


@pytest.mark.parametrize("mode", ["ansi", "nonansi"])
def test_every_differential_script_agrees_with_spark(mode):
    """Under ANSI rules (Spark's default) and without them (`spark.sql.ansi.enabled=false` on both
    sides), as Spark's golden files run both."""
    assert SCRIPTS, "no scripts under tests/differential/"
    flags = ["--nonansi"] if mode == "nonansi" else []
    cmd = [sys.executable, "-m", "conformance.differential", "--hivewire-bin", str(hivewire_bin()), *flags,
           *map(str, SCRIPTS)]
    done = subprocess.run(cmd, cwd=REPO / "scripts", stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " queries agree" in done.stdout
