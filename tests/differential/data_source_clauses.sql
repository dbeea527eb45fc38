-- Spark's data source clauses after USING, in any order: bucket specs (accepted, checked, shown by
-- DESCRIBE FORMATTED and SHOW CREATE TABLE) and COMMENT, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/data_source_clauses.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE bk (a STRING, b INT, c STRING) USING parquet PARTITIONED BY (c) CLUSTERED BY (a) SORTED BY (b) INTO 4 BUCKETS;
DESCRIBE FORMATTED bk;
SHOW CREATE TABLE bk;
SHOW TBLPROPERTIES bk;
INSERT INTO bk VALUES ('x', 1, 'p'), ('y', 2, 'q');
SELECT * FROM bk ORDER BY a;
CREATE TABLE bk2 (a STRING, b INT) USING parquet CLUSTERED BY (a, b) INTO 2 BUCKETS;
DESCRIBE FORMATTED bk2;
CREATE TABLE bk4 (a STRING, b INT) USING parquet CLUSTERED BY (z) INTO 2 BUCKETS;
CREATE TABLE bk5 (a STRING, b INT) USING parquet CLUSTERED BY (a) INTO 0 BUCKETS;
CREATE TABLE bk6 USING parquet CLUSTERED BY (a) INTO 3 BUCKETS AS SELECT 'x' AS a, 1 AS b;
SELECT * FROM bk6;
DROP TABLE bk;
DROP TABLE bk2;
DROP TABLE bk6;
CREATE TABLE cm1 (a INT) USING parquet COMMENT 'first';
CREATE TABLE cm2 (a INT, b STRING) USING parquet TBLPROPERTIES ('k' = 'v') COMMENT 'second' PARTITIONED BY (b);
DESCRIBE TABLE EXTENDED cm2;
SHOW TBLPROPERTIES cm2;
CREATE TABLE cm3 USING parquet COMMENT 'from a query' AS SELECT 1 AS a;
DESCRIBE TABLE EXTENDED cm3;
DROP TABLE cm1;
DROP TABLE cm2;
DROP TABLE cm3;
