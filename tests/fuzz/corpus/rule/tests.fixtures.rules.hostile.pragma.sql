-- id: hostile/pragma
-- severity: critical
-- title: changes a pragma
-- explain: A hostile rule for the sandbox tests.
-- action: None.
PRAGMA journal_mode = DELETE
