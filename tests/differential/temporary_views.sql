-- Global temporary views read as global_temp.v, and SHOW TABLES listing temporary views after the
-- database's tables, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/temporary_views.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE GLOBAL TEMPORARY VIEW gv AS SELECT 3 AS three;
SELECT * FROM global_temp.gv;
SELECT g.three + 1 FROM global_temp.gv g;
CREATE TEMPORARY VIEW lv AS SELECT 1 AS one;
SHOW TABLES;
SHOW TABLES IN global_temp;
SHOW TABLES LIKE 'l*';
CREATE OR REPLACE GLOBAL TEMPORARY VIEW gv AS SELECT 4 AS four;
SELECT * FROM global_temp.gv;
CREATE GLOBAL TEMPORARY VIEW gv AS SELECT 5 AS five;
DROP VIEW global_temp.gv;
SELECT * FROM global_temp.gv;
DROP VIEW lv;
