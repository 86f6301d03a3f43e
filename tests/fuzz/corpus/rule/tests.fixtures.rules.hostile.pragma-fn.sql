-- id: hostile/pragma-fn
-- severity: critical
-- title: reads a pragma through its table function
-- explain: A hostile rule for the sandbox tests.
-- action: None.
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 1 AS value, 'x' AS message FROM pragma_table_info('sample')
