-- DESCRIBE of queries, temporary views and partitions, and TBLPROPERTIES pairs without `=`
-- (docs/catalog-and-ddl.md, "Inspecting").

CREATE TEMPORARY VIEW tv AS SELECT 1 AS a, 'x' AS b, 2.5BD AS c, array(1, 2) AS d;
DESC tv;
DESCRIBE TABLE tv;
DESC QUERY SELECT a, a + 1 AS plus, b FROM tv;
DESC QUERY VALUES (1.00D, 'hello') AS tab1(col1, col2);
DESC QUERY WITH s AS (SELECT 'hello' AS col1) SELECT * FROM s;
DESCRIBE QUERY SELECT a, count(*) AS n FROM tv GROUP BY a;
CREATE TABLE props_t (a INT, b STRING) USING parquet TBLPROPERTIES (team 'sales', 'k' = 'v');
SHOW TBLPROPERTIES props_t;
DESC props_t;
DROP TABLE props_t;
CREATE TABLE parts (a INT, p STRING) USING parquet PARTITIONED BY (p);
INSERT INTO parts VALUES (1, 'x');
DESC parts PARTITION (p = 'x');
DESC parts PARTITION (p = 'y');
DESC tv PARTITION (p = 'x');
DROP TABLE parts;
