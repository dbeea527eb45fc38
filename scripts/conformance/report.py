"""The runner's report (Markdown and JSON), the differential mode's, and the baseline of passing queries."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from . import groups
from .run import FileResult


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _rate(passed: int, total: int) -> str:
    return f"{passed}/{total} ({100.0 * passed / total:.1f}%)" if total else "0/0"


def totals(results: list[FileResult]) -> dict[str, tuple[int, int]]:
    out = {}
    for label, pick in (("relevant", groups.in_relevant), ("overall", groups.in_overall), ("all", lambda n: True)):
        chosen = [r for r in results if pick(r.name)]
        out[label] = (sum(r.passed for r in chosen), sum(len(r.outcomes) for r in chosen))
    return out


def markdown(results: list[FileResult]) -> str:
    t = totals(results)
    lines = [
        "# Conformance with Spark's SQL golden files", "",
        "| set | passing queries |", "|---|---|",
        f"| core relational and function files, with their nonansi/ twins | {_rate(*t['relevant'])} |",
        f"| top-level and nonansi/ files (less collations, variant, xml, avro, pipe-operators) | {_rate(*t['overall'])} |",
        f"| every file run | {_rate(*t['all'])} |", "",
    ]
    causes = collections.Counter(o.cause for r in results for o in r.outcomes if not o.passed)
    lines += ["## Failures by cause", "", "| cause | queries |", "|---|---|"]
    lines += [f"| {c} | {n} |" for c, n in causes.most_common()]
    messages = collections.Counter(
        (o.cause, o.detail[:90]) for r in results for o in r.outcomes
        if not o.passed and o.cause not in ("wrong value", "wrong output form"))
    lines += ["", "## Most common errors", "", "| cause | message | queries |", "|---|---|---|"]
    for (cause, msg), n in messages.most_common(40):
        lines.append(f"| {cause} | {_cell(msg)} | {n} |")
    lines += ["", "## Per file", "", "| file | relevant | passing |", "|---|---|---|"]
    for r in sorted(results, key=lambda r: r.name):
        mark = "yes" if groups.in_relevant(r.name) else ""
        lines.append(f"| {r.name} | {mark} | {_rate(r.passed, len(r.outcomes))} |")
    return "\n".join(lines) + "\n"


def differences_markdown(results: list[FileResult]) -> str:
    """The differential mode's report: each query whose answer differs from Spark's."""
    agree, total = sum(r.passed for r in results), sum(len(r.outcomes) for r in results)
    lines = ["# hivewire against Spark", "", f"{agree} of {total} queries agree.", ""]
    setup = [(r.name, e) for r in results for e in r.setup_errors]
    if setup:
        lines += ["## Setup errors", "", "| file | error |", "|---|---|"]
        lines += [f"| {name} | {_cell(e)} |" for name, e in setup]
        lines.append("")
    lines += ["## Queries that differ", "", "| file | statement | query | cause | detail |", "|---|---|---|---|---|"]
    for r in results:
        for o in r.outcomes:
            if not o.passed:
                query = _cell(o.case.sql[:120])
                lines.append(f"| {r.name} | {o.case.index} | `{query}` | {o.cause} | {_cell(o.detail)} |")
    return "\n".join(lines) + "\n"


def as_json(results: list[FileResult], target_sets: bool = True) -> str:
    """The results as JSON; without `target_sets`, totals over every file only."""
    all_files = (sum(r.passed for r in results), sum(len(r.outcomes) for r in results))
    return json.dumps({
        "totals": totals(results) if target_sets else {"all": all_files},
        "files": {
            r.name: {
                "passed": r.passed, "total": len(r.outcomes), "setup_errors": r.setup_errors,
                "failures": [
                    {"key": o.case.key, "sql": o.case.sql[:500], "cause": o.cause, "detail": o.detail}
                    for o in r.outcomes if not o.passed
                ],
            }
            for r in results
        },
    }, indent=1)


def passing(results: list[FileResult]) -> set[str]:
    return {f"{r.name}\t{o.case.key}" for r in results for o in r.outcomes if o.passed}


def read_baseline(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {line for line in path.read_text().splitlines() if line and not line.startswith("#")}


def write_baseline(path: Path, keys: set[str]) -> None:
    header = ("# Spark golden-file queries that hivewire answers as Spark does: <file>\\t<index>:<sha1 of the"
              " query>.\n# Regenerate with `python -m conformance --update-baseline` (docs/conformance.md).\n")
    path.write_text(header + "".join(k + "\n" for k in sorted(keys)))
