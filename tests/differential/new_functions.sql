-- Functions added after the first differential scripts: uniform and randstr with seeds, base32,
-- jaro_winkler_similarity, hmac, AES, the partition functions, try_make_interval, the bare user
-- functions and map_zip_with, each answered as Spark answers it.
-- Run with `cd scripts && python -m conformance.differential ../tests/differential/new_functions.sql`
-- (docs/conformance.md); tests/clients/test_differential.py fails when one stops agreeing.

SELECT uniform(0, 1, 0) AS result;
SELECT uniform(10, 20, 0) AS result, uniform(0L, 10L, 0) AS r2, uniform(10.0F, 20.0F, 0) AS r3;
SELECT uniform(cast(10 as decimal(10, 3)), cast(20 as decimal(11, 4)), 0) AS result;
SELECT uniform(10, 20, 0) AS result FROM VALUES (0), (1), (2) tab(col);
SELECT uniform(NULL, 1, 0), uniform(cast(NULL AS float), 1, 0), uniform(0, 1, NULL);
SELECT uniform(10, 20, col) AS result FROM VALUES (0), (1), (2) tab(col);
SELECT uniform(0.5, 1.5, 0), uniform(10.0D, 20.0D, CAST(3 / 7 AS LONG));
SELECT randstr(10, 0) AS result FROM VALUES (0), (1), (2) tab(col);
SELECT randstr(1, -1), randstr(1.0D, 0), randstr(NULL, 0), randstr(0, NULL), randstr(10L, 0);
SELECT randstr(-1, 0);
SELECT randstr(10, 1.5);
SELECT uniform(10, 20) IS NOT NULL, length(randstr(7));
select to_base32('abc'), to_base32(X'00FF'), from_base32('MFRGG==='), typeof(from_base32('MFRGG===')), to_base32(''), to_base32(null);
select jaro_winkler_similarity('martha','marhta'), jaro_winkler_similarity('','') , jaro_winkler_similarity('abc',''), jaro_winkler_similarity(null, 'a');
select hex(hmac('Spark', 'key')), hex(hmac('Spark','key','SHA-512')), hex(hmac('Spark','key','md5')), hmac(null, 'k');
select hmac('a','b','foo');
select hex(aes_encrypt('Spark', '0000111122223333', 'ECB'));
select hex(aes_encrypt('Spark', '0000111122223333', 'GCM', 'DEFAULT', unhex('000000000000000000000000'), 'This is an AAD mixed into the input'));
select cast(aes_decrypt(aes_encrypt('Spark', 'abcdefghijklmnop12345678ABCDEFGH', 'CBC'), 'abcdefghijklmnop12345678ABCDEFGH', 'CBC') as string);
select cast(aes_decrypt(aes_encrypt('Spark SQL', 'abcdefghijklmnop'), 'abcdefghijklmnop') as string);
select try_aes_decrypt(X'00', '0000111122223333'), aes_encrypt(null, '0000111122223333');
select aes_encrypt('Spark', '000011112222');
select aes_decrypt(X'00', '0000111122223333');
select spark_partition_id(), input_file_block_length(), input_file_block_start();
select try_make_interval(1,2,3,4,5,6,7.5), try_make_interval(2147483647, 12);
select current_user = current_user();
select user = session_user;
select map_zip_with(map(1, 'a', 2, 'b'), map(2, 'x', 3, 'y'), (k, v1, v2) -> concat(coalesce(v1, '-'), coalesce(v2, '-')));
select map_zip_with(map(cast(1 as smallint), 1), map(1, 2.5D), (k, a, b) -> struct(k, a, b));
select map_zip_with(map('a', 1), map('b', 2), (k, a, b) -> coalesce(a, 0) + coalesce(b, 0));
select map_zip_with(cast(null as map<int,int>), map(1, 2), (k, a, b) -> a);
select size(collect_union(x)), array_sort(collect_union(x)) from values (array(3,1)), (array(1,2)), (null), (array(cast(null as int))) t(x);
select collect_union(x) from values (array(1)) t(x) where false;
select k, array_sort(collect_union(x)) from values (1, array('a','b')), (1, array('b')), (2, null) t(k, x) group by k order by k;
select collect_union(x) from values (1) t(x);
