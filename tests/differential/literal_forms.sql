-- Literal forms Spark reads its own way: backslash escapes (unicode, octal, escaped LIKE
-- wildcards), adjacent text literals, whole numbers past BIGINT, text compared with decimals
-- and `!` as NOT (docs/conformance.md, "Differential runs against Spark").

SELECT '\u0048\u0069', '\110\151\041', hex('\uD83D\uDE00'), 'tab\there', 'it\'s', "dq\"x", '\a\f', '\400';
SELECT 'con' 'cat' "enated", length('a' 'b');
SELECT 'a%b' LIKE 'a\%b', 'axb' LIKE 'a\%b', 'a_b' LIKE 'a\_b', 'axb' LIKE 'a\_b', '\%', length('\_');
SELECT 9223372036854775808, -9223372036854775808, -9223372036854775809, 99999999999999999999999999999999999999;
SELECT typeof(9223372036854775808), typeof(-9223372036854775808), typeof(18446744073709551616);
SELECT 9223372036854775807 + 1;
SELECT 12345678901234567890123456789012345678901;
SELECT 1.5 = '1.51', '1.5' > 0.5, 0.5 <= '1.5', 2.25 <> '2.250';
SELECT x FROM VALUES (1.25), (2.50), (10.00) AS t(x) WHERE x > '2' ORDER BY x;
SELECT ! true, ! (1 > 2), NOT ! false, CASE WHEN ! (1 = 2) THEN 'y' END;
SELECT 1 ! IN (3, 4);
SET spark.sql.legacy.bangEqualsNot=true;
SELECT 1 ! IN (3, 4), 1 ! BETWEEN 0 AND 2, 'hello' ! LIKE 'w%', NULL IS ! NULL, false IS ! true;
SET spark.sql.legacy.bangEqualsNot=false;
