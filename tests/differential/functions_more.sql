-- More of Spark's date, text, aggregate, window, collection and math functions, and errors,
-- each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/functions_more.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW ev AS SELECT * FROM VALUES
  (1, 'a', TIMESTAMP'2024-01-15 10:20:30', 10.5D, 'x=1,y=2'),
  (2, 'a', TIMESTAMP'2024-02-29 23:59:59', 20.0D, 'x=3'),
  (3, 'b', TIMESTAMP'2023-12-31 00:00:00', NULL, NULL),
  (4, 'b', TIMESTAMP'2024-03-01 12:00:00', 5.25D, 'y=9'),
  (5, 'c', NULL, 7.0D, '') AS ev(id, k, ts, v, kv);
SELECT id, date_trunc('MONTH', ts), trunc(CAST(ts AS DATE), 'MM'), date_trunc('HOUR', ts), weekofyear(ts), dayofweek(ts), quarter(ts) FROM ev ORDER BY id;
SELECT id, date_format(ts, 'EEE, d MMM yyyy HH:mm'), from_utc_timestamp(ts, 'America/New_York'), to_utc_timestamp(ts, 'Asia/Tokyo'), next_day(ts, 'Mon'), last_day(ts) FROM ev ORDER BY id;
SELECT id, unix_timestamp(ts), to_unix_timestamp(ts), hour(ts), minute(ts), second(ts), make_date(2024, 2, 29), datediff(ts, TIMESTAMP'2024-01-01 00:00:00') FROM ev ORDER BY id;
SELECT id, regexp_extract(kv, 'x=(\\d+)', 1), str_to_map(kv, ',', '='), split_part(kv, ',', 1), initcap('hello world'), reverse(k), repeat(k, 3) FROM ev ORDER BY id;
SELECT format_string('%s-%05d-%.2f', k, id, v), printf('%d items', id), left(k, 1), right('abcdef', 2), ascii(k), chr(65), char_length(kv), octet_length(kv) FROM ev ORDER BY id;
SELECT levenshtein('kitten', 'sitting'), soundex('Robert'), translate('abc', 'ab', 'xy'), trim('  x  '), ltrim('  x'), rtrim('x  '), btrim('xxaxx', 'x'), substring_index('a.b.c', '.', -1);
SELECT k, approx_count_distinct(id), corr(id, v), covar_pop(id, v), stddev_pop(v), var_samp(v), bool_or(v > 10), every(v > 1), array_agg(id) FROM ev GROUP BY k ORDER BY k;
SELECT k, first(v, true), last(v, true), first(v), max_by(id, v), min_by(id, v), percentile(v, array(0.25, 0.5)), median(v) FROM ev GROUP BY k ORDER BY k;
SELECT id, ntile(2) OVER (ORDER BY id), percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id), nth_value(id, 2) OVER (ORDER BY id), lead(id, 2, 0) OVER (ORDER BY id), dense_rank() OVER (PARTITION BY k ORDER BY v) FROM ev ORDER BY id;
SELECT id, sum(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(v) OVER (PARTITION BY k ORDER BY id ROWS UNBOUNDED PRECEDING), count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 31 DAYS PRECEDING AND CURRENT ROW) FROM ev ORDER BY id;
SELECT k, sum(v), grouping(k) FROM ev GROUP BY k WITH ROLLUP ORDER BY k;
SELECT * FROM ev PIVOT (sum(v) FOR k IN ('a', 'b', 'c')) ORDER BY id;
SELECT id, v, CASE WHEN v IS NULL THEN 'missing' END, nanvl(v, 0), isnan(v), ifnull(v, -1), greatest(id, v), least(id, 2) FROM ev ORDER BY id;
SELECT inline(array(named_struct('a', 1, 'b', 'x'), named_struct('a', 2, 'b', 'y')));
SELECT stack(2, 'a', 1, 'b', 2);
SELECT k, concat_ws('|', collect_list(CAST(id AS STRING))), sort_array(collect_set(id)) FROM ev GROUP BY k ORDER BY k;
SELECT array_join(array('a', NULL, 'b'), ',', '?'), array_position(array(3, 4), 4), element_at(array(1, 2), -1), element_at(map('a', 1), 'a'), slice(array(1, 2, 3, 4), 2, 2), flatten(array(array(1), array(2, 3)));
SELECT arrays_overlap(array(1, 2), array(2)), array_union(array(1, 2), array(2, 3)), array_intersect(array(1, 2), array(2)), array_except(array(1, 2), array(2)), array_max(array(1, 5)), array_min(array(1, 5)), shuffle(array(1)) IS NOT NULL;
SELECT map_from_arrays(array('a', 'b'), array(1, 2)), map_values(map('a', 1)), map_entries(map('a', 1)), map_from_entries(array(struct('k', 1))), str_to_map('a:1;b:2', ';', ':');
SELECT bin(10), hex('abc'), unhex('616263'), base64(CAST('hi' AS BINARY)), unbase64('aGk='), sha1('abc'), xxhash64('abc'), bit_count(7), shiftleft(1, 3), shiftright(8, 1);
SELECT round(2.5), round(-2.5), bround(2.5), round(1.2345, 2), ceil(1.2), floor(-1.2), sqrt(2), pow(2, 10), ln(10), log10(100), log2(8), cbrt(27), signum(-3), abs(-4.5), mod(7, 3), pi();
SELECT CAST('2024-02-30' AS DATE);
SELECT try_cast('2024-02-30' AS DATE), try_cast('x' AS INT), try_divide(1, 0), try_add(2147483647, 1);
SELECT 2147483647 + 1;
SELECT CAST(12345678901 AS INT);
SELECT assert_true(1 > 2);
SELECT * FROM nonexistent_table;
SELECT nosuchcol FROM ev;
SELECT trunc(DATE'2024-05-17', 'Q'), trunc(DATE'2024-05-17', 'quarter'), trunc(DATE'2024-05-17', 'week'), trunc(DATE'2024-05-17', 'DD'), trunc(TIMESTAMP'2024-05-17 10:00:00', 'MM'), trunc('2024-05-17', 'YY');
SELECT array_append(CAST(NULL AS ARRAY<INT>), 1), array_prepend(CAST(NULL AS ARRAY<INT>), 1), array_append(array(1), NULL), array_prepend(array(1), 0);
