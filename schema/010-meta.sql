-- 010-meta.sql: the bundle a database was loaded from, and its header.
-- One database holds one bundle.  load_info has exactly one row.

CREATE TABLE load_info (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  schema_version   INTEGER NOT NULL,   -- this schema's version (see docs/schema.md)
  memsnap_version  TEXT NOT NULL,      -- the analyzer that loaded it
  bundle_path      TEXT NOT NULL,      -- as given on the command line
  bundle_size      INTEGER NOT NULL,   -- bytes
  bundle_mtime     INTEGER NOT NULL,   -- seconds since the epoch
  bundle_hash      TEXT NOT NULL,      -- identity: see docs/schema.md
  format           INTEGER,            -- the bundle's format version
  complete_samples INTEGER NOT NULL,
  truncated        INTEGER NOT NULL,   -- 1: the bundle ends early (collector killed)
  corrupt          INTEGER NOT NULL,   -- 1: damaged data after a readable prefix
  damage           TEXT,               -- what went wrong, when truncated or corrupt
  clean_end        INTEGER NOT NULL,   -- 1: the trailer was read
  end_reason       TEXT,               -- from the trailer
  rows             INTEGER NOT NULL,   -- rows the load inserted
  load_errors      INTEGER NOT NULL,   -- records it could not parse (as it said;
                                       -- load_error keeps those of complete samples)
  -- a load cut to --from/--to: the window (UTC seconds), and the first and
  -- last sample of the whole bundle; all four NULL for the whole bundle
  window_from      REAL,
  window_to        REAL,
  recording_first  REAL,
  recording_last   REAL,
  loaded_at        TEXT NOT NULL       -- UTC, ISO 8601
);

-- memsnap.header, one row per "key value" line
CREATE TABLE header (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- host identity records (NNNNNN/host), as captured; sample = where written
CREATE TABLE host_file (
  sample  INTEGER NOT NULL,
  path    TEXT NOT NULL,
  status  TEXT NOT NULL,              -- ok, trunc, or an errno name
  content TEXT,
  PRIMARY KEY (sample, path)
) WITHOUT ROWID;

-- the host records as typed values (common/host_facts.c): one row per
-- complete sample that carried a host member (sample 1, and every sample
-- where something in it changed).  NULL: no record said it, or it was
-- malformed (then load_error says which).
CREATE TABLE host (
  sample          INTEGER PRIMARY KEY,
  hostname        TEXT,               -- memsnap:uname nodename
  kernel          TEXT,               -- memsnap:uname release (= /proc/sys/kernel/osrelease)
  machine         TEXT,               -- memsnap:uname machine (x86_64, aarch64 ...)
  boot_id         TEXT,               -- /proc/sys/kernel/random/boot_id
  page_size       INTEGER,            -- bytes (memsnap:system)
  clk_tck         INTEGER,            -- ticks a second of /proc's CPU times
  cpus_online     INTEGER,
  cpus_configured INTEGER,
  utc_offset_s    INTEGER,            -- the host's offset from UTC (memsnap:timezone)
  zone            TEXT                -- the time zone's abbreviation (CET, UTC ...)
);

-- always one row: the latest host row, with the page size and CLK_TCK the
-- latest host record gave, 4096 and 100 when none did (a bundle without a
-- host member); the other columns are NULL then
CREATE VIEW host_last AS
SELECT h.sample, h.hostname, h.kernel, h.machine, h.boot_id,
  coalesce((SELECT page_size FROM host WHERE page_size IS NOT NULL ORDER BY sample DESC LIMIT 1),
           4096) AS page_size,
  coalesce((SELECT clk_tck FROM host WHERE clk_tck IS NOT NULL ORDER BY sample DESC LIMIT 1),
           100) AS clk_tck,
  h.cpus_online, h.cpus_configured, h.utc_offset_s, h.zone
FROM (SELECT 1) LEFT JOIN (SELECT * FROM host ORDER BY sample DESC LIMIT 1) h;

-- what the kernel did not print and the loader derived from what it did
-- (docs/schema.md, "Derived values"): one row a derivation
CREATE TABLE derived (
  what    TEXT PRIMARY KEY,           -- 'MemAvailable' (meminfo), 'proc_rollup'
  samples INTEGER NOT NULL,           -- samples holding derived rows
  note    TEXT NOT NULL               -- one line, for the reports
) WITHOUT ROWID;

-- problems met while loading: a member, record or line that could not be
-- parsed (a bad line costs that line: message "FILE:LINE: reason").
-- Loading goes on; rules and reports can say what they did not see.
CREATE TABLE load_error (
  sample  INTEGER,                    -- NULL when not tied to a sample
  member  TEXT NOT NULL,
  path    TEXT,                       -- the record's path, when known
  message TEXT NOT NULL
);

-- the exact digits of an unsigned value above 2^63-1 that its column holds
-- as the nearest REAL because that REAL is not the value itself (2^64-1,
-- a counter that went below zero; docs/schema.md, "Numbers above 2^63"):
-- column COL of table TBL ('vmstat' 'value', 'mapping' 'inode' ...) in the
-- row read at LINE of the record PATH, the row's KEY when it has one
CREATE TABLE exact_value (
  sample INTEGER NOT NULL REFERENCES sample(id),
  path   TEXT NOT NULL,
  line   INTEGER NOT NULL,
  tbl    TEXT NOT NULL,
  col    TEXT NOT NULL,
  key    TEXT,
  value  TEXT NOT NULL                -- decimal digits, e.g. '18446744073709551615'
);
