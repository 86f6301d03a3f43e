/*
 * bundle_text.c - the bundle's "KEY VALUE" texts: the key table, the
 * writer and the reader (see bundle_text.h).
 */
#include "bundle_text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "parse_num.h"

#define H (1u << BT_HEADER)
#define M (1u << BT_META)
#define T (1u << BT_TRAILER)
#define U (1u << BT_UNAME)
#define S (1u << BT_SYSTEM)
#define Z (1u << BT_TIMEZONE)

static const struct {
	const char *name;
	unsigned texts;
} keys[BK_NKEYS] = {
	[BK_PRIORITY] = { "priority", H }, [BK_MLOCK] = { "mlock", H },
	[BK_FORMAT] = { "format", H }, [BK_COLLECTOR] = { "collector", H },
	[BK_CREATED] = { "created", H }, [BK_WALL_START] = { "wall_start", H },
	[BK_MONO_START] = { "mono_start", H }, [BK_BOOT_START] = { "boot_start", H },
	[BK_HOSTNAME] = { "hostname", H }, [BK_KERNEL] = { "kernel", H },
	[BK_COMMAND] = { "command", H }, [BK_INTERVAL_MS] = { "interval_ms", H },
	[BK_DURATION_MS] = { "duration_ms", H }, [BK_COUNT] = { "count", H },
	[BK_TIER1_EVERY] = { "tier1_every", H }, [BK_TIER2_EVERY] = { "tier2_every", H },
	[BK_SMAPS_TOP] = { "smaps_top", H }, [BK_WALK_LIMIT] = { "walk_limit", H },
	[BK_MAX_FILE_SIZE] = { "max_file_size", H }, [BK_MAX_SIZE] = { "max_size", H },
	[BK_CGROUP_DEPTH] = { "cgroup_depth", H },
	[BK_CPU_BUDGET_CENTIPCT] = { "cpu_budget_centipct", H }, [BK_LEVEL] = { "level", H },
	[BK_REDACT_CMDLINE] = { "redact_cmdline", H }, [BK_PIDS] = { "pids", H },
	[BK_PROC_ROOT] = { "proc_root", H },
	[BK_SYS_ROOT] = { "sys_root", H }, [BK_UID] = { "uid", H }, [BK_EUID] = { "euid", H },
	[BK_CGROUP_V1_MEMORY] = { "cgroup_v1_memory", H }, [BK_CGROUP_V2] = { "cgroup_v2", H },
	[BK_NODES] = { "nodes", H }, [BK_PROC_SPARSE] = { "proc_sparse", H },
	[BK_PROC_UNCHANGED] = { "proc_unchanged", H },
	[BK_REDACTED] = { "redacted", H },
	[BK_BUNDLE_KIND] = { "bundle_kind", H }, [BK_RING_ID] = { "ring_id", H },
	[BK_RING_SEQ] = { "ring_seq", H }, [BK_TRIGGERS] = { "triggers", H },
	[BK_INCIDENT_TRIGGER] = { "incident_trigger", H },
	[BK_INCIDENT_TIME] = { "incident_time", H },
	[BK_INCIDENT_PRE_MS] = { "incident_pre_ms", H },
	[BK_INCIDENT_POST_MS] = { "incident_post_ms", H },
	[BK_INCIDENT_INTERVAL_MS] = { "incident_interval_ms", H },
	[BK_INCIDENT_MAX_MS] = { "incident_max_ms", H },

	[BK_SAMPLE] = { "sample", M }, [BK_TIERS] = { "tiers", M },
	[BK_DEFERRED] = { "deferred", M }, [BK_WALL] = { "wall", M }, [BK_MONO] = { "mono", M },
	[BK_BOOT] = { "boot", M }, [BK_LATE_US] = { "late_us", M },
	[BK_MISSED_TICKS] = { "missed_ticks", M }, [BK_WALL_US] = { "wall_us", M },
	[BK_TIER0_CPU_US] = { "tier0_cpu_us", M }, [BK_TIER1_CPU_US] = { "tier1_cpu_us", M },
	[BK_TIER2_CPU_US] = { "tier2_cpu_us", M }, [BK_TIER0_WALL_US] = { "tier0_wall_us", M },
	[BK_TIER1_WALL_US] = { "tier1_wall_us", M }, [BK_TIER2_WALL_US] = { "tier2_wall_us", M },
	[BK_PROCESSES] = { "processes", M }, [BK_CGROUPS] = { "cgroups", M },
	[BK_RECORDS] = { "records", M }, [BK_READ_BYTES] = { "read_bytes", M },
	[BK_OFFSET] = { "offset", M }, [BK_FOCUS] = { "focus", M },
	[BK_FULL_READ] = { "full_read", M }, [BK_UNCHANGED] = { "unchanged", M },
	[BK_LISTED] = { "listed", M },
	[BK_COPIED_FROM] = { "copied_from", M },
	[BK_WALL_END] = { "wall_end", M | T }, [BK_MONO_END] = { "mono_end", M | T },
	[BK_CPU_US] = { "cpu_us", M | T }, [BK_GAPS] = { "gaps", M | T },
	[BK_GAP] = { "gap", M | T },

	[BK_SAMPLES] = { "samples", T }, [BK_END_REASON] = { "end_reason", T },
	[BK_BYTES_BEFORE_TRAILER] = { "bytes_before_trailer", T },
	[BK_INCIDENT_END] = { "incident_end", T }, [BK_INCIDENT_TRIGGERS] = { "incident_triggers", T },
	[BK_LAST_WALL] = { "last_wall", T }, [BK_TRIGGER_LINES] = { "trigger_lines", T },
	[BK_TRIGGER] = { "trigger", T },

	[BK_SYSNAME] = { "sysname", U }, [BK_NODENAME] = { "nodename", U },
	[BK_RELEASE] = { "release", U }, [BK_VERSION] = { "version", U },
	[BK_MACHINE] = { "machine", U },

	[BK_PAGE_SIZE] = { "page_size", S }, [BK_CLK_TCK] = { "clk_tck", S },
	[BK_CPUS_ONLINE] = { "cpus_online", S }, [BK_CPUS_CONFIGURED] = { "cpus_configured", S },

	[BK_ZONE] = { "zone", Z }, [BK_UTC_OFFSET_S] = { "utc_offset_s", Z },
	[BK_TZ] = { "TZ", Z }, [BK_LOCALTIME] = { "localtime", Z },
};

_Static_assert(BK_TIER2_CPU_US - BK_TIER0_CPU_US == MS_TIERS - 1 &&
		       BK_TIER2_WALL_US - BK_TIER0_WALL_US == MS_TIERS - 1,
	       "one tierT_cpu_us and tierT_wall_us key per tier");

static const char *const texts[BT_NTEXTS] = {
	[BT_HEADER] = MS_MEMBER_HEADER, [BT_META] = "NNNNNN/meta", [BT_TRAILER] = MS_MEMBER_TRAILER,
	[BT_UNAME] = MS_REC_UNAME, [BT_SYSTEM] = MS_REC_SYSTEM, [BT_TIMEZONE] = MS_REC_TIMEZONE,
};

const char *bt_key_name(enum bt_key k)
{
	return keys[k].name;
}

unsigned bt_key_texts(enum bt_key k)
{
	return keys[k].texts;
}

const char *bt_text_name(enum bt_text t)
{
	return texts[t];
}

int bt_put(struct ms_buf *b, enum bt_key k, const char *fmt, ...)
{
	size_t start = b->len;
	int rc = ms_buf_addstr(b, keys[k].name) | ms_buf_add(b, " ", 1);
	size_t value = b->len;
	va_list ap;
	va_start(ap, fmt);
	rc |= ms_buf_vaddf(b, fmt, ap);
	va_end(ap);
	/* one line a key, whatever the value holds (a hostname, a command) */
	for (char *p = b->data + value; p < b->data + b->len; p++)
		if (*p == '\n')
			*p = ' ';
	rc |= ms_buf_add(b, "\n", 1);
	if (rc) {
		b->len = start;
		b->data[start] = '\0';
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int bt_put_u64(struct ms_buf *b, enum bt_key k, uint64_t v)
{
	return bt_put(b, k, "%llu", (unsigned long long)v);
}

int bt_put_ts(struct ms_buf *b, enum bt_key k, const struct timespec *ts)
{
	return bt_put(b, k, "%lld.%09ld", (long long)ts->tv_sec, ts->tv_nsec);
}

int bt_next_line(const char *text, size_t len, size_t *pos, struct bt_span *key,
		 struct bt_span *v)
{
	while (*pos < len) {
		const char *p = text + *pos, *end = text + len;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		*pos = (size_t)(eol - text) + (eol < end);
		const char *sp = memchr(p, ' ', (size_t)(eol - p));
		if (!sp)
			continue;
		*key = (struct bt_span){ p, (size_t)(sp - p) };
		*v = (struct bt_span){ sp + 1, (size_t)(eol - sp - 1) };
		return 1;
	}
	return 0;
}

int bt_next(const char *text, size_t len, size_t *pos, enum bt_key k, struct bt_span *v)
{
	const char *name = keys[k].name;
	size_t kl = strlen(name);
	struct bt_span key, value;
	while (bt_next_line(text, len, pos, &key, &value))
		if (key.n == kl && !memcmp(key.p, name, kl)) {
			*v = value;
			return 1;
		}
	return 0;
}

enum bt_got bt_get(const char *text, size_t len, enum bt_key k, struct bt_span *v)
{
	size_t pos = 0;
	return bt_next(text, len, &pos, k, v) ? BT_FOUND : BT_ABSENT;
}

/* 1 when every byte of V is one of SET (V is not NUL-terminated) */
static int span_only(struct bt_span v, const char *set)
{
	for (size_t i = 0; i < v.n; i++)
		if (!v.p[i] || !strchr(set, v.p[i]))
			return 0;
	return 1;
}

enum bt_got bt_span_u64(struct bt_span v, uint64_t *out)
{
	const char *p = v.p;
	uint64_t n;
	if (ms_scan_u64(&p, v.p + v.n, &n) < 0 || p != v.p + v.n)
		return BT_MALFORMED;
	*out = n;
	return BT_FOUND;
}

enum bt_got bt_span_i64(struct bt_span v, int64_t *out)
{
	int neg = v.n && v.p[0] == '-';
	uint64_t n;
	if (bt_span_u64((struct bt_span){ v.p + neg, v.n - (size_t)neg }, &n) != BT_FOUND ||
	    n > (uint64_t)INT64_MAX + (uint64_t)neg)
		return BT_MALFORMED;
	*out = neg && n ? -(int64_t)(n - 1) - 1 : (int64_t)n;
	return BT_FOUND;
}

/* longer than any number the writer prints; a longer value is malformed */
#define MAX_DOUBLE_CHARS 63

enum bt_got bt_span_double(struct bt_span v, double *out)
{
	char buf[MAX_DOUBLE_CHARS + 1];
	if (!v.n || v.n > MAX_DOUBLE_CHARS || !span_only(v, "0123456789.eE+-"))
		return BT_MALFORMED;
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	char *end;
	double d = strtod(buf, &end);
	if (end != buf + v.n || !isfinite(d))
		return BT_MALFORMED;
	*out = d;
	return BT_FOUND;
}

enum bt_got bt_get_u64(const char *text, size_t len, enum bt_key k, uint64_t *out)
{
	struct bt_span v;
	return bt_get(text, len, k, &v) == BT_FOUND ? bt_span_u64(v, out) : BT_ABSENT;
}

enum bt_got bt_get_i64(const char *text, size_t len, enum bt_key k, int64_t *out)
{
	struct bt_span v;
	return bt_get(text, len, k, &v) == BT_FOUND ? bt_span_i64(v, out) : BT_ABSENT;
}

enum bt_got bt_get_double(const char *text, size_t len, enum bt_key k, double *out)
{
	struct bt_span v;
	return bt_get(text, len, k, &v) == BT_FOUND ? bt_span_double(v, out) : BT_ABSENT;
}

int bt_get_str(const char *text, size_t len, enum bt_key k, char **out)
{
	struct bt_span v;
	*out = NULL;
	if (bt_get(text, len, k, &v) != BT_FOUND)
		return 0;
	*out = strndup(v.p, v.n);
	return *out ? 0 : -1;
}

int bt_header_format(const char *text, size_t len, long *format, struct ms_err *err)
{
	struct bt_span v;
	uint64_t n = 0;
	/* digits only, from 1; more digits than 64 bits hold is newer still */
	int digits = bt_get(text, len, BK_FORMAT, &v) == BT_FOUND && v.n &&
		     span_only(v, "0123456789");
	int newer = digits && (bt_span_u64(v, &n) != BT_FOUND || n > MS_BUNDLE_FORMAT);
	if (!digits || (!newer && n == 0))
		return ms_err_set(err, EINVAL, "%s: no valid 'format' line", MS_MEMBER_HEADER);
	if (newer)
		return ms_err_set(err, EINVAL,
				  "bundle format %.*s is newer than this memsnap reads (up to %d); "
				  "use a newer memsnap",
				  (int)v.n, v.p, MS_BUNDLE_FORMAT);
	*format = (long)n;
	return 0;
}

unsigned bt_tiers_mask(struct bt_span v)
{
	unsigned mask = 0;
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] >= '0' && v.p[i] < '0' + MS_TIERS)
			mask |= 1u << (v.p[i] - '0');
	return mask;
}

enum bt_got bt_parse_deferred(struct bt_span v, unsigned *tier)
{
	const char *p = v.p, *end = v.p + v.n;
	uint64_t t;
	if (ms_scan_u64(&p, end, &t) < 0 || t >= MS_TIERS || (p < end && *p != ' '))
		return BT_MALFORMED;
	*tier = (unsigned)t;
	return BT_FOUND;
}

enum bt_got bt_parse_gap(struct bt_span v, struct bt_span *key, uint64_t *n)
{
	const char *sp = v.p + v.n;
	while (sp > v.p && sp[-1] != ' ')
		sp--;
	if (sp == v.p || sp - 1 == v.p)
		return BT_MALFORMED;
	*key = (struct bt_span){ v.p, (size_t)(sp - 1 - v.p) };
	return bt_span_u64((struct bt_span){ sp, (size_t)(v.p + v.n - sp) }, n);
}
