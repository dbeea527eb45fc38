-- Session variables: DECLARE, SET VARIABLE (single, several, row assignments, DEFAULT), DROP
-- TEMPORARY VARIABLE, qualified references, columns winning over variables; scalar subqueries
-- with no row; table functions in upper case (docs/hiveql.md, "Session variables"). Computed
-- columns are aliased: Spark names a variable inside one `variablereference(system.session.n=7)`.

DECLARE VARIABLE n INT DEFAULT 5;
DECLARE OR REPLACE VARIABLE greeting = 'hello';
DECLARE OR REPLACE VAR start_day DATE DEFAULT DATE '2024-01-01';
DECLARE OR REPLACE VARIABLE ratio DOUBLE;
SELECT n, session.n, system.session.N, typeof(n) AS tn, greeting, typeof(greeting) AS tg, start_day, ratio;
SET VARIABLE n = n + 1, greeting = 'world', ratio = pi();
SELECT n, greeting, round(ratio, 4) AS r;
SET VAR n = DEFAULT, greeting = DEFAULT;
SELECT n, greeting;
SET VARIABLE (n, greeting) = (SELECT 10, 'ten');
SELECT n, greeting;
SET VARIABLE (n, ratio) = (SELECT 1, 2.5 WHERE false);
SELECT n, ratio;
SET VARIABLE n = 7;
SELECT id FROM range(10) WHERE id > n ORDER BY id;
SELECT n AS col FROM VALUES (2) AS t(n);
SELECT id, id + n AS a, substr('abcdefghij', n, 2) AS b, array(1, 2, 3, 4, 5, 6, 7)[n - 1] AS c FROM range(2) ORDER BY id;
SELECT count(*), sum(id * n) AS s FROM range(4) GROUP BY id % 2 ORDER BY 1, 2;
WITH w AS (SELECT n AS c) SELECT c FROM w;
SELECT start_day + n AS a, date_add(start_day, n) AS b;
DECLARE OR REPLACE VARIABLE schema_text STRING DEFAULT 'a INT, b STRING';
SELECT from_json('{"a": 1, "b": "x"}', schema_text) AS j;
DECLARE OR REPLACE VARIABLE tiny SMALLINT DEFAULT 100000;
DECLARE OR REPLACE VARIABLE bad INT DEFAULT 'hello';
DECLARE n INT;
SET VARIABLE (n, greeting) = (SELECT 1, 'a' UNION ALL SELECT 2, 'b');
SET VARIABLE n = 1, greeting = 'x', N = 2;
SET VARIABLE missing = 1;
SET n = 5;
DROP TEMPORARY VARIABLE n;
SELECT n;
DROP TEMPORARY VARIABLE n;
DROP TEMPORARY VARIABLE IF EXISTS n;
DROP TEMPORARY VARIABLE greeting;
SELECT (SELECT c FROM VALUES (1) AS t(c) WHERE c > 5) AS none, (SELECT 1 WHERE false) AS also_none;
SELECT count(*) FROM RANGE(5);
