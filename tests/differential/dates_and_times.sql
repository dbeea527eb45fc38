-- Dates and timestamps: formats, parsing, truncation, arithmetic, fields and casts, each answered
-- as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/dates_and_times.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TEMPORARY VIEW tt AS SELECT * FROM VALUES (TIMESTAMP'2024-03-09 07:05:03.123456', DATE'2024-12-31', '2024-07-04 18:30:00', 1709967903) AS tt(ts, d, s, epoch);
SELECT date_format(ts, 'yyyy-MM-dd HH:mm:ss.SSS'), date_format(ts, 'E EEEE MMM MMMM'), date_format(ts, 'hh:mm a'), date_format(ts, 'D'), date_format(d, 'dd/MM/yy'), date_format(ts, 'yyyyMMdd') FROM tt;
SELECT from_unixtime(epoch), from_unixtime(epoch, 'yyyy/MM/dd'), unix_timestamp(s), unix_timestamp(s, 'yyyy-MM-dd HH:mm:ss'), to_date(s), to_date('07/04/2024', 'MM/dd/yyyy'), to_timestamp(s) FROM tt;
SELECT date_trunc('YEAR', ts), date_trunc('QUARTER', ts), date_trunc('WEEK', ts), date_trunc('DAY', ts), date_trunc('MINUTE', ts), trunc(d, 'YEAR') FROM tt;
SELECT months_between(d, ts), datediff(d, ts), date_diff(d, CAST(ts AS DATE)), timestampdiff(HOUR, ts, CAST(d AS TIMESTAMP)), ts + INTERVAL 90 MINUTES, d - INTERVAL 1 YEAR FROM tt;
SELECT CAST(ts AS STRING), CAST(d AS STRING), CAST(s AS TIMESTAMP), CAST(s AS DATE), CAST(epoch AS TIMESTAMP), CAST(ts AS BIGINT), CAST(d AS TIMESTAMP) FROM tt;
SELECT year(s), month(s), day(s), hour(s), dayofweek(d), weekday(d), dayofyear(d), weekofyear(d), extract(YEAR FROM ts), date_part('month', d) FROM tt;
SELECT make_timestamp(2024, 1, 2, 3, 4, 5.5), make_date(2024, 2, 29), make_interval(1, 2, 0, 3), timestamp_seconds(epoch), timestamp_millis(epoch * 1000), unix_seconds(ts), unix_millis(ts) FROM tt;
SELECT current_timestamp() > ts, current_date() > d, now() IS NOT NULL FROM tt;
SELECT date_add('2024-02-28', 1), date_sub(DATE'2024-03-01', 1), add_months('2024-01-31', 1), next_day('2024-03-09', 'Sunday'), last_day('2024-02-01');

