-- id: bad/severity
-- severity: urgent
-- title: t
-- explain: e
-- action: a
SELECT 1
