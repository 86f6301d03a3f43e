/*
 * test_record.c - common/record.c: the "@ STATUS LEN PATH [USEC]" framing
 * inside bundle members.  Round trips, path escaping, and hostile framing
 * (which must give -1 and the exact message, never an overread: members are
 * copied to exact-size buffers so ASan sees any read past LEN).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "record.h"
#include "test.h"

#define MEMBER "000001/t0"

static char *dup_exact(const char *s, size_t len)
{
	char *p = calloc(len ? len : 1, 1);
	REQUIRE(p != NULL);
	memcpy(p, s, len);
	return p;
}

/* Check REC against the expected fields (PATH in escaped form). */
#define REC_IS(rec, st, pth, dat, dlen, us) do {                               \
	CHECK_MEM((rec).status, (rec).status_len, (st), strlen(st));            \
	CHECK_MEM((rec).path, (rec).path_len, (pth), strlen(pth));              \
	CHECK_MEM((rec).data, (rec).len, (dat), (dlen));                        \
	CHECK_EQ_I64((rec).usec, (us));                                         \
} while (0)

TEST(append_exact_bytes)
{
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/meminfo", "MemTotal: 1 kB\n", 15, -1), 0);
	CHECK_EQ_I64(record_append(&b, "trunc", "/proc/1/smaps", "abc", 3, 1234), 0);
	CHECK_EQ_I64(record_append(&b, "ENOENT", "/proc/9/stat", NULL, 0, -1), 0);
	CHECK_EQ_I64(record_append(&b, "skip:walk-limit", "/proc/7/smaps", "", 0, 0), 0);
	const char want[] =
		"@ ok 15 /proc/meminfo\nMemTotal: 1 kB\n\n"
		"@ trunc 3 /proc/1/smaps 1234\nabc\n"
		"@ ENOENT 0 /proc/9/stat\n\n"
		"@ skip:walk-limit 0 /proc/7/smaps 0\n\n";
	CHECK_MEM(b.data, b.len, want, sizeof(want) - 1);
	CHECK_EQ_U64(b.data[b.len], 0);
	ms_buf_release(&b);
}

TEST(round_trip)
{
	struct ms_buf b, path;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	REQUIRE(ms_buf_init(&path, 0) == 0);
	/* binary content: NUL, newlines, a trailing newline-less tail */
	const char bin[] = { 'a', '\0', '\n', '\n', 'b', '@', ' ' };
	size_t mlen;
	char *meminfo = read_fixture("host-6.18/proc/meminfo", &mlen);
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/meminfo", meminfo, mlen, -1), 0);
	CHECK_EQ_I64(record_append(&b, "trunc", "/proc/151/smaps", bin, sizeof(bin), 987654), 0);
	CHECK_EQ_I64(record_append(&b, "ESRCH", "/proc/151/numa_maps", NULL, 0, -1), 0);
	CHECK_EQ_I64(record_append(&b, "EACCES", "/proc/1/smaps_rollup", NULL, 0, 0), 0);

	char *text = dup_exact(b.data, b.len);
	size_t pos = 0;
	struct ms_record rec;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ok", "/proc/meminfo", meminfo, mlen, -1);
	CHECK(record_status_is(&rec, "ok"));
	CHECK(!record_status_is(&rec, "o"));
	CHECK(!record_status_is(&rec, "okay"));
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "trunc", "/proc/151/smaps", bin, sizeof(bin), 987654);
	CHECK(record_status_is(&rec, "trunc"));
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ESRCH", "/proc/151/numa_maps", "", 0, -1);
	CHECK_EQ_I64(record_path(&rec, &path), 0);
	CHECK_STR(path.data, "/proc/151/numa_maps");
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "EACCES", "/proc/1/smaps_rollup", "", 0, 0);
	CHECK_EQ_U64(pos, b.len);
	/* the end, and again */
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 0);
	CHECK_EQ_I64(record_next(text, b.len, &pos, &rec, MEMBER, &err), 0);
	CHECK(err.msg == NULL);

	/* an empty member has no records */
	pos = 0;
	CHECK_EQ_I64(record_next("", 0, &pos, &rec, MEMBER, &err), 0);

	free(text);
	free(meminfo);
	ms_buf_release(&b);
	ms_buf_release(&path);
}

TEST(path_escaping)
{
	struct ms_buf b, path;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	REQUIRE(ms_buf_init(&path, 0) == 0);
	/* space, %, newline, 0x7f, tab, 0x01; 0x80+ and ')' pass through */
	const char raw[] = "/sys/fs/cgroup/a b%c\nd\x7f" "e\tf\x01g\xc3\xa9)";
	CHECK_EQ_I64(record_append(&b, "ok", raw, "x", 1, -1), 0);
	const char want[] = "@ ok 1 /sys/fs/cgroup/a%20b%25c%0Ad%7Fe%09f%01g\xc3\xa9)\nx\n";
	CHECK_MEM(b.data, b.len, want, sizeof(want) - 1);

	size_t pos = 0;
	struct ms_record rec;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(record_next(b.data, b.len, &pos, &rec, MEMBER, &err), 1);
	CHECK_MEM(rec.path, rec.path_len, "/sys/fs/cgroup/a%20b%25c%0Ad%7Fe%09f%01g\xc3\xa9)",
		  strlen("/sys/fs/cgroup/a%20b%25c%0Ad%7Fe%09f%01g\xc3\xa9)"));
	CHECK_EQ_I64(record_path(&rec, &path), 0);
	CHECK_MEM(path.data, path.len, raw, sizeof(raw) - 1);
	CHECK_EQ_U64(path.data[path.len], 0);
	ms_buf_release(&b);
	ms_buf_release(&path);
}

TEST(path_decoding_edges)
{
	struct ms_buf path;
	REQUIRE(ms_buf_init(&path, 0) == 0);
	struct ms_record rec = { 0 };
	static const struct { const char *in, *out; } cases[] = {
		{ "/a%2fb", "/a/b" },          /* lower-case hex decodes too */
		{ "/a%2", "/a%2" },            /* cut escape stays literal */
		{ "/a%", "/a%" },
		{ "/a%zz", "/a%zz" },          /* not hex: literal */
		{ "/a%2z", "/a%2z" },
		{ "%41%42", "AB" },
		{ "%2525", "%25" },            /* decoded once only */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = dup_exact(cases[i].in, strlen(cases[i].in));
		rec.path = p;
		rec.path_len = strlen(cases[i].in);
		CHECK_EQ_I64(record_path(&rec, &path), 0);
		CHECK_STR(path.data, cases[i].out);
		free(p);
	}
	ms_buf_release(&path);
}

/* Expect record_next on TEXT (an exact copy) to fail at offset OFF with MSG. */
#define FRAMING_BAD(s, slen, start, msg_) do {                                 \
	char *t_ = dup_exact((s), (slen));                                      \
	size_t pos_ = (start);                                                  \
	struct ms_record rec_;                                                  \
	struct ms_err e_ = MS_ERR_INIT;                                         \
	CHECK_EQ_I64(record_next(t_, (slen), &pos_, &rec_, MEMBER, &e_), -1);   \
	CHECK_EQ_I64(e_.code, EINVAL);                                          \
	CHECK_STR(e_.msg, (msg_));                                              \
	CHECK_EQ_U64(pos_, (start));                                            \
	free(t_);                                                               \
	ms_err_release(&e_);                                                    \
} while (0)
#define BAD1(lit, msg_) FRAMING_BAD(lit, sizeof(lit) - 1, 0, msg_)

TEST(framing_len_past_end)
{
	BAD1("@ ok 100 /x\nabc\n",
	     MEMBER ": offset 0: record of 100 bytes runs past the member's end");
	BAD1("@ ok 18446744073709551615 /x\nabc\n",
	     MEMBER ": offset 0: record of 18446744073709551615 bytes runs past the member's end");
	/* LEN one short of the data: the byte after it is not the newline */
	BAD1("@ ok 2 /x\nabc\n",
	     MEMBER ": offset 0: record of 2 bytes runs past the member's end");
	/* header ends the member */
	BAD1("@ ok 1 /x\n",
	     MEMBER ": offset 0: record of 1 bytes runs past the member's end");
}

TEST(framing_missing_trailing_newline)
{
	BAD1("@ ok 3 /x\nabc",
	     MEMBER ": offset 0: record of 3 bytes runs past the member's end");
	BAD1("@ ENOENT 0 /x\n",
	     MEMBER ": offset 0: record of 0 bytes runs past the member's end");
	/* the second record is the bad one: the offset names it */
	const char two[] = "@ ok 3 /x\nabc\n@ ok 3 /y\nabc";
	char *t = dup_exact(two, sizeof(two) - 1);
	size_t pos = 0;
	struct ms_record rec;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(record_next(t, sizeof(two) - 1, &pos, &rec, MEMBER, &err), 1);
	CHECK_EQ_U64(pos, 14);
	CHECK_EQ_I64(record_next(t, sizeof(two) - 1, &pos, &rec, MEMBER, &err), -1);
	CHECK_STR(err.msg, MEMBER ": offset 14: record of 3 bytes runs past the member's end");
	CHECK_EQ_U64(pos, 14);
	free(t);
	ms_err_release(&err);
}

TEST(framing_bad_header)
{
	const char *hdr = MEMBER ": offset 0: expected a record header '@ STATUS LEN PATH'";
	BAD1("ok 3 /x\nabc\n", hdr);
	BAD1("@ok 3 /x\nabc\n", hdr);
	BAD1(" @ ok 3 /x\nabc\n", hdr);
	BAD1("\n", hdr);
	BAD1("@", hdr);
	BAD1("@ ok 3 /x", hdr);           /* no newline at all */
	BAD1("@\n", hdr);
	const char *mal = MEMBER ": offset 0: malformed record header";
	BAD1("@ ok x /x\n\n", mal);       /* non-numeric LEN */
	BAD1("@ ok 3x /x\nabc\n", mal);
	BAD1("@ ok -1 /x\n\n", mal);
	BAD1("@ ok  /x\n\n", mal);        /* empty LEN */
	BAD1("@ ok 99999999999999999999 /x\n\n", mal);
	BAD1("@  3 /x\nabc\n", mal);      /* empty STATUS */
	BAD1("@ E\0F 0 /x\n\n", mal);     /* a NUL in STATUS (fuzz_redact found it) */
	BAD1("@ o\tk 3 /x\nabc\n", mal);  /* a control byte in STATUS */
	BAD1("@ \x7f 3 /x\nabc\n", mal);
	BAD1("@ \xc3\xa9 3 /x\nabc\n", mal);
	BAD1("@ ok 3\nabc\n", mal);       /* no PATH */
	BAD1("@ ok 3 \nabc\n", mal);      /* empty PATH */
	BAD1("@ ok 3 /x 12z\nabc\n", mal); /* bad USEC */
	BAD1("@ ok 3 /x 1 2\nabc\n", mal); /* a field too many */
	BAD1("@ ok 3 /x -5\nabc\n", mal);
	BAD1("@ ok 3 /x 9223372036854775808\nabc\n", mal); /* USEC > INT64_MAX */
	BAD1("@\n\n", hdr);
	/* a bad header after a good record names its offset */
	const char two[] = "@ ok 0 /a\n\n@ ok\n";
	FRAMING_BAD(two, sizeof(two) - 1, 11, MEMBER ": offset 11: malformed record header");
}

TEST(framing_usec_max)
{
	const char s[] = "@ ok 3 /x 9223372036854775807\nabc\n";
	size_t pos = 0;
	struct ms_record rec;
	struct ms_err err = MS_ERR_INIT;
	char *t = dup_exact(s, sizeof(s) - 1);
	CHECK_EQ_I64(record_next(t, sizeof(s) - 1, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ok", "/x", "abc", 3, INT64_MAX);
	free(t);
	ms_err_release(&err);
}

TEST(content_cannot_forge_a_header)
{
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	/* file text that looks like a record, and one that looks like a cut one */
	const char fake[] = "@ ok 5 /x\nhello\n";
	const char fake2[] = "line\n@ ENOENT 0 /proc/1/stat\n\n@ ok 99";
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/a", fake, sizeof(fake) - 1, -1), 0);
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/b", fake2, sizeof(fake2) - 1, 5), 0);
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/c", "c", 1, -1), 0);
	char *t = dup_exact(b.data, b.len);
	size_t pos = 0;
	struct ms_record rec;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(record_next(t, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ok", "/proc/a", fake, sizeof(fake) - 1, -1);
	CHECK_EQ_I64(record_next(t, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ok", "/proc/b", fake2, sizeof(fake2) - 1, 5);
	CHECK_EQ_I64(record_next(t, b.len, &pos, &rec, MEMBER, &err), 1);
	REC_IS(rec, "ok", "/proc/c", "c", 1, -1);
	CHECK_EQ_I64(record_next(t, b.len, &pos, &rec, MEMBER, &err), 0);
	CHECK(err.msg == NULL);
	free(t);
	ms_buf_release(&b);
}

TEST(truncated_member_every_length)
{
	/* cut a two-record member at every length: each prefix either ends
	 * at a record boundary (0 more records) or fails cleanly */
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	CHECK_EQ_I64(record_append(&b, "ok", "/proc/x y", "ab\ncd", 5, 17), 0);
	size_t first = b.len;
	CHECK_EQ_I64(record_append(&b, "EIO", "/proc/z", NULL, 0, -1), 0);
	for (size_t n = 0; n <= b.len; n++) {
		char *t = dup_exact(b.data, n);
		size_t pos = 0;
		struct ms_record rec;
		struct ms_err err = MS_ERR_INIT;
		int got = 0, r;
		while ((r = record_next(t, n, &pos, &rec, MEMBER, &err)) == 1)
			got++;
		if (n == 0 || n == first || n == b.len) {
			CHECK_EQ_I64(r, 0);
			CHECK_EQ_I64(got, n == 0 ? 0 : n == first ? 1 : 2);
		} else {
			CHECK_EQ_I64(r, -1);
			CHECK_EQ_I64(got, n < first ? 0 : 1);
			CHECK(err.msg != NULL);
		}
		free(t);
		ms_err_release(&err);
	}
	ms_buf_release(&b);
}
