-- USING and NATURAL joins whose WHERE, GROUP BY and HAVING read the join columns unqualified,
-- over inner, left, semi, anti, right and full joins and chains of them (docs/conformance.md,
-- "Differential runs against Spark").

CREATE TEMPORARY VIEW orders AS SELECT * FROM VALUES (1, 'c1', 10.0D), (2, 'c2', 20.0D), (3, 'c9', 5.0D), (4, NULL, 7.5D) AS orders(oid, cid, amount);
CREATE TEMPORARY VIEW customers AS SELECT * FROM VALUES ('c1', 'Ann'), ('c2', 'Bob'), ('c3', 'Cid') AS customers(cid, name);
CREATE TEMPORARY VIEW regions AS SELECT * FROM VALUES ('c1', 'north'), ('c3', 'south') AS regions(cid, region);

SELECT * FROM orders JOIN customers USING (cid) WHERE cid = 'c1';
SELECT oid, cid, name FROM orders LEFT JOIN customers USING (cid) WHERE cid IS NULL OR cid > 'c1' ORDER BY oid;
SELECT oid FROM orders LEFT SEMI JOIN customers USING (cid) WHERE cid <> 'c2' ORDER BY oid;
SELECT oid FROM orders LEFT ANTI JOIN customers USING (cid) WHERE cid IS NOT NULL ORDER BY oid;
SELECT cid, name FROM orders RIGHT JOIN customers USING (cid) WHERE cid >= 'c2' ORDER BY cid;
SELECT cid, oid, name FROM orders FULL JOIN customers USING (cid) WHERE cid LIKE 'c%' ORDER BY cid;
SELECT cid, name, region FROM customers JOIN regions USING (cid) JOIN orders USING (cid) WHERE cid = 'c1';
SELECT cid, count(*), sum(amount) FROM orders JOIN customers USING (cid) WHERE amount > 1 GROUP BY cid HAVING cid < 'c9' ORDER BY cid;
SELECT * FROM orders NATURAL JOIN customers WHERE name = 'Bob';
