/*
 * fuzz_bundle.c - the bundle reader on whole archives: bundle_summarize()
 * (what `memsnap info` runs: common/bundle_reader.c, the record framing,
 * the stat parser, the header, meta and trailer texts and the host facts:
 * common/bundle_text.c, host_facts.c) and bundle_summary_print()
 * of whatever it read.  The input's first byte picks a tar stream to
 * compress or a raw file (fuzz_input.h).  Limits are small so that a bomb
 * stops fast: what is fuzzed is that a limit stops it, not the default.
 */
#include "bundle_summary.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		FUZZ_CHECK(devnull != NULL);
	}
	const char *path = fuzz_bundle_path(data, size);
	struct bundle_limits lim = { 1u << 20, 16u << 20 };
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	int rc = bundle_summarize(path, &lim, &s, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	FUZZ_CHECK(s.read.bytes_out <= lim.max_total + ZSTD_DStreamOutSize());
	FUZZ_CHECK(!(s.read.truncated && s.read.corrupt));
	FUZZ_CHECK((s.read.truncated || s.read.corrupt) == (s.read.damage != NULL));
	bundle_summary_print(devnull, "fuzz.tar.zst", &s);
	bundle_summary_release(&s);
	ms_err_release(&err);
	return 0;
}
