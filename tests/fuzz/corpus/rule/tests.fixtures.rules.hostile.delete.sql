-- id: hostile/delete
-- severity: critical
-- title: deletes rows
-- explain: A hostile rule for the sandbox tests.
-- action: None.
DELETE FROM sample RETURNING 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message
