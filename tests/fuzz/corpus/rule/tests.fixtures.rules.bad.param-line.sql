-- id: bad/param-line
-- severity: info
-- title: t
-- explain: e
-- action: a
-- param: x = 5 MiB
SELECT :x
