/*
 * test_redact.c - common/redact.c and redact_names.c: argv[0], the names
 * kept and mapped in cgroup paths and /home paths, the mapping file's
 * lines, the header and the records of a member, damaged framing and
 * members the format does not name.  Members are exact-length copies, so
 * that AddressSanitizer sees a read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms_buf.h"
#include "record.h"
#include "redact.h"
#include "redact_names.h"
#include "test.h"

#define ARGV0_IS(lit, n) CHECK_EQ_U64(redact_argv0_len((lit), sizeof(lit) - 1), (n))

TEST(argv0_len)
{
	ARGV0_IS("sleep\0" "301\0", 5);
	ARGV0_IS("sshd: alice [priv]\0\0\0", 5);       /* a rewritten title */
	ARGV0_IS("postgres: checkpointer\0\0", 9);
	ARGV0_IS("/usr/bin/java\0-jar\0", 13);
	ARGV0_IS("no-nul-at-all", 13);
	ARGV0_IS("", 0);
	ARGV0_IS("\0x\0", 0);
}

/* NAMES's mapping of cgroup path REL (FILE: its last part may be a file) */
static void cgroup_is(struct name_map *m, const char *rel, int file, const char *want)
{
	struct ms_buf out;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(ms_buf_init(&out, 0) == 0);
	char *r = test_exact_copy(rel, strlen(rel));
	CHECK_EQ_I64(redact_cgroup_path(m, r, strlen(rel), file, &out, &err), 0);
	CHECK_STR(out.data, want);
	free(r);
	ms_buf_release(&out);
	ms_err_release(&err);
}

TEST(cgroup_names)
{
	struct name_map m;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(name_map_init(&m, -1, &err) == 0);
	cgroup_is(&m, "", 0, "");
	cgroup_is(&m, "/", 0, "/");
	cgroup_is(&m, "/system.slice/nginx.service", 0, "/system.slice/cg-1.service");
	cgroup_is(&m, "/system.slice/nginx.service/memory.stat", 1, "/system.slice/cg-1.service/memory.stat");
	/* a last part that is no interface file, or without FILE, is a name */
	cgroup_is(&m, "/memory.stat", 0, "/cg-2");
	cgroup_is(&m, "/a/memory.x-y", 1, "/cg-3/cg-4");
	cgroup_is(&m, "/user.slice/user-1000.slice/user@1000.service/app.slice", 0,
		  "/user.slice/user-1000.slice/user@1000.service/app.slice");
	cgroup_is(&m, "/user.slice/user-1000.slice/session-3.scope", 0,
		  "/user.slice/user-1000.slice/session-3.scope");
	/* only digits make a uid or a session number */
	cgroup_is(&m, "/user-.slice/user-x1.slice/session-c1.scope", 0, "/cg-5.slice/cg-6.slice/cg-7.scope");
	cgroup_is(&m, "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7f.slice/cri-containerd-ab12.scope",
		  0, "/kubepods.slice/kubepods-burstable.slice/cg-8.slice/cg-9.scope");
	cgroup_is(&m, "/docker/0123abcd", 0, "/docker/cg-10");
	/* the same name, the same pseudonym; a name like a pseudonym gets its own */
	cgroup_is(&m, "/cg-1/nginx.service", 0, "/cg-11/cg-1.service");
	CHECK_EQ_U64(m.n, 11);
	name_map_release(&m);
	ms_err_release(&err);
}

TEST(home_names)
{
	struct name_map m;
	struct ms_buf out;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(name_map_init(&m, -1, &err) == 0 && ms_buf_init(&out, 0) == 0);
	static const char t[] = "/home/alice/x.so /home/bob\n/var/home/alice/y\0/home/\0/homes/z /home/bob/";
	char *c = test_exact_copy(t, sizeof(t) - 1);
	CHECK_EQ_I64(redact_homes(&m, c, sizeof(t) - 1, &out, &err), 0);
	static const char want[] = "/home/user-1/x.so /home/user-2\n/var/home/user-1/y\0/home/\0/homes/z /home/user-2/";
	CHECK_MEM(out.data, out.len, want, sizeof(want) - 1);
	free(c);
	ms_buf_release(&out);
	name_map_release(&m);
	ms_err_release(&err);
}

/* The mapping file: a header, then one escaped line per pseudonym, once */
TEST(mapping_lines)
{
	char *path = test_tmpfile("redact-map");
	FILE *f = fopen(path, "w+");
	REQUIRE(f != NULL);
	struct name_map m;
	struct ms_buf out;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(name_map_init(&m, fileno(f), &err) == 0 && ms_buf_init(&out, 0) == 0);
	CHECK_EQ_I64(name_map_put(&m, RC_HOST, "db7", 3, 0, &out, &err), 0);
	CHECK_EQ_I64(name_map_put(&m, RC_CGROUP, "a b\t%\n.service", 14, 8, &out, &err), 0);
	CHECK_EQ_I64(name_map_put(&m, RC_HOST, "db7", 3, 0, &out, &err), 0);
	CHECK_EQ_I64(name_map_put(&m, RC_USER, "db7", 3, 0, &out, &err), 0);
	CHECK_STR(out.data, "host-1cg-1.servicehost-1user-1");
	fflush(f);
	size_t n;
	char *got = test_read_file(path, &n);
	CHECK_STR(got,
		  "# memsnap redact: CLASS PSEUDONYM REAL, tab-separated (REAL with bytes <= 0x20,\n"
		  "# '%' and 0x7f as %XX). Keep this file private: it undoes the redaction.\n"
		  "host\thost-1\tdb7\n"
		  "cgroup\tcg-1.service\ta%20b%09%25%0A.service\n"
		  "user\tuser-1\tdb7\n");
	free(got);
	fclose(f);
	unlink(path);
	free(path);
	ms_buf_release(&out);
	name_map_release(&m);
	ms_err_release(&err);
}

static struct redactor *new_redactor(enum redact_cmdline c, int names, const char *const *keep,
				     size_t nkeep)
{
	const struct redact_opts o = { c, names, keep, nkeep };
	struct redactor *r;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(redactor_new(&r, &o, -1, &err) == 0);
	ms_err_release(&err);
	return r;
}

/* Member NAME redacted by R: its return value, OUT holding the text */
static int member(struct redactor *r, const char *name, const char *text, size_t len,
		  struct ms_buf *out)
{
	struct ms_err err = MS_ERR_INIT;
	char *c = test_exact_copy(text, len);
	int rc = redactor_member(r, name, c, len, out, &err);
	free(c);
	ms_err_release(&err);
	return rc;
}

#define HEADER(...) member(r, "memsnap.header", __VA_ARGS__)

TEST(header)
{
	struct redactor *r = new_redactor(REDACT_CMDLINE_ARGV0, 1, NULL, 0);
	struct ms_buf out;
	REQUIRE(ms_buf_init(&out, 0) == 0);
	static const char h[] = "format 1\nhostname db7\ncommand collect -o /srv/db7.tar.zst\n"
				"redacted cmdline=none names=kept\nnospace\ncgroup_v2 /sys/fs/cgroup";
	CHECK_EQ_I64(HEADER(h, sizeof(h) - 1, &out), 0);
	CHECK_STR(out.data, "format 1\nhostname host-1\ncommand collect\nnospace\n"
			    "cgroup_v2 /sys/fs/cgroup\nredacted cmdline=none names=pseudonyms\n");
	redactor_free(r);
	r = new_redactor(REDACT_CMDLINE_KEEP, 0, NULL, 0);
	static const char h2[] = "hostname (none)\ncommand collect -q\n";
	CHECK_EQ_I64(HEADER(h2, sizeof(h2) - 1, &out), 0);
	CHECK_STR(out.data, "hostname (none)\ncommand collect -q\nredacted cmdline=keep names=kept\n");
	redactor_free(r);
	ms_buf_release(&out);
}

/* one record appended to B */
static void rec(struct ms_buf *b, const char *status, const char *path, const char *data, size_t len)
{
	REQUIRE(record_append(b, status, path, data, len, -1) == 0);
}

TEST(records)
{
	static const char *const keep[] = { "ms-*" };
	struct redactor *r = new_redactor(REDACT_CMDLINE_ARGV0, 1, keep, 1);
	struct ms_buf in, out, want;
	REQUIRE(ms_buf_init(&in, 0) == 0 && ms_buf_init(&out, 0) == 0 && ms_buf_init(&want, 0) == 0);
	static const char h[] = "format 1\ncgroup_v1_memory /sys/fs/cgroup/memory\ncgroup_v2 /sys/fs/cgroup\n";
	REQUIRE(HEADER(h, sizeof(h) - 1, &out) == 0);
	static const char st1[] = "10 (java) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 1 1\n";
	static const char st2[] = "11 (ms-x) S 1 11 11 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 1 1\n";
	rec(&in, "ok", "/sys/fs/cgroup/memory/app/memory.stat", "rss 1\n", 6);
	rec(&in, "EACCES", "/sys/fs/cgroup/app/db", NULL, 0);
	rec(&in, "ok", "/proc/10/stat", st1, sizeof(st1) - 1);
	rec(&in, "ok", "/proc/10/cmdline", "java\0-Dpw=x\0", 12);
	rec(&in, "ok", "/proc/11/stat", st2, sizeof(st2) - 1);
	rec(&in, "ok", "/proc/11/cmdline", "ms-x\0-a\0", 8);
	rec(&in, "ok", "/proc/12/cmdline", "orphan\0-b\0", 10);  /* no stat: cut */
	rec(&in, "ok", "/proc/11/cgroup", "4:memory:/app\n0::/app/db\n", 25);
	rec(&in, "ok", "/proc/sys/kernel/hostname", "db7\n", 4);
	CHECK_EQ_I64(member(r, "000001/t0.1", in.data, in.len, &out), 0);
	rec(&want, "ok", "/sys/fs/cgroup/memory/cg-1/memory.stat", "rss 1\n", 6);
	rec(&want, "EACCES", "/sys/fs/cgroup/cg-1/cg-2", NULL, 0);
	rec(&want, "ok", "/proc/10/stat", st1, sizeof(st1) - 1);
	rec(&want, "ok", "/proc/10/cmdline", "java\0", 5);
	rec(&want, "ok", "/proc/11/stat", st2, sizeof(st2) - 1);
	rec(&want, "ok", "/proc/11/cmdline", "ms-x\0-a\0", 8);
	rec(&want, "ok", "/proc/12/cmdline", "orphan\0", 7);
	rec(&want, "ok", "/proc/11/cgroup", "4:memory:/cg-1\n0::/cg-1/cg-2\n", 29);
	rec(&want, "ok", "/proc/sys/kernel/hostname", "host-1\n", 7);
	CHECK_MEM(out.data, out.len, want.data, want.len);
	struct redact_counts c = redactor_counts(r);
	CHECK_EQ_U64(c.cmdlines, 2);
	CHECK_EQ_U64(c.names, 3);
	redactor_free(r);
	ms_buf_release(&in);
	ms_buf_release(&out);
	ms_buf_release(&want);
}

TEST(damage_and_unknown_members)
{
	struct redactor *r = new_redactor(REDACT_CMDLINE_ARGV0, 1, NULL, 0);
	struct ms_buf in, out, want;
	REQUIRE(ms_buf_init(&in, 0) == 0 && ms_buf_init(&out, 0) == 0 && ms_buf_init(&want, 0) == 0);
	rec(&in, "ok", "/proc/meminfo", "MemTotal: 1 kB\n", 15);
	rec(&want, "ok", "/proc/meminfo", "MemTotal: 1 kB\n", 15);
	REQUIRE(ms_buf_addstr(&in, "@ ok 999 /proc/vmstat\nshort\n") == 0);
	struct ms_err err = MS_ERR_INIT;
	char *c = test_exact_copy(in.data, in.len);
	CHECK_EQ_I64(redactor_member(r, "000002/t0", c, in.len, &out, &err), 1);
	CHECK_STR(err.msg, "000002/t0: offset 38: record of 999 bytes runs past the member's end");
	CHECK_MEM(out.data, out.len, want.data, want.len);
	free(c);
	ms_err_release(&err);
	/* meta and trailer copied; what the format does not name, left out */
	CHECK_EQ_I64(member(r, "000002/meta", "sample 2\noffset 7\n", 18, &out), 0);
	CHECK_STR(out.data, "sample 2\noffset 7\n");
	redactor_set_offset(r, 1234);
	CHECK_EQ_I64(member(r, "000002/meta", "sample 2\noffset 7\n", 18, &out), 0);
	CHECK_STR(out.data, "sample 2\noffset 1234\n");
	CHECK_EQ_I64(member(r, "memsnap.trailer", "samples 2\nbytes_before_trailer 9\n", 33, &out), 0);
	CHECK_STR(out.data, "samples 2\nbytes_before_trailer 1234\n");
	CHECK_EQ_I64(member(r, "000002/secrets", "x", 1, &out), 2);
	CHECK_EQ_I64(member(r, "notes.txt", "x", 1, &out), 2);
	CHECK_EQ_I64(member(r, "x/t0", "x", 1, &out), 2);
	redactor_free(r);
	ms_buf_release(&in);
	ms_buf_release(&out);
	ms_buf_release(&want);
}
