"""Checks a TPC-H answer against the expected one (pipe-delimited CSV with a header). Numbers
match within a small tolerance, since systems differ in decimal scale and float summation order;
text matches after trailing blanks are dropped (CHAR columns)."""

from __future__ import annotations

import csv
import datetime
import decimal
from pathlib import Path


def load(path: Path) -> list[list[str]]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="|"))
    return rows[1:]


def text(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return str(v)


def _number(s: str):
    try:
        return decimal.Decimal(s)
    except decimal.InvalidOperation:
        return None


def cells_match(got, want: str) -> bool:
    g, w = text(got).rstrip(), want.rstrip()
    if g == w:
        return True
    gn, wn = _number(g), _number(w)
    if gn is None or wn is None:
        return False
    return abs(gn - wn) <= max(decimal.Decimal("0.01"), abs(wn) * decimal.Decimal("1e-9"))


def check(rows: list[tuple], expected: list[list[str]]) -> str | None:
    """None when the rows are the expected ones; otherwise what differs."""
    if len(rows) != len(expected):
        return f"{len(rows)} rows, expected {len(expected)}"
    for i, (got, want) in enumerate(zip(rows, expected)):
        if len(got) != len(want):
            return f"row {i}: {len(got)} columns, expected {len(want)}"
        for j, (g, w) in enumerate(zip(got, want)):
            if not cells_match(g, w):
                return f"row {i} column {j}: {text(g)!r}, expected {w!r}"
    return None
