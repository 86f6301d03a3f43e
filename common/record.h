/*
 * record.h - the record framing inside bundle members.
 *
 * A data member is a sequence of records, each:
 *
 *     @ STATUS LEN PATH [USEC]\n
 *     <LEN bytes, the file's text as read>\n
 *
 * STATUS (visible ASCII, one token: a header with any other byte there is
 * malformed) is "ok", "trunc" (the read hit the size cap: the bytes are the
 * file's first LEN bytes), an errno name ("ENOENT", "EACCES", "ESRCH" ...,
 * LEN 0) or "skip:REASON" (not read by policy, LEN 0).  PATH is the absolute
 * path read, with bytes <= 0x20, '%' and 0x7f written as %XX.  USEC, when
 * present, is how long the read took (page-walking files only).  Framing by
 * length means no file content can forge a record header.
 *
 * MS_STATUS_UNCHANGED: a process's file not read because its stat was the
 * same as at the sample before in the bundle; its last read stands for it.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"

#define MS_STATUS_UNCHANGED "skip:unchanged"

struct ms_record {
	const char *status;  /* borrowed, not NUL-terminated */
	size_t status_len;
	const char *path;    /* borrowed, escaped form, not NUL-terminated */
	size_t path_len;
	const char *data;    /* borrowed file text */
	size_t len;
	int64_t usec;        /* -1 when absent */
};

/* Append one record to OUT; PATH is escaped here.  USEC < 0 omits it.
 * Returns -1 (errno ENOMEM) when the buffer cannot grow. */
int record_append(struct ms_buf *out, const char *status, const char *path,
		  const char *data, size_t len, int64_t usec);

/* Iterate: *POS is the offset into TEXT (start at 0).  Returns 1 and fills
 * REC, 0 at the end, -1 on malformed framing (ERR names the offset; MEMBER
 * names the member in the message). */
int record_next(const char *text, size_t len, size_t *pos,
		struct ms_record *rec, const char *member, struct ms_err *err);

/* True when the record's status equals S. */
int record_status_is(const struct ms_record *rec, const char *s);

/* Decode REC's path into OUT (replacing its contents). -1 on ENOMEM. */
int record_path(const struct ms_record *rec, struct ms_buf *out);

/* The path escaping on its own (other texts that must stay one word use
 * it too): append S (N bytes) to OUT escaped; decode S into OUT
 * (replacing it).  -1 on ENOMEM. */
int record_escape(struct ms_buf *out, const char *s, size_t n);
int record_unescape(const char *s, size_t n, struct ms_buf *out);

#endif
