/*
 * status.c - /proc/PID/status parser (see status.h).
 *
 * One pass: kv_parse() with KV_ALLOW_TEXT hands over every line that has a
 * key ("VmRSS:", "Name:", "Uid:", "SigQ:" ...) with the raw rest of the
 * line, and reads no value.  The callback looks the key up once and reads
 * only the values it keeps: numbers through kv_number() (kv's own reader,
 * kB multiplied to bytes), Name, State, Uid and the allowed lists from the
 * raw text.  A kept key whose value is not of its shape ("VmRSS: 12x kB"),
 * or a kept key seen twice, is reported (the field stays absent, or keeps
 * its first value) and the parse goes on: a bad line costs that line.
 *
 * The key table lists every key of a 6.x status in the kernel's order,
 * those not kept included (K_SKIP): the entry after the last one found is
 * tried first, so in kernel order a line costs one comparison.  Keys of
 * other kernels, and lines out of order, are found by a scan.
 *
 * Keys are kv's: what follows the line's leading blanks, up to a blank or
 * ':'.  Bad lines are reported in file order.
 *
 * Invariants: a kept key is stored at most once; kv reports and skips
 * lines with a NUL byte or over its limit; *OUT owns its strings only when
 * 0 is returned.
 */
#include "status.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "parse_num.h"
#include "scan.h"

/* how a key's value is read */
enum key_kind {
	K_PLAIN,       /* "N" */
	K_KB,          /* "N kB", stored in bytes */
	K_NAME,        /* as written, after ':' and one tab */
	K_LIST,        /* as written, without its leading and trailing blanks */
	K_STATE,       /* "X (name)": the letter */
	K_UID,         /* "real effective saved fs": the first two */
	K_SKIP,        /* not kept */
};

#define KEY(k) k, sizeof(k) - 1

static const struct status_key {
	const char *key;
	size_t len;           /* strlen(key) */
	enum key_kind kind;
	size_t off;           /* K_PLAIN, K_KB: the int64_t; K_NAME, K_LIST: the char * */
} status_keys[] = {
	{ KEY("Name"), K_NAME, offsetof(struct proc_status, name) },
	{ KEY("Umask"), K_SKIP, 0 },
	{ KEY("State"), K_STATE, 0 },
	{ KEY("Tgid"), K_PLAIN, offsetof(struct proc_status, tgid) },
	{ KEY("Ngid"), K_SKIP, 0 },
	{ KEY("Pid"), K_SKIP, 0 },
	{ KEY("PPid"), K_PLAIN, offsetof(struct proc_status, ppid) },
	{ KEY("TracerPid"), K_SKIP, 0 },
	{ KEY("Uid"), K_UID, 0 },
	{ KEY("Gid"), K_SKIP, 0 },
	{ KEY("FDSize"), K_SKIP, 0 },
	{ KEY("Groups"), K_SKIP, 0 },
	{ KEY("NStgid"), K_SKIP, 0 },
	{ KEY("NSpid"), K_SKIP, 0 },
	{ KEY("NSpgid"), K_SKIP, 0 },
	{ KEY("NSsid"), K_SKIP, 0 },
	{ KEY("Kthread"), K_SKIP, 0 },
	{ KEY("VmPeak"), K_KB, offsetof(struct proc_status, vm_peak) },
	{ KEY("VmSize"), K_KB, offsetof(struct proc_status, vm_size) },
	{ KEY("VmLck"), K_KB, offsetof(struct proc_status, vm_lck) },
	{ KEY("VmPin"), K_KB, offsetof(struct proc_status, vm_pin) },
	{ KEY("VmHWM"), K_KB, offsetof(struct proc_status, vm_hwm) },
	{ KEY("VmRSS"), K_KB, offsetof(struct proc_status, vm_rss) },
	{ KEY("RssAnon"), K_KB, offsetof(struct proc_status, rss_anon) },
	{ KEY("RssFile"), K_KB, offsetof(struct proc_status, rss_file) },
	{ KEY("RssShmem"), K_KB, offsetof(struct proc_status, rss_shmem) },
	{ KEY("VmData"), K_KB, offsetof(struct proc_status, vm_data) },
	{ KEY("VmStk"), K_KB, offsetof(struct proc_status, vm_stk) },
	{ KEY("VmExe"), K_KB, offsetof(struct proc_status, vm_exe) },
	{ KEY("VmLib"), K_KB, offsetof(struct proc_status, vm_lib) },
	{ KEY("VmPTE"), K_KB, offsetof(struct proc_status, vm_pte) },
	{ KEY("VmSwap"), K_KB, offsetof(struct proc_status, vm_swap) },
	{ KEY("HugetlbPages"), K_KB, offsetof(struct proc_status, hugetlb_pages) },
	{ KEY("CoreDumping"), K_SKIP, 0 },
	{ KEY("THP_enabled"), K_SKIP, 0 },
	{ KEY("untag_mask"), K_SKIP, 0 },
	{ KEY("Threads"), K_PLAIN, offsetof(struct proc_status, threads) },
	{ KEY("SigQ"), K_SKIP, 0 },
	{ KEY("SigPnd"), K_SKIP, 0 },
	{ KEY("ShdPnd"), K_SKIP, 0 },
	{ KEY("SigBlk"), K_SKIP, 0 },
	{ KEY("SigIgn"), K_SKIP, 0 },
	{ KEY("SigCgt"), K_SKIP, 0 },
	{ KEY("CapInh"), K_SKIP, 0 },
	{ KEY("CapPrm"), K_SKIP, 0 },
	{ KEY("CapEff"), K_SKIP, 0 },
	{ KEY("CapBnd"), K_SKIP, 0 },
	{ KEY("CapAmb"), K_SKIP, 0 },
	{ KEY("NoNewPrivs"), K_SKIP, 0 },
	{ KEY("Seccomp"), K_SKIP, 0 },
	{ KEY("Seccomp_filters"), K_SKIP, 0 },
	{ KEY("Speculation_Store_Bypass"), K_SKIP, 0 },
	{ KEY("SpeculationIndirectBranch"), K_SKIP, 0 },
	{ KEY("Cpus_allowed"), K_SKIP, 0 },
	{ KEY("Cpus_allowed_list"), K_LIST, offsetof(struct proc_status, cpus_allowed_list) },
	{ KEY("Mems_allowed"), K_SKIP, 0 },
	{ KEY("Mems_allowed_list"), K_LIST, offsetof(struct proc_status, mems_allowed_list) },
	{ KEY("voluntary_ctxt_switches"), K_PLAIN,
	  offsetof(struct proc_status, voluntary_ctxt_switches) },
	{ KEY("nonvoluntary_ctxt_switches"), K_PLAIN,
	  offsetof(struct proc_status, nonvoluntary_ctxt_switches) },
};

#define N_KEYS (sizeof(status_keys) / sizeof(status_keys[0]))

struct status_state {
	struct proc_status *out;
	const struct ms_report *rep;
	unsigned char seen[N_KEYS];   /* the key's line has been read */
	size_t next;                  /* the entry after the last one found */
};

static int key_is(const struct status_key *k, const char *key, size_t len);
static const struct status_key *key_find(struct status_state *s, const char *key, size_t len);
static int64_t *num_slot(struct proc_status *st, const struct status_key *k);
static char **text_slot(struct proc_status *st, const struct status_key *k);
static int status_line(void *ctx, const struct kv *kv, struct ms_err *err);
static int bad_value(struct status_state *s, int line, const struct status_key *k,
		     struct ms_err *err);
static int dup_text(char **dst, const char *p, const char *e, int trim, int line,
		    struct ms_err *err);
static int read_state(struct proc_status *out, const char *p, const char *e);
static int read_uid(struct proc_status *out, const char *p, const char *e);

static int key_is(const struct status_key *k, const char *key, size_t len)
{
	return k->len == len && k->key[0] == key[0] && memcmp(k->key, key, len) == 0;
}

/* The table entry for KEY (LEN bytes, at least one), or NULL for a key not
 * in the table.  The kernel prints the keys in the table's order, so the
 * entry after the last one found is tried first. */
static const struct status_key *key_find(struct status_state *s, const char *key, size_t len)
{
	if (s->next < N_KEYS && key_is(&status_keys[s->next], key, len))
		return &status_keys[s->next++];
	for (size_t i = 0; i < N_KEYS; i++)
		if (key_is(&status_keys[i], key, len)) {
			s->next = i + 1;
			return &status_keys[i];
		}
	return NULL;
}

static int64_t *num_slot(struct proc_status *st, const struct status_key *k)
{
	return (int64_t *)(void *)((char *)st + k->off);
}

static char **text_slot(struct proc_status *st, const struct status_key *k)
{
	return (char **)(void *)((char *)st + k->off);
}

/* Key K's line LINE is not of K's shape: reported, the field stays absent. */
static int bad_value(struct status_state *s, int line, const struct status_key *k,
		     struct ms_err *err)
{
	static const char *const shape[] = {
		[K_PLAIN] = "N", [K_KB] = "N kB", [K_STATE] = "X (name)",
		[K_UID] = "real effective saved fs",
	};
	return ms_report(s->rep, err, "status:%d: expected '%s: %s'", line, k->key,
			 shape[k->kind]);
}

/* Copy P..E to a new string in *DST, without its leading and trailing
 * blanks when TRIM. */
static int dup_text(char **dst, const char *p, const char *e, int trim, int line,
		    struct ms_err *err)
{
	if (trim) {
		p = ms_skip_blank(p, e);
		e = ms_trim_blank_end(p, e);
	}
	char *s = malloc((size_t)(e - p) + 1);
	if (!s)
		return ms_err_set(err, ENOMEM, "status:%d: out of memory", line);
	memcpy(s, p, (size_t)(e - p));
	s[e - p] = '\0';
	*dst = s;
	return 0;
}

/* "State:\tS (sleeping)": the letter, which must stand alone.  -1 when
 * it does not. */
static int read_state(struct proc_status *out, const char *p, const char *e)
{
	p = ms_skip_blank(p, e);
	if (p == e || (p + 1 < e && p[1] != ' '))
		return -1;
	out->state = *p;
	return 0;
}

/* "Uid:\treal\teffective\tsaved\tfs": the first two, 32-bit.  -1 when
 * they are not numbers. */
static int read_uid(struct proc_status *out, const char *p, const char *e)
{
	uint64_t v[2];
	for (int k = 0; k < 2; k++) {
		p = ms_skip_blank(p, e);
		if (ms_scan_u64(&p, e, &v[k]) < 0 || v[k] > UINT32_MAX ||
		    (p < e && !ms_is_blank(*p)))
			return -1;
	}
	out->uid_real = (int64_t)v[0];
	out->uid_effective = (int64_t)v[1];
	return 0;
}

/* One line from kv: store the field of a key that is kept. */
static int status_line(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct status_state *s = ctx;
	const struct status_key *k = key_find(s, kv->key, kv->key_len);
	if (!k || k->kind == K_SKIP)
		return 0;
	size_t i = (size_t)(k - status_keys);
	if (s->seen[i])
		return ms_report(s->rep, err, "status:%d: a second '%s' line; the first kept",
				 kv->line, k->key);
	s->seen[i] = 1;
	const char *p = kv->rest, *e = kv->rest + kv->rest_len;
	switch (k->kind) {
	case K_PLAIN:
	case K_KB: {
		struct kv n;
		enum kv_num r = kv_number(kv, &n);
		if (r == KV_NUM_RANGE)
			return kv_report_value(kv, r, s->rep, err);
		if (r != KV_NUM_OK || n.has_kb != (k->kind == K_KB) || n.value < 0 || n.big)
			return bad_value(s, kv->line, k, err);
		*num_slot(s->out, k) = n.value;
		return 0;
	}
	case K_NAME:
		/* the value starts after one tab: a name may begin with blanks */
		if (p < e && *p == '\t')
			p++;
		return dup_text(text_slot(s->out, k), p, e, 0, kv->line, err);
	case K_LIST:
		return dup_text(text_slot(s->out, k), p, e, 1, kv->line, err);
	case K_STATE:
		return read_state(s->out, p, e) < 0 ? bad_value(s, kv->line, k, err) : 0;
	case K_UID:
		return read_uid(s->out, p, e) < 0 ? bad_value(s, kv->line, k, err) : 0;
	case K_SKIP:
		break;
	}
	return 0;
}

int status_parse(const char *text, size_t len, struct proc_status *out,
		 const struct ms_report *rep, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < N_KEYS; i++)
		if (status_keys[i].kind == K_PLAIN || status_keys[i].kind == K_KB)
			*num_slot(out, &status_keys[i]) = -1;
	out->uid_real = out->uid_effective = -1;
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "status: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "status:1: empty file");

	struct status_state s;
	memset(&s, 0, sizeof(s));
	s.out = out;
	s.rep = rep;
	if (kv_parse(text, len, KV_ALLOW_TEXT, "status", status_line, &s, rep, err) < 0) {
		status_release(out);
		return -1;
	}
	return 0;
}

void status_release(struct proc_status *st)
{
	free(st->name);
	free(st->cpus_allowed_list);
	free(st->mems_allowed_list);
	st->name = st->cpus_allowed_list = st->mems_allowed_list = NULL;
}
