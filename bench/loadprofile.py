#!/usr/bin/env python3
"""loadprofile.py - where `memsnap load` spends its time, from a perf profile.

    perf script -i perf.data -F ip,sym,dso | bench/loadprofile.py [LOAD_SECONDS]

Reads the call chains of `perf record --call-graph dwarf` (as
bench/load-throughput records them) and puts every sample in one bucket,
looking at its whole stack:

  read      decompressing and untarring (bundle_read's zstd and libarchive,
            not inside the member callback)
  sqlite    inside libsqlite3 (step, bind, reset), split by
            the loader function that asked for it
  parse     the rest of the member callback (on_member), split by the parser
            or loader function nearest to the leaf
  other     start-up, schema creation, the final deletes, kernel-only stacks

Prints percentages of all samples and, given LOAD_SECONDS (the load's
wall time), the seconds they stand for.
"""
import collections
import sys

# loader functions that issue statements, nearest first (the first one met
# walking from the leaf up names the sqlite sub-bucket)
SQL_CALLERS = [
    ('load_proc_flush', 'proc_sample INSERT (load_proc_flush)'),
    ('load_proc_finish', 'process UPDATE, once per process (load_proc_finish)'),
    ('process_index', 'process INSERT (process_index)'),
    ('load_rollup', 'proc_rollup INSERT (load_rollup)'),
    ('load_proc_cgroup', 'proc_cgroup (load_proc_cgroup)'),
    ('load_cgroup_kv', 'cgroup_value INSERT (load_cgroup_kv)'),
    ('load_cgroup', 'cgroup_value INSERT (load_cgroup)'),
    ('kv_insert', 'meminfo/vmstat/numastat... INSERT (kv_insert)'),
    ('on_meta', 'sample INSERT (on_meta)'),
    ('load_system_record', 'other system rows (load_system_record)'),
    ('load_proc_record', 'other process rows (load_proc_record)'),
    ('finish', 'final DELETE/UPDATE (finish)'),
    ('loader_load', 'schema, COMMIT, close (loader_load)'),
]
# parsers and loader steps, nearest to the leaf first
PARSE_FUNCS = [
    ('status_parse', 'status: status_parse'),
    ('parse_stat', 'stat: parse_stat'),
    ('parse_statm', 'statm: parse_statm'),
    ('smaps_rollup_parse', 'smaps_rollup: smaps_rollup_parse'),
    ('smaps_parse', 'smaps: smaps_parse'),
    ('proc_cgroup_parse', 'cgroup: proc_cgroup_parse'),
    ('load_proc_cgroup', 'cgroup: load_proc_cgroup (hash, compare)'),
    ('cgroup_value_parse', 'cgroup files: cgroup_value_parse'),
    ('load_cgroup_kv', 'cgroup memory.stat: kv (load_cgroup_kv)'),
    ('load_cgroup', 'cgroup files: load_cgroup'),
    ('zoneinfo_parse', 'zoneinfo_parse'),
    ('buddyinfo_parse', 'buddyinfo_parse'),
    ('pressure_parse', 'pressure_parse'),
    ('load_kv', 'meminfo/vmstat/numastat: kv (load_kv)'),
    ('load_system_record', 'system records: other (load_system_record)'),
    ('record_path', 'record framing: record_path (unescape)'),
    ('record_next', 'record framing: record_next'),
    ('record_status_is', 'record framing: record_status_is'),
    ('load_proc_flush', 'proc_sample row assembly (load_proc_flush, not SQLite)'),
    ('row_reset', 'proc_sample row assembly (row_reset)'),
    ('load_status', 'status: load_status (not the parser)'),
    ('load_proc_record', 'process records: dispatch (load_proc_record)'),
    ('on_meta', 'meta (on_meta)'),
    ('on_host', 'host (on_host)'),
    ('on_records', 'member dispatch (on_records/on_member)'),
    ('on_member', 'member dispatch (on_records/on_member)'),
]


def samples(f):
    stack = []
    for line in f:
        line = line.rstrip('\n')
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        rest = parts[1]
        dso = ''
        if rest.endswith(')') and ' (' in rest:
            rest, dso = rest.rsplit(' (', 1)
            dso = dso[:-1]
        sym = rest.split('+')[0].strip()
        stack.append((sym, dso))
    if stack:
        yield stack


def classify(stack):
    syms = [s for s, _ in stack]
    symset = set(syms)
    in_cb = 'on_member' in symset
    if not in_cb and ('bundle_read' in symset) and any(
            s in symset for s in ('read_cb', 'archive_read_data', 'archive_read_next_header',
                                  'ZSTD_decompressStream', 'read_member')):
        return 'read', 'zstd + libarchive (bundle_read)'
    if not in_cb and 'bundle_read' in symset:
        return 'read', 'bundle_read: other'
    sqlite_at = next((i for i, (s, d) in enumerate(stack) if 'libsqlite3' in d), None)
    if sqlite_at is not None:
        for fn, label in SQL_CALLERS:
            if fn in symset:
                return 'sqlite', label
        return 'sqlite', 'other'
    if in_cb:
        for s in syms:  # nearest to the leaf first
            for fn, label in PARSE_FUNCS:
                if s == fn:
                    return 'parse', label
        return 'parse', 'other'
    return 'other', syms[-1] if syms else '?'


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else None
    top = collections.Counter()
    sub = collections.Counter()
    n = 0
    for st in samples(sys.stdin):
        b, s = classify(st)
        top[b] += 1
        sub[(b, s)] += 1
        n += 1
    if not n:
        print('no samples')
        return
    def fmt(c):
        p = 100.0 * c / n
        return f'{p:5.1f} %' + (f'  {p * secs / 100:6.1f} s' if secs else '')
    print(f'{n} samples' + (f'; seconds = share x {secs:.2f} s (the median load)' if secs else ''))
    for b in ('read', 'parse', 'sqlite', 'other'):
        print(f'{b:8s} {fmt(top[b])}')
        for (bb, s), c in sorted(sub.items(), key=lambda kv: -kv[1]):
            if bb == b and 100.0 * c / n >= 0.3:
                print(f'    {fmt(c)}  {s}')


if __name__ == '__main__':
    main()
