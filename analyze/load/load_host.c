/*
 * load_host.c - the host member into host_file and host (see load_host.h).
 */
#include "load_host.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Fact F of the member is malformed: say so, with its record as the path */
static int fact_malformed(struct load_state *ls, const char *member, enum host_fact f,
			  struct ms_err *err)
{
	char msg[96];
	struct ms_record at = { 0 };
	at.path = host_fact_record(f);
	at.path_len = strlen(at.path);
	snprintf(msg, sizeof(msg), "'%s' is not a valid value; host.%s is NULL", host_fact_name(f),
		 host_fact_name(f));
	return load_error(ls, member, &at, msg, err);
}

int load_host_member(struct load_state *ls, const struct bundle_member *m, unsigned sample,
		     struct host_facts *h, struct ms_err *err)
{
	size_t pos = 0;
	struct ms_record r;
	struct ms_err perr = MS_ERR_INIT;
	int rc;
	host_facts_release(h);
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, &perr)) > 0) {
		if (record_path(&r, &ls->path) < 0 || host_facts_add(h, &r) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		sqlite3_stmt *s = ls->st[ST_HOST_FILE];
		bind_i64(s, 1, sample);
		bind_text(s, 2, ls->path.data, ls->path.len);
		bind_text(s, 3, r.status, r.status_len);
		bind_text(s, 4, r.data, r.len);
		if (load_step(ls, ST_HOST_FILE, err) < 0)
			return -1;
	}
	/* damaged framing: the records before it count */
	if (rc < 0) {
		rc = load_error(ls, m->name, NULL, ms_err_msg(&perr), err);
		ms_err_release(&perr);
		if (rc < 0)
			return -1;
	}
	for (int f = 0; f < HF_COUNT; f++)
		if (h->f[f].got == BT_MALFORMED && fact_malformed(ls, m->name, f, err) < 0)
			return -1;
	if (h->f[HF_PAGE_SIZE].got == BT_FOUND)
		ls->page_size = (long)h->f[HF_PAGE_SIZE].num;
	return 0;
}

int load_host_row(struct load_state *ls, unsigned sample, const struct host_facts *h,
		  struct ms_err *err)
{
	sqlite3_stmt *s = ls->st[ST_HOST];
	bind_i64(s, 1, sample);
	for (int f = 0; f < HF_COUNT; f++) {
		char name[40];
		snprintf(name, sizeof(name), ":%s", host_fact_name(f));
		int i = sqlite3_bind_parameter_index(s, name);
		const struct host_value *v = &h->f[f];
		if (!i)
			return ms_err_set(err, EINVAL, "the host insert has no parameter %s", name);
		if (v->got != BT_FOUND)
			bind_null(s, i);
		else if (host_fact_is_text(f))
			bind_text(s, i, v->text, strlen(v->text));
		else
			bind_i64(s, i, v->num);
	}
	return load_step(ls, ST_HOST, err);
}
