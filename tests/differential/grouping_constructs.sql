-- ROLLUP and CUBE over composite elements, and ROLLUP and CUBE inside GROUPING SETS, beside plain
-- grouping columns (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW sales AS SELECT * FROM VALUES
  ('dotNET', 2012, 'web', 10000), ('Java', 2012, 'web', 20000), ('dotNET', 2012, 'shop', 5000),
  ('dotNET', 2013, 'web', 48000), ('Java', 2013, 'shop', 30000)
  AS sales(course, year, channel, earnings);

SELECT course, year, channel, sum(earnings) FROM sales GROUP BY ROLLUP(course, (year, channel)) ORDER BY course, year, channel;
SELECT course, year, channel, sum(earnings), grouping_id() FROM sales GROUP BY CUBE((course, year), channel) ORDER BY course, year, channel;
SELECT course, year, sum(earnings) FROM sales GROUP BY GROUPING SETS(ROLLUP(course, year)) ORDER BY course, year;
SELECT course, year, channel, sum(earnings) FROM sales GROUP BY GROUPING SETS(CUBE(course, year), (channel)) ORDER BY course, year, channel;
SELECT course, year, count(*) FROM sales GROUP BY course, GROUPING SETS(ROLLUP(course, year)) ORDER BY course, year;
