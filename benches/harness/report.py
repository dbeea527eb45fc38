"""The Markdown report and its charts: every figure next to each peer measured in the same run."""

from __future__ import annotations

import datetime
import json
from pathlib import Path


def fmt_ms(s: float | None) -> str:
    return "—" if s is None else f"{s * 1000:,.0f}"


def fmt_mb(b: int | None) -> str:
    return "—" if not b else f"{b / 1024 / 1024:,.0f}"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}x"


def tpch_totals(tpch: dict, names: list[str]) -> dict[str, float | None]:
    """Total of medians over the queries every system answered correctly (so totals compare)."""
    queries = list(next(iter(tpch.values())).keys())
    common = [q for q in queries if all(tpch[n][q].median is not None for n in names)]
    return {n: sum(tpch[n][q].median for q in common) if common else None for n in names}, common


def chart(tpch: dict, names: list[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    queries = list(next(iter(tpch.values())).keys())
    width = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(14, 5))
    for i, n in enumerate(names):
        xs = [j + i * width for j in range(len(queries))]
        ys = [(tpch[n][q].median or 0) * 1000 for q in queries]
        ax.bar(xs, ys, width=width, label=n)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(queries))])
    ax.set_xticklabels(queries)
    ax.set_yscale("log")
    ax.set_ylabel("median ms (log scale)")
    ax.set_title("TPC-H per query")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def transfer_chart(ts, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [t for t in ts if t.rate]
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.barh([f"{t.server} / {t.client}" for t in ok], [t.rate for t in ok])
    ax.set_xlabel("rows per second")
    ax.set_title("10M-row result transfer")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def figures(run: dict) -> dict:
    """Every figure of the run as plain JSON values (for scripts and tests)."""
    out = {k: run.get(k) for k in ("machine", "settings", "runs", "startup", "notes", "targets", "tpch_totals")}
    out["tpch"] = {n: {q: {"error": r.error, "median": r.median, "times": r.times, "peak_rss": r.peak_rss}
                       for q, r in qs.items()} for n, qs in (run.get("tpch") or {}).items()}
    out["transfer"] = [{"server": t.server, "client": t.client, "rows": t.rows, "seconds": t.seconds,
                        "rate": t.rate, "error": t.error, "peak_rss": t.peak_rss,
                        "server_cpu": t.server_cpu} for t in run.get("transfer") or []]
    out["concurrency"] = [{"system": l.system, "clients": l.clients, "qps": l.qps, "p50": l.p50,
                           "p99": l.percentile(0.99), "errors": l.errors} for l in run.get("concurrency") or []]
    return out


def write(out_dir: Path, run: dict, charts: bool = True) -> Path:
    """Writes `<date>-<host>.md` and `.json` (and charts beside them); returns the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    machine = run["machine"]
    stem = f"{datetime.date.today().isoformat()}-{machine['host']}"
    path = out_dir / f"{stem}.md"
    lines = [f"# hivewire benchmark, {datetime.date.today().isoformat()}", ""]
    lines += ["## Machine and versions", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += ["", f"Settings: {run['settings']}", ""]

    if run.get("targets"):
        lines += ["## Targets", "", "| figure | target | measured | met |", "|---|---|---|---|"]
        lines += [f"| {t['figure']} | {t['target']} | {t['measured']} | {t['met']} |" for t in run["targets"]]
        lines.append("")

    if run.get("startup"):
        lines += ["## Start-up and memory", "",
                  "Idle RSS is taken after the first answered query; the anonymous part is the process's own",
                  "memory (heap, stacks), the rest is file-backed pages, mostly of the executable's code.", "",
                  "| system | process start to first answered query (ms) | idle RSS (MB) | of which anonymous (MB) |",
                  "|---|---|---|---|"]
        for name, s in run["startup"].items():
            lines.append(f"| {name} | {fmt_ms(s['start'])} | {fmt_mb(s.get('idle_rss'))} | {fmt_mb(s.get('idle_anon'))} |")
        lines.append("")

    tpch = run.get("tpch")
    if tpch:
        names = list(tpch.keys())
        totals, common = tpch_totals(tpch, names)
        lines += ["## TPC-H", "", f"Median of {run['runs']} runs after a warm-up run, in ms; the answers of the warm-up run are",
                  "checked first, and a wrong or failed answer is reported, never timed.", ""]
        lines += ["| query | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for q in next(iter(tpch.values())).keys():
            cells = []
            for n in names:
                r = tpch[n][q]
                cells.append(f"**{r.error}**" if r.error else fmt_ms(r.median))
            lines.append(f"| {q} | " + " | ".join(cells) + " |")
        lines.append(f"| total ({len(common)} queries all answered) | " + " | ".join(fmt_ms(totals[n]) for n in names) + " |")
        lines.append("")
        lines += ["Total time as a ratio to each peer (row ÷ column):", ""]
        lines += ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for a in names:
            lines.append(f"| {a} | " + " | ".join(ratio(totals[a], totals[b]) for b in names) + " |")
        lines.append("")
        peaks = {n: {q: r.peak_rss for q, r in tpch[n].items() if r.peak_rss} for n in names}
        if any(peaks.values()):
            qs = sorted({q for p in peaks.values() for q in p})
            lines += ["Peak RSS (MB) while the query ran:", "", "| system | " + " | ".join(qs) + " |", "|---|" + "---|" * len(qs)]
            for n in names:
                if peaks[n]:
                    lines.append(f"| {n} | " + " | ".join(fmt_mb(peaks[n].get(q)) for q in qs) + " |")
            lines.append("")
        if charts:
            png = out_dir / f"{stem}-tpch.png"
            chart(tpch, names, png)
            lines += [f"![TPC-H per query]({png.name})", ""]

    if run.get("transfer"):
        ts = run["transfer"]
        lines += ["## Result transfer", "", "10,000,000 rows of six lineitem columns (bigint, bigint, decimal, decimal, date, varchar),",
                  "read whole by each client, which keeps nothing. Peak RSS and CPU time are the server's during",
                  "the fetch: where the client is the bottleneck, the CPU the server spends per million rows",
                  "still tells the servers apart.", "",
                  "| server | client | seconds | rows/s | server CPU s per 1M rows | peak RSS (MB) |", "|---|---|---|---|---|---|"]
        for t in ts:
            if t.error:
                lines.append(f"| {t.server} | {t.client} | **{t.error}** | | | |")
            else:
                cpu = "—" if t.cpu_per_million is None else f"{t.cpu_per_million:.2f}"
                lines.append(f"| {t.server} | {t.client} | {t.seconds:.1f} | {t.rate:,.0f} | {cpu} | {fmt_mb(t.peak_rss)} |")
        rates = {(t.server, t.client): t.rate for t in ts}
        lines += ["", "hivewire's rate as a ratio to each peer with the same client:", "",
                  "| client | vs PostgreSQL | vs Spark Thrift Server |", "|---|---|---|"]
        for client in dict.fromkeys(t.client for t in ts if t.server == "hivewire"):
            h = rates.get(("hivewire", client))
            lines.append(f"| {client} | {ratio(h, rates.get(('postgresql', client)))} | {ratio(h, rates.get(('spark-thrift', client)))} |")
        lines.append("")
        if charts:
            transfer_chart(ts, out_dir / f"{stem}-transfer.png")
            lines += [f"![Transfer rates]({stem}-transfer.png)", ""]

    if run.get("concurrency"):
        loads = run["concurrency"]
        lines += ["## Concurrency", "", "Each client runs nine point lookups on orders for every TPC-H q6, at SF 0.1, for a fixed time.", "",
                  "| system | clients | queries/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
        for l in loads:
            p50, p99 = l.p50, l.percentile(0.99)
            lines.append(f"| {l.system} | {l.clients} | {l.qps:,.1f} | {fmt_ms(p50)} | {fmt_ms(p99)} | {l.errors} |")
        qps = {(l.system, l.clients): l.qps for l in loads}
        lines += ["", "Throughput as a ratio to Spark Thrift Server at the same client count:", "",
                  "| clients | hivewire-hs2 | hivewire-pg |", "|---|---|---|"]
        for c in sorted({l.clients for l in loads}):
            spark = qps.get(("spark-thrift", c))
            lines.append(f"| {c} | {ratio(qps.get(('hivewire-hs2', c)), spark)} | {ratio(qps.get(('hivewire-pg', c)), spark)} |")
        lines.append("")

    if run.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in run["notes"]] + [""]
    path.write_text("\n".join(lines))
    path.with_suffix(".json").write_text(json.dumps(figures(run), indent=1) + "\n")
    return path
