/*
 * stats_json.c - a trend, and a series' segments, as JSON text (see
 * stats_json.h).
 *
 * A small writer over a caller-owned buffer: every snprintf() result is
 * checked against the room left, so an object that would not fit is an
 * error, never a truncated text.  Numbers use "%.17g", then any run of
 * characters other than digits, sign and exponent (the locale's decimal
 * separator, one or more bytes) becomes '.', so the text is valid JSON
 * under any LC_NUMERIC; a whole number gets ".0", so that json_extract()
 * returns every real as a real.
 */
#include "stats_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct json_out {
	char *buf;
	size_t size, len;
	int failed;
};

static void put_raw(struct json_out *o, const char *s, size_t n);
static void put_key(struct json_out *o, const char *key);
static void put_num(struct json_out *o, const char *key, double x);
static void put_int(struct json_out *o, const char *key, int64_t x);

static void put_raw(struct json_out *o, const char *s, size_t n)
{
	if (o->failed || n >= o->size - o->len) {
		o->failed = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_key(struct json_out *o, const char *key)
{
	if (o->len > 0 && o->buf[o->len - 1] != '{' && o->buf[o->len - 1] != '[')
		put_raw(o, ",", 1);
	put_raw(o, "\"", 1);
	put_raw(o, key, strlen(key));
	put_raw(o, "\":", 2);
}

static void put_num(struct json_out *o, const char *key, double x)
{
	char num[64], fixed[64];
	size_t k = 0;
	put_key(o, key);
	if (!isfinite(x)) {
		put_raw(o, "null", 4);
		return;
	}
	int n = snprintf(num, sizeof num, "%.17g", x);
	if (n < 0 || (size_t)n >= sizeof num) {
		o->failed = 1;
		return;
	}
	for (int i = 0; i < n;) {
		char c = num[i];
		if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E') {
			fixed[k++] = c;
			i++;
		} else {
			fixed[k++] = '.';
			while (i < n && !((num[i] >= '0' && num[i] <= '9') || num[i] == 'e' ||
					  num[i] == 'E'))
				i++;
		}
	}
	/* a whole number stays a real for json_extract(): 3 would come back as
	 * an integer and make a/b an integer division in a rule */
	if (!memchr(fixed, '.', k) && !memchr(fixed, 'e', k) && !memchr(fixed, 'E', k)) {
		fixed[k++] = '.';
		fixed[k++] = '0';
	}
	put_raw(o, fixed, k);
}

static void put_int(struct json_out *o, const char *key, int64_t x)
{
	char num[32];
	put_key(o, key);
	int n = snprintf(num, sizeof num, "%" PRId64, x);
	if (n < 0 || (size_t)n >= sizeof num) {
		o->failed = 1;
		return;
	}
	put_raw(o, num, (size_t)n);
}

int stats_json_trend(const struct stats_trend *tr, char *buf, size_t size)
{
	struct json_out o = { buf, size, 0, 0 };
	if (size == 0)
		return -1;
	buf[0] = '\0';
	put_raw(&o, "{", 1);
	put_int(&o, "n", (int64_t)tr->n);
	put_num(&o, "t_first", tr->t_first);
	put_num(&o, "t_last", tr->t_last);
	put_num(&o, "y_first", tr->y_first);
	put_num(&o, "y_last", tr->y_last);
	put_num(&o, "ols_slope", tr->ols_slope);
	put_num(&o, "ols_r2", tr->ols_r2);
	put_num(&o, "ts_slope", tr->ts_slope);
	put_num(&o, "ts_lo", tr->ts_lo);
	put_num(&o, "ts_hi", tr->ts_hi);
	put_int(&o, "mk_s", tr->mk_s);
	put_num(&o, "mk_var", tr->mk_var);
	put_num(&o, "tau", tr->tau);
	put_num(&o, "mk_z", tr->mk_z);
	put_num(&o, "mk_p_inc", tr->mk_p_inc);
	put_num(&o, "mk_p_dec", tr->mk_p_dec);
	put_num(&o, "hr_ratio", tr->hr_ratio);
	put_num(&o, "mk_z_hr", tr->mk_z_hr);
	put_num(&o, "mk_p_inc_hr", tr->mk_p_inc_hr);
	put_num(&o, "mk_p_dec_hr", tr->mk_p_dec_hr);
	put_num(&o, "rise_frac", tr->rise_frac);
	put_num(&o, "saturation", tr->saturation);
	put_raw(&o, "}", 1);
	return o.failed ? -1 : (int)o.len;
}

int stats_json_segments(const struct stats_segment_fit *fit, const struct stats_segment *seg,
			size_t n_points, char *buf, size_t size)
{
	struct json_out o = { buf, size, 0, 0 };
	if (size == 0)
		return -1;
	buf[0] = '\0';
	put_raw(&o, "{", 1);
	put_int(&o, "n", (int64_t)n_points);
	put_num(&o, "sigma", fit->sigma);
	put_num(&o, "beta", fit->beta);
	put_key(&o, "segments");
	put_raw(&o, "[", 1);
	for (size_t i = 0; i < fit->nseg; i++) {
		if (i > 0)
			put_raw(&o, ",", 1);
		put_raw(&o, "{", 1);
		put_num(&o, "t_start", seg[i].t_start);
		put_num(&o, "t_end", seg[i].t_end);
		put_int(&o, "n", (int64_t)seg[i].n);
		put_num(&o, "slope", seg[i].slope);
		put_num(&o, "y_start", seg[i].y_start);
		put_num(&o, "y_end", seg[i].y_end);
		put_num(&o, "rmse", seg[i].rmse);
		put_raw(&o, "}", 1);
	}
	put_raw(&o, "]}", 2);
	return o.failed ? -1 : (int)o.len;
}
