-- The CSV functions (from_csv, schema_of_csv, to_csv) and to_json, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/csv_json_functions.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

select from_csv('1, 3.14', 'a INT, f FLOAT');
select from_csv(' 1,3', 'a INT, f INT');
select from_csv('1,x,3', 'a INT, b INT, c INT');
select from_csv('1', 'a INT, b STRING');
select from_csv('1,2,3', 'a INT');
select from_csv('"a,b",c', 'a STRING, b STRING');
select from_csv('"a""b",c', 'a STRING, b STRING');
select from_csv('a;b', 'a STRING, b STRING', map('sep',';'));
select from_csv(',', 'a STRING, b INT');
select from_csv('', 'a STRING, b INT');
select from_csv(NULL, 'a STRING, b INT');
select from_csv('2020-01-02,2020-01-02 03:04:05,true,1.5,9999999999', 'd DATE, t TIMESTAMP, b BOOLEAN, x DECIMAL(5,2), l BIGINT');
select from_csv('2020-01-02T03:04:05.123Z', 't TIMESTAMP');
select from_csv('a, b ', 'a STRING, b STRING');
select from_csv('NA,1', 'a STRING, b INT', map('nullValue','NA'));
select from_csv('1', 'struct<a:int>');
select schema_of_csv('1,abc,2.5,true,2020-01-01,2020-01-01 10:00:00,99999999999,1e10,,NaN');
select schema_of_csv('1.50,12345678901234567890123');
select schema_of_csv('"a,b",c');
select to_csv(named_struct('a', 1, 'b', 'x,y', 'c', CAST(NULL AS INT), 'd', 'q"r', 'e', 1.5D, 'f', DATE'2020-01-02', 'g', TIMESTAMP'2020-01-02 03:04:05.5', 'h', true, 'i', 12.50BD));
select to_csv(named_struct('a', ' x ', 'b', ''));
select to_csv(named_struct('a', array(1,2)));
select to_csv(named_struct('a', 1, 'b', 2), map('sep', '|'));
select to_csv(named_struct('a', 1E10, 'b', CAST(1.0E-5 AS FLOAT)));
select to_csv(named_struct('a', map('k', 1)));
select to_csv(named_struct('a', named_struct('x', 1)));
select to_csv(NULL);
select to_csv(named_struct('a', 1)) is null, to_csv(CAST(NULL AS STRUCT<a:INT>)) is null;
select from_csv('x', 'a INT', map('columnNameOfCorruptRecord','c'));
select from_csv('x,1', 'a INT, _corrupt_record STRING');
select from_csv('26/08/2015 10:11', 'time Timestamp', map('timestampFormat', 'dd/MM/yyyy HH:mm'));
select from_csv('26/08/2015', 'd Date', map('dateFormat', 'dd/MM/yyyy'));
select to_csv(named_struct('d', DATE'2015-08-26'), map('dateFormat', 'dd/MM/yyyy'));
select from_csv('a\tb', 'a STRING, b STRING', map('sep','\t'));
select from_csv('a\'b', 'a STRING', map('quote','\''));
select from_csv('1.0', 'a INT');
select from_csv('1,2', 'a INT, b INT') AS s;
select from_csv('1,2', 'a INT, b INT').a;
select from_csv(' 1 ,2', 'a STRING, b INT', map('ignoreLeadingWhiteSpace','true','ignoreTrailingWhiteSpace','true'));
select to_csv(named_struct('a', ' 1 '), map('ignoreLeadingWhiteSpace','false'));
select from_csv('Infinity,-Inf,NaN', 'a DOUBLE, b DOUBLE, c FLOAT');
select schema_of_csv('1,abc', map('inferTimestamp','true'));
CREATE TEMPORARY VIEW lines AS SELECT * FROM VALUES ('1,a'), ('x,b'), (NULL), ('3') AS lines(line);
SELECT from_csv(line, 'n INT, s STRING'), from_csv(line, 'n INT, s STRING').n FROM lines;
SELECT to_csv(named_struct('n', length(line), 'l', line)) FROM lines;
SELECT from_csv(line, schema_of_csv('1,abc')) FROM lines;
SET spark.sql.session.timeZone=America/Los_Angeles;
SELECT to_csv(named_struct('t', TIMESTAMP'2020-01-02 03:04:05')), from_csv('2020-01-02T03:04:05Z', 't TIMESTAMP');
SELECT to_csv(named_struct('t', TIMESTAMP'2020-07-02 03:04:05'), map('timestampFormat', 'yyyy-MM-dd HH:mm XXX'));
SELECT to_json(named_struct('t', TIMESTAMP'2020-07-02 03:04:05.5', 'd', DATE'2020-07-02'));
SET spark.sql.session.timeZone=UTC;

-- to_json
SELECT to_json(named_struct('a', 1e10, 'b', CAST('NaN' AS DOUBLE), 'c', CAST(NULL AS INT), 'd', 1.50BD, 'e', X'0102', 'f', DATE'2020-01-02', 'g', TIMESTAMP'2020-01-02 03:04:05', 'h', 'q"\\x', 'i', array(1, NULL), 'j', map('k', CAST(NULL AS INT)), 'l', CAST(1e-5 AS FLOAT), 'n', true, 'o', named_struct('p', CAST(NULL AS STRING))));
SELECT to_json(array(named_struct('a', 1), NULL)), to_json(map(1, 'x')), to_json(array(1.5D, CAST('Infinity' AS DOUBLE)));
SELECT to_json(named_struct('a', CAST(NULL AS INT)), map('ignoreNullFields', 'false')), to_json(named_struct('t', TIMESTAMP'2020-01-02 03:04:05'), map('timestampFormat', 'dd/MM/yyyy'));
SELECT to_json(named_struct('n', length(line), 'l', line)), to_json(CAST(NULL AS STRUCT<a: INT>)) FROM lines;
