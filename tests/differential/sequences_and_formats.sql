-- Sequences, positions, number formats, month arithmetic and map merging, each answered as Spark
-- answers it (docs/conformance.md, "Differential runs against Spark").

SELECT sequence(1, 5), sequence(5, 1), sequence(1, 6, 2), sequence(3, 3), sequence(1L, 3L), sequence(-2, 2, 2);
SELECT sequence(DATE '2024-01-01', DATE '2024-01-04'), sequence(DATE '2024-01-31', DATE '2024-04-30', INTERVAL 1 MONTH);
SELECT sequence(TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 03:00:00', INTERVAL 90 MINUTE);
SELECT sequence(DATE '2024-01-05', DATE '2024-01-01', INTERVAL -2 DAY), size(sequence(1, 100));
SELECT locate('l', 'hello'), locate('l', 'hello', 4), locate('z', 'hello'), locate('l', 'hello', 0), locate(NULL, 'a'), position('b', 'abc');
SELECT format_number(12332.123456, 4), format_number(1234567.891, 2), format_number(2.5D, 0), format_number(-0.001, 2), format_number(5, 1), format_number(1.5, -1);
SELECT months_between(DATE '2024-03-31', DATE '2024-02-29'), months_between(TIMESTAMP '1997-02-28 10:30:00', TIMESTAMP '1996-10-30 00:00:00');
SELECT months_between(TIMESTAMP '1997-02-28 10:30:00', TIMESTAMP '1996-10-30 00:00:00', false), months_between(DATE '2024-01-01', DATE '2024-02-15');
SELECT map_concat(map(1, 'a'), map(2, 'b')), map_concat(map(1, 'a'), map(2, 'b'), map(3, NULL)), map_concat(map('x', 1), CAST(NULL AS MAP<STRING, INT>)) AS nothing;
SELECT log1p(0), log1p(1e-10), log1p(-1), space(3), factorial(5), add_months(DATE '2024-01-31', 1), dateadd(DATE '2024-01-01', 3);

-- rounding keeps Spark's DECIMAL types
SELECT round(CAST(12.3456 AS DECIMAL(10,4)), 2), round(2.5), round(1.2345, 2), round(1234.5, -2), bround(2.5), round(12.3456D, 2), round(125, -1);
SELECT cardinality(array(1, 2)), regexp_instr('abc', 'c'), size(array(1));

-- array_contains answers NULL where a NULL element might have matched
SELECT array_contains(array(1, NULL), 1), array_contains(array(1, NULL), 3), array_contains(array(1, 2), 3), array_contains(CAST(NULL AS ARRAY<INT>), 1);

-- failing on purpose
SELECT assert_true(1 < 2), assert_true(x > 0, 'never') FROM VALUES (1) AS t(x);
SELECT assert_true(1 > 2);
SELECT raise_error('boom');

-- row ids and timestamp constructors
SELECT x, monotonically_increasing_id() AS id FROM VALUES ('a'), ('b'), ('c') AS t(x) ORDER BY id;
SELECT try_make_timestamp_ntz(2024, 13, 1, 0, 0, 0), try_make_timestamp_ltz(2024, 1, 1, 0, 0, 0), try_make_timestamp_ntz(2024, 2, 29, 12, 30, 15.5);
