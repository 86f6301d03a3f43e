/*
 * fuzz_cgroup_numa_stat.c - cgroup_numa_stat_parse() (a memory cgroup's
 * memory.numa_stat, v1 and v2) on arbitrary text (see fuzz.h).  Invariants:
 * keys are non-empty spans of the input without blanks, '=' or newlines;
 * line numbers never go down; an error names the file.
 */
#include "cgroup_numa_stat.h"
#include "fuzz.h"

struct span {
	const char *text;
	size_t len;
	int line;
};

static int row(void *ctx, const struct cgroup_numa_row *r, struct ms_err *err)
{
	struct span *s = ctx;
	(void)err;
	FUZZ_CHECK(r->key_len > 0 && r->key >= s->text && r->key + r->key_len <= s->text + s->len);
	FUZZ_CHECK(!memchr(r->key, '\n', r->key_len) && !memchr(r->key, '=', r->key_len) &&
		   !memchr(r->key, ' ', r->key_len) && !memchr(r->key, '\t', r->key_len));
	FUZZ_CHECK(r->line >= s->line && r->line >= 1);
	s->line = r->line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "memory.numa_stat:", data, size);
	struct span s = { (const char *)data, size, 0 };
	int rc = cgroup_numa_stat_parse((const char *)data, size, row, &s, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	FUZZ_CHECK(rc == 0 || f.n == f.stop); /* no error of its own (under 2 GiB) */
	ms_err_release(&err);
	return 0;
}
