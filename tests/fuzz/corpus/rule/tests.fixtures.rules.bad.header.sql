-- id: bad/header
-- severity: warning
-- title: bad header line
-- explain: A broken rule for the engine's tests.
-- action: None.
-- this line is not a key
SELECT 1
