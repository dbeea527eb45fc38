-- Column DEFAULT values: left out of an INSERT's column list, written as DEFAULT in VALUES, shown by
-- DESCRIBE EXTENDED and SHOW CREATE TABLE, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/column_defaults.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE d1 (a STRING DEFAULT 'dv', b INT DEFAULT 42, c INT) USING parquet;
INSERT INTO d1 (c) VALUES (1);
INSERT INTO d1 VALUES (DEFAULT, DEFAULT, 2);
INSERT INTO d1 (c, a) SELECT 3, 'q';
INSERT INTO d1 (c, b) VALUES (4, DEFAULT);
INSERT INTO d1 (c) SELECT id FROM range(5, 7);
SELECT * FROM d1 ORDER BY c;
DESCRIBE EXTENDED d1;
SHOW CREATE TABLE d1;
CREATE TABLE d4 (a TIMESTAMP DEFAULT current_timestamp(), b INT) USING parquet;
INSERT INTO d4 (b) VALUES (1);
SELECT a IS NOT NULL, b FROM d4;
DROP TABLE d1;
DROP TABLE d4;
