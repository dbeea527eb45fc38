"""Reading Spark's golden files: the queries, their expected schema and output, and the settings
that the input script asks for; and splitting an input script into its statements.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

# An expected output that is an error starts with the exception's class name.
ERROR_CLASS = re.compile(r"^(?:org|java|scala|com|io)\.[\w.$]+(?:Exception|Error|Throwable)\b")

# Spark's SQL test suites run in this zone, and the golden results show its times.
TIME_ZONE = "America/Los_Angeles"


@dataclass
class Case:
    """One query of a golden file and what Spark answered."""

    index: int
    sql: str
    schema: str | None
    output: str

    @property
    def expects_error(self) -> bool:
        return bool(ERROR_CLASS.match(self.output))

    @property
    def key(self) -> str:
        """A stable name for the query within its file: its position and a hash of its text."""
        digest = hashlib.sha1(self.sql.encode()).hexdigest()[:10]
        return f"{self.index}:{digest}"


@dataclass
class GoldenFile:
    """A results file with the input script's settings."""

    name: str  # relative to inputs/, for example "nonansi/math.sql"
    cases: list[Case]
    settings: dict[str, str] = field(default_factory=dict)
    only_if_other: bool = False  # the script runs only on another engine (--ONLY_IF)


def parse_results(text: str) -> list[Case]:
    """The blocks of a `.sql.out` file, in order."""
    cases: list[Case] = []
    blocks = text.split("-- !query\n")[1:]
    for i, block in enumerate(blocks):
        sql, schema, output = block, None, ""
        if "-- !query schema\n" in block:
            sql, rest = block.split("-- !query schema\n", 1)
            schema, _, output = rest.partition("-- !query output\n")
            schema = schema.strip()
        elif "-- !query output\n" in block:
            sql, _, output = block.partition("-- !query output\n")
        cases.append(Case(i, sql.strip(), schema, output.strip("\n")))
    return cases


def script_settings(script: str) -> tuple[dict[str, str], bool]:
    """`--SET k=v` lines of an input script (the first of each `--CONFIG_DIM` too), and whether
    an `--ONLY_IF` line names another engine."""
    settings: dict[str, str] = {}
    only_other = False
    seen_dims: set[str] = set()
    for line in script.splitlines():
        if line.startswith("--SET "):
            for pair in line[len("--SET "):].split(","):
                k, _, v = pair.partition("=")
                settings[k.strip()] = v.strip()
        elif line.startswith("--CONFIG_DIM"):
            dim, _, pairs = line.partition(" ")
            if dim in seen_dims:
                continue
            seen_dims.add(dim)
            for pair in pairs.split(","):
                k, _, v = pair.partition("=")
                if k.strip():
                    settings[k.strip()] = v.strip()
        elif line.startswith("--ONLY_IF "):
            only_other = "spark" not in line[len("--ONLY_IF "):].lower()
    return settings, only_other


def load(corpus: Path, name: str) -> GoldenFile | None:
    """The golden file for `inputs/<name>`, or None when it has no results file."""
    results = corpus / "results" / (name + ".out")
    if not results.is_file():
        return None
    script_path = corpus / "inputs" / name
    script = script_path.read_text(errors="replace") if script_path.is_file() else ""
    settings, only_other = script_settings(script)
    # Spark runs nonansi/ with ANSI mode off and everything else with its default, on.
    settings = with_defaults(settings, ansi=not name.startswith("nonansi/"))
    return GoldenFile(name, parse_results(results.read_text(errors="replace")), settings, only_other)


def with_defaults(settings: dict[str, str], ansi: bool) -> dict[str, str]:
    """A script's settings, with the defaults Spark's SQL test suites run it with where it sets none."""
    out = dict(settings)
    out.setdefault("spark.sql.ansi.enabled", "true" if ansi else "false")
    out.setdefault("spark.sql.session.timeZone", TIME_ZONE)
    return out


def split_statements(script: str) -> list[str]:
    """The statements of an input script: `--` comment lines dropped, split at each `;` that ends a line."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";[ \t]*$", code, flags=re.MULTILINE) if s.strip()]


def input_names(corpus: Path) -> list[str]:
    """Every input script, relative to inputs/, sorted."""
    root = corpus / "inputs"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.sql"))
