"""Tables on S3, against a real S3-compatible server (moto's server mode) on loopback.

The server speaks the S3 HTTP API on a free port; hivewire reaches it through its object store
layer with the endpoint and credentials from ``[object_store]`` in its config, exactly as it would
reach AWS or MinIO.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import HivewireServer, unique

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

KEY, SECRET, REGION = "hivewire-test", "hivewire-secret", "us-east-1"


@pytest.fixture(scope="module")
def s3():
    """A running S3-compatible server and a boto3 client for it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
    )
    try:
        yield endpoint, client
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_hivewire(s3, tmp_path_factory):
    endpoint, _ = s3
    srv = HivewireServer(tmp_path_factory.mktemp("s3hw"), name="s3")
    srv.extra_config = (
        "\n[object_store]\n"
        f's3_endpoint = "{endpoint}"\n'
        f's3_region = "{REGION}"\n'
        f's3_access_key_id = "{KEY}"\n'
        f's3_secret_access_key = "{SECRET}"\n'
        "s3_allow_http = true\n"
    )
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def put_parquet(client, bucket: str, key: str, table: pa.Table) -> None:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    client.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def keys(client, bucket: str, prefix: str) -> list[str]:
    out = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for o in out.get("Contents", []))


def test_external_table_on_s3_and_s3a(s3, s3_hivewire):
    _, client = s3
    bucket = unique("bkt").replace("_", "-")
    client.create_bucket(Bucket=bucket)
    put_parquet(client, bucket, "trips/part-0.parquet", pa.table({"id": [1, 2, 3], "fare": [2.5, 4.0, 8.25]}))
    with s3_hivewire.connect() as c:
        for scheme in ("s3", "s3a"):
            name = unique(f"trips_{scheme}")
            c.execute(f"CREATE EXTERNAL TABLE default.{name} (id BIGINT, fare DOUBLE) STORED AS PARQUET "
                      f"LOCATION '{scheme}://{bucket}/trips/'")
            assert c.execute(f"SELECT count(*), sum(fare) FROM default.{name}").fetchone() == (3, 14.75)
            # Dropping an external table leaves the data alone.
            c.execute(f"DROP TABLE default.{name}")
        assert keys(client, bucket, "trips/") == ["trips/part-0.parquet"]


def test_inferred_table_insert_and_overwrite_on_s3(s3, s3_hivewire):
    _, client = s3
    bucket = unique("bkt").replace("_", "-")
    client.create_bucket(Bucket=bucket)
    put_parquet(client, bucket, "t/seed.parquet", pa.table({"k": [1], "v": ["one"]}))
    name = unique("s3t")
    with s3_hivewire.connect() as c:
        c.execute(f"CREATE TABLE default.{name} USING parquet LOCATION 's3://{bucket}/t/'")
        c.execute(f"INSERT INTO default.{name} VALUES (2, 'two'), (3, 'three')")
        assert c.execute(f"SELECT k, v FROM default.{name} ORDER BY k").fetchall() == [(1, "one"), (2, "two"), (3, "three")]
        written = [k for k in keys(client, bucket, "t/") if k != "t/seed.parquet"]
        assert len(written) == 1 and written[0].endswith(".snappy.parquet"), written
        # No staging object is left behind.
        assert not [k for k in keys(client, bucket, "") if ".hivewire-staging-" in k]

        c.execute(f"INSERT OVERWRITE TABLE default.{name} SELECT k * 10, upper(v) FROM default.{name}")
        assert c.execute(f"SELECT k, v FROM default.{name} ORDER BY k").fetchall() == [(10, "ONE"), (20, "TWO"), (30, "THREE")]
        assert "t/seed.parquet" not in keys(client, bucket, "t/")
        c.execute(f"DROP TABLE default.{name}")


def test_partitioned_table_on_s3_prunes_and_repairs(s3, s3_hivewire):
    _, client = s3
    bucket = unique("bkt").replace("_", "-")
    client.create_bucket(Bucket=bucket)
    name = unique("s3p")
    with s3_hivewire.connect() as c:
        c.execute(f"CREATE EXTERNAL TABLE default.{name} (v INT) PARTITIONED BY (dt STRING) STORED AS PARQUET "
                  f"LOCATION 's3://{bucket}/p/'")
        c.execute(f"INSERT INTO default.{name} PARTITION (dt='2024-01-01') VALUES (1), (2)")
        assert keys(client, bucket, "p/dt=2024-01-01/")
        # Another tool writes a partition directory; MSCK REPAIR finds it.
        put_parquet(client, bucket, "p/dt=2024-01-02/x.parquet", pa.table({"v": pa.array([7], pa.int32())}))
        c.execute(f"MSCK REPAIR TABLE default.{name}")
        rows = c.execute(f"SHOW PARTITIONS default.{name}").fetchall()
        assert [r[0] for r in rows] == ["dt=2024-01-01", "dt=2024-01-02"]
        assert c.execute(f"SELECT sum(v) FROM default.{name} WHERE dt = '2024-01-02'").fetchone() == (7,)
        plan = "\n".join(r[1] for r in c.execute(f"EXPLAIN SELECT * FROM default.{name} WHERE dt = '2024-01-02'").fetchall())
        assert "dt=2024-01-02" in plan and "dt=2024-01-01" not in plan, plan
        c.execute(f"DROP TABLE default.{name}")


def test_unreachable_location_is_a_clear_error(s3_hivewire):
    with s3_hivewire.connect() as c:
        with pytest.raises(Exception) as e:
            c.execute(f"CREATE EXTERNAL TABLE default.{unique('bad')} (a INT) STORED AS PARQUET "
                      "LOCATION 's3://no-such-bucket-hivewire/x/'")
        assert "no-such-bucket-hivewire" in str(e.value)


class RangeHandler(__import__("http.server").server.SimpleHTTPRequestHandler):
    """Serves files with HTTP range requests, as object stores and web servers do."""

    def log_message(self, *args):
        pass

    def send_head(self):
        import os as _os
        import re as _re

        path = self.translate_path(self.path)
        if not _os.path.isfile(path):
            self.send_error(404)
            return None
        size = _os.path.getsize(path)
        f = open(path, "rb")
        m = _re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m:
            start, end = int(m.group(1)), int(m.group(2) or size - 1)
            end = min(end, size - 1)
            f.seek(start)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(end - start + 1))
            self._remaining = end - start + 1
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self._remaining = size
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Last-Modified", self.date_time_string(int(_os.path.getmtime(path))))
        self.end_headers()
        return f

    def copyfile(self, source, outputfile):
        outputfile.write(source.read(self._remaining))


def test_http_location_is_read_only_and_readable(s3_hivewire, tmp_path):
    import functools
    import http.server
    import threading as _threading

    pq.write_table(pa.table({"id": [1, 2], "name": ["a", "b"]}), tmp_path / "people.parquet")
    handler = functools.partial(RangeHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    _threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/people.parquet"
    try:
        with s3_hivewire.connect() as c:
            assert c.execute(f"SELECT id, name FROM parquet.`{url}` ORDER BY id").fetchall() == [(1, "a"), (2, "b")]
            name = unique("web")
            c.execute(f"CREATE EXTERNAL TABLE default.{name} (id BIGINT, name STRING) STORED AS PARQUET LOCATION '{url}'")
            assert c.execute(f"SELECT count(*) FROM default.{name}").fetchone() == (2,)
            with pytest.raises(Exception):
                c.execute(f"INSERT INTO default.{name} VALUES (3, 'c')")
            c.execute(f"DROP TABLE default.{name}")
    finally:
        httpd.shutdown()
