-- id: hostile/attach
-- severity: critical
-- title: attaches a file
-- explain: A hostile rule for the sandbox tests.
-- action: None.
ATTACH DATABASE 'pwned.db' AS p
