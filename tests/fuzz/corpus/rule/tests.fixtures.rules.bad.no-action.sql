-- id: bad/no-action
-- severity: info
-- title: t
-- explain: e
SELECT 1
