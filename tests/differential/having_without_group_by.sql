-- HAVING without GROUP BY: one group of all the rows, as Spark makes it, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/having_without_group_by.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT 1 FROM range(10) HAVING true;
SELECT 1 FROM range(10) HAVING MAX(id) > 0;
SELECT id FROM range(10) HAVING id > 0;
SELECT count(*) FROM range(10) HAVING count(*) > 5;
SELECT 'x' AS k FROM range(3) HAVING false;
