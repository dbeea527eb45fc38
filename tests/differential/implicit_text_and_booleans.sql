-- Numbers, dates and booleans given to string functions and LIKE are read as text; a BOOLEAN
-- compared with text reads the text as a BOOLEAN; FLOAT arithmetic with DECIMALs (and under ANSI
-- rules with whole numbers) is DOUBLE (docs/hiveql.md, "Types of values put together").

CREATE TEMPORARY VIEW orders AS SELECT * FROM VALUES
  (10, DATE '2020-01-05', TIMESTAMP '2020-01-05 10:30:00', 12.5D, true, 2.5F, 3.75BD),
  (21, DATE '2021-11-30', TIMESTAMP '2021-11-30 23:59:59', -0.25D, false, NULL, 1.00BD),
  (NULL, NULL, NULL, NULL, NULL, 0.5F, NULL)
  AS orders(id, day, ts, amount, paid, f, m);

SELECT id, substr(day, 1, 7), substring(ts, 12), substr(id, 2), length(id), length(amount), upper(paid) FROM orders ORDER BY id;
SELECT id, trim(id), lpad(id, 5, '0'), repeat(id, 2), reverse(id), instr(day, '-'), locate('1', id) FROM orders ORDER BY id;
SELECT id, replace(day, '-', '/'), split_part(day, '-', 1), substring_index(ts, ' ', 1), translate(id, '1', 'x'), initcap(paid) FROM orders ORDER BY id;
SELECT id, ascii(id), left(day, 4), right(day, 2), octet_length(id), char_length(day), lower(paid), concat_ws('|', id, day, paid) FROM orders ORDER BY id;
SELECT id FROM orders WHERE id LIKE '1%' OR day LIKE '2021-%' ORDER BY id;
SELECT id, id RLIKE '^2', day ILIKE '2020%', paid LIKE 't%', amount LIKE '-%' FROM orders ORDER BY id;
SELECT id FROM orders WHERE paid = 'true' ORDER BY id;
SELECT id, paid = 'false', 'true' = paid, paid <=> 'true' FROM orders ORDER BY id;
SELECT id, f + 1, f * id, f + m, m - f, f / m, pmod(f, m), typeof(f + 1), typeof(f + m) FROM orders ORDER BY id;
SELECT paid = 'maybe' FROM orders WHERE id = 10;
