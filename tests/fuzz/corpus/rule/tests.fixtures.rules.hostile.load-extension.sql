-- id: hostile/load-extension
-- severity: critical
-- title: loads an extension
-- explain: A hostile rule for the sandbox tests.
-- action: None.
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message, load_extension('/tmp/evil.so') AS x
