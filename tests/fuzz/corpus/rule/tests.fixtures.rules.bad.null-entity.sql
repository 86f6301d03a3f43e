-- id: bad/null-entity
-- severity: warning
-- title: NULL entity
-- explain: A broken rule for the engine's tests.
-- action: None.
SELECT 'system' AS entity_kind, NULL AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message
