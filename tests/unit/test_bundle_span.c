/*
 * test_bundle_span.c - common/bundle_span.c: the first and last complete
 * sample of a bundle, with the end read from the last zstd frame only:
 * bundles of one frame and of many (the collector's writer with a small
 * frame size), a trailer alone in the last frame, a bundle whose collector
 * was killed (no trailer, a torn sample), the zstd magic planted in a
 * stored (incompressible) member near the end, a real sample bundle, and
 * files that are not bundles.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_span.h"
#include "bundle_writer.h"
#include "ms_buf.h"
#include "test.h"

#define WALL0 1796107941.25     /* sample 1; then every 10 s */
#define SAMPLES 40

enum { CLOSE = 1, KILLED = 2, MAGIC_LAST = 4 };

static const struct bundle_limits limits = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };

static void add(struct bundle_writer *w, const char *name, const char *data, size_t len)
{
	struct ms_err err = MS_ERR_INIT;
	if (!CHECK_EQ_I64(bundle_writer_add(w, name, data, len, (time_t)WALL0, &err), 0))
		fprintf(stderr, "    %s\n", ms_err_msg(&err));
	ms_err_release(&err);
}

static void commit(struct bundle_writer *w)
{
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bundle_writer_commit(w, &err), 0);
	ms_err_release(&err);
}

/* Sample S: t0 (the fixture meminfo and its number; with MAGIC, 64 KiB of
 * incompressible bytes holding the zstd frame magic), then its meta */
static void sample(struct bundle_writer *w, unsigned s, const char *meminfo, size_t mlen,
		   int magic, struct ms_buf *b)
{
	char name[32];
	ms_buf_reset(b);
	REQUIRE(ms_buf_add(b, meminfo, mlen) == 0 && ms_buf_addf(b, "sample %u\n", s) == 0);
	if (magic) {
		unsigned x = 12345;
		for (int i = 0; i < 65536; i++) {
			x = x * 1103515245u + 12345u;
			char c = (char)(x >> 16);
			REQUIRE(ms_buf_add(b, &c, 1) == 0);
		}
		REQUIRE(ms_buf_add(b, "\x28\xb5\x2f\xfd\x24\x00\x01", 7) == 0);
	}
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, s, "t0");
	add(w, name, b->data, b->len);
	ms_buf_reset(b);
	REQUIRE(ms_buf_addf(b, "sample %u\ntiers 0\nwall %.9f\nmono %u.5\n", s,
			    WALL0 + 10.0 * (s - 1), 100 + 10 * s) == 0);
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, s, "meta");
	add(w, name, b->data, b->len);
	commit(w);
}

/* Bytes in the file after the commit of sample N - 4: with 4 KiB frames
 * (2 to 3 samples each), the last frame starts after it */
static uint64_t near_end;

/* A bundle of N samples written with FRAME_BYTES (0: one frame), closed
 * with a trailer (CLOSE) or left as a killed collector leaves it, with the
 * next sample's t0 torn off at the end (KILLED); the path (caller frees
 * and unlinks) */
static char *write_bundle(unsigned n, uint64_t frame_bytes, int how)
{
	size_t mlen;
	char *meminfo = read_fixture("numa-2node-6.1/t0/proc/meminfo", &mlen);
	char *path = test_tmpfile("span");
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	REQUIRE(fd >= 0);
	struct bundle_writer_opts wo = { 3, 21, frame_bytes, 0 };
	struct bundle_writer *w = NULL;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bundle_writer_open(&w, fd, &wo, &err), 0);
	REQUIRE(w != NULL);
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 0) == 0);
	REQUIRE(ms_buf_addf(&b, "format 1\nwall_start %.9f\n", WALL0 - 0.5) == 0);
	add(w, MS_MEMBER_HEADER, b.data, b.len);
	commit(w);
	for (unsigned s = 1; s <= n; s++) {
		sample(w, s, meminfo, mlen, (how & MAGIC_LAST) && s == n, &b);
		if (s == n - 4)
			near_end = bundle_writer_bytes(w);
	}
	if (how & CLOSE) {
		ms_buf_reset(&b);
		REQUIRE(ms_buf_addf(&b, "samples %u\nend_reason duration\n", n) == 0);
		add(w, MS_MEMBER_TRAILER, b.data, b.len);
		CHECK_EQ_I64(bundle_writer_close(w, &err), 0);
	} else if (how & KILLED) {
		char name[32];
		snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, n + 1, "t0");
		add(w, name, meminfo, mlen);
		commit(w);
		struct stat st;
		REQUIRE(fstat(fd, &st) == 0 && ftruncate(fd, st.st_size - 20) == 0);
	}
	ms_err_release(&err);
	bundle_writer_free(w);
	ms_buf_release(&b);
	free(meminfo);
	close(fd);
	return path;
}

static uint64_t size_of(const char *path)
{
	struct stat st;
	REQUIRE(stat(path, &st) == 0);
	return (uint64_t)st.st_size;
}

/* PATH's span: every field checked against N samples written and HOW */
static void check_span(const char *path, unsigned n, int how, int one_frame)
{
	struct bundle_span sp;
	struct ms_err err = MS_ERR_INIT;
	if (!CHECK_EQ_I64(bundle_span(path, &limits, &sp, &err), 0)) {
		fprintf(stderr, "    %s\n", ms_err_msg(&err));
		ms_err_release(&err);
		return;
	}
	CHECK(sp.wall_start == WALL0 - 0.5);
	CHECK(sp.first == WALL0);
	CHECK_EQ_U64(sp.first_sample, 1);
	CHECK(sp.last == WALL0 + 10.0 * (n - 1));
	CHECK_EQ_U64(sp.last_sample, n);
	CHECK_EQ_I64(sp.clean_end, (how & CLOSE) != 0);
	CHECK_STR(sp.end_reason, (how & CLOSE) ? "duration" : NULL);
	CHECK_EQ_I64(sp.truncated, (how & KILLED) != 0);
	CHECK_EQ_I64(sp.corrupt, 0);
	if (one_frame)
		CHECK_EQ_U64(sp.tail_offset, 0);
	else /* the end came from the last frames, not from the whole file */
		CHECK(sp.tail_offset >= near_end && sp.tail_offset < size_of(path));
	bundle_span_release(&sp);
}

/* A bundle written with FRAME_BYTES and HOW: its span checked */
static void span_case(uint64_t frame_bytes, int how)
{
	char *p = write_bundle(SAMPLES, frame_bytes, how);
	check_span(p, SAMPLES, how, frame_bytes == 0);
	unlink(p);
	free(p);
}

TEST(one_frame)
{
	span_case(0, CLOSE);
}

/* a frame ended after every 4 KiB: the end is read from the last one */
TEST(many_frames)
{
	span_case(4096, CLOSE);
}

/* a frame ended at every commit: the trailer is alone in the last frame,
 * so the end is read from the frame before */
TEST(trailer_alone_in_last_frame)
{
	span_case(1, CLOSE);
}

/* no trailer, the next sample torn: the last complete sample is the end */
TEST(killed_collector)
{
	span_case(4096, KILLED);
	span_case(0, KILLED);
}

/* the frame magic inside a stored member of the last sample is not taken
 * for a frame */
TEST(magic_inside_data)
{
	char *p = write_bundle(SAMPLES, 4096, CLOSE | MAGIC_LAST);
	char *data = test_read_file(p, NULL);
	uint64_t n = size_of(p), found = 0;
	for (uint64_t i = n / 2; i + 7 <= n; i++)
		found += !memcmp(data + i, "\x28\xb5\x2f\xfd\x24\x00\x01", 7);
	CHECK_EQ_U64(found, 1);   /* the planted bytes are in the file as they are */
	free(data);
	unlink(p);
	free(p);
	span_case(4096, CLOSE | MAGIC_LAST);
}

/* leak.tar.zst as the collector wrote it: memsnap info's span */
TEST(sample_bundle)
{
	const char *fx = getenv("MEMSNAP_FIXTURES");
	REQUIRE(fx != NULL);
	char path[4096];
	snprintf(path, sizeof(path), "%s/../../samples/bundles/leak.tar.zst", fx);
	struct bundle_span sp;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(bundle_span(path, &limits, &sp, &err) == 0);
	CHECK(fabs(sp.first - 1796107941.008865352) < 1e-6);
	CHECK(fabs(sp.last - 1796108536.012003298) < 1e-6);
	CHECK_EQ_U64(sp.first_sample, 1);
	CHECK_EQ_U64(sp.last_sample, 120);
	CHECK_EQ_I64(sp.clean_end, 1);
	CHECK_STR(sp.end_reason, "duration");
	bundle_span_release(&sp);
}

TEST(not_a_bundle)
{
	char *p = test_tmpfile("span");
	struct bundle_span sp;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(bundle_span(p, &limits, &sp, &err), -1);
	CHECK_STR(err.msg, "empty or too short to be a bundle");
	ms_err_release(&err);
	test_write_file(p, "hello, world\n", 13);
	CHECK_EQ_I64(bundle_span(p, &limits, &sp, &err), -1);
	CHECK_STR(err.msg, "not a memsnap bundle (no zstd frame at the start)");
	ms_err_release(&err);
	unlink(p);
	free(p);
}
