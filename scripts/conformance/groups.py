"""Which golden files count towards which target (docs/conformance.md)."""

from __future__ import annotations

import fnmatch

# Spark's Thrift-server suite skips these; so does the runner.
SKIPPED_DIRS = ("udf/", "udaf/", "udtf/")

CORE = [
    "group-by*.sql", "having.sql", "grouping_set.sql", "group-analytics.sql", "window.sql", "cte*.sql",
    "union.sql", "except*.sql", "intersect-all.sql", "limit.sql", "order-by-*.sql", "*join*.sql",
    "subquery/**", "pivot.sql", "unpivot.sql", "inline-table.sql", "null-handling.sql",
]
FUNCTIONS = [
    "string-functions.sql", "regexp-functions.sql", "math.sql", "cast.sql",
    "decimalArithmeticOperations.sql", "conditional-functions.sql", "array.sql", "map.sql", "struct.sql",
    "higher-order-functions.sql", "json-functions.sql", "date.sql", "timestamp.sql",
    "datetime-formatting.sql", "datetime-parsing.sql", "interval.sql",
]
OVERALL_EXCLUDED = ["collations", "variant", "xml", "avro", "pipe-operators"]


def _match(name: str, patterns: list[str]) -> bool:
    for p in patterns:
        if p.endswith("/**"):
            if name.startswith(p[:-2]):
                return True
        elif fnmatch.fnmatch(name, p):
            return True
    return False


def is_skipped(name: str) -> bool:
    return name.startswith(SKIPPED_DIRS)


def in_relevant(name: str) -> bool:
    """The core relational and function files, and their nonansi/ twins."""
    base = name[len("nonansi/"):] if name.startswith("nonansi/") else name
    if "/" in base and not base.startswith("subquery/"):
        return False
    return _match(base, CORE) or ("/" not in base and _match(base, FUNCTIONS))


def in_overall(name: str) -> bool:
    """Top-level and nonansi/ files, less the excluded features."""
    base = name[len("nonansi/"):] if name.startswith("nonansi/") else name
    if "/" in base:
        return False
    return not any(x in base for x in OVERALL_EXCLUDED)
