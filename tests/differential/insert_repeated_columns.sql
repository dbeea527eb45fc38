-- INSERT ... SELECT whose select repeats a column or a name (the table's columns are filled by
-- position), into plain and partitioned tables (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW src AS SELECT * FROM VALUES ('a', 1), ('b', 2) AS src(c, n);
CREATE TABLE pairs (x STRING, y STRING, n INT, m INT) USING parquet;
INSERT INTO pairs SELECT c, c, n, n FROM src;
INSERT INTO pairs SELECT c AS v, upper(c) AS v, n, n * 10 AS n FROM src WHERE n = 2;
SELECT * FROM pairs ORDER BY x, y, m;
CREATE TABLE parted (x STRING, n INT, p INT) USING parquet PARTITIONED BY (p);
INSERT INTO parted SELECT c, n, n FROM src;
SELECT * FROM parted ORDER BY x;
DROP TABLE pairs;
DROP TABLE parted;
