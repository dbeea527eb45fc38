"""Spark's own answers to a script, printed as Spark's golden files print them.

The differential mode (differential.py) judges hivewire against a local Spark instead of against
stored golden files. The answers are taken through PySpark's gateway to the JVM the way Spark's
SQLQueryTestSuite takes them when it writes its golden files: the rows from
`HiveResult.hiveResultString` over the executed plan, the schema line from the result schema's
`catalogString`, and an exception as its Java class name and message.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from py4j.protocol import Py4JJavaError
from pyspark.errors.exceptions.captured import CapturedException
from pyspark.sql import SparkSession

from . import golden
from .golden import Case, GoldenFile
from .run import has_top_level_order_by


def start(warehouse: Path) -> SparkSession:
    """A local Spark on one core, with one shuffle partition, in the golden files' time zone."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[1]")
        .appName("hivewire-differential")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", golden.TIME_ZONE)
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # PySpark logs every SQL error it raises; here an error is an answer.
    logging.getLogger("SQLQueryContextLogger").disabled = True
    return session


def answer(session: SparkSession, sql: str) -> tuple[str, str]:
    """The schema line and output Spark's golden file would hold for one statement. Rows are sorted
    unless the statement's outermost query sorts them, as the runner sorts hivewire's."""
    jvm = session._jvm  # noqa: SLF001
    try:
        df = session.sql(sql)
        schema = df._jdf.schema().catalogString()  # noqa: SLF001
        printed = jvm.org.apache.spark.sql.execution.HiveResult.hiveResultString(
            df._jdf.queryExecution().executedPlan())  # noqa: SLF001
        rows = list(jvm.scala.jdk.javaapi.CollectionConverters.asJava(printed))
    except (CapturedException, Py4JJavaError) as e:
        error = e.java_exception if isinstance(e, Py4JJavaError) else e._origin  # noqa: SLF001
        message = next((line for line in (error.getMessage() or "").splitlines() if line.strip()), "")
        return "struct<>", f"{error.getClass().getName()}: {message}"
    if not has_top_level_order_by(sql):
        rows.sort()
    return schema, "\n".join(rows)


def answer_file(session: SparkSession, name: str, statements: list[str], settings: dict[str, str],
                setup: list[str]) -> tuple[GoldenFile, list[str]]:
    """The golden file Spark would write for a script, and the errors of its setup. The script runs
    in a session of its own: `setup` first (fixture tables), then its settings, then its statements."""
    own = session.newSession()
    # HiveResult formats times in the active session's zone: make it this script's session.
    own._jvm.org.apache.spark.sql.SparkSession.setActiveSession(own._jsparkSession)  # noqa: SLF001
    errors = []
    try:
        for sql in setup:
            _, output = answer(own, sql)
            if golden.ERROR_CLASS.match(output):
                errors.append(f"spark: {sql[:60]}: {output}")
        for key, value in settings.items():
            try:
                own.conf.set(key, value)
            except CapturedException as e:
                errors.append(f"spark: SET {key}: {e}")
        cases = [Case(i, sql, *answer(own, sql)) for i, sql in enumerate(statements)]
    finally:
        _drop_tables(own)
    return GoldenFile(name, cases, settings), errors


def _drop_tables(session: SparkSession) -> None:
    """Drops the databases, tables and views a script left behind, which every session shares."""
    for db in session.catalog.listDatabases():
        if db.name != "default":
            session.sql(f"DROP DATABASE `{db.name}` CASCADE")
    for table in session.catalog.listTables("default"):
        if not table.isTemporary:
            kind = "VIEW" if table.tableType == "VIEW" else "TABLE"
            session.sql(f"DROP {kind} IF EXISTS default.`{table.name}`")
