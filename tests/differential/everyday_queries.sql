-- A table's everyday queries (types, aggregates, windows, generators, dates, text, decimals,
-- subqueries, DESCRIBE/SHOW), each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/everyday_queries.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE emp (id INT, name STRING, dept STRING, salary DOUBLE, hired DATE, bonus DECIMAL(10,2), tags ARRAY<STRING>, props MAP<STRING,INT>) USING parquet;
INSERT INTO emp VALUES (1, 'Ann', 'eng', 120000.0, DATE'2019-03-01', 1500.50, array('a','b'), map('x', 1)), (2, 'Bob', 'eng', 95000.5, DATE'2020-07-15', NULL, array(), map()), (3, 'Cid', 'ops', 70000.0, DATE'2018-01-20', 200.00, NULL, NULL), (4, 'Dee', 'ops', NULL, NULL, 0.00, array('c'), map('y', 2, 'z', 3)), (5, 'Eve', 'hr', 88000.25, DATE'2021-11-30', 99.99, array('a'), map('x', 5));
SELECT * FROM emp ORDER BY id;
SELECT dept, count(*), avg(salary), sum(bonus), max(hired), min(name) FROM emp GROUP BY dept ORDER BY dept;
SELECT dept, round(avg(salary), 2) AS avg_sal, stddev(salary), variance(salary), percentile_approx(salary, 0.5) FROM emp GROUP BY dept ORDER BY dept;
SELECT name, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC), row_number() OVER (ORDER BY id), lag(name) OVER (ORDER BY id), sum(salary) OVER (PARTITION BY dept) FROM emp ORDER BY id;
SELECT id, explode(tags) FROM emp ORDER BY id;
SELECT id, t FROM emp LATERAL VIEW OUTER explode(tags) x AS t ORDER BY id, t;
SELECT id, k, v FROM emp LATERAL VIEW explode(props) m AS k, v ORDER BY id, k;
SELECT size(tags), array_contains(tags, 'a'), props['x'], map_keys(props), concat_ws(',', tags) FROM emp ORDER BY id;
SELECT year(hired), month(hired), datediff(DATE'2022-01-01', hired), date_format(hired, 'yyyy/MM'), date_add(hired, 30), add_months(hired, 1), last_day(hired) FROM emp ORDER BY id;
SELECT upper(name), length(name), substr(name, 2), concat(name, '-', dept), lpad(name, 5, '*'), regexp_replace(name, '[aeiou]', '_'), instr(name, 'e') FROM emp ORDER BY id;
SELECT salary / 1000, CAST(salary AS BIGINT) DIV 1000, CAST(salary AS INT), CAST(salary AS DECIMAL(12,1)), bonus * 2, bonus / 3, id % 2, pmod(-id, 3) FROM emp ORDER BY id;
SELECT CASE WHEN salary > 100000 THEN 'high' WHEN salary > 80000 THEN 'mid' ELSE 'low' END, if(bonus IS NULL, 'none', 'some'), coalesce(salary, 0), nvl(bonus, 0) FROM emp ORDER BY id;
SELECT dept, collect_list(name), collect_set(dept), count(DISTINCT dept) FROM emp GROUP BY dept ORDER BY dept;
SELECT dept, count(*) FROM emp GROUP BY dept HAVING count(*) > 1 ORDER BY dept;
SELECT dept, sum(salary) FROM emp GROUP BY ROLLUP(dept) ORDER BY dept;
SELECT e.name, d.cnt FROM emp e JOIN (SELECT dept, count(*) AS cnt FROM emp GROUP BY dept) d ON e.dept = d.dept ORDER BY e.id;
SELECT name FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY name;
SELECT name FROM emp WHERE dept IN (SELECT dept FROM emp WHERE salary > 100000) ORDER BY name;
SELECT * FROM emp WHERE name LIKE 'A%' OR name RLIKE '^E';
WITH t AS (SELECT dept, max(salary) AS m FROM emp GROUP BY dept) SELECT * FROM t ORDER BY m DESC NULLS LAST;
SELECT id, salary FROM emp ORDER BY salary;
SELECT id, salary FROM emp ORDER BY salary DESC;
SELECT current_date() IS NOT NULL, typeof(salary), typeof(bonus), typeof(tags), typeof(props) FROM emp LIMIT 1;
SELECT named_struct('n', name, 's', salary), struct(id, name), array(id, id * 2) FROM emp ORDER BY id;
SELECT sum(salary), avg(bonus), count(bonus), count(1), min(bonus), max(salary) FROM emp;
SELECT bonus, bonus + 1, bonus * bonus, -bonus, abs(bonus - 100) FROM emp ORDER BY id;
SELECT dept, first(name), last(name), first_value(name) OVER (PARTITION BY dept ORDER BY id) FROM emp GROUP BY dept, name, id ORDER BY dept, id;
DESCRIBE emp;
SHOW TABLES;
SHOW COLUMNS IN emp;
SELECT 1/0;
SELECT CAST('abc' AS INT);
SELECT from_unixtime(0), unix_timestamp('2020-01-01 00:00:00'), to_date('2020-05-06'), to_timestamp('2020-05-06 07:08:09');
SELECT 0.1 + 0.2, 1.0 / 3, 10 / 4, 2.5 * 2, 1e3, 100000000000, 3.0E0, CAST(1 AS FLOAT) / 3;
SELECT split('a,b,c', ','), sort_array(array(3,1,2)), array_distinct(array(1,1,2)), transform(array(1,2), x -> x * 10), filter(array(1,2,3), x -> x > 1);
SELECT md5('abc'), sha2('abc', 256), crc32('abc'), hash('abc'), base64('abc'), hex(255), conv('ff', 16, 10);
