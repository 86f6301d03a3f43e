-- id: hostile/memory
-- severity: critical
-- title: asks for unbounded memory
-- explain: A hostile rule for the sandbox tests.
-- action: None.
WITH RECURSIVE n(i, s) AS (SELECT 1, 'x' UNION ALL SELECT i + 1, s || s FROM n WHERE i < 40)
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message, length(s) AS len FROM n ORDER BY s DESC LIMIT 1
