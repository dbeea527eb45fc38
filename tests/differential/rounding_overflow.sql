-- Whole numbers rounded past their type: an error under ANSI rules, wrapped without them; ceil and
-- floor to a number of places; each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/rounding_overflow.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT round(-128Y, -1);
SELECT round(-32768S, -1);
SELECT round(-9223372036854775808L, -1);
SELECT bround(127Y, -1);
SELECT bround(-128Y, -1);
SELECT bround(2147483647, -1);
SELECT round(125Y, -1), bround(125Y, -1), round(1234, -2), bround(1250, -2), round(12.5, 0), round(-1234.5678, -2);
SELECT round(x, -1) FROM VALUES (CAST(100 AS TINYINT)), (CAST(20 AS TINYINT)) t(x);

-- ceil and floor to a number of places (negative: tens, hundreds...).
SELECT CEIL(2.5, 0), CEIL(-0.35, 1), CEIL(-35, -1), CEIL(3.14115, -3), FLOOR(-0.1, 0), FLOOR(CAST(-99 AS DECIMAL(2, 0)), -1), CEIL(5, 0);
SELECT ceil(1.2345D, 2), floor(-1.2345D, 2), typeof(ceil(1.2345D, 2)), ceiling(2.51, 1), floor(CAST(7 AS BIGINT), -1);
SELECT id, ceil(id / 3, 1), floor(id * 1.5, -1) FROM range(10, 13) ORDER BY id;
SELECT CEIL(2.5, 'a');
