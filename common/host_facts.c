/*
 * host_facts.c - the host member's facts as typed values (see
 * host_facts.h): one table says where each fact is and what is valid.
 */
#include "host_facts.h"

#include <stdlib.h>
#include <string.h>

#define MS_REC_BOOT_ID "/proc/sys/kernel/random/boot_id"
#define WHOLE (-1)               /* the fact is the record's text, one line */

static const struct {
	const char *name;
	const char *record;
	int key;                 /* enum bt_key in RECORD, or WHOLE */
	int text;
	int64_t min, max;        /* numbers: the valid range */
} facts[HF_COUNT] = {
	[HF_HOSTNAME] = { "hostname", MS_REC_UNAME, BK_NODENAME, 1, 0, 0 },
	[HF_KERNEL] = { "kernel", MS_REC_UNAME, BK_RELEASE, 1, 0, 0 },
	[HF_MACHINE] = { "machine", MS_REC_UNAME, BK_MACHINE, 1, 0, 0 },
	[HF_BOOT_ID] = { "boot_id", MS_REC_BOOT_ID, WHOLE, 1, 0, 0 },
	[HF_PAGE_SIZE] = { "page_size", MS_REC_SYSTEM, BK_PAGE_SIZE, 0, 512, 1 << 30 },
	[HF_CLK_TCK] = { "clk_tck", MS_REC_SYSTEM, BK_CLK_TCK, 0, 1, INT64_MAX },
	[HF_CPUS_ONLINE] = { "cpus_online", MS_REC_SYSTEM, BK_CPUS_ONLINE, 0, 1, INT64_MAX },
	[HF_CPUS_CONFIGURED] = { "cpus_configured", MS_REC_SYSTEM, BK_CPUS_CONFIGURED, 0, 1,
				 INT64_MAX },
	[HF_UTC_OFFSET_S] = { "utc_offset_s", MS_REC_TIMEZONE, BK_UTC_OFFSET_S, 0, INT64_MIN,
			      INT64_MAX },
	[HF_ZONE] = { "zone", MS_REC_TIMEZONE, BK_ZONE, 1, 0, 0 },
};

void host_facts_init(struct host_facts *h)
{
	memset(h, 0, sizeof(*h));
}

/* F (fact I) takes the value V */
static int take(struct host_value *f, int i, struct bt_span v)
{
	free(f->text);
	f->text = NULL;
	if (facts[i].text) {
		f->text = strndup(v.p, v.n);
		f->got = BT_FOUND;
		return f->text ? 0 : -1;
	}
	f->got = bt_span_i64(v, &f->num);
	if (f->got == BT_FOUND && (f->num < facts[i].min || f->num > facts[i].max))
		f->got = BT_MALFORMED;
	return 0;
}

int host_facts_add(struct host_facts *h, const struct ms_record *r)
{
	if (!record_status_is(r, "ok"))
		return 0;
	for (int i = 0; i < HF_COUNT; i++) {
		size_t rl = strlen(facts[i].record);
		struct bt_span v = { r->data, r->len };
		if (r->path_len != rl || memcmp(r->path, facts[i].record, rl))
			continue;
		if (facts[i].key == WHOLE) {
			if (v.n && v.p[v.n - 1] == '\n')
				v.n--;
		} else if (bt_get(r->data, r->len, (enum bt_key)facts[i].key, &v) != BT_FOUND) {
			continue;
		}
		if (take(&h->f[i], i, v) < 0)
			return -1;
	}
	return 0;
}

void host_facts_release(struct host_facts *h)
{
	for (int i = 0; i < HF_COUNT; i++)
		free(h->f[i].text);
	host_facts_init(h);
}

const char *host_fact_name(enum host_fact f)
{
	return facts[f].name;
}

const char *host_fact_record(enum host_fact f)
{
	return facts[f].record;
}

int host_fact_is_text(enum host_fact f)
{
	return facts[f].text;
}
