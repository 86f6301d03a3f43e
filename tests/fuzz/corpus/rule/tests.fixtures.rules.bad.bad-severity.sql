-- id: bad/bad-severity
-- severity: warning
-- title: bad severity column
-- explain: A broken rule for the engine's tests.
-- action: None.
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message, 'urgent' AS severity
