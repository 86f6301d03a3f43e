/*
 * test_recording_format.c - common/recording_format.c: the trigger lines
 * of a recorder's NNNNNN/trigger member (written, then read back as a
 * reader of an untrusted bundle reads them: bad lines skipped and counted,
 * a kind this memsnap does not know kept), and the names of the ring's
 * segments and of incidents.
 */
#include <string.h>

#include "ms_buf.h"
#include "recording_format.h"
#include "test.h"

TEST(trigger_lines_round_trip)
{
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 64) == 0);
	/* a cgroup path with a space and a percent sign stays one word */
	REQUIRE(ms_trigger_line(&b, MS_TRIG_OOM_KILL, 1796572987.536326647) == 0);
	REQUIRE(ms_trigger_field(&b, "cgroup", "/sys/fs/cgroup/a b%c", 20) == 0);
	REQUIRE(ms_trigger_fieldf(&b, "delta", "%d", 2) == 0);
	REQUIRE(ms_buf_addstr(&b, "\nmanual 1796572990.5\n") == 0);
	CHECK_STR(b.data, "oom-kill 1796572987.536326647 cgroup=/sys/fs/cgroup/a%20b%25c delta=2\n"
			  "manual 1796572990.5\n");
	size_t pos = 0;
	unsigned bad = 0;
	struct ms_trigger_rec r;
	struct ms_buf v;
	REQUIRE(ms_buf_init(&v, 16) == 0);
	CHECK_EQ_I64(ms_trigger_next(b.data, b.len, &pos, &r, &bad), 1);
	CHECK_EQ_I64(r.kind, MS_TRIG_OOM_KILL);
	CHECK(r.t > 1796572987.5363 && r.t < 1796572987.5364);
	CHECK_EQ_I64(ms_trigger_get(&r, "cgroup", &v), 1);
	CHECK_STR(v.data, "/sys/fs/cgroup/a b%c");
	CHECK_EQ_I64(ms_trigger_get(&r, "delta", &v), 1);
	CHECK_STR(v.data, "2");
	CHECK_EQ_I64(ms_trigger_get(&r, "pid", &v), 0);
	CHECK_EQ_I64(ms_trigger_next(b.data, b.len, &pos, &r, &bad), 1);
	CHECK_EQ_I64(r.kind, MS_TRIG_MANUAL);
	CHECK_EQ_I64((long long)r.fields_len, 0);
	CHECK_EQ_I64(ms_trigger_next(b.data, b.len, &pos, &r, &bad), 0);
	CHECK_EQ_I64(bad, 0);
	ms_buf_release(&v);
	ms_buf_release(&b);
}

TEST(trigger_lines_from_a_hostile_bundle)
{
	/* a time that is not one, a negative or infinite time, a line with no
	 * kind: skipped and counted; a kind this memsnap does not know (a
	 * later recorder's) is kept; a last line without its newline is read */
	static const char text[] = "psi x source=avg10\n"
				   "psi -1 source=avg10\n"
				   "psi inf\n"
				   " 12.5 lost\n"
				   "\n"
				   "oneword\n"
				   "future-kind 12.25 a=b\n"
				   "low-memory 13 available_pct=4.2";
	size_t pos = 0;
	unsigned bad = 0;
	struct ms_trigger_rec r;
	CHECK_EQ_I64(ms_trigger_next(text, sizeof(text) - 1, &pos, &r, &bad), 1);
	CHECK_EQ_I64(r.kind, -1);
	CHECK_MEM(r.name, r.name_len, "future-kind", 11);
	CHECK(r.t == 12.25);
	CHECK_MEM(r.fields, r.fields_len, "a=b", 3);
	CHECK_EQ_I64(ms_trigger_next(text, sizeof(text) - 1, &pos, &r, &bad), 1);
	CHECK_EQ_I64(r.kind, MS_TRIG_LOW_MEMORY);
	CHECK_MEM(r.fields, r.fields_len, "available_pct=4.2", 17);
	CHECK_EQ_I64(ms_trigger_next(text, sizeof(text) - 1, &pos, &r, &bad), 0);
	CHECK_EQ_I64(bad, 4);
}

TEST(names_of_segments_and_incidents)
{
	struct ms_buf b;
	unsigned long long seq = 0;
	REQUIRE(ms_buf_init(&b, 64) == 0);
	REQUIRE(ms_segment_name(&b, 42, 1796572987) == 0);
	CHECK_STR(b.data, "seg-0000000042-20261206T160307Z.tar.zst");
	CHECK_EQ_I64(ms_segment_parse(b.data, &seq), 1);
	CHECK_EQ_I64((long long)seq, 42);
	CHECK_EQ_I64(ms_segment_parse("seg-00000000x2-20261206T160307Z.tar.zst", &seq), 0);
	CHECK_EQ_I64(ms_segment_parse("seg-0000000042-20261206T160307Z.tar", &seq), 0);
	ms_buf_reset(&b);
	/* a host name is one path component, whatever it holds */
	REQUIRE(ms_incident_name(&b, "node 7/x", 1796572987, MS_TRIG_CGROUP_LIMIT) == 0);
	CHECK_STR(b.data, "memsnap-node_7_x-20261206T160307Z-cgroup-limit.tar.zst");
	CHECK_EQ_I64(ms_incident_is(b.data, 0), 1);
	CHECK_EQ_I64(ms_incident_is(b.data, 1), 0);
	CHECK_EQ_I64(ms_incident_is("memsnap-h-20261206T160307Z-psi.tar.zst.part", 1), 1);
	CHECK_EQ_I64(ms_incident_is("seg-0000000042-20261206T160307Z.tar.zst", 0), 0);
	ms_buf_release(&b);
}
