-- id: hostile/forever
-- severity: critical
-- title: never ends
-- explain: A hostile rule for the sandbox tests.
-- action: None.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message FROM n WHERE i < 0
