-- Aggregates, JSON paths, hashes and renamed functions hivewire writes itself, each answered as
-- Spark answers it (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW obs AS SELECT * FROM VALUES
  ('a', 1, 3, 1.5D, DATE '2020-01-01'), ('a', 2, 1, NULL, DATE '2021-06-30'), ('a', 2, 7, 2.5D, DATE '2019-03-01'),
  ('b', NULL, 10, 4.0D, NULL), ('b', 5, 2, -1.0D, DATE '2020-02-29')
  AS obs(k, x, y, d, day);

-- aggregates
SELECT max_by(x, y), min_by(x, y), max_by(k, d), min_by(day, y) FROM obs;
SELECT k, max_by(x, y), min_by(x, y) FROM obs GROUP BY k ORDER BY k;
SELECT percentile(y, 0.5), percentile(y, array(0.25, 0.75)), percentile(x, 0.5, y), percentile(d, 0.1) FROM obs;
SELECT percentile_approx(y, 0.5), approx_percentile(y, array(0.1, 0.9), 100), percentile_approx(day, 0.5), percentile_approx(d, 1.0) FROM obs;
SELECT k, percentile(y, 0.5), percentile_approx(y, 0.5) FROM obs GROUP BY k ORDER BY k;
SELECT mode(x), mode(k) FROM obs;
SELECT count_if(y > 2), count_if(x IS NULL), std(y), try_avg(y) FROM obs;
SELECT k, count_if(y > 2) FROM obs GROUP BY k ORDER BY k;
SELECT k, y, count_if(y > 2) OVER (PARTITION BY k ORDER BY y) FROM obs ORDER BY k, y;
SELECT percentile(y, 0.5) FROM obs WHERE false;

-- JSON paths
SELECT get_json_object('{"a":{"b":[1,2.5e10,"x"]}, "c": null}', '$.a'), get_json_object('{"a":{"b":[1,2]}}', '$.a.b[1]');
SELECT get_json_object('{"a":{"b":[1,2.5e10,"x"]}}', '$.a.b[*]'), get_json_object('[{"a":1}]', '$[*].a'), get_json_object('{"a":[1]}', '$.a[*]');
SELECT get_json_object('{"c": null}', '$.c'), get_json_object('not json', '$.a'), get_json_object('{"a":1}', 'a'), get_json_object('{"a b":1}', '$[''a b'']');

-- hashes
SELECT hash(1), hash(1L), hash('Spark'), hash(''), hash(NULL), hash('Spark', array(123), 2);
SELECT hash(1.5D), hash(-0.0D), hash(CAST(1.5 AS FLOAT)), hash(true), hash(DATE '2020-01-01'), hash(TIMESTAMP '2020-01-01 00:00:00');
SELECT hash(1.23), hash(CAST(12345678901234567890.5 AS DECIMAL(38,1))), hash(named_struct('a', 1, 'b', 'x')), hash(X'0102'), hash('abcde');
SELECT k, hash(k, x, d) FROM obs ORDER BY k, x;

-- renamed and reshaped functions
SELECT lcase('AbC'), ucase('AbC'), equal_null(1, NULL), equal_null(NULL, NULL), sign(-3), e(), dayname(DATE '2020-01-01');
SELECT try_mod(5, 0), try_mod(5, 3), try_to_date('x'), try_to_date('2020-01-02'), try_to_date('02/01/2020', 'dd/MM/yyyy');
SELECT try_element_at(array(1, 2), 5), try_element_at(map(1, 2), 3), current_timezone();
SELECT convert_timezone('UTC', 'Asia/Tokyo', TIMESTAMP_NTZ '2020-01-01 00:00:00');

-- casts between timestamps and numbers
SELECT CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS BIGINT), CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS DOUBLE), CAST(TIMESTAMP '1969-12-31 23:59:59.5' AS BIGINT);
SELECT TRY_CAST(TIMESTAMP '2100-01-01 00:00:00' AS INT);

-- regular expressions and operators
SELECT regexp_replace('100-200', '(\\d+)', 'num'), regexp_replace('hello world', '[aeiou]', ''), regexp_replace('abcabc', 'b', 'X', 3);
SELECT regexp_replace('abc', '(b)', '<$1>'), regexp_replace('a.b.c', '\\.', '\\$'), regexp_replace(NULL, 'a', 'b');
SELECT 'abc' RLIKE '^a.c$', 'abc' REGEXP 'x', 'abc' NOT RLIKE 'x', ~5, ~CAST(5 AS BIGINT);
SELECT array_remove(array(1, 2, 1), 1), array_remove(array('a', NULL, 'a'), 'a');

-- names Spark gives
SELECT sqrt(4), log(10), log(2, 8), exp(0), ceil(1.2), floor(-1.5), power(2, 3), pow(2, 3), pi(), degrees(1);
SELECT x, rank() OVER (ORDER BY x), dense_rank() OVER (ORDER BY x), cume_dist() OVER (ORDER BY x), lag(x) OVER (ORDER BY x), lead(x, 2, 0) OVER (ORDER BY x) FROM VALUES (1), (2), (3) AS t(x) ORDER BY x;
SELECT listagg(k) WITHIN GROUP (ORDER BY k DESC), listagg(k, '|') WITHIN GROUP (ORDER BY k DESC) FROM obs;
SELECT string_agg(k) WITHIN GROUP (ORDER BY y) FROM obs;
SELECT mode() WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY x DESC), mode(x, true) FROM VALUES (1), (2), (2), (3), (3) AS t(x);

-- NULL aggregates and any_value over a window
SELECT sum(NULL), avg(NULL);
SELECT x, any_value(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a, any_value(y, true) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS b FROM VALUES (1, NULL), (2, 'b'), (3, 'c') AS t(x, y) ORDER BY x;
SELECT isnotnull(1), isnull(NULL), array_insert(CAST(NULL AS ARRAY<INT>), 1, 1);

-- ordered-set percentiles
SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY y), percentile_disc(0.25) WITHIN GROUP (ORDER BY y DESC), percentile_cont(0.25) WITHIN GROUP (ORDER BY y) FROM obs;
SELECT k, percentile_disc(0.5) WITHIN GROUP (ORDER BY y) FILTER (WHERE y > 1) FROM obs GROUP BY k ORDER BY k;
