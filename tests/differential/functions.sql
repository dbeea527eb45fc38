-- Spark functions that Spark's golden files barely cover, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/functions.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW strs AS SELECT * FROM VALUES
  ('hello world', 'a,b,,c', 3), ('Spark SQL', 'x', -2), (NULL, '', 0) AS strs(str, csv, n);

CREATE TEMPORARY VIEW grp AS SELECT * FROM VALUES
  ('a', 1, 1.5D, true), ('a', 3, NULL, true), ('b', 2, 2.5D, false), ('b', NULL, 4.0D, true), ('a', 2, 0.5D, NULL)
  AS grp(k, v, d, b);

-- strings
SELECT upper(str), lower(str), initcap(str) FROM strs;
SELECT lpad(str, 15, '*'), rpad(str, 15, '-') FROM strs;
SELECT lpad('abc', 2, 'x'), rpad('abc', 5), lpad('abc', 0, 'x');
SELECT translate('AaBbCc', 'abc', '123'), translate(str, 'lo', 'x') FROM strs;
SELECT substring_index('www.apache.org', '.', 2), substring_index('www.apache.org', '.', -2), substring_index('a.b', '.', 0);
SELECT concat_ws('-', 'a', NULL, 'b'), concat_ws('/', array('x', 'y'), 'z'), concat_ws(',', str, csv) FROM strs;
SELECT split(csv, ','), size(split(csv, ',')) FROM strs;
SELECT split('a1b22c333', '[0-9]+'), split('a,b,c', ',', 2);
SELECT regexp_extract('100-200', '(\\d+)-(\\d+)', 1), regexp_extract('foo', '(\\d+)', 1), regexp_extract('abc', '(a)(b)', 0);
SELECT reverse('abc'), repeat('ab', 3), length('héllo'), char_length(str), octet_length('héllo') FROM strs;
SELECT trim('  x  '), ltrim('  x'), rtrim('x  '), trim(BOTH 'x' FROM 'xxaxx'), btrim('yya', 'y');
SELECT instr('hello', 'll'), position('o' IN 'foo'), ascii('A'), chr(66), left('hello', 2), right('hello', 2);
SELECT format_string('%d-%s', 5, 'x'), soundex('Robert'), levenshtein('kitten', 'sitting'), elt(2, 'a', 'b', 'c'), find_in_set('b', 'a,b,c');
SELECT substr('Spark SQL', 5), substr('Spark SQL', -3), substring('Spark SQL', 5, 1), split_part('a,b,c', ',', 2);
SELECT md5('abc'), sha1('abc'), sha2('abc', 256), crc32('abc'), base64('abc'), unbase64('YWJj');
SELECT url_decode('a%20b'), url_encode('a b'), parse_url('http://spark.apache.org/path?query=1', 'HOST');

-- numbers
SELECT round(2.5D, 0), bround(2.345D, 2), pow(2, 10), abs(-5), abs(-2.5);
SELECT ceil(-0.5D) AS c, floor(2.7D) AS f;
SELECT pmod(-7, 3), pmod(7, -3), pmod(7.5D, 2), mod(-7, 3), -7 % 3;
SELECT conv('100', 2, 10), conv('ff', 16, 10), conv('-10', 10, 16), conv('255', 10, 2);
SELECT sqrt(16) AS a, cbrt(27D) AS b, exp(0) AS c, ln(1) AS d, log10(1000) AS e, log2(8) AS f, log(2, 8) AS g, signum(-3.2) AS h;
SELECT greatest(1, 5, 3), least(2.5, 1, 3), greatest('a', 'c', 'b'), least(1, NULL, 3);
SELECT hex(255), unhex('41'), bin(5), hex('AB'), shiftleft(1, 4), shiftright(256, 2), 5 & 3, 5 | 3, 5 ^ 3, bit_count(7);
SELECT try_divide(1, 0), try_add(2147483647, 1), 7 div 2, 7 / 2, try_cast('x' AS INT), try_cast('12' AS INT);

-- dates and times, from fixed literals
SELECT date_add(DATE '2024-02-28', 2), date_sub(DATE '2024-03-01', 1), datediff(DATE '2024-03-01', DATE '2024-02-01');
SELECT date_format(TIMESTAMP '2024-03-05 14:07:09', 'yyyy/MM/dd HH:mm'), date_format(DATE '2024-03-05', 'EEE, d MMM yyyy');
SELECT to_date('2024-03-05'), to_date('05/03/2024', 'dd/MM/yyyy'), to_timestamp('2024-03-05 01:02:03');
SELECT unix_timestamp(TIMESTAMP '2024-03-05 00:00:00'), unix_timestamp('2024-03-05', 'yyyy-MM-dd'), from_unixtime(0);
SELECT year(DATE '2024-03-05'), month(DATE '2024-03-05'), day(DATE '2024-03-05'), dayofweek(DATE '2024-03-05'), dayofyear(DATE '2024-03-05'), weekofyear(DATE '2024-03-05'), quarter(DATE '2024-03-05');
SELECT last_day(DATE '2024-02-10'), next_day(DATE '2024-03-05', 'Mon'), trunc(DATE '2024-03-05', 'MM'), date_trunc('HOUR', TIMESTAMP '2024-03-05 14:07:09');
SELECT make_date(2024, 2, 29), make_timestamp(2024, 2, 29, 1, 2, 3.5), date_from_unix_date(1), unix_date(DATE '1970-01-10');
SELECT timestamp_seconds(1700000000), unix_seconds(TIMESTAMP '2024-01-01 00:00:00'), from_utc_timestamp(TIMESTAMP '2024-01-01 00:00:00', 'Asia/Tokyo');

-- arrays and maps
SELECT array_contains(array(1, 2, 3), 2), array_distinct(array(1, 2, 2, NULL, NULL)), array_max(array(1, 5, 3)), array_position(array(3, 2, 1), 1);
SELECT sort_array(array(3, 1, NULL, 2)), sort_array(array('b', 'a'), false), size(array()), size(map(1, 'a'));
SELECT map_keys(map('a', 1, 'b', 2)), map_values(map('a', 1, 'b', 2)), map_entries(map('a', 1)), map_from_arrays(array('a', 'b'), array(1, 2));
SELECT array_union(array(1, 2), array(2, 3)), array_intersect(array(1, 2, 3), array(2, 3, 4)), array_except(array(1, 2, 3), array(2)), flatten(array(array(1, 2), array(3)));
SELECT array_join(array('a', NULL, 'b'), ','), array_join(array('a', NULL, 'b'), ',', '?'), array_repeat('x', 3), slice(array(1, 2, 3, 4), 2, 2);
SELECT element_at(array(1, 2, 3), -1), element_at(map('a', 1), 'a'), transform(array(1, 2), x -> x * 10), filter(array(1, 2, 3), x -> x % 2 = 1);
SELECT explode(array(10, 20, 30));
SELECT posexplode(array('a', 'b'));
SELECT explode(map('a', 1, 'b', 2));

-- aggregates over an inline table
SELECT k, sort_array(collect_list(v)), sort_array(collect_set(v)) FROM grp GROUP BY k ORDER BY k;
SELECT k, max_by(v, d), min_by(v, d), count_if(v > 1) FROM grp GROUP BY k ORDER BY k;
SELECT k, first(d) IGNORE NULLS AS f, last(d) IGNORE NULLS AS l, first(d, true) AS f2 FROM grp GROUP BY k ORDER BY k;
SELECT stddev(d), stddev_pop(d), variance(d), var_pop(d), skewness(d), kurtosis(d) FROM grp;
SELECT k, bool_and(b), bool_or(b), every(b), some(b) FROM grp GROUP BY k ORDER BY k;
SELECT approx_count_distinct(v), approx_count_distinct(k), count(DISTINCT k), sum(DISTINCT v) FROM grp;
SELECT corr(v, d), covar_pop(v, d), covar_samp(v, d), bit_xor(v) FROM grp;
SELECT k, median(d) FROM grp GROUP BY k ORDER BY k;

-- a CTE and windows
WITH totals AS (SELECT k, sum(v) AS total FROM grp GROUP BY k) SELECT k, total * 2 FROM totals WHERE total > 2;
SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v), sum(v) OVER (PARTITION BY k ORDER BY v) FROM grp ORDER BY k, v;
SELECT k, v, lag(v) OVER (PARTITION BY k ORDER BY v) AS prev, rank() OVER (ORDER BY v DESC) AS r, ntile(2) OVER (ORDER BY v, k) AS nt FROM grp ORDER BY k, v;
