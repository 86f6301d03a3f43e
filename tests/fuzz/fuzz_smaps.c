/*
 * fuzz_smaps.c - smaps_parse() on arbitrary text, and smaps_header_parse()
 * on its first line (see fuzz.h).
 */
#include "fuzz.h"
#include "smaps.h"

static int vma(void *ctx, const struct smaps_vma *v, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(v->path != NULL && v->line >= 1);
	FUZZ_CHECK(v->start <= v->end); /* a header saying otherwise loses its mapping */
	FUZZ_CHECK(strlen(v->perms) == 4);
	FUZZ_CHECK(v->thp_eligible >= -1 && v->thp_eligible <= 1);
	*(size_t *)ctx += fuzz_touch(v->path) + fuzz_touch(v->vm_flags);
	const int64_t *f = &v->f.size;
	for (size_t i = 0; i < sizeof(v->f) / sizeof(*f); i++)
		FUZZ_CHECK(f[i] >= -1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "smaps:", data, size);
	size_t n = 0;
	int rc = smaps_parse(text, size, vma, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	FUZZ_CHECK(rc == 0 || f.n == f.stop); /* no error of its own (under 2 GiB) */
	ms_err_release(&err);

	const char *eol = memchr(text, '\n', size);
	struct smaps_header h;
	if (smaps_header_parse(text, eol ? (size_t)(eol - text) : size, &h) == 0) {
		FUZZ_CHECK(strlen(h.perms) == 4);
		FUZZ_CHECK(h.path_len == 0 || (h.path >= text && h.path + h.path_len <= text + size));
	}
	return 0;
}
