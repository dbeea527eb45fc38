-- Time windows: window(time, duration[, slide[, start]]) tumbling and sliding, in select lists and
-- GROUP BY, window_time, and the spans Spark refuses, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/time_windows.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

select window(ts, '5 minutes'), x from values (timestamp'2020-01-01 00:03:10', 1), (null, 2) t(ts, x);
select window(ts, '10 minutes', '5 minutes') as w, x from values (timestamp'2020-01-01 00:03:10', 1) t(ts, x);
select window.start, count(*) from values (timestamp'2020-01-01 00:03:10'), (timestamp'2020-01-01 00:04:10'), (timestamp'2020-01-01 00:13:10') t(ts) group by window(ts, '10 minutes') order by window.start;
select window(ts, '1 hour', '1 hour', '15 minutes') from values (timestamp'2020-01-01 00:03:10') t(ts);
select window(ts, '1 day') from values (date'2020-01-05') t(ts);
select window(ts, interval 5 minutes) from values (timestamp'2020-01-01 00:03:10') t(ts);
select window_time(window(ts, '5 minutes')) from values (timestamp'2020-01-01 00:03:10') t(ts);
select window(ts, '1 month') from values (timestamp'2020-01-01 00:03:10') t(ts);
select window(ts, '5 minutes'), window(ts, '10 minutes') from values (timestamp'2020-01-01 00:03:10') t(ts);
select window(ts, '90 seconds') from values (timestamp'1969-12-31 23:59:59.5'), (timestamp'1969-12-31 23:58:20') t(ts);
select window(ts, '7 minutes', '5 minutes') from values (timestamp'2020-01-01 00:03:10'), (timestamp'2020-01-01 00:06:10') t(ts);
select window.start, window.end, sum(v) as total from values (timestamp'2020-01-01 10:01:00', 1), (timestamp'2020-01-01 10:07:00', 2), (timestamp'2020-01-01 10:12:00', 3) t(ts, v) group by window(ts, '10 minutes', '5 minutes') order by window.start;
select w.window.start from (select window(ts, '1 hour') from values (timestamp'2020-01-01 10:01:00') t(ts)) w;
select window(ts, 300000000) from values (timestamp'2020-01-01 00:03:10') t(ts);
select window(ts, '5 minutes') as win, count(*) as n from values (timestamp'2020-01-01 00:03:10'), (timestamp'2020-01-01 00:03:20') t(ts) group by 1;
