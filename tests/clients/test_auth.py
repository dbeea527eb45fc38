"""Passwords: with `[auth] users` set, every protocol and transport checks them.

PostgreSQL asks for a cleartext password (28P01 when wrong); HiveServer2 checks SASL PLAIN, HTTP
Basic, and the OpenSession user and password under NOSASL. A refused client never disturbs the
sessions of others."""

from __future__ import annotations

import hashlib
import os
import subprocess

import psycopg
import pytest

from conftest import HivewireServer

hive = pytest.importorskip("pyhive.hive")
impala_dbapi = pytest.importorskip("impala.dbapi")

ALICE = "s3cret-alice"
BOB = "plain-bob"


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    srv = HivewireServer(tmp_path_factory.mktemp("auth"), name="auth")
    srv.hiveserver2 = True
    digest = hashlib.sha256(ALICE.encode()).hexdigest()
    srv.extra_config = f'\n[auth.users]\nalice = "sha256:{digest}"\nbob = "{BOB}"\n'
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def pg_connect(srv, user, password):
    return psycopg.connect(host=srv.host, port=srv.port, user=user, password=password, dbname="default", autocommit=True)


def test_postgres_accepts_right_passwords(secured):
    for user, password in [("alice", ALICE), ("bob", BOB)]:
        with pg_connect(secured, user, password) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (user,)


@pytest.mark.parametrize("user,password", [("alice", "wrong"), ("bob", ALICE), ("mallory", "x"), ("alice", "")])
def test_postgres_refuses_wrong_passwords(secured, user, password):
    with pytest.raises(psycopg.OperationalError) as e:
        pg_connect(secured, user, password)
    message = str(e.value)
    # libpq itself refuses to send an empty password.
    assert f'password authentication failed for user "{user}"' in message or (password == "" and "no password supplied" in message)
    # Others go on.
    with pg_connect(secured, "alice", ALICE) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_postgres_sqlstate_28p01(secured):
    # psycopg reports a failed connection without its SQLSTATE; read the raw ErrorResponse.
    import socket
    import struct

    with socket.create_connection((secured.host, secured.port), timeout=10) as s:
        params = b"user\0alice\0database\0default\0\0"
        s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
        tag, payload = _read(s)
        assert tag == b"R" and struct.unpack("!i", payload[:4])[0] == 3, "cleartext password request"
        pw = b"nope\0"
        s.sendall(b"p" + struct.pack("!i", 4 + len(pw)) + pw)
        tag, payload = _read(s)
        assert tag == b"E"
        fields = {chr(p[0]): p[1:].decode() for p in payload.split(b"\0") if p}
        assert fields["C"] == "28P01" and fields["S"] == "FATAL"
        assert s.recv(1) == b"", "the connection is closed after a wrong password"


def _read(s):
    head = b""
    while len(head) < 5:
        chunk = s.recv(5 - len(head))
        assert chunk, "connection closed early"
        head += chunk
    (length,) = __import__("struct").unpack("!i", head[1:5])
    body = b""
    while len(body) < length - 4:
        body += s.recv(length - 4 - len(body))
    return head[:1], body


def test_psql_with_pgpassword(secured):
    env = dict(os.environ, PGPASSWORD=BOB)
    out = subprocess.run(
        ["psql", "-h", secured.host, "-p", str(secured.port), "-U", "bob", "-d", "default", "-tAc", "SELECT 40 + 2"],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "42"
    env["PGPASSWORD"] = "wrong"
    out = subprocess.run(
        ["psql", "-h", secured.host, "-p", str(secured.port), "-U", "bob", "-d", "default", "-tAc", "SELECT 1"],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )
    assert out.returncode != 0
    assert 'password authentication failed for user "bob"' in out.stderr


def hs2_addr(srv):
    return srv.listeners["hiveserver2"]


def test_pyhive_sasl_plain(secured):
    host, port = hs2_addr(secured)
    conn = hive.connect(host=host, port=port, username="alice", password=ALICE, auth="CUSTOM")
    cur = conn.cursor()
    cur.execute("SELECT current_user()")
    assert cur.fetchall() == [("alice",)]
    with pytest.raises(Exception) as e:
        hive.connect(host=host, port=port, username="alice", password="wrong", auth="CUSTOM")
    assert "password authentication failed" in str(e.value) or "Bad status" in str(e.value) or "TSocket" in str(e.value)
    # The first session is untouched.
    cur.execute("SELECT 7")
    assert cur.fetchall() == [(7,)]
    conn.close()


def test_pyhive_nosasl_checks_open_session(secured):
    host, port = hs2_addr(secured)
    # PyHive sends no password with NOSASL, so OpenSession is refused with a clear status.
    with pytest.raises(Exception) as e:
        hive.connect(host=host, port=port, username="alice", auth="NOSASL")
    assert "password authentication failed" in str(e.value)


def test_pyhive_http_basic(secured):
    host, port = secured.listeners["hiveserver2-http"]
    conn = hive.connect(host=host, port=port, scheme="http", username="bob", password=BOB)
    cur = conn.cursor()
    cur.execute("SELECT current_user()")
    assert cur.fetchall() == [("bob",)]
    conn.close()
    # PyHive's HTTP client does not look at the status; it just finds no Thrift reply.
    with pytest.raises(Exception):
        hive.connect(host=host, port=port, scheme="http", username="bob", password="wrong")
    import base64
    import http.client

    c = http.client.HTTPConnection(host, port, timeout=10)
    token = base64.b64encode(b"bob:wrong").decode()
    c.request("POST", "/cliservice", body=b"\x80\x01", headers={"Authorization": f"Basic {token}"})
    r = c.getresponse()
    assert r.status == 401
    assert r.getheader("WWW-Authenticate", "").startswith("Basic")


def test_impyla_plain_and_http(secured):
    host, port = hs2_addr(secured)
    conn = impala_dbapi.connect(host=host, port=port, auth_mechanism="PLAIN", user="alice", password=ALICE)
    cur = conn.cursor()
    cur.execute("SELECT 1 + 1")
    assert cur.fetchall() == [(2,)]
    conn.close()
    with pytest.raises(Exception):
        impala_dbapi.connect(host=host, port=port, auth_mechanism="PLAIN", user="alice", password="bad").cursor()
    host, port = secured.listeners["hiveserver2-http"]
    conn = impala_dbapi.connect(host=host, port=port, auth_mechanism="PLAIN", user="bob", password=BOB,
                                use_http_transport=True, http_path="cliservice")
    cur = conn.cursor()
    cur.execute("SELECT 3")
    assert cur.fetchall() == [(3,)]
    conn.close()


@pytest.mark.skipif(not __import__("importlib").util.find_spec("pyspark"), reason="beeline comes with pyspark")
@pytest.mark.parametrize("suffix", ["", ";auth=noSasl", ";transportMode=http;httpPath=cliservice"])
def test_beeline_passwords(secured, suffix):
    from test_beeline import BEELINE, SPARK_HOME

    key = "hiveserver2-http" if "http" in suffix else "hiveserver2"
    host, port = secured.listeners[key]
    env = dict(os.environ, SPARK_HOME=str(SPARK_HOME))

    def run(password):
        url = f"jdbc:hive2://{host}:{port}/default{suffix}"
        cmd = [str(BEELINE), "-u", url, "-n", "alice", "-p", password, "--outputformat=csv2", "-e", "SELECT 'ok' AS r"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)

    good = run(ALICE)
    assert good.returncode == 0, good.stderr
    assert "ok" in good.stdout.splitlines()
    bad = run("wrong")
    assert bad.returncode != 0
    assert "ok" not in bad.stdout.splitlines()
