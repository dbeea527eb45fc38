-- IDENTIFIER('...') names given as constant text or STRING session variables, in select lists,
-- FROM clauses, function calls and DDL; USE SCHEMA and ALTER TABLE ... ADD COLUMN
-- (docs/hiveql.md, "Session variables").

SELECT IDENTIFIER('c1') FROM VALUES (1) AS t(c1);
SELECT IDENTIFIER('t.c1'), IDENTIFIER('c' || '1') AS again FROM VALUES (1) AS t(c1);
SELECT IDENTIFIER('`c 1`') FROM VALUES (1) AS t(`c 1`);
SELECT IDENTIFIER('COAL' || 'ESCE')(NULL, 1) AS c, IDENTIFIER('abs')(-4) AS a;
SELECT * FROM IDENTIFIER('ra' || 'nge')(0, 2);
CREATE SCHEMA IF NOT EXISTS ident_schema;
USE SCHEMA ident_schema;
CREATE TABLE IDENTIFIER('ta' || 'b')(c1 INT) USING parquet;
INSERT INTO IDENTIFIER('tab') VALUES (1), (2);
ALTER TABLE IDENTIFIER('tab') ADD COLUMN c2 STRING;
INSERT INTO tab VALUES (3, 'x');
SELECT * FROM IDENTIFIER('ident_schema.tab') ORDER BY c1;
DECLARE OR REPLACE VARIABLE table_name STRING DEFAULT 'tab';
DECLARE OR REPLACE VARIABLE column_name = 'c';
SELECT IDENTIFIER(column_name || '1') FROM IDENTIFIER(table_name) ORDER BY 1;
SELECT count(*) FROM IDENTIFIER(session.table_name);
USE DATABASE default;
DROP TABLE IDENTIFIER('ident_schema.' || table_name);
DROP SCHEMA ident_schema;
DROP TEMPORARY VARIABLE table_name;
DROP TEMPORARY VARIABLE column_name;
SELECT IDENTIFIER('a b') FROM VALUES (1) AS t(a);
