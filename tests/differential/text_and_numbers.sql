-- Text, regular expressions, formatting, NULL handling, integer and double arithmetic, each
-- answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/text_and_numbers.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW ss AS SELECT * FROM VALUES ('Hello World', 'a,b;c', 42, 3.14159D), ('', NULL, -7, NULL), (NULL, 'x', 0, 1e20D) AS ss(s, d, n, x);
SELECT s, upper(s), lower(s), length(s), char_length(s), trim(s), concat(s, '!'), concat_ws('-', s, d), substr(s, -5), substring(s, 1, 5) FROM ss ORDER BY n;
SELECT split(d, '[,;]'), regexp_extract_all(d, '([a-z])', 1), regexp_like(s, 'W.r'), s RLIKE '^H', regexp_replace(s, '(\\w+) (\\w+)', '$2 $1'), regexp_count(d, '[a-z]') FROM ss ORDER BY n;
SELECT instr(s, 'o'), locate('o', s, 6), position('l' IN s), replace(s, 'l', 'L'), overlay(s PLACING 'XX' FROM 2 FOR 3), lpad(s, 3), rpad(n, 5, '0'), repeat('ab', n) FROM ss ORDER BY n;
SELECT format_number(x, 2), format_number(n, 0), format_string('%08.3f|%-5s|%x', x, s, n), printf('%s=%d', s, n), CAST(x AS STRING), CAST(n AS STRING) FROM ss ORDER BY n;
SELECT sentences('Hello world. How are you?'), initcap('hELLO wORLD'), soundex(s), levenshtein(s, 'Hello'), mask('AbC-123'), elt(2, 'a', 'b', 'c'), find_in_set('b', 'a,b,c') FROM ss ORDER BY n;
SELECT ascii(s), chr(n + 65), base64(s), decode(encode(s, 'UTF-8'), 'UTF-8'), md5(s), sha2(s, 512) IS NOT NULL, crc32(s) FROM ss ORDER BY n;
SELECT s IS NULL, s = '', nullif(s, ''), coalesce(s, d, 'none'), nvl2(s, 'has', 'none'), isnull(s), s <=> NULL, if(s IS NULL, 0, length(s)) FROM ss ORDER BY n;
SELECT n, abs(n), n % 5, pmod(n, 5), -n, n * 2.5, n / 4, n DIV 4, sign(n), shiftleft(n, 1), n & 3, n | 8, n ^ 1, ~n FROM ss ORDER BY n;
SELECT x, round(x, 2), x * 2, x / 3, sqrt(abs(x)), log(10, 100), power(2, n), x > 1e19, CAST(x AS DECIMAL(30, 2)) FROM ss ORDER BY n;
SELECT greatest(n, 5, -1), least(n, 5, -1), n BETWEEN -10 AND 10, n IN (0, 42), CASE n WHEN 42 THEN 'answer' WHEN 0 THEN 'zero' ELSE 'other' END FROM ss ORDER BY n;
SELECT uuid() IS NOT NULL, rand(1) < 1, length(uuid()), typeof(rand()), monotonically_increasing_id() FROM ss ORDER BY n;
SELECT sentences('Hello world. How are you?'), sentences('i don''t know, 3.5 apples!  ok'), sentences(''), sentences(NULL), sentences('Hi', 'en', 'US'), sentences('one...two'), overlay('abcdef' PLACING 'X' FROM 2);
