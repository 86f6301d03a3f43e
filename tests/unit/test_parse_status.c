/*
 * test_parse_status.c - analyze/parse/status.c on real /proc/PID/status
 * text (6.18 host: a shell, a test process, kthreadd; the 6.1 two-node VM),
 * on a pre-4.5 (3.10) file written from the kernel documentation, and on
 * malformed input.
 *
 * Expected values are the numbers printed in the fixture files (read by
 * eye and with grep); kB values times 1024.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "test.h"

#define KB(n) ((int64_t)(n) * 1024)

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct proc_status *st, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int rc = status_parse(p, len, st, &test_rep, e);
	free(p);
	return rc;
}

/* S parses, its bad lines reported as REPORTS (each with its '\n') */
static void bad(const char *s, size_t len, const char *reports, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct proc_status st;
	if (!CHECK_EQ_I64(parse_exact(s, len, &st, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), reports))
		fprintf(stderr, "  (from line %d)\n", line);
	status_release(&st);
	ms_err_release(&e);
}

/* S is not a status at all: MSG */
static void bad_file(const char *s, size_t len, const char *msg, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct proc_status st;
	if (!CHECK_EQ_I64(parse_exact(s, len, &st, &e), -1) || !CHECK_STR(e.msg, msg))
		fprintf(stderr, "  (from line %d)\n", line);
	/* nothing to free after a failure */
	CHECK(st.name == NULL && st.cpus_allowed_list == NULL && st.mems_allowed_list == NULL);
	ms_err_release(&e);
}

#define STATUS_BAD(s, len, msg) bad((s), (len), msg "\n", __LINE__)

TEST(status_host_self)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/status", &len);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_STR(st.name, "bash");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.tgid, 6704);
	CHECK_EQ_I64(st.ppid, 6701);
	CHECK_EQ_I64(st.uid_real, 0);
	CHECK_EQ_I64(st.uid_effective, 0);
	CHECK_EQ_I64(st.threads, 1);
	CHECK_EQ_I64(st.vm_peak, KB(4360));
	CHECK_EQ_I64(st.vm_size, KB(4360));
	CHECK_EQ_I64(st.vm_lck, 0);
	CHECK_EQ_I64(st.vm_pin, 0);
	CHECK_EQ_I64(st.vm_hwm, KB(3192));
	CHECK_EQ_I64(st.vm_rss, KB(3192));
	CHECK_EQ_I64(st.rss_anon, KB(276));
	CHECK_EQ_I64(st.rss_file, KB(2916));
	CHECK_EQ_I64(st.rss_shmem, 0);
	CHECK_EQ_I64(st.vm_data, KB(304));
	CHECK_EQ_I64(st.vm_stk, KB(132));
	CHECK_EQ_I64(st.vm_exe, KB(772));
	CHECK_EQ_I64(st.vm_lib, KB(1596));
	CHECK_EQ_I64(st.vm_pte, KB(48));
	CHECK_EQ_I64(st.vm_swap, 0);
	CHECK_EQ_I64(st.hugetlb_pages, 0);
	CHECK_STR(st.cpus_allowed_list, "0-1");
	CHECK_STR(st.mems_allowed_list, "0");
	CHECK_EQ_I64(st.voluntary_ctxt_switches, 3);
	CHECK_EQ_I64(st.nonvoluntary_ctxt_switches, 0);
	status_release(&st);
	CHECK(st.name == NULL);
	status_release(&st); /* idempotent */
	free(text);
}

TEST(status_host_special_process)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/24054/status", &len);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_STR(st.name, "cap");
	CHECK_EQ_I64(st.tgid, 24054);
	CHECK_EQ_I64(st.ppid, 1);
	CHECK_EQ_I64(st.vm_lck, KB(8));
	CHECK_EQ_I64(st.vm_rss, KB(3528));
	CHECK_EQ_I64(st.rss_anon, KB(2188));
	CHECK_EQ_I64(st.rss_file, KB(1324));
	CHECK_EQ_I64(st.rss_shmem, KB(16));
	/* RssAnon + RssFile + RssShmem = VmRSS */
	CHECK_EQ_I64(st.rss_anon + st.rss_file + st.rss_shmem, st.vm_rss);
	status_release(&st);
	free(text);
}

TEST(status_kernel_thread)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/2/status", &len);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_STR(st.name, "kthreadd");
	CHECK_EQ_I64(st.tgid, 2);
	CHECK_EQ_I64(st.ppid, 0);
	CHECK_EQ_I64(st.threads, 1);
	/* no mm: no Vm or Rss line at all */
	CHECK_EQ_I64(st.vm_peak, -1);
	CHECK_EQ_I64(st.vm_size, -1);
	CHECK_EQ_I64(st.vm_rss, -1);
	CHECK_EQ_I64(st.rss_anon, -1);
	CHECK_EQ_I64(st.vm_swap, -1);
	CHECK_EQ_I64(st.hugetlb_pages, -1);
	CHECK_EQ_I64(st.voluntary_ctxt_switches, 63);
	status_release(&st);
	free(text);
}

TEST(status_numa_hog)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/status", &len);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_STR(st.name, "numa_hog");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.tgid, 151);
	CHECK_EQ_I64(st.ppid, 1);
	CHECK_EQ_I64(st.vm_peak, KB(565100));
	CHECK_EQ_I64(st.vm_size, KB(564944));
	CHECK_EQ_I64(st.vm_hwm, KB(564756));
	CHECK_EQ_I64(st.vm_rss, KB(564424));
	CHECK_EQ_I64(st.rss_anon, KB(563772));
	CHECK_EQ_I64(st.rss_file, KB(4));
	CHECK_EQ_I64(st.rss_shmem, KB(648));
	CHECK_EQ_I64(st.vm_data, KB(564120));
	CHECK_EQ_I64(st.vm_pte, KB(1148));
	CHECK_STR(st.cpus_allowed_list, "1");
	CHECK_STR(st.mems_allowed_list, "0-1");
	CHECK_EQ_I64(st.voluntary_ctxt_switches, 1);
	CHECK_EQ_I64(st.nonvoluntary_ctxt_switches, 40);
	status_release(&st);
	free(text);
}

TEST(status_old_3_10)
{
	size_t len;
	char *text = read_fixture("old-kernel/3.10/proc/1234/status", &len);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_STR(st.name, "bash");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.tgid, 1234);
	CHECK_EQ_I64(st.ppid, 1200);
	CHECK_EQ_I64(st.uid_real, 1000);
	CHECK_EQ_I64(st.uid_effective, 1000);
	CHECK_EQ_I64(st.vm_peak, KB(115520));
	CHECK_EQ_I64(st.vm_pin, 0);
	CHECK_EQ_I64(st.vm_rss, KB(2100));
	CHECK_EQ_I64(st.vm_swap, KB(12));
	/* before 4.5 */
	CHECK_EQ_I64(st.rss_anon, -1);
	CHECK_EQ_I64(st.rss_file, -1);
	CHECK_EQ_I64(st.rss_shmem, -1);
	CHECK_EQ_I64(st.hugetlb_pages, -1);
	CHECK_STR(st.cpus_allowed_list, "0-3");
	CHECK_STR(st.mems_allowed_list, "0");
	CHECK_EQ_I64(st.voluntary_ctxt_switches, 145);
	CHECK_EQ_I64(st.nonvoluntary_ctxt_switches, 7);
	status_release(&st);
	free(text);
}

TEST(status_odd_but_valid)
{
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	/* a name with blanks that looks like a size; a lone State letter;
	 * Uid with different real and effective ids; no final newline */
	const char *s = "Name:\t 12 kB \nState:\tZ\nUid:\t1000\t0\t0\t0\nThreads:\t3";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &st, &err), 0);
	CHECK_STR(st.name, " 12 kB ");
	CHECK_EQ_I64(st.state, 'Z');
	CHECK_EQ_I64(st.uid_real, 1000);
	CHECK_EQ_I64(st.uid_effective, 0);
	CHECK_EQ_I64(st.threads, 3);
	CHECK_EQ_I64(st.tgid, -1);
	CHECK(st.cpus_allowed_list == NULL);
	status_release(&st);
	/* only text keys: everything numeric absent */
	const char *t = "Name:\tx\n";
	CHECK_EQ_I64(parse_exact(t, strlen(t), &st, &err), 0);
	CHECK_STR(st.name, "x");
	CHECK_EQ_I64(st.state, '\0');
	CHECK_EQ_I64(st.uid_real, -1);
	status_release(&st);
	CHECK(err.msg == NULL);
}

TEST(status_bad_numbers)
{
	/* non-numeric, with a unit it must not have, without the one it needs */
	const char *a = "Name:\tx\nVmRSS:\t  12x kB\n";
	STATUS_BAD(a, strlen(a), "status:2: expected 'VmRSS: N kB'");
	const char *b = "Name:\tx\nThreads:\t1 kB\n";
	STATUS_BAD(b, strlen(b), "status:2: expected 'Threads: N'");
	const char *c = "VmRSS:\t12\n";
	STATUS_BAD(c, strlen(c), "status:1: expected 'VmRSS: N kB'");
	const char *d = "Tgid:\tabc\n";
	STATUS_BAD(d, strlen(d), "status:1: expected 'Tgid: N'");
	const char *e = "PPid:\t-1\n";
	STATUS_BAD(e, strlen(e), "status:1: expected 'PPid: N'");
	const char *f = "VmSwap:\t99999999999999999999 kB\n";
	STATUS_BAD(f, strlen(f), "status:1: the value of 'VmSwap' is out of range (more than 64 "
				 "bits): '99999999999999999999 kB'");
	const char *g = "VmSwap:\t9007199254740992 kB\n";
	STATUS_BAD(g, strlen(g), "status:1: the value of 'VmSwap' is out of range (more than "
				 "2^63-1 bytes): '9007199254740992 kB'");
	const char *h = "Name:\tx\nTgid:\t1\nTgid:\t1\n";
	STATUS_BAD(h, strlen(h), "status:3: a second 'Tgid' line; the first kept");
	const char *i = "Name:\tx\nName:\ty\n";
	STATUS_BAD(i, strlen(i), "status:2: a second 'Name' line; the first kept");
	/* a bad line costs that line, and that field: the others are read */
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	const char *n = "Name:\tx\nVmRSS:\t12x kB\nVmSwap:\t8 kB\nName:\ty\nThreads:\t3\n";
	CHECK_EQ_I64(parse_exact(n, strlen(n), &st, &err), 0);
	CHECK_STR(test_reports(), "status:2: expected 'VmRSS: N kB'\n"
				  "status:4: a second 'Name' line; the first kept\n");
	CHECK_EQ_I64(st.vm_rss, -1);
	CHECK_EQ_I64(st.vm_swap, KB(8));
	CHECK_STR(st.name, "x");
	CHECK_EQ_I64(st.threads, 3);
	status_release(&st);
	const char *j = "Uid:\t1000\n";
	STATUS_BAD(j, strlen(j), "status:1: expected 'Uid: real effective saved fs'");
	const char *k = "Uid:\tx\t0\t0\t0\n";
	STATUS_BAD(k, strlen(k), "status:1: expected 'Uid: real effective saved fs'");
	const char *l = "State:\tsleeping\n";
	STATUS_BAD(l, strlen(l), "status:1: expected 'State: X (name)'");
	const char *m = "State:\t\n";
	STATUS_BAD(m, strlen(m), "status:1: expected 'State: X (name)'");
}

TEST(status_truncated)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/status", &len);
	/* cut inside "VmRSS:\t    3192 kB" (line 23) */
	const char *rss = strstr(text, "VmRSS:");
	REQUIRE(rss != NULL);
	size_t at = (size_t)(rss - text);
	STATUS_BAD(text, at + 13, "status:23: expected 'VmRSS: N kB'");
	STATUS_BAD(text, at + 16, "status:23: expected 'VmRSS: N kB'");
	STATUS_BAD(text, at + 6, "status:23: expected 'VmRSS: N kB'");
	/* cut after the full line: fine, later fields absent */
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, at + 18, &st, &err), 0);
	CHECK_EQ_I64(st.vm_rss, KB(3192));
	CHECK_EQ_I64(st.rss_anon, -1);
	CHECK(st.cpus_allowed_list == NULL);
	status_release(&st);
	/* every prefix: no crash, and a clean parse (its problems "status:"
	 * lines) or, for the empty one, a "status:" error */
	for (size_t cut = 0; cut <= len; cut++) {
		int r = parse_exact(text, cut, &st, &err);
		if (r == 0)
			status_release(&st);
		else
			CHECK(cut == 0 && err.msg && strncmp(err.msg, "status:", 7) == 0);
		const char *rep = test_reports();
		CHECK(!*rep || strncmp(rep, "status:", 7) == 0);
		ms_err_release(&err);
	}
	free(text);
}

TEST(status_nul_long_empty)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/status", &len);
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[2] = '\0';   /* in "Name" */
	STATUS_BAD(c, len, "status:1: NUL byte");
	memcpy(c, text, len);
	char *vm = strstr(c, "VmHWM");
	REQUIRE(vm != NULL);
	vm[7] = '\0';
	STATUS_BAD(c, len, "status:21: NUL byte");
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(22 + big);
	REQUIRE(s != NULL);
	memcpy(s, "Name:\tx\nTgid:\t1\nPPid:\t", 22);
	memset(s + 22, '7', big);
	STATUS_BAD(s, 22 + big, "status:3: line longer than 65536 bytes");
	free(s);

	bad_file("", 0, "status:1: empty file", __LINE__);
	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(status_parse("", (size_t)INT_MAX + 1, &st, &test_rep, &err), -1);
	CHECK_STR(err.msg, "status: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}

TEST(status_one_pass)
{
	/* one pass in file order: every bad line is reported, in order, a
	 * number kv itself refuses included */
	const char *a = "State:\tsleeping\nVmRSS:\t9007199254740992 kB\n";
	bad(a, strlen(a), "status:1: expected 'State: X (name)'\n"
			  "status:2: the value of 'VmRSS' is out of range (more than 2^63-1 bytes): "
			  "'9007199254740992 kB'\n", __LINE__);
	const char *b = "Tgid:\t1\nVmRSS:\t9007199254740992 kB\nState:\tsleeping\n";
	bad(b, strlen(b), "status:2: the value of 'VmRSS' is out of range (more than 2^63-1 bytes): "
			  "'9007199254740992 kB'\nstatus:3: expected 'State: X (name)'\n", __LINE__);
	/* a repeated key is a duplicate, whatever its second value */
	const char *c = "Tgid:\t1\nTgid:\tx\n";
	STATUS_BAD(c, strlen(c), "status:2: a second 'Tgid' line; the first kept");
	const char *d = "State:\tS (sleeping)\nState:\tsleeping\n";
	STATUS_BAD(d, strlen(d), "status:2: a second 'State' line; the first kept");
	/* keys are kv's (leading blanks skipped, ending at a blank or ':'), so
	 * a kept numeric key with text after it is an error in every shape */
	const char *e = "  VmRSS:\t12x kB\n";
	STATUS_BAD(e, strlen(e), "status:1: expected 'VmRSS: N kB'");
	const char *f = "Name:\tx\nVmRSS 12x kB\n";
	STATUS_BAD(f, strlen(f), "status:2: expected 'VmRSS: N kB'");

	struct proc_status st;
	struct ms_err err = MS_ERR_INIT;
	const char *g = "  Name:\tx y\nVmRSS 12 kB\n Cpus_allowed_list:\t 0-3 \n";
	CHECK_EQ_I64(parse_exact(g, strlen(g), &st, &err), 0);
	CHECK_STR(st.name, "x y");
	CHECK_EQ_I64(st.vm_rss, KB(12));
	CHECK_STR(st.cpus_allowed_list, "0-3");
	status_release(&st);
	/* only the values of kept numeric keys are read as numbers: a text key
	 * or an unknown one may hold anything, an oversized kB value included */
	const char *i = "Name:\t9007199254740992 kB\nFoo:\t9007199254740992 kB\nTgid:\t1\n";
	CHECK_EQ_I64(parse_exact(i, strlen(i), &st, &err), 0);
	CHECK_STR(st.name, "9007199254740992 kB");
	CHECK_EQ_I64(st.tgid, 1);
	status_release(&st);
	/* keys out of the kernel's order are found too; unknown ones ignored */
	const char *h = "Threads:\t2\nNewKey:\tvalue\nName:\tz\nVmSwap:\t1 kB\nTgid:\t7\nVmPeak:\t3 kB\n";
	CHECK_EQ_I64(parse_exact(h, strlen(h), &st, &err), 0);
	CHECK_STR(st.name, "z");
	CHECK_EQ_I64(st.threads, 2);
	CHECK_EQ_I64(st.vm_swap, KB(1));
	CHECK_EQ_I64(st.tgid, 7);
	CHECK_EQ_I64(st.vm_peak, KB(3));
	CHECK_EQ_I64(st.vm_rss, -1);
	status_release(&st);
	CHECK(err.msg == NULL);
}
