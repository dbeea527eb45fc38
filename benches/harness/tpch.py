"""The 22 TPC-H queries on every system: each answer checked first, then timed runs interleaved
across systems, reporting the median per query."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import answers
from .procs import PeakSampler, settle


@dataclass
class QueryResult:
    error: str | None = None  # a wrong answer or a failure: never timed
    times: list[float] = field(default_factory=list)
    peak_rss: int | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def load_queries(queries_dir: Path, only: list[str] | None = None) -> dict[str, str]:
    out = {}
    for path in sorted(queries_dir.glob("q*.sql")):
        name = path.stem
        if only and name not in only:
            continue
        out[name] = path.read_text().strip().rstrip(";")
    if not out:
        raise SystemExit(f"no TPC-H queries in {queries_dir}")
    return out


def timed(system, sql: str) -> tuple[list[tuple], float]:
    start = time.perf_counter()
    rows, own = system.query(sql)
    wall = time.perf_counter() - start
    return rows, own if own is not None else wall


def references(systems, queries: dict[str, str], answers_dir: Path | None, notes: list[str], log=print):
    """The expected rows of each query. The reference answers were computed on dbgen's data;
    tpchgen-cli generates the same numbers but other random text (addresses, comments), so the
    few queries that print or filter on that text are checked against DuckDB's answer on the same
    files, when DuckDB is among the systems and its answer differs from the reference only there."""
    expected: dict[str, list[list[str]] | None] = {}
    duck = next((s for s in systems if s.name == "duckdb"), None)
    for q, sql in queries.items():
        path = answers_dir / f"{q}.csv" if answers_dir else None
        if path is None or not path.exists():
            expected[q] = None
            continue
        official = answers.load(path)
        expected[q] = official
        if duck is None:
            continue
        rows, _ = duck.query(sql)
        if answers.check(rows, official) is not None:
            expected[q] = [[answers.text(v) for v in r] for r in rows]
            log(f"  {q}: the reference answer does not hold on this data; checking against DuckDB's")
            notes.append(f"{q}: its reference answer depends on dbgen's random text, which tpchgen-cli generates "
                         "differently; it was checked against DuckDB's answer on the same files.")
    return expected


def run(systems, queries: dict[str, str], expected: dict, runs: int, peak_for: set[str], log=print):
    """Results by system name, then query name. `expected` comes from `references`."""
    results = {s.name: {q: QueryResult() for q in queries} for s in systems}
    # Warm-up, and the answer check: a query with a wrong answer is never timed.
    for s in systems:
        for q, sql in queries.items():
            r = results[s.name][q]
            try:
                if q in peak_for and s.pid:
                    with PeakSampler(s.pid) as sampler:
                        rows, _ = timed(s, sql)
                    r.peak_rss = sampler.peak
                else:
                    rows, _ = timed(s, sql)
            except Exception as e:  # a failure is a result
                r.error = f"failed: {str(e).splitlines()[0][:200]}"
                log(f"  {s.name} {q}: {r.error}")
                continue
            if expected.get(q) is not None:
                diff = answers.check(rows, expected[q])
                if diff:
                    r.error = f"wrong answer: {diff}"
                    log(f"  {s.name} {q}: {r.error}")
        log(f"warmed up {s.name}")
    # Timed runs, interleaved: each query runs on every system in turn, the order rotating.
    for i in range(runs):
        for q, sql in queries.items():
            order = systems[i % len(systems):] + systems[: i % len(systems)]
            for s in order:
                r = results[s.name][q]
                if r.error:
                    continue
                settle()
                try:
                    _, seconds = timed(s, sql)
                    r.times.append(seconds)
                except Exception as e:
                    r.error = f"failed on run {i + 1}: {str(e).splitlines()[0][:200]}"
        log(f"run {i + 1}/{runs} done")
    return results
