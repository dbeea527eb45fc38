-- Whole numbers rounded past their type: an error under ANSI rules, wrapped without them, each answered
-- as Spark answers it.
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
