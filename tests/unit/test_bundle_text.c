/*
 * test_bundle_text.c - common/bundle_text.c and common/host_facts.c: the
 * bundle's own "KEY VALUE" texts.  What the writer puts, the reader gets
 * back; a key that is absent is told from one that is malformed (NaN,
 * infinity, junk, overflow); long values; the first line of a key wins,
 * and so does the first header of a bundle (loader and info alike); and
 * docs/bundle-format.md lists exactly the keys of the table.  Texts are
 * copied to exact-size buffers without a NUL, so that ASan sees a read
 * past the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_summary.h"
#include "bundle_text.h"
#include "bundle_writer.h"
#include "host_facts.h"
#include "loader.h"
#include "test.h"

/* TEXT in a new buffer of exactly LEN bytes (no terminating NUL) */
static char *exact(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	memcpy(p, text, len);
	return p;
}

#define EXACT(s) exact((s), strlen(s))

TEST(round_trip)
{
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	struct timespec ts = { 1796107941, 8463974 };
	CHECK_EQ_I64(bt_put(&b, BK_FORMAT, "%d", MS_BUNDLE_FORMAT), 0);
	CHECK_EQ_I64(bt_put(&b, BK_COMMAND, "%s", "collect -d 10m\n-o x"), 0);
	CHECK_EQ_I64(bt_put(&b, BK_TZ, "%s", ""), 0);
	CHECK_EQ_I64(bt_put_u64(&b, BK_OFFSET, UINT64_MAX), 0);
	CHECK_EQ_I64(bt_put(&b, BK_UTC_OFFSET_S, "%ld", -34200L), 0);
	CHECK_EQ_I64(bt_put_ts(&b, BK_WALL, &ts), 0);
	CHECK_EQ_I64(bt_put(&b, BK_DEFERRED, "%d budget", 2), 0);
	CHECK_EQ_I64(bt_put(&b, BK_GAP, "%s %llu", "EACCES smaps_rollup", 3ull), 0);
	const char want[] = "format 1\ncommand collect -d 10m -o x\nTZ \n"
			    "offset 18446744073709551615\nutc_offset_s -34200\n"
			    "wall 1796107941.008463974\ndeferred 2 budget\n"
			    "gap EACCES smaps_rollup 3\n";
	CHECK_MEM(b.data, b.len, want, sizeof(want) - 1);

	char *t = exact(b.data, b.len);
	size_t n = b.len;
	long format = 0;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bt_header_format(t, n, &format, &err), 0);
	CHECK_EQ_I64(format, 1);
	char *cmd, *tz;
	CHECK_EQ_I64(bt_get_str(t, n, BK_COMMAND, &cmd), 0);
	CHECK_STR(cmd, "collect -d 10m -o x");
	CHECK_EQ_I64(bt_get_str(t, n, BK_TZ, &tz), 0);
	CHECK_STR(tz, "");
	uint64_t u = 0;
	CHECK_EQ_I64(bt_get_u64(t, n, BK_OFFSET, &u), BT_FOUND);
	CHECK_EQ_U64(u, UINT64_MAX);
	int64_t off = 0;
	CHECK_EQ_I64(bt_get_i64(t, n, BK_UTC_OFFSET_S, &off), BT_FOUND);
	CHECK_EQ_I64(off, -34200);
	double wall = 0;
	CHECK_EQ_I64(bt_get_double(t, n, BK_WALL, &wall), BT_FOUND);
	CHECK(wall == 1796107941.008463974);
	struct bt_span v, key;
	size_t pos = 0;
	unsigned tier = 9;
	CHECK(bt_next(t, n, &pos, BK_DEFERRED, &v));
	CHECK_EQ_I64(bt_parse_deferred(v, &tier), BT_FOUND);
	CHECK_EQ_U64(tier, 2);
	CHECK(!bt_next(t, n, &pos, BK_DEFERRED, &v));
	pos = 0;
	CHECK(bt_next(t, n, &pos, BK_GAP, &v));
	CHECK_EQ_I64(bt_parse_gap(v, &key, &u), BT_FOUND);
	CHECK_MEM(key.p, key.n, "EACCES smaps_rollup", 19);
	CHECK_EQ_U64(u, 3);
	free(cmd);
	free(tz);
	free(t);
	ms_buf_release(&b);
}

TEST(absent_malformed_nan)
{
	char *t = EXACT("wall nan\nmono inf\nboot 1e999\nwall_end 0x10\nmono_end  5\n"
			"cpu_us 12x\nwall_us -1\nlate_us 18446744073709551616\nprocesses \n"
			"cgroups 7\nutc_offset_s -9223372036854775809\nsample -9223372036854775808\n"
			"offset 1.5\nrecords +3\ngaps 3 \nsamples -1.5e3");
	size_t n = strlen("wall nan\nmono inf\nboot 1e999\nwall_end 0x10\nmono_end  5\n"
			  "cpu_us 12x\nwall_us -1\nlate_us 18446744073709551616\nprocesses \n"
			  "cgroups 7\nutc_offset_s -9223372036854775809\nsample -9223372036854775808\n"
			  "offset 1.5\nrecords +3\ngaps 3 \nsamples -1.5e3");
	double d = 42;
	uint64_t u = 42;
	int64_t i = 42;
	/* not finite, hex, a leading space: malformed, and *OUT untouched */
	CHECK_EQ_I64(bt_get_double(t, n, BK_WALL, &d), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_double(t, n, BK_MONO, &d), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_double(t, n, BK_BOOT, &d), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_double(t, n, BK_WALL_END, &d), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_double(t, n, BK_MONO_END, &d), BT_MALFORMED);
	CHECK(d == 42);
	CHECK_EQ_I64(bt_get_double(t, n, BK_SAMPLES, &d), BT_FOUND);
	CHECK(d == -1500);
	CHECK_EQ_I64(bt_get_double(t, n, BK_CGROUPS, &d), BT_FOUND);
	CHECK(d == 7);
	/* absent is not malformed */
	CHECK_EQ_I64(bt_get_double(t, n, BK_TIERS, &d), BT_ABSENT);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_READ_BYTES, &u), BT_ABSENT);
	CHECK_EQ_I64(bt_get_i64(t, n, BK_ZONE, &i), BT_ABSENT);
	/* junk, a sign, overflow, empty, a fraction, a trailing space */
	CHECK_EQ_I64(bt_get_u64(t, n, BK_CPU_US, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_WALL_US, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_LATE_US, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_PROCESSES, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_OFFSET, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_RECORDS, &u), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_GAPS, &u), BT_MALFORMED);
	CHECK_EQ_U64(u, 42);
	CHECK_EQ_I64(bt_get_u64(t, n, BK_CGROUPS, &u), BT_FOUND);
	CHECK_EQ_U64(u, 7);
	/* int64's edges */
	CHECK_EQ_I64(bt_get_i64(t, n, BK_UTC_OFFSET_S, &i), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_i64(t, n, BK_SAMPLE, &i), BT_FOUND);
	CHECK_EQ_I64(i, INT64_MIN);
	CHECK_EQ_I64(bt_get_i64(t, n, BK_WALL_US, &i), BT_FOUND);
	CHECK_EQ_I64(i, -1);
	CHECK_EQ_I64(bt_get_i64(t, n, BK_LATE_US, &i), BT_MALFORMED);
	/* a default survives a key that is absent */
	struct bt_span v = { "0", 1 };
	CHECK_EQ_I64(bt_get(t, n, BK_TIERS, &v), BT_ABSENT);
	CHECK_MEM(v.p, v.n, "0", 1);
	free(t);
	/* the empty text, and a key whose line has no space */
	CHECK_EQ_I64(bt_get_u64("", 0, BK_CGROUPS, &u), BT_ABSENT);
	t = EXACT("cgroups\ncgroupsx 5\n cgroups 6");
	CHECK_EQ_I64(bt_get_u64(t, strlen("cgroups\ncgroupsx 5\n cgroups 6"), BK_CGROUPS, &u),
		     BT_ABSENT);
	free(t);
}

TEST(long_values)
{
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	/* a 1 MiB command line survives whole; so do 64 digits of a number */
	size_t big = 1u << 20;
	char *cmd = malloc(big + 1);
	REQUIRE(cmd != NULL);
	for (size_t i = 0; i < big; i++)
		cmd[i] = (char)('a' + i % 26);
	cmd[big] = '\0';
	CHECK_EQ_I64(bt_put(&b, BK_COMMAND, "%s", cmd), 0);
	CHECK_EQ_I64(bt_put(&b, BK_WALL, "%s", "1234567890123456789012345678901234567890.1234567"), 0);
	CHECK_EQ_I64(bt_put(&b, BK_MONO, "%s",
			    "1234567890123456789012345678901234567890.12345678901234567890123"), 0);
	CHECK_EQ_I64(bt_put(&b, BK_CPU_US, "%s",
			    "00000000000000000000000000000000000000000000000000000000000000000012"), 0);
	char *t = exact(b.data, b.len);
	char *got;
	CHECK_EQ_I64(bt_get_str(t, b.len, BK_COMMAND, &got), 0);
	CHECK(got && strlen(got) == big && !memcmp(got, cmd, big));
	double d;
	uint64_t u;
	CHECK_EQ_I64(bt_get_double(t, b.len, BK_WALL, &d), BT_FOUND);
	CHECK(d > 1.2e39 && d < 1.3e39);
	/* 64 characters: longer than any number the writer prints */
	CHECK_EQ_I64(bt_get_double(t, b.len, BK_MONO, &d), BT_MALFORMED);
	CHECK_EQ_I64(bt_get_u64(t, b.len, BK_CPU_US, &u), BT_FOUND);
	CHECK_EQ_U64(u, 12);
	free(got);
	free(t);
	free(cmd);
	ms_buf_release(&b);
}

TEST(first_line_wins)
{
	const char s[] = "format 1\nhostname a b\nformat 2\nhostname c\nmlock ok";
	char *t = exact(s, sizeof(s) - 1);
	long format = 0;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bt_header_format(t, sizeof(s) - 1, &format, &err), 0);
	CHECK_EQ_I64(format, 1);
	struct bt_span v, k;
	CHECK_EQ_I64(bt_get(t, sizeof(s) - 1, BK_HOSTNAME, &v), BT_FOUND);
	CHECK_MEM(v.p, v.n, "a b", 3);
	/* the last line has no newline */
	CHECK_EQ_I64(bt_get(t, sizeof(s) - 1, BK_MLOCK, &v), BT_FOUND);
	CHECK_MEM(v.p, v.n, "ok", 2);
	/* every line in order, for the header table */
	size_t pos = 0, lines = 0;
	while (bt_next_line(t, sizeof(s) - 1, &pos, &k, &v))
		lines++;
	CHECK_EQ_U64(lines, 5);
	free(t);
}

/* the format line: what both readers accept and the messages they give */
static void check_format(const char *text, long want, const char *msg)
{
	char *t = EXACT(text);
	long format = 0;
	struct ms_err err = MS_ERR_INIT;
	int rc = bt_header_format(t, strlen(text), &format, &err);
	CHECK_EQ_I64(rc, msg ? -1 : 0);
	if (msg)
		CHECK_STR(err.msg, msg);
	else
		CHECK_EQ_I64(format, want);
	ms_err_release(&err);
	free(t);
}

TEST(header_format)
{
	const char *no = "memsnap.header: no valid 'format' line";
	check_format("format 1\n", 1, NULL);
	check_format("collector x\nformat 1", 1, NULL);
	check_format("format 2\n", 0,
		     "bundle format 2 is newer than this memsnap reads (up to 1); use a newer memsnap");
	check_format("format 99999999999999999999\n", 0,
		     "bundle format 99999999999999999999 is newer than this memsnap reads (up to 1); "
		     "use a newer memsnap");
	const char *bad[] = { "format 0", "format -1", "format 1x", "format  1", "format 1.0",
			      "format ", "format", "formats 1", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		check_format(bad[i], 0, no);
}

TEST(meta_lines)
{
	struct bt_span v;
	unsigned tier = 9;
	uint64_t n = 0;
	struct bt_span key;
	CHECK_EQ_U64(bt_tiers_mask((struct bt_span){ "0 1 2", 5 }), 7);
	CHECK_EQ_U64(bt_tiers_mask((struct bt_span){ "0 2 7", 5 }), 5);
	CHECK_EQ_U64(bt_tiers_mask((struct bt_span){ "", 0 }), 0);
	v = (struct bt_span){ "1 budget", 8 };
	CHECK_EQ_I64(bt_parse_deferred(v, &tier), BT_FOUND);
	CHECK_EQ_U64(tier, 1);
	const char *bad_deferred[] = { "3 budget", "x budget", "1budget", "" };
	for (size_t i = 0; i < sizeof(bad_deferred) / sizeof(*bad_deferred); i++)
		CHECK_EQ_I64(bt_parse_deferred((struct bt_span){ bad_deferred[i],
								 strlen(bad_deferred[i]) }, &tier),
			     BT_MALFORMED);
	CHECK_EQ_I64(bt_parse_gap((struct bt_span){ "ENOENT memory.numa_stat 12", 26 }, &key, &n),
		     BT_FOUND);
	CHECK_MEM(key.p, key.n, "ENOENT memory.numa_stat", 23);
	CHECK_EQ_U64(n, 12);
	const char *bad_gap[] = { "12", " 12", "ENOENT stat x", "ENOENT stat ", "" };
	for (size_t i = 0; i < sizeof(bad_gap) / sizeof(*bad_gap); i++)
		CHECK_EQ_I64(bt_parse_gap((struct bt_span){ bad_gap[i], strlen(bad_gap[i]) }, &key,
					  &n),
			     BT_MALFORMED);
}

/* The keys docs/bundle-format.md lists for TEXT: the first word of every
 * `code` in the first cell of the table rows under its heading, with
 * "tierT_" standing for each tier. */
static size_t doc_keys(const char *doc, enum bt_text text, char keys[][32], size_t max)
{
	char head[64];
	snprintf(head, sizeof(head), "# %s\n", bt_text_name(text));
	const char *p = strstr(doc, head);
	size_t n = 0;
	if (!CHECK(p != NULL))
		return 0;
	for (p = strchr(p, '\n') + 1; *p && *p != '#'; p = strchr(p, '\n') + 1) {
		const char *cell_end = p[0] == '|' && p[2] == '`' ? strchr(p + 1, '|') : NULL;
		for (const char *q = p + 1; cell_end && (q = memchr(q, '`', (size_t)(cell_end - q)));) {
			size_t len = strcspn(q + 1, "` ");
			REQUIRE(n + MS_TIERS <= max && len < 32);
			if (!strncmp(q + 1, "tierT_", 6))
				for (int t = 0; t < MS_TIERS; t++)
					snprintf(keys[n++], 32, "tier%d%.*s", t, (int)len - 5, q + 6);
			else
				snprintf(keys[n++], 32, "%.*s", (int)len, q + 1);
			q = strchr(q + 1, '`') + 1;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return n;
}

TEST(keys_match_the_docs)
{
	char *doc = read_fixture("../../docs/bundle-format.md", NULL);
	char keys[128][32];
	for (int t = 0; t < BT_NTEXTS; t++) {
		size_t n = doc_keys(doc, (enum bt_text)t, keys, 128);
		int found[128] = { 0 };
		for (int k = 0; k < BK_NKEYS; k++) {
			if (!(bt_key_texts((enum bt_key)k) & (1u << t)))
				continue;
			size_t i = 0;
			while (i < n && strcmp(keys[i], bt_key_name((enum bt_key)k)))
				i++;
			if (!CHECK(i < n))
				fprintf(stderr, "    %s: key '%s' is not in the docs\n", bt_text_name(t),
					bt_key_name((enum bt_key)k));
			else
				found[i] = 1;
		}
		for (size_t i = 0; i < n; i++)
			if (!CHECK(found[i]))
				fprintf(stderr, "    %s: the docs list '%s', bundle_text.c does not\n",
					bt_text_name(t), keys[i]);
	}
	free(doc);
}

/* a host member's record */
static void add_record(struct ms_buf *m, const char *status, const char *path, const char *text)
{
	REQUIRE(record_append(m, status, path, text, strlen(text), -1) == 0);
}

/* the facts of member M */
static void read_facts(const struct ms_buf *m, struct host_facts *h)
{
	char *t = exact(m->data, m->len);
	size_t pos = 0;
	struct ms_record r;
	struct ms_err err = MS_ERR_INIT;
	host_facts_init(h);
	while (record_next(t, m->len, &pos, &r, "000001/host", &err) > 0)
		CHECK_EQ_I64(host_facts_add(h, &r), 0);
	CHECK(err.msg == NULL);
	free(t);
}

TEST(host_facts_typed)
{
	struct ms_buf m;
	REQUIRE(ms_buf_init(&m, 0) == 0);
	add_record(&m, "ok", "/proc/sys/kernel/random/boot_id", "62d93b51-e860-481c-8d31-9f1a74bef86d\n");
	add_record(&m, "ok", "memsnap:uname", "sysname Linux\nnodename vm\nrelease 6.18.44\n"
					  "version #1 SMP\nmachine x86_64\n");
	add_record(&m, "ok", "memsnap:system", "page_size 16384\nclk_tck 100\ncpus_online 2\n"
					   "cpus_configured 4\n");
	add_record(&m, "ok", "memsnap:timezone", "zone IST\nutc_offset_s 19800\nTZ \nlocaltime x\n");
	struct host_facts h;
	read_facts(&m, &h);
	CHECK_STR(h.f[HF_BOOT_ID].text, "62d93b51-e860-481c-8d31-9f1a74bef86d");
	CHECK_STR(h.f[HF_HOSTNAME].text, "vm");
	CHECK_STR(h.f[HF_KERNEL].text, "6.18.44");
	CHECK_STR(h.f[HF_MACHINE].text, "x86_64");
	CHECK_STR(h.f[HF_ZONE].text, "IST");
	const int64_t want[][2] = { { HF_PAGE_SIZE, 16384 }, { HF_CLK_TCK, 100 },
				    { HF_CPUS_ONLINE, 2 }, { HF_CPUS_CONFIGURED, 4 },
				    { HF_UTC_OFFSET_S, 19800 } };
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		CHECK_EQ_I64(h.f[want[i][0]].got, BT_FOUND);
		CHECK_EQ_I64(h.f[want[i][0]].num, want[i][1]);
	}
	CHECK_STR(host_fact_name(HF_CLK_TCK), "clk_tck");
	CHECK_STR(host_fact_record(HF_PAGE_SIZE), "memsnap:system");
	host_facts_release(&h);
	ms_buf_release(&m);
}

TEST(host_facts_absent_or_malformed)
{
	struct ms_buf m;
	REQUIRE(ms_buf_init(&m, 0) == 0);
	/* a record that was not read gives nothing; a later one replaces */
	add_record(&m, "EACCES", "/proc/sys/kernel/random/boot_id", "");
	add_record(&m, "ok", "memsnap:system", "page_size 4096\nclk_tck 100\n");
	add_record(&m, "ok", "memsnap:system", "page_size 100\nclk_tck nan\ncpus_online 0\n"
					   "cpus_configured 2x\n");
	add_record(&m, "ok", "memsnap:timezone", "zone \nutc_offset_s -3600\n");
	add_record(&m, "trunc", "memsnap:uname", "nodename x\n");
	struct host_facts h;
	read_facts(&m, &h);
	CHECK_EQ_I64(h.f[HF_BOOT_ID].got, BT_ABSENT);
	CHECK_EQ_I64(h.f[HF_HOSTNAME].got, BT_ABSENT);
	CHECK(h.f[HF_HOSTNAME].text == NULL);
	/* below 512 bytes, not a number, no CPU, junk */
	CHECK_EQ_I64(h.f[HF_PAGE_SIZE].got, BT_MALFORMED);
	CHECK_EQ_I64(h.f[HF_CLK_TCK].got, BT_MALFORMED);
	CHECK_EQ_I64(h.f[HF_CPUS_ONLINE].got, BT_MALFORMED);
	CHECK_EQ_I64(h.f[HF_CPUS_CONFIGURED].got, BT_MALFORMED);
	CHECK_EQ_I64(h.f[HF_UTC_OFFSET_S].got, BT_FOUND);
	CHECK_EQ_I64(h.f[HF_UTC_OFFSET_S].num, -3600);
	CHECK_EQ_I64(h.f[HF_ZONE].got, BT_FOUND);
	CHECK_STR(h.f[HF_ZONE].text, "");
	host_facts_release(&h);
	ms_buf_release(&m);
}

/* a bundle of MEMBERS (name, text pairs) in a temporary file */
static char *write_bundle(const char *const *members, size_t n)
{
	char *path = test_tmpfile("bundle_text");
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	REQUIRE(fd >= 0);
	struct bundle_writer *w;
	struct bundle_writer_opts o = { 3, 0, 0, 0 };
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(bundle_writer_open(&w, fd, &o, &err) == 0);
	for (size_t i = 0; i < n; i += 2)
		REQUIRE(bundle_writer_add(w, members[i], members[i + 1], strlen(members[i + 1]),
					  1700000000, &err) == 0);
	REQUIRE(bundle_writer_commit(w, &err) == 0);
	REQUIRE(bundle_writer_close(w, &err) == 0);
	bundle_writer_free(w);
	close(fd);
	return path;
}

static int64_t db_int(const char *db_path, const char *sql, char **text)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -12345;
	REQUIRE(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	if (CHECK(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) &&
	    CHECK(sqlite3_step(s) == SQLITE_ROW)) {
		v = sqlite3_column_int64(s, 0);
		if (text)
			*text = strdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

TEST(a_second_header_is_ignored)
{
	const char *const m[] = {
		MS_MEMBER_HEADER, "format 1\nhostname first\ninterval_ms 1000\n",
		MS_MEMBER_HEADER, "format 2\nhostname second\ninterval_ms 5\n",
		"000001/meta", "sample 1\ntiers 0\nwall 1767225601.5\nmono 101.5\n",
	};
	char *path = write_bundle(m, sizeof(m) / sizeof(*m));
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bundle_summarize(path, &lim, &s, &err), 0);
	CHECK_EQ_I64(s.format, 1);
	CHECK_STR(s.hostname, "first");
	CHECK_EQ_U64(s.interval_ms, 1000);
	CHECK_EQ_U64(s.out_of_order, 1);
	CHECK_EQ_U64(s.samples, 1);
	bundle_summary_release(&s);

	size_t pl = strlen(path);
	char *db = malloc(pl + 4);
	REQUIRE(db != NULL);
	snprintf(db, pl + 4, "%s.db", path);
	struct load_opts o = { 0 };
	o.bundle = path;
	o.db_path = db;
	o.force = 1;
	o.limits = lim;
	struct load_result res;
	if (!CHECK_EQ_I64(loader_load(&o, &res, &err), 0))
		fprintf(stderr, "    %s\n", ms_err_msg(&err));
	char *msg = NULL;
	CHECK_EQ_I64(db_int(db, "SELECT format, (SELECT value FROM header WHERE key = 'hostname') "
				"FROM load_info", &msg), 1);
	CHECK_STR(msg, "first");
	free(msg);
	msg = NULL;
	CHECK_EQ_I64(db_int(db, "SELECT count(*), group_concat(message) FROM load_error", &msg), 1);
	CHECK_STR(msg, "a second header; ignored");
	free(msg);
	load_result_release(&res);
	ms_err_release(&err);
	unlink(db);
	unlink(path);
	free(db);
	free(path);
}
