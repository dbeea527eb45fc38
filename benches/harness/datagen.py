"""TPC-H data as Parquet, made by `tpchgen-cli`: one directory per table, so that every system
reads the same files as a table location."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]


def generate(root: Path, sf: float) -> Path:
    """The directory for scale factor `sf` under `root`, generated the first time."""
    out = root / f"sf{sf:g}"
    marker = out / ".complete"
    if marker.exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    flat = out / ".flat"
    flat.mkdir(parents=True)
    tpchgen = Path(sys.executable).parent / "tpchgen-cli"
    print(f"generating TPC-H SF{sf:g} into {out}", flush=True)
    subprocess.run([str(tpchgen), "parquet", "-s", f"{sf:g}", f"--output-dir={flat}"], check=True)
    for table in TABLES:
        (out / table).mkdir()
        (flat / f"{table}.parquet").rename(out / table / f"{table}.parquet")
    flat.rmdir()
    marker.write_text("ok\n")
    return out
