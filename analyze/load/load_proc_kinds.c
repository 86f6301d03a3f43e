/*
 * load_proc_kinds.c - the LOAD functions of the per-process kinds with a
 * parser of their own in analyze/parse/: status (into the proc_sample
 * row), smaps_rollup, smaps, numa_maps and the cgroup membership, each
 * into its table.  Each line that does not parse becomes a load_error row
 * (load_sink), and so does a record that does not parse as a whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "load_state.h"
#include "numa_maps.h"
#include "proc_cgroup.h"
#include "smaps.h"
#include "smaps_rollup.h"
#include "status.h"

int load_status(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct proc_row *row = load_proc_row(ls, rec);
	if (!row)
		return 0; /* its row was inserted already */
	struct proc_status st;
	struct ms_err perr = MS_ERR_INIT;
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	if (status_parse(rec->r->data, rec->r->len, &st, &c.rep, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
#define SET(f, v) row->sv.f = (v) < 0 ? INT64_MIN : (v)
	SET(vm_size, st.vm_size);
	SET(vm_rss, st.vm_rss);
	SET(rss_anon, st.rss_anon);
	SET(rss_file, st.rss_file);
	SET(rss_shmem, st.rss_shmem);
	SET(vm_swap, st.vm_swap);
	SET(vm_hwm, st.vm_hwm);
	SET(vm_data, st.vm_data);
	SET(vm_pte, st.vm_pte);
	SET(vm_lck, st.vm_lck);
	SET(uid, st.uid_real);
#undef SET
	free(row->sv.cpus_allowed);
	free(row->sv.mems_allowed);
	row->sv.cpus_allowed = st.cpus_allowed_list;
	row->sv.mems_allowed = st.mems_allowed_list;
	st.cpus_allowed_list = st.mems_allowed_list = NULL;
	status_release(&st);
	return 0;
}

static void bind_field(sqlite3_stmt *s, int i, int64_t v)
{
	bind_i64_or_null(s, i, v, 1);
}

static int insert_rollup(struct load_state *ls, int64_t process_id, const struct smaps_fields *f,
			 struct ms_err *err)
{
	sqlite3_stmt *s = ls->st[ST_ROLLUP];
	int i = 1;
	bind_i64(s, i++, process_id);
	bind_i64(s, i++, ls->sample);
	int64_t v[] = { f->rss, f->pss, f->pss_anon, f->pss_file, f->pss_shmem, f->shared_clean,
			f->shared_dirty, f->private_clean, f->private_dirty, f->referenced,
			f->anonymous, f->lazy_free, f->anon_huge_pages, f->swap, f->swap_pss,
			f->locked };
	for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++)
		bind_field(s, i++, v[k]);
	return load_step(ls, ST_ROLLUP, err);
}

int load_rollup(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct smaps_rollup ro;
	struct ms_err perr = MS_ERR_INIT;
	if (rec->r->len == 0)
		return 0; /* no address space */
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	if (smaps_rollup_parse(rec->r->data, rec->r->len, &ro, &c.rep, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	return insert_rollup(ls, rec->proc->id, &ro.f, err);
}

/* a += b, field by field; a field stays -1 (absent) only if absent in both */
static int add_vma(void *ctx, const struct smaps_vma *v, struct ms_err *err)
{
	(void)err;
	int64_t *a = (int64_t *)ctx;
	const int64_t *b = (const int64_t *)&v->f;
	for (size_t k = 0; k < sizeof(v->f) / sizeof(int64_t); k++)
		if (b[k] >= 0)
			a[k] = (a[k] < 0 ? 0 : a[k]) + b[k];
	return 0;
}

/* A tier-1 smaps (a kernel without smaps_rollup): its mappings summed into
 * the process's proc_rollup row, as smaps_rollup would give it. */
static int load_smaps_sum(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct smaps_fields sum;
	struct ms_err perr = MS_ERR_INIT;
	smaps_fields_init(&sum);
	if (rec->r->len == 0)
		return 0; /* no address space */
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	if (smaps_parse(rec->r->data, rec->r->len, add_vma, &sum, &c.rep, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	/* per-mapping sizes of no meaning summed; kept NULL as smaps_rollup does */
	sum.size = sum.kernel_page_size = sum.mmu_page_size = -1;
	ls->rollup_sums++;
	if (ls->rollup_sum_last != ls->sample) {
		ls->rollup_sum_last = ls->sample;
		ls->rollup_sum_samples++;
	}
	return insert_rollup(ls, rec->proc->id, &sum, err);
}

/* The tier of MEMBER ("000001/t1.2": 1), or -1. */
static int member_tier(const char *member)
{
	const char *k = strchr(member, '/');
	return k && k[1] == 't' && k[2] >= '0' && k[2] <= '9' ? k[2] - '0' : -1;
}

static const char *mapping_kind(const struct smaps_vma *v)
{
	const char *p = v->path;
	if (!strcmp(p, "[heap]"))
		return "heap";
	if (!strncmp(p, "[stack", 6))
		return "stack";
	if (!*p || !strncmp(p, "[anon:", 6))
		return "anon";
	if (*p == '[')
		return "special";
	if (!strncmp(p, "/dev/shm/", 9) || !strncmp(p, "/SYSV", 5) || !strncmp(p, "/memfd:", 7) ||
	    v->perms[3] == 's')
		return "shmem";
	return "file";
}

static int on_vma(void *ctx, const struct smaps_vma *v, struct ms_err *err)
{
	static const char *const cols[] = { "start", "end", "offset", "inode" };
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->rec->st;
	const struct smaps_fields *f = &v->f;
	const uint64_t addr[] = { v->start, v->end, v->offset, v->inode };
	bind_i64(s, 1, c->rec->proc->id);
	bind_i64(s, 2, c->ls->sample);
	for (int k = 0; k < 4; k++) {  /* parameters 3, 4 and 6, 7 */
		const struct load_at at = { v->line, "mapping", cols[k], NULL, 0 };
		if (sink_u64(c, s, k < 2 ? 3 + k : 4 + k, addr[k], &at, err) < 0)
			return -1;
	}
	bind_text(s, 5, v->perms, strlen(v->perms));
	bind_text(s, 8, v->path, strlen(v->path));
	const char *kind = mapping_kind(v);
	bind_text(s, 9, kind, strlen(kind));
	int64_t vals[] = { f->size, f->rss, f->pss, f->shared_clean, f->shared_dirty,
			   f->private_clean, f->private_dirty, f->anonymous, f->anon_huge_pages,
			   f->swap, f->swap_pss, f->locked };
	for (size_t j = 0; j < sizeof(vals) / sizeof(*vals); j++)
		bind_field(s, 10 + (int)j, vals[j]);
	return load_sink_run(c, s, err);
}

int load_smaps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	if (member_tier(rec->member) == 1)
		return load_smaps_sum(ls, rec, err);
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, smaps_parse(rec->r->data, rec->r->len, on_vma, &c, &c.rep, &perr),
			     &perr);
}

static int on_numa(void *ctx, const struct numa_maps_vma *v, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->rec->st;
	const struct load_at at = { v->line, "numa_mapping", "start", NULL, 0 };
	for (size_t k = 0; k < v->n_nodes; k++) {
		int i = 1;
		bind_i64(s, i++, c->rec->proc->id);
		bind_i64(s, i++, c->ls->sample);
		if (sink_u64(c, s, i++, v->start, &at, err) < 0)
			return -1;
		bind_text(s, i++, v->policy, v->policy ? strlen(v->policy) : 0);
		const char *path = v->file ? v->file : v->heap ? "[heap]" : v->stack ? "[stack]" : "";
		bind_text(s, i++, path, strlen(path));
		bind_i64(s, i++, v->nodes[k].node);
		bind_i64(s, i++, (int64_t)v->nodes[k].pages);
		bind_i64(s, i++, v->page_size_bytes > 0 ? v->page_size_bytes : c->ls->page_size);
		if (load_sink_run(c, s, err) < 0)
			return -1;
	}
	return 0;
}

int load_numa_maps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, numa_maps_parse(rec->r->data, rec->r->len, on_numa, &c, &c.rep,
						 &perr), &perr);
}

/* One step of text_hash(): mix word W into H.  A bijection of H for a
 * given W (xor, multiply by an odd constant, xor-shift), and the shift
 * carries the high bits down. */
static uint64_t hash_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* A hash of a /proc/PID/cgroup text, to see whether it changed: 8 bytes a
 * step, then the tail byte by byte.  As every step is a bijection, a text
 * of the same length that differs in one word always ends in another
 * state; the final | 1 (0 means "nothing stored yet") can merge only two
 * states that differ in their lowest bit. */
static uint64_t text_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = hash_step(h, w);
	}
	for (; i < n; i++)
		h = hash_step(h, (unsigned char)p[i]);
	return h | 1;
}

static int on_cgroup_line(void *ctx, const struct proc_cgroup_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_PROC_CGROUP];
	bind_i64(s, 1, c->rec->proc->id);
	bind_i64(s, 2, row->hierarchy);
	bind_text(s, 3, row->controllers, strlen(row->controllers));
	bind_text(s, 4, row->path, strlen(row->path));
	bind_i64(s, 5, c->ls->sample);
	return load_sink_run(c, s, err);
}

/* Membership rows are written when a process is first seen and again only
 * when its /proc/PID/cgroup text changes; the open rows are closed then. */
int load_proc_cgroup(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	const struct ms_record *r = rec->r;
	struct proc_ref *p = rec->proc;
	uint64_t h = text_hash(r->data, r->len);
	if (h == p->cgroup_hash)
		return 0;
	if (p->cgroup_hash) {
		sqlite3_stmt *s = ls->st[ST_PROC_CGROUP_CLOSE];
		bind_i64(s, 1, p->id);
		bind_i64(s, 2, (int64_t)ls->sample - 1);
		if (load_step(ls, ST_PROC_CGROUP_CLOSE, err) < 0)
			return -1;
	}
	p->cgroup_hash = h;
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, proc_cgroup_parse(r->data, r->len, on_cgroup_line, &c, &c.rep,
						   &perr), &perr);
}

int load_proc_cgroup_finish(struct load_state *ls, struct ms_err *err)
{
	return db_exec(ls->db,
		       "UPDATE proc_cgroup SET last_sample = (SELECT last_sample FROM process p "
		       "WHERE p.id = proc_cgroup.process_id) WHERE last_sample = -1",
		       "closing the cgroup memberships", err);
}
