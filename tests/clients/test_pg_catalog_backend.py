"""The catalog kept in a real PostgreSQL server (from the Debian packages) and shared by two
hivewire servers; and `hivewire catalog migrate`.

PostgreSQL is started here with initdb/pg_ctl in a temporary directory, listening only on a Unix
socket in that directory, so no TCP port is involved.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import psycopg
import pytest

from conftest import HivewireServer, hivewire_bin, unique


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run it as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries are not installed (scripts/test.sh installs the postgresql package)")
    # Outside pytest's private temporary tree, which the postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="hivewire-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "hivewire", "--no-sync"]),
                   check=True, capture_output=True)
    opts = f"-c listen_addresses='' -k {sock} -c fsync=off"
    subprocess.run(as_postgres([pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"]),
                   check=True, capture_output=True)
    try:
        with psycopg.connect(host=str(sock), user="hivewire", dbname="postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE metastore")
        yield f"host={sock} user=hivewire dbname=metastore"
    finally:
        subprocess.run(as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def catalog_config(url: str) -> str:
    return f'\n[catalog]\nbackend = "postgres"\nurl = "{url}"\n'


@pytest.fixture(scope="module")
def two_servers(postgres, tmp_path_factory):
    servers = []
    for name in ("a", "b"):
        srv = HivewireServer(tmp_path_factory.mktemp(f"hw_{name}"), name=name)
        srv.extra_config = catalog_config(postgres)
        srv.start()
        servers.append(srv)
    try:
        yield servers
    finally:
        for s in servers:
            s.stop()


def test_servers_share_one_catalog(two_servers, tmp_path):
    a, b = two_servers
    db, t = unique("shared"), unique("t")
    data = tmp_path / "ext"
    with a.connect() as ca, b.connect() as cb:
        ca.execute(f"CREATE DATABASE {db}")
        ca.execute(f"CREATE EXTERNAL TABLE {db}.{t} (id INT, v STRING) PARTITIONED BY (dt STRING) "
                   f"STORED AS PARQUET LOCATION '{data}'")
        ca.execute(f"INSERT INTO {db}.{t} PARTITION (dt='x') VALUES (1, 'one'), (2, 'two')")
        # The other server sees the database, the table, its partition and its rows.
        assert (db,) in cb.execute("SHOW DATABASES").fetchall()
        assert cb.execute(f"SHOW PARTITIONS {db}.{t}").fetchall() == [("dt=x",)]
        assert cb.execute(f"SELECT id, v, dt FROM {db}.{t} ORDER BY id").fetchall() == [(1, "one", "x"), (2, "two", "x")]
        cb.execute(f"CREATE VIEW {db}.v AS SELECT count(*) AS n FROM {db}.{t}")
        assert ca.execute(f"SELECT n FROM {db}.v").fetchone() == (2,)
        cb.execute(f"DROP DATABASE {db} CASCADE")
        assert (db,) not in ca.execute("SHOW DATABASES").fetchall()


def test_concurrent_create_across_servers_one_wins(two_servers):
    a, b = two_servers
    name = unique("race")
    results: list[str] = []
    lock = threading.Lock()

    def create(srv):
        try:
            with srv.connect() as c:
                c.execute(f"CREATE TABLE default.{name} (a INT) STORED AS PARQUET")
            outcome = "ok"
        except psycopg.Error as e:
            outcome = str(e)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=create, args=(srv,)) for srv in (a, b) * 8]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count("ok") == 1, results
    assert all("already exists" in r for r in results if r != "ok"), results
    with a.connect() as c:
        c.execute(f"DROP TABLE default.{name}")


def test_catalog_survives_a_restart(postgres, tmp_path):
    srv = HivewireServer(tmp_path / "restart", name="restart")
    srv.extra_config = catalog_config(postgres)
    srv.start()
    name = unique("kept")
    try:
        with srv.connect() as c:
            c.execute(f"CREATE TABLE default.{name} (a INT) STORED AS PARQUET")
            c.execute(f"INSERT INTO default.{name} VALUES (7)")
        srv.restart()
        with srv.connect() as c:
            assert c.execute(f"SELECT a FROM default.{name}").fetchall() == [(7,)]
            c.execute(f"DROP TABLE default.{name}")
    finally:
        srv.stop()


def test_catalog_migrate_command(postgres, tmp_path):
    """`hivewire catalog migrate` on a PostgreSQL catalog already current, and on a new SQLite one."""
    config = tmp_path / "pg.toml"
    config.write_text(f'[server]\ndata_dir = "{tmp_path / "d1"}"\n' + catalog_config(postgres))
    out = subprocess.run([str(hivewire_bin()), "catalog", "migrate", "--config", str(config)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "schema version" in out.stdout

    config2 = tmp_path / "lite.toml"
    config2.write_text(f'[server]\ndata_dir = "{tmp_path / "d2"}"\n')
    out = subprocess.run([str(hivewire_bin()), "catalog", "migrate", "--config", str(config2)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "migrated from schema version 0 to" in out.stdout
    assert Path(tmp_path / "d2" / "catalog.db").exists()
    out = subprocess.run([str(hivewire_bin()), "catalog", "migrate", "--config", str(config2)],
                         capture_output=True, text=True, timeout=120)
    assert "nothing to do" in out.stdout, out.stdout
