-- Quantified LIKE: `LIKE|ILIKE ANY|SOME|ALL (...)` and their NOT forms, with NULL patterns,
-- column patterns and Spark's column names (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW vendors AS SELECT * FROM VALUES
  ('Acme Corp', 'a%'), ('Globex', '%ex'), ('Initech', NULL), (NULL, '%'), ('acme labs', 'ACME%')
  AS vendors(name, pat);

SELECT name FROM vendors WHERE name LIKE ANY ('Acme%', '%ex') ORDER BY name;
SELECT name FROM vendors WHERE name ILIKE ANY ('acme%', 'INIT%') ORDER BY name;
SELECT name FROM vendors WHERE name NOT LIKE ALL ('Acme%', '%ex') ORDER BY name;
SELECT name FROM vendors WHERE name LIKE SOME ('%o%', pat) ORDER BY name;
SELECT name, name LIKE ANY ('%e%', NULL), name LIKE ALL ('%e%', NULL), name NOT LIKE ANY ('%e%', NULL) FROM vendors ORDER BY name;
SELECT name LIKE ANY ('A%', '%x'), name ILIKE ALL ('a%', '%S'), name NOT ILIKE ANY ('a%') FROM vendors ORDER BY 1, 2, 3;
SELECT count(*) FILTER (WHERE name LIKE ALL ('%c%', '%e%')), count(CASE WHEN NOT name LIKE ANY ('G%', 'I%') THEN 1 END) FROM vendors;
SELECT name ILIKE ANY (pat, 'x') AS m FROM vendors ORDER BY name;
