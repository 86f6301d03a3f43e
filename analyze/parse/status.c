/*
 * status.c - /proc/PID/status parser (see status.h).
 *
 * Two passes over the text:
 *  1. kv_parse() with KV_ALLOW_TEXT delivers every "Key: N [kB]" line; the
 *     callback stores the known ones (kB ones multiplied to bytes by kv)
 *     and records the line each came from.  Text lines ("Name:", "Uid:"
 *     with four numbers, "Cpus_allowed_list: 0-3") are skipped by kv.
 *  2. A line walk reads the text fields kv skips (Name, State, Uid,
 *     Cpus_allowed_list, Mems_allowed_list) and checks that every known
 *     numeric key present in the text was delivered by pass 1 on that very
 *     line: KV_ALLOW_TEXT would otherwise turn "VmRSS: 12x kB" into a
 *     silently absent field.
 *
 * Invariants: kv has already refused NUL bytes and lines over its limit
 * before pass 2 runs; a known key appears at most once; *OUT owns its
 * strings only when 0 is returned.
 */
#include "status.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "parse_num.h"

enum { NUM_PLAIN = 0, NUM_KB = 1 };

static const struct {
	const char *key;
	size_t off;
	int kb;
} status_keys[] = {
	{ "Tgid", offsetof(struct proc_status, tgid), NUM_PLAIN },
	{ "PPid", offsetof(struct proc_status, ppid), NUM_PLAIN },
	{ "Threads", offsetof(struct proc_status, threads), NUM_PLAIN },
	{ "VmPeak", offsetof(struct proc_status, vm_peak), NUM_KB },
	{ "VmSize", offsetof(struct proc_status, vm_size), NUM_KB },
	{ "VmLck", offsetof(struct proc_status, vm_lck), NUM_KB },
	{ "VmPin", offsetof(struct proc_status, vm_pin), NUM_KB },
	{ "VmHWM", offsetof(struct proc_status, vm_hwm), NUM_KB },
	{ "VmRSS", offsetof(struct proc_status, vm_rss), NUM_KB },
	{ "RssAnon", offsetof(struct proc_status, rss_anon), NUM_KB },
	{ "RssFile", offsetof(struct proc_status, rss_file), NUM_KB },
	{ "RssShmem", offsetof(struct proc_status, rss_shmem), NUM_KB },
	{ "VmData", offsetof(struct proc_status, vm_data), NUM_KB },
	{ "VmStk", offsetof(struct proc_status, vm_stk), NUM_KB },
	{ "VmExe", offsetof(struct proc_status, vm_exe), NUM_KB },
	{ "VmLib", offsetof(struct proc_status, vm_lib), NUM_KB },
	{ "VmPTE", offsetof(struct proc_status, vm_pte), NUM_KB },
	{ "VmSwap", offsetof(struct proc_status, vm_swap), NUM_KB },
	{ "HugetlbPages", offsetof(struct proc_status, hugetlb_pages), NUM_KB },
	{ "voluntary_ctxt_switches", offsetof(struct proc_status, voluntary_ctxt_switches),
	  NUM_PLAIN },
	{ "nonvoluntary_ctxt_switches",
	  offsetof(struct proc_status, nonvoluntary_ctxt_switches), NUM_PLAIN },
};

#define N_KEYS (sizeof(status_keys) / sizeof(status_keys[0]))

struct status_state {
	struct proc_status *out;
	int line[N_KEYS];   /* where pass 1 found each key; 0 = not delivered */
};

static int key_index(const char *key, size_t len);
static int64_t *slot_of(struct proc_status *st, int i);
static int status_kv(void *ctx, const struct kv *kv, struct ms_err *err);
static int bad_number(int line, int i, struct ms_err *err);
static int dup_text(char **dst, const char *what, const char *p, const char *e, int trim,
		    int line, struct ms_err *err);
static int text_line(struct status_state *s, const char *p, const char *eol, int line,
		     struct ms_err *err);

static int key_index(const char *key, size_t len)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strlen(status_keys[i].key) == len && memcmp(status_keys[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

static int64_t *slot_of(struct proc_status *st, int i)
{
	return (int64_t *)(void *)((char *)st + status_keys[i].off);
}

static int bad_number(int line, int i, struct ms_err *err)
{
	return ms_err_set(err, EINVAL, "status:%d: expected '%s: N%s'", line,
			  status_keys[i].key, status_keys[i].kb ? " kB" : "");
}

/* Pass 1: one numeric line from kv. */
static int status_kv(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct status_state *s = ctx;
	int i = key_index(kv->key, kv->key_len);
	if (i < 0)
		return 0;
	if (s->line[i])
		return ms_err_set(err, EINVAL, "status:%d: duplicate '%s'", kv->line,
				  status_keys[i].key);
	if (kv->has_kb != status_keys[i].kb || kv->value < 0)
		return bad_number(kv->line, i, err);
	*slot_of(s->out, i) = kv->value;
	s->line[i] = kv->line;
	return 0;
}

/* Copy P..E to a new string in *DST (the value of key WHAT), without its
 * leading and trailing blanks when TRIM. */
static int dup_text(char **dst, const char *what, const char *p, const char *e, int trim,
		    int line, struct ms_err *err)
{
	while (trim && p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (trim && e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (*dst)
		return ms_err_set(err, EINVAL, "status:%d: duplicate '%s'", line, what);
	char *s = malloc((size_t)(e - p) + 1);
	if (!s)
		return ms_err_set(err, ENOMEM, "status:%d: out of memory", line);
	memcpy(s, p, (size_t)(e - p));
	s[e - p] = '\0';
	*dst = s;
	return 0;
}

/* Pass 2: one line (P..EOL, no newline). */
static int text_line(struct status_state *s, const char *p, const char *eol, int line,
		     struct ms_err *err)
{
	struct proc_status *out = s->out;
	const char *key = p;
	while (p < eol && *p != ':')
		p++;
	if (p == eol)
		return 0; /* no key: kv has judged it already */
	size_t klen = (size_t)(p - key);
	p++; /* the value starts after ':' and one tab (Name may begin with blanks) */
	if (p < eol && *p == '\t')
		p++;

	int i = key_index(key, klen);
	if (i >= 0)
		return s->line[i] == line ? 0 : bad_number(line, i, err);
	if (klen == 4 && memcmp(key, "Name", 4) == 0)
		return dup_text(&out->name, "Name", p, eol, 0, line, err);
	if (klen == 17 && memcmp(key, "Cpus_allowed_list", 17) == 0)
		return dup_text(&out->cpus_allowed_list, "Cpus_allowed_list", p, eol, 1, line, err);
	if (klen == 17 && memcmp(key, "Mems_allowed_list", 17) == 0)
		return dup_text(&out->mems_allowed_list, "Mems_allowed_list", p, eol, 1, line, err);
	if (klen == 5 && memcmp(key, "State", 5) == 0) {
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p == eol || *p == ' ' || (p + 1 < eol && p[1] != ' '))
			return ms_err_set(err, EINVAL, "status:%d: expected 'State: X (name)'", line);
		if (out->state)
			return ms_err_set(err, EINVAL, "status:%d: duplicate 'State'", line);
		out->state = *p;
		return 0;
	}
	if (klen == 3 && memcmp(key, "Uid", 3) == 0) {
		uint64_t v[2];
		for (int k = 0; k < 2; k++) {
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			if (ms_scan_u64(&p, eol, &v[k]) < 0 || v[k] > UINT32_MAX ||
			    (p < eol && *p != ' ' && *p != '\t'))
				return ms_err_set(err, EINVAL,
						  "status:%d: expected 'Uid: real effective saved fs'",
						  line);
		}
		if (out->uid_real != -1)
			return ms_err_set(err, EINVAL, "status:%d: duplicate 'Uid'", line);
		out->uid_real = (int64_t)v[0];
		out->uid_effective = (int64_t)v[1];
		return 0;
	}
	return 0;
}

int status_parse(const char *text, size_t len, struct proc_status *out,
		 struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < N_KEYS; i++)
		*slot_of(out, (int)i) = -1;
	out->uid_real = out->uid_effective = -1;
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "status: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "status:1: empty file");
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;
		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		return ms_err_set(err, EINVAL, "status:%d: NUL byte", line);
	}

	struct status_state s;
	memset(&s, 0, sizeof(s));
	s.out = out;
	if (kv_parse(text, len, KV_ALLOW_TEXT, "status", status_kv, &s, err) < 0)
		goto fail;
	const char *p = text, *end = text + len;
	int line = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		if (!eol)
			eol = end;
		line++;
		if (text_line(&s, p, eol, line, err) < 0)
			goto fail;
		p = next;
	}
	return 0;
fail:
	status_release(out);
	return -1;
}

void status_release(struct proc_status *st)
{
	free(st->name);
	free(st->cpus_allowed_list);
	free(st->mems_allowed_list);
	st->name = st->cpus_allowed_list = st->mems_allowed_list = NULL;
}
