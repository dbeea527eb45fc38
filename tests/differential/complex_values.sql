-- Arrays, maps, structs and JSON in a table: subscripts, lambdas, generators, casts to text,
-- each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/complex_values.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW u AS SELECT * FROM VALUES
  (1, array(1, 2, 3), map('a', 1, 'b', 2), named_struct('x', 1, 'y', 'p'), '{"k": [1, 2], "m": {"n": "v"}}'),
  (2, array(), map(), named_struct('x', NULL, 'y', NULL), '{}'),
  (3, NULL, NULL, NULL, NULL) AS u(id, arr, m, st, js);
SELECT id, arr, m, st FROM u ORDER BY id;
SELECT id, arr[0], arr[5], m['a'], m['z'], st.x, st.y FROM u ORDER BY id;
SELECT id, transform(arr, x -> x * 2), filter(arr, x -> x % 2 = 1), aggregate(arr, 0, (acc, x) -> acc + x), exists(arr, x -> x > 2), forall(arr, x -> x > 0) FROM u ORDER BY id;
SELECT id, map_filter(m, (k, v) -> v > 1), transform_values(m, (k, v) -> v * 10), transform_keys(m, (k, v) -> upper(k)), map_keys(m), map_values(m) FROM u ORDER BY id;
SELECT id, get_json_object(js, '$.k[0]'), get_json_object(js, '$.m.n'), json_array_length(get_json_object(js, '$.k')), from_json(js, 'k ARRAY<INT>, m MAP<STRING,STRING>') FROM u ORDER BY id;
SELECT id, explode_outer(arr) FROM u ORDER BY id;
SELECT id, pos, val FROM u LATERAL VIEW OUTER posexplode(arr) p AS pos, val ORDER BY id, pos;
SELECT id, k, v FROM u LATERAL VIEW OUTER explode(m) e AS k, v ORDER BY id, k;
SELECT struct(id, arr), array(st, st), map(id, st), named_struct('a', array(map('k', st))) FROM u ORDER BY id;
SELECT to_json(st), to_json(arr), to_json(m), to_json(named_struct('id', id, 'arr', arr)) FROM u ORDER BY id;
SELECT id, collect_list(x) FROM u LATERAL VIEW explode(arr) t AS x GROUP BY id ORDER BY id;
SELECT inline_outer(array(st)) FROM u;
SELECT CAST(st AS STRING), CAST(arr AS STRING), CAST(m AS STRING), string(arr) FROM u ORDER BY id;
SELECT arrays_zip(a, b), arrays_zip(array(1), array('x')), arrays_zip(a, array(2)), arrays_zip(t.a) FROM VALUES (array(1), array(2)) t(a, b);
SELECT arrays_zip(array(1, 2, 3), array(4), array(7, 8, 9, 10)), arrays_zip(CAST(NULL AS ARRAY<INT>), array(1));
SELECT z[0].a FROM (SELECT arrays_zip(a, b) AS z FROM VALUES (array(1), array(2)) t(a, b));
CREATE TEMPORARY VIEW u2 AS SELECT * FROM VALUES (1, named_struct('x', 1, 'y', 'p')), (2, NULL) AS u2(id, st);
SELECT st.*, id FROM u2 ORDER BY id;
SELECT u2.st.*, u2.* FROM u2 ORDER BY id;
SELECT j.* FROM (SELECT from_json('{"a": 1, "b": "q"}', 'a INT, b STRING') AS j) t;
WITH w AS (SELECT st FROM u2) SELECT st.* FROM w ORDER BY x;
SELECT s.* FROM (SELECT named_struct('A', 1, 'b c', 2) AS s);
SELECT explode(array(1, 2)), posexplode(array('a', 'b'));
SELECT id, explode(a) AS x, explode(b) AS y FROM VALUES (1, array(1, 2), array('p')), (2, array(3), array('q', 'r')) t(id, a, b) ORDER BY id, x, y;
SELECT explode(array(1, 2)), explode(array(3, 4));
SELECT id, explode(a) FROM VALUES (1, array(1, 2)) t(id, a);
SELECT count(*) FROM VALUES (map(1, 2, 2, 3)), (map(2, 3, 1, 2)), (map(1, 3)) AS t(a) GROUP BY a;
SELECT a, count(*) FROM VALUES (map('b', 1, 'a', 2)), (map('a', 2, 'b', 1)) AS t(a) GROUP BY a;
SELECT count(*) FROM VALUES (named_struct('b', map(1, 2, 2, 3))), (named_struct('b', map(2, 3, 1, 2))) AS t(a) GROUP BY a;
