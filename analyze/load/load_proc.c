/*
 * load_proc.c - per-process records: identity, proc_sample rows, and the
 * tier-1/2 records that attach to the process of the same PID in the
 * same sample.
 *
 * A proc_sample row is assembled from stat, statm, status, oom_score and
 * oom_score_adj, and inserted when the next PID's stat arrives or the
 * sample ends (load_proc_flush).  A process's last_sample and uid are kept
 * in its proc_ref and written once, at the end of the load
 * (load_proc_finish), not once per process-sample.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_proc_kinds.h"
#include "load_state.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "parse_stat.h"

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
	bind_i64(s, 4, st->ppid);
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

static void row_reset(struct proc_row *r)
{
	free(r->cpus_allowed);
	free(r->mems_allowed);
	memset(r, 0, sizeof(*r));
	int64_t *f[] = { &r->minflt, &r->majflt, &r->utime, &r->stime, &r->threads, &r->processor,
			 &r->vm_size, &r->vm_rss, &r->rss_anon, &r->rss_file, &r->rss_shmem,
			 &r->vm_swap, &r->vm_hwm, &r->vm_data, &r->vm_pte, &r->vm_lck,
			 &r->statm_resident, &r->oom_score, &r->oom_score_adj, &r->uid };
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
}

int load_proc_flush(struct load_state *ls, struct ms_err *err)
{
	struct proc_row *r = &ls->row;
	if (!r->process_id) {
		row_reset(r);
		return 0;
	}
	sqlite3_stmt *s = ls->st[ST_PROC_SAMPLE];
	int i = 1;
	bind_i64(s, i++, r->process_id);
	bind_i64(s, i++, ls->sample);
	/* no copies: the row lives in ls until the statements are finalized */
	bind_text_static(s, i++, r->state[0] ? r->state : NULL, 1);
	int64_t v[] = { r->minflt, r->majflt, r->utime, r->stime, r->threads, r->processor,
			r->vm_size, r->vm_rss, r->rss_anon, r->rss_file, r->rss_shmem, r->vm_swap,
			r->vm_hwm, r->vm_data, r->vm_pte, r->vm_lck, r->statm_resident,
			r->oom_score, r->oom_score_adj };
	for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++)
		bind_opt(s, i++, v[k]);
	int lists = i;
	bind_text_static(s, i++, r->cpus_allowed, r->cpus_allowed ? strlen(r->cpus_allowed) : 0);
	bind_text_static(s, i++, r->mems_allowed, r->mems_allowed ? strlen(r->mems_allowed) : 0);
	int rc = load_step(ls, ST_PROC_SAMPLE, err);
	/* row_reset() frees the two lists: unbind them first */
	bind_null(s, lists);
	bind_null(s, lists + 1);
	if (rc < 0)
		return -1;
	struct proc_ref *p = &ls->procs[r->proc];
	p->last_sample = ls->sample;
	if (r->uid != INT64_MIN)
		p->uid = r->uid;
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

static int parse_error(struct load_state *ls, const char *member, const struct ms_record *r,
		       struct ms_err *perr, struct ms_err *err)
{
	int rc = load_error(ls, member, r, ms_err_msg(perr), err);
	ms_err_release(perr);
	return rc;
}

static int one_number(const struct ms_record *r, int64_t *out)
{
	const char *p = r->data, *end = r->data + r->len;
	int neg = p < end && *p == '-';
	uint64_t v;
	p += neg;
	if (ms_scan_u64(&p, end, &v) < 0 || v > INT64_MAX || (p < end && *p != '\n'))
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* The tier of MEMBER ("000001/t1.2": 1), or -1. */
static int member_tier(const char *member)
{
	const char *k = strchr(member, '/');
	return k && k[1] == 't' && k[2] >= '0' && k[2] <= '9' ? k[2] - '0' : -1;
}

int load_proc_record(struct load_state *ls, const char *member, const struct ms_record *r,
		     int64_t pid, const char *file, struct ms_err *err)
{
	struct ms_err perr = MS_ERR_INIT;
	if (!strcmp(file, "stat")) {
		if (load_proc_flush(ls, err) < 0)
			return -1;
		struct proc_stat st;
		if (parse_stat(r->data, r->len, &st, &perr) < 0)
			return parse_error(ls, member, r, &perr, err);
		if (st.pid != pid)
			return load_error(ls, member, r, "stat: its PID is not the PID in its path", err);
		int64_t idx = process_index(ls, &st, err);
		if (idx < 0 || pidmap_put(ls, pid, idx) < 0)
			return idx < 0 ? -1 : ms_err_set(err, ENOMEM, "out of memory");
		/* a process seen between fork and exec keeps its parent's name
		 * until the exec: process.comm follows stat, so findings name
		 * what the process became */
		struct proc_ref *pr = &ls->procs[idx];
		if (strncmp(pr->comm, st.comm, sizeof(pr->comm) - 1) != 0) {
			snprintf(pr->comm, sizeof(pr->comm), "%s", st.comm);
			bind_i64(ls->st[ST_PROCESS_COMM], 1, pr->id);
			bind_text(ls->st[ST_PROCESS_COMM], 2, pr->comm, strlen(pr->comm));
			if (load_step(ls, ST_PROCESS_COMM, err) < 0)
				return -1;
		}
		struct proc_row *row = &ls->row;
		row->process_id = ls->procs[idx].id;
		row->proc = (size_t)idx;
		row->pid = pid;
		row->state[0] = st.state;
		row->minflt = (int64_t)st.minflt;
		row->majflt = (int64_t)st.majflt;
		row->utime = (int64_t)st.utime;
		row->stime = (int64_t)st.stime;
		row->threads = st.num_threads;
		row->processor = st.processor;
		return 0;
	}
	int64_t idx = pidmap_get(ls, pid);
	if (idx < 0)
		return 0; /* no stat for this PID in this sample: nothing to attach to */
	struct proc_ref *p = &ls->procs[idx];
	struct proc_row *row = &ls->row;
	int current = row->process_id == p->id;
	if (!strcmp(file, "statm")) {
		uint64_t size, res;
		if (parse_statm(r->data, r->len, &size, &res, &perr) < 0)
			return parse_error(ls, member, r, &perr, err);
		if (current)
			row->statm_resident = (int64_t)res * ls->page_size;
		return 0;
	}
	if (!strcmp(file, "oom_score") || !strcmp(file, "oom_score_adj")) {
		int64_t v;
		if (one_number(r, &v) < 0)
			return load_error(ls, member, r, "expected one number", err);
		if (current)
			*(file[9] ? &row->oom_score_adj : &row->oom_score) = v;
		return 0;
	}
	if (!strcmp(file, "comm") || !strcmp(file, "cmdline")) {
		size_t n = r->len;
		while (n && (r->data[n - 1] == '\n' || r->data[n - 1] == '\0'))
			n--;
		ms_buf_reset(&ls->tmp);
		if (ms_buf_add(&ls->tmp, r->data, n) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++)
			if (ls->tmp.data[i] == '\0')
				ls->tmp.data[i] = ' ';
		enum stmt_id id = file[1] == 'o' ? ST_PROCESS_COMM : ST_PROCESS_CMDLINE;
		bind_i64(ls->st[id], 1, p->id);
		bind_text(ls->st[id], 2, ls->tmp.data, n);
		return load_step(ls, id, err);
	}
	if (!strcmp(file, "status"))
		return current ? load_status(ls, member, r, row, err) : 0;
	if (!strcmp(file, "cgroup"))
		return load_proc_cgroup(ls, member, r, p, err);
	if (!strcmp(file, "smaps_rollup"))
		return load_rollup(ls, member, r, p->id, err);
	if (!strcmp(file, "smaps"))
		return member_tier(member) == 1 ? load_smaps_sum(ls, member, r, p->id, err)
						: load_smaps(ls, member, r, p->id, err);
	if (!strcmp(file, "numa_maps"))
		return load_numa_maps(ls, member, r, p->id, err);
	return 0;
}
