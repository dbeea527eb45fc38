"""Generators, lateral joins, join-condition subqueries and PIVOT, through PyHive over HiveServer2.

Each expected answer is Spark's: LATERAL VIEW [OUTER] with explode, posexplode, inline, stack and
json_tuple; several lateral views in one query; generators in a select list, also over grouped
rows; generator calls in FROM; correlated LATERAL subqueries; and EXISTS/IN subqueries inside
the ON condition of inner and outer joins.
"""

from __future__ import annotations

import pytest

from conftest import answer, described

hive = pytest.importorskip("pyhive.hive")


@pytest.fixture
def cur(hive_cursor):
    hive_cursor.execute(
        "CREATE OR REPLACE TEMPORARY VIEW orders AS VALUES "
        "(1, array('a', 'b'), map('x', 10)), (2, array(), map('y', 20, 'z', 30)), (3, NULL, NULL) "
        "AS t(id, items, attrs)")
    hive_cursor.execute("CREATE OR REPLACE TEMPORARY VIEW x AS VALUES (2, 1), (1, 1), (3, 4) AS t(x1, x2)")
    hive_cursor.execute("CREATE OR REPLACE TEMPORARY VIEW y AS VALUES (0, 2), (1, 4), (4, 11) AS t(y1, y2)")
    hive_cursor.execute("CREATE OR REPLACE TEMPORARY VIEW z AS VALUES (4, 2), (3, 3), (8, 1) AS t(z1, z2)")
    return hive_cursor


def test_lateral_view_explode_and_outer(cur):
    assert answer(cur, "SELECT id, item FROM orders LATERAL VIEW explode(items) t AS item ORDER BY id, item") == [
        (1, "a"), (1, "b")]
    assert answer(cur, "SELECT id, item FROM orders LATERAL VIEW OUTER explode(items) t AS item ORDER BY id, item") == [
        (1, "a"), (1, "b"), (2, None), (3, None)]


def test_several_lateral_views_and_maps(cur):
    rows = answer(cur, "SELECT id, p, item, k, v FROM orders "
                       "LATERAL VIEW posexplode(items) i AS p, item "
                       "LATERAL VIEW explode(attrs) a AS k, v ORDER BY id, p")
    assert rows == [(1, 0, "a", "x", 10), (1, 1, "b", "x", 10)]


def test_generators_in_a_select_list_keep_sparks_names(cur):
    assert described(cur, "SELECT 1 AS id, explode(map('y', 20))") == [
        ("id", "INT_TYPE"), ("key", "STRING_TYPE"), ("value", "INT_TYPE")]
    assert answer(cur, "SELECT id, explode(attrs) AS (k, v) FROM orders ORDER BY k") == [
        (1, "x", 10), (2, "y", 20), (2, "z", 30)]
    assert answer(cur, "SELECT posexplode(array(10, 20))") == [(0, 10), (1, 20)]


def test_a_select_list_generator_runs_over_grouped_rows(cur):
    assert answer(cur, "SELECT explode(collect_list(id)) AS id FROM orders WHERE id < 3") in ([(1,), (2,)], [(2,), (1,)])


def test_inline_stack_and_json_tuple(cur):
    assert answer(cur, "SELECT inline(array(struct(1, 'a'), struct(2, 'b')))") == [(1, "a"), (2, "b")]
    assert described(cur, "SELECT stack(2, 'k1', 1, 'k2', 2)") == [("col0", "STRING_TYPE"), ("col1", "INT_TYPE")]
    assert answer(cur, "SELECT stack(2, 'k1', 1, 'k2', 2)") == [("k1", 1), ("k2", 2)]
    assert answer(cur, """SELECT j.* FROM (SELECT '{"a": 1, "b": {"c": 2}}' AS doc) d """
                       "LATERAL VIEW json_tuple(doc, 'a', 'b', 'missing') j AS a, b, m") == [("1", '{"c":2}', None)]


def test_generator_calls_in_from(cur):
    assert answer(cur, "SELECT * FROM explode(array(3, 4)) AS t(v)") == [(3,), (4,)]
    assert answer(cur, "SELECT id, v FROM orders, LATERAL explode(items) t(v) ORDER BY v") == [(1, "a"), (1, "b")]
    assert answer(cur, "SELECT id, v FROM orders LEFT JOIN LATERAL explode(items) t(v) ON v = 'b' ORDER BY id") == [
        (1, "b"), (2, None), (3, None)]


def test_correlated_lateral_subqueries(cur):
    assert answer(cur, "SELECT x1, m FROM x, LATERAL (SELECT max(y2) AS m FROM y WHERE y1 <= x1) ORDER BY x1") == [
        (1, 4), (2, 4), (3, 4)]
    assert answer(cur, "SELECT x1, s FROM x LEFT JOIN LATERAL (SELECT x1 + x2 AS s) ON s > 3 ORDER BY x1") == [
        (1, None), (2, None), (3, 7)]


def test_subqueries_in_join_conditions(cur):
    assert answer(cur, "SELECT * FROM x JOIN y ON x1 = y1 AND EXISTS (SELECT * FROM z WHERE z2 = x2)") == [(1, 1, 1, 4)]
    assert answer(cur, "SELECT * FROM x LEFT JOIN y ON x1 = y1 AND y2 IN (SELECT z1 FROM z) ORDER BY x1") == [
        (1, 1, 1, 4), (2, 1, None, None), (3, 4, None, None)]


def test_two_generators_in_a_select_list_join_as_a_product(cur):
    # Spark 4: the first generator is outermost.
    assert answer(cur, "SELECT explode(array(1, 2)), explode(array('a', 'b'))") == [(1, "a"), (1, "b"), (2, "a"), (2, "b")]


def test_generator_misuse_is_a_clear_error(cur):
    with pytest.raises(Exception, match="aliases"):
        cur.execute("SELECT explode(array(1)) AS (a, b)")


def test_pivot_groups_by_the_other_columns(cur):
    cur.execute("CREATE OR REPLACE TEMPORARY VIEW sales AS VALUES ('dotNET', 2012, 10000), ('Java', 2012, 20000), "
                "('dotNET', 2012, 5000), ('dotNET', 2013, 48000) AS t(course, year, earnings)")
    sql = "SELECT * FROM sales PIVOT (sum(earnings) FOR course IN ('dotNET', 'Java')) ORDER BY year"
    assert described(cur, sql) == [("year", "INT_TYPE"), ("dotNET", "BIGINT_TYPE"), ("Java", "BIGINT_TYPE")]
    assert answer(cur, sql) == [(2012, 15000, 20000), (2013, 48000, None)]
    assert answer(cur, "SELECT * FROM sales PIVOT (sum(earnings) s, count(1) n FOR year IN (2012 AS y1, 2013 AS y2)) "
                       "ORDER BY course") == [("Java", 20000, 1, None, 0), ("dotNET", 15000, 2, 48000, 1)]
