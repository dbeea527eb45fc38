-- reflect, java_method and try_reflect over the Java methods hivewire carries, and the errors
-- Spark gives for classes, methods and argument types it cannot call, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/reflection.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT try_reflect("java.util.UUID", "fromString", "a5cf6c42-0c85-418f-af6c-3e4e5b1328f2");
SELECT try_reflect("java.lang.String", "valueOf", 1);
SELECT try_reflect("java.lang.Math", "max", 2, 3), reflect("java.lang.Math", "min", 2, 3);
SELECT try_reflect("java.lang.Integer", "valueOf", "10", 16);
SELECT try_reflect("java.util.UUID", "fromString", "b");
SELECT try_reflect("java.net.URLDecoder", "decode", "%");
SELECT try_reflect("java.wrongclass.Math", "max", 2, 3);
SELECT try_reflect("java.lang.Math", "wrongmethod", 2, 3);
SELECT try_reflect("java.lang.Math");
SELECT try_reflect("java.lang.Math", "round", 2.5);
SELECT reflect("java.lang.Math", "round", 2.5D), java_method("java.lang.Math", "sqrt", 2D), reflect('java.lang.Math', 'pow', 2D, 10D);
SELECT reflect('java.net.URLDecoder', 'decode', 'a%20b+c%C3%A9', 'UTF-8'), reflect('java.net.URLEncoder', 'encode', 'a b/c?d=é', 'UTF-8');
SELECT reflect('java.lang.Integer', 'toHexString', 255), reflect('java.lang.Long', 'parseLong', '-ff', 16), reflect('java.lang.Integer', 'parseInt', 'x');
SELECT reflect('java.lang.Double', 'parseDouble', '1e3'), reflect('java.lang.Boolean', 'parseBoolean', 'TRUE'), reflect('java.lang.Math', 'abs', -7L);
SELECT length(reflect('java.util.UUID', 'randomUUID')), reflect('java.lang.Math', 'floorMod', -7, 3), reflect('java.lang.String', 'valueOf', 1.5D);
SELECT reflect('java.lang.Math', 'max', 2L, 3);
SELECT reflect('java.util.UUID', 'fromString', 'b');
SELECT reflect(k, 'max', 2, 3) FROM VALUES ('java.lang.Math') t(k);
SELECT reflect('java.lang.Math', 'max', x, 3) FROM VALUES (1), (5), (CAST(NULL AS INT)) t(x);
