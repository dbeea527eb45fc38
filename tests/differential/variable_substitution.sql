-- ${...} substitution from SET and SET hivevar: (docs/hiveql.md, "Session variables").

SET hivevar:colname = 'c';
SELECT ${colname} AS v, ${hivevar:colname} AS w;
SELECT IDENTIFIER(${colname} || '_1') FROM VALUES (1) AS t(c_1);
SET row_limit = 2;
SELECT id FROM range(10) ORDER BY id LIMIT ${row_limit};
SELECT ${row_limit} + 1 AS a, '${hiveconf:row_limit}' AS b, '${never_set}' AS c;
SET spark.sql.variable.substitute = false;
SELECT '${row_limit}' AS raw;
SET spark.sql.variable.substitute = true;
