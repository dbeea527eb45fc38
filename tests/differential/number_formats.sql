-- to_char and to_varchar of numbers by Spark's number formats: digit places, points, separators,
-- signs, currency, overflow (docs/hiveql.md, "Spark functions DataFusion lacks or reads differently").

SELECT to_char(78.12, '$99.99'), to_char(111.11, '99.9'), to_char(12454.8, '99,999.9S'), to_char(-12454.8, '99G999D9S');
SELECT to_char(454, '00000'), to_char(454, '99999'), to_char(-454, '999MI'), to_char(-454, '999PR'), to_varchar(-1234, '$9,999PR');
SELECT to_char(0.5, '99.99'), to_char(0, '9.9'), to_char(7, '0,000'), to_char(7, 'S999'), to_char(-5, '$999');
CREATE TEMPORARY VIEW amounts AS SELECT * FROM VALUES (1, 1234.5), (2, -0.25), (3, NULL), (4, 99999.99) AS amounts(id, amount);
SELECT id, to_char(amount, 'S99,999.99') AS formatted, to_varchar(amount, '$99,999.00MI') AS money FROM amounts ORDER BY id;
