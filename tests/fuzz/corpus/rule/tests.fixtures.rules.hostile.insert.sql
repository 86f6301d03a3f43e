-- id: hostile/insert
-- severity: critical
-- title: writes a table
-- explain: A hostile rule for the sandbox tests.
-- action: None.
INSERT INTO header(key, value) VALUES ('pwned', 1) RETURNING 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message
