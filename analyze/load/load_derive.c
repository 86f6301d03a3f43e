/*
 * load_derive.c - what an old kernel did not print, derived at the end of
 * a load from what it did, and said so in the table `derived` (the reports
 * list it with what was not seen; docs/schema.md, "Derived values"):
 *
 * - MemAvailable (3.14 and later): where a sample's meminfo has none, it
 *   is estimated as the kernel's si_mem_available() computes it (mm/
 *   show_mem.c; mm/page_alloc.c before 6.2), in pages:
 *       free - totalreserve + pagecache - min(pagecache / 2, wmark_low)
 *            + reclaimable - min(reclaimable / 2, wmark_low), at least 0
 *   free = MemFree; pagecache = Active(file) + Inactive(file); reclaimable
 *   = KReclaimable (4.20+: SReclaimable and the kernel's other reclaimable
 *   memory) or SReclaimable; wmark_low = the zones' "low" watermarks;
 *   totalreserve = each zone's "high" watermark plus its largest
 *   "protection" (lowmem_reserve), at most its "managed" pages
 *   (calculate_totalreserve_pages()).  The watermarks come from the
 *   zoneinfo of the sample, or the last one before it (tier 1 reads
 *   zoneinfo less often than meminfo; watermarks change only with
 *   min_free_kbytes, watermark_scale_factor or memory hotplug), or the
 *   first one after.  No usable zoneinfo (none, or without the watermarks): no estimate, said so.
 * - proc_rollup from smaps (smaps_rollup is 4.14+): the collector reads a
 *   process's smaps on tier 1 instead, and load_smaps_sum() adds up its
 *   mappings; only the count is kept here (load_state.rollup_sums).
 */
#include <errno.h>
#include <stdio.h>

#include "load_derive.h"

static const char mem_available_sql[] =
	"INSERT INTO meminfo(sample, key, value)\n"
	"WITH todo AS MATERIALIZED (\n"
	"  SELECT s.sample,\n"
	"    coalesce((SELECT max(z.sample) FROM zoneinfo z WHERE z.sample <= s.sample),\n"
	"             (SELECT min(z.sample) FROM zoneinfo z)) AS zs\n"
	"  FROM (SELECT DISTINCT sample FROM meminfo) s\n"
	"  WHERE NOT EXISTS (SELECT 1 FROM meminfo a WHERE a.sample = s.sample AND a.key = 'MemAvailable')),\n"
	"zone AS (\n"
	"  SELECT sample, node, zone,\n"
	"    max(CASE WHEN key = 'low' THEN value END) AS low,\n"
	"    max(CASE WHEN key = 'high' THEN value END) AS high,\n"
	"    coalesce(max(CASE WHEN key = 'protection' THEN value END), 0) AS prot,\n"
	"    coalesce(max(CASE WHEN key = 'managed' THEN value END),\n"
	"             max(CASE WHEN key = 'present' THEN value END)) AS managed\n"
	"  FROM zoneinfo WHERE sample IN (SELECT zs FROM todo)\n"
	"    AND key IN ('low', 'high', 'protection', 'managed', 'present')\n"
	"  GROUP BY sample, node, zone),\n"
	"reserve AS (\n"
	"  SELECT sample, sum(low) AS wmark_low, sum(min(managed, high + prot)) AS total\n"
	"  FROM zone GROUP BY sample HAVING count(low) = count(*) AND count(high) = count(*)\n"
	"    AND count(managed) = count(*)),\n"
	"mem AS (\n"
	"  SELECT sample,\n"
	"    max(CASE WHEN key = 'MemFree' THEN value END) / :ps AS free,\n"
	"    (max(CASE WHEN key = 'Active(file)' THEN value END)\n"
	"     + max(CASE WHEN key = 'Inactive(file)' THEN value END)) / :ps AS pagecache,\n"
	"    coalesce(max(CASE WHEN key = 'KReclaimable' THEN value END),\n"
	"             max(CASE WHEN key = 'SReclaimable' THEN value END)) / :ps AS reclaimable\n"
	"  FROM meminfo WHERE sample IN (SELECT sample FROM todo) GROUP BY sample)\n"
	"SELECT m.sample, 'MemAvailable',\n"
	"  max(0, m.free - r.total + m.pagecache - min(m.pagecache / 2, r.wmark_low)\n"
	"         + m.reclaimable - min(m.reclaimable / 2, r.wmark_low)) * :ps\n"
	"FROM todo t JOIN mem m ON m.sample = t.sample JOIN reserve r ON r.sample = t.zs\n"
	"WHERE m.free IS NOT NULL AND m.pagecache IS NOT NULL AND m.reclaimable IS NOT NULL";

static int note(struct load_state *ls, const char *what, long long samples, const char *text,
		struct ms_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(ls->db, "INSERT INTO derived(what, samples, note) VALUES (?, ?, ?)", -1,
			       &s, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "derived: %s", sqlite3_errmsg(ls->db));
	sqlite3_bind_text(s, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, samples);
	sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "derived: %s", sqlite3_errmsg(ls->db));
	return 0;
}

int load_derive(struct load_state *ls, struct ms_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(ls->db, mem_available_sql, -1, &s, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "MemAvailable estimate: %s", sqlite3_errmsg(ls->db));
	sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":ps"), ls->page_size > 0 ? ls->page_size : 4096);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "MemAvailable estimate: %s", sqlite3_errmsg(ls->db));
	long long n = sqlite3_changes(ls->db);
	ls->rows += (uint64_t)n;
	if (n > 0 && note(ls, "MemAvailable", n,
			  "MemAvailable (the kernel prints none before 3.14): estimated as the kernel "
			  "computes it, from meminfo and zoneinfo's watermarks", err) < 0)
		return -1;
	/* what is still missing: no zoneinfo to estimate from */
	if (sqlite3_prepare_v2(ls->db, "SELECT count(DISTINCT sample) FROM meminfo m WHERE NOT EXISTS "
			       "(SELECT 1 FROM meminfo a WHERE a.sample = m.sample AND a.key = 'MemAvailable')",
			       -1, &s, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "MemAvailable estimate: %s", sqlite3_errmsg(ls->db));
	long long missing = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (missing > 0 && note(ls, "MemAvailable not estimated", missing,
				"MemAvailable (the kernel prints none before 3.14): not estimated, "
				"no usable zoneinfo in the bundle", err) < 0)
		return -1;
	if (ls->rollup_sums && note(ls, "proc_rollup", ls->rollup_sum_samples,
				    "smaps_rollup (the kernel has none before 4.14): each process's "
				    "smaps summed instead", err) < 0)
		return -1;
	return 0;
}
