/*
 * fuzz_record.c - the record framing of a member (common/record.c):
 * record_next() and record_path() over arbitrary member text, and for each
 * record found, a round trip through record_append(): writing it again and
 * reading it back gives the same status, path, data and USEC (see fuzz.h).
 */
#include "fuzz.h"
#include "ms_buf.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ms_err err = MS_ERR_INIT;
	struct ms_buf path, again, path2;
	if (ms_buf_init(&path, 64) < 0 || ms_buf_init(&again, 256) < 0 || ms_buf_init(&path2, 64) < 0)
		abort();
	size_t pos = 0, records = 0;
	struct ms_record r;
	int rc;
	while ((rc = record_next(text, size, &pos, &r, "m", &err)) > 0) {
		records++;
		FUZZ_CHECK(pos <= size);
		FUZZ_CHECK(r.data >= text && r.data + r.len <= text + size);
		FUZZ_CHECK(r.status_len > 0 && r.path_len > 0);
		FUZZ_CHECK(!memchr(r.status, ' ', r.status_len) && !memchr(r.status, '\n', r.status_len));
		FUZZ_CHECK(r.usec >= -1);
		FUZZ_CHECK(record_path(&r, &path) == 0);
		FUZZ_CHECK(path.len <= r.path_len && path.data[path.len] == '\0');
		if (memchr(path.data, '\0', path.len))
			continue; /* "%00": record_append takes C strings */
		char status[64];
		if (r.status_len >= sizeof(status) || memchr(r.status, '\0', r.status_len))
			continue;
		memcpy(status, r.status, r.status_len);
		status[r.status_len] = '\0';
		ms_buf_reset(&again);
		FUZZ_CHECK(record_append(&again, status, path.data, r.data, r.len, r.usec) == 0);
		size_t p2 = 0;
		struct ms_record r2;
		FUZZ_CHECK(record_next(again.data, again.len, &p2, &r2, "again", &err) == 1);
		FUZZ_CHECK(p2 == again.len);
		FUZZ_CHECK(r2.status_len == r.status_len && !memcmp(r2.status, r.status, r.status_len));
		FUZZ_CHECK(r2.len == r.len && !memcmp(r2.data, r.data, r.len));
		FUZZ_CHECK(r2.usec == r.usec);
		FUZZ_CHECK(record_path(&r2, &path2) == 0);
		FUZZ_CHECK(path2.len == path.len && !memcmp(path2.data, path.data, path.len));
	}
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg && !strncmp(err.msg, "m: offset ", 10)));
	FUZZ_CHECK(rc != 0 || pos >= size);
	ms_err_release(&err);
	ms_buf_release(&path);
	ms_buf_release(&again);
	ms_buf_release(&path2);
	return 0;
}
