"""HiveQL answered as Spark answers it, through PyHive over HiveServer2.

Each case is Spark's own answer (its value, and where it matters its column name and type): typed
literals and cast functions, structs, subscripts, NULL ordering, grouping modifiers, subqueries that
run row by row, nested WITH scopes, ORDER BY ALL, and the Spark functions hivewire adds.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import answer, described

hive = pytest.importorskip("pyhive.hive")


@pytest.fixture
def cur(hive_cursor):
    return hive_cursor


def test_literals_and_cast_functions_have_sparks_types_and_names(cur):
    assert described(cur, "SELECT 1, 2L, 2.5, 1e3, 20E2BD, int('7'), float(2.0), date('2020-01-02')") == [
        ("1", "INT_TYPE"), ("2", "BIGINT_TYPE"), ("2.5", "DECIMAL_TYPE"), ("1000.0", "DOUBLE_TYPE"),
        ("2000", "DECIMAL_TYPE"), ("7", "INT_TYPE"), ("2.0", "FLOAT_TYPE"), ("2020-01-02", "DATE_TYPE")]
    assert answer(cur, "SELECT 20E2BD, decimal(1), typeof(1), typeof(1L), typeof(2.5)") == [
        (Decimal("2000"), Decimal("1"), "int", "bigint", "decimal(2,1)")]


def test_views_of_values_keep_int_columns(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW v AS VALUES (1, 'a', NULL), (2, 'b', 3) AS t(k, s, n)")
    assert described(cur, "SELECT * FROM v") == [("k", "INT_TYPE"), ("s", "STRING_TYPE"), ("n", "INT_TYPE")]
    assert answer(cur, "SELECT * FROM values 0, 1 AS t(id) ORDER BY id") == [(0,), (1,)]


def test_structs_and_subscripts(cur):
    cur.execute("SELECT struct(1 AS a, 'x' AS b), struct(2, 'y'), array(10, 20)[0], get(array(10, 20), 2), map('k', 5)['k']")
    assert [d[0] for d in cur.description][:2] == ["struct(1 AS a, x AS b)", "struct(2, y)"]
    assert cur.fetchall() == [('{"a":1,"b":"x"}', '{"col1":2,"col2":"y"}', 10, None, 5)]


def test_nulls_sort_first_ascending_in_queries_and_windows(cur):
    rows = answer(cur, "SELECT x, row_number() OVER (ORDER BY x) FROM values (2), (NULL), (1) AS t(x) ORDER BY x")
    assert rows == [(None, 1), (1, 2), (2, 3)]
    assert answer(cur, "SELECT x FROM values (2), (NULL) AS t(x) ORDER BY x DESC") == [(2,), (None,)]


def test_grouping_modifiers(cur):
    rows = answer(cur, "SELECT a, b, sum(b) FROM values (1, 1), (1, 2) AS t(a, b) GROUP BY a, b WITH ROLLUP ORDER BY a, b")
    assert rows == [(None, None, 3), (1, None, 3), (1, 1, 1), (1, 2, 2)]
    rows = answer(cur, "SELECT a, count(*) FROM values (1), (2) AS t(a) GROUP BY a WITH CUBE ORDER BY a")
    assert rows == [(None, 2), (1, 1), (2, 1)]
    assert answer(cur, "SELECT count(DISTINCT a, b) FROM values (1, 1), (1, 1), (1, NULL), (2, 1) AS t(a, b)") == [(2,)]


def test_correlated_subqueries_that_need_a_row_by_row_plan(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW t1(c1, c2) AS VALUES (0, 1), (1, 2)")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW t2(c1, c2) AS VALUES (0, 2), (0, 3)")
    # A LIMIT in a correlated subquery, and a correlated set operation: no join can plan them.
    assert answer(cur, "SELECT c1, (SELECT c2 FROM t2 WHERE t2.c1 = t1.c1 ORDER BY c2 DESC LIMIT 1) FROM t1 ORDER BY c1") == [
        (0, 3), (1, None)]
    assert answer(cur, "SELECT * FROM t1 WHERE c2 < (SELECT max(c2) FROM t2 WHERE t2.c1 = t1.c1 LIMIT 1)") == [(0, 1)]
    assert answer(cur, "SELECT * FROM t1 WHERE c1 IN (SELECT c1 FROM t2 WHERE t2.c2 > t1.c2 LIMIT 1)") == [(0, 1)]
    assert answer(cur, "SELECT * FROM t1 WHERE c1 NOT IN (SELECT c1 FROM t2 WHERE c2 > 2 UNION ALL SELECT t1.c1 FROM t2)") == []
    rows = answer(cur, "SELECT c1, sum(c2) FILTER (WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.c1 = t1.c1)) FROM t1 GROUP BY c1 ORDER BY c1")
    assert rows == [(0, 1), (1, None)]


def test_nested_with_follows_the_cte_precedence_policy(cur):
    sql = "WITH t AS (SELECT 1), t2 AS (WITH t AS (SELECT 2) SELECT * FROM t) SELECT * FROM t2"
    assert answer(cur, sql) == [(2,)]
    cur.execute("SET spark.sql.legacy.ctePrecedencePolicy=LEGACY")
    assert answer(cur, sql) == [(1,)]
    cur.execute("SET spark.sql.legacy.ctePrecedencePolicy=EXCEPTION")
    with pytest.raises(Exception, match="AMBIGUOUS_ALIAS_IN_NESTED_CTE"):
        cur.execute(sql)
    cur.execute("SET spark.sql.legacy.ctePrecedencePolicy=CORRECTED")


def test_order_by_all_and_outer_joins_without_a_condition(cur):
    assert answer(cur, "SELECT a, b + 1 FROM values (2, 1), (1, 5) AS t(a, b) ORDER BY ALL DESC") == [(2, 2), (1, 6)]
    assert answer(cur, "SELECT * FROM values (1) AS a(x) LEFT JOIN values (2) AS b(y)") == [(1, 2)]


def test_spark_functions(cur):
    assert answer(cur, "SELECT bround(2.5D), bround(3.5D), bround(25, -1), mask('AbCd-123')") == [(2.0, 4.0, 20, "XxXx-nnn")]
    assert answer(cur, r"SELECT regexp_extract('100-200', '(\\d+)-(\\d+)', 2), split('a1b22c', '[0-9]+'), startswith('abc', 'ab')") == [
        ("200", '["a","b","c"]', True)]
    assert answer(cur, "SELECT decode(encode('大千世界', 'UTF-16'), 'UTF-16'), to_binary('414243', 'hex'), decode(2, 1, 'a', 2, 'b', 'z')") == [
        ("大千世界", b"ABC", "b")]
    assert answer(cur, "SELECT transform(array(1, 2), x -> x * 10), filter(array(1, 2, 3), x -> x > 1), exists(array(1, 2), x -> x > 1)") == [
        ("[10,20]", "[2,3]", True)]
    with pytest.raises(Exception, match="CONVERSION_INVALID_INPUT"):
        cur.execute("SELECT to_binary('GG', 'hex')")
    assert answer(cur, "SELECT try_to_binary('GG', 'hex')") == [(None,)]
    assert answer(cur, "SELECT conv('100', 2, 10), conv(-10, 16, -10), conv('ff', 16, 2)") == [("4", "-16", "11111111")]
    assert answer(cur, "SELECT array_insert(array(1, 2, 3), 3, 4), array_insert(array(1, 3, 4), -2, 2), array_insert(array(1), 4, 2)") == [
        ("[1,2,4,3]", "[1,3,2,4]", "[1,null,null,2]")]
    with pytest.raises(Exception, match="INVALID_INDEX_OF_ZERO"):
        cur.execute("SELECT array_insert(array(2, 3, 4), 0, 1)")


def test_json_datetime_and_element_functions(cur):
    assert answer(cur, """SELECT json_object_keys('{"b": 1, "a": 2}'), json_array_length('[1, 2, 3]'), """
                       "to_json(named_struct('a', 1, 'b', 'x')), to_json(map('k', 1))") == [
        ('["b","a"]', 3, '{"a":1,"b":"x"}', '{"k":1}')]
    assert answer(cur, "SELECT json_array_length('{}'), json_object_keys('not json')") == [(None, None)]
    import datetime as dt
    assert answer(cur, "SELECT make_timestamp(2019, 6, 30, 23, 59, 60), make_timestamp(2014, 12, 28, 6, 30, 45.887)") == [
        (dt.datetime(2019, 7, 1), dt.datetime(2014, 12, 28, 6, 30, 45, 887000))]
    assert answer(cur, "SELECT try_make_timestamp(2019, 13, 1, 0, 0, 0)") == [(None,)]
    assert answer(cur, "SELECT element_at(array(1, 2, 3), 1), element_at(array(1, 2, 3), -1), element_at(map('a', 7), 'a')") == [
        (1, 3, 7)]


def test_show_functions_lists_sparks_names_and_hides_internal_ones(cur):
    names = {r[0] for r in answer(cur, "SHOW FUNCTIONS")}
    assert {"startswith", "transform", "bround", "mask", "regexp_extract", "int", "element_at"} <= names
    assert not {"hivewire_subscript", "spark_encode"} & names


def test_qualified_interval_literals_and_their_text(cur):
    cur.execute("SELECT INTERVAL '1-2' YEAR TO MONTH, INTERVAL -'1 2:3:4.5' DAY TO SECOND, INTERVAL '-11' MONTH, "
                "make_dt_interval(1, 2, 3, 4.005006), make_interval(1, 2, 3, 4, 5, 6, 7.008009)")
    # Names are Spark's canonical literals; the two ANSI interval types have their own type ids,
    # and a calendar interval (make_interval) is a string, as Spark Thrift Server sends them.
    assert [d[0] for d in cur.description][:2] == ["INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '-1 02:03:04.5' DAY TO SECOND"]
    assert [d[1] for d in cur.description] == ["INTERVAL_YEAR_MONTH_TYPE", "INTERVAL_DAY_TIME_TYPE", "INTERVAL_YEAR_MONTH_TYPE",
                                               "INTERVAL_DAY_TIME_TYPE", "STRING_TYPE"]
    assert cur.fetchall() == [("1-2", "-1 02:03:04.500000000", "-0-11", "1 02:03:04.005006000",
                               "1 years 2 months 25 days 5 hours 6 minutes 7.008009 seconds")]
    assert answer(cur, "SELECT date '2012-01-01' - INTERVAL '2-2' YEAR TO MONTH") == [("2009-11-01",)]
    # Spark refuses a year-month interval added to or compared with a day-time one.
    for sql in ["SELECT INTERVAL '2-2' YEAR TO MONTH + INTERVAL '3' DAY", "SELECT INTERVAL 1 MONTH > INTERVAL 20 DAYS"]:
        with pytest.raises(Exception, match="year-month interval and a day-time interval"):
            cur.execute(sql)


def test_interval_literal_forms(cur):
    cur.execute("SELECT interval 2 years 4 months, interval 3 week 8 millisecond 9 microsecond, "
                "interval '30' year '25' month, interval 'interval 1 day', interval 30 day day")
    assert [d[0] for d in cur.description] == [
        "INTERVAL '2-4' YEAR TO MONTH", "INTERVAL '21 00:00:00.008009' DAY TO SECOND", "INTERVAL '32-1' YEAR TO MONTH",
        "INTERVAL '1' DAY", "day"]
    assert cur.fetchall() == [("2-4", "21 00:00:00.008009000", "32-1", "1 00:00:00.000000000", "30 00:00:00.000000000")]
    for refused in ["SELECT interval 1 year 2 days", "SELECT interval '1 24' day to hour", "SELECT interval 10 nanoseconds"]:
        with pytest.raises(Exception, match="interval"):
            cur.execute(refused)


def test_interval_arithmetic_as_in_spark(cur):
    cur.execute("SELECT date '2001-10-01' - date '2001-09-28', date '2011-11-11' - interval '2' day, "
                "date '2012-01-01' - interval 3 hours, interval 2 weeks 3 microseconds * 1.5, interval '2' year / 3, "
                "-interval '-1 year 1 month', abs(interval '-10' day), signum(interval '-10' year)")
    assert [d[1] for d in cur.description] == ["INTERVAL_DAY_TIME_TYPE", "DATE_TYPE", "TIMESTAMP_TYPE", "INTERVAL_DAY_TIME_TYPE",
                                               "INTERVAL_YEAR_MONTH_TYPE", "INTERVAL_YEAR_MONTH_TYPE", "INTERVAL_DAY_TIME_TYPE",
                                               "DOUBLE_TYPE"]
    row = cur.fetchall()[0]
    assert row[:2] == ("3 00:00:00.000000000", "2011-11-09")
    assert str(row[2]).startswith("2011-12-31 21:00:00")
    assert row[3:] == ("21 00:00:00.000005000", "0-8", "0-11", "10 00:00:00.000000000", -1.0)
    # A cast to a number counts the last field's units.
    assert answer(cur, "SELECT cast(interval -'1 02:03:04.123' day to second as int), cast(interval '10' day as bigint), "
                       "cast(interval '10.005' second as decimal(4, 2))") == [(-93784, 10, Decimal("10.01"))]
    with pytest.raises(Exception, match="(?i)division by zero"):
        cur.execute("SELECT interval '2' year / 0")


def test_session_time_zone(cur):
    # Timestamps are wall-clock times in the session's zone; where a time meets an instant, the zone
    # decides.
    cur.execute("SET spark.sql.session.timeZone=America/Los_Angeles")
    try:
        cur.execute("SELECT TIMESTAMP '2018-11-17 13:33:33.123Z', timestamp_seconds(1230219000), to_timestamp(1), "
                    "from_unixtime(0), unix_timestamp('2020-01-01 00:00:00'), unix_seconds(TIMESTAMP '2020-12-01 14:30:08Z'), "
                    "to_timestamp('2019-10-06 10:11:12 PST', 'yyyy-MM-dd HH:mm:ss z')")
        assert cur.description[0][0] == "TIMESTAMP '2018-11-17 05:33:33.123'"
        row = cur.fetchall()[0]
        assert [str(v) for v in row] == ["2018-11-17 05:33:33.123000", "2008-12-25 07:30:00", "1969-12-31 16:00:01",
                                         "1969-12-31 16:00:00", "1577865600", "1606833008", "2019-10-06 10:11:12"]
        # Local mean time before standard time, as Java's zone rules have it.
        assert [str(v) for v in answer(cur, "SELECT TIMESTAMP '1582-06-01 11:33:33.123UTC+080000'")[0]] == ["1582-05-31 19:40:35.123000"]
        with pytest.raises(Exception, match="INVALID_TIMEZONE"):
            cur.execute("SET spark.sql.session.timeZone=Mars/Olympus_Mons")
            cur.execute("SELECT timestamp_seconds(1)")
    finally:
        cur.execute("SET spark.sql.session.timeZone=UTC")
    assert [str(v) for v in answer(cur, "SELECT timestamp_seconds(1230219000)")[0]] == ["2008-12-25 15:30:00"]


def test_date_fields_and_day_arithmetic(cur):
    cur.execute("SELECT year('1582-10-15 13:10:15'), month(date '2009-07-30'), dayofweek('2009-07-30'), weekday('2009-07-30'), "
                "dayofyear('2009-07-30'), quarter('2009-07-30'), weekofyear('2009-07-30'), hour('2009-07-30 12:58:59')")
    assert cur.fetchall() == [(1582, 7, 5, 3, 211, 3, 31, 12)]
    cur.execute("SELECT date_add('2011-11-11', 1), date_sub(date '2011-11-11', '1'), date '2001-09-28' + 7, "
                "dateadd(HOUR, -1, timestamp '2022-02-25 01:02:03')")
    assert [d[0] for d in cur.description] == ["date_add(2011-11-11, 1)", "date_sub(DATE '2011-11-11', 1)",
                                               "date_add(DATE '2001-09-28', 7)",
                                               "timestampadd(HOUR, -1, TIMESTAMP '2022-02-25 01:02:03')"]
    assert [str(v) for v in cur.fetchall()[0]] == ["2011-11-12", "2011-11-10", "2001-10-05", "2022-02-25 00:02:03"]
    with pytest.raises(Exception):
        cur.execute("SELECT date_add('2011-11-11', 1.5)")


def test_except_all_and_intersect_all_count_copies(cur):
    left = "SELECT * FROM VALUES (1), (1), (1), (2), (NULL), (NULL) AS t(a)"
    right = "SELECT * FROM VALUES (1), (NULL), (3) AS u(a)"
    assert sorted(answer(cur, f"{left} EXCEPT ALL {right}"), key=str) == sorted([(1,), (1,), (2,), (None,)], key=str)
    assert sorted(answer(cur, f"{left} MINUS ALL {right}"), key=str) == sorted([(1,), (1,), (2,), (None,)], key=str)
    assert sorted(answer(cur, f"{left} INTERSECT ALL {right}"), key=str) == sorted([(1,), (None,)], key=str)
    assert answer(cur, f"{left} EXCEPT {right}") == [(2,)]


def test_higher_order_functions(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW hof AS VALUES (1, array(32, 97), map(1, 10, 2, 20)), "
                "(2, array(77, -76), map(3, 30)) AS t(x, ys, m)")
    cur.execute("SELECT x, transform(ys, y -> y * y), transform(ys, (y, i) -> y + i), aggregate(ys, 0, (acc, y) -> acc + y + x), "
                "reduce(ys, 0, (acc, y) -> acc + y, acc -> acc * 10), zip_with(ys, array(1), (a, b) -> coalesce(b, a)), "
                "transform_values(m, (k, v) -> k + v), transform_keys(m, (k, v) -> k * 2), concat(ys, array(0)) FROM hof ORDER BY x")
    assert cur.fetchall() == [
        (1, "[1024,9409]", "[32,98]", 131, 1290, "[1,97]", "{1:11,2:22}", "{2:10,4:20}", "[32,97,0]"),
        (2, "[5929,5776]", "[77,-75]", 5, 10, "[1,-76]", "{3:33}", "{6:30}", "[77,-76,0]"),
    ]
    assert answer(cur, "SELECT aggregate(cast(NULL AS array<int>), 0, (a, y) -> a + y)") == [(None,)]
    assert answer(cur, "SELECT forall(array(1, 2), x -> x > 0), forall(array(0, NULL), x -> x > 0), "
                       "forall(array(1, NULL), x -> x > 0), map_filter(map(1, 2, 3, 4), (k, v) -> k > 1)") == [(True, False, None, "{3:4}")]


def test_extract_and_date_part(cur):
    cur.execute("SELECT extract(yrs FROM '2011-05-06 07:08:09.1234567'), extract(dow_iso FROM date '2011-05-06'), "
                "date_part('secs', timestamp '2011-05-06 07:08:09.123456'), extract(month FROM interval 10 year 20 month), "
                "extract(hour FROM interval 30 day 40 hour)")
    assert [d[0] for d in cur.description][:2] == ["extract(yrs FROM 2011-05-06 07:08:09.1234567)", "extract(dow_iso FROM DATE '2011-05-06')"]
    assert cur.fetchall() == [(2011, 5, Decimal("9.123456"), 8, 16)]
    with pytest.raises(Exception, match="INVALID_EXTRACT_FIELD"):
        cur.execute("SELECT extract(not_supported FROM date '2011-05-06')")


def test_integer_overflow_and_try_arithmetic(cur):
    # Under ANSI rules (Spark's default) whole-number overflow is an error; try_ functions give NULL.
    with pytest.raises(Exception, match="ARITHMETIC_OVERFLOW"):
        cur.execute("SELECT 2147483647 + 1")
    cur.execute("SELECT try_add(2147483647, 1), try_add(1, 1), try_subtract(-2147483648, 1), try_multiply(2147483647, 2L), "
                "try_add(2147483647, decimal(1)), try_add(date '2021-01-01', 1)")
    assert [d[1] for d in cur.description] == ["INT_TYPE", "INT_TYPE", "INT_TYPE", "BIGINT_TYPE", "DECIMAL_TYPE", "DATE_TYPE"]
    assert cur.fetchall() == [(None, 2, None, 4294967294, Decimal("2147483648"), "2021-01-02")]
    cur.execute("SET spark.sql.ansi.enabled=false")
    try:
        assert answer(cur, "SELECT 2147483647 + 1") == [(-2147483648,)]
    finally:
        cur.execute("SET spark.sql.ansi.enabled=true")


def test_row_values_in_subqueries(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW tuple_m AS SELECT * FROM VALUES (1, 1.0), (2, 3.0), (NULL, 1.0), (4, 5.0) AS m(a, b)")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW tuple_s AS SELECT * FROM VALUES (2, 3.0), (NULL, 5.0) AS s(c, d)")
    assert answer(cur, "SELECT a FROM tuple_m WHERE (a, b) IN (SELECT * FROM tuple_s)") == [(2,)]
    # (4, 5.0) against (NULL, 5.0) is unknown, so NOT IN does not hold for it.
    assert answer(cur, "SELECT a FROM tuple_m WHERE (a, b) NOT IN (SELECT * FROM tuple_s) ORDER BY a") == [(None,), (1,)]


def test_from_first_queries_and_ctes_before_insert(cur):
    assert answer(cur, "FROM (SELECT 1 AS k UNION ALL SELECT 2) AS t SELECT k WHERE k > 1") == [(2,)]
    cur.execute("CREATE TABLE cte_target (col INT) USING parquet")
    cur.execute("WITH s AS (SELECT 43 AS col) INSERT INTO cte_target SELECT * FROM s")
    assert answer(cur, "SELECT * FROM cte_target") == [(43,)]


def test_unpivot(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW earnings AS SELECT * FROM VALUES ('dotNET', 15000, 48000, NULL), "
                "('Java', 20000, 30000, 1) AS t(course, y2012, y2013, y2014)")
    assert answer(cur, "SELECT * FROM earnings UNPIVOT (amount FOR year IN (y2012, y2013 AS `2013`, y2014)) ORDER BY course, year") == [
        ("Java", "2013", 30000), ("Java", "y2012", 20000), ("Java", "y2014", 1), ("dotNET", "2013", 48000), ("dotNET", "y2012", 15000)]
    rows = answer(cur, "SELECT count(*) FROM earnings UNPIVOT INCLUDE NULLS (amount FOR year IN (y2012, y2013, y2014))")
    assert rows == [(6,)]


def test_decimal_arithmetic_types(cur):
    cur.execute("SELECT 10.300000000000000000 * 3.0000000000000000000, CAST(1 AS DECIMAL(3, 1)) / CAST(3 AS DECIMAL(3, 1)), "
                "12345678912345678912345678912.1234567 + 9999999999999999999999999999999.12345")
    assert [d[1] for d in cur.description] == ["DECIMAL_TYPE"] * 3
    assert cur.fetchall() == [(Decimal("30.9000000000000000000000000000000000"), Decimal("0.333333"),
                               Decimal("10012345678912345678912345678911.246907"))]
    cur.execute("SET spark.sql.decimalOperations.allowPrecisionLoss=false")
    try:
        assert answer(cur, "SELECT 10.300000000000000000 * 3.000000000000000000") == [(Decimal("30.900000000000000000000000000000000000"),)]
    finally:
        cur.execute("SET spark.sql.decimalOperations.allowPrecisionLoss=true")


def test_division_as_in_spark(cur):
    cur.execute("SELECT 3 / 2, 7 DIV 2, -7 DIV 2, 5.9 DIV 1.5, a / b FROM values (7, 2) AS t(a, b)")
    assert [d[1] for d in cur.description] == ["DOUBLE_TYPE", "BIGINT_TYPE", "BIGINT_TYPE", "BIGINT_TYPE", "DOUBLE_TYPE"]
    assert cur.fetchall() == [(1.5, 3, -3, 3, 3.5)]
    with pytest.raises(Exception, match="22012"):
        cur.execute("SELECT a / 0 FROM values (1) AS t(a)")
    cur.execute("SET spark.sql.ansi.enabled=false")
    assert answer(cur, "SELECT 1 / 0, 1 DIV 0") == [(None, None)]
    cur.execute("SET spark.sql.ansi.enabled=true")


def test_timestamp_units_and_try_divide(cur):
    import datetime as dt
    assert answer(cur, "SELECT timestampadd(MONTH, -1, timestamp'2022-02-14 01:02:03'), timestampadd(YEAR, 1, date'2024-02-29'), "
                       "timestampadd(SECOND, -1, date'2022-02-15')") == [
        (dt.datetime(2022, 1, 14, 1, 2, 3), dt.datetime(2025, 2, 28), dt.datetime(2022, 2, 14, 23, 59, 59))]
    assert answer(cur, "SELECT timestampdiff(MONTH, timestamp'2022-01-31 00:00:00', timestamp'2022-02-28 00:00:00'), "
                       "timestampdiff(HOUR, date'2022-02-15', timestamp'2022-02-14 23:00:00'), try_divide(1, 0), try_divide(3, 2)") == [
        (0, -1, None, 1.5)]


def test_avg_keeps_decimals_and_takes_distinct_in_every_session(cur):
    # Each session's functions are the server's: avg is DataFusion's, whatever the process's hash order.
    cur.execute("SELECT avg(x), avg(DISTINCT x), avg(x) FILTER (WHERE x > 2) FROM values (1.5), (1.5), (2.5) AS t(x)")
    assert [d[1] for d in cur.description] == ["DECIMAL_TYPE", "DECIMAL_TYPE", "DECIMAL_TYPE"]
    assert cur.fetchall() == [(Decimal("1.83333"), Decimal("2.00000"), Decimal("2.50000"))]


def test_histogram_numeric_casts_without_ansi_and_nested_dates(cur):
    assert answer(cur, "SELECT histogram_numeric(x, 2) FROM VALUES (1), (2), (10) AS t(x)") == [
        ('[{"x":1,"y":2.0},{"x":10,"y":1.0}]',)]
    assert answer(cur, "SELECT array(date '2024-01-01'), CAST(1 AS BYTE), CAST(2.5 AS DEC(3, 1))") == [
        ("[2024-01-01]", 1, Decimal("2.5"))]
    with pytest.raises(Exception, match="22P02|[Cc]annot cast|CAST"):
        cur.execute("SELECT CAST('abc' AS INT)")
    cur.execute("SET spark.sql.ansi.enabled=false")
    try:
        assert answer(cur, "SELECT CAST('abc' AS INT), int('7')") == [(None, 7)]
    finally:
        cur.execute("SET spark.sql.ansi.enabled=true")


def test_date_format_reads_java_patterns(cur):
    assert answer(cur, "SELECT date_format(timestamp '2001-01-01 10:02:03', 'yyyy-MM-dd HH:mm:ss'), "
                       "date_format(date '2001-01-05', 'MMM d, yyyy EEEE'), "
                       "date_format('2001-01-01 10:02:03.5', \"yy/MM/dd hh:mm a 'at' SSS\")") == [
        ("2001-01-01 10:02:03", "Jan 5, 2001 Friday", "01/01/01 10:02 AM at 500")]
    with pytest.raises(Exception, match="pattern letter"):
        cur.execute("SELECT date_format(date '2001-01-05', 'yyyy-bb')")


def test_aliases_keep_the_case_they_were_written_in(cur):
    assert described(cur, "SELECT 1 AS Total, 2 AS low, 3 AS `Quoted` ORDER BY Total") == [
        ("Total", "INT_TYPE"), ("low", "INT_TYPE"), ("Quoted", "INT_TYPE")]


def test_times_are_read_with_java_patterns(cur):
    assert answer(cur, "SELECT to_date('2020/01/02', 'yyyy/MM/dd'), unix_timestamp('1970-01-02 00:00:00'), "
                       "to_unix_timestamp('19700101', 'yyyyMMdd'), try_to_timestamp('nope', 'yyyy')") == [
        ("2020-01-02", 86400, 0, None)]
    assert answer(cur, "SELECT to_timestamp('06/Oct/2019 01:02 PM', 'dd/MMM/yyyy hh:mm a')")[0][0].hour == 13
    with pytest.raises(Exception, match="CANNOT_PARSE_TIMESTAMP"):
        cur.execute("SELECT to_timestamp('nope', 'yyyy')")


def test_result_columns_may_share_a_name(cur):
    assert described(cur, "SELECT 1 AS x, 2 AS x, count(*), count(*)") == [
        ("x", "INT_TYPE"), ("x", "INT_TYPE"), ("count(1)", "BIGINT_TYPE"), ("count(1)", "BIGINT_TYPE")]
    assert answer(cur, "SELECT 1 AS x, 2 AS x") == [(1, 2)]


def test_struct_fields_are_found_regardless_of_case_and_spread_with_star(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW people AS VALUES "
                "(1, named_struct('userId', 7, 'Name', 'ann')), (2, CAST(NULL AS STRUCT<userId: INT, Name: STRING>)) "
                "AS t(ID, info)")
    assert described(cur, "SELECT ID, info.userId, info.USERID AS u, info.name FROM people ORDER BY ID") == [
        ("ID", "INT_TYPE"), ("userId", "INT_TYPE"), ("u", "INT_TYPE"), ("Name", "STRING_TYPE")]
    assert answer(cur, "SELECT ID, info.userId, info.name FROM people ORDER BY ID") == [(1, 7, "ann"), (2, None, None)]
    # s.* spreads a struct's fields among a new struct's; a NULL struct gives NULL fields.
    assert answer(cur, "SELECT struct(info.*, ID AS k), struct(info.*).NAME FROM people ORDER BY ID") == [
        ('{"userId":7,"Name":"ann","k":1}', "ann"), ('{"userId":null,"Name":null,"k":2}', None)]
    assert answer(cur, "SELECT struct(1 AS X).x, array(named_struct('Aa', 5))[0].aa") == [(1, 5)]
    with pytest.raises(Exception, match="only a struct's fields"):
        cur.execute("SELECT struct(ID.*) FROM people")


def test_columns_keep_the_case_their_definition_wrote(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW spelled AS SELECT 1 AS UserId, 'x' AS name")
    assert described(cur, "SELECT * FROM spelled") == [("UserId", "INT_TYPE"), ("name", "STRING_TYPE")]
    assert described(cur, "SELECT userid, count(*) AS n FROM spelled GROUP BY userid") == [
        ("UserId", "INT_TYPE"), ("n", "BIGINT_TYPE")]
    assert described(cur, "SELECT a FROM VALUES (1) AS t(A)") == [("A", "INT_TYPE")]
    assert described(cur, "SELECT userid FROM (SELECT 1 AS UserId UNION ALL SELECT 2 AS UserId)") == [("UserId", "INT_TYPE")]


def test_having_subqueries_may_use_the_outer_aggregates(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW emp AS VALUES (10, 100.0D), (10, 300.0D), (20, 50.0D) AS t(dept, salary)")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW bonus AS VALUES (60.0D), (400.0D) AS t(amt)")
    rows = answer(cur, "SELECT dept, count(*) FROM emp GROUP BY dept "
                       "HAVING EXISTS (SELECT 1 FROM bonus WHERE amt < min(emp.salary)) ORDER BY dept")
    assert rows == [(10, 2)]
    assert described(cur, "SELECT dept, count(*) FROM emp GROUP BY dept "
                          "HAVING count(*) > 1 OR EXISTS (SELECT 1 FROM bonus WHERE amt > max(emp.salary) * 7)") == [
        ("dept", "INT_TYPE"), ("count(1)", "BIGINT_TYPE")]


def test_casts_to_struct_and_map_types(cur):
    assert described(cur, "SELECT CAST(NULL AS STRUCT<userId: INT, tags: ARRAY<STRING>>) AS s, "
                          "CAST(map('a', 1) AS MAP<STRING, STRING>) AS m") == [("s", "STRUCT_TYPE"), ("m", "MAP_TYPE")]
    assert answer(cur, "SELECT typeof(CAST(NULL AS STRUCT<userId: INT, tags: ARRAY<STRING>>)), "
                       "CAST(map('a', 1) AS MAP<STRING, STRING>)") == [
        ("struct<userId:int,tags:array<string>>", '{"a":"1"}')]
    with pytest.raises(Exception, match="UNSUPPORTED_DATATYPE"):
        cur.execute("SELECT CAST(1 AS STRUCT<a: NOPE>)")


def test_describe_function_gives_usage(cur):
    assert described(cur, "DESCRIBE FUNCTION upper") == [("function_desc", "STRING_TYPE")]
    rows = [r[0] for r in answer(cur, "DESCRIBE FUNCTION upper")]
    assert rows[0] == "Function: upper" and rows[2].startswith("Usage: upper(")
    extended = [r[0] for r in answer(cur, "DESC FUNCTION EXTENDED upper")]
    assert extended[3].startswith("Extended Usage:") and "Examples:" in extended[3]
    assert [r[0] for r in answer(cur, "DESCRIBE FUNCTION int")][2] == "Usage: int(expr) - Casts `expr` to INT."
    assert "starts_with" in answer(cur, "DESCRIBE FUNCTION startswith")[1][0]
    with pytest.raises(Exception, match="ROUTINE_NOT_FOUND"):
        cur.execute("DESCRIBE FUNCTION no_such_function")


def test_full_and_right_using_joins_read_the_join_column_from_both_sides(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW l AS VALUES ('one', 1), ('two', 2) AS t(k, v1)")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW r AS VALUES ('one', 10), ('four', 40) AS t(k, v2)")
    assert answer(cur, "SELECT * FROM l FULL OUTER JOIN r USING (k) ORDER BY k") == [
        ("four", None, 40), ("one", 1, 10), ("two", 2, None)]
    assert answer(cur, "SELECT k, l.k FROM l RIGHT JOIN r USING (k) ORDER BY k") == [("four", None), ("one", "one")]


def test_exists_and_in_over_aggregates_see_every_outer_row(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW c1t AS VALUES (0, 1), (1, 2) AS t(c1, c2)")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW c2t AS VALUES (0, 2), (0, 3) AS t(c1, c2)")
    # count(*) over no rows is 0: the subquery has one row for every outer row.
    assert answer(cur, "SELECT c1 FROM c1t WHERE EXISTS (SELECT count(*) FROM c2t WHERE c2t.c1 = c1t.c1) ORDER BY c1") == [(0,), (1,)]
    assert answer(cur, "SELECT c1 FROM c1t WHERE c1 IN (SELECT count(*) + 1 FROM c2t WHERE c2t.c1 = c1t.c1)") == [(1,)]
    assert described(cur, "SELECT EXISTS (SELECT count(*) FROM c2t WHERE c2t.c1 = c1t.c1) FROM c1t") == [("exists(c1)", "BOOLEAN_TYPE")]


def test_array_indexes_past_either_end_fail_under_ansi_rules(cur):
    with pytest.raises(Exception, match="INVALID_ARRAY_INDEX"):
        cur.execute("SELECT array(1, 2, 3)[3]")
    with pytest.raises(Exception, match="INVALID_ARRAY_INDEX_IN_ELEMENT_AT"):
        cur.execute("SELECT element_at(array(1, 2, 3), -4)")
    with pytest.raises(Exception, match="INVALID_INDEX_OF_ZERO"):
        cur.execute("SELECT element_at(array(1, 2, 3), 0)")
    assert answer(cur, "SELECT array(1, 2, 3)[2], element_at(array(1, 2, 3), -1), get(array(1, 2, 3), 3)") == [(3, 3, None)]
    cur.execute("SET spark.sql.ansi.enabled=false")
    try:
        assert answer(cur, "SELECT array(1, 2, 3)[3], element_at(array(1, 2, 3), 4)") == [(None, None)]
    finally:
        cur.execute("SET spark.sql.ansi.enabled=true")


def test_seeded_random_numbers_are_sparks(cur):
    assert answer(cur, "SELECT rand(0), randn(0L), rand(NULL)") == [(0.7604953758285915, 1.6034991609278433, 0.7604953758285915)]
    rows = answer(cur, "SELECT rand(42) FROM range(3)")
    assert len({r[0] for r in rows}) == 3 and all(0 <= r[0] < 1 for r in rows)
    with pytest.raises(Exception, match="seed"):
        cur.execute("SELECT rand('x')")


def test_skewness_and_kurtosis(cur):
    rows = answer(cur, "SELECT skewness(x), kurtosis(x), skewness(y) FROM VALUES (1.0D, 5), (2.0D, 5), (3.0D, 5), (10.0D, 5) AS t(x, y)")
    skew, kurt, flat = rows[0]
    assert abs(skew - 1.0182337649086284) < 1e-12 and abs(kurt - (-0.7696)) < 1e-12 and flat is None


def test_casts_between_structs_match_fields_by_position(cur):
    assert answer(cur, "SELECT CAST(named_struct('a', 1, 'b', 'x') AS STRUCT<A: BIGINT, B: STRING>)") == [('{"A":1,"B":"x"}',)]


def test_schema_of_json_infers_sparks_types(cur):
    assert described(cur, """SELECT schema_of_json('{"c1":0, "c2":[1]}')""") == [('schema_of_json({"c1":0, "c2":[1]})', "STRING_TYPE")]
    assert answer(cur, """SELECT schema_of_json('{"c2":[1, 2.5], "c1":"x", "c3":null}'),
                                 schema_of_json('{"c1":01, "c2":0.1}', map('allowNumericLeadingZeros', 'true', 'prefersDecimal', 'true'))""") == [
        ("STRUCT<c1: STRING, c2: ARRAY<DOUBLE>, c3: STRING>", "STRUCT<c1: BIGINT, c2: DECIMAL(1,1)>")]
    assert answer(cur, """SELECT from_json('{"c1":[1, 2, 3]}', schema_of_json('{"c1":[0]}'))""") == [('{"c1":[1,2,3]}',)]
    with pytest.raises(Exception, match="NON_FOLDABLE_INPUT"):
        cur.execute("SELECT schema_of_json(NULL)")


def test_unions_of_literals_keep_int_columns(cur):
    assert described(cur, "SELECT 1 AS Foo UNION ALL SELECT 2") == [("Foo", "INT_TYPE")]
    assert described(cur, "SELECT 1 AS a UNION ALL SELECT 3000000000") == [("a", "BIGINT_TYPE")]


def test_named_windows_in_parentheses_and_chains(cur):
    data = "VALUES ('a', 1), ('a', 2), ('b', 3), ('b', 4) AS t(k, v)"
    expected = [("a", 1), ("a", 3), ("b", 3), ("b", 7)]
    assert answer(cur, f"SELECT k, sum(v) OVER (w) FROM {data} WINDOW w AS (PARTITION BY k ORDER BY v) ORDER BY k, v") == expected
    assert answer(cur, f"SELECT k, sum(v) OVER (w ORDER BY v) FROM {data} WINDOW w AS (PARTITION BY k) ORDER BY k, v") == expected
    assert answer(cur, f"SELECT k, sum(v) OVER w2 FROM {data} WINDOW w1 AS (PARTITION BY k ORDER BY v), w2 AS w1 ORDER BY k, v") == expected
    assert [d[0] for d in described(cur, f"SELECT sum(v) OVER (w) FROM {data} WINDOW w AS (PARTITION BY k ORDER BY v)")] == [
        "sum(v) OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]


def test_casts_between_timestamps_and_numbers_count_seconds(cur):
    import datetime as dt
    assert answer(cur, "SELECT CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS BIGINT), CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS DOUBLE), "
                       "CAST(TIMESTAMP '1969-12-31 23:59:59.5' AS BIGINT), CAST(1577836800 AS TIMESTAMP)") == [
        (1577836800, 1577836800.5, -1, dt.datetime(2020, 1, 1))]
    with pytest.raises(Exception, match="CAST_OVERFLOW"):
        cur.execute("SELECT CAST(TIMESTAMP '2100-01-01 00:00:00' AS INT)")
    assert answer(cur, "SELECT TRY_CAST(TIMESTAMP '2100-01-01 00:00:00' AS INT)") == [(None,)]
    cur.execute("SET spark.sql.ansi.enabled=false")
    try:
        assert answer(cur, "SELECT CAST(TIMESTAMP '2100-01-01 00:00:00' AS INT), CAST(double('NaN') AS TIMESTAMP)") == [(-192522496, None)]
    finally:
        cur.execute("SET spark.sql.ansi.enabled=true")


def test_show_table_extended_tells_tables_from_views_as_dbt_spark_reads_it(cur):
    cur.execute("CREATE TABLE ste_t (a INT, b STRING) USING parquet PARTITIONED BY (b)")
    cur.execute("CREATE VIEW ste_v AS SELECT 1 AS one")
    cur.execute("CREATE TEMPORARY VIEW ste_tv AS SELECT 2 AS two")
    try:
        rows = answer(cur, "SHOW TABLE EXTENDED IN default LIKE 'ste_*'")
        assert [d[0] for d in cur.description] == ["namespace", "tableName", "isTemporary", "information"]
        by_name = {r[1]: r for r in rows}
        assert set(by_name) == {"ste_t", "ste_v", "ste_tv"}
        table, view, temp = by_name["ste_t"], by_name["ste_v"], by_name["ste_tv"]
        assert table[0] == "default" and not table[2]
        assert "Type: MANAGED\n" in table[3] and "Provider: parquet\n" in table[3]
        assert "Partition Columns: [`b`]\n" in table[3]
        assert table[3].endswith("Schema: root\n |-- a: integer (nullable = true)\n |-- b: string (nullable = true)\n\n")
        assert "Type: VIEW\n" in view[3] and "View Text: SELECT 1 AS one\n" in view[3]
        assert temp[0] == "" and temp[2] and " |-- two: integer" in temp[3]
    finally:
        cur.execute("DROP TABLE ste_t")
        cur.execute("DROP VIEW ste_v")
        cur.execute("DROP VIEW ste_tv")


def test_global_temporary_views_are_shared_by_sessions(cur, hs2):
    from pyhive import hive

    cur.execute("CREATE OR REPLACE GLOBAL TEMPORARY VIEW shared_gv AS SELECT 7 AS seven")
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW private_lv AS SELECT 8 AS eight")
    host, port = hs2.listeners["hiveserver2"]
    with hive.connect(host=host, port=port, username="other", auth="NOSASL") as other:
        c = other.cursor()
        assert answer(c, "SELECT seven FROM global_temp.shared_gv") == [(7,)]
        assert ("global_temp", "shared_gv", True) in answer(c, "SHOW TABLES IN global_temp")
        with pytest.raises(Exception):
            answer(c, "SELECT * FROM private_lv")
    cur.execute("DROP VIEW global_temp.shared_gv")
    cur.execute("DROP VIEW private_lv")
