/*
 * test_stats_segment.c - segments(): change points by PELT (stats_segment.c)
 * and its SQL function.
 *
 * The exact cases are series whose best cut is known by construction
 * (noiseless pieces: every other cut costs more penalty for no smaller
 * residual).  The noisy ones check PELT against optimal partitioning, the
 * same penalised least squares minimised by trying every cut (O(n^2), no
 * pruning, written here independently), on series with and without
 * changes: PELT's pruning must never lose the optimum.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_segment.h"
#include "stats_sql.h"
#include "test.h"

/* a deterministic noise in [-1, 1] (splitmix64) */
static double noise(unsigned i, unsigned salt)
{
	unsigned long long z = (unsigned long long)i * 0x9e3779b97f4a7c15ull + salt * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / (double)(1ull << 52) - 1.0;
}

struct cut {
	size_t nseg;
	struct stats_segment seg[64];
	struct stats_segment_fit fit;
};

static int cut(struct stats_pt *p, size_t n, size_t min_len, double penalty, double floor_,
	       struct cut *c)
{
	struct stats_segment_opts o = { min_len, penalty, floor_ };
	/* the work area 8 bytes into malloc's block, as SQLite's allocator
	 * gives it (stats_sql.c): the layout must align itself */
	char *work = malloc(stats_segment_work_bytes(n) + 8);
	struct stats_segment *seg = malloc(n * sizeof *seg);
	REQUIRE(work && seg);
	int rc = stats_segment_compute(p, n, &o, work + 8, seg, &c->fit);
	c->nseg = rc == 0 ? c->fit.nseg : 0;
	for (size_t i = 0; i < c->nseg && i < 64; i++)
		c->seg[i] = seg[i];
	free(work);
	free(seg);
	return rc;
}

/* flat at 100 for 20 points, then +2 a second (one point a second): point
 * 19 lies on both lines, and a tie goes to the earlier cut, so it starts
 * the second segment */
TEST(segments_flat_then_ramp_exact)
{
	struct stats_pt p[40];
	for (int i = 0; i < 40; i++)
		p[i] = (struct stats_pt){ 1.7e9 + i, i < 20 ? 100 : 100 + 2.0 * (i - 19) };
	struct cut c;
	REQUIRE(cut(p, 40, 3, 3, 0, &c) == 0);
	CHECK_EQ_U64(c.nseg, 2);
	CHECK_EQ_U64(c.seg[0].n, 19);
	CHECK(c.seg[0].t_start == 1.7e9 && c.seg[0].t_end == 1.7e9 + 18);
	CHECK(c.seg[1].t_start == 1.7e9 + 19 && c.seg[1].t_end == 1.7e9 + 39);
	CHECK(fabs(c.seg[0].slope) < 1e-9 && fabs(c.seg[1].slope - 2) < 1e-9);
	CHECK(fabs(c.seg[1].y_start - 100) < 1e-9 && fabs(c.seg[1].y_end - 140) < 1e-9);
	CHECK(c.seg[0].rmse < 1e-9 && c.seg[1].rmse < 1e-9);
}

/* a step (a level change with no slope), and a leak that stopped */
TEST(segments_step_and_stopped_ramp_exact)
{
	struct stats_pt p[45];
	for (int i = 0; i < 30; i++)
		p[i] = (struct stats_pt){ 60.0 * i, i < 12 ? 5 : 9 };
	struct cut c;
	REQUIRE(cut(p, 30, 3, 3, 0, &c) == 0);
	CHECK_EQ_U64(c.nseg, 2);
	CHECK_EQ_U64(c.seg[0].n, 12);
	CHECK(c.seg[1].t_start == 720 && fabs(c.seg[1].y_start - 9) < 1e-12);
	for (int i = 0; i < 45; i++)
		p[i] = (struct stats_pt){ 60.0 * i, i < 15 ? 50 : i < 30 ? 50 + (i - 14) : 66 };
	REQUIRE(cut(p, 45, 3, 3, 0, &c) == 0);
	CHECK_EQ_U64(c.nseg, 3);
	CHECK(c.seg[1].t_start == 14 * 60.0 && c.seg[1].t_end == 29 * 60.0);
	CHECK(fabs(c.seg[1].slope - 1 / 60.0) < 1e-12 && fabs(c.seg[2].slope) < 1e-12);
}

/* a straight line, and a flat series, with noise: no change */
TEST(segments_noise_alone_is_one_segment)
{
	struct stats_pt p[200];
	for (unsigned salt = 1; salt <= 5; salt++) {
		for (int i = 0; i < 200; i++)
			p[i] = (struct stats_pt){ 300.0 * i, 1e8 + 65536 * i + 1e6 * noise(i, salt) };
		struct cut c;
		REQUIRE(cut(p, 200, 6, 3, 0, &c) == 0);
		CHECK_EQ_U64(c.nseg, 1);
		CHECK(fabs(c.seg[0].slope * 300 - 65536) < 0.05 * 65536);
		/* uniform noise of +-1e6 has sigma 5.8e5: the estimate is near it */
		CHECK(c.fit.sigma > 4e5 && c.fit.sigma < 8e5);
		for (int i = 0; i < 200; i++)
			p[i].y = 1e8 + 1e6 * noise(i, salt);
		REQUIRE(cut(p, 200, 6, 3, 0, &c) == 0);
		CHECK_EQ_U64(c.nseg, 1);
	}
}

/* optimal partitioning by brute force: the least penalised cost over
 * every cut into segments of at least MIN_LEN points; the number of
 * segments in *NSEG and their starts in START */
static double op_cost(const struct stats_pt *p, size_t a, size_t b)
{
	double m = (double)(b - a), st = 0, sy = 0;
	for (size_t i = a; i < b; i++) {
		st += p[i].t;
		sy += p[i].y;
	}
	double tm = st / m, ym = sy / m, stt = 0, sty = 0, syy = 0;
	for (size_t i = a; i < b; i++) {
		stt += (p[i].t - tm) * (p[i].t - tm);
		sty += (p[i].t - tm) * (p[i].y - ym);
		syy += (p[i].y - ym) * (p[i].y - ym);
	}
	double sse = stt > 0 ? syy - sty * sty / stt : syy;
	return sse > 0 ? sse : 0;
}

static void optimal_partitioning(const struct stats_pt *p, size_t n, size_t min_len, double beta,
				 size_t *nseg, size_t *start)
{
	double f[128];
	size_t last[128];
	f[0] = -beta;
	for (size_t t = 1; t <= n; t++) {
		f[t] = INFINITY;
		for (size_t s = 0; s + min_len <= t; s++) {
			if (s > 0 && s < min_len)
				continue;
			double v = f[s] + op_cost(p, s, t) + beta;
			if (v < f[t]) {
				f[t] = v;
				last[t] = s;
			}
		}
	}
	size_t k = 0, tmp[128];
	for (size_t t = n; t > 0; t = last[t])
		tmp[k++] = last[t];
	for (size_t i = 0; i < k; i++)
		start[i] = tmp[k - 1 - i];
	*nseg = k;
}

TEST(segments_pelt_equals_optimal_partitioning)
{
	struct stats_pt p[120], q[120];
	for (unsigned salt = 1; salt <= 12; salt++) {
		size_t n = 60 + 5 * salt;
		for (size_t i = 0; i < n; i++) {
			double y = 10 * noise((unsigned)i, salt);
			if (salt % 3 == 1 && i >= n / 3)
				y += 1.5 * (double)(i - n / 3); /* a late ramp */
			if (salt % 3 == 2 && i >= n / 2)
				y += 25; /* a step */
			p[i] = (struct stats_pt){ 10.0 * i, y };
		}
		memcpy(q, p, n * sizeof *p);
		struct cut c;
		REQUIRE(cut(q, n, 4, 3, 0, &c) == 0);
		size_t nseg, start[128];
		optimal_partitioning(p, n, 4, c.fit.beta, &nseg, start);
		if (!CHECK_EQ_U64(c.nseg, nseg))
			continue;
		for (size_t i = 0; i < nseg; i++)
			CHECK(c.seg[i].t_start == p[start[i]].t);
		if (salt % 3 == 1 || salt % 3 == 2)
			CHECK(c.nseg >= 2);
	}
}

/* points at the same time stay together; short runs are no segment;
 * fewer than 2 min_len points are one segment */
TEST(segments_ties_min_len_and_few_points)
{
	struct stats_pt p[24];
	for (int i = 0; i < 24; i++)
		p[i] = (struct stats_pt){ (double)(i < 12 ? i : 11), i < 10 ? 0 : 50 };
	struct cut c;
	REQUIRE(cut(p, 24, 3, 3, 0, &c) == 0);
	for (size_t i = 1; i < c.nseg; i++)
		CHECK(c.seg[i].t_start > c.seg[i - 1].t_end);
	/* a 2-point blip cannot be a segment of its own with min_len 3 */
	for (int i = 0; i < 24; i++)
		p[i] = (struct stats_pt){ (double)i, i == 10 || i == 11 ? 40 : 0 };
	REQUIRE(cut(p, 24, 3, 3, 0, &c) == 0);
	for (size_t i = 0; i < c.nseg; i++)
		CHECK(c.seg[i].n >= 3);
	for (int i = 0; i < 5; i++)
		p[i] = (struct stats_pt){ (double)i, i < 3 ? 0 : 100 };
	REQUIRE(cut(p, 5, 3, 3, 0, &c) == 0);
	CHECK_EQ_U64(c.nseg, 1);
	p[0] = (struct stats_pt){ 5, 7 };
	REQUIRE(cut(p, 1, 3, 3, 0, &c) == 0);
	CHECK(c.nseg == 1 && c.seg[0].slope == 0 && c.seg[0].y_start == 7 && c.seg[0].y_end == 7);
}

/* a step smaller than the noise floor is not a change */
TEST(segments_floor)
{
	struct stats_pt p[40];
	for (int i = 0; i < 40; i++)
		p[i] = (struct stats_pt){ (double)i, i < 20 ? 0 : 1000 };
	struct cut c;
	REQUIRE(cut(p, 40, 3, 3, 0, &c) == 0);
	CHECK_EQ_U64(c.nseg, 2);
	REQUIRE(cut(p, 40, 3, 3, 65536, &c) == 0);
	CHECK_EQ_U64(c.nseg, 1);
	CHECK(c.fit.sigma == 65536);
}

TEST(segments_refuses_bad_input)
{
	struct stats_pt p[3] = { { 0, 1 }, { 1, NAN }, { 2, 3 } };
	struct cut c;
	CHECK(cut(p, 3, 3, 3, 0, &c) == -1);
	CHECK(cut(p, 0, 3, 3, 0, &c) == -1);
	p[1].y = 2;
	CHECK(cut(p, 3, 1, 3, 0, &c) == -1);
	CHECK(cut(p, 3, 3, 0, 0, &c) == -1);
	CHECK(cut(p, 3, 3, 3, -1, &c) == -1);
	CHECK(stats_segment_work_bytes(STATS_SEGMENT_MAX_POINTS + 1) == 0);
}

/* ---- the SQL function ---- */

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(ms_stats_register(db) == SQLITE_OK);
	REQUIRE(sqlite3_exec(db,
			     "CREATE TABLE s(t, y);"
			     "WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 39)"
			     "INSERT INTO s SELECT 1.7e9 + 60 * i, CASE WHEN i < 25 THEN 4096"
			     " ELSE 4096 + 1024 * (i - 24) END FROM x ORDER BY (i * 7) % 40",
			     NULL, NULL, NULL) == SQLITE_OK);
	return db;
}

static char *text_of(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
	sqlite3_stmt *st;
	char *s = NULL;
	err[0] = '\0';
	REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		s = strdup((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_ROW)
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return s;
}

TEST(segments_sql_text)
{
	sqlite3 *db = open_db();
	char err[256];
	char *j = text_of(db, "SELECT segments(t, y) FROM s", err, sizeof err);
	/* no noise: sigma is 1e-9 of the largest value (19456) */
	CHECK_STR(j, "{\"n\":40,\"sigma\":1.9456000000000001e-05,\"beta\":4.1891203108625645e-09,"
		     "\"segments\":[{\"t_start\":1700000000.0,\"t_end\":1700001380.0,\"n\":24,"
		     "\"slope\":0.0,\"y_start\":4096.0,\"y_end\":4096.0,\"rmse\":0.0},"
		     "{\"t_start\":1700001440.0,\"t_end\":1700002340.0,\"n\":16,"
		     "\"slope\":17.066666666666666,\"y_start\":4096.0,\"y_end\":19456.0,\"rmse\":0.0}]}");
	free(j);
	/* the arguments: min_len 16 leaves no room for a second segment */
	j = text_of(db, "SELECT json_array_length(segments(t, y, 16, 3, 0), '$.segments') FROM s",
		    err, sizeof err);
	CHECK(j == NULL); /* an integer, not text */
	double v = NAN;
	sqlite3_stmt *st;
	REQUIRE(sqlite3_prepare_v2(db, "SELECT json_array_length(segments(t, y, 16), '$.segments'),"
				       " json_array_length(segments(t, y, NULL, NULL, 1e6), '$.segments')"
				       " FROM s", -1, &st, NULL) == SQLITE_OK);
	if (CHECK(sqlite3_step(st) == SQLITE_ROW)) {
		v = sqlite3_column_double(st, 0);
		CHECK(v == 2);
		CHECK(sqlite3_column_double(st, 1) == 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

TEST(segments_sql_errors_and_limit)
{
	sqlite3 *db = open_db();
	char err[256];
	static const struct { const char *sql, *want; } bad[] = {
		{ "SELECT segments(t, y, 1) FROM s", "segments: min_len must be NULL or a whole number from 2 to 4096" },
		{ "SELECT segments(t, y, 2.5) FROM s", "segments: min_len must be NULL or a whole number from 2 to 4096" },
		{ "SELECT segments(t, y, 3, 0) FROM s", "segments: penalty must be NULL or a positive number" },
		{ "SELECT segments(t, y, 3, 3, -1) FROM s", "segments: floor must be NULL or a number of at least 0" },
		{ "SELECT segments(t, y, 3, 3, 'x') FROM s", "segments: floor must be NULL or a number of at least 0" },
		{ "SELECT segments(t, y, 3 + (t > 1.7e9 + 600)) FROM s", "segments: argument 3 must be the same in every row" },
		{ "SELECT segments(t, 'abc') FROM s", "segments: argument 2 is not a number" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *j = text_of(db, bad[i].sql, err, sizeof err);
		CHECK(j == NULL);
		CHECK_STR(err, bad[i].want);
		free(j);
	}
	char *j = text_of(db, "WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 4096)"
			      " SELECT segments(i, i) FROM x", err, sizeof err);
	CHECK(j == NULL);
	CHECK_STR(err, "segments: 4097 points: at most 4096; bucket the series first");
	j = text_of(db, "SELECT segments(t, y) FROM s WHERE t < 0", err, sizeof err);
	CHECK(j == NULL && err[0] == '\0'); /* no row: NULL */
	sqlite3_close(db);
}
