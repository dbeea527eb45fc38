-- Joins, set operations, subqueries, ordering, implicit casts and Hive's SORT BY family, each
-- answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/queries_and_coercions.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW a AS SELECT * FROM VALUES (1, 'x', DATE'2024-01-01', true), (2, 'y', DATE'2024-02-01', false), (3, NULL, NULL, NULL) AS a(id, s, d, b);
CREATE TEMPORARY VIEW b AS SELECT * FROM VALUES (1, 10), (1, 11), (4, 40) AS b(id, n);
SELECT * FROM a WHERE id = '1';
SELECT id + '1', '2' * id, concat(id, s), id || s FROM a ORDER BY id;
SELECT * FROM a WHERE d > '2024-01-15';
SELECT * FROM a WHERE d BETWEEN '2024-01-01' AND '2024-01-31';
SELECT id, s FROM a ORDER BY s;
SELECT id, s FROM a ORDER BY s DESC;
SELECT id, s FROM a ORDER BY s NULLS LAST;
SELECT s AS name, count(*) AS c FROM a GROUP BY name HAVING c > 0 ORDER BY name;
SELECT id FROM a ORDER BY 1 DESC LIMIT 2;
SELECT id FROM a ORDER BY id LIMIT 1 OFFSET 1;
SELECT DISTINCT b FROM a ORDER BY b;
SELECT a.id, b.n FROM a LEFT JOIN b ON a.id = b.id ORDER BY a.id, b.n;
SELECT a.id, b.n FROM a RIGHT JOIN b ON a.id = b.id ORDER BY b.n;
SELECT a.id, b.n FROM a FULL OUTER JOIN b ON a.id = b.id ORDER BY a.id, b.n;
SELECT * FROM a LEFT SEMI JOIN b ON a.id = b.id;
SELECT * FROM a LEFT ANTI JOIN b ON a.id = b.id ORDER BY id;
SELECT count(*) FROM a CROSS JOIN b;
SELECT * FROM a JOIN b USING (id);
SELECT id FROM a UNION SELECT id FROM b ORDER BY id;
SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY id;
SELECT id FROM a INTERSECT SELECT id FROM b;
SELECT id FROM a EXCEPT SELECT id FROM b ORDER BY id;
SELECT id, (SELECT max(n) FROM b WHERE b.id = a.id) FROM a ORDER BY id;
SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.id = a.id);
SELECT id FROM a WHERE id NOT IN (SELECT id FROM b) ORDER BY id;
WITH x AS (SELECT id FROM a), y AS (SELECT id FROM x WHERE id > 1) SELECT * FROM y ORDER BY id;
SELECT j.* FROM (SELECT '{"a":1,"b":"q"}' AS js) LATERAL VIEW json_tuple(js, 'a', 'b') j AS a, b;
SELECT get_json_object('{"a":{"b":[1,2]}}', '$.a.b[1]'), from_json('{"a":1}', 'a INT'), to_json(named_struct('a', 1));
SELECT NOT b, b AND true, b OR NULL, b IS TRUE, b IS NOT FALSE FROM a ORDER BY id;
SELECT id, count(*) OVER (), sum(id) OVER (ORDER BY id DESC) FROM a ORDER BY id;
SELECT s, count(*) FROM a GROUP BY s ORDER BY s NULLS FIRST;
SELECT count(DISTINCT s), count(s), count(*), sum(DISTINCT id) FROM a;
SELECT max(d), min(s), max(b), avg(id), sum(id) / count(id) FROM a;
SELECT 'abc' < 'abd', 'a' = 'A', upper('ß'), lower('ÀB'), length('héllo'), substring('héllo', 2, 3);
SELECT CAST(true AS INT), CAST('true' AS BOOLEAN), CAST('yes' AS BOOLEAN), CAST(1.9 AS INT), CAST(-1.9 AS INT), CAST('12.5' AS DECIMAL(4,1));
SELECT CAST('2024-01-01 10:00:00' AS TIMESTAMP), CAST('2024-01-01' AS TIMESTAMP), CAST(TIMESTAMP'2024-01-01 10:00:00' AS DATE);
SELECT TIMESTAMP'2024-01-01 10:00:00' + INTERVAL 1 DAY, DATE'2024-01-31' + INTERVAL 1 MONTH, TIMESTAMP'2024-01-01 10:00:00' - TIMESTAMP'2023-12-31 09:00:00', DATE'2024-03-01' - DATE'2024-02-01';
SELECT id FROM a TABLESAMPLE (100 PERCENT) ORDER BY id;
SELECT * FROM a DISTRIBUTE BY id SORT BY id;
SELECT id, s FROM a CLUSTER BY id;
