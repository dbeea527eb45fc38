-- NOT IN and IN subqueries inside a filter's OR and NOT, with NULLs on either side, correlated
-- and not (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW emp AS SELECT * FROM VALUES (100, 10), (200, NULL), (300, 20), (500, NULL), (600, 100) AS emp(id, dept_id);
CREATE TEMPORARY VIEW dept AS SELECT * FROM VALUES (10), (20), (30) AS dept(d);
CREATE TEMPORARY VIEW dept_n AS SELECT * FROM VALUES (10), (NULL) AS dept_n(d);
SELECT id FROM emp WHERE dept_id NOT IN (SELECT d FROM dept) ORDER BY id;
SELECT id FROM emp WHERE dept_id NOT IN (SELECT d FROM dept_n) ORDER BY id;
SELECT id FROM emp WHERE id = 600 OR dept_id NOT IN (SELECT d FROM dept) ORDER BY id;
SELECT id FROM emp WHERE id = 600 OR dept_id NOT IN (SELECT d FROM dept_n) ORDER BY id;
SELECT id FROM emp WHERE id = 600 OR dept_id IN (SELECT d FROM dept_n) ORDER BY id;
SELECT id FROM emp WHERE NOT (id > 250 AND dept_id IN (SELECT d FROM dept)) ORDER BY id;
SELECT id, CASE WHEN dept_id NOT IN (SELECT d FROM dept) THEN 'out' ELSE 'in-or-unknown' END FROM emp ORDER BY id;
SELECT id FROM emp e WHERE id = 600 OR dept_id NOT IN (SELECT d FROM dept WHERE d > e.id / 100) ORDER BY id;
SELECT count(*) FILTER (WHERE dept_id NOT IN (SELECT d FROM dept)) FROM emp;
SELECT id FROM emp WHERE NOT (dept_id IN (SELECT d FROM dept_n) OR id < 150) ORDER BY id;
SELECT id FROM emp WHERE (id > 250 AND dept_id NOT IN (SELECT d FROM dept)) OR (id < 150 AND dept_id NOT IN (SELECT d FROM dept_n)) ORDER BY id;

-- IN subqueries as values are true or false, never NULL, as Spark's existence join makes them.
SELECT a, a IN (SELECT c FROM VALUES (1), (NULL) t(c)), a NOT IN (SELECT c FROM VALUES (1), (NULL) t(c)), NOT (a IN (SELECT c FROM VALUES (1), (NULL) t(c))) FROM VALUES (1), (2), (NULL) s(a) ORDER BY a;
SELECT a, a IN (SELECT c FROM VALUES (5) t(c) WHERE c > 9), a NOT IN (SELECT c FROM VALUES (5) t(c) WHERE c > 9), CASE WHEN a IN (SELECT NULL) THEN 'in' ELSE 'out' END FROM VALUES (1), (NULL) s(a) ORDER BY a;
SELECT count_if(a IN (SELECT c FROM VALUES (1), (NULL) t(c))), count_if(a NOT IN (SELECT c FROM VALUES (3) t(c))) FROM VALUES (1), (2), (NULL) s(a);
