"""Spark's SQL golden files through hivewire over HiveServer2 (scripts/conformance, docs/conformance.md).

The runner starts its own servers, one per golden file, and compares every answer with Spark's. This
test fails when a query listed in the committed baseline (the queries that passed when it was last
written) no longer passes. The golden files live outside the repository (``$HIVEWIRE_SHARED_DIR``,
by default ``../shared`` beside the project root); when they are absent, as in a user's clone, the
runner's part skips and says so. The runner's own printing rules are checked here too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import hivewire_bin

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
SHARED = Path(os.environ.get("HIVEWIRE_SHARED_DIR", REPO.parent / "shared"))
CORPUS = SHARED / "corpora/spark-sql-tests"

sys.path.insert(0, str(SCRIPTS))
from conformance import golden, render, run  # noqa: E402


@pytest.mark.skipif(not (CORPUS / "results").is_dir(),
                    reason=f"Spark's golden files not found under {CORPUS} (set HIVEWIRE_SHARED_DIR)")
def test_no_query_in_the_baseline_stops_passing(tmp_path):
    cmd = [sys.executable, "-m", "conformance", "--corpus", str(CORPUS), "--hivewire-bin", str(hivewire_bin()),
           "--check", "--out", str(tmp_path)]
    done = subprocess.run(cmd, cwd=SCRIPTS, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    assert "baseline queries still pass" in done.stdout
    report = (tmp_path / "report.md").read_text()
    assert "| core relational and function files" in report


def test_values_are_printed_as_spark_prints_them():
    assert render.java_double(1.0) == "1.0"
    assert render.java_double(1e10) == "1.0E10"
    assert render.java_double(0.001) == "0.001"
    assert render.java_double(1.5e-5) == "1.5E-5"
    assert render.java_double(-1234567.0) == "-1234567.0"
    assert render.java_double(float("nan")) == "NaN"
    assert render.java_double(float("-inf")) == "-Infinity"
    assert render.java_float(3.14) == "3.14"
    assert render.value(None, "INT_TYPE") == "NULL"
    assert render.value(True, "BOOLEAN_TYPE") == "true"


def test_golden_files_and_schema_lines_are_read():
    text = ("-- !query\nSELECT 1\n-- !query schema\nstruct<1:int,count(a, b):bigint>\n-- !query output\n1\t2\n\n\n"
            "-- !query\nSELECT x\n-- !query schema\nstruct<>\n-- !query output\n"
            "org.apache.spark.sql.AnalysisException\n{}\n")
    cases = golden.parse_results(text)
    assert [c.sql for c in cases] == ["SELECT 1", "SELECT x"]
    assert cases[0].output == "1\t2" and not cases[0].expects_error
    assert cases[1].expects_error
    assert render.parse_struct(cases[0].schema) == [("1", "int"), ("count(a, b)", "bigint")]
    assert render.expected_type("decimal(10,2)") == ("DECIMAL_TYPE", (10, 2))


def test_only_a_top_level_order_by_keeps_the_row_order():
    assert run.has_top_level_order_by("SELECT a FROM t ORDER BY a")
    assert not run.has_top_level_order_by("SELECT a, rank() OVER (ORDER BY a) FROM t")
    assert not run.has_top_level_order_by("SELECT * FROM (SELECT a FROM t ORDER BY a) s")
    assert not run.has_top_level_order_by("SELECT 'order by' FROM t")
