-- A star among a function's arguments (`hash(*)`, `concat_ws('|', *)`, `to_json(struct(*))`,
-- `coalesce(t.*)`), spread into the FROM clause's columns and named after them, in select items
-- and WHERE (docs/conformance.md, "Differential runs against Spark").

CREATE TEMPORARY VIEW people AS SELECT * FROM VALUES (1, 'ann', 34), (2, 'bob', NULL), (3, NULL, 51) AS people(id, name, age);
CREATE TEMPORARY VIEW pets AS SELECT * FROM VALUES (1, 'cat'), (3, 'dog') AS pets(owner, kind);

SELECT id, hash(*), concat_ws('|', *), to_json(struct(*)) FROM people ORDER BY id;
SELECT md5(concat_ws('|', *)) AS row_hash FROM people ORDER BY row_hash;
SELECT struct(*) AS s FROM people ORDER BY id;
SELECT coalesce(n.*) FROM (SELECT age, id FROM people) n ORDER BY 1;
SELECT to_json(struct(p.*)), concat_ws('-', k.*), greatest(p.id, k.owner) FROM people p JOIN pets k ON p.id = k.owner ORDER BY p.id;
SELECT id FROM people WHERE coalesce(*) IS NOT NULL AND concat_ws(',', *) LIKE '%a%' ORDER BY id;
SELECT count(*), count(DISTINCT concat_ws(',', *)) FROM people;
SELECT struct(s.*) AS t FROM (SELECT named_struct('p', 1, 'q', 'x') AS s);
