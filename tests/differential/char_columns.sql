-- CHAR(n) and VARCHAR(n) columns as Spark writes them: CHAR values padded with spaces to n, values
-- past n refused unless only trailing spaces pass it (docs/catalog-and-ddl.md). Columns are read as
-- plain STRING here (concat): hivewire's result metadata keeps CHAR(n) and VARCHAR(n) with their lengths.

CREATE TABLE codes (c CHAR(4), v VARCHAR(4), s STRING) USING parquet;
INSERT INTO codes VALUES ('ab', 'ab', 'ab'), ('abcd', 'abcd', 'abcd'), ('xy    ', 'xy    ', 'xy    '), (NULL, NULL, NULL);
SELECT concat(c, '') AS c, concat(v, '') AS v, s, length(c), length(v), concat('[', c, ']') FROM codes ORDER BY s;
INSERT INTO codes VALUES ('abcde', 'a', 'a');
INSERT INTO codes VALUES ('a', 'abcde', 'a');
SELECT count(*) FROM codes;
INSERT INTO codes SELECT upper(c), v, s FROM codes WHERE s = 'ab';
SELECT concat(c, '') AS c, concat(v, '') AS v FROM codes WHERE s = 'ab' ORDER BY c;
DROP TABLE codes;
