-- INSERT OVERWRITE of partitioned data source tables under Spark's static partition overwrite mode
-- (every matching partition replaced) and under the dynamic one, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/partition_overwrite.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE po (id INT, p STRING, q INT) USING parquet PARTITIONED BY (p, q);
INSERT INTO po VALUES (1, 'x', 1), (2, 'x', 2), (3, 'y', 1);
INSERT OVERWRITE TABLE po PARTITION (p, q) SELECT 10, 'z', 9;
SELECT * FROM po ORDER BY id;
SHOW PARTITIONS po;
INSERT INTO po VALUES (1, 'x', 1), (2, 'x', 2), (3, 'y', 1);
INSERT OVERWRITE TABLE po PARTITION (p = 'x', q) SELECT 20, 5;
SELECT * FROM po ORDER BY id;
SHOW PARTITIONS po;
INSERT OVERWRITE TABLE po SELECT 30, 'w', 0;
SELECT * FROM po ORDER BY id;
SET spark.sql.sources.partitionOverwriteMode = dynamic;
INSERT INTO po VALUES (1, 'x', 1), (3, 'y', 1);
INSERT OVERWRITE TABLE po PARTITION (p, q) SELECT 40, 'x', 1;
SELECT * FROM po ORDER BY id;
SHOW PARTITIONS po;
SET spark.sql.sources.partitionOverwriteMode = static;
DROP TABLE po;
