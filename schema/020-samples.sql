-- 020-samples.sql: one row per complete sample (its meta member), and the
-- reads that failed in it.  sample.id is the bundle's sample number.

CREATE TABLE sample (
  id            INTEGER PRIMARY KEY,  -- 1, 2, ...
  t             REAL NOT NULL,        -- wall clock at the start, UTC seconds since the epoch
  -- t as ISO 8601 UTC text to the millisecond, '2026-12-01T06:46:53.670Z':
  -- computed when read, never stored; every time-series view carries it
  t_utc         TEXT GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%fZ', t, 'unixepoch')) VIRTUAL,
  mono          REAL NOT NULL,        -- CLOCK_MONOTONIC at the start (seconds)
  boot          REAL,                 -- CLOCK_BOOTTIME at the start (seconds)
  t_end         REAL,
  tiers         TEXT NOT NULL,        -- e.g. '0 1 2'
  has_rollup    INTEGER NOT NULL,     -- tier 1 ran (smaps_rollup)
  has_smaps     INTEGER NOT NULL,     -- tier 2 ran (smaps, numa_maps)
  cpu_us        INTEGER,              -- the collector's CPU for this sample
  wall_us       INTEGER,
  late_us       INTEGER,
  missed_ticks  INTEGER,
  processes     INTEGER,
  cgroups       INTEGER,
  read_bytes    INTEGER,
  bundle_offset INTEGER,              -- compressed bytes before this sample
  gaps          INTEGER
);

-- per sample, reads that did not return the file: status is an errno name
-- (ENOENT, ESRCH, EACCES ...), 'trunc' or 'skip:REASON'
CREATE TABLE read_gap (
  sample INTEGER NOT NULL REFERENCES sample(id),
  path   TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX read_gap_sample ON read_gap(sample);

-- deferred tiers (CPU budget), from the meta
CREATE TABLE sample_deferred (
  sample INTEGER NOT NULL REFERENCES sample(id),
  tier   INTEGER NOT NULL
);
