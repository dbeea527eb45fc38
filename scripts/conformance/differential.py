"""`python -m conformance.differential FILE.sql ...`: any SQL script through hivewire and a local
Spark, reporting the queries whose answers differ (docs/conformance.md).

Spark's golden files hold answers only for the queries Spark's own suite asks. Here a local Spark
answers the script first (spark.py), its answers stand in for a golden file, and the golden-file
runner runs the script through hivewire and judges each answer by the same rules.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from . import fixtures, golden, report, spark
from .run import FileResult, run_file
from .server import default_binary


def read_script(path: Path, ansi: bool) -> tuple[list[str], dict[str, str], list[str]]:
    """A script's statements, its settings (its `--SET` lines over Spark's test defaults), and the
    statements that make the fixture tables it names."""
    script = path.read_text()
    settings, _ = golden.script_settings(script)
    setup = [sql for table, made_by in fixtures.plain_tables().items()
             if re.search(rf"\b{table}\b", script, re.IGNORECASE) for sql in made_by]
    return golden.split_statements(script), golden.with_defaults(settings, ansi), setup


def compare(session: spark.SparkSession, binary: Path, path: Path, ansi: bool) -> FileResult:
    """Spark's answers to one script, and hivewire's judged against them."""
    statements, settings, setup = read_script(path, ansi)
    expected, spark_errors = spark.answer_file(session, str(path), statements, settings, setup)
    result = run_file(binary, expected, setup)
    result.setup_errors += spark_errors
    return result


def _first_line(sql: str) -> str:
    return sql.splitlines()[0][:100] if sql else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="conformance.differential", description=__doc__)
    ap.add_argument("files", nargs="+", type=Path, help="scripts: statements ending in ';' at a line's end")
    ap.add_argument("--hivewire-bin", type=Path, default=default_binary())
    ap.add_argument("--out", type=Path, help="directory for report.md and report.json")
    ap.add_argument("--nonansi", action="store_true",
                    help="spark.sql.ansi.enabled=false on both sides, unless a script sets it")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the queries that agree too")
    args = ap.parse_args(argv)

    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hivewire-differential-") as warehouse:
        session = spark.start(Path(warehouse))
        started = time.monotonic()
        try:
            results = [compare(session, args.hivewire_bin, f, not args.nonansi) for f in args.files]
        finally:
            session.stop()
    ran = time.monotonic()

    for r in results:
        for e in r.setup_errors:
            print(f"{r.name}: setup: {e}")
        for o in r.outcomes:
            if not o.passed:
                detail = " ".join(o.detail.splitlines())
                print(f"{r.name}:{o.case.index}: {_first_line(o.case.sql)}  [{o.cause}] {detail}")
            elif args.verbose:
                print(f"{r.name}:{o.case.index}: {_first_line(o.case.sql)}  agrees")
    agree, total = sum(r.passed for r in results), sum(len(r.outcomes) for r in results)
    print(f"{agree} of {total} queries agree")
    print(f"Spark started in {started - began:.1f} s; the files ran in {ran - started:.1f} s")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.md").write_text(report.differences_markdown(results))
        (args.out / "report.json").write_text(report.as_json(results, target_sets=False))
    return 0 if agree == total else 1


if __name__ == "__main__":
    sys.exit(main())
