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

-- what the kernel did not print and the loader derived from what it did
-- (docs/schema.md, "Derived values"): one row a derivation
CREATE TABLE derived (
  what    TEXT PRIMARY KEY,           -- 'MemAvailable' (meminfo), 'proc_rollup'
  samples INTEGER NOT NULL,           -- samples holding derived rows
  note    TEXT NOT NULL               -- one line, for the reports
) WITHOUT ROWID;

-- problems met while loading: a member or record that could not be parsed.
-- Loading goes on; rules and reports can say what they did not see.
CREATE TABLE load_error (
  sample  INTEGER,                    -- NULL when not tied to a sample
  member  TEXT NOT NULL,
  path    TEXT,                       -- the record's path, when known
  message TEXT NOT NULL
);
