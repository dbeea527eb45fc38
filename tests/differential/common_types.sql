-- The common type of values put together (CASE and IF branches, coalesce, nvl, nvl2, array,
-- map, IN lists, UNION columns) under Spark's rules, with and without ANSI rules: text beside a
-- number, a date or a boolean, a FLOAT beside a whole number, and constants that do not convert
-- failing only where a row takes them (docs/hiveql.md, "Types of values put together").

CREATE TEMPORARY VIEW mix AS SELECT * FROM VALUES
  (1, 2.5F, 1.5D, 3.25BD, '7', 'x', DATE '2020-01-01', TIMESTAMP '2020-01-01 10:00:00', true),
  (2, NULL, -0.5D, NULL, NULL, '2020-02-03', NULL, NULL, false),
  (NULL, 0.25F, NULL, 1.00BD, '08', 'true', DATE '2021-12-31', TIMESTAMP '2021-12-31 23:59:59', NULL)
  AS mix(i, f, d, m, n, s, day, ts, b);

SELECT i, CASE WHEN i = 1 THEN i ELSE f END, CASE WHEN i = 1 THEN f ELSE m END, if(i = 2, i, f) FROM mix ORDER BY i;
SELECT i, CASE WHEN i IS NULL THEN n ELSE i END, coalesce(i, n), nvl(n, i), nvl2(n, i, n) FROM mix ORDER BY i;
SELECT i, coalesce(f, i), coalesce(m, f), coalesce(d, m, i), array(i, f), array(i, n) FROM mix WHERE i = 1;
SELECT i, CASE WHEN i = 1 THEN day ELSE '2022-02-02' END, coalesce(ts, day), array(day, ts) FROM mix ORDER BY i;
SELECT i, CASE WHEN i = 2 THEN s ELSE ts END FROM mix WHERE i = 2;
SELECT i, CASE WHEN b THEN 'yes' ELSE 0 END FROM mix WHERE i = 2;
SELECT i, i IN ('1', 3), n IN (7, 8), day IN ('2020-01-01'), f IN (0.25, 1) FROM mix ORDER BY i;
SELECT i, greatest(i, f), least(f, d, m) FROM mix ORDER BY i;
SELECT map(1, 'a', 2.5F, 'b'), map('k', 1, 'l', '2'), map(1, 2, '3', 4);
SELECT typeof(CASE WHEN true THEN 1Y ELSE 2S END), typeof(coalesce(1, 2.5BD)), typeof(coalesce(1L, 2.5F)), typeof(if(true, 1, '2'));

-- Constants that do not convert fail only where a row takes them.
SELECT CASE WHEN true THEN 1 ELSE 'x' END;
SELECT i, CASE WHEN i > 5 THEN 'n/a' ELSE i END, coalesce(i, 0, 'none') FROM mix ORDER BY i;
SELECT CASE WHEN true THEN cast(1 AS boolean) ELSE cast(2 AS string) END;

-- Unions take the common type of each column.
SELECT 1 AS c UNION ALL SELECT '2' ORDER BY c;
SELECT 1L AS c UNION ALL SELECT 2.5F ORDER BY c;
SELECT 1 AS c UNION SELECT 2.5BD UNION SELECT 3.5D ORDER BY c;
SELECT DATE '2020-01-01' AS c UNION ALL SELECT '2020-01-02' ORDER BY c;
SELECT i, n FROM mix UNION ALL SELECT f, s FROM mix WHERE i = 1 ORDER BY 1, 2;

-- Types with no common type are an error.
SELECT CASE WHEN true THEN 1 ELSE true END;
SELECT coalesce(DATE '2020-01-01', 1);
SELECT 1 UNION SELECT true;
