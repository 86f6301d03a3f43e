/*
 * gen.h - the parts of bench/genbundle (the synthetic bundle generator):
 *
 *   gen_util.c   fatal errors, allocation that cannot fail, deterministic jitter
 *   gen_seed.c   the seed bundle in memory: its members, the records of a
 *                sample's tier, the header and meta keys
 *   gen_edit.c   editing a /proc or cgroup text: numbers after a key,
 *                space-separated fields, stat's fields, one smaps mapping
 *   gen_plan.c   the plan: behaviours planted in processes' anonymous
 *                memory and in system and cgroup counters and gauges
 *   genbundle.c  main: the population, and one sample after the other
 *                through the collector's bundle writer
 *
 * A tool for benchmarks and tests: it dies with a message on any error.
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>
#include <stdint.h>

#include "bundle_text.h"
#include "ms_buf.h"

/* ---- gen_util.c ---- */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
uint32_t mix32(uint64_t x);
/* a deterministic jitter in [-span, span] for (sample, h, salt) */
int64_t jitter(unsigned sample, uint32_t h, unsigned salt, int64_t span);

/* ---- gen_seed.c ---- */
struct member {
	char *name;
	char *data;
	size_t len;
};

struct seed {
	struct member *m;
	size_t n, cap;
};

/* Read every member of the bundle at PATH (damage after the last complete
 * sample is reported and ignored). */
void seed_read(const char *path, struct seed *s);
/* NNNNNN/KIND: the sample number, and KIND; 0 for other names */
unsigned member_sample(const char *name, const char **kind);
const struct member *find_member(const struct seed *s, unsigned sample, const char *kind);
/* KEY of a key-value member (bundle_text.h), or DFLT when absent or not a number */
double kv_double(const struct member *m, enum bt_key key, double dflt);
/* the tiers a sample's meta says ran (bit T: tier T), or 0 */
unsigned meta_tiers(const struct member *m);
/* the concatenated parts of one sample's tier (t0, t0.1 ...) */
void sample_tier(const struct seed *s, unsigned sample, int tier, struct ms_buf *out);

struct rec {
	char *status;
	char *path;       /* decoded */
	const char *file; /* for /proc/PID/FILE: points into path; else NULL */
	int64_t pid;      /* -1 when not a process file */
	char *data;
	size_t len;
	int64_t usec;
};

struct recs {
	struct rec *r;
	size_t n, cap;
};

void recs_push(struct recs *v, const struct rec *r);
/* Every record of TEXT appended to OUT (WHAT names the text in errors). */
void parse_records(const char *text, size_t len, const char *what, struct recs *out);

/* ---- gen_edit.c ---- */
enum { ED_ADD, ED_SET };

struct edit {
	const char *key; /* the line's text before ':', ' ' or '\t' */
	int64_t v;       /* delta (ED_ADD) or value (ED_SET) */
	int mode;
	int bytes;       /* V is in bytes: divided by 1024 on a line that ends in "kB" */
};

/* Copy TEXT to OUT, applying to each line every edit whose key matches, in
 * order, to the line's number: the one after "total=" when the line has
 * one (PSI), else its first number.  Results below 0 are written as 0. */
void edit_lines(const char *text, size_t len, const struct edit *ed, size_t ned,
		struct ms_buf *out);

struct field_edit {
	int field; /* 1-based, as in proc(5) */
	int64_t v;
	int mode;
};

/* Space-separated fields, the first numbered FIRST_FIELD. */
void edit_fields(const char *text, size_t len, int first_field, const struct field_edit *fe,
		 size_t nfe, struct ms_buf *out);
/* stat: "PID (COMM) STATE F4 ...": PID rewritten, fields after the comm edited */
void edit_stat(const char *text, size_t len, int64_t pid, const struct field_edit *fe,
	       size_t nfe, struct ms_buf *out);
/* smaps: EDITS applied to the lines of the mapping that starts at START
 * only; every other line copied. */
void edit_smaps_mapping(const char *text, size_t len, uint64_t start, const struct edit *ed,
			size_t ned, struct ms_buf *out);

/* ---- gen_plan.c ---- */
enum plan_kind { PL_PROC, PL_COUNTER, PL_GAUGE };

enum plan_shape {
	SH_LEAK, SH_STEP, SH_SAWTOOTH, SH_WARMUP, SH_FILL, SH_WAVE, SH_NOISE, SH_SET, SH_RATE,
};

struct plan_line {
	enum plan_kind kind;
	enum plan_shape shape;
	char *target;   /* PL_PROC: the comm; else a path pattern (fnmatch) */
	char *key;      /* PL_COUNTER, PL_GAUGE: the line's key; "-": the file's first number */
	uint64_t map;   /* PL_PROC: start of the mapping that holds the memory (0: none) */
	double from, to; /* seconds from the first sample; TO is INFINITY when open */
	double a, b;    /* the shape's numbers (gen_plan.c says which) */
	int bytes;      /* the values are bytes (had a size unit) */
	int lineno;
};

struct plan {
	const char *path;
	struct plan_line *l;
	size_t n;
};

/* Read PATH; a syntax error dies naming the file and line. */
void plan_load(const char *path, struct plan *p);
/* The line's value at time T (seconds from the first sample) in sample K:
 * a gauge's delta or value (SH_SET), a counter's increase since the start. */
double plan_value(const struct plan_line *l, double t, unsigned k);
/* False for a 'set' outside [from, to): the file's own value stands. */
int plan_active(const struct plan_line *l, double t);
/* Does the line apply to a record at PATH (PL_COUNTER, PL_GAUGE)? */
int plan_matches_path(const struct plan_line *l, const char *path);

#endif
