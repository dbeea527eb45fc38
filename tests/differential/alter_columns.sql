-- ALTER COLUMN (comments, defaults, a type change refused) and INSERT column lists naming partition
-- columns, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/alter_columns.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE ac (id INT COMMENT 'old', name STRING, p STRING) USING parquet PARTITIONED BY (p);
ALTER TABLE ac ALTER COLUMN id COMMENT 'the key';
DESCRIBE ac;
ALTER TABLE ac CHANGE COLUMN name COMMENT 'who';
ALTER TABLE ac ALTER COLUMN name TYPE STRING;
DESCRIBE ac;
ALTER TABLE ac ALTER COLUMN id TYPE BIGINT;
ALTER TABLE ac ALTER COLUMN nope COMMENT 'x';
ALTER TABLE ac ALTER COLUMN name SET DEFAULT 'anon';
INSERT INTO ac (id, p) VALUES (1, 'a');
SELECT * FROM ac;
ALTER TABLE ac ALTER COLUMN name DROP DEFAULT;
INSERT INTO ac (id, p) VALUES (2, 'a');
SELECT * FROM ac ORDER BY id;
INSERT INTO ac (p, name, id) VALUES ('b', 'x', 3);
SELECT * FROM ac ORDER BY id;
SHOW PARTITIONS ac;
DROP TABLE ac;
