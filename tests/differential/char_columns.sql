-- CHAR(n) and VARCHAR(n) columns as Spark writes them: CHAR values padded with spaces to n, values
-- past n refused unless only trailing spaces pass it (docs/catalog-and-ddl.md); literals and shorter
-- CHARs compared with a CHAR padded to match (docs/hiveql.md). Columns are read as
-- plain STRING here (concat): hivewire's result metadata keeps CHAR(n) and VARCHAR(n) with their lengths.

CREATE TABLE codes (c CHAR(4), v VARCHAR(4), s STRING) USING parquet;
INSERT INTO codes VALUES ('ab', 'ab', 'ab'), ('abcd', 'abcd', 'abcd'), ('xy    ', 'xy    ', 'xy    '), (NULL, NULL, NULL);
SELECT concat(c, '') AS c, concat(v, '') AS v, s, length(c), length(v), concat('[', c, ']') FROM codes ORDER BY s;
INSERT INTO codes VALUES ('abcde', 'a', 'a');
INSERT INTO codes VALUES ('a', 'abcde', 'a');
SELECT count(*) FROM codes;
INSERT INTO codes SELECT upper(c), v, s FROM codes WHERE s = 'ab';
SELECT concat(c, '') AS c, concat(v, '') AS v FROM codes WHERE s = 'ab' ORDER BY c;
CREATE TABLE wide (c CHAR(6)) USING parquet;
INSERT INTO wide VALUES ('ab'), ('abcd');
SELECT concat(c, '') AS c, c = 'ab', c = 'ab      ', c IN ('ab', 'x'), c < 'abd', c <=> 'abcd', c = s, concat(c, '') LIKE 'ab' FROM codes ORDER BY s;
SELECT concat(codes.c, '') AS c, concat(wide.c, '') AS w FROM codes JOIN wide ON codes.c = wide.c ORDER BY c;
SELECT count(*) FROM codes WHERE c = 'ab';
SELECT s FROM codes WHERE c IN ('abcd', 'xy') ORDER BY s;
DROP TABLE wide;
DROP TABLE codes;
