-- Parquet timestamps are instants: written under one spark.sql.session.timeZone and read under
-- another, they show the other zone's wall-clock time, in scans, filters, functions and CTAS
-- (docs/hiveql.md, "Time zones").

SET spark.sql.session.timeZone=America/Los_Angeles;
CREATE TABLE tz_events (id INT, ts TIMESTAMP) USING parquet;
INSERT INTO tz_events VALUES (1, TIMESTAMP '2024-01-15 09:30:00'), (2, TIMESTAMP '2024-07-04 23:15:00.5'), (3, NULL);
SELECT id, ts, hour(ts), date_format(ts, 'yyyy-MM-dd HH:mm') FROM tz_events ORDER BY id;
SET spark.sql.session.timeZone=UTC;
SELECT id, ts, hour(ts) FROM tz_events ORDER BY id;
SELECT id FROM tz_events WHERE ts > TIMESTAMP '2024-01-15 17:00:00' ORDER BY id;
SET spark.sql.session.timeZone=Asia/Kolkata;
SELECT id, ts, unix_timestamp(ts) FROM tz_events ORDER BY id;
SELECT id FROM tz_events WHERE ts = TIMESTAMP '2024-01-15 23:00:00' ORDER BY id;
CREATE TABLE tz_copy USING parquet AS SELECT * FROM tz_events;
SET spark.sql.session.timeZone=UTC;
SELECT id, ts FROM tz_copy ORDER BY id;
DROP TABLE tz_events;
DROP TABLE tz_copy;
