"""`python -m harness`: runs the benchmarks and writes the report (see benches/README.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import concurrency, datagen, machine, report, tpch, transfer
from .procs import idle_memory
from .systems.postgres import PostgresServer
from .systems.duck import DuckDB
from .systems.hivewire import HivewireHs2, HivewirePg, HivewireServer
from .systems.inprocess import DataFusionInProcess
from .systems.spark import INCREMENTAL_COLLECT, SparkThriftServer

REPO = Path(__file__).resolve().parents[2]
ALL_SYSTEMS = ["hivewire-pg", "hivewire-hs2", "datafusion", "duckdb", "spark-thrift"]


def shared_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("HIVEWIRE_SHARED_DIR"):
        return Path(os.environ["HIVEWIRE_SHARED_DIR"])
    return REPO.parent / "shared"


def parse() -> argparse.Namespace:
    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/hivewire/target"))
    p = argparse.ArgumentParser(prog="harness", description=__doc__)
    p.add_argument("--sf", type=float, default=1.0, help="TPC-H scale factor (0.01, 0.1, 1, 10)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per query, after one warm-up run")
    p.add_argument("--systems", default=",".join(ALL_SYSTEMS), help="comma-separated, from: " + ", ".join(ALL_SYSTEMS))
    p.add_argument("--queries", default="", help="comma-separated query names (q01,q18); default all 22")
    p.add_argument("--memory", default="4g", help="memory for every system (hivewire's memory_limit, Spark's driver memory)")
    p.add_argument("--shared", default=None, help="the shared corpora directory (TPC-H queries and answers)")
    p.add_argument("--data-root", type=Path, default=Path.home() / ".cache/hivewire/tpch")
    p.add_argument("--hivewire-bin", type=Path, default=target / "release/hivewire")
    p.add_argument("--inprocess-bin", type=Path, default=target / "release/examples/tpch_inprocess")
    p.add_argument("--out", type=Path, default=REPO / "benches/results")
    p.add_argument("--only", default="tpch,transfer,concurrency", help="which parts to run")
    p.add_argument("--clients", default="1,8,64,256", help="client counts for the concurrency part")
    p.add_argument("--duration", type=float, default=15, help="seconds per concurrency level")
    p.add_argument("--no-charts", action="store_true", help="write the report without PNG charts")
    return p.parse_args()


def make_systems(args, names):
    server = HivewireServer(args.hivewire_bin, args.memory) if any(n.startswith("hivewire") for n in names) else None
    made = []
    for n in names:
        if n == "hivewire-pg":
            made.append(HivewirePg(server))
        elif n == "hivewire-hs2":
            made.append(HivewireHs2(server))
        elif n == "datafusion":
            made.append(DataFusionInProcess(args.inprocess_bin, args.memory))
        elif n == "duckdb":
            made.append(DuckDB(os.cpu_count() or 1, args.memory.upper().replace("G", "GB")))
        elif n == "spark-thrift":
            made.append(SparkThriftServer(args.memory))
        else:
            raise SystemExit(f"unknown system {n!r}; choose from {', '.join(ALL_SYSTEMS)}")
    return server, made


def targets(run: dict) -> list[dict]:
    out = []
    t = run.get("tpch_totals", {})

    def add(figure, target, value, met, fmt="{:.3f}x"):
        out.append({"figure": figure, "target": target,
                    "measured": "not measured" if value is None else fmt.format(value),
                    "met": "—" if value is None else ("yes" if met(value) else "**no**")})

    def r(a, b):
        return t[a] / t[b] if t.get(a) and t.get(b) else None

    add("TPC-H total over HS2 vs Spark Thrift Server", "≤ 0.05x (1/20)", r("hivewire-hs2", "spark-thrift"), lambda v: v <= 0.05)
    add("TPC-H total over pgwire vs in-process DataFusion", "≤ 1.10x", r("hivewire-pg", "datafusion"), lambda v: v <= 1.10)
    add("TPC-H total (pgwire) vs DuckDB", "≤ 1.5x", r("hivewire-pg", "duckdb"), lambda v: v <= 1.5)
    s = run.get("startup", {}).get("hivewire", {})
    add("process start to first answered query", "< 150 ms", s.get("start") and s["start"] * 1000, lambda v: v < 150, "{:.0f} ms")
    add("idle RSS", "< 40 MB", s.get("idle_rss") and s["idle_rss"] / 1024 / 1024, lambda v: v < 40, "{:.1f} MB")
    rates = {(t.server, t.client): t.rate for t in run.get("transfer", [])}

    def rate_ratio(a, b):
        x, y = rates.get(a), rates.get(b)
        return x / y if x and y else None

    add("10M-row transfer via psycopg binary vs PostgreSQL", "≥ 1.0x rows/s",
        rate_ratio(("hivewire", "psycopg binary"), ("postgresql", "psycopg binary")), lambda v: v >= 1.0)
    add("10M-row transfer via PyHive vs Spark Thrift Server", "≥ 5x rows/s",
        rate_ratio(("hivewire", "PyHive"), ("spark-thrift", "PyHive")), lambda v: v >= 5.0)
    qps = {(l.system, l.clients): l.qps for l in run.get("concurrency", [])}
    a, b = qps.get(("hivewire-hs2", 64)), qps.get(("spark-thrift", 64))
    add("short-query throughput at 64 clients (HS2, PyHive) vs Spark Thrift Server", "≥ 20x",
        a / b if a and b else None, lambda v: v >= 20)
    return out


def run_transfer(data: Path, server, by_name: dict) -> list:
    folder = transfer.prepare(data)
    out = []
    if server:
        pg = by_name.get("hivewire-pg") or HivewirePg(server)
        if pg.conn is None:
            pg.start()
        pg.execute("DROP TABLE IF EXISTS transfer")
        pg.execute(f"CREATE TABLE transfer USING parquet LOCATION '{folder}'")
        host, port = server.listeners["postgres"]
        out += transfer.pg_clients("hivewire", host, port, "bench", "default", server.pid)
        host, port = server.listeners["hiveserver2"]
        out += transfer.hs2_clients("hivewire", host, port, server.pid)
    pg_server = PostgresServer()
    try:
        pg_server.start()
        transfer.load_postgres(f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres", folder)
        out += transfer.pg_clients("postgresql", "127.0.0.1", pg_server.port, "postgres", "postgres", pg_server.pid)
    finally:
        pg_server.stop()
    spark = by_name.get("spark-thrift")
    if spark:
        spark.execute("DROP TABLE IF EXISTS transfer")
        spark.execute(f"CREATE TABLE transfer USING parquet LOCATION '{folder}'")
        out += transfer.hs2_clients("spark-thrift", "127.0.0.1", spark.port, spark.pid, INCREMENTAL_COLLECT)
    return out


def run_concurrency(small: Path, server, by_name: dict, levels: list[int], seconds: float) -> list:
    targets = []
    if server:
        pg = by_name.get("hivewire-pg") or HivewirePg(server)
        if pg.conn is None:
            pg.start()
        for sql in concurrency.mix_tables_sql(small):
            pg.execute(sql)
        targets.append(("hivewire-pg", "pg", *server.listeners["postgres"]))
        targets.append(("hivewire-hs2", "hs2", *server.listeners["hiveserver2"]))
    spark = by_name.get("spark-thrift")
    if spark:
        for sql in concurrency.mix_tables_sql(small):
            spark.execute(sql)
        targets.append(("spark-thrift", "hs2", "127.0.0.1", spark.port))
    loads = []
    for clients in levels:
        for name, kind, host, port in targets:
            loads.append(concurrency.run(name, kind, host, port, clients, seconds))
    return loads


def main() -> int:
    args = parse()
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    shared = shared_dir(args.shared)
    queries_dir = shared / "corpora/tpch/queries"
    if not queries_dir.is_dir():
        raise SystemExit(f"the TPC-H queries are not at {queries_dir}: pass --shared or set HIVEWIRE_SHARED_DIR")
    answers_dir = shared / f"corpora/tpch/answers/sf{args.sf:g}"
    notes = []
    if not answers_dir.is_dir():
        notes.append(f"No reference answers for SF{args.sf:g}: answers were not checked.")
        answers_dir = None
    needed = ([args.hivewire_bin] if any(n.startswith("hivewire") for n in names) else []) + \
        ([args.inprocess_bin] if "datafusion" in names else [])
    for binary in needed:
        if not binary.exists():
            raise SystemExit(f"{binary} is missing: run benches/run.sh, which builds it")

    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    data = datagen.generate(args.data_root, args.sf)
    queries = tpch.load_queries(queries_dir, [q for q in args.queries.split(",") if q] or None)
    server, systems = make_systems(args, names)
    run: dict = {
        "machine": machine.describe(REPO),
        "settings": f"SF{args.sf:g}, {args.runs} timed runs, memory {args.memory} for each system, systems: {', '.join(names)}",
        "runs": args.runs,
        "startup": {},
        "notes": notes,
    }
    started = []
    try:
        if server:
            seconds = server.start()
            run["startup"]["hivewire"] = {"start": seconds, **idle_memory(server.pid)}
            print(f"hivewire answered its first query {seconds * 1000:.0f} ms after start", flush=True)
        for s in systems:
            seconds = s.start()
            started.append(s)
            if isinstance(s, (SparkThriftServer, DuckDB)):
                run["startup"][s.name] = {"start": seconds, **(idle_memory(s.pid) if s.pid else {})}
                print(f"{s.name} answered its first query {seconds * 1000:.0f} ms after start", flush=True)
            s.create_tables(data)
        if "tpch" in parts:
            print("TPC-H", flush=True)
            expected = tpch.references(systems, queries, answers_dir, notes)
            results = tpch.run(systems, queries, expected, args.runs, peak_for={"q18", "q21"})
            run["tpch"] = results
            totals, common = report.tpch_totals(results, list(results.keys()))
            run["tpch_totals"] = totals
            if len(common) != len(queries):
                notes.append(f"Only {len(common)} of {len(queries)} queries were answered correctly by every system; "
                             "the TPC-H totals and their ratios cover those queries only.")
        by_name = {s.name: s for s in systems}
        if "transfer" in parts:
            print("result transfer", flush=True)
            run["transfer"] = run_transfer(data, server, by_name)
        if "concurrency" in parts:
            print("concurrency", flush=True)
            small = datagen.generate(args.data_root, 0.1)
            levels = [int(c) for c in args.clients.split(",") if c]
            run["concurrency"] = run_concurrency(small, server, by_name, levels, args.duration)
    finally:
        for s in reversed(started):
            s.stop()
        if server:
            server.stop()
    run["targets"] = targets(run)
    path = report.write(args.out, run, charts=not args.no_charts)
    print(f"report: {path} (figures also in {path.with_suffix('.json').name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
