"""Running golden files against hivewire over HiveServer2 and judging each answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyhive import hive
from pyhive.exc import Error as DbError
from TCLIService import ttypes

from . import render
from .golden import Case, GoldenFile
from .server import Server

QUERY_TIMEOUT_MS = 120_000


# Statements whose output Spark's own Thrift-server suite does not compare.
UNCOMPARED = re.compile(r"^\s*(describe|desc|show|explain)\b", re.IGNORECASE)

CAUSE_UNSUPPORTED = "unsupported syntax"
CAUSE_FUNCTION = "missing function"
CAUSE_VALUE = "wrong value"
CAUSE_FORM = "wrong output form"
CAUSE_ERROR = "error where Spark answers"
CAUSE_NO_ERROR = "answer where Spark errors"
CAUSE_SERVER = "server lost"

_UNSUPPORTED = re.compile(
    r"not supported|unsupported|not implemented|sql parser error|syntax error|parse error|"
    r"expected:? .*found|unexpected token", re.IGNORECASE)
_FUNCTION = re.compile(
    r"invalid function|unknown function|function .* not found|no function matches|"
    r"undefined function|there is no function", re.IGNORECASE)


@dataclass
class Outcome:
    case: Case
    passed: bool
    cause: str | None = None
    detail: str = ""


@dataclass
class FileResult:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    setup_errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)


def error_message(e: Exception) -> str:
    """The server's message from a PyHive error (which wraps the whole Thrift response)."""
    resp = e.args[0] if e.args else None
    status = getattr(resp, "status", None)
    if status is not None and status.errorMessage:
        return f"[{status.sqlState}] {status.errorMessage}"
    return str(e)


def error_cause(message: str) -> str:
    if _FUNCTION.search(message):
        return CAUSE_FUNCTION
    if _UNSUPPORTED.search(message):
        return CAUSE_UNSUPPORTED
    return CAUSE_ERROR


def has_top_level_order_by(sql: str) -> bool:
    """Whether the statement's outermost query sorts (an ORDER BY outside parentheses)."""
    depth, i, n = 0, 0, len(sql)
    text = sql.lower()
    while i < n:
        c = text[i]
        if c in "'\"`":
            end = text.find(c, i + 1)
            i = n if end < 0 else end + 1
            continue
        if c == "-" and text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and text.startswith("order", i) and re.match(r"order\s+by\b", text[i:]) \
                and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            return True
        i += 1
    return False


def _numbers_equal(a: str, b: str) -> bool:
    """Whether two printed rows hold the same numbers, printed differently (1 and 1.0)."""
    ca, cb = a.split("\t"), b.split("\t")
    if len(ca) != len(cb):
        return False
    for x, y in zip(ca, cb):
        if x == y:
            continue
        try:
            if float(x) != float(y):
                return False
        except ValueError:
            return False
    return True


class Session:
    """One HiveServer2 connection to the server, with a per-call socket timeout."""

    def __init__(self, server: Server):
        # Compare the text hivewire sent, not PyHive's reading of it: PyHive parses DECIMAL into
        # Decimal and TIMESTAMP into datetime (dropping nanoseconds), which would hide how values
        # are printed. (This changes PyHive for the whole process, which is the runner's own.)
        hive.TYPES_CONVERTER.clear()
        host, port = server.hs2  # type: ignore[misc]
        self.conn = hive.connect(host=host, port=port, username="conformance")
        try:
            self.conn._transport._trans.setTimeout(QUERY_TIMEOUT_MS)  # noqa: SLF001
        except AttributeError:
            pass
        self.cursor = self.conn.cursor()

    def execute(self, sql: str):
        """(columns, rows) for a query, (None, None) for a command; raises on an error."""
        self.cursor.execute(sql)
        if self.cursor.description is None:
            return None, None
        meta = self.conn.client.GetResultSetMetadata(
            ttypes.TGetResultSetMetadataReq(operationHandle=self.cursor._operationHandle))  # noqa: SLF001
        columns = render.actual_columns(meta.schema)
        rows = self.cursor.fetchall()
        return columns, rows

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001  (the server may be gone)
            pass


def judge(case: Case, columns, rows) -> Outcome:
    if case.expects_error:
        return Outcome(case, False, CAUSE_NO_ERROR, "Spark: " + case.output.splitlines()[0])
    if UNCOMPARED.match(case.sql) or columns is None:
        return Outcome(case, True)
    type_ids = [t for _, t, _ in columns]
    printed = [render.row(r, type_ids) for r in rows]
    if not has_top_level_order_by(case.sql):
        printed.sort()
    got = "\n".join(printed)
    if got != case.output:
        want = case.output.split("\n") if case.output else []
        if len(want) == len(printed) and all(_numbers_equal(a, b) for a, b in zip(printed, want)):
            return Outcome(case, False, CAUSE_FORM, f"got {got[:200]!r}, Spark {case.output[:200]!r}")
        return Outcome(case, False, CAUSE_VALUE, f"got {got[:200]!r}, Spark {case.output[:200]!r}")
    if case.schema is not None:
        why = render.schema_difference(case.schema, columns)
        if why:
            return Outcome(case, False, CAUSE_FORM, why)
    return Outcome(case, True)


def run_file(binary: Path, golden: GoldenFile, setup: list[str]) -> FileResult:
    """Runs `setup` (the fixture tables' statements), the file's settings and then its queries on a
    server of their own, judging each answer against the file's."""
    result = FileResult(golden.name)
    server = Server(binary)
    try:
        server.start()
    except RuntimeError as e:
        server.stop(keep=True)
        result.outcomes = [Outcome(c, False, CAUSE_SERVER, str(e)) for c in golden.cases]
        return result
    session = None
    try:
        session = Session(server)
        for sql in setup:
            try:
                session.execute(sql)
            except DbError as e:
                result.setup_errors.append(f"{sql[:60]}: {error_message(e)}")
        for key, value in golden.settings.items():
            try:
                session.execute(f"SET {key}={value}")
            except DbError as e:
                result.setup_errors.append(f"SET {key}: {error_message(e)}")
        for case in golden.cases:
            if not server.alive():
                result.outcomes.append(Outcome(case, False, CAUSE_SERVER, "the server exited"))
                continue
            try:
                columns, rows = session.execute(case.sql)
            except DbError as e:
                message = error_message(e)
                if case.expects_error:
                    result.outcomes.append(Outcome(case, True))
                else:
                    result.outcomes.append(Outcome(case, False, error_cause(message), message[:300]))
                continue
            except Exception as e:  # noqa: BLE001  (a broken connection or a timeout)
                result.outcomes.append(Outcome(case, False, CAUSE_SERVER, f"{type(e).__name__}: {e}"[:300]))
                session.close()
                try:
                    session = Session(server)
                except Exception:  # noqa: BLE001
                    pass
                continue
            result.outcomes.append(judge(case, columns, rows))
    finally:
        if session is not None:
            session.close()
        # A server that died is kept, with its log, for a look at why.
        server.stop(keep=not server.alive())
    return result
