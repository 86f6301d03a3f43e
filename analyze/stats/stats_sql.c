/*
 * stats_sql.c - the statistics of stats_trend.c and stats_select.c as
 * SQLite aggregate functions (see stats_sql.h; reference: docs/stats.md).
 *
 * One row of stats_fns[] per SQL name; every function shares one xStep and
 * one xFinal, which read their row from sqlite3_user_data().  xStep checks
 * the optional last argument (alpha, q or p: the same in every row),
 * converts the data arguments, skips the row when one is NULL or not
 * finite, and appends it to a buffer that grows by doubling with
 * sqlite3_realloc64, so SQLite's heap limit applies.  xFinal sorts and
 * computes in one call of stats_trend_compute() (or a selection for the
 * percentiles), maps every non-finite value to NULL, and frees the buffer.
 *
 * Invariants:
 *  - Memory is bounded: a buffer never holds more than its function's
 *    limit (STATS_TREND_MAX_POINTS for the pairwise ones, whose work area
 *    is then at most 64.1 MiB; MS_STATS_MAX_VALUES for the others).  Past
 *    the limit xStep only counts rows, and xFinal fails with an error that
 *    says how many there were, before any large allocation.
 *  - xFinal always frees the buffers: SQLite calls it exactly once per
 *    aggregate context, also when the statement fails or is reset.
 *  - Allocation failure is sqlite3_result_error_nomem(), never a NULL
 *    result that looks like "no trend".
 *  - Compiled twice: into the analyzer against <sqlite3.h>, and into the
 *    loadable module with MS_STATS_EXTENSION, where every sqlite3_* call
 *    below goes through the API table extension.c received
 *    (SQLITE_EXTENSION_INIT3 declares it).
 */
#include "stats_sql.h"

#ifdef MS_STATS_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "stats_episode.h"
#include "stats_fmt.h"
#include "stats_json.h"
#include "stats_segment.h"
#include "stats_select.h"
#include "stats_trend.h"

enum fn_out {
	OUT_OLS_SLOPE, OUT_OLS_R2, OUT_TS_SLOPE, OUT_TS_LO, OUT_TS_HI,
	OUT_MK_S, OUT_MK_Z, OUT_MK_P_INC, OUT_MK_P_DEC,
	OUT_MK_Z_HR, OUT_MK_P_INC_HR, OUT_MK_P_DEC_HR,
	OUT_RISE_FRAC, OUT_SATURATION, OUT_TREND, OUT_PERCENTILE, OUT_MEDIAN, OUT_SEGMENTS,
	OUT_ONSET,
};

/* The optional (for percentile: required) arguments after the data. */
enum fn_extra { EXTRA_NONE, EXTRA_ALPHA, EXTRA_Q, EXTRA_P, EXTRA_MIN_LEN, EXTRA_PENALTY,
		EXTRA_FLOOR, EXTRA_SLOPE };
#define MAX_EXTRA 4

struct stats_fn {
	const char *name;
	enum fn_out out;
	int n_data;            /* 2: (t, y); 1: (y) */
	enum fn_extra extra[MAX_EXTRA];  /* in order; EXTRA_NONE ends the list */
	int extra_required;
	unsigned parts;        /* of stats_trend_compute(); 0: an order statistic or segments */
	size_t limit;          /* rows kept at most */
};

#define PAIRS STATS_TREND_MAX_POINTS
#define VALUES MS_STATS_MAX_VALUES

static const struct stats_fn stats_fns[] = {
	{ "ols_slope", OUT_OLS_SLOPE, 2, { EXTRA_NONE }, 0, STATS_TREND_OLS, VALUES },
	{ "ols_r2", OUT_OLS_R2, 2, { EXTRA_NONE }, 0, STATS_TREND_OLS, VALUES },
	{ "ts_slope", OUT_TS_SLOPE, 2, { EXTRA_NONE }, 0, STATS_TREND_TS, PAIRS },
	{ "ts_lo", OUT_TS_LO, 2, { EXTRA_ALPHA }, 0, STATS_TREND_TS_CI, PAIRS },
	{ "ts_hi", OUT_TS_HI, 2, { EXTRA_ALPHA }, 0, STATS_TREND_TS_CI, PAIRS },
	{ "mk_s", OUT_MK_S, 2, { EXTRA_Q }, 0, STATS_TREND_MK, PAIRS },
	{ "mk_z", OUT_MK_Z, 2, { EXTRA_Q }, 0, STATS_TREND_MK, PAIRS },
	{ "mk_p_inc", OUT_MK_P_INC, 2, { EXTRA_Q }, 0, STATS_TREND_MK, PAIRS },
	{ "mk_p_dec", OUT_MK_P_DEC, 2, { EXTRA_Q }, 0, STATS_TREND_MK, PAIRS },
	{ "mk_z_hr", OUT_MK_Z_HR, 2, { EXTRA_Q }, 0, STATS_TREND_HR, PAIRS },
	{ "mk_p_inc_hr", OUT_MK_P_INC_HR, 2, { EXTRA_Q }, 0, STATS_TREND_HR, PAIRS },
	{ "mk_p_dec_hr", OUT_MK_P_DEC_HR, 2, { EXTRA_Q }, 0, STATS_TREND_HR, PAIRS },
	{ "rise_frac", OUT_RISE_FRAC, 2, { EXTRA_NONE }, 0, STATS_TREND_RISE, VALUES },
	{ "saturation", OUT_SATURATION, 2, { EXTRA_NONE }, 0, STATS_TREND_SAT, PAIRS },
	{ "trend", OUT_TREND, 2, { EXTRA_Q }, 0, STATS_TREND_ALL, PAIRS },
	{ "percentile", OUT_PERCENTILE, 1, { EXTRA_P }, 1, 0, VALUES },
	{ "median", OUT_MEDIAN, 1, { EXTRA_NONE }, 0, 0, VALUES },
	{ "segments", OUT_SEGMENTS, 2, { EXTRA_MIN_LEN, EXTRA_PENALTY, EXTRA_FLOOR }, 0, 0,
	  STATS_SEGMENT_MAX_POINTS },
	{ "onset", OUT_ONSET, 2, { EXTRA_SLOPE, EXTRA_MIN_LEN, EXTRA_PENALTY, EXTRA_FLOOR }, 1, 0,
	  STATS_SEGMENT_MAX_POINTS },
};

/* The aggregate context (zeroed by SQLite). */
struct stats_agg {
	struct stats_pt *pts;  /* (t, y) functions */
	double *vals;          /* percentile, median */
	size_t len, cap;
	sqlite3_int64 rows;    /* usable rows, those past the limit included */
	int extra_state[MAX_EXTRA];  /* 0: no row yet, 1: NULL, 2: the number EXTRA */
	double extra[MAX_EXTRA];
};

static int take_extra(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a,
		      sqlite3_value *v, int k);
static int grow(struct stats_agg *a, const struct stats_fn *fn);
static void result_finite(sqlite3_context *ctx, double x);
static void result_too_many(sqlite3_context *ctx, const struct stats_fn *fn, long long rows);
static void final_order(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a);
static void final_trend(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a);
static void final_segments(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a);
static void stats_step(sqlite3_context *ctx, int argc, sqlite3_value **argv);
static void stats_final(sqlite3_context *ctx);

/* what is wrong with extra argument value X (STATE 1: NULL, 2: a number,
 * 3: neither) of kind E, or NULL */
static const char *extra_problem(enum fn_extra e, int state, double x)
{
	switch (e) {
	case EXTRA_P:
		return state == 2 && x >= 0 && x <= 100 ? NULL : "p must be a number from 0 to 100";
	case EXTRA_ALPHA:
		return state == 1 || (state == 2 && x > 0 && x < 1)
			       ? NULL
			       : "alpha must be NULL or a number between 0 and 1 (exclusive)";
	case EXTRA_Q:
		return state == 1 || (state == 2 && x > 0 && isfinite(x))
			       ? NULL
			       : "q must be NULL or a positive number";
	case EXTRA_MIN_LEN:
		return state == 1 || (state == 2 && x >= 2 && x <= STATS_SEGMENT_MAX_POINTS &&
				      x == floor(x))
			       ? NULL
			       : "min_len must be NULL or a whole number from 2 to 4096";
	case EXTRA_PENALTY:
		return state == 1 || (state == 2 && x > 0 && isfinite(x))
			       ? NULL
			       : "penalty must be NULL or a positive number";
	case EXTRA_FLOOR:
		return state == 1 || (state == 2 && x >= 0 && isfinite(x))
			       ? NULL
			       : "floor must be NULL or a number of at least 0";
	case EXTRA_SLOPE:
		return state == 2 && x != 0 && isfinite(x) ? NULL
							   : "min_slope must be a number other than 0";
	default:  /* not reached: only functions with an extra take argc > n_data */
		return "too many arguments";
	}
}

/* Check extra argument K (0-based) of one row: valid, and the same as in
 * the rows before.  Returns 0, or -1 with the error set. */
static int take_extra(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a,
		      sqlite3_value *v, int k)
{
	char msg[160];
	int type = sqlite3_value_numeric_type(v);
	int state = type == SQLITE_NULL ? 1 : 2;
	double x = 0;
	if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
		x = sqlite3_value_double(v);
	else if (type != SQLITE_NULL)
		state = 3;
	const char *what = extra_problem(fn->extra[k], state, x);
	if (what) {
		snprintf(msg, sizeof msg, "%s: %s", fn->name, what);
		sqlite3_result_error(ctx, msg, -1);
		return -1;
	}
	if (a->extra_state[k] == 0) {
		a->extra_state[k] = state;
		a->extra[k] = x;
	} else if (a->extra_state[k] != state || a->extra[k] != x) {
		snprintf(msg, sizeof msg, "%s: argument %d must be the same in every row", fn->name,
			 fn->n_data + k + 1);
		sqlite3_result_error(ctx, msg, -1);
		return -1;
	}
	return 0;
}

int ms_stats_take_number(sqlite3_context *ctx, const char *fn, sqlite3_value *v, int argi,
			 double *out)
{
	char msg[128];
	switch (sqlite3_value_numeric_type(v)) {
	case SQLITE_NULL:
		return 0;
	case SQLITE_INTEGER:
		*out = (double)sqlite3_value_int64(v);
		return 1;
	case SQLITE_FLOAT:
		*out = sqlite3_value_double(v);
		return isfinite(*out) ? 1 : 0;
	default:
		snprintf(msg, sizeof msg, "%s: argument %d is not a number", fn, argi);
		sqlite3_result_error(ctx, msg, -1);
		return -1;
	}
}

/* Room for one more row (doubling, never past the limit). */
static int grow(struct stats_agg *a, const struct stats_fn *fn)
{
	size_t cap = a->cap ? 2 * a->cap : 64;
	if (cap > fn->limit)
		cap = fn->limit;
	if (fn->n_data == 2) {
		void *p = sqlite3_realloc64(a->pts, (sqlite3_uint64)cap * sizeof *a->pts);
		if (!p)
			return -1;
		a->pts = p;
	} else {
		void *p = sqlite3_realloc64(a->vals, (sqlite3_uint64)cap * sizeof *a->vals);
		if (!p)
			return -1;
		a->vals = p;
	}
	a->cap = cap;
	return 0;
}

static void result_finite(sqlite3_context *ctx, double x)
{
	if (isfinite(x))
		sqlite3_result_double(ctx, x);
	else
		sqlite3_result_null(ctx);
}

static void result_too_many(sqlite3_context *ctx, const struct stats_fn *fn, long long rows)
{
	char msg[160];
	if (fn->limit == PAIRS)
		snprintf(msg, sizeof msg, "%s: %lld points: at most %zu; bucket the series first",
			 fn->name, rows, fn->limit);
	else
		snprintf(msg, sizeof msg, "%s: %lld rows: at most %zu", fn->name, rows, fn->limit);
	sqlite3_result_error(ctx, msg, -1);
}

static void stats_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct stats_fn *fn = sqlite3_user_data(ctx);
	struct stats_agg *a = sqlite3_aggregate_context(ctx, (int)sizeof *a);
	double x[2] = { 0, 0 };
	int usable = 1;
	if (!a) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	for (int k = 0; fn->n_data + k < argc; k++)
		if (take_extra(ctx, fn, a, argv[fn->n_data + k], k) < 0)
			return;
	for (int i = 0; i < fn->n_data; i++) {
		int r = ms_stats_take_number(ctx, fn->name, argv[i], i + 1, &x[i]);
		if (r < 0)
			return;
		if (r == 0)
			usable = 0;
	}
	if (!usable)
		return;
	a->rows++;
	if ((sqlite3_uint64)a->rows > fn->limit)
		return;  /* counted for the error xFinal gives */
	if (a->len == a->cap && grow(a, fn) < 0) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (fn->n_data == 2) {
		a->pts[a->len].t = x[0];
		a->pts[a->len].y = x[1];
	} else {
		a->vals[a->len] = x[0];
	}
	a->len++;
}

/* percentile(), median(). */
static void final_order(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a)
{
	if (fn->out == OUT_MEDIAN)
		result_finite(ctx, stats_select_median(a->vals, a->len));
	else
		result_finite(ctx, stats_select_percentile(a->vals, a->len, a->extra[0]));
}

/* Every (t, y) function. */
static void final_trend(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a)
{
	struct stats_trend_opts o = STATS_TREND_OPTS_INIT;
	struct stats_trend tr;
	double *work = NULL;
	char json[STATS_JSON_TREND_MAX];
	int len;

	if (a->extra_state[0] == 2 && fn->extra[0] == EXTRA_Q)
		o.q = a->extra[0];
	if (a->extra_state[0] == 2 && fn->extra[0] == EXTRA_ALPHA)
		o.alpha = a->extra[0];
	size_t wl = stats_trend_work_len(a->len, fn->parts);
	if (wl > 0) {
		work = sqlite3_malloc64((sqlite3_uint64)wl * sizeof *work);
		if (!work) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	int rc = stats_trend_compute(a->pts, a->len, &o, fn->parts, work, &tr);
	sqlite3_free(work);
	if (rc < 0) {  /* not reached: xStep checked the limit and the options */
		sqlite3_result_error(ctx, "memsnap stats: invalid arguments", -1);
		return;
	}
	switch (fn->out) {
	case OUT_OLS_SLOPE: result_finite(ctx, tr.ols_slope); break;
	case OUT_OLS_R2: result_finite(ctx, tr.ols_r2); break;
	case OUT_TS_SLOPE: result_finite(ctx, tr.ts_slope); break;
	case OUT_TS_LO: result_finite(ctx, tr.ts_lo); break;
	case OUT_TS_HI: result_finite(ctx, tr.ts_hi); break;
	case OUT_MK_S: sqlite3_result_int64(ctx, tr.mk_s); break;
	case OUT_MK_Z: result_finite(ctx, tr.mk_z); break;
	case OUT_MK_P_INC: result_finite(ctx, tr.mk_p_inc); break;
	case OUT_MK_P_DEC: result_finite(ctx, tr.mk_p_dec); break;
	case OUT_MK_Z_HR: result_finite(ctx, tr.mk_z_hr); break;
	case OUT_MK_P_INC_HR: result_finite(ctx, tr.mk_p_inc_hr); break;
	case OUT_MK_P_DEC_HR: result_finite(ctx, tr.mk_p_dec_hr); break;
	case OUT_RISE_FRAC: result_finite(ctx, tr.rise_frac); break;
	case OUT_SATURATION: result_finite(ctx, tr.saturation); break;
	case OUT_TREND:
		len = stats_json_trend(&tr, json, sizeof json);
		if (len < 0)  /* not reached: STATS_JSON_TREND_MAX has room for any trend */
			sqlite3_result_error(ctx, "trend: JSON text too long", -1);
		else
			sqlite3_result_text(ctx, json, len, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_result_null(ctx);
		break;
	}
}

/* segments(): PELT over the points, as JSON text; onset(): the start of
 * the trailing run of segments at min_slope or faster, or NULL. */
static void final_segments(sqlite3_context *ctx, const struct stats_fn *fn, struct stats_agg *a)
{
	struct stats_segment_opts o = STATS_SEGMENT_OPTS_INIT;
	struct stats_segment_fit fit;
	int k = fn->out == OUT_ONSET;  /* onset's segment options follow min_slope */
	if (a->extra_state[k] == 2)
		o.min_len = (size_t)a->extra[k];
	if (a->extra_state[k + 1] == 2)
		o.penalty = a->extra[k + 1];
	if (a->extra_state[k + 2] == 2)
		o.floor = a->extra[k + 2];
	void *work = sqlite3_malloc64(stats_segment_work_bytes(a->len));
	struct stats_segment *seg = sqlite3_malloc64((sqlite3_uint64)a->len * sizeof *seg);
	char *json = NULL;
	if (!work || !seg) {
		sqlite3_result_error_nomem(ctx);
	} else if (stats_segment_compute(a->pts, a->len, &o, work, seg, &fit) < 0) {
		sqlite3_result_null(ctx);  /* a time or value range that overflows a double */
	} else if (fn->out == OUT_ONSET) {
		size_t i = stats_segment_run(seg, fit.nseg, a->extra[0]);
		if (i < fit.nseg)
			sqlite3_result_double(ctx, seg[i].t_start);
		else
			sqlite3_result_null(ctx);
	} else {
		size_t size = STATS_JSON_SEGMENTS_MAX(fit.nseg);
		json = sqlite3_malloc64(size);
		int len = json ? stats_json_segments(&fit, seg, a->len, json, size) : -1;
		if (!json)
			sqlite3_result_error_nomem(ctx);
		else if (len < 0)  /* not reached: the size has room for any segment */
			sqlite3_result_error(ctx, "segments: JSON text too long", -1);
		else
			sqlite3_result_text(ctx, json, len, SQLITE_TRANSIENT);
	}
	sqlite3_free(json);
	sqlite3_free(seg);
	sqlite3_free(work);
}

static void stats_final(sqlite3_context *ctx)
{
	const struct stats_fn *fn = sqlite3_user_data(ctx);
	struct stats_agg *a = sqlite3_aggregate_context(ctx, 0);
	if (!a) {  /* no row at all */
		sqlite3_result_null(ctx);
		return;
	}
	if ((sqlite3_uint64)a->rows > fn->limit) {
		result_too_many(ctx, fn, a->rows);
	} else if (a->len == 0) {
		sqlite3_result_null(ctx);
	} else if (fn->out == OUT_SEGMENTS || fn->out == OUT_ONSET) {
		final_segments(ctx, fn, a);
	} else if (fn->parts == 0) {
		final_order(ctx, fn, a);
	} else {
		final_trend(ctx, fn, a);
	}
	sqlite3_free(a->pts);
	sqlite3_free(a->vals);
	a->pts = NULL;
	a->vals = NULL;
	a->len = a->cap = 0;
}

int ms_stats_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	for (size_t i = 0; i < sizeof stats_fns / sizeof stats_fns[0]; i++) {
		const struct stats_fn *fn = &stats_fns[i];
		int n_extra = 0;
		while (n_extra < MAX_EXTRA && fn->extra[n_extra] != EXTRA_NONE)
			n_extra++;
		int lo = fn->n_data + (fn->extra_required ? 1 : 0);
		int hi = fn->n_data + n_extra;
		for (int nargs = lo; nargs <= hi; nargs++) {
			int rc = sqlite3_create_function_v2(db, fn->name, nargs, flags,
							    (void *)(uintptr_t)fn, NULL, stats_step,
							    stats_final, NULL);
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	int rc = ms_episode_register(db);
	return rc != SQLITE_OK ? rc : ms_fmt_register(db);
}
