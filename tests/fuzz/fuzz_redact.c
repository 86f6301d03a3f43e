/*
 * fuzz_redact.c - memsnap redact's path on whole archives: the bundle
 * reader, every member through the redactor (common/redact.c,
 * redact_names.c: the header, command lines, cgroup paths in record paths
 * and /proc/PID/cgroup, host names, /home paths), names mapped and
 * written to a mapping file, a --keep-cmdline pattern.  The input's first
 * byte picks a tar stream to compress or a raw file (fuzz_input.h); the
 * second, whether command lines are cut to argv[0] or removed.
 * Invariants: the redactor returns 0, 1 (damaged framing, with a message),
 * 2 (a member the format does not name, never a host or tier member) or
 * -1 with a message; a member of records it returns whole frames into
 * records again; a header it returns ends with its "redacted" line.
 */
#include <errno.h>
#include <fcntl.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "fuzz_input.h"
#include "record.h"
#include "redact.h"

struct ctx {
	struct redactor *r;
	struct ms_buf out;
};

static int is_records(const char *name)
{
	const char *slash = strchr(name, '/');
	return slash && slash != name && strspn(name, "0123456789") == (size_t)(slash - name) &&
	       (!strcmp(slash + 1, "host") || (slash[1] == 't' && slash[2] >= '0' && slash[2] <= '9'));
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct ctx *c = ctx;
	struct ms_err e = MS_ERR_INIT;
	int rc = redactor_member(c->r, m->name, m->data, m->len, &c->out, &e);
	FUZZ_CHECK(rc >= -1 && rc <= 2);
	FUZZ_CHECK((rc == -1 || rc == 1) == (e.msg != NULL));
	FUZZ_CHECK(rc != 2 || !is_records(m->name));
	if (rc == 0 && is_records(m->name)) {
		size_t pos = 0;
		struct ms_record r;
		int n;
		while ((n = record_next(c->out.data, c->out.len, &pos, &r, m->name, &e)) > 0)
			;
		FUZZ_CHECK(n == 0);
	}
	if (rc == 0 && !strcmp(m->name, MS_MEMBER_HEADER))
		FUZZ_CHECK(c->out.len && c->out.data[c->out.len - 1] == '\n' &&
			   memmem(c->out.data, c->out.len, "redacted cmdline=", 17) != NULL);
	ms_err_release(&e);
	return rc < 0 ? ms_err_set(err, EIO, "the redactor failed") : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int map_fd = -1;
	if (map_fd < 0) {
		map_fd = memfd_create("memsnap-fuzz-map", MFD_CLOEXEC);
		FUZZ_CHECK(map_fd >= 0);
	}
	FUZZ_CHECK(ftruncate(map_fd, 0) == 0 && lseek(map_fd, 0, SEEK_SET) == 0);
	static const char *const keep[] = { "ms-*" };
	const struct redact_opts o = { size > 1 && (data[1] & 2) ? REDACT_CMDLINE_NONE
								 : REDACT_CMDLINE_ARGV0, 1, keep, 1 };
	const char *path = fuzz_bundle_path(data, size);
	struct ctx c;
	struct ms_err err = MS_ERR_INIT;
	FUZZ_CHECK(ms_buf_init(&c.out, 0) == 0);
	FUZZ_CHECK(redactor_new(&c.r, &o, map_fd, &err) == 0);
	struct bundle_limits lim = { 1u << 20, 16u << 20 };
	struct bundle_read_result rr;
	int rc = bundle_read(path, &lim, on_member, &c, &rr, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	bundle_read_result_release(&rr);
	redactor_free(c.r);
	ms_buf_release(&c.out);
	ms_err_release(&err);
	return 0;
}
