-- 050-recording.sql: a recording of several bundles (a recorder's ring, or
-- bundles given together) loaded as one, and the recorder's triggers.
-- A database of one bundle has one part.

CREATE TABLE recording_part (
  part          INTEGER PRIMARY KEY,  -- 1, 2 ... in time order
  path          TEXT NOT NULL,        -- the bundle, as found
  bundle_kind   TEXT,                 -- segment, incident (header bundle_kind), NULL for collect's
  first_sample  INTEGER,              -- its first and last sample in this database
  last_sample   INTEGER,
  samples       INTEGER NOT NULL,     -- complete samples loaded from it
  overlap       INTEGER NOT NULL,     -- its samples left out: their time was covered by an earlier part
  gap_before    REAL,                 -- seconds from the previous part's last sample to its first,
                                      -- when more than 1.5 intervals + 1 s (NULL: no gap)
  t_first       REAL,
  t_last        REAL,
  truncated     INTEGER NOT NULL,     -- it ends early (a crash, a full disk, or still being written)
  corrupt       INTEGER NOT NULL,
  damage        TEXT,
  end_reason    TEXT                  -- from its trailer
);

-- every trigger line (NNNNNN/trigger members), in the order they fired
CREATE TABLE trigger_event (
  sample  INTEGER NOT NULL REFERENCES sample(id),  -- the sample written with it
  t       REAL NOT NULL,              -- when the condition was seen, UTC seconds
  kind    TEXT NOT NULL,              -- oom-kill, psi, low-memory, cgroup-limit, swap-storm, manual
  cgroup  TEXT,                       -- the cgroup concerned, as captured (NULL: none)
  detail  TEXT NOT NULL               -- the line's KEY=VALUE fields, as written
);
CREATE INDEX trigger_event_t ON trigger_event(t);
