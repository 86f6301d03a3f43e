/*
 * test_stats.c - the trend statistics (analyze/stats/): the numeric code on
 * arrays, then the SQL functions on an in-memory database.
 *
 * Reference values come from tests/unit/stats_reference.py (scipy 1.10 and
 * numpy 1.24 as in Debian 12; run by hand, not by ctest), which says for
 * each statistic which library call or published method produced it:
 * scipy.stats.linregress (OLS), scipy.stats.theilslopes (Theil-Sen and,
 * where n/n* = 1, its interval), scipy.stats.kendalltau (cross-check of S
 * and Var(S)), a written-out Mann-Kendall and Hamed & Rao (1998) in the
 * form of pyMannKendall, numpy.percentile.  The series are spelled here
 * exactly as in the script.  Values computed by hand are marked so.
 *
 * Tolerance: results that go through erfc() or long sums are compared to a
 * relative 1e-10 (different libm and summation orders differ in the last
 * bits, never more); counts, ranks and selected slopes exactly.
 */
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_json.h"
#include "stats_normal.h"
#include "stats_select.h"
#include "stats_sql.h"
#include "stats_trend.h"
#include "test.h"

#define REL 1e-10

static int check_near(double a, double b, double rel, const char *file, int line,
		      const char *ea, const char *eb)
{
	int ok = (isnan(a) && isnan(b)) || a == b ||
		 fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
	if (!ok)
		fprintf(stderr, "%s:%d: %s = %.17g, %s = %.17g\n", file, line, ea, a, eb, b);
	return test_check(ok, file, line, "values are near");
}
#define CHECK_NEAR(a, b) check_near((a), (b), REL, __FILE__, __LINE__, #a, #b)
#define CHECK_NAN(a) check_near((a), NAN, 0, __FILE__, __LINE__, #a, "NaN")

/* ---- the reference series (stats_reference.py) ---- */

static const double A_T[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const double A_Y[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 };

static const double B_DT[] = { 0, 7, 15, 30, 31, 45, 61, 62, 80, 95, 97, 110, 125, 140,
			       141, 160, 172, 180, 199, 215 };
static const double B_Y[] = { 100.5, 101.25, 99.75, 103, 102.5, 104, 103.75, 106, 105.5,
			      107.25, 106, 109, 108.5, 110, 111.75, 110.5, 113, 112.25, 115,
			      114.5 };

/* AR(1) noise (phi 0.85) on a trend of 0.3 per step, t = 0..47 */
static const double C_Y[] = {
	4.92, 0.9519999999999997, -3.3158, -2.53843, -3.8426655, -3.3162656750000004,
	-6.1338258237500005, -7.0837519501875, -6.866189157659374, -9.246260784010468,
	-14.934321666408898, -3.604173416447563, -7.578547403980428, -6.291765293383362,
	0.20699950062414185, -4.284050424469479, 4.033557139200943, -2.7114764316791984,
	-7.999754966927319, -9.09979172188822, -3.879822963604987, -5.507849519064238,
	-7.586672091204603, -7.858671277523913, 0.6851294141046731, -0.6376399980110268,
	-4.156993998309372, 3.8065551014370334, 4.030571836221479, -2.814013939211744,
	-9.446911848329982, -1.069875071080487, 6.455606189581587, 8.22726526114435,
	4.368175471972696, 14.082949151176791, 21.53550677850027, 11.445180761725233,
	13.813403647466448, 23.06139310034648, 23.227184135294507, 31.40310651500033,
	29.357640537750285, 31.753994457087742, 34.515895288524575, 34.76851099524589,
	36.438234345959, 31.04249919406515,
};

/* ties in t and in y */
static const double D_T[] = { 0, 0, 1, 2, 2, 2, 3, 4, 5, 5, 6, 7 };
static const double D_Y[] = { 1, 2, 2, 3, 1, 4, 4, 5, 5, 6, 5, 7 };

/* a warm-up: fast growth, then a plateau */
static const double E_Y[] = { 0, 3, 6, 8, 10, 12, 13, 14, 15, 16, 16.5, 17, 17.5, 17.75,
			      18, 18.25, 18.5, 18.5, 18.75, 19 };

/* flat, then growing */
static const double F_Y[] = { 5, 5, 4, 5, 5, 4, 5, 5, 5, 6, 7, 8, 10, 12, 13, 15 };

/* 40 000 bytes a step with up to 3 KiB of jitter */
static const double G_JITTER[] = { 0, 1024, -1024, 2048, 0, 3072, 1024, -2048, 0, 1024,
				   2048, 0 };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* What stats_reference.py printed for one series. */
struct ref {
	double ols_slope, ols_r2, ts_slope, ts_lo, ts_hi;
	long long mk_s;
	double mk_var, tau, hr_ratio;
	double mk_z, mk_p_inc, mk_p_dec, mk_z_hr, mk_p_inc_hr, mk_p_dec_hr;
	double saturation;
};

static const struct ref REF_A = {
	0.34965034965034963, 0.24739411531864355, 0.3666666666666667, 0.0, 0.7,
	25, 207.0, 0.3787878787878788, 1.0,
	1.668115312456598, 0.04764641901172832, 0.9523535809882717,
	1.668115312456598, 0.04764641901172832, 0.9523535809882717, 0.625,
};
static const struct ref REF_B = {
	0.06953381581489353, 0.9658277153650976, 0.06930626712736804, 0.06363636363636363,
	0.075, 169, 949.0, 0.8894736842105263, 1.0,
	5.453510774554042, 2.4692476106137543e-08, 0.9999999753075239,
	5.453510774554042, 2.4692476106137543e-08, 0.9999999753075239, 0.9849552724315531,
};
static const struct ref REF_C = {
	0.813507321246813, 0.6265848740039754, 0.7708415205062894, 0.31028011109107667,
	1.1669093310482632, 592, 12658.666666666666, 0.524822695035461, 4.3163680699881475,
	5.252831852337151, 7.488913257855838e-08, 0.9999999251108674,
	2.5283329425481242, 0.0057302806466682935, 0.9942697193533317, 1e9,
};
static const struct ref REF_D = {
	0.7680339462517681, 0.8225689010152074, 0.8, 0.6, 1.0,
	49, 200.7909090909091, 0.7424242424242424, 1.0,
	3.3874213026210107, 0.0003527647741069518, 0.999647235225893,
	3.3874213026210107, 0.0003527647741069518, 0.999647235225893, 0.5,
};
static const struct ref REF_E = {
	0.8682330827067671, 0.8270037498435452, 0.75, 0.4375, 1.088235294117647,
	189, 949.0, 0.9947368421052631, 2.572456140350877,
	6.102738247715238, 5.213326042223255e-10, 0.9999999994786674,
	3.8049657651768283, 7.091190251950351e-05, 0.9999290880974805, 0.14583333333333334,
};
static const struct ref REF_F = {
	0.6264705882352941, 0.734185613722793, 0.6, 0.2, 1.0,
	86, 448.0, 0.7166666666666667, 1.9864491150442478,
	4.015872525723039, 2.9613132019007115e-05, 0.999970386867981,
	2.8493198024874147, 0.0021906408275237784, 0.9978093591724763, 1e9,
};
static const struct ref REF_G = {
	40017.9020979021, 0.9999044352375962, 40000.0, 39795.2, 40341.333333333336,
	66, 212.66666666666666, 1.0, 1.0,
	4.45721562860432, 4.151553676782359e-06, 0.9999958484463232,
	4.45721562860432, 4.151553676782359e-06, 0.9999958484463232, 0.9936808846761453,
};
/* G with q = 65536: only Mann-Kendall changes */
static const struct ref REF_GQ = {
	40017.9020979021, 0.9999044352375962, 40000.0, 39795.2, 40341.333333333336,
	62, 208.66666666666666, 0.9393939393939394, 1.0,
	4.222827059045519, 1.2062846955141424e-05, 0.9999879371530449,
	4.222827059045519, 1.2062846955141424e-05, 0.9999879371530449, 0.9936808846761453,
};
static const struct ref REF_H = {
	0.024812030075187962, 0.0008243199360527563, 0.1, 0.09999999999999994,
	0.10000000000000009, 80, 950.0, 0.42105263157894735, 1.0,
	2.563098453866048, 0.005187131283601122, 0.9948128687163988,
	2.563098453866048, 0.005187131283601122, 0.9948128687163988, 0.9999999999999989,
};

/* A series as points: T (or 0, 1, 2... when T is NULL) plus T0, and Y. */
static struct stats_pt *points(const double *t, double t0, const double *y, size_t n)
{
	struct stats_pt *p = malloc(n * sizeof *p);
	REQUIRE(p != NULL);
	for (size_t i = 0; i < n; i++) {
		p[i].t = t0 + (t ? t[i] : (double)i);
		p[i].y = y[i];
	}
	return p;
}

static void series_g(double *y)
{
	for (size_t i = 0; i < N_OF(G_JITTER); i++)
		y[i] = 1e6 + (double)i * 40000 + G_JITTER[i];
}

static void series_h(double *y)
{
	for (int i = 0; i < 20; i++)
		y[i] = 0.1 * i + (i % 2 == 0 ? 5 : -5);
}

/* stats_trend_compute(STATS_TREND_ALL) of P (consumed: freed here). */
static struct stats_trend trend_of(struct stats_pt *p, size_t n, double q)
{
	struct stats_trend tr;
	struct stats_trend_opts o = STATS_TREND_OPTS_INIT;
	size_t wl = stats_trend_work_len(n, STATS_TREND_ALL);
	double *work = malloc((wl ? wl : 1) * sizeof *work);
	REQUIRE(work != NULL);
	o.q = q;
	memset(&tr, 0, sizeof tr);
	CHECK(stats_trend_compute(p, n, &o, STATS_TREND_ALL, work, &tr) == 0);
	free(work);
	free(p);
	return tr;
}

static void check_ref(const struct stats_trend *tr, const struct ref *r, const char *name)
{
	fprintf(stderr, "  series %s\n", name);
	CHECK_NEAR(tr->ols_slope, r->ols_slope);
	CHECK_NEAR(tr->ols_r2, r->ols_r2);
	/* selected slopes are the same double as scipy's */
	CHECK(tr->ts_slope == r->ts_slope);
	CHECK(tr->ts_lo == r->ts_lo);
	CHECK(tr->ts_hi == r->ts_hi);
	CHECK_EQ_I64(tr->mk_s, r->mk_s);
	CHECK_NEAR(tr->mk_var, r->mk_var);
	CHECK_NEAR(tr->tau, r->tau);
	CHECK_NEAR(tr->hr_ratio, r->hr_ratio);
	CHECK_NEAR(tr->mk_z, r->mk_z);
	CHECK_NEAR(tr->mk_p_inc, r->mk_p_inc);
	CHECK_NEAR(tr->mk_p_dec, r->mk_p_dec);
	CHECK_NEAR(tr->mk_z_hr, r->mk_z_hr);
	CHECK_NEAR(tr->mk_p_inc_hr, r->mk_p_inc_hr);
	CHECK_NEAR(tr->mk_p_dec_hr, r->mk_p_dec_hr);
	CHECK_NEAR(tr->saturation, r->saturation);
}

/* ---- order statistics ---- */

static int cmp_d(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* Every rank of every pattern against qsort, and the partition invariant. */
TEST(select_kth_every_rank)
{
	enum { N = 257 };
	double src[N], sorted[N], a[N];
	unsigned x = 1;
	for (int pattern = 0; pattern < 6; pattern++) {
		for (int i = 0; i < N; i++) {
			x = x * 1103515245u + 12345u;
			switch (pattern) {
			case 0: src[i] = (double)(x >> 16 & 1023); break;   /* random */
			case 1: src[i] = (double)(x >> 16 & 3); break;      /* many ties */
			case 2: src[i] = 7; break;                          /* constant */
			case 3: src[i] = i; break;                          /* sorted */
			case 4: src[i] = N - i; break;                      /* reversed */
			default: src[i] = i < N / 2 ? i : N - i; break;     /* organ pipe */
			}
		}
		src[5] = -INFINITY;
		src[6] = INFINITY;
		memcpy(sorted, src, sizeof src);
		qsort(sorted, N, sizeof *sorted, cmp_d);
		for (size_t k = 0; k < N; k++) {
			memcpy(a, src, sizeof src);
			double v = stats_select_kth(a, N, k);
			if (!CHECK(v == sorted[k]) || !CHECK(a[k] == v)) {
				fprintf(stderr, "    pattern %d k %zu\n", pattern, k);
				return;
			}
			for (size_t i = 0; i < N; i++)
				if (!CHECK(i < k ? a[i] <= v : a[i] >= v))
					return;
		}
	}
	double one = 3.5;
	CHECK(stats_select_kth(&one, 1, 0) == 3.5);
}

/* Above 600 values the pivot comes from a sample: every pattern, some
 * ranks, then a second rank searched on one side of the first. */
TEST(select_kth_sampled_windows)
{
	enum { N = 5000 };
	static double src[N], sorted[N], a[N];
	static const size_t ks[] = { 0, 1, 777, N / 2 - 1, N / 2, 4000, N - 1 };
	unsigned x = 99;
	for (int pattern = 0; pattern < 5; pattern++) {
		for (int i = 0; i < N; i++) {
			x = x * 1103515245u + 12345u;
			switch (pattern) {
			case 0: src[i] = (double)(x >> 8); break;
			case 1: src[i] = (double)(x >> 8 & 1); break;
			case 2: src[i] = i; break;
			case 3: src[i] = (i % 50) * (i < N / 2 ? 1.0 : -1.0); break;  /* blocks */
			default: src[i] = 0; break;
			}
		}
		memcpy(sorted, src, sizeof src);
		qsort(sorted, N, sizeof *sorted, cmp_d);
		for (size_t r = 0; r < N_OF(ks); r++) {
			size_t k = ks[r], k2 = (k * 7 + 1234) % N;
			memcpy(a, src, sizeof src);
			double v = stats_select_kth(a, N, k);
			if (!CHECK(v == sorted[k] && a[k] == v))
				fprintf(stderr, "    pattern %d k %zu\n", pattern, k);
			for (size_t i = 0; i < N; i++)
				if (!CHECK(i < k ? a[i] <= v : a[i] >= v))
					return;
			CHECK(stats_select_kth_after(a, N, k, k2) == sorted[k2]);
			CHECK(a[k] == v);
		}
		memcpy(a, src, sizeof src);
		CHECK(stats_select_median(a, N) == sorted[N / 2 - 1] / 2 + sorted[N / 2] / 2);
	}
}

/* numpy.percentile([15, 20, 35, 40, 50], p) */
TEST(percentile_matches_numpy)
{
	static const double p[] = { 0, 10, 25, 40, 50, 75, 99.9, 100 };
	static const double want[] = { 15.0, 17.0, 20.0, 29.0, 35.0, 40.0, 49.96000000000001,
				       50.0 };
	for (size_t i = 0; i < N_OF(p); i++) {
		double a[] = { 40, 15, 50, 35, 20 };
		double got = stats_select_percentile(a, 5, p[i]);
		if (!CHECK(got == want[i]))
			fprintf(stderr, "    p=%g: %.17g, numpy %.17g\n", p[i], got, want[i]);
	}
	double c[N_OF(C_Y)];
	memcpy(c, C_Y, sizeof c);
	CHECK(stats_select_percentile(c, N_OF(c), 33) == -3.8608726571664436);
	double one = -2;
	CHECK(stats_select_percentile(&one, 1, 0) == -2);
	CHECK(stats_select_percentile(&one, 1, 100) == -2);
	CHECK(stats_select_percentile(&one, 1, 37.5) == -2);
}

TEST(median_odd_and_even)
{
	double even[] = { 4, 1, 3, 2 };
	double odd[] = { 9, -1, 4 };
	double big[] = { 1.5e308, 1.7e308 };  /* (a + b) / 2 would overflow */
	CHECK(stats_select_median(even, 4) == 2.5);
	CHECK(stats_select_median(odd, 3) == 4);
	CHECK(stats_select_median(big, 2) == 1.6e308);
}

/* scipy.stats.norm.isf(alpha / 2) */
TEST(normal_isf_matches_scipy)
{
	CHECK_NEAR(stats_normal_isf(0.10 / 2), 1.6448536269514729);
	CHECK_NEAR(stats_normal_isf(0.05 / 2), 1.9599639845400545);
	CHECK_NEAR(stats_normal_isf(0.01 / 2), 2.575829303548901);
	CHECK_NEAR(stats_normal_isf(1e-06 / 2), 4.891638475698591);
	CHECK_NEAR(stats_normal_isf(0.975), -1.9599639845400545);
	CHECK(stats_normal_isf(0.5) == 0);
	CHECK(isnan(stats_normal_isf(0)));
	CHECK(isnan(stats_normal_isf(1)));
	CHECK(isnan(stats_normal_isf(NAN)));
	CHECK_NEAR(stats_normal_sf(1.6448536269514729), 0.05);
}

/* Ranks by hand: N = 10, C = 3.2 gives round(3.4) = 3 and round(6.6) + 1 = 8. */
TEST(ci_ranks_by_hand)
{
	size_t lo, hi;
	stats_trend_ci_ranks(10, 3.2, &lo, &hi);
	CHECK_EQ_U64(lo, 3);
	CHECK_EQ_U64(hi, 8);
	stats_trend_ci_ranks(10, 0, &lo, &hi);
	CHECK_EQ_U64(lo, 5);
	CHECK_EQ_U64(hi, 6);
	stats_trend_ci_ranks(10, 1e6, &lo, &hi);  /* clamped */
	CHECK_EQ_U64(lo, 1);
	CHECK_EQ_U64(hi, 10);
	stats_trend_ci_ranks(1, 0, &lo, &hi);
	CHECK_EQ_U64(lo, 1);
	CHECK_EQ_U64(hi, 1);
}

/* ---- the trend of each reference series ---- */

TEST(trend_small_series_with_ties)
{
	struct stats_trend tr = trend_of(points(A_T, 0, A_Y, 12), 12, 0);
	check_ref(&tr, &REF_A, "A");
	CHECK_EQ_U64(tr.n, 12);
	CHECK(tr.t_first == 0 && tr.t_last == 11 && tr.y_first == 3 && tr.y_last == 8);
	/* by hand: 3 1 4 1 5 9 2 6 5 3 5 8 rises 6 times out of 11 changes */
	CHECK_NEAR(tr.rise_frac, 6.0 / 11);
}

/* Epoch times with irregular gaps: centering keeps full precision. */
TEST(trend_epoch_times_irregular)
{
	struct stats_trend tr = trend_of(points(B_DT, 1.7e9, B_Y, 20), 20, 0);
	check_ref(&tr, &REF_B, "B");
	CHECK(tr.t_first == 1.7e9 && tr.t_last == 1.7e9 + 215);
}

/* Strong autocorrelation: Hamed-Rao inflates Var(S) 4.3 times. */
TEST(trend_autocorrelated_hamed_rao)
{
	struct stats_trend tr = trend_of(points(NULL, 0, C_Y, 48), 48, 0);
	check_ref(&tr, &REF_C, "C");
	CHECK(tr.mk_p_inc_hr > 100 * tr.mk_p_inc);
}

/* Ties in t: pairs at equal t have no slope and no sign; Var(S) is
 * Kendall's with ties in both (scipy.stats.kendalltau agrees). */
TEST(trend_ties_in_time)
{
	struct stats_trend tr = trend_of(points(D_T, 0, D_Y, 12), 12, 0);
	check_ref(&tr, &REF_D, "D");
}

/* A warm-up that plateaus: saturation 0.146 < 0.5 although MK says "up". */
TEST(trend_warmup_saturates)
{
	struct stats_trend tr = trend_of(points(NULL, 0, E_Y, 20), 20, 0);
	check_ref(&tr, &REF_E, "E");
}

TEST(trend_late_growth_is_saturation_inf)
{
	struct stats_trend tr = trend_of(points(NULL, 0, F_Y, 16), 16, 0);
	check_ref(&tr, &REF_F, "F");
	CHECK(tr.saturation == STATS_TREND_SAT_INF);
}

/* Quantization changes Mann-Kendall only. */
TEST(trend_quantized)
{
	double y[N_OF(G_JITTER)];
	series_g(y);
	struct stats_trend tr = trend_of(points(NULL, 0, y, 12), 12, 0);
	check_ref(&tr, &REF_G, "G");
	tr = trend_of(points(NULL, 0, y, 12), 12, 65536);
	check_ref(&tr, &REF_GQ, "G q=65536");
	/* by hand: 1e6 + jitter / 65536 always rounds to 15: all ties */
	for (size_t i = 0; i < N_OF(y); i++)
		y[i] = 1e6 + G_JITTER[i];
	tr = trend_of(points(NULL, 0, y, 12), 12, 65536);
	CHECK_EQ_I64(tr.mk_s, 0);
	CHECK(tr.mk_var == 0 && tr.mk_z == 0 && tr.mk_p_inc == 0.5 && tr.mk_p_dec == 0.5);
	tr = trend_of(points(NULL, 0, y, 12), 12, 0);
	CHECK(tr.mk_s != 0);
}

/* A sawtooth has n/n* = 0.079 before clamping: the correction must not
 * make the test more liberal, so it stays 1. */
TEST(trend_hamed_rao_clamped)
{
	double y[20];
	series_h(y);
	struct stats_trend tr = trend_of(points(NULL, 0, y, 20), 20, 0);
	check_ref(&tr, &REF_H, "H");
	CHECK(tr.hr_ratio == 1 && tr.mk_z_hr == tr.mk_z);
}

/* By hand: a constant series. */
TEST(trend_constant_series)
{
	double y[12];
	for (int i = 0; i < 12; i++)
		y[i] = 42;
	struct stats_trend tr = trend_of(points(NULL, 0, y, 12), 12, 0);
	CHECK(tr.ols_slope == 0 && tr.ols_r2 == 0);
	CHECK(tr.ts_slope == 0 && tr.ts_lo == 0 && tr.ts_hi == 0);
	CHECK_EQ_I64(tr.mk_s, 0);
	CHECK(tr.mk_var == 0 && tr.tau == 0 && tr.mk_z == 0 && tr.mk_p_inc == 0.5);
	CHECK(tr.hr_ratio == 1 && tr.mk_z_hr == 0);
	CHECK_NAN(tr.rise_frac);
	CHECK_NAN(tr.saturation);  /* both halves flat */
}

/* By hand: below 10 points there is no Z; one point has no slope; equal
 * times have no slope and no OLS fit (but R^2 = 0 as Sxx = 0). */
TEST(trend_few_points)
{
	double y9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct stats_trend tr = trend_of(points(NULL, 0, y9, 9), 9, 0);
	CHECK_EQ_I64(tr.mk_s, 36);
	CHECK(tr.ts_slope == 1 && tr.ols_slope == 1 && tr.ols_r2 == 1 && tr.tau == 1);
	CHECK_NAN(tr.mk_z);
	CHECK_NAN(tr.mk_p_inc);
	CHECK_NAN(tr.mk_z_hr);
	CHECK(!isnan(tr.hr_ratio) && !isnan(tr.ts_lo));

	tr = trend_of(points(NULL, 0, y9, 1), 1, 0);
	CHECK_EQ_U64(tr.n, 1);
	CHECK_NAN(tr.ts_slope);
	CHECK_NAN(tr.ols_slope);
	CHECK_NAN(tr.tau);
	CHECK_EQ_I64(tr.mk_s, 0);

	double same_t[] = { 5, 5, 5 };
	tr = trend_of(points(same_t, 0, y9, 3), 3, 0);
	CHECK_NAN(tr.ts_slope);
	CHECK_NAN(tr.ols_slope);
	CHECK(tr.ols_r2 == 0);
	CHECK_EQ_I64(tr.mk_s, 0);
}

/* By hand: rising-step share and the saturation cases. */
TEST(rise_frac_and_saturation_by_hand)
{
	double y[] = { 1, 2, 2, 1, 3, 3, 4 };  /* up, down, up, up */
	struct stats_trend tr = trend_of(points(NULL, 0, y, 7), 7, 0);
	CHECK(tr.rise_frac == 0.75);

	/* halves t <= 2 and t >= 2 (the middle point in both) */
	double linear[] = { 0, 1, 2, 3, 4 };
	tr = trend_of(points(NULL, 0, linear, 5), 5, 0);
	CHECK(tr.saturation == 1);
	double flat_fall[] = { 3, 3, 3, 2, 1 };
	tr = trend_of(points(NULL, 0, flat_fall, 5), 5, 0);
	CHECK(tr.saturation == -STATS_TREND_SAT_INF);
	double fall_flat[] = { 5, 4, 3, 3, 3 };
	tr = trend_of(points(NULL, 0, fall_flat, 5), 5, 0);
	CHECK(tr.saturation == 0 && !signbit(tr.saturation));
	double accel[] = { 0, 1, 2, 5, 8 };
	tr = trend_of(points(NULL, 0, accel, 5), 5, 0);
	CHECK(tr.saturation == 3);
}

/* Ranges that overflow a double: everything undefined, nothing crashes. */
TEST(trend_overflowing_range)
{
	double t[] = { -1e308, 0, 1e308, 1.5e308 };
	double y[] = { 1, 2, 3, 4 };
	struct stats_trend tr = trend_of(points(t, 0, y, 4), 4, 0);
	CHECK_NAN(tr.ts_slope);
	CHECK_NAN(tr.ols_slope);
	CHECK_NAN(tr.mk_var);
	double t2[] = { 0, 1, 2, 3 };
	double y2[] = { -1.5e308, 1.5e308, 0, 1 };
	tr = trend_of(points(t2, 0, y2, 4), 4, 0);
	CHECK_NAN(tr.ts_slope);
	CHECK_NAN(tr.rise_frac);
}

TEST(trend_refuses_bad_arguments)
{
	struct stats_trend tr;
	struct stats_trend_opts o = STATS_TREND_OPTS_INIT;
	struct stats_pt p[2] = { { 0, 1 }, { 1, 2 } };
	double work[16];
	o.q = -1;
	CHECK(stats_trend_compute(p, 2, &o, STATS_TREND_MK, work, &tr) == -1);
	o.q = 0;
	o.alpha = 1;
	CHECK(stats_trend_compute(p, 2, &o, STATS_TREND_TS_CI, work, &tr) == -1);
	o.alpha = 0.1;
	CHECK(stats_trend_compute(p, STATS_TREND_MAX_POINTS + 1, &o, STATS_TREND_TS, work, &tr) == -1);
	CHECK_EQ_U64(stats_trend_work_len(STATS_TREND_MAX_POINTS + 1, STATS_TREND_MK), 0);
	CHECK_EQ_U64(stats_trend_work_len(STATS_TREND_MAX_POINTS, STATS_TREND_ALL), 8407040);
	CHECK_EQ_U64(stats_trend_work_len(1000000, STATS_TREND_OLS | STATS_TREND_RISE), 0);
}

TEST(json_trend_text)
{
	struct stats_trend tr = trend_of(points(A_T, 0, A_Y, 9), 9, 0);
	char buf[STATS_JSON_TREND_MAX];
	int len = stats_json_trend(&tr, buf, sizeof buf);
	REQUIRE(len > 0);
	CHECK_EQ_U64((size_t)len, strlen(buf));
	static const char head[] = "{\"n\":9,\"t_first\":0.0,\"t_last\":8.0,\"y_first\":3.0,\"y_last\":5.0,";
	CHECK(strncmp(buf, head, sizeof head - 1) == 0);
	CHECK(strstr(buf, ",\"mk_z\":null,") != NULL);
	CHECK(strstr(buf, ",\"mk_s\":") != NULL);
	CHECK(buf[len - 1] == '}');
	char small[40];
	CHECK(stats_json_trend(&tr, small, sizeof small) == -1);

	/* the longest numbers fit */
	tr.n = STATS_TREND_MAX_POINTS;
	tr.mk_s = -8386560;
	tr.t_first = tr.t_last = tr.y_first = tr.y_last = tr.ols_slope = tr.ols_r2 =
		tr.ts_slope = tr.ts_lo = tr.ts_hi = tr.mk_var = tr.tau = tr.mk_z = tr.mk_p_inc =
		tr.mk_p_dec = tr.hr_ratio = tr.mk_z_hr = tr.mk_p_inc_hr = tr.mk_p_dec_hr =
		tr.rise_frac = tr.saturation = -1.2345678901234567e-300;
	CHECK(stats_json_trend(&tr, buf, sizeof buf) > 0);
}

/* JSON numbers keep a '.' under a decimal-comma locale. */
TEST(json_ignores_locale)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
					     "fr_FR.utf8", "de_DE", NULL };
	const char *got = NULL;
	for (int i = 0; names[i] && !got; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (!got)
		SKIP("no decimal-comma locale installed (de_DE, fr_FR)");
	struct stats_trend tr = trend_of(points(A_T, 0.5, A_Y, 12), 12, 0);
	char buf[STATS_JSON_TREND_MAX];
	int len = stats_json_trend(&tr, buf, sizeof buf);
	setlocale(LC_NUMERIC, "C");
	REQUIRE(len > 0);
	CHECK(strstr(buf, "\"t_first\":0.5,\"t_last\":11.5,") != NULL);
	CHECK(strstr(buf, "\"rise_frac\":0.54545454545454541,") != NULL);
}

/* ---- through SQLite ---- */

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(ms_stats_register(db) == SQLITE_OK);
	REQUIRE(sqlite3_exec(db, "CREATE TABLE s(k, t, y)", NULL, NULL, NULL) == SQLITE_OK);
	return db;
}

/* Insert T (or 0, 1, ...) + T0 and Y as group K, in the order given by
 * PERM (or as is). */
static void insert(sqlite3 *db, int k, const double *t, double t0, const double *y, size_t n,
		   const size_t *perm)
{
	sqlite3_stmt *st;
	REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO s VALUES (?, ?, ?)", -1, &st, NULL) == SQLITE_OK);
	for (size_t j = 0; j < n; j++) {
		size_t i = perm ? perm[j] : j;
		sqlite3_bind_int(st, 1, k);
		sqlite3_bind_double(st, 2, t0 + (t ? t[i] : (double)i));
		sqlite3_bind_double(st, 3, y[i]);
		REQUIRE(sqlite3_step(st) == SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* The one value SQL returns, as a double; *IS_NULL tells NULL apart.
 * Returns the sqlite3_step() code (SQLITE_ROW on success). */
static int query(sqlite3 *db, const char *sql, double *out, int *is_null, char *err, size_t errsz)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	*out = NAN;
	*is_null = 0;
	if (err)
		err[0] = '\0';
	if (rc != SQLITE_OK) {
		if (err)
			snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*is_null = sqlite3_column_type(st, 0) == SQLITE_NULL;
		*out = sqlite3_column_double(st, 0);
	} else if (err) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return rc;
}

static double q1(sqlite3 *db, const char *sql)
{
	double v;
	int is_null;
	char err[256];
	if (!CHECK(query(db, sql, &v, &is_null, err, sizeof err) == SQLITE_ROW)) {
		fprintf(stderr, "    %s: %s\n", sql, err);
		return NAN;
	}
	return is_null ? NAN : v;
}

static int q_null(sqlite3 *db, const char *sql)
{
	double v;
	int is_null;
	return query(db, sql, &v, &is_null, NULL, 0) == SQLITE_ROW && is_null;
}

/* The error text SQL gives, checked against WANT. */
static void check_error(sqlite3 *db, const char *sql, const char *want)
{
	double v;
	int is_null;
	char err[256];
	int rc = query(db, sql, &v, &is_null, err, sizeof err);
	if (!CHECK(rc == SQLITE_ERROR))
		fprintf(stderr, "    %s: rc %d\n", sql, rc);
	CHECK_STR(err, want);
}

static char *q_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;
	REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
	if (CHECK(sqlite3_step(st) == SQLITE_ROW) && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* Every function on series C, against the reference. */
TEST(sql_functions_match_reference)
{
	sqlite3 *db = open_db();
	insert(db, 1, NULL, 1.7e9, C_Y, 48, NULL);
	const struct ref *r = &REF_C;
	CHECK_NEAR(q1(db, "SELECT ols_slope(t, y) FROM s"), r->ols_slope);
	CHECK_NEAR(q1(db, "SELECT ols_r2(t, y) FROM s"), r->ols_r2);
	CHECK(q1(db, "SELECT ts_slope(t, y) FROM s") == r->ts_slope);
	CHECK(q1(db, "SELECT ts_lo(t, y) FROM s") == r->ts_lo);
	CHECK(q1(db, "SELECT ts_hi(t, y) FROM s") == r->ts_hi);
	CHECK(q1(db, "SELECT ts_lo(t, y, NULL) FROM s") == r->ts_lo);
	CHECK(q1(db, "SELECT mk_s(t, y) FROM s") == (double)r->mk_s);
	CHECK_NEAR(q1(db, "SELECT mk_z(t, y) FROM s"), r->mk_z);
	CHECK_NEAR(q1(db, "SELECT mk_p_inc(t, y) FROM s"), r->mk_p_inc);
	CHECK_NEAR(q1(db, "SELECT mk_p_dec(t, y) FROM s"), r->mk_p_dec);
	CHECK_NEAR(q1(db, "SELECT mk_z_hr(t, y) FROM s"), r->mk_z_hr);
	CHECK_NEAR(q1(db, "SELECT mk_p_inc_hr(t, y) FROM s"), r->mk_p_inc_hr);
	CHECK_NEAR(q1(db, "SELECT mk_p_dec_hr(t, y) FROM s"), r->mk_p_dec_hr);
	CHECK(q1(db, "SELECT saturation(t, y) FROM s") == 1e9);
	CHECK(q1(db, "SELECT percentile(y, 33) FROM s") == -3.8608726571664436);
	CHECK(q1(db, "SELECT typeof(mk_s(t, y)) = 'integer' FROM s") == 1);
	/* trend() carries the same numbers */
	CHECK(q1(db, "SELECT json_extract(trend(t, y), '$.ts_lo') FROM s") == r->ts_lo);
	CHECK_NEAR(q1(db, "SELECT json_extract(trend(t, y), '$.mk_p_inc_hr') FROM s"), r->mk_p_inc_hr);
	CHECK_NEAR(q1(db, "SELECT json_extract(trend(t, y), '$.hr_ratio') FROM s"), r->hr_ratio);
	CHECK_NEAR(q1(db, "SELECT json_extract(trend(t, y), '$.mk_var') FROM s"), r->mk_var);
	CHECK(q1(db, "SELECT json_extract(trend(t, y), '$.t_first') FROM s") == 1.7e9);
	CHECK(q1(db, "SELECT json_extract(trend(t, y), '$.t_last') FROM s") == 1.7e9 + 47);
	CHECK(q1(db, "SELECT json_extract(trend(t, y), '$.n') FROM s") == 48);
	CHECK(q1(db, "SELECT json_valid(trend(t, y)) FROM s") == 1);
	sqlite3_close(db);
}

/* B at alpha 0.05: scipy.stats.theilslopes(alpha=0.05) (n/n* = 1 there). */
TEST(sql_ts_interval_alpha)
{
	sqlite3 *db = open_db();
	insert(db, 1, B_DT, 1.7e9, B_Y, 20, NULL);
	CHECK(q1(db, "SELECT ts_lo(t, y, 0.05) FROM s") == 0.0625);
	CHECK(q1(db, "SELECT ts_hi(t, y, 0.05) FROM s") == 0.07608695652173914);
	CHECK(q1(db, "SELECT ts_lo(t, y, 0.10) FROM s") == REF_B.ts_lo);
	check_error(db, "SELECT ts_lo(t, y, 0) FROM s",
		    "ts_lo: alpha must be NULL or a number between 0 and 1 (exclusive)");
	check_error(db, "SELECT ts_hi(t, y, 1) FROM s",
		    "ts_hi: alpha must be NULL or a number between 0 and 1 (exclusive)");
	check_error(db, "SELECT ts_lo(t, y, 'x') FROM s",
		    "ts_lo: alpha must be NULL or a number between 0 and 1 (exclusive)");
	check_error(db, "SELECT ts_lo(t, y, 0.05 + t % 2 / 10) FROM s",
		    "ts_lo: argument 3 must be the same in every row");
	sqlite3_close(db);
}

/* The same series inserted in three orders gives the same text. */
TEST(sql_order_independent)
{
	size_t rev[48], shuf[48];
	for (size_t i = 0; i < 48; i++) {
		rev[i] = 47 - i;
		shuf[i] = (i * 29) % 48;  /* 29 is prime to 48: a permutation */
	}
	sqlite3 *db = open_db();
	insert(db, 1, NULL, 1.7e9, C_Y, 48, NULL);
	insert(db, 2, NULL, 1.7e9, C_Y, 48, rev);
	insert(db, 3, NULL, 1.7e9, C_Y, 48, shuf);
	/* duplicates in t as well (series D), in two orders */
	size_t drev[12];
	for (size_t i = 0; i < 12; i++)
		drev[i] = 11 - i;
	insert(db, 4, D_T, 0, D_Y, 12, NULL);
	insert(db, 5, D_T, 0, D_Y, 12, drev);
	char *t1 = q_text(db, "SELECT trend(t, y) FROM s WHERE k = 1");
	char *t2 = q_text(db, "SELECT trend(t, y) FROM s WHERE k = 2");
	char *t3 = q_text(db, "SELECT trend(t, y) FROM s WHERE k = 3");
	char *t4 = q_text(db, "SELECT trend(t, y, 0.5) FROM s WHERE k = 4");
	char *t5 = q_text(db, "SELECT trend(t, y, 0.5) FROM s WHERE k = 5");
	CHECK(t1 != NULL);
	CHECK_STR(t2, t1);
	CHECK_STR(t3, t1);
	CHECK_STR(t5, t4);
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	free(t5);
	CHECK(q1(db, "SELECT count(DISTINCT v) FROM (SELECT k, percentile(y, 37) v FROM s"
		     " WHERE k <= 3 GROUP BY k)") == 1);
	CHECK(q1(db, "SELECT count(DISTINCT v) FROM (SELECT k, rise_frac(t, y) v FROM s"
		     " WHERE k >= 4 GROUP BY k)") == 1);
	CHECK(q1(db, "SELECT count(DISTINCT v) FROM (SELECT k, ols_slope(t, y) v FROM s"
		     " WHERE k <= 3 GROUP BY k)") == 1);
	sqlite3_close(db);
}

/* NULL, infinite t or y: the row is left out; text is an error. */
TEST(sql_nulls_and_non_finite_ignored)
{
	sqlite3 *db = open_db();
	insert(db, 1, A_T, 0, A_Y, 12, NULL);
	double clean = q1(db, "SELECT mk_z_hr(t, y) FROM s");
	REQUIRE(sqlite3_exec(db, "INSERT INTO s VALUES (1, NULL, 5), (1, 3.5, NULL), (1, NULL, NULL),"
				 " (1, 9e999, 1), (1, 4.5, -9e999), (1, 2.5, 0.0 / 0.0)",
			     NULL, NULL, NULL) == SQLITE_OK);
	CHECK(q1(db, "SELECT mk_z_hr(t, y) FROM s") == clean);
	CHECK(q1(db, "SELECT json_extract(trend(t, y), '$.n') FROM s") == 12);
	CHECK(q1(db, "SELECT median(y) FROM s WHERE t IS NOT NULL AND t < 100") == 4.5);
	/* numbers as text convert; words do not */
	CHECK(q1(db, "SELECT ts_slope(t, y) FROM (SELECT '1' t, '2' y UNION ALL SELECT '3', '6')") == 2);
	check_error(db, "SELECT ts_slope(t, 'x') FROM s", "ts_slope: argument 2 is not a number");
	check_error(db, "SELECT median(x'00')", "median: argument 1 is not a number");
	/* no rows, or only unusable ones */
	CHECK(q_null(db, "SELECT ts_slope(t, y) FROM s WHERE 0"));
	CHECK(q_null(db, "SELECT mk_s(t, y) FROM s WHERE t IS NULL"));
	CHECK(q_null(db, "SELECT trend(t, y) FROM s WHERE y IS NULL"));
	CHECK(q_null(db, "SELECT median(y) FROM s WHERE y IS NULL"));
	sqlite3_close(db);
}

/* NULL where a value is undefined; no NaN or infinity gets out. */
TEST(sql_undefined_is_null)
{
	sqlite3 *db = open_db();
	double y9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	insert(db, 1, NULL, 0, y9, 9, NULL);
	CHECK(q_null(db, "SELECT mk_z(t, y) FROM s"));
	CHECK(q_null(db, "SELECT mk_p_inc(t, y) FROM s"));
	CHECK(q_null(db, "SELECT mk_p_dec_hr(t, y) FROM s"));
	CHECK(q1(db, "SELECT mk_s(t, y) FROM s") == 36);
	CHECK(q1(db, "SELECT ts_slope(t, y) FROM s") == 1);
	CHECK(q_null(db, "SELECT json_extract(trend(t, y), '$.mk_z') FROM s"));
	CHECK(q_null(db, "SELECT ts_slope(t, y) FROM s WHERE t = 3"));
	CHECK(q_null(db, "SELECT ols_r2(t, y) FROM s WHERE t = 3"));  /* one point */
	CHECK(q1(db, "SELECT ols_r2(t, y) FROM s WHERE t = 3 OR t = 4") == 1);
	CHECK(q_null(db, "SELECT rise_frac(t, 1) FROM s"));
	CHECK(q_null(db, "SELECT saturation(t, 1) FROM s"));
	/* a slope over a 1e-300 s step overflows: NULL, not inf */
	CHECK(q_null(db, "SELECT ts_slope(t, y) FROM (SELECT 0 t, 0 y UNION ALL SELECT 1e-300, 1e300)"));
	sqlite3_close(db);
}

TEST(sql_quantization_argument)
{
	sqlite3 *db = open_db();
	double y[N_OF(G_JITTER)];
	series_g(y);
	insert(db, 1, NULL, 0, y, 12, NULL);
	CHECK(q1(db, "SELECT mk_s(t, y) FROM s") == 66);
	CHECK(q1(db, "SELECT mk_s(t, y, 65536) FROM s") == 62);
	CHECK(q1(db, "SELECT mk_s(t, y, NULL) FROM s") == 66);
	CHECK_NEAR(q1(db, "SELECT mk_z(t, y, 65536) FROM s"), REF_GQ.mk_z);
	CHECK_NEAR(q1(db, "SELECT mk_p_inc_hr(t, y, 65536) FROM s"), REF_GQ.mk_p_inc_hr);
	CHECK(q1(db, "SELECT json_extract(trend(t, y, 65536), '$.mk_s') FROM s") == 62);
	CHECK(q1(db, "SELECT json_extract(trend(t, y, 65536), '$.ts_lo') FROM s") == REF_GQ.ts_lo);
	check_error(db, "SELECT mk_s(t, y, 0) FROM s", "mk_s: q must be NULL or a positive number");
	check_error(db, "SELECT mk_z(t, y, -1) FROM s", "mk_z: q must be NULL or a positive number");
	check_error(db, "SELECT trend(t, y, 9e999) FROM s", "trend: q must be NULL or a positive number");
	check_error(db, "SELECT mk_s(t, y, CASE WHEN t < 5 THEN 1 END) FROM s",
		    "mk_s: argument 3 must be the same in every row");
	sqlite3_close(db);
}

TEST(sql_percentile_edges)
{
	sqlite3 *db = open_db();
	double v[] = { 40, 15, 50, 35, 20 };
	insert(db, 1, NULL, 0, v, 5, NULL);
	CHECK(q1(db, "SELECT percentile(y, 0) FROM s") == 15);
	CHECK(q1(db, "SELECT percentile(y, 100) FROM s") == 50);
	CHECK(q1(db, "SELECT percentile(y, 40) FROM s") == 29);
	CHECK(q1(db, "SELECT percentile(y, 99.9) FROM s") == 49.96000000000001);
	CHECK(q1(db, "SELECT median(y) FROM s") == 35);
	CHECK(q1(db, "SELECT median(y) FROM s WHERE y < 50") == 27.5);
	CHECK(q1(db, "SELECT percentile(y, 10) FROM s WHERE y = 20") == 20);
	CHECK(q1(db, "SELECT percentile(y, '75') FROM s") == 40);
	CHECK(q_null(db, "SELECT percentile(y, 50) FROM s WHERE 0"));
	check_error(db, "SELECT percentile(y, -1) FROM s", "percentile: p must be a number from 0 to 100");
	check_error(db, "SELECT percentile(y, 100.5) FROM s",
		    "percentile: p must be a number from 0 to 100");
	check_error(db, "SELECT percentile(y, NULL) FROM s",
		    "percentile: p must be a number from 0 to 100");
	check_error(db, "SELECT percentile(y, t) FROM s",
		    "percentile: argument 2 must be the same in every row");
	double d;
	int is_null;
	CHECK(query(db, "SELECT percentile(y) FROM s", &d, &is_null, NULL, 0) == SQLITE_ERROR);
	CHECK(query(db, "SELECT median(y, 50) FROM s", &d, &is_null, NULL, 0) == SQLITE_ERROR);
	sqlite3_close(db);
}

/* 4096 points are taken, 4097 refused with a message that says why. */
TEST(sql_pairwise_limit)
{
	sqlite3 *db = open_db();
	REQUIRE(sqlite3_exec(db,
		"WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 4095)"
		" INSERT INTO s SELECT 1, i, 3 * i + (i % 7) FROM c", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(q1(db, "SELECT mk_s(t, y) FROM s") > 0);
	CHECK(q1(db, "SELECT ts_slope(t, y) FROM s") == 3);
	CHECK(q1(db, "SELECT percentile(y, 0) FROM s") == 0);
	REQUIRE(sqlite3_exec(db, "INSERT INTO s VALUES (1, 5000, 0), (1, NULL, 0)", NULL, NULL,
			     NULL) == SQLITE_OK);
	check_error(db, "SELECT ts_slope(t, y) FROM s",
		    "ts_slope: 4097 points: at most 4096; bucket the series first");
	check_error(db, "SELECT trend(t, y) FROM s",
		    "trend: 4097 points: at most 4096; bucket the series first");
	check_error(db, "SELECT mk_p_inc_hr(t, y) FROM s",
		    "mk_p_inc_hr: 4097 points: at most 4096; bucket the series first");
	check_error(db, "SELECT saturation(t, y) FROM s",
		    "saturation: 4097 points: at most 4096; bucket the series first");
	/* the O(n) functions take it; per group it is fine again */
	CHECK(q1(db, "SELECT ols_slope(t, y) FROM s") > 0);
	CHECK(q1(db, "SELECT rise_frac(t, y) FROM s") > 0);
	CHECK(q1(db, "SELECT max(v) FROM (SELECT t % 2 g, ts_slope(t, y) v FROM s GROUP BY g)") > 0);
	sqlite3_close(db);
}

/* The O(n) functions stop at MS_STATS_MAX_VALUES rows (4 Mi: 32 MiB). */
TEST(sql_values_limit)
{
	sqlite3 *db = open_db();
	char sql[256], want[128];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < %u)"
		 " SELECT median(i) FROM c", MS_STATS_MAX_VALUES);
	snprintf(want, sizeof want, "median: %u rows: at most %u", MS_STATS_MAX_VALUES + 1,
		 MS_STATS_MAX_VALUES);
	check_error(db, sql, want);
	sqlite3_close(db);
}

/* A heap limit below the slopes' 64 MiB: an out-of-memory error, not NULL. */
TEST(sql_out_of_memory_is_an_error)
{
	sqlite3 *db = open_db();
	REQUIRE(sqlite3_exec(db,
		"WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 4095)"
		" INSERT INTO s SELECT 1, i, i FROM c", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_int64 old = sqlite3_hard_heap_limit64(16 << 20);
	double v;
	int is_null;
	int rc = query(db, "SELECT ts_slope(t, y) FROM s", &v, &is_null, NULL, 0);
	sqlite3_hard_heap_limit64(old);
	CHECK_EQ_I64(rc, SQLITE_NOMEM);
	CHECK(q1(db, "SELECT ts_slope(t, y) FROM s") == 1);
	sqlite3_close(db);
}

/* GROUP BY runs one aggregate per group; each gets its own buffer. */
TEST(sql_group_by)
{
	sqlite3 *db = open_db();
	insert(db, 1, A_T, 0, A_Y, 12, NULL);
	insert(db, 2, NULL, 1.7e9, C_Y, 48, NULL);
	insert(db, 3, NULL, 0, E_Y, 20, NULL);
	sqlite3_stmt *st;
	REQUIRE(sqlite3_prepare_v2(db, "SELECT k, ts_slope(t, y), saturation(t, y) FROM s"
				       " GROUP BY k ORDER BY k", -1, &st, NULL) == SQLITE_OK);
	const struct ref *want[] = { &REF_A, &REF_C, &REF_E };
	for (int i = 0; i < 3; i++) {
		REQUIRE(sqlite3_step(st) == SQLITE_ROW);
		CHECK(sqlite3_column_double(st, 1) == want[i]->ts_slope);
		CHECK_NEAR(sqlite3_column_double(st, 2), want[i]->saturation);
	}
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	/* a rule-style filter */
	CHECK(q1(db, "SELECT group_concat(k) FROM (SELECT k FROM s GROUP BY k"
		     " HAVING mk_p_inc_hr(t, y) < 0.05 AND ts_lo(t, y) > 0 AND saturation(t, y) >= 0.5)")
	      == 2);
	sqlite3_close(db);
}

/* Registered deterministic and innocuous: usable where SQLite demands it. */
TEST(sql_flags)
{
	sqlite3 *db = open_db();
	insert(db, 1, A_T, 0, A_Y, 12, NULL);
	/* a trusted_schema=OFF view may only call innocuous functions */
	REQUIRE(sqlite3_exec(db, "PRAGMA trusted_schema = OFF;"
				 "CREATE VIEW v AS SELECT median(y) m, trend(t, y) j FROM s",
			     NULL, NULL, NULL) == SQLITE_OK);
	CHECK(q1(db, "SELECT m FROM v") == 4.5);
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT flags FROM pragma_function_list WHERE name = 'ts_slope'",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			int flags = sqlite3_column_int(st, 0);
			CHECK((flags & SQLITE_DETERMINISTIC) && (flags & SQLITE_INNOCUOUS));
			found = 1;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	if (!found)
		SKIP("pragma_function_list not compiled in");
}

/* episode(): runs kept by count and span, merged across short lulls, by
 * hand; NULL for a run too short; the options checked; a frame that drops
 * rows refused. */
TEST(sql_episode_by_hand)
{
	sqlite3 *db = open_db();
	/* runs (count, first time, last time): kept, kept 10 s later, kept
	 * 120 s later, too few intervals, too short */
	REQUIRE(sqlite3_exec(db, "CREATE TABLE r(run, k, t0, t1);"
				 "INSERT INTO r VALUES (0, 3, 0, 30), (1, 3, 40, 70), (13, 3, 190, 220),"
				 " (20, 1, 290, 300), (25, 5, 400, 410)",
			     NULL, NULL, NULL) == SQLITE_OK);
	char *s = q_text(db, "SELECT group_concat(coalesce(e, '-'), ' ') FROM (SELECT"
			     " episode(k, t0, t1, 3, 20, 30) OVER (ORDER BY run) AS e FROM r ORDER BY run)");
	CHECK_STR(s, "1 1 2 - -");
	free(s);
	/* merge_gap NULL: never merged; min_count 1 and min_seconds 0: every run */
	s = q_text(db, "SELECT group_concat(coalesce(e, '-'), ' ') FROM (SELECT"
		       " episode(k, t0, t1, 3, 20, NULL) OVER (ORDER BY run) AS e FROM r ORDER BY run)");
	CHECK_STR(s, "1 2 3 - -");
	free(s);
	s = q_text(db, "SELECT group_concat(e, ' ') FROM (SELECT"
		       " episode(k, t0, t1, 1, 0, 100) OVER (ORDER BY run) AS e FROM r ORDER BY run)");
	CHECK_STR(s, "1 1 2 2 2");
	free(s);
	/* partitions are independent; a NULL count, time or span is a run not kept */
	CHECK(q1(db, "SELECT max(e) FROM (SELECT episode(k, t0, t1, 3, 20, 30)"
		     " OVER (PARTITION BY run % 2 ORDER BY run) AS e FROM r)") == 2);
	CHECK(q_null(db, "SELECT episode(NULL, 0, 100, 1, 0, 0) OVER () FROM r LIMIT 1"));
	const char *opts = "episode: min_count must be a whole number of at least 1, min_seconds a "
			   "number of at least 0, merge_gap NULL or at least 0, the same in every row";
	check_error(db, "SELECT episode(k, t0, t1, 0, 20, 30) OVER (ORDER BY run) FROM r", opts);
	check_error(db, "SELECT episode(k, t0, t1, 2.5, 20, 30) OVER (ORDER BY run) FROM r", opts);
	check_error(db, "SELECT episode(k, t0, t1, 3, -1, 30) OVER (ORDER BY run) FROM r", opts);
	check_error(db, "SELECT episode(k, t0, t1, 3, 20, -1) OVER (ORDER BY run) FROM r", opts);
	check_error(db, "SELECT max(e) FROM (SELECT episode(k, t0, t1, 3, 20, CASE WHEN run > 1 THEN NULL"
			" ELSE 30 END) OVER (ORDER BY run) AS e FROM r)", opts);
	check_error(db, "SELECT episode(k, t0, t1, 3, 20, 'x') OVER (ORDER BY run) FROM r",
		    "episode: argument 6 is not a number");
	check_error(db, "SELECT max(e) FROM (SELECT episode(k, t0, t1, 3, 20, 30)"
			" OVER (ORDER BY run ROWS 1 PRECEDING) AS e FROM r)",
		    "episode: the window must start at the partition's start (OVER (ORDER BY ...) without a frame)");
	sqlite3_close(db);
}
