/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput() calling one pure
 * function of memsnap on the input bytes, exactly as libFuzzer hands them
 * (not NUL-terminated: AddressSanitizer sees any read past the end).  A
 * crash, a sanitizer report, a leak, a timeout or a broken invariant
 * (FUZZ_CHECK, which aborts) is a finding.  The invariants checked are the
 * ones the headers document: a -1 comes with a message that names the file
 * kind, a 0 with none; strings handed to callbacks are NUL-terminated.
 */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_err.h"

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

/* Touch every byte of a string the parser handed over (ASan checks it
 * lies in an allocation and ends with a NUL inside it). */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

#endif
