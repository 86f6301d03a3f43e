/*
 * load_proc.c - processes: their identity (stat), the proc_sample row of
 * each, and the LOAD functions of the small per-process kinds (stat,
 * statm, oom_score, oom_score_adj, comm, cmdline).
 *
 * A process is (pid, starttime), found in a hash table.  Its stat opens it
 * in a sample; the PID's other records, tier 1 and 2 included, attach to
 * it through a per-sample PID map (load_proc_of()).  A proc_sample row is
 * assembled from stat, statm (earlier collectors' bundles), status,
 * oom_score and oom_score_adj, and inserted when the next PID's stat
 * arrives or the sample ends (load_proc_flush).  oom_score_adj is read
 * only now and then (bundle-format.md, proc_sparse): a row without one
 * gets the process's last value read.  A sample that recorded status and
 * oom_score skip:unchanged (the process's stat had not changed) gets the
 * process's last values of both, kept in its proc_ref (carry); with none,
 * a read_gap row.  A process's last_sample and uid
 * are kept in its proc_ref and written once, at the end of the load
 * (load_proc_finish), not once per process-sample.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "comm.h"
#include "load_kinds.h"
#include "load_state.h"
#include "ms_hash.h"
#include "oom_score.h"
#include "parse_stat.h"
#include "record.h"

/* both tables are keyed by bundle data: seeded hashes (ms_hash.h) */
static uint64_t hash2(const struct load_state *ls, int64_t pid, uint64_t st)
{
	return ms_hash_u64x2((uint64_t)pid, st, ls->hash_seed);
}

static size_t pid_slot(const struct load_state *ls, int64_t pid, size_t cap)
{
	return ms_hash_u64((uint64_t)pid, ls->hash_seed) & (cap - 1);
}

static int slots_grow(struct load_state *ls)
{
	size_t nc = ls->slots_cap ? ls->slots_cap * 2 : 4096;
	int64_t *s = calloc(nc, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < ls->nprocs; i++) {
		size_t j = hash2(ls, ls->procs[i].pid, ls->procs[i].starttime) & (nc - 1);
		while (s[j])
			j = (j + 1) & (nc - 1);
		s[j] = (int64_t)i + 1;
	}
	free(ls->proc_slots);
	ls->proc_slots = s;
	ls->slots_cap = nc;
	return 0;
}

/* The index of (pid, starttime) in ls->procs, inserting the process (with
 * COMM and PPID) when new; -1 on error. */
static int64_t process_index(struct load_state *ls, const struct proc_stat *st,
			     struct ms_err *err)
{
	if ((ls->nprocs + 1) * 2 > ls->slots_cap && slots_grow(ls) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	size_t j = hash2(ls, st->pid, st->starttime) & (ls->slots_cap - 1);
	for (; ls->proc_slots[j]; j = (j + 1) & (ls->slots_cap - 1)) {
		struct proc_ref *p = &ls->procs[ls->proc_slots[j] - 1];
		if (p->pid == st->pid && p->starttime == st->starttime)
			return ls->proc_slots[j] - 1;
	}
	if (ls->nprocs == ls->procs_cap) {
		size_t nc = ls->procs_cap ? ls->procs_cap * 2 : 1024;
		struct proc_ref *p = realloc(ls->procs, nc * sizeof(*p));
		if (!p)
			return ms_err_set(err, ENOMEM, "out of memory");
		ls->procs = p;
		ls->procs_cap = nc;
	}
	sqlite3_stmt *s = ls->st[ST_PROCESS];
	bind_i64(s, 1, st->pid);
	bind_i64(s, 2, (int64_t)st->starttime);
	bind_text(s, 3, st->comm, strlen(st->comm));
	if (st->has & PS_PPID)
		bind_i64(s, 4, st->ppid);
	else
		bind_null(s, 4);
	bind_i64(s, 5, ls->sample);
	bind_i64(s, 6, ls->sample);
	if (load_step(ls, ST_PROCESS, err) < 0)
		return -1;
	struct proc_ref *p = &ls->procs[ls->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = st->pid;
	p->starttime = st->starttime;
	p->id = sqlite3_last_insert_rowid(ls->db);
	p->last_sample = ls->sample;
	p->uid = INT64_MIN;
	p->oom_score_adj = INT64_MIN;
	p->oom_score = INT64_MIN;
	snprintf(p->comm, sizeof(p->comm), "%s", st->comm);
	ls->proc_slots[j] = (int64_t)ls->nprocs + 1;
	return (int64_t)ls->nprocs++;
}

/* this sample's PID -> process index map */
static int pidmap_put(struct load_state *ls, int64_t pid, int64_t idx)
{
	if ((ls->pid_n + 1) * 2 > ls->pid_cap) {
		size_t nc = ls->pid_cap ? ls->pid_cap * 2 : 2048;
		int64_t *k = calloc(nc, sizeof(*k)), *v = calloc(nc, sizeof(*v));
		if (!k || !v) {
			free(k);
			free(v);
			return -1;
		}
		for (size_t i = 0; i < ls->pid_cap; i++)
			if (ls->pid_keys[i]) {
				size_t j = pid_slot(ls, ls->pid_keys[i], nc);
				while (k[j])
					j = (j + 1) & (nc - 1);
				k[j] = ls->pid_keys[i];
				v[j] = ls->pid_vals[i];
			}
		free(ls->pid_keys);
		free(ls->pid_vals);
		ls->pid_keys = k;
		ls->pid_vals = v;
		ls->pid_cap = nc;
	}
	size_t j = pid_slot(ls, pid, ls->pid_cap);
	while (ls->pid_keys[j] && ls->pid_keys[j] != pid)
		j = (j + 1) & (ls->pid_cap - 1);
	if (!ls->pid_keys[j])
		ls->pid_n++;
	ls->pid_keys[j] = pid;
	ls->pid_vals[j] = idx;
	return 0;
}

static int64_t pidmap_get(const struct load_state *ls, int64_t pid)
{
	if (!ls->pid_cap)
		return -1;
	size_t j = pid_slot(ls, pid, ls->pid_cap);
	for (; ls->pid_keys[j]; j = (j + 1) & (ls->pid_cap - 1))
		if (ls->pid_keys[j] == pid)
			return ls->pid_vals[j];
	return -1;
}

void load_proc_sample_start(struct load_state *ls, unsigned sample)
{
	ls->sample = sample;
	if (ls->pid_cap) {
		memset(ls->pid_keys, 0, ls->pid_cap * sizeof(*ls->pid_keys));
		ls->pid_n = 0;
	}
}

static void status_vals_release(struct status_vals *v)
{
	free(v->cpus_allowed);
	free(v->mems_allowed);
}

static void row_reset(struct proc_row *r)
{
	status_vals_release(&r->sv);
	memset(r, 0, sizeof(*r));
	struct status_vals *v = &r->sv;
	int64_t *f[] = { &r->threads, &r->processor, &v->vm_size, &v->vm_rss, &v->rss_anon,
			 &v->rss_file, &v->rss_shmem, &v->vm_swap, &v->vm_hwm, &v->vm_data,
			 &v->vm_pte, &v->vm_lck, &r->statm_resident, &r->oom_score,
			 &r->oom_score_adj, &v->uid };
	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
		*f[i] = INT64_MIN;
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == INT64_MIN)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

void load_proc_init(struct load_state *ls)
{
	row_reset(&ls->row);
	ls->bit_status = load_kind_bit("status");
	ls->bit_oom_score = load_kind_bit("oom_score");
}

/* /proc/PID/NAME, recorded unchanged, with no read to stand for it */
static int unread(struct load_state *ls, int64_t pid, const char *name, struct ms_err *err)
{
	char path[64];
	int n = snprintf(path, sizeof(path), "/proc/%lld/%s", (long long)pid, name);
	return load_gap(ls, path, (size_t)n, MS_STATUS_UNCHANGED, strlen(MS_STATUS_UNCHANGED), err);
}

/* The values of status and oom_score for row R of process P where its
 * sample recorded them skip:unchanged (not read: its stat had not changed)
 * and nothing (a window's seed) filled them: the last read, carried; a gap
 * when there is none.  *SV: the status values to insert. */
static int carry_unchanged(struct load_state *ls, struct proc_row *r, const struct proc_ref *p,
			   const struct status_vals **sv, struct ms_err *err)
{
	uint64_t want = r->same & ~r->read;
	*sv = &r->sv;
	if ((want & ls->bit_status) && p->carry)
		*sv = p->carry;
	else if ((want & ls->bit_status) && unread(ls, p->pid, "status", err) < 0)
		return -1;
	if ((want & ls->bit_oom_score) && p->oom_score != INT64_MIN)
		r->oom_score = p->oom_score;
	else if ((want & ls->bit_oom_score) && unread(ls, p->pid, "oom_score", err) < 0)
		return -1;
	return 0;
}

/* What row R read of status and oom_score becomes P's carry */
static int keep_carry(const struct load_state *ls, struct proc_row *r, struct proc_ref *p)
{
	if (r->read & ls->bit_oom_score)
		p->oom_score = r->oom_score;
	if (!(r->read & ls->bit_status))
		return 0;
	if (p->carry)
		status_vals_release(p->carry);
	else if (!(p->carry = malloc(sizeof(*p->carry))))
		return -1;
	*p->carry = r->sv;
	r->sv.cpus_allowed = r->sv.mems_allowed = NULL;
	return 0;
}

int load_proc_flush(struct load_state *ls, struct ms_err *err)
{
	struct proc_row *r = &ls->row;
	if (!r->process_id) {
		row_reset(r);
		return 0;
	}
	struct proc_ref *p = &ls->procs[r->proc];
	if (!p->seeded) {
		p->seeded = 1;
		if (ls->seed && ls->seed(ls->seed_ctx, ls, p, err) < 0)
			return -1;
	}
	if (r->oom_score_adj == INT64_MIN)
		r->oom_score_adj = p->oom_score_adj;
	else
		p->oom_score_adj = r->oom_score_adj;
	const struct status_vals *sv;
	if (carry_unchanged(ls, r, p, &sv, err) < 0)
		return -1;
	sqlite3_stmt *s = ls->st[ST_PROC_SAMPLE];
	int i = 1;
	bind_i64(s, i++, r->process_id);
	bind_i64(s, i++, ls->sample);
	/* no copies: the row lives in ls until the statements are finalized */
	bind_text_static(s, i++, r->state[0] ? r->state : NULL, 1);
	/* stat's unsigned counters, NULL where stat had none */
	const struct { unsigned bit; uint64_t v; } counts[] = {
		{ PS_MINFLT, r->minflt }, { PS_MAJFLT, r->majflt }, { PS_UTIME, r->utime },
		{ PS_STIME, r->stime },
	};
	for (size_t k = 0; k < sizeof(counts) / sizeof(*counts); k++, i++)
		if (r->has & counts[k].bit)
			bind_u64(s, i, counts[k].v);
		else
			bind_null(s, i);
	int64_t v[] = { r->threads, r->processor, sv->vm_size, sv->vm_rss, sv->rss_anon,
			sv->rss_file, sv->rss_shmem, sv->vm_swap, sv->vm_hwm, sv->vm_data,
			sv->vm_pte, sv->vm_lck, r->statm_resident, r->oom_score, r->oom_score_adj };
	for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++)
		bind_opt(s, i++, v[k]);
	int lists = i;
	bind_text_static(s, i++, sv->cpus_allowed, sv->cpus_allowed ? strlen(sv->cpus_allowed) : 0);
	bind_text_static(s, i++, sv->mems_allowed, sv->mems_allowed ? strlen(sv->mems_allowed) : 0);
	int rc = load_step(ls, ST_PROC_SAMPLE, err);
	/* the lists are freed by row_reset() or the next carry: unbind them first */
	bind_null(s, lists);
	bind_null(s, lists + 1);
	if (rc < 0)
		return -1;
	p->last_sample = ls->sample;
	if (sv->uid != INT64_MIN)
		p->uid = sv->uid;
	if (keep_carry(ls, r, p) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	row_reset(r);
	return 0;
}

int load_proc_finish(struct load_state *ls, struct ms_err *err)
{
	sqlite3_stmt *s = ls->st[ST_PROCESS_SEEN];
	for (size_t i = 0; i < ls->nprocs; i++) {
		const struct proc_ref *p = &ls->procs[i];
		bind_i64(s, 1, p->id);
		bind_i64(s, 2, p->last_sample);
		bind_opt(s, 3, p->uid);
		if (load_step(ls, ST_PROCESS_SEEN, err) < 0)
			return -1;
	}
	return 0;
}

struct proc_ref *load_proc_of(struct load_state *ls, int64_t pid)
{
	int64_t idx = pidmap_get(ls, pid);
	return idx < 0 ? NULL : &ls->procs[idx];
}

struct proc_row *load_proc_row(struct load_state *ls, const struct load_rec *rec)
{
	return ls->row.process_id == rec->proc->id ? &ls->row : NULL;
}

void load_proc_release(struct load_state *ls)
{
	for (size_t i = 0; i < ls->nprocs; i++)
		if (ls->procs[i].carry) {
			status_vals_release(ls->procs[i].carry);
			free(ls->procs[i].carry);
		}
	free(ls->procs);
	free(ls->proc_slots);
	free(ls->pid_keys);
	free(ls->pid_vals);
	status_vals_release(&ls->row.sv);
}

/* process.comm follows stat: a process seen between fork and exec keeps
 * its parent's name until the exec, and findings name what it became */
static int follow_comm(struct load_state *ls, struct proc_ref *pr, const struct proc_stat *st,
		       struct ms_err *err)
{
	if (!strncmp(pr->comm, st->comm, sizeof(pr->comm) - 1))
		return 0;
	snprintf(pr->comm, sizeof(pr->comm), "%s", st->comm);
	bind_i64(ls->st[ST_PROCESS_COMM], 1, pr->id);
	bind_text(ls->st[ST_PROCESS_COMM], 2, pr->comm, strlen(pr->comm));
	return load_step(ls, ST_PROCESS_COMM, err);
}

/* stat's counters above INT64_MAX that their REAL does not hold: their
 * digits into exact_value (the row is inserted later: load_proc_flush) */
static int stat_exact(struct load_sink *c, const struct proc_stat *st, struct ms_err *err)
{
	static const char *const col[] = { "minflt", "majflt", "utime", "stime" };
	const uint64_t v[] = { st->minflt, st->majflt, st->utime, st->stime };
	for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++) {
		const struct load_at at = { 1, "proc_sample", col[k], NULL, 0 };
		if (load_exact(c, v[k], &at, err) < 0)
			return -1;
	}
	return 0;
}

/* stat: the process's identity, and the first fields of its row */
int load_stat(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct ms_err perr = MS_ERR_INIT;
	if (load_proc_flush(ls, err) < 0)
		return -1;
	struct proc_stat st;
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	if (parse_stat(rec->r->data, rec->r->len, &st, &c.rep, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	if (st.pid != rec->pid)
		return load_error(ls, rec->member, rec->r,
				  "stat: its PID is not the PID in its path", err);
	int64_t idx = process_index(ls, &st, err);
	if (idx < 0 || pidmap_put(ls, rec->pid, idx) < 0)
		return idx < 0 ? -1 : ms_err_set(err, ENOMEM, "out of memory");
	if (follow_comm(ls, &ls->procs[idx], &st, err) < 0 ||
	    stat_exact(&c, &st, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	struct proc_row *row = &ls->row;
	row->process_id = ls->procs[idx].id;
	row->proc = (size_t)idx;
	row->pid = rec->pid;
	row->state[0] = st.state;
	row->has = st.has;
	row->minflt = st.minflt;
	row->majflt = st.majflt;
	row->utime = st.utime;
	row->stime = st.stime;
	row->threads = st.has & PS_NUM_THREADS ? st.num_threads : INT64_MIN;
	row->processor = st.has & PS_PROCESSOR ? st.processor : INT64_MIN;
	return 0;
}

int load_statm(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct ms_err perr = MS_ERR_INIT;
	uint64_t size, res;
	if (parse_statm(rec->r->data, rec->r->len, &size, &res, &perr) < 0)
		return load_parse_error(ls, rec, &perr, err);
	if (res > (uint64_t)(INT64_MAX / ls->page_size))
		return load_error(ls, rec->member, rec->r,
				  "statm: resident pages out of range (more than 2^63-1 bytes)", err);
	struct proc_row *row = load_proc_row(ls, rec);
	if (row)
		row->statm_resident = (int64_t)res * ls->page_size;
	return 0;
}

/* oom_score or oom_score_adj into the row's field at OFF */
static int oom_field(struct load_state *ls, const struct load_rec *rec, size_t off,
		     struct ms_err *err)
{
	struct ms_err perr = MS_ERR_INIT;
	int64_t v;
	if (oom_score_parse(rec->r->data, rec->r->len, &v, &perr) < 0)
		return load_parse_error(ls, rec, &perr, err);
	struct proc_row *row = load_proc_row(ls, rec);
	if (row)
		*(int64_t *)(void *)((char *)row + off) = v;
	return 0;
}

int load_oom_score(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	return oom_field(ls, rec, offsetof(struct proc_row, oom_score), err);
}

int load_oom_score_adj(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	return oom_field(ls, rec, offsetof(struct proc_row, oom_score_adj), err);
}

/* the text ls->tmp holds into process column ID */
static int set_text(struct load_state *ls, const struct load_rec *rec, enum stmt_id id,
		    struct ms_err *err)
{
	bind_i64(ls->st[id], 1, rec->proc->id);
	bind_text(ls->st[id], 2, ls->tmp.data, ls->tmp.len);
	return load_step(ls, id, err);
}

/* comm (when first seen): process.comm, which stat then follows */
int load_comm(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	if (comm_parse(rec->r->data, rec->r->len, &ls->tmp, err) < 0)
		return -1; /* out of memory: no text is a bad comm */
	return set_text(ls, rec, ST_PROCESS_COMM, err);
}

int load_cmdline(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	if (cmdline_parse(rec->r->data, rec->r->len, &ls->tmp, err) < 0)
		return -1; /* out of memory: no text is a bad cmdline */
	return set_text(ls, rec, ST_PROCESS_CMDLINE, err);
}
