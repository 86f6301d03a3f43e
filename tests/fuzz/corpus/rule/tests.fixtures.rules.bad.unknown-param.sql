-- id: bad/unknown-param
-- severity: warning
-- title: unknown parameter
-- explain: A broken rule for the engine's tests.
-- action: None.
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end,
       :nope AS value, 'x' AS message
