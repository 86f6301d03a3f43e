-- id: test/graded
-- severity: info
-- title: One finding per sample, graded by the query
-- explain: A rule for the engine's tests.
-- action: Nothing.
-- param: critical_from = 3 | samples from this id on are critical
SELECT 'sample' AS entity_kind, CAST(id AS TEXT) AS entity, t AS t_start, t AS t_end,
       id AS value, 'sample ' || id AS message,
       CASE WHEN id >= :critical_from THEN 'critical' WHEN id = 2 THEN 'warning' END AS severity
FROM sample ORDER BY id
