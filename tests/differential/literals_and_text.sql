-- Typed negative literals, unary plus of text, split of empty text, string functions over numbers,
-- booleans and bytes, and whole numbers cast to BINARY, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/literals_and_text.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT -128Y, -32768S, -9223372036854775808L, -5Y + 1Y, -(5Y);
SELECT POSITIVE('25.5'), positive(NULL), positive(3), positive(-2.5);
SELECT split('', ''), split('', ','), split('a', ''), split('abc', '', 2);
SELECT contains(12, '1'), contains(true, 'ru'), contains(true, false), startswith(123, '1'), endswith(DATE'2020-01-01', '01');
SELECT lpad(5, 3, '0'), rpad(1.5, 5, 'x'), lpad(x'57', 5, 'abc'), rpad(x'57', 5, 'abc'), hex(lpad(x'57', 3)), hex(rpad(x'57', 4, x'01'));
SELECT HEX(CAST(123S AS BINARY)), HEX(CAST(-123 AS BINARY)), HEX(CAST(-123L AS BINARY)), HEX(CAST(CAST(123 AS TINYINT) AS BINARY));
SELECT hex(CAST('abc' AS BINARY)), CAST(CAST('abc' AS BINARY) AS STRING);
SELECT contains(x'12', 12), contains(x'1234', x'12'), startswith(x'1234', x'12');
