"""beeline (Hive JDBC 2.3.10, from the pyspark package) against hivewire's HiveServer2 binary
transport, with SASL and with `auth=noSasl`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import unique

pyspark = pytest.importorskip("pyspark", reason="beeline comes with the pyspark package")
SPARK_HOME = Path(pyspark.__file__).parent
BEELINE = SPARK_HOME / "bin" / "beeline"


def beeline(srv, *args: str, url_suffix: str = "", script: str | None = None, tmp_path=None):
    host, port = srv.listeners["hiveserver2"]
    cmd = [str(BEELINE), "-u", f"jdbc:hive2://{host}:{port}/default{url_suffix}", "-n", "tester", "-p", "x",
           "--outputformat=csv2", "--showHeader=true", *args]
    if script is not None:
        f = tmp_path / f"{unique('script')}.sql"
        f.write_text(script)
        cmd += ["-f", str(f)]
    env = dict(os.environ, SPARK_HOME=str(SPARK_HOME))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("suffix", ["", ";auth=noSasl"])
def test_queries_every_type_and_nulls(hs2, suffix):
    out = beeline(hs2, "-e", "SELECT 1 AS a, CAST(2 AS BIGINT) AS b, 'x y' AS s, true AS t, CAST(2.50 AS DECIMAL(5,2)) AS d, "
                  "DATE '2024-02-29' AS day, TIMESTAMP '2024-02-29 12:34:56.5' AS ts, array(1, 2) AS arr, "
                  "map('k', 1) AS m, named_struct('a', 1, 'b', 'z') AS st, CAST(NULL AS INT) AS n", url_suffix=suffix)
    assert out.returncode == 0, out.stderr
    # beeline prefixes the first result line with its continuation prompt.
    # Its csv2 output "quotes" values holding commas with NUL bytes.
    lines = [l.split("> ")[-1].replace("\x00", "") for l in out.stdout.splitlines() if l.strip()]
    assert lines[0] == "a,b,s,t,d,day,ts,arr,m,st,n", out.stdout
    assert lines[1] == '1,2,x y,true,2.50,2024-02-29,2024-02-29 12:34:56.5,[1,2],{"k":1},{"a":1,"b":"z"},NULL', out.stdout


def test_interval_types(hs2):
    # Hive JDBC reads Spark's year-month and day-time intervals by their HiveServer2 type ids.
    out = beeline(hs2, "-e", "SELECT INTERVAL '1-2' YEAR TO MONTH AS ym, INTERVAL -'1 02:03:04.5' DAY TO SECOND AS dt, "
                  "make_interval(1, 2, 3) AS cal")
    assert out.returncode == 0, out.stderr
    lines = [l.split("> ")[-1].replace("\x00", "") for l in out.stdout.splitlines() if l.strip()]
    assert lines[0] == "ym,dt,cal", out.stdout
    assert lines[1] == "1-2,-1 02:03:04.500000000,1 years 2 months 21 days", out.stdout


def test_tables_columns_and_dbinfo(hs2, tmp_path):
    name = unique("bl")
    with hs2.connect() as c:
        c.execute(f"CREATE TABLE default.{name} (id INT COMMENT 'the id', label STRING) STORED AS PARQUET")
        c.execute(f"INSERT INTO default.{name} VALUES (1, 'one'), (2, NULL)")
    try:
        out = beeline(hs2, script=f"!tables\n!columns {name}\n!dbinfo\nSELECT id, label FROM {name} ORDER BY id;\n", tmp_path=tmp_path)
        assert out.returncode == 0, out.stderr
        text = out.stdout.replace("\x00", "")
        assert f",default,{name},TABLE," in text, text
        assert f",default,{name},id,4,INT,10," in text and f",default,{name},label,12,STRING," in text, text
        assert "Spark SQL" in out.stdout and "4.3.0" in out.stdout, out.stdout
        assert "1,one" in out.stdout and "2,NULL" in out.stdout, out.stdout
    finally:
        with hs2.connect() as c:
            c.execute(f"DROP TABLE default.{name}")


def test_errors_fail_the_statement_with_the_message(hs2):
    out = beeline(hs2, "-e", "SELECT * FROM no_such_table_beeline")
    assert out.returncode != 0
    assert "no_such_table_beeline" in out.stderr + out.stdout


def test_http_transport(hs2):
    host, port = hs2.listeners["hiveserver2-http"]
    cmd = [str(BEELINE), "-u", f"jdbc:hive2://{host}:{port}/default;transportMode=http;httpPath=cliservice",
           "-n", "tester", "-p", "x", "--outputformat=csv2", "-e", "SELECT 1 AS a, 'x' AS s"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=dict(os.environ, SPARK_HOME=str(SPARK_HOME)),
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert "1,x" in out.stdout, out.stdout


def test_operation_log_lines_are_shown(hs2):
    out = beeline(hs2, "--verbose=true", "-e", "SELECT count(*) FROM generate_series(1, 10)")
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert "Executing statement: SELECT count(*) FROM generate_series(1, 10)" in text, text
    # The plan's stages, with what each does and its tasks.
    assert "Stage-1: " in text and " task" in text, text
    assert "Finished" in text, text


def test_the_database_in_the_url_is_the_current_one(hs2):
    db = unique("bldb")
    with hs2.connect() as c:
        c.execute(f"CREATE DATABASE {db}")
    try:
        host, port = hs2.listeners["hiveserver2"]
        cmd = [str(BEELINE), "-u", f"jdbc:hive2://{host}:{port}/{db}", "-n", "tester", "-p", "x",
               "--outputformat=csv2", "-e", "SELECT current_database()"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
                             env=dict(os.environ, SPARK_HOME=str(SPARK_HOME)))
        assert out.returncode == 0, out.stderr
        assert db in out.stdout.splitlines()[-1], out.stdout
    finally:
        with hs2.connect() as c:
            c.execute(f"DROP DATABASE {db} CASCADE")


def test_ctrl_c_cancels_the_running_query(hs2):
    """SIGINT to beeline while a long query runs: beeline cancels it, the server stops it."""
    import signal
    import time

    host, port = hs2.listeners["hiveserver2"]
    cmd = [str(BEELINE), "-u", f"jdbc:hive2://{host}:{port}/default", "-n", "tester", "-p", "x", "--verbose=true",
           "-e", "SELECT count(*) FROM generate_series(1, 100000000000)"]
    # A shell without job control starts background commands with SIGINT ignored, and that is
    # inherited; beeline (the JVM) then never sees the Ctrl-C. Give it the default disposition.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
                            env=dict(os.environ, SPARK_HOME=str(SPARK_HOME)),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    try:
        # Wait for the server's log line that the statement is executing (beeline prints it).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "Executing statement" in line:
                break
        assert any("Executing statement" in l for l in seen), "".join(seen)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        text = "".join(seen) + rest
        assert "cancel" in text.lower(), text
    finally:
        if proc.poll() is None:
            proc.kill()
    # The server is fine, and the cancelled query does not linger.
    with hs2.connect() as c:
        assert c.execute("SELECT 1").fetchone() == (1,)
