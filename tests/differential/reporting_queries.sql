-- Reporting queries over a sales table (revenue, shares, pivots by CASE, grouping sets, top-n,
-- decimal arithmetic, dates), each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/reporting_queries.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

CREATE TABLE sales (region STRING, product STRING, qty INT, price DECIMAL(8,2), sold DATE) USING parquet;
INSERT INTO sales VALUES ('east', 'apple', 10, 1.25, DATE'2024-01-05'), ('east', 'pear', 5, 2.00, DATE'2024-01-06'), ('west', 'apple', 7, 1.30, DATE'2024-02-01'), ('west', 'kiwi', NULL, 3.10, DATE'2024-02-03'), ('north', 'apple', 3, NULL, NULL);
SELECT region, sum(qty * price) AS revenue, avg(price), count(*) FROM sales GROUP BY region ORDER BY revenue DESC NULLS LAST;
SELECT region, product, qty, sum(qty) OVER (PARTITION BY region ORDER BY sold) AS running, qty / sum(qty) OVER (PARTITION BY region) AS share FROM sales ORDER BY region, product;
SELECT product, sum(CASE WHEN region = 'east' THEN qty ELSE 0 END) AS east, sum(CASE WHEN region = 'west' THEN qty ELSE 0 END) AS west FROM sales GROUP BY product ORDER BY product;
SELECT date_format(sold, 'yyyy-MM') AS month, sum(price * qty) FROM sales GROUP BY 1 ORDER BY 1;
SELECT region, product, sum(qty) FROM sales GROUP BY GROUPING SETS ((region), (product), ()) ORDER BY region, product;
SELECT region, product, sum(qty), grouping_id() FROM sales GROUP BY CUBE(region, product) ORDER BY region, product;
SELECT * FROM (SELECT region, product, row_number() OVER (PARTITION BY region ORDER BY qty DESC) AS rn FROM sales) WHERE rn = 1 ORDER BY region;
SELECT price * 1.1, price * qty, price + 0.005, price - qty, price / qty, round(price * 1.1, 1), CAST(price AS INT), price % 1 FROM sales ORDER BY product, region;
SELECT avg(qty), avg(price), sum(price), stddev(qty), percentile_approx(price, 0.5) FROM sales;
SELECT region, collect_list(product) FROM (SELECT * FROM sales ORDER BY product) GROUP BY region ORDER BY region;
SELECT count(DISTINCT region, product), approx_count_distinct(product) FROM sales;
SELECT sold, date_add(sold, 7), datediff(current_date(), sold) > 0, year(sold), month(sold), dayofmonth(sold), date_sub(sold, 1), add_months(sold, -1) FROM sales ORDER BY sold;
SELECT product, qty, nvl(qty, 0) * 2, coalesce(price, 0) FROM sales ORDER BY product, qty;
SELECT region, max(price) - min(price), max(qty) / min(qty), sum(qty) / count(*) FROM sales GROUP BY region ORDER BY region;
SELECT cast(sum(qty) AS DOUBLE) / count(*), sum(qty) * 1.0 / count(*), 100.0 * sum(qty) / 55 FROM sales;
SELECT product, price, ntile(3) OVER (ORDER BY price) FROM sales ORDER BY product, price;
DROP TABLE sales;
