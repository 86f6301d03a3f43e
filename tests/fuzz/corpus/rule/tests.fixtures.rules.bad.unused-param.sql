-- id: bad/unused-param
-- severity: warning
-- title: unused parameter
-- explain: A broken rule for the engine's tests.
-- action: None.
-- param: limit_mib = 5 MiB | never used
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message
