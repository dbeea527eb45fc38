"""`python -m conformance`: run Spark's golden files through hivewire and report (docs/conformance.md)."""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import fixtures, golden, groups, report
from .run import run_file
from .server import default_binary

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def run_all(args: argparse.Namespace, files: list[golden.GoldenFile]) -> list:
    """Runs the files, `args.jobs` at a time, over fixture data staged for this run."""
    scratch = Path(tempfile.mkdtemp(prefix="hivewire-conformance-data-"))
    setup = fixtures.statements(fixtures.stage(args.corpus, scratch))
    try:
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            return list(pool.map(lambda g: run_file(args.hivewire_bin, g, setup), files))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--differential"]:
        from . import differential
        return differential.main(argv[1:])
    shared = Path(os.environ.get("HIVEWIRE_SHARED_DIR", REPO.parent / "shared"))
    ap = argparse.ArgumentParser(prog="conformance", description=__doc__)
    ap.add_argument("--corpus", type=Path, default=shared / "corpora/spark-sql-tests",
                    help="Spark's sql-tests directory (inputs/, results/, test-data/)")
    ap.add_argument("--hivewire-bin", type=Path, default=default_binary())
    ap.add_argument("--only", action="append", default=[], help="glob of input names to run (repeatable)")
    ap.add_argument("--jobs", type=int, default=2, help="files run at once, each on its own server")
    ap.add_argument("--out", type=Path, help="directory for report.md and report.json")
    ap.add_argument("--baseline", type=Path, default=HERE / "baseline.txt")
    ap.add_argument("--check", action="store_true", help="fail when a query in the baseline no longer passes")
    ap.add_argument("--update-baseline", action="store_true", help="write the passing queries as the baseline")
    ap.add_argument("--repeat", type=int, default=1,
                    help="with --update-baseline: run this many times and keep the queries that pass every time")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = ap.parse_args(argv)

    if not (args.corpus / "results").is_dir():
        print(f"conformance: Spark's golden files not found under {args.corpus} (set HIVEWIRE_SHARED_DIR)")
        return 2
    names = [n for n in golden.input_names(args.corpus) if not groups.is_skipped(n)]
    if args.only:
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in args.only)]
    files = [g for g in (golden.load(args.corpus, n) for n in names) if g is not None and not g.only_if_other]

    results = run_all(args, files)

    for r in results:
        line = f"{r.name}: {r.passed}/{len(r.outcomes)}"
        print(line)
        if args.verbose:
            for e in r.setup_errors:
                print(f"   setup: {e}")
            for o in r.outcomes:
                if not o.passed:
                    print(f"   [{o.cause}] {o.case.sql[:120]!r}: {o.detail[:300]}")
    t = report.totals(results)
    for label, (p, n) in t.items():
        print(f"{label}: {p}/{n} ({100.0 * p / max(n, 1):.1f}%)")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.md").write_text(report.markdown(results))
        (args.out / "report.json").write_text(report.as_json(results))
    now = report.passing(results)
    for _ in range(1, args.repeat):
        now &= report.passing(run_all(args, files))
    if args.update_baseline:
        # Queries whose answer depends on chance (ties in an ORDER BY, hash order) never enter it.
        now -= report.read_baseline(HERE / "unstable.txt")
        report.write_baseline(args.baseline, now)
        print(f"baseline: {len(now)} passing queries written to {args.baseline}")
    if args.check:
        ran = {r.name for r in results}
        expected = {k for k in report.read_baseline(args.baseline) if k.split("\t")[0] in ran}
        lost = sorted(expected - now)
        if lost:
            print(f"conformance: {len(lost)} queries in the baseline no longer pass:")
            for k in lost[:50]:
                print("  " + k)
            return 1
        print(f"conformance: all {len(expected)} baseline queries still pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
