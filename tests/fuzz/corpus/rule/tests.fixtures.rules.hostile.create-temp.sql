-- id: hostile/create-temp
-- severity: critical
-- title: creates a temporary table
-- explain: A hostile rule for the sandbox tests.
-- action: None.
CREATE TEMP TABLE t AS SELECT 1
