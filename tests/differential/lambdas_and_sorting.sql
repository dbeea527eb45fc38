-- array_sort with and without a comparator lambda, and struct fields read inside lambdas and by
-- subscript, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/lambdas_and_sorting.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT array_sort(array(5, 6, 1), (left, right) -> case when left < right then -1 when left > right then 1 else 0 end);
SELECT array_sort(array('bc', 'ab', 'dc'), (left, right) -> case when left is null and right is null then 0 when left is null then -1 when right is null then 1 when left < right then 1 when left > right then -1 else 0 end);
SELECT array_sort(array('b', 'a', null, 'c'), (x, y) -> case when x is null then 1 when y is null then -1 else ascii(x) - ascii(y) end) AS s;
SELECT array_sort(array(named_struct('n', 'x', 'v', 3), named_struct('n', 'y', 'v', 1)), (a, b) -> a.v - b.v) AS s;
SELECT array_sort(xs, (a, b) -> length(a) - length(b)) AS s FROM VALUES (array('ccc', 'a', 'bb')), (array()), (NULL) t(xs);
SELECT array_sort(array(3, 1, 2), (a, b) -> cast(NULL AS INT));
SELECT array_sort(array(3, 1, 2)), array_sort(array('b', NULL, 'a'));
SELECT array_sort(array(1, 2, 3, 4), (a, b) -> (a % 2) - (b % 2)) AS stable;
SELECT transform(array(named_struct('v', 1), named_struct('v', 5)), x -> x.v * 2), filter(array(named_struct('Price', 3)), x -> x.price > 1);
SELECT transform(array(named_struct('a', named_struct('b', 2))), x -> x.a.b) AS t, aggregate(array(named_struct('q', 2L), named_struct('q', 3L)), 0L, (acc, x) -> acc + x.q) AS total;
SELECT s['v'] AS a, s['V'] AS b FROM (SELECT named_struct('v', 7) AS s);
