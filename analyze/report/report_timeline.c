/*
 * report_timeline.c - the compact timeline at the top of analyze's text
 * report: one sparkline per system series, each scaled to its own range,
 * with its minimum, maximum and last value:
 *
 *   MemAvailable  ▇▇▇▆▆▅▅▄▄▃▃▂▂▁▁  min 1.2 GiB  max 9.8 GiB  last 1.2 GiB
 *
 * Unicode blocks, or "_.:-=+*#%@" with --ascii or a non-UTF-8 locale.  Each
 * character is one time bucket and shows the bucket's maximum, so a short
 * spike stays visible.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_scale.h"
#include "chart_series.h"
#include "report.h"

#define WIDTH 48

static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char ascii[] = "_.:-=+*#%@";

struct line {
	const char *label;
	const char *sql;
	enum chart_unit unit;
	double scale;
};


static const struct line lines[] = {
	{ "MemAvailable", SERIES_MEM("mem_available_bytes"), UNIT_BYTES, 1 },
	{ "anon", SERIES_MEM("anon_bytes"), UNIT_BYTES, 1 },
	{ "page cache", SERIES_MEM("active_file_bytes + inactive_file_bytes"), UNIT_BYTES, 1 },
	{ "swap used", SERIES_MEM("swap_total_bytes - swap_free_bytes"), UNIT_BYTES, 1 },
	{ "refaults/s", SERIES_RATE("workingset_refault_file"), UNIT_NONE, 1 },
	{ "swap-out/s", SERIES_RATE("pswpout"), UNIT_NONE, 1 },
	{ "PSI some %", "SELECT t, stall_share FROM psi_rate WHERE scope = 'system' AND kind = 'some'"
	  " ORDER BY sample", UNIT_NONE, 100 },
};

static void value(double v, enum chart_unit unit, char *buf, size_t size)
{
	if (unit == UNIT_BYTES)
		chart_bytes(v, buf, size);
	else
		snprintf(buf, size, fabs(v) >= 100 || v == floor(v) ? "%.0f" : "%.2g", v);
}

/* Under the sparklines, a '^' where the recorder's triggers fired */
static void trigger_row(FILE *out, sqlite3 *db)
{
	sqlite3_stmt *st;
	double t0 = 0, t1 = 0;
	if (sqlite3_prepare_v2(db, "SELECT min(t), max(t) FROM sample", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW) {
		t0 = sqlite3_column_double(st, 0);
		t1 = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	if (!(t1 > t0) || sqlite3_prepare_v2(db, "SELECT t FROM trigger_event", -1, &st, NULL) != SQLITE_OK)
		return;
	char row[WIDTH + 1];
	memset(row, ' ', WIDTH);
	row[WIDTH] = '\0';
	int any = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		double f = (sqlite3_column_double(st, 0) - t0) / (t1 - t0);
		long b = lround(f * (WIDTH - 1));
		if (b >= 0 && b < WIDTH) {
			row[b] = '^';
			any = 1;
		}
	}
	sqlite3_finalize(st);
	if (any)
		fprintf(out, "  %-13s%s  (the recorder's triggers)\n", "triggers", row);
}

void report_timeline(FILE *out, sqlite3 *db, int use_ascii)
{
	struct chart_series s = { NULL, NULL, 0, 0 };
	int header = 0;
	for (size_t k = 0; k < sizeof(lines) / sizeof(*lines); k++) {
		if (chart_series_load(db, lines[k].sql, 0, NULL, &s) < 0 || s.n < 2)
			continue;
		double lo = INFINITY, hi = -INFINITY, last = NAN;
		for (size_t i = 0; i < s.n; i++)
			if (!isnan(s.y[i])) {
				s.y[i] *= lines[k].scale;
				lo = fmin(lo, s.y[i]);
				hi = fmax(hi, s.y[i]);
				last = s.y[i];
			}
		if (!isfinite(lo))
			continue;
		if (!header++)
			fputs("timeline (each character one slice of the window, its highest value):\n", out);
		fprintf(out, "  %-13s", lines[k].label);
		if (lo == 0 && hi == 0) {
			fputs("0 throughout\n", out);
			continue;
		}
		double t0 = s.t[0], span = s.t[s.n - 1] - s.t[0];
		size_t i = 0;
		for (int b = 0; b < WIDTH; b++) {
			double end = b + 1 == WIDTH ? INFINITY : t0 + span * (b + 1) / WIDTH;
			double m = NAN;
			for (; i < s.n && s.t[i] < end; i++)
				if (!isnan(s.y[i]))
					m = isnan(m) ? s.y[i] : fmax(m, s.y[i]);
			if (isnan(m)) {
				fputc(' ', out);
				continue;
			}
			double f = hi > lo ? (m - lo) / (hi - lo) : 0;
			if (use_ascii)
				fputc(ascii[(int)lround(f * (double)(sizeof(ascii) - 2))], out);
			else
				fputs(blocks[(int)lround(f * 7)], out);
		}
		char a[32], b[32], c[32];
		value(lo, lines[k].unit, a, sizeof(a));
		value(hi, lines[k].unit, b, sizeof(b));
		value(last, lines[k].unit, c, sizeof(c));
		fprintf(out, "  min %s  max %s  last %s\n", a, b, c);
	}
	chart_series_release(&s);
	if (header)
		trigger_row(out, db);
}
