"""Spark Thrift Server from the `pyspark` package: `local[*]` with the memory hivewire gets,
started by the harness and driven by PyHive."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import time
from pathlib import Path

from pyhive import hive

from ..procs import terminate, wait_until
from . import free_port
from .pyhive_client import PyHiveClient

# PyHive's transport logs every refused connection while the server starts.
logging.getLogger("thrift.transport.TSocket").setLevel(logging.CRITICAL)

# For large results (the transfer part): stream them partition by partition rather than collect
# them whole in the driver. Set per session, since it costs small queries a job per partition.
INCREMENTAL_COLLECT = {"spark.sql.thriftServer.incrementalCollect": "true"}

THRIFT_SERVER = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


class SparkThriftServer(PyHiveClient):
    name = "spark-thrift"

    def __init__(self, memory: str, workdir: Path | None = None, start_timeout: float = 300):
        super().__init__()
        self.memory = memory
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="spark-bench-"))
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self) -> float:
        self.port = free_port()
        home = spark_home()
        cmd = [
            str(home / "bin" / "spark-submit"),
            "--class", THRIFT_SERVER,
            "--master", "local[*]",
            "--driver-memory", self.memory,
            "--conf", "spark.ui.enabled=false",
            "--conf", f"spark.sql.warehouse.dir={self.workdir / 'warehouse'}",
            "--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={self.workdir}",
            "--hiveconf", f"hive.server2.thrift.port={self.port}",
            "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1",
            "spark-internal",
        ]
        env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOG_DIR=str(self.workdir))
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
            stdout=open(self.workdir / "stdout.log", "wb"), stderr=subprocess.STDOUT,
        )

        def answered():
            if self.proc.poll() is not None:
                raise RuntimeError(f"Spark Thrift Server exited; see {self.workdir / 'stdout.log'}")
            conn = hive.connect(host="127.0.0.1", port=self.port, username="bench")
            cur = conn.cursor()
            cur.execute("SELECT 1")
            cur.fetchall()
            return conn

        self.conn = wait_until(answered, self.start_timeout, "Spark Thrift Server", pause=0.1)
        return time.perf_counter() - started

    def stop(self) -> None:
        self.close()
        terminate(self.proc)
        self.proc = None
