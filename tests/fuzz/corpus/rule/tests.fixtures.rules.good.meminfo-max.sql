-- id: test/meminfo-max
-- severity: info
-- title: The largest MemTotal seen
-- explain: A rule for the engine's tests: one finding with the
--   largest MemTotal, and its evidence.
--
--   A second paragraph.
-- action: Nothing to do.
-- param: min_bytes = 1 B | MemTotal must be at least this
-- param: label = 'mem''total' | a text parameter with a quote
SELECT 'system' AS entity_kind, 'system' AS entity,
       min(s.t) AS t_start, max(s.t) AS t_end,
       max(m.value) / 1048576.0 AS value,
       printf('MemTotal %d MiB (%s)', max(m.value) / 1048576, :label) AS message,
       count(*) AS samples, max(m.value) AS bytes, NULL AS missing
FROM meminfo m JOIN sample s ON s.id = m.sample
WHERE m.key = 'MemTotal' AND m.value >= :min_bytes;
