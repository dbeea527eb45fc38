"""Concurrency: N clients each running a short query mix (point lookups on orders, and TPC-H q6)
at SF 0.1 for a fixed time. Clients are spread over a few processes of threads, so that the
Python client does not become what is measured."""

from __future__ import annotations

import multiprocessing as mp
import random
import statistics
import time
from dataclasses import dataclass, field

LOOKUP = "SELECT o_orderkey, o_custkey, o_totalprice, o_orderdate FROM mix.orders WHERE o_orderkey = {key}"
Q6 = """SELECT sum(l_extendedprice * l_discount) AS revenue FROM mix.lineitem
WHERE l_shipdate >= CAST('1994-01-01' AS date) AND l_shipdate < CAST('1995-01-01' AS date)
AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"""
# One q6 for every nine lookups.
Q6_EVERY = 10
MAX_KEY = 600_000


def mix_tables_sql(data_dir) -> list[str]:
    return [
        "CREATE DATABASE IF NOT EXISTS mix",
        f"CREATE TABLE IF NOT EXISTS mix.orders USING parquet LOCATION '{data_dir}/orders'",
        f"CREATE TABLE IF NOT EXISTS mix.lineitem USING parquet LOCATION '{data_dir}/lineitem'",
    ]


def _connect(kind: str, host: str, port: int):
    if kind == "pg":
        import psycopg

        return psycopg.connect(host=host, port=port, user="bench", dbname="default", autocommit=True)
    from pyhive import hive

    return hive.connect(host=host, port=port, username="bench")


def _run_query(kind: str, conn, sql: str) -> None:
    if kind == "pg":
        conn.execute(sql).fetchall()
    else:
        cur = conn.cursor()
        cur.execute(sql)
        cur.fetchall()
        cur.close()


def _worker_process(kind, host, port, threads, start_at, stop_at, out):
    import threading

    latencies: list[float] = []
    errors = [0]
    first_error: list[str] = []
    lock = threading.Lock()

    def failed(e: Exception) -> None:
        with lock:
            errors[0] += 1
            if not first_error:
                first_error.append(f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}")

    def client(seed: int):
        rng = random.Random(seed)
        try:
            conn = _connect(kind, host, port)
        except Exception as e:
            failed(e)
            return
        mine = []
        i = 0
        while time.time() < start_at:
            time.sleep(0.01)
        while time.time() < stop_at:
            sql = Q6 if i % Q6_EVERY == Q6_EVERY - 1 else LOOKUP.format(key=rng.randint(1, MAX_KEY))
            i += 1
            t = time.perf_counter()
            try:
                _run_query(kind, conn, sql)
            except Exception as e:
                failed(e)
                continue
            if time.time() <= stop_at:
                mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)
        try:
            conn.close()
        except Exception:
            pass

    ts = [threading.Thread(target=client, args=(random.randrange(1 << 30),)) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((latencies, errors[0], first_error[0] if first_error else None))


@dataclass
class Load:
    system: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None

    @property
    def qps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(p * len(xs)))]

    @property
    def p50(self):
        return statistics.median(self.latencies) if self.latencies else None


def run(system: str, kind: str, host: str, port: int, clients: int, seconds: float, log=print) -> Load:
    procs = min(clients, 4)
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    # Connections are opened before the clock starts: the start is set far enough ahead.
    start_at = time.time() + 5 + clients * 0.05
    stop_at = start_at + seconds
    out: mp.Queue = mp.Queue()
    ps = [mp.Process(target=_worker_process, args=(kind, host, port, n, start_at, stop_at, out)) for n in per]
    for p in ps:
        p.start()
    load = Load(system, clients, seconds)
    for _ in ps:
        lat, err, first = out.get()
        load.latencies.extend(lat)
        load.errors += err
        load.first_error = load.first_error or first
    for p in ps:
        p.join()
    p99 = load.percentile(0.99)
    log(f"  {system} x{clients}: {load.qps:,.1f} q/s, p50 {(load.p50 or 0) * 1000:.1f} ms, "
        f"p99 {(p99 or 0) * 1000:.1f} ms, {load.errors} errors" + (f" (first: {load.first_error})" if load.first_error else ""))
    return load
