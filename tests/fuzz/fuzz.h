/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput() calling one pure
 * function of memsnap on the input bytes, exactly as libFuzzer hands them
 * (not NUL-terminated: AddressSanitizer sees any read past the end).  A
 * crash, a sanitizer report, a leak, a timeout or a broken invariant
 * (FUZZ_CHECK, which aborts) is a finding.  The invariants checked are the
 * ones the headers document: a -1 comes with a message that names the file
 * kind, a 0 with none; strings handed to callbacks are NUL-terminated; a
 * line a parser cannot read is reported (struct fuzz_rep) with the file
 * kind and its line, each line once and in file order, and the parse goes
 * on, or stops cleanly when the reporter says so.
 */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_err.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                            \
	do {                                                                        \
		if (!(cond)) {                                                      \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,  \
				__LINE__, #cond);                                   \
			abort();                                                    \
		}                                                                   \
	} while (0)

/* RC and ERR after a parser: -1 with "PREFIX:..." set, or 0 with nothing set. */
static inline void fuzz_check_err(int rc, const struct ms_err *err, const char *prefix)
{
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_CHECK(err->msg == NULL);
		return;
	}
	FUZZ_CHECK(err->msg != NULL);
	FUZZ_CHECK(strncmp(err->msg, prefix, strlen(prefix)) == 0);
}

/* The reporter (scan.h) a harness hands a parser: every problem starts
 * with PREFIX ("smaps:"); where a line number follows ("smaps:12: ..."),
 * it is above the last one reported (each line once, in file order).  Its
 * STOPth answer (1-based; 0: never) is "stop", so that the parser's way
 * out is fuzzed too: fuzz_rep_check() then wants -1 with ERR "stop". */
struct fuzz_rep {
	struct ms_report rep;
	const char *prefix;
	long last_line;
	unsigned n, stop;
};

static inline int fuzz_problem(void *ctx, const char *problem, struct ms_err *err)
{
	struct fuzz_rep *f = ctx;
	size_t n = strlen(f->prefix);
	FUZZ_CHECK(!f->stop || f->n < f->stop); /* nothing more after "stop" */
	FUZZ_CHECK(strncmp(problem, f->prefix, n) == 0);
	if (problem[n] >= '0' && problem[n] <= '9') {
		char *end;
		long line = strtol(problem + n, &end, 10);
		FUZZ_CHECK(*end == ':' && line >= 1 && line > f->last_line);
		f->last_line = line;
	}
	if (++f->n == f->stop)
		return ms_err_set(err, ECANCELED, "stop");
	return 0;
}

/* Set up F for PREFIX, stopping at a report picked from the input (one
 * input in 7 stops, at its 1st to 4th report). */
static inline void fuzz_rep_init(struct fuzz_rep *f, const char *prefix, const uint8_t *data,
				 size_t size)
{
	*f = (struct fuzz_rep){ { fuzz_problem, f }, prefix, 0, 0, 0 };
	if (size % 7 == 3)
		f->stop = 1 + data[0] % 4;
}

/* RC and ERR after a parser given F: "stop" when F said so, else as
 * fuzz_check_err(). */
static inline void fuzz_rep_check(const struct fuzz_rep *f, int rc, const struct ms_err *err)
{
	if (f->stop && f->n >= f->stop) {
		FUZZ_CHECK(rc == -1 && err->msg && strcmp(err->msg, "stop") == 0);
		return;
	}
	fuzz_check_err(rc, err, f->prefix);
}

/* Touch every byte of a string the parser handed over (ASan checks it
 * lies in an allocation and ends with a NUL inside it). */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

#endif
