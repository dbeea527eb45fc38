-- CACHE, UNCACHE, REFRESH and CLEAR CACHE: checked as Spark checks them, CACHE TABLE ... AS making its
-- temporary view, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/cache_statements.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE ct1 (a INT) USING parquet;
INSERT INTO ct1 VALUES (1), (2);
CACHE TABLE ct1;
SELECT * FROM ct1 ORDER BY a;
CACHE LAZY TABLE ct1;
UNCACHE TABLE ct1;
UNCACHE TABLE IF EXISTS nothing_here;
UNCACHE TABLE nothing_here;
CACHE TABLE nothing_here;
REFRESH TABLE ct1;
REFRESH TABLE nothing_here;
CACHE TABLE big AS SELECT a * 10 AS b FROM ct1;
SELECT * FROM big ORDER BY b;
CACHE TABLE big2 SELECT a FROM ct1 WHERE a > 1;
SELECT * FROM big2;
CLEAR CACHE;
DROP TABLE ct1;
