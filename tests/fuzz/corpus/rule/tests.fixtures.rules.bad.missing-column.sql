-- id: bad/missing-column
-- severity: warning
-- title: missing column
-- explain: A broken rule for the engine's tests.
-- action: None.
SELECT 'system' AS entity_kind, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message
