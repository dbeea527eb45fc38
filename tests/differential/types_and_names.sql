-- Common types, casts to text and column names, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/types_and_names.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW nums AS SELECT * FROM VALUES
  (1.5D, 1, 'ab', 2.50BD, TIMESTAMP'2020-01-02 03:04:05.5', DATE'2020-01-02'),
  (NULL, 2, NULL, NULL, NULL, NULL),
  (-3.25D, 3, 'c', 0.10BD, TIMESTAMP'1969-12-31 23:59:59', DATE'1969-12-31') AS nums(x, n, s, d, ts, dt);

-- A DECIMAL beside a DOUBLE is a DOUBLE.
SELECT coalesce(x, 0.0), nvl(x, 0.0), if(n > 1, x, 0.5), CASE WHEN n = 1 THEN x ELSE 0.25 END FROM nums;
SELECT greatest(x, 0.5), least(x, d), x = d, x > 0.5, nullif(x, 1.5), nvl2(s, x, 0.5) FROM nums;
SELECT array(x, 0.5), map('k', x, 'j', 1.25), CASE x WHEN 1.5 THEN 'y' ELSE 'n' END FROM nums;
SELECT x FROM nums UNION ALL SELECT d FROM nums;
SELECT * FROM VALUES (1.5D, 1), (0.5, 2.5) t(a, b);
SELECT typeof(coalesce(x, 0.0)), typeof(array(1e10, 0.5)), typeof(x + 0.5) FROM nums;

-- Column names.
SELECT x IN (1.5, 2.0), n IN (1, 2), n NOT IN (1), s IN ('ab', 'x') FROM nums;
SELECT n BETWEEN 1 AND 2, n NOT BETWEEN 1 AND 2, s LIKE 'a%', s NOT LIKE 'a%', s ILIKE 'A%' FROM nums;
SELECT n IS DISTINCT FROM 1, n <=> 1, n IS NOT DISTINCT FROM 1 FROM nums;
SELECT CAST(x AS INT), CAST(nums.n AS STRING), TRY_CAST(s AS INT), n::bigint, int(x), string(n), CAST(n + 1 AS STRING) FROM nums;

-- Casts to text.
SELECT CAST(x AS STRING), CAST(d AS STRING), CAST(ts AS STRING), CAST(dt AS STRING) FROM nums;
SELECT concat(s, x), x || '', concat('t=', ts) FROM nums;
SELECT CAST(1e10 AS STRING), CAST(1e-5 AS STRING), CAST(CAST(3.14 AS FLOAT) AS STRING), CAST(-0.0D AS STRING), CAST(1e7 AS STRING);
SELECT CAST(array(1, NULL) AS STRING), CAST(array(1e10, NULL) AS STRING), CAST(map('k', 1, 'j', NULL) AS STRING);
SELECT CAST(named_struct('a', 1, 'b', 'x', 'c', CAST(NULL AS INT)) AS STRING), CAST(array(named_struct('a', array(1))) AS STRING);
SELECT CAST(array(ts) AS STRING), CAST(array(dt) AS STRING), CAST(array(CAST(NULL AS STRING), '') AS STRING) FROM nums;

-- Values inside arrays, maps and structs.
SELECT array(1e10, 0.5), named_struct('a', CAST(1e-5 AS FLOAT)), map(1, 1e20D);
SELECT map('b', 1, 'a', 2), map(2, 'x', 1, 'y'), named_struct('q', 'say "hi"');
