-- id: bad/two-statements
-- severity: warning
-- title: two statements
-- explain: A broken rule for the engine's tests.
-- action: None.
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message;
SELECT 2;
